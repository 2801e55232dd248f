/* packages: the package databases an image may hold, parsed: dpkg's
 * status file (/var/lib/dpkg/status) and apk's installed database
 * (/lib/apk/db/installed). Input is untrusted (fuzzed); pure, never prints. */
#ifndef FATHOM_PACKAGES_H
#define FATHOM_PACKAGES_H

#include <stddef.h>
#include <stdint.h>

enum packages_db { PACKAGES_DPKG, PACKAGES_APK, PACKAGES_DBS };

struct package {
	char *name;		/* owned; "name:arch" when a name is there twice */
	char *version;		/* owned; "" when not given */
	uint64_t size;		/* installed size in bytes (dpkg's KiB x 1024) */
};

struct package_list {
	struct package *items;	/* owned: sorted by name, names unique */
	size_t count, cap;
};

/* Where each database is in an image. */
extern const char *const packages_paths[PACKAGES_DBS];
/* Its name as the outputs print it: "dpkg", "apk". */
extern const char *const packages_names[PACKAGES_DBS];

/* Parses len bytes of db's text into out: installed packages only (dpkg's
 * Status "... installed"; a config-files-only remnant is no package). */
void packages_parse(enum packages_db db, const char *text, size_t len,
                    struct package_list *out);
void package_list_free(struct package_list *l);

/* Compares two dpkg versions as dpkg does (libdpkg): <0, 0, >0; 0 also
 * when either cannot be parsed. */
int packages_dpkg_compare(const char *a, const char *b);

/* Compares two apk versions (NUMBER{.NUMBER}[letter]{_suffix[NUMBER]}
 * [~hash][-rNUMBER], Alpine's APKBUILD pkgver with its pkgrel) in apk's
 * order: numbers left to right (a later one with a leading zero as a
 * fraction), more numbers after; no letter before a letter; _alpha _beta
 * _pre _rc before no suffix before _cvs _svn _git _hg _p; then the
 * revision. Returns 0 and sets *ordered (when not NULL) to 0 when either
 * is not such a version; the hash is not ordered. */
int packages_apk_compare(const char *a, const char *b, int *ordered);

#endif
