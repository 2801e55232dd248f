/* pane_help: the keys, over the whole screen while open (?): each
 * action's keys as bound, what it does, dive's name for it and where it
 * works, from keys.h's list. Any key closes it. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/pane.h"

/* "ctrl+f, ctrl+slash" as labels: "^F, ^_". */
static void
pane_help_keys(const struct keymap *km, int act, char *out, size_t size)
{
	char key[24];

	out[0] = '\0';
	for (int k = 0; k < KEYS_MAX && km->keys[act][k] >= 0; k++) {
		struct keymap one = { 0 };
		one.keys[act][0] = km->keys[act][k];
		snprintf(out + strlen(out), size - strlen(out), "%s%s", k ? ", " : "",
		         keys_label(&one, act, key, sizeof key));
	}
}

static void
pane_help_draw(struct app *a, struct pane *p)
{
	static const char *const scopes[] = { "any pane", "layers", "tree", "filter" };
	const struct pane_box *b = &p->box;
	char line[1024], keys[128];
	int y = b->y;

	erase();
	draw_text(y++, b->x, b->w, "fathom: keys (any key closes this screen)", A_BOLD | A_REVERSE, 0);
	for (int i = 0; i < KA_COUNT && y < b->y + b->h; i++) {
		pane_help_keys(&a->cfg.keys, i, keys, sizeof keys);
		snprintf(line, sizeof line, "  %-18s %-28s %-27s %s", keys, key_actions[i].help,
		         key_actions[i].name, scopes[key_actions[i].scope]);
		draw_text(y++, b->x, b->w, line, 0, 0);
	}
	if (y < b->y + b->h)
		draw_text(y++, b->x, b->w, "  Enter and ^M are one key: on a directory it toggles "
		          "modified files; elsewhere it opens the path, or says why not.", 0, 0);
}

static int
pane_help_key(struct app *a, struct pane *p, int act, int key)
{
	(void)act;
	(void)key;
	app_close_overlay(a, p);
	return 1;
}

const struct pane_ops pane_help = {
	.name = "help",
	.place = PLACE_SCREEN,
	.flags = PANE_OVERLAY,
	.scope = SCOPE_ALL,
	.opens = KA_HELP,
	.draw = pane_help_draw,
	.key = pane_help_key,
};
