/* pager: a file's bytes at a layer in $PAGER; see pager.h. The bytes go to
 * a temporary file in $TMPDIR, removed after, which `sh -c 'exec
 * ${PAGER:-less} "$1"'` opens while curses is ended. */
#include "tui/pager.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "image/stack.h"
#include "util/escape.h"
#include "util/human.h"
#include "util/xalloc.h"

/* What e is, when the pager has nothing to show of it: "a symbolic link
 * to lib". NULL for a file or a hard link. Owned. */
static char *
pager_kind(const struct image *img, const struct entry *e)
{
	size_t ll;
	const char *t;
	char *to, *out;

	switch (e->type) {
	case ENTRY_FILE:
	case ENTRY_HARDLINK:
		return NULL;
	case ENTRY_DIR: return xstrdup("a directory");
	case ENTRY_CHAR: return xstrdup("a character device");
	case ENTRY_BLOCK: return xstrdup("a block device");
	case ENTRY_FIFO: return xstrdup("a named pipe");
	case ENTRY_SYMLINK:
		t = intern_str(img->tree.names, e->link, &ll);
		to = escape_str(t, ll, 1);
		out = xasprintf("a symbolic link to %s", to);
		free(to);
		return out;
	default: return xstrdup("not a file");
	}
}

/* The entry that holds node's bytes at layer (stack_inode), or ENTRY_NONE
 * with *why (owned): why there are none to show. p: node's path. */
static uint32_t
pager_inode(const struct image *img, uint32_t node, size_t layer, const char *p, char **why)
{
	uint32_t v = stack_at(img, node, layer), inode;
	char *kind;

	if (v == TREE_NONE) {
		*why = xasprintf("%s: not in the image at layer %zu, nothing to show", p, layer);
		return ENTRY_NONE;
	}
	const struct version *ver = &img->versions[v];
	if (ver->entry == ENTRY_NONE) {
		if (ver->layer == layer)
			*why = xasprintf("%s: removed in this layer, nothing to show", p);
		else
			*why = xasprintf("%s: removed in layer %u, nothing to show", p,
			                 (unsigned)ver->layer);
		return ENTRY_NONE;
	}
	if ((kind = pager_kind(img, &img->entries[ver->entry])) != NULL) {
		*why = xasprintf("%s: %s, nothing to show", p, kind);
		free(kind);
		return ENTRY_NONE;
	}
	inode = stack_inode(img, ver->entry, ver->layer);
	if (inode == ENTRY_NONE)
		*why = xasprintf("%s: a hard link to a file that is not there, nothing to show", p);
	return inode;
}

static int
pager_write(void *ctx, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, ctx) == len ? 0 : -1;
}

/* The bytes of inode in a new temporary file, its name in path; NULL, or
 * why not (owned; nothing left behind). */
static char *
pager_spool(const struct image *img, uint32_t inode, const char *p, char *path, size_t size)
{
	const char *tmpdir = getenv("TMPDIR");
	char *why = NULL, *msg;

	snprintf(path, size, "%s/fathom-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		msg = xasprintf("%s: cannot make a temporary file: %s", p, strerror(errno));
		if (fd >= 0)
			close(fd);
		return msg;
	}
	int rc = image_file_bytes(img, inode, pager_write, f, &why);
	if (fclose(f) != 0 && rc == 0)
		rc = -1;
	if (rc == 0)
		return NULL;
	msg = xasprintf("%s: cannot read the file: %s", p, why ? why : strerror(errno));
	free(why);
	unlink(path);
	return msg;
}

/* Runs the pager on path, curses ended meanwhile. */
static void
pager_run(const char *path)
{
	def_prog_mode();
	endwin();
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exec ${PAGER:-less} \"$1\"", "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	reset_prog_mode();
	refresh();
}

char *
pager_open(const struct image *img, uint32_t node, size_t layer)
{
	char path[4096], *why = NULL, *p;
	uint32_t inode;

	if (node == TREE_NONE)
		return xstrdup("nothing to open: the tree shows nothing");
	p = tree_path_escaped(&img->tree, node, 1);
	inode = pager_inode(img, node, layer, p, &why);
	if (inode != ENTRY_NONE)
		why = pager_spool(img, inode, p, path, sizeof path);
	free(p);
	if (why != NULL)
		return why;
	pager_run(path);
	unlink(path);
	return NULL;
}
