/* oci: OCI image layouts (image-layout.md), in a tar (oci-archive) or a
 * directory (oci): index.json, nested indexes, choice of the manifest by
 * platform or reference, then its config and layers. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/platform.h"
#include "source/registry.h"
#include "source/source.h"
#include "util/jsonx.h"
#include "util/regfile.h"
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
	return src->registry != NULL ? registry_name(src->registry) : "index.json";
}

static int
oci_probe_archive(const struct source *src)
{
	return !src->is_dir && tarindex_find(&src->tar, "index.json") != NULL;
}

/* A directory with an index.json of any type: one that is not a regular
 * file is refused when read, naming it. */
static int
oci_probe_dir(const struct source *src)
{
	struct stat st;
	return src->is_dir && fstatat(src->fd, "index.json", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* A layout's oci-layout file, when there is one, must be a regular file
 * (opened without waiting on a FIFO); its content is not needed. */
static int
oci_check_layout_file(struct source *src, char **cause)
{
	struct stat st;
	char *why = NULL;

	if (!src->is_dir || fstatat(src->fd, "oci-layout", &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	int fd = regfile_open(src->fd, "oci-layout", REGFILE_NOFOLLOW, NULL, &why);
	if (fd < 0) {
		*cause = xasprintf("cannot open 'oci-layout': %s", why);
		free(why);
		return -1;
	}
	close(fd);
	return 0;
}

/* "blobs/<alg>/<encoded>" for a digest, refusing anything that could name
 * another file (image-spec descriptor.md grammar). */
static char *
oci_blob_path(const char *digest, char **cause)
{
	const char *colon = digest != NULL ? strchr(digest, ':') : NULL;
	int ok = colon != NULL && colon != digest && colon[1] != '\0';

	for (const char *p = digest; ok && p < colon; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		     ((*p == '+' || *p == '.' || *p == '_' || *p == '-') && p != digest);
	for (const char *p = colon ? colon + 1 : NULL; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		     (*p >= '0' && *p <= '9') || *p == '=' || *p == '_' || *p == '-';
	if (!ok) {
		*cause = xasprintf("invalid digest '%s'", digest ? digest : "(none)");
		return NULL;
	}
	return xasprintf("blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

/* The bytes of a file of the layout, NUL-terminated (owned). */
static char *
oci_read(struct source *src, const char *rel, char **cause)
{
	if (!src->is_dir) {
		const struct tar_member *m = tarindex_find(&src->tar, rel);
		if (m == NULL) {
			*cause = xasprintf("'%s' is not in the archive", rel);
			return NULL;
		}
		return tarindex_slurp(&src->tar, m, OCI_JSON_MAX, cause);
	}

	struct stat st;
	char *buf = NULL, *why = NULL;
	size_t done = 0;
	/* never blocks: a FIFO or device there is refused at once */
	int fd = regfile_open(src->fd, rel, REGFILE_NOFOLLOW, &st, &why);

	if (fd < 0) {
		*cause = xasprintf("cannot open '%s': %s", rel, why);
		free(why);
		goto fail;
	}
	if ((uint64_t)st.st_size > OCI_JSON_MAX) {
		*cause = xasprintf("'%s' is not a metadata file of at most %u bytes",
		                   rel, OCI_JSON_MAX);
		goto fail;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf("cannot read '%s': %s", rel,
			                   n < 0 ? strerror(errno) : "truncated");
			goto fail;
		}
		done += (size_t)n;
	}
	buf[done] = '\0';
	close(fd);
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static json_t *oci_parse(struct source *src, const char *rel, const char *want, char **cause);

static json_t *
oci_read_json(struct source *src, const char *rel, char **cause)
{
	if (src->registry != NULL)	/* only index.json is read by name */
		return registry_index(src->registry, cause);
	return oci_parse(src, rel, NULL, cause);
}

/* rel's JSON object; with want, its bytes are checked against that digest
 * when verifying. */
static json_t *
oci_parse(struct source *src, const char *rel, const char *want, char **cause)
{
	char *text = oci_read(src, rel, cause);
	json_t *j;

	if (text == NULL)
		return NULL;
	if (want != NULL && source_check_bytes(src, text, strlen(text), want, cause) < 0) {
		free(text);
		return NULL;
	}
	j = source_parse_json(text, rel, cause);
	free(text);
	if (j != NULL && !json_is_object(j)) {
		*cause = xasprintf("%s: not a JSON object", rel);
		json_decref(j);
		j = NULL;
	}
	return j;
}

static json_t *
oci_read_blob(struct source *src, const char *digest, const char *what, char **cause)
{
	char *why = NULL, *rel = NULL;
	json_t *j;

	if (src->registry != NULL) {
		j = digest != NULL ? registry_json(src->registry, digest, strcmp(what, "config") != 0,
		                                   &why) : NULL;
		if (digest == NULL)
			why = xstrdup("no digest");
	} else {
		rel = oci_blob_path(digest, &why);
		j = rel != NULL ? oci_parse(src, rel, digest, &why) : NULL;
	}

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
	char *rel;
	struct stat st;
	int fd;

	if (src->registry != NULL)	/* read over the network, later */
		return (long)source_add_layer(src, digest, -1, 0, size);
	if ((rel = oci_blob_path(digest, cause)) == NULL)
		return -1;
	if (!src->is_dir) {
		const struct tar_member *m = tarindex_find(&src->tar, rel);
		if (m == NULL) {
			*cause = xasprintf("blob '%s' is not in the archive", rel);
			free(rel);
			return -1;
		}
		free(rel);
		return source_add_member_layer(src, digest, m, cause);
	}
	char *why = NULL;
	fd = regfile_open(src->fd, rel, REGFILE_NOFOLLOW, &st, &why);
	if (fd < 0) {
		*cause = xasprintf("blob '%s' cannot be opened: %s", rel, why);
		free(why);
		free(rel);
		return -1;
	}
	close(fd);
	size_t k = source_add_file_layer(src, digest, rel, st.st_size);
	free(rel);
	return (long)k;
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
		json_t *ann = json_object_get(d, "annotations");
		json_t *blob = NULL;

		if (digest == NULL) {
			*cause = xasprintf("%s: manifest %zu has no digest", what, i);
			return -1;
		}
		if (type == NULL) {
			/* Older writers leave it out: the blob says what it is. */
			if ((blob = oci_read_blob(src, digest, digest, cause)) == NULL)
				return -1;
			type = json_string_value(json_object_get(blob, "mediaType"));
			if (type == NULL)
				type = json_object_get(blob, "manifests") != NULL ?
				    oci_index_types[0] : oci_manifest_types[0];
		}
		if (oci_is(type, oci_index_types)) {
			int r;
			if (depth >= OCI_MAX_DEPTH) {
				*cause = xasprintf("%s: indexes nested more than %d deep",
				                   what, OCI_MAX_DEPTH);
				json_decref(blob);
				return -1;
			}
			if (blob == NULL && (blob = oci_read_blob(src, digest, digest, cause)) == NULL)
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
		if (!image)
			continue;	/* not an image: signatures, SBOMs, ... */
		const char *rt = json_string_value(json_object_get(ann, "vnd.docker.reference.type"));
		if (rt != NULL && strcmp(rt, "attestation-manifest") == 0)
			continue;

		json_t *p = json_object_get(d, "platform");
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
	if ((m = oci_read_blob(src, c->digest, c->digest, cause)) == NULL)
		return -1;
	cd = json_string_value(json_object_get(json_object_get(m, "config"), "digest"));
	config = cd != NULL ? oci_read_blob(src, cd, "config", cause) : NULL;
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

	if (oci_check_layout_file(src, cause) < 0 ||
	    (index = oci_read_json(src, "index.json", cause)) == NULL)
		goto out;
	if (oci_collect(src, index, oci_label(src), 0, &cands, cause) < 0)
		goto out;
	if ((c = oci_choose(src, &cands, cause)) == NULL)
		goto out;
	what = xasprintf("manifest %s", c->digest);
	if ((manifest = oci_read_blob(src, c->digest, what, cause)) == NULL)
		goto out;
	cd = json_string_value(json_object_get(json_object_get(manifest, "config"), "digest"));
	if (cd == NULL || !json_is_array(json_object_get(manifest, "layers"))) {
		*cause = xasprintf("%s: no config or no layers", what);
		goto out;
	}
	if ((config = oci_read_blob(src, cd, "config", cause)) == NULL)
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

const struct source_ops source_oci_archive = {
	.name = "oci-archive",
	.probe = oci_probe_archive,
	.open = oci_open,
};

const struct source_ops source_oci_dir = {
	.name = "oci",
	.probe = oci_probe_dir,
	.open = oci_open,
};

static int
oci_probe_registry(const struct source *src)
{
	return src->registry != NULL;
}

const struct source_ops source_registry = {
	.name = "registry",
	.probe = oci_probe_registry,
	.open = oci_open,
};
