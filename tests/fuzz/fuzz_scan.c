/* fuzz_scan: the JSON results `fathom scan --merge` joins (they come from
 * other machines): read into rows, then finished and written again, which
 * must read back to the same rows. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/scan.h"
#include "output/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
fuzz_scan_json(const struct scan *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct scan_output o = { .s = s, .format = SCAN_JSON, .top = SIZE_MAX, .ci = 1 };

	if (f == NULL || scan_write(f, &o) < 0)
		abort();
	fclose(f);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan s = { 0 }, back = { 0 };
	char *cause = NULL;

	if (scan_json_read((const char *)data, size, "fuzz", &s, &cause) < 0) {
		/* nothing of the document stays (the rows' array is the caller's) */
		if (cause == NULL || s.nimages != 0)
			abort();
		free(cause);
		scan_fini(&s);
		return 0;
	}
	scan_drop_repeats(&s);
	scan_finish(&s, SCAN_SHARED, 1);
	size_t len, len2;
	char *text = fuzz_scan_json(&s, &len);
	if (scan_json_read(text, len, "again", &back, &cause) < 0)
		abort();
	scan_finish(&back, SCAN_SHARED, 1);
	char *again = fuzz_scan_json(&back, &len2);
	if (len != len2 || memcmp(text, again, len) != 0)
		abort();
	free(text);
	free(again);
	scan_fini(&back);
	scan_fini(&s);
	return 0;
}
