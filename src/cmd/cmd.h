/* cmd: the subcommands. Each parses its options, loads the image through
 * source/, and hands the model to output/. Here, and only here, errors are
 * printed and exit statuses chosen: 0 done, 1 (later: a CI rule failed),
 * 2 any error. */
#ifndef FATHOM_CMD_H
#define FATHOM_CMD_H

#include <stdio.h>

#include "image/image.h"
#include "source/source.h"

#define EXIT_ERROR 2

/* A command is run with argv[0] its name. The options every command takes
 * (CMD_SOURCE_OPTIONS) that came before the name are moved after it, so
 * each command parses them as its own; for a CMD_PASSTHROUGH command
 * (build: what follows its name is the builder's), they come first and
 * end with "--": argv is NAME [OPTIONS...] -- ARGS... */
#define CMD_PASSTHROUGH 1

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	unsigned flags;			/* CMD_PASSTHROUGH */
};

int cmd_analyze(int argc, char **argv);
int cmd_files(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_squash(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_advise(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

/* Prints "fathom: MESSAGE" on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message and a pointer to --help; returns EXIT_ERROR. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Loads an image, printing its warnings; returns 0 or EXIT_ERROR (printed). */
int cmd_load(const char *spec, const struct source_opts *opts, struct image **img);
/* Checks the layer a command was given (*layer, when given; else the top
 * is set) against img's; 0, or EXIT_ERROR after saying why (also for an
 * image without layers). */
int cmd_layer(const struct image *img, int given, size_t *layer);
/* Loading progress on stderr (src/cmd/progress.c): on a terminal unless
 * quiet, or anywhere when wanted (--progress). */
void cmd_progress_start(struct source_opts *opts, int wanted, int quiet);
/* Takes the progress lines away once the image is loaded. */
void cmd_progress_end(void);
/* Flushes stdout; returns 0, or EXIT_ERROR after saying why. */
int cmd_flush(FILE *out);
/* Writes a result file through write(out, ctx): "-" is stdout; otherwise a
 * temporary file beside path, renamed to path only when complete, removed
 * on failure. Returns 0, or EXIT_ERROR after saying why. */
int cmd_write_file(const char *path, int (*write)(FILE *out, void *ctx), void *ctx);
/* Whether stdout is a terminal that takes colour (NO_COLOR unset). */
int cmd_color(void);
/* Parses a non-negative decimal number; returns 0 or -1. */
int cmd_parse_index(const char *s, size_t *out);

/* What the commands that read one image share. */
struct cmd_common {
	const char *name;		/* the command, for messages */
	const char *help;		/* its --help text */
	struct source_opts source;
	int json;			/* --format json */
	int progress;			/* --progress */
};

/* Long options of struct cmd_common, for a command's option table:
 * the image's source, and --help; with --format for the listings. */
#define CMD_SOURCE_OPTIONS                                      \
	{ "source", required_argument, NULL, 'S' },             \
	{ "platform", required_argument, NULL, 'P' },           \
	{ "image", required_argument, NULL, 'I' },              \
	{ "jobs", required_argument, NULL, 'J' },               \
	{ "insecure", no_argument, NULL, 'K' },                 \
	{ "verify", no_argument, NULL, 'V' },                   \
	{ "no-verify", no_argument, NULL, 'N' },                \
	{ "max-layer-bytes", required_argument, NULL, 'X' },    \
	{ "timeout", required_argument, NULL, 'T' },            \
	{ "progress", no_argument, NULL, 'G' },                 \
	{ "help", no_argument, NULL, 'h' }
#define CMD_COMMON_OPTIONS                                      \
	CMD_SOURCE_OPTIONS,                                     \
	{ "format", required_argument, NULL, 'F' }
#define CMD_COMMON_SHORT ":h"
/* The help of CMD_COMMON_OPTIONS; json says what --format json writes. */
#define CMD_COMMON_HELP(json)                                                 \
	"  --format text|json   text (default), or " json "\n"                  \
	CMD_SOURCE_HELP
#define CMD_JSON_LINES "JSON lines (an object a line)"
#define CMD_JSON_DOCUMENT "one JSON document"
#define CMD_SOURCE_HELP                                                       \
	"  --source KIND        read IMAGE as KIND: docker-archive, oci-archive, oci,\n" \
	"                       docker, podman, registry (default: detected from\n" \
	"                       the content; a name that is no file: docker)\n"  \
	"  --platform OS/ARCH[/VARIANT]\n"                                         \
	"                       the image of an OCI index to read (default: this\n" \
	"                       machine's; one the image lacks is an error)\n"   \
	"  --image REF          the image of a multi-image archive, by tag\n"    \
	"                       (default: the first)\n"                          \
	"  --jobs N             threads reading layers (default: one per core)\n"  \
	"  --insecure           a registry over plain HTTP\n"                   \
	"  --verify             check every blob against its digest and every\n" \
	"                       layer against the config's diff_id (default for\n" \
	"                       registries and engines; --no-verify: never)\n"  \
	"  --timeout SECONDS    a registry or engine that sends nothing for this\n" \
	"                       long fails (default 60)\n"                      \
	"  --max-layer-bytes SIZE\n"                                             \
	"                       refuse a layer larger than SIZE uncompressed\n"  \
	"                       (default 64GiB: a decompression bomb stops there)\n" \
	"  --progress           show loading progress even when not on a terminal\n" \
	"                       or in CI mode\n"

/* Handles what getopt_long returned for a CMD_COMMON_OPTIONS option, or a
 * getopt error. Returns -1 when parsing goes on, else the exit status to
 * return now (0 after --help). */
int cmd_common_option(struct cmd_common *cc, int c, char **argv);
/* The one IMAGE left after the options, or NULL after a usage error. */
const char *cmd_image_arg(const struct cmd_common *cc, int argc, char **argv);

#endif
