/* uiconfig: reading the explorer's settings with libyaml; see uiconfig.h. */
#include "config/uiconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "util/escape.h"
#include "util/regfile.h"
#include "util/xalloc.h"

void
uiconfig_init(struct uiconfig *c)
{
	memset(c, 0, sizeof *c);
	keys_init(&c->keys);
	c->pane_width = 0.5;
	c->show_attributes = 1;
}

char *
uiconfig_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/fathom/config.yaml", xdg);
	return xasprintf("%s/.config/fathom/config.yaml", home != NULL ? home : "");
}

static char *
uiconfig_text(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE)
		return xstrdup("");
	return xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
}

struct uiconfig_ctx {
	const char *path;
	yaml_document_t *doc;
	struct uiconfig *c;
	struct ciconfig_warnings *warn;
	char **cause;
};

static void
uiconfig_warn(struct uiconfig_ctx *x, const yaml_node_t *k, const char *section,
              const char *key)
{
	char *e = escape_str(key, strlen(key), 1);
	char *msg = xasprintf("%s:%zu: %s%s%s: not a setting fathom knows; ignored",
	                      x->path, k->start_mark.line + 1, section, *section ? "." : "", e);
	free(e);
	ARRAY_RESERVE(x->warn->items, x->warn->count, x->warn->cap);
	x->warn->items[x->warn->count++] = msg;
}

static int
uiconfig_fail(struct uiconfig_ctx *x, const yaml_node_t *v, const char *section,
              const char *key, const char *why)
{
	*x->cause = xasprintf("%s:%zu: %s.%s: %s", x->path, v->start_mark.line + 1,
	                      section, key, why);
	return -1;
}

static int
uiconfig_bool(struct uiconfig_ctx *x, const yaml_node_t *v, const char *section,
              const char *key, int *out)
{
	char *t = uiconfig_text(v);
	int rc = 0;

	if (strcasecmp(t, "true") == 0 || strcasecmp(t, "yes") == 0 || strcmp(t, "1") == 0)
		*out = 1;
	else if (strcasecmp(t, "false") == 0 || strcasecmp(t, "no") == 0 || strcmp(t, "0") == 0)
		*out = 0;
	else
		rc = uiconfig_fail(x, v, section, key, "not true or false");
	free(t);
	return rc;
}

typedef int (*uiconfig_entry_fn)(struct uiconfig_ctx *x, const char *key,
                                 const yaml_node_t *k, const yaml_node_t *v);

static int
uiconfig_keybinding(struct uiconfig_ctx *x, const char *key, const yaml_node_t *k,
                    const yaml_node_t *v)
{
	int action = keys_find(key);
	const char *why;

	if (action == KA_NONE) {
		uiconfig_warn(x, k, "keybinding", key);
		return 0;
	}
	char *t = uiconfig_text(v);
	int rc = keys_bind(&x->c->keys, action, t, &why);
	free(t);
	return rc < 0 ? uiconfig_fail(x, v, "keybinding", key, why) : 0;
}

static int
uiconfig_diff(struct uiconfig_ctx *x, const char *key, const yaml_node_t *k,
              const yaml_node_t *v)
{
	/* in enum tv_status order; dive's README also says changed, unchanged */
	static const char *const names[] = { "unmodified", "added", "modified", "removed" };
	static const char *const dive_names[] = { "unchanged", "", "changed", "" };

	if (strcmp(key, "hide") != 0) {
		uiconfig_warn(x, k, "diff", key);
		return 0;
	}
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return uiconfig_fail(x, v, "diff", key, "not a list");
	for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
		yaml_node_t *item = yaml_document_get_node(x->doc, *i);
		char *t = uiconfig_text(item);
		size_t s;
		for (s = 0; s < 4 && strcasecmp(t, names[s]) != 0 &&
		            (!*dive_names[s] || strcasecmp(t, dive_names[s]) != 0); s++)
			;
		free(t);
		if (s == 4)
			return uiconfig_fail(x, item, "diff", key,
			                     "not one of added, removed, modified, unmodified");
		x->c->hide[s] = 1;
	}
	return 0;
}

static int
uiconfig_filetree(struct uiconfig_ctx *x, const char *key, const yaml_node_t *k,
                  const yaml_node_t *v)
{
	if (strcmp(key, "collapse-dir") == 0)
		return uiconfig_bool(x, v, "filetree", key, &x->c->collapse_dir);
	if (strcmp(key, "show-attributes") == 0)
		return uiconfig_bool(x, v, "filetree", key, &x->c->show_attributes);
	if (strcmp(key, "pane-width") == 0) {
		char *t = uiconfig_text(v), *end;
		double w = strtod(t, &end);
		int bad = end == t || *end != '\0' || !(w > 0 && w < 1);
		free(t);
		if (bad)
			return uiconfig_fail(x, v, "filetree", key, "not a ratio between 0 and 1");
		x->c->pane_width = w;
		return 0;
	}
	uiconfig_warn(x, k, "filetree", key);
	return 0;
}

static int
uiconfig_layer(struct uiconfig_ctx *x, const char *key, const yaml_node_t *k,
               const yaml_node_t *v)
{
	if (strcmp(key, "show-aggregated-changes") == 0)
		return uiconfig_bool(x, v, "layer", key, &x->c->aggregate);
	uiconfig_warn(x, k, "layer", key);
	return 0;
}

static int
uiconfig_section(struct uiconfig_ctx *x, const char *name, const yaml_node_t *map,
                 uiconfig_entry_fn fn)
{
	if (map->type == YAML_SCALAR_NODE && map->data.scalar.length == 0)
		return 0;
	if (map->type != YAML_MAPPING_NODE) {
		*x->cause = xasprintf("%s:%zu: %s: not a mapping", x->path,
		                      map->start_mark.line + 1, name);
		return -1;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(x->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(x->doc, p->value);
		char *key = uiconfig_text(k);
		int rc = fn(x, key, k, v);
		free(key);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
uiconfig_read(const char *path, struct uiconfig *c, struct ciconfig_warnings *warn,
              char **cause)
{
	static const struct {
		const char *name;
		uiconfig_entry_fn fn;
	} sections[] = {
		{ "keybinding", uiconfig_keybinding }, { "diff", uiconfig_diff },
		{ "filetree", uiconfig_filetree }, { "layer", uiconfig_layer },
	};
	yaml_parser_t parser;
	yaml_document_t doc;
	char *why = NULL;
	/* never waits on a FIFO put there */
	FILE *f = regfile_fopen(path, &why);
	int rc = 0;

	if (f == NULL) {
		if (errno == ENOENT) {
			free(why);
			return 0;
		}
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		*cause = xasprintf("%s:%zu: not valid YAML: %s", path, parser.problem_mark.line + 1,
		                   parser.problem ? parser.problem : "parse error");
		yaml_parser_delete(&parser);
		fclose(f);
		return -1;
	}
	struct uiconfig_ctx x = { path, &doc, c, warn, cause };
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     rc == 0 && p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			char *key = uiconfig_text(k);
			size_t i;
			for (i = 0; i < sizeof sections / sizeof sections[0]; i++)
				if (strcmp(key, sections[i].name) == 0)
					break;
			if (i < sizeof sections / sizeof sections[0])
				rc = uiconfig_section(&x, key, yaml_document_get_node(&doc, p->value),
				                      sections[i].fn);
			else
				uiconfig_warn(&x, k, "", key);
			free(key);
		}
	} else if (root != NULL && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
		*cause = xasprintf("%s:%zu: not a mapping", path, root->start_mark.line + 1);
		rc = -1;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}
