/* files: the flat path listing; see files.h. Columns: PATH TYPE MODE UID GID
 * SIZE LINK [STATUS], tab-separated, paths escaped as escape.h says. */
#include "output/files.h"

#include <stdlib.h>
#include <string.h>

#include "image/links.h"
#include "image/stack.h"
#include "image/walk.h"
#include "util/escape.h"
#include "util/jsonw.h"
#include "util/xalloc.h"

struct files_ctx {
	const struct image *img;
	const struct files_opts *o;
	FILE *out;
	unsigned char *mark;	/* changes: 1 listed, 2 has listed below (owned) */
	struct links *at;	/* owned: the listing after the layer */
	struct links *below;	/* owned: after the layer below (changes), or NULL */
	char *buf;		/* owned: a link target's path */
	size_t cap;
};

static int
files_filter(void *ctx, uint32_t node)
{
	struct files_ctx *c = ctx;

	if (c->mark != NULL)
		return (c->mark[node] & 1 ? WALK_SHOW : 0) | (c->mark[node] & 2 ? WALK_DESCEND : 0);
	return stack_present(c->img, node, c->o->layer) ? WALK_SHOW | WALK_DESCEND : 0;
}

/* A hard link's target (a node of the listing), else the stored link. */
static const char *
files_link(struct files_ctx *c, const struct entry *e, uint32_t target, size_t *len)
{
	if (target != TREE_NONE) {
		*len = tree_path(&c->img->tree, target, &c->buf, &c->cap);
		return c->buf;
	}
	if (e->link == ENTRY_NONE) {
		*len = 0;
		return NULL;
	}
	return intern_str(c->img->tree.names, e->link, len);
}

static void
files_json_line(struct files_ctx *c, const struct entry *e, const char *path, size_t len,
                const char *l, size_t ll, char status)
{
	char mode[8], type[2] = { (char)e->type, 0 }, st[2] = { status, 0 };
	char *p = escape_str(path, len, 1), *link = l != NULL ? escape_str(l, ll, 1) : NULL;
	struct jsonw j;

	snprintf(mode, sizeof mode, "%04o", e->mode);
	jsonw_init(&j, c->out, 0);
	jsonw_object(&j);
	jsonw_member_cstring(&j, "path", p);
	jsonw_member_cstring(&j, "type", type);
	jsonw_member_cstring(&j, "mode", mode);
	jsonw_member_uint(&j, "uid", e->uid);
	jsonw_member_uint(&j, "gid", e->gid);
	jsonw_member_uint(&j, "size", e->type == ENTRY_FILE ? e->size : 0);
	jsonw_member_cstring(&j, "link", link != NULL ? link : "");
	if (status)
		jsonw_member_cstring(&j, "status", st);
	jsonw_end(&j);
	free(p);
	free(link);
}

static int
files_visit(void *ctx, uint32_t node, const char *path, size_t len)
{
	struct files_ctx *c = ctx;
	const struct image *img = c->img;
	const struct entry *e;
	uint32_t target;
	char status = 0;

	if (c->mark != NULL) {
		uint32_t v = stack_at(img, node, c->o->layer);
		status = stack_status(img, v);
		/* a removed path as it was listed below */
		e = links_entry(status == 'R' ? c->below : c->at, node, &target);
	} else {
		e = links_entry(c->at, node, &target);
	}
	/* the path string is the walk's until the next visit: the target's
	 * goes into c->buf */
	size_t ll;
	const char *l = files_link(c, e, target, &ll);
	if (c->o->format == OUTPUT_JSON) {
		files_json_line(c, e, path, len, l, ll, status);
		return 0;
	}

	escape_write(c->out, path, len, 0);
	fprintf(c->out, "\t%c\t%04o\t%u\t%u\t%llu\t", e->type, e->mode, e->uid, e->gid,
	        (unsigned long long)(e->type == ENTRY_FILE ? e->size : 0));
	if (l != NULL)
		escape_write(c->out, l, ll, 0);
	if (status)
		fprintf(c->out, "\t%c", status);
	fputc('\n', c->out);
	return 0;
}

/* Marks the paths that layer o->layer touched, and their parents. */
static unsigned char *
files_mark_changes(const struct image *img, size_t layer)
{
	const struct layer *l = &img->layers[layer];
	unsigned char *mark = xcalloc(img->tree.count, 1);

	for (size_t v = l->vfirst; v < l->vend; v++) {
		const struct version *ver = &img->versions[v];
		if (ver->flags & VERSION_DEAD)
			continue;
		mark[ver->node] |= 1;
		for (uint32_t p = img->tree.nodes[ver->node].parent;
		     p != TREE_NONE && !(mark[p] & 2); p = img->tree.nodes[p].parent)
			mark[p] |= 2;
	}
	return mark;
}

int
files_print(FILE *out, const struct image *img, const struct files_opts *o)
{
	struct files_ctx c = { .img = img, .o = o, .out = out };

	c.at = links_new(img, o->layer);
	if (o->changes) {
		c.mark = files_mark_changes(img, o->layer);
		if (o->layer > 0)
			c.below = links_new(img, o->layer - 1);
	}
	walk_sorted(&img->tree, files_filter, files_visit, &c);
	free(c.mark);
	free(c.buf);
	links_free(c.at);
	links_free(c.below);
	return ferror(out) ? -1 : 0;
}
