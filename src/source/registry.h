/* registry: images straight from a registry (the OCI distribution spec),
 * without any daemon: Docker Hub's naming, the anonymous bearer-token
 * flow and basic auth, credentials from ~/.docker/config.json (auths,
 * credsStore, credHelpers), tags and digests, --insecure for plain HTTP;
 * what a registry lists (its catalog, a repository's tags). Every
 * manifest, config and layer is checked against its digest; layers
 * stream (in parallel, one per reading thread) straight into the reader.
 * oci.c reads the manifests through it as it reads a layout. Never
 * prints, and never names a credential in a message. */
#ifndef FATHOM_REGISTRY_H
#define FATHOM_REGISTRY_H

#include <jansson.h>
#include <stdint.h>

#include "source/source.h"
#include "util/stream.h"

struct registry;

/* The reference "[host/]repo[:tag|@digest]". Returns NULL with *cause. */
struct registry *registry_new(const char *ref, const struct source_opts *opts, char **cause);
void registry_free(struct registry *r);
/* The image as a reader should call it: "host/repo:tag". */
const char *registry_name(const struct registry *r);

/* An index with one entry: the document the reference names (an index
 * or a manifest), as oci.c reads a layout's index.json. */
json_t *registry_index(struct registry *r, char **cause);
/* A manifest or index (manifest 1) or a config blob by digest, checked. */
json_t *registry_json(struct registry *r, const char *digest, int manifest, char **cause);
/* A layer blob as a stream of its bytes, checked against its digest at its
 * end; never NULL (a failure is a stream that fails with the reason). */
struct stream *registry_blob(struct registry *r, const char *digest);

/* What a registry lists (the distribution spec's catalog and tags, page by
 * page through the Link header), each list sorted, names that are no
 * repository or tag left out and counted in *skipped. host as in a
 * reference ("127.0.0.1:5000", "ghcr.io"). Return 0, or -1 with *cause. */
int registry_catalog(const char *host, const struct source_opts *opts, char ***repos, size_t *n,
                     size_t *skipped, char **cause);
int registry_tags(const char *host, const char *repo, const struct source_opts *opts, char ***tags,
                  size_t *n, size_t *skipped, char **cause);
void registry_names_free(char **names, size_t n);

/* The pure parsers of those lists: a page of /v2/_catalog
 * ({"repositories": [...]}) or of tags/list ({"tags": [...] or null}),
 * the valid names appended to *names (*n of them; owned), the others
 * counted in *skipped; 0, or -1 when the body is no such list. */
int registry_catalog_parse(const char *body, size_t len, char ***names, size_t *n,
                           size_t *skipped);
int registry_tags_parse(const char *body, size_t len, char ***names, size_t *n, size_t *skipped);
/* The next page a Link header names (`<URL>; rel="next"`) as a path from
 * "/v2/" (owned), when it is on the registry whose API answers at api
 * ("https://host"); else NULL. */
char *registry_link_next(const char *link, const char *api);

/* The parsers of what a registry and the docker CLI's config say about
 * logging in; pure, for the flow above and for fuzzing. */
enum { REGISTRY_BASIC = 1, REGISTRY_BEARER = 2 };
struct registry_challenge {
	int scheme;		/* REGISTRY_BASIC or REGISTRY_BEARER */
	char *realm, *service, *scope;	/* owned; NULL when not given */
};
/* A 401's WWW-Authenticate value; 0, or -1 for a scheme fathom cannot
 * answer. */
int registry_challenge_parse(const char *header, struct registry_challenge *c);
void registry_challenge_fini(struct registry_challenge *c);
/* The token of a token server's JSON answer ("token" or "access_token";
 * owned), or NULL when there is none fit for a header. */
char *registry_token_parse(const char *body, size_t len);
/* The "user:secret" that the docker CLI's config (cfg) keeps for host in
 * "auths" (owned), or NULL with *helper set to the credential helper to
 * ask (credHelpers, else credsStore; borrowed from cfg), or NULL. */
char *registry_config_auth(const json_t *cfg, const char *host, const char **helper);

#endif
