/* relay: a thread fed in blocks; see relay.h. */
#include "util/relay.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define RELAY_BLOCK (1u << 20)
#define RELAY_BLOCKS 4		/* the caller fills one, the thread has the
				 * others: jitter on either side absorbed */

struct relay {
	void (*consume)(void *ctx, const void *buf, size_t len);
	void *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *block[RELAY_BLOCKS];	/* owned: RELAY_BLOCK bytes each */
	size_t len[RELAY_BLOCKS];	/* bytes in each block handed */
	size_t fill;			/* bytes in the block being filled */
	unsigned head, tail;		/* blocks handed, blocks consumed */
	int stop;
};

static void *
relay_thread(void *arg)
{
	struct relay *r = arg;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->tail == r->head && !r->stop)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->tail == r->head)
			break;
		unsigned i = r->tail % RELAY_BLOCKS;
		pthread_mutex_unlock(&r->mu);
		r->consume(r->ctx, r->block[i], r->len[i]);
		pthread_mutex_lock(&r->mu);
		r->tail++;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

struct relay *
relay_new(void (*consume)(void *ctx, const void *buf, size_t len), void *ctx)
{
	struct relay *r = xcalloc(1, sizeof *r);

	r->consume = consume;
	r->ctx = ctx;
	for (int i = 0; i < RELAY_BLOCKS; i++)
		r->block[i] = xmalloc(RELAY_BLOCK);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if (pthread_create(&r->thread, NULL, relay_thread, r) != 0)
		xalloc_die();
	return r;
}

/* Hands the block being filled to the thread; waits for a free one. */
static void
relay_hand(struct relay *r)
{
	pthread_mutex_lock(&r->mu);
	r->len[r->head % RELAY_BLOCKS] = r->fill;
	r->head++;
	pthread_cond_broadcast(&r->cv);
	while (r->head - r->tail == RELAY_BLOCKS)
		pthread_cond_wait(&r->cv, &r->mu);
	pthread_mutex_unlock(&r->mu);
	r->fill = 0;
}

void
relay_write(struct relay *r, const void *buf, size_t len)
{
	while (len > 0) {
		unsigned char *b = r->block[r->head % RELAY_BLOCKS];
		size_t n = RELAY_BLOCK - r->fill < len ? RELAY_BLOCK - r->fill : len;
		memcpy(b + r->fill, buf, n);
		r->fill += n;
		buf = (const unsigned char *)buf + n;
		len -= n;
		if (r->fill == RELAY_BLOCK)
			relay_hand(r);
	}
}

void
relay_end(struct relay *r)
{
	if (r == NULL)
		return;
	if (r->fill > 0)
		relay_hand(r);
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	for (int i = 0; i < RELAY_BLOCKS; i++)
		free(r->block[i]);
	free(r);
}
