/* gzip: one gzip member by ISA-L; see gzip.h. */
#include "util/gzip.h"

#include <isa-l/igzip_lib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define GZIP_OUT (256u << 10)	/* compressed bytes handed out at a time */
/* Bytes deflated at a time. igzip's output depends on how its input is cut
 * into calls, so it gets blocks of one size whatever the caller's: the
 * same bytes give the same member. (256 KiB to 4 MiB: the same size
 * within 0.1%.) */
#define GZIP_IN (1024u << 10)

struct gzip {
	struct isal_zstream z;
	uint8_t *level_buf;	/* owned: level 1's tables */
	uint8_t *out;		/* owned: GZIP_OUT bytes */
	uint8_t *in;		/* owned: GZIP_IN bytes, nin of them held */
	size_t nin;
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
};

struct gzip *
gzip_new(int (*write)(void *ctx, const void *buf, size_t len), void *ctx)
{
	struct gzip *g = xcalloc(1, sizeof *g);

	isal_deflate_init(&g->z);
	g->level_buf = xmalloc(ISAL_DEF_LVL1_DEFAULT);
	g->z.level = 1;
	g->z.level_buf = g->level_buf;
	g->z.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
	g->z.gzip_flag = IGZIP_GZIP;	/* the default header: no time, no name */
	g->out = xmalloc(GZIP_OUT);
	g->in = xmalloc(GZIP_IN);
	g->z.next_out = g->out;
	g->z.avail_out = GZIP_OUT;
	g->write = write;
	g->ctx = ctx;
	return g;
}

/* Hands out what the output buffer holds. */
static int
gzip_flush(struct gzip *g)
{
	size_t n = GZIP_OUT - g->z.avail_out;

	g->z.next_out = g->out;
	g->z.avail_out = GZIP_OUT;
	return n > 0 ? g->write(g->ctx, g->out, n) : 0;
}

/* Deflates what is in next_in; at the end of the stream, until the
 * trailer is out. */
static int
gzip_run(struct gzip *g)
{
	for (;;) {
		if (isal_deflate(&g->z) != COMP_OK)
			return -1;
		int done = g->z.end_of_stream ? g->z.internal_state.state == ZSTATE_END :
		                                g->z.avail_in == 0;
		if ((g->z.avail_out == 0 || (done && g->z.end_of_stream)) && gzip_flush(g) < 0)
			return -1;
		if (done)
			return 0;
	}
}

/* Deflates the block held. */
static int
gzip_block(struct gzip *g)
{
	g->z.next_in = g->in;
	g->z.avail_in = (uint32_t)g->nin;
	g->nin = 0;
	return gzip_run(g);
}

int
gzip_write(struct gzip *g, const void *buf, size_t len)
{
	while (len > 0) {
		size_t n = GZIP_IN - g->nin < len ? GZIP_IN - g->nin : len;
		memcpy(g->in + g->nin, buf, n);
		g->nin += n;
		buf = (const char *)buf + n;
		len -= n;
		if (g->nin == GZIP_IN && gzip_block(g) < 0)
			return -1;
	}
	return 0;
}

int
gzip_end(struct gzip *g)
{
	g->z.end_of_stream = 1;
	return gzip_block(g);
}

void
gzip_free(struct gzip *g)
{
	if (g == NULL)
		return;
	free(g->level_buf);
	free(g->out);
	free(g->in);
	free(g);
}
