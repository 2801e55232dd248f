/* test_squash: the plan of a squashed layer, one behaviour per test, as the
 * list of entries it writes ("OP /path [-> /target]"). */
#include "testutil.h"

#include "analysis/squash.h"

/* The plan as text, one line per item. */
static char *
plan_text(const struct image *img, const struct squash_plan *p)
{
	static const char *const ops[] = { "entry", "file-of", "link", "whiteout", "opaque",
		                           "dir" };
	char *out = xstrdup(""), *path = NULL, *target = NULL;
	size_t cpath = 0, ctarget = 0;

	for (size_t i = 0; i < p->nitems; i++) {
		const struct squash_item *it = &p->items[i];
		tree_path(&img->tree, it->node, &path, &cpath);
		char *line;
		if (it->op == SQUASH_LINK) {
			tree_path(&img->tree, it->target, &target, &ctarget);
			line = xasprintf("%s%s %s -> %s\n", out, ops[it->op], path, target);
		} else {
			line = xasprintf("%s%s %s\n", out, ops[it->op], path);
		}
		free(out);
		out = line;
	}
	free(path);
	free(target);
	return out;
}

static void
check_plan(struct image *img, size_t from, const char *want)
{
	struct squash_plan p;
	char *cause = NULL;

	if (squash_plan_make(img, from, &p, &cause) < 0)
		fail_msg("%s", cause);
	char *got = plan_text(img, &p);
	assert_string_equal(got, want);
	free(got);
	squash_plan_fini(&p);
}

static void
from_zero_is_the_final_tree(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "a/");
	TB_FILE(&t, "a/old", "1");
	TB_FILE(&t, "b", "b");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, ".wh.b", "");
	TB_FILE(&t, "a/new", "2");
	TB_FILE(&t, "c/implied", "3");
	tb_add(&t, img);
	stack_build(img);

	/* nothing deleted is written; a parent a layer implied is a directory */
	check_plan(img, 0, "entry /a\n"
	                   "entry /a/new\n"
	                   "entry /a/old\n"
	                   "dir /c\n"
	                   "entry /c/implied\n");
	image_free(img);
}

static void
whiteouts_for_what_only_the_base_has(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "a/");
	TB_FILE(&t, "a/f", "1");
	TB_DIR(&t, "a/sub/");
	TB_FILE(&t, "a/sub/x", "x");
	TB_FILE(&t, "same", "s");
	TB_FILE(&t, "mod", "m");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "a/.wh.sub", "");
	TB_FILE(&t, "gone", "g");
	TB_FILE(&t, "same", "s");	/* rewritten as it was */
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, ".wh.gone", "");	/* added and deleted above the base */
	TB_FILE(&t, "mod", "M");
	TB_FILE(&t, "a/.wh.f", "");
	tb_add(&t, img);
	stack_build(img);

	/* one whiteout for a deleted directory, none for its contents; the
	 * unchanged directory a and the rewritten-as-it-was file are not
	 * written, a path that came and went is not either */
	check_plan(img, 1, "whiteout /a/f\n"
	                   "whiteout /a/sub\n"
	                   "entry /mod\n");
	image_free(img);
}

static void
a_replaced_directory_is_opaque_and_written_whole(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "d/");
	TB_FILE(&t, "d/keep", "k");
	TB_FILE(&t, "d/old", "o");
	TB_DIR(&t, "e/");
	TB_FILE(&t, "e/x", "x");
	TB_DIR(&t, "f/");
	TB_FILE(&t, "f/y", "y");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "d/.wh..wh..opq", "");
	TB_FILE(&t, "d/keep", "k");	/* the same bytes, but below an opaque marker */
	TB_FILE(&t, ".wh.e", "");
	TB_DIR(&t, "e/");		/* deleted and made again by one layer: the
					 * same directory, without x */
	TB_FILE(&t, ".wh.f", "");
	tb_add(&t, img);
	tb_begin(&t);
	TB_DIR(&t, "f/");		/* deleted by one layer, made by the next */
	TB_FILE(&t, "f/z", "z");
	tb_add(&t, img);
	stack_build(img);

	check_plan(img, 1, "entry /d\n"
	                   "opaque /d\n"
	                   "entry /d/keep\n"
	                   "whiteout /e/x\n"
	                   "entry /f\n"
	                   "opaque /f\n"
	                   "entry /f/z\n");
	image_free(img);
}

static void
hard_links_come_after_their_targets_or_become_files(void **state)
{
	struct image *img = image_new("t");
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "z/target", "t");
	TB_HARDLINK(&t, "a/link", "z/target");		/* sorts first */
	TB_FILE(&t, "m/orig", "old");
	TB_HARDLINK(&t, "m/p", "m/orig");
	TB_HARDLINK(&t, "m/q", "m/orig");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "m/orig", "new");			/* p and q keep "old" */
	tb_add(&t, img);
	stack_build(img);

	check_plan(img, 0, "dir /a\n"
	                   "dir /m\n"
	                   "entry /m/orig\n"
	                   "file-of /m/p\n"
	                   "link /m/q -> /m/p\n"
	                   "dir /z\n"
	                   "entry /z/target\n"
	                   "link /a/link -> /z/target\n");
	image_free(img);
}

static void
a_link_to_nothing_is_refused(void **state)
{
	struct image *img = image_new("t");
	struct squash_plan p;
	struct tb t;
	char *cause = NULL;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "f", "f");
	tb_add(&t, img);
	tb_begin(&t);
	TB_HARDLINK(&t, "l", "missing");
	tb_add(&t, img);
	stack_build(img);

	assert_int_equal(squash_plan_make(img, 0, &p, &cause), -1);
	assert_string_equal(cause, "layer 1: entry '/l': a hard link to '/missing', which is "
	                    "not a regular file there");
	assert_null(p.items);
	free(cause);
	image_free(img);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(from_zero_is_the_final_tree),
		cmocka_unit_test(whiteouts_for_what_only_the_base_has),
		cmocka_unit_test(a_replaced_directory_is_opaque_and_written_whole),
		cmocka_unit_test(hard_links_come_after_their_targets_or_become_files),
		cmocka_unit_test(a_link_to_nothing_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
