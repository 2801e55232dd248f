/* tarfile: an archive file that is a plain tar (docker save, an OCI
 * archive): its members indexed from their headers with seeks (tarindex),
 * each blob a region of the file, read as often as needed. A compressed
 * file is compressed.c's: it comes first in TRANSPORT_LIST. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/tarindex.h"
#include "source/transport.h"
#include "util/xalloc.h"

struct tarfile {
	int fd;
	struct tarindex tar;
};

static struct tarfile *
tarfile_of(const struct source *src)
{
	return src->tpriv;
}

static int
tarfile_probe(const char *spec, const struct stat *st, const unsigned char *head, size_t n)
{
	(void)spec;
	(void)head;
	(void)n;
	return st != NULL && S_ISREG(st->st_mode);
}

static int
tarfile_open(struct source *src, char **cause)
{
	struct tarfile *tf = xcalloc(1, sizeof *tf);
	struct stat st;
	char *why = NULL;

	src->tpriv = tf;
	tf->fd = open(src->spec, O_RDONLY | O_CLOEXEC);
	if (tf->fd < 0 || fstat(tf->fd, &st) < 0) {
		*cause = xstrdup(strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xstrdup("not an image: neither a regular file nor a directory");
		return -1;
	}
	int r = tarindex_read(&tf->tar, tf->fd, st.st_size, &why);
	if (r < 0) {
		*cause = r == -1 ? xasprintf("not an image: %s", why) : xstrdup(why);
		free(why);
		return -1;
	}
	return 0;
}

static int
tarfile_has(const struct source *src, const char *name)
{
	return tarindex_find(&tarfile_of(src)->tar, name) != NULL;
}

static char *
tarfile_read(struct source *src, const char *name, size_t max, size_t *len, char **cause)
{
	const struct tar_member *m = tarindex_find(&tarfile_of(src)->tar, name);
	char *text;

	if (m == NULL) {
		*cause = xasprintf("'%s' is not in the archive", name);
		return NULL;
	}
	if ((text = tarindex_slurp(&tarfile_of(src)->tar, m, max, cause)) != NULL)
		*len = (size_t)m->size;
	return text;
}

static long
tarfile_blob(struct source *src, const char *name, const char *digest, const char *key,
             int64_t size, char **cause)
{
	const struct tar_member *m = tarindex_find(&tarfile_of(src)->tar, name);

	(void)digest;
	(void)size;	/* the member's own is the truth */
	if (m == NULL) {
		*cause = xasprintf("blob '%s' is not in the archive", name);
		return -1;
	}
	return (long)source_blob(src, key != NULL ? key : m->name, NULL, m->offset, m->size);
}

static struct stream *
tarfile_open_blob(const struct source *src, size_t b, int map)
{
	return source_file_stream(src, tarfile_of(src)->fd, b, map);
}

static int
tarfile_read_at(const struct source *src, size_t b, uint64_t offset, uint64_t len,
                int (*write)(void *wctx, const void *buf, size_t n), void *wctx, char **cause)
{
	return source_file_read(src, tarfile_of(src)->fd, b, offset, len, write, wctx, cause);
}

static void
tarfile_close(struct source *src)
{
	struct tarfile *tf = tarfile_of(src);

	if (tf == NULL)
		return;
	tarindex_fini(&tf->tar);
	if (tf->fd >= 0)
		close(tf->fd);
	free(tf);
	src->tpriv = NULL;
}

const struct transport_ops transport_tarfile = {
	.name = "tar file",
	.help = "a tar file",
	.shape = TRANSPORT_TAR,
	.reading = "reading",
	.probe = tarfile_probe,
	.open = tarfile_open,
	.has = tarfile_has,
	.read = tarfile_read,
	.blob = tarfile_blob,
	.open_blob = tarfile_open_blob,
	.read_at = tarfile_read_at,
	.close = tarfile_close,
};
