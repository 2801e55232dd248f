/* report: `fathom report IMAGE -o FILE|- [--top N] [--base-layers N]`: the
 * one-file HTML report (output/html.c) of the analysis and the advice. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/advice.h"
#include "analysis/waste.h"
#include "cmd/cmd.h"
#include "output/html.h"

static const char report_help[] =
	"usage: fathom report IMAGE -o FILE|- [--top N] [--base-layers N]\n"
	"\n"
	"Writes one self-contained HTML file (no network needed to open it): the\n"
	"image's figures (dive's efficiency, wasted bytes, userWastedPercent, the\n"
	"bytes squashing reclaims), a bar per layer with the bytes later layers\n"
	"hid, a treemap of the final filesystem coloured by layer, the\n"
	"inefficient files, the advice and the ONBUILD triggers. `fathom --ci\n"
	"IMAGE --report FILE` writes it with the CI rules' results.\n"
	"\n"
	"  -o, --output FILE    where to write it (- for stdout); written under a\n"
	"                       temporary name, renamed when complete\n"
	"  --top N              inefficient files listed (default 100; 0: all)\n"
	"  --base-layers N      the first N layers are the base image (default 1)\n"
	CMD_SOURCE_HELP
	"\n"
	"Exit status: 0 done, 2 error.\n";

static int
report_html(FILE *out, void *ctx)
{
	return html_write(out, ctx);
}

int
cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "top", required_argument, NULL, 't' },
		{ "base-layers", required_argument, NULL, 'b' },
		CMD_SOURCE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "report", .help = report_help };
	size_t top = 100, base_layers = 1;
	const char *output = NULL, *spec;
	struct image *img = NULL;
	struct waste w;
	struct advice a;
	int c, rc;

	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORT "o:", longopts, NULL)) != -1) {
		if (c == 'o') {
			output = optarg;
		} else if (c == 't') {
			if (cmd_parse_index(optarg, &top) < 0)
				return cmd_usage_error("report", "--top wants a number, not '%s'", optarg);
			if (top == 0)
				top = (size_t)-1;
		} else if (c == 'b') {
			if (cmd_parse_index(optarg, &base_layers) < 0)
				return cmd_usage_error("report", "--base-layers wants a number, not "
				                       "'%s'", optarg);
		} else if ((rc = cmd_common_option(&cc, c, argv)) >= 0) {
			return rc;
		}
	}
	if ((spec = cmd_image_arg(&cc, argc, argv)) == NULL)
		return EXIT_ERROR;
	if (output == NULL)
		return cmd_usage_error("report", "-o FILE is missing (- for stdout)");
	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(spec, &cc.source, &img)) != 0)
		return rc;
	size_t top_layer;
	if ((rc = cmd_layer(img, 0, &top_layer)) != 0) {
		image_free(img);
		return rc;
	}
	waste_analyze(img, base_layers, &w);
	advice_analyze(img, &w, &a);
	struct report r = { .img = img, .waste = &w, .advice = &a, .top = top };
	rc = cmd_write_file(output, report_html, &r);
	advice_fini(&a);
	waste_fini(&w);
	image_free(img);
	return rc;
}
