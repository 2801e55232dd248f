/* http: libcurl requests, whole or streamed through a pipe; see http.h. */
#include "source/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/xalloc.h"

#define HTTP_ERROR_BODY_MAX (1u << 20)
#define HTTP_PIPE_SIZE (256 << 10)
#define HTTP_BLOCK (256u << 10)	/* read from the pipe at a time */

static pthread_once_t http_once = PTHREAD_ONCE_INIT;

static void
http_init_once(void)
{
	/* a reader that goes away must not kill the process through a pipe */
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
http_init(void)
{
	pthread_once(&http_once, http_init_once);
}

static void
http_headers_clear(struct http_response *r)
{
	for (size_t i = 0; i < r->nheaders; i++)
		free(r->headers[i]);
	r->nheaders = 0;
}

void
http_response_fini(struct http_response *r)
{
	http_headers_clear(r);
	free(r->headers);
	free(r->body);
	free(r->url);
	memset(r, 0, sizeof *r);
}

const char *
http_header(const struct http_response *r, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < r->nheaders; i++) {
		const char *h = r->headers[i];
		if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
			h += n + 1;
			while (*h == ' ' || *h == '\t')
				h++;
			return h;
		}
	}
	return NULL;
}

/* Collects header lines; a status line starts a new response (a redirect,
 * a 100 Continue): only the last one's headers are kept. */
static size_t
http_on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct http_response *r = ctx;
	size_t len = size * n;

	while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		len--;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		http_headers_clear(r);
		return size * n;
	}
	if (len == 0 || memchr(data, ':', len) == NULL)
		return size * n;
	ARRAY_RESERVE(r->headers, r->nheaders, r->cheaders);
	r->headers[r->nheaders++] = xstrndup(data, len);
	return size * n;
}

/* Sets up an easy handle for the request; *list holds the header lines. */
/* Seconds without a byte that fail a transfer (--timeout; a minute when
 * not given), and the seconds a connection may take: as long, at most 15. */
static long
http_stall(const struct http_target *t)
{
	return t->stall > 0 ? t->stall : 60;
}

static long
http_connect_timeout(const struct http_target *t)
{
	return http_stall(t) < 15 ? http_stall(t) : 15;
}

static void
http_setup(CURL *c, const struct http_target *t, const struct http_request *rq,
           struct curl_slist **list, char *errbuf)
{
	*list = NULL;
	for (size_t i = 0; rq->headers != NULL && rq->headers[i] != NULL; i++)
		*list = curl_slist_append(*list, rq->headers[i]);
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *list);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "fathom/" FATHOM_VERSION);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, http_connect_timeout(t));
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, http_stall(t));
	if (t->unix_socket != NULL)
		curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, t->unix_socket);
	if (t->ca != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, t->ca);
	if (t->cert != NULL)
		curl_easy_setopt(c, CURLOPT_SSLCERT, t->cert);
	if (t->key != NULL)
		curl_easy_setopt(c, CURLOPT_SSLKEY, t->key);
	if (t->tls_noverify) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (rq->userpwd != NULL) {
		/* sent to this host only, never on a redirect elsewhere */
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, rq->userpwd);
	}
	if (rq->method != NULL && strcmp(rq->method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body != NULL ? rq->body : "");
	} else if (rq->method != NULL && strcmp(rq->method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (rq->method != NULL && strcmp(rq->method, "GET") != 0) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
	}
}

static int
http_retryable(long status)
{
	return status == 429 || status >= 500;
}

/* Waits before another attempt: Retry-After when the server says (up to
 * half a minute), else 0.5 s doubling. */
static void
http_backoff(int attempt, const struct http_response *r)
{
	const char *ra = r != NULL ? http_header(r, "Retry-After") : NULL;
	long ms = 500L << (attempt < 5 ? attempt : 5);

	if (ra != NULL && atol(ra) > 0)
		ms = atol(ra) > 30 ? 30000 : atol(ra) * 1000;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ----------------------------------------------------------- whole */

struct http_sink {
	struct http_response *r;
	size_t max;
	int too_big;
};

static size_t
http_on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct http_sink *k = ctx;
	size_t len = size * n;

	if (k->r->len + len > k->max) {
		k->too_big = 1;
		return 0;
	}
	k->r->body = xrealloc(k->r->body, k->r->len + len + 1);
	memcpy(k->r->body + k->r->len, data, len);
	k->r->len += len;
	k->r->body[k->r->len] = '\0';
	return len;
}

/* Why a transfer failed: curl's words, except for a stall, which names
 * --timeout and how many attempts saw it. */
static char *
http_why(CURL *c, const struct http_target *t, CURLcode rc, const char *errbuf, int attempts)
{
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		long stall = http_stall(t);
		curl_off_t connected = 0;
		curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connected);
		if (connected == 0)
			return xasprintf("no connection within %ld s (--timeout %ld), %d attempt%s",
			                 http_connect_timeout(t), stall, attempts,
			                 attempts == 1 ? "" : "s");
		return xasprintf("stalled: nothing received for %ld s (--timeout %ld), %d attempt%s",
		                 stall, stall, attempts, attempts == 1 ? "" : "s");
	}
	return xstrdup(*errbuf ? errbuf : curl_easy_strerror(rc));
}

static char *
http_failure(CURL *c, const struct http_target *t, const struct http_request *rq,
             CURLcode rc, const char *errbuf, int attempts)
{
	if (t->unix_socket != NULL && rc == CURLE_COULDNT_CONNECT) {
		/* curl says "localhost port 80": say which socket, and why */
		struct stat st;
		const char *why = stat(t->unix_socket, &st) < 0 ? strerror(errno) :
		                  access(t->unix_socket, R_OK | W_OK) < 0 ? strerror(errno) :
		                  "nothing accepts connections on it";
		return xasprintf("cannot connect to the socket %s: %s", t->unix_socket, why);
	}
	char *why = http_why(c, t, rc, errbuf, attempts);
	char *msg = xasprintf("%s %s: %s", rq->method ? rq->method : "GET", rq->url, why);
	free(why);
	return msg;
}

int
http_fetch(const struct http_target *t, const struct http_request *rq, size_t max,
           struct http_response *resp, char **cause)
{
	char errbuf[CURL_ERROR_SIZE];

	http_init();
	memset(resp, 0, sizeof *resp);
	for (int attempt = 0;; attempt++) {
		CURL *c = curl_easy_init();
		struct curl_slist *list;
		struct http_sink sink = { resp, max, 0 };
		char *where = NULL;

		if (c == NULL)
			xalloc_die();
		errbuf[0] = '\0';
		http_response_fini(resp);
		http_setup(c, t, rq, &list, errbuf);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, http_on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_on_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
		CURLcode rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
		curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &where);
		resp->url = xstrdup(where != NULL ? where : rq->url);
		if (rc != CURLE_OK && sink.too_big) {
			*cause = xasprintf("%s %s: the answer is larger than %zu bytes",
			                   rq->method ? rq->method : "GET", rq->url, max);
			rc = CURLE_OK;
			curl_easy_cleanup(c);
			curl_slist_free_all(list);
			http_response_fini(resp);
			return -1;
		}
		int again = attempt < rq->retries &&
		            (rc != CURLE_OK ? rc != CURLE_COULDNT_CONNECT &&
		                              rc != CURLE_COULDNT_RESOLVE_HOST &&
		                              rc != CURLE_UNSUPPORTED_PROTOCOL &&
		                              rc != CURLE_SSL_CONNECT_ERROR &&
		                              rc != CURLE_PEER_FAILED_VERIFICATION
		                            : http_retryable(resp->status));
		if (!again && rc != CURLE_OK)
			*cause = http_failure(c, t, rq, rc, errbuf, attempt + 1);
		curl_easy_cleanup(c);
		curl_slist_free_all(list);
		if (!again) {
			if (rc != CURLE_OK) {
				http_response_fini(resp);
				return -1;
			}
			if (resp->body == NULL)
				resp->body = xstrdup("");
			return 0;
		}
		http_backoff(attempt, resp);
	}
}

/* ---------------------------------------------------------- streamed */

struct hstream {
	struct stream s;
	int rfd, wfd;
	pthread_t thread;
	int started, joined;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready;		/* the caller may look: body flowing, or ended */
	/* the thread's, until ready */
	struct http_response hdrs;	/* headers of the current response */
	struct http_response *resp;	/* the caller's, filled when ready */
	/* the request, copied */
	struct http_target t;
	struct http_request rq;
	char **own;		/* owned strings of t and rq */
	size_t nown;
	/* the transfer */
	CURL *c;
	long status;
	long delivered;		/* body bytes written to the pipe */
	long from;		/* the current attempt asked for bytes from here */
	int body_seen;		/* the current attempt's body has begun */
	long skip;		/* of the current answer: already delivered */
	CURLcode result;
	char errbuf[CURL_ERROR_SIZE];
	char *failure;		/* why the stream broke (owned) */
	char *buf;		/* the reader's */
};

static const char *
hstream_keep(struct hstream *h, const char *s)
{
	if (s == NULL)
		return NULL;
	h->own = xreallocarray(h->own, h->nown + 1, sizeof *h->own);
	h->own[h->nown] = xstrdup(s);
	return h->own[h->nown++];
}

/* Tells the caller it may look; copies what it needs first. */
static void
hstream_ready(struct hstream *h)
{
	pthread_mutex_lock(&h->mu);
	if (!h->ready) {
		struct http_response *r = h->resp;
		r->status = h->status;
		for (size_t i = 0; i < h->hdrs.nheaders; i++) {
			ARRAY_RESERVE(r->headers, r->nheaders, r->cheaders);
			r->headers[r->nheaders++] = xstrdup(h->hdrs.headers[i]);
		}
		if (h->hdrs.body != NULL) {
			r->body = h->hdrs.body;
			r->len = h->hdrs.len;
			h->hdrs.body = NULL;
		}
		char *where = NULL;
		curl_easy_getinfo(h->c, CURLINFO_EFFECTIVE_URL, &where);
		r->url = xstrdup(where != NULL ? where : h->rq.url);
		h->ready = 1;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
}

static size_t
hstream_on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct hstream *h = ctx;
	size_t len = size * n;

	curl_easy_getinfo(h->c, CURLINFO_RESPONSE_CODE, &h->status);
	if (h->status < 200 || h->status > 299) {
		/* an error's text, for the caller */
		if (h->hdrs.len + len > HTTP_ERROR_BODY_MAX)
			return len;
		h->hdrs.body = xrealloc(h->hdrs.body, h->hdrs.len + len + 1);
		memcpy(h->hdrs.body + h->hdrs.len, data, len);
		h->hdrs.len += len;
		h->hdrs.body[h->hdrs.len] = '\0';
		return len;
	}
	if (!h->body_seen) {
		h->body_seen = 1;
		/* a server that ignores the range starts over: skip what went */
		h->skip = h->status == 200 ? h->from : 0;
	}
	if (!h->ready)
		hstream_ready(h);
	size_t from = 0;
	if (h->skip > 0) {	/* a resumed answer that starts over */
		from = (size_t)h->skip < len ? (size_t)h->skip : len;
		h->skip -= (long)from;
	}
	for (size_t done = from; done < len;) {
		ssize_t w = write(h->wfd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 0;	/* the reader has gone */
		done += (size_t)w;
		h->delivered += w;
	}
	return len;
}

/* One attempt: a new handle asking for the bytes not delivered yet. */
static void
hstream_perform(struct hstream *h, struct curl_slist **list)
{
	char range[48];

	h->c = curl_easy_init();
	if (h->c == NULL)
		xalloc_die();
	h->errbuf[0] = '\0';
	http_headers_clear(&h->hdrs);
	free(h->hdrs.body);
	h->hdrs.body = NULL;
	h->hdrs.len = 0;
	h->status = 0;
	http_setup(h->c, &h->t, &h->rq, list, h->errbuf);
	h->from = h->rq.resume_from + h->delivered;
	h->body_seen = 0;
	if (h->from > 0) {
		snprintf(range, sizeof range, "%ld-", h->from);
		curl_easy_setopt(h->c, CURLOPT_RANGE, range);
	}
	curl_easy_setopt(h->c, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(h->c, CURLOPT_HEADERDATA, &h->hdrs);
	curl_easy_setopt(h->c, CURLOPT_WRITEFUNCTION, hstream_on_body);
	curl_easy_setopt(h->c, CURLOPT_WRITEDATA, h);
	h->skip = 0;
	h->result = curl_easy_perform(h->c);
	curl_easy_getinfo(h->c, CURLINFO_RESPONSE_CODE, &h->status);
}

/* A body that was flowing broke and the retries are spent: why, for the
 * reader (who may be looking, hence the lock). */
static void
hstream_broke(struct hstream *h, int attempts)
{
	pthread_mutex_lock(&h->mu);
	if (h->result != CURLE_OK) {
		char *why = http_why(h->c, &h->t, h->result, h->errbuf, attempts);
		h->failure = xasprintf("the transfer broke after %ld bytes: %s",
		                       h->delivered, why);
		free(why);
	} else {
		h->failure = xasprintf("the transfer broke after %ld bytes: HTTP %ld "
		                       "on resuming", h->delivered, h->status);
	}
	pthread_mutex_unlock(&h->mu);
}

static void *
hstream_run(void *arg)
{
	struct hstream *h = arg;
	struct curl_slist *list = NULL;

	for (int attempt = 0;; attempt++) {
		hstream_perform(h, &list);
		int ok = h->result == CURLE_OK && h->status >= 200 && h->status <= 299;
		int reader_gone = h->result == CURLE_WRITE_ERROR && h->ready;
		int may_retry = attempt < h->rq.retries && !reader_gone &&
		                (h->result != CURLE_OK ? h->result != CURLE_COULDNT_CONNECT &&
		                                         h->result != CURLE_COULDNT_RESOLVE_HOST &&
		                                         h->result != CURLE_SSL_CONNECT_ERROR &&
		                                         h->result != CURLE_PEER_FAILED_VERIFICATION
		                                       : http_retryable(h->status));
		if (!ok && may_retry) {
			curl_easy_cleanup(h->c);
			h->c = NULL;
			curl_slist_free_all(list);
			list = NULL;
			http_backoff(attempt, &h->hdrs);
			continue;
		}
		if (!ok && h->ready && !reader_gone)
			hstream_broke(h, attempt + 1);
		if (!h->ready) {
			if (h->result != CURLE_OK)
				h->failure = http_failure(h->c, &h->t, &h->rq, h->result, h->errbuf,
				                          attempt + 1);
			hstream_ready(h);	/* no body (or an error's) */
		}
		break;
	}
	curl_easy_cleanup(h->c);
	h->c = NULL;
	curl_slist_free_all(list);
	close(h->wfd);
	h->wfd = -1;
	return NULL;
}

static void
hstream_join(struct hstream *h)
{
	if (h->started && !h->joined) {
		pthread_join(h->thread, NULL);
		h->joined = 1;
	}
}

static ssize_t
hstream_read(struct stream *s, const void **buf)
{
	struct hstream *h = (struct hstream *)s;
	ssize_t n;

	do
		n = read(h->rfd, h->buf, HTTP_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		free(s->error);
		s->error = xasprintf("read error: %s", strerror(errno));
		return -1;
	}
	if (n == 0) {
		hstream_join(h);
		if (h->failure != NULL) {
			free(s->error);
			s->error = xstrdup(h->failure);
			return -1;
		}
	}
	*buf = h->buf;
	return n;
}

static void
hstream_free(struct stream *s)
{
	struct hstream *h = (struct hstream *)s;

	if (h->rfd >= 0)
		close(h->rfd);	/* a writer still at it gets EPIPE and stops */
	hstream_join(h);
	if (h->wfd >= 0)
		close(h->wfd);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	http_response_fini(&h->hdrs);
	for (size_t i = 0; i < h->nown; i++)
		free(h->own[i]);
	free(h->own);
	free(h->failure);
	free(h->buf);
	free(h);
}

static const struct stream_ops hstream_ops = {
	.read = hstream_read,
	.skip = NULL,
	.free = hstream_free,
};

/* Copies the target and the request into h: the thread uses them after
 * the caller's have gone. */
static void
hstream_copy(struct hstream *h, const struct http_target *t, const struct http_request *rq)
{
	h->t = (struct http_target){
		.unix_socket = hstream_keep(h, t->unix_socket), .ca = hstream_keep(h, t->ca),
		.cert = hstream_keep(h, t->cert), .key = hstream_keep(h, t->key),
		.tls_noverify = t->tls_noverify, .stall = t->stall,
	};
	h->rq = *rq;
	h->rq.method = hstream_keep(h, rq->method);
	h->rq.url = hstream_keep(h, rq->url);
	h->rq.body = hstream_keep(h, rq->body);
	h->rq.userpwd = hstream_keep(h, rq->userpwd);
	size_t nh = 0;
	while (rq->headers != NULL && rq->headers[nh] != NULL)
		nh++;
	const char **hdrs = xcalloc(nh + 1, sizeof *hdrs);
	for (size_t i = 0; i < nh; i++)
		hdrs[i] = hstream_keep(h, rq->headers[i]);
	/* the array itself is kept as one more owned block */
	h->own = xreallocarray(h->own, h->nown + 1, sizeof *h->own);
	h->own[h->nown++] = (char *)hdrs;
	h->rq.headers = hdrs;
}

struct stream *
http_stream(const struct http_target *t, const struct http_request *rq,
            struct http_response *resp, char **cause)
{
	struct hstream *h = xcalloc(1, sizeof *h);
	int fds[2];

	http_init();
	memset(resp, 0, sizeof *resp);
	*cause = NULL;
	h->s.ops = &hstream_ops;
	h->rfd = h->wfd = -1;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->resp = resp;
	hstream_copy(h, t, rq);
	h->buf = xmalloc(HTTP_BLOCK);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		hstream_free(&h->s);
		return NULL;
	}
	h->rfd = fds[0];
	h->wfd = fds[1];
	fcntl(h->wfd, F_SETPIPE_SZ, HTTP_PIPE_SIZE);
	if (pthread_create(&h->thread, NULL, hstream_run, h) != 0) {
		*cause = xstrdup("cannot start a thread");
		hstream_free(&h->s);
		return NULL;
	}
	h->started = 1;
	pthread_mutex_lock(&h->mu);
	while (!h->ready)
		pthread_cond_wait(&h->cv, &h->mu);
	int flowing = resp->status >= 200 && resp->status <= 299 && h->failure == NULL;
	pthread_mutex_unlock(&h->mu);
	if (flowing)
		return &h->s;
	/* no body to stream: an error status, or nothing answered */
	hstream_join(h);
	if (h->failure != NULL) {
		*cause = h->failure;
		h->failure = NULL;
		http_response_fini(resp);
	}
	hstream_free(&h->s);
	return NULL;
}
