/* fuzz_packages: the package databases fathom diff reads from images:
 * dpkg's status file and apk's installed database, and dpkg's and apk's
 * version orders on the versions they give. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/packages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int db = 0; db < PACKAGES_DBS; db++) {
		struct package_list l;
		packages_parse(db, (const char *)data, size, &l);
		for (size_t i = 0; i < l.count; i++) {
			/* sorted, unique */
			if (i > 0 && strcmp(l.items[i - 1].name, l.items[i].name) >= 0)
				abort();
			if (i > 0 && db == PACKAGES_DPKG)
				(void)packages_dpkg_compare(l.items[i - 1].version, l.items[i].version);
			if (i > 0 && db == PACKAGES_APK) {
				/* apk's order is antisymmetric */
				int o1, o2;
				int c1 = packages_apk_compare(l.items[i - 1].version, l.items[i].version, &o1);
				int c2 = packages_apk_compare(l.items[i].version, l.items[i - 1].version, &o2);
				if (o1 != o2 || (c1 > 0) != (c2 < 0) || (c1 == 0) != (c2 == 0))
					abort();
			}
		}
		package_list_free(&l);
	}
	return 0;
}
