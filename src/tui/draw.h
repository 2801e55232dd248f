/* draw: what every pane draws with: a line of text cut to a number of
 * columns, a pane's title rule, the colours of the statuses. Panes draw
 * only through these and curses' attributes, inside their own box. */
#ifndef FATHOM_DRAW_H
#define FATHOM_DRAW_H

#include <curses.h>

/* Colour pairs, set up when the terminal has colours (app.c). */
enum draw_pair { DRAW_ADDED = 1, DRAW_MODIFIED, DRAW_REMOVED };

/* Writes s (UTF-8; anything else as '?') at (y, x) in at most width
 * columns, padding with blanks; nothing on a row off the screen. */
void draw_text(int y, int x, int width, const char *s, attr_t attr, short pair);
/* "─ Title ─────" across width columns ('-' without unicode), reversed
 * when focused. */
void draw_title(int y, int x, int width, const char *title, int focused, int unicode);

#endif
