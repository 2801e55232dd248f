/* layercache: what scanning a layer found (its entries, the small files the
 * analysis keeps, its totals), kept on disk by the digest of the layer's
 * tar (its diff_id), with the stored blob's digest mapped to it, so that a
 * layer seen once is never read again: an archive seeks past it, a
 * registry does not download it. Never prints: warnings come back.
 *
 * Layout of the directory ($XDG_CACHE_HOME/fathom, else ~/.cache/fathom):
 *   v1/layers/ALG/HEX   one entry: a versioned header, the scan's chunks,
 *                       an XXH3-128 checksum of all that comes before
 *   v1/blobs/ALG/HEX    the diff_id a stored blob's digest stands for
 *   v1/lock             flock(2) while entries are evicted
 * An entry is written to a temporary name and renamed; its use refreshes
 * its time; least recently used entries go past the size limit. A corrupt,
 * truncated or foreign entry is detected (header, bounds, checksum),
 * dropped with a warning and rebuilt, never used. A directory that cannot
 * be written (read-only, full) leaves fathom without a cache, warned once.
 * Several processes may share one directory. */
#ifndef FATHOM_LAYERCACHE_H
#define FATHOM_LAYERCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "image/layer.h"

#define LAYERCACHE_SIZE (1ull << 30)	/* default bound of the directory */

struct layercache;

/* The cache in dir (NULL: the default directory) bounded to max bytes.
 * NULL when it cannot be used, with *warning saying why (or NULL when
 * there is no HOME either). */
struct layercache *layercache_open(const char *dir, uint64_t max, char **warning);
void layercache_close(struct layercache *c);
/* Its directory. */
const char *layercache_dir(const struct layercache *c);

/* The diff_id a stored blob's digest was mapped to (owned), or NULL. */
char *layercache_diff_id(struct layercache *c, const char *blob_digest);

/* What a use of an entry may accept. */
enum {
	LAYERCACHE_UNHASHED = 1,	/* files whose bytes were skipped (usable
					 * where the same uncompressed blob can be
					 * read again) */
	LAYERCACHE_UNVERIFIED = 2,	/* made from bytes not checked against
					 * diff_id (usable unless --verify) */
};

/* Emits the chunks of the entry of diff_id as layer_scan would (emit
 * NULL: none, the totals only), and its
 * totals into *out, when the entry is one `accept` (LAYERCACHE_*) allows
 * and its tar is at most max_bytes (0: any; a bigger one is read, to fail
 * as an uncached read fails).
 * Returns 1 when it did; 0 when there is no usable entry (with *warning
 * when a bad one was dropped); -1 when emit stopped. Any thread. */
int layercache_load(struct layercache *c, const char *diff_id, unsigned accept,
                    uint64_t max_bytes, layer_emit_fn emit, void *ctx, struct blob *out,
                    char **warning);
/* Whether diff_id has an entry that holds skipped files (ask before
 * layercache_load when accepting them costs a look at the blob). */
int layercache_unhashed(struct layercache *c, const char *diff_id);

/* Records a scan as it goes, for diff_id (and blob_digest, or NULL);
 * verified: its bytes are checked against diff_id as they are read. */
struct layercache_writer;
struct layercache_writer *layercache_writer_new(struct layercache *c, const char *diff_id,
                                                const char *blob_digest, int verified);
/* Adds a chunk, before it is handed on. */
void layercache_writer_chunk(struct layercache_writer *w, const struct scan_chunk *chunk);
/* ok: the scan succeeded, totals its result: the entry is put in place
 * (else dropped). Returns 0, or -1 with *warning when the directory could
 * not take it. Frees w. */
int layercache_writer_end(struct layercache_writer *w, int ok, const struct blob *totals,
                          char **warning);

/* One entry, as `fathom cache` lists it. */
struct layercache_item {
	char *diff_id;		/* owned */
	uint64_t bytes;
	int64_t used;		/* last use, seconds since the epoch */
};

/* Every entry, most recently used first. Returns 0, or -1 with *cause. */
int layercache_list(struct layercache *c, struct layercache_item **items, size_t *n,
                    char **cause);
void layercache_items_free(struct layercache_item *items, size_t n);
/* Drops the least recently used entries until the cache holds at most
 * max bytes (0: every entry); *dropped, *freed say what went. */
int layercache_prune(struct layercache *c, uint64_t max, size_t *dropped, uint64_t *freed,
                     char **cause);

#endif
