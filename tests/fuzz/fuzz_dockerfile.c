/* fuzz_dockerfile: a Dockerfile (the untrusted input of advise --dockerfile
 * and fathom fix) through the parser, every instruction's offsets, the
 * shell splitter on its RUNs with the file's variables, and the history
 * matching against a history made from the file's own lines. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dockerfile.h"
#include "analysis/histmap.h"
#include "analysis/shellcmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct at {
	const struct dockerfile *df;
	size_t i;
};

static const char *
fuzz_lookup(void *ctx, const char *name, size_t len)
{
	struct at *a = ctx;
	return dockerfile_lookup(a->df, a->i, name, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dockerfile df;
	char *cause = NULL;

	if (dockerfile_parse("Dockerfile", (const char *)data, size, &df, &cause) != 0) {
		if (cause == NULL || strncmp(cause, "Dockerfile", 10) != 0)
			abort();
		free(cause);
		return 0;
	}
	struct history *h = calloc(df.count + 1, sizeof *h);
	size_t layers = 0;
	for (size_t i = 0; i < df.count; i++) {
		const struct df_instr *in = &df.instrs[i];
		if (in->start < in->line_start || in->end < in->start || in->line_end > size ||
		    in->end_line < in->line || in->args > in->end + 1 || in->cmd > in->text_len)
			abort();
		/* text positions land in the instruction, in order */
		size_t last = 0;
		for (size_t p = 0; p <= in->text_len; p += 1 + in->text_len / 8) {
			size_t o = dockerfile_offset(in, p);
			if (o < last || o > size)
				abort();
			last = o;
		}
		for (size_t k = 0; k < in->nheredocs; k++)
			if (in->heredocs[k].end_start > size || in->heredocs[k].body_start > size)
				abort();
		if (in->stage != SIZE_MAX && in->stage >= df.nstages)
			abort();
		if (in->kind == DF_RUN && !in->json) {
			struct sh_cmd c;
			struct at a = { &df, i };
			shellcmd_split(in->text + in->cmd, in->text_len - in->cmd, fuzz_lookup, &a, &c);
			for (size_t p = 0; p < c.count; p++)
				if (c.pieces[p].start > c.pieces[p].end ||
				    c.pieces[p].end > in->text_len - in->cmd)
					abort();
			shellcmd_free(&c);
		}
		h[i].created_by = dockerfile_summary(&df, i);
		h[i].empty_layer = in->kind != DF_RUN && in->kind != DF_COPY && in->kind != DF_ADD;
		layers += !h[i].empty_layer;
	}
	/* its own lines as history; then a history of another image, with
	 * times, that matches none of them */
	static const struct history other[] = {
		{ "2023-01-01T00:00:00Z", "/bin/sh -c #(nop) ADD file:00 in /", NULL, NULL, 0 },
		{ "2024-01-01T00:00:00Z", "merged", "FROM x", NULL, 0 },
		{ "2024-01-01T00:00:00Z", "RUN |1 A=1 /bin/sh -c true # buildkit", NULL, NULL, 0 },
	};
	for (int pass = 0; pass < 2; pass++) {
		struct histmap m;
		if (pass == 0)
			histmap_build(h, df.count, layers, &df, &m);
		else
			histmap_build(other, 3, 4, &df, &m);
		for (size_t k = 0; k < m.nlayers; k++) {
			size_t i = histmap_layer(&m, k);
			if (i != HISTMAP_NONE && i != HISTMAP_BASE && i >= df.count)
				abort();
		}
		histmap_free(&m);
	}
	for (size_t i = 0; i < df.count; i++)
		free(h[i].created_by);
	free(h);
	dockerfile_free(&df);
	return 0;
}
