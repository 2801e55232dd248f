/* engine: Docker Engine and Podman images through their API; see engine.h. */
#include "source/engine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source/http.h"
#include "source/tarstream.h"
#include "util/jsonx.h"
#include "util/xalloc.h"

extern char **environ;

#define ENGINE_JSON_MAX (4u << 20)

void
engine_where_fini(struct engine_where *w)
{
	free(w->host);
	free(w->how);
	free(w->ca);
	free(w->cert);
	free(w->key);
	memset(w, 0, sizeof *w);
}

static char *
engine_home_path(const char *rel)
{
	const char *home = getenv("HOME");

	return xasprintf("%s/%s", home != NULL ? home : "", rel);
}

/* The docker CLI's configuration folder: $DOCKER_CONFIG or ~/.docker. */
static char *
engine_docker_dir(void)
{
	const char *d = getenv("DOCKER_CONFIG");

	return d != NULL && *d ? xstrdup(d) : engine_home_path(".docker");
}


static int
engine_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* TLS files of a folder holding ca.pem, cert.pem, key.pem. */
static void
engine_tls_files(struct engine_where *w, const char *dir)
{
	char *ca = xasprintf("%s/ca.pem", dir), *cert = xasprintf("%s/cert.pem", dir);
	char *key = xasprintf("%s/key.pem", dir);

	if (engine_exists(ca))
		w->ca = ca;
	else
		free(ca);
	if (engine_exists(cert) && engine_exists(key)) {
		w->cert = cert;
		w->key = key;
	} else {
		free(cert);
		free(key);
	}
}

/* A docker context by name, from contexts/meta/<digest>/meta.json. */
static int
engine_context(struct engine_where *w, const char *dir, const char *name, char **cause)
{
	char *meta = xasprintf("%s/contexts/meta", dir);
	DIR *d = opendir(meta);
	struct dirent *de;
	int rc = -1;

	while (d != NULL && rc < 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s/meta.json", meta, de->d_name);
		char *why = NULL;
		json_t *j = jsonx_load_file(path, &why);
		free(path);
		if (why != NULL) {
			*cause = why;
			break;
		}
		const char *n = json_string_value(json_object_get(j, "Name"));
		json_t *ep = json_object_get(json_object_get(j, "Endpoints"), "docker");
		const char *host = json_string_value(json_object_get(ep, "Host"));
		if (n != NULL && strcmp(n, name) == 0 && host != NULL) {
			w->host = xstrdup(host);
			w->tls_verify = !json_is_true(json_object_get(ep, "SkipTLSVerify"));
			char *tls = xasprintf("%s/contexts/tls/%s/docker", dir, de->d_name);
			engine_tls_files(w, tls);
			w->tls = w->ca != NULL || w->cert != NULL;
			free(tls);
			rc = 0;
		}
		json_decref(j);
	}
	if (d != NULL)
		closedir(d);
	if (rc < 0)
		*cause = xasprintf("docker context '%s' is not in %s", name, meta);
	free(meta);
	return rc;
}

/* Podman: $CONTAINER_HOST, else the user's socket, else the system's. */
static void
engine_find_podman(struct engine_where *w)
{
	const char *h = getenv("CONTAINER_HOST"), *rt = getenv("XDG_RUNTIME_DIR");

	if (h != NULL && *h) {
		w->host = xstrdup(h);
		w->how = xstrdup("CONTAINER_HOST");
		return;
	}
	char *user = rt != NULL && *rt ? xasprintf("%s/podman/podman.sock", rt) : NULL;
	if (user != NULL && engine_exists(user)) {
		w->host = xasprintf("unix://%s", user);
		w->how = xstrdup("$XDG_RUNTIME_DIR/podman/podman.sock");
	} else {
		w->host = xstrdup("unix:///run/podman/podman.sock");
		w->how = xstrdup("the system socket");
	}
	free(user);
}

/* Docker without $DOCKER_HOST: the context $DOCKER_CONTEXT names, else
 * the current one of dir's config.json, else the default socket. */
static int
engine_find_context(struct engine_where *w, const char *dir, char **cause)
{
	const char *ctx = getenv("DOCKER_CONTEXT");
	char *cfgpath = xasprintf("%s/config.json", dir);
	json_t *cfg = NULL;
	int rc = 0;

	if (ctx != NULL && *ctx) {
		w->how = xasprintf("DOCKER_CONTEXT=%s", ctx);
	} else {
		char *why = NULL;
		cfg = jsonx_load_file(cfgpath, &why);
		if (why != NULL) {
			*cause = why;
			free(cfgpath);
			return -1;
		}
		ctx = json_string_value(json_object_get(cfg, "currentContext"));
		if (ctx != NULL)
			w->how = xasprintf("context '%s' of %s", ctx, cfgpath);
	}
	if (ctx != NULL && *ctx && strcmp(ctx, "default") != 0) {
		rc = engine_context(w, dir, ctx, cause);
	} else {
		w->host = xstrdup("unix:///var/run/docker.sock");
		free(w->how);
		w->how = xstrdup("the default socket");
	}
	json_decref(cfg);
	free(cfgpath);
	return rc;
}

int
engine_find(const char *engine, struct engine_where *w, char **cause)
{
	memset(w, 0, sizeof *w);
	if (strcmp(engine, "podman") == 0) {
		engine_find_podman(w);
		return 0;
	}

	const char *h = getenv("DOCKER_HOST"), *cp = getenv("DOCKER_CERT_PATH");
	const char *verify = getenv("DOCKER_TLS_VERIFY"), *tls = getenv("DOCKER_TLS");
	char *dir = engine_docker_dir();

	if (h != NULL && *h) {
		w->host = xstrdup(h);
		w->how = xstrdup("DOCKER_HOST");
		w->tls_verify = verify != NULL && *verify;
		w->tls = w->tls_verify || (tls != NULL && *tls);
		if (w->tls)
			engine_tls_files(w, cp != NULL && *cp ? cp : dir);
		free(dir);
		return 0;
	}
	int rc = engine_find_context(w, dir, cause);
	free(dir);
	if (rc < 0)
		engine_where_fini(w);
	return rc;
}

/* The target and base URL of a host setting. */
static int
engine_target(const struct engine_where *w, struct http_target *t, char **base, char **cause)
{
	memset(t, 0, sizeof *t);
	if (strncmp(w->host, "unix://", 7) == 0) {
		t->unix_socket = w->host + 7;
		*base = xstrdup("http://localhost");
		return 0;
	}
	if (strncmp(w->host, "tcp://", 6) == 0 || strncmp(w->host, "http://", 7) == 0 ||
	    strncmp(w->host, "https://", 8) == 0) {
		const char *hp = strstr(w->host, "://") + 3;
		int tls = w->tls || strncmp(w->host, "https://", 8) == 0;
		*base = xasprintf("%s://%s", tls ? "https" : "http", hp);
		size_t n = strlen(*base);
		if (n > 0 && (*base)[n - 1] == '/')
			(*base)[n - 1] = '\0';
		t->ca = w->ca;
		t->cert = w->cert;
		t->key = w->key;
		t->tls_noverify = tls && !w->tls_verify;
		return 0;
	}
	*cause = xasprintf("%s (from %s): only unix:// and tcp:// hosts are read (for ssh://, "
	                   "forward the socket with ssh -L)", w->host, w->how);
	return -1;
}

/* name as a URL path segment: what the API's routes take, the rest %XX. */
static char *
engine_escape(const char *name)
{
	char *out = xmalloc(strlen(name) * 3 + 1), *o = out;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("._-:/@", *p) != NULL)
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

/* The engine's error text from a JSON body {"message": ...}, or the body. */
static char *
engine_message(const struct http_response *r)
{
	json_error_t err;
	json_t *j = r->body != NULL ? json_loads(r->body, 0, &err) : NULL;
	const char *m = json_string_value(json_object_get(j, "message"));
	char *out;

	if (m != NULL)
		out = xstrdup(m);
	else if (r->body != NULL && *r->body)
		out = xstrndup(r->body, strcspn(r->body, "\r\n"));
	else
		out = xasprintf("HTTP %ld", r->status);
	json_decref(j);
	return out;
}

/* One line of a pull's answer, a JSON object: an error (the first one
 * is kept in *cause), or progress. */
static void
engine_pull_line(const char *line, const char *name, const struct source_opts *opts,
                 char **cause)
{
	json_error_t err;
	json_t *j = json_loads(line, 0, &err);
	const char *e = json_string_value(json_object_get(j, "error"));

	if (e != NULL && *cause == NULL)
		*cause = xasprintf("pulling %s: %s", name, e);
	if (e == NULL && opts->progress != NULL) {
		json_t *d = json_object_get(j, "progressDetail");
		const char *id = json_string_value(json_object_get(j, "id"));
		const char *st = json_string_value(json_object_get(j, "status"));
		opts->progress(opts->progress_ctx, id != NULL ? id : name, st != NULL ? st : "",
		               (uint64_t)json_integer_value(json_object_get(d, "current")),
		               (uint64_t)json_integer_value(json_object_get(d, "total")));
	}
	json_decref(j);
}

/* Pulls name, reporting the engine's progress lines. */
static int
engine_pull(const struct http_target *t, const char *base, const char *name,
            const struct source_opts *opts, char **cause)
{
	char *esc = engine_escape(name), *url, *why = NULL;
	struct http_response r;
	struct stream *s;
	int rc = -1;

	*cause = NULL;
	url = opts->platform != NULL ?
	      xasprintf("%s/images/create?fromImage=%s&platform=%s", base, esc, opts->platform) :
	      xasprintf("%s/images/create?fromImage=%s", base, esc);
	struct http_request rq = { .method = "POST", .url = url, .body = "" };
	s = http_stream(t, &rq, &r, &why);
	if (s == NULL) {
		*cause = why != NULL ? why : engine_message(&r);
		goto out;
	}
	/* JSON objects, one per line: progress, or an error */
	char *line = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		const void *buf;
		ssize_t n = stream_read(s, &buf);
		if (n < 0) {
			*cause = xasprintf("pulling %s: %s", name, stream_error(s));
			break;
		}
		for (ssize_t i = 0; i < n || (n == 0 && len > 0 && i == 0); i++) {
			char ch = n > 0 ? ((const char *)buf)[i] : '\n';
			ARRAY_RESERVE(line, len + 1, cap);
			if (ch != '\n') {
				line[len++] = ch;
				continue;
			}
			line[len] = '\0';
			len = 0;
			engine_pull_line(line, name, opts, cause);
		}
		if (n == 0)
			break;
	}
	free(line);
	if (*cause == NULL)
		rc = 0;
out:
	stream_free(s);
	http_response_fini(&r);
	free(url);
	free(esc);
	return rc;
}

/* ------------------------------------------------- podman image save */

struct proc_stream {
	struct stream s;
	struct stream *out;	/* the child's stdout */
	int errfd;
	pid_t pid;
	const char *what;
};

static char *
proc_stderr(int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf - 1);

	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

static int
proc_wait(struct proc_stream *p, char **why)
{
	int st = 0;

	if (p->pid <= 0)
		return 0;
	while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
		;
	p->pid = 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	char *e = proc_stderr(p->errfd);
	*why = xasprintf("%s failed (%s %d)%s%s", p->what,
	                 WIFEXITED(st) ? "exit status" : "signal",
	                 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), *e ? ": " : "", e);
	free(e);
	return -1;
}

static ssize_t
proc_read(struct stream *s, const void **buf)
{
	struct proc_stream *p = (struct proc_stream *)s;
	ssize_t n = stream_read(p->out, buf);
	char *why = NULL;

	if (n < 0) {
		free(s->error);
		s->error = xstrdup(stream_error(p->out));
	} else if (n == 0 && proc_wait(p, &why) < 0) {
		free(s->error);
		s->error = why;
		return -1;
	}
	return n;
}

static void
proc_free(struct stream *s)
{
	struct proc_stream *p = (struct proc_stream *)s;
	char *why = NULL;

	stream_free(p->out);	/* closes the pipe: the child stops */
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		proc_wait(p, &why);
		free(why);
	}
	close(p->errfd);
	free(p);
}

static const struct stream_ops proc_ops = {
	.read = proc_read,
	.skip = NULL,
	.free = proc_free,
};

/* `podman image save --format docker-archive name`, as a stream. */
static struct stream *
engine_podman_save(const char *name, char **cause)
{
	int out[2], err[2];
	posix_spawn_file_actions_t fa;
	char *argv[] = { "podman", "image", "save", "--format", "docker-archive", (char *)name,
	                 NULL };
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return NULL;
	}
	fcntl(out[1], F_SETPIPE_SZ, 1 << 20);
	fcntl(err[1], F_SETPIPE_SZ, 1 << 20);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
	/* podman itself, on this machine: not the service that did not answer */
	size_t n = 0;
	while (environ[n] != NULL)
		n++;
	char **env = xcalloc(n + 1, sizeof *env);
	for (size_t i = 0, k = 0; i < n; i++)
		if (strncmp(environ[i], "CONTAINER_HOST=", 15) != 0 &&
		    strncmp(environ[i], "CONTAINER_CONNECTION=", 21) != 0)
			env[k++] = environ[i];
	int rc = posix_spawnp(&pid, "podman", &fa, NULL, argv, env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	if (rc != 0) {
		close(out[0]);
		close(err[0]);
		*cause = xasprintf("cannot run podman: %s", strerror(rc));
		return NULL;
	}
	struct proc_stream *p = xcalloc(1, sizeof *p);
	p->s.ops = &proc_ops;
	p->out = stream_fd_new(out[0], 1, STREAM_BIG_BLOCK);
	p->errfd = err[0];
	p->pid = pid;
	p->what = "podman image save";
	return &p->s;
}

/* ------------------------------------------------------------- load */

/* Makes sure the engine (Engine, at base) has name, esc escaped: it has
 * it, or it pulls it. 0, or -1 with *cause. */
static int
engine_present(const struct http_target *t, const char *base, const char *Engine,
               const char *name, const char *esc, const struct source_opts *opts,
               char **cause)
{
	char *url = xasprintf("%s/images/%s/json", base, esc), *why = NULL;
	struct http_request inspect = { .method = "GET", .url = url, .retries = 2 };
	struct http_response r;
	int rc = -1;

	if (http_fetch(t, &inspect, ENGINE_JSON_MAX, &r, cause) < 0) {
		free(url);
		return -1;
	}
	if (r.status == 404) {
		http_response_fini(&r);
		if (engine_pull(t, base, name, opts, &why) < 0)
			*cause = xasprintf("not in the %s engine, and the pull failed: %s", Engine, why);
		else
			rc = 0;
	} else if (r.status != 200) {
		*cause = engine_message(&r);
	} else {
		rc = 0;
	}
	http_response_fini(&r);
	free(url);
	free(why);
	return rc;
}

/* The stream of engine's image name: GET /images/{name}/get (pulled first
 * when the engine lacks it), or `podman image save` when no Podman service
 * answers. NULL with *cause. */
static struct stream *
engine_export(const char *engine, const char *name, const struct source_opts *opts,
              char **cause)
{
	struct engine_where w;
	struct http_target t;
	struct http_response r = { 0 };
	char *base = NULL, *esc = engine_escape(name), *url = NULL, *why = NULL;
	const char *Engine = strcmp(engine, "podman") == 0 ? "Podman" : "Docker";
	struct stream *s = NULL;

	if (engine_find(engine, &w, cause) < 0 || engine_target(&w, &t, &base, cause) < 0)
		goto out;
	t.stall = opts->timeout;
	url = xasprintf("%s/_ping", base);
	struct http_request ping = { .method = "GET", .url = url };
	if (http_fetch(&t, &ping, 4096, &r, &why) < 0) {
		if (strcmp(engine, "podman") == 0) {
			/* no service: the podman command itself */
			char *e2 = NULL;
			if ((s = engine_podman_save(name, &e2)) == NULL) {
				*cause = xasprintf("no Podman service answers at %s (from %s), and %s",
				                   w.host, w.how, e2);
				free(e2);
			}
			goto out;
		}
		*cause = xasprintf("cannot reach the %s engine at %s (from %s): %s", Engine, w.host,
		                   w.how, why);
		goto out;
	}
	http_response_fini(&r);
	free(url);
	url = NULL;
	if (engine_present(&t, base, Engine, name, esc, opts, cause) < 0)
		goto out;

	url = xasprintf("%s/images/%s/get", base, esc);
	struct http_request get = { .method = "GET", .url = url };
	if ((s = http_stream(&t, &get, &r, &why)) == NULL)
		*cause = why != NULL ? why : engine_message(&r), why = NULL;
out:
	http_response_fini(&r);
	engine_where_fini(&w);
	free(base);
	free(url);
	free(esc);
	free(why);
	return s;
}

/* Reads engine's image src->spec as its export streams by. */
static int
engine_open(struct source *src, const char *engine, char **cause)
{
	char *why = NULL;
	struct stream *s = engine_export(engine, src->spec, src->opts, &why);

	if (s != NULL)
		return tarstream_open(src, s, cause);
	if (src->named)
		*cause = why;
	else	/* a bare name, as dive takes it; but it may be a mistyped file */
		*cause = xasprintf("no such file; as an image of the Docker engine: %s://%s: %s",
		                   engine, src->spec, why);
	if (!src->named)
		free(why);
	return -1;
}

static int
engine_open_docker(struct source *src, char **cause)
{
	return engine_open(src, "docker", cause);
}

static int
engine_open_podman(struct source *src, char **cause)
{
	return engine_open(src, "podman", cause);
}

/* Whether spec reads as an image reference rather than a file: no such
 * path, and only the characters a reference has. */
static int
engine_probe_docker(const char *spec, const struct stat *st, const unsigned char *head, size_t n)
{
	struct stat own;

	(void)head;
	(void)n;
	if (st != NULL || *spec == '\0' || strcmp(spec, "-") == 0 || stat(spec, &own) == 0 ||
	    errno != ENOENT)
		return 0;
	for (const char *p = spec; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("._-:/@", *p) != NULL))
			return 0;
	return spec[0] != '.' && spec[0] != '/';
}

const struct transport_ops transport_docker = {
	.name = "Docker engine",
	.scheme = "docker",
	.help = "an image of the Docker engine, through its API socket",
	.verify = 1,
	.probe = engine_probe_docker,
	.open = engine_open_docker,
	TARSTREAM_OPS,
};

const struct transport_ops transport_podman = {
	.name = "Podman",
	.scheme = "podman",
	.help = "an image of Podman, through its API socket or podman image save",
	.verify = 1,
	.open = engine_open_podman,
	TARSTREAM_OPS,
};
