/* docker_archive: the format of `docker save` tars, found by their
 * manifest.json: the legacy layout (<id>/layer.tar, <hex>.json), Docker 25+
 * (an OCI layout with manifest.json naming blobs/sha256/<hex>) and kaniko's
 * (<hex>.tar.gz layers, a config named sha256:<hex>); from any transport
 * of tar members (a file, a stream, an engine's export). */
#include <stdlib.h>
#include <string.h>

#include "source/format.h"
#include "source/platform.h"
#include "source/transport.h"
#include "util/digest.h"
#include "util/xalloc.h"

#define DOCKER_JSON_MAX (64u << 20)

static int
docker_probe(const struct source *src)
{
	return src->tp->shape == TRANSPORT_TAR && source_has(src, "manifest.json");
}

/* What dive calls a layer's id: its folder, or its hex digest. */
static char *
docker_layer_id(const char *name)
{
	size_t n = strlen(name);
	const char *slash = strrchr(name, '/');

	if (slash != NULL && strcmp(slash, "/layer.tar") == 0)
		return xstrndup(name, (size_t)(slash - name));
	if (slash != NULL)
		return xstrdup(slash + 1);
	if (n > 7 && strcmp(name + n - 7, ".tar.gz") == 0)
		return xstrndup(name, n - 7);
	if (n > 4 && strcmp(name + n - 4, ".tar") == 0)
		return xstrndup(name, n - 4);
	return xstrdup(name);
}

static int
docker_tag_matches(const char *tag, const char *want)
{
	size_t n = strlen(want);

	if (strcmp(tag, want) == 0)
		return 1;
	/* "name" means "name:latest", as docker has it. */
	return strchr(want, ':') == NULL && strncmp(tag, want, n) == 0 &&
	       strcmp(tag + n, ":latest") == 0;
}

/* The manifest.json entry to read: the first, or the one tagged want. */
static json_t *
docker_pick(json_t *manifest, const char *want, char **cause)
{
	size_t i;
	json_t *m;

	if (want == NULL)
		return json_array_get(manifest, 0);
	json_array_foreach(manifest, i, m) {
		size_t j;
		json_t *tag;
		json_array_foreach(json_object_get(m, "RepoTags"), j, tag)
			if (json_is_string(tag) && docker_tag_matches(json_string_value(tag), want))
				return m;
	}

	char *tags = xstrdup("");
	json_array_foreach(manifest, i, m) {
		size_t j;
		json_t *tag;
		json_array_foreach(json_object_get(m, "RepoTags"), j, tag) {
			char *t = xasprintf("%s%s%s", tags, *tags ? ", " : "",
			                    json_string_value(tag) ? json_string_value(tag) : "?");
			free(tags);
			tags = t;
		}
	}
	*cause = xasprintf("manifest.json: no image tagged '%s' (tags: %s)", want,
	                   *tags ? tags : "none");
	free(tags);
	return NULL;
}

static json_t *
docker_read_json(struct source *src, const char *name, const char *what, char **cause)
{
	char *text, *why = NULL;
	size_t len;
	json_t *j;

	if (!source_has(src, name)) {
		*cause = xasprintf("%s '%s' named by manifest.json is not in the archive",
		                   what, name);
		return NULL;
	}
	if ((text = source_read(src, name, DOCKER_JSON_MAX, &len, &why)) == NULL) {
		*cause = why;
		return NULL;
	}
	/* a config named by its digest ("HEX.json", kaniko's "sha256:HEX",
	 * "blobs/sha256/HEX") is checked against it when verifying */
	const char *base = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;
	if (strncmp(base, "sha256:", 7) == 0)
		base += 7;
	char *want = xasprintf("sha256:%.64s", base);
	if (strlen(base) >= 64 && (base[64] == '\0' || strcmp(base + 64, ".json") == 0) &&
	    source_check_bytes(src, text, strlen(text), want, &why) < 0) {
		*cause = xasprintf("%s '%s': %s", what, name, why);
		free(why);
		free(want);
		free(text);
		return NULL;
	}
	free(want);
	j = source_parse_json(text, name, cause);
	if (j != NULL && strcmp(what, "config") == 0) {
		free(src->img->id);
		src->img->id = digest_of("sha256", text, strlen(text));
	}
	free(text);
	return j;
}

/* A docker archive holds no choice of platforms: a platform asked for with
 * --platform must be the image's (an explicit platform is a promise).
 * Returns 0, or -1 with *cause naming the one it has. */
static int
docker_check_platform(struct source *src, char **cause)
{
	struct image *img = src->img;
	struct platform want;
	char *why = NULL;

	/* source_load has checked the platform's form. */
	if (src->opts->platform == NULL || img->os == NULL || img->arch == NULL ||
	    platform_parse(src->opts->platform, &want, &why) < 0) {
		free(why);
		return 0;
	}
	if (platform_match(&want, img->os, img->arch, img->variant))
		return 0;
	char *has = platform_format(img->os, img->arch, img->variant);
	*cause = xasprintf("no image for %s (it has: %s)", src->opts->platform, has);
	free(has);
	return -1;
}

/* Adds layer i, stored as member name; returns 0, or -1 with *cause. */
static int
docker_add_layer(struct source *src, size_t i, const char *name, char **cause)
{
	char *why = NULL;

	if (!source_has(src, name)) {
		*cause = xasprintf("layer %zu '%s' named by manifest.json is not in the archive", i,
		                   name);
		return -1;
	}
	long b = src->tp->blob(src, name, NULL, NULL, -1, &why);
	if (b < 0) {
		*cause = xasprintf("layer %zu '%s': %s", i, name, why);
		free(why);
		return -1;
	}
	size_t k = source_add_layer(src, (size_t)b);
	const char *member = src->blobs[b].key;	/* links between members followed */
	src->img->layers[k].id = docker_layer_id(member);
	const char *alg = member + 6, *slash = strchr(alg, '/');
	if (strncmp(member, "blobs/", 6) == 0 && slash != NULL)
		src->img->layers[k].blob_digest = xasprintf("%.*s:%s", (int)(slash - alg), alg,
		                                            slash + 1);
	return 0;
}

/* manifest.json, a non-empty list of images; NULL with *cause. */
static json_t *
docker_manifest(struct source *src, char **cause)
{
	size_t len;
	char *text = source_read(src, "manifest.json", DOCKER_JSON_MAX, &len, cause);
	json_t *manifest;

	if (text == NULL)
		return NULL;
	manifest = source_parse_json(text, "manifest.json", cause);
	free(text);
	if (manifest == NULL)
		return NULL;
	if (!json_is_array(manifest) || json_array_size(manifest) == 0) {
		*cause = xstrdup("manifest.json: not a non-empty list of images");
		json_decref(manifest);
		return NULL;
	}
	return manifest;
}

/* Adds the layers of manifest.json's list, in order. */
static int
docker_add_layers(struct source *src, json_t *layers, char **cause)
{
	size_t i;
	json_t *l;

	json_array_foreach(layers, i, l) {
		const char *name = json_string_value(l);
		if (name == NULL) {
			*cause = xasprintf("manifest.json: layer %zu is not a file name", i);
			return -1;
		}
		if (docker_add_layer(src, i, name, cause) < 0)
			return -1;
	}
	return 0;
}

static int
docker_open(struct source *src, char **cause)
{
	json_t *manifest, *m, *config = NULL, *layers;
	const char *config_name;
	int rc = -1;

	if ((manifest = docker_manifest(src, cause)) == NULL)
		return -1;
	if ((m = docker_pick(manifest, src->opts->image, cause)) == NULL)
		goto out;
	config_name = json_string_value(json_object_get(m, "Config"));
	layers = json_object_get(m, "Layers");
	if (config_name == NULL || !json_is_array(layers)) {
		*cause = xstrdup("manifest.json: the image has no Config or no Layers");
		goto out;
	}
	if ((config = docker_read_json(src, config_name, "config", cause)) == NULL)
		goto out;
	if (docker_add_layers(src, layers, cause) < 0)
		goto out;

	const char *tag = json_string_value(json_array_get(json_object_get(m, "RepoTags"), 0));
	if (src->opts->image != NULL)
		src->img->ref = xstrdup(src->opts->image);
	else if (tag != NULL)
		src->img->ref = xstrdup(tag);

	char *why = NULL;
	if (image_set_config(src->img, config, &why) < 0) {
		config = NULL;
		*cause = xasprintf("config '%s': %s", config_name, why);
		free(why);
		goto out;
	}
	config = NULL;
	if (docker_check_platform(src, cause) < 0)
		goto out;
	rc = 0;
out:
	json_decref(config);
	json_decref(manifest);
	return rc;
}

const struct format_ops format_docker_archive = {
	.name = "docker-archive",
	.probe = docker_probe,
	.open = docker_open,
};
