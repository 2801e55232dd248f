/* files: `fathom files`: the filesystem after a layer, or what a layer
 * changed, one line per path in byte order of the path. Reads the model. */
#ifndef FATHOM_FILES_H
#define FATHOM_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "image/image.h"
#include "output/output.h"

struct files_opts {
	size_t layer;		/* after this layer (0-based) */
	int changes;		/* only what the layer changed, with a status */
	enum output_format format;	/* OUTPUT_JSON: JSON lines, else tab-separated text */
};

/* Writes the listing; returns 0, or -1 when writing failed. */
int files_print(FILE *out, const struct image *img, const struct files_opts *o);

#endif
