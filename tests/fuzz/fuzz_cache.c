/* fuzz_cache: a layer cache entry through the reader that checks it. The
 * input is what lies between an entry's key and its checksum (the chunks
 * and the totals); the harness frames it (magic, version, key) and appends
 * the checksum, so that the checks past the checksum are what is fuzzed. A
 * sound entry is committed into a model and stacked. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "image/image.h"
#include "image/stack.h"
#include "source/layercache.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEY "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct fuzz_commit {
	struct image *img;
	struct layer_commit lc;
};

static int
fuzz_emit(void *ctx, struct scan_chunk *c)
{
	struct fuzz_commit *f = ctx;

	layer_commit(f->img, &f->lc, c);
	scan_chunk_free(c);
	return 0;
}

static void
fuzz_put(FILE *f, XXH3_state_t *h, const void *p, size_t n)
{
	fwrite(p, 1, n, f);
	XXH3_128bits_update(h, p, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64];
	char *path, *warning = NULL;
	uint32_t v;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof dir, "/tmp/fathom-fuzz-cache.%ld", (long)getpid());
		mkdir(dir, 0700);
	}
	path = xasprintf("%s/v1/layers/sha256", dir);
	char *p = xasprintf("%s/v1", dir);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/v1/layers", dir);
	mkdir(p, 0700);
	free(p);
	mkdir(path, 0700);
	free(path);
	path = xasprintf("%s/v1/layers/sha256/%s", dir, &KEY[7]);
	FILE *f = fopen(path, "w");
	XXH3_state_t *h = XXH3_createState();
	if (f == NULL || h == NULL)
		abort();
	XXH3_128bits_reset(h);
	fuzz_put(f, h, "FTHMLC\001\n", 8);
	v = 2;
	fuzz_put(f, h, &v, 4);
	v = (uint32_t)sizeof(struct scan_entry);
	fuzz_put(f, h, &v, 4);
	v = (uint32_t)strlen(KEY);
	fuzz_put(f, h, &v, 4);
	fuzz_put(f, h, KEY, strlen(KEY));
	v = 0;
	fuzz_put(f, h, &v, 4);
	fuzz_put(f, h, data, size);
	XXH128_canonical_t sum;
	XXH128_canonicalFromHash(&sum, XXH3_128bits_digest(h));
	fwrite(&sum, 1, sizeof sum, f);
	fclose(f);
	XXH3_freeState(h);

	struct layercache *c = layercache_open(dir, 0, &warning);
	struct image *img = image_new("fuzz");
	struct fuzz_commit fc = { .img = img };
	struct blob b;
	ARRAY_RESERVE(img->blobs, 0, img->cblobs);
	img->nblobs = 1;
	size_t first = img->nentries;
	if (c != NULL &&
	    layercache_load(c, KEY, LAYERCACHE_UNHASHED | LAYERCACHE_UNVERIFIED, 0, fuzz_emit, &fc,
	                    &b, &warning) == 1) {
		img->blobs[0] = b;
		img->blobs[0].first = first;
		img->blobs[0].count = img->nentries - first;
		image_add_layer(img, 0);
		stack_build(img);
	}
	layer_commit_end(&fc.lc);
	free(warning);
	image_free(img);
	layercache_close(c);
	unlink(path);
	free(path);
	return 0;
}
