/* directory: a directory of files (an OCI image layout, as `skopeo copy ...
 * oci:DIR` writes it). Every file is opened without following a link and
 * without waiting (util/regfile.h), and a blob's file is opened when it is
 * read and closed after, so that open files are bounded by the reading
 * threads, not by the blobs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/transport.h"
#include "util/regfile.h"
#include "util/xalloc.h"

struct directory {
	int fd;
};

static int
directory_fd(const struct source *src)
{
	return ((const struct directory *)src->tpriv)->fd;
}

static int
directory_probe(const char *spec, const struct stat *st, const unsigned char *head, size_t n)
{
	(void)spec;
	(void)head;
	(void)n;
	return st != NULL && S_ISDIR(st->st_mode);
}

/* A layout's oci-layout file, when there is one, must be a regular file
 * (opened without waiting on a FIFO); its content is not needed. */
static int
directory_check_layout(int dirfd, char **cause)
{
	struct stat st;
	char *why = NULL;

	if (fstatat(dirfd, "oci-layout", &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	int fd = regfile_open(dirfd, "oci-layout", REGFILE_NOFOLLOW, NULL, &why);
	if (fd < 0) {
		*cause = xasprintf("cannot open 'oci-layout': %s", why);
		free(why);
		return -1;
	}
	close(fd);
	return 0;
}

static int
directory_open(struct source *src, char **cause)
{
	struct directory *d = xcalloc(1, sizeof *d);

	src->tpriv = d;
	d->fd = open(src->spec, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		*cause = xstrdup(errno == ENOTDIR ? "not readable as oci" : strerror(errno));
		return -1;
	}
	return directory_check_layout(d->fd, cause);
}

static int
directory_has(const struct source *src, const char *name)
{
	struct stat st;

	return fstatat(directory_fd(src), name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static char *
directory_read(struct source *src, const char *name, size_t max, size_t *len, char **cause)
{
	struct stat st;
	char *buf = NULL, *why = NULL;
	size_t done = 0;
	/* never blocks: a FIFO or device there is refused at once */
	int fd = regfile_open(directory_fd(src), name, REGFILE_NOFOLLOW, &st, &why);

	if (fd < 0) {
		*cause = xasprintf("cannot open '%s': %s", name, why);
		free(why);
		return NULL;
	}
	if ((uint64_t)st.st_size > max) {
		*cause = xasprintf("'%s' is not a metadata file of at most %zu bytes", name, max);
		goto fail;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf("cannot read '%s': %s", name,
			                   n < 0 ? strerror(errno) : "truncated");
			goto fail;
		}
		done += (size_t)n;
	}
	buf[done] = '\0';
	*len = done;
	close(fd);
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

static long
directory_blob(struct source *src, const char *name, const char *digest, const char *key,
               int64_t size, char **cause)
{
	struct stat st;
	char *why = NULL;
	int fd = regfile_open(directory_fd(src), name, REGFILE_NOFOLLOW, &st, &why);

	(void)digest;
	(void)size;	/* the file's own is the truth */
	if (fd < 0) {
		*cause = xasprintf("blob '%s' cannot be opened: %s", name, why);
		free(why);
		return -1;
	}
	close(fd);
	return (long)source_blob(src, key != NULL ? key : name, name, 0, st.st_size);
}

/* The blob's file, opened now (the caller closes it); -1 with *cause. */
static int
directory_blob_fd(const struct source *src, size_t b, char **cause)
{
	const struct source_blob *sb = &src->blobs[b];
	struct stat st;
	char *why = NULL;
	int fd = regfile_open(directory_fd(src), sb->path, REGFILE_NOFOLLOW, &st, &why);

	if (fd >= 0 && st.st_size == sb->size)
		return fd;
	*cause = xasprintf("blob '%s' cannot be opened: %s", sb->path,
	                   fd < 0 ? why : "it changed while fathom read the image");
	free(why);
	if (fd >= 0)
		close(fd);
	return -1;
}

static struct stream *
directory_open_blob(const struct source *src, size_t b, int map)
{
	char *why = NULL;
	int fd = directory_blob_fd(src, b, &why);

	if (fd < 0)
		return stream_failed_new(why);
	return stream_own_fd(source_file_stream(src, fd, b, map), fd);
}

static int
directory_read_at(const struct source *src, size_t b, uint64_t offset, uint64_t len,
                  int (*write)(void *wctx, const void *buf, size_t n), void *wctx,
                  char **cause)
{
	int fd = directory_blob_fd(src, b, cause);

	if (fd < 0)
		return -1;
	int rc = source_file_read(src, fd, b, offset, len, write, wctx, cause);
	close(fd);
	return rc;
}

static void
directory_close(struct source *src)
{
	struct directory *d = src->tpriv;

	if (d == NULL)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d);
	src->tpriv = NULL;
}

const struct transport_ops transport_directory = {
	.name = "directory",
	.help = "a directory",
	.shape = TRANSPORT_DIR,
	.reading = "reading",
	.probe = directory_probe,
	.open = directory_open,
	.has = directory_has,
	.read = directory_read,
	.blob = directory_blob,
	.open_blob = directory_open_blob,
	.read_at = directory_read_at,
	.close = directory_close,
};
