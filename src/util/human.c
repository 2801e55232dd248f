/* human: sizes, numbers and times for people; see human.h. */
#include "util/human.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

void
human_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1000.0 && u + 1 < sizeof units / sizeof units[0]) {
		v /= 1000.0;
		u++;
	}
	snprintf(buf, len, "%.3g%s", v, units[u]);
}

void
human_dive_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };

	if (bytes < 10) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return;
	}
	double e = floor(log((double)bytes) / log(1000.0));
	double v = floor((double)bytes / pow(1000.0, e) * 10 + 0.5) / 10;
	snprintf(buf, len, v < 10 ? "%.1f %s" : "%.0f %s", v, units[(int)e]);
}

void
human_double(double v, char *buf, size_t len)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

char *
human_utc_time(const char *s)
{
	struct tm tm;
	const char *p;
	long off = 0;

	if (s == NULL)
		return NULL;
	memset(&tm, 0, sizeof tm);
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		return NULL;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' &&
	           strspn(p + 1, "0123456789") == 2 && strspn(p + 4, "0123456789") == 2) {
		int h = (p[1] - '0') * 10 + (p[2] - '0');
		int m = (p[4] - '0') * 10 + (p[5] - '0');
		off = (h * 60L + m) * 60L * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return NULL;
	}
	if (*p != '\0')
		return NULL;
	time_t t = timegm(&tm) - off;
	struct tm utc;
	if (gmtime_r(&t, &utc) == NULL)
		return NULL;
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", utc.tm_year + 1900,
	                 utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}
