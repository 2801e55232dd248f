/* scan: what `fathom scan` writes from its rows (analysis/scan.h): a text
 * table with the totals, the shared layers, the images failing the rules
 * and those that could not be read; CSV (the rows alone); one JSON
 * document, which scan_json_read reads back to join the results of
 * several runners (--merge); or one self-contained HTML page. Reads the
 * rows only. */
#ifndef FATHOM_OUTPUT_SCAN_H
#define FATHOM_OUTPUT_SCAN_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/rules.h"
#include "analysis/scan.h"

enum scan_format { SCAN_TEXT, SCAN_JSON, SCAN_CSV, SCAN_HTML };

/* What to write, and how. */
struct scan_output {
	const struct scan *s;		/* finished (scan_finish) */
	enum scan_format format;
	size_t top;			/* shared layers listed; SIZE_MAX: all */
	const char *config;		/* the rules file, in CI mode: NULL for
					 * the defaults */
	int ci;				/* the rules were checked */
	int merged;			/* rows joined from results (--merge):
					 * each checked with its own scan's rules */
};

/* Parses "text", "json", "csv", "html"; returns 0 or -1. */
int scan_parse_format(const char *s, enum scan_format *out);
/* Writes o in its format; returns 0, or -1 when writing failed. */
int scan_write(FILE *out, const struct scan_output *o);

/* scan_json.c: the JSON document, and reading one back. */
int scan_json_write(FILE *out, const struct scan_output *o);
/* Appends the rows of a document that scan_json_write wrote (text, len
 * bytes; what names it in messages) to s. Returns 0, or -1 with *cause
 * naming the row and the member at fault. */
int scan_json_read(const char *text, size_t len, const char *what, struct scan *s, char **cause);

/* scan_html.c: the HTML page. */
int scan_html_write(FILE *out, const struct scan_output *o);

/* A rule's result as the reports write it ("0.52 < 0.9"); owned. */
char *scan_rule_comparison(const struct scan_image *row, int rule);

#endif
