/* test_fixplan: the fix planner's checks against the model (a layer
 * between that writes the paths a cleanup would move over, a cleanup that
 * also removes what its target did not write) and what --verify compares:
 * each edit's achieved bytes shared out by path, the files the edits
 * explain, rebuild noise, other changes, the config fields that matter. */
#include <stdio.h>

#include "testutil.h"
#include "analysis/advice.h"
#include "analysis/fixcheck.h"
#include "analysis/fixplan.h"
#include "analysis/waste.h"

/* An image of layers made by fill(k), its history the given commands. */
static struct image *
image_of(size_t n, void (*fill)(struct tb *, size_t), const char *config)
{
	struct image *img = image_new("t");
	char *cause = NULL;
	json_error_t err;

	for (size_t k = 0; k < n; k++) {
		struct tb t;
		tb_begin(&t);
		fill(&t, k);
		tb_add(&t, img);
	}
	json_t *c = json_loads(config, 0, &err);
	if (c == NULL)
		fail_msg("config: %s", err.text);
	if (image_set_config(img, c, &cause) != 0)
		fail_msg("%s", cause);
	stack_build(img);
	return img;
}

static char kib[1025];

static void
fill_between(struct tb *t, size_t k)
{
	switch (k) {
	case 0:
		TB_FILE(t, "bin/sh", "x");
		break;
	case 1:
		TB_FILE(t, "var/lib/apt/lists/a", kib);
		break;
	case 2:
		TB_FILE(t, "var/lib/apt/lists/b", kib);
		break;
	default:
		TB_FILE(t, "var/lib/apt/lists/.wh.a", "");
		TB_FILE(t, "var/lib/apt/lists/.wh.b", "");
		break;
	}
}

/* Plans text's fix for img. */
static void
plan(struct image *img, const char *text, struct dockerfile *df, struct histmap *m,
     struct waste *w, struct advice *a, struct fix_plan *p)
{
	char *cause = NULL;

	waste_analyze(img, 1, w);
	advice_analyze(img, w, a);
	if (dockerfile_parse("Dockerfile", text, strlen(text), df, &cause) != 0)
		fail_msg("%s", cause);
	histmap_build(img->history, img->nhistory, img->nlayers, df, m);
	fixplan_make(img, a, df, m, NULL, p);
}

static void
unplan(struct image *img, struct dockerfile *df, struct histmap *m, struct waste *w,
       struct advice *a, struct fix_plan *p)
{
	fixplan_free(p);
	histmap_free(m);
	dockerfile_free(df);
	advice_fini(a);
	waste_fini(w);
	image_free(img);
}

static const struct fix_item *
item_of(const struct fix_plan *p, enum fix_kind kind, const char *what)
{

	for (size_t i = 0; i < p->count; i++)
		if (p->items[i].kind == kind && (what == NULL || strstr(p->items[i].what, what)))
			return &p->items[i];
	return NULL;
}

static void
a_layer_between_that_writes_the_paths_keeps_the_cleanup(void **state)
{
	static const char text[] = "FROM debian\n"
	                           "RUN apt-get update\n"
	                           "COPY lists /var/lib/apt/lists\n"
	                           "RUN rm -rf /var/lib/apt/lists/*\n";
	struct image *img;
	struct dockerfile df;
	struct histmap m;
	struct waste w;
	struct advice a;
	struct fix_plan p;
	(void)state;

	memset(kib, 'k', 1024);
	img = image_of(4, fill_between,
	               "{\"history\":[{\"created_by\":\"/bin/sh -c #(nop) ADD file:1 in /\"},"
	               "{\"created_by\":\"RUN /bin/sh -c apt-get update # buildkit\"},"
	               "{\"created_by\":\"COPY lists /var/lib/apt/lists # buildkit\"},"
	               "{\"created_by\":\"RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit\"}]}");
	plan(img, text, &df, &m, &w, &a, &p);
	assert_null(item_of(&p, FIX_MOVE_CLEANUP, NULL));
	const struct fix_item *it = item_of(&p, FIX_ADVICE, "lists/b");
	assert_non_null(it);
	assert_string_equal(it->what, "not edited: line 4 also touches /var/lib/apt/lists/b, which "
	                              "line 2 did not make; delete them in the RUN at line 2 that "
	                              "makes them (`rm -rf /var/lib/apt/lists/*`)");
	assert_int_equal(it->bytes, 1024);
	assert_int_equal(df.instrs[it->instr].line, 4);
	/* the COPY's own files, deleted by the rm -rf: a .dockerignore line */
	it = item_of(&p, FIX_DOCKERIGNORE, NULL);
	assert_non_null(it);
	assert_string_equal(it->ignore, "lists/*");
	assert_int_equal(it->bytes, 1024);
	assert_int_equal(p.nedits, 0);
	unplan(img, &df, &m, &w, &a, &p);
}

static void
fill_wider(struct tb *t, size_t k)
{
	switch (k) {
	case 0:
		TB_FILE(t, "opt/keep", "from the base");
		break;
	case 1:
		TB_FILE(t, "var/lib/apt/lists/a", kib);
		break;
	case 2:
		TB_FILE(t, "opt/late", kib);
		break;
	default:
		TB_FILE(t, "var/lib/apt/lists/.wh.a", "");
		TB_FILE(t, "opt/.wh.late", "");
		break;
	}
}

static void
a_cleanup_moves_to_the_last_run_whose_files_it_removes(void **state)
{
	/* line 5's rm removes /opt/late too, which line 4 made after line 2:
	 * it may move into line 4, not into line 2 */
	static const char text[] = "FROM debian\n"
	                           "RUN apt-get update\n"
	                           "\n"
	                           "RUN cat /opt/keep > /opt/late\n"
	                           "RUN rm -rf /var/lib/apt/lists/* /opt/late\n";
	struct image *img;
	struct dockerfile df;
	struct histmap m;
	struct waste w;
	struct advice a;
	struct fix_plan p;
	(void)state;

	memset(kib, 'k', 1024);
	img = image_of(4, fill_wider,
	               "{\"history\":[{\"created_by\":\"/bin/sh -c #(nop) ADD file:1 in /\"},"
	               "{\"created_by\":\"RUN /bin/sh -c apt-get update # buildkit\"},"
	               "{\"created_by\":\"RUN /bin/sh -c cat /opt/keep > /opt/late # buildkit\"},"
	               "{\"created_by\":\"RUN /bin/sh -c rm -rf /var/lib/apt/lists/* /opt/late # buildkit\"}]}");
	plan(img, text, &df, &m, &w, &a, &p);
	const struct fix_item *it = item_of(&p, FIX_MOVE_CLEANUP, NULL);
	assert_non_null(it);
	assert_string_equal(it->what, "`rm -rf /var/lib/apt/lists/* /opt/late` moved from line 5 into "
	                              "the RUN at line 4");
	assert_int_equal(it->bytes, 1024);
	assert_int_equal(it->npaths, 1);
	assert_string_equal(it->paths[0].path, "/opt/late");
	it = item_of(&p, FIX_ADVICE, NULL);
	assert_non_null(it);
	assert_string_equal(it->what, "not edited: the RUN at line 4 between may use them: merge lines "
	                              "2-5 into one RUN; delete them in the RUN at line 2 that makes "
	                              "them (`rm -rf /var/lib/apt/lists/* /opt/late`)");
	assert_int_equal(p.nedits, 2);	/* line 5 goes, line 4 gets the rm */
	assert_int_equal(p.edits[1].drop, 1);
	unplan(img, &df, &m, &w, &a, &p);
}

/* --- fixcheck --------------------------------------------------------- */

static void
fill_a(struct tb *t, size_t k)
{
	if (k == 0) {
		TB_FILE(t, "etc/conf", "same");
		TB_FILE(t, "var/lib/apt/lists/x", kib);
		TB_DIR(t, "app/.git");
		TB_FILE(t, "app/.git/HEAD", "ref: main\n");
		TB_FILE(t, "var/log/dpkg.log", "2024-01-01 install\n");
		TB_FILE(t, "app/run.sh", "echo\n");
	} else {
		TB_FILE(t, "app/.git/HEAD", "ref: main\n");	/* a second copy */
	}
}

static void
fill_b(struct tb *t, size_t k)
{
	(void)k;
	TB_FILE(t, "etc/conf", "same");
	TB_FILE(t, "var/log/dpkg.log", "2024-06-01 install\n");
	TB_FILE_MODE(t, "app/run.sh", "echo\n", 0755);
	TB_FILE(t, "app/new", "n");
}

static void
check_shares_bytes_and_sorts_the_changes(void **state)
{
	struct image *a, *b;
	struct fix_plan p = { 0 };
	struct fix_check c;
	char *cause = NULL;
	(void)state;

	memset(kib, 'k', 1024);
	a = image_of(2, fill_a, "{\"config\":{\"Cmd\":[\"sh\"],\"Env\":[\"A=1\"],\"Hostname\":\"x\"}}");
	b = image_of(1, fill_b, "{\"config\":{\"Cmd\":[\"bash\"],\"Env\":[\"A=1\"],\"Hostname\":\"y\"}}");
	/* two items predicting the same path: each gets up to its own */
	p.items = xcalloc(3, sizeof *p.items);
	p.count = 3;
	p.items[0] = (struct fix_item){ .kind = FIX_MOVE_CLEANUP, .finding = 0, .instr = 0 };
	p.items[1] = (struct fix_item){ .kind = FIX_DOCKERIGNORE, .finding = 1, .instr = 0 };
	p.items[2] = (struct fix_item){ .kind = FIX_COPY_CHMOD, .finding = 2, .instr = 0 };
	p.items[0].paths = xcalloc(1, sizeof *p.items[0].paths);
	p.items[0].paths[0] = (struct fix_path){ xstrdup("/var/lib/apt/lists/x"), 1024 };
	p.items[0].npaths = 1;
	p.items[1].paths = xcalloc(1, sizeof *p.items[1].paths);
	p.items[1].paths[0] = (struct fix_path){ xstrdup("/app/.git/HEAD"), 10 };
	p.items[1].npaths = 1;
	p.items[1].under = xcalloc(1, sizeof *p.items[1].under);
	p.items[1].under[0] = xstrdup("/app/.git");
	p.items[1].nunder = 1;
	p.items[2].paths = xcalloc(1, sizeof *p.items[2].paths);
	p.items[2].paths[0] = (struct fix_path){ xstrdup("/app/.git/HEAD"), 10 };
	p.items[2].npaths = 1;
	if (fixcheck_compare(&p, a, b, &c, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(c.achieved[0], 1024);
	assert_int_equal(c.achieved[1], 10);	/* two copies gone: 10 each */
	assert_int_equal(c.achieved[2], 10);
	/* lists/x and the directories above it, /app/.git and its HEAD:
	 * removed by the edits */
	assert_int_equal(c.removed, 6);
	assert_int_equal(c.removed_bytes, 1034);
	assert_int_equal(c.noise, 1);		/* dpkg.log's content */
	assert_int_equal(c.nother, 2);		/* /app/new added, run.sh's mode */
	assert_string_equal(c.diff.changes[c.other[0]].path, "/app/new");
	assert_string_equal(c.diff.changes[c.other[1]].path, "/app/run.sh");
	assert_int_equal(c.nconfig, 1);		/* Cmd; not Hostname */
	assert_string_equal(c.diff.config[c.config[0]].field, "Cmd");
	assert_int_equal(c.same, 0);
	assert_true(c.size_a > c.size_b);
	fixcheck_free(&c);
	fixplan_free(&p);
	image_free(a);
	image_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_layer_between_that_writes_the_paths_keeps_the_cleanup),
		cmocka_unit_test(a_cleanup_moves_to_the_last_run_whose_files_it_removes),
		cmocka_unit_test(check_shares_bytes_and_sorts_the_changes),
	};
	return cmocka_run_group_tests_name("fixplan", tests, NULL, NULL);
}
