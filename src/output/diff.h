/* diff: `fathom diff` in text or JSON (analysis/diff.h). Reads the two
 * models and the comparison. */
#ifndef FATHOM_OUTPUT_DIFF_H
#define FATHOM_OUTPUT_DIFF_H

#include <stdio.h>

#include "analysis/diff.h"
#include "image/image.h"
#include "output/output.h"

#define DIFF_TEXT_CHANGES 20	/* changes the summary lists without --files */

struct diff_opts {
	enum output_format format;	/* OUTPUT_JSON: one document, else text */
	int files;		/* text: every changed path, not the largest */
};

void diff_print(FILE *out, const struct image *a, const struct image *b, const struct diff *d,
                const struct diff_opts *o);

#endif
