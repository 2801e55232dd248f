/* pane_tree: the file tree pane: the rows treeview.c gives for the layer
 * shown, with status colours (or letters), attributes and branches; its
 * keys move, collapse, hide, sort, open a file in the pager (pager.c) and
 * extract the selected path (write/extract.c) into the current
 * directory. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/stack.h"
#include "tui/draw.h"
#include "tui/pager.h"
#include "tui/pane.h"
#include "util/escape.h"
#include "util/human.h"
#include "util/xalloc.h"
#include "write/extract.h"

#define PANE_TREE_ROWS 512	/* rows drawn at most */

struct pane_tree_state {
	int attrs;			/* attribute columns asked for */
	struct tv_row rows[PANE_TREE_ROWS];
};

static void
pane_tree_init(struct app *a, struct pane *p)
{
	struct pane_tree_state *st = p->state;

	st->attrs = a->cfg.show_attributes;
}

/* Attribute columns take 35 of the tree's columns: shown when asked for and
 * when the tree is 60 columns wide or more (as dive narrows its layout). */
static int
pane_tree_attrs(const struct pane *p)
{
	const struct pane_tree_state *st = p->state;

	return st->attrs && p->box.w >= 60;
}

/* The tree's rows: the box but the title and the attributes' heading. */
static void
pane_tree_resize(struct app *a, struct pane *p)
{
	treeview_set_height(a->tv, p->box.h - 1 - (pane_tree_attrs(p) ? 1 : 0));
}

/* "drwxr-xr-x" */
static void
pane_tree_perms(const struct entry *e, char *out)
{
	static const char types[] = { [ENTRY_DIR] = 'd', [ENTRY_SYMLINK] = 'l',
		[ENTRY_CHAR] = 'c', [ENTRY_BLOCK] = 'b', [ENTRY_FIFO] = 'p' };
	unsigned m = e->mode;

	out[0] = e->type < sizeof types && types[e->type] ? types[e->type] : '-';
	for (int i = 0; i < 9; i++)
		out[1 + i] = (m >> (8 - i)) & 1 ? "rwxrwxrwx"[i] : '-';
	if (m & 04000)
		out[3] = out[3] == 'x' ? 's' : 'S';
	if (m & 02000)
		out[6] = out[6] == 'x' ? 's' : 'S';
	if (m & 01000)
		out[9] = out[9] == 'x' ? 't' : 'T';
	out[10] = '\0';
}

/* The status letter (without colours) and the attributes; returns the
 * length written. */
static size_t
pane_tree_prefix(const struct app *a, const struct pane *p, const struct tv_row *row,
                 char *line, size_t size)
{
	static const char letters[] = " AMR";
	const struct entry *e = row->entry;
	char bytes[32], perms[12], owner[32];
	size_t len = 0;

	if (!a->color)
		len += (size_t)snprintf(line + len, size - len, "%c ", letters[row->status]);
	if (pane_tree_attrs(p) && e != NULL) {
		pane_tree_perms(e, perms);
		snprintf(owner, sizeof owner, "%u:%u", e->uid, e->gid);
		human_dive_size(row->size, bytes, sizeof bytes);
		len += (size_t)snprintf(line + len, size - len, "%s %11s %10s  ", perms, owner, bytes);
	}
	return len;
}

/* One row: prefix, branches, name, a symbolic link's target. */
static void
pane_tree_line(const struct app *a, const struct pane *p, const struct tv_row *row,
               char *line, size_t size)
{
	const struct entry *e = row->entry;
	size_t len = pane_tree_prefix(a, p, row, line, size), nl;

	for (int d = 0; d < row->depth && len + 8 < size; d++)
		len += (size_t)snprintf(line + len, size - len, "%s",
		    (row->last_bits >> d) & 1 ? "    " : a->unicode ? "\u2502   " : "|   ");
	int last = (row->last_bits >> row->depth) & 1;
	const char *branch = a->unicode ? (last ? "\u2514\u2500" : "\u251c\u2500") :
	                     (last ? "`-" : "|-");
	const char *mark = row->collapsed && row->has_children ?
	                   (a->unicode ? "\u2295 " : "+ ") : (a->unicode ? "\u2500 " : "- ");
	const char *name = tree_name(&a->img->tree, row->node, &nl);
	char *shown = escape_str(name, nl, 1);
	len += (size_t)snprintf(line + len, size - len, "%s%s%s", branch, mark, shown);
	free(shown);
	if (e != NULL && e->type == ENTRY_SYMLINK && len + 8 < size) {
		size_t ll;
		const char *t = intern_str(a->img->tree.names, e->link, &ll);
		char *ts = escape_str(t, ll, 1);
		snprintf(line + len, size - len, " %s %s", a->unicode ? "\u2192" : "->", ts);
		free(ts);
	}
}

/* "Current Layer Contents (filter: PATTERN)" and the attributes' heading;
 * returns the first row of the tree. */
static int
pane_tree_title(const struct app *a, const struct pane *p)
{
	const struct pane_box *b = &p->box;
	const char *what = a->aggregate ? "Aggregated Layer Contents" : "Current Layer Contents";
	const char *filter = treeview_filter(a->tv);
	char title[600];
	int y = b->y;

	if (filter != NULL)
		snprintf(title, sizeof title, "%s (filter: %s)", what, filter);
	else
		snprintf(title, sizeof title, "%s", what);
	draw_title(y++, b->x, b->w, title, a->focus == PANE_TREE, a->unicode);
	if (pane_tree_attrs(p))
		draw_text(y++, b->x, b->w, a->color ? "Permission     UID:GID       Size  Filetree" :
		          "  Permission     UID:GID       Size  Filetree", A_BOLD, 0);
	return y;
}

static void
pane_tree_draw(struct app *a, struct pane *p)
{
	static const short pairs[] = { 0, DRAW_ADDED, DRAW_MODIFIED, DRAW_REMOVED };
	struct pane_tree_state *st = p->state;
	const struct pane_box *b = &p->box;
	int y = pane_tree_title(a, p), height = b->y + b->h - y, sel;
	char line[4096];

	if (height > PANE_TREE_ROWS)
		height = PANE_TREE_ROWS;
	size_t n = treeview_rows(a->tv, st->rows, (size_t)height, &sel);
	for (int r = 0; r < height; r++) {
		if ((size_t)r >= n) {
			draw_text(y + r, b->x, b->w, "", 0, 0);
			continue;
		}
		pane_tree_line(a, p, &st->rows[r], line, sizeof line);
		attr_t at = r == sel ? (a->focus == PANE_TREE ? A_REVERSE : A_BOLD) : 0;
		draw_text(y + r, b->x, b->w, line, at, a->color ? pairs[st->rows[r].status] : 0);
	}
}

/* Ctrl+E: the selected path as it is at the layer, into the current
 * directory; what was written (or refused) in the status line. */
static void
pane_tree_extract(struct app *a)
{
	uint32_t node = treeview_selected(a->tv);
	struct extract_result res;
	char *why = NULL, *done, *p;
	int dirfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dirfd < 0) {
		app_message(a, xasprintf("cannot open the current directory: %s", strerror(errno)));
		return;
	}
	int rc = extract_node(a->img, node, a->layers.sel, dirfd, 0, &res, &why);
	close(dirfd);
	p = tree_path_escaped(&a->img->tree, node, 1);
	done = rc < 0 ? NULL :
	       xasprintf("extracted %s: %zu file%s, %zu director%s, %zu link%s", p,
	                 res.files, res.files == 1 ? "" : "s", res.dirs, res.dirs == 1 ? "y" : "ies",
	                 res.links, res.links == 1 ? "" : "s");
	if (rc < 0)
		app_message(a, xasprintf("extract: %s", why));
	else if (res.refused > 0) {
		app_message(a, xasprintf("%s; refused %zu (%s: a link out, or a device)", done,
		                         res.refused, res.first_refused));
		free(done);
	} else
		app_message(a, done);
	free(p);
	free(why);
	extract_result_fini(&res);
}

/* Enter is Ctrl+M: on a directory (removed or not), or an empty tree,
 * modified files toggle (dive's ^M); any other path opens, or the status
 * line says why it cannot. */
static int
pane_tree_enter(const struct app *a, int act, int key)
{
	uint32_t sel = treeview_selected(a->tv);

	if ((act != KA_MODIFIED && act != KA_OPEN) || key != 13)
		return act;
	uint32_t v = sel != TREE_NONE ? stack_at(a->img, sel, a->layers.sel) : TREE_NONE;
	const struct entry *e = v != TREE_NONE ? stack_version_entry(a->img, v) : NULL;
	return sel == TREE_NONE || (e != NULL && e->type == ENTRY_DIR) ? KA_MODIFIED : KA_OPEN;
}

static void
pane_tree_toggle(struct app *a, enum tv_status s)
{
	treeview_set_hidden(a->tv, s, !treeview_hidden(a->tv, s));
}

static int
pane_tree_key(struct app *a, struct pane *p, int act, int key)
{
	struct pane_tree_state *st = p->state;

	switch (pane_tree_enter(a, act, key)) {
	case KA_UP: treeview_move(a->tv, -1); break;
	case KA_DOWN: treeview_move(a->tv, 1); break;
	case KA_LEFT: treeview_left(a->tv); break;
	case KA_RIGHT: treeview_right(a->tv); break;
	case KA_PAGE_UP: treeview_page(a->tv, -1); break;
	case KA_PAGE_DOWN: treeview_page(a->tv, 1); break;
	case KA_COLLAPSE: treeview_toggle_collapse(a->tv); break;
	case KA_COLLAPSE_ALL: treeview_toggle_collapse_all(a->tv); break;
	case KA_ADDED: pane_tree_toggle(a, TV_ADDED); break;
	case KA_REMOVED: pane_tree_toggle(a, TV_REMOVED); break;
	case KA_MODIFIED: pane_tree_toggle(a, TV_MODIFIED); break;
	case KA_UNMODIFIED: pane_tree_toggle(a, TV_UNMODIFIED); break;
	case KA_ATTRIBUTES: st->attrs = !st->attrs; pane_tree_resize(a, p); break;
	case KA_SORT: treeview_set_sort(a->tv, !treeview_sort(a->tv)); break;
	case KA_EXTRACT: pane_tree_extract(a); break;
	case KA_OPEN:
		app_message(a, pager_open(a->img, treeview_selected(a->tv), a->layers.sel));
		break;
	default: return 0;
	}
	return 1;
}

/* The toggles that are off show as "-Label". */
static void
pane_tree_hint(struct app *a, struct pane *p, char *line, size_t size)
{
	static const int keys[] = { KA_QUIT, KA_HELP, KA_TOGGLE_VIEW, KA_FILTER,
		KA_COLLAPSE, KA_COLLAPSE_ALL, KA_ADDED, KA_REMOVED, KA_MODIFIED, KA_UNMODIFIED,
		KA_ATTRIBUTES, KA_SORT, KA_EXTRACT, KA_OPEN };

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		int act = keys[i];
		int off = (act == KA_ADDED && treeview_hidden(a->tv, TV_ADDED)) ||
		          (act == KA_REMOVED && treeview_hidden(a->tv, TV_REMOVED)) ||
		          (act == KA_MODIFIED && treeview_hidden(a->tv, TV_MODIFIED)) ||
		          (act == KA_UNMODIFIED && treeview_hidden(a->tv, TV_UNMODIFIED)) ||
		          (act == KA_ATTRIBUTES && !pane_tree_attrs(p)) ||
		          (act == KA_SORT && !treeview_sort(a->tv));
		pane_status_add(a, line, size, act, NULL, off);
	}
}

const struct pane_ops pane_tree = {
	.name = "tree",
	.place = PLACE_RIGHT,
	.flags = PANE_TAB,
	.scope = SCOPE_TREE,
	.size = sizeof(struct pane_tree_state),
	.init = pane_tree_init,
	.resize = pane_tree_resize,
	.draw = pane_tree_draw,
	.key = pane_tree_key,
	.hint = pane_tree_hint,
};
