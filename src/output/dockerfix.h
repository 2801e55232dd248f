/* dockerfix: the fixed Dockerfile and .dockerignore that `fathom fix`
 * writes from a plan (analysis/fixplan.h): the input's bytes with the
 * plan's edits made, each edit commented above its instruction; nothing
 * else of the file changes. */
#ifndef FATHOM_DOCKERFIX_H
#define FATHOM_DOCKERFIX_H

#include <stdio.h>

#include "analysis/dockerfile.h"
#include "analysis/fixplan.h"

/* Writes df with p's edits to out. Returns 0, or -1 (a write failed). */
int dockerfix_write(FILE *out, const struct dockerfile *df, const struct fix_plan *p);

/* Writes .dockerignore: existing (NULL: none) as it is, then the plan's
 * lines it does not hold yet under a comment. Returns 0 or -1. */
int dockerfix_ignore_write(FILE *out, const char *existing, const struct fix_plan *p);

/* How many .dockerignore lines the plan adds (distinct). */
size_t dockerfix_ignore_count(const struct fix_plan *p);

#endif
