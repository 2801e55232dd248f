/* test_extract: extraction (Ctrl+E, `fathom extract`) against hostile
 * entries: absolute and climbing names, symlinks that point out (directly
 * or by climbing after a name), devices, setuid files, names already
 * present (a symlink among them), with and without EXTRACT_FORCE. Nothing
 * may appear outside the directory extracted into, and no temporary name
 * may stay. */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "write/extract.h"

static struct image *
hostile(void)
{
	struct image *img = image_new("hostile");
	struct tb t;

	tb_begin(&t);
	TB_DIR(&t, "app/");
	TB_FILE_MODE(&t, "app/a", "alpha", 0640);
	TB_DIR(&t, "app/sub/");
	TB_FILE(&t, "app/sub/b", "beta");
	TB_SYMLINK(&t, "app/in", "a");
	TB_SYMLINK(&t, "app/sub/up1", "../a");
	TB_SYMLINK(&t, "app/cwdlink", "../y");		/* lands in the directory */
	TB_SYMLINK(&t, "app/abs", "/etc/passwd");
	TB_SYMLINK(&t, "app/out", "../../x");
	TB_SYMLINK(&t, "app/sub/l1", "../..");		/* the directory itself */
	TB_SYMLINK(&t, "app/sub/trick", "l1/../x");	/* through l1: out */
	TB_HARDLINK(&t, "app/h", "app/a");
	TB_FILE_MODE(&t, "app/suid", "s", 06755);
	tb_entry(&t, "app/dev", AE_IFCHR, 0666, NULL, NULL, 0);
	TB_FILE(&t, "/abs/file", "abs");
	TB_FILE(&t, "app/../dotdot", "dd");
	tb_add_kept(&t, img);
	tb_begin(&t);
	TB_FILE(&t, "app/sub/.wh.b", "");
	tb_add_kept(&t, img);
	stack_build(img);
	return img;
}

struct fx {
	struct image *img;
	char top[64];	/* a temporary directory holding only cwd/ */
	char cwd[80];
	int cwdfd;
};

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);

	f->img = hostile();
	snprintf(f->top, sizeof f->top, "/tmp/fathom-extract-XXXXXX");
	assert_non_null(mkdtemp(f->top));
	snprintf(f->cwd, sizeof f->cwd, "%s/cwd", f->top);
	assert_int_equal(mkdir(f->cwd, 0700), 0);
	f->cwdfd = open(f->cwd, O_RDONLY | O_DIRECTORY);
	assert_true(f->cwdfd >= 0);
	*state = f;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);
	return remove(path);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	close(f->cwdfd);
	nftw(f->top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	image_free(f->img);
	free(f);
	return 0;
}

static char *
slurp(const struct fx *f, const char *rel)
{
	static char buf[256];
	int fd = openat(f->cwdfd, rel, O_RDONLY | O_NOFOLLOW);

	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static char *
link_of(const struct fx *f, const char *rel)
{
	static char buf[256];
	ssize_t n = readlinkat(f->cwdfd, rel, buf, sizeof buf - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static int
exists(const struct fx *f, const char *rel)
{
	struct stat st;

	return fstatat(f->cwdfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* How many names the temporary directory holds besides cwd/. */
static int
outside(const struct fx *f)
{
	DIR *d = opendir(f->top);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "cwd"))
			n++;
	closedir(d);
	return n;
}

static int
extract(struct fx *f, const char *path, size_t layer, struct extract_result *res, char **cause)
{
	uint32_t node = tree_find(&f->img->tree, path);

	assert_int_not_equal(node, TREE_NONE);
	return extract_node(f->img, node, layer, f->cwdfd, 0, res, cause);
}

static int
extract_forced(struct fx *f, const char *path, struct extract_result *res, char **cause)
{
	uint32_t node = tree_find(&f->img->tree, path);

	assert_int_not_equal(node, TREE_NONE);
	return extract_node(f->img, node, 0, f->cwdfd, EXTRACT_FORCE, res, cause);
}

/* How many temporary names (.fathom-extract.*) directory rel holds. */
static int
temps(const struct fx *f, const char *rel)
{
	int fd = openat(f->cwdfd, rel, O_RDONLY | O_DIRECTORY);
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, ".fathom-extract", 15) == 0)
			n++;
	closedir(d);
	return n;
}

static void
test_directory_links_devices(void **state)
{
	struct fx *f = *state;
	struct extract_result res;
	char *cause = NULL;
	struct stat st;

	assert_int_equal(extract(f, "app", 0, &res, &cause), 0);
	assert_int_equal(res.files, 4);		/* a, sub/b, h, suid */
	assert_int_equal(res.dirs, 2);
	assert_int_equal(res.links, 4);		/* in, sub/up1, cwdlink, sub/l1 */
	assert_int_equal(res.refused, 4);	/* abs, out, sub/trick, dev */
	assert_non_null(res.first_refused);
	assert_memory_equal(res.first_refused, "/app/", 5);
	extract_result_fini(&res);

	assert_string_equal(slurp(f, "app/a"), "alpha");
	assert_int_equal(fstatat(f->cwdfd, "app/a", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_string_equal(slurp(f, "app/sub/b"), "beta");
	assert_string_equal(slurp(f, "app/h"), "alpha");
	assert_int_equal(fstatat(f->cwdfd, "app/suid", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_mode & 07777, 0755);	/* no setuid, no setgid */
	assert_string_equal(link_of(f, "app/in"), "a");
	assert_string_equal(link_of(f, "app/sub/up1"), "../a");
	assert_string_equal(link_of(f, "app/cwdlink"), "../y");
	assert_string_equal(link_of(f, "app/sub/l1"), "../..");
	assert_false(exists(f, "app/abs"));
	assert_false(exists(f, "app/out"));
	assert_false(exists(f, "app/sub/trick"));
	assert_false(exists(f, "app/dev"));
	assert_int_equal(outside(f), 0);
}

static void
test_cleaned_names_land_inside(void **state)
{
	struct fx *f = *state;
	struct extract_result res;
	char *cause = NULL;

	/* "/abs/file" and "app/../dotdot" in the tar */
	assert_int_equal(extract(f, "abs", 0, &res, &cause), 0);
	extract_result_fini(&res);
	assert_int_equal(extract(f, "dotdot", 0, &res, &cause), 0);
	extract_result_fini(&res);
	assert_string_equal(slurp(f, "abs/file"), "abs");
	assert_string_equal(slurp(f, "dotdot"), "dd");
	assert_int_equal(outside(f), 0);
}

static void
test_never_over_a_name(void **state)
{
	struct fx *f = *state;
	struct extract_result res;
	char *cause = NULL;
	char dest[96];

	/* a symlink the user has, named like the path, pointing out */
	snprintf(dest, sizeof dest, "%s/elsewhere", f->top);
	assert_int_equal(mkdir(dest, 0700), 0);
	assert_int_equal(symlinkat(dest, f->cwdfd, "abs"), 0);
	assert_int_equal(extract(f, "abs", 0, &res, &cause), -1);
	assert_non_null(strstr(cause, "/abs: already exists here"));
	free(cause);
	extract_result_fini(&res);
	assert_false(exists(f, "../elsewhere/file"));

	/* the second time, nothing changes */
	assert_int_equal(extract(f, "dotdot", 0, &res, &cause), 0);
	extract_result_fini(&res);
	cause = NULL;
	assert_int_equal(extract(f, "dotdot", 0, &res, &cause), -1);
	assert_non_null(cause);
	free(cause);
	extract_result_fini(&res);
	assert_string_equal(slurp(f, "dotdot"), "dd");
	assert_int_equal(temps(f, "."), 0);
}

static void
test_forced(void **state)
{
	struct fx *f = *state;
	struct extract_result res;
	char *cause = NULL;
	char dest[96];
	struct stat st;

	/* a symlink in the way is replaced, never followed */
	snprintf(dest, sizeof dest, "%s/elsewhere", f->top);
	assert_int_equal(mkdir(dest, 0700), 0);
	assert_int_equal(symlinkat(dest, f->cwdfd, "abs"), 0);
	assert_int_equal(extract_forced(f, "abs", &res, &cause), 0);
	extract_result_fini(&res);
	assert_int_equal(fstatat(f->cwdfd, "abs", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_string_equal(slurp(f, "abs/file"), "abs");
	assert_int_equal(outside(f), 1);	/* elsewhere/, still empty */
	assert_int_equal(rmdir(dest), 0);

	/* a file is replaced; an existing directory is written into, what
	 * else it holds stays */
	int fd = openat(f->cwdfd, "dotdot", O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "old content", 11), 11);
	close(fd);
	assert_int_equal(mkdirat(f->cwdfd, "app", 0700), 0);
	fd = openat(f->cwdfd, "app/mine", O_WRONLY | O_CREAT, 0600);
	close(fd);
	assert_int_equal(extract_forced(f, "dotdot", &res, &cause), 0);
	extract_result_fini(&res);
	assert_string_equal(slurp(f, "dotdot"), "dd");
	assert_int_equal(extract_forced(f, "app", &res, &cause), 0);
	extract_result_fini(&res);
	assert_string_equal(slurp(f, "app/a"), "alpha");
	assert_true(exists(f, "app/mine"));
	/* again: every name replaced in place */
	assert_int_equal(extract_forced(f, "app", &res, &cause), 0);
	assert_int_equal(res.files, 4);
	extract_result_fini(&res);
	assert_int_equal(temps(f, "."), 0);
	assert_int_equal(temps(f, "app"), 0);
	assert_int_equal(temps(f, "app/sub"), 0);
	assert_int_equal(outside(f), 0);
}

static void
test_forced_not_over_a_full_directory(void **state)
{
	struct fx *f = *state;
	struct extract_result res;
	char *cause = NULL;

	/* where the image has a file, the user has a directory with a file */
	assert_int_equal(mkdirat(f->cwdfd, "dotdot", 0700), 0);
	int fd = openat(f->cwdfd, "dotdot/keep", O_WRONLY | O_CREAT, 0600);
	close(fd);
	assert_int_equal(extract_forced(f, "dotdot", &res, &cause), -1);
	assert_non_null(strstr(cause, "/dotdot: a directory that is not empty is in the way"));
	free(cause);
	extract_result_fini(&res);
	assert_true(exists(f, "dotdot/keep"));
	assert_int_equal(temps(f, "."), 0);
}

static void
test_as_at_the_layer(void **state)
{
	struct fx *f = *state;
	struct extract_result res;
	char *cause = NULL;

	assert_int_equal(extract(f, "app", 1, &res, &cause), 0);
	assert_int_equal(res.files, 3);	/* sub/b was deleted by layer 1 */
	extract_result_fini(&res);
	assert_false(exists(f, "app/sub/b"));
	assert_string_equal(slurp(f, "app/a"), "alpha");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_directory_links_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cleaned_names_land_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_over_a_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forced_not_over_a_full_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_at_the_layer, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
