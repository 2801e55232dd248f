/* compressed: a saved image compressed as a whole (`docker save app | gzip
 * > app.tar.gz`, also zstd, xz and bzip2), as `docker load` takes it and
 * artifact stores keep it: recognised by its content's magic bytes,
 * decompressed as it is read (gzip by ISA-L, the others by libarchive's
 * filters) and read as a tar that streams by (tarstream.h), under the
 * formats it holds. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "source/tarstream.h"
#include "util/decompress.h"
#include "util/gunzip.h"
#include "util/sniff.h"
#include "util/xalloc.h"

static int
compressed_probe(const char *spec, const struct stat *st, const unsigned char *head, size_t n)
{
	(void)spec;
	return st != NULL && S_ISREG(st->st_mode) && sniff_compression(head, n) != NULL;
}

static int
compressed_open(struct source *src, char **cause)
{
	const void *head;
	size_t n;
	int fd = open(src->spec, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*cause = xstrdup(strerror(errno));
		return -1;
	}
	struct stream *s = stream_peek_new(stream_fd_new(fd, 1, STREAM_BIG_BLOCK), &head, &n);
	const char *comp = sniff_compression(head, n);
	s = comp != NULL && strcmp(comp, "gzip") == 0 ? stream_gunzip_new(s) :
	    stream_decompress_new(s);
	return tarstream_open(src, s, cause);
}

const struct transport_ops transport_compressed = {
	.name = "compressed archive",
	.help = "a saved image compressed as a whole (gzip, zstd, xz, bzip2)",
	.probe = compressed_probe,
	.open = compressed_open,
	TARSTREAM_OPS,
};
