/* cmd: the table of commands, from which come main's dispatch (also after
 * the source options: `fathom --verify files IMAGE`), every --help and the
 * list in `fathom --help`; and the messages every command prints. A new
 * command is one file (its run and its struct cmd_syntax) plus one row of
 * CMD_LIST (cmd.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/xalloc.h"

#define CMD_ROW(name, flags, summary) \
	{ #name, cmd_##name, &cmd_##name##_syntax, flags, summary },
static const struct cmd cmd_table[] = { CMD_LIST(CMD_ROW) };
#undef CMD_ROW
#define CMD_COUNT (sizeof cmd_table / sizeof cmd_table[0])

const struct cmd *
cmd_find(const char *name)
{
	for (size_t i = 0; i < CMD_COUNT; i++)
		if (!(cmd_table[i].flags & CMD_UNNAMED) && strcmp(name, cmd_table[i].name) == 0)
			return &cmd_table[i];
	return NULL;
}

const struct cmd *
cmd_default(void)
{
	for (size_t i = 0; i < CMD_COUNT; i++)
		if (cmd_table[i].flags & CMD_UNNAMED)
			return &cmd_table[i];
	abort();
}

int
cmd_position(int argc, char **argv)
{
	if (argc > 1 && cmd_find(argv[1]) != NULL)
		return 1;
	int k = cmd_options_skip(argc, argv);
	return k > 0 && k < argc && cmd_find(argv[k]) != NULL ? k : 0;
}

/* argv with the command's name first, its source options (argv[1..k-1])
 * after it: before a "--" for a CMD_PASSTHROUGH command. */
static char **
cmd_arrange(const struct cmd *cmd, int argc, char **argv, int k, int *n)
{
	char **args = xcalloc((size_t)argc + 2, sizeof *args);

	*n = 0;
	args[(*n)++] = argv[k];
	for (int i = 1; i < k; i++)
		args[(*n)++] = argv[i];
	if (cmd->flags & CMD_PASSTHROUGH)
		args[(*n)++] = "--";
	for (int i = k + 1; i < argc; i++)
		args[(*n)++] = argv[i];
	args[*n] = NULL;
	return args;
}

int
cmd_run(int argc, char **argv, int k)
{
	const struct cmd *cmd = k > 0 ? cmd_find(argv[k]) : cmd_default();
	struct cmd_ctx cc = {
		.cmd = cmd,
		.name = cmd->flags & CMD_UNNAMED ? NULL : cmd->name,
	};

	if (k == 0)
		return cmd->run(&cc, argc, argv);
	int n;
	char **args = cmd_arrange(cmd, argc, argv, k, &n);
	int rc = cmd->run(&cc, n, args);
	free(args);
	return rc;
}

int
cmd_help(const struct cmd *cmd, FILE *out)
{
	fputs(cmd->syntax->usage, out);
	cmd_options_help(out, cmd->syntax->options);
	fputs(cmd->syntax->tail, out);
	return cmd_flush(out);
}

void
cmd_list(FILE *out)
{
	for (size_t i = 0; i < CMD_COUNT; i++)
		if (!(cmd_table[i].flags & CMD_UNNAMED))
			fprintf(out, "  %-10s %s\n", cmd_table[i].name, cmd_table[i].summary);
}

void
cmd_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("fathom: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("fathom: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'fathom %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_ERROR;
}

int
cmd_flush(FILE *out)
{
	if (fflush(out) != 0 || ferror(out)) {
		cmd_error("cannot write the output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return 0;
}
