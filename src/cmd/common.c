/* common: what the subcommands share: messages, loading, option helpers. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/units.h"
#include "util/xalloc.h"

void
cmd_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("fathom: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("fathom: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'fathom %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_ERROR;
}

int
cmd_load(const char *spec, const struct source_opts *opts, struct image **img)
{
	char *cause = NULL;

	int rc = source_load(spec, opts, img, &cause);

	cmd_progress_end();
	if (rc < 0) {
		cmd_error("%s", cause);
		free(cause);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < (*img)->nwarnings; i++)
		cmd_error("warning: %s: %s", (*img)->name, (*img)->warnings[i]);
	return 0;
}

int
cmd_flush(FILE *out)
{
	if (fflush(out) != 0 || ferror(out)) {
		cmd_error("cannot write the output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return 0;
}

int
cmd_write_file(const char *path, int (*write)(FILE *out, void *ctx), void *ctx)
{
	char *tmp;
	FILE *f;
	int fd, saved;
	mode_t mask;

	if (strcmp(path, "-") == 0) {
		write(stdout, ctx);
		return cmd_flush(stdout);
	}
	tmp = xasprintf("%s.fathom-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		cmd_error("cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return EXIT_ERROR;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	f = fdopen(fd, "w");
	if (f == NULL || write(f, ctx) < 0 || fflush(f) != 0 || ferror(f) ||
	    fsync(fileno(f)) != 0) {
		saved = errno;
		if (f != NULL)
			fclose(f);
		else
			close(fd);
		unlink(tmp);
		cmd_error("cannot write %s: %s", path, strerror(saved ? saved : EIO));
		free(tmp);
		return EXIT_ERROR;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		cmd_error("cannot write %s: %s", path, strerror(saved));
		free(tmp);
		return EXIT_ERROR;
	}
	free(tmp);
	return 0;
}

int
cmd_color(void)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (no == NULL || *no == '\0') &&
	       (term == NULL || strcmp(term, "dumb") != 0);
}

int
cmd_layer(const struct image *img, int given, size_t *layer)
{
	if (img->nlayers == 0) {
		cmd_error("%s: the image has no layers", img->name);
		return EXIT_ERROR;
	}
	if (!given)
		*layer = img->nlayers - 1;
	if (*layer >= img->nlayers) {
		cmd_error("%s: no layer %zu: the image has layers 0 to %zu", img->name, *layer,
		          img->nlayers - 1);
		return EXIT_ERROR;
	}
	return 0;
}

int
cmd_parse_index(const char *s, size_t *out)
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

int
cmd_common_option(struct cmd_common *cc, int c, char **argv)
{
	switch (c) {
	case 'S':
		cc->source.kind = optarg;
		return -1;
	case 'P':
		cc->source.platform = optarg;
		return -1;
	case 'I':
		cc->source.image = optarg;
		return -1;
	case 'J': {
		size_t jobs;
		if (cmd_parse_index(optarg, &jobs) < 0 || jobs == 0 || jobs > 256)
			return cmd_usage_error(cc->name, "--jobs wants a number from 1 to 256, "
			                       "not '%s'", optarg);
		cc->source.jobs = (int)jobs;
		return -1;
	}
	case 'K':
		cc->source.insecure = 1;
		return -1;
	case 'V':
		cc->source.verify = 1;
		return -1;
	case 'N':
		cc->source.verify = -1;
		return -1;
	case 'T': {
		size_t secs;
		if (cmd_parse_index(optarg, &secs) < 0 || secs == 0 || secs > 86400)
			return cmd_usage_error(cc->name, "--timeout wants seconds from 1 to 86400, "
			                       "not '%s'", optarg);
		cc->source.timeout = (long)secs;
		return -1;
	}
	case 'X': {
		const char *why;
		if (units_parse_size(optarg, &cc->source.max_layer_bytes, &why) < 0 ||
		    cc->source.max_layer_bytes == 0)
			return cmd_usage_error(cc->name, "--max-layer-bytes wants a size, not '%s'",
			                       optarg);
		return -1;
	}
	case 'G':
		cc->progress = 1;
		return -1;
	case 'F':
		if (strcmp(optarg, "json") == 0 || strcmp(optarg, "text") == 0) {
			cc->json = strcmp(optarg, "json") == 0;
			return -1;
		}
		return cmd_usage_error(cc->name, "unknown format '%s'", optarg);
	case 'h':
		fputs(cc->help, stdout);
		return cmd_flush(stdout);
	case ':':
		return cmd_usage_error(cc->name, "%s needs a value", argv[optind - 1]);
	default:
		return cmd_usage_error(cc->name, "unknown option '%s'", argv[optind - 1]);
	}
}

const char *
cmd_image_arg(const struct cmd_common *cc, int argc, char **argv)
{
	if (optind == argc)
		cmd_usage_error(cc->name, "IMAGE is missing");
	else if (optind + 1 < argc)
		cmd_usage_error(cc->name, "one IMAGE expected, got '%s' too", argv[optind + 1]);
	else
		return argv[optind];
	return NULL;
}
