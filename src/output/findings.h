/* findings: the advice (analysis/advice.h) as `fathom advise` prints it, in
 * text or JSON, and the short forms the CI report and the export use.
 * Reads the model and the analysis. */
#ifndef FATHOM_FINDINGS_H
#define FATHOM_FINDINGS_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/advice.h"
#include "analysis/waste.h"
#include "image/image.h"
#include "output/fixreport.h"
#include "output/output.h"
#include "util/jsonw.h"

/* `fathom advise`: every finding, top paths of each, as text or (with
 * OUTPUT_JSON) one JSON document; with a Dockerfile (dfx, may be NULL),
 * each layer's line and each finding's fixes. */
void findings_print(FILE *out, const struct image *img, const struct waste *w,
                    const struct advice *a, size_t top, enum output_format format,
                    const struct fixreport_df *dfx);
/* The findings as a JSON array value, top paths of each. */
void findings_json(struct jsonw *j, const struct image *img, const struct advice *a,
                   size_t top);
/* One line of a finding for a table: "layers 3->4", "2 triggers, high
 * severity", the detail... (owned). */
char *findings_where(const struct advice_finding *f);

#endif
