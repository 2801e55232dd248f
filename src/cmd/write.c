/* write: a command's result file (an export, a report page), written
 * whole under a temporary name and renamed, or to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/xalloc.h"

int
cmd_write_file(const char *path, int (*write)(FILE *out, void *ctx), void *ctx)
{
	char *tmp;
	FILE *f;
	int fd, saved;
	mode_t mask;

	if (strcmp(path, "-") == 0) {
		write(stdout, ctx);
		return cmd_flush(stdout);
	}
	tmp = xasprintf("%s.fathom-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		cmd_error("cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return EXIT_ERROR;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	f = fdopen(fd, "w");
	if (f == NULL || write(f, ctx) < 0 || fflush(f) != 0 || ferror(f) ||
	    fsync(fileno(f)) != 0) {
		saved = errno;
		if (f != NULL)
			fclose(f);
		else
			close(fd);
		unlink(tmp);
		cmd_error("cannot write %s: %s", path, strerror(saved ? saved : EIO));
		free(tmp);
		return EXIT_ERROR;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		cmd_error("cannot write %s: %s", path, strerror(saved));
		free(tmp);
		return EXIT_ERROR;
	}
	free(tmp);
	return 0;
}
