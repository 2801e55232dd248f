/* test_treeview: the tree pane's view model against expected row lists:
 * statuses per compare mode, hiding, collapsing, filtering, sorting,
 * moving, sizes. No terminal involved. */
#include <stdio.h>

#include "testutil.h"
#include "tui/treeview.h"

/* Rows as text: "<sel><status> <indent><name>[/][+] <size>" per line. */
static char *
render(struct treeview *tv, int height)
{
	static const char st[] = "UAMR";
	struct tv_row rows[64];
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int sel;

	treeview_set_height(tv, height);
	size_t n = treeview_rows(tv, rows, (size_t)height, &sel);
	for (size_t i = 0; i < n; i++) {
		size_t nl;
		const struct tv_row *r = &rows[i];
		const char *name = tree_name(&tv_image(tv)->tree, r->node, &nl);
		fprintf(f, "%c%c %*s%.*s%s%s %llu\n", (int)i == sel ? '>' : ' ', st[r->status],
		        2 * r->depth, "", (int)nl, name, r->is_dir ? "/" : "",
		        r->collapsed ? "+" : "", (unsigned long long)r->size);
	}
	fclose(f);
	return out;
}

#define ASSERT_ROWS(tv, h, expected)                    \
	do {                                            \
		char *got_ = render(tv, h);             \
		assert_string_equal(got_, expected);    \
		free(got_);                             \
	} while (0)

/* layer 0: a/x (10), a/y (20), b/z (5), c (3)
 * layer 1: a/x changed (11), a/.wh.y, d/w added (7), c same
 * layer 2: b/z mode changed, .wh.a */
static struct image *
sample(void)
{
	struct image *img = image_new("t");
	struct tb t;

	tb_begin(&t);
	TB_DIR(&t, "a/");
	TB_FILE(&t, "a/x", "xxxxxxxxxx");
	TB_FILE(&t, "a/y", "yyyyyyyyyyyyyyyyyyyy");
	TB_DIR(&t, "b/");
	TB_FILE(&t, "b/z", "zzzzz");
	TB_FILE(&t, "c", "ccc");
	tb_add(&t, img);
	tb_begin(&t);
	TB_DIR(&t, "a/");
	TB_FILE(&t, "a/x", "xxxxxxxxxxx");
	TB_FILE(&t, "a/.wh.y", "");
	TB_DIR(&t, "d/");
	TB_FILE(&t, "d/w", "wwwwwww");
	TB_FILE(&t, "c", "ccc");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE_MODE(&t, "b/z", "zzzzz", 0600);
	TB_FILE(&t, ".wh.a", "");
	tb_add(&t, img);
	stack_build(img);
	return img;
}

static void
layer_changes_and_sizes(void **state)
{
	struct image *img = sample();
	struct treeview *tv = treeview_new(img);
	(void)state;

	treeview_set_layer(tv, 0, 0);	/* layer 0 alone: all added */
	ASSERT_ROWS(tv, 10,
		">A a/ 30\n"
		" A   x 10\n"
		" A   y 20\n"
		" A b/ 5\n"
		" A   z 5\n"
		" A c 3\n");
	treeview_set_layer(tv, 1, 0);	/* against layer 0 */
	ASSERT_ROWS(tv, 10,
		">M a/ 11\n"
		" M   x 11\n"
		" R   y 20\n"
		" U b/ 5\n"
		" U   z 5\n"
		" U c 3\n"
		" A d/ 7\n"
		" A   w 7\n");
	treeview_set_layer(tv, 2, 0);
	ASSERT_ROWS(tv, 10,
		">R a/ 11\n"
		" R   x 11\n"
		" M b/ 5\n"
		" M   z 5\n"
		" U c 3\n"
		" U d/ 7\n"
		" U   w 7\n");
	treeview_set_layer(tv, 2, 1);	/* aggregate: against layer 0 */
	ASSERT_ROWS(tv, 10,
		">R a/ 30\n"
		" R   x 10\n"
		" R   y 20\n"
		" M b/ 5\n"
		" M   z 5\n"
		" U c 3\n"
		" A d/ 7\n"
		" A   w 7\n");
	treeview_free(tv);
	image_free(img);
}

static void
hiding(void **state)
{
	struct image *img = sample();
	struct treeview *tv = treeview_new(img);
	(void)state;

	treeview_set_layer(tv, 1, 0);
	treeview_set_hidden(tv, TV_UNMODIFIED, 1);
	ASSERT_ROWS(tv, 10,
		">M a/ 11\n"
		" M   x 11\n"
		" R   y 20\n"
		" A d/ 7\n"
		" A   w 7\n");
	treeview_set_hidden(tv, TV_ADDED, 1);
	treeview_set_hidden(tv, TV_REMOVED, 1);
	ASSERT_ROWS(tv, 10,
		">M a/ 11\n"
		" M   x 11\n");
	treeview_set_hidden(tv, TV_MODIFIED, 1);
	ASSERT_ROWS(tv, 10, "");
	assert_int_equal(treeview_selected(tv), TREE_NONE);
	treeview_set_hidden(tv, TV_UNMODIFIED, 0);
	ASSERT_ROWS(tv, 10,
		">U b/ 5\n"
		" U   z 5\n"
		" U c 3\n");
	treeview_free(tv);
	image_free(img);
}

static void
collapsing_and_moving(void **state)
{
	struct image *img = sample();
	struct treeview *tv = treeview_new(img);
	(void)state;

	treeview_set_layer(tv, 1, 0);
	treeview_set_height(tv, 3);
	treeview_move(tv, 4);		/* to b/z; the screen scrolls */
	ASSERT_ROWS(tv, 3,
		" R   y 20\n"
		" U b/ 5\n"
		">U   z 5\n");
	treeview_left(tv);		/* to b */
	ASSERT_ROWS(tv, 3,
		" R   y 20\n"
		">U b/ 5\n"
		" U   z 5\n");
	treeview_toggle_collapse(tv);
	ASSERT_ROWS(tv, 3,
		" R   y 20\n"
		">U b/+ 5\n"
		" U c 3\n");
	treeview_right(tv);		/* opens b and enters it */
	ASSERT_ROWS(tv, 3,
		" R   y 20\n"
		" U b/ 5\n"
		">U   z 5\n");
	treeview_toggle_collapse_all(tv);	/* z's parent closes: b selected */
	ASSERT_ROWS(tv, 5,
		" M a/+ 11\n"
		">U b/+ 5\n"
		" U c 3\n"
		" A d/+ 7\n");
	treeview_page(tv, 1);
	ASSERT_ROWS(tv, 5,
		" M a/+ 11\n"
		" U b/+ 5\n"
		" U c 3\n"
		">A d/+ 7\n");
	treeview_page(tv, -1);
	treeview_toggle_collapse_all(tv);
	ASSERT_ROWS(tv, 3,
		">M a/ 11\n"
		" M   x 11\n"
		" R   y 20\n");
	treeview_free(tv);
	image_free(img);
}

static void
filtering(void **state)
{
	struct image *img = sample();
	struct treeview *tv = treeview_new(img);
	char *cause = NULL;
	(void)state;

	treeview_set_layer(tv, 1, 0);
	assert_int_equal(treeview_set_filter(tv, "/a/", &cause), 0);
	ASSERT_ROWS(tv, 10,
		">M a/ 11\n"
		" M   x 11\n"
		" R   y 20\n");
	assert_int_equal(treeview_set_filter(tv, "/a/x", &cause), 0);	/* narrows */
	ASSERT_ROWS(tv, 10,
		">M a/ 11\n"
		" M   x 11\n");
	assert_int_equal(treeview_set_filter(tv, "^/(c|d)$", &cause), 0);	/* a regex */
	ASSERT_ROWS(tv, 10,
		">U c 3\n"
		" A d/ 7\n");
	assert_int_equal(treeview_set_filter(tv, "(", &cause), -1);
	assert_non_null(cause);
	free(cause);
	ASSERT_ROWS(tv, 10,			/* the last good filter stays */
		">U c 3\n"
		" A d/ 7\n");
	treeview_set_layer(tv, 0, 0);		/* d is not there yet */
	ASSERT_ROWS(tv, 10, ">A c 3\n");
	assert_int_equal(treeview_set_filter(tv, "", &cause), 0);
	ASSERT_ROWS(tv, 2,		/* c stays selected; the screen fills up */
		" A   z 5\n"
		">A c 3\n");
	treeview_free(tv);
	image_free(img);
}

/* Enough paths that the regex scan runs on every core: the matches come
 * back in order, from each share (the first, a middle, the last path). */
static void
filtering_on_threads(void **state)
{
	struct image *img = image_new("t");
	struct treeview *tv;
	struct tb t;
	char path[32], *cause = NULL;
	(void)state;

	tb_begin_size(&t, 40u << 20);
	for (int k = 0; k < 70000; k++) {
		snprintf(path, sizeof path, "d%02d/f%05d", k % 100, k);
		TB_FILE(&t, path, NULL);
	}
	tb_add(&t, img);
	stack_build(img);
	tv = treeview_new(img);
	treeview_set_layer(tv, 0, 0);
	assert_int_equal(treeview_set_filter(tv, "f(00007|35001|69999)$", &cause), 0);
	ASSERT_ROWS(tv, 10,
		">A d01/ 0\n"
		" A   f35001 0\n"
		" A d07/ 0\n"
		" A   f00007 0\n"
		" A d99/ 0\n"
		" A   f69999 0\n");
	assert_int_equal(treeview_set_filter(tv, "^/d9[0-9]/f6999[0-9]$", &cause), 0);
	ASSERT_ROWS(tv, 20,
		">A d90/ 0\n"
		" A   f69990 0\n"
		" A d91/ 0\n"
		" A   f69991 0\n"
		" A d92/ 0\n"
		" A   f69992 0\n"
		" A d93/ 0\n"
		" A   f69993 0\n"
		" A d94/ 0\n"
		" A   f69994 0\n"
		" A d95/ 0\n"
		" A   f69995 0\n"
		" A d96/ 0\n"
		" A   f69996 0\n"
		" A d97/ 0\n"
		" A   f69997 0\n"
		" A d98/ 0\n"
		" A   f69998 0\n"
		" A d99/ 0\n"
		" A   f69999 0\n");
	treeview_free(tv);
	image_free(img);
}

static void
sorting_and_selecting(void **state)
{
	struct image *img = sample();
	struct treeview *tv = treeview_new(img);
	(void)state;

	treeview_set_layer(tv, 0, 0);
	treeview_set_sort(tv, 1);
	ASSERT_ROWS(tv, 10,
		">A a/ 30\n"
		" A   y 20\n"
		" A   x 10\n"
		" A b/ 5\n"
		" A   z 5\n"
		" A c 3\n");
	treeview_set_sort(tv, 0);
	treeview_toggle_collapse_all(tv);
	assert_true(treeview_select(tv, tree_find(&img->tree, "/b/z")));	/* opens b */
	ASSERT_ROWS(tv, 10,
		" A a/+ 30\n"
		" A b/ 5\n"
		">A   z 5\n"
		" A c 3\n");
	assert_false(treeview_select(tv, tree_find(&img->tree, "/d/w")));	/* not at layer 0 */
	treeview_free(tv);
	image_free(img);
}

/* layer 0: bin/busybox (9), bin/sh and bin/ls hard links to it; lib/so (7)
 *          and lib/so.6 linked to it
 * layer 1: .wh.busybox (sh and ls keep the 9 bytes: ls lists them),
 *          lib/so replaced by 2 bytes (so.6 keeps the old 7)
 * layer 2: bin/cat linked to bin/sh (cat, first of the group, lists them) */
static struct image *
linked(void)
{
	struct image *img = image_new("t");
	struct tb t;

	tb_begin(&t);
	TB_DIR(&t, "bin/");
	TB_FILE(&t, "bin/busybox", "bbbbbbbbb");
	TB_HARDLINK(&t, "bin/sh", "bin/busybox");
	TB_HARDLINK(&t, "bin/ls", "bin/busybox");
	TB_DIR(&t, "lib/");
	TB_FILE(&t, "lib/so", "sssssss");
	TB_HARDLINK(&t, "lib/so.6", "lib/so");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "bin/.wh.busybox", "");
	TB_FILE(&t, "lib/so", "nn");
	tb_add(&t, img);
	tb_begin(&t);
	TB_HARDLINK(&t, "bin/cat", "bin/sh");
	tb_add(&t, img);
	stack_build(img);
	return img;
}

static void
hard_link_groups_sizes(void **state)
{
	struct image *img = linked();
	struct treeview *tv = treeview_new(img);
	static const char *const want[] = {
		">x bin/ 9\n"
		" x   busybox 9\n"
		" x   ls 0\n"
		" x   sh 0\n"
		" x lib/ 7\n"
		" x   so 7\n"
		" x   so.6 0\n",
		">x bin/ 9\n"
		" x   ls 9\n"
		" x   sh 0\n"
		" x lib/ 9\n"
		" x   so 2\n"
		" x   so.6 7\n",
		">x bin/ 9\n"
		" x   cat 9\n"
		" x   ls 0\n"
		" x   sh 0\n"
		" x lib/ 9\n"
		" x   so 2\n"
		" x   so.6 7\n",
	};
	/* statuses aside (they depend on the compared layers), the sizes of
	 * each layer whichever layer the view came from */
	static const size_t order[] = { 2, 0, 1, 2, 1, 0, 2 };
	(void)state;

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		treeview_set_layer(tv, order[i], 0);
		treeview_set_hidden(tv, TV_REMOVED, 1);
		char *got = render(tv, 20);
		/* drop the status letters: column 1 */
		for (char *p = got; *p; p = strchr(p, '\n') + 1)
			p[1] = ' ';
		char *w = xstrdup(want[order[i]]);
		for (char *p = w; *p; p = strchr(p, '\n') + 1)
			p[1] = ' ';
		assert_string_equal(got, w);
		free(got);
		free(w);
		treeview_set_hidden(tv, TV_REMOVED, 0);
	}
	treeview_free(tv);
	image_free(img);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layer_changes_and_sizes),
		cmocka_unit_test(hiding),
		cmocka_unit_test(collapsing_and_moving),
		cmocka_unit_test(filtering),
		cmocka_unit_test(filtering_on_threads),
		cmocka_unit_test(sorting_and_selecting),
		cmocka_unit_test(hard_link_groups_sizes),
	};
	return cmocka_run_group_tests_name("treeview", tests, NULL, NULL);
}
