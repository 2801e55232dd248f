/* extract: `fathom extract IMAGE PATH... [-C DIR] [--layer N] [--force]`:
 * writes paths of the image into a directory (write/extract.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "image/stack.h"
#include "util/xalloc.h"
#include "write/extract.h"

static const struct cmd_option cmd_extract_options[] = {
	CMD_OPTION_LETTER('C', "directory", "DIR", "where to write (default: the current directory)"),
	CMD_OPTION('l', "layer", "N", "as it stands after layer N (0-based; default: the top)"),
	CMD_OPTION('f', "force", NULL,
	           "replace existing files and links (never followed) and\n"
	           "write into existing directories (default: an\n"
	           "existing name is an error, and stays as it was)"),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_extract_syntax = {
	"usage: fathom extract IMAGE PATH... [-C DIR] [--layer N] [--force]\n"
	"\n"
	"Writes each PATH of the image (a file, a link, or a directory and all it\n"
	"holds; / for everything) as it stands after layer N into DIR, under its\n"
	"own name, like `docker cp`. Nothing is written outside DIR: a symlink\n"
	"whose target leads out of it is not made, nor are devices and fifos;\n"
	"setuid, setgid and sticky bits are dropped; owners are not set. Each file\n"
	"is written under a temporary name and renamed when complete.\n"
	"\n",
	cmd_extract_options,
	"\n"
	"Exit status: 0 done (entries refused are named on stderr), 2 error.\n",
};

struct cmd_extract_args {
	const char *dir;		/* -C */
	const char *layer_arg;		/* --layer, as given */
	size_t layer;
	unsigned flags;			/* EXTRACT_FORCE */
};

static int
cmd_extract_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct cmd_extract_args *a = state;

	(void)cc;
	if (id == 'C')
		a->dir = arg;
	else if (id == 'l')
		a->layer_arg = arg;
	else
		a->flags |= EXTRACT_FORCE;
	return -1;
}

/* Extracts node (the root: what it holds) into dirfd; adds to *total. */
static int
cmd_extract_path(const struct image *img, uint32_t node, size_t layer, int dirfd, unsigned flags,
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

/* The nodes of paths (n of them) after the layer, every one checked before
 * anything is written; NULL after saying which is not there. */
static uint32_t *
cmd_extract_find(const struct image *img, size_t layer, char **paths, int n)
{
	uint32_t *nodes = xcalloc((size_t)n, sizeof *nodes);

	for (int i = 0; i < n; i++) {
		uint32_t node = tree_find(&img->tree, paths[i]);
		if (node == TREE_NONE ||
		    (node != TREE_ROOT && stack_entry_at(img, node, layer) == NULL)) {
			cmd_error("%s: '%s' is not in the image after layer %zu", img->name, paths[i],
			          layer);
			free(nodes);
			return NULL;
		}
		nodes[i] = node;
	}
	return nodes;
}

/* Writes the paths into dirfd; 0, or EXIT_ERROR after saying why. */
static int
cmd_extract_all(const struct image *img, const struct cmd_extract_args *a, int dirfd, char **paths,
                int n)
{
	struct extract_result total = { 0 };
	uint32_t *nodes;
	char *why = NULL;
	int failed = 0;

	if ((nodes = cmd_extract_find(img, a->layer, paths, n)) == NULL)
		return EXIT_ERROR;
	for (int i = 0; i < n && !failed; i++)
		failed = cmd_extract_path(img, nodes[i], a->layer, dirfd, a->flags, &total,
		                          &why) < 0;
	free(nodes);
	if (failed) {
		cmd_error("%s: layer %zu: %s%s", img->name, a->layer, why,
		          total.existed ? " (--force replaces it)" : "");
		free(why);
	} else if (total.refused > 0) {
		cmd_error("warning: %zu entr%s not written (the first: %s): links leading out of "
		          "%s, devices, fifos or links to nothing", total.refused,
		          total.refused == 1 ? "y" : "ies", total.first_refused, a->dir);
	}
	extract_result_fini(&total);
	return failed ? EXIT_ERROR : 0;
}

/* After loading: the layer, a reader, then the paths. */
static int
cmd_extract_image(const struct image *img, struct cmd_extract_args *a, int dirfd, char **paths,
                  int n)
{
	if (cmd_image_layer(img, a->layer_arg != NULL, &a->layer) != 0)
		return EXIT_ERROR;
	if (img->reader.open == NULL) {
		cmd_error("%s: its layers were streamed and cannot be read again: save it to a "
		          "file (docker save, podman save) and extract from that", img->name);
		return EXIT_ERROR;
	}
	return cmd_extract_all(img, a, dirfd, paths, n);
}

int
cmd_extract(struct cmd_ctx *cc, int argc, char **argv)
{
	struct cmd_extract_args a = { .dir = "." };
	struct cmd_image ci;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, cmd_extract_option, &a)) >= 0)
		return rc;
	if (cc->noperands == 0)
		return cmd_usage_error(cc->name, "IMAGE is missing");
	if (cc->noperands == 1)
		return cmd_usage_error(cc->name, "PATH is missing: which path of the image to write");
	if (a.layer_arg != NULL && cmd_options_number(a.layer_arg, &a.layer) < 0)
		return cmd_usage_error(cc->name, "--layer wants a layer index, not '%s'", a.layer_arg);
	int dirfd = open(a.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		cmd_error("%s: cannot write there: %s", a.dir, strerror(errno));
		return EXIT_ERROR;
	}
	/* a streamed image's files are read again */
	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_SPOOL, &ci)) == 0) {
		rc = cmd_extract_image(ci.img, &a, dirfd, cc->operands + 1, cc->noperands - 1);
		cmd_image_close(&ci);
	}
	close(dirfd);
	return rc;
}
