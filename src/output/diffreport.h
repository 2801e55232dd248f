/* diffreport: `fathom diff` in text or JSON (analysis/diff.h). Reads the two
 * models and the comparison. */
#ifndef FATHOM_DIFFREPORT_H
#define FATHOM_DIFFREPORT_H

#include <stdio.h>

#include "analysis/diff.h"
#include "image/image.h"
#include "output/output.h"

#define DIFFREPORT_TEXT_CHANGES 20	/* changes the summary lists without --files */

struct diffreport_opts {
	enum output_format format;	/* OUTPUT_JSON: one document, else text */
	int files;		/* text: every changed path, not the largest */
};

/* Writes the comparison d of a and b. */
void diffreport_print(FILE *out, const struct image *a, const struct image *b,
                      const struct diff *d, const struct diffreport_opts *o);

#endif
