/* xalloc: allocation that cannot fail, and owned formatted strings.
 * Out of memory ends the process with status 2; nothing else here exits. */
#ifndef FATHOM_XALLOC_H
#define FATHOM_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* Reports that memory ran out and ends the process (status 2). */
_Noreturn void xalloc_die(void);
char *xstrndup(const char *s, size_t n);
/* A newly allocated formatted string (owned by the caller). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *items (with capacity *cap) so that index n is valid. */
#define ARRAY_RESERVE(items, n, cap)                                          \
	do {                                                                  \
		if ((size_t)(n) >= (size_t)(cap)) {                           \
			size_t array_nc_ = (cap) ? (size_t)(cap) * 2 : 16;   \
			while (array_nc_ <= (size_t)(n))                      \
				array_nc_ *= 2;                               \
			(items) = xreallocarray((items), array_nc_,          \
			                        sizeof *(items));             \
			(cap) = array_nc_;                                    \
		}                                                             \
	} while (0)

#endif
