/* history: the history table; see history.h. A history entry without
 * empty_layer owns the next layer, in order, as docker and dive match them;
 * layers left over (a short history) get rows of their own. */
#include "output/history.h"

#include <stdlib.h>
#include <string.h>

#include "util/human.h"
#include "util/jsonw.h"
#include "util/xalloc.h"


struct history_row {
	long layer;			/* -1: owns no layer */
	const struct history *h;	/* borrowed, NULL for a layer without one */
	uint64_t size;
	char *created, *created_by, *comment;	/* owned, display forms */
};

/* The layer size as dive has it: the sum of its tar entries' sizes. */
static uint64_t
history_layer_size(const struct image *img, size_t layer)
{
	return img->blobs[img->layers[layer].blob].size;
}

/* created_by without the "#(nop)" prefix, on one line. */
static char *
history_command(const struct history *h)
{
	char *out = xstrdup(image_history_command(h));

	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

static char *
history_one_line(const char *s)
{
	char *out = xstrdup(s != NULL ? s : "");

	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

static size_t
history_rows(const struct image *img, struct history_row **out)
{
	struct history_row *rows = xcalloc(img->nhistory + img->nlayers + 1, sizeof *rows);
	size_t n = 0, layer = 0;

	for (size_t i = 0; i < img->nhistory; i++) {
		const struct history *h = &img->history[i];
		struct history_row *r = &rows[n++];
		r->h = h;
		r->layer = -1;
		if (!h->empty_layer && layer < img->nlayers) {
			r->layer = (long)layer;
			r->size = history_layer_size(img, layer++);
		}
	}
	for (; layer < img->nlayers; layer++) {
		struct history_row *r = &rows[n++];
		r->layer = (long)layer;
		r->size = history_layer_size(img, layer);
	}
	for (size_t i = 0; i < n; i++) {
		const struct history *h = rows[i].h;
		rows[i].created = h != NULL ? human_utc_time(h->created) : NULL;
		if (rows[i].created == NULL)
			rows[i].created = history_one_line(h != NULL && h->created ? h->created : "-");
		rows[i].created_by = history_command(h);
		rows[i].comment = history_one_line(h != NULL ? h->comment : NULL);
	}
	*out = rows;
	return n;
}

/* Display columns of a UTF-8 string, counting each character as one. */
static size_t
history_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* Cuts *s to at most w columns, ending in "…" when cut. */
static void
history_cut(char **s, size_t w)
{
	size_t cols = 0;

	if (w == 0 || history_width(*s) <= w)
		return;
	for (char *p = *s; *p; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && ++cols == w) {
			char *cut = xasprintf("%.*s\xe2\x80\xa6", (int)(p - *s), *s);
			free(*s);
			*s = cut;
			return;
		}
	}
}

/* Writes a line without the blanks that padding left at its end. */
static void
history_line(FILE *out, char *line, size_t len)
{
	while (len > 0 && line[len - 1] == ' ')
		len--;
	fwrite(line, 1, len, out);
	fputc('\n', out);
}

static void
history_pad(FILE *out, const char *s, size_t width)
{
	size_t w = history_width(s);

	fputs(s, out);
	for (; w < width + 3; w++)
		fputc(' ', out);
}

static void
history_json(FILE *out, const struct image *img, const struct history_row *r)
{
	const struct history *h = r->h;
	struct jsonw j;

	jsonw_init(&j, out, 0);
	jsonw_object(&j);
	if (r->layer >= 0)
		jsonw_member_int(&j, "layer", r->layer);
	else
		jsonw_member_null(&j, "layer");
	jsonw_member_cstring(&j, "created", h != NULL ? h->created : NULL);
	jsonw_member_cstring(&j, "created_by", h != NULL && h->created_by ? h->created_by : "");
	jsonw_member_uint(&j, "size", r->size);
	jsonw_member_cstring(&j, "comment", h != NULL && h->comment ? h->comment : "");
	jsonw_member_bool(&j, "empty_layer", h != NULL && h->empty_layer);
	jsonw_member_cstring(&j, "digest", r->layer >= 0 ? img->layers[r->layer].digest : NULL);
	jsonw_end(&j);
}

/* The table's cells as text, and each column's width. */
struct history_table {
	char (*sizes)[16];	/* owned, per row */
	char (*layers)[24];	/* owned, per row */
	size_t w_layer, w_created, w_size, w_by, w_comment;
};

static size_t
history_max(size_t w, size_t v)
{
	return v > w ? v : w;
}

/* The cells and widths; CREATED BY gets what the other columns leave of
 * width (0: never cut). */
static void
history_columns(struct history_table *t, struct history_row *rows, size_t n, size_t width)
{
	t->sizes = xcalloc(n + 1, sizeof *t->sizes);
	t->layers = xcalloc(n + 1, sizeof *t->layers);
	t->w_layer = strlen("LAYER");
	t->w_created = strlen("CREATED");
	t->w_size = strlen("SIZE");
	t->w_by = strlen("CREATED BY");
	t->w_comment = 0;
	for (size_t i = 0; i < n; i++) {
		human_size(rows[i].size, t->sizes[i], sizeof t->sizes[i]);
		if (rows[i].layer >= 0)
			snprintf(t->layers[i], sizeof t->layers[i], "%ld", rows[i].layer);
		else
			strcpy(t->layers[i], "-");
		t->w_layer = history_max(t->w_layer, history_width(t->layers[i]));
		t->w_created = history_max(t->w_created, history_width(rows[i].created));
		t->w_size = history_max(t->w_size, strlen(t->sizes[i]));
		t->w_comment = history_max(t->w_comment, history_width(rows[i].comment));
	}
	if (width > 0) {
		size_t used = t->w_layer + t->w_created + t->w_size + 9 +
		              (t->w_comment ? 3 + t->w_comment : 0);
		size_t room = width > used + 20 ? width - used : 20;
		for (size_t i = 0; i < n; i++)
			history_cut(&rows[i].created_by, room);
	}
	for (size_t i = 0; i < n; i++)
		t->w_by = history_max(t->w_by, history_width(rows[i].created_by));
}

/* The header, then a line per row, newest first. */
static void
history_table_print(FILE *out, const struct history_table *t, const struct history_row *rows,
                    size_t n)
{
	char *line = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&line, &len);

	if (mem == NULL)
		xalloc_die();
	history_pad(mem, "LAYER", t->w_layer);
	history_pad(mem, "CREATED", t->w_created);
	history_pad(mem, "SIZE", t->w_size);
	history_pad(mem, "CREATED BY", t->w_by);
	fputs(t->w_comment ? "COMMENT" : "", mem);
	fflush(mem);
	history_line(out, line, len);
	for (size_t k = n; k-- > 0;) {
		rewind(mem);
		history_pad(mem, t->layers[k], t->w_layer);
		history_pad(mem, rows[k].created, t->w_created);
		history_pad(mem, t->sizes[k], t->w_size);
		history_pad(mem, rows[k].created_by, t->w_by);
		fputs(rows[k].comment, mem);
		fflush(mem);
		history_line(out, line, (size_t)ftell(mem));
	}
	fclose(mem);
	free(line);
}

int
history_print(FILE *out, const struct image *img, const struct history_opts *o)
{
	struct history_row *rows;
	size_t n = history_rows(img, &rows);
	struct history_table t;

	if (o->format == OUTPUT_JSON) {
		for (size_t k = n; k-- > 0;)
			history_json(out, img, &rows[k]);
	} else {
		history_columns(&t, rows, n, o->width);
		history_table_print(out, &t, rows, n);
		free(t.sizes);
		free(t.layers);
	}
	for (size_t i = 0; i < n; i++) {
		free(rows[i].created);
		free(rows[i].created_by);
		free(rows[i].comment);
	}
	free(rows);
	return ferror(out) ? -1 : 0;
}
