/* entry: comparing two states of a path; see entry.h. */
#include "image/entry.h"

int
entry_same(const struct entry *a, const struct entry *b)
{
	if (a == b)
		return 1;
	if (a->type != b->type || a->mode != b->mode || a->uid != b->uid ||
	    a->gid != b->gid || a->link != b->link)
		return 0;
	switch (a->type) {
	case ENTRY_FILE:
		return a->size == b->size && a->hash == b->hash;
	case ENTRY_CHAR:
	case ENTRY_BLOCK:
		return a->hash == b->hash;
	default:
		return 1;
	}
}
