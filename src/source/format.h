/* format: an image's structure (manifests, config, layers) read from a
 * transport's members. One file per format fills struct format_ops and
 * adds a line to source.c's list of kinds. Never prints. */
#ifndef FATHOM_FORMAT_H
#define FATHOM_FORMAT_H

#include "source/source.h"

struct format_ops {
	const char *name;	/* in messages */
	/* Whether the transport's members are this format (manifest.json,
	 * index.json): 0 or 1. */
	int (*probe)(const struct source *src);
	/* Reads the manifests and config into src->img and adds its layers
	 * (source_blob, source_add_layer). Returns 0, or -1 with *cause. */
	int (*open)(struct source *src, char **cause);
};

/* Every format, one line each, in the order detection tries them. */
#define FORMAT_LIST(X)      \
	X(docker_archive)   \
	X(oci)

#define FORMAT_DECLARE(name) extern const struct format_ops format_##name;
FORMAT_LIST(FORMAT_DECLARE)
#undef FORMAT_DECLARE

#endif
