/* cache: `fathom cache [list|prune|clear] [--cache-size SIZE]`: the layer
 * cache (source/layercache.h) listed, bounded again, or emptied. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "source/layercache.h"
#include "util/human.h"
#include "util/jsonw.h"

static const struct cmd_option cmd_cache_options[] = {
	CMD_OPTION_FORMAT(CMD_JSON_DOCUMENT),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_cache_syntax = {
	"usage: fathom cache [list|prune|clear] [--cache-size SIZE] [--format text|json]\n"
	"\n"
	"The layer cache ($XDG_CACHE_HOME/fathom, else ~/.cache/fathom): what\n"
	"reading a layer found, kept by the layer's digest so that no image reads\n"
	"that layer again (an archive skips it, a registry does not download it).\n"
	"  list    every layer kept, most recently used first (default)\n"
	"  prune   drop the least recently used until it holds --cache-size\n"
	"  clear   drop every layer kept\n"
	"\n",
	cmd_cache_options,
	"\n"
	"Exit status: 0 done, 2 error.\n",
};

static int
cmd_cache_list(struct layercache *c, enum output_format format)
{
	struct layercache_item *items;
	size_t n;
	char *cause = NULL;
	uint64_t total = 0;

	if (layercache_list(c, &items, &n, &cause) < 0) {
		cmd_error("%s", cause);
		free(cause);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < n; i++)
		total += items[i].bytes;
	if (format == OUTPUT_JSON) {
		struct jsonw j;
		jsonw_init(&j, stdout, 2);
		jsonw_object(&j);
		jsonw_member_cstring(&j, "directory", layercache_dir(c));
		jsonw_member_uint(&j, "bytes", total);
		jsonw_member_array(&j, "layers");
		for (size_t i = 0; i < n; i++) {
			jsonw_object(&j);
			jsonw_member_cstring(&j, "diffId", items[i].diff_id);
			jsonw_member_uint(&j, "bytes", items[i].bytes);
			jsonw_member_int(&j, "used", items[i].used);
			jsonw_end(&j);
		}
		jsonw_end(&j);
		jsonw_end(&j);
	} else {
		char size[32], when[32];
		human_size(total, size, sizeof size);
		printf("%s: %zu layer%s, %s\n", layercache_dir(c), n, n == 1 ? "" : "s", size);
		for (size_t i = 0; i < n; i++) {
			time_t t = (time_t)items[i].used;
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
			human_size(items[i].bytes, size, sizeof size);
			printf("%-71s  %10s  %s\n", items[i].diff_id, size, when);
		}
	}
	layercache_items_free(items, n);
	return cmd_flush(stdout);
}

int
cmd_cache(struct cmd_ctx *cc, int argc, char **argv)
{
	const char *what = "list";
	char *warning = NULL, *cause = NULL;
	int rc;

	if ((rc = cmd_options_parse(cc, argc, argv, NULL, NULL)) >= 0)
		return rc;
	if (cc->noperands > 1)
		return cmd_usage_error(cc->name, "one of list, prune, clear wanted, got '%s' too",
		                       cc->operands[1]);
	if (cc->noperands == 1)
		what = cc->operands[0];
	if (strcmp(what, "list") != 0 && strcmp(what, "prune") != 0 && strcmp(what, "clear") != 0)
		return cmd_usage_error(cc->name, "unknown action '%s' (list, prune, clear)", what);
	struct layercache *c = layercache_open(NULL, cc->source.cache_size, &warning);
	if (c == NULL) {
		cmd_error("no layer cache: %s", warning != NULL ? warning : "neither XDG_CACHE_HOME "
		          "nor HOME is set");
		free(warning);
		return EXIT_ERROR;
	}
	if (strcmp(what, "list") == 0) {
		rc = cmd_cache_list(c, cc->format);
	} else {
		size_t dropped;
		uint64_t freed;
		uint64_t max = strcmp(what, "clear") == 0 ? 0 :
		               cc->source.cache_size > 0 ? cc->source.cache_size : LAYERCACHE_SIZE;
		char size[32];
		if (layercache_prune(c, max, &dropped, &freed, &cause) < 0) {
			cmd_error("%s", cause);
			free(cause);
			rc = EXIT_ERROR;
		} else {
			human_size(freed, size, sizeof size);
			printf("%s: %zu layer%s dropped, %s freed\n", layercache_dir(c), dropped,
			       dropped == 1 ? "" : "s", size);
			rc = cmd_flush(stdout);
		}
	}
	layercache_close(c);
	return rc;
}
