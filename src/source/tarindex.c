/* tarindex: a seekable tar's table of contents, via libarchive; see
 * tarindex.h. */
#include "source/tarindex.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/tree.h"
#include "util/escape.h"
#include "util/sniff.h"
#include "util/stream.h"
#include "util/tarread.h"
#include "util/xalloc.h"

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

/* The member a link member names: a hard link's target is a member name, a
 * symlink's is relative to its directory. NULL when it climbs out. */
static char *
tarindex_link(const char *name, struct archive_entry *ae)
{
	const char *hard = archive_entry_hardlink(ae), *sym = archive_entry_symlink(ae);
	const char *slash = strrchr(name, '/');
	char *joined, *out;
	long n;

	if (hard != NULL)
		joined = xstrdup(hard);
	else if (sym != NULL && sym[0] == '/')
		joined = xstrdup(sym);
	else if (sym != NULL)
		joined = xasprintf("%.*s%s", slash ? (int)(slash - name + 1) : 0, name, sym);
	else
		return NULL;
	out = xmalloc(strlen(joined) + 1);
	n = path_clean(joined, strlen(joined), out);
	free(joined);
	if (n <= 0) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	return out;
}

/* Adds a member (a regular file, or a link to one); returns it. */
static struct tar_member *
tarindex_add(struct tarindex *ti, const char *name, struct archive_entry *ae)
{
	ARRAY_RESERVE(ti->members, ti->count, ti->cap);
	struct tar_member *m = &ti->members[ti->count++];
	*m = (struct tar_member){
		.name = xstrdup(tarindex_strip(name)),
		.offset = -1,
		.blob = -1,
	};
	if (archive_entry_filetype(ae) != AE_IFREG || archive_entry_hardlink(ae) != NULL)
		m->link = tarindex_link(m->name, ae);
	return m;
}

/* Whether a tar entry is a member: a regular file or a link (to one). */
static int
tarindex_is_member(struct archive_entry *ae)
{
	unsigned type = archive_entry_filetype(ae);

	return type == AE_IFREG || type == AE_IFLNK || archive_entry_hardlink(ae) != NULL;
}

int
tarindex_read(struct tarindex *ti, int fd, int64_t file_size, char **cause)
{
	struct stream *s = stream_region_new(fd, 0, file_size, STREAM_TAR_BLOCK);
	struct tarread tr = { .in = s };
	struct archive *a = tarread_new(&tr, 0);
	struct archive_entry *ae;
	size_t headers = 0;
	int r, rc = -1;

	memset(ti, 0, sizeof *ti);
	ti->fd = fd;
	if (archive_read_open1(a) != ARCHIVE_OK) {
		*cause = xasprintf("not a tar archive (%s)", archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		headers++;
		const char *name = archive_entry_pathname(ae);
		if (name == NULL || !tarindex_is_member(ae))
			continue;
		if (archive_entry_filetype(ae) != AE_IFREG || archive_entry_hardlink(ae) != NULL) {
			tarindex_add(ti, name, ae);
			continue;
		}
		int64_t off = archive_filter_bytes(a, 0);
		int64_t size = archive_entry_size(ae);
		if (size < 0 || off < 0 || off > file_size || size > file_size - off) {
			char *e = escape_str(name, strlen(name), 0);
			*cause = xasprintf("truncated tar archive: member '%s' ends past "
			                   "the end of the file", e);
			free(e);
			goto out;
		}
		struct tar_member *m = tarindex_add(ti, name, ae);
		m->offset = off;
		m->size = size;
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
	for (size_t i = 0; i < ti->count; i++) {
		free(ti->members[i].name);
		free(ti->members[i].link);
		free(ti->members[i].data);
	}
	free(ti->members);
	ti->members = NULL;
	ti->count = ti->cap = 0;
}

const struct tar_member *
tarindex_find(const struct tarindex *ti, const char *name)
{
	const struct tar_member *found = NULL;

	name = tarindex_strip(name);
	for (int hops = 0; hops < 8; hops++) {
		found = NULL;
		/* The last one wins, as when the tar is extracted. */
		for (size_t i = 0; i < ti->count; i++)
			if (strcmp(ti->members[i].name, name) == 0)
				found = &ti->members[i];
		if (found == NULL || found->link == NULL)
			return found;
		name = found->link;
	}
	return NULL;	/* links in a loop */
}

char *
tarindex_slurp(const struct tarindex *ti, const struct tar_member *m,
               size_t max, char **cause)
{
	size_t done = 0;
	char *buf;

	if (m->offset < 0) {
		if (m->data == NULL) {
			*cause = xasprintf("'%s' (%lld bytes) was not kept as a metadata file: "
			                   "not JSON, or too large", m->name, (long long)m->size);
			return NULL;
		}
		if ((uint64_t)m->size > max) {
			*cause = xasprintf("'%s' is too large (%lld bytes) for a metadata file",
			                   m->name, (long long)m->size);
			return NULL;
		}
		buf = xmalloc((size_t)m->size + 1);
		memcpy(buf, m->data, (size_t)m->size);
		buf[m->size] = '\0';
		return buf;
	}
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

/* ------------------------------------------------------------ streamed */

#define TARINDEX_HEAD 512	/* enough to tell a tar (magic at 257) */
#define TARINDEX_BLOCK (256u << 10)

/* A streamed member's bytes: the head already read, then the rest. */
struct member_stream {
	struct stream s;
	struct archive *a;
	const char *head;
	size_t nhead;
	int head_done;
	char *buf;		/* owned */
};

static ssize_t
member_read(struct stream *s, const void **buf)
{
	struct member_stream *m = (struct member_stream *)s;

	if (!m->head_done) {
		m->head_done = 1;
		if (m->nhead > 0) {
			*buf = m->head;
			return (ssize_t)m->nhead;
		}
	}
	la_ssize_t n = archive_read_data(m->a, m->buf, TARINDEX_BLOCK);
	if (n < 0) {
		free(s->error);
		s->error = xstrdup(archive_error_string(m->a) ? archive_error_string(m->a) :
		                   "unreadable");
		return -1;
	}
	*buf = m->buf;
	return n;
}

static void
member_free(struct stream *s)
{
	struct member_stream *m = (struct member_stream *)s;

	free(m->buf);
	free(m);
}

static const struct stream_ops member_ops = {
	.read = member_read,
	.skip = NULL,
	.free = member_free,
};

/* Whether a member's first bytes are a layer: compressed, a tar header, or
 * the zero blocks of an empty tar. */
static int
tarindex_looks_layer(const unsigned char *head, size_t n)
{
	if (sniff_compression(head, n) != NULL)
		return 1;
	if (n >= 263 && memcmp(head + 257, "ustar", 5) == 0)
		return 1;
	if (n < 512)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (head[i] != 0)
			return 0;
	return 1;
}

/* Reads into buf until it holds want bytes or the member ends. */
static la_ssize_t
tarindex_fill(struct archive *a, char *buf, size_t want)
{
	size_t got = 0;

	while (got < want) {
		la_ssize_t n = archive_read_data(a, buf + got, want - got);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (la_ssize_t)got;
}

/* Hands a layer member to blob, as a stream that gives head first, then
 * the rest from the archive. 0, or -2 with *cause. */
static int
tarindex_stream_layer(struct archive *a, struct tar_member *m, const unsigned char *head,
                      size_t n, tarindex_blob_fn blob, void *ctx, char **cause)
{
	struct member_stream *ms = xcalloc(1, sizeof *ms);
	char *why = NULL;

	ms->s.ops = &member_ops;
	ms->a = a;
	ms->head = (const char *)head;
	ms->nhead = n;
	ms->buf = xmalloc(TARINDEX_BLOCK);
	m->blob = blob(ctx, m->name, m->size, &ms->s, head, n, &why);
	if (m->blob >= 0)
		return 0;
	char *e = escape_str(m->name, strlen(m->name), 0);
	*cause = xasprintf("layer member '%s': %s", e, why);
	free(e);
	free(why);
	return -2;
}

/* Keeps a small member's bytes (a metadata file): the n of head, then the
 * rest. -1 with the archive's error set when it cannot be read whole. */
static int
tarindex_stream_keep(struct archive *a, struct tar_member *m, const unsigned char *head,
                     la_ssize_t n)
{
	m->data = xmalloc((size_t)m->size + 1);
	memcpy(m->data, head, (size_t)n);
	la_ssize_t rest = tarindex_fill(a, m->data + n, (size_t)(m->size - n));
	if (rest < 0)
		return -1;
	if (n + rest != m->size) {
		archive_set_error(a, -1, "member '%s' is truncated", m->name);
		return -1;
	}
	m->data[m->size] = '\0';
	return 0;
}

/* Why reading stopped before the end: the stream's own error first (a
 * process failed, a connection dropped), else libarchive's. -1 when not
 * even one header was read (not a tar), else -2. */
static int
tarindex_stream_cause(struct archive *a, const struct stream *in, size_t headers,
                      char **cause)
{
	if (in->error != NULL) {
		*cause = xstrdup(in->error);
		return -2;
	}
	const char *why = archive_error_string(a) ? archive_error_string(a) : "unreadable";
	*cause = headers == 0 ? xasprintf("not a tar archive (%s)", why) :
	         xasprintf("truncated or damaged tar archive after %zu members (%s)",
	                   headers, why);
	return headers == 0 ? -1 : -2;
}

int
tarindex_stream(struct tarindex *ti, struct stream *in, tarindex_blob_fn blob,
                void *ctx, char **cause)
{
	struct tarread tr = { .in = in };
	struct archive *a = tarread_new(&tr, 0);
	struct archive_entry *ae;
	size_t headers = 0;
	unsigned char head[TARINDEX_HEAD];	/* a layer's stream reads it: lives here */
	int r, rc = -1;

	memset(ti, 0, sizeof *ti);
	ti->fd = -1;
	if (archive_read_open1(a) != ARCHIVE_OK) {
		if (in->error != NULL) {
			*cause = xstrdup(in->error);
			rc = -2;
		} else {
			*cause = xasprintf("not a tar archive (%s)", archive_error_string(a));
		}
		goto out;
	}
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		headers++;
		const char *name = archive_entry_pathname(ae);
		if (name == NULL || !tarindex_is_member(ae))
			continue;
		struct tar_member *m = tarindex_add(ti, name, ae);
		if (m->link != NULL || archive_entry_filetype(ae) != AE_IFREG)
			continue;
		m->size = archive_entry_size(ae);
		la_ssize_t n = tarindex_fill(a, (char *)head, sizeof head);
		if (n < 0)
			break;
		if (tarindex_looks_layer(head, (size_t)n)) {
			if ((rc = tarindex_stream_layer(a, m, head, (size_t)n, blob, ctx, cause)) < 0)
				goto out;
			continue;
		}
		if (m->size < 0 || (uint64_t)m->size > TARINDEX_JSON_MAX)
			continue;	/* neither a layer nor metadata: not kept */
		if (tarindex_stream_keep(a, m, head, n) < 0) {
			r = ARCHIVE_FATAL;
			break;
		}
	}
	rc = r == ARCHIVE_EOF ? 0 : tarindex_stream_cause(a, in, headers, cause);
out:
	archive_read_free(a);
	if (rc < 0)
		tarindex_fini(ti);
	return rc;
}
