/* html: `fathom report`: the analysis as one self-contained HTML file
 * (inline CSS, JavaScript and SVG; nothing fetched): header figures, the CI
 * rules when run in CI, a bar per layer with its hidden bytes, a treemap of
 * the final filesystem coloured by layer (directories drawn inside their
 * parents, small files aggregated), the
 * inefficient files, the advice and the ONBUILD triggers. The summary and
 * the tables are plain HTML; the script adds the treemap, zooming, the
 * layer details and sorting. Reads the model and the analysis. */
#ifndef FATHOM_HTML_H
#define FATHOM_HTML_H

#include <stdio.h>

#include "output/report.h"

/* Directories and files kept in the treemap: one is aggregated with its
 * smaller siblings when it holds less than 1/HTML_TREEMAP_SHARE of the
 * image, or is past the HTML_TREEMAP_CHILDREN largest of its directory, or
 * deeper than HTML_TREEMAP_DEPTH, or past HTML_TREEMAP_NODES in all (about
 * 50 bytes each: the report stays under 10 MB whatever the image). */
#define HTML_TREEMAP_SHARE 20000
#define HTML_TREEMAP_CHILDREN 200
#define HTML_TREEMAP_DEPTH 48
#define HTML_TREEMAP_NODES 100000

/* Writes the report of r (its rules when r->rules is set). Returns 0, or -1
 * when writing failed. */
int html_write(FILE *out, const struct report *r);

#endif
