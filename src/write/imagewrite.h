/* imagewrite: writes an image as a docker-archive, an oci-archive or an OCI
 * layout directory: blobs by digest, then the config and the documents
 * that name them (manifest.json; or an OCI manifest, index.json and
 * oci-layout). Everything goes to a temporary file (or directory) beside
 * the target, which takes the target's name only when complete; on
 * failure nothing is left. An archive may also go straight to a
 * descriptor (stdout). Never prints: errors come back as an owned
 * message. */
#ifndef FATHOM_IMAGEWRITE_H
#define FATHOM_IMAGEWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "util/stream.h"

enum imagewrite_format {
	IMAGEWRITE_DOCKER_ARCHIVE,
	IMAGEWRITE_OCI_ARCHIVE,
	IMAGEWRITE_OCI_DIR,
};

struct imagewrite;

/* Starts writing to path. Returns the writer, or NULL with *cause. */
struct imagewrite *imagewrite_new(const char *path, enum imagewrite_format format,
                                  char **cause);
/* Starts writing an archive (not IMAGEWRITE_OCI_DIR) straight to fd
 * (borrowed: a pipe, stdout), called name in messages. Nothing can be
 * taken back there: a failure leaves the stream cut short. */
struct imagewrite *imagewrite_new_fd(int fd, const char *name,
                                     enum imagewrite_format format, char **cause);
/* Adds blobs/sha256/<hex> (digest "sha256:<hex>") of size bytes from in
 * (borrowed), checked against the digest as they are copied; a digest
 * written already is not written twice. Returns 0, or -1 with *cause. */
int imagewrite_blob(struct imagewrite *w, const char *digest, uint64_t size,
                    struct stream *in, char **cause);

/* A blob whose size and digest are known only once it is written (a
 * layer made as it is written), one at a time: start, its bytes, end with
 * its digest. Its bytes are written once: into the archive under a
 * header patched in place at the end, or into a file renamed then (a
 * directory); only an archive on a descriptor, where nothing can be
 * patched, spools them in $TMPDIR first. Each returns 0, or -1 with
 * *cause. */
int imagewrite_stream_start(struct imagewrite *w, char **cause);
int imagewrite_stream_write(struct imagewrite *w, const void *buf, size_t len, char **cause);
int imagewrite_stream_end(struct imagewrite *w, const char *digest, char **cause);

/* A layer of the image, as stored. */
struct imagewrite_layer {
	const char *digest;		/* "sha256:<hex>" */
	uint64_t size;
	const char *media_type;		/* the OCI layer type */
};

/* What the documents say of the image besides its blobs. */
struct imagewrite_image {
	const char *config;		/* the config's bytes */
	size_t config_len;
	const struct imagewrite_layer *layers;	/* their blobs written already */
	size_t nlayers;
	const char *tag;		/* NAME:TAG or NULL */
	const char *os, *arch, *variant;	/* the platform, or NULL */
};

/* Adds the config and the documents naming it and the layers, as the
 * format has them. Returns 0, or -1 with *cause. */
int imagewrite_manifest(struct imagewrite *w, const struct imagewrite_image *im,
                        char **cause);
/* Completes the image and gives it its name; frees w. Returns 0, or -1
 * with *cause (and nothing left behind). */
int imagewrite_commit(struct imagewrite *w, char **cause);
/* Removes what was written; frees w. NULL: nothing. */
void imagewrite_abort(struct imagewrite *w);

#endif
