/* trace: the explorer's latency trace (FATHOM_TUI_TRACE names a file): a
 * line per screen drawn, "first-screen US" then "key CODE US", and after
 * each screen the terminal's title "fathom N" (N keys drawn), which the
 * tests and the benchmark wait for. Writes nothing when the variable is
 * unset or empty. */
#ifndef FATHOM_TRACE_H
#define FATHOM_TRACE_H

#include <stdio.h>

struct trace {
	FILE *file;		/* owned, or NULL: no trace */
	unsigned long drawn;	/* screens drawn after keys */
	long since;		/* microseconds: the start, then the last key read */
};

/* Starts the clock of the first screen; opens the file. */
void trace_open(struct trace *t);
/* A key was read: its clock starts. */
void trace_key(struct trace *t);
/* The screen is on the terminal: after the key (its code), or the first
 * screen (key < 0). */
void trace_drawn(struct trace *t, int key);
void trace_close(struct trace *t);

#endif
