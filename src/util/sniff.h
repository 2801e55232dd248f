/* sniff: what compression a blob is in, by its magic bytes (never by its
 * name or media type). Pure. */
#ifndef FATHOM_SNIFF_H
#define FATHOM_SNIFF_H

#include <stddef.h>

#define SNIFF_BYTES 6	/* enough of the head to tell */

/* "gzip", "zstd", "bzip2" or "xz" for bytes starting so; NULL otherwise. */
const char *sniff_compression(const void *head, size_t len);

#endif
