/* pane: what every pane of the explorer is, the list of them, and the
 * state they share. A pane is one file (pane_*.c) that fills a struct
 * pane_ops, and one line of PANE_LIST; app.c lays the panes out, draws
 * them and hands them keys through that list, never naming one. A pane
 * draws only inside its box and never lays out the others. */
#ifndef FATHOM_PANE_H
#define FATHOM_PANE_H

#include <stddef.h>

#include "analysis/advice.h"
#include "analysis/waste.h"
#include "config/uiconfig.h"
#include "image/image.h"
#include "tui/keys.h"
#include "tui/scroll.h"
#include "tui/trace.h"
#include "tui/treeview.h"

/* Every pane, in order: Tab goes from one with PANE_TAB to the next, the
 * panes of a column are stacked top down, open overlays take keys first,
 * and they are drawn in this order. */
#define PANE_LIST(X)                                                        \
	X(PANE_LAYERS, pane_layers)	/* Layers (left) */                   \
	X(PANE_TREE, pane_tree)		/* the file tree (right) */           \
	X(PANE_DETAILS, pane_details)	/* Layer Details (left) */            \
	X(PANE_IMAGE, pane_image)	/* Image Details, inefficient files */ \
	X(PANE_HELP, pane_help)		/* the keys (the screen, on ?) */     \
	X(PANE_FILTER, pane_filter)	/* the filter line (bottom, on ^F) */ \
	X(PANE_STATUS, pane_status)	/* the status line (bottom) */

#define PANE_ENUM(id, ops) id,
enum pane_id { PANE_LIST(PANE_ENUM) PANE_COUNT };
#undef PANE_ENUM

struct app;
struct pane;

/* Where the layout puts a pane. */
enum pane_place {
	PLACE_LEFT,	/* the left column, under the panes before it */
	PLACE_RIGHT,	/* the right column, likewise */
	PLACE_BOTTOM,	/* full-width rows at the bottom, likewise */
	PLACE_SCREEN,	/* the whole screen, alone (an overlay, while open) */
};

enum pane_flags {
	PANE_TAB = 1,		/* it can have the focus: Tab stops there */
	PANE_OVERLAY = 2,	/* shown only while open: opens on ops->opens,
				 * takes keys before the focused pane */
};

/* The ops of a pane. Every hook but draw may be NULL. */
struct pane_ops {
	const char *name;		/* what it is, for a reader and a debugger */
	enum pane_place place;
	unsigned flags;			/* enum pane_flags */
	enum key_scope scope;		/* which keys its key hook is given */
	enum key_action opens;		/* PANE_OVERLAY: the action that opens it */
	size_t size;			/* of its own state (p->state, zeroed) */
	/* Once, after the shared state is set up; and when the explorer ends. */
	void (*init)(struct app *a, struct pane *p);
	void (*fini)(struct pane *p);
	/* The rows it takes in its column: height when not 0, else what rows
	 * says for a column of column rows with left of them still free (0
	 * or less at times); with neither, all that is left. A closed overlay
	 * takes none. */
	int height;
	int (*rows)(const struct app *a, const struct pane *p, int column, int left);
	/* Its box changed (the first layout, a resize, another pane's rows). */
	void (*resize)(struct app *a, struct pane *p);
	void (*draw)(struct app *a, struct pane *p);
	/* A key while it has the focus or is an open overlay: act is what key
	 * does in ops->scope (KA_NONE: nothing). Returns 1 when it took it. */
	int (*key)(struct app *a, struct pane *p, int act, int key);
	/* The status line's keys while it has the focus. */
	void (*hint)(struct app *a, struct pane *p, char *line, size_t size);
};

struct pane_box {
	int y, x, h, w;		/* h 0 or less: not shown */
};

struct pane {
	const struct pane_ops *ops;
	struct pane_box box;	/* from the layout */
	int open;		/* PANE_OVERLAY: shown now */
	void *state;		/* owned: ops->size bytes, the pane's own */
};

#define PANE_EXTERN(id, ops) extern const struct pane_ops ops;
PANE_LIST(PANE_EXTERN)
#undef PANE_EXTERN

/* What the panes share. The model is borrowed; the rest is app.c's, and a
 * pane changes only what its keys are about. */
struct app {
	struct image *img;
	const struct waste *waste;
	const struct advice *advice;
	struct uiconfig cfg;		/* a copy: keys, hide, collapse, width */
	struct treeview *tv;		/* owned: the tree's view model */
	char **commands;		/* owned: each layer's command, one line */
	struct scroll layers;		/* the layers list: its selection is the
					 * layer shown */
	int aggregate;			/* the tree compares with layer 0 */
	char *message;			/* owned: the status line's until the
					 * next key */
	int color, unicode;		/* what the terminal shows */
	/* the layout and the loop (app.c) */
	struct pane panes[PANE_COUNT];
	int focus;			/* enum pane_id: the pane keys go to */
	int lw, bottom;			/* the left column's width (with the
					 * rule); the rows above the bottom panes */
	int relayout, quit;
	struct trace trace;
};

/* What app.c does for the panes. */
/* Shows layer (when there is one): selected in the list, in the tree. */
void app_set_layer(struct app *a, size_t layer);
/* msg (owned, or NULL) in the status line until the next key. */
void app_message(struct app *a, char *msg);
/* Closes an overlay. */
void app_close_overlay(struct app *a, struct pane *p);

/* What the status line does for the panes' hints: appends "KEY label"
 * for an action (label NULL: the action's own; off: shown "-label", a
 * toggle that is off). */
void pane_status_add(const struct app *a, char *line, size_t size, int act, const char *label,
                     int off);

#endif
