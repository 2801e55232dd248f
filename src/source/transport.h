/* transport: where an image's bytes are, given by name. One file per kind
 * fills struct transport_ops and adds one line to source.c's list; formats
 * (format.h) reach the bytes only through source_read, source_has and
 * source_blob. Never prints.
 *
 * Call order: probe (when no scheme names the transport), open, then the
 * members by name as the format asks (has, read, blob), the blobs' bytes as
 * often as needed (open_blob, read_at; also after loading, as the image's
 * reader), close. */
#ifndef FATHOM_TRANSPORT_H
#define FATHOM_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "source/source.h"

/* How the transport's members are named: what formats it can carry. */
enum transport_shape {
	TRANSPORT_TAR,		/* the members of a tar: docker-archive, oci-archive */
	TRANSPORT_DIR,		/* the files of a directory: an OCI layout */
	TRANSPORT_DIGESTS,	/* documents by digest (a registry): an OCI layout */
};

struct transport_ops {
	const char *name;	/* in messages and lists */
	const char *scheme;	/* "docker" for docker://NAME (and --source
				 * docker), or NULL: chosen by content */
	const char *help;	/* what it reads, for --help */
	enum transport_shape shape;
	int verify;		/* its bytes come over a network: checked
				 * against their digests unless --no-verify */
	int checks;		/* it checks its blobs' digests itself */
	int streams;		/* its bytes stream by once (tarstream.h) */
	const char *reading;	/* what loading progress calls reading a blob */
	/* Whether it reads spec, which no scheme named: st is spec's stat
	 * (NULL when there is no such path), head its first bytes (n of
	 * them; none for a directory or a pipe). NULL: only when named. */
	int (*probe)(const char *spec, const struct stat *st, const unsigned char *head,
	             size_t n);
	/* Opens src->spec into src->tpriv. A transport whose bytes stream by
	 * reads them all here (tarstream.h), its layers as they pass. Returns
	 * 0, or -1 with *cause. */
	int (*open)(struct source *src, char **cause);
	int (*has)(const struct source *src, const char *name);
	/* A member's bytes, at most max (owned, NUL-terminated), or NULL with
	 * *cause. */
	char *(*read)(struct source *src, const char *name, size_t max, size_t *len,
	              char **cause);
	/* A document by digest, checked; NULL: the member "blobs/ALG/HEX". */
	char *(*read_digest)(struct source *src, const char *digest, int manifest, size_t max,
	                     size_t *len, char **cause);
	/* The blob stored as member name (or at digest), by source_blob, key
	 * naming it for sharing (NULL: the member's own name). Returns its
	 * index, or -1 with *cause. */
	long (*blob)(struct source *src, const char *name, const char *digest, const char *key,
	             int64_t size, char **cause);
	/* Blob b's bytes as stored; map: may be mapped rather than read (an
	 * uncompressed blob read from its headers). A failure is a stream
	 * that fails. NULL op: the bytes cannot be read again. */
	struct stream *(*open_blob)(const struct source *src, size_t b, int map);
	/* len bytes of blob b from offset, to write; NULL: not offered. */
	int (*read_at)(const struct source *src, size_t b, uint64_t offset, uint64_t len,
	               int (*write)(void *wctx, const void *buf, size_t n), void *wctx,
	               char **cause);
	void (*close)(struct source *src);
};

/* Every transport, one line each, in the order detection tries them (the
 * first whose probe takes a path reads it): transport_NAME in NAME.c or
 * the file that holds it. */
#define TRANSPORT_LIST(X) \
	X(stdin)          \
	X(directory)      \
	X(compressed)     \
	X(tarfile)        \
	X(docker)         \
	X(podman)         \
	X(registry)

#define TRANSPORT_DECLARE(name) extern const struct transport_ops transport_##name;
TRANSPORT_LIST(TRANSPORT_DECLARE)
#undef TRANSPORT_DECLARE

#endif
