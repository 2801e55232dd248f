/* layer: reads one layer blob (tar, gzip, zstd, ... sniffed by magic) into
 * the image: the layer's change set. In two steps, so that blobs can be
 * read in parallel: layer_scan turns the bytes into chunks of scanned
 * entries (names cleaned and classified; touches no shared state, any
 * thread), layer_commit puts a chunk into the image's tree and entries (one
 * thread, in blob order). Independent of the other layers; never prints. */
#ifndef FATHOM_LAYER_H
#define FATHOM_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "util/stream.h"

struct image;

/* One layer blob read into entries [first, first + count) of the image. */
struct blob {
	size_t first, count;
	uint64_t size;		/* sum of the tar header sizes */
	uint64_t tar_entries;	/* tar headers read */
	uint64_t tar_bytes;	/* bytes of the tar, up to the blob's end */
};

/* A tar entry, scanned: what struct entry holds, with its cleaned path in
 * the chunk's bytes instead of a node. */
struct scan_entry {
	uint64_t size, hash;
	uint32_t uid, gid;
	uint32_t path, path_len;	/* the path (the deleted one for a
					 * whiteout, the directory for an
					 * opaque marker); "" is the root */
	uint32_t dir_len;		/* its directory part */
	uint32_t link, link_len;	/* the link target; link_len 0: none */
	uint16_t mode;
	uint8_t type, flags;
};

#define SCAN_CHUNK_ENTRIES 4096

/* A small file the analysis reads later (image_keeps), read whole. */
struct scan_kept {
	size_t index;			/* its entry in the chunk */
	char *data;			/* owned */
	size_t len;
};

struct scan_chunk {
	struct scan_entry *entries;	/* owned */
	size_t count, cap;
	char *bytes;			/* owned: paths and link targets */
	size_t used, cbytes;
	struct scan_kept *kept;		/* owned */
	size_t nkept, ckept;
};

/* Receives each full chunk (and the last one) and owns it from then on.
 * Returns 0 to go on, -1 to stop the scan (it then fails with "stopped"). */
typedef int (*layer_emit_fn)(void *ctx, struct scan_chunk *chunk);

/* How to scan: skip_data for an uncompressed blob of skip_len bytes that
 * the source can read again at any offset: regular files' bytes are then
 * skipped, not hashed (see ENTRY_UNHASHED). */
struct scan_opts {
	int skip_data;
	int64_t skip_len;
	uint64_t max_bytes;	/* the most bytes the tar may have; 0: no limit */
};

/* Scans the blob from in. Fills size, tar_entries and tar_bytes of *out. Returns 0, or
 * -1 with *cause (owned) naming the tar entry at fault. */
int layer_scan(struct stream *in, const struct scan_opts *o, layer_emit_fn emit,
               void *ctx, struct blob *out, char **cause);
void scan_chunk_free(struct scan_chunk *c);

/* Where layer_commit keeps its place between the chunks of one blob. */
struct layer_commit {
	char *dir;		/* last directory looked up (owned) */
	size_t ldir, cdir;
	uint32_t dir_node;
};

/* Adds a chunk's entries to the image, in order. Start a blob with a zeroed
 * struct layer_commit and end it with layer_commit_end. */
void layer_commit(struct image *img, struct layer_commit *lc, const struct scan_chunk *c);
void layer_commit_end(struct layer_commit *lc);

/* Streams the bytes of the index-th entry that layer_scan would give for
 * the blob in `in` (a regular file) to write. Returns 0, or -1 with *cause. */
int layer_file_bytes(struct stream *in, size_t index,
                     int (*write)(void *ctx, const void *buf, size_t len),
                     void *ctx, char **cause);

struct archive;
struct archive_entry;
/* Gets each entry that layer_scan would give for the blob, with its index
 * among them, the reader and its header (valid during the call). Returns
 * 0 to go on, 1 to stop the walk, -1 with *why (owned, or NULL: the
 * reader's error) to fail it. */
typedef int (*layer_visit_fn)(void *ctx, size_t index, struct archive *a,
                              struct archive_entry *ae, char **why);
/* Reads the blob in `in` once, entry by entry. Returns 0, or -1 with
 * *cause naming the entry at fault. */
int layer_walk(struct stream *in, layer_visit_fn visit, void *ctx, char **cause);

/* The same walk, pulled an entry at a time, so that several blobs can be
 * walked side by side (a squash merges them in path order). new never
 * fails (an error comes with the first next); in is borrowed. */
struct layer_walker;
struct layer_walker *layer_walker_new(struct stream *in);
/* The next entry that layer_scan would give: 1 with its index and header
 * (valid until the next call), 0 at the end of the tar, -1 with *cause
 * (owned) naming the entry at fault. */
int layer_walker_next(struct layer_walker *w, size_t *index, struct archive_entry **ae,
                      char **cause);
/* The reader, for the entry's data (layer_copy_data) and where it is in
 * the tar (archive_read_header_position, archive_filter_bytes). */
struct archive *layer_walker_archive(struct layer_walker *w);
/* A failure at entry ae (NULL: none) as layer_walk says it: the stream's
 * own error when it broke, else "entry 'NAME': why" (why NULL: the
 * reader's); owned. */
char *layer_walker_error(struct layer_walker *w, struct archive_entry *ae, const char *why);
void layer_walker_free(struct layer_walker *w);
/* Streams the data of the entry a walk is at to write (sparse holes as
 * zeros). Returns 0, 1 when write stopped it, -1 on a read error. */
int layer_copy_data(struct archive *a, int (*write)(void *ctx, const void *buf, size_t len),
                    void *ctx);

/* Scans and commits a whole blob in this thread: entries from first on. */
int layer_read(struct image *img, struct stream *in, const struct scan_opts *o,
               struct blob *out, char **cause);

#endif
