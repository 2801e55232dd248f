/* source: the lists of transports, formats and kinds, detection, and the
 * generic part of loading: read every layer blob once, then stack the
 * layers. Nothing here knows one transport or format from another: what
 * differs is in their ops (transport.h, format.h). */
#include "source/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "image/stack.h"
#include "source/blobread.h"
#include "source/format.h"
#include "source/layercache.h"
#include "source/platform.h"
#include "source/tarstream.h"
#include "source/transport.h"
#include "util/decompress.h"
#include "util/digest.h"
#include "util/gunzip.h"
#include "util/sniff.h"
#include "util/xalloc.h"

/* Where the bytes are (TRANSPORT_LIST). Without a scheme, the first whose
 * probe takes the path reads it. */
#define SOURCE_TRANSPORT(name) &transport_##name,
static const struct transport_ops *const source_transports[] = {
	TRANSPORT_LIST(SOURCE_TRANSPORT) NULL
};

/* How an image is laid out (FORMAT_LIST); the first that takes a
 * transport's members reads them, unless a kind names one. */
#define SOURCE_FORMAT(name) &format_##name,
static const struct format_ops *const source_formats[] = {
	FORMAT_LIST(SOURCE_FORMAT) NULL
};

/* What --source and "KIND://" name besides the transports' schemes: a
 * format on a transport of some shape, the transport chosen by content. */
static const struct source_kind {
	const char *name;
	const struct format_ops *fmt;
	enum transport_shape shape;
	const char *help;
} source_kinds[] = {
	{ "docker-archive", &format_docker_archive, TRANSPORT_TAR, "a docker save tar" },
	{ "oci-archive", &format_oci, TRANSPORT_TAR, "an OCI image layout in a tar" },
	{ "oci", &format_oci, TRANSPORT_DIR, "an OCI image layout directory" },
};
#define SOURCE_NKINDS (sizeof source_kinds / sizeof source_kinds[0])

static const struct source_kind *
source_kind(const char *name)
{
	for (size_t i = 0; i < SOURCE_NKINDS; i++)
		if (strcmp(source_kinds[i].name, name) == 0)
			return &source_kinds[i];
	return NULL;
}

static const struct transport_ops *
source_scheme(const char *name)
{
	for (size_t i = 0; source_transports[i] != NULL; i++)
		if (source_transports[i]->scheme != NULL &&
		    strcmp(source_transports[i]->scheme, name) == 0)
			return source_transports[i];
	return NULL;
}

/* "docker-archive, oci-archive, oci, docker, podman, registry" */
static char *
source_kind_names(void)
{
	char *s = xstrdup("");

	for (size_t i = 0; i < SOURCE_NKINDS; i++) {
		char *t = xasprintf("%s%s%s", s, *s ? ", " : "", source_kinds[i].name);
		free(s);
		s = t;
	}
	for (size_t i = 0; source_transports[i] != NULL; i++) {
		if (source_transports[i]->scheme == NULL)
			continue;
		char *t = xasprintf("%s, %s", s, source_transports[i]->scheme);
		free(s);
		s = t;
	}
	return s;
}

const char *
source_kinds_help(void)
{
	static char text[2048];
	size_t n = 0;

	if (text[0] != '\0')
		return text;
	for (size_t i = 0; i < SOURCE_NKINDS && n < sizeof text; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "  %-15s %s\n", source_kinds[i].name,
		                      source_kinds[i].help);
	for (size_t i = 0; source_transports[i] != NULL && n < sizeof text; i++)
		if (source_transports[i]->scheme != NULL)
			n += (size_t)snprintf(text + n, sizeof text - n, "  %-15s %s\n",
			                      source_transports[i]->scheme, source_transports[i]->help);
	return text;
}

/* ------------------------------------------------------------- blobs */

size_t
source_blob(struct source *src, const char *key, const char *path, int64_t offset,
            int64_t size)
{
	struct image *img = src->img;
	size_t b;

	for (b = 0; b < src->nblobs; b++)
		if (strcmp(src->blobs[b].key, key) == 0)
			return b;
	ARRAY_RESERVE(src->blobs, b, src->cblobs);
	src->blobs[b] = (struct source_blob){
		.key = xstrdup(key), .path = path ? xstrdup(path) : NULL,
		.offset = offset, .size = size,
	};
	src->nblobs++;
	ARRAY_RESERVE(img->blobs, b, img->cblobs);
	memset(&img->blobs[b], 0, sizeof img->blobs[b]);
	img->nblobs = src->nblobs;
	return b;
}

size_t
source_add_layer(struct source *src, size_t b)
{
	return image_add_layer(src->img, (uint32_t)b);
}

json_t *
source_parse_json(const char *text, const char *what, char **cause)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (j == NULL)
		*cause = xasprintf("%s: invalid JSON at line %d, column %d: %s",
		                   what, err.line, err.column, err.text);
	return j;
}

int
source_has(const struct source *src, const char *name)
{
	return src->tp->has(src, name);
}

char *
source_read(struct source *src, const char *name, size_t max, size_t *len, char **cause)
{
	return src->tp->read(src, name, max, len, cause);
}

/* ---------------------------------------------------------- progress */

struct source_progress {
	const struct source_opts *opts;
	const char *state;
	char what[32];
	uint64_t total;
};

static void
source_tell(void *ctx, uint64_t done)
{
	struct source_progress *p = ctx;

	p->opts->progress(p->opts->progress_ctx, p->what, p->state, done, p->total);
}

/* A blob's key as a short name: 12 digits of its digest, or of its file
 * or folder name when that is hex (docker save), else the name. */
static void
source_short(const char *key, char *out, size_t len)
{
	const char *colon = strrchr(key, ':'), *slash = strrchr(key, '/');
	const char *name = colon != NULL ? colon + 1 : slash != NULL ? slash + 1 : key;
	size_t n = strcspn(name, ".");

	if (slash != NULL && colon == NULL && strcmp(slash, "/layer.tar") == 0) {
		const char *dir = key;
		for (const char *p = key; p < slash; p++)
			if (*p == '/')
				dir = p + 1;
		name = dir;
		n = (size_t)(slash - dir);
	}
	size_t hex = strspn(name, "0123456789abcdef");
	if (hex >= 12 && hex >= n)
		snprintf(out, len, "%.12s", name);
	else
		snprintf(out, len, "%.*s", (int)(n < 24 ? n : 24), name);
}

/* Blob b's stream, telling its progress when asked to. */
static struct stream *
source_counted(struct source *src, size_t b, struct stream *s, const char *state,
               uint64_t total)
{
	if (src->opts == NULL || src->opts->progress == NULL)
		return s;
	if (b >= src->nprogress) {
		size_t n = b + 16;
		src->progress = xreallocarray(src->progress, n, sizeof *src->progress);
		memset(src->progress + src->nprogress, 0, (n - src->nprogress) * sizeof *src->progress);
		src->nprogress = n;
	}
	struct source_progress *p = &src->progress[b];
	p->opts = src->opts;
	p->state = state;
	p->total = total;
	source_short(src->blobs[b].key, p->what, sizeof p->what);
	return stream_count_new(s, source_tell, p);
}

/* ------------------------------------------------------- verification */

int
source_verifies(const struct source *src)
{
	if (src->opts == NULL)
		return 0;	/* read again after loading: checked then */
	if (src->opts->verify != 0)
		return src->opts->verify > 0;
	return src->tp->verify;
}

int
source_check_bytes(const struct source *src, const void *data, size_t len, const char *want,
                   char **cause)
{
	const char *colon = strchr(want, ':');
	char alg[16];

	if (!source_verifies(src) || colon == NULL || !digest_valid(want))
		return 0;
	snprintf(alg, sizeof alg, "%.*s", (int)(colon - want), want);
	char *got = digest_of(alg, data, len);
	if (got != NULL && strcmp(got, want) != 0) {
		*cause = xasprintf("the bytes do not match their digest: they are %s, not %s", got,
		                   want);
		free(got);
		return -1;
	}
	free(got);
	return 0;
}

char *
source_digest_path(const char *digest, char **cause)
{
	const char *colon = digest != NULL ? strchr(digest, ':') : NULL;
	int ok = colon != NULL && colon != digest && colon[1] != '\0';

	for (const char *p = digest; ok && p < colon; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("+._-", *p);
	for (const char *p = colon ? colon + 1 : NULL; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		     (*p >= '0' && *p <= '9') || strchr("=_-", *p);
	if (!ok) {
		*cause = xasprintf("invalid digest '%s'", digest ? digest : "(none)");
		return NULL;
	}
	return xasprintf("blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

char *
source_read_digest(struct source *src, const char *digest, int manifest, size_t max,
                   size_t *len, char **cause)
{
	if (src->tp->read_digest != NULL)
		return src->tp->read_digest(src, digest, manifest, max, len, cause);
	char *rel = source_digest_path(digest, cause), *text;
	if (rel == NULL)
		return NULL;
	text = source_read(src, rel, max, len, cause);
	if (text != NULL && source_check_bytes(src, text, *len, digest, cause) < 0) {
		free(text);
		text = NULL;
	}
	free(rel);
	return text;
}

/* The first layer made of blob b, or NULL. */
static const struct layer *
source_layer_of(const struct source *src, size_t b)
{
	for (size_t i = 0; i < src->img->nlayers; i++)
		if (src->img->layers[i].blob == b)
			return &src->img->layers[i];
	return NULL;
}

/* The stored blob, then its tar, checked against their digests when
 * verifying: a mismatch fails the stream at its end, naming both. */
static struct stream *
source_verified(const struct source *src, size_t b, struct stream *raw, const char *comp,
                struct stream *(*inflate)(struct stream *))
{
	if (src->img == NULL)	/* read again after loading: checked then */
		return inflate != NULL ? inflate(raw) : raw;
	const struct layer *l = source_layer_of(src, b);
	const char *blob = l != NULL ? l->blob_digest : NULL;
	const char *diff = l != NULL ? l->digest : NULL;
	int check = source_verifies(src) && !src->tp->checks;

	if (check && blob != NULL && digest_valid(blob) && (comp != NULL || diff == NULL ||
	                                                    strcmp(blob, diff) != 0))
		raw = stream_digest_new(raw, blob);
	struct stream *s = inflate != NULL ? inflate(raw) : raw;
	if (source_verifies(src) && diff != NULL && digest_valid(diff))
		s = stream_digest_new(s, diff);
	return s;
}

/* A streamed archive's layers against the config's diff_ids, now that the
 * config is known. */
static int
source_check_diffs(struct source *src, char **cause)
{
	for (size_t k = 0; k < src->img->nlayers; k++) {
		const struct layer *l = &src->img->layers[k];
		const char *got = l->blob < src->nblobs ? src->diffs[l->blob] : NULL;
		if (l->digest == NULL || got == NULL || strcmp(got, l->digest) == 0)
			continue;
		*cause = xasprintf("layer %zu (%s): the uncompressed bytes have the digest %s, "
		                   "not the config's diff_id %s", k, src->blobs[l->blob].key, got,
		                   l->digest);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ reading */

struct stream *
source_file_stream(const struct source *src, int fd, size_t b, int map)
{
	const struct source_blob *sb = &src->blobs[b];

	return map ? stream_map_new(fd, sb->offset, sb->size) :
	             stream_region_new(fd, sb->offset, sb->size, STREAM_BIG_BLOCK);
}

int
source_file_read(const struct source *src, int fd, size_t b, uint64_t offset, uint64_t len,
                 int (*write)(void *wctx, const void *buf, size_t n), void *wctx, char **cause)
{
	int64_t off = src->blobs[b].offset + (int64_t)offset;
	/* as much as asked, up to a big block: most files are small */
	size_t block = len < STREAM_BIG_BLOCK ? (size_t)len : STREAM_BIG_BLOCK;
	char *buf = xmalloc(block > 0 ? block : 1);
	int rc = 0;

	while (len > 0 && rc == 0) {
		ssize_t n = pread(fd, buf, len < block ? (size_t)len : block, off);
		if (n <= 0) {
			*cause = xasprintf("cannot read a file's bytes: %s",
			                   n < 0 ? strerror(errno) : "truncated");
			rc = -1;
		} else if (write(wctx, buf, (size_t)n) != 0) {
			*cause = xstrdup("cannot write");
			rc = -1;
		}
		off += n;
		len -= n > 0 ? (uint64_t)n : 0;
	}
	free(buf);
	return rc;
}

static uint64_t
source_max_bytes(const struct source *src)
{
	return src->opts->max_layer_bytes > 0 ? src->opts->max_layer_bytes :
	                                        SOURCE_MAX_LAYER_BYTES;
}

long
source_scan_member(struct source *src, const char *name, int64_t size, struct stream *data,
                   const void *head, size_t nhead, char **cause)
{
	struct image *img = src->img;
	size_t b = src->nblobs;
	const char *comp = sniff_compression(head, nhead);
	struct scan_opts o = { .max_bytes = source_max_bytes(src) };	/* hashed as read */

	source_blob(src, name, NULL, -1, size);
	data = source_counted(src, b, data, src->tp->reading, size > 0 ? (uint64_t)size : 0);
	/* checked against the names of Docker 25's blobs/sha256/HEX now, and
	 * against the config's diff_ids once it is known (source_check_diffs) */
	int verify = source_verifies(src);
	if (verify && strncmp(name, "blobs/sha256/", 13) == 0) {
		char *want = xasprintf("sha256:%s", name + 13);
		if (digest_valid(want))
			data = stream_digest_new(data, want);
		free(want);
	}
	if (comp != NULL && strcmp(comp, "gzip") == 0)
		data = stream_gunzip_new(data);
	else if (comp != NULL && verify)
		data = stream_decompress_new(data);
	if (verify) {
		src->diffs = xrealloc(src->diffs, (b + 1) * sizeof *src->diffs);
		src->diffs[b] = NULL;
		data = stream_digest_record_new(data, &src->diffs[b]);
	}
	int rc = layer_read(img, data, &o, &img->blobs[b], cause);
	stream_free(data);
	return rc < 0 ? -1 : (long)b;
}

/* The diff_id that names blob b in the cache, or NULL. */
static const char *
source_cache_key(const struct source *src, size_t b)
{
	const struct layer *l = source_layer_of(src, b);

	return l != NULL && l->digest != NULL && digest_valid(l->digest) ? l->digest : NULL;
}

/* Blob b as a stream to scan. Uncompressed blobs whose bytes the
 * transport can give again are read from their headers alone, skipping
 * file bytes (see ENTRY_UNHASHED), unless verified. */
static struct stream *
source_open_blob(void *ctx, size_t b, struct scan_opts *o)
{
	struct source *src = ctx;
	const struct source_blob *sb = &src->blobs[b];
	int verify = source_verifies(src);
	int skip = !verify && src->tp->read_at != NULL;
	const void *head;
	size_t n;

	if (src->opts != NULL)
		o->max_bytes = source_max_bytes(src);
	struct stream *s = src->tp->open_blob(src, b, skip);
	s = source_counted(src, b, s, src->tp->reading, sb->size > 0 ? (uint64_t)sb->size : 0);
	s = stream_peek_new(s, &head, &n);
	const char *comp = sniff_compression(head, n);
	o->skip_data = comp == NULL && skip;
	o->skip_len = sb->size;
	/* a compressed blob is worth caching: its tar's digest is recorded as
	 * it is read, and it goes into the cache only when that is its
	 * diff_id (a plain one, read from its headers, is cheap to read again) */
	int record = src->img != NULL && !verify && comp != NULL && src->checked != NULL &&
	             source_cache_key(src, b) != NULL;	/* while loading only */
	if (comp == NULL && !verify)
		return s;
	if (src->img != NULL && src->checked != NULL)
		src->checked[b] = verify ? 1 : record ? 2 : 0;
	/* gzip by ISA-L; zstd, xz and bzip2 by libarchive's filters (whose
	 * output a diff_id cannot be checked on: they are inflated here too) */
	if (comp != NULL && strcmp(comp, "gzip") == 0)
		s = source_verified(src, b, s, comp, stream_gunzip_new);
	else
		s = source_verified(src, b, s, comp, comp != NULL && (verify || record) ?
		                                     stream_decompress_new : NULL);
	return record ? stream_digest_record_new(s, &src->recorded[b]) : s;
}

/* A blob's bytes as stored, for copying it (fathom squash). */
static struct stream *
source_open_raw(void *ctx, size_t b, uint64_t *size)
{
	struct source *src = ctx;

	*size = src->blobs[b].size > 0 ? (uint64_t)src->blobs[b].size : 0;
	return src->tp->open_blob(src, b, 0);
}

/* len bytes of an uncompressed blob b from offset (image_reader.read_at). */
static int
source_read_at(void *ctx, size_t b, uint64_t offset, uint64_t len,
               int (*write)(void *wctx, const void *buf, size_t n), void *wctx, char **cause)
{
	struct source *src = ctx;
	const struct source_blob *sb = &src->blobs[b];

	if (offset > (uint64_t)sb->size || len > (uint64_t)sb->size - offset) {
		*cause = xstrdup("the file's bytes are not where its layer said");
		return -1;
	}
	return src->tp->read_at(src, b, offset, len, write, wctx, cause);
}

static const char *
source_label(const struct source *src, size_t blob, size_t *layer)
{
	const struct image *img = src->img;

	for (size_t i = 0; i < img->nlayers; i++) {
		if (img->layers[i].blob == blob) {
			*layer = i;
			if (img->layers[i].blob_digest != NULL)
				return img->layers[i].blob_digest;
			return src->blobs[blob].key;
		}
	}
	*layer = 0;
	return src->blobs[blob].key;
}

/* ---------------------------------------------------------- the cache */

/* A warning from a reading thread, for the image once loaded. */
static void
source_warn(struct source *src, char *msg)
{
	if (msg == NULL)
		return;
	pthread_mutex_lock(&src->mu);
	ARRAY_RESERVE(src->warnings, src->nwarnings, src->cwarnings);
	src->warnings[src->nwarnings++] = msg;
	pthread_mutex_unlock(&src->mu);
}

/* Whether blob b's stored bytes are an uncompressed tar this transport can
 * read again at any offset: where a cached entry's skipped files are. */
static int
source_blob_plain(struct source *src, size_t b)
{
	const void *head;
	size_t n;

	if (src->tp->read_at == NULL || src->tp->verify)
		return 0;
	struct stream *s = stream_peek_new(src->tp->open_blob(src, b, 0), &head, &n);
	int plain = n > 0 && sniff_compression(head, n) == NULL;
	stream_free(s);
	return plain;
}

/* blobread's `known`: blob b from the layer cache. */
static int
source_known(void *ctx, size_t b, layer_emit_fn emit, void *ectx, struct blob *out,
             char **cause)
{
	struct source *src = ctx;
	const char *key = source_cache_key(src, b);
	char *warning = NULL;

	(void)cause;
	/* --verify asks for the stored bytes to be checked: read them all */
	if (src->cache == NULL || key == NULL || src->opts->verify > 0)
		return 0;
	unsigned accept = source_verifies(src) ? 0 : LAYERCACHE_UNVERIFIED;
	if (layercache_unhashed(src->cache, key) && source_blob_plain(src, b))
		accept |= LAYERCACHE_UNHASHED;
	/* for the sizes alone (history), no entry is decoded */
	int rc = layercache_load(src->cache, key, accept, source_max_bytes(src),
	                         src->opts->sizes ? NULL : emit, ectx, out, &warning);
	source_warn(src, warning);
	/* told as a blob read whole at once: its stored bytes, not read */
	if (rc > 0 && src->opts->progress != NULL) {
		uint64_t size = src->blobs[b].size > 0 ? (uint64_t)src->blobs[b].size : 0;
		char what[32];
		source_short(src->blobs[b].key, what, sizeof what);
		src->opts->progress(src->opts->progress_ctx, what, "cached", size, size);
	}
	return rc;
}

/* blobread's `seen`: a chunk scanned from blob b, kept for the cache. */
static void
source_seen(void *ctx, size_t b, const struct scan_chunk *c)
{
	struct source *src = ctx;
	const char *key = source_cache_key(src, b);

	if (src->cache == NULL || key == NULL || src->checked[b] == 0)
		return;
	if (src->writers[b] == NULL) {
		const struct layer *l = source_layer_of(src, b);
		src->writers[b] = layercache_writer_new(src->cache, key, l->blob_digest,
		                                        source_verifies(src));
	}
	layercache_writer_chunk(src->writers[b], c);
}

/* blobread's `done`: blob b's scan ended; its entry put in place. */
static void
source_done(void *ctx, size_t b, int rc, const struct blob *totals)
{
	struct source *src = ctx;
	char *warning = NULL;

	if (src->writers == NULL || src->writers[b] == NULL)
		return;
	/* the bytes read were the tar the key names: checked, or recorded */
	int ok = rc == 0 && (src->checked[b] == 1 ||
	                     (src->recorded[b] != NULL &&
	                      strcmp(src->recorded[b], source_cache_key(src, b)) == 0));
	layercache_writer_end(src->writers[b], ok, totals, &warning);
	src->writers[b] = NULL;
	source_warn(src, warning);
}

/* Reads every blob once, in parallel when there are cores for it. */
static int
source_read_layers(struct source *src, char **cause)
{
	static const struct blobread_ops ops = {
		.open = source_open_blob, .known = source_known, .seen = source_seen,
		.done = source_done,
	};
	size_t failed = 0, layer;
	char *why = NULL;
	int jobs = src->opts->jobs;

	if (src->opts->cache >= 0) {
		char *warning = NULL;
		src->cache_borrowed = src->opts->layercache != NULL;
		src->cache = src->cache_borrowed ? src->opts->layercache :
		             layercache_open(NULL, src->opts->cache_size, &warning);
		if (warning != NULL)
			image_warn(src->img, warning);
		src->writers = xcalloc(src->nblobs ? src->nblobs : 1, sizeof *src->writers);
		src->recorded = xcalloc(src->nblobs ? src->nblobs : 1, sizeof *src->recorded);
		src->checked = xcalloc(src->nblobs ? src->nblobs : 1, 1);
	}

	/* the threads fill their own entries: none may grow the array */
	if (src->opts->progress != NULL && src->nprogress < src->nblobs) {
		free(src->progress);
		src->progress = xcalloc(src->nblobs, sizeof *src->progress);
		src->nprogress = src->nblobs;
	}
	if (jobs == 0 && src->tp->verify)
		jobs = 4;	/* downloads wait on the network more than on cores */
	int rc = blobread_all(src->img, src->nblobs, jobs, &ops, src,
	                      src->opts->sizes ? BLOBREAD_TOTALS : 0, &failed, &why);
	for (size_t i = 0; i < src->nwarnings; i++)
		image_warn(src->img, src->warnings[i]);
	src->nwarnings = 0;
	if (rc == 0)
		return 0;
	const char *label = source_label(src, failed, &layer);
	*cause = xasprintf("layer %zu (%s): %s", layer, label, why);
	free(why);
	return -1;
}

static int
source_hash_write(void *ctx, const void *buf, size_t n)
{
	return XXH3_64bits_update(ctx, buf, n) == XXH_OK ? 0 : -1;
}

/* Hashes one skipped file entry of blob b. */
static int
source_hash_entry(struct source *src, size_t b, struct entry *e, XXH3_state_t *st,
                  char **cause)
{
	char *why = NULL;
	size_t layer;

	XXH3_64bits_reset(st);
	if (source_read_at(src, b, e->hash, e->size, source_hash_write, st, &why) < 0) {
		const char *label = source_label(src, b, &layer);
		*cause = xasprintf("layer %zu (%s): %s", layer, label, why);
		free(why);
		return -1;
	}
	e->hash = XXH3_64bits_digest(st);
	e->flags &= (uint8_t)~ENTRY_UNHASHED;
	return 0;
}

/* Hashes the skipped files whose path has another file entry in the image:
 * the only ones whose content is ever compared. */
static int
source_hash_shared(struct source *src, char **cause)
{
	struct image *img = src->img;
	unsigned char *files = xcalloc(img->tree.count, 1);
	XXH3_state_t *st = XXH3_createState();
	int rc = 0;

	if (st == NULL)
		xalloc_die();
	for (size_t i = 0; i < img->nentries; i++)
		if (img->entries[i].type == ENTRY_FILE && files[img->entries[i].node] < 2)
			files[img->entries[i].node]++;
	for (size_t b = 0; b < src->nblobs && rc == 0; b++) {
		const struct blob *bl = &img->blobs[b];
		for (size_t i = bl->first; i < bl->first + bl->count && rc == 0; i++) {
			struct entry *e = &img->entries[i];
			if ((e->flags & ENTRY_UNHASHED) && files[e->node] >= 2)
				rc = source_hash_entry(src, b, e, st, cause);
		}
	}
	XXH3_freeState(st);
	free(files);
	return rc;
}

/* ------------------------------------------------------------ loading */

static void
source_close(struct source *src)
{
	if (src == NULL)
		return;
	if (src->tp != NULL && src->tp->close != NULL)
		src->tp->close(src);
	for (size_t i = 0; i < src->nblobs; i++) {
		free(src->blobs[i].key);
		free(src->blobs[i].path);
		if (src->diffs != NULL)
			free(src->diffs[i]);
	}
	free(src->blobs);
	free(src->diffs);
	free(src->progress);
	for (size_t i = 0; i < src->nwarnings; i++)
		free(src->warnings[i]);
	free(src->warnings);
	free(src->writers);
	for (size_t i = 0; src->recorded != NULL && i < src->nblobs; i++)
		free(src->recorded[i]);
	free(src->recorded);
	free(src->checked);
	if (!src->cache_borrowed)
		layercache_close(src->cache);
	pthread_mutex_destroy(&src->mu);
	image_free(src->img);
	free(src);
}

/* The image keeps its source to read files' bytes later. */
static void
source_kept_free(void *ctx)
{
	source_close(ctx);
}

/* Splits "kind://path"; returns the path and sets *kind (owned) or NULL. */
static const char *
source_split(const char *spec, char **kind)
{
	const char *sep = strstr(spec, "://");

	*kind = NULL;
	if (sep == NULL || sep == spec)
		return spec;
	for (const char *p = spec; p < sep; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '-' || (*p >= '0' && *p <= '9')))
			return spec;
	*kind = xstrndup(spec, (size_t)(sep - spec));
	return sep + 3;
}

/* The transport that takes a path no scheme named, by what it is; NULL
 * with *cause. */
static const struct transport_ops *
source_detect(const char *path, char **cause)
{
	struct stat st;
	unsigned char head[SNIFF_BYTES];
	ssize_t n = 0;
	int have = stat(path, &st) == 0, err = errno;

	if (have && S_ISREG(st.st_mode)) {
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd >= 0) {
			n = pread(fd, head, sizeof head, 0);
			close(fd);
		}
	}
	for (size_t i = 0; source_transports[i] != NULL; i++)
		if (source_transports[i]->probe != NULL &&
		    source_transports[i]->probe(path, have ? &st : NULL, head, n > 0 ? (size_t)n : 0))
			return source_transports[i];
	*cause = have ? xstrdup("not an image: neither a regular file nor a directory") :
	                xstrdup(strerror(err));
	return NULL;
}

/* Picks the transport and the format the spec and --source ask for. */
static int
source_pick(struct source *src, const char *spec, const struct source_kind **kind,
            char **cause)
{
	char *scheme = NULL;
	const char *opt = src->opts->kind;

	src->spec = source_split(spec, &scheme);
	if (scheme != NULL && source_kind(scheme) == NULL && source_scheme(scheme) == NULL) {
		/* not a kind: a path with "://" in it */
		free(scheme);
		scheme = NULL;
		src->spec = spec;
	}
	int rc = -1;
	if (scheme != NULL && opt != NULL && strcmp(scheme, opt) != 0) {
		*cause = xasprintf("%s: --source %s contradicts %s://", src->spec, opt, scheme);
		goto out;
	}
	const char *want = scheme != NULL ? scheme : opt;
	*kind = want != NULL ? source_kind(want) : NULL;
	src->tp = want != NULL ? source_scheme(want) : NULL;
	if (want != NULL && *kind == NULL && src->tp == NULL) {
		char *known = source_kind_names();
		*cause = xasprintf("%s: unknown source '%s' (known: %s)", src->spec, want, known);
		free(known);
		goto out;
	}
	src->named = src->tp != NULL;
	/* a transport's scheme is part of the name ("docker://app") */
	src->name = src->named ? spec : src->spec;
	rc = 0;
out:
	free(scheme);
	return rc;
}

/* The format of the transport's members: the kind's, or the first that
 * takes them. */
static int
source_format(struct source *src, const struct source_kind *kind, char **cause)
{
	if (kind != NULL) {
		if (!kind->fmt->probe(src)) {
			*cause = xasprintf("not readable as %s", kind->name);
			return -1;
		}
		src->fmt = kind->fmt;
		src->kind = kind->name;
		return 0;
	}
	for (size_t i = 0; source_formats[i] != NULL; i++)
		if (source_formats[i]->probe(src)) {
			src->fmt = source_formats[i];
			break;
		}
	for (size_t i = 0; i < SOURCE_NKINDS && src->fmt != NULL; i++)
		if (source_kinds[i].fmt == src->fmt && source_kinds[i].shape == src->tp->shape)
			src->kind = source_kinds[i].name;
	if (src->tp->scheme != NULL)
		src->kind = src->tp->scheme;
	if (src->fmt != NULL)
		return 0;
	*cause = xstrdup(src->tp->shape == TRANSPORT_DIR ?
	                 "not an image: a directory without an OCI index.json" :
	                 "not an image: a tar archive without manifest.json or index.json");
	return -1;
}

/* Reads the layers (unless they streamed by), stacks them, and gives the
 * image a reader when the transport can read its bytes again. */
static int
source_finish(struct source *src, struct image **out, char **cause)
{
	if (src->img->nlayers > IMAGE_MAX_LAYERS) {
		*cause = xasprintf("%zu layers: more than fathom handles (%d)", src->img->nlayers,
		                   IMAGE_MAX_LAYERS);
		return -1;
	}
	if (!src->scanned && !src->opts->metadata &&
	    (source_read_layers(src, cause) < 0 ||
	     (!src->opts->sizes && source_hash_shared(src, cause) < 0)))
		return -1;
	if (src->scanned && src->diffs != NULL && source_check_diffs(src, cause) < 0)
		return -1;
	stack_build(src->img);
	src->img->source = src->kind;
	*out = src->img;
	src->img = NULL;
	if (src->tp->open_blob == NULL || src->once)
		return 0;	/* nothing to read again: the bytes have gone by */
	/* The image owns the source from now on: its blobs stay readable. */
	src->opts = NULL;
	(*out)->reader = (struct image_reader){
		.open = source_open_blob, .open_raw = source_open_raw,
		.read_at = src->tp->read_at != NULL ? source_read_at : NULL,
		.free = source_kept_free, .ctx = src,
	};
	return 1;
}

/* Loads spec, or what streams from in (owned) under the name spec. */
static int
source_load_any(const char *spec, struct stream *in, const struct source_opts *opts,
                struct image **out, char **cause)
{
	struct source *src = xcalloc(1, sizeof *src);
	const struct source_kind *kind = NULL;
	char *why = NULL;
	int rc;

	pthread_mutex_init(&src->mu, NULL);
	src->opts = opts;
	if (source_pick(src, spec, &kind, cause) < 0) {
		source_close(src);
		stream_free(in);
		return -1;
	}
	struct platform p;
	if (opts->platform != NULL && platform_parse(opts->platform, &p, cause) < 0) {
		source_close(src);
		stream_free(in);
		return -1;
	}
	if (in != NULL)
		src->tp = &transport_stdin;
	else if (src->tp == NULL && (src->tp = source_detect(src->spec, &why)) == NULL)
		goto fail;
	if (kind != NULL && kind->shape != src->tp->shape) {
		why = kind->shape == TRANSPORT_DIR && src->tp->streams ?
		      xstrdup("an OCI layout directory cannot stream: use oci-archive") :
		      xasprintf("not readable as %s", kind->name);
		goto fail;
	}
	src->img = image_new(src->name);
	if ((in != NULL ? tarstream_open(src, in, &why) : src->tp->open(src, &why)) < 0) {
		in = NULL;
		goto fail;
	}
	in = NULL;
	if (source_format(src, kind, &why) < 0 || src->fmt->open(src, &why) < 0 ||
	    (rc = source_finish(src, out, &why)) < 0)
		goto fail;
	if (rc == 0)
		source_close(src);
	return 0;
fail:
	*cause = xasprintf("%s: %s", src->name, why);
	free(why);
	source_close(src);
	stream_free(in);
	return -1;
}

int
source_load(const char *spec, const struct source_opts *opts, struct image **out,
            char **cause)
{
	return source_load_any(spec, NULL, opts, out, cause);
}

int
source_load_stream(const char *name, struct stream *in, const struct source_opts *opts,
                   struct image **out, char **cause)
{
	return source_load_any(name, in, opts, out, cause);
}
