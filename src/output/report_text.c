/* report_text: the CI report as fathom lays it out (--ci-format text, the
 * default): dive's newer sections (Analysis, Inefficient Files,
 * Evaluation, then one verdict line), with fathom's reclaimable bytes and
 * advice after dive's; ANSI colours on a terminal. */
#include "output/report.h"

#include <stdlib.h>
#include <string.h>

#include "output/findings.h"
#include "util/human.h"

#define ANSI_BOLD "\033[1m"
#define ANSI_RED "\033[1;31m"
#define ANSI_GREEN "\033[32m"
#define ANSI_FAINT "\033[2m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_RESET "\033[0m"

/* A section's title; with none, "(None)" after it. */
static void
report_text_title(FILE *out, const struct report *r, const char *title, int none)
{
	fprintf(out, "%s%s%s%s\n", r->color ? ANSI_BOLD : "", title, r->color ? ANSI_RESET : "",
	        none ? " (None)" : "");
}

static void
report_text_more(FILE *out, const struct report *r, size_t n)
{
	if (n > r->top)
		fprintf(out, "  ... and %zu more (--top)\n", n - r->top);
}

static void
report_text_analysis(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	char h[32];

	report_text_title(out, r, "Analysis:", 0);
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
}

static void
report_text_files(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	char h[32];

	fputc('\n', out);
	report_text_title(out, r, "Inefficient Files:", w->nfiles == 0);
	if (w->nfiles == 0)
		return;
	fprintf(out, "  %-5s  %-12s  %s\n", "Count", "Wasted Space", "File Path");
	for (size_t i = 0; i < report_rows(r, w->nfiles); i++) {
		char *p = tree_path_escaped(&r->img->tree, w->files[i].node, 0);
		human_dive_size(w->files[i].cumulative, h, sizeof h);
		fprintf(out, "  %-5u  %-12s  %s\n", w->files[i].count, h, p);
		free(p);
	}
	report_text_more(out, r, w->nfiles);
}

static void
report_text_hidden(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	char h[32];

	fputc('\n', out);
	report_text_title(out, r, "Reclaimable Bytes:", w->npaths == 0);
	if (w->npaths == 0)
		return;
	fprintf(out, "  %-12s  %s  (layer wrote->layer hid)\n", "Hidden", "File Path");
	for (size_t i = 0; i < report_rows(r, w->npaths); i++) {
		char *p = tree_path_escaped(&r->img->tree, w->paths[i].node, 0);
		char *ws = report_writes(r, &w->paths[i]);
		human_dive_size(w->paths[i].bytes, h, sizeof h);
		fprintf(out, "  %-12s  %s  (%s)\n", h, p, ws);
		free(ws);
		free(p);
	}
	report_text_more(out, r, w->npaths);
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
		report_text_title(out, r, "Advice:", 1);
		return;
	}
	human_dive_size(a->savings, h, sizeof h);
	fprintf(out, "%sAdvice:%s %s could be saved (fathom advise tells how)\n",
	        r->color ? ANSI_BOLD : "", r->color ? ANSI_RESET : "", h);
	fprintf(out, "  %-12s  %-18s  %s\n", "Saving", "Finding", "Where");
	for (size_t i = 0; i < report_rows(r, a->count); i++) {
		const struct advice_finding *f = &a->items[i];
		char *where = findings_where(f);
		report_saving(f, h, sizeof h);
		fprintf(out, "  %-12s  %-18s  %s\n", h, advice_defs[f->id].name, where);
		free(where);
	}
	report_text_more(out, r, a->count);
}

/* A line per rule, then the verdict. */
static void
report_text_rules(FILE *out, const struct report *r)
{
	fputc('\n', out);
	report_text_title(out, r, "Evaluation:", 0);
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

int
report_text_write(FILE *out, const struct report *r)
{
	report_text_analysis(out, r);
	report_text_files(out, r);
	report_text_hidden(out, r);
	report_text_advice(out, r);
	if (r->rules != NULL)
		report_text_rules(out, r);
	return ferror(out) ? -1 : 0;
}
