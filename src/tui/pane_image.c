/* pane_image: the Image Details pane: the image's size, efficiency and
 * waste, the advice summed by kind, and the inefficient files, a list
 * that Enter on a file leaves for the tree, at the path. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/pane.h"
#include "util/human.h"
#include "util/xalloc.h"

struct pane_image_state {
	struct scroll files;	/* the inefficient files */
	char *advice;		/* owned: the advice summed by kind */
	int advice_rows;	/* the rows it takes on screen */
};

/* Appends the findings summed by kind, largest first: " (deleted-later
 * 19 kB, metadata-only-copy 13 kB)". */
static void
pane_image_kinds(const struct advice *ad, char *line, size_t size, size_t n)
{
	uint64_t sum[ADVICE_COUNT] = { 0 };
	int found[ADVICE_COUNT] = { 0 };
	char h[32];

	for (size_t i = 0; i < ad->count; i++)
		if (ad->items[i].id != ADVICE_ONBUILD) {
			sum[ad->items[i].id] += ad->items[i].bytes;
			found[ad->items[i].id] = 1;
		}
	for (int opened = 0;; opened = 1) {
		int best = -1;
		for (int k = 0; k < ADVICE_COUNT; k++)
			if (found[k] && (best < 0 || sum[k] > sum[best]))
				best = k;
		if (best < 0) {
			if (opened && n < size)
				snprintf(line + n, size - n, ")");
			return;
		}
		found[best] = 0;
		human_dive_size(sum[best], h, sizeof h);
		if (n < size)
			n += (size_t)snprintf(line + n, size - n, "%s%s%s%s", opened ? ", " : " (",
			                      advice_defs[best].name, best == ADVICE_BIG_BASE ? "" : " ",
			                      best == ADVICE_BIG_BASE ? "" : h);
	}
}

/* "Advice: 38 kB (deleted-later 19 kB, metadata-only-copy 13 kB, ...)": the
 * findings summed by kind, largest first, and the ONBUILD triggers; the
 * short form of `fathom advise`. Owned. */
static char *
pane_image_advice(const struct advice *ad)
{
	char line[1024], h[32];
	size_t n;

	if (ad == NULL || ad->count == 0)
		return xstrdup("Advice: none");
	human_dive_size(ad->savings, h, sizeof h);
	n = (size_t)snprintf(line, sizeof line, "Advice: %s", h);
	if (ad->onbuild > 0)
		n += (size_t)snprintf(line + n, sizeof line - n, ", %zu ONBUILD trigger%s%s",
		                      ad->onbuild, ad->onbuild == 1 ? "" : "s",
		                      ad->onbuild_high ? " (HIGH)" : "");
	pane_image_kinds(ad, line, sizeof line, n);
	return xstrdup(line);
}

/* The length of s's first row at width columns (ASCII): up to the last
 * ", " that fits (a kind of advice is not split), or cut when none does;
 * *next: where the next row starts. */
static size_t
pane_image_wrap(const char *s, int width, const char **next)
{
	size_t len = strlen(s), cut;

	if (width <= 0 || len <= (size_t)width) {
		*next = s + len;
		return len;
	}
	for (cut = (size_t)width - 1; cut > 0 && !(s[cut] == ',' && s[cut + 1] == ' '); cut--)
		;
	if (cut == 0) {
		*next = s + width;
		return (size_t)width;
	}
	*next = s + cut + 2;
	return cut + 1;
}

static void
pane_image_init(struct app *a, struct pane *p)
{
	struct pane_image_state *st = p->state;

	scroll_init(&st->files, a->waste->nfiles, 0);
	st->advice = pane_image_advice(a->advice);
}

static void
pane_image_fini(struct pane *p)
{
	struct pane_image_state *st = p->state;

	free(st->advice);
}

/* The advice takes as many rows as it needs, up to 3, while the
 * inefficient files keep 3 rows (the last row is cut); continued rows are
 * indented by 2. The files have the rest. */
static void
pane_image_resize(struct app *a, struct pane *p)
{
	struct pane_image_state *st = p->state;
	int w = p->box.w, most = p->box.h - 6 - 3 + 1, rows = 0;
	const char *s = st->advice;

	(void)a;
	if (most > 3)
		most = 3;
	while (*s && rows < most) {
		pane_image_wrap(s, rows ? w - 2 : w, &s);
		rows++;
	}
	st->advice_rows = rows > 0 ? rows : 1;
	scroll_set_rows(&st->files, p->box.h - 5 - st->advice_rows);
}

/* The figures, from row y on; returns the row after them. */
static int
pane_image_figures(const struct app *a, const struct pane_box *b, int y)
{
	const struct waste *ws = a->waste;
	char line[1024], s[32];

	human_dive_size(ws->image_size, s, sizeof s);
	snprintf(line, sizeof line, "Total Image size: %s   Efficiency: %.2f %%", s,
	         ws->efficiency * 100);
	draw_text(y++, b->x, b->w, line, 0, 0);
	human_dive_size(ws->wasted_bytes, s, sizeof s);
	snprintf(line, sizeof line, "Wasted: %s   User wasted: %.2f %%", s,
	         ws->user_wasted_percent * 100);
	draw_text(y++, b->x, b->w, line, 0, 0);
	human_dive_size(ws->reclaimable, s, sizeof s);
	snprintf(line, sizeof line, "Reclaimable: %s (%.2f %%)", s, ws->reclaimable_percent * 100);
	draw_text(y++, b->x, b->w, line, 0, 0);
	return y;
}

/* The advice from row y on, wrapped; returns the row after it. */
static int
pane_image_advice_draw(const struct pane_image_state *st, const struct pane_box *b, int y)
{
	const char *s = st->advice;
	char line[1024];

	for (int r = 0; r < st->advice_rows && y < b->y + b->h; r++, y++) {
		int indent = r ? 2 : 0;
		const char *row = s;
		size_t take = r + 1 < st->advice_rows ? pane_image_wrap(row, b->w - indent, &s) :
		              strlen(row);
		snprintf(line, sizeof line, "%*s%.*s", indent, "", (int)take, row);
		draw_text(y, b->x, b->w, line, 0, 0);
	}
	return y;
}

/* The inefficient files from row y to the bottom. */
static void
pane_image_files(const struct app *a, const struct pane_image_state *st, const struct pane_box *b,
                 int y)
{
	const struct waste *ws = a->waste;
	int rows = b->y + b->h - y;
	char line[1024], s[32];

	if (ws->nfiles == 0 && rows > 0) {
		draw_text(y++, b->x, b->w, "(no inefficient files)", 0, 0);
		rows--;
	}
	for (int r = 0; r < rows; r++) {
		size_t i = st->files.top + (size_t)r;
		if (i >= ws->nfiles) {
			draw_text(y + r, b->x, b->w, "", 0, 0);
			continue;
		}
		char *p = tree_path_escaped(&a->img->tree, ws->files[i].node, 1);
		human_dive_size(ws->files[i].cumulative, s, sizeof s);
		snprintf(line, sizeof line, "%-5u  %-11s  %s", ws->files[i].count, s, p);
		free(p);
		attr_t at = i == st->files.sel && a->focus == PANE_IMAGE ? A_REVERSE : 0;
		draw_text(y + r, b->x, b->w, line, at, 0);
	}
}

static void
pane_image_draw(struct app *a, struct pane *p)
{
	const struct pane_box *b = &p->box;
	int y;

	draw_title(b->y, b->x, b->w, "Image Details", a->focus == PANE_IMAGE, a->unicode);
	y = pane_image_figures(a, b, b->y + 1);
	y = pane_image_advice_draw(p->state, b, y);
	draw_text(y++, b->x, b->w, "Count  Total Space  Path", A_BOLD, 0);
	pane_image_files(a, p->state, b, y);
}

/* The tree at the selected file: at the layer shown, or else at the
 * nearest one below where the path shows (a path removed later shows,
 * red, where it went). */
static void
pane_image_goto(struct app *a, uint32_t node)
{
	size_t from = a->layers.sel;

	for (size_t l = from + 1; l-- > 0;) {
		if (l != a->layers.sel)
			app_set_layer(a, l);
		if (treeview_select(a->tv, node)) {
			a->focus = PANE_TREE;
			return;
		}
	}
	app_set_layer(a, from);
	char *p = tree_path_escaped(&a->img->tree, node, 1);
	app_message(a, xasprintf("%s is not shown at any layer up to %zu (hidden or "
	                         "filtered out)", p, from));
	free(p);
}

/* Moving, and Enter; the tree's keys for these too. */
static int
pane_image_key(struct app *a, struct pane *p, int act, int key)
{
	struct pane_image_state *st = p->state;

	if (act == KA_NONE)
		act = keys_action(&a->cfg.keys, key, SCOPE_TREE);
	if (key == 13 || key == '\n' || key == KEY_ENTER || act == KA_OPEN || act == KA_MODIFIED) {
		if (a->waste->nfiles > 0)
			pane_image_goto(a, a->waste->files[st->files.sel].node);
		return 1;
	}
	return scroll_key(&st->files, act);
}

static void
pane_image_hint(struct app *a, struct pane *p, char *line, size_t size)
{
	static const int keys[] = { KA_QUIT, KA_HELP, KA_TOGGLE_VIEW };

	(void)p;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		pane_status_add(a, line, size, keys[i], NULL, 0);
	pane_status_add(a, line, size, KA_OPEN, "Go to file", 0);
}

const struct pane_ops pane_image = {
	.name = "image details",
	.place = PLACE_LEFT,
	.flags = PANE_TAB,
	.scope = SCOPE_ALL,
	.size = sizeof(struct pane_image_state),
	.init = pane_image_init,
	.fini = pane_image_fini,
	.resize = pane_image_resize,
	.draw = pane_image_draw,
	.key = pane_image_key,
	.hint = pane_image_hint,
};
