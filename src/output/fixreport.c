/* fixreport: fix's report, --verify's, and advise's Dockerfile lines; see
 * fixreport.h. */
#include "output/fixreport.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output/dockerfix.h"
#include "util/human.h"
#include "util/escape.h"
#include "util/xalloc.h"

/* Instruction i on one line, escaped (owned). */
static char *
fixreport_instr(const struct dockerfile *df, size_t i)
{
	char *s = dockerfile_summary(df, i), *e = escape_str(s, strlen(s), 0);

	free(s);
	return e;
}

char *
fixreport_layer_line(const struct fixreport_df *x, size_t k)
{
	size_t i = histmap_layer(x->map, k);

	if (i == HISTMAP_BASE && x->map->from != HISTMAP_NONE) {
		char *s = fixreport_instr(x->df, x->map->from);
		char *out = xasprintf("%s:%u %s (the base image)", x->df->path,
		                      x->df->instrs[x->map->from].line, s);
		free(s);
		return out;
	}
	if (i >= HISTMAP_BASE)
		return NULL;
	char *s = fixreport_instr(x->df, i);
	char *out = xasprintf("%s:%u %s", x->df->path, x->df->instrs[i].line, s);
	free(s);
	return out;
}

void
fixreport_finding_text(FILE *out, const struct fixreport_df *x, size_t f)
{
	char h[32];

	for (size_t k = 0; k < x->plan->count; k++) {
		const struct fix_item *it = &x->plan->items[k];
		if (!fixplan_serves(x->plan, k, f))
			continue;
		human_dive_size(it->bytes, h, sizeof h);
		if (it->instr != SIZE_MAX)
			fprintf(out, "   %s %s:%u: %s (%s)\n", fix_kind_edits[it->kind] ? "fix" : "   ",
			        x->df->path, x->df->instrs[it->instr].line, it->what, h);
		else
			fprintf(out, "   %s %s (%s)\n", fix_kind_edits[it->kind] ? "fix" : "   ", it->what,
			        h);
	}
}

/* An instruction's place: file, lines, columns, its text. */
static void
fixreport_place(struct jsonw *j, const struct dockerfile *df, size_t i)
{
	const struct df_instr *in = &df->instrs[i];
	char *s = dockerfile_summary(df, i);

	jsonw_object(j);
	jsonw_member_cstring(j, "file", df->path);
	jsonw_member_uint(j, "line", in->line);
	jsonw_member_uint(j, "column", in->column);
	jsonw_member_uint(j, "endLine", in->end_line);
	jsonw_member_uint(j, "endColumn", in->end_column);
	jsonw_member_string(j, "instruction", s, strlen(s));
	jsonw_end(j);
	free(s);
}

void
fixreport_layer_json(struct jsonw *j, const struct fixreport_df *x, size_t k)
{
	size_t i = histmap_layer(x->map, k);

	if (i == HISTMAP_BASE)
		i = x->map->from;
	if (i >= HISTMAP_BASE)
		jsonw_null(j);
	else
		fixreport_place(j, x->df, i);
}

void
fixreport_history_json(struct jsonw *j, const struct fixreport_df *x, const struct image *img)
{
	size_t layer = 0;

	jsonw_array(j);
	for (size_t i = 0; i < img->nhistory; i++) {
		const struct history *h = &img->history[i];
		size_t in = i < x->map->nentries ? x->map->entry[i] : HISTMAP_NONE;
		if (i < x->map->first && x->map->stage != HISTMAP_NONE)
			in = x->map->from;
		jsonw_object(j);
		jsonw_member_uint(j, "index", i);
		jsonw_key(j, "layer");
		if (h->empty_layer || layer >= img->nlayers)
			jsonw_null(j);
		else
			jsonw_uint(j, layer);
		layer += !h->empty_layer;
		jsonw_member_cstring(j, "createdBy", h->created_by);
		jsonw_member_bool(j, "base", i < x->map->first && x->map->stage != HISTMAP_NONE);
		jsonw_key(j, "dockerfile");
		if (in < HISTMAP_BASE)
			fixreport_place(j, x->df, in);
		else
			jsonw_null(j);
		jsonw_end(j);
	}
	jsonw_end(j);
}

static void
fixreport_item_json(struct jsonw *j, const struct fixreport_df *x, const struct fix_item *it,
                    const uint64_t *achieved)
{
	jsonw_object(j);
	jsonw_member_cstring(j, "kind", fix_kind_names[it->kind]);
	jsonw_member_bool(j, "edited", fix_kind_edits[it->kind]);
	jsonw_key(j, "at");
	if (it->instr != SIZE_MAX)
		fixreport_place(j, x->df, it->instr);
	else
		jsonw_null(j);
	jsonw_key(j, "from");
	if (it->from != SIZE_MAX)
		fixreport_place(j, x->df, it->from);
	else
		jsonw_null(j);
	jsonw_member_bool(j, "fromRemoved", it->drops);
	jsonw_member_cstring(j, "dockerignore", it->kind == FIX_DOCKERIGNORE ? it->ignore : NULL);
	jsonw_member_cstring(j, "what", it->what);
	jsonw_member_uint(j, "bytes", it->bytes);
	if (achieved != NULL) {
		jsonw_member_uint(j, "achievedBytes", *achieved);
	}
	jsonw_member_uint(j, "pathCount", it->npaths);
	jsonw_end(j);
}

void
fixreport_finding_json(struct jsonw *j, const struct fixreport_df *x, size_t f)
{
	jsonw_array(j);
	for (size_t k = 0; k < x->plan->count; k++)
		if (fixplan_serves(x->plan, k, f))
			fixreport_item_json(j, x, &x->plan->items[k], NULL);
	jsonw_end(j);
}

/* "Dockerfile:4", "Dockerfile:6->4" (moved from 6), or "-" (owned). */
static char *
fixreport_where(const struct fixreport_df *x, const struct fix_item *it)
{
	if (it->instr == SIZE_MAX)
		return xstrdup("-");
	if (it->from != SIZE_MAX)
		return xasprintf("%s:%u->%u", x->df->path, x->df->instrs[it->from].line,
		                 x->df->instrs[it->instr].line);
	return xasprintf("%s:%u", x->df->path, x->df->instrs[it->instr].line);
}

static void
fixreport_text(FILE *out, const struct fixreport_df *x, const char *output, const char *ignore)
{
	const struct fix_plan *p = x->plan;
	size_t nedits = 0, nadvice = 0, nignore = dockerfix_ignore_count(p);
	char h[32], w[32];

	for (size_t k = 0; k < p->count; k++) {
		nedits += fix_kind_edits[p->items[k].kind];
		nadvice += !fix_kind_edits[p->items[k].kind];
	}
	human_dive_size(p->bytes, h, sizeof h);
	fprintf(out, "%zu edit%s to %s, predicted to save %s (%" PRIu64 " bytes)", nedits,
	        nedits == 1 ? "" : "s", x->df->path, h, p->bytes);
	if (output != NULL && strcmp(output, "-") != 0)
		fprintf(out, "; the fixed Dockerfile is %s", output);
	fputc('\n', out);
	size_t n = 0;
	for (size_t k = 0; k < p->count; k++) {
		const struct fix_item *it = &p->items[k];
		if (!fix_kind_edits[it->kind])
			continue;
		char *where = fixreport_where(x, it);
		human_dive_size(it->bytes, w, sizeof w);
		fprintf(out, "  %zu. %-12s %-22s %10s  %s\n", ++n, fix_kind_names[it->kind], where, w,
		        it->what);
		free(where);
	}
	if (p->syntax)
		fprintf(out, "  The fixed file starts with `# syntax=docker/dockerfile:1` "
		        "(COPY --chmod needs BuildKit's Dockerfile frontend).\n");
	if (nignore > 0) {
		fprintf(out, "\n.dockerignore: %zu line%s to add%s%s\n", nignore, nignore == 1 ? "" : "s",
		        ignore != NULL ? "; written to " : "", ignore != NULL ? ignore : "");
		for (size_t k = 0; k < p->count; k++) {
			const struct fix_item *it = &p->items[k];
			int dup = 0;
			for (size_t q = 0; q < k && it->kind == FIX_DOCKERIGNORE; q++)
				dup |= p->items[q].kind == FIX_DOCKERIGNORE &&
				       strcmp(p->items[q].ignore, it->ignore) == 0;
			if (it->kind == FIX_DOCKERIGNORE && !dup)
				fprintf(out, "  %s\n", it->ignore);
		}
	}
	if (nadvice > 0) {
		human_dive_size(p->advised, h, sizeof h);
		fprintf(out, "\nNot edited (%zu, %s): what cannot be rewritten safely\n", nadvice, h);
		for (size_t k = 0; k < p->count; k++) {
			const struct fix_item *it = &p->items[k];
			if (fix_kind_edits[it->kind])
				continue;
			char *where = fixreport_where(x, it);
			const char *what = it->what;
			if (strncmp(what, "not edited: ", 12) == 0)
				what += 12;	/* said by the heading */
			human_dive_size(it->bytes, w, sizeof w);
			fprintf(out, "  %-22s %10s  %s\n", where, w, what);
			free(where);
		}
	}
}


/* "83 MB (96%)" for achieved of predicted. */
static void
fixreport_ratio(uint64_t achieved, uint64_t predicted, char *buf, size_t len)
{
	char h[32];

	human_dive_size(achieved, h, sizeof h);
	if (predicted == 0)
		snprintf(buf, len, "%s", h);
	else
		snprintf(buf, len, "%s (%.0f%%)", h, 100.0 * (double)achieved / (double)predicted);
}

/* --verify's table: each edit's predicted and achieved bytes, the edits'
 * total, the image's. */
static void
fixreport_verify_edits(FILE *out, const struct fixreport_df *x, const struct fix_check *c)
{
	const struct fix_plan *p = x->plan;
	char h1[48], h2[48], h3[48];
	uint64_t saved = c->size_a > c->size_b ? c->size_a - c->size_b : 0;
	/* the labels' column as wide as the widest */
	char **labels = xcalloc(p->count + 1, sizeof *labels);
	int width = (int)strlen("the edits' paths");
	size_t n = 0;

	for (size_t k = 0; k < p->count; k++) {
		const struct fix_item *it = &p->items[k];
		if (!fix_kind_edits[it->kind])
			continue;
		char *where = fixreport_where(x, it);
		labels[k] = xasprintf("%zu. %s %s", ++n, fix_kind_names[it->kind], where);
		if ((int)strlen(labels[k]) > width)
			width = (int)strlen(labels[k]);
		free(where);
	}
	fprintf(out, "  %-*s %10s  %s\n", width, "EDIT", "PREDICTED", "ACHIEVED");
	uint64_t sum = 0;
	for (size_t k = 0; k < p->count; k++) {
		const struct fix_item *it = &p->items[k];
		if (!fix_kind_edits[it->kind])
			continue;
		human_dive_size(it->bytes, h1, sizeof h1);
		fixreport_ratio(c->achieved[k], it->bytes, h2, sizeof h2);
		fprintf(out, "  %-*s %10s  %s\n", width, labels[k], h1, h2);
		sum += c->achieved[k];
		free(labels[k]);
	}
	free(labels);
	human_dive_size(p->bytes, h1, sizeof h1);
	fixreport_ratio(sum, p->bytes, h2, sizeof h2);
	fprintf(out, "  %-*s %10s  %s\n", width, "the edits' paths", h1, h2);
	fixreport_ratio(saved, p->bytes, h2, sizeof h2);
	human_dive_size(c->size_a, h1, sizeof h1);
	human_dive_size(c->size_b, h3, sizeof h3);
	fprintf(out, "  %-*s %10s  %s: %s -> %s\n", width, "the image", "", h2, h1, h3);
}

/* --verify's config and files: what differs, up to 20 paths. */
static void
fixreport_verify_diff(FILE *out, const struct fix_check *c)
{
	char h[48];

	if (c->nconfig == 0) {
		fprintf(out, "Config: the same (Entrypoint, Cmd, Env, User, WorkingDir, ExposedPorts, "
		        "Volumes, Labels)\n");
	} else {
		fprintf(out, "Config: %zu field%s differ%s:", c->nconfig, c->nconfig == 1 ? "" : "s",
		        c->nconfig == 1 ? "s" : "");
		for (size_t k = 0; k < c->nconfig; k++) {
			const struct diff_config *d = &c->diff.config[c->config[k]];
			fprintf(out, " %s%s%s", d->field, d->key ? "." : "", d->key ? d->key : "");
		}
		fputc('\n', out);
	}
	human_dive_size(c->removed_bytes, h, sizeof h);
	if (c->nother == 0)
		fprintf(out, "Files: the same but for what the edits removed (%zu path%s, %s)",
		        c->removed, c->removed == 1 ? "" : "s", h);
	else
		fprintf(out, "Files: %zu other difference%s besides what the edits removed (%zu "
		        "path%s, %s)", c->nother, c->nother == 1 ? "" : "s", c->removed,
		        c->removed == 1 ? "" : "s", h);
	if (c->noise > 0)
		fprintf(out, "; %zu file%s under /var/log and /var/cache differ%s only in content, "
		        "as in any two builds", c->noise, c->noise == 1 ? "" : "s",
		        c->noise == 1 ? "s" : "");
	fputc('\n', out);
	for (size_t k = 0; k < c->nother && k < 20; k++) {
		const struct diff_change *d = &c->diff.changes[c->other[k]];
		char *e = escape_str(d->path, strlen(d->path), 0);
		fprintf(out, "  %c %s", d->status, e);
		for (int b = 0; b < DIFF_WHAT_COUNT && d->status == 'M'; b++)
			if (d->what & (1u << b))
				fprintf(out, " %s", diff_what_names[b]);
		fputc('\n', out);
		free(e);
	}
	if (c->nother > 20)
		fprintf(out, "  ... and %zu more\n", c->nother - 20);
}

static void
fixreport_verify_text(FILE *out, const struct fixreport_df *x, const struct fix_check *c,
                      const char *engine)
{
	char h1[48], h2[48];
	uint64_t saved = c->size_a > c->size_b ? c->size_a - c->size_b : 0;

	human_dive_size(c->size_a, h1, sizeof h1);
	human_dive_size(c->size_b, h2, sizeof h2);
	fprintf(out, "Built with %s: the original %s (%" PRIu64 " bytes), the fixed %s (%" PRIu64
	        " bytes)\n\n", engine, h1, c->size_a, h2, c->size_b);
	fixreport_verify_edits(out, x, c);
	fputc('\n', out);
	fixreport_verify_diff(out, c);
	human_dive_size(saved, h1, sizeof h1);
	if (c->same && c->size_b < c->size_a)
		fprintf(out, "\nVerified: the fixed image is %s smaller and otherwise the same.\n", h1);
	else if (c->same)
		fprintf(out, "\nNot verified: the fixed image is not smaller.\n");
	else
		fprintf(out, "\nNot verified: the fixed image differs in more than what the edits "
		        "removed.\n");
}

/* --verify's members of the document. */
static void
fixreport_verify_json(struct jsonw *j, const struct fixreport_df *x, const struct fix_check *c,
                      const char *engine)
{
	jsonw_member_object(j, "verify");
	jsonw_member_cstring(j, "engine", engine);
	jsonw_member_uint(j, "originalBytes", c->size_a);
	jsonw_member_uint(j, "fixedBytes", c->size_b);
	jsonw_member_uint(j, "predictedBytes", x->plan->bytes);
	uint64_t sum = 0;
	for (size_t k = 0; k < x->plan->count; k++)
		if (fix_kind_edits[x->plan->items[k].kind])
			sum += c->achieved[k];
	jsonw_member_uint(j, "achievedBytes", sum);
	jsonw_member_uint(j, "savedBytes", c->size_a > c->size_b ? c->size_a - c->size_b : 0);
	jsonw_member_array(j, "configDiffers");
	for (size_t k = 0; k < c->nconfig; k++) {
		const struct diff_config *d = &c->diff.config[c->config[k]];
		char *s = d->key != NULL ? xasprintf("%s.%s", d->field, d->key) : xstrdup(d->field);
		jsonw_cstring(j, s);
		free(s);
	}
	jsonw_end(j);
	jsonw_member_uint(j, "removedPaths", c->removed);
	jsonw_member_uint(j, "removedBytes", c->removed_bytes);
	jsonw_member_uint(j, "noisePaths", c->noise);
	jsonw_member_array(j, "otherChanges");
	for (size_t k = 0; k < c->nother; k++) {
		const struct diff_change *d = &c->diff.changes[c->other[k]];
		jsonw_object(j);
		jsonw_member_string(j, "path", d->path, strlen(d->path));
		jsonw_key(j, "status");
		char st[2] = { d->status, 0 };
		jsonw_cstring(j, st);
		jsonw_end(j);
	}
	jsonw_end(j);
	jsonw_member_bool(j, "verified", c->same && c->size_b < c->size_a);
	jsonw_end(j);
}

void
fixreport_print(FILE *out, const struct fixreport_df *x, const struct fixreport_run *r,
                enum output_format format)
{
	struct jsonw j;

	if (format != OUTPUT_JSON) {
		fixreport_text(out, x, r->output, r->ignore);
		if (r->check != NULL) {
			fputc('\n', out);
			fixreport_verify_text(out, x, r->check, r->engine);
		}
		return;
	}
	jsonw_init(&j, out, 2);
	jsonw_object(&j);
	jsonw_member_cstring(&j, "dockerfile", x->df->path);
	jsonw_member_cstring(&j, "output", r->output);
	jsonw_member_cstring(&j, "dockerignoreOutput", r->ignore);
	jsonw_member_bool(&j, "syntaxLine", x->plan->syntax);
	jsonw_member_uint(&j, "predictedBytes", x->plan->bytes);
	jsonw_member_uint(&j, "advisedBytes", x->plan->advised);
	jsonw_member_uint(&j, "unmappedLayers", x->map->unmapped);
	jsonw_member_array(&j, "items");
	for (size_t k = 0; k < x->plan->count; k++)
		fixreport_item_json(&j, x, &x->plan->items[k],
		                    r->check != NULL && fix_kind_edits[x->plan->items[k].kind] ?
		                    &r->check->achieved[k] : NULL);
	jsonw_end(&j);
	jsonw_member_array(&j, "dockerignore");
	for (size_t k = 0; k < x->plan->count; k++) {
		const struct fix_item *it = &x->plan->items[k];
		int dup = 0;
		for (size_t q = 0; q < k && it->kind == FIX_DOCKERIGNORE; q++)
			dup |= x->plan->items[q].kind == FIX_DOCKERIGNORE &&
			       strcmp(x->plan->items[q].ignore, it->ignore) == 0;
		if (it->kind == FIX_DOCKERIGNORE && !dup)
			jsonw_cstring(&j, it->ignore);
	}
	jsonw_end(&j);
	if (r->check != NULL)
		fixreport_verify_json(&j, x, r->check, r->engine);
	jsonw_end(&j);
	fputc('\n', out);
}
