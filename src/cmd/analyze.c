/* analyze: `fathom [OPTIONS] IMAGE`, the analysis: dive's waste metrics and
 * fathom's reclaimable bytes; with --ci (or CI=true) the rules gate, exit
 * status 0 pass, 1 fail, 2 error; with --json FILE dive's export. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "analysis/rules.h"
#include "cmd/cmd.h"
#include "config/ciconfig.h"
#include "config/uiconfig.h"
#include "output/export.h"
#include "output/report.h"
#include "tui/app.h"

static const struct cmd_option cmd_analyze_options[] = {
	CMD_OPTION('c', "ci", NULL, "check the rules (CI mode)"),
	CMD_OPTION('C', "ci-config", "FILE",
	           "the rules file (default: .fathom-ci, else .dive-ci,\n"
	           "in the current directory, else the defaults)"),
	/* values, help and parsing from OUTPUT_FORMATS */
	CMD_OPTION('f', "ci-format", OUTPUT_FORMAT_NAMES,
	           "the report's format:" OUTPUT_FORMAT_HELP),
	CMD_OPTION_RULES,
	CMD_OPTION_LETTER('j', "json", "FILE",
	                  "also write dive's JSON export (and fathom's figures\n"
	                  "under \"fathom\") to FILE; - for stdout"),
	CMD_OPTION('R', "report", "FILE",
	           "also write the HTML report (fathom report) to FILE,\n"
	           "with the rules' results in CI mode"),
	CMD_OPTION_TOP(10, "rows of each table of the text and Markdown reports,\n"
	                   "paths per finding in JSON (default %zu; 0: all); not\n"
	                   "the --report page (100 inefficient files, as `fathom\n"
	                   "report`; --ci-format html too) nor --ci-format dive\n"
	                   "(all of them)"),
	CMD_OPTION_BASE_LAYERS,
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_analyze_syntax = {
	"usage: fathom [OPTIONS] IMAGE\n"
	"\n"
	"On a terminal, opens the explorer: the layers, and the file tree at the\n"
	"selected layer, with dive's keys (? shows them). Otherwise (or with --ci,\n"
	"CI=true or --json) analyses the image: dive's efficiency, wasted bytes and\n"
	"inefficient files, and the bytes squashing would reclaim, with the layers\n"
	"that wrote and hid them. With --ci (or CI=true in the environment) checks\n"
	"the rules and exits 0 when they pass, 1 when one fails, 2 on error.\n"
	"\n",
	cmd_analyze_options,
	"\n"
	"Exit status: 0 done (or the rules pass), 1 a rule failed, 2 error.\n",
};

struct cmd_analyze_args {
	int ci;
	const char *config, *json, *html;
	enum output_format format;	/* --ci-format */
	struct rules rules;			/* in CI mode */
	const char *config_path;		/* the rules file read, or NULL */
};

static int
cmd_analyze_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct cmd_analyze_args *a = state;

	switch (id) {
	case 'c':
		a->ci = 1;
		return -1;
	case 'C':
		a->config = arg;
		return -1;
	case 'f':
		if (output_format_parse(arg, &a->format) < 0)
			return cmd_usage_error(cc->name, "unknown --ci-format '%s' (%s)", arg,
			                       OUTPUT_FORMAT_NAMES);
		return -1;
	case 'j':
		a->json = arg;
		return -1;
	default:	/* 'R' */
		a->html = arg;
		return -1;
	}
}

static int
cmd_analyze_env_ci(void)
{
	const char *ci = getenv("CI");

	return ci != NULL && (strcasecmp(ci, "true") == 0 || strcmp(ci, "1") == 0 ||
	                      strcasecmp(ci, "yes") == 0);
}

/* Whether stdout is a terminal that takes colour (NO_COLOR unset). */
static int
cmd_analyze_color(void)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (no == NULL || *no == '\0') &&
	       (term == NULL || strcmp(term, "dumb") != 0);
}

/* The outputs that would both go to stdout; -1 when none do. */
static int
cmd_analyze_check(const struct cmd_analyze_args *a)
{
	if (a->ci && a->json != NULL && strcmp(a->json, "-") == 0 && a->format != OUTPUT_JSON)
		return cmd_usage_error(NULL, "--json - and the CI report would both go to stdout");
	if (a->html != NULL && strcmp(a->html, "-") == 0 && (a->ci || a->json == NULL ||
	                                                     strcmp(a->json, "-") == 0))
		return cmd_usage_error(NULL, "--report - and another report would both go to stdout");
	return -1;
}

/* The explorer's settings; 0, or EXIT_ERROR (printed). */
static int
cmd_analyze_uiconfig(struct uiconfig *c)
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

/* On a terminal: the explorer. */
static int
cmd_analyze_explore(const struct cmd_ctx *cc)
{
	struct uiconfig ui;
	struct cmd_image ci;
	char *cause = NULL;
	int rc;

	if ((rc = cmd_analyze_uiconfig(&ui)) != 0)
		return rc;
	/* the pager and Ctrl+E read file bytes again */
	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_ADVICE | CMD_IMAGE_SPOOL, &ci)) != 0)
		return rc;
	if (app_run(ci.img, &ci.waste, &ci.advice, &ui, &cause) < 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = EXIT_ERROR;
	}
	cmd_image_close(&ci);
	return rc;
}

static int
cmd_analyze_export(FILE *out, void *ctx)
{
	return export_write(out, ctx);
}

static int
cmd_analyze_html(FILE *out, void *ctx)
{
	return report_html_write(out, ctx);
}

/* The export, the page, the report: each asked for, in that order. */
static int
cmd_analyze_write(const struct cmd_analyze_args *a, struct report *r)
{
	uint64_t paths = a->json != NULL ? export_paths_bytes(r->img) : 0;
	int rc = 0;

	if (paths > EXPORT_MAX_PATHS_BYTES) {
		cmd_error("%s: --json: the export would hold %llu bytes of paths alone (dive's "
		          "schema spells out every path): not written", r->img->name,
		          (unsigned long long)paths);
		rc = EXIT_ERROR;
	} else if (a->json != NULL) {
		rc = cmd_write_file(a->json, cmd_analyze_export, r);
	}
	/* the page lists as many rows as fathom report's */
	struct report page = *r;
	page.top = REPORT_HTML_TOP;
	if (rc == 0 && a->html != NULL)
		rc = cmd_write_file(a->html, cmd_analyze_html, &page);
	if (rc == 0 && (a->ci || (a->json == NULL && a->html == NULL))) {
		enum output_format f = a->ci ? a->format : OUTPUT_TEXT;
		report_write(stdout, f, f == OUTPUT_HTML ? &page : r);
		rc = cmd_flush(stdout);
	}
	return rc;
}

/* The analysis, the rules in CI mode, the outputs. */
static int
cmd_analyze_report(const struct cmd_ctx *cc, const struct cmd_analyze_args *a)
{
	struct rule_result results[RULE_COUNT];
	struct cmd_image ci;
	int rc, pass = 1;

	rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_ADVICE | (a->ci ? CMD_IMAGE_QUIET : 0),
	                    &ci);
	if (rc != 0)
		return rc;
	if (a->ci)
		pass = rules_evaluate(&a->rules, &ci.waste, &ci.advice, results);
	struct report r = {
		.img = ci.img,
		.waste = &ci.waste,
		.advice = &ci.advice,
		.rules = a->ci ? &a->rules : NULL,
		.results = results,
		.config = a->config_path,
		.top = cc->top,
		.color = a->format == OUTPUT_TEXT && cmd_analyze_color(),
	};
	rc = cmd_analyze_write(a, &r);
	if (rc == 0 && !pass)
		rc = 1;
	cmd_image_close(&ci);
	return rc;
}

int
cmd_analyze(struct cmd_ctx *cc, int argc, char **argv)
{
	struct cmd_analyze_args a = { 0 };
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, cmd_analyze_option, &a)) >= 0)
		return rc;
	a.ci = a.ci || cmd_analyze_env_ci();
	if ((rc = cmd_analyze_check(&a)) >= 0)
		return rc;
	if (a.ci) {
		if ((rc = cmd_rules_load(cc, a.config, &a.rules, &a.config_path)) == 0)
			rc = cmd_analyze_report(cc, &a);
		rules_fini(&a.rules);
		return rc;
	}
	/* On a terminal, without CI or an export, the explorer. */
	if (a.json == NULL && a.html == NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return cmd_analyze_explore(cc);
	return cmd_analyze_report(cc, &a);
}
