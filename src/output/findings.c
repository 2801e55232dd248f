/* findings: the advice in text and JSON; see findings.h. */
#include "output/findings.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/human.h"
#include "util/xalloc.h"

/* The command that made a layer, on one line (owned), or NULL. */
static char *
findings_command(const struct image *img, size_t layer)
{
	const struct history *h = image_history_of(img, layer);
	const char *c;

	if (h == NULL || h->created_by == NULL)
		return NULL;
	c = image_history_command(h);
	while (*c == ' ')
		c++;
	return escape_str(c, strlen(c), 0);
}

char *
findings_where(const struct advice_finding *f)
{
	switch (f->id) {
	case ADVICE_DELETED_LATER:
	case ADVICE_METADATA_ONLY:
		if (f->nlayers == 1)
			return xasprintf("layer %u, written twice", f->layers[0]);
		return xasprintf("layers %u->%u", f->layers[0], f->layers[1]);
	case ADVICE_ONBUILD:
		return xasprintf("%zu trigger%s%s", f->ntriggers, f->ntriggers == 1 ? "" : "s",
		                 f->high ? ", high severity" : "");
	case ADVICE_BIG_BASE:
		return xasprintf("look at %s", f->detail);
	default: {
		char *s = f->detail != NULL ? xasprintf("%s, layer%s ", f->detail,
		                                        f->nlayers == 1 ? "" : "s") :
		                              xstrdup("layers ");
		for (size_t i = 0; i < f->nlayers; i++) {
			char *t = xasprintf("%s%s%u", s, i ? "," : "", f->layers[i]);
			free(s);
			s = t;
		}
		return s;
	}
	}
}

/* What each layer of a finding did, for its lines. */
static const char *
findings_role(const struct advice_finding *f, size_t i)
{
	if (f->id == ADVICE_DELETED_LATER)
		return f->nlayers == 1 ? "wrote them twice" : i == 0 ? "wrote them" :
		                                                    "deleted or overwrote them";
	if (f->id == ADVICE_METADATA_ONLY)
		return i == 0 ? "wrote them" : "wrote them again, only mode or owner changed";
	if (f->id == ADVICE_BIG_BASE)
		return "base";
	return "wrote them";
}

static void
findings_text(FILE *out, const struct image *img, const struct waste *w,
              const struct advice *a, size_t top, const struct fixreport_df *dfx)
{
	char h1[32], h2[32];

	human_dive_size(a->savings, h1, sizeof h1);
	human_dive_size(w->image_size, h2, sizeof h2);
	if (a->count == 0) {
		fprintf(out, "No findings: nothing to advise (image %s).\n", h2);
		return;
	}
	fprintf(out, "%zu finding%s; following the advice would save %s (%llu bytes) of %s\n",
	        a->count, a->count == 1 ? "" : "s", h1, (unsigned long long)a->savings, h2);
	for (size_t i = 0; i < a->count; i++) {
		const struct advice_finding *f = &a->items[i];
		fprintf(out, "\n%zu. %s", i + 1, advice_defs[f->id].name);
		if (f->id == ADVICE_ONBUILD) {
			fprintf(out, ": %zu trigger%s%s\n", f->ntriggers, f->ntriggers == 1 ? "" : "s",
			        f->high ? ", HIGH SEVERITY: they copy the build context and use "
			                  "network tools" : "");
		} else if (f->id == ADVICE_BIG_BASE) {
			fprintf(out, ": look at %s\n", f->detail);
		} else {
			human_dive_size(f->bytes, h1, sizeof h1);
			fprintf(out, ": %s (%llu bytes)%s%s\n", h1, (unsigned long long)f->bytes,
			        f->detail != NULL ? ", " : "", f->detail != NULL ? f->detail : "");
		}
		for (size_t k = 0; k < f->nlayers && k < top; k++) {
			char *c = findings_command(img, f->layers[k]);
			char *l = dfx != NULL ? fixreport_layer_line(dfx, f->layers[k]) : NULL;
			fprintf(out, "   layer %u %s: %s%s\n", f->layers[k], findings_role(f, k),
			        l != NULL ? l : c != NULL ? c : "(no history)",
			        dfx != NULL && l == NULL ? " (no line in the Dockerfile)" : "");
			free(l);
			free(c);
		}
		if (f->nlayers > top)
			fprintf(out, "   ... and %zu more layers\n", f->nlayers - top);
		for (size_t k = 0; k < f->ntriggers; k++) {
			char *t = escape_str(f->triggers[k], strlen(f->triggers[k]), 0);
			fprintf(out, "   %s ONBUILD %s\n", f->trigger_high[k] ? "!" : " ", t);
			free(t);
		}
		for (size_t k = 0; k < f->npaths && k < top; k++) {
			char *p = tree_path_escaped(&img->tree, f->paths[k].node, 0);
			human_dive_size(f->paths[k].bytes, h1, sizeof h1);
			fprintf(out, "   %-10s %s\n", h1, p);
			free(p);
		}
		if (f->npaths > top)
			fprintf(out, "   ... and %zu more paths\n", f->npaths - top);
		fprintf(out, "   %s\n", advice_defs[f->id].text);
		if (dfx != NULL)
			fixreport_finding_text(out, dfx, i);
	}
}

static void
findings_json_df(struct jsonw *j, const struct image *img, const struct advice *a, size_t top,
                 const struct fixreport_df *dfx)
{
	jsonw_array(j);
	for (size_t i = 0; i < a->count; i++) {
		const struct advice_finding *f = &a->items[i];
		jsonw_object(j);
		jsonw_member_cstring(j, "id", advice_defs[f->id].name);
		jsonw_member_uint(j, "bytes", f->bytes);
		jsonw_member_cstring(j, "severity", f->high ? "high" :
		                     f->id == ADVICE_ONBUILD ? "warning" : "info");
		jsonw_member_cstring(j, "detail", f->detail);
		jsonw_member_array(j, "layers");
		for (size_t k = 0; k < f->nlayers; k++) {
			char *c = findings_command(img, f->layers[k]);
			jsonw_object(j);
			jsonw_member_uint(j, "index", f->layers[k]);
			jsonw_member_cstring(j, "role", findings_role(f, k));
			jsonw_member_cstring(j, "command", c);
			if (dfx != NULL) {
				jsonw_key(j, "dockerfile");
				fixreport_layer_json(j, dfx, f->layers[k]);
			}
			jsonw_end(j);
			free(c);
		}
		jsonw_end(j);
		jsonw_member_array(j, "paths");
		for (size_t k = 0; k < f->npaths && k < top; k++) {
			char *buf = NULL;
			size_t cap = 0, len = tree_path(&img->tree, f->paths[k].node, &buf, &cap);
			jsonw_object(j);
			jsonw_member_string(j, "path", buf, len);
			jsonw_member_uint(j, "bytes", f->paths[k].bytes);
			jsonw_end(j);
			free(buf);
		}
		jsonw_end(j);
		jsonw_member_uint(j, "pathCount", f->npaths);
		if (f->id == ADVICE_ONBUILD) {
			jsonw_member_array(j, "triggers");
			for (size_t k = 0; k < f->ntriggers; k++) {
				jsonw_object(j);
				jsonw_member_cstring(j, "trigger", f->triggers[k]);
				jsonw_member_bool(j, "risk", f->trigger_high[k]);
				jsonw_end(j);
			}
			jsonw_end(j);
		}
		jsonw_member_cstring(j, "advice", advice_defs[f->id].text);
		if (dfx != NULL) {
			jsonw_key(j, "fixes");
			fixreport_finding_json(j, dfx, i);
		}
		jsonw_end(j);
	}
	jsonw_end(j);
}

void
findings_json(struct jsonw *j, const struct image *img, const struct advice *a, size_t top)
{
	findings_json_df(j, img, a, top, NULL);
}

void
findings_print(FILE *out, const struct image *img, const struct waste *w,
               const struct advice *a, size_t top, enum output_format format,
               const struct fixreport_df *dfx)
{
	struct jsonw j;

	if (format != OUTPUT_JSON) {
		findings_text(out, img, w, a, top, dfx);
		return;
	}
	jsonw_init(&j, out, 2);
	jsonw_object(&j);
	jsonw_member_cstring(&j, "image", img->name);
	jsonw_member_uint(&j, "sizeBytes", w->image_size);
	jsonw_member_uint(&j, "savings", a->savings);
	if (dfx != NULL) {
		jsonw_member_cstring(&j, "dockerfile", dfx->df->path);
		jsonw_member_uint(&j, "unmappedLayers", dfx->map->unmapped);
		jsonw_key(&j, "history");
		fixreport_history_json(&j, dfx, img);
	}
	jsonw_key(&j, "findings");
	findings_json_df(&j, img, a, top, dfx);
	jsonw_end(&j);
	fputc('\n', out);
}
