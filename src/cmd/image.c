/* image: the one call every command makes for its image: progress, load,
 * warnings, then the waste analysis and the advice when asked; and the
 * check of a layer index a command was given. */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

int
cmd_image_open(const struct cmd_ctx *cc, const char *spec, unsigned what,
               struct cmd_image *ci)
{
	struct source_opts opts = cc->source;
	char *cause = NULL;

	memset(ci, 0, sizeof *ci);
	opts.spool = (what & CMD_IMAGE_SPOOL) != 0;
	opts.metadata = (what & CMD_IMAGE_METADATA) != 0;
	opts.sizes = (what & CMD_IMAGE_SIZES) != 0;
	cmd_progress_start(&opts, cc->progress, (what & CMD_IMAGE_QUIET) != 0);
	int rc = source_load(spec, &opts, &ci->img, &cause);
	cmd_progress_end();
	if (rc < 0) {
		cmd_error("%s", cause);
		free(cause);
		ci->img = NULL;
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < ci->img->nwarnings; i++)
		cmd_error("warning: %s: %s", ci->img->name, ci->img->warnings[i]);
	if ((what & CMD_IMAGE_LAYERS) && ci->img->nlayers == 0) {
		cmd_error("%s: the image has no layers", ci->img->name);
		cmd_image_close(ci);
		return EXIT_ERROR;
	}
	if (what & (CMD_IMAGE_WASTE | CMD_IMAGE_ADVICE))
		waste_analyze(ci->img, cc->base_layers, &ci->waste);
	if (what & CMD_IMAGE_ADVICE)
		advice_analyze(ci->img, &ci->waste, &ci->advice);
	else if (what & CMD_IMAGE_TRIGGERS)
		advice_triggers(ci->img, &ci->advice);
	ci->what = what;
	return 0;
}

void
cmd_image_close(struct cmd_image *ci)
{
	if (ci->what & (CMD_IMAGE_ADVICE | CMD_IMAGE_TRIGGERS))
		advice_fini(&ci->advice);
	if (ci->what & (CMD_IMAGE_WASTE | CMD_IMAGE_ADVICE))
		waste_fini(&ci->waste);
	image_free(ci->img);
	memset(ci, 0, sizeof *ci);
}

int
cmd_image_layer(const struct image *img, int given, size_t *layer)
{
	if (img->nlayers == 0) {
		cmd_error("%s: the image has no layers", img->name);
		return EXIT_ERROR;
	}
	if (!given)
		*layer = img->nlayers - 1;
	if (*layer >= img->nlayers) {
		cmd_error("%s: no layer %zu: the image has layers 0 to %zu", img->name, *layer,
		          img->nlayers - 1);
		return EXIT_ERROR;
	}
	return 0;
}
