/* build: `fathom [OPTIONS] build ARGS...`: runs the engine's build with the
 * user's arguments plus --iidfile, its output going straight to stderr,
 * then analyses the image built (the explorer on a terminal, the report
 * or the CI gate otherwise, as `fathom IMAGE` would). A build that fails
 * is an error (exit status 2), said after the builder's last lines. */
#include <errno.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/xalloc.h"

extern char **environ;

static const char build_help[] =
	"usage: fathom build [--engine docker|podman|buildah] BUILD-ARGUMENTS...\n"
	"\n"
	"Builds the image with `docker build` (or `podman build`, `buildah bud`)\n"
	"and the arguments given, then analyses it as `fathom IMAGE` would: the\n"
	"explorer on a terminal, the report otherwise, the CI gate with CI=true.\n"
	"The build's own output goes to stderr, as it comes; a build that fails\n"
	"is an error: its last lines, then one line from fathom, exit status 2.\n"
	"\n"
	"  --engine NAME   docker (default), podman or buildah; must come first\n"
	"\n"
	"Everything else after `build` is the builder's. fathom's own options, for\n"
	"reading the image built, come before `build`\n"
	"(fathom --timeout 120 build -t app:1 .):\n"
	CMD_SOURCE_HELP
	"\n"
	"Example: CI=true fathom build --engine podman -t app:1 .\n"
	"\n"
	"Exit status: the analysis's (0 done or the rules pass, 1 a rule failed),\n"
	"2 error (the build failed too).\n";

/* The engine's word for building. */
static const char *
build_verb(const char *engine)
{
	return strcmp(engine, "buildah") == 0 ? "bud" : "build";
}

/* Reads the image id the builder wrote; NULL when there is none. */
static char *
build_read_id(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[256];

	if (f == NULL)
		return NULL;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, " \t\r\n")] = '\0';
	return buf[0] != '\0' ? xstrdup(buf) : NULL;
}

int
cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		CMD_SOURCE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common cc = { .name = "build", .help = build_help };
	const char *engine = "docker";
	int c, rc, first, nlead;

	/* fathom's options, given before `build` (see CMD_PASSTHROUGH), for
	 * reading the image built; checked before anything is built */
	while ((c = getopt_long(argc, argv, "+" CMD_COMMON_SHORT, longopts, NULL)) != -1)
		if ((rc = cmd_common_option(&cc, c, argv)) >= 0)
			return rc;
	first = optind;
	nlead = first - 1 - (first > 1 && strcmp(argv[first - 1], "--") == 0);
	if (argc > first && (strcmp(argv[first], "--help") == 0 || strcmp(argv[first], "-h") == 0)) {
		fputs(build_help, stdout);
		return cmd_flush(stdout);
	}
	if (argc > first && strncmp(argv[first], "--engine", 8) == 0) {
		if (argv[first][8] == '=') {
			engine = argv[first] + 9;
			first += 1;
		} else if (argv[first][8] == '\0' && argc > first + 1) {
			engine = argv[first + 1];
			first += 2;
		} else {
			return cmd_usage_error("build", "--engine needs a value");
		}
	}
	if (strcmp(engine, "docker") != 0 && strcmp(engine, "podman") != 0 &&
	    strcmp(engine, "buildah") != 0)
		return cmd_usage_error("build", "unknown engine '%s' (docker, podman, buildah)",
		                       engine);
	if (first >= argc)
		return cmd_usage_error("build", "the build's arguments are missing (a context "
		                       "directory at least)");

	char dir[] = "/tmp/fathom-build.XXXXXX";
	if (mkdtemp(dir) == NULL) {
		cmd_error("cannot make a temporary directory: %s", strerror(errno));
		return EXIT_ERROR;
	}
	char *iid = xasprintf("%s/iid", dir);
	char **args = xcalloc((size_t)(argc - first) + 5, sizeof *args);
	size_t k = 0;
	args[k++] = (char *)engine;
	args[k++] = (char *)build_verb(engine);
	args[k++] = "--iidfile";
	args[k++] = iid;
	for (int i = first; i < argc; i++)
		args[k++] = argv[i];
	args[k] = NULL;

	/* all the builder says goes to stderr: stdout is the analysis's, and
	 * a failure's last lines come right before fathom's own line */
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = 0;
	fflush(NULL);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	rc = posix_spawnp(&pid, engine, &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(args);
	if (rc != 0) {
		cmd_error("cannot run %s: %s", engine, strerror(rc));
		rc = EXIT_ERROR;
		goto out;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		cmd_error("%s %s was killed by signal %d (%s)", engine, build_verb(engine),
		          WTERMSIG(st), strsignal(WTERMSIG(st)));
		rc = EXIT_ERROR;
		goto out;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		/* its last lines, just above, say why */
		cmd_error("%s %s failed with exit status %d: the image was not built", engine,
		          build_verb(engine), WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		rc = EXIT_ERROR;
		goto out;
	}
	char *id = build_read_id(iid);
	if (id == NULL) {
		cmd_error("%s %s succeeded but wrote no image id", engine, build_verb(engine));
		rc = EXIT_ERROR;
		goto out;
	}
	/* buildah builds into Podman's storage */
	char *spec = xasprintf("%s://%s", strcmp(engine, "docker") == 0 ? "docker" : "podman", id);
	char **aargv = xcalloc((size_t)nlead + 3, sizeof *aargv);
	aargv[0] = "fathom";
	for (int i = 0; i < nlead; i++)
		aargv[1 + i] = argv[1 + i];
	aargv[nlead + 1] = spec;
	optind = 0;	/* getopt afresh, for the analysis (glibc) */
	rc = cmd_analyze(nlead + 2, aargv);
	free(aargv);
	free(spec);
	free(id);
out:
	unlink(iid);
	rmdir(dir);
	free(iid);
	return rc;
}
