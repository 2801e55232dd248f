/* export: `--json FILE`, dive's export schema (layer[] with fileList,
 * image with fileReference) so that tools reading dive's export keep
 * working, and fathom's own figures under one more key, "fathom". Written as
 * it goes: memory follows one layer's entries. */
#ifndef FATHOM_EXPORT_H
#define FATHOM_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "output/report.h"

/* The bytes the export's fileList paths would take (dive's schema spells
 * out every path in full: a path 100,000 levels deep makes it gigabytes):
 * to refuse an export that cannot be written. */
uint64_t export_paths_bytes(const struct image *img);
#define EXPORT_MAX_PATHS_BYTES (4ull << 30)

/* Writes the export; returns 0, or -1 when writing failed. */
int export_write(FILE *out, const struct report *r);

#endif
