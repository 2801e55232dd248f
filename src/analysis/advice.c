/* advice: findings from the model and the waste analysis; see advice.h.
 *
 * Bytes come from two disjoint sets, so nothing counts twice: the hidden
 * writes of the waste analysis (each one deleted-later or, when the next
 * version is the same bytes with another mode or owner, metadata-only-copy),
 * and the files at the top (hard links once), each given to the first of
 * package-cache, temp-files, build-context, build-tools whose patterns it
 * matches. */
#include "analysis/advice.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "image/stack.h"
#include "util/globset.h"
#include "util/xalloc.h"

#define ADVICE_DEF(id, name, text) [id] = { name, text },
const struct advice_def advice_defs[ADVICE_COUNT] = { ADVICE_LIST(ADVICE_DEF) };
#undef ADVICE_DEF

/* A finding being gathered, with the layers it has seen. */
struct gather {
	struct advice *a;
	const struct image *img;
	uint8_t **seen;		/* per finding: per layer (owned) */
};

static struct advice_finding *
gather_find(struct gather *g, enum advice_id id, const char *detail, int a, int b)
{
	struct advice *ad = g->a;

	for (size_t i = 0; i < ad->count; i++) {
		struct advice_finding *f = &ad->items[i];
		if (f->id != id)
			continue;
		if (detail != NULL && (f->detail == NULL || strcmp(f->detail, detail) != 0))
			continue;
		if (a >= 0 && (f->nlayers < 1 || f->layers[0] != a))
			continue;
		if (b >= 0 && (b == a ? f->nlayers != 1 : f->nlayers != 2 || f->layers[1] != b))
			continue;
		return f;
	}
	ARRAY_RESERVE(ad->items, ad->count, ad->cap);
	g->seen = xrealloc(g->seen, (ad->count + 1) * sizeof *g->seen);
	g->seen[ad->count] = xcalloc(g->img->nlayers + 1, 1);
	struct advice_finding *f = &ad->items[ad->count++];
	memset(f, 0, sizeof *f);
	f->id = id;
	f->detail = detail != NULL ? xstrdup(detail) : NULL;
	if (a >= 0) {
		f->layers = xcalloc(2, sizeof *f->layers);
		f->layers[f->nlayers++] = (uint16_t)a;
		g->seen[ad->count - 1][a] = 1;
		if (b >= 0 && b != a) {
			f->layers[f->nlayers++] = (uint16_t)b;
			g->seen[ad->count - 1][b] = 1;
		}
	}
	return f;
}

static void
gather_add(struct gather *g, struct advice_finding *f, uint32_t node, uint64_t bytes,
           size_t layer)
{
	size_t i = (size_t)(f - g->a->items);

	ARRAY_RESERVE(f->paths, f->npaths, f->cpaths);
	f->paths[f->npaths++] = (struct advice_path){ node, bytes };
	f->bytes += bytes;
	g->seen[i][layer] = 1;
}

/* Whether the next version of a hidden file is the same bytes with only
 * its mode or owner changed. */
static int
advice_metadata_only(const struct image *img, const struct waste_write *w)
{
	uint32_t v = stack_at(img, w->node, w->layer), n;

	if (w->hidden_by == w->layer || v == TREE_NONE)
		return 0;
	/* the version that hid it: the next newer one */
	for (n = img->tree.nodes[w->node].version; n != TREE_NONE && img->versions[n].next != v;
	     n = img->versions[n].next)
		;
	if (n == TREE_NONE || img->versions[n].entry == ENTRY_NONE ||
	    img->versions[v].entry == ENTRY_NONE)
		return 0;
	const struct entry *a = &img->entries[img->versions[v].entry];
	const struct entry *b = &img->entries[img->versions[n].entry];
	return a->type == ENTRY_FILE && b->type == ENTRY_FILE && a->size == b->size &&
	       !(a->flags & ENTRY_UNHASHED) && !(b->flags & ENTRY_UNHASHED) &&
	       a->hash == b->hash && (a->mode != b->mode || a->uid != b->uid || a->gid != b->gid);
}

static void
advice_hidden(struct gather *g, const struct waste *w)
{
	for (size_t i = 0; i < w->nwrites; i++) {
		const struct waste_write *x = &w->writes[i];
		enum advice_id id = advice_metadata_only(g->img, x) ? ADVICE_METADATA_ONLY :
		                                                      ADVICE_DELETED_LATER;
		struct advice_finding *f = gather_find(g, id, NULL, x->layer, x->hidden_by);
		gather_add(g, f, x->node, x->bytes, x->layer);
	}
}

/* Package managers' leftovers, by location (globs on the full path). */
static const struct {
	const char *what, *pattern;
} advice_caches[] = {
	{ "apt", "/var/lib/apt/lists/*" },
	{ "apt", "/var/cache/apt/*" },
	{ "apk", "/var/cache/apk/*" },
	{ "apk", "/etc/apk/cache/*" },
	{ "dnf", "/var/cache/dnf/*" },
	{ "yum", "/var/cache/yum/*" },
	{ "pip", "/root/.cache/pip/*" },
	{ "pip", "/home/*/.cache/pip/*" },
	{ "npm", "/root/.npm/*" },
	{ "npm", "/home/*/.npm/*" },
	{ "yarn", "/usr/local/share/.cache/yarn/*" },
	{ "yarn", "/root/.cache/yarn/*" },
	{ "yarn", "/home/*/.cache/yarn/*" },
	{ "go", "/root/.cache/go-build/*" },
	{ "go", "/home/*/.cache/go-build/*" },
	{ "gem", "/root/.gem/specs/*" },
	{ "gem", "/usr/local/bundle/cache/*" },
	{ "gem", "/var/lib/gems/*/cache/*" },
	{ "gem", "/usr/lib/ruby/gems/*/cache/*" },
	{ "composer", "/root/.composer/cache/*" },
	{ "composer", "/root/.cache/composer/*" },
	{ "composer", "/home/*/.cache/composer/*" },
};

const char *
advice_cache_of(const char *path, size_t len, size_t *root)
{
	char *p = xstrndup(path, len);
	const char *what = NULL;

	for (size_t i = 0; i < sizeof advice_caches / sizeof *advice_caches && !what; i++) {
		const char *pat = advice_caches[i].pattern;
		if (fnmatch(pat, p, 0) != 0)
			continue;
		/* the directory: as many components as the pattern has before its last star */
		size_t slashes = 0, k = 0;
		for (const char *c = pat; c[0] != '\0' && strcmp(c, "/*") != 0; c++)
			slashes += *c == '/';
		for (size_t seen = 0; k < len; k++)
			if (p[k] == '/' && ++seen > slashes)
				break;
		*root = k;
		what = advice_caches[i].what;
	}
	free(p);
	return what;
}

/* Temporary files left behind, by their directory. */
static const struct {
	const char *what, *pattern;
} advice_temp[] = {
	{ "/tmp", "/tmp/*" },
	{ "/var/tmp", "/var/tmp/*" },
};

/* Compilers, headers and toolchains. */
static const struct {
	const char *what, *pattern;
} advice_tools[] = {
	{ "gcc", "/usr/bin/gcc*" },
	{ "gcc", "/usr/bin/g++*" },
	{ "gcc", "/usr/bin/*-linux-gnu-gcc*" },
	{ "gcc", "/usr/bin/*-linux-gnu-g++*" },
	{ "gcc", "/usr/bin/cc1*" },
	{ "gcc", "/usr/lib/gcc/*" },
	{ "gcc", "/usr/libexec/gcc/*" },
	{ "clang", "/usr/bin/clang*" },
	{ "clang", "/usr/lib/llvm-*" },
	{ "make", "/usr/bin/make" },
	{ "make", "/usr/bin/gmake" },
	{ "headers", "/usr/include/*" },
	{ "headers", "/usr/local/include/*" },
	{ "go", "/usr/local/go/*" },
	{ "go", "/usr/lib/go-*" },
	{ "rust", "/root/.rustup/*" },
	{ "rust", "/usr/local/rustup/*" },
	{ "rust", "/root/.cargo/*" },
	{ "rust", "/usr/local/cargo/*" },
	{ "build-essential", "/usr/share/build-essential/*" },
};

/* Whether a layer is a COPY or ADD (or not known: no history). */
static int
advice_copy_layer(const struct image *img, size_t layer)
{
	const struct history *h = image_history_of(img, layer);
	const char *c;

	if (h == NULL || h->created_by == NULL)
		return 1;
	c = image_history_command(h);
	while (*c == ' ')
		c++;
	return strncmp(c, "COPY ", 5) == 0 || strncmp(c, "ADD ", 4) == 0;
}

/* What of the build context a path is, in order of precedence (globs on
 * the full path); NULL kind: none (below node_modules, which only counts
 * when a later layer installs it again). */
#define ADVICE_GIT 0
static const struct {
	const char *kind, *pattern;
} advice_context[] = {
	{ ".git", "*/.git/*" },
	{ "editor and OS files", "*/.DS_Store" },
	{ "editor and OS files", "*/Thumbs.db" },
	{ "editor and OS files", "*/desktop.ini" },
	{ "editor and OS files", "*.sw[op]" },
	{ "editor and OS files", "*~" },
	{ "editor and OS files", "*/.idea/*" },
	{ "editor and OS files", "*/.vscode/*" },
	{ NULL, "*/node_modules/*" },
	{ "tests and CI", "*/.github/*" },
	{ "tests and CI", "*/.gitlab/*" },
	{ "tests and CI", "*/.circleci/*" },
	{ "tests and CI", "*/.gitlab-ci.yml" },
	{ "tests and CI", "*/.travis.yml" },
	{ "tests and CI", "*/test/*" },
	{ "tests and CI", "*/tests/*" },
	{ "tests and CI", "*/__tests__/*" },
};

#define NELEMS(a) (sizeof a / sizeof a[0])

const char *
advice_build_context(const char *path, size_t len)
{
	char *p = xstrndup(path, len);
	const char *kind = NULL;

	for (size_t i = 0; i < NELEMS(advice_context); i++)
		if (fnmatch(advice_context[i].pattern, p, 0) == 0) {
			kind = advice_context[i].kind;
			break;
		}
	free(p);
	return kind;
}

/* The tables above as two compiled globsets: what files at the top are
 * (caches, temp, tools, in that order), and what of a build context. */
struct advice_globs {
	struct globset *top, *context;
};

static void
advice_globs_init(struct advice_globs *gl)
{
	const char *top[NELEMS(advice_caches) + NELEMS(advice_temp) + NELEMS(advice_tools)];
	const char *context[NELEMS(advice_context)];
	size_t n = 0;

	for (size_t i = 0; i < NELEMS(advice_caches); i++)
		top[n++] = advice_caches[i].pattern;
	for (size_t i = 0; i < NELEMS(advice_temp); i++)
		top[n++] = advice_temp[i].pattern;
	for (size_t i = 0; i < NELEMS(advice_tools); i++)
		top[n++] = advice_tools[i].pattern;
	for (size_t i = 0; i < NELEMS(advice_context); i++)
		context[i] = advice_context[i].pattern;
	gl->top = globset_new(top, n);
	gl->context = globset_new(context, NELEMS(advice_context));
	if (gl->top == NULL || gl->context == NULL)
		xalloc_die();	/* the tables are fathom's own */
}

/* What of the build context a path is, or NULL. nm_later: the path is in a
 * node_modules that a later layer also writes. */
static const char *
advice_context_kind(struct advice_globs *gl, const char *path, size_t len, int nm_later)
{
	int i = globset_match(gl->context, path, len);

	if (i == ADVICE_GIT)
		return advice_context[i].kind;
	if (nm_later)
		return "node_modules";
	return i >= 0 ? advice_context[i].kind : NULL;
}

/* For each node named node_modules: the newest layer writing below it. */
static uint16_t *
advice_node_modules(const struct image *img)
{
	uint32_t name = intern_find(img->tree.names, "node_modules", 12);
	uint16_t *newest;

	if (name == TREE_NONE || name == UINT32_MAX)
		return NULL;
	newest = xcalloc(img->tree.count, sizeof *newest);
	for (size_t k = 0; k < img->nlayers; k++) {
		for (size_t v = img->layers[k].vfirst; v < img->layers[k].vend; v++) {
			for (uint32_t n = img->tree.nodes[img->versions[v].node].parent;
			     n != TREE_ROOT && n != TREE_NONE; n = img->tree.nodes[n].parent)
				if (img->tree.nodes[n].name == name)
					newest[n] = (uint16_t)(k + 1);	/* 0: none */
		}
	}
	return newest;
}

/* The outermost node_modules above node, or TREE_NONE. */
static uint32_t
advice_nm_root(const struct image *img, uint32_t node, uint32_t name)
{
	uint32_t root = TREE_NONE;

	for (uint32_t n = img->tree.nodes[node].parent; n != TREE_ROOT && n != TREE_NONE;
	     n = img->tree.nodes[n].parent)
		if (img->tree.nodes[n].name == name)
			root = n;
	return root;
}

/* The build-tools finding's detail: the tools found, in table order. */
static void
advice_add_tool(struct advice_finding *f, const char *w)
{
	size_t wl = strlen(w);
	const char *d = f->detail;

	for (const char *p = d; p != NULL; p = strchr(p, ',')) {
		p += *p == ',' ? 2 : 0;
		if (strncmp(p, w, wl) == 0 && (p[wl] == ',' || p[wl] == '\0'))
			return;
	}
	char *nd = d != NULL ? xasprintf("%s, %s", d, w) : xstrdup(w);
	free(f->detail);
	f->detail = nd;
}

/* The finding of a file at the top, by its path (one pass of each
 * globset), or NULL. */
static struct advice_finding *
advice_classify(struct gather *g, struct advice_globs *gl, const char *path, size_t len,
                size_t layer, const char *(*context)(void *, size_t), void *cctx)
{
	const size_t nc = NELEMS(advice_caches), nt = NELEMS(advice_temp);
	int i = globset_match(gl->top, path, len);

	if (i >= 0 && (size_t)i < nc)
		return gather_find(g, ADVICE_PACKAGE_CACHE, advice_caches[i].what, -1, -1);
	if (i >= 0 && (size_t)i < nc + nt)
		return gather_find(g, ADVICE_TEMP_FILES, advice_temp[i - nc].what, -1, -1);
	const char *kind = advice_copy_layer(g->img, layer) ? context(cctx, layer) : NULL;
	if (kind != NULL)
		return gather_find(g, ADVICE_BUILD_CONTEXT, kind, -1, -1);
	if (i < 0)
		return NULL;
	struct advice_finding *f = gather_find(g, ADVICE_BUILD_TOOLS, NULL, -1, -1);
	advice_add_tool(f, advice_tools[i - nc - nt].what);
	return f;
}

struct advice_ctx {
	const struct image *img;
	struct advice_globs *gl;
	const char *path;
	size_t len;
	uint32_t node, nm_name;
	uint16_t *nm;
};

static const char *
advice_context_of(void *ctx, size_t layer)
{
	struct advice_ctx *c = ctx;
	uint32_t r = c->nm != NULL ? advice_nm_root(c->img, c->node, c->nm_name) : TREE_NONE;

	return advice_context_kind(c->gl, c->path, c->len, r != TREE_NONE && c->nm[r] > layer + 1);
}

static void
advice_top(struct gather *g)
{
	const struct image *img = g->img;
	size_t top = img->nlayers - 1;
	struct advice_globs gl;
	struct advice_ctx c = {
		.img = img, .gl = &gl, .nm = advice_node_modules(img),
		.nm_name = intern_find(img->tree.names, "node_modules", 12),
	};
	char *path = NULL;
	size_t cap = 0;

	advice_globs_init(&gl);
	for (uint32_t node = 1; node < img->tree.count; node++) {
		uint32_t v = stack_at(img, node, top);
		if (v == TREE_NONE || img->versions[v].entry == ENTRY_NONE)
			continue;
		const struct entry *e = &img->entries[img->versions[v].entry];
		if (e->type != ENTRY_FILE)
			continue;
		size_t layer = img->versions[v].layer;
		c.len = tree_path(&img->tree, node, &path, &cap);
		c.path = path;
		c.node = node;
		struct advice_finding *f = advice_classify(g, &gl, path, c.len, layer,
		                                           advice_context_of, &c);
		if (f != NULL)
			gather_add(g, f, node, e->size, layer);
	}
	globset_free(gl.top);
	globset_free(gl.context);
	free(path);
	free(c.nm);
}

/* A value of os-release ("ID", ...), unquoted (owned), or NULL. */
static char *
advice_os_value(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = text; l != NULL && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, key, kl) != 0 || l[kl] != '=')
			continue;
		const char *v = l + kl + 1, *end = strchr(v, '\n');
		size_t n = end != NULL ? (size_t)(end - v) : strlen(v);
		if (n >= 2 && (*v == '"' || *v == '\'') && v[n - 1] == *v) {
			v++;
			n -= 2;
		}
		char *out = xmalloc(n + 1);
		memcpy(out, v, n);
		out[n] = '\0';
		return out;
	}
	return NULL;
}

/* The text of /etc/os-release (or /usr/lib/os-release) at the top, or NULL. */
static char *
advice_os_release(const struct image *img)
{
	static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
	size_t top = img->nlayers - 1;

	for (size_t i = 0; i < 2; i++) {
		uint32_t node = tree_find(&img->tree, paths[i]);
		const struct entry *e = node != TREE_NONE ? stack_entry_at(img, node, top) : NULL;
		if (e == NULL || (e->type != ENTRY_FILE && e->type != ENTRY_HARDLINK))
			continue;	/* Debian's /etc one is a link to the other */
		uint32_t inode = stack_inode(img, (uint32_t)(e - img->entries), top);
		const char *text;
		size_t len;
		/* kept by the model as the layer was read (image_keeps) */
		if (inode != ENTRY_NONE && (text = image_kept(img, inode, &len)) != NULL)
			return xstrndup(text, len);
	}
	return NULL;
}

/* Where a distribution's slimmer images are, by os-release ID. */
static char *
advice_slim(const char *id, const char *codename)
{
	if (strcmp(id, "debian") == 0)
		return codename != NULL ? xasprintf("debian:%s-slim, or a distroless image", codename) :
		                          xstrdup("debian's -slim variants, or a distroless image");
	if (strcmp(id, "ubuntu") == 0)
		return xstrdup("ubuntu's minimal or chiseled images");
	if (strcmp(id, "fedora") == 0)
		return xstrdup("fedora-minimal");
	if (strcmp(id, "centos") == 0 || strcmp(id, "rhel") == 0 || strcmp(id, "rocky") == 0 ||
	    strcmp(id, "almalinux") == 0 || strcmp(id, "ol") == 0)
		return xstrdup("the UBI minimal and micro images (ubi-minimal, ubi-micro)");
	if (strncmp(id, "opensuse", 8) == 0 || strcmp(id, "sles") == 0)
		return xstrdup("SUSE BCI micro and minimal");
	if (strcmp(id, "amzn") == 0)
		return xstrdup("amazonlinux's minimal images");
	return NULL;
}

static void
advice_big_base(struct gather *g, const struct waste *w)
{
	const struct image *img = g->img;
	uint64_t base = w->image_size - w->user_size;
	char *text, *id, *codename, *slim = NULL;

	if (w->image_size == 0 || base * 2 <= w->image_size)
		return;
	if ((text = advice_os_release(img)) == NULL)
		return;
	id = advice_os_value(text, "ID");
	codename = advice_os_value(text, "VERSION_CODENAME");
	if (id != NULL)
		slim = advice_slim(id, codename);
	if (slim != NULL) {
		struct advice_finding *f = gather_find(g, ADVICE_BIG_BASE, slim, -1, -1);
		for (size_t k = 0; k < w->base_layers && k < img->nlayers; k++)
			g->seen[f - g->a->items][k] = 1;
	}
	free(slim);
	free(id);
	free(codename);
	free(text);
}

/* Whether word appears in s as a word of its own. */
static int
advice_has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = s; (p = strstr(p, word)) != NULL; p++) {
		int before = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '-');
		int after = !(isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-');
		if (before && after)
			return 1;
	}
	return 0;
}

/* Whether a trigger copies the whole build context: COPY or ADD of ".". */
static int
advice_copies_context(const char *t)
{
	while (*t == ' ')
		t++;
	if (strncasecmp(t, "COPY ", 5) != 0 && strncasecmp(t, "ADD ", 4) != 0)
		return 0;
	for (const char *p = strchr(t, ' '); p != NULL && *p; p = strchr(p + 1, ' ')) {
		const char *w = p + 1;
		if ((w[0] == '.' && (w[1] == ' ' || w[1] == '\0')) ||
		    (w[0] == '.' && w[1] == '/' && (w[2] == ' ' || w[2] == '\0')))
			return 1;
	}
	return 0;
}

static int
advice_network(const char *t)
{
	static const char *const tools[] = { "curl", "wget", "nc", "ncat", "netcat" };

	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
		if (advice_has_word(t, tools[i]))
			return 1;
	return 0;
}

static void
advice_onbuild(struct gather *g)
{
	json_t *c = json_object_get(g->img->config, "config"), *ob;
	int context = 0, network = 0;

	if (!json_is_object(c) || !json_is_array(ob = json_object_get(c, "OnBuild")) ||
	    json_array_size(ob) == 0)
		return;
	struct advice_finding *f = gather_find(g, ADVICE_ONBUILD, NULL, -1, -1);
	size_t n = json_array_size(ob);
	f->triggers = xcalloc(n, sizeof *f->triggers);
	f->trigger_high = xcalloc(n, sizeof *f->trigger_high);
	for (size_t i = 0; i < n; i++) {
		const char *t = json_string_value(json_array_get(ob, i));
		if (t == NULL)
			continue;
		f->triggers[f->ntriggers] = xstrdup(t);
		if (advice_copies_context(t)) {
			context = 1;
			f->trigger_high[f->ntriggers] = 1;
		}
		if (advice_network(t)) {
			network = 1;
			f->trigger_high[f->ntriggers] = 1;
		}
		f->ntriggers++;
	}
	f->high = context && network;
	if (!f->high)
		memset(f->trigger_high, 0, n * sizeof *f->trigger_high);
	g->a->onbuild = f->ntriggers;
	g->a->onbuild_high = f->high;
}

static int
advice_cmp_paths(const void *x, const void *y)
{
	const struct advice_path *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return a->node < b->node ? -1 : a->node > b->node;
}

static int
advice_cmp_findings(const void *x, const void *y)
{
	const struct advice_finding *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	for (size_t i = 0; i < a->nlayers && i < b->nlayers; i++)
		if (a->layers[i] != b->layers[i])
			return a->layers[i] < b->layers[i] ? -1 : 1;
	if (a->detail != NULL && b->detail != NULL)
		return strcmp(a->detail, b->detail);
	return 0;
}

void
advice_analyze(const struct image *img, const struct waste *w, struct advice *out)
{
	struct gather g = { .a = out, .img = img };

	memset(out, 0, sizeof *out);
	if (img->nlayers > 0) {
		advice_hidden(&g, w);
		advice_top(&g);
		advice_big_base(&g, w);
	}
	advice_onbuild(&g);
	for (size_t i = 0; i < out->count; i++) {
		struct advice_finding *f = &out->items[i];
		/* the layers of the top-file findings: every one that wrote them */
		if (f->id != ADVICE_DELETED_LATER && f->id != ADVICE_METADATA_ONLY) {
			free(f->layers);
			f->layers = xcalloc(img->nlayers + 1, sizeof *f->layers);
			f->nlayers = 0;
			for (size_t k = 0; k < img->nlayers; k++)
				if (g.seen[i][k])
					f->layers[f->nlayers++] = (uint16_t)k;
		}
		if (f->npaths > 1)
			qsort(f->paths, f->npaths, sizeof *f->paths, advice_cmp_paths);
		out->savings += f->bytes;
		free(g.seen[i]);
	}
	free(g.seen);
	if (out->count > 1)
		qsort(out->items, out->count, sizeof *out->items, advice_cmp_findings);
}

void
advice_triggers(const struct image *img, struct advice *out)
{
	struct gather g = { .a = out, .img = img };

	memset(out, 0, sizeof *out);
	advice_onbuild(&g);
	for (size_t i = 0; i < out->count; i++)
		free(g.seen[i]);
	free(g.seen);
}

void
advice_fini(struct advice *a)
{
	for (size_t i = 0; i < a->count; i++) {
		struct advice_finding *f = &a->items[i];
		free(f->layers);
		free(f->paths);
		free(f->detail);
		for (size_t k = 0; k < f->ntriggers; k++)
			free(f->triggers[k]);
		free(f->triggers);
		free(f->trigger_high);
	}
	free(a->items);
	memset(a, 0, sizeof *a);
}
