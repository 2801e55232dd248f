/* history: `fathom history IMAGE [--no-trunc] [--format text|json]`. */
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "output/history.h"

static const struct cmd_option cmd_history_options[] = {
	CMD_OPTION('n', "no-trunc", NULL,
	           "never cut CREATED BY (it is cut to the terminal's\n"
	           "width, or $COLUMNS when not on a terminal)"),
	CMD_OPTION_FORMAT(CMD_JSON_LINES),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_history_syntax = {
	"usage: fathom history IMAGE [--no-trunc] [--format text|json]\n"
	"\n"
	"Every history entry of the image, newest first, like `docker history`:\n"
	"the layer it made (- for none), when, the layer's size, the command.\n"
	"\n",
	cmd_history_options,
	"\n"
	"Exit status: 0 done, 2 error.\n",
};

/* The width to fit: the terminal's, else $COLUMNS, else none. */
static size_t
cmd_history_term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	size_t w;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols != NULL && cmd_options_number(cols, &w) == 0)
		return w;
	return 0;
}

static int
cmd_history_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct history_opts *o = state;

	(void)cc, (void)id, (void)arg;
	o->width = 0;	/* --no-trunc */
	return -1;
}

int
cmd_history(struct cmd_ctx *cc, int argc, char **argv)
{
	struct history_opts o = { .width = cmd_history_term_width() };
	struct cmd_image ci;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, cmd_history_option, &o)) >= 0)
		return rc;
	/* the layers' sizes are all it needs of them */
	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_SIZES, &ci)) != 0)
		return rc;
	o.format = cc->format;
	history_print(stdout, ci.img, &o);
	cmd_image_close(&ci);
	return cmd_flush(stdout);
}
