/* blobread: parallel scanning, ordered committing; see blobread.h.
 *
 * Worker threads take blobs in order and push each blob's chunks into that
 * blob's queue: a worker never waits for the commits of the blobs before
 * its own (a download would stall behind them), only when all the queues
 * together hold BLOBREAD_QUEUED chunks (a bound on memory). The
 * calling thread commits blob 0's chunks, then blob 1's, ... The lowest blob
 * not yet committed always has a worker that can go on (its queue is being
 * emptied), so nothing waits forever; memory stays within jobs x queue x
 * chunk. An error in a blob stops the others; the first blob in order that
 * failed is the one reported, whatever the timing. */
#include "source/blobread.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

/* Chunks queued over all blobs before workers wait: 256 x 4096 entries,
 * about 100 MB of scanned entries at the most. */
#define BLOBREAD_QUEUED 256

struct blobread_blob {
	struct scan_chunk **q;	/* owned: scanned chunks, from head on */
	size_t head, count, cap;
	int done, rc;
	char *cause;				/* owned, when rc < 0 */
	struct blob totals;
};

struct blobread {
	struct image *img;
	size_t queued;		/* chunks in all queues */
	size_t committing;	/* the blob the caller commits */
	const struct blobread_ops *ops;
	void *ctx;
	int totals;		/* BLOBREAD_TOTALS: chunks dropped, not committed */
	size_t n, next;
	int stop;
	struct blobread_blob *blobs;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

struct blobread_emit {
	struct blobread *br;
	size_t b;
	int scanned;		/* from the blob's bytes: shown to ops->seen */
};

static int
blobread_push(void *ctx, struct scan_chunk *c)
{
	struct blobread_emit *e = ctx;
	struct blobread *br = e->br;
	struct blobread_blob *bb = &br->blobs[e->b];

	if (e->scanned && br->ops->seen != NULL)
		br->ops->seen(br->ctx, e->b, c);
	pthread_mutex_lock(&br->mu);
	/* the blob being committed always goes on: it is what empties them */
	while (br->queued >= BLOBREAD_QUEUED && e->b != br->committing && !br->stop)
		pthread_cond_wait(&br->cv, &br->mu);
	if (br->stop) {
		pthread_mutex_unlock(&br->mu);
		scan_chunk_free(c);
		return -1;
	}
	if (bb->head > 0 && bb->head + bb->count == bb->cap) {
		memmove(bb->q, bb->q + bb->head, bb->count * sizeof *bb->q);
		bb->head = 0;
	}
	ARRAY_RESERVE(bb->q, bb->head + bb->count, bb->cap);
	bb->q[bb->head + bb->count++] = c;
	br->queued++;
	pthread_cond_broadcast(&br->cv);
	pthread_mutex_unlock(&br->mu);
	return 0;
}

/* Blob b's chunks to emit: known already, or scanned from its bytes
 * (*scanned set first, for the emit to show them to ops->seen). */
static int
blobread_one(const struct blobread_ops *ops, void *ctx, size_t b, layer_emit_fn emit,
             void *ectx, int *scanned, struct blob *totals, char **cause)
{
	int k = ops->known != NULL ? ops->known(ctx, b, emit, ectx, totals, cause) : 0;

	if (k != 0)
		return k > 0 ? 0 : -1;
	*scanned = 1;
	struct scan_opts o = { 0 };
	struct stream *s = ops->open(ctx, b, &o);
	int rc = layer_scan(s, &o, emit, ectx, totals, cause);
	stream_free(s);
	if (ops->done != NULL)
		ops->done(ctx, b, rc, totals);
	return rc;
}

static void *
blobread_worker(void *arg)
{
	struct blobread *br = arg;

	for (;;) {
		pthread_mutex_lock(&br->mu);
		size_t b = br->next++;
		int stop = br->stop;
		pthread_mutex_unlock(&br->mu);
		if (b >= br->n || stop)
			return NULL;

		struct blobread_emit e = { br, b, 0 };
		struct blobread_blob *bb = &br->blobs[b];
		struct blob totals;
		char *cause = NULL;
		int rc = blobread_one(br->ops, br->ctx, b, blobread_push, &e, &e.scanned, &totals,
		                      &cause);

		pthread_mutex_lock(&br->mu);
		bb->done = 1;
		bb->rc = rc;
		bb->cause = cause;
		bb->totals = totals;
		pthread_cond_broadcast(&br->cv);
		pthread_mutex_unlock(&br->mu);
	}
}

/* Commits blob b as its chunks arrive; returns its scan's result. */
static int
blobread_commit(struct blobread *br, size_t b)
{
	struct blobread_blob *bb = &br->blobs[b];
	struct blob *out = &br->img->blobs[b];
	struct layer_commit lc = { 0 };
	size_t first = br->img->nentries;

	pthread_mutex_lock(&br->mu);
	br->committing = b;	/* its worker may queue past the bound */
	pthread_cond_broadcast(&br->cv);
	pthread_mutex_unlock(&br->mu);
	for (;;) {
		pthread_mutex_lock(&br->mu);
		while (bb->count == 0 && !bb->done)
			pthread_cond_wait(&br->cv, &br->mu);
		if (bb->count == 0) {
			pthread_mutex_unlock(&br->mu);
			break;
		}
		struct scan_chunk *c = bb->q[bb->head++];
		bb->count--;
		br->queued--;
		pthread_cond_broadcast(&br->cv);
		pthread_mutex_unlock(&br->mu);
		if (!br->totals)
			layer_commit(br->img, &lc, c);
		scan_chunk_free(c);
	}
	layer_commit_end(&lc);
	*out = bb->totals;
	out->first = first;
	out->count = br->img->nentries - first;
	return bb->rc;
}

static int
blobread_jobs(int jobs, size_t n)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (jobs <= 0)
		jobs = cores > 0 ? (int)cores : 1;
	if ((size_t)jobs > n)
		jobs = (int)n;
	return jobs;
}

struct blobread_inline {
	struct image *img;
	struct layer_commit lc;
	const struct blobread_ops *ops;
	void *ctx;
	size_t b;
	int scanned, totals;
};

static int
blobread_inline_emit(void *ctx, struct scan_chunk *c)
{
	struct blobread_inline *in = ctx;

	if (in->scanned && in->ops->seen != NULL)
		in->ops->seen(in->ctx, in->b, c);
	if (!in->totals)
		layer_commit(in->img, &in->lc, c);
	scan_chunk_free(c);
	return 0;
}

/* One thread: scan and commit each blob in turn. */
static int
blobread_inline(struct image *img, size_t n, const struct blobread_ops *ops, void *ctx,
                int totals, size_t *failed, char **cause)
{
	for (size_t b = 0; b < n; b++) {
		struct blobread_inline in = { .img = img, .ops = ops, .ctx = ctx, .b = b,
		                              .totals = totals };
		size_t first = img->nentries;
		int rc = blobread_one(ops, ctx, b, blobread_inline_emit, &in, &in.scanned,
		                      &img->blobs[b], cause);
		layer_commit_end(&in.lc);
		img->blobs[b].first = first;
		img->blobs[b].count = img->nentries - first;
		if (rc < 0) {
			*failed = b;
			return -1;
		}
	}
	return 0;
}

int
blobread_all(struct image *img, size_t n, int jobs, const struct blobread_ops *ops,
             void *ctx, unsigned flags, size_t *failed, char **cause)
{
	struct blobread br = { .img = img, .ops = ops, .ctx = ctx, .n = n,
	                       .totals = (flags & BLOBREAD_TOTALS) != 0 };
	pthread_t *threads;
	int nthreads = blobread_jobs(jobs, n), started = 0, rc = 0;

	if (nthreads <= 1)
		return blobread_inline(img, n, ops, ctx, br.totals, failed, cause);

	br.blobs = xcalloc(n, sizeof *br.blobs);
	pthread_mutex_init(&br.mu, NULL);
	pthread_cond_init(&br.cv, NULL);
	threads = xcalloc((size_t)nthreads, sizeof *threads);
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&threads[started], NULL, blobread_worker, &br) == 0)
			started++;
	if (started == 0) {
		free(threads);
		free(br.blobs);
		pthread_mutex_destroy(&br.mu);
		pthread_cond_destroy(&br.cv);
		return blobread_inline(img, n, ops, ctx, br.totals, failed, cause);
	}

	for (size_t b = 0; b < n && rc == 0; b++) {
		if (blobread_commit(&br, b) < 0) {
			*failed = b;
			*cause = br.blobs[b].cause;
			br.blobs[b].cause = NULL;
			rc = -1;
		}
	}
	pthread_mutex_lock(&br.mu);
	br.stop = 1;
	pthread_cond_broadcast(&br.cv);
	pthread_mutex_unlock(&br.mu);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);

	for (size_t b = 0; b < n; b++) {
		struct blobread_blob *bb = &br.blobs[b];
		for (size_t k = 0; k < bb->count; k++)
			scan_chunk_free(bb->q[bb->head + k]);
		free(bb->q);
		free(bb->cause);
	}
	free(threads);
	free(br.blobs);
	pthread_mutex_destroy(&br.mu);
	pthread_cond_destroy(&br.cv);
	return rc;
}
