/* imagewrite: writes an image as a docker-archive, an oci-archive or an OCI
 * layout directory: blobs by digest, then the small documents. Everything
 * goes to a temporary file (or directory) beside the target, which takes
 * the target's name only when complete; on failure nothing is left. An
 * archive may also go straight to a descriptor (stdout). Never prints:
 * errors come back as an owned message. */
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
/* Adds a document at name ("index.json", "manifest.json", ...). */
int imagewrite_file(struct imagewrite *w, const char *name, const void *data, size_t len,
                    char **cause);
/* Completes the image and gives it its name; frees w. Returns 0, or -1
 * with *cause (and nothing left behind). */
int imagewrite_commit(struct imagewrite *w, char **cause);
/* Removes what was written; frees w. NULL: nothing. */
void imagewrite_abort(struct imagewrite *w);

#endif
