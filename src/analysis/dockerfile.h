/* dockerfile: a Dockerfile read into instructions the way BuildKit's parser
 * reads it: parser directives (syntax, escape), comments, line
 * continuations, heredocs, exec (JSON) forms, flags, stages, ARG and ENV
 * substitution where the builder makes it. Each instruction keeps its span
 * (lines, columns, bytes) and, for its text, where every byte came from,
 * so that an edit lands in the file in place. The input is untrusted
 * (fuzzed). Pure: never prints, never reads a file. */
#ifndef FATHOM_DOCKERFILE_H
#define FATHOM_DOCKERFILE_H

#include <stddef.h>
#include <stdint.h>

#define DOCKERFILE_MAX_BYTES (1u << 20)
#define DOCKERFILE_MAX_INSTRUCTIONS 10000
#define DOCKERFILE_MAX_STAGES 256

/* The instructions, as written in upper case. */
#define DOCKERFILE_KINDS(X)                                                  \
	X(DF_FROM, "FROM") X(DF_RUN, "RUN") X(DF_CMD, "CMD")                 \
	X(DF_LABEL, "LABEL") X(DF_MAINTAINER, "MAINTAINER")                  \
	X(DF_EXPOSE, "EXPOSE") X(DF_ENV, "ENV") X(DF_ADD, "ADD")             \
	X(DF_COPY, "COPY") X(DF_ENTRYPOINT, "ENTRYPOINT")                    \
	X(DF_VOLUME, "VOLUME") X(DF_USER, "USER") X(DF_WORKDIR, "WORKDIR")   \
	X(DF_ARG, "ARG") X(DF_ONBUILD, "ONBUILD")                            \
	X(DF_STOPSIGNAL, "STOPSIGNAL") X(DF_HEALTHCHECK, "HEALTHCHECK")      \
	X(DF_SHELL, "SHELL")
#define DOCKERFILE_KIND_ENUM(id, name) id,
enum df_kind { DOCKERFILE_KINDS(DOCKERFILE_KIND_ENUM) DF_OTHER };
#undef DOCKERFILE_KIND_ENUM
extern const char *const dockerfile_kind_names[DF_OTHER + 1];

/* A piece of an instruction's text and the file bytes it was: text
 * [text, text + len) is file [file, file + len). */
struct df_seg {
	size_t text, file, len;
};

/* A here-document (RUN, COPY, ADD): `<<EOF`, `<<-EOF`, `<<"EOF"`. */
struct df_heredoc {
	char *name;		/* owned: the delimiter */
	char *body;		/* owned: its lines with their newlines (tabs
				 * cut with <<-) */
	size_t body_start;	/* file offset of its first line */
	size_t end_start;	/* file offset of its delimiter line: what is
				 * inserted there ends the body */
	int chomp;		/* <<- */
	int quoted;		/* <<"EOF" or <<'EOF': no substitution */
};

struct df_instr {
	enum df_kind kind;
	char *keyword;		/* owned: as written ("run") */
	size_t stage;		/* SIZE_MAX: before the first FROM */
	/* Where it is: 1-based lines and columns (bytes), the end column one
	 * past its last byte; heredocs included. */
	uint32_t line, column, end_line, end_column;
	size_t start, end;	/* file bytes: the keyword to its last byte */
	size_t line_start;	/* the start of its first line */
	size_t line_end;	/* past its last line's newline (or the end) */
	size_t args;		/* file offset of the first byte after the
				 * keyword and its blanks */
	char *text;		/* owned: what follows the keyword, its lines
				 * joined (escape and newline dropped, comment
				 * lines inside dropped), heredoc bodies out */
	size_t text_len;
	struct df_seg *segs;	/* owned: text to file, in order */
	size_t nsegs;
	char **flags;		/* owned: the leading --flags (RUN, COPY,
				 * ADD, FROM, HEALTHCHECK), as written */
	size_t nflags;
	size_t cmd;		/* where in text what follows the flags starts */
	int json;		/* exec form: words are the array's strings */
	char **words;		/* owned: what follows the flags as words,
				 * quotes removed; ARG and ENV as KEY=VALUE
				 * (ARG without a value: KEY); ARG, ENV, FROM,
				 * COPY, ADD, WORKDIR, USER, LABEL, EXPOSE,
				 * VOLUME, STOPSIGNAL substituted */
	size_t nwords;
	struct df_heredoc *heredocs;	/* owned */
	size_t nheredocs;
	const char *workdir;	/* borrowed from the WORKDIR that set it
				 * (absolute), or "/" */
	char *wd;		/* owned: WORKDIR's own, absolute */
	int unknown;		/* a substitution named a variable this file
				 * does not set (build args, the base's ENV) */
};

struct df_stage {
	size_t first, end;	/* its instructions [first, end): first is FROM */
	char *name;		/* owned: AS NAME (lower case), or NULL */
	const char *base;	/* borrowed: FROM's image, substituted */
	size_t parent;		/* the stage it is FROM, or SIZE_MAX */
};

struct dockerfile {
	char *path;		/* owned: for messages */
	const char *data;	/* borrowed: the file's bytes */
	size_t len;
	char escape;		/* '\\', or '`' (# escape=`) */
	int syntax;		/* it has a # syntax= directive */
	size_t directives_end;	/* the byte after the directives */
	struct df_instr *instrs;	/* owned */
	size_t count, cap;
	struct df_stage *stages;	/* owned */
	size_t nstages, cstages;
	size_t budget;		/* substitution steps left (hostile files) */
};

/* Reads data (len bytes, borrowed: it must outlive df) into df; path
 * names it in messages. Returns 0, or -1 with *cause ("PATH:LINE: ...")
 * and nothing to free. */
int dockerfile_parse(const char *path, const char *data, size_t len, struct dockerfile *df,
                     char **cause);
void dockerfile_free(struct dockerfile *df);

/* The value of variable name as instruction i sees it (ENV and ARG before
 * it in its stage, ENV of the stages it is built on, global ARG defaults;
 * the value of a RUN's environment), or NULL when this file does not set
 * it. */
const char *dockerfile_lookup(const struct dockerfile *df, size_t i, const char *name,
                              size_t len);

/* The file offset of position pos of instruction i's text (pos ==
 * text_len: the end of its last text byte). */
size_t dockerfile_offset(const struct df_instr *in, size_t pos);

/* The stage whose name (case-insensitive) or index is s, before stage
 * before; SIZE_MAX when none. */
size_t dockerfile_stage(const struct dockerfile *df, const char *s, size_t before);

/* p made absolute against directory base (absolute), "." and ".."
 * resolved, slashes single, no trailing slash but "/" (owned). */
char *dockerfile_path(const char *base, const char *p);

/* The instruction's text on one line, blanks collapsed (owned). */
char *dockerfile_summary(const struct dockerfile *df, size_t i);

#endif
