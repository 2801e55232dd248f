/* fuzz_dockerfile: a Dockerfile (the untrusted input of advise --dockerfile
 * and fathom fix) through the parser, every instruction's offsets, the
 * shell splitter on its RUNs with the file's variables, the history
 * matching against a history made from the file's own lines and another
 * image's, then the fix planned for a small wasteful image whose history
 * is the file's first lines, the fixed file and report written. */
#include <archive.h>
#include <archive_entry.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/advice.h"
#include "analysis/dockerfile.h"
#include "analysis/fixplan.h"
#include "analysis/histmap.h"
#include "analysis/shellcmd.h"
#include "analysis/waste.h"
#include "image/stack.h"
#include "output/dockerfix.h"
#include "output/fixreport.h"
#include "util/stream.h"
#include "util/xalloc.h"

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

/* A layer tar in memory: "path mode size" entries ("-" mode: a whiteout). */
static void
fuzz_layer(struct image *img, const char *const *entries)
{
	static char buf[1 << 16], zeros[4096];
	size_t used = 0, b = img->nblobs;
	struct archive *a = archive_write_new();
	char *cause = NULL;

	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_per_block(a, 512);
	if (archive_write_open_memory(a, buf, sizeof buf, &used) != ARCHIVE_OK)
		abort();
	for (const char *const *e = entries; *e != NULL; e += 3) {
		struct archive_entry *x = archive_entry_new();
		size_t n = (size_t)atoi(e[2]);
		archive_entry_set_pathname(x, e[0]);
		archive_entry_set_filetype(x, AE_IFREG);
		archive_entry_set_perm(x, (mode_t)strtoul(e[1], NULL, 8));
		archive_entry_set_size(x, (la_int64_t)n);
		archive_write_header(a, x);
		archive_write_data(a, zeros, n);
		archive_entry_free(x);
	}
	archive_write_close(a);
	archive_write_free(a);
	ARRAY_RESERVE(img->blobs, b, img->cblobs);
	img->nblobs++;
	struct stream *st = stream_memory_new(buf, used);
	if (layer_read(img, st, NULL, &img->blobs[b], &cause) != 0)
		abort();
	stream_free(st);
	image_add_layer(img, (uint32_t)b);
}

/* The fix of df for a wasteful image whose history is df's first layer
 * lines: planned, written, reported. */
static void
fuzz_fix(const struct dockerfile *df)
{
	static const char *const l0[] = { "bin/sh", "755", "10", NULL };
	static const char *const l1[] = { "var/lib/apt/lists/x", "644", "2000",
		"var/cache/apt/archives/a.deb", "644", "900", "tmp/a.tgz", "644", "700",
		"root/.cache/pip/h/x", "644", "300", "app/run.sh", "644", "400",
		"app/.git/HEAD", "644", "20", "app/tests/t.js", "644", "30", NULL };
	static const char *const l2[] = { "var/lib/apt/lists/.wh.x", "644", "0",
		"tmp/.wh.a.tgz", "644", "0", "app/run.sh", "755", "400", "app/.git/HEAD", "755", "20",
		NULL };
	static const char *const l3[] = { "usr/bin/make", "755", "500", "app/.DS_Store", "644", "9",
		NULL };
	static const char *const *layers[] = { l0, l1, l2, l3 };
	struct image *img = image_new("fuzz");
	size_t n = 0;

	for (size_t k = 0; k < 4; k++)
		fuzz_layer(img, layers[k]);
	img->history = xcalloc(5, sizeof *img->history);
	img->history[n++].created_by = xstrdup("/bin/sh -c #(nop) ADD file:00 in /");
	for (size_t i = 0; i < df->count && n < 4; i++)
		if (df->instrs[i].kind == DF_RUN || df->instrs[i].kind == DF_COPY ||
		    df->instrs[i].kind == DF_ADD)
			img->history[n++].created_by = dockerfile_summary(df, i);
	while (n < 4)
		img->history[n++].created_by = xstrdup("RUN /bin/sh -c true # buildkit");
	img->nhistory = n;
	stack_build(img);

	struct waste w;
	struct advice a;
	struct histmap m;
	struct fix_plan p;
	struct fix_context ctx = { ".git\n# a comment\n  *.log  \n" };
	waste_analyze(img, 1, &w);
	advice_analyze(img, &w, &a);
	histmap_build(img->history, img->nhistory, img->nlayers, df, &m);
	fixplan_make(img, &a, df, &m, &ctx, &p);
	for (size_t e = 0; e < p.nedits; e++)
		if (p.edits[e].start > p.edits[e].end || p.edits[e].end > df->len ||
		    (e > 0 && p.edits[e].start < p.edits[e - 1].end))
			abort();
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct fixreport_df x = { df, &m, &p };
	struct fixreport_run run = { "-", NULL, NULL, NULL };
	if (dockerfix_write(f, df, &p) < 0 || dockerfix_ignore_write(f, ctx.dockerignore, &p) < 0)
		abort();
	fixreport_print(f, &x, &run, 0);
	fixreport_print(f, &x, &run, 1);
	fclose(f);
	free(out);
	fixplan_free(&p);
	histmap_free(&m);
	advice_fini(&a);
	waste_fini(&w);
	image_free(img);
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
	if (df.nstages > 0)
		fuzz_fix(&df);
	for (size_t i = 0; i < df.count; i++)
		free(h[i].created_by);
	free(h);
	dockerfile_free(&df);
	return 0;
}
