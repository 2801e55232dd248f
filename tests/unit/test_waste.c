/* test_waste: each waste metric on an image made for it, with the figures
 * worked out by hand from dive's definition and from the layer rules. */
#include <math.h>

#include "testutil.h"
#include "analysis/rules.h"
#include "analysis/waste.h"
#include "util/units.h"

static char hundred[101], fifty[51], thirty[31];

static int
setup(void **state)
{
	(void)state;
	memset(hundred, 'h', 100);
	memset(fifty, 'f', 50);
	memset(thirty, 't', 30);
	return 0;
}

/* Σ of the hidden writes: what the per-path attribution accounts for. */
static uint64_t
hidden_sum(const struct waste *w)
{
	uint64_t s = 0;
	for (size_t i = 0; i < w->nwrites; i++)
		s += w->writes[i].bytes;
	return s;
}

static void
duplicated_file(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	tb_add(&t, img);
	stack_build(img);
	waste_analyze(img, 1, &w);

	assert_true(w.efficiency == 0.5);
	assert_int_equal(w.wasted_bytes, 200);
	assert_int_equal(w.image_size, 200);
	assert_int_equal(w.user_size, 100);
	assert_true(w.user_wasted_percent == 2.0);
	assert_int_equal(w.nfiles, 1);
	assert_int_equal(w.files[0].count, 2);
	assert_int_equal(w.files[0].cumulative, 200);
	/* honest: only the lower copy is hidden, by layer 1 */
	assert_int_equal(w.final_size, 100);
	assert_int_equal(w.reclaimable, 100);
	assert_int_equal(w.npaths, 1);
	assert_int_equal(w.writes[0].layer, 0);
	assert_int_equal(w.writes[0].hidden_by, 1);
	assert_int_equal(w.user_reclaimable, 0);	/* written by the base layer */
	waste_fini(&w);
	image_free(img);
}

static void
chmod_only_change(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	TB_FILE(&t, "b", fifty);
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE_MODE(&t, "a", hundred, 0755);
	tb_add(&t, img);
	stack_build(img);
	waste_analyze(img, 1, &w);

	/* paths: a 200 (min 100), b 50 → 150 / 250 */
	assert_true(w.efficiency == 150.0 / 250.0);
	assert_int_equal(w.wasted_bytes, 200);
	assert_true(w.user_wasted_percent == 2.0);
	assert_int_equal(w.reclaimable, 100);
	assert_int_equal(w.final_size, 150);
	waste_fini(&w);
	image_free(img);
}

static void
file_deleted_later(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "d/");
	TB_FILE(&t, "d/a", hundred);
	tb_add(&t, img);
	tb_begin(&t);
	TB_DIR(&t, "d/");
	TB_FILE(&t, "d/.wh.a", "");
	tb_add(&t, img);
	stack_build(img);
	waste_analyze(img, 1, &w);

	/* d/a: 100 then 0 (a whiteout of a file counts 0): min 0 */
	assert_true(w.efficiency == 0.0);
	assert_int_equal(w.wasted_bytes, 100);
	assert_int_equal(w.user_size, 0);
	assert_true(w.user_wasted_percent == 0.0);	/* never NaN */
	assert_int_equal(w.nfiles, 1);
	assert_int_equal(w.reclaimable, 100);
	assert_int_equal(w.writes[0].hidden_by, 1);
	waste_fini(&w);
	image_free(img);
}

static void
directory_deleted_later(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "d/");
	TB_FILE(&t, "d/a", hundred);
	TB_FILE(&t, "d/b", fifty);
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, ".wh.d", "");
	tb_add(&t, img);
	stack_build(img);
	waste_analyze(img, 1, &w);

	/* dive: the whiteout counts the subtree (150) once, for path d: no
	 * path is touched twice, so no waste at all. */
	assert_true(w.efficiency == 1.0);
	assert_int_equal(w.wasted_bytes, 0);
	assert_int_equal(w.nfiles, 0);
	/* honest: both files are gone, hidden by layer 1 */
	assert_int_equal(w.reclaimable, 150);
	assert_int_equal(w.npaths, 2);
	assert_int_equal(w.paths[0].bytes, 100);	/* largest first: d/a */
	assert_int_equal(w.writes[w.paths[0].first].hidden_by, 1);
	assert_int_equal(hidden_sum(&w), 150);
	waste_fini(&w);
	image_free(img);
}

static void
opaque_directory(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_DIR(&t, "d/");
	TB_FILE(&t, "d/a", hundred);
	tb_add(&t, img);
	tb_begin(&t);
	TB_DIR(&t, "d/");
	TB_FILE(&t, "d/.wh..wh..opq", "");
	TB_FILE(&t, "d/b", thirty);
	tb_add(&t, img);
	stack_build(img);
	waste_analyze(img, 1, &w);

	/* dive drops the marker: nothing counted twice */
	assert_true(w.efficiency == 1.0);
	assert_int_equal(w.wasted_bytes, 0);
	/* honest: d/a is hidden by the opaque directory */
	assert_int_equal(w.image_size, 130);
	assert_int_equal(w.final_size, 30);
	assert_int_equal(w.reclaimable, 100);
	assert_int_equal(w.writes[0].layer, 0);
	assert_int_equal(w.writes[0].hidden_by, 1);
	waste_fini(&w);
	image_free(img);
}

static void
hard_link_counted_once(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	TB_HARDLINK(&t, "h", "a");
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, ".wh.a", "");
	tb_add(&t, img);
	stack_build(img);
	waste_analyze(img, 1, &w);

	/* a is gone from its path but lives on as h: nothing to reclaim */
	assert_int_equal(w.final_size, 100);
	assert_int_equal(w.reclaimable, 0);
	assert_int_equal(w.nwrites, 0);
	/* dive: a is 100 then 0 */
	assert_int_equal(w.wasted_bytes, 100);
	assert_true(w.efficiency == 0.0);
	waste_fini(&w);
	image_free(img);
}

static void
empty_user_layers(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	tb_add(&t, img);
	tb_begin(&t);
	tb_add(&t, img);	/* no entries at all */
	tb_begin(&t);
	TB_DIR(&t, "tmp/");
	tb_add(&t, img);
	stack_build(img);
	waste_analyze(img, 1, &w);

	assert_int_equal(w.user_size, 0);
	assert_true(w.user_wasted_percent == 0.0);
	assert_true(w.efficiency == 1.0);
	assert_int_equal(w.reclaimable, 0);
	assert_true(w.reclaimable_percent == 0.0);
	waste_fini(&w);
	image_free(img);
}

static void
base_layers(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "b", fifty);
	tb_add(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "b", fifty);
	tb_add(&t, img);
	stack_build(img);

	waste_analyze(img, 1, &w);
	assert_int_equal(w.user_size, 100);
	assert_true(w.user_wasted_percent == 1.0);
	assert_int_equal(w.user_reclaimable, 50);
	waste_fini(&w);

	waste_analyze(img, 2, &w);
	assert_int_equal(w.base_layers, 2);
	assert_int_equal(w.user_size, 50);
	assert_true(w.user_wasted_percent == 2.0);
	assert_int_equal(w.user_reclaimable, 0);	/* layer 1 is base now */
	assert_int_equal(w.reclaimable, 50);
	waste_fini(&w);

	waste_analyze(img, 9, &w);		/* clamped */
	assert_int_equal(w.base_layers, 3);
	assert_true(w.user_wasted_percent == 0.0);
	waste_fini(&w);
	image_free(img);
}

static void
replaced_within_a_layer(void **state)
{
	struct image *img = image_new("t");
	struct waste w;
	struct tb t;
	(void)state;

	tb_begin(&t);
	TB_FILE(&t, "a", hundred);
	TB_FILE(&t, "a", thirty);
	tb_add(&t, img);
	stack_build(img);
	waste_analyze(img, 1, &w);

	/* the tar carries both; only the second is in the filesystem */
	assert_int_equal(w.image_size, 130);
	assert_int_equal(w.reclaimable, 100);
	assert_int_equal(w.writes[0].layer, 0);
	assert_int_equal(w.writes[0].hidden_by, 0);
	assert_int_equal(hidden_sum(&w), w.reclaimable);
	waste_fini(&w);
	image_free(img);
}

static void
sizes_and_ratios(void **state)
{
	uint64_t b;
	double r;
	const char *why;
	(void)state;

	assert_int_equal(units_parse_size("20MB", &b, &why), 0);
	assert_int_equal(b, 20000000);
	assert_int_equal(units_parse_size("20Mb", &b, &why), 0);
	assert_int_equal(b, 20000000);
	assert_int_equal(units_parse_size("1.5GiB", &b, &why), 0);
	assert_int_equal(b, 1610612736);
	assert_int_equal(units_parse_size("1000", &b, &why), 0);
	assert_int_equal(b, 1000);
	assert_int_equal(units_parse_size("64 k", &b, &why), 0);
	assert_int_equal(b, 64000);
	assert_int_equal(units_parse_size("1,000 KiB", &b, &why), 0);
	assert_int_equal(b, 1024000);
	assert_int_equal(units_parse_size("20XB", &b, &why), -1);
	assert_int_equal(units_parse_size("MB", &b, &why), -1);
	assert_int_equal(units_parse_size("99999999EB", &b, &why), -1);
	assert_int_equal(units_parse_ratio("0.95", &r, &why), 0);
	assert_true(r == 0.95);
	assert_int_equal(units_parse_ratio("1.5", &r, &why), -1);
	assert_int_equal(units_parse_ratio("x", &r, &why), -1);
	assert_true(units_is_disabled(" Disabled "));
	assert_true(units_is_disabled("off"));
	assert_false(units_is_disabled("0"));
}

static void
rules_at_the_threshold_pass(void **state)
{
	struct waste w = { .efficiency = 0.9, .wasted_bytes = 1000, .user_wasted_percent = 0.1 };
	struct advice a = { 0 };
	struct rule_result res[RULE_COUNT];
	struct rules r;
	const char *why;
	(void)state;

	rules_init(&r);
	assert_int_equal(rules_set(&r, RULE_WASTED_BYTES, "1kB", "test", &why), 0);
	assert_true(rules_evaluate(&r, &w, &a, res));
	assert_int_equal(res[RULE_EFFICIENCY].status, RULE_PASS);
	assert_int_equal(res[RULE_WASTED_BYTES].status, RULE_PASS);
	assert_int_equal(res[RULE_USER_WASTED_PERCENT].status, RULE_PASS);
	assert_int_equal(res[RULE_RECLAIMABLE_BYTES].status, RULE_SKIP);
	w.efficiency = nextafter(0.9, 0);
	w.wasted_bytes = 1001;
	assert_false(rules_evaluate(&r, &w, &a, res));
	assert_int_equal(res[RULE_EFFICIENCY].status, RULE_FAIL);
	assert_int_equal(res[RULE_WASTED_BYTES].status, RULE_FAIL);
	/* fathom's: advice savings at the threshold pass; onbuild warns */
	w.efficiency = 0.9;
	w.wasted_bytes = 1000;
	assert_int_equal(rules_set(&r, RULE_ADVICE_SAVINGS, "2kB", "test", &why), 0);
	a.savings = 2000;
	a.onbuild = 2;
	assert_true(rules_evaluate(&r, &w, &a, res));
	assert_int_equal(res[RULE_ADVICE_SAVINGS].status, RULE_PASS);
	assert_int_equal(res[RULE_ONBUILD].status, RULE_WARN);
	a.savings = 2001;
	assert_false(rules_evaluate(&r, &w, &a, res));
	assert_int_equal(res[RULE_ADVICE_SAVINGS].status, RULE_FAIL);
	a.savings = 0;
	assert_int_equal(rules_set(&r, RULE_ONBUILD, "fail", "test", &why), 0);
	assert_false(rules_evaluate(&r, &w, &a, res));
	assert_int_equal(res[RULE_ONBUILD].status, RULE_FAIL);
	assert_int_equal(rules_set(&r, RULE_ONBUILD, "off", "test", &why), 0);
	assert_true(rules_evaluate(&r, &w, &a, res));
	assert_int_equal(res[RULE_ONBUILD].status, RULE_SKIP);
	assert_int_equal(rules_set(&r, RULE_ONBUILD, "maybe", "test", &why), -1);
	a.onbuild = 0;
	assert_int_equal(rules_set(&r, RULE_ONBUILD, "fail", "test", &why), 0);
	assert_true(rules_evaluate(&r, &w, &a, res));
	assert_int_equal(res[RULE_ONBUILD].status, RULE_PASS);
	assert_int_equal(rules_set(&r, RULE_EFFICIENCY, "2", "test", &why), -1);
	assert_int_equal(rules_find("lowestEfficiency"), RULE_EFFICIENCY);
	assert_int_equal(rules_find("nope"), -1);
	rules_fini(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(duplicated_file),
		cmocka_unit_test(chmod_only_change),
		cmocka_unit_test(file_deleted_later),
		cmocka_unit_test(directory_deleted_later),
		cmocka_unit_test(opaque_directory),
		cmocka_unit_test(hard_link_counted_once),
		cmocka_unit_test(empty_user_layers),
		cmocka_unit_test(base_layers),
		cmocka_unit_test(replaced_within_a_layer),
		cmocka_unit_test(sizes_and_ratios),
		cmocka_unit_test(rules_at_the_threshold_pass),
	};
	return cmocka_run_group_tests_name("waste", tests, setup, NULL);
}
