/* stream: byte streams over file regions and memory; see stream.h. */
#include "util/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/fdwrite.h"
#include "util/xalloc.h"

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
	int owns_fd = s->owns_fd, fd = s->fd;

	free(s->error);
	s->ops->free(s);
	if (owns_fd)
		close(fd);
}

struct stream *
stream_own_fd(struct stream *s, int fd)
{
	s->owns_fd = 1;
	s->fd = fd;
	return s;
}

struct region {
	struct stream s;
	int fd;
	int64_t pos, end;
	size_t block;
	char *buf;		/* owned, block bytes */
};

static ssize_t
region_read(struct stream *s, const void **buf)
{
	struct region *r = (struct region *)s;
	size_t want = r->block;
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
stream_region_new(int fd, int64_t off, int64_t len, size_t block)
{
	struct region *r = xcalloc(1, sizeof *r);

	r->s.ops = &region_ops;
	r->fd = fd;
	r->pos = off;
	r->end = off + len;
	r->block = block;
	r->buf = xmalloc(block);
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

struct fdstream {
	struct stream s;
	int fd, owned;
	size_t block;
	char *buf;		/* owned, block bytes */
};

static ssize_t
fdstream_read(struct stream *s, const void **buf)
{
	struct fdstream *f = (struct fdstream *)s;
	ssize_t n;

	do
		n = read(f->fd, f->buf, f->block);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		free(s->error);
		s->error = xasprintf("read error: %s", strerror(errno));
		return -1;
	}
	*buf = f->buf;
	return n;
}

static void
fdstream_free(struct stream *s)
{
	struct fdstream *f = (struct fdstream *)s;

	if (f->owned)
		close(f->fd);
	free(f->buf);
	free(f);
}

static const struct stream_ops fdstream_ops = {
	.read = fdstream_read,
	.skip = NULL,
	.free = fdstream_free,
};

struct stream *
stream_fd_new(int fd, int owned, size_t block)
{
	struct fdstream *f = xcalloc(1, sizeof *f);

	f->s.ops = &fdstream_ops;
#ifdef F_SETPIPE_SZ
	/* a pipe's 64 KiB costs a switch between writer and reader per 64 KiB */
	fcntl(fd, F_SETPIPE_SZ, (int)(block < (1u << 20) ? block : (1u << 20)));
#endif
	f->fd = fd;
	f->owned = owned;
	f->block = block;
	f->buf = xmalloc(block);
	return &f->s;
}

struct peek {
	struct stream s;
	struct stream *in;
	const void *head;
	ssize_t n;		/* the first read's result; -2 once given */
};

static ssize_t
peek_read(struct stream *s, const void **buf)
{
	struct peek *p = (struct peek *)s;
	ssize_t n = p->n;

	if (n != -2) {
		p->n = -2;
		if (n >= 0) {
			*buf = p->head;
			return n;
		}
	} else {
		n = stream_read(p->in, buf);
	}
	if (n < 0) {
		free(s->error);
		s->error = xstrdup(stream_error(p->in));
	}
	return n;
}

static void
peek_free(struct stream *s)
{
	struct peek *p = (struct peek *)s;

	stream_free(p->in);
	free(p);
}

static const struct stream_ops peek_ops = {
	.read = peek_read,
	.skip = NULL,
	.free = peek_free,
};

struct stream *
stream_peek_new(struct stream *in, const void **head, size_t *len)
{
	struct peek *p = xcalloc(1, sizeof *p);

	p->s.ops = &peek_ops;
	p->in = in;
	p->n = stream_read(in, &p->head);
	*head = p->n > 0 ? p->head : NULL;
	*len = p->n > 0 ? (size_t)p->n : 0;
	return &p->s;
}

struct counting {
	struct stream s;
	struct stream *in;
	void (*tell)(void *ctx, uint64_t done);
	void *ctx;
	uint64_t done;
};

static ssize_t
counting_read(struct stream *s, const void **buf)
{
	struct counting *c = (struct counting *)s;
	ssize_t n = stream_read(c->in, buf);

	if (n < 0) {
		free(s->error);
		s->error = xstrdup(stream_error(c->in));
		return n;
	}
	c->done += (uint64_t)n;
	c->tell(c->ctx, c->done);
	return n;
}

static int64_t
counting_skip(struct stream *s, int64_t n)
{
	struct counting *c = (struct counting *)s;
	int64_t k = stream_skip(c->in, n);

	if (k > 0) {
		c->done += (uint64_t)k;
		c->tell(c->ctx, c->done);
	}
	return k;
}

static void
counting_free(struct stream *s)
{
	struct counting *c = (struct counting *)s;

	stream_free(c->in);
	free(c);
}

static const struct stream_ops counting_ops = {
	.read = counting_read,
	.skip = counting_skip,
	.free = counting_free,
};

struct stream *
stream_count_new(struct stream *in, void (*tell)(void *ctx, uint64_t done), void *ctx)
{
	struct counting *c = xcalloc(1, sizeof *c);

	c->s.ops = &counting_ops;
	c->in = in;
	c->tell = tell;
	c->ctx = ctx;
	return &c->s;
}

struct tee {
	struct stream s;
	struct stream *in;
	int fd;
	char *what;
};

static ssize_t
tee_read(struct stream *s, const void **buf)
{
	struct tee *t = (struct tee *)s;
	ssize_t n = stream_read(t->in, buf);

	if (n < 0) {
		free(s->error);
		s->error = xstrdup(stream_error(t->in));
		return n;
	}
	if (fdwrite_all(t->fd, *buf, (size_t)n) < 0) {
		free(s->error);
		s->error = xasprintf("cannot keep %s: %s", t->what, strerror(errno));
		return -1;
	}
	return n;
}

static void
tee_free(struct stream *s)
{
	struct tee *t = (struct tee *)s;

	stream_free(t->in);
	free(t->what);
	free(t);
}

static const struct stream_ops tee_ops = {
	.read = tee_read,
	.skip = NULL,	/* every byte goes to the copy */
	.free = tee_free,
};

struct stream *
stream_tee_new(struct stream *in, int fd, const char *what)
{
	struct tee *t = xcalloc(1, sizeof *t);

	t->s.ops = &tee_ops;
	t->in = in;
	t->fd = fd;
	t->what = xstrdup(what);
	return &t->s;
}

static ssize_t
failed_read(struct stream *s, const void **buf)
{
	(void)s;
	(void)buf;
	return -1;	/* s->error says why */
}

static void
failed_free(struct stream *s)
{
	free(s);
}

static const struct stream_ops failed_ops = {
	.read = failed_read,
	.skip = NULL,
	.free = failed_free,
};

struct stream *
stream_failed_new(char *why)
{
	struct stream *s = xcalloc(1, sizeof *s);

	s->ops = &failed_ops;
	s->error = why;
	return s;
}

#define MAP_BLOCK (1u << 20)		/* handed out per read */
#define MAP_RELEASE (1u << 20)	/* unmapped behind the reader */

struct mapped {
	struct stream s;
	char *base;		/* the mapping (owned), page aligned */
	size_t maplen;
	size_t pos, end;	/* in the mapping */
	size_t released;	/* [0, released) unmapped */
	size_t last;		/* start of the block handed out last */
};

static void
mapped_release(struct mapped *m)
{
	/* The block handed out last stays valid until the next read. */
	size_t upto = m->last & ~(size_t)(MAP_RELEASE - 1);

	if (upto > m->released) {
		madvise(m->base + m->released, upto - m->released, MADV_DONTNEED);
		m->released = upto;
	}
}

static ssize_t
mapped_read(struct stream *s, const void **buf)
{
	struct mapped *m = (struct mapped *)s;
	size_t n = m->end - m->pos;

	if (n > MAP_BLOCK)
		n = MAP_BLOCK;
	m->last = m->pos;
	mapped_release(m);
	*buf = m->base + m->pos;
	m->pos += n;
	return (ssize_t)n;
}

static int64_t
mapped_skip(struct stream *s, int64_t n)
{
	struct mapped *m = (struct mapped *)s;

	if ((uint64_t)n > m->end - m->pos)
		n = (int64_t)(m->end - m->pos);
	m->pos += (size_t)n;
	return n;
}

static void
mapped_free(struct stream *s)
{
	struct mapped *m = (struct mapped *)s;

	munmap(m->base, m->maplen);
	free(m);
}

static const struct stream_ops mapped_ops = {
	.read = mapped_read,
	.skip = mapped_skip,
	.free = mapped_free,
};

struct stream *
stream_map_new(int fd, int64_t off, int64_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	int64_t start = off - off % (page > 0 ? page : 4096);
	size_t maplen = (size_t)(off - start + len);
	void *p;

	if (len <= 0 || (uint64_t)len > SIZE_MAX / 2)
		return stream_region_new(fd, off, len, STREAM_BIG_BLOCK);
	p = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE, fd, start);
	if (p == MAP_FAILED)
		return stream_region_new(fd, off, len, STREAM_BIG_BLOCK);

	struct mapped *m = xcalloc(1, sizeof *m);
	m->s.ops = &mapped_ops;
	m->base = p;
	m->maplen = maplen;
	m->pos = (size_t)(off - start);
	m->end = maplen;
	m->released = 0;
	return &m->s;
}
