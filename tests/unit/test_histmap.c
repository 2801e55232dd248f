/* test_histmap: history entries matched to Dockerfile instructions in
 * every builder's form: the classic builder, buildah and podman, BuildKit
 * (build args, heredocs, WORKDIR layers), kaniko; the last stage of a
 * multi-stage file and the stages it is built on; a base image whose
 * history looks like the file's; squashed and missing histories. */
#include <stdio.h>

#include "testutil.h"
#include "analysis/histmap.h"

static struct dockerfile df;
static struct histmap map;

/* Entries: "E:created_by" for an empty_layer entry, "L:created_by" for a
 * layer; NULL ends them. Returns the count; *layers the layers. */
static size_t
history(const char *const *spec, struct history *h, size_t *layers)
{
	size_t n = 0;

	*layers = 0;
	for (; spec[n] != NULL; n++) {
		memset(&h[n], 0, sizeof h[n]);
		h[n].empty_layer = spec[n][0] == 'E';
		h[n].created_by = (char *)spec[n] + 2;
		*layers += !h[n].empty_layer;
	}
	return n;
}

/* Maps spec against text; the instruction of each layer by its line
 * ("1,4,6", B: base, -: none). */
static char *
layer_lines(const char *text, const char *const *spec)
{
	struct history h[64];
	size_t layers, n = history(spec, h, &layers);
	char *cause = NULL, *out = xstrdup("");

	if (dockerfile_parse("Dockerfile", text, strlen(text), &df, &cause) != 0)
		fail_msg("%s", cause);
	histmap_build(h, n, layers, &df, &map);
	for (size_t k = 0; k < layers; k++) {
		size_t i = histmap_layer(&map, k);
		char *t = i == HISTMAP_BASE ? xasprintf("%s%sB", out, k ? "," : "") :
		          i == HISTMAP_NONE ? xasprintf("%s%s-", out, k ? "," : "") :
		                              xasprintf("%s%s%u", out, k ? "," : "", df.instrs[i].line);
		free(out);
		out = t;
	}
	return out;
}

static void
done(char *s)
{
	free(s);
	histmap_free(&map);
	dockerfile_free(&df);
}

static const char wasteful[] =
	"FROM debian:bookworm\n"			/* 1 */
	"ARG VERSION=1.0\n"				/* 2 */
	"ENV APP=/app\n"				/* 3 */
	"RUN apt-get update && \\\n"			/* 4 */
	"    apt-get install -y make\n"
	"RUN rm -rf /var/lib/apt/lists/*\n"		/* 6 */
	"COPY . $APP\n"					/* 7 */
	"RUN chmod -R 755 /app\n"			/* 8 */
	"WORKDIR /app\n"				/* 9 */
	"CMD [\"sh\", \"run.sh\"]\n";			/* 10 */

static void
buildah_and_podman(void **state)
{
	static const char *const h[] = {
		"L:/bin/sh -c #(nop) ADD file:d680468aec4c in /",
		"E:/bin/sh -c #(nop) ARG VERSION",
		"E:/bin/sh -c #(nop) ENV APP=/app",
		"L:|1 VERSION=1.0 /bin/sh -c apt-get update &&     apt-get install -y make",
		"L:|1 VERSION=1.0 /bin/sh -c rm -rf /var/lib/apt/lists/*",
		"L:/bin/sh -c #(nop) COPY dir:00990b31011c7fb30252f5 in $APP ",
		"L:|1 VERSION=1.0 /bin/sh -c chmod -R 755 /app",
		"E:/bin/sh -c #(nop) WORKDIR /app",
		"E:/bin/sh -c #(nop) CMD [\"sh\", \"run.sh\"]",
		NULL,
	};
	(void)state;
	char *s = layer_lines(wasteful, h);
	assert_string_equal(s, "B,4,6,7,8");
	assert_int_equal(map.stage, 0);
	assert_int_equal(map.from, 0);
	assert_int_equal(map.first, 1);
	assert_int_equal(map.unmapped, 0);
	assert_int_equal(map.entry[8], 8);	/* CMD */
	assert_int_equal(map.made[3], 1);	/* the RUN at line 4 made layer 1 */
	assert_int_equal(map.made[1], HISTMAP_NONE);
	done(s);
}

static void
classic_builder(void **state)
{
	/* docker's own builder: #(nop) with two blanks, dest made absolute */
	static const char *const h[] = {
		"L:/bin/sh -c #(nop) ADD file:abc in / ",
		"E:/bin/sh -c #(nop)  CMD [\"bash\"]",
		"E:/bin/sh -c #(nop)  ARG VERSION=1.0",
		"E:/bin/sh -c #(nop)  ENV APP=/app",
		"L:|1 VERSION=1.0 /bin/sh -c apt-get update &&     apt-get install -y make",
		"L:|1 VERSION=1.0 /bin/sh -c rm -rf /var/lib/apt/lists/*",
		"L:/bin/sh -c #(nop) COPY dir:9f2a in /app ",
		"L:|1 VERSION=1.0 /bin/sh -c chmod -R 755 /app",
		"E:/bin/sh -c #(nop) WORKDIR /app",
		"E:/bin/sh -c #(nop)  CMD [\"sh\" \"run.sh\"]",
		NULL,
	};
	(void)state;
	char *s = layer_lines(wasteful, h);
	assert_string_equal(s, "B,4,6,7,8");
	/* the base's CMD ["bash"] is the base's, not line 10's */
	assert_int_equal(map.entry[1], HISTMAP_NONE);
	assert_int_equal(map.entry[9], 8);
	assert_int_equal(map.first, 2);
	done(s);
}

static void
buildkit(void **state)
{
	static const char *const h[] = {
		"L:# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'",
		"E:ARG VERSION=1.0",
		"E:ENV APP=/app",
		"L:RUN |1 VERSION=1.0 /bin/sh -c apt-get update &&     apt-get install -y make # buildkit",
		"L:RUN |1 VERSION=1.0 /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit",
		"L:COPY . /app # buildkit",
		"L:RUN |1 VERSION=1.0 /bin/sh -c chmod -R 755 /app # buildkit",
		"L:WORKDIR /app",
		"E:CMD [\"sh\" \"run.sh\"]",
		NULL,
	};
	(void)state;
	char *s = layer_lines(wasteful, h);
	assert_string_equal(s, "B,4,6,7,8,9");	/* BuildKit's WORKDIR makes a layer */
	done(s);
}

static void
buildkit_heredocs_and_chown(void **state)
{
	static const char text[] =
		"# syntax=docker/dockerfile:1\n"
		"FROM alpine\n"				/* 2 */
		"RUN <<EOF\n"				/* 3 */
		"apk add git\n"
		"rm -rf /var/cache/apk/*\n"
		"EOF\n"
		"RUN <<EOF\n"				/* 7 */
		"#!/bin/sh\n"
		"echo hi\n"
		"EOF\n"
		"COPY --chown=app:app --chmod=755 run.sh /usr/local/bin/\n"	/* 11 */
		"RUN python3 <<A <<B\n"			/* 12 */
		"print(1)\n"
		"A\n"
		"print(2)\n"
		"B\n";
	static const char *const h[] = {
		"L:/bin/sh -c #(nop) ADD file:1 in / ",
		"E:/bin/sh -c #(nop)  CMD [\"/bin/sh\"]",
		"L:RUN /bin/sh -c apk add git\nrm -rf /var/cache/apk/*\n # buildkit",
		"L:RUN /bin/sh -c /dev/pipes/EOF # buildkit",
		"L:COPY --chown=app:app --chmod=755 run.sh /usr/local/bin/ # buildkit",
		"L:RUN /bin/sh -c python3 <<A <<B\nprint(1)\nA\nprint(2)\nB # buildkit",
		NULL,
	};
	(void)state;
	char *s = layer_lines(text, h);
	assert_string_equal(s, "B,3,7,11,12");
	done(s);
}

static void
build_args_of_any_count(void **state)
{
	static const char text[] =
		"FROM debian\n"
		"ARG A=1\n"
		"ARG B\n"
		"RUN make\n"
		"RUN make install\n";
	static const char *const h[] = {
		"L:/bin/sh -c #(nop) ADD file:1 in /",
		"L:RUN |2 A=1 B=2 /bin/sh -c make # buildkit",
		"L:|2 A=1 B=two words /bin/sh -c make install",
		NULL,
	};
	(void)state;
	char *s = layer_lines(text, h);
	assert_string_equal(s, "B,4,5");
	done(s);
}

static void
kaniko_and_exec_forms(void **state)
{
	static const char text[] =
		"FROM debian\n"
		"RUN [\"/bin/echo\", \"hi\"]\n"
		"COPY a /b\n"
		"ENV A=1\n";
	static const char *const h[] = {
		"L:debian's",
		"L:RUN /bin/echo hi",
		"L:COPY a /b",
		"E:ENV A=1",
		NULL,
	};
	(void)state;
	char *s = layer_lines(text, h);
	assert_string_equal(s, "B,2,3");
	done(s);
}

static void
multi_stage_last_and_chained(void **state)
{
	static const char text[] =
		"FROM golang AS build\n"		/* 1 */
		"RUN go build -o /app .\n"		/* 2 */
		"FROM debian AS base\n"			/* 3 */
		"RUN apt-get update\n"			/* 4 */
		"FROM base\n"				/* 5 */
		"COPY --from=build /app /app\n"		/* 6 */
		"RUN rm -rf /var/lib/apt/lists/*\n";	/* 7 */
	static const char *const h[] = {
		"L:/bin/sh -c #(nop) ADD file:deb in /",
		"L:RUN /bin/sh -c apt-get update # buildkit",
		"L:COPY /app /app # buildkit",
		"L:RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit",
		NULL,
	};
	(void)state;
	char *s = layer_lines(text, h);
	assert_string_equal(s, "B,4,6,7");
	assert_int_equal(map.stage, 2);
	assert_int_equal(map.from, 2);	/* the FROM of line 3: debian */
	done(s);
	/* an image of the first stage (built with --target build) */
	static const char *const h2[] = {
		"L:/bin/sh -c #(nop) ADD file:go in /",
		"L:RUN /bin/sh -c go build -o /app . # buildkit",
		NULL,
	};
	s = layer_lines(text, h2);
	assert_string_equal(s, "B,2");
	assert_int_equal(map.stage, 0);
	done(s);
}

static void
squashed_and_rewritten(void **state)
{
	/* podman build --squash: the file's layers in one, its history
	 * rewritten: the layers that match keep their line */
	static const char *const h[] = {
		"L:/bin/sh -c #(nop) ADD file:d680 in /",
		"E:/bin/sh -c #(nop) ENV APP=/app",
		"L:merged by fathom squash",
		"L:|1 VERSION=1.0 /bin/sh -c chmod -R 755 /app",
		NULL,
	};
	(void)state;
	char *s = layer_lines(wasteful, h);
	assert_string_equal(s, "B,-,8");
	assert_int_equal(map.unmapped, 1);
	done(s);
	/* squashed where the build's first entry should be: the entries made
	 * when the build's first match was (and after the base's) are the
	 * build's, without a line */
	struct history t[4];
	char *c2 = NULL;
	memset(t, 0, sizeof t);
	t[0] = (struct history){ "2023-06-12T00:00:00Z", "/bin/sh -c #(nop) ADD file:d680 in /", NULL,
	                         NULL, 0 };
	t[1] = (struct history){ "2024-01-02T03:04:05.5Z", "merged by fathom squash", NULL, NULL, 0 };
	t[2] = (struct history){ "2024-01-02T03:04:05Z", "|1 VERSION=1.0 /bin/sh -c chmod -R 755 /app",
	                         NULL, NULL, 0 };
	if (dockerfile_parse("Dockerfile", wasteful, strlen(wasteful), &df, &c2) != 0)
		fail_msg("%s", c2);
	histmap_build(t, 3, 3, &df, &map);
	assert_int_equal(histmap_layer(&map, 0), HISTMAP_BASE);
	assert_int_equal(histmap_layer(&map, 1), HISTMAP_NONE);
	assert_int_equal(df.instrs[histmap_layer(&map, 2)].line, 8);
	assert_int_equal(map.first, 1);
	histmap_free(&map);
	/* without times (or all the same), the same entries are the base's */
	t[0].created = t[1].created = t[2].created = NULL;
	histmap_build(t, 3, 3, &df, &map);
	assert_int_equal(histmap_layer(&map, 1), HISTMAP_BASE);
	histmap_free(&map);
	/* buildah's "FROM base" comment on the first match: it starts the build */
	t[0].created = "2023-06-12T00:00:00Z";
	t[1].created = t[2].created = "2024-01-02T03:04:05Z";
	t[2].comment = "FROM localhost/fathom/bookworm:minbase";
	histmap_build(t, 3, 3, &df, &map);
	assert_int_equal(histmap_layer(&map, 1), HISTMAP_BASE);
	histmap_free(&map);
	dockerfile_free(&df);

	/* no history: no line for any layer */
	static const char *const none[] = { NULL };
	struct history hh[1];
	size_t layers;
	char *cause = NULL;
	history(none, hh, &layers);
	if (dockerfile_parse("Dockerfile", wasteful, strlen(wasteful), &df, &cause) != 0)
		fail_msg("%s", cause);
	histmap_build(hh, 0, 3, &df, &map);
	assert_int_equal(map.stage, HISTMAP_NONE);
	assert_int_equal(histmap_layer(&map, 0), HISTMAP_NONE);
	assert_int_equal(histmap_layer(&map, 2), HISTMAP_NONE);
	assert_int_equal(map.unmapped, 3);
	done(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buildah_and_podman),
		cmocka_unit_test(classic_builder),
		cmocka_unit_test(buildkit),
		cmocka_unit_test(buildkit_heredocs_and_chown),
		cmocka_unit_test(build_args_of_any_count),
		cmocka_unit_test(kaniko_and_exec_forms),
		cmocka_unit_test(multi_stage_last_and_chained),
		cmocka_unit_test(squashed_and_rewritten),
	};
	return cmocka_run_group_tests_name("histmap", tests, NULL, NULL);
}
