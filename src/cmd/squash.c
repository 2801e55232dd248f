/* squash: `fathom squash IMAGE -o OUT|- [--from N | --keep-base] [--tag T]
 * [--format F] [--compress C]`: plans the new layer (analysis/squash.c),
 * writes the image (output/squash.c) to a file or to stdout, and has
 * output/squash_report.c say what it reclaimed. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/squash.h"
#include "cmd/cmd.h"
#include "output/squash.h"
#include "output/squash_report.h"

static const char squash_help[] =
	"usage: fathom squash IMAGE -o OUT|- [--from N | --keep-base] [--tag NAME:TAG]\n"
	"                     [--format docker-archive|oci-archive|oci]\n"
	"                     [--compress none|gzip|zstd]\n"
	"\n"
	"Writes the image with its top layers merged into one that holds exactly\n"
	"the difference they make: nothing they hid, a whiteout for what they\n"
	"deleted. The layers below are copied byte for byte (same digests).\n"
	"\n"
	"  -o, --output OUT     the image to write (a file; a directory for oci);\n"
	"                       written under a temporary name, renamed when complete;\n"
	"                       - for stdout (docker-archive, oci-archive; never a\n"
	"                       terminal), the summary then going to stderr\n"
	"  --from N             squash layers N to the top (default 0: all of them)\n"
	"  --keep-base          squash what is above the base layers (--base-layers)\n"
	"  --base-layers N      the first N layers are the base image (default 1)\n"
	"  --tag NAME:TAG       the name in the output (default: the input's, if any)\n"
	"  --format F           docker-archive (default; docker load, podman load),\n"
	"                       oci-archive, or oci (a layout directory)\n"
	"  --compress C         the new layer: none (default for docker-archive), gzip\n"
	"                       (default for OCI), zstd\n"
	CMD_SOURCE_HELP
	"\n"
	"Exit status: 0 done, 2 error (nothing is left at OUT then).\n";

static int
squash_parse_format(const char *s, enum imagewrite_format *f)
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
squash_parse_compress(const char *s, enum squash_compress *c)
{
	if (strcmp(s, "none") == 0)
		*c = SQUASH_NONE;
	else if (strcmp(s, "gzip") == 0)
		*c = SQUASH_GZIP;
	else if (strcmp(s, "zstd") == 0)
		*c = SQUASH_ZSTD;
	else
		return -1;
	return 0;
}

int
cmd_squash(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, 'f' },
		{ "keep-base", no_argument, NULL, 'k' },
		{ "base-layers", required_argument, NULL, 'b' },
		{ "tag", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "compress", required_argument, NULL, 'c' },
		CMD_SOURCE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "squash", .help = squash_help };
	struct squash_opts o = { .format = IMAGEWRITE_DOCKER_ARCHIVE, .fd = -1 };
	struct squash_plan plan = { 0 };
	struct squash_result r = { 0 };
	const char *from = NULL, *comp = NULL, *spec;
	size_t base_layers = 1, nfrom = 0;
	int keep_base = 0, c, rc;
	struct image *img = NULL;
	char *cause = NULL;

	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORT "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.output = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'k':
			keep_base = 1;
			break;
		case 'b':
			if (cmd_parse_index(optarg, &base_layers) < 0)
				return cmd_usage_error("squash", "--base-layers wants a number, "
				                       "not '%s'", optarg);
			break;
		case 't':
			o.tag = optarg;
			break;
		case 'F':
			if (squash_parse_format(optarg, &o.format) < 0)
				return cmd_usage_error("squash", "unknown format '%s' (known: "
				                       "docker-archive, oci-archive, oci)", optarg);
			break;
		case 'c':
			comp = optarg;
			if (squash_parse_compress(optarg, &o.compress) < 0)
				return cmd_usage_error("squash", "unknown compression '%s' (known: "
				                       "none, gzip, zstd)", optarg);
			break;
		default:
			if ((rc = cmd_common_option(&cc, c, argv)) >= 0)
				return rc;
		}
	}
	if ((spec = cmd_image_arg(&cc, argc, argv)) == NULL)
		return EXIT_ERROR;
	if (o.output == NULL)
		return cmd_usage_error("squash", "-o OUT is needed: where to write the image "
		                       "(- for stdout)");
	if (strcmp(o.output, "-") == 0) {
		if (o.format == IMAGEWRITE_OCI_DIR)
			return cmd_usage_error("squash", "-o - with --format oci: an OCI layout is "
			                       "a directory, it cannot go to stdout (use oci-archive)");
		if (isatty(STDOUT_FILENO)) {
			cmd_error("squash: stdout is a terminal: not writing an image there "
			          "(pipe it, e.g. | podman load, or redirect it to a file)");
			return EXIT_ERROR;
		}
		o.output = NULL;
		o.fd = STDOUT_FILENO;
	}
	if (from != NULL && keep_base)
		return cmd_usage_error("squash", "--from and --keep-base both say where to start");
	if (from != NULL && cmd_parse_index(from, &nfrom) < 0)
		return cmd_usage_error("squash", "--from wants a layer index, not '%s'", from);
	if (comp == NULL)
		o.compress = o.format == IMAGEWRITE_DOCKER_ARCHIVE ? SQUASH_NONE : SQUASH_GZIP;

	cc.source.spool = 1;	/* a streamed image's layers are copied */
	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(spec, &cc.source, &img)) != 0)
		return rc;
	rc = EXIT_ERROR;
	if (keep_base && img->nlayers > 0)
		nfrom = base_layers < img->nlayers ? base_layers : img->nlayers - 1;
	if (cmd_layer(img, 1, &nfrom) != 0)
		goto out;
	if (o.tag == NULL)
		o.tag = img->ref;
	if (squash_plan_make(img, nfrom, &plan, &cause) < 0 ||
	    squash_write(img, &plan, &o, &r, &cause) < 0) {
		cmd_error("%s: %s", img->name, cause);
		goto out;
	}
	/* stdout holds the image when it is the output */
	squash_report_print(o.output != NULL ? stdout : stderr, img, &plan, &o, &r);
	rc = cmd_flush(o.output != NULL ? stdout : stderr);
out:
	free(cause);
	squash_plan_fini(&plan);
	squash_result_fini(&r);
	image_free(img);
	return rc;
}
