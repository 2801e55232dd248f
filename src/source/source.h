/* source: where an image's bytes come from, and how its structure is read
 * from them: a *transport* gives bytes by name (a tar file, a directory,
 * standard input or a pipe, a compressed archive, an engine's stream, a
 * registry; transport.h), a *format* reads the image's manifests, config
 * and layers through it (docker-archive, OCI layout; format.h). Each is one
 * file filling an ops table, listed once in source.c, from which the kinds
 * --source and "KIND://" name, detection and the help text all come.
 * Turns what they find into an image model. Never prints: errors come back
 * as an owned message naming the file, the layer and the tar entry. */
#ifndef FATHOM_SOURCE_H
#define FATHOM_SOURCE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "image/image.h"
#include "util/stream.h"

struct source_opts {
	const char *kind;	/* --source NAME, or NULL to detect */
	const char *platform;	/* "os/arch[/variant]", or NULL: the host's */
	const char *image;	/* --image REF: pick an image by tag, or NULL */
	int jobs;		/* threads reading layers; 0: one per core */
	int insecure;		/* registries over plain HTTP */
	uint64_t max_layer_bytes;	/* a layer's tar, uncompressed; 0: the default */
	long timeout;		/* seconds a network source may stall; 0: 60 */
	int verify;		/* blobs against their digests, layers against the
				 * config's diff_ids: 1 yes, -1 no, 0 the default
				 * (yes for registries and engines) */
	int cache;		/* the layer cache (layercache.h): 1 or 0 on,
				 * -1 off (--no-cache) */
	uint64_t cache_size;	/* its bound (--cache-size); 0: 1 GiB */
	struct layercache *layercache;	/* borrowed: the cache to use, shared
				 * by the loads of one command (fathom scan:
				 * a directory that cannot be written is
				 * warned about once); NULL: each load opens
				 * its own */
	int metadata;		/* the manifests and config only: layers are
				 * listed, never read (fathom inspect) */
	int sizes;		/* the layers' totals only (fathom history):
				 * scanned or taken from the cache, their
				 * entries never put in the model */
	int spool;		/* a streamed image (stdin, an engine) is copied
				 * as it is read into an unnamed temporary file
				 * in $TMPDIR, gone at exit, so that file bytes
				 * can be read again (squash, extract, pager) */
	/* Told how loading goes, or NULL: what is loading (a layer, a blob),
	 * its state, bytes done of total (0: not known). From any thread.
	 * A blob the layer cache gives is told once, state "cached", its
	 * stored bytes as done and total (none of them read). */
	void (*progress)(void *ctx, const char *what, const char *state, uint64_t done,
	                 uint64_t total);
	void *progress_ctx;
};

#define SOURCE_MAX_LAYER_BYTES (64ull << 30)

/* Opens spec ("PATH", "-", "KIND://PATH", a bare image name) and reads the
 * whole image model. Returns 0 with *out (owned by the caller), or -1 with
 * *cause. */
int source_load(const char *spec, const struct source_opts *opts,
                struct image **out, char **cause);
/* The same from an archive that streams from in (owned), named name in
 * messages ("kind://name" forces the format): as standard input is read. */
int source_load_stream(const char *name, struct stream *in, const struct source_opts *opts,
                       struct image **out, char **cause);

/* The kinds --source takes, one per line "  NAME  what it reads", for help
 * texts; static. */
const char *source_kinds_help(void);

/* ------------------------------------------------ for transports, formats */

struct transport_ops;
struct format_ops;

/* Where one layer blob is, as its transport wants to find it again. */
struct source_blob {
	char *key;		/* owned: member name or digest, for sharing */
	char *path;		/* owned: a file of the transport's, or NULL */
	int64_t offset, size;	/* a region of the transport's file */
};

/* An image being opened. */
struct source {
	const struct transport_ops *tp;
	const struct format_ops *fmt;	/* NULL until chosen */
	const char *name;	/* for messages: what the user named (borrowed) */
	const char *spec;	/* the path or reference, without a scheme (borrowed) */
	const char *kind;	/* the kind that reads it ("oci-archive"...), static */
	int named;		/* a scheme or --source named the transport */
	const struct source_opts *opts;	/* borrowed */
	void *tpriv;		/* owned by the transport: its state */
	const char *index_name;	/* what an OCI index is called in messages */
	int scanned;		/* the blobs were read as they streamed by */
	int once;		/* ... and not kept: nothing to read again */
	struct image *img;	/* owned until handed to the caller */
	struct source_blob *blobs;	/* owned; index = image blob */
	size_t nblobs, cblobs;
	char **diffs;		/* owned: per blob, the sha256 of its tar, when
				 * a streamed archive is verified */
	struct source_progress *progress;	/* owned: per blob, when told */
	size_t nprogress;
	struct layercache *cache;	/* owned (unless borrowed), or NULL */
	int cache_borrowed;		/* opts->layercache: the caller's */
	struct layercache_writer **writers;	/* owned: per blob, while scanned */
	char **recorded;		/* owned: per blob, the sha256 of its tar
					 * as read, to check before caching it */
	uint8_t *checked;		/* per blob: its tar is checked against
					 * diff_id as read (1) or recorded (2) */
	pthread_mutex_t mu;		/* the warnings of reading threads */
	char **warnings;		/* owned: for the image, once loaded */
	size_t nwarnings, cwarnings;
};

/* The blob called key (a member name or a digest), added when new with
 * where it is; returns its index. */
size_t source_blob(struct source *src, const char *key, const char *path, int64_t offset,
                   int64_t size);
/* Adds the next layer of the image, made of blob b; returns its index. */
size_t source_add_layer(struct source *src, size_t b);

/* For a transport whose bytes stream by: reads the layer member name (size
 * bytes, its first bytes head) from data, now, into the next blob. Returns
 * the blob, or -1 with *cause. */
long source_scan_member(struct source *src, const char *name, int64_t size,
                        struct stream *data, const void *head, size_t nhead, char **cause);

/* A member's bytes through the transport (at most max; owned, NUL-ended).
 * NULL with *cause. */
char *source_read(struct source *src, const char *name, size_t max, size_t *len, char **cause);
/* A document by digest (manifest 1: a manifest or index), checked against
 * it: the transport's own way (a registry), else the member
 * "blobs/ALG/HEX", checked when --verify. */
char *source_read_digest(struct source *src, const char *digest, int manifest, size_t max,
                         size_t *len, char **cause);
/* "blobs/ALG/HEX" for a digest, refusing anything that could name another
 * file (image-spec descriptor.md grammar); NULL with *cause. */
char *source_digest_path(const char *digest, char **cause);
/* For transports that keep blobs as regions of a file: blob b's region of
 * fd as a stream (mapped when map: read from its headers alone), and len
 * bytes of it from offset to write. The fd stays the caller's. */
struct stream *source_file_stream(const struct source *src, int fd, size_t b, int map);
int source_file_read(const struct source *src, int fd, size_t b, uint64_t offset, uint64_t len,
                     int (*write)(void *wctx, const void *buf, size_t n), void *wctx,
                     char **cause);
/* Whether the transport has a member called name. */
int source_has(const struct source *src, const char *name);
/* When blobs are verified (--verify), whether data has the digest want;
 * returns 0 (also when not verifying), or -1 with *cause naming both. */
int source_check_bytes(const struct source *src, const void *data, size_t len,
                       const char *want, char **cause);
/* Parses JSON text; returns it, or NULL with *cause naming what. */
json_t *source_parse_json(const char *text, const char *what, char **cause);
/* Whether blobs are checked against their digests: asked, or by default
 * for what comes over a network. */
int source_verifies(const struct source *src);

#endif
