/* app: the explorer's layout and loop; see app.h.
 *
 * The panes are the list in pane.h, each a file filling struct pane_ops.
 * Layout: the bottom panes take full-width rows at the bottom (the filter
 * line while open, the status line); above them the left column (its
 * width from config.yaml's pane width, at least 30 columns each side)
 * stacks the left panes top down, each taking the rows it asks for, and
 * the right column the right ones; an open screen overlay (the help)
 * covers everything. A pane is told when its box changes. Each key goes
 * to the open overlays, then to what every pane shares (quit, Tab, the
 * actions that open an overlay), then to the focused pane; after it the
 * whole screen is drawn again from the models, which costs the rows on
 * screen. */
#include "tui/app.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/pane.h"
#include "util/escape.h"
#include "util/xalloc.h"

#define APP_PANE(id, ops) [id] = &ops,
static const struct pane_ops *const app_panes[PANE_COUNT] = { PANE_LIST(APP_PANE) };
#undef APP_PANE

/* -------------------------------------------------- for the panes */

void
app_message(struct app *a, char *msg)
{
	free(a->message);
	a->message = msg;
}

void
app_set_layer(struct app *a, size_t layer)
{
	if (layer >= a->img->nlayers)
		return;
	scroll_select(&a->layers, layer);
	treeview_set_layer(a->tv, layer, a->aggregate);
}

void
app_close_overlay(struct app *a, struct pane *p)
{
	p->open = 0;
	a->relayout = 1;
}

/* --------------------------------------------------------- layout */

static int
app_shown(const struct pane *p)
{
	return p->box.h > 0 && (!(p->ops->flags & PANE_OVERLAY) || p->open);
}

/* The rows p takes in a column of column rows, left of them free. */
static int
app_rows(const struct app *a, const struct pane *p, int column, int left)
{
	if ((p->ops->flags & PANE_OVERLAY) && !p->open)
		return 0;
	if (p->ops->height != 0)
		return p->ops->height;
	return p->ops->rows != NULL ? p->ops->rows(a, p, column, left) : left;
}

/* Stacks the panes of place top down from row y, in columns [x, x + w),
 * down to row end; returns the row below the last. */
static int
app_stack(const struct app *a, struct pane_box *box, enum pane_place place, int y, int x,
          int w, int end)
{
	for (int i = 0; i < PANE_COUNT; i++) {
		if (app_panes[i]->place != place)
			continue;
		int h = app_rows(a, &a->panes[i], end, end - y);
		box[i] = (struct pane_box){ y, x, h, w };
		y += h;
	}
	return y;
}

static void
app_layout(struct app *a)
{
	struct pane_box box[PANE_COUNT];
	int W = COLS, H = LINES;

	a->bottom = H;
	for (int i = 0; i < PANE_COUNT; i++)
		if (app_panes[i]->place == PLACE_BOTTOM)
			a->bottom -= app_rows(a, &a->panes[i], H, a->bottom);
	app_stack(a, box, PLACE_BOTTOM, a->bottom, 0, W, H);
	a->lw = W - (int)(W * a->cfg.pane_width + 0.5);	/* pane_width: the tree's */
	if (a->lw < 30)
		a->lw = 30;
	if (a->lw > W - 30)
		a->lw = W - 30;
	app_stack(a, box, PLACE_LEFT, 0, 0, a->lw - 1, a->bottom);	/* the rule after */
	app_stack(a, box, PLACE_RIGHT, 0, a->lw, W - a->lw, a->bottom);
	for (int i = 0; i < PANE_COUNT; i++)
		if (app_panes[i]->place == PLACE_SCREEN)
			box[i] = (struct pane_box){ 0, 0, H, W };
	for (int i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &a->panes[i];
		if (memcmp(&p->box, &box[i], sizeof box[i]) == 0)
			continue;
		p->box = box[i];
		if (p->ops->resize != NULL)
			p->ops->resize(a, p);
	}
}

/* An open screen overlay alone; else the rule between the columns and
 * every pane shown, in the list's order. */
static void
app_draw(struct app *a)
{
	for (int i = 0; i < PANE_COUNT; i++)
		if (app_panes[i]->place == PLACE_SCREEN && app_shown(&a->panes[i])) {
			app_panes[i]->draw(a, &a->panes[i]);
			return;
		}
	for (int y = 0; y < a->bottom; y++)
		mvaddstr(y, a->lw - 1, a->unicode ? "\u2502" : "|");
	for (int i = 0; i < PANE_COUNT; i++)
		if (app_panes[i]->place != PLACE_SCREEN && app_shown(&a->panes[i]))
			app_panes[i]->draw(a, &a->panes[i]);
}

/* ----------------------------------------------------------- keys */

/* The open overlays, in the list's order: 1 when one took the key. */
static int
app_key_overlays(struct app *a, int key)
{
	for (int i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &a->panes[i];
		if (!(p->ops->flags & PANE_OVERLAY) || !p->open || p->ops->key == NULL)
			continue;
		if (p->ops->key(a, p, keys_action(&a->cfg.keys, key, p->ops->scope), key))
			return 1;
	}
	return 0;
}

/* Tab: the next pane that takes the focus. */
static void
app_tab(struct app *a)
{
	do
		a->focus = (a->focus + 1) % PANE_COUNT;
	while (!(app_panes[a->focus]->flags & PANE_TAB));
}

/* What every pane shares, else the focused pane's. */
static void
app_key_focus(struct app *a, int key)
{
	struct pane *p = &a->panes[a->focus];
	int act = keys_action(&a->cfg.keys, key, p->ops->scope);

	if (act == KA_QUIT) {
		a->quit = 1;
		return;
	}
	if (act == KA_TOGGLE_VIEW) {
		app_tab(a);
		return;
	}
	for (int i = 0; i < PANE_COUNT && act != KA_NONE; i++)
		if ((app_panes[i]->flags & PANE_OVERLAY) && app_panes[i]->opens == act) {
			a->panes[i].open = 1;
			a->relayout = 1;
			return;
		}
	if (p->ops->key != NULL)
		p->ops->key(a, p, act, key);
}

/* A resize lays the screen out again (and closes the help, as any key). */
static void
app_key(struct app *a, int key)
{
	app_message(a, NULL);
	if (key == KEY_RESIZE)
		a->relayout = 1;
	if (!app_key_overlays(a, key) && key != KEY_RESIZE)
		app_key_focus(a, key);
	if (a->relayout) {
		a->relayout = 0;
		app_layout(a);
	}
}

/* ---------------------------------------------------- start, end */

/* A layer's command on one line: past docker's "#(nop)" (an instruction)
 * or the "/bin/sh -c " of a RUN; newlines and tabs as \n, \t. Owned. */
static char *
app_command(const struct image *img, size_t layer)
{
	const struct history *h = image_history_of(img, layer);
	const char *c = image_history_command(h);

	if (h != NULL && c == h->created_by && strncmp(c, "/bin/sh -c ", 11) == 0)
		c += 11;
	return escape_str(c, strlen(c), 1);
}

/* The shared state as config.yaml sets it, at the top layer; each pane's
 * own; the focus on the first pane that takes it. */
static void
app_new(struct app *a)
{
	const struct image *img = a->img;

	a->commands = xcalloc(img->nlayers, sizeof *a->commands);
	for (size_t k = 0; k < img->nlayers; k++)
		a->commands[k] = app_command(img, k);
	a->tv = treeview_new(img);
	a->aggregate = a->cfg.aggregate;
	scroll_init(&a->layers, img->nlayers, img->nlayers - 1);
	for (int s = 0; s < TV_NSTATUS; s++)
		treeview_set_hidden(a->tv, (enum tv_status)s, a->cfg.hide[s]);
	if (a->cfg.collapse_dir)
		treeview_toggle_collapse_all(a->tv);
	treeview_set_layer(a->tv, a->layers.sel, a->aggregate);
	for (int i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &a->panes[i];
		p->ops = app_panes[i];
		p->state = p->ops->size ? xcalloc(1, p->ops->size) : NULL;
		if (p->ops->init != NULL)
			p->ops->init(a, p);
	}
	a->focus = PANE_COUNT - 1;
	app_tab(a);
}

static void
app_free(struct app *a)
{
	for (int i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &a->panes[i];
		if (p->ops->fini != NULL)
			p->ops->fini(p);
		free(p->state);
	}
	treeview_free(a->tv);
	for (size_t k = 0; k < a->img->nlayers; k++)
		free(a->commands[k]);
	free(a->commands);
	free(a->message);
	trace_close(&a->trace);
}

/* The terminal in the user's encoding (the model is done with names),
 * raw, with colours unless NO_COLOR. Returns 0, or -1 with *cause. */
static int
app_terminal(struct app *a, char **cause)
{
	const char *nc = getenv("NO_COLOR");

	setlocale(LC_CTYPE, "");
	if (newterm(NULL, stdout, stdin) == NULL) {
		*cause = xstrdup("cannot use this terminal (TERM unset or unknown?)");
		setlocale(LC_CTYPE, "C");
		return -1;
	}
	a->unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	a->color = has_colors() && (nc == NULL || *nc == '\0');
	if (a->color) {
		start_color();
		use_default_colors();
		init_pair(DRAW_ADDED, COLOR_GREEN, -1);
		init_pair(DRAW_MODIFIED, COLOR_YELLOW, -1);
		init_pair(DRAW_REMOVED, COLOR_RED, -1);
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	return 0;
}

/* The first screen; while no key is waiting, what the first filter
 * needs; then a screen per key until quit. */
static void
app_loop(struct app *a)
{
	app_layout(a);
	app_draw(a);
	refresh();
	trace_drawn(&a->trace, -1);
	nodelay(stdscr, TRUE);
	int pending = getch();
	nodelay(stdscr, FALSE);
	if (pending == ERR)
		treeview_prepare(a->tv);
	else
		ungetch(pending);
	while (!a->quit) {
		int key = getch();
		if (key == ERR)
			continue;
		trace_key(&a->trace);
		app_key(a, key);
		if (a->quit)
			break;
		erase();
		app_draw(a);
		refresh();
		trace_drawn(&a->trace, key);
	}
}

int
app_run(struct image *img, const struct waste *waste, const struct advice *advice,
        const struct uiconfig *cfg, char **cause)
{
	struct app a = { .img = img, .waste = waste, .advice = advice, .cfg = *cfg };

	if (img->nlayers == 0) {
		*cause = xstrdup("the image has no layers");
		return -1;
	}
	trace_open(&a.trace);
	app_new(&a);
	if (app_terminal(&a, cause) < 0) {
		app_free(&a);
		return -1;
	}
	app_loop(&a);
	endwin();
	setlocale(LC_CTYPE, "C");
	app_free(&a);
	return 0;
}
