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
	int owns_fd, fd;	/* a file closed when the stream is freed */
};

ssize_t stream_read(struct stream *s, const void **buf);
int64_t stream_skip(struct stream *s, int64_t n);
const char *stream_error(const struct stream *s);
void stream_free(struct stream *s);
/* Makes s close fd when it is freed (a file opened for this stream only);
 * returns s. */
struct stream *stream_own_fd(struct stream *s, int fd);

/* A stream over len bytes of fd starting at off, read with pread in blocks
 * of block bytes, so that several streams may share one fd. Small blocks
 * let a reader that skips most bytes (tar headers only) read little more
 * than it needs: 4 KiB measured fastest on the benchmark image, against
 * 512 (a syscall per header) and 64 KiB (reading most small files). The fd
 * stays the caller's. */
struct stream *stream_region_new(int fd, int64_t off, int64_t len, size_t block);
#define STREAM_BIG_BLOCK (1u << 20)
#define STREAM_TAR_BLOCK 4096u
/* The same through a read-only mapping of the region, when the system can
 * map it (else a pread stream): no copy and no system call per block, and
 * what was read is unmapped behind the reader, so that the pages of a big
 * file never pile up in the process's memory. The file must not shrink
 * while it is read. */
struct stream *stream_map_new(int fd, int64_t off, int64_t len);
/* A stream over what read(2) gives from fd (a pipe, a socket, stdin), in
 * blocks of block bytes; not seekable. Closes fd when freed if owned. */
struct stream *stream_fd_new(int fd, int owned, size_t block);
/* Reads in's first block now, so that it can be looked at (*head, *len;
 * valid while the stream lives), and returns a stream (owning in) that
 * gives that block again, then the rest. */
struct stream *stream_peek_new(struct stream *in, const void **head, size_t *len);
/* A stream of in's bytes (in owned by it) that tells tell(ctx, bytes so
 * far) after each block. */
struct stream *stream_count_new(struct stream *in, void (*tell)(void *ctx, uint64_t done),
                                void *ctx);
/* A stream over in (owned) that writes every block it reads to fd (the
 * caller's), so that what streamed by can be read again from fd; it reads
 * what it is asked to skip. A failed write fails the stream, naming what
 * (e.g. "a temporary file in /tmp") and the error. */
struct stream *stream_tee_new(struct stream *in, int fd, const char *what);
/* A stream that fails at its first read with why (owned by it). */
struct stream *stream_failed_new(char *why);
/* A stream over bytes held in memory (borrowed: they must outlive it),
 * handed out as one block: a mapped file is read without copying. */
struct stream *stream_memory_new(const void *data, size_t len);

#endif
