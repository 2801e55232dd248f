/* jsonx: small helpers over jansson that several readers of JSON share. */
#ifndef FATHOM_JSONX_H
#define FATHOM_JSONX_H

#include <jansson.h>

/* A copy (owned by the caller) of the string obj[key], or NULL when obj is
 * not an object or key is missing or not a string. */
char *jsonx_strdup(const json_t *obj, const char *key);

/* A JSON file a user keeps (~/.docker/config.json, a context's meta.json),
 * opened without waiting on a FIFO. NULL with *cause NULL when it is
 * missing or not JSON (read as no settings); NULL with *cause (owned) when
 * it cannot be read: not a regular file, no permission. */
json_t *jsonx_load_file(const char *path, char **cause);

#endif
