/* pane_status: the status line, the screen's last row: the message a key
 * left (until the next key), else the keys of the focused pane (its hint),
 * most useful first, cut at the screen's width. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/pane.h"

void
pane_status_add(const struct app *a, char *line, size_t size, int act, const char *label,
                int off)
{
	size_t len = strlen(line);
	char key[24];

	if (len + 40 >= size)
		return;
	snprintf(line + len, size - len, "%s%s %s%s", len ? " " : "",
	         keys_label(&a->cfg.keys, act, key, sizeof key), off ? "-" : "",
	         label ? label : key_actions[act].label);
}

static void
pane_status_draw(struct app *a, struct pane *p)
{
	struct pane *focused = &a->panes[a->focus];
	const struct pane_box *b = &p->box;
	char line[1024] = "";

	if (a->message != NULL) {
		draw_text(b->y, b->x, b->w, a->message, A_BOLD, 0);
		return;
	}
	if (focused->ops->hint != NULL)
		focused->ops->hint(a, focused, line, sizeof line);
	draw_text(b->y, b->x, b->w, line, A_REVERSE, 0);
}

const struct pane_ops pane_status = {
	.name = "status",
	.place = PLACE_BOTTOM,
	.height = 1,
	.draw = pane_status_draw,
};
