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
	CMD_COMMON_HELP(CMD_JSON_LINES)
	"\n"
	"Exit status: 0 done, 2 error.\n";

int
cmd_files(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "layer", required_argument, NULL, 'l' },
		{ "changes", no_argument, NULL, 'c' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "files", .help = files_help };
	struct files_opts fopts = { 0 };
	const char *layer = NULL, *spec;
	struct image *img = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORT, longopts, NULL)) != -1) {
		if (c == 'l')
			layer = optarg;
		else if (c == 'c')
			fopts.changes = 1;
		else if ((rc = cmd_common_option(&cc, c, argv)) >= 0)
			return rc;
	}
	if ((spec = cmd_image_arg(&cc, argc, argv)) == NULL)
		return EXIT_ERROR;
	if (layer != NULL && cmd_parse_index(layer, &fopts.layer) < 0)
		return cmd_usage_error("files", "--layer wants a layer index, not '%s'", layer);

	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(spec, &cc.source, &img)) != 0)
		return rc;
	if ((rc = cmd_layer(img, layer != NULL, &fopts.layer)) != 0) {
		image_free(img);
		return rc;
	}
	fopts.json = cc.json;
	files_print(stdout, img, &fopts);
	image_free(img);
	return cmd_flush(stdout);
}
