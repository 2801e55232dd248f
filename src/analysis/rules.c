/* rules: settings and evaluation of the CI rules; see rules.h. A rule fails
 * when efficiency < lowestEfficiency, or when a measured value is above its
 * highest* threshold. */
#include "analysis/rules.h"

#include <stdlib.h>
#include <string.h>

#include "util/units.h"
#include "util/xalloc.h"

#define RULES_DEF(id, name, kind, def) [id] = { name, kind, def },
const struct rule_def rule_defs[RULE_COUNT] = { RULES_LIST(RULES_DEF) };
#undef RULES_DEF

void
rules_init(struct rules *r)
{
	const char *why;

	memset(r, 0, sizeof *r);
	for (int i = 0; i < RULE_COUNT; i++)
		rules_set(r, i, rule_defs[i].default_value, "default", &why);
}

void
rules_fini(struct rules *r)
{
	for (int i = 0; i < RULE_COUNT; i++) {
		free(r->set[i].value);
		free(r->set[i].origin);
	}
	memset(r, 0, sizeof *r);
}

int
rules_find(const char *name)
{
	for (int i = 0; i < RULE_COUNT; i++)
		if (strcmp(rule_defs[i].name, name) == 0)
			return i;
	return -1;
}

int
rules_set(struct rules *r, int id, const char *value, const char *origin,
          const char **why)
{
	struct rule_setting s = { .enabled = !units_is_disabled(value) };

	if (rule_defs[id].kind == RULE_LEVEL) {
		if (strcmp(value, "fail") == 0 || strcmp(value, "warn") == 0) {
			s.fail = strcmp(value, "fail") == 0;
		} else if (strcmp(value, "off") == 0) {
			s.enabled = 0;
		} else if (s.enabled) {
			*why = "expected fail, warn or off";
			return -1;
		}
	}
	if (s.enabled && rule_defs[id].kind == RULE_RATIO &&
	    units_parse_ratio(value, &s.ratio, why) < 0)
		return -1;
	if (s.enabled && rule_defs[id].kind == RULE_SIZE &&
	    units_parse_size(value, &s.bytes, why) < 0)
		return -1;
	s.value = xstrdup(value);
	s.origin = xstrdup(origin);
	free(r->set[id].value);
	free(r->set[id].origin);
	r->set[id] = s;
	return 0;
}

int
rules_evaluate(const struct rules *r, const struct waste *w, const struct advice *a,
               struct rule_result out[RULE_COUNT])
{
	int pass = 1;

	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule_setting *s = &r->set[i];
		struct rule_result *o = &out[i];
		double value = 0;
		int fail;

		switch ((enum rule_id)i) {
		case RULE_ADVICE_SAVINGS:
			value = (double)a->savings;
			break;
		case RULE_ONBUILD:
			value = (double)a->onbuild;
			break;
		case RULE_RECLAIMABLE_BYTES:
			value = (double)w->reclaimable;
			break;
		case RULE_RECLAIMABLE_PERCENT:
			value = w->reclaimable_percent;
			break;
		case RULE_USER_WASTED_PERCENT:
			value = w->user_wasted_percent;
			break;
		case RULE_WASTED_BYTES:
			value = (double)w->wasted_bytes;
			break;
		case RULE_EFFICIENCY:
			value = w->efficiency;
			break;
		case RULE_COUNT:
			break;
		}
		o->value = value;
		o->threshold = rule_defs[i].kind == RULE_SIZE ? (double)s->bytes :
		               rule_defs[i].kind == RULE_LEVEL ? 0 : s->ratio;
		if (!s->enabled) {
			o->status = RULE_SKIP;
			continue;
		}
		if (rule_defs[i].kind == RULE_LEVEL) {
			o->status = value == 0 ? RULE_PASS : s->fail ? RULE_FAIL : RULE_WARN;
			pass = pass && o->status != RULE_FAIL;
			continue;
		}
		if (i == RULE_EFFICIENCY)
			fail = value < s->ratio;
		else if (rule_defs[i].kind == RULE_SIZE)
			fail = (i == RULE_WASTED_BYTES ? w->wasted_bytes :
			        i == RULE_ADVICE_SAVINGS ? a->savings : w->reclaimable) > s->bytes;
		else
			fail = value > s->ratio;
		o->status = fail ? RULE_FAIL : RULE_PASS;
		pass = pass && !fail;
	}
	return pass;
}
