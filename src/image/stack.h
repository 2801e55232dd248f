/* stack: applies the layers of an image in order, following the OCI layer
 * spec (whiteouts, opaque directories, replacement, implied parents), and
 * answers what a path is after any layer. Never prints.
 *
 * Every change a layer makes to a path is one struct version, also each path
 * a deletion removes, so "the filesystem after layer L" is: every node whose
 * newest version at or below L is not a deletion. Building costs time linear
 * in the entries plus the paths removed, never whiteouts x files. */
#ifndef FATHOM_STACK_H
#define FATHOM_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

/* Applies every layer; the layers' blobs must have been read. */
void stack_build(struct image *img);

/* The version of node in effect after layer, or TREE_NONE. */
uint32_t stack_at(const struct image *img, uint32_t node, size_t layer);
/* Whether node exists after layer (the root always does). */
int stack_present(const struct image *img, uint32_t node, size_t layer);
/* The entry node has after layer, or NULL when absent (or the root without
 * an entry of its own). */
const struct entry *stack_entry_at(const struct image *img, uint32_t node,
                                   size_t layer);
/* What version v did to its path against the layer below: 'A'dded,
 * 'M'odified (its inode's content or attributes changed: a hard link is
 * its file), 'R'emoved or 'U'nmodified. */
char stack_status(const struct image *img, uint32_t v);
/* The entry that describes version v's path: its own, or for a removal the
 * one it removed. */
const struct entry *stack_version_entry(const struct image *img, uint32_t v);

/* The regular file entry a hard link entry (of a version in layer) shares
 * its bytes with, following links to links; for a file, itself;
 * ENTRY_NONE when the target does not exist. */
uint32_t stack_inode(const struct image *img, uint32_t entry, size_t layer);

/* The entry holding present version v's inode: for a hard link the file
 * it shares (stack_inode), else its own. */
uint32_t stack_held(const struct image *img, uint32_t v);
/* Whether two present versions of a path hold the same inode state: type,
 * content, mode, owner, link target (hard links as their files). */
int stack_same(const struct image *img, uint32_t va, uint32_t vb);
/* The first layer whose version of its path is entry (the layer that
 * wrote it); 0 when none is. */
size_t stack_entry_layer(const struct image *img, uint32_t entry);

#endif
