/* relay: bytes handed to a thread of their own, in blocks, so that slow
 * work on them (a digest, compression) runs beside the caller's: write
 * copies into a ring of blocks; the thread gives each full block, in
 * order, to consume. Never prints. */
#ifndef FATHOM_RELAY_H
#define FATHOM_RELAY_H

#include <stddef.h>

struct relay;

/* Starts the thread; consume(ctx, buf, len) gets every byte written, in
 * order, on it. */
struct relay *relay_new(void (*consume)(void *ctx, const void *buf, size_t len), void *ctx);
void relay_write(struct relay *r, const void *buf, size_t len);
/* Hands what is left, waits until consume has had it all, ends the
 * thread and frees r. NULL: nothing. */
void relay_end(struct relay *r);

#endif
