/* report_markdown: the CI report as Markdown (--ci-format markdown), for a
 * pipeline's job summary: a table of figures, then a table per section. */
#include "output/report.h"

#include <stdlib.h>
#include <string.h>

#include "output/findings.h"
#include "util/escape.h"
#include "util/human.h"

/* Markdown table cells: a '|' would end the cell. */
static void
report_markdown_cell(FILE *out, const char *s)
{
	for (; *s; s++)
		fputs(*s == '|' ? "\\|" : (char[]){ *s, 0 }, out);
}

/* A section's title, then its table's head, or "None.". */
static void
report_markdown_section(FILE *out, const char *title, size_t n, const char *head)
{
	fprintf(out, "\n### %s\n\n%s", title, n == 0 ? "None.\n" : head);
}

static void
report_markdown_figures(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	char h[32];
	char *name = escape_str(r->img->name, strlen(r->img->name), 1);

	fputs("## fathom: ", out);
	report_markdown_cell(out, name);
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
}

static void
report_markdown_files(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	char h[32];

	report_markdown_section(out, "Inefficient files", w->nfiles,
	                        "| Count | Wasted space | Path |\n|---:|---:|---|\n");
	for (size_t i = 0; i < report_rows(r, w->nfiles); i++) {
		char *p = tree_path_escaped(&r->img->tree, w->files[i].node, 1);
		human_dive_size(w->files[i].cumulative, h, sizeof h);
		fprintf(out, "| %u | %s | `", w->files[i].count, h);
		report_markdown_cell(out, p);
		fputs("` |\n", out);
		free(p);
	}
}

static void
report_markdown_hidden(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	char h[32];

	report_markdown_section(out, "Reclaimable bytes", w->npaths,
	                        "| Hidden | Path | Layer wrote->layer hid |\n|---:|---|---|\n");
	for (size_t i = 0; i < report_rows(r, w->npaths); i++) {
		char *p = tree_path_escaped(&r->img->tree, w->paths[i].node, 1);
		char *ws = report_writes(r, &w->paths[i]);
		human_dive_size(w->paths[i].bytes, h, sizeof h);
		fprintf(out, "| %s | `", h);
		report_markdown_cell(out, p);
		fprintf(out, "` | %s |\n", ws);
		free(ws);
		free(p);
	}
}

static void
report_markdown_advice(FILE *out, const struct report *r)
{
	const struct advice *a = r->advice;
	char h[32];

	report_markdown_section(out, "Advice", a->count,
	                        "| Saving | Finding | Where |\n|---:|---|---|\n");
	for (size_t i = 0; i < report_rows(r, a->count); i++) {
		const struct advice_finding *f = &a->items[i];
		char *where = findings_where(f);
		report_saving(f, h, sizeof h);
		fprintf(out, "| %s | %s | ", h, advice_defs[f->id].name);
		report_markdown_cell(out, where);
		fputs(" |\n", out);
		free(where);
	}
}

static void
report_markdown_rules(FILE *out, const struct report *r)
{
	fputs("\n### Evaluation\n\n| Rule | Result | Value | Threshold |\n|---|---|---:|---:|\n", out);
	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule_result *x = &r->results[i];
		char v[40], t[40];
		report_rule_number(i, x->value, v, sizeof v);
		report_rule_number(i, x->threshold, t, sizeof t);
		if (rule_defs[i].kind == RULE_LEVEL)
			snprintf(t, sizeof t, "%s", r->rules->set[i].value);
		fprintf(out, "| %s | %s | %s | %s |\n", rule_defs[i].name,
		        report_status_names[x->status], v, x->status == RULE_SKIP ? "disabled" : t);
	}
	char *verdict = report_verdict(r);
	fprintf(out, "\n**%.4s**%s\n", verdict, verdict + 4);
	free(verdict);
}

int
report_markdown_write(FILE *out, const struct report *r)
{
	report_markdown_figures(out, r);
	report_markdown_files(out, r);
	report_markdown_hidden(out, r);
	if (r->advice != NULL)
		report_markdown_advice(out, r);
	if (r->rules != NULL)
		report_markdown_rules(out, r);
	return ferror(out) ? -1 : 0;
}
