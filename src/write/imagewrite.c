/* imagewrite: images written as tar archives (libarchive) or directories,
 * made complete under a temporary name; see imagewrite.h. */
#include "write/imagewrite.h"

#include <archive.h>
#include <archive_entry.h>
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
#include "util/xalloc.h"

struct imagewrite {
	char *path;		/* owned: the target */
	char *tmp;		/* owned: the temporary file or directory */
	int dir;		/* an OCI layout directory */
	int fd;			/* the archive file, or the directory */
	int borrowed;		/* fd is the caller's: neither closed nor renamed */
	struct archive *a;	/* owned: the archive being written */
	char **digests;		/* owned: blobs written */
	size_t ndigests, cdigests;
	int failed;		/* errno of a failed write to the archive, 0 */
};

static char *
imagewrite_errno(const char *path, const char *what)
{
	return xasprintf("%s: %s: %s", path, what, strerror(errno));
}

/* What the archive writer says; the system's reason when it has one. */
static char *
imagewrite_archive_error(const struct imagewrite *w)
{
	int e = w->failed ? w->failed : archive_errno(w->a);
	const char *s = archive_error_string(w->a);

	if (e > 0 && e < 4096)
		return xasprintf("%s: %s", w->path, strerror(e));
	return xasprintf("%s: %s", w->path, s != NULL ? s : "cannot write");
}

/* Writes all of buf to fd; returns 0, or an errno. */
static int
imagewrite_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static la_ssize_t
imagewrite_cb_write(struct archive *a, void *ctx, const void *buf, size_t len)
{
	struct imagewrite *w = ctx;

	(void)a;
	/* a failure is said later: a failed callback would leave libarchive
	 * in a state where it leaks its writer */
	if (!w->failed)
		w->failed = imagewrite_all(w->fd, buf, len);
	return (la_ssize_t)len;
}

/* The tar writer over w->fd. */
static int
imagewrite_open_archive(struct imagewrite *w, char **cause)
{
	w->a = archive_write_new();
	archive_write_set_format_pax_restricted(w->a);
	/* unblocked, through our own writer: libarchive keeps no buffer or
	 * state of its own that a failed write would leave behind */
	archive_write_set_bytes_per_block(w->a, 0);
	if (archive_write_open(w->a, w, NULL, imagewrite_cb_write, NULL) != ARCHIVE_OK) {
		*cause = imagewrite_archive_error(w);
		return -1;
	}
	return 0;
}

struct imagewrite *
imagewrite_new(const char *path, enum imagewrite_format format, char **cause)
{
	struct imagewrite *w = xcalloc(1, sizeof *w);
	char *copy = xstrdup(path), *dir = dirname(copy);
	char *copy2 = xstrdup(path), *base = basename(copy2);

	w->path = xstrdup(path);
	w->fd = -1;
	w->dir = format == IMAGEWRITE_OCI_DIR;
	w->tmp = xasprintf("%s/.%s.fathom-XXXXXX", dir, base);
	free(copy);
	free(copy2);
	if (w->dir) {
		if (mkdtemp(w->tmp) == NULL || (w->fd = open(w->tmp, O_RDONLY | O_DIRECTORY)) < 0) {
			*cause = imagewrite_errno(path, "cannot make a directory beside it");
			goto fail;
		}
		mode_t mask = umask(0);
		umask(mask);
		fchmod(w->fd, 0777 & ~mask);
		if (mkdirat(w->fd, "blobs", 0755) < 0 || mkdirat(w->fd, "blobs/sha256", 0755) < 0) {
			*cause = imagewrite_errno(path, "cannot write");
			goto fail;
		}
		return w;
	}
	if ((w->fd = mkstemp(w->tmp)) < 0) {
		*cause = imagewrite_errno(path, "cannot write beside it");
		goto fail;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(w->fd, 0666 & ~mask);
	if (imagewrite_open_archive(w, cause) < 0)
		goto fail;
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
	w = xcalloc(1, sizeof *w);
	w->path = xstrdup(name);
	w->fd = fd;
	w->borrowed = 1;
	if (imagewrite_open_archive(w, cause) < 0) {
		imagewrite_abort(w);
		return NULL;
	}
	return w;
}

/* A member header of the archive: a directory or a file of size bytes,
 * owned by root, dated 0, so that the same image gives the same bytes. */
static int
imagewrite_header(struct imagewrite *w, const char *name, int isdir, uint64_t size,
                  char **cause)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	archive_entry_copy_pathname(e, name);
	archive_entry_set_filetype(e, isdir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, isdir ? 0755 : 0644);
	archive_entry_set_size(e, isdir ? 0 : (la_int64_t)size);
	archive_entry_set_mtime(e, 0, 0);
	r = archive_write_header(w->a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK || w->failed) {
		*cause = imagewrite_archive_error(w);
		return -1;
	}
	return 0;
}

/* Opens name in the directory for writing. */
static int
imagewrite_create(struct imagewrite *w, const char *name, char **cause)
{
	int fd = openat(w->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		*cause = imagewrite_errno(w->path, "cannot write");
	return fd;
}

static int
imagewrite_put(struct imagewrite *w, int fd, const void *data, size_t len, char **cause)
{
	if (fd >= 0) {
		if ((errno = imagewrite_all(fd, data, len)) != 0) {
			*cause = imagewrite_errno(w->path, "cannot write");
			return -1;
		}
		return 0;
	}
	if (len > 0 && (archive_write_data(w->a, data, len) != (la_ssize_t)len || w->failed)) {
		*cause = imagewrite_archive_error(w);
		return -1;
	}
	return 0;
}

int
imagewrite_blob(struct imagewrite *w, const char *digest, uint64_t size, struct stream *in,
                char **cause)
{
	char *name;
	struct digester *d;
	uint64_t done = 0;
	int fd = -1, rc = -1;

	if (strncmp(digest, "sha256:", 7) != 0 || !digest_valid(digest)) {
		*cause = xasprintf("%s: not a sha256 digest: %s", w->path, digest);
		return -1;
	}
	for (size_t i = 0; i < w->ndigests; i++)
		if (strcmp(w->digests[i], digest) == 0)
			return 0;
	name = xasprintf("blobs/sha256/%s", digest + 7);
	if (w->dir ? (fd = imagewrite_create(w, name, cause)) < 0 :
	    ((w->ndigests == 0 && (imagewrite_header(w, "blobs/", 1, 0, cause) < 0 ||
	                           imagewrite_header(w, "blobs/sha256/", 1, 0, cause) < 0)) ||
	     imagewrite_header(w, name, 0, size, cause) < 0)) {
		free(name);
		return -1;
	}
	d = digester_new();
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
		if (imagewrite_put(w, fd, buf, (size_t)n, cause) < 0)
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
	if (strcmp(got, digest) != 0) {
		*cause = xasprintf("%s: the bytes have the digest %s", digest, got);
		free(got);
		goto out;
	}
	free(got);
	if (fd >= 0 && close(fd) != 0) {
		fd = -1;
		*cause = imagewrite_errno(w->path, "cannot write");
		goto out;
	}
	fd = -1;
	ARRAY_RESERVE(w->digests, w->ndigests, w->cdigests);
	w->digests[w->ndigests++] = xstrdup(digest);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	digester_free(d);
	free(name);
	return rc;
}

int
imagewrite_file(struct imagewrite *w, const char *name, const void *data, size_t len,
                char **cause)
{
	int fd = -1, rc;

	if (w->dir ? (fd = imagewrite_create(w, name, cause)) < 0 :
	    imagewrite_header(w, name, 0, len, cause) < 0)
		return -1;
	rc = imagewrite_put(w, fd, data, len, cause);
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		*cause = imagewrite_errno(w->path, "cannot write");
		rc = -1;
	}
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

int
imagewrite_commit(struct imagewrite *w, char **cause)
{
	int rc = -1;

	if (w->dir) {
		struct stat st;
		if (lstat(w->path, &st) == 0 && !S_ISDIR(st.st_mode)) {
			*cause = xasprintf("%s: exists and is not a directory", w->path);
			goto out;
		}
		if (fsync(w->fd) != 0 || rename(w->tmp, w->path) != 0) {
			*cause = errno == ENOTEMPTY || errno == EEXIST ?
			    xasprintf("%s: a directory that is not empty", w->path) :
			    imagewrite_errno(w->path, "cannot write");
			goto out;
		}
	} else {
		if (archive_write_close(w->a) != ARCHIVE_OK || w->failed) {
			*cause = imagewrite_archive_error(w);
			goto out;
		}
		if (!w->borrowed && (fsync(w->fd) != 0 || rename(w->tmp, w->path) != 0)) {
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
	if (w->a != NULL)
		archive_write_free(w->a);
	if (w->fd >= 0 && !w->borrowed)
		close(w->fd);
	if (w->tmp != NULL && w->dir)
		nftw(w->tmp, imagewrite_rm, 16, FTW_DEPTH | FTW_PHYS);
	else if (w->tmp != NULL)
		unlink(w->tmp);
	for (size_t i = 0; i < w->ndigests; i++)
		free(w->digests[i]);
	free(w->digests);
	free(w->tmp);
	free(w->path);
	free(w);
}
