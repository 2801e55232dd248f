/* tarread: libarchive readers over streams; see tarread.h. */
#include "util/tarread.h"

static la_ssize_t
tarread_cb_read(struct archive *a, void *ctx, const void **buf)
{
	struct tarread *t = ctx;
	ssize_t n = stream_read(t->in, buf);

	if (n < 0) {
		t->failed = 1;
		archive_set_error(a, -1, "%s", stream_error(t->in));
	}
	return n;
}

static la_int64_t
tarread_cb_skip(struct archive *a, void *ctx, la_int64_t n)
{
	struct tarread *t = ctx;

	(void)a;
	return stream_skip(t->in, n);
}

struct archive *
tarread_new(struct tarread *t, unsigned flags)
{
	struct archive *a = archive_read_new();

	t->failed = 0;
	if (flags & TARREAD_FILTERS) {
		archive_read_support_filter_gzip(a);
		archive_read_support_filter_zstd(a);
		archive_read_support_filter_xz(a);
		archive_read_support_filter_bzip2(a);
	}
	if (flags & TARREAD_RAW) {
		archive_read_support_format_raw(a);
	} else {
		archive_read_support_format_tar(a);
		if (flags & TARREAD_EMPTY)
			archive_read_support_format_empty(a);
	}
	archive_read_set_read_callback(a, tarread_cb_read);
	archive_read_set_skip_callback(a, tarread_cb_skip);
	archive_read_set_callback_data(a, t);
	return a;
}
