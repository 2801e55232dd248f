/* digest: sha256/sha512 of buffers and streams with OpenSSL; see digest.h. */
#include "util/digest.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "util/relay.h"
#include "util/xalloc.h"

static const EVP_MD *
digest_md(const char *alg, size_t *hexlen)
{
	if (strcmp(alg, "sha256") == 0) {
		*hexlen = 64;
		return EVP_sha256();
	}
	if (strcmp(alg, "sha512") == 0) {
		*hexlen = 128;
		return EVP_sha512();
	}
	return NULL;
}

int
digest_valid(const char *text)
{
	const char *colon = text != NULL ? strchr(text, ':') : NULL;
	size_t hexlen;

	if (colon == NULL)
		return 0;
	char alg[16];
	if ((size_t)(colon - text) >= sizeof alg)
		return 0;
	memcpy(alg, text, (size_t)(colon - text));
	alg[colon - text] = '\0';
	if (digest_md(alg, &hexlen) == NULL || strlen(colon + 1) != hexlen)
		return 0;
	for (const char *p = colon + 1; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static char *
digest_hex(const char *alg, const unsigned char *md, unsigned len)
{
	char *out = xmalloc(strlen(alg) + 1 + 2 * len + 1), *o = out;

	o += sprintf(o, "%s:", alg);
	for (unsigned i = 0; i < len; i++)
		o += sprintf(o, "%02x", md[i]);
	return out;
}

char *
digest_of(const char *alg, const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	size_t hexlen;
	const EVP_MD *type = digest_md(alg, &hexlen);

	if (type == NULL || !EVP_Digest(data, len, md, &mdlen, type, NULL))
		return NULL;
	return digest_hex(alg, md, mdlen);
}

struct dstream {
	struct stream s;
	struct stream *in;
	EVP_MD_CTX *ctx;
	char *want;		/* owned; NULL: record into *out */
	char **out;
	char alg[16];
	int done;
};

static ssize_t
dstream_read(struct stream *s, const void **buf)
{
	struct dstream *d = (struct dstream *)s;
	ssize_t n = stream_read(d->in, buf);

	if (n < 0) {
		free(s->error);
		s->error = xstrdup(stream_error(d->in));
		return -1;
	}
	if (n > 0) {
		EVP_DigestUpdate(d->ctx, *buf, (size_t)n);
		return n;
	}
	if (!d->done) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned mdlen = 0;
		d->done = 1;
		EVP_DigestFinal_ex(d->ctx, md, &mdlen);
		char *got = digest_hex(d->alg, md, mdlen);
		if (d->want == NULL) {
			free(*d->out);
			*d->out = got;
			return 0;
		}
		if (strcmp(got, d->want) != 0) {
			free(s->error);
			s->error = xasprintf("the bytes do not match their digest: they are %s, "
			                     "not %s", got, d->want);
			free(got);
			return -1;
		}
		free(got);
	}
	return 0;
}

static void
dstream_free(struct stream *s)
{
	struct dstream *d = (struct dstream *)s;

	stream_free(d->in);
	EVP_MD_CTX_free(d->ctx);
	free(d->want);
	free(d);
}

static const struct stream_ops dstream_ops = {
	.read = dstream_read,
	.skip = NULL,
	.free = dstream_free,
};

struct stream *
stream_digest_new(struct stream *in, const char *want)
{
	struct dstream *d = xcalloc(1, sizeof *d);
	const char *colon = strchr(want, ':');
	size_t hexlen;

	d->s.ops = &dstream_ops;
	d->in = in;
	d->want = xstrdup(want);
	snprintf(d->alg, sizeof d->alg, "%.*s", colon ? (int)(colon - want) : 0, want);
	d->ctx = EVP_MD_CTX_new();
	if (d->ctx == NULL)
		xalloc_die();
	const EVP_MD *md = digest_md(d->alg, &hexlen);
	EVP_DigestInit_ex(d->ctx, md != NULL ? md : EVP_sha256(), NULL);
	return &d->s;
}

struct stream *
stream_digest_record_new(struct stream *in, char **out)
{
	struct dstream *d = xcalloc(1, sizeof *d);

	d->s.ops = &dstream_ops;
	d->in = in;
	d->out = out;
	snprintf(d->alg, sizeof d->alg, "sha256");
	if ((d->ctx = EVP_MD_CTX_new()) == NULL)
		xalloc_die();
	EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL);
	return &d->s;
}

struct digester {
	EVP_MD_CTX *ctx;
	struct relay *relay;	/* owned: hashing on its thread, or NULL */
};

struct digester *
digester_new(void)
{
	struct digester *d = xcalloc(1, sizeof *d);

	if ((d->ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1)
		xalloc_die();
	return d;
}

static void
digester_consume(void *ctx, const void *buf, size_t len)
{
	EVP_DigestUpdate(ctx, buf, len);
}

struct digester *
digester_new_threaded(void)
{
	struct digester *d = digester_new();

	d->relay = relay_new(digester_consume, d->ctx);
	return d;
}

void
digester_update(struct digester *d, const void *buf, size_t len)
{
	if (d->relay != NULL)
		relay_write(d->relay, buf, len);
	else
		EVP_DigestUpdate(d->ctx, buf, len);
}

/* Every byte hashed: the thread ended. */
static void
digester_join(struct digester *d)
{
	relay_end(d->relay);
	d->relay = NULL;
}

char *
digester_end(struct digester *d)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	digester_join(d);
	EVP_DigestFinal_ex(d->ctx, md, &len);
	EVP_MD_CTX_free(d->ctx);
	free(d);
	return digest_hex("sha256", md, len);
}

void
digester_free(struct digester *d)
{
	if (d == NULL)
		return;
	digester_join(d);
	EVP_MD_CTX_free(d->ctx);
	free(d);
}
