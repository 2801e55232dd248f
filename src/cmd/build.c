/* build: `fathom [OPTIONS] build ARGS...`: runs the engine's build with the
 * user's arguments plus --iidfile, its output going straight to stderr,
 * then analyses the image built (the explorer on a terminal, the report
 * or the CI gate otherwise, as `fathom IMAGE` would). A build that fails
 * is an error (exit status 2), said after the builder's last lines. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "source/engine.h"
#include "util/xalloc.h"

extern char **environ;

static const struct cmd_option cmd_build_options[] = {
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_build_syntax = {
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
	"(fathom --timeout 120 build -t app:1 .):\n",
	cmd_build_options,
	"\n"
	"Example: CI=true fathom build --engine podman -t app:1 .\n"
	"\n"
	"Exit status: the analysis's (0 done or the rules pass, 1 a rule failed),\n"
	"2 error (the build failed too).\n",
};

/* The engine's word for building. */
static const char *
cmd_build_verb(const char *engine)
{
	return strcmp(engine, "buildah") == 0 ? "bud" : "build";
}

/* Reads the image id the builder wrote; NULL when there is none. */
static char *
cmd_build_read_id(const char *path)
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

/* The builder's arguments from argv[*first]: --engine NAME (or
 * --engine=NAME) first, moving *first past it; -1 when they will do,
 * else the exit status. */
static int
cmd_build_engine_arg(struct cmd_ctx *cc, int argc, char **argv, int *first, const char **engine)
{
	const char *arg = *first < argc ? argv[*first] : "";

	if (strncmp(arg, "--engine", 8) == 0) {
		if (arg[8] == '=') {
			*engine = arg + 9;
			*first += 1;
		} else if (arg[8] == '\0' && argc > *first + 1) {
			*engine = argv[*first + 1];
			*first += 2;
		} else {
			return cmd_usage_error(cc->name, "--engine needs a value");
		}
	}
	if (strcmp(*engine, "docker") != 0 && strcmp(*engine, "podman") != 0 &&
	    strcmp(*engine, "buildah") != 0)
		return cmd_usage_error(cc->name, "unknown engine '%s' (docker, podman, buildah)",
		                       *engine);
	if (*first >= argc)
		return cmd_usage_error(cc->name, "the build's arguments are missing (a context "
		                       "directory at least)");
	return -1;
}

/* Runs ENGINE build --iidfile iid ARGS..., all it says going to stderr
 * (stdout is the analysis's, and a failure's last lines come right before
 * fathom's own line); 0 when it built, else EXIT_ERROR after saying why. */
static int
cmd_build_spawn(const char *engine, const char *iid, char **args, int nargs)
{
	char **argv = xcalloc((size_t)nargs + 5, sizeof *argv);
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int k = 0, st = 0, rc;

	argv[k++] = (char *)engine;
	argv[k++] = (char *)cmd_build_verb(engine);
	argv[k++] = "--iidfile";
	argv[k++] = (char *)iid;
	for (int i = 0; i < nargs; i++)
		argv[k++] = args[i];
	fflush(NULL);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	rc = posix_spawnp(&pid, engine, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	if (rc != 0) {
		cmd_error("cannot run %s: %s", engine, strerror(rc));
		return EXIT_ERROR;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		cmd_error("%s %s was killed by signal %d (%s)", engine, cmd_build_verb(engine),
		          WTERMSIG(st), strsignal(WTERMSIG(st)));
		return EXIT_ERROR;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		/* its last lines, just above, say why */
		cmd_error("%s %s failed with exit status %d: the image was not built", engine,
		          cmd_build_verb(engine), WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return EXIT_ERROR;
	}
	return 0;
}

int
cmd_build_image(const char *engine, char **args, int nargs, char **spec)
{
	char dir[] = "/tmp/fathom-build.XXXXXX";
	int rc;

	*spec = NULL;
	if (mkdtemp(dir) == NULL) {
		cmd_error("cannot make a temporary directory: %s", strerror(errno));
		return EXIT_ERROR;
	}
	char *iid = xasprintf("%s/iid", dir);
	if ((rc = cmd_build_spawn(engine, iid, args, nargs)) == 0) {
		char *id = cmd_build_read_id(iid);
		if (id == NULL) {
			cmd_error("%s %s succeeded but wrote no image id", engine, cmd_build_verb(engine));
			rc = EXIT_ERROR;
		} else {
			/* buildah builds into Podman's storage */
			*spec = xasprintf("%s://%s", strcmp(engine, "docker") == 0 ? "docker" : "podman",
			                  id);
		}
		free(id);
	}
	unlink(iid);
	rmdir(dir);
	free(iid);
	return rc;
}

/* Whether name is an executable in a directory of $PATH. */
static int
cmd_build_on_path(const char *name)
{
	const char *path = getenv("PATH");

	for (const char *p = path; p != NULL && *p; p = strchr(p, ':'), p = p ? p + 1 : NULL) {
		size_t n = strcspn(p, ":");
		char *f = xasprintf("%.*s/%s", (int)n, p, name);
		int ok = n > 0 && access(f, X_OK) == 0;
		free(f);
		if (ok)
			return 1;
	}
	return 0;
}

const char *
cmd_build_engine(void)
{
	struct engine_where w = { 0 };
	char *cause = NULL;
	struct stat st;
	int docker = 0;

	if (cmd_build_on_path("docker") && engine_find("docker", &w, &cause) == 0)
		docker = strncmp(w.host, "unix://", 7) != 0 || stat(w.host + 7, &st) == 0;
	engine_where_fini(&w);
	free(cause);
	if (docker)
		return "docker";
	if (cmd_build_on_path("podman"))
		return "podman";
	if (cmd_build_on_path("buildah"))
		return "buildah";
	return "docker";
}

/* The analysis of the image spec, with fathom's options lead[0..nlead-1]. */
static int
cmd_build_analyse(char *spec, char **lead, int nlead)
{
	char **argv = xcalloc((size_t)nlead + 3, sizeof *argv);
	argv[0] = "fathom";
	for (int i = 0; i < nlead; i++)
		argv[1 + i] = lead[i];
	argv[nlead + 1] = spec;
	int rc = cmd_run(nlead + 2, argv, 0);
	free(argv);
	return rc;
}

int
cmd_build(struct cmd_ctx *cc, int argc, char **argv)
{
	const char *engine = "docker";
	int rc;

	/* fathom's options, given before `build` (see CMD_PASSTHROUGH), for
	 * reading the image built; checked before anything is built */
	if ((rc = cmd_options_parse(cc, argc, argv, NULL, NULL)) >= 0)
		return rc;
	int first = argc - cc->noperands;
	int nlead = first - 1 - (first > 1 && strcmp(argv[first - 1], "--") == 0);
	if (first < argc && (strcmp(argv[first], "--help") == 0 || strcmp(argv[first], "-h") == 0))
		return cmd_help(cc->cmd, stdout);
	if ((rc = cmd_build_engine_arg(cc, argc, argv, &first, &engine)) >= 0)
		return rc;

	char *spec;
	if ((rc = cmd_build_image(engine, argv + first, argc - first, &spec)) == 0)
		rc = cmd_build_analyse(spec, argv + 1, nlead);
	free(spec);
	return rc;
}
