/* fuzz_layer: one layer blob (tar, any compression) through the model: read,
 * stacked twice (as two layers), listed with its hard-link groups after
 * each, analysed, advised, squash planned. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "analysis/advice.h"
#include "analysis/squash.h"
#include "analysis/waste.h"
#include "image/image.h"
#include "image/links.h"
#include "image/stack.h"
#include "util/stream.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image *img = image_new("fuzz");
	struct stream *s = stream_memory_new(data, size);
	char *cause = NULL;

	ARRAY_RESERVE(img->blobs, 0, img->cblobs);
	img->nblobs = 1;
	if (layer_read(img, s, NULL, &img->blobs[0], &cause) == 0) {
		struct waste w;
		struct advice a;
		struct squash_plan p;
		image_add_layer(img, 0);
		image_add_layer(img, 0);
		stack_build(img);
		for (size_t k = 0; k < 2; k++) {
			struct links *lk = links_new(img, k);
			uint64_t bytes = 0;
			for (uint32_t n = 0; n < img->tree.count; n++)
				bytes += links_size(lk, n);
			(void)bytes;
			links_free(lk);
		}
		waste_analyze(img, 1, &w);
		advice_analyze(img, &w, &a);
		if (squash_plan_make(img, 1, &p, &cause) == 0)
			squash_plan_fini(&p);
		advice_fini(&a);
		waste_fini(&w);
	}
	free(cause);
	stream_free(s);
	image_free(img);
	return 0;
}
