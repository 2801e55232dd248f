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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dpkg_status),
		cmocka_unit_test(apk_installed),
		cmocka_unit_test(dpkg_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
