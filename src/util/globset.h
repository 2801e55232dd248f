/* globset: an ordered list of shell globs (fnmatch(3) without flags: `*`
 * and `?` match any byte, `/` too; `[...]` a set) compiled into one PCRE2
 * program with its JIT, so that a path is matched against all of them in
 * one pass, the first that matches winning. Never prints. */
#ifndef FATHOM_GLOBSET_H
#define FATHOM_GLOBSET_H

#include <stddef.h>

struct globset;

/* The globs, n of them, in the order of precedence; NULL: one is not a
 * glob this understands (a fault of the caller's table). */
struct globset *globset_new(const char *const *globs, size_t n);
void globset_free(struct globset *g);
/* The index of the first glob that matches the whole of s (len bytes), or
 * -1. One thread at a time. */
int globset_match(struct globset *g, const char *s, size_t len);

#endif
