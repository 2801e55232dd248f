/* options: the option groups the commands share (the source options,
 * --format text|json, --top, --base-layers), each parsed here alone, and
 * every command's options parsed and their --help lines written from its
 * table (struct cmd_option), so that help and parsing cannot drift. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/units.h"
#include "util/xalloc.h"

#define OPTIONS_COLUMN 21	/* where help starts, after "  " */

const struct cmd_option cmd_options_source[] = {
	CMD_OPTION(CMD_OPT_SOURCE, "source", "KIND",
	           "read IMAGE as KIND: docker-archive, oci-archive, oci,\n"
	           "docker, podman, registry (default: detected from\n"
	           "the content; a name that is no file: docker)"),
	CMD_OPTION(CMD_OPT_PLATFORM, "platform", "OS/ARCH[/VARIANT]",
	           "the image of an OCI index to read (default: this\n"
	           "machine's; one the image lacks is an error)"),
	CMD_OPTION(CMD_OPT_IMAGE, "image", "REF",
	           "the image of a multi-image archive, by tag\n"
	           "(default: the first)"),
	CMD_OPTION(CMD_OPT_JOBS, "jobs", "N", "threads reading layers (default: one per core)"),
	CMD_OPTION(CMD_OPT_INSECURE, "insecure", NULL, "a registry over plain HTTP"),
	CMD_OPTION(CMD_OPT_VERIFY, "verify", NULL,
	           "check every blob against its digest and every\n"
	           "layer against the config's diff_id (default for\n"
	           "registries and engines; --no-verify: never)"),
	CMD_OPTION(CMD_OPT_NO_VERIFY, "no-verify", NULL, NULL),
	CMD_OPTION(CMD_OPT_TIMEOUT, "timeout", "SECONDS",
	           "a registry or engine that sends nothing for this\n"
	           "long fails (default 60)"),
	CMD_OPTION(CMD_OPT_MAX_LAYER_BYTES, "max-layer-bytes", "SIZE",
	           "refuse a layer larger than SIZE uncompressed\n"
	           "(default 64GiB: a decompression bomb stops there)"),
	CMD_OPTION(CMD_OPT_NO_CACHE, "no-cache", NULL,
	           "read every layer, neither using nor filling the\n"
	           "layer cache (~/.cache/fathom)"),
	CMD_OPTION(CMD_OPT_CACHE_SIZE, "cache-size", "SIZE",
	           "the layer cache's bound (default 1GiB; the least\n"
	           "recently used layers go first)"),
	CMD_OPTION(CMD_OPT_PROGRESS, "progress", NULL,
	           "show loading progress even when not on a terminal\n"
	           "or in CI mode"),
	CMD_OPTION_LETTER(CMD_OPT_HELP, "help", NULL, NULL),
	{ 0 },
};

static int
options_end(const struct cmd_option *o)
{
	return o->name == NULL && o->help == NULL && o->group == NULL;
}

/* Whether the first n rows of longs have name: a command's own option
 * hides a group's of the same name (fix --verify), when it comes first. */
static int
options_taken(const struct option *longs, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(longs[k].name, name) == 0)
			return 1;
	return 0;
}

/* The first row called name in table (groups walked in place), or NULL. */
static const struct cmd_option *
options_named(const struct cmd_option *o, const char *name)
{
	for (; !options_end(o); o++) {
		const struct cmd_option *r = o->group != NULL ? options_named(o->group, name) :
		                             o->name != NULL && strcmp(o->name, name) == 0 ? o : NULL;
		if (r != NULL)
			return r;
	}
	return NULL;
}

/* Appends options' getopt rows to longs (room for them all) and their
 * letters to shorts; returns the new count. A name taken already (a
 * command's own row before a group's of that name) is left out. */
static size_t
options_flatten(const struct cmd_option *o, struct option *longs, size_t n, char *shorts)
{
	for (; !options_end(o); o++) {
		if (o->group != NULL) {
			n = options_flatten(o->group, longs, n, shorts);
			continue;
		}
		if (o->name == NULL || options_taken(longs, n, o->name))
			continue;
		longs[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument,
		                              NULL, o->id };
		if (o->letter != 0) {
			size_t k = strlen(shorts);
			shorts[k++] = o->letter;
			if (o->arg != NULL)
				shorts[k++] = ':';
			shorts[k] = '\0';
		}
	}
	return n;
}

static size_t
options_count(const struct cmd_option *o)
{
	size_t n = 0;

	for (; !options_end(o); o++)
		n += o->group != NULL ? options_count(o->group) : 1;
	return n;
}

/* Sets the defaults the table holds (--top's, --base-layers'). */
static void
options_defaults(struct cmd_ctx *cc, const struct cmd_option *o)
{
	for (; !options_end(o); o++) {
		if (o->group != NULL)
			options_defaults(cc, o->group);
		else if (o->id == CMD_OPT_TOP)
			cc->top = o->value;
		else if (o->id == CMD_OPT_BASE_LAYERS)
			cc->base_layers = o->value;
	}
}

int
cmd_options_number(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > (size_t)-1)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* A number from 1 to max for --jobs and --timeout; -1 when it is not. */
static long
options_bounded(const char *arg, size_t max)
{
	size_t v;

	if (cmd_options_number(arg, &v) < 0 || v == 0 || v > max)
		return -1;
	return (long)v;
}

/* The source group's options with a value. */
static int
options_source_value(struct cmd_ctx *cc, int id, const char *arg)
{
	struct source_opts *s = &cc->source;
	const char *why;

	switch (id) {
	case CMD_OPT_SOURCE:
		s->kind = arg;
		return -1;
	case CMD_OPT_PLATFORM:
		s->platform = arg;
		return -1;
	case CMD_OPT_IMAGE:
		s->image = arg;
		return -1;
	case CMD_OPT_JOBS:
		if ((s->jobs = (int)options_bounded(arg, 256)) < 0)
			return cmd_usage_error(cc->name, "--jobs wants a number from 1 to 256, "
			                       "not '%s'", arg);
		return -1;
	case CMD_OPT_TIMEOUT:
		if ((s->timeout = options_bounded(arg, 86400)) < 0)
			return cmd_usage_error(cc->name, "--timeout wants seconds from 1 to 86400, "
			                       "not '%s'", arg);
		return -1;
	case CMD_OPT_CACHE_SIZE:
		if (units_parse_size(arg, &s->cache_size, &why) < 0 || s->cache_size == 0)
			return cmd_usage_error(cc->name, "--cache-size wants a size, not '%s'", arg);
		return -1;
	default:	/* CMD_OPT_MAX_LAYER_BYTES */
		if (units_parse_size(arg, &s->max_layer_bytes, &why) < 0 || s->max_layer_bytes == 0)
			return cmd_usage_error(cc->name, "--max-layer-bytes wants a size, not '%s'",
			                       arg);
		return -1;
	}
}

/* A group's option; -1 when parsing goes on, else the exit status. */
static int
options_group(struct cmd_ctx *cc, int id, const char *arg)
{
	switch (id) {
	case CMD_OPT_INSECURE:
		cc->source.insecure = 1;
		return -1;
	case CMD_OPT_VERIFY:
	case CMD_OPT_NO_VERIFY:
		cc->source.verify = id == CMD_OPT_VERIFY ? 1 : -1;
		return -1;
	case CMD_OPT_PROGRESS:
		cc->progress = 1;
		return -1;
	case CMD_OPT_NO_CACHE:
		cc->source.cache = -1;
		return -1;
	case CMD_OPT_HELP:
		return cmd_help(cc->cmd, stdout);
	case CMD_OPT_FORMAT:
		if (output_format_parse(arg, &cc->format) < 0 ||
		    (cc->format != OUTPUT_TEXT && cc->format != OUTPUT_JSON))
			return cmd_usage_error(cc->name, "unknown format '%s'", arg);
		return -1;
	case CMD_OPT_TOP:
		if (cmd_options_number(arg, &cc->top) < 0)
			return cmd_usage_error(cc->name, "--top wants a number, not '%s'", arg);
		if (cc->top == 0)
			cc->top = SIZE_MAX;
		return -1;
	case CMD_OPT_BASE_LAYERS:
		if (cmd_options_number(arg, &cc->base_layers) < 0)
			return cmd_usage_error(cc->name, "--base-layers wants a number, not '%s'", arg);
		return -1;
	default:
		if (id >= CMD_OPT_RULE && id < CMD_OPT_RULE + RULE_COUNT) {
			cc->rule_value[id - CMD_OPT_RULE] = arg;
			return -1;
		}
		return options_source_value(cc, id, arg);
	}
}

/* What getopt returned: an error, a group's option, or the command's. */
static int
options_one(struct cmd_ctx *cc, int c, char **argv, cmd_option_fn *own, void *state)
{
	if (c == ':')
		return cmd_usage_error(cc->name, "%s needs a value", argv[optind - 1]);
	if (c == CMD_OPT_HELP || (c >= CMD_OPT_SOURCE && c < CMD_OPT_OWN))
		return options_group(cc, c, optarg);
	if (c == '?' || own == NULL)
		return cmd_usage_error(cc->name, "unknown option '%s'", argv[optind - 1]);
	return own(cc, state, c, optarg);
}

/* The operands: with CMD_ONE_IMAGE, one IMAGE. */
static int
options_operands(struct cmd_ctx *cc, int argc, char **argv)
{
	cc->noperands = argc - optind;
	cc->operands = argv + optind;
	if (!(cc->cmd->flags & CMD_ONE_IMAGE))
		return -1;
	if (cc->noperands == 0)
		return cmd_usage_error(cc->name, "IMAGE is missing");
	if (cc->noperands > 1)
		return cmd_usage_error(cc->name, "one IMAGE expected, got '%s' too", cc->operands[1]);
	return -1;
}

int
cmd_options_parse(struct cmd_ctx *cc, int argc, char **argv, cmd_option_fn *own, void *state)
{
	const struct cmd_option *table = cc->cmd->syntax->options;
	size_t n = options_count(table);
	struct option *longs = xcalloc(n + 1, sizeof *longs);
	char *shorts = xcalloc(2 * n + 3, 1);
	int c, rc = -1;

	strcpy(shorts, cc->cmd->flags & CMD_PASSTHROUGH ? "+:" : ":");
	options_flatten(table, longs, 0, shorts);
	options_defaults(cc, table);
	optind = 0;	/* getopt afresh (glibc) */
	while (rc < 0 && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1)
		rc = options_one(cc, c, argv, own, state);
	free(longs);
	free(shorts);
	return rc >= 0 ? rc : options_operands(cc, argc, argv);
}

int
cmd_options_skip(int argc, char **argv)
{
	size_t n = options_count(cmd_options_source);
	struct option *longs = xcalloc(n + 1, sizeof *longs);
	char shorts[8] = "+:";
	int c, k = 0;

	options_flatten(cmd_options_source, longs, 0, shorts);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1)
		if (c == '?' || c == ':')
			break;
	if (c == -1 && strcmp(argv[optind - 1], "--") != 0)
		k = optind;
	opterr = 1;
	free(longs);
	return k;
}

/* "-o, --output FILE": the row's letter, name and value. */
static char *
options_usage(const struct cmd_option *o)
{
	char letter[8] = "";

	if (o->letter != 0)
		snprintf(letter, sizeof letter, "-%c, ", o->letter);
	return xasprintf("%s--%s%s%s", letter, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* One row's lines: "  --name ARG" padded to the column (on a line of its
 * own when longer), then the help's lines, each after the column; the
 * help's "%zu" is the row's value. */
static void
options_help_row(FILE *out, const struct cmd_option *o)
{
	int column = o->column > 0 ? o->column : OPTIONS_COLUMN;
	const char *pct = strstr(o->help, "%zu");
	char *help, *line, *end;

	if (pct != NULL)
		help = xasprintf("%.*s%zu%s", (int)(pct - o->help), o->help, o->value, pct + 3);
	else
		help = xstrdup(o->help);
	if (o->name != NULL) {
		char *usage = options_usage(o);
		if ((int)strlen(usage) < column)
			fprintf(out, "  %-*s", column, usage);
		else
			fprintf(out, "  %s\n%*s", usage, column + 2, "");
		free(usage);
	} else {
		fprintf(out, "%*s", column + 2, "");
	}
	for (line = help; (end = strchr(line, '\n')) != NULL; line = end + 1)
		fprintf(out, "%.*s\n%*s", (int)(end - line), line, column + 2, "");
	fprintf(out, "%s\n", line);
	free(help);
}

/* The rows of o, but those whose name an earlier row of top took. */
static void
options_help(FILE *out, const struct cmd_option *top, const struct cmd_option *o)
{
	for (; !options_end(o); o++) {
		if (o->group != NULL)
			options_help(out, top, o->group);
		else if (o->help != NULL && (o->name == NULL || options_named(top, o->name) == o))
			options_help_row(out, o);
	}
}

void
cmd_options_help(FILE *out, const struct cmd_option *o)
{
	options_help(out, o, o);
}
