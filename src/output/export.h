/* export: `--json FILE`, dive's export schema (layer[] with fileList,
 * image with fileReference) so that tools reading dive's export keep
 * working, and fathom's own figures under one more key, "fathom". Written as
 * it goes: memory follows one layer's entries. */
#ifndef FATHOM_EXPORT_H
#define FATHOM_EXPORT_H

#include <stdio.h>

#include "output/report.h"

/* Writes the export; returns 0, or -1 when writing failed. */
int export_write(FILE *out, const struct report *r);

#endif
