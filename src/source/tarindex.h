/* tarindex: the members of an uncompressed tar file, found from headers
 * alone (data is skipped with seeks), so that any member can be read later
 * as a region of the file. Or, for a tar that streams by (stdin, a socket),
 * the same table filled as it passes: metadata members kept in memory,
 * layer members handed to a reader once and known by the blob it made.
 * Symlinks and hard links between members (docker save links a layer used
 * twice) are followed by tarindex_find. Never prints. */
#ifndef FATHOM_TARINDEX_H
#define FATHOM_TARINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "util/stream.h"

struct tar_member {
	char *name;		/* owned; leading "./" and "/" dropped */
	int64_t offset;		/* of the data in the file (-1: streamed) */
	int64_t size;
	char *link;		/* owned: the member this one links to, or NULL */
	char *data;		/* owned: a streamed metadata member's bytes */
	long blob;		/* a streamed layer member's blob, or -1 */
};

#define TARINDEX_JSON_MAX (64u << 20)	/* metadata kept from a stream */

struct tarindex {
	int fd;			/* borrowed */
	struct tar_member *members;	/* owned */
	size_t count, cap;
};

/* Indexes the regular files of the tar on fd (of size file_size).
 * Returns 0; -1 with *cause (owned) when it is not a tar; -2 with *cause
 * when it is a tar but truncated or damaged. */
int tarindex_read(struct tarindex *ti, int fd, int64_t file_size, char **cause);
void tarindex_fini(struct tarindex *ti);
/* Called for each member of a streamed tar that holds a layer (a tar or
 * compressed data, by its first bytes, which head holds), of size bytes: data (the
 * callee's to free, before the next member) streams the member from its
 * first byte. Returns the blob made, or -1 with *cause (which stops the
 * reading). */
typedef long (*tarindex_blob_fn)(void *ctx, const char *name, int64_t size,
                                 struct stream *data, const void *head, size_t nhead,
                                 char **cause);

/* Reads a tar as it streams from in (not seekable). Returns 0; -1 with
 * *cause when it is not a tar; -2 when it is damaged or a blob failed. */
int tarindex_stream(struct tarindex *ti, struct stream *in, tarindex_blob_fn blob,
                    void *ctx, char **cause);

/* The member called name (links followed), or NULL. */
const struct tar_member *tarindex_find(const struct tarindex *ti, const char *name);
/* Reads a member of at most max bytes into a NUL-terminated buffer (owned by
 * the caller). Returns it, or NULL with *cause. A streamed member gives
 * the bytes kept (none for a layer). */
char *tarindex_slurp(const struct tarindex *ti, const struct tar_member *m,
                     size_t max, char **cause);

#endif
