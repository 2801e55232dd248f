/* trace: the explorer's latency trace and the title tests wait for; see
 * trace.h. */
#include "tui/trace.h"

#include <stdlib.h>
#include <time.h>

static long
trace_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

void
trace_open(struct trace *t)
{
	const char *name = getenv("FATHOM_TUI_TRACE");

	t->since = trace_now();
	t->drawn = 0;
	t->file = name != NULL && *name ? fopen(name, "a") : NULL;
}

void
trace_key(struct trace *t)
{
	t->since = trace_now();
}

/* The title first: a terminal reads it in order with the screen's bytes,
 * so a test that sees it knows the terminal holds the screen
 * (tests/cli/tui.bash); then the line, with the latency. */
void
trace_drawn(struct trace *t, int key)
{
	long us = trace_now() - t->since;

	if (key >= 0)
		t->drawn++;
	if (t->file == NULL)
		return;
	printf("\033]2;fathom %lu\007", t->drawn);
	fflush(stdout);
	if (key >= 0)
		fprintf(t->file, "key %d %ld\n", key, us);
	else
		fprintf(t->file, "first-screen %ld\n", us);
	fflush(t->file);
}

void
trace_close(struct trace *t)
{
	if (t->file != NULL)
		fclose(t->file);
	t->file = NULL;
}
