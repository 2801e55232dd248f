/* pane_layers: the Layers pane: every layer with its size and command,
 * the compared ones marked; its selection (a->layers) is the layer the
 * other panes show. Up, down and the page keys select; ctrl+l and ctrl+a
 * choose what the tree compares with. */
#include <stdio.h>

#include "tui/draw.h"
#include "tui/pane.h"
#include "util/human.h"

/* As many rows as layers (and the title and heading), up to 2/5 of the
 * column, at least 4. */
static int
pane_layers_rows(const struct app *a, const struct pane *p, int column, int left)
{
	int want = (int)a->img->nlayers + 2, most = column * 2 / 5;

	(void)p;
	(void)left;
	want = want < most ? want : most;
	return want > 4 ? want : 4;
}

static void
pane_layers_resize(struct app *a, struct pane *p)
{
	scroll_set_rows(&a->layers, p->box.h - 2);
}

static void
pane_layers_draw(struct app *a, struct pane *p)
{
	const struct pane_box *b = &p->box;
	int focused = a->focus == PANE_LAYERS;
	int iw = snprintf(NULL, 0, "%zu", a->img->nlayers - 1);	/* the index's width */
	char line[1024], size[32];

	draw_title(b->y, b->x, b->w, "Layers", focused, a->unicode);
	snprintf(line, sizeof line, "%*s Cmp  Size      Command", iw, "#");
	draw_text(b->y + 1, b->x, b->w, line, A_BOLD, 0);
	for (int r = 0; r < b->h - 2; r++) {
		size_t k = a->layers.top + (size_t)r;
		if (k >= a->img->nlayers) {
			draw_text(b->y + 2 + r, b->x, b->w, "", 0, 0);
			continue;
		}
		int in = a->aggregate ? k <= a->layers.sel : k == a->layers.sel;
		human_dive_size(a->img->blobs[a->img->layers[k].blob].size, size, sizeof size);
		snprintf(line, sizeof line, "%*zu %s  %-9s %s", iw, k,
		         in ? (a->unicode ? " \u25a0" : " *") : "  ", size, a->commands[k]);
		attr_t at = k == a->layers.sel ? (focused ? A_REVERSE : A_BOLD) : 0;
		draw_text(b->y + 2 + r, b->x, b->w, line, at, 0);
	}
}

static int
pane_layers_key(struct app *a, struct pane *p, int act, int key)
{
	size_t was = a->layers.sel;

	(void)p;
	(void)key;
	if (scroll_key(&a->layers, act)) {
		if (a->layers.sel != was)
			treeview_set_layer(a->tv, a->layers.sel, a->aggregate);
		return 1;
	}
	if (act != KA_COMPARE_LAYER && act != KA_COMPARE_ALL)
		return 0;
	a->aggregate = act == KA_COMPARE_ALL;
	app_set_layer(a, a->layers.sel);
	return 1;
}

static void
pane_layers_hint(struct app *a, struct pane *p, char *line, size_t size)
{
	static const int keys[] = { KA_QUIT, KA_HELP, KA_TOGGLE_VIEW, KA_FILTER,
		KA_COMPARE_LAYER, KA_COMPARE_ALL };

	(void)p;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		pane_status_add(a, line, size, keys[i], NULL, 0);
}

const struct pane_ops pane_layers = {
	.name = "layers",
	.place = PLACE_LEFT,
	.flags = PANE_TAB,
	.scope = SCOPE_LAYERS,
	.rows = pane_layers_rows,
	.resize = pane_layers_resize,
	.draw = pane_layers_draw,
	.key = pane_layers_key,
	.hint = pane_layers_hint,
};
