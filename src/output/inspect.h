/* inspect: an image's config in readable form (`fathom inspect`): platform,
 * user, working directory, entrypoint, command, environment, ports,
 * volumes, labels, ONBUILD triggers; text or JSON. Reads the model. */
#ifndef FATHOM_INSPECT_H
#define FATHOM_INSPECT_H

#include <stdio.h>

#include "analysis/advice.h"
#include "image/image.h"
#include "output/output.h"

/* a: the advice (for the ONBUILD triggers' risk), or NULL. */
/* Writes the config as text, or as one JSON document with OUTPUT_JSON. */
void inspect_print(FILE *out, const struct image *img, const struct advice *a,
                   enum output_format format);

#endif
