/* fixcheck: the original's rebuild and the fix's compared; see fixcheck.h.
 * An edit's achieved bytes are, per path it predicted, what the path's
 * regular files take in all layers of the original's rebuild and no longer
 * in the fix's, shared out among the edits that predicted that path, each
 * up to its prediction, in the plan's order. */
#include "analysis/fixcheck.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The bytes of path's regular file entries in every layer of img. */
static uint64_t
fc_all_layers(const struct image *img, const char *path)
{
	uint32_t node = tree_find(&img->tree, path);
	uint64_t bytes = 0;

	if (node == TREE_NONE)
		return 0;
	for (uint32_t v = img->tree.nodes[node].version; v != TREE_NONE; v = img->versions[v].next) {
		uint32_t e = img->versions[v].entry;
		if (e != ENTRY_NONE && img->entries[e].type == ENTRY_FILE &&
		    !(img->versions[v].flags & VERSION_DEAD))
			bytes += img->entries[e].size;
	}
	return bytes;
}

/* Whether a is b or a directory above it. */
static int
fc_at_or_above(const char *a, const char *b)
{
	size_t n = strlen(a);
	return strncmp(b, a, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

/* Whether a removed path is one an item removes: one of its paths, below
 * one of its directories, or a directory (dir) left empty above them. */
static int
fc_explained(const struct fix_plan *p, const char *path, int dir)
{
	for (size_t i = 0; i < p->count; i++) {
		const struct fix_item *it = &p->items[i];
		if (!fix_kind_edits[it->kind])
			continue;
		for (size_t k = 0; k < it->nunder; k++)
			if (fc_at_or_above(it->under[k], path) || (dir && fc_at_or_above(path, it->under[k])))
				return 1;
		for (size_t k = 0; k < it->npaths; k++)
			if (strcmp(it->paths[k].path, path) == 0 ||
			    (dir && fc_at_or_above(path, it->paths[k].path)))
				return 1;
	}
	return 0;
}

/* The config fields that matter for running the image. */
static int
fc_field_matters(const char *field)
{
	static const char *const f[] = { "Entrypoint", "Cmd", "Env", "User", "WorkingDir",
		"ExposedPorts", "Volumes", "Labels" };

	for (size_t k = 0; k < sizeof f / sizeof *f; k++)
		if (strcmp(field, f[k]) == 0)
			return 1;
	return 0;
}

/* Each edit's achieved bytes: per path, what went from a to b, shared
 * out among the items that predicted it, each up to its prediction, in
 * the plan's order. */
static void
fc_achieved(const struct fix_plan *p, const struct image *a, const struct image *b,
            uint64_t *achieved)
{
	struct seen {
		const char *path;
		uint64_t left;
	} *seen = NULL;
	size_t nseen = 0, cseen = 0;

	for (size_t i = 0; i < p->count; i++) {
		const struct fix_item *it = &p->items[i];
		if (!fix_kind_edits[it->kind])
			continue;
		for (size_t k = 0; k < it->npaths; k++) {
			struct seen *s = NULL;
			for (size_t q = 0; q < nseen && s == NULL; q++)
				if (strcmp(seen[q].path, it->paths[k].path) == 0)
					s = &seen[q];
			if (s == NULL) {
				uint64_t ba = fc_all_layers(a, it->paths[k].path);
				uint64_t bb = fc_all_layers(b, it->paths[k].path);
				ARRAY_RESERVE(seen, nseen, cseen);
				s = &seen[nseen++];
				*s = (struct seen){ it->paths[k].path, ba > bb ? ba - bb : 0 };
			}
			uint64_t got = s->left < it->paths[k].bytes ? s->left : it->paths[k].bytes;
			achieved[i] += got;
			s->left -= got;
		}
	}
	free(seen);
}

/* The diff's config fields that matter, and its changes sorted into
 * removed by the edits, rebuild noise, other. */
static void
fc_sort_diff(const struct fix_plan *p, struct fix_check *out)
{
	for (size_t c = 0; c < out->diff.nconfig; c++)
		if (fc_field_matters(out->diff.config[c].field)) {
			out->config = xreallocarray(out->config, out->nconfig + 1, sizeof *out->config);
			out->config[out->nconfig++] = c;
		}
	for (size_t c = 0; c < out->diff.nchanges; c++) {
		const struct diff_change *ch = &out->diff.changes[c];
		int noise = ch->status == 'M' && ch->what == DIFF_CONTENT &&
		            (strncmp(ch->path, "/var/log/", 9) == 0 ||
		             strncmp(ch->path, "/var/cache/", 11) == 0);
		if (ch->status == 'R' && fc_explained(p, ch->path, ch->a.type == ENTRY_DIR)) {
			out->removed++;
			out->removed_bytes += ch->a.size;
		} else if (noise) {
			out->noise++;
		} else {
			out->other = xreallocarray(out->other, out->nother + 1, sizeof *out->other);
			out->other[out->nother++] = c;
		}
	}
}

int
fixcheck_compare(const struct fix_plan *p, const struct image *a, const struct image *b,
                 struct fix_check *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (a->nlayers == 0 || b->nlayers == 0) {
		*cause = xstrdup("an image without layers");
		return -1;
	}
	if (diff_images(a, a->nlayers - 1, b, b->nlayers - 1, &out->diff, cause) < 0)
		return -1;
	out->achieved = xcalloc(p->count + 1, sizeof *out->achieved);
	/* as the waste analysis counts an image's bytes: each layer's blob */
	for (size_t k = 0; k < a->nlayers; k++)
		out->size_a += a->blobs[a->layers[k].blob].size;
	for (size_t k = 0; k < b->nlayers; k++)
		out->size_b += b->blobs[b->layers[k].blob].size;
	fc_achieved(p, a, b, out->achieved);
	fc_sort_diff(p, out);
	out->same = out->nconfig == 0 && out->nother == 0;
	return 0;
}

void
fixcheck_free(struct fix_check *c)
{
	free(c->achieved);
	free(c->config);
	free(c->other);
	diff_free(&c->diff);
	memset(c, 0, sizeof *c);
}
