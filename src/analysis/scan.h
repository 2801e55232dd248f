/* scan: many images at once (`fathom scan`). Each image is summed up in one
 * row from its own analysis (waste, advice, the rules' results), so the
 * image itself can be freed at once; then the rows are compared: layers
 * deduplicated by digest, the bytes unique to each image and shared with
 * others, the totals and the layers most images share. Pure: reads rows
 * and models, never prints. */
#ifndef FATHOM_ANALYSIS_SCAN_H
#define FATHOM_ANALYSIS_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/advice.h"
#include "analysis/rules.h"
#include "analysis/waste.h"
#include "image/image.h"

/* The columns of a scan, in the table's order: id, name (--sort's word). */
#define SCAN_COLUMNS(X)                    \
	X(SCAN_NAME, "name")               \
	X(SCAN_DIGEST, "digest")           \
	X(SCAN_SIZE, "size")               \
	X(SCAN_LAYERS, "layers")           \
	X(SCAN_EFFICIENCY, "efficiency")   \
	X(SCAN_WASTED, "wasted")           \
	X(SCAN_RECLAIMABLE, "reclaimable") \
	X(SCAN_SAVINGS, "savings")         \
	X(SCAN_ONBUILD, "onbuild")         \
	X(SCAN_UNIQUE, "unique")           \
	X(SCAN_SHARED, "shared")

#define SCAN_ENUM(id, name) id,
enum scan_column { SCAN_COLUMNS(SCAN_ENUM) SCAN_COLUMN_COUNT };
#undef SCAN_ENUM
extern const char *const scan_column_names[SCAN_COLUMN_COUNT];

/* Longest history command a row keeps per layer (bytes, then "..."). */
#define SCAN_COMMAND_MAX 256

/* One layer of an image, as the scan compares them. */
struct scan_layer {
	char *key;		/* owned: its diff_id, else its blob's digest;
				 * NULL: none, so shared with no other image */
	uint64_t size;		/* its files' bytes (dive's layer size) */
	char *command;		/* owned: the history's command on one line,
				 * at most SCAN_COMMAND_MAX bytes; or NULL */
	size_t users;		/* images of the scan that have it (scan_finish) */
};

/* One image's row. */
struct scan_image {
	char *name;		/* owned: as the scan was given it */
	char *digest;		/* owned: the image ID (its config's digest), or NULL */
	char *platform;		/* owned: "os/arch[/variant]", or NULL */
	char *error;		/* owned: why it could not be read; then the
				 * figures below are 0, or NULL */
	uint64_t size;		/* the layers' bytes (waste.image_size) */
	double efficiency;	/* dive's */
	uint64_t wasted;	/* dive's wasted bytes */
	double user_wasted_percent;
	uint64_t reclaimable;	/* what squashing reclaims */
	double reclaimable_percent;
	uint64_t savings;	/* what following the advice saves */
	size_t onbuild;		/* ONBUILD triggers */
	int onbuild_high;	/* some are high severity */
	struct scan_layer *layers;	/* owned: in the image's order */
	size_t nlayers;
	/* the advice's findings, largest first: without their paths or the
	 * triggers' text (ntriggers is kept); layers and detail owned */
	struct advice_finding *findings;
	size_t nfindings;
	int checked;		/* the rules were evaluated (CI) */
	int pass;		/* ... and all passed */
	struct rule_result results[RULE_COUNT];	/* when checked */
	uint64_t unique;	/* bytes of layers no other image has (scan_finish) */
	uint64_t shared;	/* bytes of layers other images have too */
};

/* A layer that two images or more have. */
struct scan_shared {
	const char *key;	/* borrowed from the first image that has it */
	const char *command;	/* borrowed likewise, or NULL */
	uint64_t size;
	size_t users;
	size_t *images;		/* owned: indexes into scan.images, in order */
};

/* The rows and what they share. */
struct scan {
	struct scan_image *images;	/* owned */
	size_t nimages, cimages;
	/* scan_finish: */
	size_t errors;		/* images that could not be read */
	size_t failed;		/* images that failed a rule */
	uint64_t size;		/* the images' sizes summed */
	uint64_t stored;	/* each distinct layer once: what a registry
				 * holding them all stores */
	uint64_t reclaimable, savings, wasted;	/* summed */
	size_t layers, distinct;	/* layers summed, and distinct ones */
	struct scan_shared *shared;	/* owned: most users first, then
					 * largest, then by key */
	size_t nshared;
};

/* What names a layer across images (owned): its diff_id, else its blob's
 * digest; NULL when it has neither. */
char *scan_layer_key(const struct layer *l);
/* Fills row (zeroed; name already set) from img's analysis: w, a, and the
 * rules' results when results is not NULL (pass: whether all passed). */
void scan_image_fill(struct scan_image *row, const struct image *img, const struct waste *w,
                     const struct advice *a, const struct rule_result *results, int pass);
void scan_image_fini(struct scan_image *row);
/* Appends a zeroed row named name (copied); returns it. */
struct scan_image *scan_add(struct scan *s, const char *name);
/* Drops the rows that repeat an earlier one (same name and digest), as
 * when two results of a scan are joined; returns how many went. */
size_t scan_drop_repeats(struct scan *s);

/* Counts each layer's users, each image's unique and shared bytes and the
 * totals; sorts the rows by a column (text in byte order, efficiency
 * lowest first, other numbers largest first; reverse flips it; ties by
 * name, then digest; images that could not be read last); lists the
 * shared layers. Call again after adding rows. */
void scan_finish(struct scan *s, enum scan_column by, int reverse);
void scan_fini(struct scan *s);

/* The column called name, or -1. */
int scan_column_find(const char *name);

/* The share (0 to n-1) an image named name falls in when a scan is split
 * in n (--shard): a hash of the name, so every runner puts an image in
 * the same share whatever else its list holds. */
size_t scan_shard_of(const char *name, size_t n);

#endif
