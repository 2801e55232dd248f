/* histmap: an image's history entries, and so its layers, matched to the
 * Dockerfile instructions that made them. Reads every builder's form: the
 * classic builder's and buildah's ("/bin/sh -c #(nop) ENV ...", "/bin/sh
 * -c CMD", "|2 A=1 B=2 /bin/sh -c CMD", "COPY dir:HASH in /app"),
 * BuildKit's ("RUN /bin/sh -c CMD # buildkit", "COPY . /app # buildkit",
 * heredocs), kaniko's (the instruction as written). The stage is the one
 * whose instructions (those of the stages it is built FROM first) match
 * best, the last on a tie; the match is an alignment of the two lists, so
 * a squashed or rewritten history maps what it can and the other layers
 * have no line. Pure: never prints. */
#ifndef FATHOM_HISTMAP_H
#define FATHOM_HISTMAP_H

#include <stddef.h>

#include "analysis/dockerfile.h"
#include "image/image.h"

#define HISTMAP_NONE ((size_t)-1)	/* no instruction */
#define HISTMAP_BASE ((size_t)-2)	/* a layer of the base image (FROM) */

struct histmap {
	size_t stage;		/* the stage the image is; HISTMAP_NONE when
				 * no entry matched */
	size_t from;		/* the FROM of the base image (the first
				 * stage of its chain), or HISTMAP_NONE */
	size_t *entry;		/* owned: per history entry: its instruction */
	size_t nentries;
	size_t first;		/* the first entry the Dockerfile made (the
				 * ones before are the base image's) */
	size_t *layer;		/* owned: per layer: its instruction,
				 * HISTMAP_BASE, or HISTMAP_NONE */
	size_t nlayers;
	size_t *made;		/* owned: per instruction: the layer it made,
				 * or HISTMAP_NONE */
	size_t ninstrs;
	size_t unmapped;	/* layers above the base without a line */
};

/* Matches the history entries h[0..n) (layers: the entries without
 * empty_layer, in order; nlayers of them at most) with df's stages. */
void histmap_build(const struct history *h, size_t n, size_t nlayers,
                   const struct dockerfile *df, struct histmap *out);
void histmap_free(struct histmap *m);

/* The instruction that made layer k (HISTMAP_BASE, HISTMAP_NONE). */
size_t histmap_layer(const struct histmap *m, size_t k);

#endif
