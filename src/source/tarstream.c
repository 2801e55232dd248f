/* tarstream: a tar read as it streams by; see tarstream.h. */
#include "source/tarstream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/tarindex.h"
#include "util/xalloc.h"

struct tarstream {
	struct tarindex tar;	/* as it streamed by: data kept, blobs scanned */
	int spool;		/* the copy of the stream, or -1 */
};

static struct tarstream *
tarstream_of(const struct source *src)
{
	return src->tpriv;
}

/* A layer member: scanned now, into the next blob. */
static long
tarstream_scan(void *ctx, const char *name, int64_t size, struct stream *data,
               const void *head, size_t nhead, char **cause)
{
	return source_scan_member(ctx, name, size, data, head, nhead, cause);
}

/* The temporary directory's name, for messages. */
static const char *
tarstream_tmpdir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && *dir ? dir : "/tmp";
}

/* An unnamed file in $TMPDIR, gone when closed; -1 with *cause. */
static int
tarstream_spool_open(char **cause)
{
	const char *dir = tarstream_tmpdir();
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

/* The copy, once all of it was read: its members found again, so that
 * each blob is a region of it, as if the archive had been a file. */
static int
tarstream_spooled(struct source *src, struct tarstream *ts, struct stream *in, char **cause)
{
	const void *rest;
	ssize_t n;
	struct stat st;
	struct tarindex copy;
	char *why = NULL;

	while ((n = stream_read(in, &rest)) > 0)
		;	/* what follows the tar's end goes to the copy too */
	if (n < 0) {
		*cause = xstrdup(stream_error(in));
		return -1;
	}
	if (fstat(ts->spool, &st) < 0 || tarindex_read(&copy, ts->spool, st.st_size, &why) < 0) {
		*cause = xasprintf("cannot read back the copy of the image: %s",
		                   why != NULL ? why : strerror(errno));
		free(why);
		return -1;
	}
	int rc = 0;
	for (size_t b = 0; b < src->nblobs && rc == 0; b++) {
		const struct tar_member *m = tarindex_find(&copy, src->blobs[b].key);
		if (m == NULL || m->offset < 0) {
			*cause = xasprintf("cannot find %s in the copy of the image", src->blobs[b].key);
			rc = -1;
			break;
		}
		src->blobs[b].offset = m->offset;
		src->blobs[b].size = m->size;
	}
	tarindex_fini(&copy);
	return rc;
}

int
tarstream_open(struct source *src, struct stream *in, char **cause)
{
	struct tarstream *ts = xcalloc(1, sizeof *ts);
	char *why = NULL;
	int rc = -1;

	ts->spool = -1;
	src->tpriv = ts;
	src->scanned = 1;
	src->once = !src->opts->spool;
	if (src->opts->spool) {
		if ((ts->spool = tarstream_spool_open(cause)) < 0)
			goto out;
		char *what = xasprintf("a copy of the image in %s (TMPDIR)", tarstream_tmpdir());
		in = stream_tee_new(in, ts->spool, what);
		free(what);
	}
	int r = tarindex_stream(&ts->tar, in, tarstream_scan, src, &why);
	if (r < 0) {
		*cause = r == -1 ? xasprintf("not an image: %s", why) : xstrdup(why);
		free(why);
		goto out;
	}
	if (ts->spool >= 0 && tarstream_spooled(src, ts, in, cause) < 0)
		goto out;
	rc = 0;
out:
	stream_free(in);
	return rc;
}

int
tarstream_has(const struct source *src, const char *name)
{
	return tarindex_find(&tarstream_of(src)->tar, name) != NULL;
}

char *
tarstream_read(struct source *src, const char *name, size_t max, size_t *len, char **cause)
{
	const struct tar_member *m = tarindex_find(&tarstream_of(src)->tar, name);
	char *text;

	if (m == NULL) {
		*cause = xasprintf("'%s' is not in the archive", name);
		return NULL;
	}
	if ((text = tarindex_slurp(&tarstream_of(src)->tar, m, max, cause)) != NULL)
		*len = (size_t)m->size;
	return text;
}

long
tarstream_blob(struct source *src, const char *name, const char *digest, const char *key,
               int64_t size, char **cause)
{
	const struct tar_member *m = tarindex_find(&tarstream_of(src)->tar, name);

	(void)digest;
	(void)key;	/* named after its member when it streamed by */
	(void)size;
	if (m == NULL) {
		*cause = xasprintf("blob '%s' is not in the archive", name);
		return -1;
	}
	if (m->blob < 0) {
		*cause = xstrdup("the member is not a layer (neither a tar nor compressed)");
		return -1;
	}
	return m->blob;
}

struct stream *
tarstream_open_blob(const struct source *src, size_t b, int map)
{
	int fd = tarstream_of(src)->spool;

	if (fd < 0)
		return stream_failed_new(xstrdup("the image's bytes cannot be read again"));
	return source_file_stream(src, fd, b, map);
}

int
tarstream_read_at(const struct source *src, size_t b, uint64_t offset, uint64_t len,
                  int (*write)(void *wctx, const void *buf, size_t n), void *wctx,
                  char **cause)
{
	int fd = tarstream_of(src)->spool;

	if (fd < 0) {
		*cause = xstrdup("the image's bytes cannot be read again");
		return -1;
	}
	return source_file_read(src, fd, b, offset, len, write, wctx, cause);
}

void
tarstream_close(struct source *src)
{
	struct tarstream *ts = tarstream_of(src);

	if (ts == NULL)
		return;
	tarindex_fini(&ts->tar);
	if (ts->spool >= 0)
		close(ts->spool);
	free(ts);
	src->tpriv = NULL;
}
