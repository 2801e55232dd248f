/* diff: two images compared; see diff.h. */
#include "analysis/diff.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "image/links.h"
#include "image/stack.h"
#include "image/walk.h"
#include "util/xalloc.h"

#define DIFF_WHAT_NAME(id, name) name,
const char *const diff_what_names[DIFF_WHAT_COUNT] = { DIFF_WHAT_LIST(DIFF_WHAT_NAME) };
#undef DIFF_WHAT_NAME

/* The changes' paths, all together, may take this much (a path 100,000
 * levels deep is 200 kB). */
#define DIFF_MAX_PATHS (1ull << 30)

/* One image as compared. */
struct diff_img {
	const struct image *img;
	size_t layer;
	uint64_t *dsize;	/* owned: per node, the regular files at or below it */
	uint32_t *other;	/* owned: per node, the same path's node in the
				 * other image (set as the walk passes) */
};

/* A directory whose size differs, before the largest are chosen. */
struct diff_cand {
	char *path;		/* owned until chosen */
	uint64_t a, b;
	int inside;		/* all its change is in one subdirectory */
};

struct diff_walk {
	struct diff *d;
	struct diff_img *x, *y;	/* the side walked, the other */
	int second;		/* walking B: only what A lacks */
	struct diff_cand *cands;
	size_t ncands, ccands;
	uint64_t path_bytes;	/* held by the changes */
	char *cause;
};

static void
diff_sizes(struct diff_img *x)
{
	const struct image *img = x->img;
	const struct tree *t = &img->tree;

	x->dsize = xcalloc(t->count ? t->count : 1, sizeof *x->dsize);
	/* as `fathom files` lists it: a group of hard links counts once */
	struct links *lk = links_new(img, x->layer);
	/* a node comes after its parent: children first, going down */
	for (size_t n = t->count; n-- > 1;) {
		if (!stack_present(img, (uint32_t)n, x->layer))
			continue;
		x->dsize[n] += links_size(lk, (uint32_t)n);
		x->dsize[t->nodes[n].parent] += x->dsize[n];
	}
	links_free(lk);
}

/* The entry index node has after the layer, hard links resolved to their
 * file; ENTRY_NONE when absent. *s describes it. */
static uint32_t
diff_side_of(const struct diff_img *x, uint32_t node, struct diff_side *s)
{
	const struct image *img = x->img;
	uint32_t v = node != TREE_NONE ? stack_at(img, node, x->layer) : TREE_NONE;

	memset(s, 0, sizeof *s);
	if (v == TREE_NONE || img->versions[v].entry == ENTRY_NONE)
		return ENTRY_NONE;
	uint32_t ei = img->versions[v].entry;
	const struct entry *e = &img->entries[ei];
	if (e->type == ENTRY_HARDLINK) {
		uint32_t ino = stack_inode(img, ei, img->versions[v].layer);
		if (ino != ENTRY_NONE) {
			ei = ino;
			e = &img->entries[ino];
		}
	}
	s->type = e->type;
	s->mode = e->mode & 07777;
	s->uid = e->uid;
	s->gid = e->gid;
	s->size = e->type == ENTRY_FILE ? e->size : 0;
	if (e->type == ENTRY_SYMLINK || e->type == ENTRY_HARDLINK)
		s->link = intern_str(img->tree.names, e->link, NULL);
	return ei;
}

/* What differs between a path's two sides (both present), as bits. */
static unsigned
diff_compare(const struct diff_walk *w, uint32_t ea, const struct diff_side *a, uint32_t eb,
             const struct diff_side *b)
{
	const struct image *ia = w->second ? w->y->img : w->x->img;
	const struct image *ib = w->second ? w->x->img : w->y->img;
	unsigned what = 0;

	if (a->type != b->type)
		return DIFF_TYPE;
	if (a->mode != b->mode)
		what |= DIFF_MODE;
	if (a->uid != b->uid || a->gid != b->gid)
		what |= DIFF_OWNER;
	if ((a->link != NULL || b->link != NULL) &&
	    (a->link == NULL || b->link == NULL || strcmp(a->link, b->link) != 0))
		what |= DIFF_LINK;
	if (a->type == ENTRY_CHAR || a->type == ENTRY_BLOCK) {
		if (ia->entries[ea].hash != ib->entries[eb].hash)
			what |= DIFF_CONTENT;
	} else if (a->type == ENTRY_FILE && !(ia == ib && ea == eb)) {
		const struct entry *xa = &ia->entries[ea], *xb = &ib->entries[eb];
		/* a skipped file's hash is its offset: the command hashes the
		 * files of equal size first (image_hash_matching) */
		if (a->size != b->size ||
		    (a->size > 0 && ((xa->flags | xb->flags) & ENTRY_UNHASHED)) ||
		    (a->size > 0 && xa->hash != xb->hash))
			what |= DIFF_CONTENT;
	}
	return what;
}

static int
diff_add_change(struct diff_walk *w, const char *path, size_t len, char status, unsigned what,
                const struct diff_side *a, const struct diff_side *b)
{
	struct diff *d = w->d;

	if ((w->path_bytes += len + 1) > DIFF_MAX_PATHS) {
		w->cause = xasprintf("the changed paths alone would take more than %llu bytes: not "
		                     "compared", (unsigned long long)DIFF_MAX_PATHS);
		return -1;
	}
	ARRAY_RESERVE(d->changes, d->nchanges, d->cchanges);
	struct diff_change *c = &d->changes[d->nchanges++];
	c->path = xstrndup(path, len);
	c->status = status;
	c->what = what;
	c->a = *a;
	c->b = *b;
	if (status == 'A')
		d->added++;
	else if (status == 'R')
		d->removed++;
	else
		d->modified++;
	return 0;
}

static void
diff_add_dir(struct diff_walk *w, const char *path, size_t len, uint32_t parent, uint64_t a,
             uint64_t b)
{
	struct diff *d = w->d;

	if (parent == TREE_ROOT) {
		ARRAY_RESERVE(d->top, d->ntop, d->ctop);
		d->top[d->ntop++] = (struct diff_dir){ xstrndup(path, len), a, b };
	}
	if (a == b)
		return;
	ARRAY_RESERVE(w->cands, w->ncands, w->ccands);
	w->cands[w->ncands++] = (struct diff_cand){ xstrndup(path, len), a, b, 0 };
}

static int
diff_present(void *ctx, uint32_t node)
{
	const struct diff_img *x = ctx;

	return stack_present(x->img, node, x->layer) ? WALK_SHOW | WALK_DESCEND : 0;
}

static int
diff_filter(void *ctx, uint32_t node)
{
	return diff_present(((struct diff_walk *)ctx)->x, node);
}

/* node's path in the other image, from its parent's (the walk passes a
 * parent before its children): no lookup of the whole path. */
static uint32_t
diff_other(const struct diff_walk *w, uint32_t node)
{
	const struct tree *tx = &w->x->img->tree, *ty = &w->y->img->tree;
	uint32_t parent = tx->nodes[node].parent;
	uint32_t op = parent == TREE_ROOT ? TREE_ROOT : w->x->other[parent];
	size_t len;
	const char *name = tree_name(tx, node, &len);

	if (op == TREE_NONE)
		return TREE_NONE;
	uint32_t id = intern_find(ty->names, name, len);
	return id == UINT32_MAX ? TREE_NONE : tree_lookup(ty, op, id);
}

static int
diff_visit(void *ctx, uint32_t node, const char *path, size_t len)
{
	struct diff_walk *w = ctx;
	struct diff_side sx, sy;
	uint32_t other = w->x->other[node] = diff_other(w, node);
	uint32_t ex = diff_side_of(w->x, node, &sx);
	uint32_t ey = diff_side_of(w->y, other, &sy);
	uint32_t parent = w->x->img->tree.nodes[node].parent;

	if (w->second) {
		if (ey != ENTRY_NONE)
			return 0;	/* compared from A's side */
		if (diff_add_change(w, path, len, 'A', 0, &sy, &sx) < 0)
			return 1;
		if (sx.type == ENTRY_DIR)
			diff_add_dir(w, path, len, parent, 0, w->x->dsize[node]);
		return 0;
	}
	if (ey == ENTRY_NONE) {
		if (diff_add_change(w, path, len, 'R', 0, &sx, &sy) < 0)
			return 1;
	} else {
		unsigned what = diff_compare(w, ex, &sx, ey, &sy);
		if (what != 0 && diff_add_change(w, path, len, 'M', what, &sx, &sy) < 0)
			return 1;
	}
	if (sx.type == ENTRY_DIR || sy.type == ENTRY_DIR)
		diff_add_dir(w, path, len, parent, sx.type == ENTRY_DIR ? w->x->dsize[node] : 0,
		             sy.type == ENTRY_DIR ? w->y->dsize[other] : 0);
	return 0;
}

static int
diff_change_cmp(const void *x, const void *y)
{
	return strcmp(((const struct diff_change *)x)->path, ((const struct diff_change *)y)->path);
}

static int
diff_dir_cmp(const void *x, const void *y)
{
	return strcmp(((const struct diff_dir *)x)->path, ((const struct diff_dir *)y)->path);
}

static int
diff_cand_path_cmp(const void *x, const void *y)
{
	return strcmp(((const struct diff_cand *)x)->path, ((const struct diff_cand *)y)->path);
}

static uint64_t
diff_abs_delta(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

static int
diff_cand_size_cmp(const void *x, const void *y)
{
	const struct diff_cand *p = x, *q = y;
	uint64_t dp = diff_abs_delta(p->a, p->b), dq = diff_abs_delta(q->a, q->b);

	if (dp != dq)
		return dp > dq ? -1 : 1;
	return strcmp(p->path, q->path);
}

/* The DIFF_MOST directories that changed most, leaving out one whose
 * change is all in one subdirectory (its parent chain would fill the list). */
static void
diff_most(struct diff *d, struct diff_cand *c, size_t n)
{
	if (n > 0)
		qsort(c, n, sizeof *c, diff_cand_path_cmp);
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(c[i].path, '/');
		if (slash == NULL || slash == c[i].path)
			continue;
		struct diff_cand key = { .path = xstrndup(c[i].path, (size_t)(slash - c[i].path)) };
		struct diff_cand *p = bsearch(&key, c, n, sizeof *c, diff_cand_path_cmp);
		free(key.path);
		if (p != NULL && p->a - p->b == c[i].a - c[i].b)
			p->inside = 1;
	}
	if (n > 0)
		qsort(c, n, sizeof *c, diff_cand_size_cmp);
	d->most = xcalloc(DIFF_MOST, sizeof *d->most);
	for (size_t i = 0; i < n; i++) {
		if (!c[i].inside && d->nmost < DIFF_MOST) {
			d->most[d->nmost++] = (struct diff_dir){ c[i].path, c[i].a, c[i].b };
			c[i].path = NULL;
		}
		free(c[i].path);
	}
}

static void
diff_layers(const struct diff_img *x, const struct diff_img *y, struct diff_layer **out,
            size_t *n)
{
	const struct image *img = x->img;

	*n = x->layer + 1;
	*out = xcalloc(*n, sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		const struct layer *l = &img->layers[i];
		const struct history *h = image_history_of(img, i);
		struct diff_layer *dl = &(*out)[i];
		dl->index = i;
		dl->digest = l->digest != NULL ? l->digest : l->blob_digest;
		dl->size = img->blobs[l->blob].size;
		dl->command = h != NULL ? image_history_command(h) : NULL;
		for (size_t j = 0; dl->digest != NULL && j <= y->layer && !dl->shared; j++) {
			const struct layer *m = &y->img->layers[j];
			const char *dm = m->digest != NULL ? m->digest : m->blob_digest;
			dl->shared = dm != NULL && strcmp(dm, dl->digest) == 0;
		}
	}
}

/* ----------------------------------------------------------- config */

static void
diff_add_config(struct diff *d, const char *field, const char *key, json_t *a, json_t *b)
{
	ARRAY_RESERVE(d->config, d->nconfig, d->cconfig);
	d->config[d->nconfig++] = (struct diff_config){
		field, key != NULL ? xstrdup(key) : NULL, a, b,
	};
}

/* A value that says nothing (null, "", [], {}) reads as absent. */
static json_t *
diff_value(json_t *v)
{
	if (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0) ||
	    (json_is_array(v) && json_array_size(v) == 0) ||
	    (json_is_object(v) && json_object_size(v) == 0))
		return NULL;
	return v;
}

static void
diff_config_whole(struct diff *d, const char *field, json_t *a, json_t *b)
{
	a = diff_value(a);
	b = diff_value(b);
	if (a == NULL && b == NULL)
		return;
	if (a != NULL && b != NULL && json_equal(a, b))
		return;
	diff_add_config(d, field, NULL, a ? json_incref(a) : NULL, b ? json_incref(b) : NULL);
}

/* Env as an object: "K=V" -> K: V (a later K wins, as the engine does). */
static json_t *
diff_env(json_t *env)
{
	json_t *o = json_object(), *v;
	size_t i;

	json_array_foreach(env, i, v) {
		const char *s = json_string_value(v);
		if (s == NULL)
			continue;
		const char *eq = strchr(s, '=');
		char *k = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s));
		json_object_set_new(o, k, json_string(eq ? eq + 1 : ""));
		free(k);
	}
	return o;
}

/* Each key of two objects whose values differ (presence only: members). */
static void
diff_config_keys(struct diff *d, const char *field, json_t *a, json_t *b, int members)
{
	const char *k;
	json_t *v;

	if (!json_is_object(a))
		a = NULL;
	if (!json_is_object(b))
		b = NULL;
	json_object_foreach(a, k, v) {
		json_t *w = json_object_get(b, k);
		if (w == NULL)
			diff_add_config(d, field, k, members ? json_true() : json_incref(v), NULL);
		else if (!members && !json_equal(v, w))
			diff_add_config(d, field, k, json_incref(v), json_incref(w));
	}
	json_object_foreach(b, k, v)
		if (json_object_get(a, k) == NULL)
			diff_add_config(d, field, k, NULL, members ? json_true() : json_incref(v));
}

static json_t *
diff_platform(const struct image *img)
{
	if (img->os == NULL && img->arch == NULL)
		return NULL;
	return json_sprintf("%s/%s%s%s", img->os ? img->os : "?", img->arch ? img->arch : "?",
	                    img->variant ? "/" : "", img->variant ? img->variant : "");
}

static void
diff_configs(struct diff *d, const struct image *a, const struct image *b)
{
	static const char *const whole[] = { "Entrypoint", "Cmd", "User", "WorkingDir",
	                                     "OnBuild", "StopSignal", "Shell" };
	json_t *ca = json_object_get(a->config, "config"), *cb = json_object_get(b->config, "config");
	json_t *pa = diff_platform(a), *pb = diff_platform(b);

	diff_config_whole(d, "Platform", pa, pb);
	json_decref(pa);
	json_decref(pb);
	json_t *ea = diff_env(json_object_get(ca, "Env")), *eb = diff_env(json_object_get(cb, "Env"));
	diff_config_keys(d, "Env", ea, eb, 0);
	json_decref(ea);
	json_decref(eb);
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		diff_config_whole(d, whole[i], json_object_get(ca, whole[i]),
		                  json_object_get(cb, whole[i]));
	diff_config_keys(d, "ExposedPorts", json_object_get(ca, "ExposedPorts"),
	                 json_object_get(cb, "ExposedPorts"), 1);
	diff_config_keys(d, "Volumes", json_object_get(ca, "Volumes"),
	                 json_object_get(cb, "Volumes"), 1);
	diff_config_keys(d, "Labels", json_object_get(ca, "Labels"), json_object_get(cb, "Labels"),
	                 0);
}

/* --------------------------------------------------------- packages */

/* Reads db of one side into l; *in says whether it is there. */
static int
diff_read_db(const struct diff_img *x, enum packages_db db, struct package_list *l, int *in,
             char **cause)
{
	uint32_t node = tree_find(&x->img->tree, packages_paths[db]);
	struct diff_side s;
	uint32_t ei = diff_side_of(x, node, &s);
	const char *text;
	size_t len;

	memset(l, 0, sizeof *l);
	*in = ei != ENTRY_NONE && s.type == ENTRY_FILE;
	if (!*in)
		return 0;
	/* kept by the model as the layer was read (image_keeps) */
	if ((text = image_kept(x->img, ei, &len)) == NULL) {
		*cause = xasprintf("%s: %s is larger than fathom keeps (%u MiB): its packages "
		                   "are not compared", x->img->name, packages_paths[db],
		                   IMAGE_KEPT_MAX >> 20);
		return -1;
	}
	packages_parse(db, text, len, l);
	return 0;
}

static int
diff_packages(struct diff *d, const struct diff_img *x, const struct diff_img *y, char **cause)
{
	for (int db = 0; db < PACKAGES_DBS; db++) {
		struct diff_packages *p = &d->packages[db];
		if (diff_read_db(x, db, &p->la, &p->in_a, cause) < 0 ||
		    diff_read_db(y, db, &p->lb, &p->in_b, cause) < 0)
			return -1;
		size_t i = 0, j = 0;
		while (i < p->la.count || j < p->lb.count) {
			const struct package *pa = i < p->la.count ? &p->la.items[i] : NULL;
			const struct package *pb = j < p->lb.count ? &p->lb.items[j] : NULL;
			int c = pa == NULL ? 1 : pb == NULL ? -1 : strcmp(pa->name, pb->name);
			struct diff_package k = { .name = c <= 0 ? pa->name : pb->name };
			if (c <= 0) {
				k.va = pa->version;
				k.sa = pa->size;
				i++;
			}
			if (c >= 0) {
				k.vb = pb->version;
				k.sb = pb->size;
				j++;
			}
			if (c < 0) {
				k.status = 'R';
				p->removed++;
			} else if (c > 0) {
				k.status = 'A';
				p->added++;
			} else if (strcmp(k.va, k.vb) == 0) {
				continue;
			} else {
				int v = db == PACKAGES_DPKG ? packages_dpkg_compare(k.va, k.vb) :
				        packages_apk_compare(k.va, k.vb, NULL);
				k.status = v < 0 ? 'U' : v > 0 ? 'D' : 'C';
				if (v < 0)
					p->upgraded++;
				else if (v > 0)
					p->downgraded++;
				else
					p->changed++;
			}
			ARRAY_RESERVE(p->items, p->count, p->cap);
			p->items[p->count++] = k;
		}
	}
	return 0;
}

int
diff_images(const struct image *a, size_t la, const struct image *b, size_t lb,
            struct diff *out, char **cause)
{
	struct diff_img x = { a, la, NULL, NULL }, y = { b, lb, NULL, NULL };
	struct diff_walk w = { .d = out, .x = &x, .y = &y };
	int rc = -1;

	memset(out, 0, sizeof *out);
	out->layer_a = la;
	out->layer_b = lb;
	diff_sizes(&x);
	diff_sizes(&y);
	x.other = xmalloc((a->tree.count ? a->tree.count : 1) * sizeof *x.other);
	y.other = xmalloc((b->tree.count ? b->tree.count : 1) * sizeof *y.other);
	out->size_a = x.dsize[TREE_ROOT];
	out->size_b = y.dsize[TREE_ROOT];
	if (walk_sorted(&a->tree, diff_filter, diff_visit, &w) != 0)
		goto fail;
	w.x = &y;
	w.y = &x;
	w.second = 1;
	if (walk_sorted(&b->tree, diff_filter, diff_visit, &w) != 0)
		goto fail;
	if (out->nchanges > 0)
		qsort(out->changes, out->nchanges, sizeof *out->changes, diff_change_cmp);
	if (out->ntop > 0)
		qsort(out->top, out->ntop, sizeof *out->top, diff_dir_cmp);
	diff_most(out, w.cands, w.ncands);
	free(w.cands);	/* diff_most took or freed the paths */
	w.cands = NULL;
	w.ncands = 0;

	diff_layers(&x, &y, &out->la, &out->nla);
	diff_layers(&y, &x, &out->lb, &out->nlb);
	while (out->shared_prefix < out->nla && out->shared_prefix < out->nlb) {
		const char *p = out->la[out->shared_prefix].digest;
		const char *q = out->lb[out->shared_prefix].digest;
		if (p == NULL || q == NULL || strcmp(p, q) != 0)
			break;
		out->shared_prefix++;
	}
	diff_configs(out, a, b);
	if (diff_packages(out, &x, &y, &w.cause) < 0)
		goto fail;
	/* what runs: the files and the config (packages are files); the
	 * layers may differ, as after a squash */
	out->same = out->nchanges == 0 && out->nconfig == 0;
	rc = 0;
fail:
	if (rc < 0) {
		*cause = w.cause;
		diff_free(out);
	}
	for (size_t i = 0; i < w.ncands; i++)
		free(w.cands[i].path);
	free(w.cands);
	free(x.dsize);
	free(y.dsize);
	free(x.other);
	free(y.other);
	return rc;
}

void
diff_free(struct diff *d)
{
	for (size_t i = 0; i < d->nchanges; i++)
		free(d->changes[i].path);
	free(d->changes);
	for (size_t i = 0; i < d->ntop; i++)
		free(d->top[i].path);
	free(d->top);
	for (size_t i = 0; i < d->nmost; i++)
		free(d->most[i].path);
	free(d->most);
	free(d->la);
	free(d->lb);
	for (size_t i = 0; i < d->nconfig; i++) {
		free(d->config[i].key);
		json_decref(d->config[i].a);
		json_decref(d->config[i].b);
	}
	free(d->config);
	for (int db = 0; db < PACKAGES_DBS; db++) {
		package_list_free(&d->packages[db].la);
		package_list_free(&d->packages[db].lb);
		free(d->packages[db].items);
	}
	memset(d, 0, sizeof *d);
}
