/* scan_html: `fathom scan --format html`: one self-contained page (inline
 * CSS and script, nothing fetched) in the look of `fathom report`: the
 * totals, the CI verdict, a sortable table of the images, each linking to
 * its own section (figures, layers with the images sharing them, advice,
 * rules), the shared layers and the images that could not be read. Plain
 * HTML throughout; the script only sorts the table. */
#include <stdlib.h>
#include <string.h>

#include "output/findings.h"
#include "output/report.h"
#include "output/scan.h"
#include "util/human.h"
#include "util/escape.h"
#include "util/xalloc.h"

static const char scan_html_css[] =
	":root{--bg:#fff;--fg:#1d2330;--mute:#5b6475;--line:#d8dce4;--card:#f5f6f9;"
	"--ok:#2e7d32;--bad:#c62828;--warn:#b26a00;--focus:#1565c0;--link:#1565c0}"
	"@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e3e6ec;--mute:#9aa3b2;"
	"--line:#2c323c;--card:#1c2028;--ok:#66bb6a;--bad:#ef5350;--warn:#ffb74d;"
	"--focus:#64b5f6;--link:#90caf9}}"
	"*{box-sizing:border-box}body{margin:0 auto;max-width:1200px;padding:16px 20px 48px;"
	"background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,'Segoe UI',"
	"sans-serif}a{color:var(--link)}h1{font-size:22px;margin:8px 0 4px;word-break:break-all}"
	"h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px;"
	"word-break:break-all}h3{font-size:15px;margin:16px 0 6px}"
	"dl.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:6px 16px;"
	"margin:12px 0}dl.summary div{background:var(--card);padding:6px 10px;border-radius:6px}"
	"dt{color:var(--mute);font-size:12px}dd{margin:0;font-weight:600;word-break:break-all}"
	"table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:4px 8px;"
	"border-bottom:1px solid var(--line);vertical-align:top}td.n,th.n{text-align:right;"
	"white-space:nowrap}td.p{word-break:break-all;font-family:ui-monospace,monospace;font-size:13px}"
	"th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;"
	"cursor:pointer}.PASS{color:var(--ok)}.FAIL{color:var(--bad)}.WARN{color:var(--warn)}"
	".SKIP{color:var(--mute)}.verdict{font-size:16px;font-weight:700}.mute{color:var(--mute)}"
	"section.image{border-top:2px solid var(--line);margin-top:32px}"
	"button:focus-visible,a:focus-visible{outline:2px solid var(--focus)}";

/* Sorting the images' table by a column: data-v holds each cell's exact
 * value; a second click reverses. */
static const char scan_html_js[] =
	"(function(){'use strict';\n"
	"Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(t){"
	"Array.prototype.forEach.call(t.querySelectorAll('th button'),function(b,col){"
	"b.addEventListener('click',function(){var rows=Array.prototype.slice.call("
	"t.querySelectorAll('tbody tr')),dir=b.getAttribute('data-dir')==='desc'?1:-1;"
	"rows.sort(function(p,q){var a=p.children[col].getAttribute('data-v'),"
	"c=q.children[col].getAttribute('data-v');var x=+a,y=+c;"
	"var r=(isNaN(x)||isNaN(y))?String(a).localeCompare(String(c)):x-y;return dir*r;});"
	"rows.forEach(function(r){r.parentNode.appendChild(r);});"
	"b.setAttribute('data-dir',dir===1?'asc':'desc');});});});\n"
	"document.documentElement.setAttribute('data-ready','1');\n"
	"})();\n";

static void
scan_html_str(FILE *out, const char *s)
{
	escape_html(out, s, s != NULL ? strlen(s) : 0);
}

static void
scan_html_size(FILE *out, uint64_t bytes)
{
	char h[32];

	human_dive_size(bytes, h, sizeof h);
	fputs(h, out);
}

/* A card of the summary; the value's text follows. */
static void
scan_html_item(FILE *out, const char *id, const char *label)
{
	fprintf(out, "<div><dt>%s</dt><dd%s%s%s>", label, id ? " id=\"" : "", id ? id : "",
	        id ? "\"" : "");
}

static void
scan_html_item_size(FILE *out, const char *id, const char *label, uint64_t bytes)
{
	scan_html_item(out, id, label);
	scan_html_size(out, bytes);
	fprintf(out, "</dd></div>\n");
}

/* A cell with its exact value in data-v: bytes, a count. */
static void
scan_html_td_size(FILE *out, uint64_t bytes)
{
	fprintf(out, "<td class=\"n\" data-v=\"%llu\">", (unsigned long long)bytes);
	scan_html_size(out, bytes);
	fputs("</td>", out);
}

static void
scan_html_td_ratio(FILE *out, double ratio)
{
	char v[40];

	human_double(ratio, v, sizeof v);
	fprintf(out, "<td class=\"n\" data-v=\"%s\">%.2f %%</td>", v, ratio * 100);
}

/* 12 digits of a digest, the whole in a title. */
static void
scan_html_digest(FILE *out, const char *digest)
{
	const char *colon = digest != NULL ? strchr(digest, ':') : NULL;

	if (digest == NULL) {
		fputs("-", out);
		return;
	}
	fputs("<span title=\"", out);
	scan_html_str(out, digest);
	fprintf(out, "\">%.12s</span>", colon != NULL ? colon + 1 : digest);
}

static void
scan_html_header(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;
	size_t read = s->nimages - s->errors;
	char pct[32] = "";

	fprintf(out, "<header><h1>fathom scan: %zu image%s</h1>\n<dl class=\"summary\">\n", read,
	        read == 1 ? "" : "s");
	scan_html_item(out, "images", "Images");
	fprintf(out, "%zu</dd></div>\n", read);
	scan_html_item_size(out, "size", "Their sizes summed", s->size);
	scan_html_item(out, "stored", "Each layer once (what a registry stores)");
	scan_html_size(out, s->stored);
	if (s->size > 0)
		snprintf(pct, sizeof pct, " (%.1f %% shared)",
		         100.0 * (double)(s->size - s->stored) / (double)s->size);
	fprintf(out, "%s</dd></div>\n", pct);
	scan_html_item(out, "layers", "Layers (distinct)");
	fprintf(out, "%zu (%zu)</dd></div>\n", s->layers, s->distinct);
	scan_html_item_size(out, "reclaimable", "Reclaimable by squashing", s->reclaimable);
	scan_html_item_size(out, "savings", "Advice savings", s->savings);
	scan_html_item_size(out, "wasted", "Wasted bytes (dive)", s->wasted);
	if (o->ci) {
		scan_html_item(out, "verdict", "CI rules");
		fprintf(out, "<span class=\"%s\">%s</span>", s->failed ? "FAIL" : "PASS",
		        s->failed ? "FAIL" : "PASS");
		if (s->failed)
			fprintf(out, ": %zu image%s", s->failed, s->failed == 1 ? "" : "s");
		fputs("</dd></div>\n", out);
	}
	if (s->errors > 0) {
		scan_html_item(out, "errors", "Could not be read");
		fprintf(out, "%zu</dd></div>\n", s->errors);
	}
	fputs("</dl></header>\n", out);
}

static void
scan_html_link(FILE *out, const struct scan *s, size_t i)
{
	fprintf(out, "<a href=\"#image-%zu\">", i);
	scan_html_str(out, s->images[i].name);
	fputs("</a>", out);
}

static void
scan_html_ci(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;

	if (!o->ci)
		return;
	fputs("<section id=\"ci\"><h2>CI rules</h2>\n<p class=\"mute\">From ", out);
	scan_html_str(out, o->merged ? "each image's own scan" :
	                   o->config != NULL ? o->config : "the default rules");
	fputs(".</p>\n", out);
	if (s->failed == 0) {
		fputs("<p class=\"verdict PASS\">PASS: every image passes the rules.</p></section>\n",
		      out);
		return;
	}
	fprintf(out, "<p class=\"verdict FAIL\">FAIL: %zu image%s fail%s the rules.</p>\n<ul>\n",
	        s->failed, s->failed == 1 ? "" : "s", s->failed == 1 ? "s" : "");
	for (size_t i = 0; i < s->nimages; i++) {
		const struct scan_image *r = &s->images[i];
		if (!r->checked || r->pass)
			continue;
		fputs("<li class=\"failed\">", out);
		scan_html_link(out, s, i);
		for (int k = 0, n = 0; k < RULE_COUNT; k++) {
			if (r->results[k].status != RULE_FAIL)
				continue;
			char *c = scan_rule_comparison(r, k);
			fprintf(out, "%s%s ", n++ ? ", " : ": ", rule_defs[k].name);
			scan_html_str(out, c);
			free(c);
		}
		fputs("</li>\n", out);
	}
	fputs("</ul></section>\n", out);
}

static void
scan_html_th(FILE *out, const char *label, int num)
{
	fprintf(out, "<th%s><button type=\"button\">%s</button></th>", num ? " class=\"n\"" : "",
	        label);
}

static void
scan_html_table(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;

	fputs("<section id=\"list\"><h2>Images</h2>\n<table id=\"image-table\" class=\"sortable\">"
	      "<thead><tr>", out);
	scan_html_th(out, "Image", 0);
	scan_html_th(out, "Digest", 0);
	scan_html_th(out, "Size", 1);
	scan_html_th(out, "Layers", 1);
	scan_html_th(out, "Efficiency", 1);
	scan_html_th(out, "Wasted", 1);
	scan_html_th(out, "Reclaimable", 1);
	scan_html_th(out, "Savings", 1);
	scan_html_th(out, "ONBUILD", 1);
	scan_html_th(out, "Unique", 1);
	scan_html_th(out, "Shared", 1);
	if (o->ci)
		scan_html_th(out, "CI", 0);
	fputs("</tr></thead><tbody>\n", out);
	for (size_t i = 0; i < s->nimages && s->images[i].error == NULL; i++) {
		const struct scan_image *r = &s->images[i];
		fputs("<tr><td class=\"p\" data-v=\"", out);
		scan_html_str(out, r->name);
		fputs("\">", out);
		scan_html_link(out, s, i);
		fputs("</td><td class=\"p\" data-v=\"", out);
		scan_html_str(out, r->digest);
		fputs("\">", out);
		scan_html_digest(out, r->digest);
		fputs("</td>", out);
		scan_html_td_size(out, r->size);
		fprintf(out, "<td class=\"n\" data-v=\"%zu\">%zu</td>", r->nlayers, r->nlayers);
		scan_html_td_ratio(out, r->efficiency);
		scan_html_td_size(out, r->wasted);
		scan_html_td_size(out, r->reclaimable);
		scan_html_td_size(out, r->savings);
		fprintf(out, "<td class=\"n\" data-v=\"%zu\">%zu%s</td>", r->onbuild, r->onbuild,
		        r->onbuild_high ? " (high)" : "");
		scan_html_td_size(out, r->unique);
		scan_html_td_size(out, r->shared);
		if (o->ci) {
			const char *v = !r->checked ? "-" : r->pass ? "PASS" : "FAIL";
			fprintf(out, "<td class=\"%s\" data-v=\"%s\">%s</td>", v, v, v);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static void
scan_html_shared(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;
	size_t n = s->nshared < o->top ? s->nshared : o->top;

	fputs("<section id=\"shared\"><h2>Layers most images share</h2>\n", out);
	if (s->nshared == 0) {
		fputs("<p>No layer is shared.</p></section>\n", out);
		return;
	}
	fprintf(out, "<p class=\"mute\">%zu of %zu shared layers, most images first.</p>\n"
	        "<table><thead><tr><th>Layer</th><th class=\"n\">Size</th><th class=\"n\">Images</th>"
	        "<th>Command</th><th>Used by</th></tr></thead><tbody>\n", n, s->nshared);
	for (size_t i = 0; i < n; i++) {
		const struct scan_shared *sh = &s->shared[i];
		fputs("<tr><td class=\"p\">", out);
		scan_html_digest(out, sh->key);
		fputs("</td>", out);
		scan_html_td_size(out, sh->size);
		fprintf(out, "<td class=\"n\">%zu</td><td class=\"p\">", sh->users);
		scan_html_str(out, sh->command);
		fputs("</td><td>", out);
		for (size_t k = 0; k < sh->users; k++) {
			if (k > 0)
				fputs(", ", out);
			scan_html_link(out, s, sh->images[k]);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static void
scan_html_errors(FILE *out, const struct scan *s)
{
	if (s->errors == 0)
		return;
	fputs("<section id=\"errors\"><h2>Could not be read</h2>\n<table><tbody>\n", out);
	for (size_t i = 0; i < s->nimages; i++) {
		if (s->images[i].error == NULL)
			continue;
		fputs("<tr><td class=\"p\">", out);
		scan_html_str(out, s->images[i].name);
		fputs("</td><td>", out);
		scan_html_str(out, s->images[i].error);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

/* An image's figures, in the look of report's summary. */
static void
scan_html_image_summary(FILE *out, const struct scan_image *r)
{
	char pct[40];

	fputs("<dl class=\"summary\">\n", out);
	scan_html_item(out, NULL, "Image ID");
	scan_html_str(out, r->digest != NULL ? r->digest : "unknown");
	fputs("</dd></div>\n", out);
	scan_html_item(out, NULL, "Platform");
	scan_html_str(out, r->platform != NULL ? r->platform : "unknown");
	fputs("</dd></div>\n", out);
	scan_html_item_size(out, NULL, "Total size", r->size);
	scan_html_item(out, NULL, "Efficiency (dive)");
	fprintf(out, "%.4f %%</dd></div>\n", r->efficiency * 100);
	scan_html_item_size(out, NULL, "Wasted bytes (dive)", r->wasted);
	scan_html_item(out, NULL, "Reclaimable by squashing");
	scan_html_size(out, r->reclaimable);
	snprintf(pct, sizeof pct, " (%.2f %%)", r->reclaimable_percent * 100);
	fprintf(out, "%s</dd></div>\n", pct);
	scan_html_item_size(out, NULL, "Advice savings", r->savings);
	scan_html_item_size(out, NULL, "Unique to this image", r->unique);
	scan_html_item_size(out, NULL, "Shared with other images", r->shared);
	scan_html_item(out, NULL, "ONBUILD triggers");
	fprintf(out, "%zu%s</dd></div>\n", r->onbuild, r->onbuild_high ? " (high severity)" : "");
	fputs("</dl>\n", out);
}

/* An image's layers, with how many images share each. */
static void
scan_html_image_layers(FILE *out, const struct scan_image *r)
{
	fputs("<h3>Layers</h3>\n<table class=\"layers\"><thead><tr><th class=\"n\">#</th>"
	      "<th>Layer</th><th class=\"n\">Size</th><th class=\"n\">Images</th><th>Command</th>"
	      "</tr></thead><tbody>\n", out);
	for (size_t k = 0; k < r->nlayers; k++) {
		const struct scan_layer *l = &r->layers[k];
		fprintf(out, "<tr><td class=\"n\">%zu</td><td class=\"p\">", k);
		scan_html_digest(out, l->key);
		fputs("</td>", out);
		scan_html_td_size(out, l->size);
		fprintf(out, "<td class=\"n\">%zu</td><td class=\"p\">", l->users);
		scan_html_str(out, l->command);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void
scan_html_image_advice(FILE *out, const struct scan_image *r)
{
	fputs("<h3>Advice</h3>\n", out);
	if (r->nfindings == 0) {
		fputs("<p>No findings.</p>\n", out);
		return;
	}
	fputs("<table class=\"advice\"><thead><tr><th>Finding</th><th class=\"n\">Saves</th>"
	      "<th>Where</th></tr></thead><tbody>\n", out);
	for (size_t k = 0; k < r->nfindings; k++) {
		const struct advice_finding *f = &r->findings[k];
		char *where = findings_where(f);
		fputs("<tr><td title=\"", out);
		scan_html_str(out, advice_defs[f->id].text);
		fprintf(out, "\">%s</td>", advice_defs[f->id].name);
		scan_html_td_size(out, f->bytes);
		fputs("<td>", out);
		scan_html_str(out, where);
		fputs("</td></tr>\n", out);
		free(where);
	}
	fputs("</tbody></table>\n", out);
}

/* An image's CI verdict, rule by rule; nothing when it was not checked. */
static void
scan_html_image_rules(FILE *out, const struct scan_image *r)
{
	if (!r->checked)
		return;
	fprintf(out, "<h3>CI rules: <span class=\"%s\">%s</span></h3>\n<table class=\"rules\">"
	        "<thead><tr><th>Result</th><th>Rule</th><th>Value</th></tr></thead><tbody>\n",
	        r->pass ? "PASS" : "FAIL", r->pass ? "PASS" : "FAIL");
	for (int k = 0; k < RULE_COUNT; k++) {
		const char *st = report_status_names[r->results[k].status];
		char *c = scan_rule_comparison(r, k);
		fprintf(out, "<tr><td class=\"%s\">%s</td><td>%s</td><td>", st, st,
		        rule_defs[k].name);
		scan_html_str(out, c);
		fputs("</td></tr>\n", out);
		free(c);
	}
	fputs("</tbody></table>\n", out);
}

/* One image's own section. */
static void
scan_html_image(FILE *out, const struct scan_output *o, size_t i)
{
	const struct scan_image *r = &o->s->images[i];

	fprintf(out, "<section class=\"image\" id=\"image-%zu\"><h2>", i);
	scan_html_str(out, r->name);
	fputs("</h2>\n", out);
	scan_html_image_summary(out, r);
	scan_html_image_layers(out, r);
	scan_html_image_advice(out, r);
	scan_html_image_rules(out, r);
	fputs("<p><a href=\"#list\">All images</a></p></section>\n", out);
}

int
scan_html_write(FILE *out, const struct scan_output *o)
{
	const struct scan *s = o->s;

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
	        "<meta name=\"color-scheme\" content=\"light dark\">\n"
	        "<title>fathom scan: %zu images</title>\n<style>%s</style>\n</head>\n<body>\n",
	        s->nimages - s->errors, scan_html_css);
	scan_html_header(out, o);
	scan_html_ci(out, o);
	scan_html_table(out, o);
	scan_html_shared(out, o);
	scan_html_errors(out, s);
	for (size_t i = 0; i < s->nimages && s->images[i].error == NULL; i++)
		scan_html_image(out, o, i);
	fprintf(out, "<script>\n%s</script>\n</body></html>\n", scan_html_js);
	return ferror(out) ? -1 : 0;
}
