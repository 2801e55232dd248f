/* test_dockerfile: the Dockerfile parser (directives, comments,
 * continuations, heredocs, exec forms, flags, stages, substitution, spans
 * and the offsets edits use, errors) and the shell command splitter. */
#include <stdio.h>

#include "testutil.h"
#include "analysis/dockerfile.h"
#include "analysis/shellcmd.h"

static struct dockerfile df;

static void
parse(const char *text)
{
	char *cause = NULL;

	if (dockerfile_parse("Dockerfile", text, strlen(text), &df, &cause) != 0)
		fail_msg("%s", cause);
}

static char *
parse_error(const char *text, size_t len)
{
	char *cause = NULL;

	assert_int_equal(dockerfile_parse("Dockerfile", text, len, &df, &cause), -1);
	assert_non_null(cause);
	return cause;
}

/* The file bytes from instruction i's text position a to b. */
static char *
file_span(const char *text, size_t i, size_t a, size_t b)
{
	size_t x = dockerfile_offset(&df.instrs[i], a), y = dockerfile_offset(&df.instrs[i], b);
	return xstrndup(text + x, y - x);
}

static void
continuations_join_lines_and_drop_comments_inside(void **state)
{
	const char *t = "FROM debian\n"
	                "# a comment\n"
	                "\n"
	                "RUN apt-get update && \\\n"
	                "# inside\n"
	                "\n"
	                "    apt-get install -y make \\  \n"
	                "    && rm -rf /var/lib/apt/lists/*\n"
	                "CMD x\n";
	(void)state;
	parse(t);
	assert_int_equal(df.count, 3);
	const struct df_instr *r = &df.instrs[1];
	assert_int_equal(r->kind, DF_RUN);
	assert_string_equal(r->text, "apt-get update &&     apt-get install -y make     && rm -rf "
	                             "/var/lib/apt/lists/*");
	assert_int_equal(r->line, 4);
	assert_int_equal(r->column, 1);
	assert_int_equal(r->end_line, 8);
	assert_int_equal(r->end_column, 35);
	assert_int_equal(r->line_start, strstr(t, "RUN") - t);
	assert_int_equal(r->line_end, strstr(t, "CMD") - t);
	/* text positions back to the file: across the dropped lines */
	char *s = file_span(t, 1, 15, r->text_len);
	assert_string_equal(s, "&& \\\n# inside\n\n    apt-get install -y make \\  \n"
	                       "    && rm -rf /var/lib/apt/lists/*");
	free(s);
	s = dockerfile_summary(&df, 1);
	assert_string_equal(s, "RUN apt-get update && apt-get install -y make && rm -rf "
	                       "/var/lib/apt/lists/*");
	free(s);
	assert_int_equal(df.instrs[2].line, 9);
	dockerfile_free(&df);
}

static void
directives_escape_and_syntax(void **state)
{
	const char *t = "# syntax=docker/dockerfile:1\n"
	                "# escape=`\n"
	                "FROM mcr.microsoft.com/windows\n"
	                "RUN dir c:\\ `\n"
	                "    && echo done\n";
	(void)state;
	parse(t);
	assert_int_equal(df.escape, '`');
	assert_int_equal(df.syntax, 1);
	assert_int_equal(df.directives_end, strstr(t, "FROM") - t);
	assert_string_equal(df.instrs[1].text, "dir c:\\     && echo done");
	dockerfile_free(&df);
	/* after a comment, a directive is a comment */
	parse("# hello\n# escape=`\nFROM a\nRUN x \\\n  y\n");
	assert_int_equal(df.escape, '\\');
	assert_int_equal(df.syntax, 0);
	assert_string_equal(df.instrs[1].text, "x   y");
	dockerfile_free(&df);
	char *c = parse_error("# escape=x\nFROM a\n", 18);
	assert_string_equal(c, "Dockerfile:1: the escape directive wants \\ or `");
	free(c);
}

static void
heredocs(void **state)
{
	const char *t = "FROM a\n"
	                "RUN <<EOF\n"
	                "apt-get update\n"
	                "rm -rf /var/lib/apt/lists/*\n"
	                "EOF\n"
	                "RUN <<-\"END\" bash\n"
	                "\tset -e\n"
	                "\techo $HOME\n"
	                "\tEND\n"
	                "COPY <<A <<B /etc/\n"
	                "a\n"
	                "A\n"
	                "b\n"
	                "B\n"
	                "CMD y\n";
	(void)state;
	parse(t);
	assert_int_equal(df.count, 5);
	const struct df_instr *r = &df.instrs[1];
	assert_int_equal(r->nheredocs, 1);
	assert_string_equal(r->heredocs[0].name, "EOF");
	assert_string_equal(r->heredocs[0].body, "apt-get update\nrm -rf /var/lib/apt/lists/*\n");
	assert_int_equal(r->heredocs[0].body_start, strstr(t, "apt-get") - t);
	assert_int_equal(r->heredocs[0].end_start, strstr(t, "EOF\nRUN") - t);
	assert_int_equal(r->line, 2);
	assert_int_equal(r->end_line, 5);
	assert_int_equal(r->line_end, strstr(t, "RUN <<-") - t);
	r = &df.instrs[2];
	assert_int_equal(r->heredocs[0].chomp, 1);
	assert_int_equal(r->heredocs[0].quoted, 1);
	assert_string_equal(r->heredocs[0].name, "END");
	assert_string_equal(r->heredocs[0].body, "set -e\necho $HOME\n");
	r = &df.instrs[3];
	assert_int_equal(r->nheredocs, 2);
	assert_string_equal(r->heredocs[0].body, "a\n");
	assert_string_equal(r->heredocs[1].body, "b\n");
	assert_int_equal(r->end_line, 14);
	assert_int_equal(df.instrs[4].line, 15);
	dockerfile_free(&df);
	/* not closed: the line it ends on, and the one it began */
	char *c = parse_error("FROM a\nRUN <<EOF\nx\n", 19);
	assert_string_equal(c, "Dockerfile:3: the heredoc <<EOF of line 2 is not closed");
	free(c);
	/* cat<<EOF is no heredoc marker (a word of its own is) */
	parse("FROM a\nRUN cat<<EOF\nCMD x\n");
	assert_int_equal(df.instrs[1].nheredocs, 0);
	assert_int_equal(df.count, 3);
	dockerfile_free(&df);
}

static void
exec_forms_and_flags(void **state)
{
	(void)state;
	parse("FROM --platform=linux/amd64 a AS b\n"
	      "RUN --mount=type=cache,target=/root/.cache --network=none pip install x\n"
	      "RUN [\"sh\", \"-c\", \"echo hi\"]\n"
	      "CMD [\"a\", 1]\n"
	      "COPY --from=b --chown=1:2 [\"a b\", \"/c/\"]\n"
	      "ENTRYPOINT [\"x\"\n");
	assert_int_equal(df.instrs[0].nflags, 1);
	assert_string_equal(df.instrs[0].flags[0], "--platform=linux/amd64");
	assert_string_equal(df.stages[0].base, "a");
	assert_string_equal(df.stages[0].name, "b");
	const struct df_instr *r = &df.instrs[1];
	assert_int_equal(r->nflags, 2);
	assert_string_equal(r->flags[1], "--network=none");
	assert_string_equal(r->text + r->cmd, "pip install x");
	assert_int_equal(df.instrs[2].json, 1);
	assert_int_equal(df.instrs[2].nwords, 3);
	assert_string_equal(df.instrs[2].words[2], "echo hi");
	assert_int_equal(df.instrs[3].json, 0);	/* not all strings: shell form */
	assert_int_equal(df.instrs[4].json, 1);
	assert_string_equal(df.instrs[4].words[0], "a b");
	assert_int_equal(df.instrs[5].json, 0);
	dockerfile_free(&df);
}

static void
stages_and_substitution(void **state)
{
	(void)state;
	parse("ARG BASE=debian:12\n"
	      "ARG TAG\n"
	      "FROM ${BASE} AS Build\n"
	      "ARG BASE\n"
	      "ENV APP=/srv/app HOME=\"/root dir\" EMPTY=\n"
	      "ENV LEGACY a value\n"
	      "WORKDIR $APP\n"
	      "WORKDIR src/../lib\n"
	      "COPY . ${APP:-/x}/${NOPE:-y}/${APP:+set}/\\$APP\n"
	      "COPY a ${EMPTY:-e} ${EMPTY-f} $NOPE\n"
	      "LABEL a=$BASE 'b c'=\"$HOME\"\n"
	      "FROM build\n"
	      "RUN echo $APP\n"
	      "FROM 0 AS other\n"
	      "FROM scratch\n");
	assert_int_equal(df.nstages, 4);
	assert_int_equal(df.instrs[0].stage, SIZE_MAX);
	assert_string_equal(df.stages[0].base, "debian:12");
	assert_string_equal(df.stages[0].name, "build");
	assert_int_equal(df.stages[0].parent, SIZE_MAX);
	assert_int_equal(df.stages[1].parent, 0);
	assert_int_equal(df.stages[2].parent, 0);	/* by index */
	assert_int_equal(df.stages[3].parent, SIZE_MAX);
	assert_int_equal(df.stages[0].first, 2);
	assert_int_equal(df.stages[0].end, 11);
	const struct df_instr *e = &df.instrs[4];
	assert_int_equal(e->nwords, 3);
	assert_string_equal(e->words[1], "HOME=/root dir");
	assert_string_equal(e->words[2], "EMPTY=");
	assert_string_equal(df.instrs[5].words[0], "LEGACY=a value");
	assert_string_equal(df.instrs[6].workdir, "/srv/app");
	assert_string_equal(df.instrs[7].workdir, "/srv/app/lib");
	assert_string_equal(df.instrs[8].workdir, "/srv/app/lib");
	const struct df_instr *c = &df.instrs[8];
	assert_string_equal(c->words[1], "/srv/app/y/set/$APP");
	assert_int_equal(c->unknown, 0);
	c = &df.instrs[9];
	assert_string_equal(c->words[1], "e");
	assert_int_equal(c->nwords, 2);	/* ${EMPTY-f} and $NOPE: nothing, no word */
	assert_int_equal(c->unknown, 1);
	assert_string_equal(df.instrs[10].words[0], "a=debian:12");
	assert_string_equal(df.instrs[10].words[1], "b c=/root dir");
	/* a RUN sees ENV of the stages it is built on; ARG only its own */
	assert_string_equal(dockerfile_lookup(&df, 12, "APP", 3), "/srv/app");
	assert_null(dockerfile_lookup(&df, 12, "BASE", 4));
	assert_string_equal(dockerfile_lookup(&df, 5, "BASE", 4), "debian:12");
	assert_string_equal(df.instrs[12].workdir, "/srv/app/lib");
	assert_int_equal(dockerfile_stage(&df, "BUILD", 4), 0);
	assert_int_equal(dockerfile_stage(&df, "other", 4), 2);
	assert_int_equal(dockerfile_stage(&df, "other", 2), SIZE_MAX);
	dockerfile_free(&df);
}

static void
paths_against_a_workdir(void **state)
{
	static const char *const cases[][3] = {
		{ "/", ".", "/" }, { "/srv", ".", "/srv" }, { "/srv", "./a//b/", "/srv/a/b" },
		{ "/srv/app", "../x", "/srv/x" }, { "/srv", "/abs/./y/..", "/abs" },
		{ "/", "../../..", "/" }, { "/srv", "*.log", "/srv/*.log" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *p = dockerfile_path(cases[i][0], cases[i][1]);
		if (strcmp(p, cases[i][2]) != 0)
			fail_msg("%s + %s: %s, not %s", cases[i][0], cases[i][1], p, cases[i][2]);
		free(p);
	}
}

static void
crlf_bom_and_keywords(void **state)
{
	const char *t = "\xef\xbb\xbf" "from a\r\nrun x \\\r\n  y\r\nonbuild RUN z\r\nFOO bar\r\n";
	(void)state;
	parse(t);
	assert_int_equal(df.count, 4);
	assert_int_equal(df.instrs[0].kind, DF_FROM);
	assert_string_equal(df.instrs[0].keyword, "from");
	assert_string_equal(df.instrs[1].text, "x   y");
	assert_int_equal(df.instrs[1].end_column, 4);
	assert_int_equal(df.instrs[2].kind, DF_ONBUILD);
	assert_int_equal(df.instrs[3].kind, DF_OTHER);
	char *s = dockerfile_summary(&df, 3);
	assert_string_equal(s, "FOO bar");
	free(s);
	dockerfile_free(&df);
}

static void
errors_name_the_line(void **state)
{
	(void)state;
	char *c = parse_error("FROM a\nRUN x\0y\n", 15);
	assert_string_equal(c, "Dockerfile:2: a NUL byte: not a Dockerfile");
	free(c);
	char *big = xmalloc(DOCKERFILE_MAX_BYTES + 1);
	memset(big, '#', DOCKERFILE_MAX_BYTES + 1);
	c = parse_error(big, DOCKERFILE_MAX_BYTES + 1);
	assert_string_equal(c, "Dockerfile: larger than 1 MiB: not a Dockerfile");
	free(c);
	free(big);
	/* a variable that names itself again and again costs a bounded time */
	struct buf { char *s; size_t n; } b = { xmalloc(1 << 20), 0 };
	b.n += (size_t)sprintf(b.s, "FROM a\n");
	for (int i = 0; i < 9000; i++)
		b.n += (size_t)sprintf(b.s + b.n, "ENV A%d=$B$B$B$B$B$B$B$B\n", i);
	c = parse_error(b.s, b.n);
	assert_non_null(strstr(c, "too many variables to substitute"));
	free(c);
	free(b.s);
}

/* --- the shell's commands -------------------------------------------- */

static const char *
lookup(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	return len == 4 && memcmp(name, "HOME", 4) == 0 ? "/root" : NULL;
}

static void
shell_pieces_and_words(void **state)
{
	const char *s = "apt-get update &&  apt-get install -y 'a b' \"c*\"; rm -rf $HOME/.cache/* "
	                "${HOME} || true\n  echo \\* x=1";
	struct sh_cmd c;
	(void)state;
	shellcmd_split(s, strlen(s), lookup, NULL, &c);
	assert_int_equal(c.complex, 0);
	assert_int_equal(c.count, 4);
	assert_int_equal(c.pieces[0].start, 0);
	assert_int_equal(c.pieces[0].end, 14);
	assert_int_equal(c.pieces[1].start, 19);
	assert_int_equal(c.pieces[1].nwords, 5);
	assert_string_equal(c.pieces[1].words[3], "a b");
	/* each word's bytes in the command, quotes included */
	assert_int_equal(c.pieces[1].wstart[3], 38);
	assert_int_equal(c.pieces[1].wend[3], 43);
	assert_int_equal(c.pieces[1].wend[4], 48);
	assert_string_equal(c.pieces[1].words[4], "c\\*");
	const struct sh_piece *p = &c.pieces[2];
	assert_int_equal(p->flags, SH_OR);
	assert_int_equal(p->or_at, 4);
	assert_string_equal(p->words[2], "/root/.cache/*");
	assert_string_equal(p->words[3], "/root");
	assert_string_equal(p->words[4], "true");
	assert_string_equal(c.pieces[3].words[1], "\\*");
	size_t at;
	assert_string_equal(shellcmd_program(&c.pieces[3], &at), "echo");
	assert_string_equal(c.append, " && ");
	shellcmd_free(&c);
}

static void
shell_what_is_not_cut(void **state)
{
	static const char *const complex[] = {
		"if [ -f x ]; then rm x; fi",
		"for f in a b; do rm $f; done",
		"(cd /x && make)",
		"echo $(date)",
		"echo `date`",
		"{ a; b; }",
		"cat <<EOF",
		"a &&",
		"a &",
	};
	struct sh_cmd c;
	(void)state;
	for (size_t i = 0; i < sizeof complex / sizeof *complex; i++) {
		shellcmd_split(complex[i], strlen(complex[i]), NULL, NULL, &c);
		if (!c.complex)
			fail_msg("not complex: %s", complex[i]);
		shellcmd_free(&c);
	}
	shellcmd_split("a; b # c && d", 13, NULL, NULL, &c);
	assert_int_equal(c.complex, 0);
	assert_int_equal(c.comment, 1);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.pieces[1].end, 4);
	shellcmd_free(&c);
	shellcmd_split("a; b;  ", 7, NULL, NULL, &c);
	assert_string_equal(c.append, " ");
	assert_int_equal(c.count, 2);
	shellcmd_free(&c);
	shellcmd_split("sudo -E env A=1 apt-get clean > /dev/null", 41, lookup, NULL, &c);
	size_t at;
	assert_string_equal(shellcmd_program(&c.pieces[0], &at), "apt-get");
	assert_int_equal(at, 4);
	assert_int_equal(c.pieces[0].flags, SH_REDIRECT);
	assert_int_equal(c.pieces[0].nwords, 7);	/* the redirection's target too */
	shellcmd_free(&c);
	shellcmd_split("rm -rf $NOPE/x", 14, lookup, NULL, &c);
	assert_int_equal(c.pieces[0].flags, SH_UNKNOWN);
	shellcmd_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(continuations_join_lines_and_drop_comments_inside),
		cmocka_unit_test(directives_escape_and_syntax),
		cmocka_unit_test(heredocs),
		cmocka_unit_test(exec_forms_and_flags),
		cmocka_unit_test(stages_and_substitution),
		cmocka_unit_test(paths_against_a_workdir),
		cmocka_unit_test(crlf_bom_and_keywords),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(shell_pieces_and_words),
		cmocka_unit_test(shell_what_is_not_cut),
	};
	return cmocka_run_group_tests_name("dockerfile", tests, NULL, NULL);
}
