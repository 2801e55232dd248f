/* image: the model of one image: its tree of paths, the entries of its layer
 * blobs, the per-layer versions of each path (stack.h), config and history.
 * Everything here is owned by the image and freed by image_free; never prints. */
#ifndef FATHOM_IMAGE_H
#define FATHOM_IMAGE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "image/entry.h"
#include "image/layer.h"
#include "image/tree.h"

#define IMAGE_MAX_LAYERS 65535

/* One version of a path: what a layer made of it. 16 bytes. */
struct version {
	uint32_t entry;		/* ENTRY_NONE: deleted by this layer */
	uint32_t next;		/* the version below, TREE_NONE when none */
	uint32_t node;
	uint16_t layer;
	uint16_t flags;		/* VERSION_* */
};
#define VERSION_DEAD 1		/* replaced within its layer; unlinked */
#define VERSION_IMPLICIT 2	/* a parent directory the layer created */

/* One position in the image's layer list. */
struct layer {
	uint32_t blob;		/* index into image.blobs */
	char *id;		/* owned: the layer's name in its archive */
	char *digest;		/* owned: diff_id from the config, or NULL */
	char *blob_digest;	/* owned: digest of the stored blob, or NULL */
	size_t vfirst, vend;	/* its versions: [vfirst, vend) */
};

struct history {
	char *created, *created_by, *comment, *author;	/* owned, may be NULL */
	int empty_layer;
};

/* How to read a blob's bytes again (for a file's content), set by the
 * source that made the image; ctx is owned and freed with it. */
struct image_reader {
	struct stream *(*open)(void *ctx, size_t blob, struct scan_opts *o);
	/* The blob's bytes as stored (compressed or not) and their count. */
	struct stream *(*open_raw)(void *ctx, size_t blob, uint64_t *size);
	/* len bytes of an uncompressed blob from offset, to write (0 to go
	 * on): a file left unhashed (ENTRY_UNHASHED) without reading the blob
	 * up to it. Returns 0, or -1 with *cause. NULL: not offered. */
	int (*read_at)(void *ctx, size_t blob, uint64_t offset, uint64_t len,
	               int (*write)(void *wctx, const void *buf, size_t n), void *wctx,
	               char **cause);
	void (*free)(void *ctx);
	void *ctx;
};

struct image {
	char *name;		/* owned: what the user named, for messages */
	const char *source;	/* static: the kind of source that read it
				 * ("docker-archive", ..., "docker", "podman",
				 * "registry"), or NULL */
	char *ref;		/* owned: the tag or reference, or NULL */
	struct tree tree;
	struct entry *entries;	/* entry 0: the directory a layer implies */
	size_t nentries, centries;
	struct version *versions;
	size_t nversions, cversions;
	struct blob *blobs;
	size_t nblobs, cblobs;
	struct layer *layers;
	size_t nlayers, clayers;
	struct history *history;
	size_t nhistory;
	json_t *config;		/* owned: the image config, or NULL */
	char *id;		/* owned: the image ID (its config's digest), or NULL */
	char *os, *arch, *variant;	/* owned, from the config, may be NULL */
	char **warnings;	/* owned: things the user should know */
	size_t nwarnings, cwarnings;
	struct image_reader reader;	/* ctx owned; open NULL: none */
};

struct image *image_new(const char *name);
void image_free(struct image *img);
/* Adds a warning (owned by the image from now on). */
void image_warn(struct image *img, char *msg);
/* Appends an entry; returns its index. */
uint32_t image_add_entry(struct image *img, const struct entry *e);
/* Adds a layer using blob; returns its index. */
size_t image_add_layer(struct image *img, uint32_t blob);

/* The history entry that made layer (the layer-th entry without
 * empty_layer, as docker and dive match them), or NULL. */
const struct history *image_history_of(const struct image *img, size_t layer);

/* created_by past docker's "/bin/sh -c #(nop) " prefix (an instruction
 * that ran no command) and the blanks after it; "" when h has none. */
const char *image_history_command(const struct history *h);

/* Streams the bytes of a regular file entry (for a hard link, pass the
 * entry of the file it shares them with: stack_inode) to write, which
 * returns 0 to go on. Returns 0, or -1 with *cause (owned). */
int image_file_bytes(const struct image *img, uint32_t entry,
                     int (*write)(void *ctx, const void *buf, size_t len),
                     void *ctx, char **cause);

/* A regular file entry's bytes in memory (owned, NUL-terminated, *len
 * bytes without the NUL), or NULL with *cause: unreadable, or over max
 * bytes. */
char *image_file_slurp(const struct image *img, uint32_t entry, size_t max, size_t *len,
                       char **cause);

/* Reads config JSON (owned by the image from now on): platform, history,
 * and the layers' diff_ids, so call it after adding the layers.
 * Returns 0, or -1 with *cause. */
int image_set_config(struct image *img, json_t *config, char **cause);

#endif
