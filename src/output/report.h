/* report: the analysis report and the CI gate's verdict, as dive prints it
 * (Analysis, Inefficient Files, Evaluation) plus fathom's reclaimable bytes;
 * in text, Markdown, JUnit XML or JSON, or dive 0.13.1's own CI text line
 * for line. Reads the model and the analysis. */
#ifndef FATHOM_REPORT_H
#define FATHOM_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/advice.h"
#include "analysis/rules.h"
#include "analysis/waste.h"
#include "image/image.h"
#include "util/jsonw.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_MARKDOWN, REPORT_JUNIT, REPORT_DIVE };

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

/* Parses "text", "json", "markdown", "junit", "dive"; returns 0 or -1. */
int report_parse_format(const char *s, enum report_format *out);
/* Writes the report; returns 0, or -1 when writing failed. */
int report_print(FILE *out, enum report_format fmt, const struct report *r);
/* Writes the analysis (and the rules' results) as members of the JSON
 * object being written: the CI report's body and the export's "fathom". */
void report_json_analysis(struct jsonw *j, const struct report *r);
/* Sentences for a rule's result ("too many bytes wasted, ..."). */
const char *report_rule_reason(int rule);
/* "PASS", "FAIL", "SKIP", "WARN" by enum rule_status. */
extern const char *const report_status_names[4];
/* Rule i's value against its threshold ("0.98 >= 0.9"), the value alone
 * when the rule is disabled ("32025"; owned). */
char *report_comparison(const struct report *r, int i);
/* The verdict line: "FAIL [pass:1 fail:1 skip:3]" (owned). */
char *report_verdict(const struct report *r);

#endif
