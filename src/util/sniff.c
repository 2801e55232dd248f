/* sniff: compression magic numbers; see sniff.h. */
#include "util/sniff.h"

#include <string.h>

const char *
sniff_compression(const void *head, size_t len)
{
	static const struct {
		const char *name;
		size_t len;
		const char *magic;
	} magics[] = {
		{ "gzip", 2, "\x1f\x8b" },
		{ "zstd", 4, "\x28\xb5\x2f\xfd" },
		{ "bzip2", 3, "BZh" },
		{ "xz", 6, "\xfd" "7zXZ\0" },
	};
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (len >= magics[i].len && memcmp(head, magics[i].magic, magics[i].len) == 0)
			return magics[i].name;
	return NULL;
}
