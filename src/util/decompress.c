/* decompress: libarchive's raw format over its decompression filters; see
 * decompress.h. */
#include "util/decompress.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>

#include "util/tarread.h"
#include "util/xalloc.h"

struct xstream {
	struct stream s;
	struct stream *in;	/* owned */
	struct tarread tr;	/* reads in */
	struct archive *a;	/* owned */
	int opened;
};

static ssize_t
xstream_fail(struct xstream *x)
{
	free(x->s.error);
	x->s.error = xstrdup(x->tr.failed ? stream_error(x->in) :
	                     archive_error_string(x->a) != NULL ? archive_error_string(x->a) :
	                     "cannot decompress");
	return -1;
}

static ssize_t
xstream_read(struct stream *s, const void **buf)
{
	struct xstream *x = (struct xstream *)s;
	size_t len;
	la_int64_t off;
	int r;

	if (!x->opened) {
		struct archive_entry *e;
		x->opened = 1;
		if (archive_read_open1(x->a) != ARCHIVE_OK ||
		    archive_read_next_header(x->a, &e) != ARCHIVE_OK)
			return xstream_fail(x);
	}
	r = archive_read_data_block(x->a, buf, &len, &off);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r != ARCHIVE_OK)
		return xstream_fail(x);
	return (ssize_t)len;
}

static void
xstream_free(struct stream *s)
{
	struct xstream *x = (struct xstream *)s;

	archive_read_free(x->a);
	stream_free(x->in);
	free(x);
}

static const struct stream_ops xstream_ops = {
	.read = xstream_read,
	.skip = NULL,
	.free = xstream_free,
};

struct stream *
stream_decompress_new(struct stream *in)
{
	struct xstream *x = xcalloc(1, sizeof *x);

	x->s.ops = &xstream_ops;
	x->in = in;
	x->tr.in = in;
	x->a = tarread_new(&x->tr, TARREAD_FILTERS | TARREAD_RAW);
	return &x->s;
}
