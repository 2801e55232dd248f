/* strindex: dense numbers for strings; see strindex.h. The strings live in
 * an intern table; an open-addressing table maps their hash to numbers. */
#include "util/strindex.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "util/intern.h"
#include "util/xalloc.h"

#define STRINDEX_EMPTY UINT32_MAX

struct strindex {
	struct intern *strings;
	uint32_t *ids;		/* by number: the string's intern id (owned) */
	size_t count, cap;
	uint32_t *slots;	/* numbers, or STRINDEX_EMPTY (owned) */
	size_t nslots;
};

struct strindex *
strindex_new(void)
{
	struct strindex *x = xcalloc(1, sizeof *x);

	x->strings = intern_new();
	x->nslots = 64;
	x->slots = xmalloc(x->nslots * sizeof *x->slots);
	memset(x->slots, 0xff, x->nslots * sizeof *x->slots);
	return x;
}

void
strindex_free(struct strindex *x)
{
	if (x == NULL)
		return;
	intern_free(x->strings);
	free(x->ids);
	free(x->slots);
	free(x);
}

size_t
strindex_count(const struct strindex *x)
{
	return x->count;
}

static size_t
strindex_hash(const char *s, size_t len)
{
	return (size_t)XXH3_64bits(s, len);
}

static void
strindex_grow(struct strindex *x)
{
	size_t n = x->nslots * 2;
	uint32_t *slots = xmalloc(n * sizeof *slots);

	memset(slots, 0xff, n * sizeof *slots);
	for (size_t i = 0; i < x->count; i++) {
		size_t len;
		const char *s = intern_str(x->strings, x->ids[i], &len);
		size_t j = strindex_hash(s, len) & (n - 1);
		while (slots[j] != STRINDEX_EMPTY)
			j = (j + 1) & (n - 1);
		slots[j] = (uint32_t)i;
	}
	free(x->slots);
	x->slots = slots;
	x->nslots = n;
}

uint32_t
strindex_add(struct strindex *x, const char *s, size_t len)
{
	size_t j = strindex_hash(s, len) & (x->nslots - 1);

	for (; x->slots[j] != STRINDEX_EMPTY; j = (j + 1) & (x->nslots - 1)) {
		size_t l;
		const char *t = intern_str(x->strings, x->ids[x->slots[j]], &l);
		if (l == len && memcmp(t, s, len) == 0)
			return x->slots[j];
	}
	ARRAY_RESERVE(x->ids, x->count, x->cap);
	x->ids[x->count] = intern_add(x->strings, s, len);
	x->slots[j] = (uint32_t)x->count;
	if (++x->count * 2 > x->nslots)
		strindex_grow(x);
	return (uint32_t)(x->count - 1);
}
