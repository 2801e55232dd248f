/* fix: `fathom fix IMAGE --dockerfile PATH [-o FILE|-] [--dockerignore
 * FILE] [--context DIR] [--verify [--engine NAME]] [-- BUILD-ARGS...]`:
 * plans the edits (analysis/fixplan.c, through cmd/dockerfile.c), writes
 * the fixed Dockerfile (output/dockerfix.c; never over PATH) and the
 * .dockerignore, and says what it did (output/fixreport.c). With
 * --verify, builds the original and the fixed Dockerfile with the
 * builder (build.c), loads both and compares them (analysis/fixcheck.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "output/dockerfix.h"
#include "util/xalloc.h"

enum { FIX_OPT_DOCKERFILE = CMD_OPT_OWN, FIX_OPT_IGNORE, FIX_OPT_CONTEXT, FIX_OPT_VERIFY,
       FIX_OPT_ENGINE };

static const struct cmd_option fix_options[] = {
	CMD_OPTION(FIX_OPT_DOCKERFILE, "dockerfile", "PATH",
	           "the Dockerfile the image was built from (needed)"),
	CMD_OPTION_LETTER('o', "output", "FILE",
	                  "the fixed Dockerfile (default: PATH.fixed); - for\n"
	                  "stdout, the report then going to stderr; never PATH"),
	CMD_OPTION(FIX_OPT_IGNORE, "dockerignore", "FILE",
	           "also write the build context's .dockerignore with\n"
	           "the lines added to FILE (- for stdout)"),
	CMD_OPTION(FIX_OPT_CONTEXT, "context", "DIR",
	           "the build context (default: the Dockerfile's directory)"),
	CMD_OPTION(FIX_OPT_VERIFY, "verify", NULL,
	           "build the original and the fixed Dockerfile, then\n"
	           "compare the images: each edit's bytes, the config,\n"
	           "the files"),
	CMD_OPTION(FIX_OPT_ENGINE, "engine", "NAME",
	           "the builder for --verify: docker, podman, buildah\n"
	           "(default: docker when its engine answers, else\n"
	           "podman, else buildah)"),
	CMD_OPTION_BASE_LAYERS,
	CMD_OPTION_FORMAT(CMD_JSON_DOCUMENT),
	CMD_OPTION_SOURCE,
	{ 0 },
};

const struct cmd_syntax cmd_fix_syntax = {
	"usage: fathom fix IMAGE --dockerfile PATH [-o FILE|-] [--dockerignore FILE]\n"
	"                  [--context DIR] [--verify [--engine NAME]]\n"
	"                  [--format text|json] [-- BUILD-ARGUMENTS...]\n"
	"\n"
	"Writes the Dockerfile IMAGE was built from with the edits that are safe to\n"
	"make mechanically, each commented and listed with the bytes it saves: a\n"
	"later RUN's cleanup moved into the RUN that made the files; the package\n"
	"manager's own flag or cleanup in the RUN that left its cache; COPY\n"
	"--chmod/--chown instead of a RUN chmod/chown; build-context files as\n"
	".dockerignore lines. What cannot be rewritten safely (build tools: a\n"
	"multi-stage build; a big base) is said as advice with its bytes. PATH is\n"
	"never written; the output keeps its comments and layout but for the edits.\n"
	"\n",
	fix_options,
	"\n"
	"After --, arguments for both builds of --verify (--network host,\n"
	"--build-arg A=1, ...).\n"
	"\n"
	"Exit status: 0 written (with --verify: the fixed image is smaller and\n"
	"otherwise the same), 1 with --verify: it differs in more than what the\n"
	"edits removed, or is not smaller; 2 error.\n",
};

struct fix_args {
	const char *dockerfile, *output, *ignore, *context, *engine;
	int verify;
};

static int
fix_option(struct cmd_ctx *cc, void *state, int id, const char *arg)
{
	struct fix_args *a = state;

	(void)cc;
	switch (id) {
	case FIX_OPT_DOCKERFILE:
		a->dockerfile = arg;
		break;
	case 'o':
		a->output = arg;
		break;
	case FIX_OPT_IGNORE:
		a->ignore = arg;
		break;
	case FIX_OPT_CONTEXT:
		a->context = arg;
		break;
	case FIX_OPT_VERIFY:
		a->verify = 1;
		break;
	default:	/* FIX_OPT_ENGINE */
		a->engine = arg;
		break;
	}
	return -1;
}

static int
fix_write_df(FILE *out, void *ctx)
{
	const struct cmd_dockerfile *d = ctx;
	return dockerfix_write(out, &d->df, &d->plan);
}

static int
fix_write_ignore(FILE *out, void *ctx)
{
	const struct cmd_dockerfile *d = ctx;
	return dockerfix_ignore_write(out, d->ignore, &d->plan);
}

/* Whether path names the file the Dockerfile is (never written). */
static int
fix_same_file(const char *path, const char *dockerfile)
{
	struct stat a, b;

	return strcmp(path, "-") != 0 && stat(path, &a) == 0 && stat(dockerfile, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Writes a file of the fix into dir (for the builds); 0 or EXIT_ERROR. */
static int
fix_temp_file(const char *path, int (*write)(FILE *, void *), void *ctx)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || write(f, ctx) < 0) {
		cmd_error("cannot write %s: %s", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return EXIT_ERROR;
	}
	if (fclose(f) != 0) {
		cmd_error("cannot write %s: %s", path, strerror(errno));
		return EXIT_ERROR;
	}
	return 0;
}

/* Builds one Dockerfile and loads the image built. */
static int
fix_build(struct cmd_ctx *cc, const char *engine, const char *dockerfile, const char *ignore,
          const char *context, char **extra, int nextra, struct cmd_image *ci)
{
	char **args = xcalloc((size_t)nextra + 7, sizeof *args);
	char *spec;
	int n = 0, rc;

	args[n++] = "-f";
	args[n++] = (char *)dockerfile;
	/* a layer per instruction, as docker and podman build (buildah
	 * squashes them by default): the layers are what is compared */
	if (strcmp(engine, "buildah") == 0)
		args[n++] = "--layers";
	/* podman and buildah take the ignore file by name; BuildKit finds it
	 * beside the Dockerfile (PATH.dockerignore) */
	if (ignore != NULL && strcmp(engine, "docker") != 0) {
		args[n++] = "--ignorefile";
		args[n++] = (char *)ignore;
	}
	for (int i = 0; i < nextra; i++)
		args[n++] = extra[i];
	args[n++] = (char *)context;
	rc = cmd_build_image(engine, args, n, &spec);
	free(args);
	if (rc != 0)
		return rc;
	rc = cmd_image_open(cc, spec, CMD_IMAGE_LAYERS | CMD_IMAGE_QUIET, ci);
	free(spec);
	return rc;
}

/* --verify: both builds, loaded, compared into *c. */
static int
fix_verify(struct cmd_ctx *cc, const struct fix_args *a, const char *context,
           struct cmd_dockerfile *d, char **extra, int nextra, struct fix_check *c)
{
	char dir[] = "/tmp/fathom-fix.XXXXXX";
	struct cmd_image ia = { 0 }, ib = { 0 };
	char *cause = NULL;
	int rc;

	if (mkdtemp(dir) == NULL) {
		cmd_error("cannot make a temporary directory: %s", strerror(errno));
		return EXIT_ERROR;
	}
	char *df = xasprintf("%s/Dockerfile", dir);
	char *ignore = xasprintf("%s/Dockerfile.dockerignore", dir);
	if ((rc = fix_temp_file(df, fix_write_df, d)) == 0 &&
	    (rc = fix_temp_file(ignore, fix_write_ignore, d)) == 0 &&
	    (rc = fix_build(cc, a->engine, a->dockerfile, NULL, context, extra, nextra, &ia)) == 0 &&
	    (rc = fix_build(cc, a->engine, df, ignore, context, extra, nextra, &ib)) == 0) {
		size_t la = ia.img->nlayers - 1, lb = ib.img->nlayers - 1;
		/* the files compared by content, hashed now: the analysis reads no bytes */
		if (image_hash_matching(ia.img, la, ib.img, lb, &cause) < 0 ||
		    image_hash_matching(ib.img, lb, ia.img, la, &cause) < 0 ||
		    fixcheck_compare(&d->plan, ia.img, ib.img, c, &cause) < 0) {
			cmd_error("%s", cause);
			free(cause);
			rc = EXIT_ERROR;
		}
	}
	cmd_image_close(&ia);
	cmd_image_close(&ib);
	unlink(df);
	unlink(ignore);
	rmdir(dir);
	free(df);
	free(ignore);
	return rc;
}

/* The rules between options that the parser does not check, the engine
 * chosen; -1 when they hold, else the usage error's status. extra:
 * arguments were given after --. */
static int
fix_args_check(struct cmd_ctx *cc, struct fix_args *a, int extra)
{
	if (cc->noperands == 0)
		return cmd_usage_error(cc->name, "IMAGE is missing");
	if (cc->noperands > 1)
		return cmd_usage_error(cc->name, "one IMAGE expected, got '%s' too", cc->operands[1]);
	if (a->dockerfile == NULL)
		return cmd_usage_error(cc->name, "--dockerfile PATH is needed: the Dockerfile to fix");
	if (a->engine != NULL && !a->verify)
		return cmd_usage_error(cc->name, "--engine goes with --verify");
	if (extra && !a->verify)
		return cmd_usage_error(cc->name, "arguments after -- go with --verify");
	if (a->verify && a->engine == NULL)
		a->engine = cmd_build_engine();
	else if (a->engine != NULL && strcmp(a->engine, "docker") != 0 &&
	         strcmp(a->engine, "podman") != 0 && strcmp(a->engine, "buildah") != 0)
		return cmd_usage_error(cc->name, "unknown engine '%s' (docker, podman, buildah)",
		                       a->engine);
	return -1;
}

/* The plan made, the fixed Dockerfile written to output (and the
 * .dockerignore), with --verify both builds compared, the report. */
static int
fix_run(struct cmd_ctx *cc, const struct fix_args *a, const char *output, const char *context,
        char **extra, int nextra)
{
	struct cmd_image ci;
	struct cmd_dockerfile d;
	struct fix_check check;
	int rc;

	if ((rc = cmd_image_open(cc, cc->operands[0], CMD_IMAGE_ADVICE, &ci)) != 0)
		return rc;
	rc = cmd_dockerfile_open(a->dockerfile, context, &ci, &d);
	cmd_image_close(&ci);	/* the plan holds what it needs */
	if (rc != 0)
		return rc;
	FILE *report = strcmp(output, "-") == 0 || (a->ignore && strcmp(a->ignore, "-") == 0) ?
	               stderr : stdout;
	if ((rc = cmd_write_file(output, fix_write_df, &d)) != 0 ||
	    (a->ignore != NULL && (rc = cmd_write_file(a->ignore, fix_write_ignore, &d)) != 0)) {
		cmd_dockerfile_close(&d);
		return rc;
	}
	struct fixreport_run run = { output, a->ignore, NULL, a->engine };
	if (a->verify) {
		if ((rc = fix_verify(cc, a, context, &d, extra, nextra, &check)) != 0) {
			cmd_dockerfile_close(&d);
			return rc;
		}
		run.check = &check;
	}
	fixreport_print(report, &d.x, &run, cc->format);
	rc = cmd_flush(report);
	if (a->verify) {
		if (rc == 0 && !(check.same && check.size_b < check.size_a))
			rc = 1;
		fixcheck_free(&check);
	}
	cmd_dockerfile_close(&d);
	return rc;
}

int
cmd_fix(struct cmd_ctx *cc, int argc, char **argv)
{
	struct fix_args a = { 0 };
	int rc, end = argc;

	/* after "--": the builds' own arguments */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			end = i;
			break;
		}
	if ((rc = cmd_options_parse(cc, end, argv, fix_option, &a)) >= 0)
		return rc;
	if ((rc = fix_args_check(cc, &a, end < argc)) >= 0)
		return rc;
	char *output = a.output != NULL ? xstrdup(a.output) : xasprintf("%s.fixed", a.dockerfile);
	if (a.ignore != NULL && strcmp(a.ignore, "-") == 0 && strcmp(output, "-") == 0) {
		free(output);
		return cmd_usage_error(cc->name, "-o - and --dockerignore - cannot both go to stdout");
	}
	if (fix_same_file(output, a.dockerfile) ||
	    (a.ignore != NULL && fix_same_file(a.ignore, a.dockerfile))) {
		cmd_error("%s: fathom fix never writes over the Dockerfile: -o names another file",
		          a.dockerfile);
		free(output);
		return EXIT_ERROR;
	}
	char *context = a.context != NULL ? xstrdup(a.context) : cmd_dockerfile_dir(a.dockerfile);
	rc = fix_run(cc, &a, output, context, argv + end + 1, argc - end - 1);
	free(context);
	free(output);
	return rc;
}
