/* tarindex: the members of an uncompressed tar file, found from headers
 * alone (data is skipped with seeks), so that any member can be read later
 * as a region of the file. Never prints. */
#ifndef FATHOM_TARINDEX_H
#define FATHOM_TARINDEX_H

#include <stddef.h>
#include <stdint.h>

struct tar_member {
	char *name;		/* owned; leading "./" and "/" dropped */
	int64_t offset;		/* of the data in the file */
	int64_t size;
};

struct tarindex {
	int fd;			/* borrowed */
	struct tar_member *members;	/* owned */
	size_t count, cap;
};

/* Indexes the regular files of the tar on fd (of size file_size).
 * Returns 0; -1 with *cause (owned) when it is not a tar; -2 with *cause
 * when it is a tar but truncated or damaged. */
int tarindex_read(struct tarindex *ti, int fd, int64_t file_size, char **cause);
void tarindex_fini(struct tarindex *ti);
/* The member called name, or NULL. */
const struct tar_member *tarindex_find(const struct tarindex *ti, const char *name);
/* Reads a member of at most max bytes into a NUL-terminated buffer (owned by
 * the caller). Returns it, or NULL with *cause. */
char *tarindex_slurp(const struct tarindex *ti, const struct tar_member *m,
                     size_t max, char **cause);

#endif
