/* testutil: builds layer tars in memory with libarchive's writer and stacks
 * them into an image, so that model tests read like the rules they check. */
#ifndef FATHOM_TESTUTIL_H
#define FATHOM_TESTUTIL_H

#include <archive.h>
#include <archive_entry.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "image/image.h"
#include "image/stack.h"
#include "util/stream.h"
#include "util/xalloc.h"

/* A layer tar being written. */
struct tb {
	struct archive *a;
	char *buf;		/* owned, 4 MiB */
	size_t used;
};

/* Begins a layer tar of at most size bytes. */
static inline void
tb_begin_size(struct tb *t, size_t size)
{
	t->buf = xmalloc(size);
	t->used = 0;
	t->a = archive_write_new();
	archive_write_set_format_pax_restricted(t->a);
	archive_write_set_bytes_per_block(t->a, 512);
	assert_int_equal(archive_write_open_memory(t->a, t->buf, size, &t->used), ARCHIVE_OK);
}

static inline void
tb_begin(struct tb *t)
{
	tb_begin_size(t, 4u << 20);
}

static inline void
tb_entry(struct tb *t, const char *path, unsigned type, unsigned mode,
         const char *content, const char *link, int hard)
{
	struct archive_entry *e = archive_entry_new();
	size_t len = content ? strlen(content) : 0;

	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, mode);
	archive_entry_set_size(e, (la_int64_t)len);
	if (link && hard)
		archive_entry_set_hardlink(e, link);
	else if (link)
		archive_entry_set_symlink(e, link);
	assert_int_equal(archive_write_header(t->a, e), ARCHIVE_OK);
	if (len)
		assert_int_equal(archive_write_data(t->a, content, len), (la_ssize_t)len);
	archive_entry_free(e);
}

#define TB_FILE(t, p, c) tb_entry(t, p, AE_IFREG, 0644, c, NULL, 0)
#define TB_FILE_MODE(t, p, c, m) tb_entry(t, p, AE_IFREG, m, c, NULL, 0)
#define TB_DIR(t, p) tb_entry(t, p, AE_IFDIR, 0755, NULL, NULL, 0)
#define TB_DIR_MODE(t, p, m) tb_entry(t, p, AE_IFDIR, m, NULL, NULL, 0)
#define TB_SYMLINK(t, p, to) tb_entry(t, p, AE_IFLNK, 0777, NULL, to, 0)
#define TB_HARDLINK(t, p, to) tb_entry(t, p, AE_IFREG, 0644, NULL, to, 1)

/* Ends the tar and adds it to img as its next layer. */
static inline void
tb_add(struct tb *t, struct image *img)
{
	struct stream *s;
	char *cause = NULL;
	size_t b = img->nblobs;

	assert_int_equal(archive_write_close(t->a), ARCHIVE_OK);
	archive_write_free(t->a);
	ARRAY_RESERVE(img->blobs, b, img->cblobs);
	img->nblobs++;
	s = stream_memory_new(t->buf, t->used);
	if (layer_read(img, s, NULL, &img->blobs[b], &cause) != 0)
		fail_msg("layer_read: %s", cause);
	stream_free(s);
	free(t->buf);
	image_add_layer(img, (uint32_t)b);
}

/* The layer tars of an image built with tb_add_kept, as its reader: file
 * contents can be read again (the pager, extraction). */
struct tb_kept {
	char **buf;
	size_t *len;
	size_t n, cap, lcap;
};

static inline struct stream *
tb_kept_open(void *ctx, size_t blob, struct scan_opts *o)
{
	struct tb_kept *k = ctx;

	(void)o;
	return stream_memory_new(k->buf[blob], k->len[blob]);
}

static inline void
tb_kept_free(void *ctx)
{
	struct tb_kept *k = ctx;

	for (size_t i = 0; i < k->n; i++)
		free(k->buf[i]);
	free(k->buf);
	free(k->len);
	free(k);
}

/* tb_add, keeping the tar as the image's reader holds it. */
static inline void
tb_add_kept(struct tb *t, struct image *img)
{
	struct tb_kept *k = img->reader.ctx;
	struct stream *s;
	char *cause = NULL;
	size_t b = img->nblobs;

	if (img->reader.open == NULL) {
		k = xcalloc(1, sizeof *k);
		img->reader = (struct image_reader){ .open = tb_kept_open, .free = tb_kept_free, .ctx = k };
	}
	assert_int_equal(archive_write_close(t->a), ARCHIVE_OK);
	archive_write_free(t->a);
	assert_int_equal(k->n, b);
	ARRAY_RESERVE(k->buf, k->n, k->cap);
	ARRAY_RESERVE(k->len, k->n, k->lcap);
	k->buf[k->n] = t->buf;
	k->len[k->n++] = t->used;
	ARRAY_RESERVE(img->blobs, b, img->cblobs);
	img->nblobs++;
	s = stream_memory_new(t->buf, t->used);
	if (layer_read(img, s, NULL, &img->blobs[b], &cause) != 0)
		fail_msg("layer_read: %s", cause);
	stream_free(s);
	image_add_layer(img, (uint32_t)b);
}

/* Reads a tar that must fail; returns the error (owned). */
static inline char *
tb_fail(struct tb *t, struct image *img)
{
	struct stream *s;
	char *cause = NULL;
	struct blob b;

	assert_int_equal(archive_write_close(t->a), ARCHIVE_OK);
	archive_write_free(t->a);
	s = stream_memory_new(t->buf, t->used);
	assert_int_equal(layer_read(img, s, NULL, &b, &cause), -1);
	stream_free(s);
	free(t->buf);
	return cause;
}

/* The entry of path after layer, or NULL. */
static inline const struct entry *
at(const struct image *img, size_t layer, const char *path)
{
	uint32_t n = tree_find(&img->tree, path);
	return n == TREE_NONE ? NULL : stack_entry_at(img, n, layer);
}

/* What layer did to path ('A', 'M', 'R', 'U'), or '-' when untouched. */
static inline char
status(const struct image *img, size_t layer, const char *path)
{
	uint32_t n = tree_find(&img->tree, path), v;

	if (n == TREE_NONE)
		return '-';
	v = stack_at(img, n, layer);
	if (v == TREE_NONE || img->versions[v].layer != layer)
		return '-';
	return stack_status(img, v);
}

#endif
