/* fuzz_yaml: the `.dive-ci` rules file and the explorer's config.yaml, from
 * the same bytes; and the size and ratio grammar of their values. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/rules.h"
#include "config/ciconfig.h"
#include "config/uiconfig.h"
#include "util/units.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct ciconfig_warnings warn = { 0 };
	struct rules r;
	struct uiconfig ui;
	char *cause = NULL, *text;
	FILE *f;

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/fathom-fuzz-yaml.%d", (int)getpid());
	if ((f = fopen(path, "w")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	rules_init(&r);
	ciconfig_read(path, &r, &warn, &cause);
	rules_fini(&r);
	free(cause);
	cause = NULL;
	ciconfig_warnings_free(&warn);
	memset(&warn, 0, sizeof warn);
	uiconfig_init(&ui);
	uiconfig_read(path, &ui, &warn, &cause);
	free(cause);
	ciconfig_warnings_free(&warn);

	/* the values' grammar */
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	uint64_t bytes;
	double ratio;
	const char *why;
	units_parse_size(text, &bytes, &why);
	units_parse_ratio(text, &ratio, &why);
	units_is_disabled(text);
	free(text);
	return 0;
}
