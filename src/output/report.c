/* report: the CI report in four formats; see report.h. Text follows dive's
 * newer layout (sections Analysis, Inefficient Files, Evaluation, then one
 * verdict line), with fathom's lines added after dive's. */
#include "output/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/findings.h"
#include "util/jsonw.h"
#include "util/escape.h"
#include "util/human.h"
#include "util/xalloc.h"

#define ANSI_BOLD "\033[1m"
#define ANSI_RED "\033[1;31m"
#define ANSI_GREEN "\033[32m"
#define ANSI_FAINT "\033[2m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_RESET "\033[0m"

const char *const report_status_names[] = {
	[RULE_PASS] = "PASS", [RULE_FAIL] = "FAIL", [RULE_SKIP] = "SKIP", [RULE_WARN] = "WARN",
};

int
report_parse_format(const char *s, enum report_format *out)
{
	static const char *const names[] = {
		[REPORT_TEXT] = "text", [REPORT_JSON] = "json",
		[REPORT_MARKDOWN] = "markdown", [REPORT_JUNIT] = "junit", [REPORT_DIVE] = "dive",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum report_format)i;
			return 0;
		}
	}
	return -1;
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

/* A rule's value or threshold as text: bytes as integers, ratios exactly. */
static void
report_number(int rule, double v, char *buf, size_t len)
{
	if (rule_defs[rule].kind == RULE_SIZE)
		snprintf(buf, len, "%.0f", v);
	else
		human_double(v, buf, len);
}

/* "value > threshold" or "value >= threshold" for a rule's result; the
 * value alone for a disabled rule. */
char *
report_comparison(const struct report *r, int i)
{
	const struct rule_result *x = &r->results[i];
	char v[40], t[40];
	const char *op;

	if (rule_defs[i].kind == RULE_LEVEL)
		return xasprintf("%.0f ONBUILD trigger%s", x->value, x->value == 1 ? "" : "s");
	report_number(i, x->value, v, sizeof v);
	if (x->status == RULE_SKIP)
		return xstrdup(v);
	report_number(i, x->threshold, t, sizeof t);
	if (i == RULE_EFFICIENCY)
		op = x->status == RULE_FAIL ? "<" : ">=";
	else
		op = x->status == RULE_FAIL ? ">" : "<=";
	return xasprintf("%s %s %s", v, op, t);
}

static void
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

static char *
report_path(const struct report *r, uint32_t node, int utf8)
{
	return tree_path_escaped(&r->img->tree, node, utf8);
}

/* "3->4, 4->9": which layers wrote a path's hidden bytes, and which hid them. */
static char *
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

static size_t
report_rows(const struct report *r, size_t n)
{
	return r->top < n ? r->top : n;
}

static void
report_title(FILE *out, const struct report *r, const char *title)
{
	fprintf(out, "%s%s%s\n", r->color ? ANSI_BOLD : "", title, r->color ? ANSI_RESET : "");
}

/* The short form of the advice: a line per finding. */
static void
report_text_advice(FILE *out, const struct report *r)
{
	const struct advice *a = r->advice;
	char h[32];

	if (a == NULL)
		return;
	fputc('\n', out);
	if (a->count == 0) {
		fprintf(out, "%s%s%s (None)\n", r->color ? ANSI_BOLD : "", "Advice:",
		        r->color ? ANSI_RESET : "");
		return;
	}
	human_dive_size(a->savings, h, sizeof h);
	fprintf(out, "%sAdvice:%s %s could be saved (fathom advise tells how)\n",
	        r->color ? ANSI_BOLD : "", r->color ? ANSI_RESET : "", h);
	fprintf(out, "  %-12s  %-18s  %s\n", "Saving", "Finding", "Where");
	for (size_t i = 0; i < report_rows(r, a->count); i++) {
		const struct advice_finding *f = &a->items[i];
		char *where = findings_where(f);
		if (f->id == ADVICE_ONBUILD || f->id == ADVICE_BIG_BASE)
			snprintf(h, sizeof h, "-");
		else
			human_dive_size(f->bytes, h, sizeof h);
		fprintf(out, "  %-12s  %-18s  %s\n", h, advice_defs[f->id].name, where);
		free(where);
	}
	if (a->count > r->top)
		fprintf(out, "  ... and %zu more (--top)\n", a->count - r->top);
}

static void
report_text(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	char h[32];

	report_title(out, r, "Analysis:");
	fprintf(out, "  %-18s %.4f %%\n", "efficiency:", w->efficiency * 100);
	human_dive_size(w->wasted_bytes, h, sizeof h);
	fprintf(out, "  %-18s %llu bytes (%s)\n", "wastedBytes:",
	        (unsigned long long)w->wasted_bytes, h);
	fprintf(out, "  %-18s %.4f %%\n", "userWastedPercent:", w->user_wasted_percent * 100);
	human_dive_size(w->reclaimable, h, sizeof h);
	fprintf(out, "  %-18s %llu bytes (%s), %.4f %% of the image\n", "reclaimable:",
	        (unsigned long long)w->reclaimable, h, w->reclaimable_percent * 100);
	human_dive_size(w->user_reclaimable, h, sizeof h);
	fprintf(out, "  %-18s %llu bytes (%s), above the first %zu layer%s\n",
	        "userReclaimable:", (unsigned long long)w->user_reclaimable, h,
	        w->base_layers, w->base_layers == 1 ? "" : "s");

	fputc('\n', out);
	if (w->nfiles == 0) {
		fprintf(out, "%s%s%s (None)\n", r->color ? ANSI_BOLD : "", "Inefficient Files:",
		        r->color ? ANSI_RESET : "");
	} else {
		report_title(out, r, "Inefficient Files:");
		fprintf(out, "  %-5s  %-12s  %s\n", "Count", "Wasted Space", "File Path");
		for (size_t i = 0; i < report_rows(r, w->nfiles); i++) {
			char *p = report_path(r, w->files[i].node, 0);
			human_dive_size(w->files[i].cumulative, h, sizeof h);
			fprintf(out, "  %-5u  %-12s  %s\n", w->files[i].count, h, p);
			free(p);
		}
		if (w->nfiles > r->top)
			fprintf(out, "  ... and %zu more (--top)\n", w->nfiles - r->top);
	}

	fputc('\n', out);
	if (w->npaths == 0) {
		fprintf(out, "%s%s%s (None)\n", r->color ? ANSI_BOLD : "", "Reclaimable Bytes:",
		        r->color ? ANSI_RESET : "");
	} else {
		report_title(out, r, "Reclaimable Bytes:");
		fprintf(out, "  %-12s  %s  (layer wrote->layer hid)\n", "Hidden", "File Path");
		for (size_t i = 0; i < report_rows(r, w->npaths); i++) {
			char *p = report_path(r, w->paths[i].node, 0);
			char *ws = report_writes(r, &w->paths[i]);
			human_dive_size(w->paths[i].bytes, h, sizeof h);
			fprintf(out, "  %-12s  %s  (%s)\n", h, p, ws);
			free(ws);
			free(p);
		}
		if (w->npaths > r->top)
			fprintf(out, "  ... and %zu more (--top)\n", w->npaths - r->top);
	}

	report_text_advice(out, r);

	if (r->rules == NULL)
		return;
	fputc('\n', out);
	report_title(out, r, "Evaluation:");
	fprintf(out, "  rules from %s\n", r->config != NULL ? r->config : "the defaults");
	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule_result *x = &r->results[i];
		const char *color = x->status == RULE_PASS ? ANSI_GREEN :
		                    x->status == RULE_FAIL ? ANSI_RED :
		                    x->status == RULE_WARN ? ANSI_YELLOW : ANSI_FAINT;
		fprintf(out, "  %s%s%s  %s (", r->color ? color : "",
		        report_status_names[x->status], r->color ? ANSI_RESET : "",
		        rule_defs[i].name);
		if (x->status == RULE_SKIP) {
			fputs("disabled)\n", out);
			continue;
		}
		char *cmp = report_comparison(r, i);
		int say = x->status == RULE_FAIL || x->status == RULE_WARN;
		fprintf(out, "%s%s%s)\n", cmp, say ? ": " : "", say ? report_rule_reason(i) : "");
		free(cmp);
	}
	char *verdict = report_verdict(r);
	int fail = strncmp(verdict, "FAIL", 4) == 0;
	fprintf(out, "\n%s%s%s\n", r->color ? (fail ? ANSI_RED : ANSI_GREEN) : "", verdict,
	        r->color ? ANSI_RESET : "");
	free(verdict);
}

/* A double as Go's %v writes it (dive's messages): the shortest digits that
 * read back, as %e when the exponent is below -4 or from 6 on. */
static void
report_go_float(double v, char *buf, size_t len)
{
	char e[40];
	int p, exp;

	if (isnan(v) || isinf(v)) {
		snprintf(buf, len, "%s", isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (p = 1; p < 17; p++) {
		snprintf(e, sizeof e, "%.*e", p - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	snprintf(e, sizeof e, "%.*e", p - 1, v);
	exp = atoi(strchr(e, 'e') + 1);
	if (exp < -4 || exp >= 6)
		snprintf(buf, len, "%s", e);
	else
		snprintf(buf, len, "%.*f", p - 1 - exp > 0 ? p - 1 - exp : 0, v);
}

/* dive's own rules; fathom's appear in dive's text only when set or when
 * they fail or warn, so that the defaults print what dive prints and the
 * verdict line always agrees with the exit status. */
static int
report_dive_shows(const struct report *r, int i)
{
	const struct rule_result *x = &r->results[i];

	if (i == RULE_USER_WASTED_PERCENT || i == RULE_WASTED_BYTES || i == RULE_EFFICIENCY)
		return 1;
	return x->status == RULE_FAIL || x->status == RULE_WARN ||
	       (x->status != RULE_SKIP && strcmp(r->rules->set[i].origin, "default") != 0);
}

/* A failed (or warning) rule's message as dive words it: the reason, then
 * the value against the threshold, Go's way. */
static char *
report_dive_message(const struct report *r, int i)
{
	static const char *const keys[RULE_COUNT] = {
		[RULE_ADVICE_SAVINGS] = "advice-savings-bytes",
		[RULE_RECLAIMABLE_BYTES] = "reclaimable-bytes",
		[RULE_RECLAIMABLE_PERCENT] = "%-reclaimable-bytes",
		[RULE_USER_WASTED_PERCENT] = "%-user-wasted-bytes",
		[RULE_WASTED_BYTES] = "wasted-bytes",
		[RULE_EFFICIENCY] = "efficiency",
		[RULE_ONBUILD] = "onbuild-triggers",
	};
	const struct rule_result *x = &r->results[i];
	char v[40], t[40];

	if (rule_defs[i].kind == RULE_LEVEL)
		return xasprintf("%s (%s=%.0f)", report_rule_reason(i), keys[i], x->value);
	if (rule_defs[i].kind == RULE_SIZE) {
		snprintf(v, sizeof v, "%.0f", x->value);
		snprintf(t, sizeof t, "%.0f", x->threshold);
	} else {
		report_go_float(x->value, v, sizeof v);
		report_go_float(x->threshold, t, sizeof t);
	}
	if (i == RULE_ADVICE_SAVINGS)	/* its reason names fathom advise already */
		return xasprintf("following the advice would save too many bytes (%s=%s > "
		                 "threshold=%s)", keys[i], v, t);
	return xasprintf("%s (%s=%s %s threshold=%s)", report_rule_reason(i), keys[i], v,
	                 i == RULE_EFFICIENCY ? "<" : ">", t);
}

/* dive 0.13.1's CI output, line for line (see report.h), for pipelines
 * that grep dive's words. */
static void
report_dive(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	const char *kind = r->img->source != NULL ? r->img->source : "docker-archive";
	size_t kl = strlen(kind);
	int pass = 0, fail = 0, skip = 0, warn = 0, total = 0;
	char h[32];

	if (r->config != NULL)
		fprintf(out, "  Using CI config: %s\n", r->config);
	else
		fputs("  Using default CI config\n", out);
	/* engines and registries are named with their scheme already */
	if (strncmp(r->img->name, kind, kl) == 0 && strncmp(r->img->name + kl, "://", 3) == 0)
		fprintf(out, "Image Source: %s\n", r->img->name);
	else
		fprintf(out, "Image Source: %s://%s\n", kind, r->img->name);
	fprintf(out, "Extracting image from %s... (this can take a while for large images)\n",
	        strcmp(kind, "docker") == 0 ? "docker-engine" : kind);
	fputs("Analyzing image...\n", out);
	fprintf(out, "  efficiency: %2.4f %%\n", w->efficiency * 100);
	human_dive_size(w->wasted_bytes, h, sizeof h);
	fprintf(out, "  wastedBytes: %llu bytes (%s)\n", (unsigned long long)w->wasted_bytes, h);
	fprintf(out, "  userWastedPercent: %2.4f %%\n", w->user_wasted_percent * 100);

	fputs("Inefficient Files:\n", out);
	fprintf(out, "%5s  %12s  %s\n", "Count", "Wasted Space", "File Path");
	if (w->nfiles == 0)
		fputs("None\n", out);
	for (size_t i = 0; i < w->nfiles; i++) {
		char *p = report_path(r, w->files[i].node, 0);
		human_dive_size(w->files[i].cumulative, h, sizeof h);
		fprintf(out, "%5u  %12s  %s\n", w->files[i].count, h, p);
		free(p);
	}

	fputs("Results:\n", out);
	for (int i = 0; i < RULE_COUNT; i++) {	/* by name, as dive sorts them */
		const struct rule_result *x = &r->results[i];
		if (!report_dive_shows(r, i))
			continue;
		total++;
		*(x->status == RULE_PASS ? &pass : x->status == RULE_FAIL ? &fail :
		  x->status == RULE_WARN ? &warn : &skip) += 1;
		if (x->status == RULE_PASS) {
			fprintf(out, "  PASS: %s\n", rule_defs[i].name);
		} else if (x->status == RULE_SKIP) {
			fprintf(out, "  SKIP: %s: rule disabled\n", rule_defs[i].name);
		} else {
			char *m = report_dive_message(r, i);
			fprintf(out, "  %s: %s: %s\n", report_status_names[x->status],
			        rule_defs[i].name, m);
			free(m);
		}
	}
	fprintf(out, "Result:%s [Total:%d] [Passed:%d] [Failed:%d] [Warn:%d] [Skipped:%d]\n\n",
	        fail ? "FAIL" : "PASS", total, pass, fail, warn, skip);
}

/* Markdown table cells: a '|' would end the cell. */
static void
report_md_cell(FILE *out, const char *s)
{
	for (; *s; s++)
		fputs(*s == '|' ? "\\|" : (char[]){ *s, 0 }, out);
}

static void
report_markdown(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	char h[32];
	char *name = escape_str(r->img->name, strlen(r->img->name), 1);

	fputs("## fathom: ", out);
	report_md_cell(out, name);
	free(name);
	fputs("\n\n| Metric | Value |\n|---|---|\n", out);
	fprintf(out, "| efficiency | %.4f %% |\n", w->efficiency * 100);
	human_dive_size(w->wasted_bytes, h, sizeof h);
	fprintf(out, "| wastedBytes | %llu bytes (%s) |\n", (unsigned long long)w->wasted_bytes, h);
	fprintf(out, "| userWastedPercent | %.4f %% |\n", w->user_wasted_percent * 100);
	human_dive_size(w->reclaimable, h, sizeof h);
	fprintf(out, "| reclaimable | %llu bytes (%s), %.4f %% of the image |\n",
	        (unsigned long long)w->reclaimable, h, w->reclaimable_percent * 100);
	human_dive_size(w->user_reclaimable, h, sizeof h);
	fprintf(out, "| userReclaimable | %llu bytes (%s) |\n",
	        (unsigned long long)w->user_reclaimable, h);

	fputs("\n### Inefficient files\n\n", out);
	if (w->nfiles == 0)
		fputs("None.\n", out);
	else
		fputs("| Count | Wasted space | Path |\n|---:|---:|---|\n", out);
	for (size_t i = 0; i < report_rows(r, w->nfiles); i++) {
		char *p = report_path(r, w->files[i].node, 1);
		human_dive_size(w->files[i].cumulative, h, sizeof h);
		fprintf(out, "| %u | %s | `", w->files[i].count, h);
		report_md_cell(out, p);
		fputs("` |\n", out);
		free(p);
	}

	fputs("\n### Reclaimable bytes\n\n", out);
	if (w->npaths == 0)
		fputs("None.\n", out);
	else
		fputs("| Hidden | Path | Layer wrote->layer hid |\n|---:|---|---|\n", out);
	for (size_t i = 0; i < report_rows(r, w->npaths); i++) {
		char *p = report_path(r, w->paths[i].node, 1);
		char *ws = report_writes(r, &w->paths[i]);
		human_dive_size(w->paths[i].bytes, h, sizeof h);
		fprintf(out, "| %s | `", h);
		report_md_cell(out, p);
		fprintf(out, "` | %s |\n", ws);
		free(ws);
		free(p);
	}

	if (r->advice != NULL) {
		fputs("\n### Advice\n\n", out);
		if (r->advice->count == 0)
			fputs("None.\n", out);
		else
			fputs("| Saving | Finding | Where |\n|---:|---|---|\n", out);
		for (size_t i = 0; i < report_rows(r, r->advice->count); i++) {
			const struct advice_finding *f = &r->advice->items[i];
			char *where = findings_where(f);
			if (f->id == ADVICE_ONBUILD || f->id == ADVICE_BIG_BASE)
				snprintf(h, sizeof h, "-");
			else
				human_dive_size(f->bytes, h, sizeof h);
			fprintf(out, "| %s | %s | ", h, advice_defs[f->id].name);
			report_md_cell(out, where);
			fputs(" |\n", out);
			free(where);
		}
	}

	if (r->rules == NULL)
		return;
	fputs("\n### Evaluation\n\n| Rule | Result | Value | Threshold |\n|---|---|---:|---:|\n", out);
	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule_result *x = &r->results[i];
		char v[40], t[40];
		report_number(i, x->value, v, sizeof v);
		report_number(i, x->threshold, t, sizeof t);
		if (rule_defs[i].kind == RULE_LEVEL)
			snprintf(t, sizeof t, "%s", r->rules->set[i].value);
		fprintf(out, "| %s | %s | %s | %s |\n", rule_defs[i].name,
		        report_status_names[x->status], v, x->status == RULE_SKIP ? "disabled" : t);
	}
	char *verdict = report_verdict(r);
	fprintf(out, "\n**%.4s**%s\n", verdict, verdict + 4);
	free(verdict);
}

/* Text for XML attributes and content. */
static void
report_xml(FILE *out, const char *s)
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

static void
report_junit(FILE *out, const struct report *r)
{
	int pass, fail, skip, warn;
	char *name = escape_str(r->img->name, strlen(r->img->name), 1);

	report_counts(r, &pass, &fail, &skip, &warn);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<testsuites name=\"fathom\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n"
	        "  <testsuite name=\"", RULE_COUNT, fail, skip);
	report_xml(out, name);
	fprintf(out, "\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n", RULE_COUNT, fail, skip);
	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule_result *x = &r->results[i];
		fprintf(out, "    <testcase classname=\"fathom.rules\" name=\"%s\"", rule_defs[i].name);
		if (x->status == RULE_PASS) {
			fputs("/>\n", out);
			continue;
		}
		if (x->status == RULE_SKIP) {
			fputs(">\n      <skipped message=\"disabled\"/>\n    </testcase>\n", out);
			continue;
		}
		char *cmp = report_comparison(r, i);
		if (x->status == RULE_WARN) {
			/* passes, and says why it warns */
			char *msg = xasprintf("WARN: %s: %s", cmp, report_rule_reason(i));
			fputs(">\n      <system-out>", out);
			report_xml(out, msg);
			fputs("</system-out>\n    </testcase>\n", out);
			free(msg);
			free(cmp);
			continue;
		}
		char *msg = xasprintf("%s: %s", cmp, report_rule_reason(i));
		fputs(">\n      <failure type=\"rule\" message=\"", out);
		report_xml(out, msg);
		fputs("\"/>\n    </testcase>\n", out);
		free(msg);
		free(cmp);
	}
	fputs("  </testsuite>\n</testsuites>\n", out);
	free(name);
}

static void
report_json_path(struct jsonw *j, const struct report *r, uint32_t node)
{
	char *buf = NULL;
	size_t cap = 0, len = tree_path(&r->img->tree, node, &buf, &cap);

	jsonw_string(j, buf, len);
	free(buf);
}

void
report_json_analysis(struct jsonw *j, const struct report *r)
{
	const struct waste *w = r->waste;

	jsonw_member_real(j, "efficiency", w->efficiency);
	jsonw_member_uint(j, "wastedBytes", w->wasted_bytes);
	jsonw_member_real(j, "userWastedPercent", w->user_wasted_percent);
	jsonw_member_uint(j, "baseLayers", w->base_layers);
	jsonw_member_uint(j, "sizeBytes", w->image_size);
	jsonw_member_uint(j, "userSizeBytes", w->user_size);
	jsonw_member_uint(j, "finalSizeBytes", w->final_size);
	jsonw_member_uint(j, "reclaimableBytes", w->reclaimable);
	jsonw_member_uint(j, "userReclaimableBytes", w->user_reclaimable);
	jsonw_member_real(j, "reclaimablePercent", w->reclaimable_percent);
	jsonw_member_array(j, "inefficientFiles");
	for (size_t i = 0; i < w->nfiles; i++) {
		jsonw_object(j);
		jsonw_member_uint(j, "count", w->files[i].count);
		jsonw_member_uint(j, "sizeBytes", w->files[i].cumulative);
		jsonw_key(j, "file");
		report_json_path(j, r, w->files[i].node);
		jsonw_end(j);
	}
	jsonw_end(j);
	jsonw_member_array(j, "hidden");
	for (size_t i = 0; i < w->npaths; i++) {
		jsonw_object(j);
		jsonw_key(j, "file");
		report_json_path(j, r, w->paths[i].node);
		jsonw_member_uint(j, "sizeBytes", w->paths[i].bytes);
		jsonw_member_array(j, "writes");
		for (size_t k = 0; k < w->paths[i].count; k++) {
			const struct waste_write *x = &w->writes[w->paths[i].first + k];
			jsonw_object(j);
			jsonw_member_uint(j, "layer", x->layer);
			jsonw_member_uint(j, "hiddenBy", x->hidden_by);
			jsonw_member_uint(j, "sizeBytes", x->bytes);
			jsonw_end(j);
		}
		jsonw_end(j);
		jsonw_end(j);
	}
	jsonw_end(j);
	if (r->advice != NULL) {
		jsonw_member_uint(j, "adviceSavingsBytes", r->advice->savings);
		jsonw_key(j, "advice");
		findings_json(j, r->img, r->advice, r->top);
	}
	if (r->rules == NULL)
		return;

	jsonw_member_array(j, "rules");
	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule_result *x = &r->results[i];
		const struct rule_setting *s = &r->rules->set[i];
		jsonw_object(j);
		jsonw_member_cstring(j, "name", rule_defs[i].name);
		jsonw_member_cstring(j, "status", report_status_names[x->status]);
		jsonw_member_cstring(j, "configured", s->value);
		jsonw_member_cstring(j, "origin", s->origin);
		if (x->status != RULE_SKIP && rule_defs[i].kind == RULE_LEVEL) {
			jsonw_member_uint(j, "value", (uint64_t)x->value);
		} else if (x->status != RULE_SKIP) {
			jsonw_key(j, "value");
			rule_defs[i].kind == RULE_SIZE ? jsonw_uint(j, (uint64_t)x->value) :
			                                 jsonw_real(j, x->value);
			jsonw_key(j, "threshold");
			rule_defs[i].kind == RULE_SIZE ? jsonw_uint(j, (uint64_t)x->threshold) :
			                                 jsonw_real(j, x->threshold);
		}
		if (x->status == RULE_FAIL || x->status == RULE_WARN) {
			jsonw_member_cstring(j, "reason", report_rule_reason(i));
		}
		jsonw_end(j);
	}
	jsonw_end(j);
	char *verdict = report_verdict(r);
	verdict[4] = '\0';
	jsonw_member_cstring(j, "result", verdict);
	free(verdict);
}

static void
report_json(FILE *out, const struct report *r)
{
	struct jsonw j;

	jsonw_init(&j, out, 2);
	jsonw_object(&j);
	jsonw_member_cstring(&j, "image", r->img->name);
	jsonw_member_cstring(&j, "ref", r->img->ref);
	jsonw_member_cstring(&j, "config", r->config);
	report_json_analysis(&j, r);
	jsonw_end(&j);
}

int
report_print(FILE *out, enum report_format fmt, const struct report *r)
{
	switch (fmt) {
	case REPORT_TEXT:
		report_text(out, r);
		break;
	case REPORT_JSON:
		report_json(out, r);
		break;
	case REPORT_MARKDOWN:
		report_markdown(out, r);
		break;
	case REPORT_JUNIT:
		report_junit(out, r);
		break;
	case REPORT_DIVE:
		if (r->rules != NULL)
			report_dive(out, r);
		else
			report_text(out, r);
		break;
	}
	return ferror(out) ? -1 : 0;
}
