/* scan: what `fathom scan` (scan.c: options, the list of images, the
 * output) asks of its loader (scanload.c: images loaded a few at a time,
 * each summed up in its row and freed, with the progress on stderr). */
#ifndef FATHOM_CMD_SCAN_H
#define FATHOM_CMD_SCAN_H

#include <stddef.h>

#include "analysis/rules.h"
#include "analysis/scan.h"
#include "cmd/cmd.h"

/* Loads names[0..n) with cc's source options, jobs at a time, into rows
 * of s (one per name, in order): each row from the image's waste analysis
 * (cc->base_layers), advice and, when rules is not NULL, the rules'
 * results; an image that cannot be read is a row with its error (printed
 * on stderr, as its warnings are). With a layer cache, images from a
 * registry are listed first (manifest and config), so that two of them
 * never download one layer at once: the second waits and takes it from
 * the cache. */
void cmd_scan_load(const struct cmd_ctx *cc, char *const *names, size_t n, int jobs,
                   const struct rules *rules, struct scan *s);

#endif
