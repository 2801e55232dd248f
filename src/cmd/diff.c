/* diff: `fathom diff IMAGE_A IMAGE_B [--files] [--layer-a N] [--layer-b N]
 * [--format text|json]`: loads both, compares (analysis/diff.c), prints
 * (output/diffreport.c). Exit status as diff(1): 0 the same files and config
 * (however layered), 1 different. */
#include <stdlib.h>

#include "analysis/diff.h"
#include "cmd/cmd.h"
#include "output/diffreport.h"

static const struct cmd_option cmd_diff_options[] = {
	CMD_OPTION('f', "files", NULL,
	           "list every changed path (default: the 20 that\n"
	           "change the size most)"),
	CMD_OPTION('a', "layer-a", "N", "IMAGE_A as it stands after layer N (default: the top)"),
	CMD_OPTION('b', "layer-b", "N", "IMAGE_B as it stands after layer N (default: the top)"),
	CMD_OPTION_FORMAT(CMD_JSON_DOCUMENT),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_diff_syntax = {
	"usage: fathom diff IMAGE_A IMAGE_B [--files] [--layer-a N] [--layer-b N]\n"
	"                   [--format text|json]\n"
	"\n"
	"What changed from IMAGE_A to IMAGE_B: sizes by directory, the layers they\n"
	"share, the config fields that differ (Env, Cmd, Entrypoint, User,\n"
	"WorkingDir, ExposedPorts, Volumes, Labels, OnBuild, platform...), the\n"
	"packages of their dpkg and apk databases (added, removed, upgraded,\n"
	"downgraded), then the changed paths: A (only in B), R (only in A), M\n"
	"(modified: type, content, mode, owner, link). Any two sources can be\n"
	"compared; the same IMAGE twice compares two of its layers.\n"
	"\n",
	cmd_diff_options,
	"\n"
	"--format json holds every change, not the 20 largest (see README).\n"
	"Exit status: 0 the same files and config (the layers may differ, as\n"
	"after a squash), 1 different, 2 error.\n",
};

struct cmd_diff_args {
	struct diffreport_opts opts;
	const char *layer[2];		/* --layer-a, --layer-b, as given */
};

static int
cmd_diff_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct cmd_diff_args *a = state;

	(void)cc;
	if (id == 'f')
		a->opts.files = 1;
	else
		a->layer[id == 'b'] = arg;
	return -1;
}

/* Parses a --layer-* value of img (NULL: its top) into *out. */
static int
cmd_diff_layer_arg(const char *opt, const char *arg, const struct image *img, size_t *out)
{
	if (arg != NULL && cmd_options_number(arg, out) < 0) {
		cmd_error("%s: %s wants a layer index, not '%s'", img->name, opt, arg);
		return EXIT_ERROR;
	}
	return cmd_image_layer(img, arg != NULL, out);
}

/* Compares the images at their layers and prints the changes. */
static int
cmd_diff_print_images(const struct cmd_diff_args *a, struct image *ia, struct image *ib,
                      enum output_format format)
{
	struct diffreport_opts opts = a->opts;
	struct diff d;
	size_t la, lb;
	char *why = NULL;

	if (cmd_diff_layer_arg("--layer-a", a->layer[0], ia, &la) != 0 ||
	    cmd_diff_layer_arg("--layer-b", a->layer[1], ib, &lb) != 0)
		return EXIT_ERROR;
	/* the files the comparison looks at by content, hashed now: the
	 * analysis never reads bytes */
	if (image_hash_matching(ia, la, ib, lb, &why) < 0 ||
	    image_hash_matching(ib, lb, ia, la, &why) < 0 || diff_images(ia, la, ib, lb, &d, &why) < 0) {
		cmd_error("%s", why);
		free(why);
		return EXIT_ERROR;
	}
	opts.format = format;
	diffreport_print(stdout, ia, ib, &d, &opts);
	int rc = cmd_flush(stdout);
	if (rc == 0 && !d.same)
		rc = 1;
	diff_free(&d);
	return rc;
}

int
cmd_diff(struct cmd_ctx *cc, int argc, char **argv)
{
	struct cmd_diff_args a = { 0 };
	struct cmd_image ia, ib;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, cmd_diff_option, &a)) >= 0)
		return rc;
	if (cc->noperands < 2)
		return cmd_usage_error(cc->name, "two images wanted: IMAGE_A IMAGE_B");
	if (cc->noperands > 2)
		return cmd_usage_error(cc->name, "two images wanted, got '%s' too", cc->operands[2]);
	if ((a.layer[0] != NULL && a.layer[0][0] == '\0') ||
	    (a.layer[1] != NULL && a.layer[1][0] == '\0'))
		return cmd_usage_error(cc->name, "--layer-a and --layer-b want a layer index");
	if ((rc = cmd_image_open(cc, cc->operands[0], 0, &ia)) != 0)
		return rc;
	if ((rc = cmd_image_open(cc, cc->operands[1], 0, &ib)) != 0) {
		cmd_image_close(&ia);
		return rc;
	}
	rc = cmd_diff_print_images(&a, ia.img, ib.img, cc->format);
	cmd_image_close(&ia);
	cmd_image_close(&ib);
	return rc;
}
