/* jsonx: jansson helpers; see jsonx.h. */
#include "util/jsonx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/regfile.h"
#include "util/xalloc.h"

char *
jsonx_strdup(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? xstrdup(s) : NULL;
}

json_t *
jsonx_load_file(const char *path, char **cause)
{
	json_error_t err;
	char *why = NULL;
	int fd = regfile_open(AT_FDCWD, path, 0, NULL, &why);

	*cause = NULL;
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			*cause = xasprintf("%s: %s", path, why);
		free(why);
		return NULL;
	}
	json_t *j = json_loadfd(fd, 0, &err);
	close(fd);
	return j;
}
