/* http: the HTTP client the engine and registry sources speak through:
 * libcurl over a unix socket or TCP, TLS, redirects, retries with backoff
 * on 429, 5xx and broken connections. A response body either comes whole
 * (small: JSON) or as a stream (an image, a layer) that a thread fills
 * through a pipe while the reader consumes it: nothing is written to disk
 * and no body is held whole in memory. Never prints. */
#ifndef FATHOM_HTTP_H
#define FATHOM_HTTP_H

#include <stddef.h>

#include "util/stream.h"

/* Where requests go. */
struct http_target {
	const char *unix_socket;	/* a socket path, or NULL for TCP */
	const char *ca, *cert, *key;	/* TLS files, or NULL */
	int tls_noverify;		/* accept any certificate */
	long stall;			/* seconds without a byte that fail a
					 * transfer (and a connection); 0: 60 */
};

/* A request: method and absolute URL, extra header lines ("Name: value"),
 * a body for POST (or NULL), and basic credentials ("user:password", or
 * NULL) sent to the URL's host only. */
struct http_request {
	const char *method;
	const char *url;
	const char *const *headers;	/* NULL-terminated, or NULL */
	const char *body;
	const char *userpwd;
	int retries;			/* on 429, 5xx, broken transfers */
	long resume_from;		/* ask for the bytes from here on (Range) */
};

/* A response: status, header lines, body (NUL-terminated; owned). */
struct http_response {
	long status;
	char **headers;			/* "name: value", owned */
	size_t nheaders, cheaders;
	char *body;
	size_t len;
	char *url;			/* where it came from, after redirects */
};

/* Once per process, before any thread: sets libcurl up. */
void http_init(void);

/* Sends the request and reads a body of at most max bytes. Returns 0 with
 * *resp filled (any status), or -1 with *cause (no answer: connection
 * refused, TLS, timeout, after the retries). */
int http_fetch(const struct http_target *t, const struct http_request *rq, size_t max,
               struct http_response *resp, char **cause);
void http_response_fini(struct http_response *resp);
/* The value of a response header (case-insensitive name), or NULL. */
const char *http_header(const struct http_response *resp, const char *name);

/* Sends the request and, when the answer is a 2xx, returns its body as a
 * stream (owned by the caller) with resp's status and headers filled.
 * Otherwise returns NULL: with resp filled (an error status and its body,
 * at most 1 MiB) and *cause NULL, or with *cause when nothing answered.
 * A transfer that breaks is resumed (Range) up to the request's retries;
 * what cannot be resumed is an error of the stream. */
struct stream *http_stream(const struct http_target *t, const struct http_request *rq,
                           struct http_response *resp, char **cause);

#endif
