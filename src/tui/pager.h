/* pager: Enter on a file: its bytes as they are at a layer, shown in
 * $PAGER (less by default) on the explorer's terminal, which the explorer
 * takes back after. Anything a pager cannot show is not run but said. */
#ifndef FATHOM_PAGER_H
#define FATHOM_PAGER_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

/* Shows node as it is after layer in the pager (curses is left while it
 * runs). Returns NULL once the pager has run, else why nothing was shown
 * (a removed path, a directory, a link, a device, a read error), owned,
 * for the status line. */
char *pager_open(const struct image *img, uint32_t node, size_t layer);

#endif
