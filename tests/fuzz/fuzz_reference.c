/* fuzz_reference: image references as `registry://` and the engines take
 * them: Docker Hub names, hosts and ports, tags, digests. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/registry.h"
#include "source/source.h"
#include "source/platform.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_opts o = { .insecure = 1 };
	char *ref = xmalloc(size + 1), *cause = NULL;
	struct registry *r;
	struct platform p;

	memcpy(ref, data, size);
	ref[size] = '\0';
	if ((r = registry_new(ref, &o, &cause)) != NULL)
		registry_free(r);
	free(cause);
	cause = NULL;
	if (platform_parse(ref, &p, &cause) < 0)
		free(cause);
	free(ref);
	return 0;
}
