/* units: parsing sizes and ratios as dive's configuration accepts them.
 * Pure; never prints. */
#ifndef FATHOM_UNITS_H
#define FATHOM_UNITS_H

#include <stdint.h>

/* A byte size: a number (with '.' and ',' allowed) and an optional unit,
 * SI or IEC, any case, blanks between: "20MB", "20Mb", "1.5GiB", "1000",
 * "64 k". Returns 0, or -1 with *why (static text). */
int units_parse_size(const char *s, uint64_t *out, const char **why);
/* A ratio between 0 and 1 ("0.95"). Returns 0, or -1 with *why. */
int units_parse_ratio(const char *s, double *out, const char **why);
/* Whether a rule value means "disabled": "disabled", "off", "false" or
 * empty, any case, blanks around. */
int units_is_disabled(const char *s);

#endif
