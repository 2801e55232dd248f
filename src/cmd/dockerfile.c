/* dockerfile: what advise --dockerfile and fix share: the Dockerfile read
 * (a regular file, 1 MiB at most) and parsed, the image's history mapped
 * to its lines, the fix planned; the build context's .dockerignore read
 * for the plan. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/regfile.h"
#include "util/xalloc.h"

/* Reads a whole regular file of at most max bytes (NUL-terminated, owned)
 * into *data; 0, 1 when it does not exist (missing_ok), or EXIT_ERROR
 * after saying why. */
static int
cmd_read_small(const char *path, size_t max, int missing_ok, char **data, size_t *len)
{
	char *cause = NULL;
	FILE *f = regfile_fopen(path, &cause);
	size_t cap = 0, n;

	*data = NULL;
	*len = 0;
	if (f == NULL) {
		if (missing_ok && errno == ENOENT) {
			free(cause);
			return 1;
		}
		cmd_error("%s: %s", path, cause);
		free(cause);
		return EXIT_ERROR;
	}
	do {
		if (*len + 65536 > cap)
			*data = xrealloc(*data, cap = *len + 65537);
		n = fread(*data + *len, 1, cap - *len - 1, f);
		*len += n;
	} while (n > 0 && *len <= max);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		cmd_error("%s: cannot read: %s", path, strerror(errno));
		free(*data);
		*data = NULL;
		return EXIT_ERROR;
	}
	if (*data == NULL)
		*data = xstrdup("");
	(*data)[*len] = '\0';
	return 0;
}

int
cmd_dockerfile_open(const char *path, const char *context, const struct cmd_image *ci,
                    struct cmd_dockerfile *d)
{
	char *cause = NULL;
	int rc;

	memset(d, 0, sizeof *d);
	if ((rc = cmd_read_small(path, DOCKERFILE_MAX_BYTES, 0, &d->data, &d->len)) != 0)
		return rc;
	if (dockerfile_parse(path, d->data, d->len, &d->df, &cause) < 0) {
		cmd_error("%s", cause);
		free(cause);
		free(d->data);
		memset(d, 0, sizeof *d);
		return EXIT_ERROR;
	}
	if (d->df.nstages == 0) {
		cmd_error("%s: no FROM: not a Dockerfile", path);
		cmd_dockerfile_close(d);
		return EXIT_ERROR;
	}
	/* the build context's .dockerignore: BuildKit's PATH.dockerignore
	 * beside the Dockerfile first, then the context's own */
	if (context != NULL) {
		char *own = xasprintf("%s.dockerignore", path);
		char *ctx = xasprintf("%s/.dockerignore", context);
		size_t n;
		rc = cmd_read_small(own, 1u << 20, 1, &d->ignore, &n);
		if (rc == 1) {
			rc = cmd_read_small(ctx, 1u << 20, 1, &d->ignore, &n);
			if (rc == 0) {
				d->ignore_path = ctx;
				ctx = NULL;
			}
		} else if (rc == 0) {
			d->ignore_path = own;
			own = NULL;
		}
		free(own);
		free(ctx);
		if (rc == EXIT_ERROR) {
			cmd_dockerfile_close(d);
			return EXIT_ERROR;
		}
	}
	struct fix_context fc = { d->ignore };
	histmap_build(ci->img->history, ci->img->nhistory, ci->img->nlayers, &d->df, &d->map);
	fixplan_make(ci->img, &ci->advice, &d->df, &d->map, &fc, &d->plan);
	d->x = (struct fixreport_df){ &d->df, &d->map, &d->plan };
	if (d->map.stage == HISTMAP_NONE)
		cmd_error("warning: %s: no layer of %s matches a line of %s", ci->img->name,
		          ci->img->name, path);
	else if (d->map.unmapped > 0)
		cmd_error("warning: %s: %zu layer%s above the base image %s no line in %s "
		          "(a squashed or rewritten history?)", ci->img->name, d->map.unmapped,
		          d->map.unmapped == 1 ? "" : "s", d->map.unmapped == 1 ? "has" : "have", path);
	return 0;
}

char *
cmd_dockerfile_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

void
cmd_dockerfile_close(struct cmd_dockerfile *d)
{
	fixplan_free(&d->plan);
	histmap_free(&d->map);
	dockerfile_free(&d->df);
	free(d->data);
	free(d->ignore);
	free(d->ignore_path);
	memset(d, 0, sizeof *d);
}
