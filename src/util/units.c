/* units: sizes and ratios; see units.h. The size grammar is go-humanize's
 * ParseBytes, which dive uses for highestWastedBytes. */
#include "util/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

static const struct {
	const char *name;
	double factor;
} units_table[] = {
	{ "", 1 }, { "b", 1 },
	{ "k", 1e3 }, { "kb", 1e3 }, { "ki", 1024.0 }, { "kib", 1024.0 },
	{ "m", 1e6 }, { "mb", 1e6 }, { "mi", 1048576.0 }, { "mib", 1048576.0 },
	{ "g", 1e9 }, { "gb", 1e9 }, { "gi", 1073741824.0 }, { "gib", 1073741824.0 },
	{ "t", 1e12 }, { "tb", 1e12 }, { "ti", 1099511627776.0 }, { "tib", 1099511627776.0 },
	{ "p", 1e15 }, { "pb", 1e15 }, { "pi", 1125899906842624.0 }, { "pib", 1125899906842624.0 },
	{ "e", 1e18 }, { "eb", 1e18 }, { "ei", 1152921504606846976.0 }, { "eib", 1152921504606846976.0 },
};

int
units_parse_size(const char *s, uint64_t *out, const char **why)
{
	char num[64], unit[8];
	size_t n = 0, u = 0;
	const char *p = s;
	double v;
	char *end;

	while (*p == ' ' || *p == '\t')
		p++;
	for (; isdigit((unsigned char)*p) || *p == '.' || *p == ','; p++)
		if (*p != ',' && n + 1 < sizeof num)
			num[n++] = *p;
	num[n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p && *p != ' ' && *p != '\t'; p++)
		if (u + 1 < sizeof unit)
			unit[u++] = (char)tolower((unsigned char)*p);
		else
			u = sizeof unit;	/* too long to be a unit */
	unit[u < sizeof unit ? u : 0] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (n == 0) {
		*why = "not a size (a number and a unit, like 20MB or 1.5GiB)";
		return -1;
	}
	errno = 0;
	v = strtod(num, &end);
	if (*end != '\0' || errno != 0) {
		*why = "not a size (a number and a unit, like 20MB or 1.5GiB)";
		return -1;
	}
	if (*p != '\0' || u >= sizeof unit) {
		*why = "unknown size unit (use B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)";
		return -1;
	}
	for (size_t i = 0; i < sizeof units_table / sizeof units_table[0]; i++) {
		if (strcmp(unit, units_table[i].name) != 0)
			continue;
		v *= units_table[i].factor;
		if (v >= 18446744073709551616.0) {
			*why = "too large";
			return -1;
		}
		*out = (uint64_t)v;
		return 0;
	}
	*why = "unknown size unit (use B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)";
	return -1;
}

int
units_parse_ratio(const char *s, double *out, const char **why)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end != '\0' || errno != 0 || isnan(v)) {
		*why = "not a number (a ratio between 0 and 1, like 0.95)";
		return -1;
	}
	if (v < 0 || v > 1) {
		*why = "outside the allowed range 0 to 1";
		return -1;
	}
	*out = v;
	return 0;
}

int
units_is_disabled(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 0 || (n == 8 && strncasecmp(s, "disabled", 8) == 0) ||
	       (n == 3 && strncasecmp(s, "off", 3) == 0) ||
	       (n == 5 && strncasecmp(s, "false", 5) == 0);
}
