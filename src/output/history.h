/* history: `fathom history`, like `docker history`: every history entry of
 * the config, newest first, with the layer it made. Reads the model. */
#ifndef FATHOM_HISTORY_H
#define FATHOM_HISTORY_H

#include <stddef.h>
#include <stdio.h>

#include "image/image.h"
#include "output/output.h"

struct history_opts {
	size_t width;		/* cut CREATED BY to fit; 0: never cut */
	enum output_format format;	/* OUTPUT_JSON: JSON lines, else the table */
};

/* Writes the table; returns 0, or -1 when writing failed. */
int history_print(FILE *out, const struct image *img, const struct history_opts *o);

#endif
