/* squashlayer: the squashed layer's tar, each byte written once; see
 * squashlayer.h.
 *
 * The plan wants entries in path order, but a blob reads only from its
 * start, in its own order. So every squashed blob gets a walker, opened
 * when the plan first wants one of its entries, and the plan is followed
 * item by item: a walker moves on to the entry the item wants, and that
 * entry is written straight into the layer (header rewritten, bytes
 * copied from the walker). An entry the walker passes that the plan wants
 * later is put aside:
 *  - from a plain blob the image's reader can read at any offset (an
 *    uncompressed layer of a file), only where it is: its header is read
 *    again when its turn comes, its bytes copied from there;
 *  - otherwise (a compressed blob, a sparse file) as the complete record
 *    it will be, into an unnamed file (the spool), copied as it is later.
 * A blob whose entries come in path order (what builders write) is thus
 * streamed with nothing put aside; a compressed one in another order
 * writes the bytes of the entries out of their turn twice. Every record,
 * straight or spooled, is made by one libarchive writer, so it is the
 * same bytes either way. */
#include "write/squashlayer.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/layer.h"
#include "util/fdwrite.h"
#include "util/sniff.h"
#include "util/tarread.h"
#include "util/tempfile.h"
#include "util/xalloc.h"

#define SQUASHLAYER_SPOOL UINT32_MAX	/* a stash in the spool */
#define SQUASHLAYER_COPY (1u << 20)
#define SQUASHLAYER_PIECE (64u << 10)	/* read_at at a time */

/* An item that wants an entry (its index in the image). */
struct squashlayer_need {
	uint32_t entry, item;
};

/* An entry put aside for an item: its record in the spool [hpos, dpos),
 * or (blob is a blob's index) its header at [hpos, dpos) of that blob's
 * tar and its size bytes right after. */
struct squashlayer_stash {
	uint64_t hpos, dpos, size;
	uint32_t blob;
	uint8_t set;
};

/* A squashed blob, walked once. */
struct squashlayer_blob {
	struct stream *in;		/* owned, NULL before the first need */
	struct layer_walker *walker;	/* owned */
	size_t next, end;		/* its needs still to meet: [next, end) */
	size_t at;			/* entries read so far */
	int plain;			/* uncompressed, readable at any offset */
};

/* One header's bytes at a time, for reading a header put aside again;
 * the data after it is skipped without being read. */
struct squashlayer_replay {
	struct stream s;
	char *buf;			/* owned */
	size_t len, cap;
	int given;
};

/* Where an entry's bytes are copied from. */
struct squashlayer_src {
	struct archive *a;		/* a walker's reader, or NULL: */
	uint32_t blob;			/* a blob (read_at), or the spool */
	uint64_t off;
};

struct squashlayer {
	const struct image *img;
	const struct squash_plan *plan;
	const char *near;
	struct squashlayer_need *needs;	/* owned, by entry */
	size_t nneeds;
	uint32_t *blob_of;		/* owned: per item, its entry's blob */
	struct squashlayer_blob *blobs;	/* owned: per blob of the image */
	struct squashlayer_stash *stash;	/* owned: per item */
	struct archive *tar;		/* owned: makes every record */
	int to_spool;			/* where tar's bytes go now */
	int (*write)(void *ctx, const void *buf, size_t len, char **cause);
	void *ctx;
	char *wcause;			/* owned: why write failed */
	int spool;			/* the spool's fd, -1 until needed */
	uint64_t spool_pos;
	int spool_errno;
	int write_failed;		/* a failure was writing's */
	struct squashlayer_replay replay;
	struct tarread rtr;
	struct archive *ra;		/* owned: reads headers again */
	char *path, *link;		/* owned: path buffers */
	size_t cpath, clink;
};

/* ------------------------------------------------------------ output */

/* Bytes of the layer, or of the spool. */
static void
squashlayer_put(struct squashlayer *q, const void *buf, size_t len)
{
	if (q->to_spool) {
		if (!q->spool_errno && fdwrite_all(q->spool, buf, len) < 0)
			q->spool_errno = errno;
		q->spool_pos += len;
	} else if (q->wcause == NULL && q->write(q->ctx, buf, len, &q->wcause) != 0 &&
	           q->wcause == NULL) {
		q->wcause = xstrdup("cannot write");
	}
}

static la_ssize_t
squashlayer_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
	(void)a;
	/* a failure is said after the call: a failed callback would leave
	 * libarchive in a state where it leaks its writer */
	squashlayer_put(ctx, buf, len);
	return (la_ssize_t)len;
}

/* Whether writing failed (*cause then says why). */
static int
squashlayer_failed(struct squashlayer *q, const char *what, char **cause)
{
	if (q->wcause != NULL) {
		*cause = q->wcause;
		q->wcause = NULL;
		q->write_failed = 1;
		return 1;
	}
	if (q->spool_errno) {
		*cause = xasprintf("the temporary file: %s", strerror(q->spool_errno));
		q->write_failed = 1;
		return 1;
	}
	if (what != NULL) {
		*cause = xasprintf("writing the new layer: %s", what);
		return 1;
	}
	return 0;
}

/* The spool: an unnamed file in the output's directory (so that it is on
 * the same disk), or in $TMPDIR for a stream (near NULL). */
static int
squashlayer_spool_open(struct squashlayer *q, char **cause)
{
	char *copy = q->near != NULL ? xstrdup(q->near) : NULL;
	const char *dir = q->near != NULL ? dirname(copy) : tempfile_dir();

	if ((q->spool = tempfile_open(dir)) < 0)
		*cause = xasprintf("%s: cannot write a temporary file %s: %s",
		                   q->near != NULL ? q->near : dir,
		                   q->near != NULL ? "beside it" : "there", strerror(errno));
	free(copy);
	return q->spool < 0 ? -1 : 0;
}

/* -------------------------------------------------------------- records */

/* node's path as a tar writes it: relative, "" for the root. */
static const char *
squashlayer_path(struct squashlayer *q, uint32_t node, char **buf, size_t *cap)
{
	tree_path(&q->img->tree, node, buf, cap);
	return *buf + 1;
}

static int
squashlayer_data_cb(void *ctx, const void *buf, size_t len)
{
	return archive_write_data(ctx, buf, len) == (la_ssize_t)len ? 0 : -1;
}

/* size bytes of the spool from off into the writer. */
static int
squashlayer_spool_copy(struct squashlayer *q, uint64_t off, uint64_t size,
                       int (*put)(void *ctx, const void *buf, size_t len), void *ctx,
                       char **cause)
{
	char *buf = xmalloc(SQUASHLAYER_COPY);
	int rc = 0;

	while (size > 0 && rc == 0) {
		size_t want = size < SQUASHLAYER_COPY ? (size_t)size : SQUASHLAYER_COPY;
		ssize_t n = pread(q->spool, buf, want, (off_t)off);
		if (n <= 0) {
			*cause = xasprintf("the temporary file: %s",
			                   n < 0 ? strerror(errno) : "shorter than written");
			rc = -1;
		} else if (put(ctx, buf, (size_t)n) != 0) {
			rc = 1;
		}
		off += n > 0 ? (uint64_t)n : 0;
		size -= n > 0 ? (uint64_t)n : 0;
	}
	free(buf);
	return rc;
}

/* A file's bytes into the writer from src: 0, 1 when writing failed, -1
 * when reading did (*why set, or NULL: the reader's error). */
static int
squashlayer_copy(struct squashlayer *q, const struct squashlayer_src *src, uint64_t size,
                 char **why)
{
	const struct image_reader *r = &q->img->reader;

	if (src->a != NULL)
		return layer_copy_data(src->a, squashlayer_data_cb, q->tar);
	if (src->blob == SQUASHLAYER_SPOOL)
		return squashlayer_spool_copy(q, src->off, size, squashlayer_data_cb, q->tar, why);
	/* in pieces: the reader reads into a buffer as large as asked */
	for (uint64_t done = 0; done < size; done += SQUASHLAYER_PIECE) {
		uint64_t n = size - done < SQUASHLAYER_PIECE ? size - done : SQUASHLAYER_PIECE;
		if (r->read_at(r->ctx, src->blob, src->off + done, n, squashlayer_data_cb, q->tar,
		               why) < 0)
			return -1;
	}
	return 0;
}

/* Item's record from the source header e (its name, link and sparse map
 * replaced in place: a reader's header, cleared at its next one), its
 * bytes from src. */
static int
squashlayer_record(struct squashlayer *q, uint32_t item, struct archive_entry *e,
                   const struct squashlayer_src *src, char **why)
{
	const struct squash_item *it = &q->plan->items[item];
	int r = 0;

	archive_entry_copy_pathname(e, squashlayer_path(q, it->node, &q->path, &q->cpath));
	archive_entry_sparse_clear(e);
	if (it->op == SQUASH_LINK) {
		archive_entry_copy_hardlink(e, squashlayer_path(q, it->target, &q->link, &q->clink));
		archive_entry_set_size(e, 0);
	} else {
		archive_entry_copy_hardlink(e, NULL);
	}
	/* ARCHIVE_WARN: a name that is no text in the C locale, written as
	 * its bytes (hdrcharset=BINARY on that entry alone) */
	if (archive_write_header(q->tar, e) < ARCHIVE_WARN)
		goto writer;
	if (it->op != SQUASH_LINK && archive_entry_filetype(e) == AE_IFREG &&
	    archive_entry_size(e) > 0 &&
	    (r = squashlayer_copy(q, src, (uint64_t)archive_entry_size(e), why)) != 0) {
		if (r > 0)
			goto writer;
		return -1;
	}
	if (archive_write_finish_entry(q->tar) != ARCHIVE_OK)
		goto writer;
	return squashlayer_failed(q, NULL, why) ? -1 : 0;
writer:
	if (!squashlayer_failed(q, NULL, why))
		squashlayer_failed(q, archive_error_string(q->tar), why);
	return -1;
}

/* A header that no source entry gives: a whiteout, an opaque marker, a
 * directory a layer implied. Owned by root, dated 0. */
static int
squashlayer_made(struct squashlayer *q, uint32_t item, char **cause)
{
	const struct squash_item *it = &q->plan->items[item];
	struct archive_entry *e = archive_entry_new();
	const char *path = squashlayer_path(q, it->node, &q->path, &q->cpath);
	char *name;
	int rc = 0;

	if (it->op == SQUASH_DIR) {
		name = xstrdup(path);
		archive_entry_set_filetype(e, AE_IFDIR);
		archive_entry_set_perm(e, 0755);
	} else {
		const char *slash = strrchr(path, '/');
		size_t dlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
		if (it->op == SQUASH_OPAQUE)
			name = xasprintf("%s%s.wh..wh..opq", path, *path ? "/" : "");
		else
			name = xasprintf("%.*s.wh.%s", (int)dlen, path, path + dlen);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, 0);
	}
	archive_entry_copy_pathname(e, name);
	archive_entry_set_mtime(e, 0, 0);
	if (archive_write_header(q->tar, e) < ARCHIVE_WARN ||
	    archive_write_finish_entry(q->tar) != ARCHIVE_OK)
		rc = squashlayer_failed(q, archive_error_string(q->tar), cause) ? -1 : 0;
	else if (squashlayer_failed(q, NULL, cause))
		rc = -1;
	archive_entry_free(e);
	free(name);
	return rc;
}

/* ---------------------------------------------------------------- stash */

/* Item's record into the spool (the entry's size, before the record
 * changes its header, kept). */
static int
squashlayer_spooled(struct squashlayer *q, uint32_t item, struct archive_entry *ae,
                    const struct squashlayer_src *src, uint64_t size, char **why)
{
	struct squashlayer_stash *st = &q->stash[item];
	int rc;

	q->to_spool = 1;
	st->hpos = q->spool_pos;
	st->size = size;
	rc = squashlayer_record(q, item, ae, src, why);
	st->dpos = q->spool_pos;
	st->blob = SQUASHLAYER_SPOOL;
	st->set = 1;
	q->to_spool = 0;
	return rc;
}

/* Puts entry ae of blob b (the walker at it) aside for item: where it is,
 * or as its record in the spool. */
static int
squashlayer_stash(struct squashlayer *q, uint32_t b, struct archive_entry *ae, uint32_t item,
                  char **why)
{
	struct squashlayer_blob *sb = &q->blobs[b];
	struct squashlayer_stash *st = &q->stash[item];
	struct archive *a = layer_walker_archive(sb->walker);
	struct squashlayer_src src = { .a = a };

	if (sb->plain && archive_entry_sparse_count(ae) == 0) {
		*st = (struct squashlayer_stash){ (uint64_t)archive_read_header_position(a),
		                                  (uint64_t)archive_filter_bytes(a, 0),
		                                  (uint64_t)archive_entry_size(ae), b, 1 };
		return 0;
	}
	if (q->spool < 0 && squashlayer_spool_open(q, why) < 0)
		return -1;
	return squashlayer_spooled(q, item, ae, &src, (uint64_t)archive_entry_size(ae), why);
}

/* A second item that wants the same entry (the planner asks for none
 * twice; a plan may): where the first's is, or its record made from the
 * first one's (header ae, bytes in the spool). */
static int
squashlayer_stash_again(struct squashlayer *q, struct archive_entry *ae, uint32_t first,
                        uint32_t item, char **why)
{
	const struct squashlayer_stash *one = &q->stash[first];
	struct squashlayer_stash *st = &q->stash[item];
	struct squashlayer_src src = { .blob = SQUASHLAYER_SPOOL };

	if (one->blob != SQUASHLAYER_SPOOL) {
		*st = *one;
		return 0;
	}
	/* the first record's bytes end it, padded to a block; the same kind of
	 * item (a file, or a link) wants them */
	src.off = one->dpos - (one->size + 511) / 512 * 512;
	return squashlayer_spooled(q, item, ae, &src, one->size, why);
}

/* ------------------------------------------------------------- replay */

static ssize_t
squashlayer_replay_read(struct stream *s, const void **buf)
{
	struct squashlayer_replay *r = (struct squashlayer_replay *)s;

	if (r->given)
		return 0;
	r->given = 1;
	*buf = r->buf;
	return (ssize_t)r->len;
}

/* The data after a header: copied from where it is, never read here. */
static int64_t
squashlayer_replay_skip(struct stream *s, int64_t n)
{
	(void)s;
	return n;
}

static void
squashlayer_replay_free(struct stream *s)
{
	(void)s;	/* embedded in struct squashlayer */
}

static const struct stream_ops squashlayer_replay_ops = {
	squashlayer_replay_read, squashlayer_replay_skip, squashlayer_replay_free,
};

static int
squashlayer_replay_put(void *ctx, const void *buf, size_t len)
{
	struct squashlayer_replay *r = ctx;

	ARRAY_RESERVE(r->buf, r->len + len, r->cap);
	memcpy(r->buf + r->len, buf, len);
	r->len += len;
	return 0;
}

/* The header put aside at st, read again from its blob. */
static int
squashlayer_replay(struct squashlayer *q, const struct squashlayer_stash *st,
                   struct archive_entry **ae, char **why)
{
	const struct image_reader *r = &q->img->reader;
	int ar;

	q->replay.len = 0;
	q->replay.given = 0;
	if (r->read_at(r->ctx, st->blob, st->hpos, st->dpos - st->hpos, squashlayer_replay_put,
	               &q->replay, why) < 0)
		return -1;
	if (q->ra == NULL) {
		q->replay.s.ops = &squashlayer_replay_ops;
		q->rtr.in = &q->replay.s;
		q->ra = tarread_new(&q->rtr, 0);
		if (archive_read_open1(q->ra) != ARCHIVE_OK) {
			*why = xasprintf("reading a header again: %s", archive_error_string(q->ra));
			return -1;
		}
	}
	if ((ar = archive_read_next_header(q->ra, ae)) != ARCHIVE_OK && ar != ARCHIVE_WARN) {
		*why = xasprintf("reading a header again: %s", archive_error_string(q->ra) != NULL ?
		                 archive_error_string(q->ra) : "no header there");
		return -1;
	}
	return 0;
}

/* A spooled record's bytes, as they are, into the layer. */
static int
squashlayer_raw(void *ctx, const void *buf, size_t len)
{
	struct squashlayer *q = ctx;

	squashlayer_put(q, buf, len);
	return q->wcause != NULL ? 1 : 0;
}

/* Item's record from where it was put aside. */
static int
squashlayer_unstash(struct squashlayer *q, uint32_t item, char **why)
{
	const struct squashlayer_stash *st = &q->stash[item];
	struct squashlayer_src src = { .blob = st->blob, .off = st->dpos };
	struct archive_entry *ae;

	if (st->blob == SQUASHLAYER_SPOOL) {
		int r = squashlayer_spool_copy(q, st->hpos, st->dpos - st->hpos, squashlayer_raw, q,
		                               why);
		return r == 0 && !squashlayer_failed(q, NULL, why) ? 0 : -1;
	}
	if (squashlayer_replay(q, st, &ae, why) < 0)
		return -1;
	return squashlayer_record(q, item, ae, &src, why);
}

/* ---------------------------------------------------------------- merge */

/* Whether blob b is stored as a plain tar that the reader can read at any
 * offset (so that what is put aside stays where it is). */
static int
squashlayer_plain(const struct image *img, size_t b)
{
	uint64_t size;
	const void *head;
	struct stream *s;
	ssize_t n;
	int plain;

	if (img->reader.read_at == NULL || img->reader.open_raw == NULL)
		return 0;
	s = img->reader.open_raw(img->reader.ctx, b, &size);
	n = stream_read(s, &head);
	plain = n > 0 && sniff_compression(head, (size_t)n) == NULL;
	stream_free(s);
	return plain;
}

/* Blob b's walker, opened at its first need. */
static struct layer_walker *
squashlayer_walker(struct squashlayer *q, uint32_t b)
{
	struct squashlayer_blob *sb = &q->blobs[b];

	if (sb->walker == NULL) {
		struct scan_opts so = { 0 };
		sb->in = q->img->reader.open(q->img->reader.ctx, b, &so);
		sb->walker = layer_walker_new(sb->in);
		sb->plain = squashlayer_plain(q->img, b);
	}
	return sb->walker;
}

/* The walker of blob b done with: its reader closed. */
static void
squashlayer_walker_end(struct squashlayer_blob *sb)
{
	layer_walker_free(sb->walker);
	stream_free(sb->in);
	sb->walker = NULL;
	sb->in = NULL;
}

/* The needs met at entry index of blob b: [*k0, *k1) of needs. */
static void
squashlayer_met(struct squashlayer *q, struct squashlayer_blob *sb, uint32_t entry,
                size_t *k0, size_t *k1)
{
	*k0 = *k1 = sb->next;
	while (*k1 < sb->end && q->needs[*k1].entry == entry)
		(*k1)++;
	sb->next = *k1;
}

/* Puts aside what the items [k0, k1) want of the entry at hand. */
static int
squashlayer_stash_all(struct squashlayer *q, uint32_t b, struct archive_entry *ae, size_t k0,
                      size_t k1, char **why)
{
	for (size_t k = k0; k < k1; k++) {
		uint32_t item = q->needs[k].item;
		int r = k == k0 ? squashlayer_stash(q, b, ae, item, why) :
		                  squashlayer_stash_again(q, ae, q->needs[k0].item, item, why);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* Walks item's blob up to its entry, putting aside what is wanted later;
 * writes item straight when it alone wants that entry. Returns 1 when
 * written, 0 when put aside, -1 with *why (NULL: the walker's error,
 * entry named) and *ae the entry at fault. */
static int
squashlayer_advance(struct squashlayer *q, uint32_t item, struct archive_entry **ae,
                    char **why)
{
	uint32_t b = q->blob_of[item];
	struct squashlayer_blob *sb = &q->blobs[b];
	struct layer_walker *w = squashlayer_walker(q, b);
	size_t first = q->img->blobs[b].first, target = q->plan->items[item].entry - first;
	size_t index, k0, k1;
	int r;

	*ae = NULL;
	while ((r = layer_walker_next(w, &index, ae, why)) > 0) {
		sb->at = index + 1;
		squashlayer_met(q, sb, (uint32_t)(first + index), &k0, &k1);
		if (index == target && k1 - k0 == 1) {
			struct squashlayer_src src = { .a = layer_walker_archive(w) };
			return squashlayer_record(q, item, *ae, &src, why) < 0 ? -1 : 1;
		}
		if (squashlayer_stash_all(q, b, *ae, k0, k1, why) < 0)
			return -1;
		if (index == target)
			return 0;
	}
	if (r == 0)
		*why = xstrdup("the layer holds fewer entries than when it was read");
	*ae = NULL;
	return -1;
}

/* The layer index that first uses blob b, for messages. */
static size_t
squashlayer_layer_of(const struct image *img, size_t b)
{
	for (size_t k = 0; k < img->nlayers; k++)
		if (img->layers[k].blob == b)
			return k;
	return 0;
}

/* Item's record, whatever it takes. A failure names the layer. */
static int
squashlayer_item(struct squashlayer *q, uint32_t item, char **cause)
{
	struct archive_entry *ae = NULL;
	char *why = NULL;
	int r = 0;

	if (q->blob_of[item] == SQUASHLAYER_SPOOL)
		return squashlayer_made(q, item, cause);
	if (!q->stash[item].set)
		r = squashlayer_advance(q, item, &ae, &why);
	if (r == 0)
		r = squashlayer_unstash(q, item, &why);
	if (r >= 0) {
		struct squashlayer_blob *sb = &q->blobs[q->blob_of[item]];
		if (sb->next == sb->end && sb->walker != NULL)
			squashlayer_walker_end(sb);
		return 0;
	}
	if (q->write_failed) {	/* the output's fault, not the layer's */
		*cause = why;
		return -1;
	}
	uint32_t b = q->blob_of[item];
	size_t layer = squashlayer_layer_of(q->img, b);
	const char *d = q->img->layers[layer].digest;
	char *msg = q->blobs[b].walker != NULL && (ae != NULL || why == NULL) ?
	            layer_walker_error(q->blobs[b].walker, ae, why) : xstrdup(why);
	*cause = xasprintf("layer %zu (%s): %s", layer, d != NULL ? d : "no digest", msg);
	free(msg);
	free(why);
	return -1;
}

static int
squashlayer_need_cmp(const void *a, const void *b)
{
	const struct squashlayer_need *x = a, *y = b;

	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* Who wants what: the needs by entry, each blob's share of them, each
 * item's blob (SQUASHLAYER_SPOOL: an item made here, from no entry). */
static void
squashlayer_needs(struct squashlayer *q)
{
	const struct image *img = q->img;
	const struct squash_plan *p = q->plan;

	q->needs = xcalloc(p->nitems + 1, sizeof *q->needs);
	q->blob_of = xcalloc(p->nitems + 1, sizeof *q->blob_of);
	q->stash = xcalloc(p->nitems + 1, sizeof *q->stash);
	q->blobs = xcalloc(img->nblobs + 1, sizeof *q->blobs);
	for (size_t i = 0; i < p->nitems; i++) {
		const struct squash_item *it = &p->items[i];
		q->blob_of[i] = SQUASHLAYER_SPOOL;
		if (it->entry == ENTRY_NONE || it->op == SQUASH_WHITEOUT ||
		    it->op == SQUASH_OPAQUE || it->op == SQUASH_DIR)
			continue;
		q->needs[q->nneeds++] = (struct squashlayer_need){ it->entry, (uint32_t)i };
	}
	if (q->nneeds > 1)
		qsort(q->needs, q->nneeds, sizeof *q->needs, squashlayer_need_cmp);
	for (size_t k = 0, b = 0; k < q->nneeds; k++) {
		while (q->needs[k].entry >= img->blobs[b].first + img->blobs[b].count)
			b++;
		if (q->blobs[b].end == 0)
			q->blobs[b].next = k;
		q->blobs[b].end = k + 1;
		q->blob_of[q->needs[k].item] = (uint32_t)b;
	}
}

static void
squashlayer_fini(struct squashlayer *q)
{
	for (size_t b = 0; q->blobs != NULL && b < q->img->nblobs; b++)
		squashlayer_walker_end(&q->blobs[b]);
	if (q->tar != NULL) {
		archive_write_fail(q->tar);
		archive_write_free(q->tar);
	}
	if (q->ra != NULL)
		archive_read_free(q->ra);
	if (q->spool >= 0)
		close(q->spool);
	free(q->needs);
	free(q->blob_of);
	free(q->blobs);
	free(q->stash);
	free(q->replay.buf);
	free(q->wcause);
	free(q->path);
	free(q->link);
}

int
squashlayer_write(const struct image *img, const struct squash_plan *plan, const char *near,
                  int (*write)(void *ctx, const void *buf, size_t len, char **cause),
                  void *ctx, uint64_t *spooled, char **cause)
{
	struct squashlayer q = { .img = img, .plan = plan, .near = near, .write = write,
	                         .ctx = ctx, .spool = -1 };
	int rc = -1;

	squashlayer_needs(&q);
	q.tar = archive_write_new();
	archive_write_set_format_pax_restricted(q.tar);
	/* unblocked: every byte reaches the callback within the call */
	archive_write_set_bytes_per_block(q.tar, 0);
	if (archive_write_open(q.tar, &q, NULL, squashlayer_cb, NULL) != ARCHIVE_OK) {
		*cause = xasprintf("the new layer: %s", archive_error_string(q.tar));
		goto out;
	}
	for (size_t i = 0; i < plan->nitems; i++)
		if (squashlayer_item(&q, (uint32_t)i, cause) < 0)
			goto out;
	/* the end blocks */
	if (archive_write_close(q.tar) != ARCHIVE_OK) {
		squashlayer_failed(&q, archive_error_string(q.tar), cause);
		goto out;
	}
	if (squashlayer_failed(&q, NULL, cause))
		goto out;
	archive_write_free(q.tar);
	q.tar = NULL;
	rc = 0;
out:
	*spooled = q.spool_pos;
	squashlayer_fini(&q);
	return rc;
}
