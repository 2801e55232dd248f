/* report_junit: the CI report as JUnit XML (--ci-format junit): a test case
 * per rule, a failure with its reason for each rule that fails, a skipped
 * one for each disabled, the reason as output for one that warns. */
#include "output/report.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/xalloc.h"

/* Text for XML attributes and content. */
static void
report_junit_xml(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

/* Rule i's test case. */
static void
report_junit_case(FILE *out, const struct report *r, int i)
{
	const struct rule_result *x = &r->results[i];

	fprintf(out, "    <testcase classname=\"fathom.rules\" name=\"%s\"", rule_defs[i].name);
	if (x->status == RULE_PASS) {
		fputs("/>\n", out);
		return;
	}
	if (x->status == RULE_SKIP) {
		fputs(">\n      <skipped message=\"disabled\"/>\n    </testcase>\n", out);
		return;
	}
	char *cmp = report_comparison(r, i);
	if (x->status == RULE_WARN) {
		/* passes, and says why it warns */
		char *msg = xasprintf("WARN: %s: %s", cmp, report_rule_reason(i));
		fputs(">\n      <system-out>", out);
		report_junit_xml(out, msg);
		fputs("</system-out>\n    </testcase>\n", out);
		free(msg);
	} else {
		char *msg = xasprintf("%s: %s", cmp, report_rule_reason(i));
		fputs(">\n      <failure type=\"rule\" message=\"", out);
		report_junit_xml(out, msg);
		fputs("\"/>\n    </testcase>\n", out);
		free(msg);
	}
	free(cmp);
}

int
report_junit_write(FILE *out, const struct report *r)
{
	int pass, fail, skip, warn;
	char *name = escape_str(r->img->name, strlen(r->img->name), 1);

	report_counts(r, &pass, &fail, &skip, &warn);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<testsuites name=\"fathom\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n"
	        "  <testsuite name=\"", RULE_COUNT, fail, skip);
	report_junit_xml(out, name);
	fprintf(out, "\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n", RULE_COUNT, fail, skip);
	for (int i = 0; i < RULE_COUNT; i++)
		report_junit_case(out, r, i);
	fputs("  </testsuite>\n</testsuites>\n", out);
	free(name);
	return ferror(out) ? -1 : 0;
}
