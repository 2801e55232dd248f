/* cmd: the subcommands: one table of them (CMD_LIST), the option groups
 * they share (options.c), one call that loads and analyses their image
 * (image.c). Here, and only here, errors are printed and exit statuses
 * chosen: 0 done, 1 a CI rule failed (diff: different), 2 any error. */
#ifndef FATHOM_CMD_H
#define FATHOM_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/advice.h"
#include "analysis/dockerfile.h"
#include "analysis/fixcheck.h"
#include "analysis/fixplan.h"
#include "analysis/histmap.h"
#include "analysis/rules.h"
#include "analysis/waste.h"
#include "image/image.h"
#include "output/fixreport.h"
#include "output/output.h"
#include "source/source.h"

#define EXIT_ERROR 2

struct cmd_ctx;

/* One line of a command's options: an option, a line of text under them,
 * or a group's rows in their place. */
struct cmd_option {
	int id;				/* what getopt returns: a group's
					 * CMD_OPT_*, or the command's own (its
					 * letter, or from CMD_OPT_OWN) */
	char letter;			/* its short form (-o), or 0 */
	const char *name;		/* its long form, without "--"; NULL: a
					 * line of text under the options */
	const char *arg;		/* its value's name ("N"); NULL: none */
	const char *help;		/* --help's lines, after the column; a
					 * "%zu" in them is value; NULL: the
					 * option is not shown (another says it) */
	size_t value;			/* its default (--top's, --base-layers') */
	int column;			/* where help starts, after "  " (0: 21) */
	const struct cmd_option *group;	/* a group: its rows go here */
};

/* A command's own option (its id: what its option callback gets), with its
 * value's name (NULL: none) and help; one that is also -LETTER (its id);
 * a line of text under the options. A table ends with { 0 }. */
#define CMD_OPTION(id, name, arg, help) { id, 0, name, arg, help, 0, 0, NULL }
#define CMD_OPTION_LETTER(letter, name, arg, help) \
	{ letter, letter, name, arg, help, 0, 0, NULL }
#define CMD_OPTION_TEXT(help) { 0, 0, NULL, NULL, help, 0, 0, NULL }

/* The groups' options: parsed in options.c into struct cmd_ctx. */
enum cmd_opt_id {
	CMD_OPT_HELP = 'h',
	CMD_OPT_SOURCE = 256, CMD_OPT_PLATFORM, CMD_OPT_IMAGE, CMD_OPT_JOBS,
	CMD_OPT_INSECURE, CMD_OPT_VERIFY, CMD_OPT_NO_VERIFY, CMD_OPT_MAX_LAYER_BYTES,
	CMD_OPT_TIMEOUT, CMD_OPT_PROGRESS, CMD_OPT_NO_CACHE, CMD_OPT_CACHE_SIZE,
	CMD_OPT_FORMAT, CMD_OPT_TOP, CMD_OPT_BASE_LAYERS,
	CMD_OPT_RULE = 384,		/* + enum rule_id: the rules' options */
	CMD_OPT_OWN = 512		/* a command's own ids, past its letters */
};

/* The groups, for a command's table of options (in --help's order).
 * Every command takes the source options (and --help): */
extern const struct cmd_option cmd_options_source[];
#define CMD_OPTION_SOURCE { .group = cmd_options_source }
/* --format text|json (the first two of OUTPUT_FORMATS); json says what
 * json writes: */
#define CMD_OPTION_FORMAT(json) \
	{ CMD_OPT_FORMAT, 0, "format", "text|json", "text (default), or " json, 0, 0, NULL }
#define CMD_JSON_LINES "JSON lines (an object a line)"
#define CMD_JSON_DOCUMENT "one JSON document"
/* --top N (SIZE_MAX for 0: all), its default in the help as "%zu": */
#define CMD_OPTION_TOP(def, help) { CMD_OPT_TOP, 0, "top", "N", help, def, 0, NULL }
/* An option per CI rule (their values in cmd_ctx.rule_value; loaded by
 * cmd_rules_load): */
extern const struct cmd_option cmd_options_rules[];
#define CMD_OPTION_RULES { .group = cmd_options_rules }
/* --base-layers N: */
#define CMD_OPTION_BASE_LAYERS                                                \
	{ CMD_OPT_BASE_LAYERS, 0, "base-layers", "N",                           \
	  "the first N layers are the base image (default %zu)", 1, 0, NULL }

/* A command's own option: -1 when parsing goes on, else the exit status to
 * return now (after a usage error). state is the command's. */
typedef int cmd_option_fn(struct cmd_ctx *cc, void *state, int id, const char *arg);

/* A row of the table of commands (CMD_LIST). A command is run with argv[0]
 * its name; the source options that came before the name are moved after
 * it, so it parses them as its own, or, for a CMD_PASSTHROUGH command
 * (build: what follows its name is another program's), before a "--":
 * argv is NAME [OPTIONS...] -- ARGS... */
struct cmd {
	const char *name;
	int (*run)(struct cmd_ctx *cc, int argc, char **argv);
	const struct cmd_syntax *syntax;
	unsigned flags;
	const char *summary;		/* its line in `fathom --help` */
};
#define CMD_ONE_IMAGE 1			/* takes one IMAGE, nothing else */
#define CMD_PASSTHROUGH 2		/* options end at the first other word */
#define CMD_UNNAMED 4			/* the analysis: run when no command is
					 * named; `help analyze` (or ci) */

/* What a command takes, and its --help: usage, the options' lines, tail. */
struct cmd_syntax {
	const char *usage;		/* the usage and what it does */
	const struct cmd_option *options;	/* its own and its groups */
	const char *tail;		/* after the options: exit statuses */
};

/* A command's run: its row, the groups' values, its operands. */
struct cmd_ctx {
	const struct cmd *cmd;		/* borrowed: its row */
	const char *name;		/* for messages: NULL for the analysis */
	int noperands;			/* the words after the options, */
	char **operands;		/* once parsed */
	struct source_opts source;	/* the source group */
	int progress;			/* --progress */
	enum output_format format;	/* --format: OUTPUT_TEXT or OUTPUT_JSON */
	size_t top;			/* --top; SIZE_MAX: all */
	size_t base_layers;		/* --base-layers */
	const char *rule_value[RULE_COUNT];	/* the rules' options, or NULL */
};

/* The table of commands, in `fathom --help`'s order: NAME, flags, its line
 * in `fathom --help`. Each is cmd_NAME() and cmd_NAME_syntax, in
 * src/cmd/NAME.c; cmd.c makes the table of struct cmd from this list. */
#define CMD_LIST(X)                                                              \
	X(analyze, CMD_ONE_IMAGE | CMD_UNNAMED, NULL)                            \
	X(files, CMD_ONE_IMAGE,                                                  \
	  "the filesystem of the image after a layer, or a layer's changes")     \
	X(history, CMD_ONE_IMAGE,                                                \
	  "the image's history, like docker history")                            \
	X(advise, CMD_ONE_IMAGE,                                                 \
	  "what to change to make the image smaller, with the bytes each saves") \
	X(inspect, CMD_ONE_IMAGE,                                                \
	  "the image's config, readable; ONBUILD triggers flagged")              \
	X(diff, 0,                                                               \
	  "what changed between two images: sizes, layers, config, packages, files") \
	X(report, CMD_ONE_IMAGE,                                                 \
	  "one self-contained HTML file: layers, treemap, waste, advice")        \
	X(squash, CMD_ONE_IMAGE,                                                 \
	  "write the image with its top layers merged into one, nothing wasted") \
	X(extract, 0,                                                            \
	  "write paths of the image into a directory, like docker cp")           \
	X(fix, 0,                                                                \
	  "write the Dockerfile with the advice's safe edits made; --verify rebuilds") \
	X(build, CMD_PASSTHROUGH,                                                \
	  "docker build (or podman, buildah), then the analysis of the result") \
	X(scan, 0,                                                               \
	  "many images at once: a row each, the layers they share, totals")     \
	X(cache, 0,                                                              \
	  "the layer cache: list it, prune it, clear it")

#define CMD_DECLARE(name, flags, summary)                                      \
	extern const struct cmd_syntax cmd_##name##_syntax;                     \
	int cmd_##name(struct cmd_ctx *cc, int argc, char **argv);
CMD_LIST(CMD_DECLARE)
#undef CMD_DECLARE

/* The command called name (not the analysis), or NULL. */
const struct cmd *cmd_find(const char *name);
/* The analysis, run when no command is named. */
const struct cmd *cmd_default(void);
/* Where the command's name is in argv, after the source options that may
 * come before it; 0 when there is none (the analysis). */
int cmd_position(int argc, char **argv);
/* Runs the command at argv[k] (argv[1..k-1] its source options), or with
 * k 0 the analysis on argv. Returns the exit status. */
int cmd_run(int argc, char **argv, int k);
/* Prints cmd's --help on out; returns cmd_flush's status. */
int cmd_help(const struct cmd *cmd, FILE *out);
/* Prints the commands' lines of `fathom --help`. */
void cmd_list(FILE *out);

/* Prints "fathom: MESSAGE" on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message and a pointer to cmd's --help (cmd NULL:
 * fathom's); returns EXIT_ERROR. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Flushes out; returns 0, or EXIT_ERROR after saying why. */
int cmd_flush(FILE *out);

/* Parses argv's options (options.c): the groups' into cc, the command's
 * own through own (NULL: none) with state; then the operands go to
 * cc->operands (with CMD_ONE_IMAGE: exactly one). Returns -1 when the
 * command goes on, else the exit status to return (0 after --help). */
int cmd_options_parse(struct cmd_ctx *cc, int argc, char **argv, cmd_option_fn *own,
                      void *state);
/* Prints the options' lines of --help. */
void cmd_options_help(FILE *out, const struct cmd_option *options);
/* The index of the first word after the source options at argv[1..]; 0
 * when another option comes first, or "--". */
int cmd_options_skip(int argc, char **argv);
/* Parses a non-negative decimal number; returns 0 or -1. */
int cmd_options_number(const char *s, size_t *out);

/* An image loaded for a command (image.c), with what it asked for. */
struct cmd_image {
	struct image *img;		/* owned */
	struct waste waste;		/* with CMD_IMAGE_WASTE or _ADVICE */
	struct advice advice;		/* with CMD_IMAGE_ADVICE or _TRIGGERS */
	unsigned what;
};
#define CMD_IMAGE_WASTE 1		/* the waste analysis (--base-layers) */
#define CMD_IMAGE_ADVICE 2		/* the waste analysis and the advice */
#define CMD_IMAGE_TRIGGERS 4		/* the ONBUILD triggers alone */
#define CMD_IMAGE_LAYERS 8		/* an image without layers is an error */
#define CMD_IMAGE_SPOOL 16		/* file bytes are read again: a streamed
					 * image is spooled (source_opts.spool) */
#define CMD_IMAGE_QUIET 32		/* progress only with --progress (CI) */
#define CMD_IMAGE_METADATA 64		/* the manifests and config only: the
					 * layers are listed, never read */
#define CMD_IMAGE_SIZES 128		/* the layers' sizes only: their entries
					 * are never put in the model */

/* Loads spec with cc's source options, showing progress, printing its
 * warnings, then analyses it as what asks. Returns 0, or EXIT_ERROR
 * (printed; nothing left to close). */
int cmd_image_open(const struct cmd_ctx *cc, const char *spec, unsigned what,
                   struct cmd_image *ci);
/* Frees what cmd_image_open made; a zeroed ci is a no-op. */
void cmd_image_close(struct cmd_image *ci);
/* Checks the layer a command was given (*layer, when given; else the top
 * is set) against img's; 0, or EXIT_ERROR after saying why (also for an
 * image without layers). */
int cmd_image_layer(const struct image *img, int given, size_t *layer);

/* A Dockerfile read with its image (dockerfile.c): parsed, the image's
 * history mapped to its lines, the fix planned. */
struct cmd_dockerfile {
	char *data;			/* owned: the file's bytes */
	size_t len;
	struct dockerfile df;
	struct histmap map;
	struct fix_plan plan;
	char *ignore;			/* owned: the context's .dockerignore, or NULL */
	char *ignore_path;		/* owned: where it is, or NULL */
	struct fixreport_df x;		/* the three, for the outputs */
};

/* Reads path, maps ci's history (its advice analysed) to it and plans
 * the fix; context (NULL: none) is the build context, whose .dockerignore
 * (or PATH.dockerignore) the plan reads. Returns 0, or EXIT_ERROR after
 * saying why (nothing to close). */
int cmd_dockerfile_open(const char *path, const char *context, const struct cmd_image *ci,
                        struct cmd_dockerfile *d);
void cmd_dockerfile_close(struct cmd_dockerfile *d);
/* The directory a Dockerfile is in, its default build context (owned). */
char *cmd_dockerfile_dir(const char *path);

/* Builds with engine (docker, podman, buildah; build.c): ENGINE build
 * --iidfile F ARGS..., its output on stderr. Returns 0 with *spec, the
 * image built as a source ("podman://ID", owned), or EXIT_ERROR after
 * saying why. */
int cmd_build_image(const char *engine, char **args, int nargs, char **spec);
/* The engine to build with when none is named: docker when its engine
 * answers, else the first of podman, buildah on PATH, else docker. */
const char *cmd_build_engine(void);

/* The CI rules (rules.c): the defaults, then config (NULL: .fathom-ci or
 * .dive-ci in the current directory, if there is one), then cc's rule
 * options; *config_path is the file read, or NULL. Returns 0, or
 * EXIT_ERROR after saying why (rules still to be freed). */
int cmd_rules_load(const struct cmd_ctx *cc, const char *config, struct rules *rules,
                   const char **config_path);

/* Loading progress on stderr (progress.c): on a terminal unless quiet, or
 * anywhere when wanted (--progress). */
void cmd_progress_start(struct source_opts *opts, int wanted, int quiet);
/* Takes the progress lines away once the image is loaded. */
void cmd_progress_end(void);

/* Writes a result file through write(out, ctx) (write.c): "-" is stdout;
 * otherwise a temporary file beside path, renamed to path only when
 * complete, removed on failure. Returns 0, or EXIT_ERROR after saying why. */
int cmd_write_file(const char *path, int (*write)(FILE *out, void *ctx), void *ctx);

#endif
