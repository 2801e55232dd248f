/* history: `fathom history IMAGE [--no-trunc] [--format text|json]`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "output/history.h"

static const char history_help[] =
	"usage: fathom history IMAGE [--no-trunc] [--format text|json]\n"
	"\n"
	"Every history entry of the image, newest first, like `docker history`:\n"
	"the layer it made (- for none), when, the layer's size, the command.\n"
	"\n"
	"  --no-trunc           never cut CREATED BY (it is cut to the terminal's\n"
	"                       width, or $COLUMNS when not on a terminal)\n"
	CMD_COMMON_HELP(CMD_JSON_LINES)
	"\n"
	"Exit status: 0 done, 2 error.\n";

/* The width to fit: the terminal's, else $COLUMNS, else none. */
static size_t
history_term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	size_t w;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols != NULL && cmd_parse_index(cols, &w) == 0)
		return w;
	return 0;
}

int
cmd_history(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-trunc", no_argument, NULL, 'n' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "history", .help = history_help };
	struct history_opts hopts = { .width = history_term_width() };
	struct image *img = NULL;
	const char *spec;
	int c, rc;

	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORT, longopts, NULL)) != -1) {
		if (c == 'n')
			hopts.width = 0;
		else if ((rc = cmd_common_option(&cc, c, argv)) >= 0)
			return rc;
	}
	if ((spec = cmd_image_arg(&cc, argc, argv)) == NULL)
		return EXIT_ERROR;
	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(spec, &cc.source, &img)) != 0)
		return rc;
	hopts.json = cc.json;
	history_print(stdout, img, &hopts);
	image_free(img);
	return cmd_flush(stdout);
}
