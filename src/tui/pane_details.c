/* pane_details: the Layer Details pane: the selected layer's digest,
 * size, creation time and command (wrapped on the rows it has). Takes no
 * keys. */
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/pane.h"
#include "util/human.h"
#include "util/xalloc.h"

/* "Command: ..." cut into rows of b->w columns, from row first on. */
static void
pane_details_command(const struct pane_box *b, int first, const char *cmd)
{
	char *full = xasprintf("Command: %s", cmd);
	size_t len = strlen(full), at = 0;

	for (int r = first; r < b->h; r++) {
		char part[1024];
		size_t take = len - at < (size_t)b->w ? len - at : (size_t)b->w;
		if (take >= sizeof part)
			take = sizeof part - 1;
		memcpy(part, full + at, take);
		part[take] = '\0';
		draw_text(b->y + r, b->x, b->w, part, 0, 0);
		at += take;
	}
	free(full);
}

static void
pane_details_draw(struct app *a, struct pane *p)
{
	const struct pane_box *b = &p->box;
	const struct layer *l = &a->img->layers[a->layers.sel];
	const struct history *h = image_history_of(a->img, a->layers.sel);
	char line[1024], size[32];

	draw_title(b->y, b->x, b->w, "Layer Details", 0, a->unicode);
	snprintf(line, sizeof line, "Digest: %s", l->digest ? l->digest :
	         l->blob_digest ? l->blob_digest : "-");
	draw_text(b->y + 1, b->x, b->w, line, 0, 0);
	human_dive_size(a->img->blobs[l->blob].size, size, sizeof size);
	char *created = h ? human_utc_time(h->created) : NULL;
	snprintf(line, sizeof line, "Size: %s   Created: %s", size, created ? created : "-");
	free(created);
	draw_text(b->y + 2, b->x, b->w, line, 0, 0);
	pane_details_command(b, 3, a->commands[a->layers.sel]);
}

const struct pane_ops pane_details = {
	.name = "layer details",
	.place = PLACE_LEFT,
	.height = 5,
	.draw = pane_details_draw,
};
