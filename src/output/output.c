/* output: the table of formats; see output.h. */
#include "output/output.h"

#include <string.h>

#include "output/report.h"

const struct output_format_def output_formats[OUTPUT_FORMAT_COUNT] = {
#define OUTPUT_ROW(id, name, help) [OUTPUT_##id] = { #name, report_##name##_write },
	OUTPUT_FORMATS(OUTPUT_ROW)
#undef OUTPUT_ROW
};

int
output_format_parse(const char *s, enum output_format *out)
{
	for (int i = 0; i < OUTPUT_FORMAT_COUNT; i++) {
		if (strcmp(s, output_formats[i].name) == 0) {
			*out = (enum output_format)i;
			return 0;
		}
	}
	return -1;
}
