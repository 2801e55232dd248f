/* digest: content digests as the OCI spec writes them ("sha256:<hex>",
 * "sha512:<hex>"), computed with OpenSSL: of a buffer, or of a stream as
 * it is read, which then fails at its end when the bytes do not match.
 * Never prints. */
#ifndef FATHOM_DIGEST_H
#define FATHOM_DIGEST_H

#include <stddef.h>

#include "util/stream.h"

/* Whether text is a digest fathom can check (sha256 or sha512, lower hex
 * of the right length). */
int digest_valid(const char *text);
/* "alg:hex" of len bytes (owned); alg "sha256" or "sha512". */
char *digest_of(const char *alg, const void *data, size_t len);
/* A stream of in's bytes (in owned by it) that, at the end, fails unless
 * they have the digest want. */
struct stream *stream_digest_new(struct stream *in, const char *want);
/* A stream of in's bytes (in owned by it) that, at the end, puts their
 * sha256 ("sha256:<hex>", owned by the caller) in *out. */
struct stream *stream_digest_record_new(struct stream *in, char **out);

/* A sha256 computed piece by piece: new, update..., then end (which
 * frees it and returns "sha256:<hex>", owned) or free. */
struct digester;
struct digester *digester_new(void);
/* The same hashed on a thread of its own (relay.h), beside the caller's
 * work: for long streams. */
struct digester *digester_new_threaded(void);
void digester_update(struct digester *d, const void *buf, size_t len);
char *digester_end(struct digester *d);
void digester_free(struct digester *d);

#endif
