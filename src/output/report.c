/* report: what every format of the CI report shares: the rules' words and
 * values, the verdict, the writer by format; see report.h. */
#include "output/report.h"

#include <stdlib.h>
#include <string.h>

#include "util/human.h"
#include "util/xalloc.h"

const char *const report_status_names[] = {
	[RULE_PASS] = "PASS", [RULE_FAIL] = "FAIL", [RULE_SKIP] = "SKIP", [RULE_WARN] = "WARN",
};

int
report_write(FILE *out, enum output_format fmt, const struct report *r)
{
	if (output_formats[fmt].report(out, r) < 0)
		return -1;
	return ferror(out) ? -1 : 0;
}

const char *
report_rule_reason(int rule)
{
	switch ((enum rule_id)rule) {
	case RULE_ADVICE_SAVINGS:
		return "following the advice would save too many bytes (fathom advise)";
	case RULE_ONBUILD:
		return "ONBUILD triggers run in the build of every image FROM this one";
	case RULE_RECLAIMABLE_BYTES:
		return "too many bytes that squashing would reclaim";
	case RULE_RECLAIMABLE_PERCENT:
		return "too much of the image would be reclaimed by squashing";
	case RULE_USER_WASTED_PERCENT:
		return "too many bytes wasted, relative to the user bytes added";
	case RULE_WASTED_BYTES:
		return "too many bytes wasted";
	case RULE_EFFICIENCY:
		return "image efficiency is too low";
	case RULE_COUNT:
		break;
	}
	return "";
}

void
report_rule_number(int rule, double v, char *buf, size_t len)
{
	if (rule_defs[rule].kind == RULE_SIZE)
		snprintf(buf, len, "%.0f", v);
	else
		human_double(v, buf, len);
}

/* "value > threshold" or "value >= threshold"; the value alone for a
 * disabled rule. */
char *
report_comparison(const struct report *r, int i)
{
	const struct rule_result *x = &r->results[i];
	char v[40], t[40];
	const char *op;

	if (rule_defs[i].kind == RULE_LEVEL)
		return xasprintf("%.0f ONBUILD trigger%s", x->value, x->value == 1 ? "" : "s");
	report_rule_number(i, x->value, v, sizeof v);
	if (x->status == RULE_SKIP)
		return xstrdup(v);
	report_rule_number(i, x->threshold, t, sizeof t);
	if (i == RULE_EFFICIENCY)
		op = x->status == RULE_FAIL ? "<" : ">=";
	else
		op = x->status == RULE_FAIL ? ">" : "<=";
	return xasprintf("%s %s %s", v, op, t);
}

void
report_counts(const struct report *r, int *pass, int *fail, int *skip, int *warn)
{
	*pass = *fail = *skip = *warn = 0;
	for (int i = 0; i < RULE_COUNT; i++)
		*(r->results[i].status == RULE_PASS ? pass :
		  r->results[i].status == RULE_FAIL ? fail :
		  r->results[i].status == RULE_WARN ? warn : skip) += 1;
}

/* "PASS [pass:3]" or "FAIL [pass:1 fail:1 skip:3]": zero counts left out. */
char *
report_verdict(const struct report *r)
{
	int pass, fail, skip, warn;
	char counts[64] = "";

	report_counts(r, &pass, &fail, &skip, &warn);
	if (pass)
		snprintf(counts + strlen(counts), sizeof counts - strlen(counts), " pass:%d", pass);
	if (fail)
		snprintf(counts + strlen(counts), sizeof counts - strlen(counts), " fail:%d", fail);
	if (warn)
		snprintf(counts + strlen(counts), sizeof counts - strlen(counts), " warn:%d", warn);
	if (skip)
		snprintf(counts + strlen(counts), sizeof counts - strlen(counts), " skip:%d", skip);
	return xasprintf("%s [%s]", fail ? "FAIL" : "PASS", counts + 1);
}

/* "3->4, 4->9": which layers wrote a path's hidden bytes, and which hid them. */
char *
report_writes(const struct report *r, const struct waste_path *p)
{
	char *s = xstrdup("");

	for (size_t i = 0; i < p->count; i++) {
		const struct waste_write *w = &r->waste->writes[p->first + i];
		char *t = xasprintf("%s%s%u->%u", s, i ? ", " : "", w->layer, w->hidden_by);
		free(s);
		s = t;
	}
	return s;
}

size_t
report_rows(const struct report *r, size_t n)
{
	return r->top < n ? r->top : n;
}

void
report_saving(const struct advice_finding *f, char *buf, size_t len)
{
	if (f->id == ADVICE_ONBUILD || f->id == ADVICE_BIG_BASE)
		snprintf(buf, len, "-");
	else
		human_dive_size(f->bytes, buf, len);
}
