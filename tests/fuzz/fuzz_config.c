/* fuzz_config: an image config (JSON) on an image of three empty layers:
 * history matched to layers, diff_ids, platform, ONBUILD triggers, and the
 * history table and inspect outputs that print them. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/advice.h"
#include "image/image.h"
#include "image/stack.h"
#include "output/history.h"
#include "output/inspect.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image *img = image_new("fuzz");
	json_error_t err;
	json_t *cfg = json_loadb((const char *)data, size, 0, &err);
	char *cause = NULL;

	/* one empty blob, used by three layers */
	ARRAY_RESERVE(img->blobs, 0, img->cblobs);
	memset(&img->blobs[0], 0, sizeof img->blobs[0]);
	img->nblobs = 1;
	for (int i = 0; i < 3; i++)
		image_add_layer(img, 0);
	stack_build(img);
	if (cfg != NULL && image_set_config(img, cfg, &cause) == 0) {
		FILE *out = fopen("/dev/null", "w");
		struct history_opts ho = { .width = 80 };
		struct advice a;
		advice_triggers(img, &a);
		history_print(out, img, &ho);
		inspect_print(out, img, &a, OUTPUT_TEXT);
		inspect_print(out, img, &a, OUTPUT_JSON);
		advice_fini(&a);
		fclose(out);
	}
	/* the image owns cfg from image_set_config on, even when it fails */
	free(cause);
	image_free(img);
	return 0;
}
