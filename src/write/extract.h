/* extract: writes a path of the image, as it stands after a layer, into a
 * directory (the explorer's Ctrl+E, `fathom extract`). Nothing is ever
 * written outside it: every file is created relative to an open directory,
 * without following links; a file or link is written under a temporary
 * name and renamed to its own when complete, never over an existing name
 * unless forced; a symlink whose target would lead out of that directory
 * (absolute, or climbing above it) is not made, nor are devices, nor
 * setuid, setgid or sticky bits. Never prints. */
#ifndef FATHOM_EXTRACT_H
#define FATHOM_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

struct extract_result {
	size_t files, dirs, links;	/* made */
	size_t refused;			/* symlinks pointing out, devices,
					 * names over NAME_MAX bytes */
	char *first_refused;		/* owned: the first one, as a path */
	int existed;			/* failed on a name already there */
};

/* Replace existing files and links, and write into existing directories
 * (an existing symlink is replaced, never followed). */
#define EXTRACT_FORCE 1u

/* Extracts node (and what is below it) as it is after layer into the
 * directory dirfd, under its own name (the root: what it holds, into dirfd
 * itself). Hard links whose file is extracted too are made as links.
 * Returns 0, or -1 with *cause (owned; what was made stays, no temporary
 * name does). */
int extract_node(const struct image *img, uint32_t node, size_t layer, int dirfd,
                 unsigned flags, struct extract_result *res, char **cause);
void extract_result_fini(struct extract_result *res);

#endif
