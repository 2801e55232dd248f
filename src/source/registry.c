/* registry: the OCI distribution API over HTTP(S); see registry.h. */
#include "source/registry.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source/http.h"
#include "source/transport.h"
#include "util/digest.h"
#include "util/jsonx.h"
#include "util/xalloc.h"

extern char **environ;

#define REGISTRY_JSON_MAX (16u << 20)
#define REGISTRY_RETRIES 4

static const char registry_accept[] =
	"Accept: application/vnd.oci.image.index.v1+json, "
	"application/vnd.docker.distribution.manifest.list.v2+json, "
	"application/vnd.oci.image.manifest.v1+json, "
	"application/vnd.docker.distribution.manifest.v2+json";

struct registry_doc {
	char *digest;
	json_t *json;
};

struct registry {
	char *host;		/* as the user wrote it: "docker.io", "127.0.0.1:5000" */
	char *api;		/* scheme and host the API answers on */
	char *repo;		/* "library/nginx" */
	char *ref;		/* a tag or a digest */
	char *name;		/* "host/repo:tag" or "host/repo@digest" */
	struct http_target t;
	char *userpwd;		/* basic credentials, or NULL (never printed) */
	int creds_looked;
	pthread_mutex_t mu;	/* the layers' threads share the token */
	char *authz;		/* "Authorization: Bearer ..." / "Basic ...", or NULL */
	int basic;		/* the registry asked for basic auth */
	struct registry_doc *docs;	/* fetched, by digest */
	size_t ndocs, cdocs;
};

const char *
registry_name(const struct registry *r)
{
	return r->name;
}

void
registry_free(struct registry *r)
{
	if (r == NULL)
		return;
	free(r->host);
	free(r->api);
	free(r->repo);
	free(r->ref);
	free(r->name);
	if (r->userpwd != NULL) {
		memset(r->userpwd, 0, strlen(r->userpwd));
		free(r->userpwd);
	}
	free(r->authz);
	for (size_t i = 0; i < r->ndocs; i++) {
		free(r->docs[i].digest);
		json_decref(r->docs[i].json);
	}
	free(r->docs);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

/* ------------------------------------------------------------ names */

/* A registry object for host, without a repository yet. */
static struct registry *
registry_at(const char *host, const struct source_opts *opts)
{
	struct registry *r = xcalloc(1, sizeof *r);
	const char *api_host = strcmp(host, "docker.io") == 0 ? "registry-1.docker.io" : host;

	pthread_mutex_init(&r->mu, NULL);
	r->host = xstrdup(host);
	r->api = xasprintf("%s://%s", opts->insecure ? "http" : "https", api_host);
	r->t.stall = opts->timeout;
	return r;
}

/* Splits a reference as docker does: a first component with a dot, a
 * colon or "localhost" is a registry; else Docker Hub, where a one-part
 * name lives under library/. */
struct registry *
registry_new(const char *ref, const struct source_opts *opts, char **cause)
{
	const char *slash = strchr(ref, '/'), *rest = ref;
	struct registry *r;
	char *host;

	if (*ref == '\0') {
		*cause = xstrdup("no image name");
		return NULL;
	}
	if (slash != NULL && (memchr(ref, '.', (size_t)(slash - ref)) != NULL ||
	                      memchr(ref, ':', (size_t)(slash - ref)) != NULL ||
	                      (slash - ref == 9 && strncmp(ref, "localhost", 9) == 0))) {
		host = xstrndup(ref, (size_t)(slash - ref));
		rest = slash + 1;
	} else {
		host = xstrdup("docker.io");
	}
	r = registry_at(host, opts);
	free(host);
	host = r->host;
	const char *at = strchr(rest, '@'), *last = strrchr(rest, '/');
	const char *colon = strrchr(last != NULL ? last : rest, ':');
	size_t rlen;
	if (at != NULL) {
		rlen = (size_t)(at - rest);
		r->ref = xstrdup(at + 1);
		if (!digest_valid(r->ref)) {
			*cause = xasprintf("'%s' is not a digest fathom can check", r->ref);
			registry_free(r);
			return NULL;
		}
	} else if (colon != NULL) {
		rlen = (size_t)(colon - rest);
		r->ref = xstrdup(colon + 1);
	} else {
		rlen = strlen(rest);
		r->ref = xstrdup("latest");
	}
	if (rlen == 0 || r->ref[0] == '\0') {
		*cause = xasprintf("'%s' is not an image reference ([host/]name[:tag|@digest])", ref);
		registry_free(r);
		return NULL;
	}
	if (strcmp(host, "docker.io") == 0 && memchr(rest, '/', rlen) == NULL)
		r->repo = xasprintf("library/%.*s", (int)rlen, rest);
	else
		r->repo = xstrndup(rest, rlen);
	for (const char *p = r->repo; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-/", *p))) {
			*cause = xasprintf("'%s' is not a repository name (lower case letters, "
			                   "digits, . _ - /)", r->repo);
			registry_free(r);
			return NULL;
		}
	r->name = xasprintf("%s/%s%s%s", host, r->repo, at != NULL ? "@" : ":", r->ref);
	return r;
}

/* ----------------------------------------------------------- credentials */

/* Standard base64 with its padding (what config.json's "auth" holds), or
 * NULL. */
static char *
registry_b64decode(const char *in)
{
	size_t n = strlen(in), pad = 0;

	if (n % 4 != 0 || n > INT_MAX)
		return NULL;
	while (pad < n && in[n - 1 - pad] == '=')
		pad++;
	if (pad > 2)
		return NULL;
	unsigned char *out = xmalloc(n / 4 * 3 + 1);
	int len = EVP_DecodeBlock(out, (const unsigned char *)in, (int)n);
	/* EVP_DecodeBlock counts the padding as bytes */
	if (len < (int)pad) {
		free(out);
		return NULL;
	}
	out[len - (int)pad] = '\0';
	return (char *)out;
}

static char *
registry_b64encode(const char *in)
{
	size_t n = strlen(in);
	unsigned char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock(out, (const unsigned char *)in, (int)n);
	return (char *)out;
}

/* The host part of a key of "auths" ("https://host/v1/" -> "host"). */
static int
registry_key_is(const char *key, const char *host)
{
	const char *k = strstr(key, "://") != NULL ? strstr(key, "://") + 3 : key;
	size_t n = strcspn(k, "/");

	if (strcmp(host, "docker.io") == 0 &&
	    ((n == 15 && strncmp(k, "index.docker.io", 15) == 0) ||
	     (n == 20 && strncmp(k, "registry-1.docker.io", 20) == 0)))
		return 1;
	return strlen(host) == n && strncmp(k, host, n) == 0;
}

/* Runs docker-credential-NAME get for server; "user:secret" or NULL. */
static char *
registry_helper(const char *name, const char *server)
{
	char *prog = xasprintf("docker-credential-%s", name);
	char *argv[] = { prog, "get", NULL };
	int in[2], out[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	char buf[65536];
	size_t got = 0;
	char *result = NULL;

	if (pipe2(in, O_CLOEXEC) < 0) {
		free(prog);
		return NULL;
	}
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		free(prog);
		return NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	if (rc == 0) {
		ssize_t w = write(in[1], server, strlen(server));
		(void)w;
		close(in[1]);
		for (;;) {
			ssize_t n = read(out[0], buf + got, sizeof buf - 1 - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		int st = 0;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		buf[got] = '\0';
		json_error_t err;
		json_t *j = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? json_loads(buf, 0, &err) : NULL;
		const char *u = json_string_value(json_object_get(j, "Username"));
		const char *p = json_string_value(json_object_get(j, "Secret"));
		if (u != NULL && p != NULL && strcmp(u, "<token>") != 0)
			result = xasprintf("%s:%s", u, p);
		json_decref(j);
		memset(buf, 0, sizeof buf);
	} else {
		close(in[1]);
	}
	close(out[0]);
	free(prog);
	return result;
}

char *
registry_config_auth(const json_t *cfg, const char *host, const char **helper)
{
	const char *key;
	json_t *v;

	*helper = NULL;
	json_object_foreach(json_object_get(cfg, "credHelpers"), key, v)
		if (registry_key_is(key, host) && json_is_string(v)) {
			*helper = json_string_value(v);
			return NULL;
		}
	json_object_foreach(json_object_get(cfg, "auths"), key, v) {
		const char *a = json_string_value(json_object_get(v, "auth"));
		if (!registry_key_is(key, host) || a == NULL)
			continue;
		char *userpwd = registry_b64decode(a);
		if (userpwd != NULL && strchr(userpwd, ':') != NULL)
			return userpwd;
		if (userpwd != NULL) {
			memset(userpwd, 0, strlen(userpwd));
			free(userpwd);
		}
		break;
	}
	*helper = json_string_value(json_object_get(cfg, "credsStore"));
	return NULL;
}

/* Basic credentials for the registry from the docker CLI's config.
 * Returns 0 (also with none), or -1 with *cause: the file cannot be read. */
static int
registry_credentials(struct registry *r, char **cause)
{
	const char *d = getenv("DOCKER_CONFIG"), *home = getenv("HOME");
	char *path = d != NULL && *d ? xasprintf("%s/config.json", d) :
	             xasprintf("%s/.docker/config.json", home != NULL ? home : "");
	json_t *cfg = jsonx_load_file(path, cause);
	const char *helper;
	const char *server = strcmp(r->host, "docker.io") == 0 ? "https://index.docker.io/v1/" :
	                     r->host;

	r->creds_looked = 1;
	free(path);
	if (cfg == NULL)
		return *cause != NULL ? -1 : 0;
	r->userpwd = registry_config_auth(cfg, r->host, &helper);
	if (r->userpwd == NULL && helper != NULL)
		r->userpwd = registry_helper(helper, server);
	json_decref(cfg);
	return 0;
}

/* -------------------------------------------------------------- auth */

/* The value of key="value" in a WWW-Authenticate challenge (owned). */
static char *
registry_param(const char *challenge, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = challenge; (p = strstr(p, key)) != NULL; p += n) {
		if ((p != challenge && p[-1] != ' ' && p[-1] != ',') || p[n] != '=')
			continue;
		p += n + 1;
		if (*p == '"') {
			const char *end = strchr(p + 1, '"');
			return end != NULL ? xstrndup(p + 1, (size_t)(end - p - 1)) : NULL;
		}
		return xstrndup(p, strcspn(p, ","));
	}
	return NULL;
}

int
registry_challenge_parse(const char *header, struct registry_challenge *c)
{
	memset(c, 0, sizeof *c);
	header += strspn(header, " \t");
	if (strncasecmp(header, "Basic", 5) == 0 && (header[5] == '\0' || header[5] == ' ')) {
		c->scheme = REGISTRY_BASIC;
		return 0;
	}
	if (strncasecmp(header, "Bearer", 6) != 0 || (header[6] != '\0' && header[6] != ' '))
		return -1;
	c->scheme = REGISTRY_BEARER;
	c->realm = registry_param(header + 6, "realm");
	c->service = registry_param(header + 6, "service");
	c->scope = registry_param(header + 6, "scope");
	return 0;
}

void
registry_challenge_fini(struct registry_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	memset(c, 0, sizeof *c);
}

char *
registry_token_parse(const char *body, size_t len)
{
	json_error_t err;
	json_t *j = json_loadb(body, len, 0, &err);
	const char *tok = json_string_value(json_object_get(j, "token"));
	char *out = NULL;

	if (tok == NULL)
		tok = json_string_value(json_object_get(j, "access_token"));
	/* the token goes into a header line: nothing that would end it */
	if (tok != NULL && *tok != '\0' && strpbrk(tok, "\r\n") == NULL)
		out = xstrdup(tok);
	json_decref(j);
	return out;
}

/* Basic auth: the login itself, on every request from now on. */
static int
registry_authorize_basic(struct registry *r, char **cause)
{
	if (r->userpwd == NULL) {
		*cause = xasprintf("%s asks for a login and ~/.docker/config.json has none "
		                   "for it", r->host);
		return -1;
	}
	char *b = registry_b64encode(r->userpwd);
	pthread_mutex_lock(&r->mu);
	free(r->authz);
	r->authz = xasprintf("Authorization: Basic %s", b);
	r->basic = 1;
	pthread_mutex_unlock(&r->mu);
	memset(b, 0, strlen(b));
	free(b);
	return 0;
}

/* Where a token challenge sends for a token: its realm, with its service
 * and scope (when it names none, pulling the repository, or the catalog). */
static char *
registry_token_url(const struct registry *r, const struct registry_challenge *c)
{
	char *scope = c->scope != NULL ? xstrdup(c->scope) :
	              r->repo != NULL ? xasprintf("repository:%s:pull", r->repo) :
	              xstrdup("registry:catalog:*");
	char *es = curl_easy_escape(NULL, c->service != NULL ? c->service : "", 0);
	char *esc = curl_easy_escape(NULL, scope, 0);
	char *url = xasprintf("%s%sservice=%s&scope=%s", c->realm,
	                      strchr(c->realm, '?') ? "&" : "?", es, esc);

	curl_free(es);
	curl_free(esc);
	free(scope);
	return url;
}

/* Bearer auth: a token from the challenge's realm, asked with the login
 * when there is one. */
static int
registry_authorize_bearer(struct registry *r, const struct registry_challenge *c,
                          char **cause)
{
	const char *realm = c->realm;
	struct http_response tr;
	char *why = NULL;
	int rc = -1;

	if (realm == NULL) {
		*cause = xasprintf("%s: a token challenge without a realm", r->host);
		return -1;
	}
	char *url = registry_token_url(r, c);
	struct http_request rq = { .method = "GET", .url = url, .userpwd = r->userpwd,
	                           .retries = REGISTRY_RETRIES };
	if (http_fetch(&r->t, &rq, 1u << 20, &tr, &why) < 0) {
		*cause = xasprintf("getting a token from %s: %s", realm, why);
		free(why);
	} else if (tr.status != 200) {
		*cause = xasprintf("%s refused a token for %s (HTTP %ld%s)", realm, r->repo, tr.status,
		                   r->userpwd != NULL ? ", with the login of ~/.docker/config.json" :
		                   ", anonymously");
	} else {
		char *tok = registry_token_parse(tr.body, tr.len);
		if (tok == NULL) {
			*cause = xasprintf("%s answered without a token", realm);
		} else {
			pthread_mutex_lock(&r->mu);
			free(r->authz);
			r->authz = xasprintf("Authorization: Bearer %s", tok);
			pthread_mutex_unlock(&r->mu);
			memset(tok, 0, strlen(tok));
			free(tok);
			rc = 0;
		}
	}
	http_response_fini(&tr);
	free(url);
	return rc;
}

/* Answers a 401: a token from the challenge's realm (with the basic
 * credentials when there are some), or basic auth. */
static int
registry_authorize(struct registry *r, const struct http_response *denied, char **cause)
{
	const char *ch = http_header(denied, "WWW-Authenticate");

	pthread_mutex_lock(&r->mu);
	int bad = !r->creds_looked && registry_credentials(r, cause) < 0;
	pthread_mutex_unlock(&r->mu);
	if (bad)
		return -1;
	if (ch == NULL) {
		*cause = xasprintf("%s refused access (HTTP 401) without saying how to log in",
		                   r->host);
		return -1;
	}
	struct registry_challenge c;
	if (registry_challenge_parse(ch, &c) < 0) {
		*cause = xasprintf("%s asks for an unknown kind of login", r->host);
		return -1;
	}
	if (c.scheme == REGISTRY_BASIC)
		return registry_authorize_basic(r, cause);
	int rc = registry_authorize_bearer(r, &c, cause);
	registry_challenge_fini(&c);
	return rc;
}

/* What a refusal means, without credentials. */
static char *
registry_denied(const struct registry *r, long status)
{
	return xasprintf("%s refused access to %s (HTTP %ld%s)", r->host, r->repo, status,
	                 r->userpwd != NULL ? " with the login of ~/.docker/config.json" :
	                 r->basic || r->authz != NULL ? "" : "; log in with docker login");
}

/* The headers of a request: the authorization (a copy), and extra. */
static void
registry_headers(struct registry *r, const char *extra, char **authz, const char *hdrs[3])
{
	pthread_mutex_lock(&r->mu);
	*authz = r->authz != NULL ? xstrdup(r->authz) : NULL;
	pthread_mutex_unlock(&r->mu);
	size_t k = 0;
	if (*authz != NULL)
		hdrs[k++] = *authz;
	if (extra != NULL)
		hdrs[k++] = extra;
	hdrs[k] = NULL;
}

/* GET url (owned), logging in once if asked. */
static int
registry_get_url(struct registry *r, char *url, const char *accept,
                 struct http_response *resp, char **cause)
{
	int rc = -1;

	for (int attempt = 0; attempt < 2; attempt++) {
		char *authz;
		const char *hdrs[3];
		registry_headers(r, accept, &authz, hdrs);
		struct http_request rq = { .method = "GET", .url = url, .headers = hdrs,
		                           .retries = REGISTRY_RETRIES };
		int f = http_fetch(&r->t, &rq, REGISTRY_JSON_MAX, resp, cause);
		free(authz);
		if (f < 0)
			break;
		if (resp->status == 401 && attempt == 0) {
			int a = registry_authorize(r, resp, cause);
			http_response_fini(resp);
			if (a < 0)
				break;
			continue;
		}
		rc = 0;
		break;
	}
	free(url);
	return rc;
}

/* GET base/v2/repo/path, logging in once if asked. */
static int
registry_get(struct registry *r, const char *path, const char *accept,
             struct http_response *resp, char **cause)
{
	return registry_get_url(r, xasprintf("%s/v2/%s/%s", r->api, r->repo, path), accept, resp,
	                        cause);
}

/* ---------------------------------------------------------- documents */

static json_t *
registry_cached(struct registry *r, const char *digest)
{
	for (size_t i = 0; i < r->ndocs; i++)
		if (strcmp(r->docs[i].digest, digest) == 0)
			return json_incref(r->docs[i].json);
	return NULL;
}

static json_t *
registry_keep(struct registry *r, const char *digest, json_t *j)
{
	ARRAY_RESERVE(r->docs, r->ndocs, r->cdocs);
	r->docs[r->ndocs++] = (struct registry_doc){ xstrdup(digest), json_incref(j) };
	return j;
}

/* Fetches a manifest (by tag or digest) or a config blob; checks the
 * bytes against digest when one is given; returns the JSON and, for a tag,
 * its digest in *got (owned). */
static json_t *
registry_fetch(struct registry *r, const char *ref, int manifest, char **got, char **cause)
{
	struct http_response resp;
	char *path = xasprintf("%s/%s", manifest ? "manifests" : "blobs", ref), *why = NULL;
	json_t *j = NULL;
	int by_digest = digest_valid(ref);

	if (registry_get(r, path, manifest ? registry_accept : NULL, &resp, &why) < 0) {
		*cause = why;
		free(path);
		return NULL;
	}
	free(path);
	if (resp.status == 404) {
		*cause = manifest && !by_digest ?
		    xasprintf("%s has no image %s (no such repository or tag)", r->host, r->name) :
		    xasprintf("%s has no %s %s in %s", r->host, manifest ? "manifest" : "blob", ref,
		              r->repo);
		goto out;
	}
	if (resp.status == 401 || resp.status == 403) {
		*cause = registry_denied(r, resp.status);
		goto out;
	}
	if (resp.status != 200) {
		*cause = xasprintf("%s answered HTTP %ld for %s", r->host, resp.status, ref);
		goto out;
	}
	const char *colon = strchr(ref, ':');
	char alg[16] = "sha256";
	if (by_digest)
		snprintf(alg, sizeof alg, "%.*s", (int)(colon - ref), ref);
	char *have = digest_of(alg, resp.body, resp.len);
	if (by_digest && strcmp(have, ref) != 0) {
		*cause = xasprintf("%s: the bytes %s sent do not match their digest (they are %s)",
		                   ref, r->host, have);
		free(have);
		goto out;
	}
	json_error_t err;
	j = json_loadb(resp.body, resp.len, 0, &err);
	if (j == NULL || !json_is_object(j)) {
		*cause = xasprintf("%s %s: not a JSON object (%s)", manifest ? "manifest" : "blob", ref,
		                   j == NULL ? err.text : "another kind of JSON");
		json_decref(j);
		j = NULL;
		free(have);
		goto out;
	}
	if (got != NULL)
		*got = have;
	else
		free(have);
out:
	http_response_fini(&resp);
	return j;
}

json_t *
registry_index(struct registry *r, char **cause)
{
	char *digest = NULL;
	json_t *top = registry_fetch(r, r->ref, 1, &digest, cause);

	if (top == NULL)
		return NULL;
	registry_keep(r, digest, top);
	const char *type = json_string_value(json_object_get(top, "mediaType"));
	if (type == NULL)
		type = json_object_get(top, "manifests") != NULL ?
		       "application/vnd.oci.image.index.v1+json" :
		       "application/vnd.oci.image.manifest.v1+json";
	json_t *index = json_pack("{s:i, s:[{s:s, s:s, s:{s:s}}]}", "schemaVersion", 2,
	                          "manifests", "mediaType", type, "digest", digest,
	                          "annotations", "io.containerd.image.name", r->name);
	json_decref(top);
	free(digest);
	return index;
}

json_t *
registry_json(struct registry *r, const char *digest, int manifest, char **cause)
{
	json_t *j = registry_cached(r, digest);

	if (j != NULL)
		return j;
	if (!digest_valid(digest)) {
		*cause = xasprintf("'%s' is not a digest fathom can check", digest);
		return NULL;
	}
	if ((j = registry_fetch(r, digest, manifest, NULL, cause)) == NULL)
		return NULL;
	return registry_keep(r, digest, j);
}

struct stream *
registry_blob(struct registry *r, const char *digest)
{
	char *url, *why = NULL;
	struct http_response resp;
	struct stream *s = NULL;

	if (!digest_valid(digest))
		return stream_failed_new(xasprintf("'%s' is not a digest fathom can check", digest));
	url = xasprintf("%s/v2/%s/blobs/%s", r->api, r->repo, digest);
	for (int attempt = 0; attempt < 2 && s == NULL; attempt++) {
		char *authz;
		const char *hdrs[3];
		registry_headers(r, NULL, &authz, hdrs);
		struct http_request rq = { .method = "GET", .url = url, .headers = hdrs,
		                           .retries = REGISTRY_RETRIES };
		s = http_stream(&r->t, &rq, &resp, &why);
		free(authz);
		if (s != NULL || why != NULL)
			break;
		if (resp.status == 401 && attempt == 0) {
			int a = registry_authorize(r, &resp, &why);
			http_response_fini(&resp);
			if (a < 0)
				break;
			continue;
		}
		why = resp.status == 404 ? xasprintf("%s has no blob %s in %s", r->host, digest, r->repo) :
		      resp.status == 401 || resp.status == 403 ? registry_denied(r, resp.status) :
		      xasprintf("%s answered HTTP %ld for the blob", r->host, resp.status);
		http_response_fini(&resp);
		break;
	}
	free(url);
	if (s == NULL)
		return stream_failed_new(why != NULL ? why : xstrdup("the blob cannot be read"));
	http_response_fini(&resp);
	return stream_digest_new(s, digest);
}

/* ------------------------------------------------------------ catalog */

#define REGISTRY_PAGES_MAX 100000	/* a registry that pages forever */

static int
registry_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A repository name as the distribution spec has it: components of lower
 * case letters and digits joined by ".", "_", "__" or runs of "-",
 * between slashes. */
static int
registry_repo_valid(const char *s)
{
	size_t n = strlen(s), i = 0;

	if (n == 0 || n > 255)
		return 0;
	for (;;) {
		size_t start = i;
		while (i < n && registry_alnum(s[i]))
			i++;
		if (i == start)
			return 0;	/* a separator with nothing before it */
		if (i == n)
			return 1;
		if (s[i] == '.' || s[i] == '/')
			i++;
		else if (s[i] == '_')
			i += i + 1 < n && s[i + 1] == '_' ? 2 : 1;
		else if (s[i] == '-')
			while (i < n && s[i] == '-')
				i++;
		else
			return 0;
	}
}

/* A tag as docker takes it: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
static int
registry_tag_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 128 || *s == '.' || *s == '-')
		return 0;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("_.-", *c)))
			return 0;
	return 1;
}

/* The strings of body's array key that valid() takes, appended. */
static int
registry_names_parse(const char *body, size_t len, const char *key, int null_ok,
                     int (*valid)(const char *), char ***names, size_t *n, size_t *skipped)
{
	json_error_t err;
	json_t *j = json_loadb(body, len, JSON_ALLOW_NUL, &err), *a = json_object_get(j, key), *v;
	size_t i, cap = *n;

	if (!json_is_object(j) || (!json_is_array(a) && !(null_ok && (a == NULL || json_is_null(a))))) {
		json_decref(j);
		return -1;
	}
	json_array_foreach(a, i, v) {
		const char *name = json_string_value(v);
		if (name == NULL || strlen(name) != json_string_length(v) || !valid(name)) {
			(*skipped)++;
			continue;
		}
		ARRAY_RESERVE(*names, *n, cap);
		(*names)[(*n)++] = xstrdup(name);
	}
	json_decref(j);
	return 0;
}

int
registry_catalog_parse(const char *body, size_t len, char ***names, size_t *n, size_t *skipped)
{
	return registry_names_parse(body, len, "repositories", 0, registry_repo_valid, names, n,
	                            skipped);
}

int
registry_tags_parse(const char *body, size_t len, char ***names, size_t *n, size_t *skipped)
{
	/* a repository whose tags were all deleted lists "tags": null */
	return registry_names_parse(body, len, "tags", 1, registry_tag_valid, names, n, skipped);
}

char *
registry_link_next(const char *link, const char *api)
{
	const char *p = link;
	size_t napi = strlen(api);

	while ((p = strchr(p, '<')) != NULL) {
		const char *end = strchr(p, '>');
		if (end == NULL)
			return NULL;
		const char *url = p + 1, *params = end + 1, *stop = strchr(params, ',');
		size_t ulen = (size_t)(end - url);
		size_t plen = stop != NULL ? (size_t)(stop - params) : strlen(params);
		p = end + 1;
		/* rel="next" (or rel=next) among the link's parameters */
		char *ps = xstrndup(params, plen);
		int next = strstr(ps, "rel=\"next\"") != NULL || strstr(ps, "rel=next") != NULL;
		free(ps);
		if (!next)
			continue;
		/* the same registry only: its token goes with the request */
		if (ulen > napi && strncmp(url, api, napi) == 0) {
			url += napi;
			ulen -= napi;
		}
		if (ulen < 4 || strncmp(url, "/v2/", 4) != 0)
			return NULL;
		for (size_t i = 0; i < ulen; i++)
			if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f || url[i] == '#')
				return NULL;
		return xstrndup(url, ulen);
	}
	return NULL;
}

static int
registry_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts names and drops repeats (a registry's pages may overlap). */
static void
registry_names_sort(char **names, size_t *n)
{
	size_t k = 0;

	if (*n > 1)
		qsort(names, *n, sizeof *names, registry_strcmp);
	for (size_t i = 0; i < *n; i++) {
		if (k > 0 && strcmp(names[k - 1], names[i]) == 0)
			free(names[i]);
		else
			names[k++] = names[i];
	}
	*n = k;
}

void
registry_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Every page of a list from path on (what: "the catalog", "the tags of
 * REPO", for messages), each parsed by parse. */
static int
registry_pages(struct registry *r, const char *path, const char *what,
               int (*parse)(const char *, size_t, char ***, size_t *, size_t *),
               char ***names, size_t *n, size_t *skipped, char **cause)
{
	char *next = xstrdup(path), *why = NULL;
	int rc = 0;

	*names = NULL;
	*n = *skipped = 0;
	for (size_t page = 0; next != NULL && rc == 0; page++) {
		struct http_response resp;
		if (page == REGISTRY_PAGES_MAX) {
			*cause = xasprintf("%s: %s goes on past %d pages", r->host, what,
			                   REGISTRY_PAGES_MAX);
			rc = -1;
			break;
		}
		if (registry_get_url(r, xasprintf("%s%s", r->api, next), NULL, &resp, &why) < 0) {
			*cause = xasprintf("%s: %s: %s", r->host, what, why);
			free(why);
			rc = -1;
			break;
		}
		free(next);
		next = NULL;
		if (resp.status == 404 && r->repo != NULL)
			why = xasprintf("%s has no repository %s", r->host, r->repo);
		else if (resp.status == 401 || resp.status == 403 || resp.status == 404)
			why = xasprintf("%s does not list %s (HTTP %ld%s)", r->host, what, resp.status,
			                r->authz != NULL || r->userpwd != NULL ? "" :
			                "; log in with docker login");
		else if (resp.status != 200)
			why = xasprintf("%s answered HTTP %ld for %s", r->host, resp.status, what);
		else if (parse(resp.body, resp.len, names, n, skipped) < 0)
			why = xasprintf("%s: %s is not the JSON a registry lists", r->host, what);
		else if (http_header(&resp, "Link") != NULL)
			next = registry_link_next(http_header(&resp, "Link"), r->api);
		if (why != NULL) {
			*cause = why;
			rc = -1;
		}
		http_response_fini(&resp);
	}
	free(next);
	if (rc < 0) {
		registry_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return -1;
	}
	registry_names_sort(*names, n);
	return 0;
}

int
registry_catalog(const char *host, const struct source_opts *opts, char ***repos, size_t *n,
                 size_t *skipped, char **cause)
{
	struct registry *r = registry_at(host, opts);
	/* no page size asked (n=): distribution refuses one above its own */
	int rc = registry_pages(r, "/v2/_catalog", "its catalog",
	                        registry_catalog_parse, repos, n, skipped, cause);

	registry_free(r);
	return rc;
}

int
registry_tags(const char *host, const char *repo, const struct source_opts *opts, char ***tags,
              size_t *n, size_t *skipped, char **cause)
{
	if (!registry_repo_valid(repo)) {
		*cause = xasprintf("'%s' is not a repository name", repo);
		return -1;
	}
	struct registry *r = registry_at(host, opts);
	r->repo = xstrdup(repo);
	char *path = xasprintf("/v2/%s/tags/list", repo);
	char *what = xasprintf("the tags of %s", repo);
	int rc = registry_pages(r, path, what, registry_tags_parse, tags, n, skipped, cause);

	free(what);
	free(path);
	registry_free(r);
	return rc;
}

/* ------------------------------------------------------------ transport */

static struct registry *
registry_of(const struct source *src)
{
	return src->tpriv;
}

static int
registry_transport_open(struct source *src, char **cause)
{
	struct registry *r = registry_new(src->spec, src->opts, cause);

	if (r == NULL)
		return -1;
	src->tpriv = r;
	src->index_name = registry_name(r);
	return 0;
}

/* What a format reads by name: the reference, as a layout's index.json. */
static int
registry_transport_has(const struct source *src, const char *name)
{
	(void)src;
	return strcmp(name, "index.json") == 0;
}

/* j's text (j owned), *len bytes; NULL (j NULL) keeps *cause. */
static char *
registry_text(json_t *j, size_t *len)
{
	char *text = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	if (j != NULL && text == NULL)
		xalloc_die();
	json_decref(j);
	if (text != NULL)
		*len = strlen(text);
	return text;
}

static char *
registry_transport_read(struct source *src, const char *name, size_t max, size_t *len,
                        char **cause)
{
	(void)max;
	if (strcmp(name, "index.json") != 0) {
		*cause = xasprintf("a registry has no file '%s'", name);
		return NULL;
	}
	return registry_text(registry_index(registry_of(src), cause), len);
}

static char *
registry_transport_digest(struct source *src, const char *digest, int manifest, size_t max,
                          size_t *len, char **cause)
{
	(void)max;
	return registry_text(registry_json(registry_of(src), digest, manifest, cause), len);
}

static long
registry_transport_blob(struct source *src, const char *name, const char *digest,
                        const char *key, int64_t size, char **cause)
{
	(void)name;
	(void)key;
	if (digest == NULL) {
		*cause = xstrdup("no digest");
		return -1;
	}
	return (long)source_blob(src, digest, NULL, 0, size);
}

static struct stream *
registry_transport_open_blob(const struct source *src, size_t b, int map)
{
	(void)map;
	return registry_blob(registry_of(src), src->blobs[b].key);
}

static void
registry_transport_close(struct source *src)
{
	registry_free(registry_of(src));
	src->tpriv = NULL;
}

const struct transport_ops transport_registry = {
	.name = "registry",
	.scheme = "registry",
	.help = "an image straight from a registry (no daemon)",
	.shape = TRANSPORT_DIGESTS,
	.verify = 1,
	.checks = 1,
	.reading = "downloading",
	.open = registry_transport_open,
	.has = registry_transport_has,
	.read = registry_transport_read,
	.read_digest = registry_transport_digest,
	.blob = registry_transport_blob,
	.open_blob = registry_transport_open_blob,
	.close = registry_transport_close,
};
