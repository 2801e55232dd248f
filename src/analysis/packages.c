/* packages: dpkg and apk databases; see packages.h. */
#define LIBDPKG_VOLATILE_API 1
#include "analysis/packages.h"

#include <dpkg/dpkg-db.h>
#include <dpkg/parsedump.h>
#include <dpkg/version.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

const char *const packages_paths[PACKAGES_DBS] = {
	"/var/lib/dpkg/status",
	"/lib/apk/db/installed",
};
const char *const packages_names[PACKAGES_DBS] = { "dpkg", "apk" };

/* One package as its paragraph gave it, before it is kept. */
struct packages_para {
	const char *name, *version, *arch, *status, *size;
	size_t name_len, version_len, arch_len, status_len, size_len;
};

static uint64_t
packages_number(const char *s, size_t len)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return UINT64_MAX;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v;
}

/* Whether dpkg's Status says installed: its third word. */
static int
packages_installed(const char *s, size_t len)
{
	static const char want[] = "installed";
	size_t n = sizeof want - 1;
	const char *end = s + len;

	/* the last word, after the blanks at the end */
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return (size_t)(end - s) >= n && memcmp(end - n, want, n) == 0 &&
	       (end - n == s || *(end - n - 1) == ' ');
}

static void
packages_keep(enum packages_db db, const struct packages_para *p, struct package_list *out)
{
	if (p->name == NULL || p->name_len == 0)
		return;
	if (db == PACKAGES_DPKG && (p->status == NULL || !packages_installed(p->status, p->status_len)))
		return;
	uint64_t size = p->size != NULL ? packages_number(p->size, p->size_len) : 0;
	if (db == PACKAGES_DPKG)
		size = size > UINT64_MAX / 1024 ? UINT64_MAX : size * 1024;
	ARRAY_RESERVE(out->items, out->count, out->cap);
	struct package *k = &out->items[out->count++];
	k->name = p->arch != NULL && p->arch_len > 0 ?
	          xasprintf("%.*s:%.*s", (int)p->name_len, p->name, (int)p->arch_len, p->arch) :
	          xstrndup(p->name, p->name_len);
	k->version = p->version != NULL ? xstrndup(p->version, p->version_len) : xstrdup("");
	k->size = size;
}

static int
packages_cmp(const void *x, const void *y)
{
	return strcmp(((const struct package *)x)->name, ((const struct package *)y)->name);
}

/* Sorted by "name:arch"; then a name there once loses its ":arch", and a
 * name:arch there twice keeps its first. */
static void
packages_finish(struct package_list *out)
{
	size_t n = 0;

	if (out->count > 0)
		qsort(out->items, out->count, sizeof *out->items, packages_cmp);
	for (size_t i = 0; i < out->count; i++) {
		struct package *p = &out->items[i];
		if (n > 0 && strcmp(out->items[n - 1].name, p->name) == 0) {
			free(p->name);
			free(p->version);
			continue;
		}
		out->items[n++] = *p;
	}
	out->count = n;
	for (size_t i = 0; i < n; i++) {
		char *colon = strrchr(out->items[i].name, ':');
		if (colon == NULL)
			continue;
		size_t base = (size_t)(colon - out->items[i].name);
		int twice = (i > 0 && strncmp(out->items[i - 1].name, out->items[i].name, base + 1) == 0) ||
		            (i + 1 < n && strncmp(out->items[i + 1].name, out->items[i].name, base + 1) == 0);
		if (!twice)
			*colon = '\0';
	}
	/* dropping ":arch" can make two names equal ("a" and "a:x"): keep the
	 * list's names unique */
	if (out->count > 0)
		qsort(out->items, out->count, sizeof *out->items, packages_cmp);
	n = 0;
	for (size_t i = 0; i < out->count; i++) {
		if (n > 0 && strcmp(out->items[n - 1].name, out->items[i].name) == 0) {
			free(out->items[i].name);
			free(out->items[i].version);
			continue;
		}
		out->items[n++] = out->items[i];
	}
	out->count = n;
}

void
packages_parse(enum packages_db db, const char *text, size_t len, struct package_list *out)
{
	struct packages_para p = { 0 };
	const char *s = text, *end = text + len;

	memset(out, 0, sizeof *out);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl != NULL ? nl : end;
		size_t n = (size_t)(le - s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (n == 0) {
			packages_keep(db, &p, out);
			memset(&p, 0, sizeof p);
		} else if (db == PACKAGES_DPKG && s[0] != ' ' && s[0] != '\t') {
			const char *colon = memchr(s, ':', n);
			if (colon != NULL) {
				size_t klen = (size_t)(colon - s);
				const char *v = colon + 1;
				while (v < s + n && (*v == ' ' || *v == '\t'))
					v++;
				size_t vlen = (size_t)(s + n - v);
#define PACKAGES_FIELD(key, f)                                                    \
	if (klen == sizeof key - 1 && strncasecmp(s, key, klen) == 0) {       \
		p.f = v;                                                      \
		p.f##_len = vlen;                                             \
	}
				PACKAGES_FIELD("Package", name)
				PACKAGES_FIELD("Version", version)
				PACKAGES_FIELD("Architecture", arch)
				PACKAGES_FIELD("Status", status)
				PACKAGES_FIELD("Installed-Size", size)
#undef PACKAGES_FIELD
			}
		} else if (db == PACKAGES_APK && n >= 2 && s[1] == ':') {
			const char *v = s + 2;
			size_t vlen = n - 2;
			if (s[0] == 'P') {
				p.name = v;
				p.name_len = vlen;
			} else if (s[0] == 'V') {
				p.version = v;
				p.version_len = vlen;
			} else if (s[0] == 'I') {
				p.size = v;
				p.size_len = vlen;
			}
		}
		s = nl != NULL ? nl + 1 : end;
	}
	packages_keep(db, &p, out);
	packages_finish(out);
}

void
package_list_free(struct package_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].name);
		free(l->items[i].version);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

int
packages_dpkg_compare(const char *a, const char *b)
{
	struct dpkg_version va, vb;
	struct dpkg_error err = { 0 };
	int rc = 0;

	if (parseversion(&va, a, &err) == 0) {
		dpkg_error_destroy(&err);
		if (parseversion(&vb, b, &err) == 0)
			rc = dpkg_version_compare(&va, &vb);
	}
	dpkg_error_destroy(&err);
	return rc;
}

/* An apk version, split: pointers into the text it was read from. */
#define APKV_MAX 32		/* numbers or suffixes kept; more is no version */
struct apkv {
	const char *num[APKV_MAX];
	size_t num_len[APKV_MAX], nums;
	char letter;		/* 0: none */
	int suf[APKV_MAX];	/* rank: see apkv_suffixes; APKV_NONE absent */
	const char *suf_num[APKV_MAX];
	size_t suf_num_len[APKV_MAX], sufs;
	const char *rev;
	size_t rev_len;
};

/* Suffixes in their order; a version without one sits between _rc and
 * _cvs. */
static const char *const apkv_suffixes[] = { "alpha", "beta", "pre", "rc",
	                                     "cvs",   "svn",  "git", "hg", "p" };
#define APKV_NONE 4		/* the rank of no suffix: after "rc" (3) */

static size_t
apkv_digits(const char *s)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

static int
apkv_parse(const char *s, struct apkv *v)
{
	size_t n;

	memset(v, 0, sizeof *v);
	do {
		if (v->nums > 0)
			s++;	/* the '.' */
		if ((n = apkv_digits(s)) == 0 || v->nums == APKV_MAX)
			return -1;
		v->num[v->nums] = s;
		v->num_len[v->nums++] = n;
		s += n;
	} while (*s == '.');
	if (*s >= 'a' && *s <= 'z')
		v->letter = *s++;
	while (*s == '_') {
		size_t k, len = 0;
		s++;
		while (s[len] >= 'a' && s[len] <= 'z')
			len++;
		for (k = 0; k < sizeof apkv_suffixes / sizeof *apkv_suffixes; k++)
			if (strlen(apkv_suffixes[k]) == len && strncmp(s, apkv_suffixes[k], len) == 0)
				break;
		if (k == sizeof apkv_suffixes / sizeof *apkv_suffixes || v->sufs == APKV_MAX)
			return -1;
		s += len;
		v->suf[v->sufs] = k < APKV_NONE ? (int)k : (int)k + 1;
		n = apkv_digits(s);
		v->suf_num[v->sufs] = s;
		v->suf_num_len[v->sufs++] = n;
		s += n;
	}
	if (*s == '~') {
		s++;
		while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))
			s++;
	}
	if (s[0] == '-' && s[1] == 'r') {
		s += 2;
		if ((n = apkv_digits(s)) == 0)
			return -1;
		v->rev = s;
		v->rev_len = n;
		s += n;
	}
	return *s == '\0' ? 0 : -1;
}

/* Two runs of digits as whole numbers, of any length. */
static int
apkv_number(const char *a, size_t la, const char *b, size_t lb)
{
	while (la > 0 && *a == '0')
		a++, la--;
	while (lb > 0 && *b == '0')
		b++, lb--;
	if (la != lb)
		return la < lb ? -1 : 1;
	int c = la > 0 ? memcmp(a, b, la) : 0;
	return (c > 0) - (c < 0);
}

/* Two runs of digits as the fractions they start (a leading zero): as
 * text, trailing zeros aside. */
static int
apkv_fraction(const char *a, size_t la, const char *b, size_t lb)
{
	while (la > 0 && a[la - 1] == '0')
		la--;
	while (lb > 0 && b[lb - 1] == '0')
		lb--;
	int c = memcmp(a, b, la < lb ? la : lb);
	if (c == 0)
		return la < lb ? -1 : la > lb;
	return (c > 0) - (c < 0);
}

int
packages_apk_compare(const char *a, const char *b, int *ordered)
{
	struct apkv x, y;
	int c, ok = apkv_parse(a, &x) == 0 && apkv_parse(b, &y) == 0;

	if (ordered != NULL)
		*ordered = ok;
	if (!ok)
		return 0;
	for (size_t i = 0; i < x.nums && i < y.nums; i++) {
		if (i > 0 && (x.num[i][0] == '0' || y.num[i][0] == '0'))
			c = apkv_fraction(x.num[i], x.num_len[i], y.num[i], y.num_len[i]);
		else
			c = apkv_number(x.num[i], x.num_len[i], y.num[i], y.num_len[i]);
		if (c != 0)
			return c;
	}
	if (x.nums != y.nums)
		return x.nums < y.nums ? -1 : 1;
	if (x.letter != y.letter)
		return x.letter < y.letter ? -1 : 1;
	for (size_t i = 0; i < x.sufs || i < y.sufs; i++) {
		int sx = i < x.sufs ? x.suf[i] : APKV_NONE, sy = i < y.sufs ? y.suf[i] : APKV_NONE;
		if (sx != sy)
			return sx < sy ? -1 : 1;
		c = apkv_number(x.suf_num[i], x.suf_num_len[i], y.suf_num[i], y.suf_num_len[i]);
		if (c != 0)
			return c;
	}
	return apkv_number(x.rev, x.rev_len, y.rev, y.rev_len);
}
