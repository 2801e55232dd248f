/* report_json: the CI report as one JSON document (--ci-format json): the
 * image, the rules file, then the analysis, which the export (`--json`)
 * also holds under "fathom". */
#include "output/report.h"

#include <stdlib.h>
#include <string.h>

#include "output/findings.h"

/* A member whose value is node's path, as its bytes are. */
static void
report_json_path(struct jsonw *j, const char *key, const struct report *r, uint32_t node)
{
	char *buf = NULL;
	size_t cap = 0, len = tree_path(&r->img->tree, node, &buf, &cap);

	jsonw_member_string(j, key, buf, len);
	free(buf);
}

static void
report_json_files(struct jsonw *j, const struct report *r)
{
	const struct waste *w = r->waste;

	jsonw_member_array(j, "inefficientFiles");
	for (size_t i = 0; i < w->nfiles; i++) {
		jsonw_object(j);
		jsonw_member_uint(j, "count", w->files[i].count);
		jsonw_member_uint(j, "sizeBytes", w->files[i].cumulative);
		report_json_path(j, "file", r, w->files[i].node);
		jsonw_end(j);
	}
	jsonw_end(j);
}

static void
report_json_hidden(struct jsonw *j, const struct report *r)
{
	const struct waste *w = r->waste;

	jsonw_member_array(j, "hidden");
	for (size_t i = 0; i < w->npaths; i++) {
		jsonw_object(j);
		report_json_path(j, "file", r, w->paths[i].node);
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
}

/* A rule's value: bytes as an integer, a ratio as a number. */
static void
report_json_number(struct jsonw *j, const char *key, int rule, double v)
{
	if (rule_defs[rule].kind == RULE_SIZE)
		jsonw_member_uint(j, key, (uint64_t)v);
	else
		jsonw_member_real(j, key, v);
}

static void
report_json_rules(struct jsonw *j, const struct report *r)
{
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
			report_json_number(j, "value", i, x->value);
			report_json_number(j, "threshold", i, x->threshold);
		}
		if (x->status == RULE_FAIL || x->status == RULE_WARN)
			jsonw_member_cstring(j, "reason", report_rule_reason(i));
		jsonw_end(j);
	}
	jsonw_end(j);
	char *verdict = report_verdict(r);
	verdict[4] = '\0';
	jsonw_member_cstring(j, "result", verdict);
	free(verdict);
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
	report_json_files(j, r);
	report_json_hidden(j, r);
	if (r->advice != NULL) {
		jsonw_member_uint(j, "adviceSavingsBytes", r->advice->savings);
		jsonw_key(j, "advice");
		findings_json(j, r->img, r->advice, r->top);
	}
	if (r->rules != NULL)
		report_json_rules(j, r);
}

int
report_json_write(FILE *out, const struct report *r)
{
	struct jsonw j;

	jsonw_init(&j, out, 2);
	jsonw_object(&j);
	jsonw_member_cstring(&j, "image", r->img->name);
	jsonw_member_cstring(&j, "ref", r->img->ref);
	jsonw_member_cstring(&j, "config", r->config);
	report_json_analysis(&j, r);
	jsonw_end(&j);
	return ferror(out) ? -1 : 0;
}
