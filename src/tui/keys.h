/* keys: the explorer's actions and the keys bound to them: dive's names
 * and defaults, one X-macro list, from which the help screen and the
 * status line are made too. No curses here: keys are ncurses key codes
 * (plain ints). */
#ifndef FATHOM_KEYS_H
#define FATHOM_KEYS_H

/* Where an action works. */
enum key_scope { SCOPE_ALL, SCOPE_LAYERS, SCOPE_TREE, SCOPE_FILTER };

/* id, dive's name, default keys, scope, help text, status line label */
#define KEY_ACTIONS(X)                                                                         \
	X(KA_QUIT, "quit", "ctrl+c,q", SCOPE_ALL, "Quit", "Quit")                            \
	X(KA_TOGGLE_VIEW, "toggle-view", "tab", SCOPE_ALL, "Switch view", "Pane")            \
	X(KA_FILTER, "filter-files", "ctrl+f,ctrl+slash", SCOPE_ALL, "Filter", "Filter")     \
	X(KA_CLOSE_FILTER, "close-filter-files", "esc", SCOPE_FILTER, "Close filter", "Close") \
	X(KA_UP, "up", "up,k", SCOPE_ALL, "Up", "Up")                                        \
	X(KA_DOWN, "down", "down,j", SCOPE_ALL, "Down", "Down")                              \
	X(KA_LEFT, "left", "left,h", SCOPE_TREE, "Parent dir", "Parent")                     \
	X(KA_RIGHT, "right", "right,l", SCOPE_TREE, "Into dir", "Into")                      \
	X(KA_PAGE_UP, "page-up", "pgup,u", SCOPE_ALL, "Page up", "PgUp")                     \
	X(KA_PAGE_DOWN, "page-down", "pgdn,d", SCOPE_ALL, "Page down", "PgDn")               \
	X(KA_COMPARE_LAYER, "compare-layer", "ctrl+l", SCOPE_LAYERS, "Show layer changes", "Layer changes") \
	X(KA_COMPARE_ALL, "compare-all", "ctrl+a", SCOPE_LAYERS, "Show aggregated changes", "Aggregated") \
	X(KA_COLLAPSE, "toggle-collapse-dir", "space", SCOPE_TREE, "Collapse dir", "Collapse") \
	X(KA_COLLAPSE_ALL, "toggle-collapse-all-dir", "ctrl+space", SCOPE_TREE, "Collapse all dir", "All") \
	X(KA_ADDED, "toggle-added-files", "ctrl+a", SCOPE_TREE, "Added", "Added")             \
	X(KA_REMOVED, "toggle-removed-files", "ctrl+r", SCOPE_TREE, "Removed", "Removed")     \
	X(KA_MODIFIED, "toggle-modified-files", "ctrl+m", SCOPE_TREE, "Modified", "Modified") \
	X(KA_UNMODIFIED, "toggle-unmodified-files", "ctrl+u", SCOPE_TREE, "Unmodified", "Unmodified") \
	X(KA_ATTRIBUTES, "toggle-filetree-attributes", "ctrl+b", SCOPE_TREE, "Attributes", "Attrs") \
	X(KA_SORT, "toggle-sort-order", "ctrl+o", SCOPE_TREE, "Sort by size", "Size sort")    \
	X(KA_EXTRACT, "extract-files", "ctrl+e", SCOPE_TREE, "Extract", "Extract")           \
	X(KA_OPEN, "open-file", "enter", SCOPE_TREE, "Open in $PAGER", "Open")               \
	X(KA_HELP, "help", "?", SCOPE_ALL, "Help", "Help")

#define KEYS_ENUM(id, name, keys, scope, help, label) id,
enum key_action { KEY_ACTIONS(KEYS_ENUM) KA_COUNT, KA_NONE = -1 };
#undef KEYS_ENUM

#define KEYS_MAX 6	/* keys per action */

struct key_action_def {
	const char *name;
	const char *keys;	/* the defaults */
	enum key_scope scope;
	const char *help;
	const char *label;	/* short, for the status line */
};

struct keymap {
	int keys[KA_COUNT][KEYS_MAX];	/* key codes; -1 ends the list */
};

extern const struct key_action_def key_actions[KA_COUNT];

/* The defaults. */
void keys_init(struct keymap *km);
/* Binds an action to "ctrl+a, pgup, k" (dive's syntax); returns 0, or -1
 * with *why (static) for a key it cannot read. */
int keys_bind(struct keymap *km, int action, const char *spec, const char **why);
/* The action named so (dive's name), or KA_NONE. */
int keys_find(const char *name);
/* What key code does in a pane (SCOPE_LAYERS or SCOPE_TREE), or KA_NONE.
 * Actions of the pane win over actions of every pane. */
int keys_action(const struct keymap *km, int key, enum key_scope pane);
/* How to show the first key of an action ("^F", "Tab", "q"). */
const char *keys_label(const struct keymap *km, int action, char *buf, unsigned len);

#endif
