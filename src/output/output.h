/* output: the formats fathom writes, in one table (OUTPUT_FORMATS): what
 * --ci-format and every command's --format accept, their help, and the
 * CI report's writer in each. A command's own outputs (files, history,
 * advise, inspect, diff, cache) are text or JSON; the CI report takes
 * every format. Names only: nothing here reads an image. */
#ifndef FATHOM_OUTPUT_H
#define FATHOM_OUTPUT_H

#include <stdio.h>

struct report;

/* X(ID, name, help): --ci-format name writes the CI report with
 * report_NAME_write() of src/output/report_NAME.c; help is its line in
 * --help. The first row is the default. */
#define OUTPUT_FORMATS(X)                                                    \
	X(TEXT, text, "fathom's layout (the default)")                         \
	X(JSON, json, "one JSON document")                                     \
	X(MARKDOWN, markdown, "tables for a job summary")                      \
	X(JUNIT, junit, "JUnit XML: a test case per rule")                     \
	X(DIVE, dive, "dive 0.13.1's CI text, line for line")                  \
	X(HTML, html, "the page of fathom report, with the rules")

enum output_format {
#define OUTPUT_ENUM(id, name, help) OUTPUT_##id,
	OUTPUT_FORMATS(OUTPUT_ENUM)
#undef OUTPUT_ENUM
	OUTPUT_FORMAT_COUNT
};

/* "text|json|markdown|junit|dive|html" */
#define OUTPUT_NAME(id, name, help) "|" #name
#define OUTPUT_FORMAT_NAMES (&(OUTPUT_FORMATS(OUTPUT_NAME))[1])
/* A line per format, "name: help", each after a newline: --help's. */
#define OUTPUT_HELP(id, name, help) "\n" #name ": " help
#define OUTPUT_FORMAT_HELP OUTPUT_FORMATS(OUTPUT_HELP)

struct output_format_def {
	const char *name;
	/* writes the CI report; returns 0, or -1 when writing failed */
	int (*report)(FILE *out, const struct report *r);
};

extern const struct output_format_def output_formats[OUTPUT_FORMAT_COUNT];

/* The format called s; returns 0, or -1 when there is none. */
int output_format_parse(const char *s, enum output_format *out);

#endif
