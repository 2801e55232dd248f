/* ere: POSIX extended regular expressions, matched fast. PCRE2 converts the
 * pattern (its POSIX extended conversion) and compiles it, with its JIT
 * when the machine has one; bytes are matched as bytes, as glibc's regexec
 * does in the C locale. A match is a yes or no: POSIX's longest-match rule
 * only changes where a match ends, which nothing here asks. Never prints. */
#ifndef FATHOM_ERE_H
#define FATHOM_ERE_H

#include <stddef.h>

struct ere;

/* NULL with *cause (owned) for a bad pattern. */
struct ere *ere_compile(const char *pattern, char **cause);
/* Threads may match at once, each with its own slot (0 .. ERE_SLOTS-1). */
#define ERE_SLOTS 4

/* Whether s (len bytes) holds a match. */
int ere_match(struct ere *re, int slot, const char *s, size_t len);
void ere_free(struct ere *re);

#endif
