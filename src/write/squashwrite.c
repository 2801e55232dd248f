/* squashwrite: the squashed image written in one pass; see squashwrite.h.
 *
 * The new layer comes first: its tar (squashlayer.c) goes through the
 * diff_id's digest, the compressor (ISA-L's igzip for gzip, libarchive's
 * zstd filter, or none) and the stored blob's digest straight into the
 * image (imagewrite_stream_*), each byte once. Then the layers below,
 * copied as stored; then the config and the documents. */
#include "write/squashwrite.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/digest.h"
#include "util/gzip.h"
#include "util/jsonw.h"
#include "util/relay.h"
#include "util/sniff.h"
#include "util/xalloc.h"
#include "write/squashlayer.h"

/* The new layer's bytes on their way: the diff_id's digest, then, on a
 * thread of their own (a relay), compression, the stored blob's digest
 * and the image. */
struct squashwrite_sink {
	struct imagewrite *w;
	struct digester *diff;		/* owned: of the tar */
	uint64_t bytes;			/* of the tar */
	struct relay *relay;		/* owned: to the thread */
	/* the relay's thread's, until it ends */
	struct digester *blob;		/* owned: of the compressed bytes; NULL
					 * without compression (the diff_id) */
	struct gzip *gz;		/* owned, with gzip */
	struct archive *zstd;		/* owned, with zstd */
	uint64_t stored;
	char *cause;			/* owned: the first failure there */
	atomic_int failed;		/* ... which the caller's thread sees */
};

/* Compressed bytes (or the tar's, uncompressed) into the image. */
static int
squashwrite_store(void *ctx, const void *buf, size_t len)
{
	struct squashwrite_sink *k = ctx;

	if (k->cause != NULL)
		return -1;
	if (k->blob != NULL)
		digester_update(k->blob, buf, len);
	k->stored += len;
	return imagewrite_stream_write(k->w, buf, len, &k->cause);
}

static la_ssize_t
squashwrite_zstd_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
	(void)a;
	squashwrite_store(ctx, buf, len);	/* a failure is said after the call */
	return (la_ssize_t)len;
}

/* The tar's bytes, on the relay's thread: compressed, stored. */
static void
squashwrite_consume(void *ctx, const void *buf, size_t len)
{
	struct squashwrite_sink *k = ctx;
	int r;

	if (atomic_load(&k->failed))
		return;
	if (k->gz != NULL)
		r = gzip_write(k->gz, buf, len);
	else if (k->zstd != NULL)
		r = archive_write_data(k->zstd, buf, len) == (la_ssize_t)len ? 0 : -1;
	else
		r = squashwrite_store(k, buf, len);
	if (r == 0 && k->cause == NULL)
		return;
	if (k->cause == NULL)
		k->cause = xasprintf("compressing the new layer: %s", k->zstd != NULL &&
		                     archive_error_string(k->zstd) != NULL ?
		                     archive_error_string(k->zstd) : "failed");
	atomic_store(&k->failed, 1);
}

/* The tar's bytes, on the caller's thread. */
static int
squashwrite_put(void *ctx, const void *buf, size_t len, char **cause)
{
	struct squashwrite_sink *k = ctx;

	if (atomic_load(&k->failed)) {
		*cause = xstrdup("writing the new layer failed");	/* said at the end */
		return -1;
	}
	digester_update(k->diff, buf, len);
	k->bytes += len;
	relay_write(k->relay, buf, len);
	return 0;
}

/* zstd through libarchive's filter, its output to the image. */
static int
squashwrite_zstd_open(struct squashwrite_sink *k)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	k->zstd = archive_write_new();
	archive_write_set_format_raw(k->zstd);
	archive_write_add_filter_zstd(k->zstd);
	archive_write_set_bytes_per_block(k->zstd, 0);
	if (archive_write_open(k->zstd, k, NULL, squashwrite_zstd_cb, NULL) != ARCHIVE_OK) {
		archive_entry_free(e);
		return -1;
	}
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_copy_pathname(e, "layer.tar");
	r = archive_write_header(k->zstd, e);
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : -1;
}

static int
squashwrite_sink_open(struct squashwrite_sink *k, struct imagewrite *w,
                      enum squashwrite_compress c, char **cause)
{
	k->w = w;
	k->diff = digester_new_threaded();
	if (c != SQUASHWRITE_NONE)
		k->blob = digester_new_threaded();
	if (c == SQUASHWRITE_GZIP)
		k->gz = gzip_new(squashwrite_store, k);
	if (c == SQUASHWRITE_ZSTD && squashwrite_zstd_open(k) < 0) {
		*cause = xasprintf("the new layer: zstd: %s", archive_error_string(k->zstd));
		return -1;
	}
	if (imagewrite_stream_start(w, cause) < 0)
		return -1;
	k->relay = relay_new(squashwrite_consume, k);
	return 0;
}

/* The relay's thread ended: its failure, if any, in *cause. */
static int
squashwrite_sink_join(struct squashwrite_sink *k, char **cause)
{
	relay_end(k->relay);
	k->relay = NULL;
	if (k->cause == NULL)
		return 0;
	free(*cause);
	*cause = k->cause;
	k->cause = NULL;
	return -1;
}

/* Everything stored, the compressor's last bytes too; the digests. */
static int
squashwrite_sink_end(struct squashwrite_sink *k, struct squashwrite_result *r,
                     char **blob_digest, char **cause)
{
	int c = 0;

	if (squashwrite_sink_join(k, cause) < 0)
		return -1;
	if (k->gz != NULL)
		c = gzip_end(k->gz);
	else if (k->zstd != NULL)
		c = archive_write_close(k->zstd) == ARCHIVE_OK ? 0 : -1;
	if (k->cause != NULL || c != 0) {
		*cause = k->cause != NULL ? k->cause :
		         xstrdup("compressing the new layer: failed at its end");
		k->cause = NULL;
		return -1;
	}
	r->diff_id = digester_end(k->diff);
	k->diff = NULL;
	*blob_digest = k->blob != NULL ? digester_end(k->blob) : xstrdup(r->diff_id);
	k->blob = NULL;
	r->layer_bytes = k->bytes;
	r->layer_blob = k->stored;
	return imagewrite_stream_end(k->w, *blob_digest, cause);
}

static void
squashwrite_sink_fini(struct squashwrite_sink *k)
{
	relay_end(k->relay);
	digester_free(k->diff);
	digester_free(k->blob);
	gzip_free(k->gz);
	if (k->zstd != NULL) {
		archive_write_fail(k->zstd);
		archive_write_free(k->zstd);
	}
	free(k->cause);
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
 * not name it; owned), size and media type. */
static int
squashwrite_lower(const struct image *img, size_t k, struct imagewrite_layer *l, char **cause)
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

/* The layers below the squashed ones, copied as stored. */
static int
squashwrite_lowers(const struct image *img, struct imagewrite *w,
                   const struct imagewrite_layer *lower, size_t from, char **cause)
{
	for (size_t k = 0; k < from; k++) {
		uint64_t size;
		struct stream *s = img->reader.open_raw(img->reader.ctx, img->layers[k].blob, &size);
		int c = imagewrite_blob(w, lower[k].digest, lower[k].size, s, cause);
		stream_free(s);
		if (c < 0) {
			char *why = *cause;
			*cause = xasprintf("layer %zu: %s", k, why);
			free(why);
			return -1;
		}
	}
	return 0;
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

static void
squashwrite_fill_config(struct jsonw *j, const void *cfg)
{
	jsonw_json(j, cfg);
}

/* The config and the documents, the layers being written. */
static int
squashwrite_docs(const struct image *img, struct imagewrite *w, const struct squashwrite_opts *o,
                 const struct imagewrite_layer *layers, size_t from, const char *diff_id,
                 char **cause)
{
	json_t *cfg = squashwrite_config(img, from, diff_id, cause);
	size_t len;
	char *text;
	int rc;

	if (cfg == NULL)
		return -1;
	text = jsonw_text(squashwrite_fill_config, cfg, &len);
	struct imagewrite_image im = {
		.config = text, .config_len = len, .layers = layers, .nlayers = from + 1,
		.tag = o->tag, .os = img->os, .arch = img->arch, .variant = img->variant,
	};
	rc = imagewrite_manifest(w, &im, cause);
	free(text);
	json_decref(cfg);
	return rc;
}

/* The new layer, streamed into the image; its descriptor in *l. */
static int
squashwrite_layer(const struct image *img, const struct squash_plan *plan,
                  const struct squashwrite_opts *o, struct imagewrite *w,
                  struct imagewrite_layer *l, struct squashwrite_result *r, char **cause)
{
	struct squashwrite_sink k = { 0 };
	char *digest = NULL;
	int rc = -1;

	if (squashwrite_sink_open(&k, w, o->compress, cause) < 0)
		goto out;
	if (squashlayer_write(img, plan, o->output, squashwrite_put, &k, &r->spooled, cause) < 0) {
		squashwrite_sink_join(&k, cause);	/* the thread's reason, if it failed */
		goto out;
	}
	if (squashwrite_sink_end(&k, r, &digest, cause) < 0)
		goto out;
	*l = (struct imagewrite_layer){
		.digest = digest, .size = r->layer_blob,
		.media_type = squashwrite_media_type(o->compress == SQUASHWRITE_GZIP ? "gzip" :
		                                     o->compress == SQUASHWRITE_ZSTD ? "zstd" : NULL),
	};
	digest = NULL;
	rc = 0;
out:
	free(digest);
	squashwrite_sink_fini(&k);
	return rc;
}

int
squashwrite_image(const struct image *img, const struct squash_plan *plan,
                  const struct squashwrite_opts *o, struct squashwrite_result *r, char **cause)
{
	size_t from = plan->from;
	struct imagewrite_layer *layers = xcalloc(from + 1, sizeof *layers);
	struct imagewrite *w = NULL;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (img->reader.open == NULL || img->reader.open_raw == NULL) {
		*cause = xasprintf("%s: its layers were streamed and cannot be read again: save "
		                   "it to a file (docker save, podman save) and squash that",
		                   img->name);
		goto out;
	}
	if (img->config == NULL) {
		*cause = xasprintf("%s: the image has no config", img->name);
		goto out;
	}
	for (size_t k = 0; k < from; k++)
		if (squashwrite_lower(img, k, &layers[k], cause) < 0)
			goto out;
	w = o->output != NULL ? imagewrite_new(o->output, o->format, cause) :
	                        imagewrite_new_fd(o->fd, "stdout", o->format, cause);
	if (w == NULL ||
	    squashwrite_layer(img, plan, o, w, &layers[from], r, cause) < 0 ||
	    squashwrite_lowers(img, w, layers, from, cause) < 0 ||
	    squashwrite_docs(img, w, o, layers, from, r->diff_id, cause) < 0)
		goto out;
	rc = imagewrite_commit(w, cause);
	w = NULL;
out:
	imagewrite_abort(w);
	for (size_t k = 0; k <= from; k++)
		free((char *)layers[k].digest);
	free(layers);
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
