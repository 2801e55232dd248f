/* test_history: matching history entries to layers as docker history does,
 * when the history is short, long, or missing. */
#include <stdio.h>

#include "testutil.h"
#include "output/history.h"

static struct image *
image_with(size_t layers, const char *history_json)
{
	struct image *img = image_new("t");
	char *cause = NULL;
	json_error_t err;

	for (size_t i = 0; i < layers; i++) {
		struct tb t;
		char name[16];
		snprintf(name, sizeof name, "f%zu", i);
		tb_begin(&t);
		TB_FILE(&t, name, "abc");
		tb_add(&t, img);
	}
	json_t *config = json_loads(history_json, 0, &err);
	assert_non_null(config);
	if (image_set_config(img, config, &cause) != 0)
		fail_msg("%s", cause);
	stack_build(img);
	return img;
}

static char *
print(struct image *img)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct history_opts o = { 0 };

	history_print(f, img, &o);
	fclose(f);
	return out;
}

static void
short_history_gets_rows_for_the_rest(void **state)
{
	struct image *img = image_with(3, "{\"history\":[{\"created_by\":\"one\"},"
	                                  "{\"created_by\":\"nop\",\"empty_layer\":true}]}");
	char *out = print(img);
	(void)state;

	assert_string_equal(out,
		"LAYER   CREATED   SIZE   CREATED BY\n"
		"2       -         3B\n"
		"1       -         3B\n"
		"-       -         0B     nop\n"
		"0       -         3B     one\n");
	free(out);
	image_free(img);
}

static void
long_history_leaves_entries_without_layers(void **state)
{
	struct image *img = image_with(1, "{\"history\":[{\"created_by\":\"a\"},"
	                                  "{\"created_by\":\"b\"}]}");
	char *out = print(img);
	(void)state;

	assert_string_equal(out,
		"LAYER   CREATED   SIZE   CREATED BY\n"
		"-       -         0B     b\n"
		"0       -         3B     a\n");
	free(out);
	image_free(img);
}

static void
bad_history_is_an_error(void **state)
{
	struct image *img = image_new("t");
	char *cause = NULL;
	json_error_t err;
	(void)state;

	assert_int_equal(image_set_config(img, json_loads("{\"history\":{}}", 0, &err), &cause), -1);
	assert_string_equal(cause, "the image config's history is not a list");
	free(cause);
	cause = NULL;
	assert_int_equal(image_set_config(img, json_loads("{\"history\":[1]}", 0, &err), &cause), -1);
	assert_string_equal(cause, "history entry 0 of the image config is not an object");
	free(cause);
	image_free(img);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(short_history_gets_rows_for_the_rest),
		cmocka_unit_test(long_history_leaves_entries_without_layers),
		cmocka_unit_test(bad_history_is_an_error),
	};
	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
