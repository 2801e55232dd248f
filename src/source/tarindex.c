/* tarindex: a seekable tar's table of contents, via libarchive; see
 * tarindex.h. */
#include "source/tarindex.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/escape.h"
#include "util/stream.h"
#include "util/xalloc.h"

static la_ssize_t
tarindex_cb_read(struct archive *a, void *ctx, const void **buf)
{
	struct stream *s = ctx;
	ssize_t n = stream_read(s, buf);

	if (n < 0)
		archive_set_error(a, -1, "%s", stream_error(s));
	return n;
}

static la_int64_t
tarindex_cb_skip(struct archive *a, void *ctx, la_int64_t n)
{
	(void)a;
	return stream_skip(ctx, n);
}

static const char *
tarindex_strip(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

int
tarindex_read(struct tarindex *ti, int fd, int64_t file_size, char **cause)
{
	struct stream *s = stream_region_new(fd, 0, file_size, STREAM_TAR_BLOCK);
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	size_t headers = 0;
	int r, rc = -1;

	memset(ti, 0, sizeof *ti);
	ti->fd = fd;
	archive_read_support_format_tar(a);
	archive_read_set_read_callback(a, tarindex_cb_read);
	archive_read_set_skip_callback(a, tarindex_cb_skip);
	archive_read_set_callback_data(a, s);
	if (archive_read_open1(a) != ARCHIVE_OK) {
		*cause = xasprintf("not a tar archive (%s)", archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		headers++;
		const char *name = archive_entry_pathname(ae);
		if (name == NULL || archive_entry_filetype(ae) != AE_IFREG)
			continue;
		int64_t off = archive_filter_bytes(a, 0);
		int64_t size = archive_entry_size(ae);
		if (size < 0 || off < 0 || off > file_size || size > file_size - off) {
			char *e = escape_str(name, strlen(name), 0);
			*cause = xasprintf("truncated tar archive: member '%s' ends past "
			                   "the end of the file", e);
			free(e);
			goto out;
		}
		ARRAY_RESERVE(ti->members, ti->count, ti->cap);
		ti->members[ti->count++] = (struct tar_member){
			.name = xstrdup(tarindex_strip(name)),
			.offset = off,
			.size = size,
		};
	}
	if (r != ARCHIVE_EOF) {
		const char *why = archive_error_string(a) ? archive_error_string(a) : "unreadable";
		if (headers == 0) {
			*cause = xasprintf("not a tar archive (%s)", why);
			goto out;
		}
		*cause = xasprintf("truncated or damaged tar archive after %zu "
		                   "members (%s)", headers, why);
		rc = -2;
		goto out;
	}
	rc = 0;
out:
	archive_read_free(a);
	stream_free(s);
	if (rc < 0)
		tarindex_fini(ti);
	if (rc == -1 && headers > 0)
		rc = -2;
	return rc;
}

void
tarindex_fini(struct tarindex *ti)
{
	for (size_t i = 0; i < ti->count; i++)
		free(ti->members[i].name);
	free(ti->members);
	ti->members = NULL;
	ti->count = ti->cap = 0;
}

const struct tar_member *
tarindex_find(const struct tarindex *ti, const char *name)
{
	const struct tar_member *found = NULL;

	name = tarindex_strip(name);
	/* The last one wins, as when the tar is extracted. */
	for (size_t i = 0; i < ti->count; i++)
		if (strcmp(ti->members[i].name, name) == 0)
			found = &ti->members[i];
	return found;
}

char *
tarindex_slurp(const struct tarindex *ti, const struct tar_member *m,
               size_t max, char **cause)
{
	size_t done = 0;
	char *buf;

	if ((uint64_t)m->size > max) {
		*cause = xasprintf("'%s' is too large (%lld bytes) for a metadata file",
		                   m->name, (long long)m->size);
		return NULL;
	}
	buf = xmalloc((size_t)m->size + 1);
	while (done < (size_t)m->size) {
		ssize_t n = pread(ti->fd, buf + done, (size_t)m->size - done,
		                  m->offset + (int64_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf("cannot read '%s': %s", m->name,
			                   n < 0 ? strerror(errno) : "truncated");
			free(buf);
			return NULL;
		}
		done += (size_t)n;
	}
	buf[done] = '\0';
	return buf;
}
