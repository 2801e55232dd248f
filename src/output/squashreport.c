/* squashreport: `fathom squash`'s summary: the layers merged, the bytes
 * reclaimed against the waste analysis's reclaimable bytes from the squash
 * point (the user's, above a kept base), the new layer. */
#include <stdint.h>

#include "analysis/waste.h"
#include "output/squashreport.h"
#include "util/human.h"

void
squashreport_print(FILE *out, const struct image *img, const struct squash_plan *plan,
                   const struct squashwrite_opts *o, const struct squashwrite_result *r)
{
	static const char *const formats[] = { "docker-archive", "oci-archive", "oci" };
	static const char *const comps[] = { "none", "gzip", "zstd" };
	struct waste w;
	uint64_t before = 0;
	char a[32], b[32], c[32];

	for (size_t k = plan->from; k < img->nlayers; k++)
		before += img->blobs[img->layers[k].blob].size;
	waste_analyze(img, plan->from, &w);
	uint64_t predicted = plan->from == 0 ? w.reclaimable : w.user_reclaimable;
	uint64_t after = plan->file_bytes;

	fprintf(out, "%s: %s, %zu layer%s (was %zu)", o->output != NULL ? o->output : "stdout",
	        formats[o->format], plan->from + 1, plan->from == 0 ? "" : "s", img->nlayers);
	if (plan->from + 1 < img->nlayers)
		fprintf(out, ": layers %zu to %zu squashed into one", plan->from, img->nlayers - 1);
	fputc('\n', out);
	human_size(before, a, sizeof a);
	human_size(after, b, sizeof b);
	fprintf(out, "files in the squashed layers: %llu bytes (%s), now %llu bytes (%s)\n",
	        (unsigned long long)before, a, (unsigned long long)after, b);
	human_size(before > after ? before - after : 0, c, sizeof c);
	fprintf(out, "reclaimed: %llu bytes (%s); the analysis predicted %llu bytes\n",
	        (unsigned long long)(before > after ? before - after : 0), c,
	        (unsigned long long)predicted);
	human_size(r->layer_blob, a, sizeof a);
	fprintf(out, "new layer: %s, %zu entries, %llu bytes as stored (%s, compression %s)\n",
	        r->diff_id, plan->nitems, (unsigned long long)r->layer_blob, a,
	        comps[o->compress]);
	waste_fini(&w);
}
