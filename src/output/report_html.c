/* report_html: the CI report as one self-contained HTML file (`fathom
 * report`, --report, --ci-format html): inline CSS, JavaScript and SVG,
 * nothing fetched: header figures, the CI rules when run in CI, a bar per
 * layer with its hidden bytes, a treemap of the final filesystem coloured
 * by layer (directories drawn inside their parents, small files
 * aggregated), the inefficient files, the advice and the ONBUILD
 * triggers. The summary and the tables are plain HTML; the script
 * (report_html.js, with report_html.css embedded at build time) adds the
 * treemap, zooming, the layer details and sorting, from one JSON document
 * in the page. */
#include "output/report.h"

#include <stdlib.h>
#include <string.h>

#include "image/links.h"
#include "image/stack.h"
#include "output/findings.h"
#include "util/escape.h"
#include "util/human.h"
#include "util/jsonw.h"
#include "util/xalloc.h"

/* report_html.css and report_html.js, made C arrays by the Makefile (xxd) */
extern const unsigned char report_html_css[], report_html_js[];
extern const unsigned int report_html_css_len, report_html_js_len;

#define REPORT_HTML_LAYER_TOP 10	/* largest changes kept per layer */

/* Directories and files kept in the treemap: one is aggregated with its
 * smaller siblings when it holds less than 1/TREEMAP_SHARE of the image,
 * or is past the TREEMAP_CHILDREN largest of its directory, or deeper than
 * TREEMAP_DEPTH, or past TREEMAP_NODES in all (about 50 bytes each: the
 * report stays under 10 MB whatever the image). */
#define TREEMAP_SHARE 20000
#define TREEMAP_CHILDREN 200
#define TREEMAP_DEPTH 48
#define TREEMAP_NODES 100000

/* the data object, then two arrays per level of the tree */
_Static_assert(2 * (TREEMAP_DEPTH + 2) + 2 <= JSONW_MAX_DEPTH,
               "the treemap's data nests deeper than jsonw can write");

static void
report_html_str(FILE *out, const char *s)
{
	escape_html(out, s, s != NULL ? strlen(s) : 0);
}

static void
report_html_size(FILE *out, uint64_t bytes)
{
	char h[32];

	human_dive_size(bytes, h, sizeof h);
	fputs(h, out);
}

/* The colour of layer k: hues a golden angle apart, all of one saturation;
 * the hidden part of a bar is grey (--hid), which no layer can be. */
static void
report_html_color(size_t k, char *buf, size_t len)
{
	snprintf(buf, len, "hsl(%.0f,55%%,52%%)", (double)((k * 137508) % 360000) / 1000.0);
}

static void
report_html_path(FILE *out, const struct image *img, uint32_t node)
{
	char *buf = NULL;
	size_t cap = 0, len = tree_path(&img->tree, node, &buf, &cap);

	escape_html(out, buf, len);
	free(buf);
}

/* ------------------------------------------------------------ model */

/* What a layer changed, for its details. */
struct report_html_change {
	uint32_t node;
	uint64_t size;
	char status;
};

struct report_html_layer {
	size_t added, modified, removed;
	uint64_t hidden;	/* bytes it wrote that later layers hid */
	struct report_html_change top[REPORT_HTML_LAYER_TOP];	/* largest first */
	size_t ntop;
};

static void
report_html_keep(struct report_html_layer *l, uint32_t node, uint64_t size, char status)
{
	size_t i = l->ntop;

	if (i == REPORT_HTML_LAYER_TOP && l->top[i - 1].size >= size)
		return;
	if (i < REPORT_HTML_LAYER_TOP)
		l->ntop++;
	else
		i--;
	while (i > 0 && l->top[i - 1].size < size) {
		l->top[i] = l->top[i - 1];
		i--;
	}
	l->top[i] = (struct report_html_change){ node, size, status };
}

static struct report_html_layer *
report_html_layers(const struct image *img, const struct waste *w)
{
	struct report_html_layer *ls = xcalloc(img->nlayers ? img->nlayers : 1, sizeof *ls);

	struct links *below = NULL;

	for (size_t k = 0; k < img->nlayers; k++) {
		const struct layer *l = &img->layers[k];
		struct links *now = links_new(img, k);
		for (size_t v = l->vfirst; v < l->vend; v++) {
			if (img->versions[v].flags & (VERSION_DEAD | VERSION_IMPLICIT))
				continue;
			char st = stack_status(img, (uint32_t)v);
			/* as the listing has it (a removed path as it was) */
			const struct entry *e = links_entry(st == 'R' ? below : now,
			                                    img->versions[v].node, NULL);
			if (st == 'A')
				ls[k].added++;
			else if (st == 'M')
				ls[k].modified++;
			else if (st == 'R')
				ls[k].removed++;
			else
				continue;
			if (e != NULL && e->type == ENTRY_FILE)
				report_html_keep(&ls[k], img->versions[v].node, e->size, st);
		}
		links_free(below);
		below = now;
	}
	links_free(below);
	for (size_t i = 0; i < w->nwrites; i++)
		if (w->writes[i].layer < img->nlayers)
			ls[w->writes[i].layer].hidden += w->writes[i].bytes;
	return ls;
}

/* The final filesystem by directory, as `fathom files` lists it: sizes
 * (regular files; a group of hard links once, at the path listed as the
 * file) and the layer that wrote each node's largest file. */
struct report_html_tree {
	const struct image *img;
	uint64_t *size;
	uint64_t *big;		/* the largest file at or below */
	uint16_t *layer;	/* its layer */
	uint64_t floor;		/* smaller nodes are aggregated */
	size_t left;		/* nodes that may still be written */
};

static void
report_html_tree_init(struct report_html_tree *t, const struct image *img)
{
	size_t n = img->tree.count ? img->tree.count : 1, top = img->nlayers - 1;

	t->img = img;
	t->size = xcalloc(n, sizeof *t->size);
	t->big = xcalloc(n, sizeof *t->big);
	t->layer = xcalloc(n, sizeof *t->layer);
	struct links *lk = links_new(img, top);
	/* a node comes after its parent */
	for (size_t i = img->tree.count; i-- > 1;) {
		const struct entry *e = links_entry(lk, (uint32_t)i, NULL);
		if (e == NULL)
			continue;
		if (e->type == ENTRY_FILE) {
			t->size[i] += e->size;
			if (e->size >= t->big[i]) {
				t->big[i] = e->size;
				t->layer[i] = (uint16_t)stack_entry_layer(img, (uint32_t)(e - img->entries));
			}
		}
		uint32_t p = img->tree.nodes[i].parent;
		t->size[p] += t->size[i];
		if (t->big[i] > t->big[p] || (t->big[p] == 0 && t->size[i] > 0)) {
			t->big[p] = t->big[i];
			t->layer[p] = t->layer[i];
		}
	}
	links_free(lk);
	t->floor = t->size[TREE_ROOT] / TREEMAP_SHARE;
	t->left = TREEMAP_NODES;
}

static void
report_html_tree_fini(struct report_html_tree *t)
{
	free(t->size);
	free(t->big);
	free(t->layer);
}

static const uint64_t *report_html_sort_sizes;

static int
report_html_by_size(const void *x, const void *y)
{
	uint64_t a = report_html_sort_sizes[*(const uint32_t *)x], b = report_html_sort_sizes[*(const uint32_t *)y];

	return a > b ? -1 : a < b ? 1 : 0;
}

/* node's children that hold bytes (with depth at the bound: none),
 * largest first; owned, *n of them. */
static uint32_t *
report_html_tree_kids(struct report_html_tree *t, uint32_t node, size_t depth, size_t *n)
{
	const struct tree *tr = &t->img->tree;
	uint32_t *kids = NULL;
	size_t cap = 0;

	*n = 0;
	for (uint32_t c = tr->nodes[node].child; c != TREE_NONE && depth < TREEMAP_DEPTH;
	     c = tr->nodes[c].sibling) {
		if (t->size[c] == 0)
			continue;
		ARRAY_RESERVE(kids, *n, cap);
		kids[(*n)++] = c;
	}
	report_html_sort_sizes = t->size;
	if (*n > 1)
		qsort(kids, *n, sizeof *kids, report_html_by_size);
	return kids;
}

/* kids[0..n), smaller siblings, as one aggregate: [label, bytes, layer,
 * null, count], the layer that wrote the largest file among them. */
static void
report_html_tree_rest(struct jsonw *j, struct report_html_tree *t, const uint32_t *kids,
                      size_t n)
{
	uint64_t rest = 0, big = 0;
	uint16_t layer = 0;
	char label[64];

	for (size_t k = 0; k < n; k++) {
		rest += t->size[kids[k]];
		if (t->big[kids[k]] >= big) {
			big = t->big[kids[k]];
			layer = t->layer[kids[k]];
		}
	}
	snprintf(label, sizeof label, "(%zu smaller)", n);
	jsonw_array(j);
	jsonw_cstring(j, label);
	jsonw_uint(j, rest);
	jsonw_uint(j, layer);
	jsonw_null(j);
	jsonw_uint(j, n);
	jsonw_end(j);
}

/* node as [name, bytes, layer, children or null]. */
static void
report_html_tree_json(struct jsonw *j, struct report_html_tree *t, uint32_t node, size_t depth)
{
	size_t len, n, i;
	const char *name = node == TREE_ROOT ? "/" : tree_name(&t->img->tree, node, &len);
	uint32_t *kids = report_html_tree_kids(t, node, depth, &n);

	if (t->left > 0)
		t->left--;
	jsonw_array(j);
	jsonw_string(j, name, node == TREE_ROOT ? 1 : len);
	jsonw_uint(j, t->size[node]);
	jsonw_uint(j, t->layer[node]);
	if (n == 0) {
		jsonw_null(j);
	} else {
		jsonw_array(j);
		for (i = 0; i < n && i < TREEMAP_CHILDREN && t->size[kids[i]] >= t->floor &&
		            t->left > 1; i++)
			report_html_tree_json(j, t, kids[i], depth + 1);
		if (i < n)
			report_html_tree_rest(j, t, kids + i, n - i);
		jsonw_end(j);
	}
	jsonw_end(j);
	free(kids);
}

/* Each layer: its figures, colour and largest changes. */
static void
report_html_data_layers(struct jsonw *j, const struct image *img,
                        const struct report_html_layer *ls)
{
	char color[40];

	jsonw_member_array(j, "layers");
	for (size_t k = 0; k < img->nlayers; k++) {
		const struct history *h = image_history_of(img, k);
		jsonw_object(j);
		jsonw_member_uint(j, "size", img->blobs[img->layers[k].blob].size);
		jsonw_member_uint(j, "hidden", ls[k].hidden);
		jsonw_member_cstring(j, "command", h != NULL ? image_history_command(h) : "");
		jsonw_member_uint(j, "added", ls[k].added);
		jsonw_member_uint(j, "modified", ls[k].modified);
		jsonw_member_uint(j, "removed", ls[k].removed);
		report_html_color(k, color, sizeof color);
		jsonw_member_cstring(j, "color", color);
		jsonw_member_array(j, "largest");
		for (size_t i = 0; i < ls[k].ntop; i++) {
			char *p = NULL;
			size_t cap = 0, plen = tree_path(&img->tree, ls[k].top[i].node, &p, &cap);
			jsonw_array(j);
			jsonw_string(j, p, plen);
			jsonw_uint(j, ls[k].top[i].size);
			jsonw_string(j, &ls[k].top[i].status, 1);
			jsonw_end(j);
			free(p);
		}
		jsonw_end(j);
		jsonw_end(j);
	}
	jsonw_end(j);
}

/* The data the script draws from, as JSON inside the page: every "<" (in
 * strings only) as \u003c, so that nothing in it ends the script. */
static void
report_html_data(FILE *out, const struct report *r, const struct report_html_layer *ls)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct jsonw j;
	struct report_html_tree t;

	if (m == NULL)
		xalloc_die();
	jsonw_init(&j, m, 0);
	jsonw_object(&j);
	report_html_data_layers(&j, r->img, ls);
	jsonw_key(&j, "tree");
	report_html_tree_init(&t, r->img);
	report_html_tree_json(&j, &t, TREE_ROOT, 0);
	report_html_tree_fini(&t);
	jsonw_end(&j);
	fclose(m);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '<')
			fputs("\\u003c", out);
		else
			fputc(buf[i], out);
	}
	free(buf);
}

static void
report_html_item(FILE *out, const char *id, const char *label)
{
	fprintf(out, "<div><dt>%s</dt><dd id=\"%s\"", label, id);
}

/* A figure in bytes: exact in data-value, human in the text (with a
 * suffix, or ""). */
static void
report_html_item_size(FILE *out, const char *id, const char *label, uint64_t bytes, const char *suffix)
{
	report_html_item(out, id, label);
	fprintf(out, " data-value=\"%llu\">", (unsigned long long)bytes);
	report_html_size(out, bytes);
	fprintf(out, "%s</dd></div>\n", suffix);
}

/* A ratio: exact in data-value (as the CI report writes it), in percent in
 * the text. */
static void
report_html_item_ratio(FILE *out, const char *id, const char *label, double ratio)
{
	char v[64];

	human_double(ratio, v, sizeof v);
	report_html_item(out, id, label);
	fprintf(out, " data-value=\"%s\">%.4f %%</dd></div>\n", v, ratio * 100);
}

static void
report_html_header(FILE *out, const struct report *r)
{
	const struct image *img = r->img;
	const struct waste *w = r->waste;
	char pct[32];
	size_t files = 0;

	for (uint32_t n = 1; n < img->tree.count; n++) {
		const struct entry *e = stack_entry_at(img, n, img->nlayers - 1);
		if (e != NULL && e->type != ENTRY_DIR)
			files++;
	}
	fputs("<header><h1>", out);
	report_html_str(out, img->ref != NULL ? img->ref : img->name);
	fputs("</h1><div class=\"mute\">", out);
	report_html_str(out, img->name);
	fputs(" · fathom report</div>\n<dl class=\"summary\">\n", out);
	report_html_item(out, "digest", "Image ID");
	fputs(">", out);
	report_html_str(out, img->id != NULL ? img->id : "unknown");
	fputs("</dd></div>\n", out);
	report_html_item(out, "platform", "Platform");
	fprintf(out, ">%s/%s%s", img->os ? img->os : "?", img->arch ? img->arch : "?",
	        img->variant ? "/" : "");
	report_html_str(out, img->variant);
	fputs("</dd></div>\n", out);
	report_html_item_size(out, "size", "Total size", w->image_size, "");
	report_html_item(out, "layers", "Layers");
	fprintf(out, " data-value=\"%zu\">%zu</dd></div>\n", img->nlayers, img->nlayers);
	report_html_item(out, "files", "Files (not directories)");
	fprintf(out, " data-value=\"%zu\">%zu</dd></div>\n", files, files);
	report_html_item_ratio(out, "efficiency", "Efficiency (dive)", w->efficiency);
	report_html_item_size(out, "wasted", "Wasted bytes (dive)", w->wasted_bytes, "");
	report_html_item_ratio(out, "user-wasted", "userWastedPercent (dive)", w->user_wasted_percent);
	snprintf(pct, sizeof pct, " (%.2f %%)", w->reclaimable_percent * 100);
	report_html_item_size(out, "reclaimable", "Reclaimable by squashing", w->reclaimable, pct);
	fputs("</dl></header>\n", out);
}

static void
report_html_rules(FILE *out, const struct report *r)
{
	if (r->rules == NULL)
		return;
	char *verdict = report_verdict(r);
	fprintf(out, "<section id=\"rules\"><h2>CI rules</h2><p class=\"verdict %.4s\" "
	        "id=\"verdict\">", verdict);
	report_html_str(out, verdict);
	fputs("</p><table><thead><tr><th>Result</th><th>Rule</th><th>Value</th><th>Setting</th>"
	      "</tr></thead><tbody>\n", out);
	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule_result *x = &r->results[i];
		const char *st = report_status_names[x->status];
		fprintf(out, "<tr data-rule=\"%s\"><td class=\"%s\">%s</td><td>%s</td><td>",
		        rule_defs[i].name, st, st, rule_defs[i].name);
		char *c = report_comparison(r, i);
		report_html_str(out, c);
		free(c);
		fputs("</td><td>", out);
		report_html_str(out, r->rules->set[i].value);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
	free(verdict);
}

/* Layer k's bar, its hidden part grey, as wide as its bytes against the
 * largest layer's (max). */
static void
report_html_bar(FILE *out, const struct image *img, const struct report_html_layer *ls,
                size_t k, uint64_t max)
{
	uint64_t size = img->blobs[img->layers[k].blob].size;
	double wbar = 620.0 * (double)size / (double)max, whid = 620.0 *
	              (double)(ls[k].hidden > size ? size : ls[k].hidden) / (double)max;
	const struct history *h = image_history_of(img, k);
	char color[40];

	report_html_color(k, color, sizeof color);
	fprintf(out, "<g class=\"layer\" data-layer=\"%zu\" tabindex=\"0\" role=\"listitem\" "
	        "aria-label=\"layer %zu, ", k, k);
	report_html_size(out, size);
	fprintf(out, "\"><title>layer %zu: ", k);
	report_html_str(out, h != NULL ? image_history_command(h) : "");
	fprintf(out, "</title><text x=\"0\" y=\"%zu\">#%zu</text>"
	        "<rect class=\"bar\" x=\"44\" y=\"%zu\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>",
	        k * 24 + 16, k, k * 24 + 3, wbar < 1 ? 1 : wbar, color);
	if (whid > 0)
		fprintf(out, "<rect class=\"hid\" x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"18\"/>",
		        44 + wbar - whid, k * 24 + 3, whid < 1 ? 1 : whid);
	fprintf(out, "<text x=\"672\" y=\"%zu\">", k * 24 + 16);
	report_html_size(out, size);
	if (ls[k].hidden > 0) {
		fputs(" (", out);
		report_html_size(out, ls[k].hidden);
		fputs(" hidden)", out);
	}
	fputs("</text></g>\n", out);
}

/* The same figures as a table, for readers without the script. */
static void
report_html_layer_table(FILE *out, const struct image *img, const struct report_html_layer *ls)
{
	fputs("<table id=\"layer-table\"><thead><tr><th class=\"n\">#</th><th class=\"n\">Size</th>"
	      "<th class=\"n\">Hidden later</th><th class=\"n\">Added</th><th class=\"n\">Modified"
	      "</th><th class=\"n\">Removed</th><th>Command</th></tr></thead><tbody>\n", out);
	for (size_t k = 0; k < img->nlayers; k++) {
		const struct history *h = image_history_of(img, k);
		uint64_t size = img->blobs[img->layers[k].blob].size;
		fprintf(out, "<tr data-layer=\"%zu\"><td class=\"n\">%zu</td><td class=\"n\" "
		        "data-v=\"%llu\">", k, k, (unsigned long long)size);
		report_html_size(out, size);
		fprintf(out, "</td><td class=\"n\" data-v=\"%llu\">", (unsigned long long)ls[k].hidden);
		report_html_size(out, ls[k].hidden);
		fprintf(out, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu"
		        "</td><td class=\"p\">", ls[k].added, ls[k].modified, ls[k].removed);
		report_html_str(out, h != NULL ? image_history_command(h) : "");
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>", out);
}

static void
report_html_layer_section(FILE *out, const struct report *r, const struct report_html_layer *ls)
{
	const struct image *img = r->img;
	uint64_t max = 1;

	for (size_t k = 0; k < img->nlayers; k++)
		if (img->blobs[img->layers[k].blob].size > max)
			max = img->blobs[img->layers[k].blob].size;
	fputs("<section id=\"layer-section\"><h2>Layers</h2>\n<p class=\"legend mute\">Bar: the "
	      "layer's bytes;<span style=\"background:var(--hid)\"></span>the part later layers "
	      "deleted or overwrote (still shipped). Select a layer for what it changed.</p>\n", out);
	fprintf(out, "<svg id=\"layer-bars\" viewBox=\"0 0 960 %zu\" width=\"100%%\" role=\"list\" "
	        "aria-label=\"layers\">\n", img->nlayers * 24 + 4);
	for (size_t k = 0; k < img->nlayers; k++)
		report_html_bar(out, img, ls, k, max);
	fputs("</svg>\n<div id=\"layer-detail\" hidden></div>\n", out);
	report_html_layer_table(out, img, ls);
	fputs("</section>\n", out);
}

static void
report_html_treemap_section(FILE *out)
{
	fputs("<section id=\"treemap-section\"><h2>Where the bytes are</h2>\n<p class=\"mute\">The "
	      "final filesystem: area is bytes, colour the layer that wrote the largest file below. "
	      "A directory with room shows its largest entries inside it, below its name, three "
	      "levels deep. Select a directory (or a file in it) to zoom in; the buttons zoom out "
	      "(Escape too).</p>\n"
	      "<nav id=\"crumbs\" aria-label=\"zoom\"></nav>\n<svg id=\"treemap\" viewBox=\"0 0 960 "
	      "540\" role=\"group\" aria-label=\"treemap of the filesystem\"></svg>\n"
	      "<div id=\"tip\" aria-live=\"polite\"></div>\n<noscript><p>The treemap needs "
	      "JavaScript; the tables hold the figures.</p></noscript></section>\n", out);
}

static void
report_html_files_section(FILE *out, const struct report *r)
{
	const struct waste *w = r->waste;

	fprintf(out, "<section id=\"inefficient-section\"><h2>Inefficient files</h2>\n<p "
	        "class=\"mute\">Paths that more than one layer wrote (dive's list), %zu in all.</p>\n"
	        "<table id=\"inefficient\" class=\"sortable\"><thead><tr><th class=\"n\"><button "
	        "type=\"button\">Count</button></th><th class=\"n\"><button type=\"button\">Total "
	        "space</button></th><th><button type=\"button\">Path</button></th></tr></thead>"
	        "<tbody>\n", w->nfiles);
	for (size_t i = 0; i < w->nfiles && i < r->top; i++) {
		const struct waste_file *f = &w->files[i];
		fprintf(out, "<tr><td class=\"n\" data-v=\"%u\">%u</td><td class=\"n\" data-v=\"%llu\">",
		        f->count, f->count, (unsigned long long)f->cumulative);
		report_html_size(out, f->cumulative);
		fputs("</td><td class=\"p\" data-v=\"", out);
		report_html_path(out, r->img, f->node);
		fputs("\">", out);
		report_html_path(out, r->img, f->node);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static void
report_html_finding(FILE *out, const struct advice_finding *f)
{
	char *where = findings_where(f);

	fprintf(out, "<tr data-finding=\"%s\"><td data-v=\"%s\">%s</td><td class=\"n\" "
	        "data-v=\"%llu\">", advice_defs[f->id].name, advice_defs[f->id].name,
	        advice_defs[f->id].name, (unsigned long long)f->bytes);
	if (f->bytes > 0)
		report_html_size(out, f->bytes);
	else
		fputs("-", out);
	fputs("</td><td>", out);
	report_html_str(out, where);
	fputs("</td><td>", out);
	report_html_str(out, advice_defs[f->id].text);
	fputs("</td></tr>\n", out);
	free(where);
}

static void
report_html_advice_section(FILE *out, const struct advice *a)
{
	fputs("<section id=\"advice-section\"><h2>Advice</h2>\n", out);
	if (a == NULL || a->count == 0) {
		fputs("<p>No findings.</p>\n", out);
	} else {
		fputs("<table id=\"advice\" class=\"sortable\"><thead><tr><th><button type=\"button\">"
		      "Finding</button></th><th class=\"n\"><button type=\"button\">Saves</button></th>"
		      "<th>Where</th><th>What to do</th></tr></thead><tbody>\n", out);
		for (size_t i = 0; i < a->count; i++)
			report_html_finding(out, &a->items[i]);
		fputs("</tbody></table>\n", out);
	}
	fputs("</section>\n", out);
}

static void
report_html_onbuild_section(FILE *out, const struct advice *a)
{
	size_t shown = 0;

	fputs("<section id=\"onbuild-section\"><h2>ONBUILD triggers</h2>\n", out);
	for (size_t i = 0; a != NULL && i < a->count; i++) {
		const struct advice_finding *f = &a->items[i];
		if (f->id != ADVICE_ONBUILD)
			continue;
		fputs("<p>They run inside the build of every image made FROM this one.</p><table "
		      "id=\"onbuild\"><thead><tr><th>Severity</th><th>Trigger</th></tr></thead>"
		      "<tbody>\n", out);
		for (size_t t = 0; t < f->ntriggers; t++, shown++) {
			fprintf(out, "<tr><td class=\"%s\">%s</td><td class=\"p\">",
			        f->trigger_high[t] ? "FAIL" : "WARN", f->trigger_high[t] ? "high" : "low");
			report_html_str(out, f->triggers[t]);
			fputs("</td></tr>\n", out);
		}
		fputs("</tbody></table>\n", out);
	}
	if (shown == 0)
		fputs("<p>None.</p>\n", out);
	fputs("</section>\n", out);
}

int
report_html_write(FILE *out, const struct report *r)
{
	struct report_html_layer *ls = report_html_layers(r->img, r->waste);

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>fathom: ", out);
	report_html_str(out, r->img->ref != NULL ? r->img->ref : r->img->name);
	fputs("</title>\n<style>\n", out);
	fwrite(report_html_css, 1, report_html_css_len, out);
	fputs("</style>\n</head>\n<body>\n", out);
	report_html_header(out, r);
	report_html_rules(out, r);
	report_html_layer_section(out, r, ls);
	report_html_treemap_section(out);
	report_html_files_section(out, r);
	report_html_advice_section(out, r->advice);
	report_html_onbuild_section(out, r->advice);
	fputs("<script type=\"application/json\" id=\"data\">", out);
	report_html_data(out, r, ls);
	fputs("</script>\n<script>\n", out);
	fwrite(report_html_js, 1, report_html_js_len, out);
	fputs("</script>\n</body></html>\n", out);
	free(ls);
	return ferror(out) ? -1 : 0;
}
