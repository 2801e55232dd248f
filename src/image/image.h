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

/* A hard link's version and the regular file entry it shares its inode
 * with (stack_inode as of the link's layer; ENTRY_NONE: a link to
 * nothing). stack_build lists them, in version order. */
struct image_link {
	uint32_t version, inode;
};

/* The bytes of a small file the analysis reads (image_keeps), kept as the
 * layer was read: the analysis never reads the source again. */
struct image_kept {
	uint32_t entry;
	char *data;		/* owned; NUL-terminated */
	size_t len;
};

/* The most bytes of one kept file, and of all of an image's. */
#define IMAGE_KEPT_MAX (16u << 20)
#define IMAGE_KEPT_TOTAL (256u << 20)

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
	struct image_link *links;	/* owned: every live hard link version */
	size_t nlinks, clinks;
	struct image_kept *kept;	/* owned: by entry */
	size_t nkept, ckept, kept_bytes;
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

/* Hashes, through the image's reader, the files of img after layer whose
 * bytes were skipped (ENTRY_UNHASHED) and that other has after
 * other_layer at the same path with the same size: the ones a comparison
 * of the two (diff) looks at by content. For the command that loads both,
 * before the analysis, which never reads bytes. Returns 0, or -1 with
 * *cause. */
int image_hash_matching(struct image *img, size_t layer, const struct image *other,
                        size_t other_layer, char **cause);

/* Whether a regular file at path (cleaned, no leading "/") is one the
 * analysis reads: os-release, dpkg's status, apk's installed database. */
int image_keeps(const char *path, size_t len);
/* Keeps a copy of data as entry's bytes (the entries come in order), while
 * the image's kept bytes stay under IMAGE_KEPT_TOTAL. */
void image_keep(struct image *img, uint32_t entry, const char *data, size_t len);
/* A kept file's bytes (NUL-terminated; *len without the NUL), or NULL. */
const char *image_kept(const struct image *img, uint32_t entry, size_t *len);

/* Reads config JSON (owned by the image from now on): platform, history,
 * and the layers' diff_ids, so call it after adding the layers.
 * Returns 0, or -1 with *cause. */
int image_set_config(struct image *img, json_t *config, char **cause);

#endif
