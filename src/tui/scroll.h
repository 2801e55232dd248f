/* scroll: a list of items shown a few rows at a time, one of them
 * selected: moving and paging the selection, and which item the first row
 * shows so that the selection stays in view (the layers list, the
 * inefficient files). No curses; the pane that shows it draws the rows
 * from top to top + rows. */
#ifndef FATHOM_SCROLL_H
#define FATHOM_SCROLL_H

#include <stddef.h>

struct scroll {
	size_t count;	/* items */
	size_t sel;	/* the selected item (0 when there are none) */
	size_t top;	/* the item the first row shows */
	int rows;	/* rows on screen; 0 or less: none (a page is 1) */
};

/* count items, sel selected, no rows yet. */
void scroll_init(struct scroll *s, size_t count, size_t sel);
/* After a resize: the selection in view, and no blank rows below while
 * items lie above. */
void scroll_set_rows(struct scroll *s, int rows);
/* Selects item sel (when there is one), brought into view. */
void scroll_select(struct scroll *s, size_t sel);
/* Moves the selection for KA_UP, KA_DOWN, KA_PAGE_UP and KA_PAGE_DOWN
 * (keys.h), up to the first or last item; returns 1 for one of them (moved
 * or not), 0 for any other action. */
int scroll_key(struct scroll *s, int act);

#endif
