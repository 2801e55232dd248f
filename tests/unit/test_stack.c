/* test_stack: the layer rules of the model (OCI layer.md), one per test. */
#include "testutil.h"

static void
whiteout_deletes_file_and_subtree(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "a/");
	TB_FILE(&t, "a/f", "1");
	TB_DIR(&t, "a/sub/");
	TB_FILE(&t, "a/sub/x", "x");
	TB_FILE(&t, "b", "b");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, ".wh.b", "");
	TB_FILE(&t, "a/.wh.sub", "");
	TB_FILE(&t, ".wh.missing", "");
	tb_add(&t, img);
	stack_build(img);

	assert_non_null(at(img, 0, "/a/sub/x"));
	assert_null(at(img, 1, "/b"));
	assert_null(at(img, 1, "/a/sub"));
	assert_null(at(img, 1, "/a/sub/x"));
	assert_non_null(at(img, 1, "/a/f"));
	assert_int_equal(status(img, 1, "/b"), 'R');
	assert_int_equal(status(img, 1, "/a/sub/x"), 'R');
	assert_int_equal(status(img, 1, "/missing"), '-');
	image_free(img);
}

static void
whiteout_spares_its_own_layer(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "c", "old");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "c", "new");
	TB_FILE(&t, ".wh.c", "");
	tb_add(&t, img);
	stack_build(img);

	assert_non_null(at(img, 1, "/c"));
	assert_int_equal(at(img, 1, "/c")->size, 3);
	assert_int_equal(status(img, 1, "/c"), 'M');
	image_free(img);
}

static void
opaque_hides_lower_children_only(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "d/");
	TB_FILE(&t, "d/old", "o");
	TB_FILE(&t, "d/keep", "k");
	TB_FILE(&t, "e", "e");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "d/keep", "k");
	TB_FILE(&t, "d/new", "n");
	TB_FILE(&t, "d/.wh..wh..opq", "");
	tb_add(&t, img);
	stack_build(img);

	assert_null(at(img, 1, "/d/old"));
	assert_non_null(at(img, 1, "/d/keep"));
	assert_non_null(at(img, 1, "/d/new"));
	assert_non_null(at(img, 1, "/e"));
	assert_int_equal(status(img, 1, "/d/keep"), 'U');
	assert_int_equal(status(img, 1, "/d/old"), 'R');
	assert_int_equal(status(img, 1, "/d"), '-');
	image_free(img);
}

static void
non_directory_replaces_subtree(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "x/");
	TB_FILE(&t, "x/a", "a");
	TB_DIR(&t, "y/");
	TB_FILE(&t, "y/b", "b");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "x", "file");
	TB_SYMLINK(&t, "y", "x");
	tb_add(&t, img);
	tb_begin(&t);
	TB_DIR(&t, "x/");
	tb_add(&t, img);
	stack_build(img);

	assert_int_equal(at(img, 1, "/x")->type, ENTRY_FILE);
	assert_null(at(img, 1, "/x/a"));
	assert_int_equal(at(img, 1, "/y")->type, ENTRY_SYMLINK);
	assert_null(at(img, 1, "/y/b"));
	assert_int_equal(status(img, 1, "/x"), 'M');
	/* A directory over the file: the old children stay gone. */
	assert_int_equal(at(img, 2, "/x")->type, ENTRY_DIR);
	assert_null(at(img, 2, "/x/a"));
	image_free(img);
}

static void
directory_over_directory_keeps_children(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "y/");
	TB_FILE(&t, "y/in", "i");
	tb_add(&t, img);
	tb_begin(&t);
	TB_DIR_MODE(&t, "y/", 0700);
	tb_add(&t, img);
	stack_build(img);

	assert_int_equal(at(img, 1, "/y")->mode, 0700);
	assert_non_null(at(img, 1, "/y/in"));
	assert_int_equal(status(img, 1, "/y"), 'M');
	assert_int_equal(status(img, 1, "/y/in"), '-');
	image_free(img);
}

static void
implied_parents(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR_MODE(&t, "q/", 0700);
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "a/b/c", "c");
	TB_FILE(&t, "q/r", "r");
	tb_add(&t, img);
	stack_build(img);

	const struct entry *a = at(img, 1, "/a"), *ab = at(img, 1, "/a/b");
	assert_non_null(a);
	assert_int_equal(a->type, ENTRY_DIR);
	assert_int_equal(a->mode, 0755);
	assert_int_equal(a->uid, 0);
	assert_int_equal(ab->type, ENTRY_DIR);
	assert_int_equal(status(img, 1, "/a"), 'A');
	assert_int_equal(at(img, 1, "/q")->mode, 0700);
	assert_int_equal(status(img, 1, "/q"), '-');
	image_free(img);
}

static void
later_entry_wins(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "twice", "first");
	TB_FILE_MODE(&t, "twice", "second!", 0600);
	TB_DIR(&t, "flip/");
	TB_FILE(&t, "flip/child", "c");
	TB_FILE(&t, "flip", "file");
	tb_add(&t, img);
	stack_build(img);

	assert_int_equal(at(img, 0, "/twice")->size, 7);
	assert_int_equal(at(img, 0, "/twice")->mode, 0600);
	assert_int_equal(at(img, 0, "/flip")->type, ENTRY_FILE);
	assert_null(at(img, 0, "/flip/child"));
	assert_int_equal(status(img, 0, "/flip/child"), '-');
	image_free(img);
}

static void
modified_means_any_attribute(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "content", "aaaa");
	TB_FILE(&t, "mode", "m");
	TB_SYMLINK(&t, "link", "one");
	TB_FILE(&t, "same", "s");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "content", "bbbb");	/* same size, other bytes */
	TB_FILE_MODE(&t, "mode", "m", 0755);
	TB_SYMLINK(&t, "link", "two");
	TB_FILE(&t, "same", "s");
	tb_add(&t, img);
	stack_build(img);

	assert_int_equal(status(img, 1, "/content"), 'M');
	assert_int_equal(status(img, 1, "/mode"), 'M');
	assert_int_equal(status(img, 1, "/link"), 'M');
	assert_int_equal(status(img, 1, "/same"), 'U');
	image_free(img);
}

static void
hard_link_targets_are_absolute(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	size_t len;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "usr/bin/busybox", "bb");
	tb_add(&t, img);
	tb_begin(&t);
	TB_HARDLINK(&t, "bin/sh", "./usr//bin/busybox");
	tb_add(&t, img);
	stack_build(img);

	const struct entry *e = at(img, 1, "/bin/sh");
	assert_int_equal(e->type, ENTRY_HARDLINK);
	assert_string_equal(intern_str(img->tree.names, e->link, &len), "/usr/bin/busybox");
	image_free(img);
}

static void
climbing_out_is_an_error(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	char *cause;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "ok", "1");
	TB_FILE(&t, "a/../../x", "2");
	cause = tb_fail(&t, img);
	assert_string_equal(cause, "entry 'a/../../x': the path climbs out of the root with '..'");
	free(cause);
	image_free(img);
}

static void
root_entry_changes_the_root_only(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "a", "1");
	tb_add(&t, img);
	tb_begin(&t);
	TB_DIR_MODE(&t, "./", 0700);
	tb_add(&t, img);
	stack_build(img);

	assert_non_null(at(img, 1, "/a"));
	assert_int_equal(at(img, 1, "/")->mode, 0700);
	image_free(img);
}

static void
removal_is_linear_not_whiteouts_times_files(void **state)
{
	/* 2,000 whiteouts over 2,000 files: every file is visited once. */
	struct image *img = image_new("t");
	struct tb t;
	char name[64];
	(void)state;

	tb_begin(&t);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "d/f%d", i);
		TB_FILE(&t, name, "x");
	}
	tb_add(&t, img);
	tb_begin(&t);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "d/.wh.f%d", i);
		TB_FILE(&t, name, "");
	}
	tb_add(&t, img);
	stack_build(img);

	/* One deletion version per file, nothing more. */
	assert_int_equal(img->layers[1].vend - img->layers[1].vfirst, 2000);
	assert_null(at(img, 1, "/d/f1999"));
	assert_non_null(at(img, 1, "/d"));
	image_free(img);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whiteout_deletes_file_and_subtree),
		cmocka_unit_test(whiteout_spares_its_own_layer),
		cmocka_unit_test(opaque_hides_lower_children_only),
		cmocka_unit_test(non_directory_replaces_subtree),
		cmocka_unit_test(directory_over_directory_keeps_children),
		cmocka_unit_test(implied_parents),
		cmocka_unit_test(later_entry_wins),
		cmocka_unit_test(modified_means_any_attribute),
		cmocka_unit_test(hard_link_targets_are_absolute),
		cmocka_unit_test(climbing_out_is_an_error),
		cmocka_unit_test(root_entry_changes_the_root_only),
		cmocka_unit_test(removal_is_linear_not_whiteouts_times_files),
	};
	return cmocka_run_group_tests_name("stack", tests, NULL, NULL);
}
