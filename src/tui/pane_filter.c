/* pane_filter: the filter line, above the status line while open (ctrl+f):
 * what is typed filters the tree at each key (treeview_set_filter), a bad
 * regex is named and the last good pattern kept; Enter closes the line and
 * keeps the filter, Esc clears it. Keys it does not read go on to the
 * focused pane. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/pane.h"
#include "util/xalloc.h"

struct pane_filter_state {
	char text[512];		/* what is typed */
	size_t len;
	char *error;		/* owned: why the tree does not apply it */
};

static void
pane_filter_fini(struct pane *p)
{
	struct pane_filter_state *st = p->state;

	free(st->error);
}

static void
pane_filter_draw(struct app *a, struct pane *p)
{
	struct pane_filter_state *st = p->state;
	char line[1024];

	(void)a;
	snprintf(line, sizeof line, "Path Filter: %s%s%s", st->text,
	         st->error ? "   (" : "", st->error ? st->error : "");
	if (st->error)
		strncat(line, ")", sizeof line - strlen(line) - 1);
	draw_text(p->box.y, p->box.x, p->box.w, line, A_BOLD, 0);
}

static void
pane_filter_apply(struct app *a, struct pane_filter_state *st)
{
	char *why = NULL;

	free(st->error);
	st->error = NULL;
	if (treeview_set_filter(a->tv, st->text, &why) < 0) {
		st->error = xasprintf("bad pattern: %s", why);
		free(why);
	}
}

/* Backspace: one UTF-8 character back. */
static void
pane_filter_back(struct app *a, struct pane_filter_state *st)
{
	if (st->len == 0)
		return;
	do
		st->len--;
	while (st->len > 0 && (st->text[st->len] & 0xc0) == 0x80);
	st->text[st->len] = '\0';
	pane_filter_apply(a, st);
}

static int
pane_filter_key(struct app *a, struct pane *p, int act, int key)
{
	struct pane_filter_state *st = p->state;

	if (act == KA_CLOSE_FILTER) {
		app_close_overlay(a, p);
		st->len = 0;
		st->text[0] = '\0';
		pane_filter_apply(a, st);
		return 1;
	}
	if (key == 13 || key == '\n' || key == KEY_ENTER) {
		app_close_overlay(a, p);
		return 1;
	}
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		pane_filter_back(a, st);
		return 1;
	}
	if (key >= 32 && key < 256 && key != 127 && st->len + 1 < sizeof st->text) {
		st->text[st->len++] = (char)key;
		st->text[st->len] = '\0';
		pane_filter_apply(a, st);
		return 1;
	}
	return 0;
}

const struct pane_ops pane_filter = {
	.name = "filter",
	.place = PLACE_BOTTOM,
	.flags = PANE_OVERLAY,
	.scope = SCOPE_FILTER,
	.opens = KA_FILTER,
	.size = sizeof(struct pane_filter_state),
	.fini = pane_filter_fini,
	.height = 1,
	.draw = pane_filter_draw,
	.key = pane_filter_key,
};
