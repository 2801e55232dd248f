/* regfile: non-blocking opening of regular files; see regfile.h. */
#include "util/regfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

int
regfile_open(int dirfd, const char *path, int flags, struct stat *st, char **cause)
{
	struct stat own;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	                             (flags & REGFILE_NOFOLLOW ? O_NOFOLLOW : 0));

	if (st == NULL)
		st = &own;
	if (fd < 0 && errno == ENXIO && fstatat(dirfd, path, st, flags & REGFILE_NOFOLLOW ?
	                                         AT_SYMLINK_NOFOLLOW : 0) == 0 &&
	    !S_ISREG(st->st_mode)) {
		/* a socket cannot be opened at all */
		*cause = xstrdup("not a regular file");
		errno = EINVAL;
		return -1;
	}
	if (fd < 0 || fstat(fd, st) < 0) {
		int err = errno;
		*cause = xstrdup(strerror(err));
		if (fd >= 0)
			close(fd);
		errno = err;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		*cause = xstrdup("not a regular file");
		errno = EINVAL;
		return -1;
	}
	/* a regular file reads the same either way; blocking is the norm */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

FILE *
regfile_fopen(const char *path, char **cause)
{
	int fd = regfile_open(AT_FDCWD, path, 0, NULL, cause);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;

	if (fd >= 0 && f == NULL) {
		int err = errno;
		close(fd);
		*cause = xstrdup(strerror(err));
		errno = err;
	}
	return f;
}
