/* filter: which paths of an image match a pattern the user types: a
 * literal, found with one memmem pass over every path kept as text (and
 * among the last matches while the user types on), or a POSIX extended
 * regex, matched with PCRE2's JIT on every core. Plain C, no curses; the
 * view model (treeview.c) decides which matches show. */
#ifndef FATHOM_FILTER_H
#define FATHOM_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

struct filter;

/* Nothing matched yet, no text built. */
struct filter *filter_new(const struct image *img);
void filter_free(struct filter *f);
/* Builds every path as text, which the first pattern would otherwise
 * build; for a moment when nothing else happens. */
void filter_prepare(struct filter *f);
/* Matches pattern (a regex when it holds one of . [ ] ( ) * + ? { } | ^ $
 * or \, else a literal); NULL or "" turns the filter off. Returns 0, or
 * -1 with *cause (owned) for a bad regex, keeping what it had. */
int filter_set(struct filter *f, const char *pattern, char **cause);
/* The pattern applied, or NULL when the filter is off. */
const char *filter_pattern(const struct filter *f);
/* The nodes whose full path matches, by id; *count of them. */
const uint32_t *filter_matches(const struct filter *f, size_t *count);

#endif
