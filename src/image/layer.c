/* layer: one layer blob into entries, through libarchive; see layer.h.
 * The compression is sniffed by libarchive from magic bytes, never from
 * names or media types. */
#include "image/layer.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "image/image.h"
#include "util/escape.h"
#include "util/tarread.h"
#include "util/xalloc.h"

#define WH_PREFIX ".wh."
#define WH_META ".wh..wh."
#define WH_OPAQUE ".wh..wh..opq"

struct layer_scanner {
	struct tarread tr;	/* the stream read (borrowed) and its failure */
	char *path;		/* cleaning buffer (owned) */
	size_t cpath;
	XXH3_state_t *hash;	/* owned */
	struct scan_chunk *chunk;	/* being filled (owned) */
};

static int
layer_hash_update(void *ctx, const void *buf, size_t len)
{
	XXH3_64bits_update(ctx, buf, len);
	return 0;
}

/* Hashes a regular file's bytes; sparse holes count as zeros. */
static int
layer_hash_data(struct archive *a, XXH3_state_t *st, uint64_t *hash)
{
	XXH3_64bits_reset(st);
	if (layer_copy_data(a, layer_hash_update, st) != 0)
		return -1;
	*hash = XXH3_64bits_digest(st);
	return 0;
}

static char *
layer_entry_error(const char *name, const char *what)
{
	char *e = escape_str(name, strlen(name), 0);
	char *msg = xasprintf("entry '%s': %s", e, what);

	free(e);
	return msg;
}

/* Copies bytes into the chunk; returns their offset. */
static uint32_t
layer_store(struct scan_chunk *c, const char *s, size_t len)
{
	size_t at = c->used;

	if (c->used + len > UINT32_MAX)
		xalloc_die();
	ARRAY_RESERVE(c->bytes, c->used + len, c->cbytes);
	memcpy(c->bytes + at, s, len);
	c->used += len;
	return (uint32_t)at;
}

/* A cleaned entry name cut at its last slash. */
struct layer_name {
	const char *clean;	/* the layer scanner's buffer (borrowed) */
	size_t len;
	size_t dlen;		/* the directory part, without the slash */
	const char *base;
	size_t blen;
};

/* A whiteout (.wh.NAME) or an opaque marker (.wh..wh..opq) into *e; *skip
 * for other aufs metadata. */
static int
layer_classify_whiteout(struct scan_chunk *c, const struct layer_name *n, const char *name,
                        struct scan_entry *e, int *skip, char **cause)
{
	if (n->blen == strlen(WH_OPAQUE) && memcmp(n->base, WH_OPAQUE, n->blen) == 0) {
		e->type = ENTRY_OPAQUE;
		e->path = layer_store(c, n->clean, n->dlen);
		e->path_len = e->dir_len = (uint32_t)n->dlen;
		return 0;
	}
	if (n->blen >= strlen(WH_META) && memcmp(n->base, WH_META, strlen(WH_META)) == 0) {
		*skip = 1;	/* other aufs metadata */
		return 0;
	}
	const char *target = n->base + strlen(WH_PREFIX);
	size_t tlen = n->blen - strlen(WH_PREFIX);
	if (tlen == 0 || (tlen == 1 && target[0] == '.') ||
	    (tlen == 2 && target[0] == '.' && target[1] == '.')) {
		*cause = layer_entry_error(name, "a whiteout without a valid name");
		return -1;
	}
	e->type = ENTRY_WHITEOUT;
	e->size = 0;
	e->path = layer_store(c, n->clean, n->dlen);
	if (n->dlen > 0)
		layer_store(c, "/", 1);
	layer_store(c, target, tlen);
	e->path_len = (uint32_t)(n->dlen + (n->dlen > 0) + tlen);
	e->dir_len = (uint32_t)n->dlen;
	return 0;
}

/* A hard link's target, cleaned and rooted, into *e. */
static int
layer_classify_hardlink(struct scan_chunk *c, const char *hardlink, const char *name,
                        struct scan_entry *e, char **cause)
{
	size_t hl = strlen(hardlink);
	char *buf = xmalloc(hl + 2);
	long l = path_clean(hardlink, hl, buf + 1);

	if (l <= 0) {
		free(buf);
		*cause = layer_entry_error(name, l < 0 ?
		    "the hard link target climbs out of the root with '..'" :
		    "a hard link to the root directory");
		return -1;
	}
	buf[0] = '/';
	e->type = ENTRY_HARDLINK;
	e->link = layer_store(c, buf, (size_t)l + 1);
	e->link_len = (uint32_t)l + 1;
	free(buf);
	return 0;
}

/* Any other entry's type (and a symlink's target, a device's numbers). */
static int
layer_classify_type(struct scan_chunk *c, struct archive_entry *ae, const char *name,
                    struct scan_entry *e, char **cause)
{
	switch (archive_entry_filetype(ae)) {
	case AE_IFREG:
		e->type = ENTRY_FILE;
		break;
	case AE_IFDIR:
		e->type = ENTRY_DIR;
		break;
	case AE_IFLNK: {
		const char *target = archive_entry_symlink(ae);
		e->type = ENTRY_SYMLINK;
		if (target == NULL)
			target = "";
		e->link = layer_store(c, target, strlen(target));
		e->link_len = (uint32_t)strlen(target);
		e->flags |= 0x80;	/* a link, even if empty */
		break;
	}
	case AE_IFCHR:
		e->type = ENTRY_CHAR;
		break;
	case AE_IFBLK:
		e->type = ENTRY_BLOCK;
		break;
	case AE_IFIFO:
		e->type = ENTRY_FIFO;
		break;
	default:
		*cause = layer_entry_error(name, "an entry of unknown type");
		return -1;
	}
	if (e->type == ENTRY_CHAR || e->type == ENTRY_BLOCK)
		e->hash = (uint64_t)archive_entry_rdevmajor(ae) << 32 |
		          (uint32_t)archive_entry_rdevminor(ae);
	return 0;
}

/* The owner, mode and size every kind of entry has. */
static int
layer_classify_attrs(struct archive_entry *ae, const char *name, struct scan_entry *e,
                     char **cause)
{
	memset(e, 0, sizeof *e);
	if (archive_entry_uid(ae) < 0 || archive_entry_uid(ae) > UINT32_MAX ||
	    archive_entry_gid(ae) < 0 || archive_entry_gid(ae) > UINT32_MAX) {
		*cause = layer_entry_error(name, "uid or gid out of range");
		return -1;
	}
	e->uid = (uint32_t)archive_entry_uid(ae);
	e->gid = (uint32_t)archive_entry_gid(ae);
	e->mode = (uint16_t)(archive_entry_perm(ae) & 07777);
	e->size = archive_entry_size_is_set(ae) ? (uint64_t)archive_entry_size(ae) : 0;
	return 0;
}

/* Classifies a tar header into *e (paths stored in the chunk); *skip for
 * entries that are not content. Returns -1 with *cause. */
static int
layer_classify(struct layer_scanner *s, struct archive_entry *ae, const char *name,
               struct scan_entry *e, int *skip, char **cause)
{
	struct scan_chunk *c = s->chunk;
	size_t nlen = strlen(name);
	struct layer_name n;
	long clen;

	*skip = 0;
	ARRAY_RESERVE(s->path, nlen + 1, s->cpath);
	clen = path_clean(name, nlen, s->path);
	if (clen < 0) {
		*cause = layer_entry_error(name, "the path climbs out of the root with '..'");
		return -1;
	}
	n.clean = s->path;
	n.len = (size_t)clen;
	const char *slash = memrchr(n.clean, '/', n.len);
	n.dlen = slash != NULL ? (size_t)(slash - n.clean) : 0;
	n.base = slash != NULL ? slash + 1 : n.clean;
	n.blen = n.len - (slash != NULL ? n.dlen + 1 : 0);

	/* aufs metadata (/.wh..wh.plnk, ...) is not content; the root's
	 * opaque marker is. */
	if (n.len >= strlen(WH_META) && memcmp(n.clean, WH_META, strlen(WH_META)) == 0 &&
	    !(n.len == strlen(WH_OPAQUE) && memcmp(n.clean, WH_OPAQUE, n.len) == 0)) {
		*skip = 1;
		return 0;
	}
	if (layer_classify_attrs(ae, name, e, cause) < 0)
		return -1;
	if (n.blen >= strlen(WH_PREFIX) && memcmp(n.base, WH_PREFIX, strlen(WH_PREFIX)) == 0)
		return layer_classify_whiteout(c, &n, name, e, skip, cause);

	const char *hardlink = archive_entry_hardlink(ae);
	if (hardlink != NULL ? layer_classify_hardlink(c, hardlink, name, e, cause) < 0 :
	                       layer_classify_type(c, ae, name, e, cause) < 0)
		return -1;
	if (n.len == 0 && e->type != ENTRY_DIR) {
		*cause = layer_entry_error(name, "names the root but is not a directory");
		return -1;
	}
	e->path = layer_store(c, n.clean, n.len);
	e->path_len = (uint32_t)n.len;
	e->dir_len = (uint32_t)n.dlen;
	return 0;
}

void
scan_chunk_free(struct scan_chunk *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nkept; i++)
		free(c->kept[i].data);
	free(c->kept);
	free(c->entries);
	free(c->bytes);
	free(c);
}

struct layer_keep {
	XXH3_state_t *st;
	char *data;
	size_t len, cap;
};

static int
layer_keep_write(void *ctx, const void *buf, size_t len)
{
	struct layer_keep *k = ctx;

	if (len > IMAGE_KEPT_MAX - k->len)
		return -1;	/* longer than its header said */
	XXH3_64bits_update(k->st, buf, len);
	ARRAY_RESERVE(k->data, k->len + len + 1, k->cap);
	memcpy(k->data + k->len, buf, len);
	k->len += len;
	return 0;
}

/* Reads a file the analysis needs later into the chunk, hashing it too. */
static int
layer_keep_data(struct layer_scanner *s, struct archive *a, struct scan_entry *e)
{
	struct layer_keep k = { .st = s->hash };

	XXH3_64bits_reset(s->hash);
	if (layer_copy_data(a, layer_keep_write, &k) != 0) {
		free(k.data);
		return -1;
	}
	e->hash = XXH3_64bits_digest(s->hash);
	struct scan_chunk *c = s->chunk;
	ARRAY_RESERVE(c->kept, c->nkept, c->ckept);
	c->kept[c->nkept++] = (struct scan_kept){ c->count, k.data, k.len };
	return 0;
}

static int
layer_emit(struct layer_scanner *s, layer_emit_fn emit, void *ctx)
{
	struct scan_chunk *c = s->chunk;

	s->chunk = NULL;
	return emit(ctx, c);
}

/* Checks an entry's size against --max-layer-bytes, then reads or skips
 * its bytes: kept for the analysis, hashed, or only counted. */
static int
layer_scan_data(struct layer_scanner *s, struct archive *a, struct archive_entry *ae,
                const struct scan_opts *o, const char *name, struct scan_entry *e,
                char **cause)
{
	if (o != NULL && o->max_bytes > 0 &&
	    (e->size > o->max_bytes ||
	     (uint64_t)archive_filter_bytes(a, 0) > o->max_bytes - e->size)) {
		char *why = xasprintf("%llu bytes, and the layer would be more than "
		                      "--max-layer-bytes (%llu bytes) uncompressed",
		                      (unsigned long long)e->size,
		                      (unsigned long long)o->max_bytes);
		*cause = layer_entry_error(name, why);
		free(why);
		return -1;
	}
	if (e->type != ENTRY_FILE)
		return 0;
	if (e->size <= IMAGE_KEPT_MAX && image_keeps(s->chunk->bytes + e->path, e->path_len)) {
		if (layer_keep_data(s, a, e) < 0) {
			*cause = layer_entry_error(name, archive_error_string(a) != NULL ?
			                           archive_error_string(a) :
			                           "more bytes than its header said");
			return -1;
		}
	} else if (o != NULL && o->skip_data && archive_entry_sparse_count(ae) == 0) {
		/* libarchive skips the bytes when it reads the next header */
		e->hash = (uint64_t)archive_filter_bytes(a, 0);
		e->flags |= ENTRY_UNHASHED;
		if (e->hash > (uint64_t)o->skip_len || e->size > (uint64_t)o->skip_len - e->hash) {
			*cause = layer_entry_error(name, "truncated: its bytes end past "
			                           "the end of the layer");
			return -1;
		}
	} else if (layer_hash_data(a, s->hash, &e->hash) < 0) {
		*cause = layer_entry_error(name, archive_error_string(a));
		return -1;
	}
	return 0;
}

/* Adds an entry to the chunk, handing the chunk on when it is full. */
static int
layer_scan_add(struct layer_scanner *s, const struct scan_entry *e, layer_emit_fn emit,
               void *ctx, char **cause)
{
	ARRAY_RESERVE(s->chunk->entries, s->chunk->count, s->chunk->cap);
	s->chunk->entries[s->chunk->count++] = *e;
	if (s->chunk->count < SCAN_CHUNK_ENTRIES)
		return 0;
	if (layer_emit(s, emit, ctx) < 0) {
		*cause = xstrdup("stopped");
		return -1;
	}
	s->chunk = xcalloc(1, sizeof *s->chunk);
	return 0;
}

/* Reads what follows the tar's end (padding, a gzip trailer), so that the
 * checks made at a stream's end (CRC, digest) run; counts it into *out. */
static int
layer_scan_rest(struct stream *in, struct archive *a, const struct scan_opts *o,
                struct blob *out, char **cause)
{
	const void *rest;
	ssize_t n;
	uint64_t after = (uint64_t)archive_filter_bytes(a, 0);

	while ((n = stream_read(in, &rest)) > 0) {
		after += (uint64_t)n;
		if (o != NULL && o->max_bytes > 0 && after > o->max_bytes) {
			*cause = xasprintf("more than --max-layer-bytes (%llu bytes) "
			                   "uncompressed, after the end of the tar",
			                   (unsigned long long)o->max_bytes);
			return -1;
		}
	}
	if (n < 0) {
		*cause = xstrdup(stream_error(in));
		return -1;
	}
	out->tar_bytes = after;
	return 0;
}

/* Every header of the tar, each classified, read and added. */
static int
layer_scan_entries(struct layer_scanner *s, struct archive *a, const struct scan_opts *o,
                   layer_emit_fn emit, void *ctx, struct blob *out, char **cause)
{
	struct archive_entry *ae;
	int ar;

	while ((ar = archive_read_next_header(a, &ae)) == ARCHIVE_OK || ar == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(ae);
		struct scan_entry e;
		int skip;

		out->tar_entries++;
		if (name == NULL) {
			*cause = xasprintf("tar entry %llu has no name",
			                   (unsigned long long)out->tar_entries);
			return -1;
		}
		if (layer_classify(s, ae, name, &e, &skip, cause) < 0)
			return -1;
		if (skip)
			continue;
		out->size += e.size;
		if (layer_scan_data(s, a, ae, o, name, &e, cause) < 0 ||
		    layer_scan_add(s, &e, emit, ctx, cause) < 0)
			return -1;
	}
	if (ar != ARCHIVE_EOF) {
		*cause = xasprintf("%s", archive_error_string(a) ?
		                   archive_error_string(a) : "unreadable tar");
		return -1;
	}
	return 0;
}

int
layer_scan(struct stream *in, const struct scan_opts *o, layer_emit_fn emit, void *ctx,
           struct blob *out, char **cause)
{
	int skip_data = o != NULL && o->skip_data;
	struct layer_scanner s = { .tr.in = in };
	/* an uncompressed blob skipped over: no filters to look through */
	struct archive *a = tarread_new(&s.tr, TARREAD_EMPTY | (skip_data ? 0 : TARREAD_FILTERS));
	int rc = -1;

	memset(out, 0, sizeof *out);
	if ((s.hash = XXH3_createState()) == NULL)
		xalloc_die();
	if (archive_read_open1(a) != ARCHIVE_OK) {
		*cause = xasprintf("%s", archive_error_string(a));
		goto out;
	}
	s.chunk = xcalloc(1, sizeof *s.chunk);
	if (layer_scan_entries(&s, a, o, emit, ctx, out, cause) < 0)
		goto out;
	if (layer_emit(&s, emit, ctx) < 0) {
		*cause = xstrdup("stopped");
		goto out;
	}
	if (layer_scan_rest(in, a, o, out, cause) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0 && s.tr.failed) {
		free(*cause);
		*cause = xstrdup(stream_error(in));
	}
	scan_chunk_free(s.chunk);
	archive_read_free(a);
	free(s.path);
	XXH3_freeState(s.hash);
	return rc;
}

struct layer_walker {
	struct layer_scanner s;
	struct archive *a;	/* owned */
	size_t seen;		/* entries given so far */
	int state;		/* 0 not opened, 1 reading, 2 at the end */
};

struct layer_walker *
layer_walker_new(struct stream *in)
{
	struct layer_walker *w = xcalloc(1, sizeof *w);

	w->s.tr.in = in;
	w->s.chunk = xcalloc(1, sizeof *w->s.chunk);
	w->a = tarread_new(&w->s.tr, TARREAD_EMPTY | TARREAD_FILTERS);
	return w;
}

struct archive *
layer_walker_archive(struct layer_walker *w)
{
	return w->a;
}

char *
layer_walker_error(struct layer_walker *w, struct archive_entry *ae, const char *why)
{
	const char *name = ae != NULL ? archive_entry_pathname(ae) : NULL;

	if (w->s.tr.failed)	/* the stream's own error says more */
		return xstrdup(stream_error(w->s.tr.in));
	if (why == NULL)
		why = archive_error_string(w->a) != NULL ? archive_error_string(w->a) : "failed";
	return name != NULL ? layer_entry_error(name, why) : xstrdup(why);
}

int
layer_walker_next(struct layer_walker *w, size_t *index, struct archive_entry **ae,
                  char **cause)
{
	int ar;

	if (w->state == 2)
		return 0;
	if (w->state == 0 && archive_read_open1(w->a) != ARCHIVE_OK) {
		*cause = layer_walker_error(w, NULL, NULL);
		return -1;
	}
	w->state = 1;
	while ((ar = archive_read_next_header(w->a, ae)) == ARCHIVE_OK || ar == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(*ae);
		struct scan_entry e;
		int skip;

		w->s.chunk->used = 0;
		if (name == NULL) {
			*cause = w->s.tr.failed ? xstrdup(stream_error(w->s.tr.in)) :
			                          xstrdup("a tar entry without a name");
			return -1;
		}
		if (layer_classify(&w->s, *ae, name, &e, &skip, cause) < 0) {
			if (w->s.tr.failed) {
				free(*cause);
				*cause = xstrdup(stream_error(w->s.tr.in));
			}
			return -1;
		}
		if (skip)
			continue;
		*index = w->seen++;
		return 1;
	}
	if (ar != ARCHIVE_EOF) {
		*cause = layer_walker_error(w, NULL, NULL);
		return -1;
	}
	w->state = 2;
	return 0;
}

void
layer_walker_free(struct layer_walker *w)
{
	if (w == NULL)
		return;
	scan_chunk_free(w->s.chunk);
	archive_read_free(w->a);
	free(w->s.path);
	free(w);
}

int
layer_walk(struct stream *in, layer_visit_fn visit, void *ctx, char **cause)
{
	struct layer_walker *w = layer_walker_new(in);
	struct archive_entry *ae;
	size_t index;
	int r;

	while ((r = layer_walker_next(w, &index, &ae, cause)) > 0) {
		char *why = NULL;
		int v = visit(ctx, index, w->a, ae, &why);
		if (v < 0) {
			*cause = layer_walker_error(w, ae, why);
			free(why);
			r = -1;
		}
		if (v != 0)
			break;
	}
	layer_walker_free(w);
	return r < 0 ? -1 : 0;
}

int
layer_copy_data(struct archive *a, int (*write)(void *ctx, const void *buf, size_t len),
                void *ctx)
{
	static const char zeros[65536];
	const void *buf;
	size_t len;
	la_int64_t off = 0, pos = 0;
	int ar;

	for (;;) {
		ar = archive_read_data_block(a, &buf, &len, &off);
		if (ar != ARCHIVE_OK && ar != ARCHIVE_EOF)
			return -1;
		/* a hole before this block (or at the end: off is the size) */
		while (pos < off) {
			size_t z = off - pos > (la_int64_t)sizeof zeros ?
			    sizeof zeros : (size_t)(off - pos);
			if (write(ctx, zeros, z) != 0)
				return 1;
			pos += (la_int64_t)z;
		}
		if (ar == ARCHIVE_EOF)
			return 0;
		if (len > 0 && write(ctx, buf, len) != 0)
			return 1;
		pos += (la_int64_t)len;
	}
}

struct layer_bytes {
	size_t index;
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
	int found;
};

static int
layer_bytes_visit(void *ctx, size_t index, struct archive *a, struct archive_entry *ae,
                  char **why)
{
	struct layer_bytes *lb = ctx;
	int r;

	if (index != lb->index)
		return 0;
	lb->found = 1;
	if (archive_entry_filetype(ae) != AE_IFREG || archive_entry_hardlink(ae) != NULL) {
		*why = xstrdup("not a regular file");
		return -1;
	}
	if ((r = layer_copy_data(a, lb->write, lb->ctx)) != 0) {
		if (r > 0)
			*why = xstrdup("stopped");
		return -1;
	}
	return 1;
}

int
layer_file_bytes(struct stream *in, size_t index,
                 int (*write)(void *ctx, const void *buf, size_t len), void *ctx,
                 char **cause)
{
	struct layer_bytes lb = { .index = index, .write = write, .ctx = ctx };

	if (layer_walk(in, layer_bytes_visit, &lb, cause) < 0)
		return -1;
	if (!lb.found) {
		*cause = xstrdup("the entry is not in its layer");
		return -1;
	}
	return 0;
}

/* The node of a directory path, remembering the last one: entries come
 * directory by directory. */
static uint32_t
layer_dir_node(struct image *img, struct layer_commit *lc, const char *dir, size_t len)
{
	if (lc->dir != NULL && len == lc->ldir && memcmp(dir, lc->dir, len) == 0)
		return lc->dir_node;
	ARRAY_RESERVE(lc->dir, len, lc->cdir);
	memcpy(lc->dir, dir, len);
	lc->ldir = len;
	lc->dir_node = tree_insert(&img->tree, TREE_ROOT, dir, len);
	return lc->dir_node;
}

void
layer_commit(struct image *img, struct layer_commit *lc, const struct scan_chunk *c)
{
	struct tree *t = &img->tree;

	for (size_t i = 0; i < c->count; i++) {
		const struct scan_entry *s = &c->entries[i];
		const char *path = c->bytes + s->path;
		struct entry e = {
			.size = s->size, .hash = s->hash, .uid = s->uid, .gid = s->gid,
			.mode = s->mode, .type = s->type, .flags = s->flags & ENTRY_UNHASHED,
			.link = ENTRY_NONE,
		};

		if (s->path_len == 0) {
			e.node = TREE_ROOT;
		} else if (s->type == ENTRY_OPAQUE) {
			e.node = layer_dir_node(img, lc, path, s->path_len);
		} else {
			uint32_t dir = layer_dir_node(img, lc, path, s->dir_len);
			size_t skip = s->dir_len > 0 ? s->dir_len + 1 : 0;
			e.node = tree_child(t, dir, intern_add(t->names, path + skip,
			                                       s->path_len - skip));
		}
		if (s->link_len > 0 || (s->flags & 0x80))
			e.link = intern_add(t->names, c->bytes + s->link, s->link_len);
		image_add_entry(img, &e);
	}
	for (size_t i = 0; i < c->nkept; i++)
		image_keep(img, (uint32_t)(img->nentries - c->count + c->kept[i].index),
		           c->kept[i].data, c->kept[i].len);
}

void
layer_commit_end(struct layer_commit *lc)
{
	free(lc->dir);
	memset(lc, 0, sizeof *lc);
}

struct layer_inline {
	struct image *img;
	struct layer_commit lc;
};

static int
layer_inline_emit(void *ctx, struct scan_chunk *c)
{
	struct layer_inline *li = ctx;

	layer_commit(li->img, &li->lc, c);
	scan_chunk_free(c);
	return 0;
}

int
layer_read(struct image *img, struct stream *in, const struct scan_opts *o,
           struct blob *out, char **cause)
{
	struct layer_inline li = { .img = img };
	size_t first = img->nentries;
	int rc = layer_scan(in, o, layer_inline_emit, &li, out, cause);

	layer_commit_end(&li.lc);
	out->first = first;
	out->count = img->nentries - first;
	return rc;
}
