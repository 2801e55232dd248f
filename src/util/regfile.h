/* regfile: opening a file that must be a regular file, without ever
 * blocking: a FIFO, socket or device put where fathom expects a file (an
 * OCI layout's blob, index.json, a config file) is refused at once instead
 * of waiting in open() for a writer. Never prints. */
#ifndef FATHOM_REGFILE_H
#define FATHOM_REGFILE_H

#include <stdio.h>
#include <sys/stat.h>

#define REGFILE_NOFOLLOW 1	/* a symlink as the last component is refused */

/* Opens path (relative to dirfd; AT_FDCWD: the current directory) for
 * reading: with O_NONBLOCK, then checked with fstat and put back in
 * blocking mode. Fills *st when not NULL. Returns the fd, or -1 with errno
 * (ENOENT, ELOOP...; EINVAL after a type check failed) and *cause (owned):
 * strerror, or "not a regular file". */
int regfile_open(int dirfd, const char *path, int flags, struct stat *st, char **cause);
/* The same as a stdio stream; NULL with errno and *cause. */
FILE *regfile_fopen(const char *path, char **cause);

#endif
