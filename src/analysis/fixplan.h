/* fixplan: what to change in a Dockerfile to get the bytes the advice
 * measured, edit by edit: the rewrites that are safe to make mechanically
 * (a later RUN's cleanup moved into the RUN that made the files, the
 * package manager's own flags or cleanup, COPY --chmod/--chown instead of
 * a RUN chmod, .dockerignore lines for build-context files), each with its
 * bytes and the paths they are, and the rest as advice tied to its line.
 * Pure: reads the model, the advice, the parsed Dockerfile and the
 * history's map; never prints, never reads a file. */
#ifndef FATHOM_FIXPLAN_H
#define FATHOM_FIXPLAN_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/advice.h"
#include "analysis/dockerfile.h"
#include "analysis/histmap.h"
#include "image/image.h"

/* id, name, whether it edits (1) or only advises (0). */
#define FIX_LIST(X)                                   \
	X(FIX_MOVE_CLEANUP, "move-cleanup", 1)        \
	X(FIX_CACHE_FLAG, "cache-flag", 1)            \
	X(FIX_CACHE_CLEAN, "cache-clean", 1)          \
	X(FIX_COPY_CHMOD, "copy-chmod", 1)            \
	X(FIX_FOLD_CHMOD, "fold-chmod", 1)            \
	X(FIX_DOCKERIGNORE, "dockerignore", 1)        \
	X(FIX_ADVICE, "advice", 0)
#define FIX_ENUM(id, name, edits) id,
enum fix_kind { FIX_LIST(FIX_ENUM) FIX_KINDS };
#undef FIX_ENUM
extern const char *const fix_kind_names[FIX_KINDS];
extern const int fix_kind_edits[FIX_KINDS];

/* A path an item saves bytes on (absolute), with the bytes predicted. */
struct fix_path {
	char *path;		/* owned */
	uint64_t bytes;
};

struct fix_item {
	enum fix_kind kind;
	size_t finding;		/* its advice finding, or SIZE_MAX */
	size_t instr;		/* the instruction edited, or advised about;
				 * SIZE_MAX: none (a layer without a line) */
	size_t from;		/* move-cleanup, fold-chmod, copy-chmod: the
				 * RUN the command came from; else SIZE_MAX */
	int drops;		/* from goes: nothing else was in it */
	uint64_t bytes;		/* the saving predicted */
	char *what;		/* owned: the edit, or the advice, in words */
	char *ignore;		/* owned: dockerignore: its line */
	struct fix_path *paths;	/* owned: what it saves, by path */
	size_t npaths, cpaths;
	char **under;		/* owned: directories (absolute, no trailing
				 * slash) whose contents it removes */
	size_t nunder, cunder;
	size_t seq;		/* the order it was planned in */
	size_t *also;		/* owned: other findings it serves (their
				 * paths joined it), or NULL */
	size_t nalso;
};

/* A change of the Dockerfile's bytes: [start, end) becomes text. */
struct fix_edit {
	size_t start, end;
	char *text;		/* owned */
	size_t instr;		/* the instruction it is in */
	int drop;		/* the instruction's lines go whole */
};

struct fix_plan {
	struct fix_item *items;	/* owned: edits first (by line), then advice */
	size_t count, cap;
	struct fix_edit *edits;	/* owned: by start, none overlapping */
	size_t nedits, cedits;
	int syntax;		/* a `# syntax=docker/dockerfile:1` line goes
				 * first (COPY --chmod needs BuildKit's) */
	uint64_t bytes;		/* the edits' savings together */
	uint64_t advised;	/* the advice's */
};

/* What the planner knows besides the model: the .dockerignore already in
 * the build context (its lines, NUL-terminated, borrowed; NULL: none). */
struct fix_context {
	const char *dockerignore;
};

/* Plans the fix of df for img (advice a, history mapped by m). */
void fixplan_make(const struct image *img, const struct advice *a, const struct dockerfile *df,
                  const struct histmap *m, const struct fix_context *ctx, struct fix_plan *out);
void fixplan_free(struct fix_plan *p);

/* Whether item i serves finding f (its own, or one whose paths joined it). */
int fixplan_serves(const struct fix_plan *p, size_t i, size_t f);

#endif
