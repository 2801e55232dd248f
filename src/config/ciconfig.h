/* ciconfig: the CI rules file, `.dive-ci` (or `.fathom-ci`), YAML:
 *   rules:
 *     lowestEfficiency: 0.95
 *     highestWastedBytes: 20MB
 * Unknown keys (dive's legacy and plugin keys) are warnings, not errors.
 * Never prints. */
#ifndef FATHOM_CICONFIG_H
#define FATHOM_CICONFIG_H

#include <stddef.h>

#include "analysis/rules.h"

struct ciconfig_warnings {
	char **items;		/* owned: "FILE:LINE: ..." */
	size_t count, cap;
};

/* Reads path into r. Returns 0, or -1 with *cause ("FILE:LINE: key: why",
 * owned). Warnings are appended to *warn. */
int ciconfig_read(const char *path, struct rules *r, struct ciconfig_warnings *warn,
                  char **cause);
/* The file to read when none is named: ./.fathom-ci, else ./.dive-ci, else
 * NULL (the defaults). */
const char *ciconfig_default_path(void);
void ciconfig_warnings_free(struct ciconfig_warnings *warn);

#endif
