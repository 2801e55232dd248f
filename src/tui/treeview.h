/* treeview: the file tree pane's view model: which paths show at the
 * selected layer, with what status and size, in what order, which row is
 * selected and which rows are on screen. Plain C, no curses; the screen
 * only draws what treeview_rows returns.
 *
 * Everything a key press does costs the rows on screen, not the paths in
 * the image: visibility is decided per node when it is walked (from masks
 * computed per layer for the paths that layer changed, and marks computed
 * per filter), order comes from children sorted once, sizes are kept for
 * the selected layer and moved by the versions of the layers in between. */
#ifndef FATHOM_TREEVIEW_H
#define FATHOM_TREEVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

/* A path's status against the view's baseline. */
enum tv_status { TV_UNMODIFIED, TV_ADDED, TV_MODIFIED, TV_REMOVED, TV_NSTATUS };

struct treeview;

/* One row on screen. */
struct tv_row {
	uint32_t node;
	const struct entry *entry;	/* the path's entry (for a removed path,
					 * the one it had) */
	uint64_t size;			/* a directory's: the sum below it */
	uint8_t status;			/* enum tv_status (a directory's: merged) */
	uint8_t depth;			/* 0 for the root's children (capped) */
	uint8_t is_dir, collapsed, has_children;
	uint32_t last_bits;		/* bit d: the ancestor at depth d (or the
					 * row itself at its depth) is the last
					 * shown child of its directory */
};

struct treeview *treeview_new(const struct image *img);
void treeview_free(struct treeview *tv);

/* What the tree shows: the image as it stands after layer, marked against
 * the layer below (aggregate: against layer 0, as dive's "compare all"). */
void treeview_set_layer(struct treeview *tv, size_t layer, int aggregate);
/* Hides (or shows) the paths of a status; a directory shows while any path
 * below it shows. */
void treeview_set_hidden(struct treeview *tv, enum tv_status s, int hidden);
int treeview_hidden(const struct treeview *tv, enum tv_status s);
/* Shows only paths matching a POSIX extended regex (and their parents);
 * NULL or "" shows all. Returns 0, or -1 with *cause (owned) for a bad
 * pattern, keeping the filter it had. */
int treeview_set_filter(struct treeview *tv, const char *pattern, char **cause);
/* The pattern the tree applies, or NULL for none. */
const char *treeview_filter(const struct treeview *tv);
/* Builds what filtering needs (every path as text), which the first
 * filter would otherwise build; for a moment when nothing else happens. */
void treeview_prepare(struct treeview *tv);
/* Orders siblings by name (0) or by size, largest first (1). */
void treeview_set_sort(struct treeview *tv, int by_size);
int treeview_sort(const struct treeview *tv);

/* Rows on screen (at least 1). */
void treeview_set_height(struct treeview *tv, int rows);
/* Moves the selection by delta rows (negative: up), scrolling as needed. */
void treeview_move(struct treeview *tv, int delta);
/* A page down (1) or up (-1). */
void treeview_page(struct treeview *tv, int dir);
/* Left: to the parent directory; right: into a directory (expanding it). */
void treeview_left(struct treeview *tv);
void treeview_right(struct treeview *tv);
/* Collapses or expands the selected directory; all directories. */
void treeview_toggle_collapse(struct treeview *tv);
void treeview_toggle_collapse_all(struct treeview *tv);
/* Selects node (expanding its parents); 0 when it is not shown. */
int treeview_select(struct treeview *tv, uint32_t node);
/* The selected node, TREE_NONE when the tree shows nothing. */
uint32_t treeview_selected(const struct treeview *tv);

/* Fills up to max rows from the top of the screen; returns how many, and
 * the selected one's index in *selected (-1 when none). */
size_t treeview_rows(struct treeview *tv, struct tv_row *out, size_t max, int *selected);
/* The image shown. */
const struct image *tv_image(const struct treeview *tv);
/* The layer shown and the mode. */
size_t treeview_layer(const struct treeview *tv);
int treeview_aggregate(const struct treeview *tv);

#endif
