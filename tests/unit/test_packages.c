/* test_packages: dpkg's status file and apk's installed database as
 * fathom diff reads them: installed packages only, continuation lines,
 * CRLF, a name there for two architectures, sizes; dpkg's version order. */
#include "testutil.h"
#include "analysis/packages.h"

static void
parse(enum packages_db db, const char *text, struct package_list *l)
{
	packages_parse(db, text, strlen(text), l);
}

static void
dpkg_status(void **state)
{
	struct package_list l;

	(void)state;
	parse(PACKAGES_DPKG,
	      "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\n"
	      "Version: 1:1.2.13.dfsg-1\nInstalled-Size: 168\nDescription: compression\n"
	      " Package: not-a-package\n .\n more\n\n"
	      "Package: libc6\r\nStatus: install ok installed\r\nArchitecture: amd64\r\n"
	      "Version: 2.36-9\r\nInstalled-Size: 12987\r\n\r\n"
	      "Package: libc6\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.36-9\n\n"
	      "Package: removed\nStatus: deinstall ok config-files\nVersion: 1\n\n"
	      "Package: half\nStatus: install ok half-installed\nVersion: 1\n\n"
	      "Package: held\nStatus: hold ok installed\nVersion: 2\n\n"
	      "Status: install ok installed\nVersion: 3\n\n"
	      "Package: last\nstatus: install ok installed\ninstalled-size: 99999999999999999999",
	      &l);
	assert_int_equal(l.count, 5);
	assert_string_equal(l.items[0].name, "held");
	assert_string_equal(l.items[0].version, "2");
	assert_int_equal(l.items[0].size, 0);
	assert_string_equal(l.items[1].name, "last");
	assert_string_equal(l.items[1].version, "");
	assert_int_equal(l.items[1].size, UINT64_MAX);
	assert_string_equal(l.items[2].name, "libc6:amd64");
	assert_int_equal(l.items[2].size, 12987u * 1024);
	assert_string_equal(l.items[3].name, "libc6:i386");
	assert_string_equal(l.items[4].name, "zlib1g");
	assert_string_equal(l.items[4].version, "1:1.2.13.dfsg-1");
	assert_int_equal(l.items[4].size, 168u * 1024);
	package_list_free(&l);
	parse(PACKAGES_DPKG, "", &l);
	assert_int_equal(l.count, 0);
	package_list_free(&l);
}

static void
apk_installed(void **state)
{
	struct package_list l;

	(void)state;
	parse(PACKAGES_APK,
	      "C:Q1x=\nP:musl\nV:1.2.4-r2\nA:x86_64\nI:622592\nT:the C library\n\n"
	      "P:busybox\nV:1.36.1-r5\nI:946176\n\n\n\nP:musl\nV:9\n\nV:1\nI:5\n", &l);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[0].name, "busybox");
	assert_int_equal(l.items[0].size, 946176);
	assert_string_equal(l.items[1].name, "musl");
	assert_string_equal(l.items[1].version, "1.2.4-r2");	/* the first of two */
	assert_int_equal(l.items[1].size, 622592);
	package_list_free(&l);
}

static void
dpkg_versions(void **state)
{
	(void)state;
	assert_true(packages_dpkg_compare("1.0-1", "1.1-1") < 0);
	assert_true(packages_dpkg_compare("1.0~rc1", "1.0") < 0);
	assert_true(packages_dpkg_compare("2:1.0", "1:9.0") > 0);
	assert_true(packages_dpkg_compare("1.2-10", "1.2-3") > 0);
	assert_int_equal(packages_dpkg_compare("1.0", "1.0"), 0);
	assert_int_equal(packages_dpkg_compare("not a version", "1.0"), 0);
}

/* apk's order: every version here is before every later one. */
static void
apk_versions(void **state)
{
	static const char *const rising[] = {
		"0.9",		"1",		"1.0_alpha",	"1.0_alpha1",	"1.0_alpha2",
		"1.0_beta",	"1.0_pre1",	"1.0_rc1",	"1.0_rc1-r1",	"1.0",
		"1.0-r1",	"1.0-r10",	"1.0_cvs",	"1.0_git20240101", "1.0_hg",
		"1.0_p1",	"1.0_p2_rc1",	"1.0_p2",	"1.0_p2_p1",	"1.0a_rc1",
		"1.0a",		"1.0b",		"1.0.0",	"1.0.1",	"1.01",
		"1.1",		"1.2",		"1.2.3-r0",	"1.2.4-r0",	"1.10",
		"2",		"10",		"99999999999999999999999",
		"100000000000000000000000",
	};
	size_t n = sizeof rising / sizeof *rising;
	int ordered;

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int c = packages_apk_compare(rising[i], rising[j], &ordered);
			if (!ordered || (i < j && c >= 0) || (i == j && c != 0) || (i > j && c <= 0))
				fail_msg("%s vs %s: %d (ordered %d)", rising[i], rising[j], c, ordered);
		}
	/* the hash is not ordered; leading zeros of the first number are */
	assert_int_equal(packages_apk_compare("1.0~abc123", "1.0~def", &ordered), 0);
	assert_true(ordered);
	assert_int_equal(packages_apk_compare("01.2", "1.2", &ordered), 0);
	assert_true(ordered);
	/* not apk versions: no order */
	static const char *const not[] = { "", "git-2024", "1..2", "1.", ".1", "1.0-r",
		                           "1.0-rx", "1.0_foo", "a1", "1.0ab", "1.0 ",
		                           "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19."
		                           "20.21.22.23.24.25.26.27.28.29.30.31.32.33" };
	for (size_t i = 0; i < sizeof not / sizeof *not; i++) {
		ordered = 1;
		assert_int_equal(packages_apk_compare(not[i], "1.0", &ordered), 0);
		if (ordered)
			fail_msg("'%s' was ordered", not[i]);
		ordered = 1;
		assert_int_equal(packages_apk_compare("1.0", not[i], &ordered), 0);
		assert_false(ordered);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dpkg_status),
		cmocka_unit_test(apk_installed),
		cmocka_unit_test(dpkg_versions),
		cmocka_unit_test(apk_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
