/* gunzip: ISA-L inflation as a stream; see gunzip.h. */
#include "util/gunzip.h"

#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define GUNZIP_OUT (1u << 20)

struct gunzip {
	struct stream s;
	struct stream *in;		/* owned */
	struct inflate_state st;
	unsigned char *out;		/* owned, GUNZIP_OUT bytes */
	int done;
};

static ssize_t
gunzip_fail(struct gunzip *g, char *msg)
{
	free(g->s.error);
	g->s.error = msg;
	return -1;
}

/* More compressed bytes; 0 at the end of the input, -1 on error. */
static int
gunzip_fill(struct gunzip *g)
{
	const void *p;
	ssize_t n = stream_read(g->in, &p);

	if (n < 0)
		return (int)gunzip_fail(g, xstrdup(stream_error(g->in)));
	g->st.next_in = (uint8_t *)p;
	g->st.avail_in = (uint32_t)n;
	return n > 0;
}

static ssize_t
gunzip_read(struct stream *s, const void **buf)
{
	struct gunzip *g = (struct gunzip *)s;

	while (!g->done) {
		if (g->st.block_state == ISAL_BLOCK_FINISH) {
			/* a member ended: another may follow; zeros may pad */
			int r = 1;
			while (g->st.avail_in == 0 && (r = gunzip_fill(g)) > 0)
				;
			if (r < 0)
				return -1;
			if (r == 0) {
				g->done = 1;
				break;
			}
			if (g->st.next_in[0] == 0) {
				for (uint32_t i = 0; i < g->st.avail_in; i++)
					if (g->st.next_in[i] != 0)
						return gunzip_fail(g, xstrdup("data after the gzip stream"));
				g->st.avail_in = 0;
				continue;
			}
			uint8_t *next = g->st.next_in;
			uint32_t avail = g->st.avail_in;
			isal_inflate_reset(&g->st);
			g->st.crc_flag = ISAL_GZIP;
			g->st.next_in = next;
			g->st.avail_in = avail;
		}
		if (g->st.avail_in == 0) {
			int r = gunzip_fill(g);
			if (r < 0)
				return -1;
			if (r == 0)
				return gunzip_fail(g, xstrdup("truncated gzip input"));
		}
		g->st.next_out = g->out;
		g->st.avail_out = GUNZIP_OUT;
		int r = isal_inflate(&g->st);
		if (r < 0)
			return gunzip_fail(g, xasprintf("gzip data is corrupt (%s)",
			    r == ISAL_INCORRECT_CHECKSUM ? "wrong checksum" :
			    r == ISAL_INVALID_WRAPPER ? "not a gzip header" : "invalid deflate data"));
		size_t made = GUNZIP_OUT - g->st.avail_out;
		if (made > 0) {
			*buf = g->out;
			return (ssize_t)made;
		}
	}
	return 0;
}

static void
gunzip_free(struct stream *s)
{
	struct gunzip *g = (struct gunzip *)s;

	stream_free(g->in);
	free(g->out);
	free(g);
}

static const struct stream_ops gunzip_ops = {
	.read = gunzip_read,
	.skip = NULL,
	.free = gunzip_free,
};

struct stream *
stream_gunzip_new(struct stream *in)
{
	struct gunzip *g = xcalloc(1, sizeof *g);

	g->s.ops = &gunzip_ops;
	g->in = in;
	g->out = xmalloc(GUNZIP_OUT);
	isal_inflate_init(&g->st);
	g->st.crc_flag = ISAL_GZIP;
	return &g->s;
}
