/* squashlayer: the tar of the one layer a squash plan describes
 * (analysis/squash.h), made from the entries of the image's blobs and
 * handed out in the plan's order, each byte once. Never prints. */
#ifndef FATHOM_SQUASHLAYER_H
#define FATHOM_SQUASHLAYER_H

#include <stdint.h>

#include "analysis/squash.h"
#include "image/image.h"

/* Writes the layer's tar, end blocks included, to write(ctx, buf, len),
 * which returns 0, or -1 with *cause (owned) set by it to stop. Entries
 * that come out of their turn are put aside in an unnamed file in near's
 * directory (NULL: $TMPDIR): *spooled tells how many bytes. Returns 0, or
 * -1 with *cause (owned) naming the layer and entry at fault. */
int squashlayer_write(const struct image *img, const struct squash_plan *plan,
                      const char *near,
                      int (*write)(void *ctx, const void *buf, size_t len, char **cause),
                      void *ctx, uint64_t *spooled, char **cause);

#endif
