/* strindex: byte strings numbered 0, 1, 2... in the order they are first
 * added, for arrays indexed by them (intern ids are offsets, sparse).
 * Strings may hold any byte but NUL. */
#ifndef FATHOM_STRINDEX_H
#define FATHOM_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

struct strindex;

struct strindex *strindex_new(void);
void strindex_free(struct strindex *x);
/* The number of s[0..len), numbering it when new (then it is count - 1). */
uint32_t strindex_add(struct strindex *x, const char *s, size_t len);
/* The strings numbered so far. */
size_t strindex_count(const struct strindex *x);

#endif
