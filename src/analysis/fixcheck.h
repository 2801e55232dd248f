/* fixcheck: what a rebuild of a Dockerfile and of its fix (fixplan.h)
 * achieved: each edit's bytes, from the paths it predicted, and whether the
 * two images agree on their config and files but for what the edits
 * removed. Pure: reads the two models and the plan (diff.h compares them);
 * never prints, never reads bytes. */
#ifndef FATHOM_FIXCHECK_H
#define FATHOM_FIXCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/diff.h"
#include "analysis/fixplan.h"
#include "image/image.h"

/* What a rebuild of the original (a) and of the fixed Dockerfile (b)
 * achieved: each edit's bytes, the config and files compared. */
struct fix_check {
	uint64_t *achieved;	/* owned: per item */
	uint64_t size_a, size_b;	/* the images' bytes (their layers') */
	struct diff diff;	/* owned: a's top against b's */
	size_t *config;		/* owned: the config fields that differ and
				 * matter for running it (indexes into
				 * diff.config) */
	size_t nconfig;
	size_t *other;		/* owned: file changes no edit explains
				 * (indexes into diff.changes) */
	size_t nother;
	size_t removed;		/* file changes the edits explain: removed
				 * caches, lists, ignored context files */
	uint64_t removed_bytes;
	size_t noise;		/* content-only changes under /var/log and
				 * /var/cache: every build writes them */
	int same;		/* nothing but the edits and the noise */
};

/* Compares a and b (both loaded; hashed where they share paths), as p
 * predicted. Returns 0, or -1 with *cause (diff's). */
int fixcheck_compare(const struct fix_plan *p, const struct image *a, const struct image *b,
                  struct fix_check *out, char **cause);
void fixcheck_free(struct fix_check *c);

#endif
