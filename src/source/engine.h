/* engine: the transports docker:// and podman:// (and a bare image name,
 * as dive takes it): images from a container engine's API (Docker Engine,
 * or Podman's Docker-compatible service), found the way their command-line
 * clients find them, and streamed from GET /images/{name}/get through
 * tarstream.h: no whole image in memory. An image the engine does not have
 * is pulled first (POST /images/create). When no Podman socket answers,
 * `podman image save` streams the image instead. Never prints. */
#ifndef FATHOM_ENGINE_H
#define FATHOM_ENGINE_H

#include "image/image.h"
#include "source/source.h"

/* Where an engine listens, as its client would find it. */
struct engine_where {
	char *host;		/* "unix:///run/x.sock", "tcp://h:2376" (owned) */
	char *how;		/* which setting said so, for messages (owned) */
	char *ca, *cert, *key;	/* TLS files (owned), or NULL */
	int tls, tls_verify;
};

/* Finds the engine ("docker" or "podman"). Returns 0, or -1 with *cause. */
int engine_find(const char *engine, struct engine_where *w, char **cause);
void engine_where_fini(struct engine_where *w);


#endif
