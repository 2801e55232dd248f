/* scan: `fathom scan IMAGE... | --from-file FILE | registry://HOST`: many
 * images, one row each (analysis/scan.h), loaded --jobs at a time
 * (scanload.c); a registry's catalog listed and filtered by --repo and
 * --tag; a deterministic share of the list with --shard; the rules
 * checked for every image with --ci; the results of several runners
 * joined with --merge. Exit status 0, 1 when an image fails the rules, 2
 * when one could not be read (the output still lists every image). */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/scan.h"
#include "output/scan.h"
#include "source/registry.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#define SCAN_JOBS 4		/* images at once, by default */
#define SCAN_MERGE_MAX (1u << 30)	/* bytes of one JSON result */

enum {
	SCAN_OPT_FROM_FILE = CMD_OPT_OWN, SCAN_OPT_REPO, SCAN_OPT_TAG, SCAN_OPT_FORMAT,
	SCAN_OPT_SORT, SCAN_OPT_REVERSE, SCAN_OPT_JOBS, SCAN_OPT_SHARD, SCAN_OPT_MERGE,
};

static const struct cmd_option scan_options[] = {
	CMD_OPTION(SCAN_OPT_FROM_FILE, "from-file", "FILE",
	           "the images to scan, one a line (blank lines and # comments\n"
	           "skipped; - for stdin), after the IMAGE operands"),
	CMD_OPTION(SCAN_OPT_REPO, "repo", "GLOB",
	           "the repositories of a registry://HOST catalog to scan\n"
	           "(default: all)"),
	CMD_OPTION(SCAN_OPT_TAG, "tag", "GLOB", "their tags to scan (default: all)"),
	CMD_OPTION(SCAN_OPT_FORMAT, "format", "text|json|csv|html",
	           "text (default): the table and the totals; json: one\n"
	           "document, what --merge joins; csv: the rows; html: one\n"
	           "self-contained page, a section per image"),
	CMD_OPTION_LETTER('o', "output", "FILE",
	                  "where to write it (default: stdout); written under a\n"
	                  "temporary name, renamed when complete"),
	CMD_OPTION(SCAN_OPT_SORT, "sort", "COLUMN",
	           "name (default), digest, size, layers, efficiency,\n"
	           "wasted, reclaimable, savings, onbuild, unique, shared\n"
	           "(numbers largest first, efficiency lowest first)"),
	CMD_OPTION(SCAN_OPT_REVERSE, "reverse", NULL, "sort the other way round"),
	CMD_OPTION_TOP(10, "shared layers listed (default %zu; 0: all)"),
	CMD_OPTION(SCAN_OPT_JOBS, "jobs", "N",
	           "images loaded at once (default 4), each reading its\n"
	           "layers on one thread per core"),
	CMD_OPTION(SCAN_OPT_SHARD, "shard", "I/N",
	           "only share I (1 to N) of the images: by a hash of each\n"
	           "name, so runners given the same list split it whole"),
	CMD_OPTION(SCAN_OPT_MERGE, "merge", NULL,
	           "the operands are results of scans (--format json) to\n"
	           "join into one, shared layers counted again"),
	CMD_OPTION('c', "ci", NULL, "check the rules for every image"),
	CMD_OPTION('C', "ci-config", "FILE",
	           "the rules file (default: .fathom-ci, else .dive-ci,\n"
	           "in the current directory, else the defaults)"),
	CMD_OPTION_RULES,
	CMD_OPTION_BASE_LAYERS,
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_scan_syntax = {
	"usage: fathom scan IMAGE... [--from-file FILE] [OPTIONS]\n"
	"       fathom scan registry://HOST [--repo GLOB] [--tag GLOB] [OPTIONS]\n"
	"       fathom scan --merge RESULT.json... [OPTIONS]\n"
	"\n"
	"Analyses many images, of any sources, and writes one row each: its name,\n"
	"digest (the image ID), size, layers, dive's efficiency and wasted bytes,\n"
	"the bytes squashing reclaims, the advice's savings, its ONBUILD triggers,\n"
	"and its bytes unique to it and shared with other images of the scan\n"
	"(layers compared by digest). Then the totals: the images' sizes summed\n"
	"against each layer counted once (what a registry holding them stores),\n"
	"and the layers most images share. registry://HOST scans the registry's\n"
	"catalog. Each layer is read once: the layer cache gives it to the other\n"
	"images. An image that cannot be read is listed as such; the others are\n"
	"scanned.\n"
	"\n",
	scan_options,
	"\n"
	"Exit status: 0 done, 1 an image failed a rule (--ci), 2 error (also when\n"
	"an image could not be read, after writing the result).\n",
};

struct scan_args {
	const char *from_file, *repo, *tag, *output, *config;
	enum scan_format format;
	enum scan_column sort;
	int reverse, ci, merge, jobs;
	size_t shard, shards;		/* 1..shards; shards 0: all */
	char **names;			/* owned: the images to scan */
	size_t nnames, cnames;
};

/* "I/N" with 1 <= I <= N. */
static int
scan_parse_shard(const char *arg, size_t *i, size_t *n)
{
	const char *slash = strchr(arg, '/');
	char *first;
	int rc;

	if (slash == NULL)
		return -1;
	first = xstrndup(arg, (size_t)(slash - arg));
	rc = cmd_options_number(first, i) < 0 || cmd_options_number(slash + 1, n) < 0 ||
	     *n == 0 || *i == 0 || *i > *n ? -1 : 0;
	free(first);
	return rc;
}

static int
scan_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct scan_args *a = state;
	size_t v;
	int col;

	switch (id) {
	case SCAN_OPT_FROM_FILE:
		a->from_file = arg;
		return -1;
	case SCAN_OPT_REPO:
		a->repo = arg;
		return -1;
	case SCAN_OPT_TAG:
		a->tag = arg;
		return -1;
	case SCAN_OPT_FORMAT:
		if (scan_parse_format(arg, &a->format) < 0)
			return cmd_usage_error(cc->name, "unknown format '%s' (text, json, csv, html)",
			                       arg);
		return -1;
	case 'o':
		a->output = arg;
		return -1;
	case SCAN_OPT_SORT:
		if ((col = scan_column_find(arg)) < 0)
			return cmd_usage_error(cc->name, "--sort: no column '%s'", arg);
		a->sort = (enum scan_column)col;
		return -1;
	case SCAN_OPT_REVERSE:
		a->reverse = 1;
		return -1;
	case SCAN_OPT_JOBS:
		if (cmd_options_number(arg, &v) < 0 || v == 0 || v > 256)
			return cmd_usage_error(cc->name, "--jobs wants a number from 1 to 256, not '%s'",
			                       arg);
		a->jobs = (int)v;
		return -1;
	case SCAN_OPT_SHARD:
		if (scan_parse_shard(arg, &a->shard, &a->shards) < 0)
			return cmd_usage_error(cc->name, "--shard wants I/N with 1 <= I <= N, not '%s'",
			                       arg);
		return -1;
	case SCAN_OPT_MERGE:
		a->merge = 1;
		return -1;
	case 'c':
		a->ci = 1;
		return -1;
	default:	/* 'C' */
		a->config = arg;
		return -1;
	}
}

/* ----------------------------------------------------------- the list */

static void
scan_name_add(struct scan_args *a, const char *name, size_t len)
{
	ARRAY_RESERVE(a->names, a->nnames, a->cnames);
	a->names[a->nnames++] = xstrndup(name, len);
}

/* The names of --from-file: a line each, blanks around, # comments and
 * blank lines left out. */
static int
scan_read_list(struct scan_args *a, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (f == NULL) {
		cmd_error("%s: %s", path, strerror(errno));
		return EXIT_ERROR;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *s = line, *e = line + len;
		while (s < e && strchr(" \t\r\n", *s) != NULL)
			s++;
		while (e > s && strchr(" \t\r\n", e[-1]) != NULL)
			e--;
		if (s < e && *s != '#')
			scan_name_add(a, s, (size_t)(e - s));
	}
	int bad = ferror(f);
	free(line);
	if (f != stdin)
		fclose(f);
	if (bad) {
		cmd_error("%s: cannot be read", path);
		return EXIT_ERROR;
	}
	return 0;
}

/* A registry's catalog: "registry://HOST" alone (HOST with a dot, a
 * colon, or localhost, as references name registries); the host, owned. */
static char *
scan_catalog_host(const char *spec)
{
	if (strncmp(spec, "registry://", 11) != 0)
		return NULL;
	const char *host = spec + 11;
	size_t n = strcspn(host, "/");
	if (n == 0 || (host[n] == '/' && host[n + 1] != '\0'))
		return NULL;
	if (memchr(host, '.', n) == NULL && memchr(host, ':', n) == NULL &&
	    !(n == 9 && strncmp(host, "localhost", 9) == 0))
		return NULL;
	return xstrndup(host, n);
}

/* The images of host's catalog that --repo and --tag take. */
static int
scan_catalog(const struct cmd_ctx *cc, struct scan_args *a, const char *host)
{
	char **repos, *cause = NULL;
	size_t nrepos, skipped, bad = 0;

	if (registry_catalog(host, &cc->source, &repos, &nrepos, &skipped, &cause) < 0) {
		cmd_error("%s", cause);
		free(cause);
		return EXIT_ERROR;
	}
	bad += skipped;
	int rc = 0;
	for (size_t i = 0; i < nrepos && rc == 0; i++) {
		char **tags;
		size_t ntags;
		if (a->repo != NULL && fnmatch(a->repo, repos[i], 0) != 0)
			continue;
		if (registry_tags(host, repos[i], &cc->source, &tags, &ntags, &skipped, &cause) < 0) {
			cmd_error("%s", cause);
			free(cause);
			rc = EXIT_ERROR;
			break;
		}
		bad += skipped;
		for (size_t t = 0; t < ntags; t++) {
			if (a->tag != NULL && fnmatch(a->tag, tags[t], 0) != 0)
				continue;
			char *name = xasprintf("registry://%s/%s:%s", host, repos[i], tags[t]);
			scan_name_add(a, name, strlen(name));
			free(name);
		}
		registry_names_free(tags, ntags);
	}
	registry_names_free(repos, nrepos);
	if (bad > 0)
		cmd_error("warning: %s listed %zu name%s that no image reference can hold: left out",
		          host, bad, bad == 1 ? "" : "s");
	return rc;
}

/* The operands, catalogs listed, then --from-file's; repeats dropped,
 * then the share of --shard. */
static int
scan_list(const struct cmd_ctx *cc, struct scan_args *a)
{
	int catalogs = 0, rc;

	for (int i = 0; i < cc->noperands; i++) {
		char *host = scan_catalog_host(cc->operands[i]);
		if (host == NULL) {
			scan_name_add(a, cc->operands[i], strlen(cc->operands[i]));
			continue;
		}
		catalogs++;
		rc = scan_catalog(cc, a, host);
		free(host);
		if (rc != 0)
			return rc;
	}
	if ((a->repo != NULL || a->tag != NULL) && catalogs == 0)
		return cmd_usage_error(cc->name, "--repo and --tag choose from a registry's catalog: "
		                       "registry://HOST is missing");
	if (a->from_file != NULL && (rc = scan_read_list(a, a->from_file)) != 0)
		return rc;
	struct strindex *seen = strindex_new();
	size_t k = 0;
	for (size_t i = 0; i < a->nnames; i++) {
		size_t before = strindex_count(seen);
		strindex_add(seen, a->names[i], strlen(a->names[i]));
		int keep = strindex_count(seen) > before &&
		           (a->shards == 0 || scan_shard_of(a->names[i], a->shards) == a->shard - 1);
		if (keep)
			a->names[k++] = a->names[i];
		else
			free(a->names[i]);
	}
	a->nnames = k;
	strindex_free(seen);
	return 0;
}

/* ----------------------------------------------------------- --merge */

/* The whole of a result file. */
static char *
scan_slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;

	*len = 0;
	if (f == NULL) {
		cmd_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (*len == cap) {
			cap = cap ? 2 * cap : 1 << 16;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0 || *len > SCAN_MERGE_MAX)
			break;
	}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad || *len > SCAN_MERGE_MAX) {
		cmd_error("%s: %s", path, bad ? "cannot be read" : "larger than any scan's result");
		free(buf);
		return NULL;
	}
	return buf;
}

static int
scan_merge(const struct cmd_ctx *cc, struct scan *s)
{
	for (int i = 0; i < cc->noperands; i++) {
		size_t len;
		char *text = scan_slurp(cc->operands[i], &len), *cause = NULL;
		if (text == NULL)
			return EXIT_ERROR;
		int rc = scan_json_read(text, len, cc->operands[i], s, &cause);
		free(text);
		if (rc < 0) {
			cmd_error("%s", cause);
			free(cause);
			return EXIT_ERROR;
		}
	}
	scan_drop_repeats(s);
	return 0;
}

/* ----------------------------------------------------------- the run */

static int
scan_write_out(FILE *out, void *ctx)
{
	const struct scan_output *o = ctx;

	return scan_write(out, o);
}

/* The rows, loaded or joined; the rules in CI mode. */
static int
scan_rows(const struct cmd_ctx *cc, struct scan_args *a, struct scan *s, struct rules *rules,
          const char **config_path)
{
	int rc;

	if (a->merge) {
		if (cc->noperands == 0)
			return cmd_usage_error(cc->name, "--merge wants the results to join");
		if (a->from_file != NULL || a->repo != NULL || a->tag != NULL || a->shards > 0)
			return cmd_usage_error(cc->name, "--merge joins results: --from-file, --repo, "
			                       "--tag and --shard choose images to scan");
		if ((rc = scan_merge(cc, s)) != 0)
			return rc;
		for (size_t i = 0; a->ci && i < s->nimages; i++)
			if (s->images[i].error == NULL && !s->images[i].checked) {
				cmd_error("%s: --ci: its result holds no rules' results (scanned without "
				          "--ci)", s->images[i].name);
				return EXIT_ERROR;
			}
		return 0;
	}
	if (cc->noperands == 0 && a->from_file == NULL)
		return cmd_usage_error(cc->name, "IMAGE is missing");
	if ((rc = scan_list(cc, a)) != 0)
		return rc;
	if (a->ci && (rc = cmd_rules_load(cc, a->config, rules, config_path)) != 0)
		return rc;
	cmd_scan_load(cc, a->names, a->nnames, a->jobs, a->ci ? rules : NULL, s);
	return 0;
}

int
cmd_scan(struct cmd_ctx *cc, int argc, char **argv)
{
	struct scan_args a = { .jobs = SCAN_JOBS };
	struct scan s = { 0 };
	struct rules rules = { 0 };	/* loaded in CI mode */
	const char *config_path = NULL;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, scan_option, &a)) < 0 &&
	    (rc = scan_rows(cc, &a, &s, &rules, &config_path)) == 0) {
		scan_finish(&s, a.sort, a.reverse);
		struct scan_output o = {
			.s = &s, .format = a.format, .top = cc->top, .ci = a.ci,
			.config = config_path, .merged = a.merge,
		};
		rc = cmd_write_file(a.output != NULL ? a.output : "-", scan_write_out, &o);
		if (rc == 0)
			rc = s.errors > 0 ? EXIT_ERROR : a.ci && s.failed > 0 ? 1 : 0;
	}
	rules_fini(&rules);
	scan_fini(&s);
	for (size_t i = 0; i < a.nnames; i++)
		free(a.names[i]);
	free(a.names);
	return rc;
}
