/* advise: `fathom advise IMAGE [--format text|json] [--top N]
 * [--base-layers N]`: the findings of analysis/advice.c, largest saving
 * first. */
#include <getopt.h>
#include <stdlib.h>

#include "analysis/advice.h"
#include "analysis/waste.h"
#include "cmd/cmd.h"
#include "output/findings.h"

static const char advise_help[] =
	"usage: fathom advise IMAGE [--format text|json] [--top N] [--base-layers N]\n"
	"\n"
	"What to change in the Dockerfile to make the image smaller, each finding\n"
	"with the bytes it would save (measured from the layers, never counted\n"
	"twice), the layers and their commands, and the largest paths:\n"
	"deleted-later, metadata-only-copy, package-cache, temp-files,\n"
	"build-context, build-tools, big-base; and ONBUILD triggers that would\n"
	"run in builds FROM this image.\n"
	"\n"
	"  --top N              paths and layers shown per finding (default 5; 0: all)\n"
	"  --base-layers N      the first N layers are the base image (default 1)\n"
	CMD_COMMON_HELP(CMD_JSON_DOCUMENT)
	"\n"
	"Exit status: 0 done, 2 error.\n";

int
cmd_advise(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "top", required_argument, NULL, 't' },
		{ "base-layers", required_argument, NULL, 'b' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "advise", .help = advise_help };
	size_t top = 5, base_layers = 1;
	struct image *img = NULL;
	struct waste w;
	struct advice a;
	const char *spec;
	int c, rc;

	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORT, longopts, NULL)) != -1) {
		if (c == 't') {
			if (cmd_parse_index(optarg, &top) < 0)
				return cmd_usage_error("advise", "--top wants a number, not '%s'", optarg);
			if (top == 0)
				top = (size_t)-1;
		} else if (c == 'b') {
			if (cmd_parse_index(optarg, &base_layers) < 0)
				return cmd_usage_error("advise", "--base-layers wants a number, not "
				                       "'%s'", optarg);
		} else if ((rc = cmd_common_option(&cc, c, argv)) >= 0) {
			return rc;
		}
	}
	if ((spec = cmd_image_arg(&cc, argc, argv)) == NULL)
		return EXIT_ERROR;
	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(spec, &cc.source, &img)) != 0)
		return rc;
	waste_analyze(img, base_layers, &w);
	advice_analyze(img, &w, &a);
	findings_print(stdout, img, &w, &a, top, cc.json);
	advice_fini(&a);
	waste_fini(&w);
	image_free(img);
	return cmd_flush(stdout);
}
