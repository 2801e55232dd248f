/* main: fathom's entry point: `fathom --help`, `help COMMAND`, `--version`;
 * everything else goes to the table of commands (cmd/cmd.c). */
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

#ifndef FATHOM_VERSION
#define FATHOM_VERSION "unknown"
#endif

#define MAIN_HELP_WIDTH 75	/* the longest line of main_help's text */

/* "The options every command takes (--source, ...) may come before
 * COMMAND", from the source group's table, wrapped. */
static void
main_help_source(FILE *out)
{
	const char *start = "The options every command takes (";
	int col = (int)strlen(start);

	fputs(start, out);
	for (const struct cmd_option *o = cmd_options_source; o->name != NULL; o++) {
		if (o->id == CMD_OPT_HELP)
			continue;
		int last = o[1].name == NULL || o[1].id == CMD_OPT_HELP;
		int len = (int)strlen(o->name) + 3;	/* "--" and "," */
		if (col + 1 + len > MAIN_HELP_WIDTH) {
			fputc('\n', out);
			col = 0;
		} else if (o != cmd_options_source) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "--%s%c", o->name, last ? ')' : ',');
		col += len;
	}
	/* the rest of the sentence, wrapped as the names were */
	const char *rest[] = { "may", "come", "before", "COMMAND", "as", "well", "as", "after", "it." };
	for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
		int len = (int)strlen(rest[i]);
		if (col + 1 + len > MAIN_HELP_WIDTH) {
			fputc('\n', out);
			col = 0;
		} else {
			fputc(' ', out);
			col++;
		}
		fputs(rest[i], out);
		col += len;
	}
	fputc('\n', out);
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
	cmd_list(out);
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
	      "  fathom scan registry://r.example.com --ci --format html -o scan.html\n"
	      "\n", out);
	main_help_source(out);
	fputs("`fathom help COMMAND`, `fathom COMMAND --help` and `fathom --ci --help`\n"
	      "tell more; `man fathom` tells all. Exit status: 0 done (diff: the same),\n"
	      "1 a CI rule failed (diff: different), 2 error.\n", out);
	return cmd_flush(out);
}

/* `fathom help [COMMAND]`; analyze and ci name the analysis. */
static int
main_help_command(int argc, char **argv)
{
	const struct cmd *cmd;

	if (argc == 2)
		return main_help(stdout);
	if (argc > 3)
		return cmd_usage_error(NULL, "help wants one COMMAND");
	if (strcmp(argv[2], "analyze") == 0 || strcmp(argv[2], "ci") == 0)
		cmd = cmd_default();
	else if ((cmd = cmd_find(argv[2])) == NULL)
		return cmd_usage_error(NULL, "no command '%s'", argv[2]);
	return cmd_help(cmd, stdout);
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
	if (strcmp(argv[1], "help") == 0)
		return main_help_command(argc, argv);
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
	/* No command: the analysis, dive's way (`fathom IMAGE`, `--ci`). */
	return cmd_run(argc, argv, cmd_position(argc, argv));
}
