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
	"  --format text|json   a table (default) or JSON lines\n"
	CMD_SOURCE_HELP
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
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CMD_SOURCE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct source_opts sopts = { 0 };
	struct history_opts hopts = { .width = history_term_width() };
	struct image *img = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (cmd_source_option(c, optarg, &sopts))
			continue;
		switch (c) {
		case 'n':
			hopts.width = 0;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				hopts.json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cmd_usage_error("history", "unknown format '%s'", optarg);
			break;
		case 'h':
			fputs(history_help, stdout);
			return cmd_flush(stdout);
		case ':':
			return cmd_usage_error("history", "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error("history", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error("history", optind == argc ? "IMAGE is missing" :
		                       "one IMAGE expected, got '%s' too", argv[optind + 1]);
	if ((rc = cmd_load(argv[optind], &sopts, &img)) != 0)
		return rc;
	history_print(stdout, img, &hopts);
	image_free(img);
	return cmd_flush(stdout);
}
