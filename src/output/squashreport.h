/* squashreport: what `fathom squash` says once the image is written: the
 * layers merged, the bytes reclaimed against what the waste analysis
 * predicted, the new layer. Reads the model, the plan and the result. */
#ifndef FATHOM_SQUASHREPORT_H
#define FATHOM_SQUASHREPORT_H

#include <stdio.h>

#include "analysis/squash.h"
#include "image/image.h"
#include "write/squashwrite.h"

/* Prints the report on out (stderr when the image went to stdout). */
void squashreport_print(FILE *out, const struct image *img, const struct squash_plan *plan,
                        const struct squashwrite_opts *o, const struct squashwrite_result *r);

#endif
