/* fixreport: what `fathom fix` says (its edits and advice with their lines
 * and bytes; with --verify, each edit's predicted and achieved bytes, the
 * totals, the config and files compared), and the Dockerfile lines that
 * `fathom advise --dockerfile` adds to each finding. Text or JSON; reads
 * the model, the plan and the check. */
#ifndef FATHOM_FIXREPORT_H
#define FATHOM_FIXREPORT_H

#include <stdio.h>

#include "analysis/dockerfile.h"
#include "analysis/fixcheck.h"
#include "analysis/fixplan.h"
#include "analysis/histmap.h"
#include "image/image.h"
#include "output/output.h"
#include "util/jsonw.h"

/* A Dockerfile read with an image: its instructions, the history's map
 * and the plan (all borrowed). */
struct fixreport_df {
	const struct dockerfile *df;
	const struct histmap *map;
	const struct fix_plan *plan;
};

/* advise: layer k's line ("Dockerfile:4 RUN apt-get update", "Dockerfile:1
 * FROM debian (the base image)"), owned; NULL when it has none. */
char *fixreport_layer_line(const struct fixreport_df *x, size_t k);
/* advise: finding f's fixes, a line each ("   fix Dockerfile:4: ..."). */
void fixreport_finding_text(FILE *out, const struct fixreport_df *x, size_t f);
/* advise --format json: layer k's "dockerfile" value (null: no line). */
void fixreport_layer_json(struct jsonw *j, const struct fixreport_df *x, size_t k);
/* advise --format json: the "history" array: each history entry, empty
 * ones too, with its layer and its line (the base image's: its FROM). */
void fixreport_history_json(struct jsonw *j, const struct fixreport_df *x,
                            const struct image *img);
/* advise --format json: finding f's "fixes" array. */
void fixreport_finding_json(struct jsonw *j, const struct fixreport_df *x, size_t f);

/* What fix did, for its report. */
struct fixreport_run {
	const char *output;		/* where the fixed Dockerfile went ("-":
					 * stdout) */
	const char *ignore;		/* where .dockerignore went, or NULL */
	const struct fix_check *check;	/* --verify's, or NULL */
	const char *engine;		/* --verify's builder */
};

/* fix: the edits, the .dockerignore lines, the advice; with a check, per
 * edit the predicted and achieved bytes, the totals, the config and the
 * files of the two builds compared. One JSON document with OUTPUT_JSON. */
void fixreport_print(FILE *out, const struct fixreport_df *x, const struct fixreport_run *r,
                     enum output_format format);

#endif
