/* test_scan: the rows of a scan and what they share, worked out by hand:
 * each layer's users, each image's unique and shared bytes, each layer
 * counted once, the shared layers' order and images; the order of the
 * rows by every column; repeats dropped when results are joined; the
 * shares of --shard; a row made from an image; and the JSON document read
 * back to the same rows (what --merge joins), refused when it is not one. */
#include <stdio.h>

#include "testutil.h"
#include "analysis/advice.h"
#include "analysis/scan.h"
#include "analysis/waste.h"
#include "output/scan.h"

#define K1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define K2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define K3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"

/* Appends a row of layers (key, size)...; NULL key: none. */
static struct scan_image *
row(struct scan *s, const char *name, size_t n, ...)
{
	struct scan_image *r = scan_add(s, name);
	va_list ap;

	r->layers = xcalloc(n ? n : 1, sizeof *r->layers);
	va_start(ap, n);
	for (size_t k = 0; k < n; k++) {
		const char *key = va_arg(ap, const char *);
		r->layers[k].key = key != NULL ? xstrdup(key) : NULL;
		r->layers[k].size = va_arg(ap, uint64_t);
		r->size += r->layers[k].size;
	}
	va_end(ap);
	r->nlayers = n;
	r->digest = xasprintf("sha256:%s", name);
	return r;
}

static const struct scan_image *
named(const struct scan *s, const char *name)
{
	for (size_t i = 0; i < s->nimages; i++)
		if (strcmp(s->images[i].name, name) == 0)
			return &s->images[i];
	fail_msg("no row %s", name);
	return NULL;
}

/* a, b, c share K1; a and c K2; b alone K3; c has a layer without a
 * digest; d could not be read. */
static void
four(struct scan *s)
{
	row(s, "c", 3, K1, (uint64_t)10, K2, (uint64_t)20, NULL, (uint64_t)7);
	row(s, "a", 2, K1, (uint64_t)10, K2, (uint64_t)20);
	row(s, "b", 2, K1, (uint64_t)10, K3, (uint64_t)5);
	scan_add(s, "d")->error = xstrdup("d: gone");
}

static void
sharing(void **state)
{
	struct scan s = { 0 };

	(void)state;
	four(&s);
	scan_finish(&s, SCAN_NAME, 0);
	assert_string_equal(s.images[0].name, "a");
	assert_string_equal(s.images[3].name, "d");	/* the unread last */
	assert_int_equal(named(&s, "a")->unique, 0);
	assert_int_equal(named(&s, "a")->shared, 30);
	assert_int_equal(named(&s, "b")->unique, 5);
	assert_int_equal(named(&s, "b")->shared, 10);
	assert_int_equal(named(&s, "c")->unique, 7);
	assert_int_equal(named(&s, "c")->shared, 30);
	assert_int_equal(named(&s, "c")->layers[0].users, 3);
	assert_int_equal(named(&s, "c")->layers[1].users, 2);
	assert_int_equal(named(&s, "c")->layers[2].users, 1);
	assert_int_equal(named(&s, "b")->layers[1].users, 1);
	assert_int_equal(s.size, 82);
	assert_int_equal(s.stored, 10 + 20 + 5 + 7);
	assert_int_equal(s.layers, 7);
	assert_int_equal(s.distinct, 4);
	assert_int_equal(s.errors, 1);
	/* most users first, each with its images in the rows' order */
	assert_int_equal(s.nshared, 2);
	assert_string_equal(s.shared[0].key, K1);
	assert_int_equal(s.shared[0].users, 3);
	assert_int_equal(s.shared[0].size, 10);
	assert_string_equal(s.images[s.shared[0].images[0]].name, "a");
	assert_string_equal(s.images[s.shared[0].images[2]].name, "c");
	assert_string_equal(s.shared[1].key, K2);
	assert_int_equal(s.shared[1].users, 2);
	/* finished again (as after more rows), the same */
	scan_finish(&s, SCAN_NAME, 0);
	assert_int_equal(s.stored, 42);
	assert_int_equal(named(&s, "a")->shared, 30);
	assert_int_equal(s.nshared, 2);
	scan_fini(&s);
}

static void
layer_twice(void **state)
{
	struct scan s = { 0 };

	(void)state;
	/* an image that has a layer twice uses it once; it is not shared */
	row(&s, "a", 3, K1, (uint64_t)10, K2, (uint64_t)20, K1, (uint64_t)10);
	row(&s, "b", 1, K2, (uint64_t)20);
	scan_finish(&s, SCAN_NAME, 0);
	assert_int_equal(named(&s, "a")->unique, 10);
	assert_int_equal(named(&s, "a")->shared, 20);
	assert_int_equal(named(&s, "a")->layers[0].users, 1);
	assert_int_equal(s.stored, 30);
	assert_int_equal(s.nshared, 1);
	assert_int_equal(s.shared[0].users, 2);
	scan_fini(&s);
}

/* The names of the rows, in order, joined. */
static char *
order(const struct scan *s)
{
	char *out = xstrdup("");

	for (size_t i = 0; i < s->nimages; i++) {
		char *t = xasprintf("%s%s", out, s->images[i].name);
		free(out);
		out = t;
	}
	return out;
}

static void
sorted_is(struct scan *s, enum scan_column c, int reverse, const char *want)
{
	scan_finish(s, c, reverse);
	char *got = order(s);
	if (strcmp(got, want) != 0)
		fail_msg("--sort %s%s: %s, want %s", scan_column_names[c], reverse ? " --reverse" : "",
		         got, want);
	free(got);
}

static void
sorting(void **state)
{
	struct scan s = { 0 };

	(void)state;
	four(&s);
	s.images[0].efficiency = 0.5;	/* c */
	s.images[1].efficiency = 0.9;	/* a */
	s.images[2].efficiency = 0.5;	/* b */
	s.images[0].savings = 3;
	s.images[1].savings = 9;
	s.images[2].savings = 3;
	sorted_is(&s, SCAN_NAME, 0, "abcd");
	sorted_is(&s, SCAN_NAME, 1, "cbad");
	sorted_is(&s, SCAN_SIZE, 0, "cabd");		/* 37, 30, 15 */
	sorted_is(&s, SCAN_SIZE, 1, "bacd");
	sorted_is(&s, SCAN_LAYERS, 0, "cabd");
	sorted_is(&s, SCAN_EFFICIENCY, 0, "bcad");	/* lowest first, ties by name */
	sorted_is(&s, SCAN_SAVINGS, 0, "abcd");
	sorted_is(&s, SCAN_UNIQUE, 0, "cbad");
	sorted_is(&s, SCAN_SHARED, 0, "acbd");
	sorted_is(&s, SCAN_DIGEST, 1, "cbad");
	for (int c = 0; c < SCAN_COLUMN_COUNT; c++)
		assert_int_equal(scan_column_find(scan_column_names[c]), c);
	assert_int_equal(scan_column_find("bogus"), -1);
	scan_fini(&s);
}

static void
repeats(void **state)
{
	struct scan s = { 0 };

	(void)state;
	row(&s, "a", 1, K1, (uint64_t)1);
	row(&s, "b", 1, K1, (uint64_t)1);
	row(&s, "a", 1, K1, (uint64_t)1);		/* the same: dropped */
	struct scan_image *moved = row(&s, "a", 1, K2, (uint64_t)1);
	free(moved->digest);
	moved->digest = xstrdup("sha256:other");	/* the tag moved: kept */
	scan_add(&s, "x")->error = xstrdup("x: gone");
	scan_add(&s, "x")->error = xstrdup("x: gone");
	assert_int_equal(scan_drop_repeats(&s), 2);
	char *got = order(&s);
	assert_string_equal(got, "abax");
	free(got);
	assert_string_equal(s.images[2].digest, "sha256:other");
	scan_fini(&s);
}

static void
shards(void **state)
{
	size_t count[4] = { 0 };

	(void)state;
	for (int i = 0; i < 1000; i++) {
		char *name = xasprintf("registry://r.io/team/app-%d:1", i);
		size_t k = scan_shard_of(name, 4);
		assert_true(k < 4);
		assert_int_equal(scan_shard_of(name, 4), k);	/* the same every time */
		assert_int_equal(scan_shard_of(name, 1), 0);
		count[k]++;
		free(name);
	}
	for (int k = 0; k < 4; k++)
		assert_in_range(count[k], 200, 300);
}

static char hundred[101];

/* A row from an image: its figures, its layers with their commands. */
static void
image_row(void **state)
{
	struct image *img = image_new("t");
	struct scan s = { 0 };
	struct waste w;
	struct advice a;
	struct tb t;

	(void)state;
	memset(hundred, 'h', 100);
	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	TB_DIR(&t, "tmp/");
	TB_FILE(&t, "tmp/x", "12345");
	tb_add(&t, img);
	stack_build(img);
	img->layers[0].digest = xstrdup(K1);
	img->layers[1].blob_digest = xstrdup(K2);
	img->history = xcalloc(2, sizeof *img->history);
	img->nhistory = 2;
	img->history[0].created_by = xstrdup("/bin/sh -c #(nop) ADD file:x in / ");
	img->history[1].created_by = xstrdup("/bin/sh -c make\n\tinstall");
	waste_analyze(img, 1, &w);
	advice_analyze(img, &w, &a);
	struct scan_image *r = scan_add(&s, "t");
	scan_image_fill(r, img, &w, &a, NULL, 1);
	assert_int_equal(r->size, 205);
	assert_int_equal(r->nlayers, 2);
	assert_string_equal(r->layers[0].key, K1);	/* the diff_id */
	assert_string_equal(r->layers[1].key, K2);	/* else the blob's */
	assert_int_equal(r->layers[1].size, 105);
	assert_string_equal(r->layers[0].command, "ADD file:x in /");
	assert_string_equal(r->layers[1].command, "/bin/sh -c make  install");
	assert_int_equal(r->reclaimable, 100);
	assert_true(r->efficiency == w.efficiency);
	assert_int_equal(r->nfindings, a.count);
	assert_int_equal(r->savings, a.savings);
	assert_false(r->checked);
	advice_fini(&a);
	waste_fini(&w);
	image_free(img);
	scan_finish(&s, SCAN_NAME, 0);
	scan_fini(&s);
}

/* Writes s as JSON into a string (owned). */
static char *
json_of(const struct scan *s, int ci)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct scan_output o = { .s = s, .format = SCAN_JSON, .top = 10, .ci = ci };

	assert_int_equal(scan_write(f, &o), 0);
	fclose(f);
	return buf;
}

static void
json_round_trip(void **state)
{
	struct scan s = { 0 }, back = { 0 };
	char *cause = NULL;

	(void)state;
	four(&s);
	struct scan_image *a = &s.images[1];
	a->efficiency = 0.9844212134184309;
	a->user_wasted_percent = 0.1;
	a->platform = xstrdup("linux/arm64/v8");
	a->layers[0].command = xstrdup("ADD \"quoted\" \xff bytes");
	a->nfindings = 1;
	a->findings = xcalloc(1, sizeof *a->findings);
	a->findings[0].id = ADVICE_PACKAGE_CACHE;
	a->findings[0].bytes = 4000;
	a->findings[0].detail = xstrdup("apt");
	a->findings[0].nlayers = 2;
	a->findings[0].layers = xcalloc(2, sizeof(uint16_t));
	a->findings[0].layers[1] = 1;
	a->checked = 1;
	a->pass = 0;
	a->results[RULE_EFFICIENCY] = (struct rule_result){ RULE_FAIL, 0.5, 0.9 };
	for (size_t i = 0; i < s.nimages; i++)
		if (s.images[i].error == NULL && &s.images[i] != a) {
			s.images[i].checked = 1;
			s.images[i].pass = 1;
		}
	scan_finish(&s, SCAN_SIZE, 0);
	char *text = json_of(&s, 1);
	assert_int_equal(scan_json_read(text, strlen(text), "t.json", &back, &cause), 0);
	scan_finish(&back, SCAN_SIZE, 0);
	char *again = json_of(&back, 1);
	assert_string_equal(again, text);
	assert_int_equal(back.failed, 1);
	free(again);
	free(text);
	scan_fini(&back);
	scan_fini(&s);
}

static void
json_refused(const char *text, const char *part)
{
	struct scan s = { 0 };
	char *cause = NULL;

	row(&s, "kept", 1, K1, (uint64_t)1);
	assert_int_equal(scan_json_read(text, strlen(text), "r.json", &s, &cause), -1);
	if (strstr(cause, part) == NULL)
		fail_msg("%s: %s, want %s", text, cause, part);
	/* nothing of it stays; the rows before it do */
	assert_int_equal(s.nimages, 1);
	free(cause);
	scan_fini(&s);
}

static void
json_refusals(void **state)
{
	(void)state;
	json_refused("[", "r.json: not JSON");
	json_refused("{\"images\": []}", "not the JSON of fathom scan");
	json_refused("{\"fathomScan\": 2, \"images\": []}", "not the JSON of fathom scan");
	json_refused("{\"fathomScan\": 1, \"images\": [{\"name\": \"a\", \"error\": \"x\"}, 7]}",
	             "images[1] is not an object");
	json_refused("{\"fathomScan\": 1, \"images\": [{\"name\": 5}]}",
	             "images[0]: \"name\" is not a string");
	json_refused("{\"fathomScan\": 1, \"images\": [{\"name\": \"a\", \"digest\": null, "
	             "\"size\": -1}]}", "\"size\" is not a count");
	json_refused("{\"fathomScan\": 1, \"images\": [{\"name\": \"a\\u0000b\"}]}",
	             "\"name\" is not a string");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sharing),
		cmocka_unit_test(layer_twice),
		cmocka_unit_test(sorting),
		cmocka_unit_test(repeats),
		cmocka_unit_test(shards),
		cmocka_unit_test(image_row),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(json_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
