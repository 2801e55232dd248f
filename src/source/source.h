/* source: where an image's bytes come from. Each kind of source (docker
 * archive, OCI archive, OCI directory, ...) is one file that fills a struct
 * source_ops; source.c lists them, detects which one reads a path, and turns
 * what it finds into an image model. Never prints: errors come back as an
 * owned message naming the file, the layer and the tar entry. */
#ifndef FATHOM_SOURCE_H
#define FATHOM_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

struct registry;
#include "source/tarindex.h"
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
	int spool;		/* a streamed image (stdin, an engine) is copied
				 * as it is read into an unnamed temporary file
				 * in $TMPDIR, gone at exit, so that file bytes
				 * can be read again (squash, extract, pager) */
	/* Told how loading goes, or NULL: what is loading (a layer, a blob),
	 * its state, bytes done of total (0: not known). From any thread. */
	void (*progress)(void *ctx, const char *what, const char *state, uint64_t done,
	                 uint64_t total);
	void *progress_ctx;
};

/* Where one layer blob is: a region of a file, or a file of the source's
 * directory opened each time it is read (so that the open files are
 * bounded by the reading threads, not by the blobs). */
struct source_blob {
	char *key;		/* owned: member name or digest, for sharing */
	int fd;			/* borrowed from the source; -1 with path */
	char *path;		/* owned: relative to the source's directory */
	int64_t offset, size;
};

/* An image being opened. */
struct source {
	const struct source_ops *ops;
	const char *path;	/* borrowed: the file or directory */
	const struct source_opts *opts;	/* borrowed */
	int fd;			/* the archive file, or the directory; -1 */
	int is_dir;
	int streamed;		/* the archive streamed by: blobs read already */
	struct registry *registry;	/* owned: the registry the image comes from */
	struct source_progress *progress;	/* owned: per blob, when told */
	size_t nprogress;
	struct tarindex tar;	/* an archive's members (when !is_dir) */
	struct image *img;	/* owned until handed to the caller */
	struct source_blob *blobs;	/* owned; index = image blob */
	size_t nblobs, cblobs;
	char **diffs;		/* owned: per blob, the sha256 of its tar, when
				 * a streamed archive is verified */
};

struct source_ops {
	const char *name;
	/* Whether this kind reads src (an archive already indexed, or a
	 * directory); 0 or 1. */
	int (*probe)(const struct source *src);
	/* Reads the manifests and config into src->img and adds its layers
	 * with source_add_layer. Returns 0, or -1 with *cause. */
	int (*open)(struct source *src, char **cause);
};

#define SOURCE_MAX_LAYER_BYTES (64ull << 30)

/* Opens spec ("PATH", "docker-archive://PATH", "oci-archive://PATH",
 * "oci://PATH") and reads the whole image model. Returns 0 with *out (owned
 * by the caller), or -1 with *cause. */
int source_load(const char *spec, const struct source_opts *opts,
                struct image **out, char **cause);
/* The same from an archive that streams from in (owned; not seekable:
 * a socket, a pipe), named name in messages ("kind://name" forces the
 * kind). Metadata members are kept in memory and layers read as they
 * pass; nothing is written to disk unless opts->spool, and without it the
 * image cannot read a file's bytes again afterwards. "-" as spec to
 * source_load reads stdin so. */
int source_load_stream(const char *name, struct stream *in, const struct source_opts *opts,
                       struct image **out, char **cause);
/* The names of the source kinds, NULL-terminated. */
const char *const *source_kinds(void);

/* For the kinds: adds the next layer of the image, stored at the given file
 * region; key names the blob so that a blob used twice is read once.
 * Returns the layer's index. */
size_t source_add_layer(struct source *src, const char *key, int fd,
                        int64_t offset, int64_t size);
/* For the kinds: adds the next layer, held by archive member m (file
 * region, or a blob already read when the archive streamed by); key as
 * above. Returns the layer's index, or -1 with *cause when a streamed
 * member holds no layer. */
long source_add_member_layer(struct source *src, const char *key,
                             const struct tar_member *m, char **cause);
/* For the kinds: adds the next layer, stored as the file rel of the
 * source's directory (size bytes, checked again when it is opened). */
size_t source_add_file_layer(struct source *src, const char *key, const char *rel,
                             int64_t size);
/* For the kinds: when blobs are verified (--verify), whether data has the
 * digest want; returns 0 (also when not verifying), or -1 with *cause
 * naming both digests. */
int source_check_bytes(const struct source *src, const void *data, size_t len,
                       const char *want, char **cause);
/* For the kinds: parses JSON text; returns it, or NULL with *cause naming what. */
json_t *source_parse_json(const char *text, const char *what, char **cause);

extern const struct source_ops source_docker_archive;
extern const struct source_ops source_oci_archive;
extern const struct source_ops source_oci_dir;
extern const struct source_ops source_registry;

#endif
