/* tarstream: the members of a tar that streams by once (standard input, a
 * pipe, a decompressed archive, an engine's export): read in one pass,
 * metadata members kept in memory, layer members scanned into blobs as
 * they pass (source_scan_member). With source_opts.spool the stream is
 * also copied into an unnamed file in $TMPDIR as it is read, and the
 * blobs are read again from that copy; without it, they cannot be.
 * The transports that stream fill their ops with these calls and add
 * only how they get the stream. Never prints. */
#ifndef FATHOM_TARSTREAM_H
#define FATHOM_TARSTREAM_H

#include "source/transport.h"

/* Reads the tar that streams from in (owned) into src->tpriv. Returns 0,
 * or -1 with *cause. */
int tarstream_open(struct source *src, struct stream *in, char **cause);
int tarstream_has(const struct source *src, const char *name);
char *tarstream_read(struct source *src, const char *name, size_t max, size_t *len,
                     char **cause);
long tarstream_blob(struct source *src, const char *name, const char *digest, const char *key,
                    int64_t size, char **cause);
/* NULL stream ops when the stream was not copied: see tarstream_reader. */
struct stream *tarstream_open_blob(const struct source *src, size_t b, int map);
int tarstream_read_at(const struct source *src, size_t b, uint64_t offset, uint64_t len,
                      int (*write)(void *wctx, const void *buf, size_t n), void *wctx,
                      char **cause);
void tarstream_close(struct source *src);

/* The rows of a streaming transport's transport_ops that are these calls:
 * its own rows are its names, help, probe and open. */
#define TARSTREAM_OPS                       \
	.shape = TRANSPORT_TAR,             \
	.streams = 1,                       \
	.reading = "reading",               \
	.has = tarstream_has,               \
	.read = tarstream_read,             \
	.blob = tarstream_blob,             \
	.open_blob = tarstream_open_blob,   \
	.read_at = tarstream_read_at,       \
	.close = tarstream_close

#endif
