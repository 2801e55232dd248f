/* stream: byte streams over file regions and memory; see stream.h. */
#include "util/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

#define STREAM_BLOCK (1 << 20)

ssize_t
stream_read(struct stream *s, const void **buf)
{
	return s->ops->read(s, buf);
}

int64_t
stream_skip(struct stream *s, int64_t n)
{
	return s->ops->skip != NULL ? s->ops->skip(s, n) : 0;
}

const char *
stream_error(const struct stream *s)
{
	return s->error != NULL ? s->error : "read error";
}

void
stream_free(struct stream *s)
{
	if (s == NULL)
		return;
	free(s->error);
	s->ops->free(s);
}

struct region {
	struct stream s;
	int fd;
	int64_t pos, end;
	char *buf;		/* owned, STREAM_BLOCK bytes */
};

static ssize_t
region_read(struct stream *s, const void **buf)
{
	struct region *r = (struct region *)s;
	size_t want = STREAM_BLOCK;
	ssize_t n;

	if (r->pos >= r->end)
		return 0;
	if ((int64_t)want > r->end - r->pos)
		want = (size_t)(r->end - r->pos);
	do
		n = pread(r->fd, r->buf, want, r->pos);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		free(s->error);
		s->error = xasprintf("read error: %s", strerror(errno));
		return -1;
	}
	if (n == 0) {
		free(s->error);
		s->error = xstrdup("unexpected end of file (truncated)");
		return -1;
	}
	r->pos += n;
	*buf = r->buf;
	return n;
}

static int64_t
region_skip(struct stream *s, int64_t n)
{
	struct region *r = (struct region *)s;

	if (n > r->end - r->pos)
		n = r->end - r->pos;
	r->pos += n;
	return n;
}

static void
region_free(struct stream *s)
{
	struct region *r = (struct region *)s;

	free(r->buf);
	free(r);
}

static const struct stream_ops region_ops = {
	.read = region_read,
	.skip = region_skip,
	.free = region_free,
};

struct stream *
stream_region_new(int fd, int64_t off, int64_t len)
{
	struct region *r = xcalloc(1, sizeof *r);

	r->s.ops = &region_ops;
	r->fd = fd;
	r->pos = off;
	r->end = off + len;
	r->buf = xmalloc(STREAM_BLOCK);
	return &r->s;
}

struct memory {
	struct stream s;
	const char *data;	/* borrowed */
	size_t pos, len;
};

static ssize_t
memory_read(struct stream *s, const void **buf)
{
	struct memory *m = (struct memory *)s;
	size_t n = m->len - m->pos;

	if (n > STREAM_BLOCK)
		n = STREAM_BLOCK;
	*buf = m->data + m->pos;
	m->pos += n;
	return (ssize_t)n;
}

static int64_t
memory_skip(struct stream *s, int64_t n)
{
	struct memory *m = (struct memory *)s;

	if ((uint64_t)n > m->len - m->pos)
		n = (int64_t)(m->len - m->pos);
	m->pos += (size_t)n;
	return n;
}

static void
memory_free(struct stream *s)
{
	free(s);
}

static const struct stream_ops memory_ops = {
	.read = memory_read,
	.skip = memory_skip,
	.free = memory_free,
};

struct stream *
stream_memory_new(const void *data, size_t len)
{
	struct memory *m = xcalloc(1, sizeof *m);

	m->s.ops = &memory_ops;
	m->data = data;
	m->len = len;
	return &m->s;
}
