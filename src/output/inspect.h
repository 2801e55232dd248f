/* inspect: an image's config in readable form (`fathom inspect`): platform,
 * user, working directory, entrypoint, command, environment, ports,
 * volumes, labels, ONBUILD triggers; text or JSON. Reads the model. */
#ifndef FATHOM_INSPECT_H
#define FATHOM_INSPECT_H

#include <stdio.h>

#include "analysis/advice.h"
#include "image/image.h"

/* a: the advice (for the ONBUILD triggers' risk), or NULL. */
void inspect_print(FILE *out, const struct image *img, const struct advice *a, int json);

#endif
