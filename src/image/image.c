/* image: allocation and ownership of the image model; see image.h. */
#include "image/image.h"

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "image/stack.h"
#include "util/jsonx.h"
#include "util/xalloc.h"

struct image *
image_new(const char *name)
{
	struct image *img = xcalloc(1, sizeof *img);

	img->name = xstrdup(name);
	tree_init(&img->tree);
	/* Entry 0 is what a layer implies for a parent it has no entry for. */
	image_add_entry(img, &(struct entry){
		.type = ENTRY_DIR,
		.mode = 0755,
		.link = ENTRY_NONE,
		.node = TREE_NONE,
	});
	return img;
}

static void
image_free_history(struct image *img)
{
	for (size_t i = 0; i < img->nhistory; i++) {
		free(img->history[i].created);
		free(img->history[i].created_by);
		free(img->history[i].comment);
		free(img->history[i].author);
	}
	free(img->history);
	img->history = NULL;
	img->nhistory = 0;
}

void
image_free(struct image *img)
{
	if (img == NULL)
		return;
	tree_fini(&img->tree);
	free(img->entries);
	free(img->versions);
	free(img->links);
	for (size_t i = 0; i < img->nkept; i++)
		free(img->kept[i].data);
	free(img->kept);
	free(img->blobs);
	for (size_t i = 0; i < img->nlayers; i++) {
		free(img->layers[i].id);
		free(img->layers[i].digest);
		free(img->layers[i].blob_digest);
	}
	free(img->layers);
	image_free_history(img);
	json_decref(img->config);
	free(img->id);
	for (size_t i = 0; i < img->nwarnings; i++)
		free(img->warnings[i]);
	free(img->warnings);
	free(img->os);
	free(img->arch);
	free(img->variant);
	free(img->name);
	free(img->ref);
	if (img->reader.free != NULL)
		img->reader.free(img->reader.ctx);
	free(img);
}

void
image_warn(struct image *img, char *msg)
{
	ARRAY_RESERVE(img->warnings, img->nwarnings, img->cwarnings);
	img->warnings[img->nwarnings++] = msg;
}

uint32_t
image_add_entry(struct image *img, const struct entry *e)
{
	if (img->nentries >= ENTRY_NONE - 1)
		xalloc_die();
	ARRAY_RESERVE(img->entries, img->nentries, img->centries);
	img->entries[img->nentries] = *e;
	return (uint32_t)img->nentries++;
}

size_t
image_add_layer(struct image *img, uint32_t blob)
{
	ARRAY_RESERVE(img->layers, img->nlayers, img->clayers);
	img->layers[img->nlayers] = (struct layer){ .blob = blob };
	return img->nlayers++;
}

int
image_set_config(struct image *img, json_t *config, char **cause)
{
	json_decref(img->config);
	img->config = config;
	image_free_history(img);
	if (!json_is_object(config)) {
		*cause = xstrdup("the image config is not a JSON object");
		return -1;
	}
	free(img->os);
	free(img->arch);
	free(img->variant);
	img->os = jsonx_strdup(config, "os");
	img->arch = jsonx_strdup(config, "architecture");
	img->variant = jsonx_strdup(config, "variant");

	json_t *hist = json_object_get(config, "history");
	if (hist != NULL && !json_is_array(hist) && !json_is_null(hist)) {
		*cause = xstrdup("the image config's history is not a list");
		return -1;
	}
	size_t n = json_array_size(hist);
	img->history = xcalloc(n ? n : 1, sizeof *img->history);
	for (size_t i = 0; i < n; i++) {
		json_t *h = json_array_get(hist, i);
		if (!json_is_object(h)) {
			*cause = xasprintf("history entry %zu of the image config is not an object", i);
			return -1;
		}
		struct history *d = &img->history[img->nhistory++];
		d->created = jsonx_strdup(h, "created");
		d->created_by = jsonx_strdup(h, "created_by");
		d->comment = jsonx_strdup(h, "comment");
		d->author = jsonx_strdup(h, "author");
		d->empty_layer = json_is_true(json_object_get(h, "empty_layer"));
	}

	json_t *diff_ids = json_object_get(json_object_get(config, "rootfs"), "diff_ids");
	for (size_t i = 0; i < img->nlayers && i < json_array_size(diff_ids); i++) {
		const char *d = json_string_value(json_array_get(diff_ids, i));
		free(img->layers[i].digest);
		img->layers[i].digest = d != NULL ? xstrdup(d) : NULL;
	}
	if (json_array_size(diff_ids) > 0 && json_array_size(diff_ids) != img->nlayers)
		image_warn(img, xasprintf("the config lists %zu diff_ids for %zu layers: the "
		                          "layers are read as the manifest lists them",
		                          json_array_size(diff_ids), img->nlayers));
	return 0;
}

const struct history *
image_history_of(const struct image *img, size_t layer)
{
	for (size_t i = 0; i < img->nhistory; i++)
		if (!img->history[i].empty_layer && layer-- == 0)
			return &img->history[i];
	return NULL;
}

const char *
image_history_command(const struct history *h)
{
	static const char nop[] = "/bin/sh -c #(nop) ";
	const char *c = h != NULL && h->created_by != NULL ? h->created_by : "";

	if (strncmp(c, nop, sizeof nop - 1) == 0)
		for (c += sizeof nop - 1; *c == ' '; c++)
			;
	return c;
}

int
image_file_bytes(const struct image *img, uint32_t entry,
                 int (*write)(void *ctx, const void *buf, size_t len), void *ctx,
                 char **cause)
{
	size_t lo = 0, hi = img->nblobs;

	if (img->reader.open == NULL) {
		*cause = xstrdup("the image's bytes cannot be read again");
		return -1;
	}
	/* the blob whose entries hold it */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct blob *b = &img->blobs[mid];
		if (entry < b->first)
			hi = mid;
		else if (entry >= b->first + b->count)
			lo = mid + 1;
		else {
			lo = mid;
			break;
		}
	}
	if (lo >= img->nblobs || entry < img->blobs[lo].first ||
	    entry >= img->blobs[lo].first + img->blobs[lo].count) {
		*cause = xstrdup("no such entry");
		return -1;
	}
	/* a file read from its headers alone: its bytes are where it says */
	const struct entry *e = &img->entries[entry];
	if ((e->flags & ENTRY_UNHASHED) && img->reader.read_at != NULL)
		return img->reader.read_at(img->reader.ctx, lo, e->hash, e->size, write, ctx, cause);
	struct scan_opts o = { 0 };
	struct stream *s = img->reader.open(img->reader.ctx, lo, &o);
	int rc = layer_file_bytes(s, entry - img->blobs[lo].first, write, ctx, cause);
	stream_free(s);
	return rc;
}

int
image_keeps(const char *path, size_t len)
{
	static const char *const files[] = {
		"etc/os-release", "usr/lib/os-release", "var/lib/dpkg/status",
		"lib/apk/db/installed",
	};

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (len == strlen(files[i]) && memcmp(path, files[i], len) == 0)
			return 1;
	return 0;
}

void
image_keep(struct image *img, uint32_t entry, const char *data, size_t len)
{
	if (len > IMAGE_KEPT_TOTAL - img->kept_bytes)
		return;	/* over the budget: the analysis says it cannot read it */
	ARRAY_RESERVE(img->kept, img->nkept, img->ckept);
	char *copy = xmalloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	img->kept[img->nkept++] = (struct image_kept){ entry, copy, len };
	img->kept_bytes += len;
}

const char *
image_kept(const struct image *img, uint32_t entry, size_t *len)
{
	size_t lo = 0, hi = img->nkept;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (img->kept[mid].entry < entry)
			lo = mid + 1;
		else if (img->kept[mid].entry > entry)
			hi = mid;
		else {
			*len = img->kept[mid].len;
			return img->kept[mid].data;
		}
	}
	return NULL;
}

static int
image_hash_write(void *ctx, const void *buf, size_t len)
{
	return XXH3_64bits_update(ctx, buf, len) == XXH_OK ? 0 : -1;
}

/* The regular file entry that node holds after layer (a hard link's own
 * file), or ENTRY_NONE. */
static uint32_t
image_file_at(const struct image *img, uint32_t node, size_t layer)
{
	uint32_t v = stack_at(img, node, layer);

	if (v == TREE_NONE || img->versions[v].entry == ENTRY_NONE)
		return ENTRY_NONE;
	uint32_t e = stack_held(img, v);
	return img->entries[e].type == ENTRY_FILE ? e : ENTRY_NONE;
}

int
image_hash_matching(struct image *img, size_t layer, const struct image *other,
                    size_t other_layer, char **cause)
{
	XXH3_state_t *st = NULL;
	char *path = NULL;
	size_t cap = 0;
	int rc = 0;

	for (uint32_t n = 1; n < img->tree.count && rc == 0; n++) {
		uint32_t e = image_file_at(img, n, layer);
		if (e == ENTRY_NONE || !(img->entries[e].flags & ENTRY_UNHASHED))
			continue;
		tree_path(&img->tree, n, &path, &cap);
		uint32_t on = tree_find(&other->tree, path);
		uint32_t oe = on != TREE_NONE ? image_file_at(other, on, other_layer) : ENTRY_NONE;
		if (oe == ENTRY_NONE || other->entries[oe].size != img->entries[e].size)
			continue;
		if (st == NULL && (st = XXH3_createState()) == NULL)
			xalloc_die();
		XXH3_64bits_reset(st);
		if ((rc = image_file_bytes(img, e, image_hash_write, st, cause)) == 0) {
			img->entries[e].hash = XXH3_64bits_digest(st);
			img->entries[e].flags &= (uint8_t)~ENTRY_UNHASHED;
		}
	}
	XXH3_freeState(st);
	free(path);
	return rc;
}
