/* extract: writes a path of the image, as it stands after a layer, into a
 * directory (the explorer's Ctrl+E). Nothing is ever written outside it:
 * every file is created relative to an open directory, without following
 * links, never over an existing name; a symlink whose target would lead
 * out of that directory (absolute, or climbing above it) is not made, nor
 * are devices. Never prints. */
#ifndef FATHOM_EXTRACT_H
#define FATHOM_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

struct extract_result {
	size_t files, dirs, links;	/* made */
	size_t refused;			/* symlinks pointing out, devices */
	char *first_refused;		/* owned: the first one, as a path */
};

/* Extracts node (and what is below it) as it is after layer into the
 * directory dirfd, under its own name. Returns 0, or -1 with *cause (owned;
 * what was made stays). */
int extract_node(const struct image *img, uint32_t node, size_t layer, int dirfd,
                 struct extract_result *res, char **cause);
void extract_result_fini(struct extract_result *res);

#endif
