/* advise: `fathom advise IMAGE [--format text|json] [--top N]
 * [--base-layers N]`: the findings of analysis/advice.c, largest saving
 * first. */
#include "cmd/cmd.h"
#include "output/findings.h"

static const struct cmd_option cmd_advise_options[] = {
	CMD_OPTION_TOP(5, "paths and layers shown per finding (default %zu; 0: all)"),
	CMD_OPTION_BASE_LAYERS,
	CMD_OPTION_FORMAT(CMD_JSON_DOCUMENT),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_advise_syntax = {
	"usage: fathom advise IMAGE [--format text|json] [--top N] [--base-layers N]\n"
	"\n"
	"What to change in the Dockerfile to make the image smaller, each finding\n"
	"with the bytes it would save (measured from the layers, never counted\n"
	"twice), the layers and their commands, and the largest paths:\n"
	"deleted-later, metadata-only-copy, package-cache, temp-files,\n"
	"build-context, build-tools, big-base; and ONBUILD triggers that would\n"
	"run in builds FROM this image.\n"
	"\n",
	cmd_advise_options,
	"\n"
	"Exit status: 0 done, 2 error.\n",
};

int
cmd_advise(struct cmd_ctx *cc, int argc, char **argv)
{
	struct cmd_image ci;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, NULL, NULL)) >= 0)
		return rc;
	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_ADVICE, &ci)) != 0)
		return rc;
	findings_print(stdout, ci.img, &ci.waste, &ci.advice, cc->top, cc->format);
	cmd_image_close(&ci);
	return cmd_flush(stdout);
}
