/* squash_report: what `fathom squash` says once the image is written: the
 * layers merged, the bytes reclaimed against what the waste analysis
 * predicted, the new layer. Reads the model, the plan and the result. */
#ifndef FATHOM_SQUASH_REPORT_H
#define FATHOM_SQUASH_REPORT_H

#include <stdio.h>

#include "analysis/squash.h"
#include "image/image.h"
#include "output/squash.h"

/* Prints the report on out (stderr when the image went to stdout). */
void squash_report_print(FILE *out, const struct image *img, const struct squash_plan *plan,
                         const struct squash_opts *o, const struct squash_result *r);

#endif
