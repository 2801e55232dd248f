/* test_registry: references as docker reads them: Docker Hub's names and
 * library/, registries by a dot, a colon or localhost, tags and digests;
 * names a registry would refuse are refused here first. No network. */
#include "testutil.h"
#include "source/registry.h"

static void
name_is(const char *ref, const char *want)
{
	struct source_opts o = { 0 };
	char *cause = NULL;
	struct registry *r = registry_new(ref, &o, &cause);

	if (r == NULL)
		fail_msg("%s: %s", ref, cause);
	assert_string_equal(registry_name(r), want);
	registry_free(r);
}

static void
refused(const char *ref, const char *part)
{
	struct source_opts o = { 0 };
	char *cause = NULL;

	assert_null(registry_new(ref, &o, &cause));
	assert_non_null(strstr(cause, part));
	free(cause);
}

static void
references(void **state)
{
	(void)state;
	name_is("nginx", "docker.io/library/nginx:latest");
	name_is("nginx:1.27", "docker.io/library/nginx:1.27");
	name_is("org/app:1.2", "docker.io/org/app:1.2");
	name_is("docker.io/nginx", "docker.io/library/nginx:latest");
	name_is("ghcr.io/org/app:1.2", "ghcr.io/org/app:1.2");
	name_is("localhost/app", "localhost/app:latest");
	name_is("localhost:5000/a/b/c:tag", "localhost:5000/a/b/c:tag");
	name_is("127.0.0.1:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	        "127.0.0.1:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	refused("Nginx", "is not a repository name");
	refused("app@sha256:zz", "is not a digest");
	refused("host.io/app:", "is not an image reference");
	refused("", "no image name");
}

static void
challenges(void **state)
{
	struct registry_challenge c;

	(void)state;
	assert_int_equal(registry_challenge_parse("Bearer realm=\"https://auth.docker.io/token\","
	                                          "service=\"registry.docker.io\",scope=\"repository:"
	                                          "library/alpine:pull\"", &c), 0);
	assert_int_equal(c.scheme, REGISTRY_BEARER);
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.service, "registry.docker.io");
	assert_string_equal(c.scope, "repository:library/alpine:pull");
	registry_challenge_fini(&c);
	/* unquoted values, any case, a key that only ends like "realm" */
	assert_int_equal(registry_challenge_parse("bearer xrealm=\"evil\", realm=http://t/x", &c), 0);
	assert_string_equal(c.realm, "http://t/x");
	assert_null(c.service);
	assert_null(c.scope);
	registry_challenge_fini(&c);
	/* an unterminated quote gives no value */
	assert_int_equal(registry_challenge_parse("Bearer realm=\"https://t", &c), 0);
	assert_null(c.realm);
	registry_challenge_fini(&c);
	assert_int_equal(registry_challenge_parse("Basic realm=\"Registry Realm\"", &c), 0);
	assert_int_equal(c.scheme, REGISTRY_BASIC);
	registry_challenge_fini(&c);
	assert_int_equal(registry_challenge_parse("Negotiate", &c), -1);
	assert_int_equal(registry_challenge_parse("Bearerish realm=\"x\"", &c), -1);
	assert_int_equal(registry_challenge_parse("", &c), -1);
}

static char *
token_of(const char *body)
{
	return registry_token_parse(body, strlen(body));
}

static void
tokens(void **state)
{
	char *t;

	(void)state;
	t = token_of("{\"token\":\"a.b\"}");
	assert_string_equal(t, "a.b");
	free(t);
	t = token_of("{\"access_token\":\"c\"}");
	assert_string_equal(t, "c");
	free(t);
	/* a token that would end the header line, or none */
	assert_null(token_of("{\"token\":\"a\\r\\nX-Evil: 1\"}"));
	assert_null(token_of("{\"token\":\"\"}"));
	assert_null(token_of("{\"token\":7}"));
	assert_null(token_of("not json"));
}

static void
config_auths(void **state)
{
	json_error_t err;
	const char *helper;
	char *up;
	json_t *cfg = json_loads("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"dXNlcjpzZWNyZXQ=\"},"
	                         "\"localhost:5000\":{\"auth\":\"bm9jb2xvbg==\"},"
	                         "\"other.io\":{\"auth\":\"YTpi\"}},"
	                         "\"credHelpers\":{\"gcr.io\":\"gcloud\"},\"credsStore\":\"pass\"}",
	                         0, &err);

	(void)state;
	assert_non_null(cfg);
	up = registry_config_auth(cfg, "docker.io", &helper);
	assert_string_equal(up, "user:secret");
	free(up);
	up = registry_config_auth(cfg, "other.io", &helper);
	assert_string_equal(up, "a:b");
	free(up);
	/* "nocolon" is no user:secret: the store is asked */
	assert_null(registry_config_auth(cfg, "localhost:5000", &helper));
	assert_string_equal(helper, "pass");
	assert_null(registry_config_auth(cfg, "gcr.io", &helper));
	assert_string_equal(helper, "gcloud");
	assert_null(registry_config_auth(cfg, "other.io:5000", &helper));
	assert_string_equal(helper, "pass");
	json_decref(cfg);
	/* base64 that is not: too much padding (it wrote before its buffer,
	 * found by fuzz_registry), a length that is no multiple of 4 */
	cfg = json_loads("{\"auths\":{\"a.io\":{\"auth\":\"cj==========\"},"
	                 "\"b.io\":{\"auth\":\"YTpiY\"}}}", 0, &err);
	assert_null(registry_config_auth(cfg, "a.io", &helper));
	assert_null(registry_config_auth(cfg, "b.io", &helper));
	json_decref(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(references),
		cmocka_unit_test(challenges),
		cmocka_unit_test(tokens),
		cmocka_unit_test(config_auths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
