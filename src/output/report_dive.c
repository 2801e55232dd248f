/* report_dive: the CI report as dive 0.13.1 prints it (--ci-format dive),
 * line for line, for pipelines that grep dive's words: its analysis, its
 * inefficient files (all of them), its rules with Go's number format, its
 * result line. Without rules (no CI), fathom's text. */
#include "output/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/human.h"
#include "util/xalloc.h"

/* A double as Go's %v writes it (dive's messages): the shortest digits that
 * read back, as %e when the exponent is below -4 or from 6 on. */
static void
report_dive_float(double v, char *buf, size_t len)
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
		report_dive_float(x->value, v, sizeof v);
		report_dive_float(x->threshold, t, sizeof t);
	}
	if (i == RULE_ADVICE_SAVINGS)	/* its reason names fathom advise already */
		return xasprintf("following the advice would save too many bytes (%s=%s > "
		                 "threshold=%s)", keys[i], v, t);
	return xasprintf("%s (%s=%s %s threshold=%s)", report_rule_reason(i), keys[i], v,
	                 i == RULE_EFFICIENCY ? "<" : ">", t);
}

/* The lines of the analysis, as dive writes them. */
static void
report_dive_analysis(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;
	const char *kind = r->img->source != NULL ? r->img->source : "docker-archive";
	size_t kl = strlen(kind);
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
		char *p = tree_path_escaped(&r->img->tree, w->files[i].node, 0);
		human_dive_size(w->files[i].cumulative, h, sizeof h);
		fprintf(out, "%5u  %12s  %s\n", w->files[i].count, h, p);
		free(p);
	}
}

/* The rules dive shows, then its result line. */
static void
report_dive_rules(FILE *out, const struct report *r)
{
	int pass = 0, fail = 0, skip = 0, warn = 0, total = 0;

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

int
report_dive_write(FILE *out, const struct report *r)
{
	if (r->rules == NULL)
		return report_text_write(out, r);
	report_dive_analysis(out, r);
	report_dive_rules(out, r);
	return ferror(out) ? -1 : 0;
}
