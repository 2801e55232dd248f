/* advise: `fathom advise IMAGE [--dockerfile PATH [--context DIR]]
 * [--format text|json] [--top N] [--base-layers N]`: the findings of
 * analysis/advice.c, largest saving first; with the Dockerfile, each
 * layer's line and each finding's edit (cmd/dockerfile.c). */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "output/findings.h"

enum { CMD_ADVISE_DOCKERFILE = CMD_OPT_OWN, CMD_ADVISE_CONTEXT };

static const struct cmd_option cmd_advise_options[] = {
	CMD_OPTION(CMD_ADVISE_DOCKERFILE, "dockerfile", "PATH",
	           "the Dockerfile the image was built from: each layer\n"
	           "named by its line, each finding with its edit"),
	CMD_OPTION(CMD_ADVISE_CONTEXT, "context", "DIR",
	           "its build context, for .dockerignore (default: the\n"
	           "Dockerfile's directory)"),
	CMD_OPTION_TOP(5, "paths and layers shown per finding (default %zu; 0: all)"),
	CMD_OPTION_BASE_LAYERS,
	CMD_OPTION_FORMAT(CMD_JSON_DOCUMENT),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_advise_syntax = {
	"usage: fathom advise IMAGE [--dockerfile PATH [--context DIR]]\n"
	"                     [--format text|json] [--top N] [--base-layers N]\n"
	"\n"
	"What to change in the Dockerfile to make the image smaller, each finding\n"
	"with the bytes it would save (measured from the layers, never counted\n"
	"twice), the layers and their commands, and the largest paths:\n"
	"deleted-later, metadata-only-copy, package-cache, temp-files,\n"
	"build-context, build-tools, big-base; and ONBUILD triggers that would\n"
	"run in builds FROM this image. With --dockerfile, each layer is named by\n"
	"its line (Dockerfile:LINE and the instruction) and each finding says its\n"
	"edit, as `fathom fix` would make it, or why it is left as advice.\n"
	"\n",
	cmd_advise_options,
	"\n"
	"Exit status: 0 done, 2 error.\n",
};

struct cmd_advise_args {
	const char *dockerfile, *context;
};

static int
cmd_advise_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct cmd_advise_args *a = state;

	(void)cc;
	if (id == CMD_ADVISE_DOCKERFILE)
		a->dockerfile = arg;
	else
		a->context = arg;
	return -1;
}

int
cmd_advise(struct cmd_ctx *cc, int argc, char **argv)
{
	struct cmd_advise_args a = { 0 };
	struct cmd_image ci;
	struct cmd_dockerfile d;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, cmd_advise_option, &a)) >= 0)
		return rc;
	if (a.context != NULL && a.dockerfile == NULL)
		return cmd_usage_error(cc->name, "--context goes with --dockerfile");
	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_ADVICE, &ci)) != 0)
		return rc;
	if (a.dockerfile != NULL) {
		char *dir = a.context != NULL ? NULL : cmd_dockerfile_dir(a.dockerfile);
		rc = cmd_dockerfile_open(a.dockerfile, a.context != NULL ? a.context : dir, &ci, &d);
		free(dir);
		if (rc != 0) {
			cmd_image_close(&ci);
			return rc;
		}
	}
	findings_print(stdout, ci.img, &ci.waste, &ci.advice, cc->top, cc->format,
	               a.dockerfile != NULL ? &d.x : NULL);
	if (a.dockerfile != NULL)
		cmd_dockerfile_close(&d);
	cmd_image_close(&ci);
	return cmd_flush(stdout);
}
