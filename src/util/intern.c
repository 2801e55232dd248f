/* intern: byte strings stored once in one growing buffer, found by hash.
 * An id is the offset of the string's 4-byte length in the buffer. */
#include "util/intern.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "util/xalloc.h"

#define INTERN_EMPTY UINT32_MAX

struct intern {
	char *buf;		/* [u32 len][bytes][NUL] per string (owned) */
	size_t used, cap;
	uint32_t *slots;	/* open addressing: string ids or INTERN_EMPTY */
	size_t nslots, count;
};

static uint32_t
intern_hash(const char *s, size_t len)
{
	return (uint32_t)XXH3_64bits(s, len);
}

static void
intern_rehash(struct intern *in, size_t nslots)
{
	uint32_t *slots = xmalloc(nslots * sizeof *slots);

	memset(slots, 0xff, nslots * sizeof *slots);
	for (size_t i = 0; i < in->nslots; i++) {
		uint32_t id = in->slots[i], l;
		if (id == INTERN_EMPTY)
			continue;
		memcpy(&l, in->buf + id, sizeof l);
		size_t j = intern_hash(in->buf + id + 4, l) & (nslots - 1);
		while (slots[j] != INTERN_EMPTY)
			j = (j + 1) & (nslots - 1);
		slots[j] = id;
	}
	free(in->slots);
	in->slots = slots;
	in->nslots = nslots;
}

struct intern *
intern_new(void)
{
	struct intern *in = xcalloc(1, sizeof *in);

	in->nslots = 1024;
	in->slots = xmalloc(in->nslots * sizeof *in->slots);
	memset(in->slots, 0xff, in->nslots * sizeof *in->slots);
	return in;
}

void
intern_free(struct intern *in)
{
	if (in == NULL)
		return;
	free(in->buf);
	free(in->slots);
	free(in);
}

/* The slot holding s, or the empty slot where it would go. */
static size_t
intern_slot(const struct intern *in, const char *s, size_t len, uint32_t h)
{
	size_t j = h & (in->nslots - 1);

	for (; in->slots[j] != INTERN_EMPTY; j = (j + 1) & (in->nslots - 1)) {
		uint32_t l;
		memcpy(&l, in->buf + in->slots[j], sizeof l);
		if (l == len && memcmp(in->buf + in->slots[j] + 4, s, len) == 0)
			break;
	}
	return j;
}

uint32_t
intern_find(const struct intern *in, const char *s, size_t len)
{
	return in->slots[intern_slot(in, s, len, intern_hash(s, len))];
}

uint32_t
intern_add(struct intern *in, const char *s, size_t len)
{
	size_t j = intern_slot(in, s, len, intern_hash(s, len));

	if (in->slots[j] != INTERN_EMPTY)
		return in->slots[j];

	size_t need = 4 + len + 1;
	if (len > UINT32_MAX - 8 || in->used + need > UINT32_MAX - 1)
		xalloc_die();	/* ids are 32-bit offsets */
	if (in->used + need > in->cap) {
		size_t nc = in->cap ? in->cap * 2 : 65536;
		while (nc < in->used + need)
			nc *= 2;
		in->buf = xrealloc(in->buf, nc);
		in->cap = nc;
	}
	uint32_t id = (uint32_t)in->used, l = (uint32_t)len;
	memcpy(in->buf + in->used, &l, 4);
	memcpy(in->buf + in->used + 4, s, len);
	in->buf[in->used + 4 + len] = '\0';
	in->used += need;

	in->slots[j] = id;
	if (++in->count * 4 > in->nslots * 3)
		intern_rehash(in, in->nslots * 2);
	return id;
}

const char *
intern_str(const struct intern *in, uint32_t id, size_t *len)
{
	if (len != NULL) {
		uint32_t l;
		memcpy(&l, in->buf + id, sizeof l);
		*len = l;
	}
	return in->buf + id + 4;
}

size_t
intern_bytes(const struct intern *in)
{
	return in->cap + in->nslots * sizeof(uint32_t);
}
