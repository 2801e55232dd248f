/* tarread: the one place a libarchive reader is set up over a struct
 * stream: a tar (or, for decompress.c, the raw bytes) with the filters for
 * compressed data when asked. Its read errors carry the stream's own
 * message, and say so, so that callers report what broke. Never prints. */
#ifndef FATHOM_TARREAD_H
#define FATHOM_TARREAD_H

#include <archive.h>

#include "util/stream.h"

enum {
	TARREAD_FILTERS = 1,	/* gzip, zstd, xz and bzip2, by magic bytes */
	TARREAD_EMPTY = 2,	/* an empty stream is an empty tar */
	TARREAD_RAW = 4,	/* not a tar: the (decompressed) bytes as one entry */
};

/* What the callbacks read from; keep it alive as long as the reader. */
struct tarread {
	struct stream *in;	/* borrowed */
	int failed;		/* a read error was the stream's, not the tar's */
};

/* A reader of t->in (not yet opened: call archive_read_open1). */
struct archive *tarread_new(struct tarread *t, unsigned flags);

#endif
