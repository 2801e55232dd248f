/* rules: the CI rules as the commands that check them take them (the
 * analysis's --ci, scan's): an option per rule of RULES_LIST, and the rules
 * loaded from their defaults, then the rules file, then those options. */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "config/ciconfig.h"

#define RULES_COLUMN 34

/* A rule's option (its name as in RULES_LIST), its help at column 36. */
#define RULES_OPTION(id, name, arg, help) \
	{ CMD_OPT_RULE + (id), 0, name, arg, help, 0, RULES_COLUMN, NULL }

const struct cmd_option cmd_options_rules[] = {
	RULES_OPTION(RULE_EFFICIENCY, "lowestEfficiency", "RATIO",
	             "fail below this efficiency (0.9)"),
	RULES_OPTION(RULE_WASTED_BYTES, "highestWastedBytes", "SIZE",
	             "fail above these wasted bytes (disabled)"),
	RULES_OPTION(RULE_USER_WASTED_PERCENT, "highestUserWastedPercent", "RATIO",
	             "fail above this ratio of wasted to user\n"
	             "bytes (0.1)"),
	RULES_OPTION(RULE_RECLAIMABLE_BYTES, "highestReclaimableBytes", "SIZE",
	             "fail above these reclaimable bytes\n"
	             "(disabled)"),
	RULES_OPTION(RULE_RECLAIMABLE_PERCENT, "highestReclaimablePercent", "RATIO",
	             "fail above this ratio of reclaimable\n"
	             "bytes to the image size (disabled)"),
	RULES_OPTION(RULE_ADVICE_SAVINGS, "highestAdviceSavings", "SIZE",
	             "fail above these bytes that the\n"
	             "advice would save (disabled)"),
	RULES_OPTION(RULE_ONBUILD, "onbuild", "fail|warn|off",
	             "ONBUILD triggers in the image (warn)"),
	CMD_OPTION_TEXT("(a rule's value may be 'disabled'; sizes like 20MB,\n"
	                "1.5GiB; values given here win over the file)"),
	{ 0 },
};
/* every rule of RULES_LIST has its option, and the text line */
_Static_assert(sizeof cmd_options_rules / sizeof cmd_options_rules[0] == RULE_COUNT + 2,
               "a row of cmd_options_rules per rule");

int
cmd_rules_load(const struct cmd_ctx *cc, const char *config, struct rules *rules,
               const char **config_path)
{
	struct ciconfig_warnings warn = { 0 };
	char *cause = NULL;
	const char *why;

	rules_init(rules);
	*config_path = config != NULL ? config : ciconfig_default_path();
	if (*config_path != NULL && ciconfig_read(*config_path, rules, &warn, &cause) < 0) {
		cmd_error("%s", cause);
		free(cause);
		ciconfig_warnings_free(&warn);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < warn.count; i++)
		cmd_error("warning: %s", warn.items[i]);
	ciconfig_warnings_free(&warn);
	for (int i = 0; i < RULE_COUNT; i++) {
		if (cc->rule_value[i] != NULL &&
		    rules_set(rules, i, cc->rule_value[i], "command line", &why) < 0)
			return cmd_usage_error(cc->name, "--%s '%s': %s", rule_defs[i].name,
			                       cc->rule_value[i], why);
	}
	return 0;
}
