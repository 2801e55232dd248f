/* inspect: the config, readable; see inspect.h. */
#include "output/inspect.h"

#include <stdlib.h>
#include <string.h>

#include "util/jsonw.h"
#include "util/escape.h"
#include "util/jsonw.h"
#include "util/xalloc.h"

/* The keys of the config's "config" object shown, in order, with labels;
 * the kind says how: a string, a list of strings, or an object's keys. */
static const struct {
	const char *key, *label;
	char kind;	/* 's' string, 'l' list, 'k' keys, 'm' map of strings */
} inspect_keys[] = {
	{ "User", "User", 's' },
	{ "WorkingDir", "WorkingDir", 's' },
	{ "Entrypoint", "Entrypoint", 'l' },
	{ "Cmd", "Cmd", 'l' },
	{ "Env", "Env", 'l' },
	{ "ExposedPorts", "ExposedPorts", 'k' },
	{ "Volumes", "Volumes", 'k' },
	{ "Labels", "Labels", 'm' },
	{ "StopSignal", "StopSignal", 's' },
	{ "Shell", "Shell", 'l' },
	{ "OnBuild", "OnBuild", 'l' },
};

static void
inspect_line(FILE *out, const char *label, const char *value)
{
	char *e = escape_str(value, strlen(value), 0);

	fprintf(out, "%-13s %s\n", label, e);
	free(e);
}

static void
inspect_item(FILE *out, const char *mark, const char *value)
{
	char *e = escape_str(value, strlen(value), 0);

	fprintf(out, "  %s%s\n", mark, e);
	free(e);
}

/* The ONBUILD finding of a, or NULL. */
static const struct advice_finding *
inspect_onbuild(const struct advice *a)
{
	for (size_t i = 0; a != NULL && i < a->count; i++)
		if (a->items[i].id == ADVICE_ONBUILD)
			return &a->items[i];
	return NULL;
}

/* A list of strings; OnBuild's with their risk marked. */
static void
inspect_list(FILE *out, const char *key, const json_t *v, const struct advice_finding *ob)
{
	int onbuild = strcmp(key, "OnBuild") == 0;
	size_t k;
	json_t *x;

	json_array_foreach(v, k, x) {
		if (!json_is_string(x))
			continue;
		int risk = onbuild && ob != NULL && k < ob->ntriggers && ob->trigger_high[k];
		inspect_item(out, risk ? "! " : onbuild ? "  " : "", json_string_value(x));
	}
	if (onbuild)
		fprintf(out, "  (these run in the build of every image FROM this one%s)\n",
		        ob != NULL && ob->high ? "; ! marks those that copy the build "
		        "context or use network tools: HIGH SEVERITY" : "");
}

/* An object's keys, or (kind 'm') its KEY=VALUE pairs. */
static void
inspect_keys_of(FILE *out, char kind, const json_t *v)
{
	const char *key;
	json_t *x;

	json_object_foreach((json_t *)v, key, x) {
		if (kind == 'm' && json_is_string(x)) {
			char *kv = xasprintf("%s=%s", key, json_string_value(x));
			inspect_item(out, "", kv);
			free(kv);
		} else {
			inspect_item(out, "", key);
		}
	}
}

/* Key i of inspect_keys from the config's "config" object c. */
static void
inspect_key(FILE *out, size_t i, const json_t *c, const struct advice_finding *ob)
{
	json_t *v = json_object_get(c, inspect_keys[i].key);
	char label[32];

	snprintf(label, sizeof label, "%s:", inspect_keys[i].label);
	if (inspect_keys[i].kind == 's') {
		const char *s = json_string_value(v);
		if (strcmp(inspect_keys[i].key, "User") == 0 && (s == NULL || *s == '\0'))
			s = "(root: none set)";
		if (s != NULL && *s != '\0')
			inspect_line(out, label, s);
	} else if (json_is_array(v) && json_array_size(v) > 0) {
		fprintf(out, "%s\n", label);
		inspect_list(out, inspect_keys[i].key, v, ob);
	} else if (json_is_object(v) && json_object_size(v) > 0) {
		fprintf(out, "%s\n", label);
		inspect_keys_of(out, inspect_keys[i].kind, v);
	}
}

static void
inspect_text(FILE *out, const struct image *img, const struct advice *a)
{
	json_t *cfg = img->config, *c = json_object_get(cfg, "config");
	const struct advice_finding *ob = inspect_onbuild(a);
	char plat[256];

	inspect_line(out, "Image:", img->ref != NULL ? img->ref : img->name);
	snprintf(plat, sizeof plat, "%s/%s%s%s", img->os ? img->os : "?",
	         img->arch ? img->arch : "?", img->variant ? "/" : "",
	         img->variant ? img->variant : "");
	inspect_line(out, "Platform:", plat);
	if (json_is_string(json_object_get(cfg, "created")))
		inspect_line(out, "Created:", json_string_value(json_object_get(cfg, "created")));
	fprintf(out, "%-13s %zu\n", "Layers:", img->nlayers);
	for (size_t i = 0; i < sizeof inspect_keys / sizeof *inspect_keys; i++)
		inspect_key(out, i, c, ob);
}

/* The config object as the image has it, under what fathom knows. */
static void
inspect_json(FILE *out, const struct image *img, const struct advice *a)
{
	const struct advice_finding *f = inspect_onbuild(a);
	struct jsonw j;

	jsonw_init(&j, out, 2);
	jsonw_object(&j);
	jsonw_member_cstring(&j, "image", img->name);
	jsonw_member_cstring(&j, "ref", img->ref);
	jsonw_member_object(&j, "platform");
	jsonw_member_cstring(&j, "os", img->os);
	jsonw_member_cstring(&j, "architecture", img->arch);
	jsonw_member_cstring(&j, "variant", img->variant);
	jsonw_end(&j);
	jsonw_member_uint(&j, "layers", img->nlayers);
	jsonw_member_json(&j, "config", json_object_get(img->config, "config"));
	if (f != NULL) {
		jsonw_member_cstring(&j, "onBuildSeverity", f->high ? "high" : "warning");
		jsonw_member_array(&j, "onBuildTriggers");
		for (size_t k = 0; k < f->ntriggers; k++) {
			jsonw_object(&j);
			jsonw_member_cstring(&j, "trigger", f->triggers[k]);
			jsonw_member_bool(&j, "risk", f->trigger_high[k]);
			jsonw_end(&j);
		}
		jsonw_end(&j);
	}
	jsonw_end(&j);
}

void
inspect_print(FILE *out, const struct image *img, const struct advice *a,
              enum output_format format)
{
	if (format == OUTPUT_JSON)
		inspect_json(out, img, a);
	else
		inspect_text(out, img, a);
}
