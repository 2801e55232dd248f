/* jsonx: small helpers over jansson that several readers of JSON share. */
#ifndef FATHOM_JSONX_H
#define FATHOM_JSONX_H

#include <jansson.h>

/* A copy (owned by the caller) of the string obj[key], or NULL when obj is
 * not an object or key is missing or not a string. */
char *jsonx_strdup(const json_t *obj, const char *key);

#endif
