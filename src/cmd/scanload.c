/* scanload: `fathom scan`'s images loaded --jobs at a time, each summed up
 * in its row and freed at once (memory holds the rows and the images in
 * flight, never the scan). Images from a registry are listed first
 * (manifest and config only) to learn their layers; an image then starts
 * only when no image in flight is reading one of its layers not read yet,
 * so each distinct layer is downloaded once and the others take it from
 * the layer cache. Progress on stderr: images done of all, bytes read,
 * bytes the cache spared; a line redrawn on a terminal, a line per image
 * in a log (--progress). */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/scan.h"
#include "util/human.h"
#include "source/layercache.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#define SCANLOAD_DELAY 0.3	/* seconds before a terminal shows anything */
#define SCANLOAD_EVERY 0.1

enum { SCANLOAD_WAITING, SCANLOAD_RUNNING, SCANLOAD_DONE };
enum { SCANLOAD_FREE, SCANLOAD_CLAIMED, SCANLOAD_READ };	/* a layer's state */

/* A blob of an image in flight, as its progress was last told. */
struct scanload_blob {
	char what[32];
	uint64_t done;
};

struct scanload;

/* One image of the scan. */
struct scanload_image {
	struct scanload *L;
	size_t index;
	uint32_t *keys;			/* owned: its layers' numbers, when listed */
	uint8_t *claimed;		/* owned: which of them it reads first */
	size_t nkeys;
	int state;
	struct scanload_blob *blobs;	/* owned; under L->mu */
	size_t nblobs, cblobs;
	uint64_t read, cached;
};

struct scanload {
	const struct cmd_ctx *cc;
	const struct rules *rules;	/* NULL: no CI */
	char *const *names;
	size_t n;
	struct scan *s;
	struct scanload_image *images;	/* owned: n */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;			/* the next image to list */
	size_t first;			/* no image before it waits */
	struct layercache *cache;	/* the loads' (source_opts.layercache) */
	struct strindex *keys;		/* the layers listed */
	uint8_t *layer;			/* owned: per key, SCANLOAD_FREE... */
	size_t nlayers, clayers;
	/* progress */
	int on, tty, drawn;
	size_t done, running, errors;
	uint64_t read, cached;
	double start, last;
};

static double
scanload_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ progress */

/* The status line, on a terminal (L->mu held). */
static void
scanload_draw(struct scanload *L, double now)
{
	char read[16], cached[16];

	human_size(L->read, read, sizeof read);
	human_size(L->cached, cached, sizeof cached);
	fprintf(stderr, "\r\033[Kscan: %zu/%zu images, %zu loading; %s read, %s from the cache",
	        L->done, L->n, L->running, read, cached);
	fflush(stderr);
	L->drawn = 1;
	L->last = now;
}

static void
scanload_redraw(struct scanload *L, int force)
{
	double now = scanload_now();

	if (L->on && L->tty && now - L->start >= SCANLOAD_DELAY &&
	    (force || now - L->last >= SCANLOAD_EVERY))
		scanload_draw(L, now);
}

/* The status line taken away, for a message or the end (L->mu held). */
static void
scanload_clear(struct scanload *L)
{
	if (L->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		L->drawn = 0;
	}
}

/* "fathom: ..." on stderr, under the status line (L->mu held). */
static void
scanload_say(struct scanload *L, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
scanload_say(struct scanload *L, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	scanload_clear(L);
	cmd_error("%s", msg);
	free(msg);
	scanload_redraw(L, 1);
}

/* source_opts.progress: a blob's bytes so far (any reading thread). */
static void
scanload_tell(void *ctx, const char *what, const char *state, uint64_t done, uint64_t total)
{
	struct scanload_image *im = ctx;
	struct scanload *L = im->L;
	size_t i;

	(void)total;
	pthread_mutex_lock(&L->mu);
	for (i = 0; i < im->nblobs && strcmp(im->blobs[i].what, what) != 0; i++)
		;
	if (i == im->nblobs) {
		ARRAY_RESERVE(im->blobs, im->nblobs, im->cblobs);
		memset(&im->blobs[i], 0, sizeof im->blobs[i]);
		snprintf(im->blobs[i].what, sizeof im->blobs[i].what, "%s", what);
		im->nblobs++;
	}
	uint64_t delta = done > im->blobs[i].done ? done - im->blobs[i].done : 0;
	im->blobs[i].done += delta;
	if (strcmp(state, "cached") == 0) {
		im->cached += delta;
		L->cached += delta;
	} else {
		im->read += delta;
		L->read += delta;
	}
	scanload_redraw(L, 0);
	pthread_mutex_unlock(&L->mu);
}

/* An image is done (L->mu held). */
static void
scanload_ended(struct scanload *L, struct scanload_image *im)
{
	L->done++;
	if (!L->on)
		return;
	if (L->tty) {
		scanload_redraw(L, 1);
		return;
	}
	char read[16], cached[16];
	human_size(im->read, read, sizeof read);
	human_size(im->cached, cached, sizeof cached);
	if (L->s->images[im->index].error != NULL)
		fprintf(stderr, "scan: %zu/%zu %s: could not be read\n", L->done, L->n,
		        L->names[im->index]);
	else
		fprintf(stderr, "scan: %zu/%zu %s: %s read, %s from the cache\n", L->done, L->n,
		        L->names[im->index], read, cached);
}

/* ------------------------------------------------------------ listing */

/* Whether spec is an image of a registry: the ones worth listing first. */
static int
scanload_listed(const struct scanload *L, const char *spec)
{
	const char *kind = L->cc->source.kind;

	return strncmp(spec, "registry://", 11) == 0 || (kind != NULL && strcmp(kind, "registry") == 0);
}

/* A failed image: its row's error, said now (L->mu held). */
static void
scanload_failed(struct scanload *L, struct scanload_image *im, char *cause)
{
	L->s->images[im->index].error = cause;
	L->errors++;
	scanload_say(L, "%s", cause);
}

/* Lists image im's layers: its manifest and config alone. */
static void
scanload_list(struct scanload *L, struct scanload_image *im)
{
	struct source_opts opts = L->cc->source;
	struct image *img;
	char *cause = NULL;

	opts.metadata = 1;
	opts.progress = NULL;
	if (source_load(L->names[im->index], &opts, &img, &cause) < 0) {
		pthread_mutex_lock(&L->mu);
		scanload_failed(L, im, cause);
		im->state = SCANLOAD_DONE;
		scanload_ended(L, im);
		pthread_mutex_unlock(&L->mu);
		return;
	}
	im->keys = xcalloc(img->nlayers ? img->nlayers : 1, sizeof *im->keys);
	im->claimed = xcalloc(img->nlayers ? img->nlayers : 1, 1);
	pthread_mutex_lock(&L->mu);
	for (size_t k = 0; k < img->nlayers; k++) {
		char *key = scan_layer_key(&img->layers[k]);
		if (key == NULL)
			continue;
		uint32_t id = strindex_add(L->keys, key, strlen(key));
		free(key);
		if (id == L->nlayers) {
			ARRAY_RESERVE(L->layer, L->nlayers, L->clayers);
			L->layer[L->nlayers++] = SCANLOAD_FREE;
		}
		im->keys[im->nkeys++] = id;
	}
	pthread_mutex_unlock(&L->mu);
	image_free(img);
}

static void *
scanload_lister(void *arg)
{
	struct scanload *L = arg;

	for (;;) {
		pthread_mutex_lock(&L->mu);
		size_t i = L->next++;
		pthread_mutex_unlock(&L->mu);
		if (i >= L->n)
			return NULL;
		if (scanload_listed(L, L->names[i]))
			scanload_list(L, &L->images[i]);
	}
}

/* ------------------------------------------------------------ loading */

/* Whether im may start: no layer of its is being read by another. */
static int
scanload_free(const struct scanload *L, const struct scanload_image *im)
{
	for (size_t k = 0; k < im->nkeys; k++)
		if (L->layer[im->keys[k]] == SCANLOAD_CLAIMED)
			return 0;
	return 1;
}

/* The first image that may start, claimed; NULL when none is left (waits
 * while the ones left wait for layers). */
static struct scanload_image *
scanload_take(struct scanload *L)
{
	pthread_mutex_lock(&L->mu);
	for (;;) {
		while (L->first < L->n && L->images[L->first].state != SCANLOAD_WAITING)
			L->first++;
		if (L->first == L->n) {
			pthread_mutex_unlock(&L->mu);
			return NULL;
		}
		for (size_t i = L->first; i < L->n; i++) {
			struct scanload_image *im = &L->images[i];
			if (im->state != SCANLOAD_WAITING || !scanload_free(L, im))
				continue;
			for (size_t k = 0; k < im->nkeys; k++) {
				im->claimed[k] = L->layer[im->keys[k]] == SCANLOAD_FREE;
				if (im->claimed[k])
					L->layer[im->keys[k]] = SCANLOAD_CLAIMED;
			}
			im->state = SCANLOAD_RUNNING;
			L->running++;
			scanload_redraw(L, 0);
			pthread_mutex_unlock(&L->mu);
			return im;
		}
		pthread_cond_wait(&L->cv, &L->mu);
	}
}

/* Loads im and makes its row; frees the image. */
static void
scanload_one(struct scanload *L, struct scanload_image *im)
{
	const struct cmd_ctx *cc = L->cc;
	struct scan_image *row = &L->s->images[im->index];
	struct source_opts opts = cc->source;
	struct image *img;
	char *cause = NULL;

	opts.layercache = L->cache;
	if (L->on) {
		opts.progress = scanload_tell;
		opts.progress_ctx = im;
	}
	if (source_load(L->names[im->index], &opts, &img, &cause) < 0) {
		pthread_mutex_lock(&L->mu);
		scanload_failed(L, im, cause);
		pthread_mutex_unlock(&L->mu);
		return;
	}
	if (img->nwarnings > 0) {
		pthread_mutex_lock(&L->mu);
		for (size_t i = 0; i < img->nwarnings; i++)
			scanload_say(L, "warning: %s: %s", img->name, img->warnings[i]);
		pthread_mutex_unlock(&L->mu);
	}
	struct waste w;
	struct advice a;
	struct rule_result results[RULE_COUNT];
	int pass = 1;
	waste_analyze(img, cc->base_layers, &w);
	advice_analyze(img, &w, &a);
	if (L->rules != NULL)
		pass = rules_evaluate(L->rules, &w, &a, results);
	scan_image_fill(row, img, &w, &a, L->rules != NULL ? results : NULL, pass);
	advice_fini(&a);
	waste_fini(&w);
	image_free(img);
}

static void *
scanload_worker(void *arg)
{
	struct scanload *L = arg;
	struct scanload_image *im;

	while ((im = scanload_take(L)) != NULL) {
		scanload_one(L, im);
		pthread_mutex_lock(&L->mu);
		int ok = L->s->images[im->index].error == NULL;
		/* its layers are read now (in the cache), or free to try again */
		for (size_t k = 0; k < im->nkeys; k++)
			if (im->claimed[k])
				L->layer[im->keys[k]] = ok ? SCANLOAD_READ : SCANLOAD_FREE;
		im->state = SCANLOAD_DONE;
		L->running--;
		scanload_ended(L, im);
		free(im->blobs);
		im->blobs = NULL;
		im->nblobs = im->cblobs = 0;
		pthread_cond_broadcast(&L->cv);
		pthread_mutex_unlock(&L->mu);
	}
	return NULL;
}

/* Runs fn on threads threads (this one among them). */
static void
scanload_run(struct scanload *L, void *(*fn)(void *), size_t threads)
{
	pthread_t *t = xcalloc(threads, sizeof *t);
	size_t started = 0;

	for (size_t i = 1; i < threads; i++)
		if (pthread_create(&t[started], NULL, fn, L) == 0)
			started++;
	fn(L);
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
}

void
cmd_scan_load(const struct cmd_ctx *cc, char *const *names, size_t n, int jobs,
              const struct rules *rules, struct scan *s)
{
	struct scanload L = {
		.cc = cc, .rules = rules, .names = names, .n = n, .s = s,
		.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
	};
	size_t threads = n < (size_t)jobs ? n : (size_t)jobs;

	for (size_t i = 0; i < n; i++)
		scan_add(s, names[i]);
	L.images = xcalloc(n ? n : 1, sizeof *L.images);
	for (size_t i = 0; i < n; i++)
		L.images[i] = (struct scanload_image){ .L = &L, .index = i };
	L.keys = strindex_new();
	/* one cache for every load: one warning when it cannot be written */
	struct layercache *cache = NULL;
	if (cc->source.cache >= 0) {
		char *warning = NULL;
		cache = layercache_open(NULL, cc->source.cache_size, &warning);
		if (warning != NULL) {
			cmd_error("warning: %s", warning);
			free(warning);
		}
	}
	L.cache = cache;
	L.tty = isatty(STDERR_FILENO);
	L.on = cc->progress || (L.tty && rules == NULL);
	L.start = scanload_now();
	/* without a cache, waiting for another image's layers spares nothing */
	if (threads > 1 && cache != NULL)
		scanload_run(&L, scanload_lister, threads);
	if (threads > 0)
		scanload_run(&L, scanload_worker, threads);
	pthread_mutex_lock(&L.mu);
	scanload_clear(&L);
	if (L.on && !L.tty) {
		char read[16], cached[16];
		human_size(L.read, read, sizeof read);
		human_size(L.cached, cached, sizeof cached);
		fprintf(stderr, "scan: %zu image%s (%zu could not be read): %s read, %s from the "
		        "cache\n", n, n == 1 ? "" : "s", L.errors, read, cached);
	}
	pthread_mutex_unlock(&L.mu);
	for (size_t i = 0; i < n; i++) {
		free(L.images[i].keys);
		free(L.images[i].claimed);
	}
	free(L.images);
	free(L.layer);
	strindex_free(L.keys);
	layercache_close(cache);
	pthread_mutex_destroy(&L.mu);
	pthread_cond_destroy(&L.cv);
}
