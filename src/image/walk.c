/* walk: sorted traversal. Siblings are sorted by name; a node's own line
 * sorts by "name" but its subtree by "name/", so the two lists are merged:
 * "/a" < "/a-b" < "/a/x" < "/a0". Iterative: paths may be very deep. */
#include "image/walk.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct walk_frame {
	uint32_t *lines, *blocks;	/* owned: children to show, to enter */
	size_t nlines, nblocks, i, j;
	size_t plen;			/* length of the path prefix "/a/b/" */
};

/* Compares name(a) followed by the byte sa with name(b) followed by sb;
 * -1 for no byte. Siblings' names are distinct. */
static int
walk_cmp(const struct tree *t, uint32_t a, int sa, uint32_t b, int sb)
{
	size_t la, lb;
	const unsigned char *xa = (const unsigned char *)tree_name(t, a, &la);
	const unsigned char *xb = (const unsigned char *)tree_name(t, b, &lb);

	for (size_t k = 0;; k++) {
		int ca = k < la ? xa[k] : k == la ? sa : -1;
		int cb = k < lb ? xb[k] : k == lb ? sb : -1;
		if (ca != cb || ca < 0)
			return ca - cb;
	}
}

static int
walk_cmp_lines(const void *a, const void *b, void *t)
{
	return walk_cmp(t, *(const uint32_t *)a, -1, *(const uint32_t *)b, -1);
}

static int
walk_cmp_blocks(const void *a, const void *b, void *t)
{
	return walk_cmp(t, *(const uint32_t *)a, '/', *(const uint32_t *)b, '/');
}

static void
walk_fill(const struct tree *t, uint32_t dir, walk_filter_fn filter, void *ctx,
          struct walk_frame *f)
{
	size_t cl = 0, cb = 0;

	memset(f, 0, sizeof *f);
	for (uint32_t c = t->nodes[dir].child; c != TREE_NONE; c = t->nodes[c].sibling) {
		int what = filter(ctx, c);
		if (what & WALK_SHOW) {
			ARRAY_RESERVE(f->lines, f->nlines, cl);
			f->lines[f->nlines++] = c;
		}
		if ((what & WALK_DESCEND) && t->nodes[c].child != TREE_NONE) {
			ARRAY_RESERVE(f->blocks, f->nblocks, cb);
			f->blocks[f->nblocks++] = c;
		}
	}
	if (f->nlines > 1)
		qsort_r(f->lines, f->nlines, sizeof *f->lines, walk_cmp_lines, (void *)t);
	if (f->nblocks > 1)
		qsort_r(f->blocks, f->nblocks, sizeof *f->blocks, walk_cmp_blocks, (void *)t);
}

int
walk_sorted(const struct tree *t, walk_filter_fn filter, walk_visit_fn visit, void *ctx)
{
	struct walk_frame *stack = NULL;
	size_t depth = 0, cap = 0, cpath = 0;
	char *path = NULL;
	int rc = 0;

	ARRAY_RESERVE(stack, 0, cap);
	ARRAY_RESERVE(path, 1, cpath);
	path[0] = '/';
	walk_fill(t, TREE_ROOT, filter, ctx, &stack[0]);
	stack[0].plen = 1;
	depth = 1;

	while (depth > 0 && rc == 0) {
		struct walk_frame *f = &stack[depth - 1];
		int take_block = f->j < f->nblocks &&
		    (f->i == f->nlines ||
		     walk_cmp(t, f->blocks[f->j], '/', f->lines[f->i], -1) < 0);

		if (!take_block && f->i == f->nlines) {
			free(f->lines);
			free(f->blocks);
			depth--;
			continue;
		}
		uint32_t n = take_block ? f->blocks[f->j++] : f->lines[f->i++];
		size_t len;
		const char *name = tree_name(t, n, &len);
		size_t plen = f->plen;

		ARRAY_RESERVE(path, plen + len + 1, cpath);
		memcpy(path + plen, name, len);
		if (!take_block) {
			path[plen + len] = '\0';
			rc = visit(ctx, n, path, plen + len);
			continue;
		}
		path[plen + len] = '/';
		ARRAY_RESERVE(stack, depth, cap);
		walk_fill(t, n, filter, ctx, &stack[depth]);
		stack[depth].plen = plen + len + 1;
		depth++;
	}
	while (depth > 0) {
		free(stack[depth - 1].lines);
		free(stack[depth - 1].blocks);
		depth--;
	}
	free(stack);
	free(path);
	return rc;
}
