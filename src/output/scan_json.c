/* scan_json: `fathom scan --format json`: one document holding every row
 * whole (each layer's digest and size included), so that the results of
 * several runners can be joined (--merge) and compared again; and the
 * reader of that document, which checks every member it takes (the files
 * come from other machines). Both sides of the schema live here. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonw.h"
#include "output/report.h"
#include "output/scan.h"
#include "util/xalloc.h"

#define SCAN_JSON_VERSION 1	/* "fathomScan": what a reader must know */

/* ----------------------------------------------------------- writing */

static void
scan_json_key_uint(struct jsonw *j, const char *key, uint64_t v)
{
	jsonw_key(j, key);
	jsonw_uint(j, v);
}

static void
scan_json_key_real(struct jsonw *j, const char *key, double v)
{
	jsonw_key(j, key);
	jsonw_real(j, v);
}

static void
scan_json_key_string(struct jsonw *j, const char *key, const char *v)
{
	jsonw_key(j, key);
	jsonw_cstring(j, v);
}

static void
scan_json_finding(struct jsonw *j, const struct advice_finding *f)
{
	jsonw_object(j);
	scan_json_key_string(j, "id", advice_defs[f->id].name);
	scan_json_key_uint(j, "bytes", f->bytes);
	jsonw_member_array(j, "layers");
	for (size_t k = 0; k < f->nlayers; k++)
		jsonw_uint(j, f->layers[k]);
	jsonw_end(j);
	scan_json_key_string(j, "detail", f->detail);
	scan_json_key_uint(j, "triggers", f->ntriggers);
	jsonw_member_bool(j, "high", f->high);
	jsonw_end(j);
}

static void
scan_json_rules(struct jsonw *j, const struct scan_image *r)
{
	jsonw_member_object(j, "rules");
	jsonw_member_bool(j, "pass", r->pass);
	jsonw_member_array(j, "results");
	for (int i = 0; i < RULE_COUNT; i++) {
		jsonw_object(j);
		scan_json_key_string(j, "name", rule_defs[i].name);
		scan_json_key_string(j, "status", report_status_names[r->results[i].status]);
		scan_json_key_real(j, "value", r->results[i].value);
		scan_json_key_real(j, "threshold", r->results[i].threshold);
		jsonw_end(j);
	}
	jsonw_end(j);
	jsonw_end(j);
}

static void
scan_json_image(struct jsonw *j, const struct scan_image *r)
{
	jsonw_object(j);
	scan_json_key_string(j, "name", r->name);
	if (r->error != NULL) {
		scan_json_key_string(j, "error", r->error);
		jsonw_end(j);
		return;
	}
	scan_json_key_string(j, "digest", r->digest);
	scan_json_key_string(j, "platform", r->platform);
	scan_json_key_uint(j, "size", r->size);
	scan_json_key_real(j, "efficiency", r->efficiency);
	scan_json_key_uint(j, "wastedBytes", r->wasted);
	scan_json_key_real(j, "userWastedPercent", r->user_wasted_percent);
	scan_json_key_uint(j, "reclaimableBytes", r->reclaimable);
	scan_json_key_real(j, "reclaimablePercent", r->reclaimable_percent);
	scan_json_key_uint(j, "adviceSavings", r->savings);
	scan_json_key_uint(j, "onbuildTriggers", r->onbuild);
	jsonw_member_bool(j, "onbuildHigh", r->onbuild_high);
	scan_json_key_uint(j, "uniqueBytes", r->unique);
	scan_json_key_uint(j, "sharedBytes", r->shared);
	jsonw_member_array(j, "layers");
	for (size_t k = 0; k < r->nlayers; k++) {
		const struct scan_layer *l = &r->layers[k];
		jsonw_object(j);
		scan_json_key_string(j, "digest", l->key);
		scan_json_key_uint(j, "size", l->size);
		scan_json_key_uint(j, "users", l->users);
		scan_json_key_string(j, "command", l->command);
		jsonw_end(j);
	}
	jsonw_end(j);
	jsonw_member_array(j, "findings");
	for (size_t i = 0; i < r->nfindings; i++)
		scan_json_finding(j, &r->findings[i]);
	jsonw_end(j);
	if (r->checked)
		scan_json_rules(j, r);
	jsonw_end(j);
}

static void
scan_json_totals(struct jsonw *j, const struct scan *s)
{
	jsonw_member_object(j, "totals");
	scan_json_key_uint(j, "images", s->nimages - s->errors);
	scan_json_key_uint(j, "errors", s->errors);
	scan_json_key_uint(j, "size", s->size);
	scan_json_key_uint(j, "stored", s->stored);
	scan_json_key_uint(j, "layers", s->layers);
	scan_json_key_uint(j, "distinctLayers", s->distinct);
	scan_json_key_uint(j, "reclaimableBytes", s->reclaimable);
	scan_json_key_uint(j, "adviceSavings", s->savings);
	scan_json_key_uint(j, "wastedBytes", s->wasted);
	jsonw_end(j);
	jsonw_member_array(j, "sharedLayers");
	for (size_t i = 0; i < s->nshared; i++) {
		const struct scan_shared *sh = &s->shared[i];
		jsonw_object(j);
		scan_json_key_string(j, "digest", sh->key);
		scan_json_key_uint(j, "size", sh->size);
		scan_json_key_uint(j, "users", sh->users);
		scan_json_key_string(j, "command", sh->command);
		jsonw_member_array(j, "images");
		for (size_t k = 0; k < sh->users; k++)
			jsonw_cstring(j, s->images[sh->images[k]].name);
		jsonw_end(j);
		jsonw_end(j);
	}
	jsonw_end(j);
}

int
scan_json_write(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;
	struct jsonw j;

	jsonw_init(&j, out, 2);
	jsonw_object(&j);
	scan_json_key_uint(&j, "fathomScan", SCAN_JSON_VERSION);
	jsonw_member_array(&j, "images");
	for (size_t i = 0; i < s->nimages; i++)
		scan_json_image(&j, &s->images[i]);
	jsonw_end(&j);
	scan_json_totals(&j, s);
	if (o->ci) {
		jsonw_member_object(&j, "ci");
		jsonw_member_bool(&j, "pass", s->failed == 0);
		scan_json_key_uint(&j, "failed", s->failed);
		scan_json_key_string(&j, "config", o->merged ? NULL : o->config);
		jsonw_end(&j);
	}
	jsonw_end(&j);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

/* ----------------------------------------------------------- reading */

/* Where a reader is, for its messages. */
struct scan_reader {
	const char *what;	/* the file */
	size_t row;
	char **cause;
};

static int
scan_json_bad(struct scan_reader *rd, const char *member, const char *want)
{
	*rd->cause = xasprintf("%s: images[%zu]: \"%s\" is not %s", rd->what, rd->row, member, want);
	return -1;
}

/* obj[key] as a string (copied into *out), or null/absent (NULL) when
 * optional. */
static int
scan_json_string(struct scan_reader *rd, const json_t *obj, const char *key, int optional,
                 char **out)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if ((v == NULL || json_is_null(v)) && optional)
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return scan_json_bad(rd, key, "a string");
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
scan_json_uint(struct scan_reader *rd, const json_t *obj, const char *key, uint64_t *out)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return scan_json_bad(rd, key, "a count");
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int
scan_json_size(struct scan_reader *rd, const json_t *obj, const char *key, size_t *out)
{
	uint64_t v;

	if (scan_json_uint(rd, obj, key, &v) < 0)
		return -1;
	if (v > SIZE_MAX / 2)
		return scan_json_bad(rd, key, "a count this machine can hold");
	*out = (size_t)v;
	return 0;
}

static int
scan_json_real(struct scan_reader *rd, const json_t *obj, const char *key, double *out)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return scan_json_bad(rd, key, "a number");
	*out = json_number_value(v);
	return 0;
}

static int
scan_json_bool(struct scan_reader *rd, const json_t *obj, const char *key, int *out)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_boolean(v))
		return scan_json_bad(rd, key, "true or false");
	*out = json_is_true(v);
	return 0;
}

static int
scan_json_read_layers(struct scan_reader *rd, const json_t *a, struct scan_image *r)
{
	const json_t *l;
	size_t k;

	if (!json_is_array(a))
		return scan_json_bad(rd, "layers", "an array");
	r->layers = xcalloc(json_array_size(a) ? json_array_size(a) : 1, sizeof *r->layers);
	json_array_foreach(a, k, l) {
		struct scan_layer *x = &r->layers[r->nlayers++];
		if (!json_is_object(l))
			return scan_json_bad(rd, "layers", "an array of objects");
		if (scan_json_string(rd, l, "digest", 1, &x->key) < 0 ||
		    scan_json_uint(rd, l, "size", &x->size) < 0 ||
		    scan_json_string(rd, l, "command", 1, &x->command) < 0)
			return -1;
	}
	return 0;
}

static int
scan_json_read_finding(struct scan_reader *rd, const json_t *f, struct advice_finding *x)
{
	char *id = NULL;
	const json_t *ls = json_object_get(f, "layers"), *l;
	size_t k;
	int i;

	if (!json_is_object(f))
		return scan_json_bad(rd, "findings", "an array of objects");
	if (scan_json_string(rd, f, "id", 0, &id) < 0)
		return -1;
	for (i = 0; i < ADVICE_COUNT && strcmp(advice_defs[i].name, id) != 0; i++)
		;
	free(id);
	if (i == ADVICE_COUNT)
		return scan_json_bad(rd, "id", "a finding fathom knows");
	x->id = (enum advice_id)i;
	if (!json_is_array(ls))
		return scan_json_bad(rd, "layers", "an array");
	x->layers = xcalloc(json_array_size(ls) ? json_array_size(ls) : 1, sizeof *x->layers);
	json_array_foreach(ls, k, l) {
		if (!json_is_integer(l) || json_integer_value(l) < 0 ||
		    json_integer_value(l) > IMAGE_MAX_LAYERS)
			return scan_json_bad(rd, "layers", "an array of layer numbers");
		x->layers[x->nlayers++] = (uint16_t)json_integer_value(l);
	}
	return scan_json_uint(rd, f, "bytes", &x->bytes) < 0 ||
	       scan_json_string(rd, f, "detail", 1, &x->detail) < 0 ||
	       scan_json_size(rd, f, "triggers", &x->ntriggers) < 0 ||
	       scan_json_bool(rd, f, "high", &x->high) < 0 ? -1 : 0;
}

static int
scan_json_read_rules(struct scan_reader *rd, const json_t *rules, struct scan_image *r)
{
	const json_t *a = json_object_get(rules, "results"), *x;
	int seen[RULE_COUNT] = { 0 };
	size_t k;

	if (!json_is_object(rules))
		return scan_json_bad(rd, "rules", "an object");
	if (scan_json_bool(rd, rules, "pass", &r->pass) < 0)
		return -1;
	if (!json_is_array(a))
		return scan_json_bad(rd, "results", "an array");
	json_array_foreach(a, k, x) {
		char *name = NULL, *status = NULL;
		if (!json_is_object(x))
			return scan_json_bad(rd, "results", "an array of objects");
		if (scan_json_string(rd, x, "name", 0, &name) < 0)
			return -1;
		int rule = rules_find(name);
		free(name);
		if (rule < 0 || seen[rule]++)
			return scan_json_bad(rd, "name", "a rule fathom knows, once");
		if (scan_json_string(rd, x, "status", 0, &status) < 0)
			return -1;
		int st;
		for (st = 0; st < 4 && strcmp(report_status_names[st], status) != 0; st++)
			;
		free(status);
		if (st == 4)
			return scan_json_bad(rd, "status", "PASS, FAIL, SKIP or WARN");
		r->results[rule].status = (enum rule_status)st;
		if (scan_json_real(rd, x, "value", &r->results[rule].value) < 0 ||
		    scan_json_real(rd, x, "threshold", &r->results[rule].threshold) < 0)
			return -1;
	}
	for (int i = 0; i < RULE_COUNT; i++)
		if (!seen[i])
			return scan_json_bad(rd, "results", "a result for every rule");
	r->checked = 1;
	return 0;
}

static int
scan_json_read_image(struct scan_reader *rd, const json_t *o, struct scan_image *r)
{
	const json_t *fs = json_object_get(o, "findings"), *f, *rules = json_object_get(o, "rules");
	size_t k;

	if (scan_json_string(rd, o, "error", 1, &r->error) < 0)
		return -1;
	if (r->error != NULL)
		return 0;
	if (scan_json_string(rd, o, "digest", 1, &r->digest) < 0 ||
	    scan_json_string(rd, o, "platform", 1, &r->platform) < 0 ||
	    scan_json_uint(rd, o, "size", &r->size) < 0 ||
	    scan_json_real(rd, o, "efficiency", &r->efficiency) < 0 ||
	    scan_json_uint(rd, o, "wastedBytes", &r->wasted) < 0 ||
	    scan_json_real(rd, o, "userWastedPercent", &r->user_wasted_percent) < 0 ||
	    scan_json_uint(rd, o, "reclaimableBytes", &r->reclaimable) < 0 ||
	    scan_json_real(rd, o, "reclaimablePercent", &r->reclaimable_percent) < 0 ||
	    scan_json_uint(rd, o, "adviceSavings", &r->savings) < 0 ||
	    scan_json_size(rd, o, "onbuildTriggers", &r->onbuild) < 0 ||
	    scan_json_bool(rd, o, "onbuildHigh", &r->onbuild_high) < 0 ||
	    scan_json_read_layers(rd, json_object_get(o, "layers"), r) < 0)
		return -1;
	if (!json_is_array(fs))
		return scan_json_bad(rd, "findings", "an array");
	r->findings = xcalloc(json_array_size(fs) ? json_array_size(fs) : 1, sizeof *r->findings);
	json_array_foreach(fs, k, f)
		if (scan_json_read_finding(rd, f, &r->findings[r->nfindings++]) < 0)
			return -1;
	return rules != NULL ? scan_json_read_rules(rd, rules, r) : 0;
}

int
scan_json_read(const char *text, size_t len, const char *what, struct scan *s, char **cause)
{
	json_error_t err;
	json_t *doc = json_loadb(text, len, JSON_ALLOW_NUL, &err), *images, *o;
	struct scan_reader rd = { what, 0, cause };
	size_t i, before = s->nimages;
	int rc = 0;

	if (doc == NULL) {
		*cause = xasprintf("%s: not JSON (line %d: %s)", what, err.line, err.text);
		return -1;
	}
	const json_t *v = json_object_get(doc, "fathomScan");
	images = json_object_get(doc, "images");
	if (!json_is_integer(v) || json_integer_value(v) != SCAN_JSON_VERSION ||
	    !json_is_array(images)) {
		*cause = xasprintf("%s: not the JSON of fathom scan --format json (version %d)", what,
		                   SCAN_JSON_VERSION);
		json_decref(doc);
		return -1;
	}
	json_array_foreach(images, i, o) {
		char *name = NULL;
		rd.row = i;
		if (!json_is_object(o)) {
			*cause = xasprintf("%s: images[%zu] is not an object", what, i);
			rc = -1;
			break;
		}
		if (scan_json_string(&rd, o, "name", 0, &name) < 0) {
			rc = -1;
			break;
		}
		struct scan_image *r = scan_add(s, name);
		free(name);
		if ((rc = scan_json_read_image(&rd, o, r)) < 0)
			break;
	}
	if (rc < 0) {
		/* nothing of this file stays */
		for (size_t k = before; k < s->nimages; k++)
			scan_image_fini(&s->images[k]);
		s->nimages = before;
	}
	json_decref(doc);
	return rc;
}
