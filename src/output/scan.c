/* scan: `fathom scan`'s text table and CSV, and the choice of format; see
 * scan.h. The JSON document and the HTML page are scan_json.c and
 * scan_html.c. */
#include "output/scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output/report.h"
#include "util/human.h"
#include "util/escape.h"
#include "util/xalloc.h"

int
scan_parse_format(const char *s, enum scan_format *out)
{
	static const char *const names[] = { "text", "json", "csv", "html" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum scan_format)i;
			return 0;
		}
	return -1;
}

char *
scan_rule_comparison(const struct scan_image *row, int rule)
{
	struct report r = { .results = row->results };

	return report_comparison(&r, rule);
}

/* ------------------------------------------------------------- text */

/* The table's headers, by column (the image's name first). */
static const char *const scan_headers[SCAN_COLUMN_COUNT] = {
	[SCAN_NAME] = "IMAGE", [SCAN_DIGEST] = "DIGEST", [SCAN_SIZE] = "SIZE",
	[SCAN_LAYERS] = "LAYERS", [SCAN_EFFICIENCY] = "EFFICIENCY", [SCAN_WASTED] = "WASTED",
	[SCAN_RECLAIMABLE] = "RECLAIMABLE", [SCAN_SAVINGS] = "SAVINGS",
	[SCAN_ONBUILD] = "ONBUILD", [SCAN_UNIQUE] = "UNIQUE", [SCAN_SHARED] = "SHARED",
};

/* A name as the terminal should see it: no control bytes, not UTF-8 as
 * \xHH (owned). */
static char *
scan_text_name(const char *s)
{
	return escape_str(s, strlen(s), 0);
}

/* 12 digits of a digest, as docker shows image IDs; "-" when none. */
static void
scan_short_digest(const char *digest, char *buf, size_t len)
{
	const char *colon = digest != NULL ? strchr(digest, ':') : NULL;

	snprintf(buf, len, "%.12s", colon != NULL ? colon + 1 : digest != NULL ? digest : "-");
}

/* The text of a cell. */
static void
scan_cell(const struct scan_image *row, enum scan_column c, char *buf, size_t len)
{
	switch (c) {
	case SCAN_NAME:		/* written whole, escaped */
		break;
	case SCAN_DIGEST:
		scan_short_digest(row->digest, buf, len);
		return;
	case SCAN_SIZE:
		human_size(row->size, buf, len);
		return;
	case SCAN_LAYERS:
		snprintf(buf, len, "%zu", row->nlayers);
		return;
	case SCAN_EFFICIENCY:
		snprintf(buf, len, "%.2f%%", row->efficiency * 100);
		return;
	case SCAN_WASTED:
		human_size(row->wasted, buf, len);
		return;
	case SCAN_RECLAIMABLE:
		human_size(row->reclaimable, buf, len);
		return;
	case SCAN_SAVINGS:
		human_size(row->savings, buf, len);
		return;
	case SCAN_ONBUILD:
		snprintf(buf, len, "%zu%s", row->onbuild, row->onbuild_high ? "!" : "");
		return;
	case SCAN_UNIQUE:
		human_size(row->unique, buf, len);
		return;
	case SCAN_SHARED:
		human_size(row->shared, buf, len);
		return;
	case SCAN_COLUMN_COUNT:
		break;
	}
	buf[0] = '\0';
}

/* Left-aligned: the name and the digest; the figures right-aligned. */
static int
scan_left(enum scan_column c)
{
	return c == SCAN_NAME || c == SCAN_DIGEST;
}

static void
scan_text_table(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;
	size_t width[SCAN_COLUMN_COUNT];
	char cell[64];

	for (int c = 0; c < SCAN_COLUMN_COUNT; c++)
		width[c] = strlen(scan_headers[c]);
	char **names = xcalloc(s->nimages ? s->nimages : 1, sizeof *names);
	size_t nrows = 0;
	for (size_t i = 0; i < s->nimages && s->images[i].error == NULL; i++, nrows++) {
		names[i] = scan_text_name(s->images[i].name);
		if (strlen(names[i]) > width[SCAN_NAME])
			width[SCAN_NAME] = strlen(names[i]);
		for (int c = 1; c < SCAN_COLUMN_COUNT; c++) {
			scan_cell(&s->images[i], c, cell, sizeof cell);
			if (strlen(cell) > width[c])
				width[c] = strlen(cell);
		}
	}
	for (int c = 0; c < SCAN_COLUMN_COUNT; c++)
		fprintf(out, "%s%*s", c ? "  " : "", scan_left(c) ? -(int)width[c] : (int)width[c],
		        scan_headers[c]);
	fputs(o->ci ? "  CI\n" : "\n", out);
	for (size_t i = 0; i < nrows; i++) {
		const struct scan_image *row = &s->images[i];
		for (int c = 0; c < SCAN_COLUMN_COUNT; c++) {
			scan_cell(row, c, cell, sizeof cell);
			fprintf(out, "%s%*s", c ? "  " : "", scan_left(c) ? -(int)width[c] : (int)width[c],
			        c == SCAN_NAME ? names[i] : cell);
		}
		if (o->ci)
			fprintf(out, "  %s", !row->checked ? "-" : row->pass ? "PASS" : "FAIL");
		fputc('\n', out);
	}
	for (size_t i = 0; i < nrows; i++)
		free(names[i]);
	free(names);
}

static void
scan_text_totals(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;
	char size[32], stored[32], shared[32], rec[32], sav[32], wasted[32];
	uint64_t saved = s->size - s->stored;

	human_size(s->size, size, sizeof size);
	human_size(s->stored, stored, sizeof stored);
	human_size(saved, shared, sizeof shared);
	human_size(s->reclaimable, rec, sizeof rec);
	human_size(s->savings, sav, sizeof sav);
	human_size(s->wasted, wasted, sizeof wasted);
	size_t read = s->nimages - s->errors;
	fprintf(out, "\n%zu image%s", read, read == 1 ? "" : "s");
	if (s->errors > 0)
		fprintf(out, " (and %zu that could not be read)", s->errors);
	fprintf(out, ": %s summed, %zu layer%s\n", size, s->layers, s->layers == 1 ? "" : "s");
	fprintf(out, "each distinct layer once (%zu): %s; shared layers save %s", s->distinct,
	        stored, shared);
	if (s->size > 0)
		fprintf(out, " (%.1f%%)", 100.0 * (double)saved / (double)s->size);
	fputc('\n', out);
	fprintf(out, "reclaimable by squashing: %s; advice savings: %s; wasted (dive): %s\n", rec,
	        sav, wasted);
}

static void
scan_text_shared(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;
	size_t n = s->nshared < o->top ? s->nshared : o->top;
	char size[32], digest[16];

	if (s->nshared == 0) {
		fputs("\nNo layer is shared.\n", out);
		return;
	}
	fprintf(out, "\nLayers most images share (%zu of %zu shared):\n", n, s->nshared);
	fprintf(out, "  %-12s  %8s  %6s  %s\n", "LAYER", "SIZE", "IMAGES", "COMMAND");
	for (size_t i = 0; i < n; i++) {
		const struct scan_shared *sh = &s->shared[i];
		char *cmd = sh->command != NULL ? scan_text_name(sh->command) : xstrdup("");
		scan_short_digest(sh->key, digest, sizeof digest);
		human_size(sh->size, size, sizeof size);
		fprintf(out, "  %-12s  %8s  %6zu  %.60s%s\n", digest, size, sh->users, cmd,
		        strlen(cmd) > 60 ? "..." : "");
		free(cmd);
	}
}

/* "lowestEfficiency 0.52 < 0.9, onbuild 2 ONBUILD triggers": the rules
 * row failed (owned). */
static char *
scan_failures(const struct scan_image *row)
{
	char *s = xstrdup("");

	for (int i = 0; i < RULE_COUNT; i++) {
		if (row->results[i].status != RULE_FAIL)
			continue;
		char *c = scan_rule_comparison(row, i);
		char *t = xasprintf("%s%s%s %s", s, *s ? ", " : "", rule_defs[i].name, c);
		free(c);
		free(s);
		s = t;
	}
	return s;
}

static void
scan_text_ci(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;
	const char *from = o->merged ? "each as its own scan checked it" :
	                   o->config != NULL ? o->config : "the default rules";

	if (s->failed == 0) {
		fprintf(out, "\nCI: PASS: every image passes the rules (%s)\n", from);
		return;
	}
	fprintf(out, "\nCI: FAIL: %zu of %zu image%s fail the rules (%s):\n", s->failed,
	        s->nimages - s->errors, s->nimages - s->errors == 1 ? "" : "s", from);
	for (size_t i = 0; i < s->nimages; i++) {
		const struct scan_image *row = &s->images[i];
		if (!row->checked || row->pass)
			continue;
		char *name = scan_text_name(row->name), *why = scan_failures(row);
		fprintf(out, "  %s: %s\n", name, why);
		free(name);
		free(why);
	}
}

static void
scan_text_errors(FILE *out, const struct scan *s)
{
	if (s->errors == 0)
		return;
	fprintf(out, "\nCould not be read (%zu):\n", s->errors);
	for (size_t i = 0; i < s->nimages; i++) {
		if (s->images[i].error == NULL)
			continue;
		const char *error = s->images[i].error, *name = s->images[i].name;
		size_t n = strlen(name);
		/* the cause names the image first, mostly */
		if (strncmp(error, name, n) == 0 && strncmp(error + n, ": ", 2) == 0)
			error += n + 2;
		char *tname = scan_text_name(name), *why = scan_text_name(error);
		fprintf(out, "  %s: %s\n", tname, why);
		free(tname);
		free(why);
	}
}

static int
scan_text_write(FILE *out, const struct scan_output *o)
{
	scan_text_table(out, o);
	scan_text_totals(out, o);
	scan_text_shared(out, o);
	if (o->ci)
		scan_text_ci(out, o);
	scan_text_errors(out, o->s);
	return ferror(out) ? -1 : 0;
}

/* -------------------------------------------------------------- CSV */

/* A field as RFC 4180 has it: quoted when it holds a comma, a quote or a
 * line break; bytes that are not UTF-8 as \xHH. */
static void
scan_csv_field(FILE *out, const char *s)
{
	char *e = escape_str(s != NULL ? s : "", s != NULL ? strlen(s) : 0, 1);

	if (strpbrk(e, ",\"\r\n") == NULL) {
		fputs(e, out);
	} else {
		fputc('"', out);
		for (const char *p = e; *p; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	}
	free(e);
}

static int
scan_csv_write(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;
	char eff[40], uwp[40], rp[40];

	fputs("name,digest,platform,size,layers,efficiency,wasted_bytes,user_wasted_percent,"
	      "reclaimable_bytes,reclaimable_percent,advice_savings,onbuild_triggers,"
	      "unique_bytes,shared_bytes,ci,error\r\n", out);
	for (size_t i = 0; i < s->nimages; i++) {
		const struct scan_image *r = &s->images[i];
		scan_csv_field(out, r->name);
		fputc(',', out);
		scan_csv_field(out, r->digest);
		fputc(',', out);
		scan_csv_field(out, r->platform);
		if (r->error != NULL) {
			fputs(",,,,,,,,,,,,,", out);
			scan_csv_field(out, r->error);
			fputs("\r\n", out);
			continue;
		}
		human_double(r->efficiency, eff, sizeof eff);
		human_double(r->user_wasted_percent, uwp, sizeof uwp);
		human_double(r->reclaimable_percent, rp, sizeof rp);
		fprintf(out, ",%llu,%zu,%s,%llu,%s,%llu,%s,%llu,%zu,%llu,%llu,%s,\r\n",
		        (unsigned long long)r->size, r->nlayers, eff, (unsigned long long)r->wasted,
		        uwp, (unsigned long long)r->reclaimable, rp, (unsigned long long)r->savings,
		        r->onbuild, (unsigned long long)r->unique, (unsigned long long)r->shared,
		        !r->checked ? "" : r->pass ? "PASS" : "FAIL");
	}
	return ferror(out) ? -1 : 0;
}

int
scan_write(FILE *out, const struct scan_output *o)
{
	switch (o->format) {
	case SCAN_JSON:
		return scan_json_write(out, o);
	case SCAN_CSV:
		return scan_csv_write(out, o);
	case SCAN_HTML:
		return scan_html_write(out, o);
	case SCAN_TEXT:
		break;
	}
	return scan_text_write(out, o);
}
