/* files: `fathom files IMAGE [--layer N] [--changes] [--format text|json]`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "output/files.h"

static const char files_help[] =
	"usage: fathom files IMAGE [--layer N] [--changes] [--format text|json]\n"
	"\n"
	"The filesystem of the image, one line per path in byte order:\n"
	"PATH TYPE MODE UID GID SIZE LINK, tab-separated.\n"
	"\n"
	"  --layer N            as it stands after layer N (0-based; default: the top)\n"
	"  --changes            only what layer N changed, with a last column\n"
	"                       A (added), M (modified), R (removed), U (unmodified)\n"
	"  --format text|json   tab-separated text (default) or JSON lines\n"
	CMD_SOURCE_HELP
	"\n"
	"Exit status: 0 done, 2 error.\n";

int
cmd_files(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "layer", required_argument, NULL, 'l' },
		{ "changes", no_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CMD_SOURCE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct source_opts sopts = { 0 };
	struct files_opts fopts = { 0 };
	const char *layer = NULL;
	struct image *img = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (cmd_source_option(c, optarg, &sopts))
			continue;
		switch (c) {
		case 'l':
			layer = optarg;
			break;
		case 'c':
			fopts.changes = 1;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				fopts.json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cmd_usage_error("files", "unknown format '%s'", optarg);
			break;
		case 'h':
			fputs(files_help, stdout);
			return cmd_flush(stdout);
		case ':':
			return cmd_usage_error("files", "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error("files", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error("files", optind == argc ? "IMAGE is missing" :
		                       "one IMAGE expected, got '%s' too", argv[optind + 1]);
	if (layer != NULL && cmd_parse_index(layer, &fopts.layer) < 0)
		return cmd_usage_error("files", "--layer wants a layer index, not '%s'", layer);

	if ((rc = cmd_load(argv[optind], &sopts, &img)) != 0)
		return rc;
	if (img->nlayers == 0) {
		cmd_error("%s: the image has no layers", img->name);
		image_free(img);
		return EXIT_ERROR;
	}
	if (layer == NULL)
		fopts.layer = img->nlayers - 1;
	if (fopts.layer >= img->nlayers) {
		cmd_error("%s: no layer %zu: the image has layers 0 to %zu", img->name,
		          fopts.layer, img->nlayers - 1);
		image_free(img);
		return EXIT_ERROR;
	}
	files_print(stdout, img, &fopts);
	image_free(img);
	return cmd_flush(stdout);
}
