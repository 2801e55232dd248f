/* report: `fathom report IMAGE -o FILE|- [--top N] [--base-layers N]`: the
 * one-file HTML report (output/cmd_report_html.c) of the analysis and the
 * advice. */
#include "cmd/cmd.h"
#include "output/report.h"

static const struct cmd_option cmd_report_options[] = {
	CMD_OPTION_LETTER('o', "output", "FILE",
	                  "where to write it (- for stdout); written under a\n"
	                  "temporary name, renamed when complete"),
	CMD_OPTION_TOP(REPORT_HTML_TOP, "inefficient files listed (default %zu; 0: all)"),
	CMD_OPTION_BASE_LAYERS,
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_report_syntax = {
	"usage: fathom report IMAGE -o FILE|- [--top N] [--base-layers N]\n"
	"\n"
	"Writes one self-contained HTML file (no network needed to open it): the\n"
	"image's figures (dive's efficiency, wasted bytes, userWastedPercent, the\n"
	"bytes squashing reclaims), a bar per layer with the bytes later layers\n"
	"hid, a treemap of the final filesystem coloured by layer, the\n"
	"inefficient files, the advice and the ONBUILD triggers. `fathom --ci\n"
	"IMAGE --report FILE` writes it with the CI rules' results.\n"
	"\n",
	cmd_report_options,
	"\n"
	"Exit status: 0 done, 2 error.\n",
};

static int
cmd_report_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	(void)cc, (void)id;
	*(const char **)state = arg;	/* -o */
	return -1;
}

static int
cmd_report_html(FILE *out, void *ctx)
{
	return report_html_write(out, ctx);
}

int
cmd_report(struct cmd_ctx *cc, int argc, char **argv)
{
	const char *output = NULL;
	struct cmd_image ci;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, cmd_report_option, &output)) >= 0)
		return rc;
	if (output == NULL)
		return cmd_usage_error(cc->name, "-o FILE is missing (- for stdout)");
	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_ADVICE | CMD_IMAGE_LAYERS, &ci)) != 0)
		return rc;
	struct report r = {
		.img = ci.img, .waste = &ci.waste, .advice = &ci.advice, .top = cc->top,
	};
	rc = cmd_write_file(output, cmd_report_html, &r);
	cmd_image_close(&ci);
	return rc;
}
