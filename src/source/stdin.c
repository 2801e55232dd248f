/* stdin: an archive that streams by: standard input ("-"), or a path that
 * is a pipe, a socket or a character device (<(docker save app), a named
 * pipe, /dev/stdin), read as - is. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/tarstream.h"
#include "util/xalloc.h"

static int
stdin_probe(const char *spec, const struct stat *st, const unsigned char *head, size_t n)
{
	(void)head;
	(void)n;
	return strcmp(spec, "-") == 0 ||
	       (st != NULL && (S_ISFIFO(st->st_mode) || S_ISCHR(st->st_mode) || S_ISSOCK(st->st_mode)));
}

static int
stdin_open(struct source *src, char **cause)
{
	int fd = STDIN_FILENO;

	if (strcmp(src->spec, "-") == 0) {
		src->name = "stdin";
		free(src->img->name);
		src->img->name = xstrdup(src->name);
	} else if ((fd = open(src->spec, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = xstrdup(strerror(errno));
		return -1;
	}
	return tarstream_open(src, stream_fd_new(fd, fd != STDIN_FILENO, STREAM_BIG_BLOCK), cause);
}

const struct transport_ops transport_stdin = {
	.name = "stdin",
	.help = "standard input (-), a pipe or a character device",
	.probe = stdin_probe,
	.open = stdin_open,
	TARSTREAM_OPS,
};
