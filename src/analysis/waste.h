/* waste: how much of an image is wasted. dive's metrics, to the last digit
 * (efficiency, wasted bytes, user wasted percent, inefficient files), and
 * fathom's honest ones: the bytes squashing would reclaim, and which layer
 * wrote each hidden byte and which layer hid it. Pure: reads the model,
 * never prints. */
#ifndef FATHOM_WASTE_H
#define FATHOM_WASTE_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

/* A path that two or more layers touched (dive's "inefficient file"). */
struct waste_file {
	uint32_t node;
	uint32_t count;		/* layers that touched it */
	uint64_t cumulative;	/* bytes over those layers */
	uint16_t seen_layer;	/* the layer where count reached 2 */
	uint8_t seen_whiteout;	/* ... by a whiteout (for dive's order) */
};

/* Bytes that a layer wrote at a path and that are not in the final
 * filesystem, and the layer that hid them (overwrote or deleted them). */
struct waste_write {
	uint32_t node;
	uint16_t layer, hidden_by;
	uint64_t bytes;
};

/* A path's hidden bytes: writes [first, first + count) of struct waste. */
struct waste_path {
	uint32_t node;
	uint64_t bytes;
	size_t first, count;
};

struct waste {
	/* dive's definitions */
	double efficiency;		/* sum of minimums / sum of cumulatives */
	uint64_t wasted_bytes;		/* cumulative bytes of inefficient files */
	double user_wasted_percent;	/* wasted / user size, 0 when no user size */
	struct waste_file *files;	/* owned: dive's order (largest first) */
	size_t nfiles;
	/* sizes */
	size_t base_layers;		/* layers that count as the base image */
	uint64_t image_size;		/* sum of the layers' tar entry sizes */
	uint64_t user_size;		/* the same without the base layers */
	uint64_t final_size;		/* the top filesystem, hard links once */
	/* fathom's */
	uint64_t reclaimable;		/* image_size - final_size */
	uint64_t user_reclaimable;	/* written by layers above the base */
	double reclaimable_percent;	/* of image_size */
	struct waste_write *writes;	/* owned: grouped by path as in paths */
	size_t nwrites;
	struct waste_path *paths;	/* owned: largest first */
	size_t npaths;
};

/* Analyses a stacked image; base_layers is clamped to the layer count. */
void waste_analyze(const struct image *img, size_t base_layers, struct waste *out);
void waste_fini(struct waste *w);

#endif
