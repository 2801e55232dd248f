/* squash: `fathom squash IMAGE -o OUT|- [--from N | --keep-base] [--tag T]
 * [--format F] [--compress C]`: plans the new layer (analysis/squash.c),
 * writes the image (write/squashwrite.c) to a file or to stdout, and has
 * output/squashreport.c say what it reclaimed. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/squash.h"
#include "cmd/cmd.h"
#include "output/squashreport.h"
#include "write/squashwrite.h"

static const struct cmd_option cmd_squash_options[] = {
	CMD_OPTION_LETTER('o', "output", "OUT",
	                  "the image to write (a file; a directory for oci);\n"
	                  "written under a temporary name, renamed when complete;\n"
	                  "- for stdout (docker-archive, oci-archive; never a\n"
	                  "terminal), the summary then going to stderr"),
	CMD_OPTION('f', "from", "N", "squash layers N to the top (default 0: all of them)"),
	CMD_OPTION('k', "keep-base", NULL, "squash what is above the base layers (--base-layers)"),
	CMD_OPTION_BASE_LAYERS,
	CMD_OPTION('t', "tag", "NAME:TAG", "the name in the output (default: the input's, if any)"),
	CMD_OPTION('F', "format", "F",
	           "docker-archive (default; docker load, podman load),\n"
	           "oci-archive, or oci (a layout directory)"),
	CMD_OPTION('c', "compress", "C",
	           "the new layer: none (default for docker-archive), gzip\n"
	           "(default for OCI), zstd"),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_squash_syntax = {
	"usage: fathom squash IMAGE -o OUT|- [--from N | --keep-base] [--tag NAME:TAG]\n"
	"                     [--format docker-archive|oci-archive|oci]\n"
	"                     [--compress none|gzip|zstd]\n"
	"\n"
	"Writes the image with its top layers merged into one that holds exactly\n"
	"the difference they make: nothing they hid, a whiteout for what they\n"
	"deleted. The layers below are copied byte for byte (same digests).\n"
	"\n",
	cmd_squash_options,
	"\n"
	"Exit status: 0 done, 2 error (nothing is left at OUT then).\n",
};

struct cmd_squash_args {
	struct squashwrite_opts opts;
	const char *from;		/* --from, as given */
	const char *compress;		/* --compress, as given */
	int keep_base;
};

static int
cmd_squash_parse_format(const char *s, enum imagewrite_format *f)
{
	if (strcmp(s, "docker-archive") == 0)
		*f = IMAGEWRITE_DOCKER_ARCHIVE;
	else if (strcmp(s, "oci-archive") == 0)
		*f = IMAGEWRITE_OCI_ARCHIVE;
	else if (strcmp(s, "oci") == 0)
		*f = IMAGEWRITE_OCI_DIR;
	else
		return -1;
	return 0;
}

static int
cmd_squash_parse_compress(const char *s, enum squashwrite_compress *c)
{
	if (strcmp(s, "none") == 0)
		*c = SQUASHWRITE_NONE;
	else if (strcmp(s, "gzip") == 0)
		*c = SQUASHWRITE_GZIP;
	else if (strcmp(s, "zstd") == 0)
		*c = SQUASHWRITE_ZSTD;
	else
		return -1;
	return 0;
}

static int
cmd_squash_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct cmd_squash_args *a = state;

	switch (id) {
	case 'o':
		a->opts.output = arg;
		return -1;
	case 'f':
		a->from = arg;
		return -1;
	case 'k':
		a->keep_base = 1;
		return -1;
	case 't':
		a->opts.tag = arg;
		return -1;
	case 'F':
		if (cmd_squash_parse_format(arg, &a->opts.format) < 0)
			return cmd_usage_error(cc->name, "unknown format '%s' (known: "
			                       "docker-archive, oci-archive, oci)", arg);
		return -1;
	default:	/* 'c' */
		a->compress = arg;
		if (cmd_squash_parse_compress(arg, &a->opts.compress) < 0)
			return cmd_usage_error(cc->name, "unknown compression '%s' (known: "
			                       "none, gzip, zstd)", arg);
		return -1;
	}
}

/* -o: a file, or stdout when it is no terminal. */
static int
cmd_squash_output(struct cmd_ctx *cc, struct squashwrite_opts *o)
{
	if (o->output == NULL)
		return cmd_usage_error(cc->name, "-o OUT is needed: where to write the image "
		                       "(- for stdout)");
	if (strcmp(o->output, "-") != 0)
		return -1;
	if (o->format == IMAGEWRITE_OCI_DIR)
		return cmd_usage_error(cc->name, "-o - with --format oci: an OCI layout is "
		                       "a directory, it cannot go to stdout (use oci-archive)");
	if (isatty(STDOUT_FILENO)) {
		cmd_error("squash: stdout is a terminal: not writing an image there "
		          "(pipe it, e.g. | podman load, or redirect it to a file)");
		return EXIT_ERROR;
	}
	o->output = NULL;
	o->fd = STDOUT_FILENO;
	return -1;
}

/* The options' checks, before anything is loaded; -1 when they pass. */
static int
cmd_squash_check(struct cmd_ctx *cc, struct cmd_squash_args *a, size_t *from)
{
	int rc;

	if ((rc = cmd_squash_output(cc, &a->opts)) >= 0)
		return rc;
	if (a->from != NULL && a->keep_base)
		return cmd_usage_error(cc->name, "--from and --keep-base both say where to start");
	if (a->from != NULL && cmd_options_number(a->from, from) < 0)
		return cmd_usage_error(cc->name, "--from wants a layer index, not '%s'", a->from);
	if (a->compress == NULL)
		a->opts.compress = a->opts.format == IMAGEWRITE_DOCKER_ARCHIVE ? SQUASHWRITE_NONE :
		                                                                  SQUASHWRITE_GZIP;
	return -1;
}

/* Plans, writes and reports; 0, or EXIT_ERROR after saying why. */
static int
cmd_squash_image(const struct cmd_ctx *cc, const struct image *img, struct cmd_squash_args *a,
                 size_t from)
{
	struct squash_plan plan = { 0 };
	struct squashwrite_result r = { 0 };
	char *cause = NULL;
	int rc = EXIT_ERROR;

	if (a->keep_base && img->nlayers > 0)
		from = cc->base_layers < img->nlayers ? cc->base_layers : img->nlayers - 1;
	if (cmd_image_layer(img, 1, &from) != 0)
		goto out;
	if (a->opts.tag == NULL)
		a->opts.tag = img->ref;
	if (squash_plan_make(img, from, &plan, &cause) < 0 ||
	    squashwrite_image(img, &plan, &a->opts, &r, &cause) < 0) {
		cmd_error("%s: %s", img->name, cause);
		goto out;
	}
	/* stdout holds the image when it is the output */
	FILE *to = a->opts.output != NULL ? stdout : stderr;
	squashreport_print(to, img, &plan, &a->opts, &r);
	rc = cmd_flush(to);
out:
	free(cause);
	squash_plan_fini(&plan);
	squashwrite_result_fini(&r);
	return rc;
}

int
cmd_squash(struct cmd_ctx *cc, int argc, char **argv)
{
	struct cmd_squash_args a = { .opts = { .format = IMAGEWRITE_DOCKER_ARCHIVE, .fd = -1 } };
	struct cmd_image ci;
	size_t from = 0;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, cmd_squash_option, &a)) >= 0 ||
	    (rc = cmd_squash_check(cc, &a, &from)) >= 0)
		return rc;
	/* a streamed image's layers are copied */
	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_SPOOL, &ci)) != 0)
		return rc;
	rc = cmd_squash_image(cc, ci.img, &a, from);
	cmd_image_close(&ci);
	return rc;
}
