/* scan: rows of many images and what they share; see scan.h. Layers are
 * numbered by digest (util/strindex.h), so the totals cost the
 * layers of the scan, not images x images. */
#include "analysis/scan.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "util/digest.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#define SCAN_NAME_STR(id, name) name,
const char *const scan_column_names[SCAN_COLUMN_COUNT] = { SCAN_COLUMNS(SCAN_NAME_STR) };
#undef SCAN_NAME_STR

int
scan_column_find(const char *name)
{
	for (int i = 0; i < SCAN_COLUMN_COUNT; i++)
		if (strcmp(name, scan_column_names[i]) == 0)
			return i;
	return -1;
}

size_t
scan_shard_of(const char *name, size_t n)
{
	return n == 0 ? 0 : (size_t)(XXH3_64bits(name, strlen(name)) % n);
}

/* ------------------------------------------------------------ rows */

/* A layer's command on one line, cut at SCAN_COMMAND_MAX bytes (not inside
 * a UTF-8 sequence); NULL when it has none. */
static char *
scan_command(const struct image *img, size_t k)
{
	const struct history *h = image_history_of(img, k);
	const char *cmd = h != NULL ? image_history_command(h) : "";
	size_t n = strlen(cmd);

	while (n > 0 && (cmd[n - 1] == ' ' || cmd[n - 1] == '\t' || cmd[n - 1] == '\n'))
		n--;
	if (n == 0)
		return NULL;
	int cut = n > SCAN_COMMAND_MAX;
	if (cut) {
		n = SCAN_COMMAND_MAX;
		while (n > 0 && ((unsigned char)cmd[n] & 0xc0) == 0x80)
			n--;
	}
	char *out = xasprintf("%.*s%s", (int)n, cmd, cut ? "..." : "");
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

char *
scan_layer_key(const struct layer *l)
{
	if (l->digest != NULL && digest_valid(l->digest))
		return xstrdup(l->digest);
	if (l->blob_digest != NULL && digest_valid(l->blob_digest))
		return xstrdup(l->blob_digest);
	return NULL;
}

void
scan_image_fill(struct scan_image *row, const struct image *img, const struct waste *w,
                const struct advice *a, const struct rule_result *results, int pass)
{
	row->digest = img->id != NULL ? xstrdup(img->id) : NULL;
	if (img->os != NULL || img->arch != NULL)
		row->platform = xasprintf("%s/%s%s%s", img->os ? img->os : "?",
		                          img->arch ? img->arch : "?", img->variant ? "/" : "",
		                          img->variant ? img->variant : "");
	row->size = w->image_size;
	row->efficiency = w->efficiency;
	row->wasted = w->wasted_bytes;
	row->user_wasted_percent = w->user_wasted_percent;
	row->reclaimable = w->reclaimable;
	row->reclaimable_percent = w->reclaimable_percent;
	row->savings = a->savings;
	row->onbuild = a->onbuild;
	row->onbuild_high = a->onbuild_high;
	row->nlayers = img->nlayers;
	row->layers = xcalloc(img->nlayers ? img->nlayers : 1, sizeof *row->layers);
	for (size_t k = 0; k < img->nlayers; k++) {
		row->layers[k].key = scan_layer_key(&img->layers[k]);
		row->layers[k].size = img->blobs[img->layers[k].blob].size;
		row->layers[k].command = scan_command(img, k);
	}
	row->nfindings = a->count;
	row->findings = xcalloc(a->count ? a->count : 1, sizeof *row->findings);
	for (size_t i = 0; i < a->count; i++) {
		const struct advice_finding *f = &a->items[i];
		struct advice_finding *c = &row->findings[i];
		c->id = f->id;
		c->bytes = f->bytes;
		c->high = f->high;
		c->nlayers = f->nlayers;
		c->layers = xcalloc(f->nlayers ? f->nlayers : 1, sizeof *c->layers);
		if (f->nlayers > 0)
			memcpy(c->layers, f->layers, f->nlayers * sizeof *c->layers);
		c->detail = f->detail != NULL ? xstrdup(f->detail) : NULL;
		c->ntriggers = f->ntriggers;
	}
	if (results != NULL) {
		row->checked = 1;
		row->pass = pass;
		memcpy(row->results, results, sizeof row->results);
	}
}

void
scan_image_fini(struct scan_image *row)
{
	free(row->name);
	free(row->digest);
	free(row->platform);
	free(row->error);
	for (size_t k = 0; k < row->nlayers; k++) {
		free(row->layers[k].key);
		free(row->layers[k].command);
	}
	free(row->layers);
	for (size_t i = 0; i < row->nfindings; i++) {
		free(row->findings[i].layers);
		free(row->findings[i].detail);
	}
	free(row->findings);
	memset(row, 0, sizeof *row);
}

struct scan_image *
scan_add(struct scan *s, const char *name)
{
	ARRAY_RESERVE(s->images, s->nimages, s->cimages);
	struct scan_image *row = &s->images[s->nimages++];
	memset(row, 0, sizeof *row);
	row->name = xstrdup(name);
	return row;
}

static int
scan_str_eq(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

size_t
scan_drop_repeats(struct scan *s)
{
	struct strindex *names = strindex_new();
	/* per name: the last row kept of that name, and each row's previous */
	size_t *last = xcalloc(s->nimages ? s->nimages : 1, sizeof *last);
	size_t *prev = xcalloc(s->nimages ? s->nimages : 1, sizeof *prev);
	size_t k = 0, nnames = 0;

	for (size_t i = 0; i < s->nimages; i++) {
		struct scan_image *row = &s->images[i];
		uint32_t id = strindex_add(names, row->name, strlen(row->name));
		int repeat = 0;
		if (id == nnames)
			last[nnames++] = SIZE_MAX;
		for (size_t j = last[id]; j != SIZE_MAX && !repeat; j = prev[j])
			repeat = scan_str_eq(s->images[j].digest, row->digest);
		if (repeat) {
			scan_image_fini(row);
			continue;
		}
		prev[k] = last[id];
		last[id] = k;
		s->images[k++] = *row;
	}
	size_t dropped = s->nimages - k;
	s->nimages = k;
	free(last);
	free(prev);
	strindex_free(names);
	return dropped;
}

/* ------------------------------------------------------------ sorting */

/* How rows are sorted. */
struct scan_order {
	enum scan_column by;
	int reverse;
};

static int
scan_cmp_num(double a, double b)
{
	return a < b ? -1 : a > b;
}

/* The column's own order: names and digests ascending, efficiency lowest
 * first, other numbers largest first. */
static int
scan_cmp_column(const struct scan_image *a, const struct scan_image *b, enum scan_column c)
{
	switch (c) {
	case SCAN_NAME:
		return strcmp(a->name, b->name);
	case SCAN_DIGEST:
		return strcmp(a->digest ? a->digest : "", b->digest ? b->digest : "");
	case SCAN_EFFICIENCY:
		return scan_cmp_num(a->efficiency, b->efficiency);
	case SCAN_SIZE:
		return scan_cmp_num((double)b->size, (double)a->size);
	case SCAN_LAYERS:
		return scan_cmp_num((double)b->nlayers, (double)a->nlayers);
	case SCAN_WASTED:
		return scan_cmp_num((double)b->wasted, (double)a->wasted);
	case SCAN_RECLAIMABLE:
		return scan_cmp_num((double)b->reclaimable, (double)a->reclaimable);
	case SCAN_SAVINGS:
		return scan_cmp_num((double)b->savings, (double)a->savings);
	case SCAN_ONBUILD:
		return scan_cmp_num((double)b->onbuild, (double)a->onbuild);
	case SCAN_UNIQUE:
		return scan_cmp_num((double)b->unique, (double)a->unique);
	case SCAN_SHARED:
		return scan_cmp_num((double)b->shared, (double)a->shared);
	case SCAN_COLUMN_COUNT:
		break;
	}
	return 0;
}

static int
scan_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct scan_image *a = pa, *b = pb;
	const struct scan_order *o = ctx;
	int c;

	if ((a->error != NULL) != (b->error != NULL))
		return a->error != NULL ? 1 : -1;
	if ((c = scan_cmp_column(a, b, o->by)) != 0)
		return o->reverse ? -c : c;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return scan_cmp_column(a, b, SCAN_DIGEST);
}

/* ------------------------------------------------------------ sharing */

/* Per distinct layer: its users, its size, the last image counted, its
 * place in the shared list. */
struct scan_key {
	size_t users, last, shared;
	uint64_t size;
	const struct scan_layer *first;
};

static int
scan_shared_cmp(const void *pa, const void *pb)
{
	const struct scan_shared *a = pa, *b = pb;

	if (a->users != b->users)
		return a->users > b->users ? -1 : 1;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return strcmp(a->key, b->key);
}

static void
scan_shared_free(struct scan *s)
{
	for (size_t i = 0; i < s->nshared; i++)
		free(s->shared[i].images);
	free(s->shared);
	s->shared = NULL;
	s->nshared = 0;
}

/* Numbers every layer's key: ids[i][k] (UINT32_MAX: no key), keys[id]
 * with its users; the distinct layers' sums. Returns the keys' count. */
static size_t
scan_count(struct scan *s, struct strindex *in, uint32_t **ids, struct scan_key **keys)
{
	size_t nkeys = 0, ckeys = 0;

	for (size_t i = 0; i < s->nimages; i++) {
		const struct scan_image *img = &s->images[i];
		ids[i] = xcalloc(img->nlayers ? img->nlayers : 1, sizeof *ids[i]);
		s->layers += img->nlayers;
		for (size_t k = 0; k < img->nlayers; k++) {
			const struct scan_layer *l = &img->layers[k];
			uint32_t id = l->key != NULL ? strindex_add(in, l->key, strlen(l->key)) : UINT32_MAX;
			ids[i][k] = id;
			if (id == UINT32_MAX || id == nkeys) {
				s->stored += l->size;
				s->distinct++;
			}
			if (id == UINT32_MAX)
				continue;
			if (id == nkeys) {
				ARRAY_RESERVE(*keys, nkeys, ckeys);
				(*keys)[nkeys++] = (struct scan_key){ 0, SIZE_MAX, 0, l->size, l };
			}
			if ((*keys)[id].last != i) {	/* an image counts once */
				(*keys)[id].users++;
				(*keys)[id].last = i;
			}
		}
	}
	return nkeys;
}

/* Each distinct layer's users, the images' unique and shared bytes, the
 * layers' sums; the layers of two images or more in s->shared, each with
 * its images in the rows' order. */
static void
scan_share(struct scan *s)
{
	struct strindex *in = strindex_new();
	struct scan_key *keys = NULL;
	uint32_t **ids = xcalloc(s->nimages ? s->nimages : 1, sizeof *ids);
	size_t cshared = 0;

	scan_shared_free(s);
	s->layers = s->distinct = 0;
	s->stored = 0;
	size_t nkeys = scan_count(s, in, ids, &keys);
	for (size_t id = 0; id < nkeys; id++) {
		if (keys[id].users < 2)
			continue;
		ARRAY_RESERVE(s->shared, s->nshared, cshared);
		keys[id].shared = s->nshared;
		s->shared[s->nshared++] = (struct scan_shared){
			keys[id].first->key, keys[id].first->command, keys[id].size, 0,
			xcalloc(keys[id].users, sizeof(size_t)),
		};
	}
	for (size_t i = 0; i < s->nimages; i++) {
		struct scan_image *img = &s->images[i];
		img->unique = img->shared = 0;
		for (size_t k = 0; k < img->nlayers; k++) {
			struct scan_layer *l = &img->layers[k];
			uint32_t id = ids[i][k];
			int again = 0;	/* a layer the image has twice counts once */
			for (size_t j = 0; j < k && id != UINT32_MAX && !again; j++)
				again = ids[i][j] == id;
			l->users = id == UINT32_MAX ? 1 : keys[id].users;
			if (again)
				continue;
			if (l->users < 2) {
				img->unique += l->size;
				continue;
			}
			img->shared += l->size;
			struct scan_shared *sh = &s->shared[keys[id].shared];
			sh->images[sh->users++] = i;
		}
	}
	if (s->nshared > 1)
		qsort(s->shared, s->nshared, sizeof *s->shared, scan_shared_cmp);
	for (size_t i = 0; i < s->nimages; i++)
		free(ids[i]);
	free(ids);
	free(keys);
	strindex_free(in);
}

void
scan_finish(struct scan *s, enum scan_column by, int reverse)
{
	struct scan_order o = { by, reverse };

	s->errors = s->failed = 0;
	s->size = s->reclaimable = s->savings = s->wasted = 0;
	for (size_t i = 0; i < s->nimages; i++) {
		const struct scan_image *img = &s->images[i];
		s->errors += img->error != NULL;
		s->failed += img->checked && !img->pass;
		s->size += img->size;
		s->reclaimable += img->reclaimable;
		s->savings += img->savings;
		s->wasted += img->wasted;
	}
	/* unique and shared bytes first, as rows may be sorted by them; then
	 * the shared layers' lists in the rows' order */
	scan_share(s);
	if (s->nimages > 1)
		qsort_r(s->images, s->nimages, sizeof *s->images, scan_cmp, &o);
	scan_share(s);
}

void
scan_fini(struct scan *s)
{
	scan_shared_free(s);
	for (size_t i = 0; i < s->nimages; i++)
		scan_image_fini(&s->images[i]);
	free(s->images);
	memset(s, 0, sizeof *s);
}
