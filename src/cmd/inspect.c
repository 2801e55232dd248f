/* inspect: `fathom inspect IMAGE [--format text|json]`: the config,
 * readable, with ONBUILD triggers flagged (output/inspect.c). */
#include <getopt.h>

#include "analysis/advice.h"
#include "cmd/cmd.h"
#include "output/inspect.h"

static const char inspect_help[] =
	"usage: fathom inspect IMAGE [--format text|json]\n"
	"\n"
	"The image's config in readable form: platform, user, working directory,\n"
	"entrypoint, command, environment, ports, volumes, labels, and ONBUILD\n"
	"triggers (which run in the build of every image FROM this one; those that\n"
	"copy the build context or use network tools are marked !).\n"
	"\n"
	CMD_COMMON_HELP(CMD_JSON_DOCUMENT)
	"\n"
	"Exit status: 0 done, 2 error.\n";

int
cmd_inspect(int argc, char **argv)
{
	static const struct option longopts[] = {
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "inspect", .help = inspect_help };
	struct image *img = NULL;
	struct advice a;
	const char *spec;
	int c, rc;

	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORT, longopts, NULL)) != -1)
		if ((rc = cmd_common_option(&cc, c, argv)) >= 0)
			return rc;
	if ((spec = cmd_image_arg(&cc, argc, argv)) == NULL)
		return EXIT_ERROR;
	cc.source.metadata = 1;	/* the config is all it shows: no layer is read */
	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(spec, &cc.source, &img)) != 0)
		return rc;
	advice_triggers(img, &a);
	inspect_print(stdout, img, &a, cc.json);
	advice_fini(&a);
	image_free(img);
	return cmd_flush(stdout);
}
