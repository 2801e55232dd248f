/* test_util: path cleaning, the tree, sorted walks, escaping, human sizes,
 * times, platforms and strings numbered in order: the small pieces everything
 * else stands on. */
#include <fnmatch.h>
#include <stdio.h>

#include "testutil.h"
#include "image/walk.h"
#include "source/platform.h"
#include "util/digest.h"
#include "util/ere.h"
#include "util/escape.h"
#include "util/gunzip.h"
#include "util/globset.h"
#include "util/gzip.h"
#include "util/human.h"
#include "util/strindex.h"

static char *
clean(const char *in)
{
	static char out[256];
	long n = path_clean(in, strlen(in), out);
	return n < 0 ? NULL : out;
}

static void
path_clean_normalizes(void **state)
{
	(void)state;
	assert_string_equal(clean("./a"), "a");
	assert_string_equal(clean("/a"), "a");
	assert_string_equal(clean("a//b"), "a/b");
	assert_string_equal(clean("a/./b"), "a/b");
	assert_string_equal(clean("a/b/"), "a/b");
	assert_string_equal(clean("a/../b"), "b");
	assert_string_equal(clean("a/b/.."), "a");
	assert_string_equal(clean("./"), "");
	assert_string_equal(clean("/"), "");
	assert_string_equal(clean(".//./"), "");
	assert_null(clean(".."));
	assert_null(clean("../a"));
	assert_null(clean("a/../../b"));
	assert_null(clean("/../etc"));
}

static void
tree_finds_and_names(void **state)
{
	struct tree t;
	char *buf = NULL;
	size_t cap = 0;
	(void)state;

	tree_init(&t);
	uint32_t n = tree_insert(&t, TREE_ROOT, "usr/lib/x", 9);
	assert_int_equal(tree_find(&t, "/usr/lib/x"), n);
	assert_int_equal(tree_find(&t, "./usr//lib/./x"), n);
	assert_int_equal(tree_find(&t, "/usr/lib/y"), TREE_NONE);
	assert_int_equal(tree_find(&t, "/nope"), TREE_NONE);
	assert_int_equal(tree_find(&t, "/"), TREE_ROOT);
	assert_int_equal(tree_path(&t, n, &buf, &cap), 10);
	assert_string_equal(buf, "/usr/lib/x");
	tree_path(&t, TREE_ROOT, &buf, &cap);
	assert_string_equal(buf, "/");
	/* Many children: the hash table grows and still finds them all. */
	for (int i = 0; i < 5000; i++) {
		char name[32];
		int l = snprintf(name, sizeof name, "d/%d", i);
		tree_insert(&t, TREE_ROOT, name, (size_t)l);
	}
	assert_int_not_equal(tree_find(&t, "/d/4999"), TREE_NONE);
	assert_int_equal(tree_find(&t, "/usr/lib/x"), n);
	free(buf);
	tree_fini(&t);
}

static int
all(void *ctx, uint32_t node)
{
	(void)ctx;
	(void)node;
	return WALK_SHOW | WALK_DESCEND;
}

static int
collect(void *ctx, uint32_t node, const char *path, size_t len)
{
	FILE *f = ctx;
	(void)node;
	fwrite(path, 1, len, f);
	fputc(' ', f);
	return 0;
}

static void
walk_is_in_strcmp_order(void **state)
{
	static const char *const paths[] = {
		"a0", "a/x", "a.b", "a-b/y", "a/x/z", "b", "a/\xff", "a/A",
	};
	struct tree t;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	(void)state;

	tree_init(&t);
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		tree_insert(&t, TREE_ROOT, paths[i], strlen(paths[i]));
	walk_sorted(&t, all, collect, f);
	fclose(f);
	/* strcmp order: '-' < '.' < '/' < '0' and 0xff last. */
	assert_string_equal(out, "/a /a-b /a-b/y /a.b /a/A /a/x /a/x/z /a/\xff /a0 /b ");
	free(out);
	tree_fini(&t);
}

static void
escapes(void **state)
{
	char *s;
	(void)state;

	s = escape_str("a\\b\tc\nd\x01\x7f\xff", 10, 0);
	assert_string_equal(s, "a\\\\b\\tc\\nd\\x01\\x7f\xff");
	free(s);
	s = escape_str("caf\xc3\xa9 \xff\xfe \xe2\x82", 11, 1);
	assert_string_equal(s, "caf\xc3\xa9 \\xff\\xfe \\xe2\\x82");
	free(s);
	s = escape_str("\xed\xa0\x80", 3, 1);	/* a UTF-16 surrogate is not UTF-8 */
	assert_string_equal(s, "\\xed\\xa0\\x80");
	free(s);
}

static void
human_sizes_like_docker(void **state)
{
	char b[16];
	(void)state;

	human_size(0, b, sizeof b);
	assert_string_equal(b, "0B");
	human_size(999, b, sizeof b);
	assert_string_equal(b, "999B");
	human_size(1000, b, sizeof b);
	assert_string_equal(b, "1kB");
	human_size(6405, b, sizeof b);
	assert_string_equal(b, "6.41kB");
	human_size(1154361, b, sizeof b);
	assert_string_equal(b, "1.15MB");
	human_size(9663676416ull, b, sizeof b);
	assert_string_equal(b, "9.66GB");
}

static void
times_in_utc(void **state)
{
	char *t;
	(void)state;

	t = human_utc_time("2018-12-28T16:50:41.061508628Z");
	assert_string_equal(t, "2018-12-28T16:50:41Z");
	free(t);
	t = human_utc_time("2025-01-26T22:54:00.500849935+01:00");
	assert_string_equal(t, "2025-01-26T21:54:00Z");
	free(t);
	t = human_utc_time("0001-01-01T00:00:00Z");
	assert_string_equal(t, "0001-01-01T00:00:00Z");
	free(t);
	assert_null(human_utc_time("yesterday"));
	assert_null(human_utc_time("2018-12-28T16:50:41+1:00"));
	assert_null(human_utc_time(NULL));
}

static void
platforms(void **state)
{
	struct platform p;
	char *cause = NULL;
	(void)state;

	assert_int_equal(platform_parse("linux/arm64", &p, &cause), 0);
	assert_true(platform_match(&p, "linux", "arm64", "v8"));
	assert_true(platform_match(&p, "linux", "arm64", NULL));
	assert_false(platform_match(&p, "linux", "amd64", NULL));
	assert_int_equal(platform_parse("linux/arm64/v8", &p, &cause), 0);
	assert_true(platform_match(&p, "linux", "arm64", NULL));
	assert_false(platform_match(&p, "linux", "arm64", "v9"));
	assert_int_equal(platform_parse("linux/x86_64", &p, &cause), 0);
	assert_true(platform_match(&p, "linux", "amd64", NULL));
	assert_int_equal(platform_parse("linux", &p, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(platform_parse("a/b/c/d", &p, &cause), -1);
	free(cause);
}

static int
ere_yes(const char *pattern, const char *s)
{
	char *cause = NULL;
	struct ere *re = ere_compile(pattern, &cause);
	int yes;

	if (re == NULL)
		fail_msg("%s: %s", pattern, cause);
	yes = ere_match(re, 0, s, strlen(s));
	ere_free(re);
	return yes;
}

/* POSIX extended syntax, not Perl's: a backslash in brackets is itself,
 * \d is a d; bad patterns are refused with a message. */
static void
ere_is_posix_extended(void **state)
{
	char *cause = NULL;
	(void)state;

	assert_true(ere_yes("^/app/.*\\.py$", "/app/lib/util.py"));
	assert_false(ere_yes("^/app/.*\\.py$", "/app/lib/util.pyc"));
	assert_true(ere_yes("f00(1|2)3", "/a/f00231"));
	assert_true(ere_yes("[[:digit:]]{3}$", "/etc/rc123"));
	assert_false(ere_yes("[[:digit:]]{3}$", "/etc/rc12"));
	assert_true(ere_yes("a[\\]b", "a\\b"));
	assert_true(ere_yes("\\d", "/d"));
	assert_false(ere_yes("\\d", "/7"));
	assert_true(ere_yes("caf\xc3\xa9", "/caf\xc3\xa9"));
	assert_null(ere_compile("(", &cause));
	assert_non_null(cause);
	free(cause);
}

/* What gzip hands out, gathered. */
struct gz_out {
	unsigned char *buf;
	size_t len, cap;
};

static int
gz_put(void *ctx, const void *buf, size_t len)
{
	struct gz_out *o = ctx;

	ARRAY_RESERVE(o->buf, o->len + len, o->cap);
	memcpy(o->buf + o->len, buf, len);
	o->len += len;
	return 0;
}

/* data compressed, given in pieces of piece bytes (0: all at once). */
static struct gz_out
gz_of(const unsigned char *data, size_t len, size_t piece)
{
	struct gz_out o = { 0 };
	struct gzip *g = gzip_new(gz_put, &o);

	for (size_t at = 0; at < len;) {
		size_t n = piece == 0 || len - at < piece ? len - at : piece;
		assert_int_equal(gzip_write(g, data + at, n), 0);
		at += n;
	}
	assert_int_equal(gzip_end(g), 0);
	gzip_free(g);
	return o;
}

/* The same bytes make the same member whatever the pieces they come in,
 * and it inflates back to them. */
static void
gzip_is_deterministic(void **state)
{
	size_t len = 3 << 20;
	unsigned char *data = malloc(len);
	(void)state;

	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)((i * 7) % 251 ^ (i >> 12));
	struct gz_out a = gz_of(data, len, 0), b = gz_of(data, len, 1000), c = gz_of(data, len, 65536);
	assert_true(a.len > 18 && a.len < len);
	assert_int_equal(a.len, b.len);
	assert_int_equal(a.len, c.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	assert_memory_equal(a.buf, c.buf, a.len);
	/* a gzip header without a time or a name */
	assert_int_equal(a.buf[0], 0x1f);
	assert_int_equal(a.buf[1], 0x8b);
	assert_int_equal(a.buf[3], 0);
	assert_int_equal(a.buf[4] | a.buf[5] | a.buf[6] | a.buf[7], 0);
	struct stream *s = stream_gunzip_new(stream_memory_new(a.buf, a.len));
	size_t got = 0;
	const void *buf;
	ssize_t n;
	while ((n = stream_read(s, &buf)) > 0) {
		assert_true(got + (size_t)n <= len);
		assert_memory_equal(buf, data + got, (size_t)n);
		got += (size_t)n;
	}
	assert_int_equal(n, 0);
	assert_int_equal(got, len);
	stream_free(s);
	free(a.buf);
	free(b.buf);
	free(c.buf);
	free(data);
}

/* A digester on its own thread gives the digest of one that is not,
 * whatever the pieces (across its blocks too). */
static void
threaded_digests_agree(void **state)
{
	size_t len = (5 << 20) + 123;
	unsigned char *data = malloc(len);
	(void)state;

	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 13);
	char *want = digest_of("sha256", data, len);
	struct digester *d = digester_new_threaded();
	for (size_t at = 0, piece = 1; at < len; piece = piece * 3 + 1) {
		size_t n = len - at < piece ? len - at : piece;
		digester_update(d, data + at, n);
		at += n;
	}
	char *got = digester_end(d);
	assert_string_equal(got, want);
	free(got);
	/* freed without an end, after bytes and before any */
	d = digester_new_threaded();
	digester_update(d, data, len);
	digester_free(d);
	digester_free(digester_new_threaded());
	free(want);
	free(data);
}

/* Numbers in the order strings first come; the same string, the same
 * number, through the table's growth. */
static void
strindex_numbers(void **state)
{
	struct strindex *x = strindex_new();
	char name[32];

	(void)state;
	assert_int_equal(strindex_add(x, "b", 1), 0);
	assert_int_equal(strindex_add(x, "a", 1), 1);
	assert_int_equal(strindex_add(x, "b", 1), 0);
	assert_int_equal(strindex_add(x, "", 0), 2);
	assert_int_equal(strindex_add(x, "ab", 1), 1);	/* its first byte: "a" */
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "sha256:%d", i);
		assert_int_equal(strindex_add(x, name, strlen(name)), 3 + i);
	}
	for (int i = 4999; i >= 0; i--) {
		snprintf(name, sizeof name, "sha256:%d", i);
		assert_int_equal(strindex_add(x, name, strlen(name)), 3 + i);
	}
	assert_int_equal(strindex_count(x), 5003);
	strindex_free(x);
	strindex_free(NULL);
}

/* A globset answers what fnmatch(3) tried glob by glob would: the first
 * that matches, on every path over a small alphabet up to 7 bytes and on
 * real paths, for globs with stars first, last, both and none, sets and
 * `?` (its filter, which answers whether any matches, never hides one). */
static void
globset_is_fnmatch_in_order(void **state)
{
	static const char *const globs[] = {
		"*/.git/*", "/var/lib/apt/lists/*", "*~", "*.sw[op]", "/a", "a*b",
		"*/node_modules/*", "/usr/bin/gcc*", "[!/]*", "*/x", "?/*", "*[ab]", "/*/a/*",
		"/var/tmp/*", "/home/*/.cache/*",
	};
	static const char *const real[] = {
		"/app/.git/config", "/app/tests/.git/HEAD", "/var/lib/apt/lists/lock", "/x/.a.swp",
		"/x/.a.swq", "/home/u/.cache/pip/x", "/usr/bin/gcc-12", "/usr/bin/g++", "/var/tmp",
		"/var/tmp/", "/a/b/node_modules/x/.git/y", "/etc/passwd~", "relative/x", "",
	};
	const char alpha[] = "/ab.x~";
	size_t n = sizeof globs / sizeof *globs, k = sizeof alpha - 1;
	char path[16];

	(void)state;
	struct globset *g = globset_new(globs, n);
	assert_non_null(g);
	size_t total = 0, matched = 0;
	for (size_t len = 0; len <= 7; len++) {
		size_t count = 1;
		for (size_t i = 0; i < len; i++)
			count *= k;
		for (size_t c = 0; c < count; c++) {
			size_t v = c;
			for (size_t i = 0; i < len; i++, v /= k)
				path[i] = alpha[v % k];
			path[len] = '\0';
			int want = -1;
			for (size_t i = 0; i < n && want < 0; i++)
				if (fnmatch(globs[i], path, 0) == 0)
					want = (int)i;
			int got = globset_match(g, path, len);
			if (got != want)
				fail_msg("'%s': globset %d, fnmatch %d", path, got, want);
			total++;
			matched += want >= 0;
		}
	}
	for (size_t r = 0; r < sizeof real / sizeof *real; r++) {
		int want = -1;
		for (size_t i = 0; i < n && want < 0; i++)
			if (fnmatch(globs[i], real[r], 0) == 0)
				want = (int)i;
		assert_int_equal(globset_match(g, real[r], strlen(real[r])), want);
	}
	/* both answers were seen many times */
	assert_true(matched > 1000 && total - matched > 1000);
	globset_free(g);
	/* an unclosed set, also at the very end */
	static const char *const bad1[] = { "/a[b" }, *const bad2[] = { "/a[" };
	assert_null(globset_new(bad1, 1));
	assert_null(globset_new(bad2, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_clean_normalizes),
		cmocka_unit_test(ere_is_posix_extended),
		cmocka_unit_test(tree_finds_and_names),
		cmocka_unit_test(walk_is_in_strcmp_order),
		cmocka_unit_test(escapes),
		cmocka_unit_test(human_sizes_like_docker),
		cmocka_unit_test(times_in_utc),
		cmocka_unit_test(platforms),
		cmocka_unit_test(gzip_is_deterministic),
		cmocka_unit_test(threaded_digests_agree),
		cmocka_unit_test(strindex_numbers),
		cmocka_unit_test(globset_is_fnmatch_in_order),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
