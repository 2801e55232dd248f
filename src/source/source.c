/* source: the list of source kinds, detection by content, and the generic
 * part of loading: read every layer blob once, then stack the layers. */
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
#include "source/engine.h"
#include "source/platform.h"
#include "source/registry.h"
#include "util/decompress.h"
#include "util/digest.h"
#include "util/gunzip.h"
#include "util/regfile.h"
#include "util/sniff.h"
#include "util/xalloc.h"

static const struct source_ops *const source_list[] = {
	&source_docker_archive,
	&source_oci_archive,
	&source_oci_dir,
	&source_registry,
	NULL,
};

const char *const *
source_kinds(void)
{
	static const char *names[sizeof source_list / sizeof source_list[0]];

	for (size_t i = 0; source_list[i] != NULL; i++)
		names[i] = source_list[i]->name;
	return names;
}

static const struct source_ops *
source_find(const char *name)
{
	for (size_t i = 0; source_list[i] != NULL; i++)
		if (strcmp(source_list[i]->name, name) == 0)
			return source_list[i];
	return NULL;
}

/* The blob named key, added (as fd's region, or path's file) when new. */
static size_t
source_blob_add(struct source *src, const char *key, int fd, const char *path,
                int64_t offset, int64_t size)
{
	struct image *img = src->img;
	size_t b;

	for (b = 0; b < src->nblobs; b++)
		if (strcmp(src->blobs[b].key, key) == 0)
			return b;
	ARRAY_RESERVE(src->blobs, b, src->cblobs);
	src->blobs[b] = (struct source_blob){
		.key = xstrdup(key), .fd = fd, .path = path ? xstrdup(path) : NULL,
		.offset = offset, .size = size,
	};
	src->nblobs++;
	ARRAY_RESERVE(img->blobs, b, img->cblobs);
	memset(&img->blobs[b], 0, sizeof img->blobs[b]);
	img->nblobs = src->nblobs;
	return b;
}

size_t
source_add_layer(struct source *src, const char *key, int fd, int64_t offset,
                 int64_t size)
{
	return image_add_layer(src->img, (uint32_t)source_blob_add(src, key, fd, NULL, offset, size));
}

size_t
source_add_file_layer(struct source *src, const char *key, const char *rel, int64_t size)
{
	return image_add_layer(src->img, (uint32_t)source_blob_add(src, key, -1, rel, 0, size));
}

long
source_add_member_layer(struct source *src, const char *key, const struct tar_member *m,
                        char **cause)
{
	if (!src->streamed)
		return (long)source_add_layer(src, key, src->tar.fd, m->offset, m->size);
	if (m->blob < 0) {
		*cause = xstrdup("the member is not a layer (neither a tar nor compressed)");
		return -1;
	}
	return (long)image_add_layer(src->img, (uint32_t)m->blob);
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

/* The compression of what fd holds at off, or NULL. */
static const char *
source_sniff(int fd, int64_t off, int64_t size)
{
	unsigned char head[SNIFF_BYTES];
	ssize_t n = size > 0 ? pread(fd, head, sizeof head, off) : 0;

	return n > 0 ? sniff_compression(head, (size_t)n) : NULL;
}

/* ----------------------------------------------------------- progress */

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

static int source_verifies(const struct source *src);

/* A layer member of a streamed archive: read now, into the next blob. */
static long
source_stream_blob(void *ctx, const char *name, int64_t size, struct stream *data,
                   const void *head, size_t nhead, char **cause)
{
	struct source *src = ctx;
	struct image *img = src->img;
	size_t b = src->nblobs;
	const char *comp = sniff_compression(head, nhead);
	struct scan_opts o = { 0 };	/* no going back: files are hashed as read */

	o.max_bytes = src->opts->max_layer_bytes > 0 ? src->opts->max_layer_bytes :
	                                               SOURCE_MAX_LAYER_BYTES;

	ARRAY_RESERVE(src->blobs, b, src->cblobs);
	src->blobs[b] = (struct source_blob){ .key = xstrdup(name), .fd = -1 };
	src->nblobs++;
	ARRAY_RESERVE(img->blobs, b, img->cblobs);
	memset(&img->blobs[b], 0, sizeof img->blobs[b]);
	img->nblobs = src->nblobs;
	data = source_counted(src, b, data, "reading", size > 0 ? (uint64_t)size : 0);
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

/* Reads the archive as it streams from in: its metadata kept, its layers
 * read as they pass. */
static int
source_open_stream(struct source *src, struct stream *in, char **cause)
{
	char *why = NULL;
	int r;

	src->streamed = 1;
	src->img = image_new(src->path);
	r = tarindex_stream(&src->tar, in, source_stream_blob, src, &why);
	if (r < 0) {
		*cause = r == -1 ? xasprintf("not an image: %s", why) : xstrdup(why);
		free(why);
		return -1;
	}
	return 0;
}

/* Opens path and, for an archive, indexes it. */
static int
source_open_path(struct source *src, char **cause)
{
	struct stat st;

	src->fd = open(src->path, O_RDONLY | O_CLOEXEC);
	if (src->fd < 0 || fstat(src->fd, &st) < 0) {
		*cause = xstrdup(strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		src->is_dir = 1;
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xstrdup("not an image: neither a regular file nor a directory");
		return -1;
	}
	const char *comp = source_sniff(src->fd, 0, st.st_size);
	if (comp != NULL) {
		*cause = xasprintf("not an image: %s-compressed data; decompress it "
		                   "first (archives are read as plain tar files)", comp);
		return -1;
	}
	char *why = NULL;
	int r = tarindex_read(&src->tar, src->fd, st.st_size, &why);
	if (r < 0) {
		*cause = r == -1 ? xasprintf("not an image: %s", why) : xstrdup(why);
		free(why);
		return -1;
	}
	return 0;
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

/* Whether blobs are checked against their digests: asked, or by default
 * for what comes over a network. */
static int
source_verifies(const struct source *src)
{
	if (src->opts == NULL)
		return 0;	/* read again after loading: checked then */
	if (src->opts->verify != 0)
		return src->opts->verify > 0;
	return src->registry != NULL;
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
	int check = source_verifies(src) && src->registry == NULL;	/* registry: always */

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

/* The file holding blob b: the source's (borrowed), or its own file opened
 * now (the caller closes it when the blob has a path); -1 with *cause. */
static int
source_blob_fd(const struct source *src, size_t b, char **cause)
{
	const struct source_blob *sb = &src->blobs[b];
	struct stat st;

	if (sb->path == NULL)
		return sb->fd;
	char *why = NULL;
	int fd = regfile_open(src->fd, sb->path, REGFILE_NOFOLLOW, &st, &why);
	if (fd >= 0 && st.st_size == sb->size)
		return fd;
	*cause = xasprintf("blob '%s' cannot be opened: %s", sb->path,
	                   fd < 0 ? why : "it changed while fathom read the image");
	free(why);
	if (fd >= 0)
		close(fd);
	return -1;
}

/* A stream over blob b's stored bytes (through map when asked), owning
 * the blob's file when it opened one. */
static struct stream *
source_blob_stream(const struct source *src, size_t b, int map, const char **comp)
{
	const struct source_blob *sb = &src->blobs[b];
	char *why = NULL;
	int fd = source_blob_fd(src, b, &why);

	if (fd < 0)
		return stream_failed_new(why);
	if (comp != NULL)
		*comp = source_sniff(fd, sb->offset, sb->size);
	struct stream *s = map && (comp == NULL || *comp == NULL) ?
	                   stream_map_new(fd, sb->offset, sb->size) :
	                   stream_region_new(fd, sb->offset, sb->size, STREAM_BIG_BLOCK);
	return sb->path != NULL ? stream_own_fd(s, fd) : s;
}

/* Blob b as a stream. Uncompressed blobs are read from their headers
 * alone, skipping file bytes (see ENTRY_UNHASHED), unless verified. */
static struct stream *
source_open_blob(void *ctx, size_t b, struct scan_opts *o)
{
	struct source *src = ctx;
	const struct source_blob *sb = &src->blobs[b];

	if (src->opts != NULL)
		o->max_bytes = src->opts->max_layer_bytes > 0 ? src->opts->max_layer_bytes :
		                                                 SOURCE_MAX_LAYER_BYTES;
	if (src->registry != NULL) {
		/* over the network, checked against its digest; gzip by ISA-L */
		const void *head;
		size_t n;
		struct stream *s = registry_blob(src->registry, sb->key);
		s = source_counted(src, b, s, "downloading", sb->size > 0 ? (uint64_t)sb->size : 0);
		s = stream_peek_new(s, &head, &n);
		const char *comp = sniff_compression(head, n);
		o->skip_data = 0;
		return source_verified(src, b, s, comp,
		                       comp != NULL && strcmp(comp, "gzip") == 0 ? stream_gunzip_new :
		                       comp != NULL && source_verifies(src) ? stream_decompress_new :
		                                                              NULL);
	}
	const char *comp = NULL;
	int verify = source_verifies(src);
	struct stream *s = source_blob_stream(src, b, !verify, &comp);

	o->skip_data = comp == NULL && !verify;
	o->skip_len = sb->size;
	s = source_counted(src, b, s, "reading", (uint64_t)sb->size);
	if (comp == NULL && !verify)
		return s;
	/* gzip by ISA-L; zstd, xz and bzip2 by libarchive's filters (whose
	 * output a diff_id cannot be checked on: they are inflated here too) */
	if (comp != NULL && strcmp(comp, "gzip") != 0 && verify)
		return source_verified(src, b, s, comp, stream_decompress_new);
	return source_verified(src, b, s, comp,
	                       comp != NULL && strcmp(comp, "gzip") == 0 ? stream_gunzip_new : NULL);
}

/* A blob's bytes as stored, for copying it (fathom squash). */
static struct stream *
source_open_raw(void *ctx, size_t b, uint64_t *size)
{
	struct source *src = ctx;
	const struct source_blob *sb = &src->blobs[b];

	*size = sb->size > 0 ? (uint64_t)sb->size : 0;
	if (src->registry != NULL)
		return registry_blob(src->registry, sb->key);
	return source_blob_stream(src, b, 0, NULL);
}

/* len bytes of fd from off to write (0 to go on), through buf (of
 * STREAM_BIG_BLOCK bytes). Returns 0, or -1 with *cause. */
static int
source_pread_to(int fd, int64_t off, uint64_t len, char *buf,
                int (*write)(void *wctx, const void *p, size_t n), void *wctx, char **cause)
{
	while (len > 0) {
		ssize_t n = pread(fd, buf, len < STREAM_BIG_BLOCK ? (size_t)len : STREAM_BIG_BLOCK, off);
		if (n <= 0) {
			*cause = xasprintf("cannot read a file's bytes: %s",
			                   n < 0 ? strerror(errno) : "truncated");
			return -1;
		}
		if (write(wctx, buf, (size_t)n) != 0) {
			*cause = xstrdup("cannot write");
			return -1;
		}
		off += n;
		len -= (uint64_t)n;
	}
	return 0;
}

/* len bytes of an uncompressed blob b from offset (image_reader.read_at). */
static int
source_read_at(void *ctx, size_t b, uint64_t offset, uint64_t len,
               int (*write)(void *wctx, const void *buf, size_t n), void *wctx, char **cause)
{
	struct source *src = ctx;
	const struct source_blob *sb = &src->blobs[b];
	char *why = NULL;

	if (src->registry != NULL || offset > (uint64_t)sb->size || len > (uint64_t)sb->size - offset) {
		*cause = xstrdup("the file's bytes are not where its layer said");
		return -1;
	}
	int fd = source_blob_fd(src, b, &why);
	if (fd < 0) {
		*cause = why;
		return -1;
	}
	char *buf = xmalloc(STREAM_BIG_BLOCK);
	int rc = source_pread_to(fd, sb->offset + (int64_t)offset, len, buf, write, wctx, cause);
	free(buf);
	if (sb->path != NULL)
		close(fd);
	return rc;
}

static int
source_hash_write(void *ctx, const void *buf, size_t n)
{
	return XXH3_64bits_update(ctx, buf, n) == XXH_OK ? 0 : -1;
}

/* Reads every blob once, in parallel when there are cores for it. */
static int
source_read_layers(struct source *src, char **cause)
{
	size_t failed = 0, layer;
	char *why = NULL;

	int jobs = src->opts->jobs;

	/* the threads fill their own entries: none may grow the array */
	if (src->opts->progress != NULL && src->nprogress < src->nblobs) {
		free(src->progress);
		src->progress = xcalloc(src->nblobs, sizeof *src->progress);
		src->nprogress = src->nblobs;
	}

	if (jobs == 0 && src->registry != NULL)
		jobs = 4;	/* downloads wait on the network more than on cores */
	if (blobread_all(src->img, src->nblobs, jobs, source_open_blob, src, &failed, &why) == 0)
		return 0;
	const char *label = source_label(src, failed, &layer);
	*cause = xasprintf("layer %zu (%s): %s", layer, label, why);
	free(why);
	return -1;
}

/* Hashes the skipped files whose path has another file entry in the image:
 * the only ones whose content is ever compared. */
static int
source_hash_shared(struct source *src, char **cause)
{
	struct image *img = src->img;
	unsigned char *files = xcalloc(img->tree.count, 1);
	XXH3_state_t *st = XXH3_createState();
	char *why = NULL;
	char *buf = xmalloc(STREAM_BIG_BLOCK);
	int rc = 0;

	if (st == NULL)
		xalloc_die();
	for (size_t i = 0; i < img->nentries; i++)
		if (img->entries[i].type == ENTRY_FILE && files[img->entries[i].node] < 2)
			files[img->entries[i].node]++;
	for (size_t b = 0; b < src->nblobs && rc == 0; b++) {
		const struct blob *bl = &img->blobs[b];
		const struct source_blob *sb = &src->blobs[b];
		int fd = -1;
		for (size_t i = bl->first; i < bl->first + bl->count && rc == 0; i++) {
			struct entry *e = &img->entries[i];
			if (!(e->flags & ENTRY_UNHASHED) || files[e->node] < 2)
				continue;
			if (fd < 0 && (fd = source_blob_fd(src, b, &why)) < 0) {
				size_t layer;
				const char *label = source_label(src, b, &layer);
				*cause = xasprintf("layer %zu (%s): %s", layer, label, why);
				free(why);
				rc = -1;
				break;
			}
			XXH3_64bits_reset(st);
			if (source_pread_to(fd, sb->offset + (int64_t)e->hash, e->size, buf,
			                    source_hash_write, st, &why) < 0) {
				size_t layer;
				const char *label = source_label(src, b, &layer);
				*cause = xasprintf("layer %zu (%s): %s", layer, label, why);
				free(why);
				rc = -1;
				break;
			}
			e->hash = XXH3_64bits_digest(st);
			e->flags &= (uint8_t)~ENTRY_UNHASHED;
		}
		if (fd >= 0 && sb->path != NULL)
			close(fd);
	}
	free(buf);
	XXH3_freeState(st);
	free(files);
	return rc;
}

static void
source_close(struct source *src)
{
	if (src == NULL)
		return;
	for (size_t i = 0; i < src->nblobs; i++) {
		free(src->blobs[i].key);
		free(src->blobs[i].path);
		if (src->diffs != NULL)
			free(src->diffs[i]);
	}
	free(src->blobs);
	free(src->diffs);
	tarindex_fini(&src->tar);
	if (src->fd >= 0)
		close(src->fd);
	registry_free(src->registry);
	free(src->progress);
	image_free(src->img);
	free(src);
}

/* The image keeps its source to read files' bytes later. */
static void
source_kept_free(void *ctx)
{
	source_close(ctx);
}

/* An unnamed file in $TMPDIR (or /tmp), gone when closed; -1 with *cause. */
static int
source_spool_open(char **cause)
{
	const char *dir = getenv("TMPDIR");

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
		/* a file system without O_TMPFILE: a named one, unlinked now */
		char *tmpl = xasprintf("%s/fathom-spool.XXXXXX", dir);
		fd = mkostemp(tmpl, O_CLOEXEC);
		if (fd >= 0)
			unlink(tmpl);
		free(tmpl);
	}
	if (fd < 0)
		*cause = xasprintf("cannot keep a copy of the image in %s (TMPDIR): %s", dir,
		                   strerror(errno));
	return fd;
}

/* A streamed archive copied into fd as it was read: its blobs become
 * regions of that file, as if the archive had been a file. */
static int
source_spooled(struct source *src, int fd, char **cause)
{
	struct stat st;
	char *why = NULL;

	tarindex_fini(&src->tar);
	if (fstat(fd, &st) < 0 || tarindex_read(&src->tar, fd, st.st_size, &why) < 0) {
		*cause = xasprintf("cannot read back the copy of the image: %s",
		                   why != NULL ? why : strerror(errno));
		free(why);
		return -1;
	}
	for (size_t b = 0; b < src->nblobs; b++) {
		const struct tar_member *m = tarindex_find(&src->tar, src->blobs[b].key);
		if (m == NULL || m->offset < 0) {
			*cause = xasprintf("cannot find %s in the copy of the image",
			                   src->blobs[b].key);
			return -1;
		}
		src->blobs[b].fd = fd;
		src->blobs[b].offset = m->offset;
		src->blobs[b].size = m->size;
	}
	src->fd = fd;
	src->streamed = 0;
	return 0;
}

/* Whether path is a pipe or a character device: a stream, not a file. */
static int
source_is_pipe(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) ||
	                                 S_ISSOCK(st.st_mode));
}

/* Loads from a path (in NULL) or from what streams from in (owned),
 * which spec names. */
static int
source_load_any(const char *spec, struct stream *in, const struct source_opts *opts,
                struct image **out, char **cause)
{
	struct source *src = xcalloc(1, sizeof *src);
	char *kind = NULL, *why = NULL;
	int rc = -1, spool = -1;

	src->opts = opts;
	src->fd = -1;
	src->path = source_split(spec, &kind);
	if (in != NULL && kind != NULL && source_find(kind) == NULL) {
		/* a stream named after where it came from ("docker://x") */
		free(kind);
		kind = NULL;
		src->path = spec;
	}
	if (in == NULL && strcmp(src->path, "-") == 0) {
		in = stream_fd_new(STDIN_FILENO, 0, STREAM_BIG_BLOCK);
		src->path = "stdin";
	}
	if (opts->platform != NULL) {
		struct platform p;
		if (platform_parse(opts->platform, &p, cause) < 0)
			goto out;
	}
	if (kind != NULL && opts->kind != NULL && strcmp(kind, opts->kind) != 0) {
		*cause = xasprintf("%s: --source %s contradicts %s://", src->path,
		                   opts->kind, kind);
		goto out;
	}
	const char *want = kind != NULL ? kind : opts->kind;
	if (want != NULL && (src->ops = source_find(want)) == NULL) {
		*cause = xasprintf("%s: unknown source '%s' (known: docker-archive, "
		                   "oci-archive, oci, docker, podman, registry)", src->path, want);
		goto out;
	}
	if (in == NULL && (want == NULL || strcmp(want, "registry") != 0) &&
	    source_is_pipe(src->path)) {
		/* <(docker save app), a named pipe, /dev/stdin: read as - is */
		int fd = open(src->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			why = xstrdup(strerror(errno));
			goto fail;
		}
		in = stream_fd_new(fd, 1, STREAM_BIG_BLOCK);
	}
	if (want != NULL && in != NULL && strcmp(want, "oci") == 0) {
		why = xstrdup("an OCI layout directory cannot stream: use oci-archive");
		goto fail;
	}
	if (in != NULL && opts->spool) {
		if ((spool = source_spool_open(&why)) < 0)
			goto fail;
		const char *dir = getenv("TMPDIR");
		char *what = xasprintf("a copy of the image in %s (TMPDIR)", dir != NULL && *dir ? dir : "/tmp");
		in = stream_tee_new(in, spool, what);
		free(what);
	}
	if (want != NULL && strcmp(want, "registry") == 0) {
		if (in != NULL || (src->registry = registry_new(src->path, opts, &why)) == NULL)
			goto fail;
		src->path = spec;	/* "registry://...", in messages */
	} else if (in != NULL ? source_open_stream(src, in, &why) < 0 :
	           source_open_path(src, &why) < 0) {
		goto fail;
	}
	if (src->ops != NULL && !src->ops->probe(src)) {
		why = xasprintf("not readable as %s", src->ops->name);
		goto fail;
	}
	for (size_t i = 0; src->ops == NULL && source_list[i] != NULL; i++)
		if (source_list[i]->probe(src))
			src->ops = source_list[i];
	if (src->ops == NULL) {
		why = xstrdup(src->is_dir ?
		    "not an image: a directory without an OCI index.json" :
		    "not an image: a tar archive without manifest.json or index.json");
		goto fail;
	}

	if (src->img == NULL)
		src->img = image_new(src->path);
	src->img->source = src->ops->name;
	if (src->ops->open(src, &why) < 0)
		goto fail;
	if (src->img->nlayers > IMAGE_MAX_LAYERS) {
		why = xasprintf("%zu layers: more than fathom handles (%d)",
		                src->img->nlayers, IMAGE_MAX_LAYERS);
		goto fail;
	}
	if (!src->streamed &&
	    (source_read_layers(src, &why) < 0 || source_hash_shared(src, &why) < 0))
		goto fail;
	if (src->streamed && src->diffs != NULL && source_check_diffs(src, &why) < 0)
		goto fail;
	if (spool >= 0) {
		/* every byte has been copied: read the rest, if any, first */
		const void *rest;
		ssize_t n;
		while ((n = stream_read(in, &rest)) > 0)
			;
		if (n < 0) {
			why = xstrdup(stream_error(in));
			goto fail;
		}
		if (source_spooled(src, spool, &why) < 0)
			goto fail;
		spool = -1;	/* the source's file now */
	}
	stack_build(src->img);
	*out = src->img;
	if (src->streamed) {
		/* nothing to read again: the bytes have gone by */
		src->img = NULL;
		rc = 0;
		goto out;
	}
	/* The image owns the source from now on: its blobs stay readable. */
	tarindex_fini(&src->tar);
	src->img = NULL;
	src->opts = NULL;
	src->path = NULL;
	(*out)->reader = (struct image_reader){
		.open = source_open_blob, .open_raw = source_open_raw, .read_at = source_read_at,
		.free = source_kept_free, .ctx = src,
	};
	src = NULL;
	rc = 0;
	goto out;
fail:
	*cause = xasprintf("%s: %s", src->path, why);
	free(why);
out:
	source_close(src);
	stream_free(in);
	if (spool >= 0)
		close(spool);
	free(kind);
	return rc;
}

/* Whether spec reads as an image reference rather than a file: no such
 * path, and only the characters a reference has. */
static int
source_is_reference(const char *spec)
{
	struct stat st;

	if (*spec == '\0' || strcmp(spec, "-") == 0 || stat(spec, &st) == 0 || errno != ENOENT)
		return 0;
	for (const char *p = spec; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("._-:/@", *p) != NULL))
			return 0;
	return spec[0] != '.' && spec[0] != '/';
}

int
source_load(const char *spec, const struct source_opts *opts,
            struct image **out, char **cause)
{
	char *kind = NULL;
	const char *rest = source_split(spec, &kind);
	int rc;

	const char *k = kind != NULL ? kind : opts->kind;

	if (k != NULL && (strcmp(k, "docker") == 0 || strcmp(k, "podman") == 0)) {
		rc = engine_load(k, rest, opts, out, cause);
		if (rc == 0)
			(*out)->source = strcmp(k, "docker") == 0 ? "docker" : "podman";
	} else if (kind == NULL && opts->kind == NULL && source_is_reference(spec)) {
		/* as dive does; but it may be a mistyped file */
		char *why = NULL;
		rc = engine_load("docker", spec, opts, out, &why);
		if (rc < 0) {
			*cause = xasprintf("%s: no such file; as an image of the Docker engine: %s",
			                   spec, why);
			free(why);
		} else {
			(*out)->source = "docker";
		}
	}
	else
		rc = source_load_any(spec, NULL, opts, out, cause);
	free(kind);
	return rc;
}

int
source_load_stream(const char *name, struct stream *in, const struct source_opts *opts,
                   struct image **out, char **cause)
{
	return source_load_any(name, in, opts, out, cause);
}
