/* tempfile: unnamed temporary files; see tempfile.h. */
#include "util/tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/xalloc.h"

const char *
tempfile_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : "/tmp";
}

int
tempfile_open(const char *dir)
{
	int fd;

	if (dir == NULL)
		dir = tempfile_dir();
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
		/* a file system without O_TMPFILE: a named one, unlinked now */
		char *tmpl = xasprintf("%s/.fathom-tmp.XXXXXX", dir);
		if ((fd = mkostemp(tmpl, O_CLOEXEC)) >= 0)
			unlink(tmpl);
		free(tmpl);
	}
	return fd;
}
