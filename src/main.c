/* main: fathom's entry point: picks the subcommand, also after the options
 * every command takes (`fathom --verify files IMAGE`); nothing else. */
#include <getopt.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <curl/curl.h>
#include <curses.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <xxhash.h>
#include <yaml.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cmd/cmd.h"
#include "util/xalloc.h"

#ifndef FATHOM_VERSION
#define FATHOM_VERSION "unknown"
#endif

static const struct cmd commands[] = {
	{ "files", cmd_files, "the filesystem of the image after a layer, or a layer's changes", 0 },
	{ "history", cmd_history, "the image's history, like docker history", 0 },
	{ "advise", cmd_advise, "what to change to make the image smaller, with the bytes each saves", 0 },
	{ "inspect", cmd_inspect, "the image's config, readable; ONBUILD triggers flagged", 0 },
	{ "diff", cmd_diff, "what changed between two images: sizes, layers, config, packages, files", 0 },
	{ "report", cmd_report, "one self-contained HTML file: layers, treemap, waste, advice", 0 },
	{ "squash", cmd_squash, "write the image with its top layers merged into one, nothing wasted", 0 },
	{ "extract", cmd_extract, "write paths of the image into a directory, like docker cp", 0 },
	{ "build", cmd_build, "docker build (or podman, buildah), then the analysis of the result",
	  CMD_PASSTHROUGH },
};

static const struct cmd *
main_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

/* Where the command's name is after the options every command takes
 * (argv[1..k-1]), as git and docker allow them before it; 0 when the first
 * other word is not a command: the analysis (`fathom --verify IMAGE`), or
 * an option only the analysis takes (`fathom --ci IMAGE`). */
static int
main_find_command(int argc, char **argv)
{
	static const struct option common[] = { CMD_SOURCE_OPTIONS, { NULL, 0, NULL, 0 } };
	int c, k = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+" CMD_COMMON_SHORT, common, NULL)) != -1)
		if (c == '?' || c == ':')
			break;
	if (c == -1 && optind < argc && strcmp(argv[optind - 1], "--") != 0 &&
	    main_command(argv[optind]) != NULL)
		k = optind;
	opterr = 1;
	optind = 0;	/* the command's getopt starts afresh (glibc) */
	return k;
}

/* Runs the command at argv[k], the options before it (argv[1..k-1]) moved
 * after its name: before a "--" for a command whose arguments are another
 * program's. */
static int
main_run(int argc, char **argv, int k)
{
	const struct cmd *cmd = main_command(argv[k]);
	char **args = xcalloc((size_t)argc + 2, sizeof *args);
	int n = 0;

	args[n++] = argv[k];
	for (int i = 1; i < k; i++)
		args[n++] = argv[i];
	if (cmd->flags & CMD_PASSTHROUGH)
		args[n++] = "--";
	for (int i = k + 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	int rc = cmd->run(n, args);
	free(args);
	return rc;
}

static int
main_help(FILE *out)
{
	fputs("usage: fathom [OPTIONS] IMAGE       analyse it (--ci: check the rules)\n"
	      "       fathom COMMAND IMAGE [OPTIONS]\n"
	      "\n"
	      "Takes a container image apart layer by layer.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "IMAGE is a saved image: a docker-archive (`docker save`, legacy, Docker 25+\n"
	      "or kaniko), an oci-archive, or an OCI layout directory, detected by its\n"
	      "content; prefix docker-archive://, oci-archive:// or oci:// to force one;\n"
	      "- (or docker-archive://-, oci-archive://-) for stdin. Or an image of an\n"
	      "engine: docker://NAME, podman://NAME, or a NAME that is no file (the\n"
	      "Docker engine); or registry://[HOST/]NAME[:TAG|@DIGEST] straight from a\n"
	      "registry, without any daemon.\n"
	      "\n"
	      "Examples:\n"
	      "  fathom app.tar                        the explorer (on a terminal)\n"
	      "  CI=true fathom app.tar                the CI gate with .dive-ci's rules\n"
	      "  fathom --ci --ci-format junit docker://app:1 > fathom.xml\n"
	      "  fathom advise registry://ghcr.io/org/app:1\n"
	      "  fathom diff app-1.tar app-2.tar\n"
	      "  fathom squash app.tar -o app-small.tar --keep-base\n"
	      "\n"
	      "The options every command takes (--source, --platform, --image, --jobs,\n"
	      "--insecure, --verify, --no-verify, --timeout, --max-layer-bytes,\n"
	      "--progress) may come before COMMAND as well as after it.\n"
	      "`fathom help COMMAND`, `fathom COMMAND --help` and `fathom --ci --help`\n"
	      "tell more; `man fathom` tells all. Exit status: 0 done (diff: the same),\n"
	      "1 a CI rule failed (diff: different), 2 error.\n", out);
	return cmd_flush(out);
}

int
main(int argc, char **argv)
{
	/* Names are bytes: the C locale keeps libarchive from converting them
	 * (a PAX name it cannot convert comes back as it was, with a warning
	 * that layer.c lets pass). */
	setlocale(LC_CTYPE, "C");
	/* The model's arrays grow by realloc: keep them in their own mappings
	 * (grown with mremap, freed to the system) rather than in the heap,
	 * where glibc's adaptive threshold would put them after the first
	 * large free, and a growing array would be copied and kept twice. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);

	if (argc < 2)
		return cmd_usage_error(NULL, "a command is missing");
	if ((strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) && argc == 2)
		return main_help(stdout);
	if (strcmp(argv[1], "help") == 0) {
		if (argc == 2)
			return main_help(stdout);
		if (argc > 3)
			return cmd_usage_error(NULL, "help wants one COMMAND");
		char *sub[] = { argv[2], "--help", NULL };
		if (strcmp(argv[2], "analyze") == 0 || strcmp(argv[2], "ci") == 0) {
			char *ci[] = { argv[0], "--ci", "--help", NULL };
			return cmd_analyze(3, ci);
		}
		const struct cmd *cmd = main_command(argv[2]);
		if (cmd == NULL)
			return cmd_usage_error(NULL, "no command '%s'", argv[2]);
		return cmd->run(2, sub);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
		printf("fathom %s\n", FATHOM_VERSION);
		printf("built with %s, jansson %s, libxxhash %u.%u.%u, libyaml %s, %s,\n"
		       "  PCRE2 %d.%d, libcurl %s, %s\n",
		       archive_version_details(), JANSSON_VERSION, XXH_VERSION_MAJOR,
		       XXH_VERSION_MINOR, XXH_VERSION_RELEASE, yaml_get_version_string(),
		       curses_version(), PCRE2_MAJOR, PCRE2_MINOR, cv->version,
		       OpenSSL_version(OPENSSL_VERSION));
		return cmd_flush(stdout);
	}
	int k = main_command(argv[1]) != NULL ? 1 : main_find_command(argc, argv);
	if (k > 0)
		return main_run(argc, argv, k);
	/* No command: the analysis, dive's way (`fathom IMAGE`, `--ci`). */
	return cmd_analyze(argc, argv);
}
