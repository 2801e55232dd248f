/* files: `fathom files IMAGE [--layer N] [--changes] [--format text|json]`. */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "output/files.h"

static const struct cmd_option cmd_files_options[] = {
	CMD_OPTION('l', "layer", "N", "as it stands after layer N (0-based; default: the top)"),
	CMD_OPTION('c', "changes", NULL,
	           "only what layer N changed, with a last column\n"
	           "A (added), M (modified), R (removed), U (unmodified)"),
	CMD_OPTION_FORMAT(CMD_JSON_LINES),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_files_syntax = {
	"usage: fathom files IMAGE [--layer N] [--changes] [--format text|json]\n"
	"\n"
	"The filesystem of the image, one line per path in byte order:\n"
	"PATH TYPE MODE UID GID SIZE LINK, tab-separated.\n"
	"\n",
	cmd_files_options,
	"\n"
	"Exit status: 0 done, 2 error.\n",
};

struct cmd_files_args {
	const char *layer;		/* --layer, as given */
	struct files_opts opts;
};

static int
cmd_files_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct cmd_files_args *a = state;

	(void)cc;
	if (id == 'l')
		a->layer = arg;
	else
		a->opts.changes = 1;
	return -1;
}

int
cmd_files(struct cmd_ctx *cc, int argc, char **argv)
{
	struct cmd_files_args a = { 0 };
	struct cmd_image ci;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, cmd_files_option, &a)) >= 0)
		return rc;
	if (a.layer != NULL && cmd_options_number(a.layer, &a.opts.layer) < 0)
		return cmd_usage_error(cc->name, "--layer wants a layer index, not '%s'", a.layer);
	if ((rc = cmd_image_open(cc, cc->operands[0], 0, &ci)) != 0)
		return rc;
	if ((rc = cmd_image_layer(ci.img, a.layer != NULL, &a.opts.layer)) == 0) {
		a.opts.format = cc->format;
		files_print(stdout, ci.img, &a.opts);
		rc = cmd_flush(stdout);
	}
	cmd_image_close(&ci);
	return rc;
}
