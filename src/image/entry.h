/* entry: one tar entry of a layer, as the model keeps it (no name: the node
 * it names is in the tree). Plain data; never prints. */
#ifndef FATHOM_ENTRY_H
#define FATHOM_ENTRY_H

#include <stdint.h>

#define ENTRY_NONE UINT32_MAX

enum entry_type {
	ENTRY_FILE = 'f',
	ENTRY_DIR = 'd',
	ENTRY_SYMLINK = 'l',
	ENTRY_HARDLINK = 'h',
	ENTRY_CHAR = 'c',
	ENTRY_BLOCK = 'b',
	ENTRY_FIFO = 'p',
	ENTRY_WHITEOUT = 'w',	/* .wh.NAME: node is NAME */
	ENTRY_OPAQUE = 'o',	/* .wh..wh..opq: node is its directory */
};

/* 40 bytes. */
struct entry {
	uint64_t size;		/* the tar header's size */
	uint64_t hash;		/* XXH3-64 of a file's bytes (ENTRY_UNHASHED:
				 * the offset of its bytes in the blob); a
				 * device's numbers */
	uint32_t uid, gid;
	uint32_t link;		/* intern id: symlink target as stored, or a
				 * hard link's target as an absolute path;
				 * ENTRY_NONE otherwise */
	uint32_t node;		/* the path it sets or deletes */
	uint16_t mode;		/* permission bits incl. setuid/setgid/sticky */
	uint8_t type;		/* enum entry_type */
	uint8_t flags;		/* ENTRY_* */
};

/* A file whose bytes were skipped, not hashed: hash is their offset in
 * the (uncompressed) blob. Only files whose path has one file entry in the
 * whole image stay so; they are never compared by content. */
#define ENTRY_UNHASHED 1

/* Whether two entries describe the same path state: type, content, mode,
 * owner and link target. */
int entry_same(const struct entry *a, const struct entry *b);

#endif
