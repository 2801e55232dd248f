/* imagewrite: images written as tar archives or directories, made
 * complete under a temporary name; see imagewrite.h.
 *
 * The archive's own headers are plain ustar ones written here (every
 * member is root's, dated 0, named in under 100 bytes, sizes past 8 GiB in
 * base-256 as GNU tar and Go write them): a blob streamed in (a layer
 * made as it is written) gets its header only once its size and digest
 * are known, patched in place over a placeholder, which libarchive's
 * writer cannot do. What goes into the layers is libarchive's. */
#include "write/imagewrite.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/fdwrite.h"
#include "util/jsonw.h"
#include "util/tempfile.h"
#include "util/xalloc.h"

#define TAR_BLOCK 512
#define IMAGEWRITE_BUF (1u << 20)	/* bytes gathered before a write(2) */
#define IMAGEWRITE_DIRECT (64u << 10)	/* written as they are from this size */
#define IMAGEWRITE_STREAM_TMP "blobs/sha256/.fathom-stream"

struct imagewrite {
	char *path;		/* owned: the target, or the name in messages */
	char *tmp;		/* owned: the temporary file or directory */
	int dir;		/* an OCI layout directory */
	int fd;			/* the archive file, or the directory */
	int borrowed;		/* fd is the caller's: neither closed nor renamed */
	enum imagewrite_format format;
	uint64_t pos;		/* archive: bytes written to it so far */
	char *buf;		/* owned: bytes not written yet (IMAGEWRITE_BUF) */
	size_t nbuf;
	int started;		/* archive: blobs/ and blobs/sha256/ written */
	char **digests;		/* owned: blobs written */
	size_t ndigests, cdigests;
	/* the blob being streamed */
	int sfd;		/* where its bytes go (-1: none): fd, a file
				 * in the directory, or a spool (stdout) */
	uint64_t shead;		/* archive file: its header's offset */
	uint64_t slen;		/* its bytes so far */
};

static char *
imagewrite_errno(const char *path, const char *what)
{
	return xasprintf("%s: %s: %s", path, what, strerror(errno));
}

static int
imagewrite_flush(struct imagewrite *w, int fd, char **cause)
{
	if (w->nbuf > 0 && fdwrite_all(fd, w->buf, w->nbuf) < 0) {
		*cause = imagewrite_errno(w->path, "cannot write");
		return -1;
	}
	w->nbuf = 0;
	return 0;
}

/* Bytes to fd through the buffer: small pieces gathered, large ones
 * written as they are. */
static int
imagewrite_put(struct imagewrite *w, int fd, const void *data, size_t len, char **cause)
{
	if ((w->nbuf + len > IMAGEWRITE_BUF || len >= IMAGEWRITE_DIRECT) &&
	    imagewrite_flush(w, fd, cause) < 0)
		return -1;
	if (len >= IMAGEWRITE_DIRECT) {
		if (fdwrite_all(fd, data, len) < 0) {
			*cause = imagewrite_errno(w->path, "cannot write");
			return -1;
		}
		return 0;
	}
	memcpy(w->buf + w->nbuf, data, len);
	w->nbuf += len;
	return 0;
}

/* Bytes of the archive. */
static int
imagewrite_out(struct imagewrite *w, const void *data, size_t len, char **cause)
{
	if (imagewrite_put(w, w->fd, data, len, cause) < 0)
		return -1;
	w->pos += len;
	return 0;
}

/* Zeros up to the next block of the archive. */
static int
imagewrite_pad(struct imagewrite *w, char **cause)
{
	static const char zeros[TAR_BLOCK];
	size_t n = (TAR_BLOCK - w->pos % TAR_BLOCK) % TAR_BLOCK;

	return imagewrite_out(w, zeros, n, cause);
}

/* An octal field of width bytes (its last a NUL); a size that does not fit
 * in base-256. */
static void
imagewrite_number(char *field, size_t width, uint64_t v)
{
	if (v >> (3 * (width - 1)) == 0) {
		snprintf(field, width, "%0*llo", (int)width - 1, (unsigned long long)v);
		return;
	}
	memset(field, 0, width);
	field[0] = (char)0x80;
	for (size_t i = width; i-- > 1 && v > 0; v >>= 8)
		field[i] = (char)(v & 0xff);
}

/* A ustar header: a directory or a file of size bytes, root's, dated 0. */
static void
imagewrite_tar_header(char hdr[TAR_BLOCK], const char *name, int isdir, uint64_t size)
{
	unsigned sum = 0;

	memset(hdr, 0, TAR_BLOCK);
	memcpy(hdr, name, strlen(name));	/* under 100 bytes: checked */
	imagewrite_number(hdr + 100, 8, isdir ? 0755 : 0644);
	imagewrite_number(hdr + 108, 8, 0);
	imagewrite_number(hdr + 116, 8, 0);
	imagewrite_number(hdr + 124, 12, isdir ? 0 : size);
	imagewrite_number(hdr + 136, 12, 0);
	memset(hdr + 148, ' ', 8);
	hdr[156] = isdir ? '5' : '0';
	memcpy(hdr + 257, "ustar\0" "00", 8);
	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += (unsigned char)hdr[i];
	snprintf(hdr + 148, 8, "%06o", sum);
}

static int
imagewrite_header(struct imagewrite *w, const char *name, int isdir, uint64_t size,
                  char **cause)
{
	char hdr[TAR_BLOCK];

	if (strlen(name) >= 100) {
		*cause = xasprintf("%s: a name too long for the archive: %s", w->path, name);
		return -1;
	}
	imagewrite_tar_header(hdr, name, isdir, size);
	return imagewrite_out(w, hdr, sizeof hdr, cause);
}

/* The archive's blobs/ and blobs/sha256/, before its first blob. */
static int
imagewrite_dirs(struct imagewrite *w, char **cause)
{
	if (w->dir || w->started)
		return 0;
	w->started = 1;
	return imagewrite_header(w, "blobs/", 1, 0, cause) < 0 ||
	       imagewrite_header(w, "blobs/sha256/", 1, 0, cause) < 0 ? -1 : 0;
}

static struct imagewrite *
imagewrite_alloc(const char *path, int fd, enum imagewrite_format format)
{
	struct imagewrite *w = xcalloc(1, sizeof *w);

	w->path = xstrdup(path);
	w->fd = fd;
	w->sfd = -1;
	w->format = format;
	w->dir = format == IMAGEWRITE_OCI_DIR;
	w->buf = xmalloc(IMAGEWRITE_BUF);
	return w;
}

/* The temporary directory of an OCI layout, with blobs/sha256/. */
static int
imagewrite_mkdir(struct imagewrite *w, char **cause)
{
	if (mkdtemp(w->tmp) == NULL || (w->fd = open(w->tmp, O_RDONLY | O_DIRECTORY)) < 0) {
		*cause = imagewrite_errno(w->path, "cannot make a directory beside it");
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(w->fd, 0777 & ~mask);
	if (mkdirat(w->fd, "blobs", 0755) < 0 || mkdirat(w->fd, "blobs/sha256", 0755) < 0) {
		*cause = imagewrite_errno(w->path, "cannot write");
		return -1;
	}
	return 0;
}

struct imagewrite *
imagewrite_new(const char *path, enum imagewrite_format format, char **cause)
{
	struct imagewrite *w = imagewrite_alloc(path, -1, format);
	char *copy = xstrdup(path), *dir = dirname(copy);
	char *copy2 = xstrdup(path), *base = basename(copy2);

	w->tmp = xasprintf("%s/.%s.fathom-XXXXXX", dir, base);
	free(copy);
	free(copy2);
	if (w->dir) {
		if (imagewrite_mkdir(w, cause) < 0)
			goto fail;
		return w;
	}
	if ((w->fd = mkstemp(w->tmp)) < 0) {
		*cause = imagewrite_errno(path, "cannot write beside it");
		goto fail;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(w->fd, 0666 & ~mask);
	return w;
fail:
	imagewrite_abort(w);
	return NULL;
}

struct imagewrite *
imagewrite_new_fd(int fd, const char *name, enum imagewrite_format format, char **cause)
{
	struct imagewrite *w;

	if (format == IMAGEWRITE_OCI_DIR) {
		*cause = xasprintf("%s: an OCI layout is a directory, it cannot be streamed "
		                   "(use oci-archive)", name);
		return NULL;
	}
	w = imagewrite_alloc(name, fd, format);
	w->borrowed = 1;
	return w;
}

static int
imagewrite_written(const struct imagewrite *w, const char *digest)
{
	for (size_t i = 0; i < w->ndigests; i++)
		if (strcmp(w->digests[i], digest) == 0)
			return 1;
	return 0;
}

static void
imagewrite_remember(struct imagewrite *w, const char *digest)
{
	ARRAY_RESERVE(w->digests, w->ndigests, w->cdigests);
	w->digests[w->ndigests++] = xstrdup(digest);
}

/* Opens name in the directory for writing. */
static int
imagewrite_create(struct imagewrite *w, const char *name, char **cause)
{
	int fd = openat(w->fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		*cause = imagewrite_errno(w->path, "cannot write");
	return fd;
}

/* Closes a file of the directory after writing what is gathered. */
static int
imagewrite_close(struct imagewrite *w, int fd, char **cause)
{
	int rc = imagewrite_flush(w, fd, cause);

	if (close(fd) != 0 && rc == 0) {
		*cause = imagewrite_errno(w->path, "cannot write");
		rc = -1;
	}
	return rc;
}

/* Closes a file of the directory that failed, with what was gathered. */
static void
imagewrite_drop(struct imagewrite *w, int fd)
{
	close(fd);
	w->nbuf = 0;
}

/* Starts a member (a file in the directory) of size bytes; *fd is the
 * directory's file, or -1 for the archive. */
static int
imagewrite_begin(struct imagewrite *w, const char *name, uint64_t size, int *fd, char **cause)
{
	*fd = -1;
	if (w->dir)
		return (*fd = imagewrite_create(w, name, cause)) < 0 ? -1 : 0;
	return imagewrite_header(w, name, 0, size, cause);
}

/* Ends it: the directory's file closed, or the archive padded. */
static int
imagewrite_finish(struct imagewrite *w, int fd, char **cause)
{
	return fd >= 0 ? imagewrite_close(w, fd, cause) : imagewrite_pad(w, cause);
}

/* Bytes of a member: into the directory's file, or the archive. */
static int
imagewrite_data(struct imagewrite *w, int fd, const void *buf, size_t len, char **cause)
{
	return fd >= 0 ? imagewrite_put(w, fd, buf, len, cause) : imagewrite_out(w, buf, len, cause);
}

/* Copies size bytes of in, digested; 0, or -1 with *cause. */
static int
imagewrite_copy(struct imagewrite *w, int fd, const char *digest, uint64_t size,
                struct stream *in, char **cause)
{
	struct digester *d = digester_new();
	uint64_t done = 0;
	int rc = -1;

	for (;;) {
		const void *buf;
		ssize_t n = stream_read(in, &buf);
		if (n < 0) {
			*cause = xasprintf("%s", stream_error(in));
			goto out;
		}
		if (n == 0)
			break;
		if (done + (uint64_t)n > size) {
			*cause = xasprintf("%s: more bytes than its size, %llu", digest,
			                   (unsigned long long)size);
			goto out;
		}
		digester_update(d, buf, (size_t)n);
		if (imagewrite_data(w, fd, buf, (size_t)n, cause) < 0)
			goto out;
		done += (uint64_t)n;
	}
	if (done != size) {
		*cause = xasprintf("%s: %llu bytes, not its size %llu", digest,
		                   (unsigned long long)done, (unsigned long long)size);
		goto out;
	}
	char *got = digester_end(d);
	d = NULL;
	if (strcmp(got, digest) != 0)
		*cause = xasprintf("%s: the bytes have the digest %s", digest, got);
	else
		rc = 0;
	free(got);
out:
	digester_free(d);
	return rc;
}

int
imagewrite_blob(struct imagewrite *w, const char *digest, uint64_t size, struct stream *in,
                char **cause)
{
	char name[100];
	int fd, rc;

	if (strncmp(digest, "sha256:", 7) != 0 || !digest_valid(digest)) {
		*cause = xasprintf("%s: not a sha256 digest: %s", w->path, digest);
		return -1;
	}
	if (imagewrite_written(w, digest))
		return 0;
	snprintf(name, sizeof name, "blobs/sha256/%s", digest + 7);
	if (imagewrite_dirs(w, cause) < 0 || imagewrite_begin(w, name, size, &fd, cause) < 0)
		return -1;
	rc = imagewrite_copy(w, fd, digest, size, in, cause);
	if (fd >= 0 && rc < 0)
		imagewrite_drop(w, fd);
	else if (imagewrite_finish(w, fd, cause) < 0)
		rc = -1;
	if (rc == 0)
		imagewrite_remember(w, digest);
	return rc;
}

/* A file in $TMPDIR that has no name. */
static int
imagewrite_spool(char **cause)
{
	int fd = tempfile_open(NULL);

	if (fd < 0)
		*cause = xasprintf("%s: cannot write a temporary file there: %s", tempfile_dir(),
		                   strerror(errno));
	return fd;
}

int
imagewrite_stream_start(struct imagewrite *w, char **cause)
{
	static const char placeholder[TAR_BLOCK];

	w->slen = 0;
	if (w->dir)
		w->sfd = imagewrite_create(w, IMAGEWRITE_STREAM_TMP, cause);
	else if (w->borrowed && imagewrite_flush(w, w->fd, cause) == 0)
		w->sfd = imagewrite_spool(cause);
	else if (imagewrite_dirs(w, cause) == 0 && imagewrite_flush(w, w->fd, cause) == 0) {
		w->shead = w->pos;
		if (imagewrite_out(w, placeholder, sizeof placeholder, cause) == 0)
			w->sfd = w->fd;
	}
	return w->sfd >= 0 ? 0 : -1;
}

int
imagewrite_stream_write(struct imagewrite *w, const void *buf, size_t len, char **cause)
{
	w->slen += len;
	if (w->sfd == w->fd && !w->dir)
		return imagewrite_out(w, buf, len, cause);
	return imagewrite_put(w, w->sfd, buf, len, cause);
}

/* stdout: the header, then the spooled bytes. */
static int
imagewrite_stream_copy(struct imagewrite *w, const char *name, char **cause)
{
	int rc = imagewrite_flush(w, w->sfd, cause);
	uint64_t off = 0;

	if (rc == 0)
		rc = imagewrite_dirs(w, cause);
	if (rc == 0)
		rc = imagewrite_header(w, name, 0, w->slen, cause);
	while (rc == 0 && off < w->slen) {
		ssize_t n = pread(w->sfd, w->buf + w->nbuf, IMAGEWRITE_BUF - w->nbuf, (off_t)off);
		if (n <= 0) {
			*cause = xasprintf("%s: the temporary copy of a layer: %s", w->path,
			                   n < 0 ? strerror(errno) : "shorter than written");
			return -1;
		}
		w->nbuf += (size_t)n;
		w->pos += (uint64_t)n;
		off += (uint64_t)n;
		if (w->nbuf == IMAGEWRITE_BUF)
			rc = imagewrite_flush(w, w->fd, cause);
	}
	return rc;
}

/* An archive file: the header written over the placeholder. */
static int
imagewrite_stream_patch(struct imagewrite *w, const char *name, char **cause)
{
	char hdr[TAR_BLOCK];

	if (strlen(name) >= 100)
		abort();	/* blobs/sha256/ and 64 digits */
	imagewrite_tar_header(hdr, name, 0, w->slen);
	if (imagewrite_flush(w, w->fd, cause) < 0)
		return -1;
	if (pwrite(w->fd, hdr, sizeof hdr, (off_t)w->shead) != (ssize_t)sizeof hdr) {
		*cause = imagewrite_errno(w->path, "cannot write");
		return -1;
	}
	return 0;
}

int
imagewrite_stream_end(struct imagewrite *w, const char *digest, char **cause)
{
	char name[100];
	int rc;

	snprintf(name, sizeof name, "blobs/sha256/%s", digest + 7);
	if (w->dir) {
		rc = imagewrite_close(w, w->sfd, cause);
		if (rc == 0 && renameat(w->fd, IMAGEWRITE_STREAM_TMP, w->fd, name) != 0) {
			*cause = imagewrite_errno(w->path, "cannot write");
			rc = -1;
		}
	} else if (w->borrowed) {
		rc = imagewrite_stream_copy(w, name, cause);
		close(w->sfd);
	} else {
		rc = imagewrite_stream_patch(w, name, cause);
	}
	w->sfd = -1;
	if (rc == 0 && !w->dir)
		rc = imagewrite_pad(w, cause);
	if (rc == 0)
		imagewrite_remember(w, digest);
	return rc;
}

/* A document at name (not a blob). */
static int
imagewrite_file(struct imagewrite *w, const char *name, const void *data, size_t len,
                char **cause)
{
	int fd;

	if (imagewrite_begin(w, name, len, &fd, cause) < 0)
		return -1;
	if (imagewrite_data(w, fd, data, len, cause) < 0) {
		if (fd >= 0)
			imagewrite_drop(w, fd);
		return -1;
	}
	return imagewrite_finish(w, fd, cause);
}

/* ------------------------------------------------------- documents */

/* What the documents are written from. */
struct imagewrite_docs {
	const struct imagewrite_image *im;
	char *cfg_digest, *man_digest;	/* owned */
	size_t man_size;
};

static void
imagewrite_descriptor(struct jsonw *j, const char *media_type, const char *digest,
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
imagewrite_fill_docker(struct jsonw *j, const void *ctx)
{
	const struct imagewrite_docs *d = ctx;
	char path[80];

	jsonw_array(j);
	jsonw_object(j);
	snprintf(path, sizeof path, "blobs/sha256/%s", d->cfg_digest + 7);
	jsonw_member_cstring(j, "Config", path);
	if (d->im->tag != NULL) {
		jsonw_member_array(j, "RepoTags");
		jsonw_cstring(j, d->im->tag);
		jsonw_end(j);
	} else {
		jsonw_member_null(j, "RepoTags");
	}
	jsonw_member_array(j, "Layers");
	for (size_t k = 0; k < d->im->nlayers; k++) {
		snprintf(path, sizeof path, "blobs/sha256/%s", d->im->layers[k].digest + 7);
		jsonw_cstring(j, path);
	}
	jsonw_end(j);
	jsonw_end(j);
	jsonw_end(j);
}

/* The OCI image manifest. */
static void
imagewrite_fill_manifest(struct jsonw *j, const void *ctx)
{
	const struct imagewrite_docs *d = ctx;
	const struct imagewrite_image *im = d->im;

	jsonw_object(j);
	jsonw_member_int(j, "schemaVersion", 2);
	jsonw_member_cstring(j, "mediaType", "application/vnd.oci.image.manifest.v1+json");
	jsonw_key(j, "config");
	imagewrite_descriptor(j, "application/vnd.oci.image.config.v1+json", d->cfg_digest,
	                      im->config_len);
	jsonw_member_array(j, "layers");
	for (size_t k = 0; k < im->nlayers; k++)
		imagewrite_descriptor(j, im->layers[k].media_type, im->layers[k].digest,
		                      im->layers[k].size);
	jsonw_end(j);
	jsonw_end(j);
}

/* The OCI index: the manifest, its platform, the tag as docker save names
 * it (the tag alone in ref.name). */
static void
imagewrite_fill_index(struct jsonw *j, const void *ctx)
{
	const struct imagewrite_docs *d = ctx;
	const struct imagewrite_image *im = d->im;
	const char *colon = im->tag != NULL ? strrchr(im->tag, ':') : NULL;
	const char *slash = im->tag != NULL ? strrchr(im->tag, '/') : NULL;
	int named = colon != NULL && (slash == NULL || colon > slash);

	jsonw_object(j);
	jsonw_member_int(j, "schemaVersion", 2);
	jsonw_member_cstring(j, "mediaType", "application/vnd.oci.image.index.v1+json");
	jsonw_member_array(j, "manifests");
	jsonw_object(j);
	jsonw_member_cstring(j, "mediaType", "application/vnd.oci.image.manifest.v1+json");
	jsonw_member_cstring(j, "digest", d->man_digest);
	jsonw_member_uint(j, "size", d->man_size);
	if (im->os != NULL && im->arch != NULL) {
		jsonw_member_object(j, "platform");
		jsonw_member_cstring(j, "architecture", im->arch);
		jsonw_member_cstring(j, "os", im->os);
		if (im->variant != NULL)
			jsonw_member_cstring(j, "variant", im->variant);
		jsonw_end(j);
	}
	if (im->tag != NULL) {
		jsonw_member_object(j, "annotations");
		jsonw_member_cstring(j, "org.opencontainers.image.ref.name",
		                     named ? colon + 1 : im->tag);
		if (named)
			jsonw_member_cstring(j, "io.containerd.image.name", im->tag);
		jsonw_end(j);
	}
	jsonw_end(j);
	jsonw_end(j);
	jsonw_end(j);
}

static void
imagewrite_fill_layout(struct jsonw *j, const void *ctx)
{
	(void)ctx;
	jsonw_object(j);
	jsonw_member_cstring(j, "imageLayoutVersion", "1.0.0");
	jsonw_end(j);
}

/* A blob from memory; its digest (owned) in *digest. */
static int
imagewrite_blob_text(struct imagewrite *w, const char *text, size_t len, char **digest,
                     char **cause)
{
	struct stream *s = stream_memory_new(text, len);
	int rc;

	*digest = digest_of("sha256", text, len);
	rc = imagewrite_blob(w, *digest, len, s, cause);
	stream_free(s);
	return rc;
}

/* A document: at name, or (name NULL) a blob whose digest goes to *digest
 * and size to *size. */
static int
imagewrite_doc(struct imagewrite *w, const char *name, void (*fill)(struct jsonw *, const void *),
               const void *ctx, char **digest, size_t *size, char **cause)
{
	size_t len;
	char *text = jsonw_text(fill, ctx, &len);
	int rc;

	if (name != NULL)
		rc = imagewrite_file(w, name, text, len, cause);
	else
		rc = imagewrite_blob_text(w, text, len, digest, cause);
	if (size != NULL)
		*size = len;
	free(text);
	return rc;
}

int
imagewrite_manifest(struct imagewrite *w, const struct imagewrite_image *im, char **cause)
{
	struct imagewrite_docs d = { .im = im };
	int rc = -1;

	if (imagewrite_blob_text(w, im->config, im->config_len, &d.cfg_digest, cause) < 0)
		goto out;
	if (w->format == IMAGEWRITE_DOCKER_ARCHIVE) {
		rc = imagewrite_doc(w, "manifest.json", imagewrite_fill_docker, &d, NULL, NULL, cause);
		goto out;
	}
	if (imagewrite_doc(w, NULL, imagewrite_fill_manifest, &d, &d.man_digest, &d.man_size,
	                   cause) < 0 ||
	    imagewrite_doc(w, "oci-layout", imagewrite_fill_layout, NULL, NULL, NULL, cause) < 0 ||
	    imagewrite_doc(w, "index.json", imagewrite_fill_index, &d, NULL, NULL, cause) < 0)
		goto out;
	rc = 0;
out:
	free(d.cfg_digest);
	free(d.man_digest);
	return rc;
}

static int
imagewrite_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* The archive's end (two zero blocks), everything written. */
static int
imagewrite_end(struct imagewrite *w, char **cause)
{
	static const char end[2 * TAR_BLOCK];

	if (imagewrite_out(w, end, sizeof end, cause) < 0 || imagewrite_flush(w, w->fd, cause) < 0)
		return -1;
	if (!w->borrowed && fsync(w->fd) != 0) {
		*cause = imagewrite_errno(w->path, "cannot write");
		return -1;
	}
	return 0;
}

/* The directory renamed to the target: refused over a file or a directory
 * that is not empty. */
static int
imagewrite_rename_dir(struct imagewrite *w, char **cause)
{
	struct stat st;

	if (lstat(w->path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s: exists and is not a directory", w->path);
		return -1;
	}
	if (fsync(w->fd) != 0 || rename(w->tmp, w->path) != 0) {
		*cause = errno == ENOTEMPTY || errno == EEXIST ?
		    xasprintf("%s: a directory that is not empty", w->path) :
		    imagewrite_errno(w->path, "cannot write");
		return -1;
	}
	return 0;
}

int
imagewrite_commit(struct imagewrite *w, char **cause)
{
	int rc = -1;

	if (w->dir) {
		if (imagewrite_rename_dir(w, cause) < 0)
			goto out;
	} else {
		if (imagewrite_end(w, cause) < 0)
			goto out;
		if (!w->borrowed && rename(w->tmp, w->path) != 0) {
			*cause = imagewrite_errno(w->path, "cannot write");
			goto out;
		}
	}
	free(w->tmp);
	w->tmp = NULL;
	rc = 0;
out:
	imagewrite_abort(w);
	return rc;
}

void
imagewrite_abort(struct imagewrite *w)
{
	if (w == NULL)
		return;
	if (w->sfd >= 0 && w->sfd != w->fd)
		close(w->sfd);
	if (w->fd >= 0 && !w->borrowed)
		close(w->fd);
	if (w->tmp != NULL && w->dir)
		nftw(w->tmp, imagewrite_rm, 16, FTW_DEPTH | FTW_PHYS);
	else if (w->tmp != NULL)
		unlink(w->tmp);
	for (size_t i = 0; i < w->ndigests; i++)
		free(w->digests[i]);
	free(w->digests);
	free(w->buf);
	free(w->tmp);
	free(w->path);
	free(w);
}
