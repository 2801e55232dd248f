/* layercache: scans of layers kept on disk by digest; see layercache.h.
 *
 * An entry: "FTHMLC\1\n", the version and sizeof(struct scan_entry) (an
 * entry of another build is foreign), the diff_id and the blob digest,
 * then each chunk (counts, the scan entries, the bytes of paths and links,
 * the kept files), then the totals, then the XXH3-128 of all of it. Read
 * whole, checked end to front: checksum, totals, then every offset before
 * anything is emitted. */
#include "source/layercache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "image/entry.h"
#include "image/image.h"
#include "image/tree.h"
#include "util/digest.h"
#include "util/xalloc.h"

#define LC_MAGIC "FTHMLC\001\n"
#define LC_VERSION 2u
#define LC_DIR "v1"
#define LC_MAX_ENTRY (4ull << 30)	/* a bigger file is not one of ours */

struct layercache {
	char *dir;		/* owned: .../fathom/v1 */
	uint64_t max;
	pthread_mutex_t mu;
	int broken;		/* writing failed once: no more writes */
	unsigned long serial;	/* temporary names */
};

/* ------------------------------------------------------------- paths */

static char *
lc_default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x != NULL && *x == '/')
		return xasprintf("%s/fathom", x);
	if (home != NULL && *home == '/')
		return xasprintf("%s/.cache/fathom", home);
	return NULL;
}

/* "ALG/HEX" of a digest this cache names files by, or NULL. */
static char *
lc_rel(const char *digest)
{
	const char *colon = digest != NULL ? strchr(digest, ':') : NULL;

	if (colon == NULL || !digest_valid(digest))
		return NULL;
	return xasprintf("%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

static char *
lc_path(const struct layercache *c, const char *kind, const char *digest)
{
	char *rel = lc_rel(digest);
	char *p = rel != NULL ? xasprintf("%s/%s/%s", c->dir, kind, rel) : NULL;

	free(rel);
	return p;
}

/* mkdir -p of path's directory. */
static int
lc_mkdirs(const char *path)
{
	char *d = xstrdup(path);
	int rc = 0;

	for (char *p = d + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0755) < 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(d);
	return rc;
}

struct layercache *
layercache_open(const char *dir, uint64_t max, char **warning)
{
	char *base = dir != NULL ? xstrdup(dir) : lc_default_dir();
	struct layercache *c;

	*warning = NULL;
	if (base == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->dir = xasprintf("%s/%s", base, LC_DIR);
	c->max = max > 0 ? max : LAYERCACHE_SIZE;
	pthread_mutex_init(&c->mu, NULL);
	free(base);
	return c;
}

void
layercache_close(struct layercache *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->mu);
	free(c->dir);
	free(c);
}

const char *
layercache_dir(const struct layercache *c)
{
	return c->dir;
}

char *
layercache_diff_id(struct layercache *c, const char *blob_digest)
{
	char *path = lc_path(c, "blobs", blob_digest), buf[200];
	FILE *f = path != NULL ? fopen(path, "re") : NULL;
	char *out = NULL;

	if (f != NULL && fgets(buf, sizeof buf, f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		if (digest_valid(buf))
			out = xstrdup(buf);
	}
	if (f != NULL)
		fclose(f);
	free(path);
	return out;
}

/* -------------------------------------------------------------- reading */

struct lc_reader {
	const unsigned char *p, *end;
	int bad;
};

static const void *
lc_take(struct lc_reader *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	const void *at = r->p;
	r->p += n;
	return at;
}

static uint64_t
lc_u64(struct lc_reader *r)
{
	uint64_t v = 0;
	const void *p = lc_take(r, sizeof v);

	if (p != NULL)
		memcpy(&v, p, sizeof v);
	return v;
}

static uint32_t
lc_u32(struct lc_reader *r)
{
	uint32_t v = 0;
	const void *p = lc_take(r, sizeof v);

	if (p != NULL)
		memcpy(&v, p, sizeof v);
	return v;
}

/* A digest string: length, then bytes; whether it equals want (NULL: any). */
static int
lc_string_is(struct lc_reader *r, const char *want)
{
	uint32_t n = lc_u32(r);
	const char *s = lc_take(r, n);

	return s != NULL && (want == NULL || (strlen(want) == n && memcmp(s, want, n) == 0));
}

/* Whether a scanned entry's offsets lie within its chunk's bytes, and its
 * path is one layer_scan makes (cleaned: path_clean leaves it as it is). */
static int
lc_entry_ok(const struct scan_entry *e, const char *bytes, size_t used)
{
	if (!(e->path <= used && e->path_len <= used - e->path && e->link <= used &&
	      e->link_len <= used - e->link && e->dir_len <= e->path_len &&
	      e->type != '\0' && strchr("fdlhcbpwo", e->type) != NULL))
		return 0;
	/* the directory part ends at the last slash (an opaque marker's path
	 * is its directory) */
	const char *path = bytes + e->path;
	size_t dir = e->dir_len, len = e->path_len;
	if (e->type == ENTRY_OPAQUE ? dir != len :
	    len > 0 && (dir >= len || (dir > 0 && path[dir] != '/') ||
	                memchr(path + dir + (dir > 0), '/', len - dir - (dir > 0)) != NULL))
		return 0;
	/* the scanner roots every hard link's target: the model relies on it */
	if (e->type == ENTRY_HARDLINK && (e->link_len < 2 || bytes[e->link] != '/'))
		return 0;
	char *clean = xmalloc((size_t)e->path_len + 1);
	long n = path_clean(bytes + e->path, e->path_len, clean);
	int ok = n == (long)e->path_len && memcmp(clean, bytes + e->path, e->path_len) == 0;
	free(clean);
	return ok;
}

/* One chunk out of r (owned by the caller), or NULL. */
static struct scan_chunk *
lc_chunk(struct lc_reader *r)
{
	uint32_t count = lc_u32(r), used = lc_u32(r), nkept = lc_u32(r);
	const void *ents = lc_take(r, (size_t)count * sizeof(struct scan_entry));
	const void *bytes = lc_take(r, used);

	/* each kept file takes 8 bytes at least: a count is never trusted
	 * beyond what the entry holds */
	if (r->bad || nkept > (size_t)(r->end - r->p) / 8)
		return NULL;
	struct scan_chunk *c = xcalloc(1, sizeof *c);
	c->entries = xmalloc((count ? count : 1) * sizeof *c->entries);
	memcpy(c->entries, ents, (size_t)count * sizeof *c->entries);
	c->count = c->cap = count;
	c->bytes = xmalloc(used ? used : 1);
	memcpy(c->bytes, bytes, used);
	c->used = c->cbytes = used;
	for (size_t i = 0; i < count && !r->bad; i++)
		r->bad = !lc_entry_ok(&c->entries[i], c->bytes, used);
	c->kept = xcalloc(nkept ? nkept : 1, sizeof *c->kept);
	for (uint32_t i = 0; i < nkept && !r->bad; i++) {
		uint32_t index = lc_u32(r), len = lc_u32(r);
		const void *data = lc_take(r, len);
		if (data == NULL || index >= count || len > IMAGE_KEPT_MAX) {
			r->bad = 1;
			break;
		}
		char *copy = xmalloc((size_t)len + 1);
		memcpy(copy, data, len);
		copy[len] = '\0';
		c->kept[c->nkept++] = (struct scan_kept){ index, copy, len };
	}
	c->ckept = nkept ? nkept : 1;
	if (r->bad) {
		scan_chunk_free(c);
		return NULL;
	}
	return c;
}

/* The file's bytes, whole (owned), or NULL. */
static unsigned char *
lc_slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	unsigned char *buf = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= LC_MAX_ENTRY) {
		buf = xmalloc((size_t)st.st_size + 1);
		size_t done = 0;
		while (done < (size_t)st.st_size) {
			ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			done += (size_t)n;
		}
		*len = done;
	}
	close(fd);
	return buf;
}

/* Checks the file's frame (magic, version, checksum, key) and its totals;
 * leaves r at the first chunk. 0, or -1 for a bad entry. */
static int
lc_frame(struct lc_reader *r, const unsigned char *buf, size_t len, const char *diff_id,
         struct blob *out, uint32_t *nchunks, unsigned *kind)
{
	const size_t tail = 6 * sizeof(uint64_t) + 16;

	if (len < 8 + 8 + tail || memcmp(buf, LC_MAGIC, 8) != 0)
		return -1;
	XXH128_hash_t h = XXH3_128bits(buf, len - 16);
	XXH128_canonical_t want;
	XXH128_canonicalFromHash(&want, h);
	if (memcmp(&want, buf + len - 16, 16) != 0)
		return -1;
	struct lc_reader t = { buf + len - tail, buf + len - 16, 0 };
	out->size = lc_u64(&t);
	out->tar_entries = lc_u64(&t);
	out->tar_bytes = lc_u64(&t);
	*nchunks = (uint32_t)lc_u64(&t);
	*kind = lc_u64(&t) != 0 ? LAYERCACHE_UNHASHED : 0;
	*kind |= lc_u64(&t) != 0 ? 0 : LAYERCACHE_UNVERIFIED;
	*r = (struct lc_reader){ buf + 8, buf + len - tail, 0 };
	if (lc_u32(r) != LC_VERSION || lc_u32(r) != sizeof(struct scan_entry))
		return -1;
	if (!lc_string_is(r, diff_id) || !lc_string_is(r, NULL))
		return -1;
	/* each chunk takes 12 bytes at least */
	return r->bad || *nchunks > (size_t)(r->end - r->p) / 12 ? -1 : 0;
}

static void
lc_drop(const char *path, char **warning, const char *diff_id)
{
	if (unlink(path) == 0 || errno == ENOENT)
		*warning = xasprintf("the layer cache's entry for %s was damaged: dropped, "
		                     "read again", diff_id);
}

int
layercache_unhashed(struct layercache *c, const char *diff_id)
{
	char *path = lc_path(c, "layers", diff_id);
	size_t len = 0;
	unsigned char *buf = path != NULL ? lc_slurp(path, &len) : NULL;
	struct lc_reader r;
	struct blob out;
	uint32_t n;
	unsigned kind = 0;

	int ok = buf != NULL && lc_frame(&r, buf, len, diff_id, &out, &n, &kind) == 0;
	free(buf);
	free(path);
	return ok && (kind & LAYERCACHE_UNHASHED);
}

int
layercache_load(struct layercache *c, const char *diff_id, unsigned accept, uint64_t max_bytes,
                layer_emit_fn emit, void *ctx, struct blob *out, char **warning)
{
	char *path = lc_path(c, "layers", diff_id);
	size_t len = 0;
	unsigned char *buf = path != NULL ? lc_slurp(path, &len) : NULL;
	struct lc_reader r;
	uint32_t nchunks = 0;
	unsigned kind = 0;
	int rc = 0;

	*warning = NULL;
	if (buf == NULL) {
		free(path);
		return 0;
	}
	memset(out, 0, sizeof *out);
	if (lc_frame(&r, buf, len, diff_id, out, &nchunks, &kind) < 0) {
		lc_drop(path, warning, diff_id);
		goto out;
	}
	if ((kind & ~accept) != 0 || (max_bytes > 0 && out->tar_bytes > max_bytes))
		goto out;	/* sound, but not for this use: read, to fail as it does */
	if (emit == NULL) {
		rc = 1;		/* its totals only */
		utimensat(AT_FDCWD, path, NULL, 0);
		goto out;
	}
	/* every chunk checked before the first is emitted */
	struct scan_chunk **chunks = xcalloc(nchunks ? nchunks : 1, sizeof *chunks);
	uint32_t got = 0;
	while (got < nchunks && (chunks[got] = lc_chunk(&r)) != NULL)
		got++;
	if (got < nchunks || r.p != r.end) {
		for (uint32_t i = 0; i < got; i++)
			scan_chunk_free(chunks[i]);
		lc_drop(path, warning, diff_id);
	} else {
		rc = 1;
		for (uint32_t i = 0; i < nchunks; i++)
			if (rc == 1 && emit(ctx, chunks[i]) < 0)
				rc = -1;
			else if (rc != 1)
				scan_chunk_free(chunks[i]);
		/* used now: the last to be evicted */
		utimensat(AT_FDCWD, path, NULL, 0);
	}
	free(chunks);
out:
	free(buf);
	free(path);
	return rc;
}

/* -------------------------------------------------------------- writing */

struct layercache_writer {
	struct layercache *c;
	char *diff_id, *blob_digest;	/* owned */
	char *path, *tmp;		/* owned */
	FILE *f;
	XXH3_state_t *h;
	uint32_t nchunks;
	int unhashed, verified, failed;
};

static void
lc_put(struct layercache_writer *w, const void *p, size_t n)
{
	if (w->failed || n == 0)
		return;
	if (fwrite(p, 1, n, w->f) != n)
		w->failed = 1;
	XXH3_128bits_update(w->h, p, n);
}

static void
lc_put32(struct layercache_writer *w, uint32_t v)
{
	lc_put(w, &v, sizeof v);
}

static void
lc_put64(struct layercache_writer *w, uint64_t v)
{
	lc_put(w, &v, sizeof v);
}

static void
lc_put_string(struct layercache_writer *w, const char *s)
{
	lc_put32(w, (uint32_t)strlen(s));
	lc_put(w, s, strlen(s));
}

/* Says once that the directory cannot take entries; no more writes. */
static int
lc_broken(struct layercache *c, char **warning, int err)
{
	pthread_mutex_lock(&c->mu);
	int first = !c->broken;
	c->broken = 1;
	pthread_mutex_unlock(&c->mu);
	if (first)
		*warning = xasprintf("the layer cache in %s cannot be written (%s): going on "
		                     "without it", c->dir, strerror(err));
	return -1;
}

struct layercache_writer *
layercache_writer_new(struct layercache *c, const char *diff_id, const char *blob_digest,
                      int verified)
{
	char *path = lc_path(c, "layers", diff_id);

	pthread_mutex_lock(&c->mu);
	int broken = c->broken;
	unsigned long serial = c->serial++;
	pthread_mutex_unlock(&c->mu);
	if (path == NULL || broken) {
		free(path);
		return NULL;
	}
	struct layercache_writer *w = xcalloc(1, sizeof *w);
	w->c = c;
	w->diff_id = xstrdup(diff_id);
	w->blob_digest = blob_digest != NULL ? xstrdup(blob_digest) : NULL;
	w->path = path;
	w->verified = verified;
	w->tmp = xasprintf("%s.tmp.%ld.%lu", path, (long)getpid(), serial);
	if ((w->h = XXH3_createState()) == NULL)
		xalloc_die();
	XXH3_128bits_reset(w->h);
	if (lc_mkdirs(w->tmp) < 0 || (w->f = fopen(w->tmp, "wxe")) == NULL)
		w->failed = errno != 0 ? errno : EIO;
	lc_put(w, LC_MAGIC, 8);
	lc_put32(w, LC_VERSION);
	lc_put32(w, (uint32_t)sizeof(struct scan_entry));
	lc_put_string(w, diff_id);
	lc_put_string(w, blob_digest != NULL ? blob_digest : "");
	return w;
}

void
layercache_writer_chunk(struct layercache_writer *w, const struct scan_chunk *ch)
{
	if (w == NULL || w->failed)
		return;
	lc_put32(w, (uint32_t)ch->count);
	lc_put32(w, (uint32_t)ch->used);
	lc_put32(w, (uint32_t)ch->nkept);
	lc_put(w, ch->entries, ch->count * sizeof *ch->entries);
	lc_put(w, ch->bytes, ch->used);
	for (size_t i = 0; i < ch->nkept; i++) {
		lc_put32(w, (uint32_t)ch->kept[i].index);
		lc_put32(w, (uint32_t)ch->kept[i].len);
		lc_put(w, ch->kept[i].data, ch->kept[i].len);
	}
	for (size_t i = 0; i < ch->count && !w->unhashed; i++)
		w->unhashed = (ch->entries[i].flags & ENTRY_UNHASHED) != 0;
	w->nchunks++;
}

/* Maps blob_digest to diff_id (a small file, renamed into place); 0, or
 * the errno of the write that failed (a full disk). */
static int
lc_map_blob(struct layercache *c, const char *blob_digest, const char *diff_id)
{
	char *path = lc_path(c, "blobs", blob_digest);
	FILE *f = NULL;
	int err = 0;

	if (path == NULL)
		return 0;
	pthread_mutex_lock(&c->mu);
	unsigned long serial = c->serial++;
	pthread_mutex_unlock(&c->mu);
	char *tmp = xasprintf("%s.tmp.%ld.%lu", path, (long)getpid(), serial);
	if (lc_mkdirs(tmp) != 0 || (f = fopen(tmp, "we")) == NULL) {
		err = errno;
	} else {
		int ok = fprintf(f, "%s\n", diff_id) > 0;
		err = ok ? 0 : errno;
		if (fclose(f) != 0 && err == 0)
			err = errno;
		if (err == 0 && rename(tmp, path) != 0)
			err = errno;
		if (err != 0)
			unlink(tmp);
	}
	free(tmp);
	free(path);
	return err == 0 ? 0 : err > 0 ? err : EIO;
}

int
layercache_writer_end(struct layercache_writer *w, int ok, const struct blob *totals,
                      char **warning)
{
	int rc = 0;

	*warning = NULL;
	if (w == NULL)
		return 0;
	if (ok && !w->failed) {
		lc_put64(w, totals->size);
		lc_put64(w, totals->tar_entries);
		lc_put64(w, totals->tar_bytes);
		lc_put64(w, w->nchunks);
		lc_put64(w, (uint64_t)w->unhashed);
		lc_put64(w, (uint64_t)w->verified);
		XXH128_canonical_t sum;
		XXH128_canonicalFromHash(&sum, XXH3_128bits_digest(w->h));
		if (!w->failed && fwrite(&sum, 1, sizeof sum, w->f) != sizeof sum)
			w->failed = errno != 0 ? errno : EIO;
	}
	if (w->f != NULL && fclose(w->f) != 0 && !w->failed)
		w->failed = errno != 0 ? errno : EIO;
	if (ok && !w->failed && rename(w->tmp, w->path) == 0) {
		/* without its mapping, the blob would be read again: a failure too */
		int err = w->blob_digest != NULL && strcmp(w->blob_digest, w->diff_id) != 0 ?
		          lc_map_blob(w->c, w->blob_digest, w->diff_id) : 0;
		if (err != 0)
			rc = lc_broken(w->c, warning, err);
		layercache_prune(w->c, w->c->max, NULL, NULL, NULL);
	} else {
		int err = w->failed ? w->failed : errno;
		unlink(w->tmp);
		if (ok)
			rc = lc_broken(w->c, warning, err > 0 ? err : EIO);
	}
	XXH3_freeState(w->h);
	free(w->diff_id);
	free(w->blob_digest);
	free(w->path);
	free(w->tmp);
	free(w);
	return rc;
}

/* ------------------------------------------------------- list and prune */

static int
lc_cmp_items(const void *a, const void *b)
{
	const struct layercache_item *x = a, *y = b;

	if (x->used != y->used)
		return x->used > y->used ? -1 : 1;
	return strcmp(x->diff_id, y->diff_id);
}

int
layercache_list(struct layercache *c, struct layercache_item **items, size_t *n, char **cause)
{
	char *top = xasprintf("%s/layers", c->dir);
	DIR *d = opendir(top), *sub;
	struct dirent *a, *e;
	size_t cap = 0;

	*items = NULL;
	*n = 0;
	if (d == NULL) {
		free(top);
		if (errno == ENOENT)
			return 0;
		if (cause != NULL)
			*cause = xasprintf("%s/layers: %s", c->dir, strerror(errno));
		return -1;
	}
	while ((a = readdir(d)) != NULL) {
		if (a->d_name[0] == '.')
			continue;
		char *alg = xasprintf("%s/%s", top, a->d_name);
		if ((sub = opendir(alg)) != NULL) {
			while ((e = readdir(sub)) != NULL) {
				struct stat st;
				char *p = xasprintf("%s/%s", alg, e->d_name);
				char *digest = xasprintf("%s:%s", a->d_name, e->d_name);
				if (e->d_name[0] != '.' && strchr(e->d_name, '.') == NULL &&
				    digest_valid(digest) && stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
					ARRAY_RESERVE(*items, *n, cap);
					(*items)[(*n)++] = (struct layercache_item){
						digest, (uint64_t)st.st_size, (int64_t)st.st_mtime,
					};
					digest = NULL;
				}
				free(digest);
				free(p);
			}
			closedir(sub);
		}
		free(alg);
	}
	closedir(d);
	free(top);
	if (*n > 1)
		qsort(*items, *n, sizeof **items, lc_cmp_items);
	return 0;
}

void
layercache_items_free(struct layercache_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i].diff_id);
	free(items);
}

int
layercache_prune(struct layercache *c, uint64_t max, size_t *dropped, uint64_t *freed,
                 char **cause)
{
	struct layercache_item *items;
	size_t n, gone = 0;
	uint64_t total = 0, out = 0;
	char *lock = xasprintf("%s/lock", c->dir);
	int fd = lc_mkdirs(lock) == 0 ? open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;

	free(lock);
	if (fd >= 0)
		flock(fd, LOCK_EX);	/* one process evicts at a time */
	int rc = layercache_list(c, &items, &n, cause);
	for (size_t i = 0; rc == 0 && i < n; i++)
		total += items[i].bytes;
	/* the oldest last in the list: they go first */
	for (size_t i = n; rc == 0 && i-- > 0 && total > max;) {
		char *path = lc_path(c, "layers", items[i].diff_id);
		if (path != NULL && unlink(path) == 0) {
			total -= items[i].bytes;
			out += items[i].bytes;
			gone++;
		}
		free(path);
	}
	if (rc == 0)
		layercache_items_free(items, n);
	if (fd >= 0)
		close(fd);
	if (dropped != NULL)
		*dropped = gone;
	if (freed != NULL)
		*freed = out;
	return rc;
}
