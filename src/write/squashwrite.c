/* squashwrite: the squashed image written; see squashwrite.h.
 *
 * The new layer's entries are wanted in path order, but a compressed blob
 * reads only from its start. So each blob of the squashed layers is read
 * once, and every entry the plan wants is written as a complete tar record
 * (pax header, header, bytes, padding) into a spool: an unnamed temporary
 * file beside the output. The layer is then the records in plan order and
 * the end-of-archive blocks: bytes copied, never parsed again. */
#include "write/squashwrite.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/escape.h"
#include "util/jsonw.h"
#include "util/sniff.h"
#include "util/xalloc.h"

#define COPY_BLOCK (1u << 20)

struct squashwrite_region {
	uint64_t off, len;
};

struct squashwrite_spool_file {
	int fd;
	uint64_t pos;
	int failed;		/* errno of a failed write, 0 */
	struct archive *a;	/* owned: pax records into fd */
};

/* An unnamed file for temporary bytes, in the output's directory (so that
 * it is on the same disk), or in TMPDIR (or /tmp) when the output is a
 * stream (near NULL). */
static int
squashwrite_tmpfile(const char *near, char **cause)
{
	const char *tmpdir = getenv("TMPDIR");
	char *copy = near != NULL ? xstrdup(near) :
	             xstrdup(tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp");
	char *dir = near != NULL ? dirname(copy) : copy;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0) {
		char *tmp = xasprintf("%s/.fathom-squash-XXXXXX", dir);
		if ((fd = mkstemp(tmp)) >= 0)
			unlink(tmp);
		free(tmp);
	}
	if (fd < 0 && near != NULL)
		*cause = xasprintf("%s: cannot write a temporary file beside it: %s", near,
		                   strerror(errno));
	else if (fd < 0)
		*cause = xasprintf("%s: cannot write a temporary file there: %s", dir,
		                   strerror(errno));
	free(copy);
	return fd;
}

static int
squashwrite_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static la_ssize_t
squashwrite_spool_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
	struct squashwrite_spool_file *s = ctx;

	(void)a;
	/* a failure is said later: a failed callback would leave libarchive
	 * in a state where it leaks its writer */
	if (s->failed || squashwrite_all(s->fd, buf, len) < 0) {
		if (!s->failed)
			s->failed = errno;
		return (la_ssize_t)len;
	}
	s->pos += len;
	return (la_ssize_t)len;
}

struct squashwrite {
	const struct image *img;
	const struct squash_plan *plan;
	struct squashwrite_spool_file spool;
	struct squashwrite_region *regions;	/* per item (owned) */
	char *path;		/* path buffer (owned) */
	size_t cpath;
	char *link;		/* (owned) */
	size_t clink;
	size_t next;		/* the next need of the blob being read */
	struct squashwrite_need *needs;	/* (owned) */
	size_t nneeds;
};

/* An item that wants an entry of a blob: its header, maybe its bytes. */
struct squashwrite_need {
	uint32_t entry, item;
};

static int
squashwrite_need_cmp(const void *a, const void *b)
{
	const struct squashwrite_need *x = a, *y = b;

	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* node's path as a tar writes it: relative, "" for the root. */
static const char *
squashwrite_path(struct squashwrite *q, uint32_t node, char **buf, size_t *cap)
{
	tree_path(&q->img->tree, node, buf, cap);
	return *buf + 1;
}

/* Writes one record without bytes into the spool. */
static int
squashwrite_record(struct squashwrite *q, uint32_t item, struct archive_entry *e, char **cause)
{
	struct archive *a = q->spool.a;
	uint64_t start = q->spool.pos;

	if (archive_write_header(a, e) < ARCHIVE_WARN || q->spool.failed)
		goto fail;
	if (archive_write_finish_entry(a) != ARCHIVE_OK || q->spool.failed)
		goto fail;
	q->regions[item] = (struct squashwrite_region){ start, q->spool.pos - start };
	return 0;
fail:
	*cause = xasprintf("the temporary layer: %s", q->spool.failed ?
	                   strerror(q->spool.failed) : archive_error_string(a));
	return -1;
}

static int
squashwrite_data_cb(void *ctx, const void *buf, size_t len)
{
	struct archive *a = ctx;

	return archive_write_data(a, buf, len) == (la_ssize_t)len ? 0 : -1;
}

/* A header that no source entry gives: a whiteout, an opaque marker, a
 * directory a layer implied. Owned by root, dated 0. */
static int
squashwrite_made(struct squashwrite *q, uint32_t item, char **cause)
{
	const struct squash_item *it = &q->plan->items[item];
	struct archive_entry *e = archive_entry_new();
	const char *path = squashwrite_path(q, it->node, &q->path, &q->cpath);
	char *name;
	int rc;

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
	rc = squashwrite_record(q, item, e, cause);
	archive_entry_free(e);
	free(name);
	return rc;
}

/* The record of an item from the source header ae (and its bytes). */
static int
squashwrite_copy(struct squashwrite *q, uint32_t item, struct archive *from,
                 struct archive_entry *ae, char **why)
{
	const struct squash_item *it = &q->plan->items[item];
	struct archive_entry *e = archive_entry_clone(ae);
	struct archive *a = q->spool.a;
	uint64_t start = q->spool.pos;
	int rc = -1;

	archive_entry_copy_pathname(e, squashwrite_path(q, it->node, &q->path, &q->cpath));
	archive_entry_sparse_clear(e);
	if (it->op == SQUASH_LINK) {
		archive_entry_copy_hardlink(e, squashwrite_path(q, it->target, &q->link, &q->clink));
		archive_entry_set_size(e, 0);
	} else {
		archive_entry_copy_hardlink(e, NULL);
	}
	/* ARCHIVE_WARN: a name that is no text in the C locale, written as
	 * its bytes (hdrcharset=BINARY on that entry alone) */
	if (archive_write_header(a, e) < ARCHIVE_WARN || q->spool.failed)
		goto spool_failed;
	if (it->op != SQUASH_LINK && archive_entry_filetype(e) == AE_IFREG &&
	    archive_entry_size(e) > 0) {
		int r = layer_copy_data(from, squashwrite_data_cb, a);
		if (r > 0)
			goto spool_failed;
		if (r < 0) {
			*why = NULL;	/* the reader's error */
			goto out;
		}
	}
	if (archive_write_finish_entry(a) != ARCHIVE_OK || q->spool.failed)
		goto spool_failed;
	q->regions[item] = (struct squashwrite_region){ start, q->spool.pos - start };
	rc = 0;
	goto out;
spool_failed:
	*why = xasprintf("writing the new layer: %s", q->spool.failed ?
	                 strerror(q->spool.failed) : archive_error_string(a));
out:
	archive_entry_free(e);
	return rc;
}

static int
squashwrite_visit(void *ctx, size_t index, struct archive *a, struct archive_entry *ae,
                  char **why)
{
	struct squashwrite *q = ctx;

	while (q->next < q->nneeds && q->needs[q->next].entry == (uint32_t)index) {
		if (squashwrite_copy(q, q->needs[q->next].item, a, ae, why) < 0)
			return -1;
		q->next++;
	}
	return q->next >= q->nneeds ? 1 : 0;
}

/* The layer index that first uses blob b, for messages. */
static size_t
squashwrite_layer_of(const struct image *img, size_t b)
{
	for (size_t k = 0; k < img->nlayers; k++)
		if (img->layers[k].blob == b)
			return k;
	return 0;
}

/* Every record the plan wants, into the spool. */
static int
squashwrite_spool(struct squashwrite *q, char **cause)
{
	const struct image *img = q->img;
	const struct squash_plan *p = q->plan;
	struct squashwrite_need *all = xcalloc(p->nitems + 1, sizeof *all);
	size_t n = 0;
	int rc = -1;

	for (size_t i = 0; i < p->nitems; i++) {
		if (p->items[i].entry == ENTRY_NONE || p->items[i].op == SQUASH_WHITEOUT ||
		    p->items[i].op == SQUASH_OPAQUE || p->items[i].op == SQUASH_DIR) {
			if (squashwrite_made(q, (uint32_t)i, cause) < 0)
				goto out;
			continue;
		}
		all[n++] = (struct squashwrite_need){ p->items[i].entry, (uint32_t)i };
	}
	if (n > 1)
		qsort(all, n, sizeof *all, squashwrite_need_cmp);
	/* blob by blob, in the order of their entries */
	for (size_t i = 0, b = 0; i < n; b++) {
		const struct blob *bl = &img->blobs[b];
		size_t j = i;
		while (j < n && all[j].entry < bl->first + bl->count)
			j++;
		if (j == i)
			continue;
		for (size_t k = i; k < j; k++)
			all[k].entry -= (uint32_t)bl->first;
		q->needs = all + i;
		q->nneeds = j - i;
		q->next = 0;
		struct scan_opts so = { 0 };
		struct stream *s = img->reader.open(img->reader.ctx, b, &so);
		char *why = NULL;
		int r = layer_walk(s, squashwrite_visit, q, &why);
		stream_free(s);
		size_t layer = squashwrite_layer_of(img, b);
		if (r == 0 && q->next < q->nneeds)
			why = xstrdup("the layer holds fewer entries than when it was read");
		if (why != NULL) {
			const char *d = img->layers[layer].digest;
			*cause = xasprintf("layer %zu (%s): %s", layer, d != NULL ? d : "no digest",
			                   why);
			free(why);
			goto out;
		}
		i = j;
	}
	rc = 0;
out:
	q->needs = NULL;
	free(all);
	return rc;
}

/* Where the new layer's bytes go: the diff_id's digest, and the blob file
 * through a compressor or not. */
struct squashwrite_sink {
	int fd;
	struct digester *diff, *blob;
	uint64_t bytes, stored;
	struct archive *z;	/* owned: a compressor, or NULL */
	int failed;
};

static la_ssize_t
squashwrite_sink_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
	struct squashwrite_sink *k = ctx;

	(void)a;
	if (k->failed || squashwrite_all(k->fd, buf, len) < 0) {
		if (!k->failed)
			k->failed = errno;
		return (la_ssize_t)len;	/* said later, as above */
	}
	digester_update(k->blob, buf, len);
	k->stored += len;
	return (la_ssize_t)len;
}

static int
squashwrite_sink_put(struct squashwrite_sink *k, const void *buf, size_t len)
{
	digester_update(k->diff, buf, len);
	k->bytes += len;
	if (k->z != NULL)
		return archive_write_data(k->z, buf, len) == (la_ssize_t)len && !k->failed ? 0 : -1;
	if (squashwrite_all(k->fd, buf, len) < 0) {
		k->failed = errno;
		return -1;
	}
	digester_update(k->blob, buf, len);
	k->stored += len;
	return 0;
}

static int
squashwrite_sink_open(struct squashwrite_sink *k, enum squashwrite_compress c)
{
	struct archive_entry *e;

	k->diff = digester_new();
	k->blob = digester_new();
	if (c == SQUASHWRITE_NONE)
		return 0;
	k->z = archive_write_new();
	archive_write_set_format_raw(k->z);
	if (c == SQUASHWRITE_GZIP) {
		archive_write_add_filter_gzip(k->z);
		/* no date in the gzip header: the same input, the same bytes */
		archive_write_set_filter_option(k->z, "gzip", "timestamp", NULL);
	} else {
		archive_write_add_filter_zstd(k->z);
	}
	archive_write_set_bytes_per_block(k->z, 0);
	if (archive_write_open(k->z, k, NULL, squashwrite_sink_cb, NULL) != ARCHIVE_OK)
		return -1;
	e = archive_entry_new();
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_copy_pathname(e, "layer.tar");
	int r = archive_write_header(k->z, e);
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : -1;
}

/* The records in plan order, then the end of the archive. */
static int
squashwrite_layer(struct squashwrite *q, enum squashwrite_compress c, struct squashwrite_sink *k, char **cause)
{
	static const char zeros[1024];
	char *buf = xmalloc(COPY_BLOCK);
	int rc = -1;

	if (squashwrite_sink_open(k, c) < 0)
		goto fail;
	for (size_t i = 0; i < q->plan->nitems; i++) {
		uint64_t off = q->regions[i].off, left = q->regions[i].len;
		while (left > 0) {
			size_t want = left < COPY_BLOCK ? (size_t)left : COPY_BLOCK;
			ssize_t n = pread(q->spool.fd, buf, want, (off_t)off);
			if (n <= 0) {
				*cause = xasprintf("the temporary layer: %s",
				                   n < 0 ? strerror(errno) : "shorter than written");
				goto out;
			}
			if (squashwrite_sink_put(k, buf, (size_t)n) < 0)
				goto fail;
			off += (uint64_t)n;
			left -= (uint64_t)n;
		}
	}
	if (squashwrite_sink_put(k, zeros, sizeof zeros) < 0)
		goto fail;
	if (k->z != NULL && (archive_write_close(k->z) != ARCHIVE_OK || k->failed))
		goto fail;
	rc = 0;
	goto out;
fail:
	*cause = xasprintf("writing the new layer: %s",
	                   k->failed ? strerror(k->failed) :
	                   k->z != NULL && archive_error_string(k->z) != NULL ?
	                   archive_error_string(k->z) : "failed");
out:
	free(buf);
	return rc;
}

static const char *
squashwrite_media_type(const char *comp)
{
	if (comp == NULL)
		return "application/vnd.oci.image.layer.v1.tar";
	if (strcmp(comp, "gzip") == 0)
		return "application/vnd.oci.image.layer.v1.tar+gzip";
	if (strcmp(comp, "zstd") == 0)
		return "application/vnd.oci.image.layer.v1.tar+zstd";
	return NULL;
}

/* A lower layer's stored blob: its digest (computed when the source did
 * not name it), size and media type. */
struct squashwrite_blob {
	char *digest;		/* owned */
	uint64_t size;
	const char *media_type;
};

static int
squashwrite_lower(const struct image *img, size_t k, struct squashwrite_blob *l, char **cause)
{
	const struct layer *ly = &img->layers[k];
	struct stream *s = img->reader.open_raw(img->reader.ctx, ly->blob, &l->size);
	struct digester *d = digester_new();
	uint64_t got = 0;
	const char *comp = NULL;
	int rc = -1;

	for (;;) {
		const void *buf;
		ssize_t n = stream_read(s, &buf);
		if (n < 0) {
			*cause = xasprintf("layer %zu: %s", k, stream_error(s));
			goto out;
		}
		if (n == 0)
			break;
		if (got == 0)
			comp = sniff_compression(buf, (size_t)n);
		digester_update(d, buf, (size_t)n);
		got += (uint64_t)n;
		if (ly->blob_digest != NULL)
			break;	/* the head tells the compression; the copy checks */
	}
	if ((l->media_type = squashwrite_media_type(comp)) == NULL) {
		*cause = xasprintf("layer %zu: compressed with %s, which OCI images do not use", k,
		                   comp);
		goto out;
	}
	if (ly->blob_digest != NULL) {
		l->digest = xstrdup(ly->blob_digest);
	} else {
		l->digest = digester_end(d);
		d = NULL;
		l->size = got;
	}
	rc = 0;
out:
	digester_free(d);
	stream_free(s);
	return rc;
}

/* The config with the new layer: diff_ids, and the history marked. */
static json_t *
squashwrite_config(const struct image *img, size_t from, const char *diff_id, char **cause)
{
	json_t *cfg = json_deep_copy(img->config), *ids = json_array(), *rootfs;
	json_t *hist = json_object_get(cfg, "history");

	for (size_t k = 0; k < from; k++) {
		if (img->layers[k].digest == NULL) {
			*cause = xasprintf("layer %zu: the config names no diff_id for it", k);
			json_decref(ids);
			json_decref(cfg);
			return NULL;
		}
		json_array_append_new(ids, json_string(img->layers[k].digest));
	}
	json_array_append_new(ids, json_string(diff_id));
	rootfs = json_object();
	json_object_set_new(rootfs, "type", json_string("layers"));
	json_object_set_new(rootfs, "diff_ids", ids);
	json_object_set_new(cfg, "rootfs", rootfs);
	if (json_is_array(hist)) {
		for (size_t k = from; k < img->nlayers; k++) {
			const struct history *h = image_history_of(img, k);
			json_t *e = h != NULL ? json_array_get(hist, (size_t)(h - img->history)) : NULL;
			if (json_is_object(e))
				json_object_set_new(e, "empty_layer", json_true());
		}
		json_t *add = json_object();
		json_t *created = json_object_get(cfg, "created");
		if (json_is_string(created))
			json_object_set(add, "created", created);
		json_object_set_new(add, "created_by", json_string("fathom squash"));
		json_object_set_new(add, "comment", from + 1 == img->nlayers ?
		    json_sprintf("layer %zu rewritten by fathom squash", from) :
		    json_sprintf("layers %zu to %zu squashed into one by fathom squash", from,
		                 img->nlayers - 1));
		json_array_append_new(hist, add);
	}
	return cfg;
}

/* Writes a blob from memory; returns its digest (owned) or NULL. */
static char *
squashwrite_blob_text(struct imagewrite *w, const char *text, size_t len, char **cause)
{
	char *d = digest_of("sha256", text, len);
	struct stream *s = stream_memory_new(text, len);
	int rc = imagewrite_blob(w, d, len, s, cause);

	stream_free(s);
	if (rc < 0) {
		free(d);
		return NULL;
	}
	return d;
}

/* What the documents around the layers say. */
struct squashwrite_docs {
	const struct image *img;
	const char *tag;		/* NULL: none */
	const struct squashwrite_blob *layers;	/* the kept ones, then the new one */
	size_t nlayers;
	const char *cfg_digest, *man_digest;
	size_t cfg_size, man_size;
};

static void
squashwrite_fill_json(struct jsonw *j, const void *v)
{
	jsonw_json(j, v);
}

static void
squashwrite_fill_descriptor(struct jsonw *j, const char *media_type, const char *digest,
                            uint64_t size)
{
	jsonw_object(j);
	jsonw_member_cstring(j, "mediaType", media_type);
	jsonw_member_cstring(j, "digest", digest);
	jsonw_member_uint(j, "size", size);
	jsonw_end(j);
}

/* docker-archive's manifest.json. */
static void
squashwrite_fill_docker(struct jsonw *j, const void *ctx)
{
	const struct squashwrite_docs *d = ctx;
	char path[80];

	jsonw_array(j);
	jsonw_object(j);
	snprintf(path, sizeof path, "blobs/sha256/%s", d->cfg_digest + 7);
	jsonw_member_cstring(j, "Config", path);
	if (d->tag != NULL) {
		jsonw_member_array(j, "RepoTags");
		jsonw_cstring(j, d->tag);
		jsonw_end(j);
	} else {
		jsonw_member_null(j, "RepoTags");
	}
	jsonw_member_array(j, "Layers");
	for (size_t k = 0; k < d->nlayers; k++) {
		snprintf(path, sizeof path, "blobs/sha256/%s", d->layers[k].digest + 7);
		jsonw_cstring(j, path);
	}
	jsonw_end(j);
	jsonw_end(j);
	jsonw_end(j);
}

/* The OCI image manifest. */
static void
squashwrite_fill_manifest(struct jsonw *j, const void *ctx)
{
	const struct squashwrite_docs *d = ctx;

	jsonw_object(j);
	jsonw_member_int(j, "schemaVersion", 2);
	jsonw_member_cstring(j, "mediaType", "application/vnd.oci.image.manifest.v1+json");
	jsonw_key(j, "config");
	squashwrite_fill_descriptor(j, "application/vnd.oci.image.config.v1+json", d->cfg_digest,
	                            d->cfg_size);
	jsonw_member_array(j, "layers");
	for (size_t k = 0; k < d->nlayers; k++)
		squashwrite_fill_descriptor(j, d->layers[k].media_type, d->layers[k].digest,
		                            d->layers[k].size);
	jsonw_end(j);
	jsonw_end(j);
}

/* The OCI index: the manifest, its platform, the tag as docker save names
 * it (the tag alone in ref.name). */
static void
squashwrite_fill_index(struct jsonw *j, const void *ctx)
{
	const struct squashwrite_docs *d = ctx;
	const char *colon = d->tag != NULL ? strrchr(d->tag, ':') : NULL;
	const char *slash = d->tag != NULL ? strrchr(d->tag, '/') : NULL;
	int named = colon != NULL && (slash == NULL || colon > slash);

	jsonw_object(j);
	jsonw_member_int(j, "schemaVersion", 2);
	jsonw_member_cstring(j, "mediaType", "application/vnd.oci.image.index.v1+json");
	jsonw_member_array(j, "manifests");
	jsonw_object(j);
	jsonw_member_cstring(j, "mediaType", "application/vnd.oci.image.manifest.v1+json");
	jsonw_member_cstring(j, "digest", d->man_digest);
	jsonw_member_uint(j, "size", d->man_size);
	if (d->img->os != NULL && d->img->arch != NULL) {
		jsonw_member_object(j, "platform");
		jsonw_member_cstring(j, "architecture", d->img->arch);
		jsonw_member_cstring(j, "os", d->img->os);
		if (d->img->variant != NULL)
			jsonw_member_cstring(j, "variant", d->img->variant);
		jsonw_end(j);
	}
	if (d->tag != NULL) {
		jsonw_member_object(j, "annotations");
		jsonw_member_cstring(j, "org.opencontainers.image.ref.name",
		                     named ? colon + 1 : d->tag);
		if (named)
			jsonw_member_cstring(j, "io.containerd.image.name", d->tag);
		jsonw_end(j);
	}
	jsonw_end(j);
	jsonw_end(j);
	jsonw_end(j);
}

static void
squashwrite_fill_layout(struct jsonw *j, const void *ctx)
{
	(void)ctx;
	jsonw_object(j);
	jsonw_member_cstring(j, "imageLayoutVersion", "1.0.0");
	jsonw_end(j);
}

/* A document of the image, at name (NULL: a blob; its digest then goes to
 * *digest and its size to *size). */
static int
squashwrite_doc(struct imagewrite *w, const char *name, void (*fill)(struct jsonw *, const void *),
                const void *ctx, char **digest, size_t *size, char **cause)
{
	size_t len;
	char *text = jsonw_text(fill, ctx, &len);
	int rc = 0;

	if (name != NULL)
		rc = imagewrite_file(w, name, text, len, cause);
	else if ((*digest = squashwrite_blob_text(w, text, len, cause)) == NULL)
		rc = -1;
	if (size != NULL)
		*size = len;
	free(text);
	return rc;
}

/* The config and the manifests, for the format asked. */
static int
squashwrite_docs(struct imagewrite *w, const struct squashwrite_opts *o, struct squashwrite_docs *d,
                 const json_t *cfg, char **cause)
{
	char *cfg_digest = NULL, *man_digest = NULL;
	int rc = -1;

	if (squashwrite_doc(w, NULL, squashwrite_fill_json, cfg, &cfg_digest, &d->cfg_size, cause) < 0)
		goto out;
	d->cfg_digest = cfg_digest;
	if (o->format == IMAGEWRITE_DOCKER_ARCHIVE) {
		rc = squashwrite_doc(w, "manifest.json", squashwrite_fill_docker, d, NULL, NULL, cause);
		goto out;
	}
	if (squashwrite_doc(w, NULL, squashwrite_fill_manifest, d, &man_digest, &d->man_size, cause) < 0)
		goto out;
	d->man_digest = man_digest;
	if (squashwrite_doc(w, "oci-layout", squashwrite_fill_layout, NULL, NULL, NULL, cause) < 0 ||
	    squashwrite_doc(w, "index.json", squashwrite_fill_index, d, NULL, NULL, cause) < 0)
		goto out;
	rc = 0;
out:
	free(cfg_digest);
	free(man_digest);
	return rc;
}

/* The image around the layers: blobs, config, manifests. */
static int
squashwrite_assemble(const struct image *img, const struct squash_plan *plan,
                     const struct squashwrite_opts *o, int layer_fd, struct squashwrite_result *r,
                     const char *blob_digest, char **cause)
{
	size_t from = plan->from;
	struct squashwrite_blob *lower = xcalloc(from + 1, sizeof *lower);
	struct imagewrite *w = NULL;
	json_t *cfg = NULL;
	int rc = -1;

	for (size_t k = 0; k < from; k++)
		if (squashwrite_lower(img, k, &lower[k], cause) < 0)
			goto out;
	if ((cfg = squashwrite_config(img, from, r->diff_id, cause)) == NULL)
		goto out;
	w = o->output != NULL ? imagewrite_new(o->output, o->format, cause) :
	                        imagewrite_new_fd(o->fd, "stdout", o->format, cause);
	if (w == NULL)
		goto out;
	for (size_t k = 0; k < from; k++) {
		uint64_t size;
		struct stream *s = img->reader.open_raw(img->reader.ctx, img->layers[k].blob, &size);
		int c = imagewrite_blob(w, lower[k].digest, lower[k].size, s, cause);
		stream_free(s);
		if (c < 0) {
			char *why = *cause;
			*cause = xasprintf("layer %zu: %s", k, why);
			free(why);
			goto out;
		}
	}
	struct stream *s = stream_region_new(layer_fd, 0, (int64_t)r->layer_blob, COPY_BLOCK);
	int c = imagewrite_blob(w, blob_digest, r->layer_blob, s, cause);
	stream_free(s);
	if (c < 0)
		goto out;
	lower[from] = (struct squashwrite_blob){
		.digest = xstrdup(blob_digest), .size = r->layer_blob,
		.media_type = squashwrite_media_type(o->compress == SQUASHWRITE_GZIP ? "gzip" :
		                                     o->compress == SQUASHWRITE_ZSTD ? "zstd" : NULL),
	};
	struct squashwrite_docs d = { .img = img, .tag = o->tag, .layers = lower, .nlayers = from + 1 };
	if (squashwrite_docs(w, o, &d, cfg, cause) < 0)
		goto out;
	rc = imagewrite_commit(w, cause);
	w = NULL;
out:
	imagewrite_abort(w);
	for (size_t k = 0; k <= from; k++)
		free(lower[k].digest);
	free(lower);
	json_decref(cfg);
	return rc;
}

int
squashwrite_image(const struct image *img, const struct squash_plan *plan,
                  const struct squashwrite_opts *o, struct squashwrite_result *r, char **cause)
{
	struct squashwrite q = { .img = img, .plan = plan, .spool = { .fd = -1 } };
	struct squashwrite_sink k = { .fd = -1 };
	char *blob_digest = NULL;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (img->reader.open == NULL || img->reader.open_raw == NULL) {
		*cause = xasprintf("%s: its layers were streamed and cannot be read again: save "
		                   "it to a file (docker save, podman save) and squash that",
		                   img->name);
		return -1;
	}
	if (img->config == NULL) {
		*cause = xasprintf("%s: the image has no config", img->name);
		return -1;
	}
	q.regions = xcalloc(plan->nitems + 1, sizeof *q.regions);
	if ((q.spool.fd = squashwrite_tmpfile(o->output, cause)) < 0 ||
	    (k.fd = squashwrite_tmpfile(o->output, cause)) < 0)
		goto out;
	q.spool.a = archive_write_new();
	archive_write_set_format_pax_restricted(q.spool.a);
	archive_write_set_bytes_per_block(q.spool.a, 0);
	if (archive_write_open(q.spool.a, &q.spool, NULL, squashwrite_spool_cb, NULL) != ARCHIVE_OK) {
		*cause = xasprintf("the temporary layer: %s", archive_error_string(q.spool.a));
		goto out;
	}
	if (squashwrite_spool(&q, cause) < 0 || squashwrite_layer(&q, o->compress, &k, cause) < 0)
		goto out;
	r->diff_id = digester_end(k.diff);
	k.diff = NULL;
	blob_digest = digester_end(k.blob);
	k.blob = NULL;
	r->layer_bytes = k.bytes;
	r->layer_blob = k.stored;
	rc = squashwrite_assemble(img, plan, o, k.fd, r, blob_digest, cause);
out:
	if (q.spool.a != NULL)
		archive_write_free(q.spool.a);
	if (k.z != NULL)
		archive_write_free(k.z);
	digester_free(k.diff);
	digester_free(k.blob);
	if (q.spool.fd >= 0)
		close(q.spool.fd);
	if (k.fd >= 0)
		close(k.fd);
	free(q.regions);
	free(q.path);
	free(q.link);
	free(blob_digest);
	if (rc < 0)
		squashwrite_result_fini(r);
	return rc;
}

void
squashwrite_result_fini(struct squashwrite_result *r)
{
	free(r->diff_id);
	r->diff_id = NULL;
}
