/* advice: what to change in the Dockerfile to make the image smaller, each
 * finding with the bytes it would save, measured from the layers: bytes
 * hidden by later layers (deleted-later, metadata-only-copy), and files at
 * the top that an image should not ship (package-cache, temp-files,
 * build-context, build-tools); a slimmer base (big-base) and ONBUILD triggers, which save
 * no measurable bytes. No byte counts in two findings. Pure: reads the model
 * only (/etc/os-release as it kept it); never reads bytes, never prints. */
#ifndef FATHOM_ADVICE_H
#define FATHOM_ADVICE_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/waste.h"
#include "image/image.h"

/* id, name, the advice sentence. In the order of their number. */
#define ADVICE_LIST(X)                                                                   \
	X(ADVICE_DELETED_LATER, "deleted-later",                                          \
	  "Clean up in the same RUN instruction that made the files: bytes a later "     \
	  "layer deletes or overwrites still ship in the layer that wrote them.")        \
	X(ADVICE_METADATA_ONLY, "metadata-only-copy",                                     \
	  "Use COPY --chmod/--chown (or fix modes and owners where the files are made): " \
	  "a RUN chmod/chown copies every byte of the files again.")                     \
	X(ADVICE_PACKAGE_CACHE, "package-cache",                                          \
	  "Remove the package manager's cache in the RUN that installs (or use its "     \
	  "no-cache option): it is not needed at run time.")                             \
	X(ADVICE_TEMP_FILES, "temp-files",                                                \
	  "Delete temporary files in the RUN instruction that makes them (or mount a "   \
	  "tmpfs there: RUN --mount=type=tmpfs,target=/tmp): a layer keeps whatever "     \
	  "/tmp and /var/tmp hold when it is committed.")                                \
	X(ADVICE_BUILD_CONTEXT, "build-context",                                          \
	  "Keep these out of the build context with a .dockerignore file.")              \
	X(ADVICE_BUILD_TOOLS, "build-tools",                                              \
	  "Use a multi-stage build: compile in one stage and copy only what runs into "  \
	  "the final one.")                                                              \
	X(ADVICE_BIG_BASE, "big-base",                                                    \
	  "The base image is most of this image: a slimmer variant of the same "         \
	  "distribution may do.")                                                        \
	X(ADVICE_ONBUILD, "onbuild",                                                      \
	  "These ONBUILD triggers run inside the build of every image made FROM this "   \
	  "one: read them before you build on it.")

#define ADVICE_ENUM(id, name, text) id,
enum advice_id { ADVICE_LIST(ADVICE_ENUM) ADVICE_COUNT };
#undef ADVICE_ENUM

struct advice_def {
	const char *name;
	const char *text;
};
extern const struct advice_def advice_defs[ADVICE_COUNT];

struct advice_path {
	uint32_t node;
	uint64_t bytes;
};

struct advice_finding {
	enum advice_id id;
	uint64_t bytes;			/* what following the advice saves */
	int high;			/* onbuild: copies the context and has network tools */
	uint16_t *layers;		/* owned: the layers concerned, in order */
	size_t nlayers;
	struct advice_path *paths;	/* owned: largest first */
	size_t npaths, cpaths;
	char *detail;			/* owned: what was found ("apt", "debian:
					 * bookworm-slim", ...), or NULL */
	char **triggers;		/* owned: onbuild: each trigger verbatim */
	int *trigger_high;		/* owned: onbuild: which ones are the risk */
	size_t ntriggers;
};

struct advice {
	struct advice_finding *items;	/* owned: largest saving first */
	size_t count, cap;
	uint64_t savings;		/* the findings together */
	size_t onbuild;			/* ONBUILD triggers */
	int onbuild_high;		/* some are high severity */
};

/* The package manager whose cache holds path (len bytes), by the
 * package-cache finding's table ("apt", "pip", ...), and in *root the
 * length of the cache directory it is below ("/root/.cache/pip"); NULL
 * when none. */
const char *advice_cache_of(const char *path, size_t len, size_t *root);

/* What of a build context path (len bytes) is, by the build-context
 * finding's table (".git", "editor and OS files", "tests and CI"), or
 * NULL; node_modules, which counts only when installed again, is NULL. */
const char *advice_build_context(const char *path, size_t len);

/* Finds what can be done about img, whose waste analysis is w. */
void advice_analyze(const struct image *img, const struct waste *w, struct advice *out);
/* Only the ONBUILD triggers (what `fathom inspect` flags). */
void advice_triggers(const struct image *img, struct advice *out);
void advice_fini(struct advice *a);

#endif
