/* progress: loading progress on stderr, one line per layer (bytes done of
 * total, rate), for every source. On a terminal the lines are redrawn in
 * place, ten times a second at most, and only once loading has taken more
 * than a moment; elsewhere (--progress in a log) a line is printed when a
 * layer starts and when it ends. Sources call in from several threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/human.h"
#include "util/xalloc.h"

#define PROGRESS_DELAY 0.3	/* seconds before a terminal shows anything */
#define PROGRESS_EVERY 0.1
#define PROGRESS_LINES 16	/* the most recent ones, on a terminal */

struct progress_line {
	char what[64];
	char state[32];
	uint64_t done, total;
	double first;
	int ended;
};

static struct {
	pthread_mutex_t mu;
	int on, tty;
	double start, last;
	struct progress_line *lines;
	size_t n, cap;
	int drawn;		/* lines on screen now */
} progress = { .mu = PTHREAD_MUTEX_INITIALIZER };

static double
progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress_format(const struct progress_line *l, double now, char *buf, size_t len)
{
	char done[16], total[16], rate[16];
	double secs = now - l->first;

	human_size(l->done, done, sizeof done);
	human_size(l->total, total, sizeof total);
	human_size(secs > 0.05 ? (uint64_t)((double)l->done / secs) : 0, rate, sizeof rate);
	if (l->total > 0)
		snprintf(buf, len, "%-14s %-18s %8s / %-8s %8s/s", l->what, l->state, done, total,
		         rate);
	else
		snprintf(buf, len, "%-14s %-18s %8s %19s/s", l->what, l->state, done, rate);
}

static void
progress_draw(double now)
{
	char line[160];
	size_t from = progress.n > PROGRESS_LINES ? progress.n - PROGRESS_LINES : 0;

	if (progress.drawn > 0)
		fprintf(stderr, "\033[%dA", progress.drawn);
	for (size_t i = from; i < progress.n; i++) {
		progress_format(&progress.lines[i], now, line, sizeof line);
		fprintf(stderr, "\r\033[K%s\n", line);
	}
	progress.drawn = (int)(progress.n - from);
	fflush(stderr);
}

static void
progress_tell(void *ctx, const char *what, const char *state, uint64_t done, uint64_t total)
{
	double now = progress_now();
	size_t i;
	(void)ctx;

	pthread_mutex_lock(&progress.mu);
	for (i = 0; i < progress.n; i++)
		if (strcmp(progress.lines[i].what, what) == 0)
			break;
	int fresh = i == progress.n;
	if (fresh) {
		ARRAY_RESERVE(progress.lines, progress.n, progress.cap);
		memset(&progress.lines[i], 0, sizeof progress.lines[i]);
		snprintf(progress.lines[i].what, sizeof progress.lines[i].what, "%s", what);
		progress.lines[i].first = now;
		progress.n++;
	}
	struct progress_line *l = &progress.lines[i];
	int changed = strcmp(l->state, state) != 0;
	snprintf(l->state, sizeof l->state, "%s", state);
	l->done = done;
	l->total = total;
	int ended = total > 0 && done >= total;
	if (progress.tty) {
		if (now - progress.start >= PROGRESS_DELAY &&
		    (now - progress.last >= PROGRESS_EVERY || (ended && !l->ended))) {
			progress_draw(now);
			progress.last = now;
		}
	} else if (fresh || changed || (ended && !l->ended)) {
		char line[160];
		progress_format(l, now, line, sizeof line);
		fprintf(stderr, "%s\n", line);
	}
	l->ended = ended;
	pthread_mutex_unlock(&progress.mu);
}

void
cmd_progress_start(struct source_opts *opts, int wanted, int quiet)
{
	progress.tty = isatty(STDERR_FILENO);
	progress.on = wanted || (progress.tty && !quiet);
	if (!progress.on)
		return;
	progress.start = progress_now();
	opts->progress = progress_tell;
	opts->progress_ctx = NULL;
}

void
cmd_progress_end(void)
{
	pthread_mutex_lock(&progress.mu);
	if (progress.on && progress.tty && progress.drawn > 0) {
		/* the lines go: what follows takes their place */
		fprintf(stderr, "\033[%dA\033[J", progress.drawn);
		fflush(stderr);
	}
	progress.drawn = 0;
	free(progress.lines);
	progress.lines = NULL;
	progress.n = progress.cap = 0;
	pthread_mutex_unlock(&progress.mu);
}
