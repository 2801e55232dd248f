/* jsonx: jansson helpers; see jsonx.h. */
#include "util/jsonx.h"

#include "util/xalloc.h"

char *
jsonx_strdup(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? xstrdup(s) : NULL;
}
