/* extract: `fathom extract IMAGE PATH... [-C DIR] [--layer N] [--force]`:
 * writes paths of the image into a directory (output/extract.c). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "image/stack.h"
#include "output/extract.h"
#include "util/xalloc.h"

static const char extract_help[] =
	"usage: fathom extract IMAGE PATH... [-C DIR] [--layer N] [--force]\n"
	"\n"
	"Writes each PATH of the image (a file, a link, or a directory and all it\n"
	"holds; / for everything) as it stands after layer N into DIR, under its\n"
	"own name, like `docker cp`. Nothing is written outside DIR: a symlink\n"
	"whose target leads out of it is not made, nor are devices and fifos;\n"
	"setuid, setgid and sticky bits are dropped; owners are not set. Each file\n"
	"is written under a temporary name and renamed when complete.\n"
	"\n"
	"  -C, --directory DIR  where to write (default: the current directory)\n"
	"  --layer N            as it stands after layer N (0-based; default: the top)\n"
	"  --force              replace existing files and links (never followed) and\n"
	"                       write into existing directories (default: an\n"
	"                       existing name is an error, and stays as it was)\n"
	CMD_SOURCE_HELP
	"\n"
	"Exit status: 0 done (entries refused are named on stderr), 2 error.\n";

/* Extracts node (the root: what it holds) into dirfd; adds to *total. */
static int
extract_path(const struct image *img, uint32_t node, size_t layer, int dirfd, unsigned flags,
             struct extract_result *total, char **cause)
{
	struct extract_result res;
	int rc = extract_node(img, node, layer, dirfd, flags, &res, cause);

	total->files += res.files;
	total->dirs += res.dirs;
	total->links += res.links;
	total->refused += res.refused;
	total->existed |= res.existed;
	if (total->first_refused == NULL) {
		total->first_refused = res.first_refused;
		res.first_refused = NULL;
	}
	extract_result_fini(&res);
	return rc;
}

int
cmd_extract(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "directory", required_argument, NULL, 'C' },
		{ "layer", required_argument, NULL, 'l' },
		{ "force", no_argument, NULL, 'f' },
		CMD_SOURCE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "extract", .help = extract_help };
	struct extract_result total = { 0 };
	const char *dir = ".", *layer_arg = NULL;
	struct image *img = NULL;
	unsigned flags = 0;
	size_t layer = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORT "C:", longopts, NULL)) != -1) {
		if (c == 'C')
			dir = optarg;
		else if (c == 'l')
			layer_arg = optarg;
		else if (c == 'f')
			flags |= EXTRACT_FORCE;
		else if ((rc = cmd_common_option(&cc, c, argv)) >= 0)
			return rc;
	}
	if (optind == argc)
		return cmd_usage_error("extract", "IMAGE is missing");
	if (optind + 1 == argc)
		return cmd_usage_error("extract", "PATH is missing: which path of the image to write");
	if (layer_arg != NULL && cmd_parse_index(layer_arg, &layer) < 0)
		return cmd_usage_error("extract", "--layer wants a layer index, not '%s'", layer_arg);
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		cmd_error("%s: cannot write there: %s", dir, strerror(errno));
		return EXIT_ERROR;
	}

	cc.source.spool = 1;	/* a streamed image's files are read again */
	cmd_progress_start(&cc.source, cc.progress, 0);
	if ((rc = cmd_load(argv[optind], &cc.source, &img)) != 0) {
		close(dirfd);
		return rc;
	}
	rc = EXIT_ERROR;
	if (cmd_layer(img, layer_arg != NULL, &layer) != 0)
		goto out;
	if (img->reader.open == NULL) {
		cmd_error("%s: its layers were streamed and cannot be read again: save it to a "
		          "file (docker save, podman save) and extract from that", img->name);
		goto out;
	}
	/* every path is checked before anything is written */
	uint32_t *nodes = xcalloc((size_t)(argc - optind - 1), sizeof *nodes);
	for (int i = optind + 1; i < argc; i++) {
		uint32_t n = tree_find(&img->tree, argv[i]);
		if (n == TREE_NONE || (n != TREE_ROOT && stack_entry_at(img, n, layer) == NULL)) {
			cmd_error("%s: '%s' is not in the image after layer %zu", img->name, argv[i],
			          layer);
			free(nodes);
			goto out;
		}
		nodes[i - optind - 1] = n;
	}
	char *why = NULL;
	int failed = 0;
	for (int i = 0; i < argc - optind - 1 && !failed; i++)
		failed = extract_path(img, nodes[i], layer, dirfd, flags, &total, &why) < 0;
	free(nodes);
	if (failed) {
		cmd_error("%s: layer %zu: %s%s", img->name, layer, why,
		          total.existed ? " (--force replaces it)" : "");
		free(why);
		goto out;
	}
	if (total.refused > 0)
		cmd_error("warning: %zu entr%s not written (the first: %s): links leading out of "
		          "%s, devices, fifos or links to nothing", total.refused,
		          total.refused == 1 ? "y" : "ies", total.first_refused, dir);
	rc = 0;
out:
	extract_result_fini(&total);
	image_free(img);
	close(dirfd);
	return rc;
}
