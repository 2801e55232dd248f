/* fuzz_registry: what a registry and the docker CLI's config say about
 * logging in: a 401's WWW-Authenticate challenge, a token server's answer,
 * and config.json's auths / credHelpers / credsStore (base64 included);
 * and what a registry lists: catalog and tags pages, the Link header to
 * the next page. The same input goes to each parser. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/registry.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	struct registry_challenge c;
	const char *helper;
	json_error_t err;

	memcpy(text, data, size);
	text[size] = '\0';
	if (registry_challenge_parse(text, &c) == 0) {
		if (c.scheme != REGISTRY_BASIC && c.scheme != REGISTRY_BEARER)
			abort();
		registry_challenge_fini(&c);
	}
	free(registry_token_parse(text, size));
	json_t *cfg = json_loadb(text, size, 0, &err);
	if (cfg != NULL) {
		static const char *const hosts[] = { "docker.io", "localhost:5000", "" };
		for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
			char *userpwd = registry_config_auth(cfg, hosts[i], &helper);
			if (userpwd != NULL && (strchr(userpwd, ':') == NULL || helper != NULL))
				abort();
			free(userpwd);
		}
		json_decref(cfg);
	}
	/* every name listed is one a reference can hold */
	int (*const lists[])(const char *, size_t, char ***, size_t *, size_t *) = {
		registry_catalog_parse, registry_tags_parse,
	};
	for (size_t k = 0; k < 2; k++) {
		char **names = NULL;
		size_t n = 0, skipped = 0;
		if (lists[k](text, size, &names, &n, &skipped) < 0 && (names != NULL || n != 0))
			abort();
		for (size_t i = 0; i < n; i++)
			if (names[i][0] == '\0' || strpbrk(names[i], k ? ":@/ " : ":@ ?#") != NULL)
				abort();
		registry_names_free(names, n);
	}
	char *next = registry_link_next(text, "https://r.io");
	if (next != NULL && (strncmp(next, "/v2/", 4) != 0 || strpbrk(next, " \r\n#") != NULL))
		abort();
	free(next);
	free(text);
	return 0;
}
