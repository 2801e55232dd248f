/* inspect: `fathom inspect IMAGE [--format text|json]`: the config,
 * readable, with ONBUILD triggers flagged (output/inspect.c). */
#include "cmd/cmd.h"
#include "output/inspect.h"

static const struct cmd_option cmd_inspect_options[] = {
	CMD_OPTION_FORMAT(CMD_JSON_DOCUMENT),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_inspect_syntax = {
	"usage: fathom inspect IMAGE [--format text|json]\n"
	"\n"
	"The image's config in readable form: platform, user, working directory,\n"
	"entrypoint, command, environment, ports, volumes, labels, and ONBUILD\n"
	"triggers (which run in the build of every image FROM this one; those that\n"
	"copy the build context or use network tools are marked !).\n"
	"\n",
	cmd_inspect_options,
	"\n"
	"Exit status: 0 done, 2 error.\n",
};

int
cmd_inspect(struct cmd_ctx *cc, int argc, char **argv)
{
	struct cmd_image ci;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, NULL, NULL)) >= 0)
		return rc;
	/* the config is all it shows: no layer is read */
	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_TRIGGERS | CMD_IMAGE_METADATA,
	                         &ci)) != 0)
		return rc;
	inspect_print(stdout, ci.img, &ci.advice, cc->format);
	cmd_image_close(&ci);
	return cmd_flush(stdout);
}
