/* app: the explorer's screens and keys; see app.h.
 *
 * Layout (rows, at any size from 80x24 up): the left column holds the
 * Layers pane, the Layer Details pane and the Image Details pane (with the
 * inefficient files); the right column the tree; the last row the keys of
 * the focused pane, and above it the filter while it is open. Each key is
 * one action (keys.h) on one pane; after it the whole screen is drawn again
 * from the models, which costs the rows on screen. */
#include "tui/app.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/stack.h"
#include "output/extract.h"
#include "output/text.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/pager.h"
#include "tui/scroll.h"
#include "tui/trace.h"
#include "tui/treeview.h"
#include "util/escape.h"
#include "util/xalloc.h"

enum { PANE_LAYERS, PANE_TREE, PANE_FILES, PANE_COUNT };

#define APP_MAX_ROWS 512

struct app {
	struct image *img;
	const struct waste *waste;
	const struct advice *advice;
	struct uiconfig cfg;
	struct treeview *tv;
	int focus;
	struct scroll layers;	/* its selection is the layer shown */
	struct scroll files;	/* the inefficient files */
	int aggregate, attrs;
	int filter_open;
	char filter[512];
	size_t filter_len;
	char *filter_error;	/* owned */
	char filtered[512];	/* the pattern the tree applies ("" for none):
				 * shown in its title, open or closed */
	char *message;		/* owned: shown until the next key */
	int help, quit;
	int color, unicode;
	/* layout */
	int W, H, lw, bottom;
	int layers_y, layers_h, details_y, details_h, image_y, image_h;
	char **commands;	/* owned: each layer's command on one line */
	char *advice_text;	/* owned: the advice summed by kind */
	int advice_rows;	/* what it takes on screen (app_layout) */
	struct trace trace;	/* FATHOM_TUI_TRACE: per key latency */
	struct tv_row rows[APP_MAX_ROWS];
};

/* ---------------------------------------------------------------- text */

static char *
app_path(const struct app *a, uint32_t node)
{
	char *buf = NULL, *out;
	size_t cap = 0, len = tree_path(&a->img->tree, node, &buf, &cap);

	out = escape_str(buf, len, 1);
	free(buf);
	return out;
}

static void
app_message(struct app *a, char *msg)
{
	free(a->message);
	a->message = msg;
}

/* --------------------------------------------------------------- layout */

/* Attribute columns take 35 of the tree's columns: shown when asked for and
 * when the tree is 60 columns wide or more (as dive narrows its layout). */
static int
app_attrs(const struct app *a)
{
	return a->attrs && a->W - a->lw >= 60;
}

/* The length of s's first row at width columns (ASCII): up to the last
 * ", " that fits (a kind of advice is not split), or cut when none does;
 * *next: where the next row starts. */
static size_t
app_wrap(const char *s, int width, const char **next)
{
	size_t len = strlen(s), cut;

	if (width <= 0 || len <= (size_t)width) {
		*next = s + len;
		return len;
	}
	for (cut = (size_t)width - 1; cut > 0 && !(s[cut] == ',' && s[cut + 1] == ' '); cut--)
		;
	if (cut == 0) {
		*next = s + width;
		return (size_t)width;
	}
	*next = s + cut + 2;
	return cut + 1;
}

/* The rows the advice takes: as many as it needs, up to 3, while the
 * inefficient files keep 3 rows (the last row is cut); continued rows are
 * indented by 2. */
static int
app_advice_rows(const struct app *a)
{
	int w = a->lw - 1, most = a->image_h - 6 - 3 + 1, rows = 0;
	const char *s = a->advice_text;

	if (most > 3)
		most = 3;
	while (*s && rows < most) {
		app_wrap(s, rows ? w - 2 : w, &s);
		rows++;
	}
	return rows > 0 ? rows : 1;
}

static void
app_layout(struct app *a)
{
	a->W = COLS;
	a->H = LINES;
	a->bottom = a->H - 1 - (a->filter_open ? 1 : 0);
	a->lw = a->W - (int)(a->W * a->cfg.pane_width + 0.5);	/* pane_width: the tree's */
	if (a->lw < 30)
		a->lw = 30;
	if (a->lw > a->W - 30)
		a->lw = a->W - 30;
	int want = (int)a->img->nlayers + 2, most = a->bottom * 2 / 5;
	a->layers_y = 0;
	a->layers_h = want < most ? want : most;
	if (a->layers_h < 4)
		a->layers_h = 4;
	a->details_y = a->layers_h;
	a->details_h = 5;
	a->image_y = a->details_y + a->details_h;
	a->image_h = a->bottom - a->image_y;
	a->advice_rows = app_advice_rows(a);
	scroll_set_rows(&a->layers, a->layers_h - 2);
	scroll_set_rows(&a->files, a->image_h - 5 - a->advice_rows);
	treeview_set_height(a->tv, a->bottom - 1 - (app_attrs(a) ? 1 : 0));
}

/* ---------------------------------------------------------------- panes */

static void
app_draw_layers(struct app *a)
{
	int w = a->lw - 1, rows = a->layers_h - 2;
	char line[1024], size[32];

	int iw = snprintf(NULL, 0, "%zu", a->img->nlayers - 1);	/* the index's width */

	draw_title(a->layers_y, 0, w, "Layers", a->focus == PANE_LAYERS, a->unicode);
	snprintf(line, sizeof line, "%*s Cmp  Size      Command", iw, "#");
	draw_text(a->layers_y + 1, 0, w, line, A_BOLD, 0);
	for (int r = 0; r < rows; r++) {
		size_t k = a->layers.top + (size_t)r;
		if (k >= a->img->nlayers) {
			draw_text(a->layers_y + 2 + r, 0, w, "", 0, 0);
			continue;
		}
		int in = a->aggregate ? k <= a->layers.sel : k == a->layers.sel;
		text_dive_size(a->img->blobs[a->img->layers[k].blob].size, size, sizeof size);
		snprintf(line, sizeof line, "%*zu %s  %-9s %s", iw, k,
		         in ? (a->unicode ? " \u25a0" : " *") : "  ", size, a->commands[k]);
		attr_t at = k == a->layers.sel ? (a->focus == PANE_LAYERS ? A_REVERSE : A_BOLD) : 0;
		draw_text(a->layers_y + 2 + r, 0, w, line, at, 0);
	}
}

static void
app_draw_details(struct app *a)
{
	const struct layer *l = &a->img->layers[a->layers.sel];
	const struct history *h = image_history_of(a->img, a->layers.sel);
	int w = a->lw - 1, y = a->details_y;
	char line[1024], size[32];

	draw_title(y, 0, w, "Layer Details", 0, a->unicode);
	snprintf(line, sizeof line, "Digest: %s", l->digest ? l->digest :
	         l->blob_digest ? l->blob_digest : "-");
	draw_text(y + 1, 0, w, line, 0, 0);
	text_dive_size(a->img->blobs[l->blob].size, size, sizeof size);
	char *created = h ? text_utc_time(h->created) : NULL;
	snprintf(line, sizeof line, "Size: %s   Created: %s", size, created ? created : "-");
	free(created);
	draw_text(y + 2, 0, w, line, 0, 0);
	/* the command, wrapped on what rows are left */
	const char *cmd = a->commands[a->layers.sel];
	char *full = xasprintf("Command: %s", cmd);
	size_t len = strlen(full), at = 0;
	for (int r = 3; r < a->details_h; r++) {
		char part[1024];
		size_t take = len - at < (size_t)w ? len - at : (size_t)w;
		if (take >= sizeof part)
			take = sizeof part - 1;
		memcpy(part, full + at, take);
		part[take] = '\0';
		draw_text(y + r, 0, w, part, 0, 0);
		at += take;
	}
	free(full);
}

/* "Advice: 38 kB (deleted-later 19 kB, metadata-only-copy 13 kB, ...)": the
 * findings summed by kind, largest first, and the ONBUILD triggers; the
 * short form of `fathom advise`. Owned. */
static char *
app_advice_text(const struct advice *ad)
{
	uint64_t sum[ADVICE_COUNT] = { 0 };
	int found[ADVICE_COUNT] = { 0 };
	char line[1024], h[32];
	size_t n;

	if (ad == NULL || ad->count == 0)
		return xstrdup("Advice: none");
	text_dive_size(ad->savings, h, sizeof h);
	n = (size_t)snprintf(line, sizeof line, "Advice: %s", h);
	if (ad->onbuild > 0)
		n += (size_t)snprintf(line + n, sizeof line - n, ", %zu ONBUILD trigger%s%s",
		                      ad->onbuild, ad->onbuild == 1 ? "" : "s",
		                      ad->onbuild_high ? " (HIGH)" : "");
	for (size_t i = 0; i < ad->count; i++)
		if (ad->items[i].id != ADVICE_ONBUILD) {
			sum[ad->items[i].id] += ad->items[i].bytes;
			found[ad->items[i].id] = 1;
		}
	for (int opened = 0;; opened = 1) {
		int best = -1;
		for (int k = 0; k < ADVICE_COUNT; k++)
			if (found[k] && (best < 0 || sum[k] > sum[best]))
				best = k;
		if (best < 0) {
			if (opened && n < sizeof line)
				snprintf(line + n, sizeof line - n, ")");
			break;
		}
		found[best] = 0;
		text_dive_size(sum[best], h, sizeof h);
		if (n < sizeof line)
			n += (size_t)snprintf(line + n, sizeof line - n, "%s%s%s%s", opened ? ", " : " (",
			                      advice_defs[best].name, best == ADVICE_BIG_BASE ? "" : " ",
			                      best == ADVICE_BIG_BASE ? "" : h);
	}
	return xstrdup(line);
}

static void
app_draw_image(struct app *a)
{
	const struct waste *ws = a->waste;
	int w = a->lw - 1, y = a->image_y;
	char line[1024], s1[32], s2[32];

	if (a->image_h <= 0)
		return;
	draw_title(y, 0, w, "Image Details", a->focus == PANE_FILES, a->unicode);
	text_dive_size(ws->image_size, s1, sizeof s1);
	snprintf(line, sizeof line, "Total Image size: %s   Efficiency: %.2f %%", s1,
	         ws->efficiency * 100);
	draw_text(y + 1, 0, w, line, 0, 0);
	text_dive_size(ws->wasted_bytes, s1, sizeof s1);
	snprintf(line, sizeof line, "Wasted: %s   User wasted: %.2f %%", s1,
	         ws->user_wasted_percent * 100);
	draw_text(y + 2, 0, w, line, 0, 0);
	text_dive_size(ws->reclaimable, s2, sizeof s2);
	snprintf(line, sizeof line, "Reclaimable: %s (%.2f %%)", s2, ws->reclaimable_percent * 100);
	draw_text(y + 3, 0, w, line, 0, 0);
	y += 4;
	const char *s = a->advice_text;
	for (int r = 0; r < a->advice_rows && y < a->bottom; r++, y++) {
		int indent = r ? 2 : 0;
		const char *row = s;
		size_t take = r + 1 < a->advice_rows ? app_wrap(row, w - indent, &s) : strlen(row);
		snprintf(line, sizeof line, "%*s%.*s", indent, "", (int)take, row);
		draw_text(y, 0, w, line, 0, 0);
	}
	draw_text(y++, 0, w, "Count  Total Space  Path", A_BOLD, 0);
	int rows = a->bottom - y;
	if (ws->nfiles == 0 && rows > 0) {
		draw_text(y++, 0, w, "(no inefficient files)", 0, 0);
		rows--;
	}
	for (int r = 0; r < rows; r++) {
		size_t i = a->files.top + (size_t)r;
		if (i >= ws->nfiles) {
			draw_text(y + r, 0, w, "", 0, 0);
			continue;
		}
		char *p = app_path(a, ws->files[i].node);
		text_dive_size(ws->files[i].cumulative, s1, sizeof s1);
		snprintf(line, sizeof line, "%-5u  %-11s  %s", ws->files[i].count, s1, p);
		free(p);
		attr_t at = i == a->files.sel && a->focus == PANE_FILES ? A_REVERSE : 0;
		draw_text(y + r, 0, w, line, at, 0);
	}
}

static void
app_perms(const struct entry *e, char *out)
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

static void
app_draw_tree(struct app *a)
{
	int x = a->lw, w = a->W - a->lw, y = 0, sel;
	char line[4096], size[32], perms[12], owner[32];
	static const short pairs[] = { 0, DRAW_ADDED, DRAW_MODIFIED, DRAW_REMOVED };
	static const char letters[] = " AMR";

	const char *what = a->aggregate ? "Aggregated Layer Contents" : "Current Layer Contents";
	char title[600];
	if (a->filtered[0] != '\0')
		snprintf(title, sizeof title, "%s (filter: %s)", what, a->filtered);
	else
		snprintf(title, sizeof title, "%s", what);
	draw_title(y++, x, w, title, a->focus == PANE_TREE, a->unicode);
	if (app_attrs(a))
		draw_text(y++, x, w, a->color ? "Permission     UID:GID       Size  Filetree" :
		        "  Permission     UID:GID       Size  Filetree", A_BOLD, 0);
	int height = a->bottom - y;
	if (height > APP_MAX_ROWS)
		height = APP_MAX_ROWS;
	size_t n = treeview_rows(a->tv, a->rows, (size_t)height, &sel);
	for (int r = 0; r < height; r++) {
		if ((size_t)r >= n) {
			draw_text(y + r, x, w, "", 0, 0);
			continue;
		}
		const struct tv_row *row = &a->rows[r];
		const struct entry *e = row->entry;
		size_t len = 0;
		if (!a->color)
			len += (size_t)snprintf(line + len, sizeof line - len, "%c ", letters[row->status]);
		if (app_attrs(a) && e != NULL) {
			app_perms(e, perms);
			snprintf(owner, sizeof owner, "%u:%u", e->uid, e->gid);
			text_dive_size(row->size, size, sizeof size);
			len += (size_t)snprintf(line + len, sizeof line - len, "%s %11s %10s  ",
			                        perms, owner, size);
		}
		for (int d = 0; d < row->depth && len + 8 < sizeof line; d++)
			len += (size_t)snprintf(line + len, sizeof line - len, "%s",
			    (row->last_bits >> d) & 1 ? "    " : a->unicode ? "\u2502   " : "|   ");
		int last = (row->last_bits >> row->depth) & 1;
		const char *branch = a->unicode ? (last ? "\u2514\u2500" : "\u251c\u2500") :
		                     (last ? "`-" : "|-");
		const char *mark = row->collapsed && row->has_children ?
		                   (a->unicode ? "\u2295 " : "+ ") : (a->unicode ? "\u2500 " : "- ");
		size_t nl;
		const char *name = tree_name(&a->img->tree, row->node, &nl);
		char *shown = escape_str(name, nl, 1);
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s%s", branch, mark, shown);
		free(shown);
		if (e != NULL && e->type == ENTRY_SYMLINK && len + 8 < sizeof line) {
			size_t ll;
			const char *t = intern_str(a->img->tree.names, e->link, &ll);
			char *ts = escape_str(t, ll, 1);
			snprintf(line + len, sizeof line - len, " %s %s", a->unicode ? "\u2192" : "->", ts);
			free(ts);
		}
		attr_t at = r == sel ? (a->focus == PANE_TREE ? A_REVERSE : A_BOLD) : 0;
		draw_text(y + r, x, w, line, at, a->color ? pairs[row->status] : 0);
	}
}

static void
app_draw_status(struct app *a)
{
	/* most useful first: the line is cut at the screen's width */
	static const int layer_keys[] = { KA_QUIT, KA_HELP, KA_TOGGLE_VIEW, KA_FILTER,
		KA_COMPARE_LAYER, KA_COMPARE_ALL };
	static const int tree_keys[] = { KA_QUIT, KA_HELP, KA_TOGGLE_VIEW, KA_FILTER,
		KA_COLLAPSE, KA_COLLAPSE_ALL, KA_ADDED, KA_REMOVED, KA_MODIFIED, KA_UNMODIFIED,
		KA_ATTRIBUTES, KA_SORT, KA_EXTRACT, KA_OPEN };
	static const int file_keys[] = { KA_QUIT, KA_HELP, KA_TOGGLE_VIEW, KA_OPEN };
	char line[1024], key[24];
	size_t len = 0;
	const int *keys = a->focus == PANE_LAYERS ? layer_keys : a->focus == PANE_TREE ? tree_keys : file_keys;
	size_t nkeys = a->focus == PANE_LAYERS ? sizeof layer_keys / sizeof *layer_keys :
	               a->focus == PANE_TREE ? sizeof tree_keys / sizeof *tree_keys :
	               sizeof file_keys / sizeof *file_keys;

	if (a->filter_open) {
		snprintf(line, sizeof line, "Path Filter: %s%s%s", a->filter,
		         a->filter_error ? "   (" : "", a->filter_error ? a->filter_error : "");
		if (a->filter_error)
			strncat(line, ")", sizeof line - strlen(line) - 1);
		draw_text(a->H - 2, 0, a->W, line, A_BOLD, 0);
	}
	if (a->message != NULL) {
		draw_text(a->H - 1, 0, a->W, a->message, A_BOLD, 0);
		return;
	}
	for (size_t i = 0; i < nkeys && len + 40 < sizeof line; i++) {
		int act = keys[i];
		const char *label = act == KA_OPEN && a->focus == PANE_FILES ? "Go to file" :
		                    key_actions[act].label;
		int hidden = (act == KA_ADDED && treeview_hidden(a->tv, TV_ADDED)) ||
		             (act == KA_REMOVED && treeview_hidden(a->tv, TV_REMOVED)) ||
		             (act == KA_MODIFIED && treeview_hidden(a->tv, TV_MODIFIED)) ||
		             (act == KA_UNMODIFIED && treeview_hidden(a->tv, TV_UNMODIFIED)) ||
		             (act == KA_ATTRIBUTES && !app_attrs(a)) ||
		             (act == KA_SORT && !treeview_sort(a->tv));
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s %s%s", i ? " " : "",
		                        keys_label(&a->cfg.keys, act, key, sizeof key),
		                        hidden ? "-" : "", label);
	}
	draw_text(a->H - 1, 0, a->W, line, A_REVERSE, 0);
}

static void
app_draw_help(struct app *a)
{
	static const char *const scopes[] = { "any pane", "layers", "tree", "filter" };
	char line[1024], key[24];
	int y = 0;

	erase();
	draw_text(y++, 0, a->W, "fathom: keys (any key closes this screen)", A_BOLD | A_REVERSE, 0);
	for (int i = 0; i < KA_COUNT && y < a->H; i++) {
		char keys[128] = "";
		for (int k = 0; k < KEYS_MAX && a->cfg.keys.keys[i][k] >= 0; k++) {
			struct keymap one = { 0 };
			one.keys[i][0] = a->cfg.keys.keys[i][k];
			snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s", k ? ", " : "",
			         keys_label(&one, i, key, sizeof key));
		}
		snprintf(line, sizeof line, "  %-18s %-28s %-27s %s", keys, key_actions[i].help,
		         key_actions[i].name, scopes[key_actions[i].scope]);
		draw_text(y++, 0, a->W, line, 0, 0);
	}
	if (y < a->H)
		draw_text(y++, 0, a->W, "  Enter and ^M are one key: on a directory it toggles modified files; "
		        "elsewhere it opens the path, or says why not.", 0, 0);
}

static void
app_draw(struct app *a)
{
	if (a->help) {
		app_draw_help(a);
		return;
	}
	for (int y = 0; y < a->bottom; y++)
		mvaddstr(y, a->lw - 1, a->unicode ? "\u2502" : "|");
	app_draw_layers(a);
	app_draw_details(a);
	app_draw_image(a);
	app_draw_tree(a);
	app_draw_status(a);
}

/* --------------------------------------------------------------- actions */

static void
app_set_layer(struct app *a, size_t layer)
{
	if (layer >= a->img->nlayers)
		return;
	scroll_select(&a->layers, layer);
	treeview_set_layer(a->tv, layer, a->aggregate);
}

static void
app_extract(struct app *a)
{
	uint32_t node = treeview_selected(a->tv);
	struct extract_result res;
	char *why = NULL;
	int dirfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dirfd < 0) {
		app_message(a, xasprintf("cannot open the current directory: %s", strerror(errno)));
		return;
	}
	int rc = extract_node(a->img, node, a->layers.sel, dirfd, 0, &res, &why);
	close(dirfd);
	char *p = app_path(a, node);
	if (rc < 0)
		app_message(a, xasprintf("extract: %s", why));
	else if (res.refused > 0)
		app_message(a, xasprintf("extracted %s: %zu file%s, %zu director%s, %zu link%s; "
		                         "refused %zu (%s: a link out, or a device)", p,
		                         res.files, res.files == 1 ? "" : "s",
		                         res.dirs, res.dirs == 1 ? "y" : "ies",
		                         res.links, res.links == 1 ? "" : "s",
		                         res.refused, res.first_refused));
	else
		app_message(a, xasprintf("extracted %s: %zu file%s, %zu director%s, %zu link%s", p,
		                         res.files, res.files == 1 ? "" : "s",
		                         res.dirs, res.dirs == 1 ? "y" : "ies",
		                         res.links, res.links == 1 ? "" : "s"));
	free(p);
	free(why);
	extract_result_fini(&res);
}

static void
app_filter_apply(struct app *a)
{
	char *why = NULL;

	free(a->filter_error);
	a->filter_error = NULL;
	if (treeview_set_filter(a->tv, a->filter, &why) < 0) {
		a->filter_error = xasprintf("bad pattern: %s", why);
		free(why);
		return;
	}
	memcpy(a->filtered, a->filter, a->filter_len + 1);
}

/* A key while the filter is open: 1 when it was the filter's. */
static int
app_filter_key(struct app *a, int key)
{
	int act = keys_action(&a->cfg.keys, key, SCOPE_FILTER);

	if (act == KA_CLOSE_FILTER) {
		a->filter_open = 0;
		a->filter_len = 0;
		a->filter[0] = '\0';
		app_filter_apply(a);
		app_layout(a);
		return 1;
	}
	if (key == 13 || key == '\n' || key == KEY_ENTER) {
		a->filter_open = 0;
		app_layout(a);
		return 1;
	}
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (a->filter_len > 0) {
			/* one UTF-8 character back */
			do
				a->filter_len--;
			while (a->filter_len > 0 && (a->filter[a->filter_len] & 0xc0) == 0x80);
			a->filter[a->filter_len] = '\0';
			app_filter_apply(a);
		}
		return 1;
	}
	if (key >= 32 && key < 256 && key != 127 && a->filter_len + 1 < sizeof a->filter) {
		a->filter[a->filter_len++] = (char)key;
		a->filter[a->filter_len] = '\0';
		app_filter_apply(a);
		return 1;
	}
	return 0;
}

static void
app_tree_key(struct app *a, int act, int key)
{
	uint32_t sel = treeview_selected(a->tv);

	/* Enter is Ctrl+M: on a directory (removed or not), or an empty tree,
	 * modified files toggle (dive's ^M); any other path opens, or the
	 * status line says why it cannot. */
	if ((act == KA_MODIFIED || act == KA_OPEN) && key == 13) {
		uint32_t v = sel != TREE_NONE ? stack_at(a->img, sel, a->layers.sel) : TREE_NONE;
		const struct entry *e = v != TREE_NONE ? stack_version_entry(a->img, v) : NULL;
		act = sel == TREE_NONE || (e != NULL && e->type == ENTRY_DIR) ? KA_MODIFIED : KA_OPEN;
	}
	switch (act) {
	case KA_UP: treeview_move(a->tv, -1); break;
	case KA_DOWN: treeview_move(a->tv, 1); break;
	case KA_LEFT: treeview_left(a->tv); break;
	case KA_RIGHT: treeview_right(a->tv); break;
	case KA_PAGE_UP: treeview_page(a->tv, -1); break;
	case KA_PAGE_DOWN: treeview_page(a->tv, 1); break;
	case KA_COLLAPSE: treeview_toggle_collapse(a->tv); break;
	case KA_COLLAPSE_ALL: treeview_toggle_collapse_all(a->tv); break;
	case KA_ADDED: treeview_set_hidden(a->tv, TV_ADDED, !treeview_hidden(a->tv, TV_ADDED)); break;
	case KA_REMOVED: treeview_set_hidden(a->tv, TV_REMOVED, !treeview_hidden(a->tv, TV_REMOVED)); break;
	case KA_MODIFIED: treeview_set_hidden(a->tv, TV_MODIFIED, !treeview_hidden(a->tv, TV_MODIFIED)); break;
	case KA_UNMODIFIED: treeview_set_hidden(a->tv, TV_UNMODIFIED, !treeview_hidden(a->tv, TV_UNMODIFIED)); break;
	case KA_ATTRIBUTES: a->attrs = !a->attrs; app_layout(a); break;
	case KA_SORT: treeview_set_sort(a->tv, !treeview_sort(a->tv)); break;
	case KA_EXTRACT: app_extract(a); break;
	case KA_OPEN: app_message(a, pager_open(a->img, treeview_selected(a->tv), a->layers.sel)); break;
	default: break;
	}
}

static void
app_layers_key(struct app *a, int act)
{
	size_t was = a->layers.sel;

	if (scroll_key(&a->layers, act)) {
		if (a->layers.sel != was)
			treeview_set_layer(a->tv, a->layers.sel, a->aggregate);
		return;
	}
	if (act == KA_COMPARE_LAYER || act == KA_COMPARE_ALL) {
		a->aggregate = act == KA_COMPARE_ALL;
		app_set_layer(a, a->layers.sel);
	}
}

static void
app_files_key(struct app *a, int act, int key)
{
	const struct waste *w = a->waste;

	if (key == 13 || key == '\n' || key == KEY_ENTER || act == KA_OPEN || act == KA_MODIFIED) {
		if (w->nfiles == 0)
			return;
		/* At this layer, or else at the nearest one below where the
		 * path shows (a path removed later shows, red, where it went). */
		uint32_t node = w->files[a->files.sel].node;
		size_t from = a->layers.sel;
		for (size_t l = from + 1; l-- > 0;) {
			if (l != a->layers.sel)
				app_set_layer(a, l);
			if (treeview_select(a->tv, node)) {
				a->focus = PANE_TREE;
				return;
			}
		}
		app_set_layer(a, from);
		char *p = app_path(a, node);
		app_message(a, xasprintf("%s is not shown at any layer up to %zu (hidden or "
		                         "filtered out)", p, from));
		free(p);
		return;
	}
	scroll_key(&a->files, act);
}

static void
app_key(struct app *a, int key)
{
	static const enum key_scope scopes[] = { SCOPE_LAYERS, SCOPE_TREE, SCOPE_TREE };

	app_message(a, NULL);
	if (a->help) {
		/* any key closes it; a resize also lays the screen out again */
		a->help = 0;
		if (key == KEY_RESIZE)
			app_layout(a);
		return;
	}
	if (key == KEY_RESIZE) {
		app_layout(a);
		return;
	}
	if (a->filter_open && app_filter_key(a, key))
		return;
	/* The files list takes the tree's keys for moving only. */
	int act = keys_action(&a->cfg.keys, key, a->focus == PANE_FILES ? SCOPE_ALL : scopes[a->focus]);
	if (a->focus == PANE_FILES && act == KA_NONE)
		act = keys_action(&a->cfg.keys, key, SCOPE_TREE);
	switch (act) {
	case KA_QUIT:
		a->quit = 1;
		return;
	case KA_TOGGLE_VIEW:
		a->focus = (a->focus + 1) % PANE_COUNT;
		return;
	case KA_FILTER:
		a->filter_open = 1;
		app_layout(a);
		return;
	case KA_HELP:
		a->help = 1;
		return;
	default:
		break;
	}
	if (a->focus == PANE_LAYERS)
		app_layers_key(a, act);
	else if (a->focus == PANE_TREE)
		app_tree_key(a, act, key);
	else
		app_files_key(a, act, key);
}

/* --------------------------------------------------------------- running */

static char *
app_command(const struct image *img, size_t layer)
{
	const struct history *h = image_history_of(img, layer);
	const char *c = h != NULL && h->created_by != NULL ? h->created_by : "";
	char *out;

	if (strncmp(c, "/bin/sh -c #(nop) ", 18) == 0)
		for (c += 18; *c == ' '; c++)
			;
	else if (strncmp(c, "/bin/sh -c ", 11) == 0)
		c += 11;
	out = escape_str(c, strlen(c), 1);
	/* one line: escape_str wrote newlines and tabs as \n, \t */
	return out;
}

int
app_run(struct image *img, const struct waste *waste, const struct advice *advice,
        const struct uiconfig *cfg,
        char **cause)
{
	struct app a = { .img = img, .waste = waste, .advice = advice, .cfg = *cfg };
	if (img->nlayers == 0) {
		*cause = xstrdup("the image has no layers");
		return -1;
	}
	trace_open(&a.trace);
	a.commands = xcalloc(img->nlayers, sizeof *a.commands);
	for (size_t k = 0; k < img->nlayers; k++)
		a.commands[k] = app_command(img, k);
	a.tv = treeview_new(img);
	a.advice_text = app_advice_text(advice);
	a.aggregate = cfg->aggregate;
	a.attrs = cfg->show_attributes;
	scroll_init(&a.layers, img->nlayers, img->nlayers - 1);
	scroll_init(&a.files, waste->nfiles, 0);
	a.focus = PANE_LAYERS;
	for (int s = 0; s < TV_NSTATUS; s++)
		treeview_set_hidden(a.tv, (enum tv_status)s, cfg->hide[s]);
	if (cfg->collapse_dir)
		treeview_toggle_collapse_all(a.tv);
	treeview_set_layer(a.tv, a.layers.sel, a.aggregate);

	/* The terminal's own encoding now: the model is done with names. */
	setlocale(LC_CTYPE, "");
	if (newterm(NULL, stdout, stdin) == NULL) {
		*cause = xstrdup("cannot use this terminal (TERM unset or unknown?)");
		setlocale(LC_CTYPE, "C");
		treeview_free(a.tv);
		for (size_t k = 0; k < img->nlayers; k++)
			free(a.commands[k]);
		free(a.commands);
		free(a.advice_text);
		trace_close(&a.trace);
		return -1;
	}
	a.unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	const char *nc = getenv("NO_COLOR");
	a.color = has_colors() && (nc == NULL || *nc == '\0');
	if (a.color) {
		start_color();
		use_default_colors();
		init_pair(DRAW_ADDED, COLOR_GREEN, -1);
		init_pair(DRAW_MODIFIED, COLOR_YELLOW, -1);
		init_pair(DRAW_REMOVED, COLOR_RED, -1);
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	app_layout(&a);
	app_draw(&a);
	refresh();
	trace_drawn(&a.trace, -1);

	/* While no key is waiting, what the first filter needs. */
	nodelay(stdscr, TRUE);
	int pending = getch();
	nodelay(stdscr, FALSE);
	if (pending == ERR)
		treeview_prepare(a.tv);
	else
		ungetch(pending);

	while (!a.quit) {
		int key = getch();
		if (key == ERR)
			continue;
		trace_key(&a.trace);
		app_key(&a, key);
		if (a.quit)
			break;
		erase();
		app_draw(&a);
		refresh();
		trace_drawn(&a.trace, key);
	}
	endwin();
	setlocale(LC_CTYPE, "C");
	treeview_free(a.tv);
	for (size_t k = 0; k < img->nlayers; k++)
		free(a.commands[k]);
	free(a.commands);
	free(a.filter_error);
	free(a.message);
	free(a.advice_text);
	trace_close(&a.trace);
	return 0;
}
