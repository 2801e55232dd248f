/* gzip: bytes compressed into one gzip member by ISA-L's igzip (level 1:
 * about ten times zlib's default speed, a tenth larger), handed to a
 * callback as they come. The header holds no time or name, so the same
 * bytes always give the same member. Never prints. */
#ifndef FATHOM_GZIP_H
#define FATHOM_GZIP_H

#include <stddef.h>

struct gzip;

/* A member whose compressed bytes go to write(ctx, buf, len), which
 * returns 0, or -1 to stop (the call that gave the bytes then fails). */
struct gzip *gzip_new(int (*write)(void *ctx, const void *buf, size_t len), void *ctx);
/* Compresses len bytes; 0, or -1 when write failed. */
int gzip_write(struct gzip *g, const void *buf, size_t len);
/* Ends the member (its last bytes and trailer through write); 0 or -1. */
int gzip_end(struct gzip *g);
void gzip_free(struct gzip *g);	/* NULL: nothing */

#endif
