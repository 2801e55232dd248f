/* ciconfig: reading the CI rules file with libyaml; see ciconfig.h. */
#include "config/ciconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "util/escape.h"
#include "util/regfile.h"
#include "util/xalloc.h"

static void
ciconfig_warn(struct ciconfig_warnings *warn, char *msg)
{
	ARRAY_RESERVE(warn->items, warn->count, warn->cap);
	warn->items[warn->count++] = msg;
}

void
ciconfig_warnings_free(struct ciconfig_warnings *warn)
{
	for (size_t i = 0; i < warn->count; i++)
		free(warn->items[i]);
	free(warn->items);
	memset(warn, 0, sizeof *warn);
}

const char *
ciconfig_default_path(void)
{
	if (access(".fathom-ci", F_OK) == 0)
		return ".fathom-ci";
	if (access(".dive-ci", F_OK) == 0)
		return ".dive-ci";
	return NULL;
}

/* A scalar node's text, escaped for a message (owned). */
static char *
ciconfig_text(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE)
		return xstrdup(n->type == YAML_MAPPING_NODE ? "(a mapping)" : "(a list)");
	return escape_str((const char *)n->data.scalar.value, n->data.scalar.length, 1);
}

static int
ciconfig_rules(const char *path, yaml_document_t *doc, const yaml_node_t *map,
               struct rules *r, struct ciconfig_warnings *warn, char **cause)
{
	if (map->type == YAML_SCALAR_NODE && map->data.scalar.length == 0)
		return 0;	/* "rules:" and nothing */
	if (map->type != YAML_MAPPING_NODE) {
		*cause = xasprintf("%s:%zu: rules: not a mapping of rule names to values",
		                   path, map->start_mark.line + 1);
		return -1;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		char *key = ciconfig_text(k);
		size_t line = k->start_mark.line + 1;
		int id = k->type == YAML_SCALAR_NODE ? rules_find(key) : -1;
		const char *why;

		if (id < 0) {
			ciconfig_warn(warn, xasprintf("%s:%zu: rules.%s: not a rule fathom "
			                              "knows; ignored", path, line, key));
			free(key);
			continue;
		}
		if (v->type != YAML_SCALAR_NODE) {
			*cause = xasprintf("%s:%zu: rules.%s: not a single value", path,
			                   v->start_mark.line + 1, key);
			free(key);
			return -1;
		}
		char *value = xstrndup((const char *)v->data.scalar.value, v->data.scalar.length);
		char *origin = xasprintf("%s:%zu", path, line);
		int rc = rules_set(r, id, value, origin, &why);
		if (rc < 0) {
			char *shown = ciconfig_text(v);
			*cause = xasprintf("%s:%zu: rules.%s: '%s': %s", path,
			                   v->start_mark.line + 1, key, shown, why);
			free(shown);
		}
		free(origin);
		free(value);
		free(key);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
ciconfig_read(const char *path, struct rules *r, struct ciconfig_warnings *warn,
              char **cause)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	char *why = NULL;
	/* never waits on a FIFO put there */
	FILE *f = regfile_fopen(path, &why);
	int rc = -1;

	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		*cause = xasprintf("%s:%zu: not valid YAML: %s", path,
		                   parser.problem_mark.line + 1,
		                   parser.problem ? parser.problem : "parse error");
		yaml_parser_delete(&parser);
		fclose(f);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
		rc = 0;		/* an empty file: the defaults */
	} else if (root->type != YAML_MAPPING_NODE) {
		*cause = xasprintf("%s:%zu: not a mapping (expected 'rules:')", path,
		                   root->start_mark.line + 1);
	} else {
		rc = 0;
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     rc == 0 && p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			char *key = ciconfig_text(k);
			if (strcmp(key, "rules") == 0)
				rc = ciconfig_rules(path, &doc, yaml_document_get_node(&doc, p->value),
				                    r, warn, cause);
			else
				ciconfig_warn(warn, xasprintf("%s:%zu: %s: not a setting fathom "
				                              "knows; ignored", path,
				                              k->start_mark.line + 1, key));
			free(key);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}
