/* stream: a forward byte stream handed out in blocks (a file region, later a
 * socket or a decompressor). Owns its buffer; never prints. */
#ifndef FATHOM_STREAM_H
#define FATHOM_STREAM_H

#include <stdint.h>
#include <sys/types.h>

struct stream;

struct stream_ops {
	/* Points *buf at the next block; returns its length, 0 at the end,
	 * -1 on error (stream_error tells why). */
	ssize_t (*read)(struct stream *s, const void **buf);
	/* Skips up to n bytes; returns how many, -1 on error. NULL: not seekable. */
	int64_t (*skip)(struct stream *s, int64_t n);
	void (*free)(struct stream *s);
};

struct stream {
	const struct stream_ops *ops;
	char *error;		/* last error, owned; NULL when none */
};

ssize_t stream_read(struct stream *s, const void **buf);
int64_t stream_skip(struct stream *s, int64_t n);
const char *stream_error(const struct stream *s);
void stream_free(struct stream *s);

/* A stream over len bytes of fd starting at off, read with pread, so that
 * several streams may share one fd. The fd stays the caller's. */
struct stream *stream_region_new(int fd, int64_t off, int64_t len);
/* A stream over bytes held in memory (borrowed: they must outlive it). */
struct stream *stream_memory_new(const void *data, size_t len);

#endif
