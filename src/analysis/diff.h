/* diff: what changed between two images, each as it stands after a chosen
 * layer (the same image twice compares two of its layers): every path
 * added, removed or modified (content, mode, owner, type, link target),
 * sizes by directory, the layers they share, the config fields that
 * differ, and the packages of their dpkg and apk databases. Pure: reads the
 * two models only (contents by their hashes, package databases as the
 * models kept them); never reads bytes, never prints. */
#ifndef FATHOM_DIFF_H
#define FATHOM_DIFF_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/packages.h"
#include "image/image.h"

/* What differs in a modified path, as bits, in the order outputs name them. */
#define DIFF_WHAT_LIST(X)          \
	X(DIFF_TYPE, "type")       \
	X(DIFF_CONTENT, "content") \
	X(DIFF_MODE, "mode")       \
	X(DIFF_OWNER, "owner")     \
	X(DIFF_LINK, "link")
#define DIFF_WHAT_ENUM(id, name) id##_BIT,
enum { DIFF_WHAT_LIST(DIFF_WHAT_ENUM) DIFF_WHAT_COUNT };
#undef DIFF_WHAT_ENUM
#define DIFF_TYPE (1u << DIFF_TYPE_BIT)
#define DIFF_CONTENT (1u << DIFF_CONTENT_BIT)
#define DIFF_MODE (1u << DIFF_MODE_BIT)
#define DIFF_OWNER (1u << DIFF_OWNER_BIT)
#define DIFF_LINK (1u << DIFF_LINK_BIT)
extern const char *const diff_what_names[DIFF_WHAT_COUNT];

/* A path on one side: a hard link reads as the file it shares bytes with
 * (type 'f'). */
struct diff_side {
	uint8_t type;		/* enum entry_type; 0: absent */
	uint16_t mode;
	uint32_t uid, gid;
	uint64_t size;		/* a file's bytes; 0 otherwise */
	const char *link;	/* borrowed from its image: a symlink's target */
};

struct diff_change {
	char *path;		/* owned: absolute, raw bytes */
	char status;		/* 'A' only in B, 'R' only in A, 'M' in both */
	unsigned what;		/* DIFF_* bits, for 'M' */
	struct diff_side a, b;
};

/* A directory's size (regular files below it) on both sides. */
struct diff_dir {
	char *path;		/* owned */
	uint64_t a, b;
};

struct diff_layer {
	size_t index;
	const char *digest;	/* borrowed: diff_id, else the blob's; may be NULL */
	uint64_t size;		/* the sum of its tar entries' sizes */
	const char *command;	/* borrowed: its history's command, or NULL */
	int shared;		/* the other side has a layer with this digest */
};

/* A config field that differs: a whole value (key NULL) or one key of Env
 * or Labels, or one member of ExposedPorts or Volumes. */
struct diff_config {
	const char *field;	/* static: "Env", "Cmd", ..., "Platform" */
	char *key;		/* owned, or NULL */
	json_t *a, *b;		/* owned: the values, NULL where absent */
};

struct diff_package {
	const char *name;	/* borrowed from the lists */
	const char *va, *vb;	/* versions; NULL where absent */
	uint64_t sa, sb;	/* installed sizes */
	char status;		/* 'A' added, 'R' removed, 'U' upgraded,
				 * 'D' downgraded, 'C' changed (versions
				 * that cannot be ordered) */
};

struct diff_packages {
	int in_a, in_b;		/* the database is there */
	struct package_list la, lb;	/* owned */
	struct diff_package *items;	/* owned: differences, by name */
	size_t count, cap;
	size_t added, removed, upgraded, downgraded, changed;
};

struct diff {
	size_t layer_a, layer_b;
	uint64_t size_a, size_b;	/* regular files, hard links once */
	struct diff_change *changes;	/* owned: sorted by path */
	size_t nchanges, cchanges;
	size_t added, removed, modified;
	struct diff_dir *top;		/* owned: top-level directories, by path */
	size_t ntop, ctop;
	struct diff_dir *most;		/* owned: the directories that changed
					 * most (not one whose change is all
					 * in one subdirectory), largest first */
	size_t nmost;
	struct diff_layer *la, *lb;	/* owned: layers 0..layer_a, 0..layer_b */
	size_t nla, nlb;
	size_t shared_prefix;		/* layers equal from the bottom */
	struct diff_config *config;	/* owned */
	size_t nconfig, cconfig;
	struct diff_packages packages[PACKAGES_DBS];
	int same;			/* the same files and config (the
					 * layers may differ) */
};

#define DIFF_MOST 10

/* Compares a after layer la with b after layer lb (both valid). Pure: file
 * contents are compared by their hashes, so the caller first hashes the
 * skipped files of equal size (image_hash_matching). Returns 0, or -1 with
 * *cause (too many changed paths, a package database not kept). */
int diff_images(const struct image *a, size_t la, const struct image *b, size_t lb,
                struct diff *out, char **cause);
void diff_free(struct diff *d);

#endif
