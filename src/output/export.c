/* export: dive's JSON schema, streamed; see export.h.
 *
 * fileList is each layer's own tree as dive builds it: the layer's entries
 * (a whiteout as its ".wh.NAME" entry, opaque markers left out), parents it
 * implies, visited children first, children by name. Paths have no leading
 * "/"; fileMode is Go's os.FileMode (type bits above the permission bits). */
#include "output/export.h"

#include <stdlib.h>
#include <string.h>

#include "image/stack.h"
#include "util/jsonw.h"
#include "util/xalloc.h"

#define GO_MODE_DIR (1u << 31)
#define GO_MODE_SYMLINK (1u << 27)
#define GO_MODE_DEVICE (1u << 26)
#define GO_MODE_PIPE (1u << 25)
#define GO_MODE_SETUID (1u << 23)
#define GO_MODE_SETGID (1u << 22)
#define GO_MODE_CHAR (1u << 21)
#define GO_MODE_STICKY (1u << 20)

/* One node of a layer's own tree. */
struct export_item {
	char *path;		/* owned: dive's path, "a/b/.wh.c" */
	uint32_t entry;		/* ENTRY_NONE: a parent the layer implies */
};

static uint32_t
export_go_mode(const struct entry *e)
{
	uint32_t m = e->mode & 0777;

	if (e->mode & 04000)
		m |= GO_MODE_SETUID;
	if (e->mode & 02000)
		m |= GO_MODE_SETGID;
	if (e->mode & 01000)
		m |= GO_MODE_STICKY;
	switch (e->type) {
	case ENTRY_DIR:
		return m | GO_MODE_DIR;
	case ENTRY_SYMLINK:
		return m | GO_MODE_SYMLINK;
	case ENTRY_CHAR:
		return m | GO_MODE_DEVICE | GO_MODE_CHAR;
	case ENTRY_BLOCK:
		return m | GO_MODE_DEVICE;
	case ENTRY_FIFO:
		return m | GO_MODE_PIPE;
	default:
		return m;
	}
}

static int
export_typeflag(const struct entry *e)
{
	switch (e->type) {
	case ENTRY_HARDLINK: return '1';
	case ENTRY_SYMLINK: return '2';
	case ENTRY_CHAR: return '3';
	case ENTRY_BLOCK: return '4';
	case ENTRY_DIR: return '5';
	case ENTRY_FIFO: return '6';
	default: return '0';
	}
}

/* dive's visiting order: a path's children before it, siblings by name. */
static int
export_cmp(const void *x, const void *y)
{
	const unsigned char *a = (const unsigned char *)((const struct export_item *)x)->path;
	const unsigned char *b = (const unsigned char *)((const struct export_item *)y)->path;
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i])
		i++;
	if (a[i] == b[i])
		return 0;
	if (a[i] == '\0')	/* a is b's ancestor, or a shorter name */
		return b[i] == '/' ? 1 : -1;
	if (b[i] == '\0')
		return a[i] == '/' ? -1 : 1;
	if (a[i] == '/')	/* a's name ends first */
		return -1;
	if (b[i] == '/')
		return 1;
	return a[i] < b[i] ? -1 : 1;
}

static char *
export_path(const struct image *img, uint32_t node, int whiteout)
{
	char *buf = NULL, *out;
	size_t cap = 0, len = tree_path(&img->tree, node, &buf, &cap);

	if (!whiteout) {
		memmove(buf, buf + 1, len);	/* without the leading "/" */
		return buf;
	}
	const char *slash = memrchr(buf, '/', len);
	out = xasprintf("%.*s.wh.%s", (int)(slash - buf), buf + 1, slash + 1);
	free(buf);
	return out;
}

/* The layer's items, in dive's order (owned). */
static struct export_item *
export_items(const struct image *img, size_t k, size_t *count)
{
	const struct blob *b = &img->blobs[img->layers[k].blob];
	const struct node *nodes = img->tree.nodes;
	struct export_item *items = NULL;
	size_t n = 0, cap = 0;
	/* per node: the layer's last regular and whiteout entries, and whether
	 * the layer implies it as a parent */
	uint32_t *reg = xmalloc(img->tree.count * sizeof *reg);
	uint32_t *wh = xmalloc(img->tree.count * sizeof *wh);
	unsigned char *parent = xcalloc(img->tree.count, 1);

	memset(reg, 0xff, img->tree.count * sizeof *reg);
	memset(wh, 0xff, img->tree.count * sizeof *wh);
	for (size_t i = b->first; i < b->first + b->count; i++) {
		const struct entry *e = &img->entries[i];
		if (e->node == TREE_ROOT)
			continue;
		if (e->type != ENTRY_OPAQUE)
			(e->type == ENTRY_WHITEOUT ? wh : reg)[e->node] = (uint32_t)i;
		/* an opaque marker is dropped, but implies its directory */
		uint32_t p = e->type == ENTRY_OPAQUE ? e->node : nodes[e->node].parent;
		for (; p != TREE_ROOT && !parent[p]; p = nodes[p].parent)
			parent[p] = 1;
	}
	for (size_t i = b->first; i < b->first + b->count; i++) {
		uint32_t node = img->entries[i].node;
		int w = img->entries[i].type == ENTRY_WHITEOUT;
		if (img->entries[i].type == ENTRY_OPAQUE || (w ? wh : reg)[node] != i)
			continue;
		ARRAY_RESERVE(items, n, cap);
		items[n++] = (struct export_item){ export_path(img, node, w), (uint32_t)i };
	}
	for (size_t i = b->first; i < b->first + b->count; i++) {
		/* implied parents: once each, those without an entry of their own */
		const struct entry *e = &img->entries[i];
		uint32_t p = e->type == ENTRY_OPAQUE ? e->node : nodes[e->node].parent;
		for (; p != TREE_ROOT && p != TREE_NONE; p = nodes[p].parent) {
			if (parent[p] != 1)
				break;
			parent[p] = 2;
			if (reg[p] != ENTRY_NONE)
				continue;
			ARRAY_RESERVE(items, n, cap);
			items[n++] = (struct export_item){ export_path(img, p, 0), ENTRY_NONE };
		}
	}
	free(reg);
	free(wh);
	free(parent);
	if (n > 1)
		qsort(items, n, sizeof *items, export_cmp);
	*count = n;
	return items;
}

static void
export_file(struct jsonw *j, const struct image *img, const struct export_item *it)
{
	static const struct entry implied = { .type = ENTRY_DIR, .mode = 0755, .link = ENTRY_NONE };
	const struct entry *e = it->entry == ENTRY_NONE ? &implied : &img->entries[it->entry];
	size_t ll = 0;
	const char *link = e->link != ENTRY_NONE ? intern_str(img->tree.names, e->link, &ll) : "";

	if (e->type == ENTRY_HARDLINK && ll > 0)
		link++, ll--;	/* stored relative, as in the tar */
	jsonw_object(j);
	jsonw_member_cstring(j, "path", it->path);
	jsonw_member_uint(j, "typeFlag", (uint64_t)export_typeflag(e));
	jsonw_member_string(j, "linkName", link, ll);
	jsonw_member_uint(j, "size", e->type == ENTRY_WHITEOUT ? 0 : e->size);
	jsonw_member_uint(j, "fileMode", export_go_mode(e));
	jsonw_member_uint(j, "uid", e->uid);
	jsonw_member_uint(j, "gid", e->gid);
	jsonw_member_bool(j, "isDir", e->type == ENTRY_DIR);
	jsonw_end(j);
}

static void
export_layer(struct jsonw *j, const struct image *img, size_t k)
{
	const struct layer *l = &img->layers[k];
	const struct history *h = image_history_of(img, k);
	const char *cmd = h != NULL && h->created_by != NULL ? h->created_by : "";
	struct export_item *items;
	size_t n;

	if (strncmp(cmd, "/bin/sh -c ", 11) == 0)
		cmd += 11;
	jsonw_object(j);
	jsonw_member_uint(j, "index", k);
	jsonw_member_cstring(j, "id", l->id != NULL ? l->id : "");
	jsonw_member_cstring(j, "digestId", l->digest != NULL ? l->digest : "");
	jsonw_member_uint(j, "sizeBytes", img->blobs[l->blob].size);
	jsonw_member_cstring(j, "command", cmd);
	jsonw_member_array(j, "fileList");
	items = export_items(img, k, &n);
	for (size_t i = 0; i < n; i++) {
		export_file(j, img, &items[i]);
		free(items[i].path);
	}
	free(items);
	jsonw_end(j);
	jsonw_end(j);
}

uint64_t
export_paths_bytes(const struct image *img)
{
	const struct node *nodes = img->tree.nodes;
	uint64_t *len = tree_path_lengths(&img->tree), total = 0;
	uint32_t *stamp = xcalloc(img->tree.count, sizeof *stamp);

	for (size_t k = 0; k < img->nlayers; k++) {
		const struct blob *b = &img->blobs[img->layers[k].blob];
		for (size_t i = b->first; i < b->first + b->count; i++) {
			uint32_t n = img->entries[i].node;
			total += len[n] + 4;	/* ".wh." at most */
			for (uint32_t p = nodes[n].parent; p != TREE_ROOT && p != TREE_NONE &&
			     stamp[p] != k + 1; p = nodes[p].parent) {
				stamp[p] = (uint32_t)(k + 1);
				total += len[p];
			}
		}
	}
	free(len);
	free(stamp);
	return total;
}

int
export_write(FILE *out, const struct report *r)
{
	const struct image *img = r->img;
	const struct waste *w = r->waste;
	struct jsonw j;

	jsonw_init(&j, out, 2);
	jsonw_object(&j);
	jsonw_member_array(&j, "layer");
	for (size_t k = 0; k < img->nlayers; k++)
		export_layer(&j, img, k);
	jsonw_end(&j);

	jsonw_member_object(&j, "image");
	jsonw_member_uint(&j, "sizeBytes", w->image_size);
	jsonw_member_uint(&j, "inefficientBytes", w->wasted_bytes);
	jsonw_member_real(&j, "efficiencyScore", w->efficiency);
	jsonw_member_array(&j, "fileReference");
	for (size_t i = 0; i < w->nfiles; i++) {
		char *buf = NULL;
		size_t cap = 0, len = tree_path(&img->tree, w->files[i].node, &buf, &cap);
		jsonw_object(&j);
		jsonw_member_uint(&j, "count", w->files[i].count);
		jsonw_member_uint(&j, "sizeBytes", w->files[i].cumulative);
		jsonw_member_string(&j, "file", buf, len);
		jsonw_end(&j);
		free(buf);
	}
	jsonw_end(&j);
	jsonw_end(&j);

	jsonw_member_object(&j, "fathom");
	report_json_analysis(&j, r);
	jsonw_end(&j);
	jsonw_end(&j);
	return ferror(out) ? -1 : 0;
}
