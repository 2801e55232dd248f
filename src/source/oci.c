/* oci: the format of OCI image layouts (image-layout.md) from any
 * transport: a tar (oci-archive, file or stream), a directory (oci), a
 * registry (its documents by digest): index.json, nested indexes, choice of
 * the manifest by platform or reference, then its config and layers. */
#include <stdlib.h>
#include <string.h>

#include "source/format.h"
#include "source/platform.h"
#include "source/transport.h"
#include "util/jsonx.h"
#include "util/xalloc.h"

#define OCI_JSON_MAX (64u << 20)
#define OCI_MAX_DEPTH 8

static const char *const oci_index_types[] = {
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.docker.distribution.manifest.list.v2+json",
	NULL,
};
static const char *const oci_manifest_types[] = {
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.docker.distribution.manifest.v2+json",
	NULL,
};

struct oci_candidate {
	char *digest;		/* owned */
	char *os, *arch, *variant;	/* owned, may be NULL */
	char *ref;		/* owned: its reference annotation, or NULL */
	char *name;		/* owned: its tag annotation, or NULL */
};

struct oci_candidates {
	struct oci_candidate *items;
	size_t count, cap;
};

static int
oci_is(const char *type, const char *const *types)
{
	for (size_t i = 0; type != NULL && types[i] != NULL; i++)
		if (strcmp(type, types[i]) == 0)
			return 1;
	return 0;
}

/* What the index is, for messages. */
static const char *
oci_label(const struct source *src)
{
	return src->index_name != NULL ? src->index_name : "index.json";
}

static int
oci_probe(const struct source *src)
{
	return source_has(src, "index.json");
}

/* text's JSON object, named what in messages. */
static json_t *
oci_object(char *text, const char *what, char **cause)
{
	json_t *j = source_parse_json(text, what, cause);

	free(text);
	if (j != NULL && !json_is_object(j)) {
		*cause = xasprintf("%s: not a JSON object", what);
		json_decref(j);
		j = NULL;
	}
	return j;
}

static json_t *
oci_read_index(struct source *src, char **cause)
{
	size_t len;
	char *text = source_read(src, "index.json", OCI_JSON_MAX, &len, cause);

	return text != NULL ? oci_object(text, "index.json", cause) : NULL;
}

/* The blob digest (manifest 1: a manifest or index, else a config) as a
 * JSON object, checked against its digest when verifying. */
static json_t *
oci_read_blob(struct source *src, const char *digest, int manifest, const char *what,
              char **cause)
{
	char *why = NULL, *text = NULL, *rel = NULL;
	size_t len;
	json_t *j = NULL;

	if (digest == NULL)
		why = xstrdup("no digest");
	else if ((rel = source_digest_path(digest, &why)) != NULL &&
	         (text = source_read_digest(src, digest, manifest, OCI_JSON_MAX, &len, &why)) != NULL)
		j = oci_object(text, rel, &why);
	if (j == NULL) {
		*cause = xasprintf("%s: %s", what, why);
		free(why);
	}
	free(rel);
	return j;
}

/* Adds the layer stored as blob digest (of size bytes, as its descriptor
 * says); returns its index, or -1. */
static long
oci_add_layer(struct source *src, const char *digest, int64_t size, char **cause)
{
	char *rel = source_digest_path(digest, cause);

	if (rel == NULL)
		return -1;
	long b = src->tp->blob(src, rel, digest, digest, size, cause);
	free(rel);
	return b < 0 ? -1 : (long)source_add_layer(src, (size_t)b);
}

static void
oci_candidate_free(struct oci_candidate *c)
{
	free(c->digest);
	free(c->os);
	free(c->arch);
	free(c->variant);
	free(c->ref);
	free(c->name);
}

static void
oci_candidates_free(struct oci_candidates *c)
{
	for (size_t i = 0; i < c->count; i++)
		oci_candidate_free(&c->items[i]);
	free(c->items);
}

/* The type of a descriptor that does not say it (older writers leave it
 * out): the blob's own, read into *blob. NULL with *cause. */
static const char *
oci_blob_type(struct source *src, const char *digest, json_t **blob, char **cause)
{
	const char *type;

	if ((*blob = oci_read_blob(src, digest, 1, digest, cause)) == NULL)
		return NULL;
	type = json_string_value(json_object_get(*blob, "mediaType"));
	if (type == NULL)
		type = json_object_get(*blob, "manifests") != NULL ?
		    oci_index_types[0] : oci_manifest_types[0];
	return type;
}

/* Adds an image manifest's descriptor d to the candidates, unless it is an
 * attestation. */
static void
oci_add_candidate(struct oci_candidates *out, json_t *d, const char *digest)
{
	json_t *ann = json_object_get(d, "annotations");
	const char *rt = json_string_value(json_object_get(ann, "vnd.docker.reference.type"));
	json_t *p = json_object_get(d, "platform");

	if (rt != NULL && strcmp(rt, "attestation-manifest") == 0)
		return;
	ARRAY_RESERVE(out->items, out->count, out->cap);
	out->items[out->count++] = (struct oci_candidate){
		.digest = xstrdup(digest),
		.os = jsonx_strdup(p, "os"),
		.arch = jsonx_strdup(p, "architecture"),
		.variant = jsonx_strdup(p, "variant"),
		.ref = jsonx_strdup(ann, "io.containerd.image.name"),
		.name = jsonx_strdup(ann, "org.opencontainers.image.ref.name"),
	};
}

static int
oci_collect(struct source *src, json_t *index, const char *what, int depth,
            struct oci_candidates *out, char **cause)
{
	json_t *manifests = json_object_get(index, "manifests"), *d;
	size_t i;

	if (!json_is_array(manifests)) {
		*cause = xasprintf("%s: no manifests list", what);
		return -1;
	}
	json_array_foreach(manifests, i, d) {
		const char *type = json_string_value(json_object_get(d, "mediaType"));
		const char *digest = json_string_value(json_object_get(d, "digest"));
		json_t *blob = NULL;

		if (digest == NULL) {
			*cause = xasprintf("%s: manifest %zu has no digest", what, i);
			return -1;
		}
		if (type == NULL && (type = oci_blob_type(src, digest, &blob, cause)) == NULL)
			return -1;
		if (oci_is(type, oci_index_types)) {
			int r;
			if (depth >= OCI_MAX_DEPTH) {
				*cause = xasprintf("%s: indexes nested more than %d deep",
				                   what, OCI_MAX_DEPTH);
				json_decref(blob);
				return -1;
			}
			if (blob == NULL && (blob = oci_read_blob(src, digest, 1, digest, cause)) == NULL)
				return -1;
			r = oci_collect(src, blob, digest, depth + 1, out, cause);
			json_decref(blob);
			if (r < 0)
				return -1;
			continue;
		}
		/* type may point into blob: ask before letting it go */
		int image = oci_is(type, oci_manifest_types);
		json_decref(blob);
		if (image)	/* else not an image: signatures, SBOMs, ... */
			oci_add_candidate(out, d, digest);
	}
	return 0;
}

/* Candidates whose descriptor has no platform get the one of their config. */
static int
oci_fill_platform(struct source *src, struct oci_candidate *c, char **cause)
{
	json_t *m, *config;
	const char *cd;

	if (c->os != NULL && c->arch != NULL)
		return 0;
	if ((m = oci_read_blob(src, c->digest, 1, c->digest, cause)) == NULL)
		return -1;
	cd = json_string_value(json_object_get(json_object_get(m, "config"), "digest"));
	config = cd != NULL ? oci_read_blob(src, cd, 0, "config", cause) : NULL;
	json_decref(m);
	if (config == NULL) {
		if (cd == NULL)
			*cause = xasprintf("%s: manifest without a config", c->digest);
		return -1;
	}
	free(c->os);
	free(c->arch);
	free(c->variant);
	c->os = jsonx_strdup(config, "os");
	c->arch = jsonx_strdup(config, "architecture");
	c->variant = jsonx_strdup(config, "variant");
	json_decref(config);
	return 0;
}

static int
oci_ref_matches(const struct oci_candidate *c, const char *want)
{
	size_t n = strlen(want);

	const char *colon = strrchr(want, ':');

	if ((c->ref && strcmp(c->ref, want) == 0) || (c->name && strcmp(c->name, want) == 0))
		return 1;
	/* Without a full reference, "name:tag" is asked of the tag annotation. */
	if (c->ref == NULL && c->name != NULL && colon != NULL &&
	    strchr(colon, '/') == NULL && strcmp(c->name, colon + 1) == 0)
		return 1;
	/* "name" means "name:latest"; a full reference may be asked by its end. */
	if (c->ref && strchr(want, ':') == NULL && strncmp(c->ref, want, n) == 0 &&
	    strcmp(c->ref + n, ":latest") == 0)
		return 1;
	return c->ref && strlen(c->ref) > n && c->ref[strlen(c->ref) - n - 1] == '/' &&
	       strcmp(c->ref + strlen(c->ref) - n, want) == 0;
}

static char *
oci_list(const struct oci_candidates *c, int refs)
{
	char *s = xstrdup("");

	for (size_t i = 0; i < c->count; i++) {
		const struct oci_candidate *x = &c->items[i];
		char *item = refs ? xstrdup(x->ref ? x->ref : x->name ? x->name : "(untagged)") :
		                    platform_format(x->os, x->arch, x->variant);
		char *t = xasprintf("%s%s%s", s, *s ? ", " : "", item);
		free(item);
		free(s);
		s = t;
	}
	return s;
}

/* Picks the image manifest by --image and --platform. */
static const struct oci_candidate *
oci_choose(struct source *src, struct oci_candidates *c, char **cause)
{
	struct platform want;
	size_t keep = 0;

	if (c->count == 0) {
		*cause = xasprintf("%s lists no image manifest", oci_label(src));
		return NULL;
	}
	if (src->opts->image != NULL) {
		char *names = oci_list(c, 1);
		for (size_t i = 0; i < c->count; i++) {
			if (oci_ref_matches(&c->items[i], src->opts->image))
				c->items[keep++] = c->items[i];
			else
				oci_candidate_free(&c->items[i]);
		}
		c->count = keep;
		if (keep == 0) {
			*cause = xasprintf("%s: no image named '%s' (it has: %s)", oci_label(src),
			                   src->opts->image, names);
			free(names);
			return NULL;
		}
		free(names);
	}
	if (src->opts->platform != NULL) {
		if (platform_parse(src->opts->platform, &want, cause) < 0)
			return NULL;
	} else {
		platform_host(&want);
	}
	for (size_t i = 0; i < c->count; i++)
		if (oci_fill_platform(src, &c->items[i], cause) < 0)
			return NULL;
	for (size_t i = 0; i < c->count; i++) {
		const struct oci_candidate *x = &c->items[i];
		if (platform_match(&want, x->os, x->arch, x->variant))
			return x;
	}
	char *wanted = platform_format(want.os, want.arch, want.variant);
	/* without --platform, an index of one image is read whatever it is
	 * for; a platform asked for is a promise */
	if (c->count == 1 && src->opts->platform == NULL) {
		char *has = oci_list(c, 0);
		image_warn(src->img, xasprintf("the image is for %s, not %s: reading it "
		                               "anyway", has, wanted));
		free(has);
		free(wanted);
		return &c->items[0];
	}
	char *has = oci_list(c, 0);
	*cause = xasprintf("%s has no image for %s (it has: %s)%s", oci_label(src), wanted, has,
	                   c->count > 1 ? "; choose one with --platform" : "");
	free(has);
	free(wanted);
	return NULL;
}

static int
oci_open(struct source *src, char **cause)
{
	struct oci_candidates cands = { 0 };
	const struct oci_candidate *c;
	json_t *index = NULL, *manifest = NULL, *config = NULL, *l;
	const char *cd;
	char *what = NULL, *why = NULL;
	size_t i;
	int rc = -1;

	if ((index = oci_read_index(src, cause)) == NULL)
		goto out;
	if (oci_collect(src, index, oci_label(src), 0, &cands, cause) < 0)
		goto out;
	if ((c = oci_choose(src, &cands, cause)) == NULL)
		goto out;
	what = xasprintf("manifest %s", c->digest);
	if ((manifest = oci_read_blob(src, c->digest, 1, what, cause)) == NULL)
		goto out;
	cd = json_string_value(json_object_get(json_object_get(manifest, "config"), "digest"));
	if (cd == NULL || !json_is_array(json_object_get(manifest, "layers"))) {
		*cause = xasprintf("%s: no config or no layers", what);
		goto out;
	}
	if ((config = oci_read_blob(src, cd, 0, "config", cause)) == NULL)
		goto out;
	free(src->img->id);
	src->img->id = xstrdup(cd);

	json_array_foreach(json_object_get(manifest, "layers"), i, l) {
		const char *digest = json_string_value(json_object_get(l, "digest"));
		long k = oci_add_layer(src, digest, json_integer_value(json_object_get(l, "size")),
		                       &why);
		if (k < 0) {
			*cause = xasprintf("layer %zu (%s): %s", i, digest ? digest : "?", why);
			goto out;
		}
		src->img->layers[k].blob_digest = xstrdup(digest);
		src->img->layers[k].id = xstrdup(strchr(digest, ':') + 1);
	}
	if (c->ref != NULL || c->name != NULL)
		src->img->ref = xstrdup(c->ref != NULL ? c->ref : c->name);
	if (image_set_config(src->img, config, &why) < 0) {
		config = NULL;
		*cause = xasprintf("config %s: %s", cd, why);
		goto out;
	}
	config = NULL;
	rc = 0;
out:
	free(why);
	free(what);
	json_decref(config);
	json_decref(manifest);
	json_decref(index);
	oci_candidates_free(&cands);
	return rc;
}

const struct format_ops format_oci = {
	.name = "oci",
	.probe = oci_probe,
	.open = oci_open,
};
