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
#include "util/xalloc.h"

#define WH_PREFIX ".wh."
#define WH_META ".wh..wh."
#define WH_OPAQUE ".wh..wh..opq"

struct layer_reader {
	struct image *img;
	struct stream *in;	/* borrowed */
	int stream_failed;	/* the error is the stream's, not the blob's */
	char *path;		/* cleaning buffer (owned) */
	size_t cpath;
	char *dir;		/* last parent directory seen (owned) */
	size_t ldir, cdir;
	uint32_t dir_node;	/* its node */
	XXH3_state_t *hash;	/* owned */
};

static la_ssize_t
layer_cb_read(struct archive *a, void *ctx, const void **buf)
{
	struct layer_reader *r = ctx;
	ssize_t n = stream_read(r->in, buf);

	if (n < 0) {
		r->stream_failed = 1;
		archive_set_error(a, -1, "%s", stream_error(r->in));
	}
	return n;
}

static la_int64_t
layer_cb_skip(struct archive *a, void *ctx, la_int64_t n)
{
	struct layer_reader *r = ctx;
	(void)a;
	return stream_skip(r->in, n);
}

/* Hashes a regular file's bytes; sparse holes count as zeros. */
static int
layer_hash_data(struct archive *a, XXH3_state_t *st, uint64_t *hash)
{
	static const char zeros[65536];
	const void *buf;
	size_t len;
	la_int64_t off, pos = 0;
	int r;

	XXH3_64bits_reset(st);
	while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
		for (; pos < off; ) {
			size_t z = off - pos > (la_int64_t)sizeof zeros ?
			    sizeof zeros : (size_t)(off - pos);
			XXH3_64bits_update(st, zeros, z);
			pos += (la_int64_t)z;
		}
		XXH3_64bits_update(st, buf, len);
		pos += (la_int64_t)len;
	}
	if (r != ARCHIVE_EOF)
		return -1;
	/* A hole at the end: archive_read_data_block reports it as offset. */
	if (off > pos) {
		while (pos < off) {
			size_t z = off - pos > (la_int64_t)sizeof zeros ?
			    sizeof zeros : (size_t)(off - pos);
			XXH3_64bits_update(st, zeros, z);
			pos += (la_int64_t)z;
		}
	}
	*hash = XXH3_64bits_digest(st);
	return 0;
}

/* The node of the directory part dir[0..len) of a cleaned path, remembering
 * the last one: tar entries come directory by directory. */
static uint32_t
layer_dir_node(struct layer_reader *r, const char *dir, size_t len)
{
	if (r->dir_node != TREE_NONE && len == r->ldir &&
	    memcmp(dir, r->dir, len) == 0)
		return r->dir_node;
	ARRAY_RESERVE(r->dir, len, r->cdir);
	memcpy(r->dir, dir, len);
	r->ldir = len;
	r->dir_node = tree_insert(&r->img->tree, TREE_ROOT, dir, len);
	return r->dir_node;
}

static char *
layer_entry_error(const char *name, const char *what)
{
	char *e = escape_str(name, strlen(name), 0);
	char *msg = xasprintf("entry '%s': %s", e, what);

	free(e);
	return msg;
}

/* Fills e (but for content) from a tar header; returns -1 with *cause. */
static int
layer_entry(struct layer_reader *r, struct archive_entry *ae, const char *name,
            struct entry *e, int *skip, char **cause)
{
	struct tree *t = &r->img->tree;
	size_t nlen = strlen(name);
	long clen;

	*skip = 0;
	ARRAY_RESERVE(r->path, nlen + 1, r->cpath);
	clen = path_clean(name, nlen, r->path);
	if (clen < 0) {
		*cause = layer_entry_error(name, "the path climbs out of the root with '..'");
		return -1;
	}

	const char *clean = r->path;
	const char *slash = memrchr(clean, '/', (size_t)clen);
	size_t dlen = slash != NULL ? (size_t)(slash - clean) : 0;
	const char *base = slash != NULL ? slash + 1 : clean;
	size_t blen = (size_t)clen - (slash != NULL ? dlen + 1 : 0);

	/* aufs metadata (/.wh..wh.plnk, ...) is not content; the root's
	 * opaque marker is. */
	if ((size_t)clen >= strlen(WH_META) &&
	    memcmp(clean, WH_META, strlen(WH_META)) == 0 &&
	    !((size_t)clen == strlen(WH_OPAQUE) &&
	      memcmp(clean, WH_OPAQUE, (size_t)clen) == 0)) {
		*skip = 1;
		return 0;
	}

	memset(e, 0, sizeof *e);
	e->link = ENTRY_NONE;
	e->uid = (uint32_t)archive_entry_uid(ae);
	e->gid = (uint32_t)archive_entry_gid(ae);
	if (archive_entry_uid(ae) < 0 || archive_entry_uid(ae) > UINT32_MAX ||
	    archive_entry_gid(ae) < 0 || archive_entry_gid(ae) > UINT32_MAX) {
		*cause = layer_entry_error(name, "uid or gid out of range");
		return -1;
	}
	e->mode = (uint16_t)(archive_entry_perm(ae) & 07777);
	e->size = archive_entry_size_is_set(ae) ? (uint64_t)archive_entry_size(ae) : 0;

	if (blen > strlen(WH_PREFIX) - 1 && memcmp(base, WH_PREFIX, strlen(WH_PREFIX)) == 0) {
		uint32_t dir = layer_dir_node(r, clean, dlen);
		if (blen == strlen(WH_OPAQUE) && memcmp(base, WH_OPAQUE, blen) == 0) {
			e->type = ENTRY_OPAQUE;
			e->node = dir;
			return 0;
		}
		if (blen >= strlen(WH_META) && memcmp(base, WH_META, strlen(WH_META)) == 0) {
			*skip = 1;	/* other aufs metadata */
			return 0;
		}
		const char *target = base + strlen(WH_PREFIX);
		size_t tlen = blen - strlen(WH_PREFIX);
		if (tlen == 0 || (tlen == 1 && target[0] == '.') ||
		    (tlen == 2 && target[0] == '.' && target[1] == '.')) {
			*cause = layer_entry_error(name, "a whiteout without a valid name");
			return -1;
		}
		e->type = ENTRY_WHITEOUT;
		e->node = tree_child(t, dir, intern_add(t->names, target, tlen));
		e->size = 0;
		return 0;
	}

	const char *hardlink = archive_entry_hardlink(ae);
	if (hardlink != NULL) {
		size_t hl = strlen(hardlink);
		char *buf = xmalloc(hl + 2);
		long l = path_clean(hardlink, hl, buf + 1);
		if (l < 0) {
			free(buf);
			*cause = layer_entry_error(name, "the hard link target climbs out of the root with '..'");
			return -1;
		}
		if (l == 0) {
			free(buf);
			*cause = layer_entry_error(name, "a hard link to the root directory");
			return -1;
		}
		buf[0] = '/';
		e->type = ENTRY_HARDLINK;
		e->link = intern_add(t->names, buf, (size_t)l + 1);
		free(buf);
	} else {
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
			e->link = intern_add(t->names, target, strlen(target));
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
	}

	if (clen == 0) {
		if (e->type != ENTRY_DIR) {
			*cause = layer_entry_error(name, "names the root but is not a directory");
			return -1;
		}
		e->node = TREE_ROOT;
		return 0;
	}
	uint32_t dir = layer_dir_node(r, clean, dlen);
	e->node = tree_child(t, dir, intern_add(t->names, base, blen));
	return 0;
}

int
layer_read(struct image *img, struct stream *in, struct blob *out, char **cause)
{
	struct layer_reader r = { .img = img, .in = in, .dir_node = TREE_NONE };
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	int rc = -1, ar;

	memset(out, 0, sizeof *out);
	out->first = img->nentries;
	if ((r.hash = XXH3_createState()) == NULL)
		xalloc_die();
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	archive_read_set_read_callback(a, layer_cb_read);
	archive_read_set_skip_callback(a, layer_cb_skip);
	archive_read_set_callback_data(a, &r);
	if (archive_read_open1(a) != ARCHIVE_OK) {
		*cause = xasprintf("%s", archive_error_string(a));
		goto out;
	}

	while ((ar = archive_read_next_header(a, &ae)) == ARCHIVE_OK ||
	       ar == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(ae);
		struct entry e;
		int skip;

		out->tar_entries++;
		if (name == NULL) {
			*cause = xasprintf("tar entry %llu has no name",
			                   (unsigned long long)out->tar_entries);
			goto out;
		}
		if (layer_entry(&r, ae, name, &e, &skip, cause) < 0)
			goto out;
		if (skip)
			continue;
		out->size += e.size;
		if (e.type == ENTRY_FILE && layer_hash_data(a, r.hash, &e.hash) < 0) {
			*cause = layer_entry_error(name, archive_error_string(a));
			goto out;
		}
		image_add_entry(img, &e);
	}
	if (ar != ARCHIVE_EOF) {
		*cause = xasprintf("%s", archive_error_string(a) ?
		                   archive_error_string(a) : "unreadable tar");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 && r.stream_failed) {
		free(*cause);
		*cause = xstrdup(stream_error(in));
	}
	out->count = img->nentries - out->first;
	archive_read_free(a);
	free(r.path);
	free(r.dir);
	XXH3_freeState(r.hash);
	return rc;
}
