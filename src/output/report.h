/* report: the analysis report and the CI gate's verdict, as dive prints it
 * (Analysis, Inefficient Files, Evaluation) plus fathom's reclaimable bytes,
 * in each format of OUTPUT_FORMATS (output.h): report_NAME.c writes format
 * NAME. Here: what they all read, and the pieces they share. Reads the
 * model and the analysis. */
#ifndef FATHOM_REPORT_H
#define FATHOM_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/advice.h"
#include "analysis/rules.h"
#include "analysis/waste.h"
#include "image/image.h"
#include "output/output.h"
#include "util/jsonw.h"

/* The rows of the tables on the HTML page (fathom report's --top default,
 * and --report's). */
#define REPORT_HTML_TOP 100

struct report {
	const struct image *img;
	const struct waste *waste;
	const struct advice *advice;		/* NULL: none */
	const struct rules *rules;		/* NULL: no evaluation (not CI) */
	const struct rule_result *results;	/* RULE_COUNT of them */
	const char *config;			/* the rules file, NULL: defaults */
	size_t top;				/* rows per table */
	int color;				/* ANSI colours (text only) */
};

/* Each format's writer, report_NAME_write(out, r): returns 0, or -1 when
 * writing failed. */
#define REPORT_DECLARE(id, name, help) \
	int report_##name##_write(FILE *out, const struct report *r);
OUTPUT_FORMATS(REPORT_DECLARE)
#undef REPORT_DECLARE

/* Writes the report in format fmt; returns 0, or -1 when writing failed. */
int report_write(FILE *out, enum output_format fmt, const struct report *r);

/* Writes the analysis (and the rules' results) as members of the JSON
 * object being written: the CI report's body and the export's "fathom". */
void report_json_analysis(struct jsonw *j, const struct report *r);

/* "PASS", "FAIL", "SKIP", "WARN" by enum rule_status. */
extern const char *const report_status_names[4];
/* Sentences for a rule's result ("too many bytes wasted, ..."). */
const char *report_rule_reason(int rule);
/* A rule's value or threshold as text: bytes as integers, ratios exactly. */
void report_rule_number(int rule, double v, char *buf, size_t len);
/* Rule i's value against its threshold ("0.98 >= 0.9"), the value alone
 * when the rule is disabled ("32025"; owned). */
char *report_comparison(const struct report *r, int i);
/* How many rules passed, failed, were skipped, warned. */
void report_counts(const struct report *r, int *pass, int *fail, int *skip, int *warn);
/* The verdict line: "FAIL [pass:1 fail:1 skip:3]" (owned). */
char *report_verdict(const struct report *r);
/* "3->4, 4->9": which layers wrote a path's hidden bytes, and which hid
 * them (owned). */
char *report_writes(const struct report *r, const struct waste_path *p);
/* The rows a table of n shows: r->top at most. */
size_t report_rows(const struct report *r, size_t n);
/* A finding's saving for a table: "-" for those that save no bytes. */
void report_saving(const struct advice_finding *f, char *buf, size_t len);

#endif
