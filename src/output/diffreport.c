/* diffreport: the comparison of two images as text or JSON; see
 * diffreport.h. */
#include "output/diffreport.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/human.h"
#include "util/jsonw.h"
#include "util/xalloc.h"

/* "+1.2 kB", "-300 B", "0 B" */
static void
diffreport_delta(uint64_t a, uint64_t b, char *buf, size_t len)
{
	char h[32];

	human_dive_size(a > b ? a - b : b - a, h, sizeof h);
	snprintf(buf, len, "%s%s", a == b ? "" : b > a ? "+" : "-", h);
}

/* The change in percent of a, or NULL (a is 0) */
static int
diffreport_percent(uint64_t a, uint64_t b, double *p)
{
	if (a == 0)
		return 0;
	*p = ((double)b - (double)a) * 100.0 / (double)a;
	return 1;
}

/* "+1.2 kB (+3.4%)" */
static void
diffreport_change_text(uint64_t a, uint64_t b, char *buf, size_t len)
{
	char d[40];
	double p;

	diffreport_delta(a, b, d, sizeof d);
	if (a == b)
		snprintf(buf, len, "no change");
	else if (diffreport_percent(a, b, &p))
		snprintf(buf, len, "%s (%+.1f%%)", d, p);
	else
		snprintf(buf, len, "%s (new)", d);
}

static const char *
diffreport_pkg_status(char s)
{
	switch (s) {
	case 'A': return "added";
	case 'R': return "removed";
	case 'U': return "upgraded";
	case 'D': return "downgraded";
	default: return "changed";
	}
}

static void
diffreport_json_fill(struct jsonw *w, const void *v)
{
	jsonw_json(w, v);
}

/* A config value on one line: a string as it is, anything else as JSON. */
static char *
diffreport_config_value(const json_t *v)
{
	if (v == NULL)
		return xstrdup("(none)");
	if (json_is_string(v))
		return escape_str(json_string_value(v), json_string_length(v), 0);
	size_t len;
	char *s = jsonw_text(diffreport_json_fill, v, &len);
	char *e = escape_str(s, len, 0);
	free(s);
	return e;
}

static void
diffreport_text_side(FILE *out, const char *label, const struct image *img, size_t layer)
{
	fprintf(out, "%s  ", label);
	escape_write(out, img->name, strlen(img->name), 0);
	if (img->ref != NULL) {
		fputs(" (", out);
		escape_write(out, img->ref, strlen(img->ref), 0);
		fputc(')', out);
	}
	fprintf(out, ", after layer %zu (layers 0-%zu)", layer, img->nlayers - 1);
	if (img->os != NULL || img->arch != NULL)
		fprintf(out, ", %s/%s%s%s", img->os ? img->os : "?", img->arch ? img->arch : "?",
		        img->variant ? "/" : "", img->variant ? img->variant : "");
	fputc('\n', out);
}

static void
diffreport_text_layer(FILE *out, const char *side, const struct diff_layer *l)
{
	char h[32];
	const char *c = l->command != NULL ? l->command : "";

	human_dive_size(l->size, h, sizeof h);
	while (*c == ' ')
		c++;
	fprintf(out, "  %s %-3zu %-19.19s %8s  %s", side, l->index,
	        l->digest != NULL ? l->digest : "-", h, l->shared ? "(in both) " : "");
	escape_write(out, c, strlen(c) > 60 ? 60 : strlen(c), 0);
	fputc('\n', out);
}

static void
diffreport_text_what(FILE *out, unsigned what)
{
	int n = 0;

	for (int i = 0; i < DIFF_WHAT_COUNT; i++)
		if (what & (1u << i))
			n += fprintf(out, "%s%s", n ? "," : "", diff_what_names[i]);
	fprintf(out, "%*s", n < 20 ? 20 - n : 1, "");
}

static void
diffreport_text_change(FILE *out, const struct diff_change *c)
{
	char ha[32] = "-", hb[32] = "-";

	if (c->a.type != 0)
		human_dive_size(c->a.size, ha, sizeof ha);
	if (c->b.type != 0)
		human_dive_size(c->b.size, hb, sizeof hb);
	fprintf(out, "  %c  %8s  %8s  ", c->status, ha, hb);
	if (c->status == 'M')
		diffreport_text_what(out, c->what);
	else
		fprintf(out, "%-20s", "");
	escape_write(out, c->path, strlen(c->path), 0);
	fputc('\n', out);
}

static uint64_t
diffreport_change_effect(const struct diff_change *c)
{
	return c->a.size > c->b.size ? c->a.size - c->b.size : c->b.size - c->a.size;
}

static int
diffreport_effect_cmp(const void *x, const void *y)
{
	const struct diff_change *const *p = x, *const *q = y;
	uint64_t a = diffreport_change_effect(*p), b = diffreport_change_effect(*q);

	if (a != b)
		return a > b ? -1 : 1;
	return strcmp((*p)->path, (*q)->path);
}

/* The sizes: the images', then the directories'. */
static void
diffreport_text_sizes(FILE *out, const struct diff *d)
{
	char h1[32], h2[32], ch[64];

	human_dive_size(d->size_a, h1, sizeof h1);
	human_dive_size(d->size_b, h2, sizeof h2);
	diffreport_change_text(d->size_a, d->size_b, ch, sizeof ch);
	fprintf(out, "\nSize: %s -> %s, %s\n", h1, h2, ch);
	if (d->ntop > 0)
		fprintf(out, "  %-24s %10s %10s  %s\n", "DIRECTORY", "A", "B", "CHANGE");
	for (size_t i = 0; i < d->ntop; i++) {
		const struct diff_dir *t = &d->top[i];
		human_dive_size(t->a, h1, sizeof h1);
		human_dive_size(t->b, h2, sizeof h2);
		diffreport_change_text(t->a, t->b, ch, sizeof ch);
		fputs("  ", out);
		char *p = escape_str(t->path, strlen(t->path), 0);
		fprintf(out, "%-24s %10s %10s  %s\n", p, h1, h2, ch);
		free(p);
	}
	if (d->nmost > 0)
		fputs("Most changed directories:\n", out);
	for (size_t i = 0; i < d->nmost; i++) {
		const struct diff_dir *t = &d->most[i];
		diffreport_change_text(t->a, t->b, ch, sizeof ch);
		fprintf(out, "  %-24s ", ch);
		escape_write(out, t->path, strlen(t->path), 0);
		fputc('\n', out);
	}
}

static void
diffreport_text_layers(FILE *out, const struct diff *d)
{
	size_t k = d->shared_prefix;

	if (k == d->nla && k == d->nlb)
		fprintf(out, "\nLayers: all %zu the same\n", k);
	else if (k == 0)
		fputs("\nLayers: none the same from the bottom\n", out);
	else if (k == 1)
		fputs("\nLayers: layer 0 the same; they differ from layer 1\n", out);
	else
		fprintf(out, "\nLayers: %zu the same from the bottom (0-%zu); they differ from layer %zu\n",
		        k, k - 1, k);
	for (size_t i = k; i < d->nla; i++)
		diffreport_text_layer(out, "A", &d->la[i]);
	for (size_t i = k; i < d->nlb; i++)
		diffreport_text_layer(out, "B", &d->lb[i]);
}

static void
diffreport_text_config(FILE *out, const struct diff *d)
{
	if (d->nconfig > 0)
		fputs("\nConfig:\n", out);
	for (size_t i = 0; i < d->nconfig; i++) {
		const struct diff_config *c = &d->config[i];
		char *va = diffreport_config_value(c->a), *vb = diffreport_config_value(c->b);
		char *key = c->key != NULL ? escape_str(c->key, strlen(c->key), 0) : NULL;
		fprintf(out, "  %-13s ", c->field);
		if (key == NULL)
			fprintf(out, "%s -> %s\n", va, vb);
		else if (c->a == NULL)
			fprintf(out, "+ %s%s%s\n", key, json_is_true(c->b) ? "" : "=",
			        json_is_true(c->b) ? "" : vb);
		else if (c->b == NULL)
			fprintf(out, "- %s%s%s\n", key, json_is_true(c->a) ? "" : "=",
			        json_is_true(c->a) ? "" : va);
		else
			fprintf(out, "%s: %s -> %s\n", key, va, vb);
		free(key);
		free(va);
		free(vb);
	}
}

/* A package's line: added, removed, or its two versions. */
static void
diffreport_text_package(FILE *out, const struct diff_package *q)
{
	char h1[32], h2[32];
	char *n = escape_str(q->name, strlen(q->name), 0);
	char *va = q->va ? escape_str(q->va, strlen(q->va), 0) : NULL;
	char *vb = q->vb ? escape_str(q->vb, strlen(q->vb), 0) : NULL;

	human_dive_size(q->sa, h1, sizeof h1);
	human_dive_size(q->sb, h2, sizeof h2);
	if (q->status == 'A')
		fprintf(out, "  + %s %s (%s)\n", n, vb, h2);
	else if (q->status == 'R')
		fprintf(out, "  - %s %s (%s)\n", n, va, h1);
	else
		fprintf(out, "  %c %s %s -> %s (%s -> %s)\n",
		        q->status == 'U' ? '^' : q->status == 'D' ? 'v' : '~', n, va, vb, h1, h2);
	free(n);
	free(va);
	free(vb);
}

static void
diffreport_text_packages(FILE *out, const struct diff *d)
{
	for (int db = 0; db < PACKAGES_DBS; db++) {
		const struct diff_packages *p = &d->packages[db];
		if (!p->in_a && !p->in_b)
			continue;
		fprintf(out, "\nPackages (%s, %s", packages_names[db], packages_paths[db]);
		if (!p->in_a || !p->in_b)
			fprintf(out, " only in %s", p->in_a ? "A" : "B");
		fprintf(out, "): %zu added, %zu removed, %zu upgraded, %zu downgraded", p->added,
		        p->removed, p->upgraded, p->downgraded);
		if (p->changed > 0)
			fprintf(out, ", %zu changed", p->changed);
		fputc('\n', out);
		for (size_t i = 0; i < p->count; i++)
			diffreport_text_package(out, &p->items[i]);
	}
}

/* The changed files: all of them, or the largest changes. */
static void
diffreport_text_files(FILE *out, const struct diff *d, const struct diffreport_opts *o)
{
	fprintf(out, "\nFiles: %zu added, %zu removed, %zu modified\n", d->added, d->removed,
	        d->modified);
	if (d->nchanges == 0)
		return;
	fprintf(out, "  %c  %8s  %8s  %-20s%s\n", ' ', "A", "B", "WHAT", "PATH");
	if (o->files || d->nchanges <= DIFFREPORT_TEXT_CHANGES) {
		for (size_t i = 0; i < d->nchanges; i++)
			diffreport_text_change(out, &d->changes[i]);
		return;
	}
	const struct diff_change **by = xcalloc(d->nchanges, sizeof *by);
	for (size_t i = 0; i < d->nchanges; i++)
		by[i] = &d->changes[i];
	qsort(by, d->nchanges, sizeof *by, diffreport_effect_cmp);
	for (size_t i = 0; i < DIFFREPORT_TEXT_CHANGES; i++)
		diffreport_text_change(out, by[i]);
	free(by);
	fprintf(out, "  ... the %zu largest of %zu; --files lists every one\n",
	        (size_t)DIFFREPORT_TEXT_CHANGES, d->nchanges);
}

static void
diffreport_text(FILE *out, const struct image *a, const struct image *b, const struct diff *d,
                const struct diffreport_opts *o)
{
	diffreport_text_side(out, "A", a, d->layer_a);
	diffreport_text_side(out, "B", b, d->layer_b);
	if (d->same && d->nla == d->nlb && d->shared_prefix == d->nla) {
		fputs("\nThe same: no file, layer or config differs.\n", out);
		return;
	}
	if (d->same)
		fputs("\nThe same files and config, layered differently.\n", out);
	diffreport_text_sizes(out, d);
	diffreport_text_layers(out, d);
	diffreport_text_config(out, d);
	diffreport_text_packages(out, d);
	diffreport_text_files(out, d, o);
}

/* ------------------------------------------------------------- JSON */

static void
diffreport_json_sizes(struct jsonw *j, uint64_t a, uint64_t b)
{
	double p;

	jsonw_member_uint(j, "a", a);
	jsonw_member_uint(j, "b", b);
	jsonw_member_int(j, "delta", (int64_t)(b - a));
	jsonw_key(j, "percent");
	if (diffreport_percent(a, b, &p))
		jsonw_real(j, p);
	else
		jsonw_null(j);
}

static void
diffreport_json_dirs(struct jsonw *j, const char *key, const struct diff_dir *dirs, size_t n)
{
	jsonw_member_array(j, key);
	for (size_t i = 0; i < n; i++) {
		jsonw_object(j);
		jsonw_member_string(j, "path", dirs[i].path, strlen(dirs[i].path));
		diffreport_json_sizes(j, dirs[i].a, dirs[i].b);
		jsonw_end(j);
	}
	jsonw_end(j);
}

static void
diffreport_json_image(struct jsonw *j, const char *key, const struct image *img, size_t layer)
{
	jsonw_member_object(j, key);
	jsonw_member_string(j, "image", img->name, strlen(img->name));
	jsonw_member_cstring(j, "ref", img->ref);
	jsonw_member_uint(j, "layer", layer);
	jsonw_member_uint(j, "layers", img->nlayers);
	jsonw_member_cstring(j, "os", img->os);
	jsonw_member_cstring(j, "architecture", img->arch);
	jsonw_member_cstring(j, "variant", img->variant);
	jsonw_end(j);
}

static void
diffreport_json_layers(struct jsonw *j, const char *key, const struct diff_layer *l, size_t n)
{
	jsonw_member_array(j, key);
	for (size_t i = 0; i < n; i++) {
		jsonw_object(j);
		jsonw_member_uint(j, "index", l[i].index);
		jsonw_member_cstring(j, "digest", l[i].digest);
		jsonw_member_uint(j, "size", l[i].size);
		jsonw_member_cstring(j, "command", l[i].command);
		jsonw_member_bool(j, "inBoth", l[i].shared);
		jsonw_end(j);
	}
	jsonw_end(j);
}

static void
diffreport_json_side(struct jsonw *j, const char *key, const struct diff_side *s)
{
	char mode[8];

	if (s->type == 0) {
		jsonw_member_null(j, key);
		return;
	}
	jsonw_member_object(j, key);
	jsonw_member_string(j, "type", (const char *)&s->type, 1);
	jsonw_member_uint(j, "size", s->size);
	snprintf(mode, sizeof mode, "%04o", s->mode);
	jsonw_member_cstring(j, "mode", mode);
	jsonw_member_uint(j, "uid", s->uid);
	jsonw_member_uint(j, "gid", s->gid);
	jsonw_member_cstring(j, "link", s->link);
	jsonw_end(j);
}

static void
diffreport_json_pkg_side(struct jsonw *j, const char *key, const char *version, uint64_t size)
{
	if (version == NULL) {
		jsonw_member_null(j, key);
		return;
	}
	jsonw_member_object(j, key);
	jsonw_member_string(j, "version", version, strlen(version));
	jsonw_member_uint(j, "installedSize", size);
	jsonw_end(j);
}

static void
diffreport_json_config(struct jsonw *j, const struct diff *d)
{
	jsonw_member_array(j, "config");
	for (size_t i = 0; i < d->nconfig; i++) {
		const struct diff_config *c = &d->config[i];
		jsonw_object(j);
		jsonw_member_cstring(j, "field", c->field);
		jsonw_member_cstring(j, "key", c->key);
		jsonw_member_json(j, "a", c->a);
		jsonw_member_json(j, "b", c->b);
		jsonw_end(j);
	}
	jsonw_end(j);
}

static void
diffreport_json_packages(struct jsonw *j, const struct diff *d)
{
	jsonw_member_object(j, "packages");
	for (int db = 0; db < PACKAGES_DBS; db++) {
		const struct diff_packages *p = &d->packages[db];
		jsonw_member_object(j, packages_names[db]);
		jsonw_member_cstring(j, "path", packages_paths[db]);
		jsonw_member_bool(j, "inA", p->in_a);
		jsonw_member_bool(j, "inB", p->in_b);
		jsonw_member_uint(j, "added", p->added);
		jsonw_member_uint(j, "removed", p->removed);
		jsonw_member_uint(j, "upgraded", p->upgraded);
		jsonw_member_uint(j, "downgraded", p->downgraded);
		jsonw_member_uint(j, "changed", p->changed);
		jsonw_member_array(j, "changes");
		for (size_t i = 0; i < p->count; i++) {
			const struct diff_package *q = &p->items[i];
			jsonw_object(j);
			jsonw_member_string(j, "name", q->name, strlen(q->name));
			jsonw_member_cstring(j, "status", diffreport_pkg_status(q->status));
			diffreport_json_pkg_side(j, "a", q->va, q->sa);
			diffreport_json_pkg_side(j, "b", q->vb, q->sb);
			jsonw_end(j);
		}
		jsonw_end(j);
		jsonw_end(j);
	}
	jsonw_end(j);
}

static void
diffreport_json_files(struct jsonw *j, const struct diff *d)
{
	jsonw_member_object(j, "files");
	jsonw_member_uint(j, "added", d->added);
	jsonw_member_uint(j, "removed", d->removed);
	jsonw_member_uint(j, "modified", d->modified);
	jsonw_member_array(j, "changes");
	for (size_t i = 0; i < d->nchanges; i++) {
		const struct diff_change *c = &d->changes[i];
		jsonw_object(j);
		jsonw_member_string(j, "path", c->path, strlen(c->path));
		jsonw_member_string(j, "status", &c->status, 1);
		jsonw_member_array(j, "what");
		for (int k = 0; k < DIFF_WHAT_COUNT; k++)
			if (c->what & (1u << k))
				jsonw_cstring(j, diff_what_names[k]);
		jsonw_end(j);
		diffreport_json_side(j, "a", &c->a);
		diffreport_json_side(j, "b", &c->b);
		jsonw_end(j);
	}
	jsonw_end(j);
	jsonw_end(j);
}

static void
diffreport_json(FILE *out, const struct image *a, const struct image *b, const struct diff *d)
{
	struct jsonw j;

	jsonw_init(&j, out, 2);
	jsonw_object(&j);
	diffreport_json_image(&j, "a", a, d->layer_a);
	diffreport_json_image(&j, "b", b, d->layer_b);
	jsonw_member_bool(&j, "same", d->same);
	jsonw_member_object(&j, "size");
	diffreport_json_sizes(&j, d->size_a, d->size_b);
	jsonw_end(&j);
	diffreport_json_dirs(&j, "directories", d->top, d->ntop);
	diffreport_json_dirs(&j, "mostChanged", d->most, d->nmost);
	jsonw_member_object(&j, "layers");
	jsonw_member_uint(&j, "sameFromBottom", d->shared_prefix);
	diffreport_json_layers(&j, "a", d->la, d->nla);
	diffreport_json_layers(&j, "b", d->lb, d->nlb);
	jsonw_end(&j);
	diffreport_json_config(&j, d);
	diffreport_json_packages(&j, d);
	diffreport_json_files(&j, d);
	jsonw_end(&j);
}

void
diffreport_print(FILE *out, const struct image *a, const struct image *b, const struct diff *d,
                 const struct diffreport_opts *o)
{
	if (o->format == OUTPUT_JSON)
		diffreport_json(out, a, b, d);
	else
		diffreport_text(out, a, b, d, o);
}
