/* fuzz_registry: what a registry and the docker CLI's config say about
 * logging in: a 401's WWW-Authenticate challenge, a token server's answer,
 * and config.json's auths / credHelpers / credsStore (base64 included).
 * The same input goes to each parser. */
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
	free(text);
	return 0;
}
