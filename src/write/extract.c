/* extract: safe extraction of a subtree; see extract.h. */
#include "write/extract.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/links.h"
#include "image/stack.h"
#include "util/escape.h"
#include "util/xalloc.h"

#define EXTRACT_MAX_DEPTH 256

struct extract_ctx {
	const struct image *img;
	size_t layer;
	unsigned flags;
	struct extract_result *res;
	char **cause;
	unsigned long serial;	/* for temporary names */
	struct links *lk;	/* owned: hard-link groups after the layer */
	uint32_t top;		/* the node extracted */
	int topfd;		/* the directory it is extracted into */
	const char *topname;	/* its name there */
	uint32_t *later;	/* owned: hard links to paths extracted too,
				 * made once everything else is */
	size_t nlater, clater;
};

static int
extract_write(void *ctx, const void *buf, size_t len)
{
	int fd = *(int *)ctx;
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static char *
extract_path(const struct image *img, uint32_t node)
{
	char *buf = NULL, *out;
	size_t cap = 0, len = tree_path(&img->tree, node, &buf, &cap);

	out = escape_str(buf, len, 1);
	free(buf);
	return out;
}

static void
extract_refuse(struct extract_ctx *x, uint32_t node)
{
	x->res->refused++;
	if (x->res->first_refused == NULL)
		x->res->first_refused = extract_path(x->img, node);
}

/* Whether a symlink's target, from a link depth directories below the
 * directory extracted into, resolves inside that directory. Only relative
 * targets whose ".." all come first are judged: those climb real
 * directories (made here), so the text tells where they land, while a ".."
 * after a name could climb out of a link's target. */
static int
extract_link_inside(const char *target, size_t depth)
{
	long level = (long)depth;
	int named = 0;

	if (target[0] == '/' || target[0] == '\0')
		return 0;
	for (const char *p = target; *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (named || --level < 0)
				return 0;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			named = 1;
		}
		p += n + (slash != NULL);
	}
	return 1;
}

/* Whether name is one fathom writes: a single component, not . or .., that
 * a Linux file system can hold */
static int
extract_name_ok(const char *name, size_t len)
{
	return len > 0 && len <= NAME_MAX && memchr(name, '/', len) == NULL && memchr(name, '\0', len) == NULL &&
	       !(len == 1 && name[0] == '.') && !(len == 2 && name[0] == '.' && name[1] == '.');
}

static int
extract_fail(struct extract_ctx *x, uint32_t node, const char *what)
{
	char *p = extract_path(x->img, node);
	*x->cause = xasprintf("%s: %s", p, what);
	free(p);
	return -1;
}

/* Creates a temporary name in dirfd through make(dirfd, name, arg), which
 * returns an fd or 0 when made, -1 with errno; writes the name into tmp. */
static int
extract_temp(struct extract_ctx *x, int dirfd, char tmp[64],
             int (*make)(int dirfd, const char *name, const void *arg), const void *arg)
{
	for (int tries = 0; tries < 100; tries++) {
		snprintf(tmp, 64, ".fathom-extract.%ld.%lu", (long)getpid(), x->serial++);
		int rc = make(dirfd, tmp, arg);
		if (rc >= 0 || errno != EEXIST)
			return rc;
	}
	return -1;
}

static int
extract_make_file(int dirfd, const char *name, const void *arg)
{
	(void)arg;
	return openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
}

static int
extract_make_link(int dirfd, const char *name, const void *arg)
{
	return symlinkat(arg, dirfd, name);
}

/* Renames tmp to name in dirfd: over what is there only when forced (an
 * empty directory in the way goes; a full one stays). */
static int
extract_rename(struct extract_ctx *x, int dirfd, const char *tmp, const char *name)
{
	if (!(x->flags & EXTRACT_FORCE)) {
		if (renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EINVAL && errno != ENOSYS)
			return -1;
		/* a file system without RENAME_NOREPLACE: a link fails the same way */
		if (linkat(dirfd, tmp, dirfd, name, 0) < 0)
			return -1;
		unlinkat(dirfd, tmp, 0);
		return 0;
	}
	if (renameat(dirfd, tmp, dirfd, name) == 0)
		return 0;
	if (errno != EISDIR && errno != ENOTEMPTY && errno != EEXIST)
		return -1;
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0) {
		errno = EISDIR;
		return -1;
	}
	return renameat(dirfd, tmp, dirfd, name);
}

/* The failure of putting node at name, after its temporary name went. */
static int
extract_placed(struct extract_ctx *x, uint32_t node, int dirfd, const char *tmp,
               const char *name)
{
	if (extract_rename(x, dirfd, tmp, name) == 0)
		return 0;
	int err = errno;
	unlinkat(dirfd, tmp, 0);
	if (err == EEXIST) {
		x->res->existed = 1;
		return extract_fail(x, node, "already exists here; not overwritten");
	}
	if (err == EISDIR)
		return extract_fail(x, node, "a directory that is not empty is in the way");
	return extract_fail(x, node, strerror(err));
}

/* Makes directory name in dirfd and opens it; an existing directory (not
 * a link to one) is used when forced, anything else there removed. */
static int
extract_dir(struct extract_ctx *x, uint32_t node, int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!(x->flags & EXTRACT_FORCE)) {
			x->res->existed = 1;
			return extract_fail(x, node, "already exists here; not overwritten");
		}
		if (!S_ISDIR(st.st_mode) && unlinkat(dirfd, name, 0) < 0)
			return extract_fail(x, node, strerror(errno));
	}
	if (mkdirat(dirfd, name, 0700) < 0 && !(errno == EEXIST && (x->flags & EXTRACT_FORCE)))
		return extract_fail(x, node, strerror(errno));
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return extract_fail(x, node, strerror(errno));
	return fd;
}

/* Writes the bytes of the file entry inode as name in dirfd. */
static int
extract_file(struct extract_ctx *x, uint32_t node, int dirfd, const char *name, uint32_t inode)
{
	const struct image *img = x->img;
	char tmp[64];

	int fd = extract_temp(x, dirfd, tmp, extract_make_file, NULL);
	if (fd < 0)
		return extract_fail(x, node, strerror(errno));
	char *why = NULL;
	int rc = image_file_bytes(img, inode, extract_write, &fd, &why);
	fchmod(fd, img->entries[inode].mode & 0777);
	if (close(fd) < 0 && rc == 0)
		why = xasprintf("cannot write: %s", strerror(errno)), rc = -1;
	if (rc < 0) {
		unlinkat(dirfd, tmp, 0);
		extract_fail(x, node, why ? why : "cannot write");
		free(why);
		return -1;
	}
	if (extract_placed(x, node, dirfd, tmp, name) < 0)
		return -1;
	x->res->files++;
	return 0;
}

/* Whether node is the extracted top or below it. */
static int
extract_below(const struct extract_ctx *x, uint32_t node)
{
	for (; node != TREE_NONE; node = x->img->tree.nodes[node].parent)
		if (node == x->top)
			return 1;
	return 0;
}

/* The directory that holds node (the top or below it), opened from the
 * directory extracted into, one component at a time without following
 * links; -1 with errno. */
static int
extract_open_parent(const struct extract_ctx *x, uint32_t node)
{
	const struct node *nodes = x->img->tree.nodes;
	uint32_t *chain = NULL;
	size_t n = 0, cap = 0;

	/* the directories from node's parent up to the top (the root is the
	 * directory extracted into itself) */
	if (node != x->top)
		for (uint32_t p = nodes[node].parent; p != TREE_NONE; p = nodes[p].parent) {
			if (p == TREE_ROOT && x->top == TREE_ROOT)
				break;
			ARRAY_RESERVE(chain, n, cap);
			chain[n++] = p;
			if (p == x->top)
				break;
		}
	int fd = dup(x->topfd);
	while (fd >= 0 && n > 0) {
		uint32_t p = chain[--n];
		size_t len;
		const char *cn = tree_name(&x->img->tree, p, &len);
		char *name = p == x->top ? xstrdup(x->topname) : xstrndup(cn, len);
		int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		free(name);
		close(fd);
		fd = next;
		errno = err;
	}
	free(chain);
	return fd;
}

static int
extract_make_hardlink(int dirfd, const char *name, const void *arg)
{
	const struct { int fd; const char *name; } *t = arg;

	return linkat(t->fd, t->name, dirfd, name, 0);
}

/* Makes the hard link node to the path target, both extracted: one inode,
 * as a tar's extraction makes it. A target that could not be written
 * leaves a copy of its bytes. */
static int
extract_hardlink(struct extract_ctx *x, uint32_t node, uint32_t target)
{
	const struct image *img = x->img;
	size_t ln, tn;
	const char *lname = node == x->top ? x->topname : tree_name(&img->tree, node, &ln);
	const char *tname = tree_name(&img->tree, target, &tn);
	char *lz = node == x->top ? xstrdup(lname) : xstrndup(lname, ln), *tz = xstrndup(tname, tn);
	int ldir = extract_open_parent(x, node), tdir = extract_open_parent(x, target);
	int rc = -1;
	char tmp[64];
	struct stat st;

	if (ldir < 0) {
		rc = extract_fail(x, node, strerror(errno));
		goto out;
	}
	/* a directory already made read-only (its mode) lets the link in */
	int ro = fstat(ldir, &st) == 0 && !(st.st_mode & S_IWUSR);
	if (ro)
		fchmod(ldir, (st.st_mode & 07777) | S_IWUSR);
	struct { int fd; const char *name; } t = { tdir, tz };
	if (tdir >= 0 && extract_temp(x, ldir, tmp, extract_make_hardlink, &t) == 0) {
		rc = extract_placed(x, node, ldir, tmp, lz);
		if (rc == 0)
			x->res->files++;
	} else {
		const struct entry *e = links_entry(x->lk, target, NULL);
		rc = extract_file(x, node, ldir, lz, (uint32_t)(e - img->entries));
	}
	if (ro)
		fchmod(ldir, st.st_mode & 07777);
out:
	if (ldir >= 0)
		close(ldir);
	if (tdir >= 0)
		close(tdir);
	free(lz);
	free(tz);
	return rc;
}

/* a directory's children come back through it */
static int extract_one(struct extract_ctx *x, uint32_t node, int dirfd, const char *name,
                       size_t depth);

/* Extracts what parent holds into fd, each child depth below the top; a
 * name fathom does not write is refused. Stops at the first failure. */
static int
extract_children(struct extract_ctx *x, uint32_t parent, int fd, size_t depth)
{
	const struct tree *t = &x->img->tree;
	int rc = 0;

	for (uint32_t c = t->nodes[parent].child; c != TREE_NONE && rc == 0;
	     c = t->nodes[c].sibling) {
		size_t len;
		const char *cn = tree_name(t, c, &len);
		if (!extract_name_ok(cn, len)) {
			extract_refuse(x, c);
			continue;
		}
		char *z = xstrndup(cn, len);
		rc = extract_one(x, c, fd, z, depth);
		free(z);
	}
	return rc;
}

/* A directory and what it holds; its mode once it is full. */
static int
extract_one_dir(struct extract_ctx *x, uint32_t node, const struct entry *e, int dirfd,
                const char *name, size_t depth)
{
	if (depth >= EXTRACT_MAX_DEPTH)
		return extract_fail(x, node, "too deep");
	int fd = extract_dir(x, node, dirfd, name);
	if (fd < 0)
		return -1;
	x->res->dirs++;
	int rc = extract_children(x, node, fd, depth + 1);
	fchmod(fd, e->mode & 0777);
	close(fd);
	return rc;
}

/* A file, or a hard link: its bytes, or the link itself made last when its
 * target is extracted too. */
static int
extract_one_file(struct extract_ctx *x, uint32_t node, int dirfd, const char *name)
{
	const struct image *img = x->img;
	uint32_t target;
	const struct entry *le = links_entry(x->lk, node, &target);

	if (le->type == ENTRY_HARDLINK && target != TREE_NONE && extract_below(x, target)) {
		/* a link to a path this extraction writes: made last */
		ARRAY_RESERVE(x->later, x->nlater, x->clater);
		x->later[x->nlater++] = node;
		return 0;
	}
	uint32_t v = stack_at(img, node, x->layer);
	uint32_t inode = le->type == ENTRY_FILE ? (uint32_t)(le - img->entries) :
	                 stack_inode(img, img->versions[v].entry, img->versions[v].layer);
	if (inode == ENTRY_NONE) {
		extract_refuse(x, node);	/* a link to nothing */
		return 0;
	}
	return extract_file(x, node, dirfd, name, inode);
}

/* A symbolic link, when its target stays inside what is extracted. */
static int
extract_one_symlink(struct extract_ctx *x, uint32_t node, const struct entry *e, int dirfd,
                    const char *name, size_t depth)
{
	const char *target = intern_str(x->img->tree.names, e->link, NULL);
	char tmp[64];

	if (!extract_link_inside(target, depth)) {
		extract_refuse(x, node);
		return 0;
	}
	if (extract_temp(x, dirfd, tmp, extract_make_link, target) < 0)
		return extract_fail(x, node, strerror(errno));
	if (extract_placed(x, node, dirfd, tmp, name) < 0)
		return -1;
	x->res->links++;
	return 0;
}

/* Extracts node into dirfd as name; depth below the extracted top. */
static int
extract_one(struct extract_ctx *x, uint32_t node, int dirfd, const char *name, size_t depth)
{
	const struct entry *e = stack_entry_at(x->img, node, x->layer);

	if (e == NULL)
		return 0;
	switch (e->type) {
	case ENTRY_DIR:
		return extract_one_dir(x, node, e, dirfd, name, depth);
	case ENTRY_FILE:
	case ENTRY_HARDLINK:
		return extract_one_file(x, node, dirfd, name);
	case ENTRY_SYMLINK:
		return extract_one_symlink(x, node, e, dirfd, name, depth);
	default:
		extract_refuse(x, node);	/* devices and fifos */
		return 0;
	}
}

int
extract_node(const struct image *img, uint32_t node, size_t layer, int dirfd,
             unsigned flags, struct extract_result *res, char **cause)
{
	struct extract_ctx x = { .img = img, .layer = layer, .flags = flags, .res = res, .cause = cause };
	size_t len;
	const char *name;

	memset(res, 0, sizeof *res);
	if (node == TREE_NONE)
		return extract_fail(&x, node, "nothing to extract");
	char *z = NULL;
	if (node != TREE_ROOT) {
		name = tree_name(&img->tree, node, &len);
		if (!extract_name_ok(name, len))
			return extract_fail(&x, node, "a name fathom does not write");
		z = xstrndup(name, len);
	}
	x.lk = links_new(img, layer);
	x.top = node;
	x.topfd = dirfd;
	x.topname = z;
	/* the root: what it holds, into dirfd itself */
	int rc = node != TREE_ROOT ? extract_one(&x, node, dirfd, z, 0) :
	         extract_children(&x, TREE_ROOT, dirfd, 0);
	for (size_t i = 0; i < x.nlater && rc == 0; i++) {
		uint32_t target;
		links_entry(x.lk, x.later[i], &target);
		rc = extract_hardlink(&x, x.later[i], target);
	}
	free(x.later);
	links_free(x.lk);
	free(z);
	return rc;
}

void
extract_result_fini(struct extract_result *res)
{
	free(res->first_refused);
	memset(res, 0, sizeof *res);
}
