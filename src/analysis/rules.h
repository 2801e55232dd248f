/* rules: the CI rules, dive's three and fathom's four, their settings and
 * their evaluation against a waste analysis and the advice. One X-macro list, so names,
 * kinds and defaults cannot drift apart. Pure; never prints. */
#ifndef FATHOM_RULES_H
#define FATHOM_RULES_H

#include <stdint.h>

#include "analysis/advice.h"
#include "analysis/waste.h"

/* In the order reports list them (by name, as dive sorts them). */
#define RULES_LIST(X)                                                              \
	X(RULE_ADVICE_SAVINGS, "highestAdviceSavings", RULE_SIZE, "disabled")         \
	X(RULE_RECLAIMABLE_BYTES, "highestReclaimableBytes", RULE_SIZE, "disabled")   \
	X(RULE_RECLAIMABLE_PERCENT, "highestReclaimablePercent", RULE_RATIO, "disabled") \
	X(RULE_USER_WASTED_PERCENT, "highestUserWastedPercent", RULE_RATIO, "0.1")    \
	X(RULE_WASTED_BYTES, "highestWastedBytes", RULE_SIZE, "disabled")             \
	X(RULE_EFFICIENCY, "lowestEfficiency", RULE_RATIO, "0.9")                     \
	X(RULE_ONBUILD, "onbuild", RULE_LEVEL, "warn")

#define RULES_ENUM(id, name, kind, def) id,
enum rule_id { RULES_LIST(RULES_ENUM) RULE_COUNT };
#undef RULES_ENUM

/* RULE_LEVEL: "fail", "warn" (reported, passes) or "off" when the image has
 * what the rule looks for. */
enum rule_kind { RULE_RATIO, RULE_SIZE, RULE_LEVEL };
enum rule_status { RULE_PASS, RULE_FAIL, RULE_SKIP, RULE_WARN };

struct rule_def {
	const char *name;
	enum rule_kind kind;
	const char *default_value;
};

struct rule_setting {
	int enabled;
	double ratio;		/* RULE_RATIO */
	uint64_t bytes;		/* RULE_SIZE */
	int fail;		/* RULE_LEVEL: fail rather than warn */
	char *value;		/* owned: as written */
	char *origin;		/* owned: "default", "FILE:LINE", "command line" */
};

struct rules {
	struct rule_setting set[RULE_COUNT];
};

struct rule_result {
	enum rule_status status;
	double value, threshold;	/* ratios, or bytes as doubles; RULE_LEVEL:
					 * the count found, and 0 */
};

extern const struct rule_def rule_defs[RULE_COUNT];

/* The defaults (dive's for dive's rules, disabled for fathom's). */
void rules_init(struct rules *r);
void rules_fini(struct rules *r);
/* The rule called name, or -1. */
int rules_find(const char *name);
/* Sets rule id from text; returns 0, or -1 with *why (static text). */
int rules_set(struct rules *r, int id, const char *value, const char *origin,
              const char **why);
/* Evaluates every rule; returns whether all passed. */
int rules_evaluate(const struct rules *r, const struct waste *w, const struct advice *a,
                   struct rule_result out[RULE_COUNT]);

#endif
