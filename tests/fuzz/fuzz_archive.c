/* fuzz_archive: a whole saved image streamed in (docker-archive's
 * manifest.json, an OCI index and manifests, the config, the layers), as
 * `fathom - ` reads stdin: detection, every JSON document, the model. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "image/image.h"
#include "source/source.h"
#include "util/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_opts o = { .jobs = 1, .platform = "linux/amd64" };
	struct image *img = NULL;
	char *cause = NULL;

	if (source_load_stream("fuzz", stream_memory_new(data, size), &o, &img, &cause) == 0)
		image_free(img);
	free(cause);
	return 0;
}
