/* diff: `fathom diff IMAGE_A IMAGE_B [--files] [--layer-a N] [--layer-b N]
 * [--format text|json]`: loads both, compares (analysis/diff.c), prints
 * (output/diff.c). Exit status as diff(1): 0 the same files and config
 * (however layered), 1 different. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diff.h"
#include "cmd/cmd.h"
#include "output/diff.h"

static const char diff_help[] =
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
	"\n"
	"  --files              list every changed path (default: the 20 that\n"
	"                       change the size most)\n"
	"  --layer-a N          IMAGE_A as it stands after layer N (default: the top)\n"
	"  --layer-b N          IMAGE_B as it stands after layer N (default: the top)\n"
	CMD_COMMON_HELP(CMD_JSON_DOCUMENT)
	"\n"
	"--format json holds every change, not the 20 largest (see README).\n"
	"Exit status: 0 the same files and config (the layers may differ, as\n"
	"after a squash), 1 different, 2 error.\n";

/* Parses a --layer-* value of img (NULL: its top) into *out. */
static int
diff_layer_arg(const char *opt, const char *arg, const struct image *img, size_t *out)
{
	if (arg != NULL && cmd_parse_index(arg, out) < 0) {
		cmd_error("%s: %s wants a layer index, not '%s'", img->name, opt, arg);
		return EXIT_ERROR;
	}
	return cmd_layer(img, arg != NULL, out);
}

int
cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "files", no_argument, NULL, 'f' },
		{ "layer-a", required_argument, NULL, 'a' },
		{ "layer-b", required_argument, NULL, 'b' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "diff", .help = diff_help };
	struct diff_opts dopts = { 0 };
	const char *layer_a = NULL, *layer_b = NULL;
	struct image *a = NULL, *b = NULL;
	struct diff d;
	size_t la, lb;
	char *why = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORT, longopts, NULL)) != -1) {
		if (c == 'f')
			dopts.files = 1;
		else if (c == 'a')
			layer_a = optarg;
		else if (c == 'b')
			layer_b = optarg;
		else if ((rc = cmd_common_option(&cc, c, argv)) >= 0)
			return rc;
	}
	if (argc - optind != 2)
		return cmd_usage_error("diff", argc - optind < 2 ? "two images wanted: IMAGE_A IMAGE_B" :
		                       "two images wanted, got '%s' too", argv[optind + 2]);
	if ((layer_a != NULL && layer_a[0] == '\0') || (layer_b != NULL && layer_b[0] == '\0'))
		return cmd_usage_error("diff", "--layer-a and --layer-b want a layer index");

	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(argv[optind], &cc.source, &a)) != 0)
		return rc;
	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(argv[optind + 1], &cc.source, &b)) != 0) {
		image_free(a);
		return rc;
	}
	rc = EXIT_ERROR;
	if (diff_layer_arg("--layer-a", layer_a, a, &la) != 0 ||
	    diff_layer_arg("--layer-b", layer_b, b, &lb) != 0)
		goto out;
	/* the files the comparison looks at by content, hashed now: the
	 * analysis never reads bytes */
	if (image_hash_matching(a, la, b, lb, &why) < 0 ||
	    image_hash_matching(b, lb, a, la, &why) < 0 || diff_images(a, la, b, lb, &d, &why) < 0) {
		cmd_error("%s", why);
		free(why);
		goto out;
	}
	dopts.json = cc.json;
	diff_print(stdout, a, b, &d, &dopts);
	rc = cmd_flush(stdout);
	if (rc == 0 && !d.same)
		rc = 1;
	diff_free(&d);
out:
	image_free(a);
	image_free(b);
	return rc;
}
