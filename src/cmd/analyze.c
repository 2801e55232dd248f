/* analyze: `fathom [OPTIONS] IMAGE`, the analysis: dive's waste metrics and
 * fathom's reclaimable bytes; with --ci (or CI=true) the rules gate, exit
 * status 0 pass, 1 fail, 2 error; with --json FILE dive's export. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "analysis/rules.h"
#include "analysis/waste.h"
#include "cmd/cmd.h"
#include "config/ciconfig.h"
#include "config/uiconfig.h"
#include "output/export.h"
#include "output/html.h"
#include "output/report.h"
#include "tui/app.h"

#define ANALYZE_RULE_OPT 1000	/* + rule id */

static const char analyze_help[] =
	"usage: fathom [OPTIONS] IMAGE\n"
	"\n"
	"On a terminal, opens the explorer: the layers, and the file tree at the\n"
	"selected layer, with dive's keys (? shows them). Otherwise (or with --ci,\n"
	"CI=true or --json) analyses the image: dive's efficiency, wasted bytes and\n"
	"inefficient files, and the bytes squashing would reclaim, with the layers\n"
	"that wrote and hid them. With --ci (or CI=true in the environment) checks\n"
	"the rules and exits 0 when they pass, 1 when one fails, 2 on error.\n"
	"\n"
	"  --ci                 check the rules (CI mode)\n"
	"  --ci-config FILE     the rules file (default: .fathom-ci, else .dive-ci,\n"
	"                       in the current directory, else the defaults)\n"
	"  --ci-format text|json|markdown|junit|dive\n"
	"                       the report's format (default: text, fathom's\n"
	"                       layout); dive: dive 0.13.1's CI text, line for line\n"
	"  --lowestEfficiency RATIO          fail below this efficiency (0.9)\n"
	"  --highestWastedBytes SIZE         fail above these wasted bytes (disabled)\n"
	"  --highestUserWastedPercent RATIO  fail above this ratio of wasted to user\n"
	"                                    bytes (0.1)\n"
	"  --highestReclaimableBytes SIZE    fail above these reclaimable bytes\n"
	"                                    (disabled)\n"
	"  --highestReclaimablePercent RATIO fail above this ratio of reclaimable\n"
	"                                    bytes to the image size (disabled)\n"
	"  --highestAdviceSavings SIZE       fail above these bytes that the\n"
	"                                    advice would save (disabled)\n"
	"  --onbuild fail|warn|off           ONBUILD triggers in the image (warn)\n"
	"                       (a rule's value may be 'disabled'; sizes like 20MB,\n"
	"                       1.5GiB; values given here win over the file)\n"
	"  -j, --json FILE      also write dive's JSON export (and fathom's figures\n"
	"                       under \"fathom\") to FILE; - for stdout\n"
	"  --report FILE        also write the HTML report (fathom report) to FILE,\n"
	"                       with the rules' results in CI mode\n"
	"  --top N              rows of each table of the text and Markdown reports,\n"
	"                       paths per finding in JSON (default 10; 0: all); not\n"
	"                       the --report page (100 inefficient files, as `fathom\n"
	"                       report`) nor --ci-format dive (all of them)\n"
	"  --base-layers N      the first N layers are the base image (default 1)\n"
	CMD_SOURCE_HELP
	"\n"
	"Exit status: 0 done (or the rules pass), 1 a rule failed, 2 error.\n";

struct analyze_opts {
	int ci;
	const char *config, *json, *html;
	enum report_format format;
	size_t top, base_layers;
	const char *rule_value[RULE_COUNT];	/* from the command line */
};

static int
analyze_env_ci(void)
{
	const char *ci = getenv("CI");

	return ci != NULL && (strcasecmp(ci, "true") == 0 || strcmp(ci, "1") == 0 ||
	                      strcasecmp(ci, "yes") == 0);
}

/* The rules: defaults, then the file, then the command line. */
static int
analyze_rules(const struct analyze_opts *o, struct rules *r, const char **config)
{
	struct ciconfig_warnings warn = { 0 };
	char *cause = NULL;
	const char *why;

	rules_init(r);
	*config = o->config != NULL ? o->config : ciconfig_default_path();
	if (*config != NULL && ciconfig_read(*config, r, &warn, &cause) < 0) {
		cmd_error("%s", cause);
		free(cause);
		ciconfig_warnings_free(&warn);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < warn.count; i++)
		cmd_error("warning: %s", warn.items[i]);
	ciconfig_warnings_free(&warn);
	for (int i = 0; i < RULE_COUNT; i++) {
		if (o->rule_value[i] != NULL &&
		    rules_set(r, i, o->rule_value[i], "command line", &why) < 0)
			return cmd_usage_error(NULL, "--%s '%s': %s", rule_defs[i].name,
			                       o->rule_value[i], why);
	}
	return 0;
}

/* The explorer's settings; 0, or EXIT_ERROR (printed). */
static int
analyze_uiconfig(struct uiconfig *c)
{
	struct ciconfig_warnings warn = { 0 };
	char *path = uiconfig_path(), *cause = NULL;
	int rc = 0;

	uiconfig_init(c);
	if (uiconfig_read(path, c, &warn, &cause) < 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = EXIT_ERROR;
	}
	for (size_t i = 0; i < warn.count; i++)
		cmd_error("warning: %s", warn.items[i]);
	ciconfig_warnings_free(&warn);
	free(path);
	return rc;
}

static int
analyze_export(FILE *out, void *ctx)
{
	return export_write(out, ctx);
}

static int
analyze_html(FILE *out, void *ctx)
{
	return html_write(out, ctx);
}

int
cmd_analyze(int argc, char **argv)
{
	static struct option longopts[] = {
		{ "ci", no_argument, NULL, 'c' },
		{ "ci-config", required_argument, NULL, 'C' },
		{ "ci-format", required_argument, NULL, 'f' },
		{ "json", required_argument, NULL, 'j' },
		{ "report", required_argument, NULL, 'R' },
		{ "top", required_argument, NULL, 't' },
		{ "base-layers", required_argument, NULL, 'b' },
#define ANALYZE_RULE_OPTION(id, name, kind, def) \
		{ name, required_argument, NULL, ANALYZE_RULE_OPT + id },
		RULES_LIST(ANALYZE_RULE_OPTION)
#undef ANALYZE_RULE_OPTION
		CMD_SOURCE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = NULL, .help = analyze_help };
	struct analyze_opts o = { .top = 10, .base_layers = 1 };
	struct rule_result results[RULE_COUNT];
	struct rules rules;
	struct image *img = NULL;
	struct waste waste;
	struct advice advice;
	const char *spec, *config = NULL;
	int c, rc, pass = 1;

	while ((c = getopt_long(argc, argv, ":hj:", longopts, NULL)) != -1) {
		if (c >= ANALYZE_RULE_OPT && c < ANALYZE_RULE_OPT + RULE_COUNT) {
			o.rule_value[c - ANALYZE_RULE_OPT] = optarg;
			continue;
		}
		switch (c) {
		case 'c':
			o.ci = 1;
			break;
		case 'C':
			o.config = optarg;
			break;
		case 'f':
			if (report_parse_format(optarg, &o.format) < 0)
				return cmd_usage_error(NULL, "unknown --ci-format '%s' (text, json, "
				                       "markdown, junit, dive)", optarg);
			break;
		case 'j':
			o.json = optarg;
			break;
		case 'R':
			o.html = optarg;
			break;
		case 't':
			if (cmd_parse_index(optarg, &o.top) < 0)
				return cmd_usage_error(NULL, "--top wants a number, not '%s'", optarg);
			if (o.top == 0)
				o.top = (size_t)-1;
			break;
		case 'b':
			if (cmd_parse_index(optarg, &o.base_layers) < 0)
				return cmd_usage_error(NULL, "--base-layers wants a number, not '%s'",
				                       optarg);
			break;
		default:
			if ((rc = cmd_common_option(&cc, c, argv)) >= 0)
				return rc;
		}
	}
	if ((spec = cmd_image_arg(&cc, argc, argv)) == NULL)
		return EXIT_ERROR;
	o.ci = o.ci || analyze_env_ci();
	if (o.ci && o.json != NULL && strcmp(o.json, "-") == 0 && o.format != REPORT_JSON)
		return cmd_usage_error(NULL, "--json - and the CI report would both go to stdout");
	if (o.html != NULL && strcmp(o.html, "-") == 0 && (o.ci || o.json == NULL ||
	                                                   strcmp(o.json, "-") == 0))
		return cmd_usage_error(NULL, "--report - and another report would both go to stdout");
	if (o.ci && (rc = analyze_rules(&o, &rules, &config)) != 0) {
		rules_fini(&rules);
		return rc;
	}
	/* On a terminal, without CI or an export, the explorer. */
	int tui = !o.ci && o.json == NULL && o.html == NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	struct uiconfig ui;
	if (tui && (rc = analyze_uiconfig(&ui)) != 0)
		return rc;
	cc.source.spool = tui;	/* the pager and Ctrl+E read file bytes again */
	cmd_progress_start(&cc.source, cc.progress, o.ci);
	if ((rc = cmd_load(spec, &cc.source, &img)) != 0) {
		if (o.ci)
			rules_fini(&rules);
		return rc;
	}

	waste_analyze(img, o.base_layers, &waste);
	advice_analyze(img, &waste, &advice);
	if (o.ci)
		pass = rules_evaluate(&rules, &waste, &advice, results);
	struct report r = {
		.img = img,
		.waste = &waste,
		.advice = &advice,
		.rules = o.ci ? &rules : NULL,
		.results = results,
		.config = config,
		.top = o.top,
		.color = o.format == REPORT_TEXT && cmd_color(),
	};
	rc = 0;
	if (tui) {
		char *cause = NULL;
		if (app_run(img, &waste, &advice, &ui, &cause) < 0) {
			cmd_error("%s", cause);
			free(cause);
			rc = EXIT_ERROR;
		}
		advice_fini(&advice);
		waste_fini(&waste);
		image_free(img);
		return rc;
	}
	uint64_t paths = o.json != NULL ? export_paths_bytes(img) : 0;
	if (paths > EXPORT_MAX_PATHS_BYTES) {
		cmd_error("%s: --json: the export would hold %llu bytes of paths alone (dive's "
		          "schema spells out every path): not written", img->name,
		          (unsigned long long)paths);
		rc = EXIT_ERROR;
	} else if (o.json != NULL) {
		rc = cmd_write_file(o.json, analyze_export, &r);
	}
	if (rc == 0 && o.html != NULL) {
		struct report h = r;
		h.top = 100;
		rc = cmd_write_file(o.html, analyze_html, &h);
	}
	if (rc == 0 && (o.ci || (o.json == NULL && o.html == NULL))) {
		report_print(stdout, o.ci ? o.format : REPORT_TEXT, &r);
		rc = cmd_flush(stdout);
	}
	if (rc == 0 && !pass)
		rc = 1;
	advice_fini(&advice);
	waste_fini(&waste);
	if (o.ci)
		rules_fini(&rules);
	image_free(img);
	return rc;
}
