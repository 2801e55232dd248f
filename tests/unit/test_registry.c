/* test_registry: references as docker reads them: Docker Hub's names and
 * library/, registries by a dot, a colon or localhost, tags and digests;
 * names a registry would refuse are refused here first; the pages of a
 * catalog and of tags, and the Link to the next. No network. */
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

/* The names a page lists, joined by spaces, or "ERROR". */
static char *
listed(int (*parse)(const char *, size_t, char ***, size_t *, size_t *), const char *body,
       size_t *skipped)
{
	char **names = NULL;
	size_t n = 0;

	*skipped = 0;
	if (parse(body, strlen(body), &names, &n, skipped) < 0) {
		assert_null(names);
		return xstrdup("ERROR");
	}
	char *s = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		char *t = xasprintf("%s%s%s", s, i ? " " : "", names[i]);
		free(s);
		s = t;
	}
	registry_names_free(names, n);
	return s;
}

static void
listed_is(int (*parse)(const char *, size_t, char ***, size_t *, size_t *), const char *body,
          const char *want, size_t want_skipped)
{
	size_t skipped;
	char *got = listed(parse, body, &skipped);

	if (strcmp(got, want) != 0 || skipped != want_skipped)
		fail_msg("%s: got '%s' (%zu skipped), want '%s' (%zu)", body, got, skipped, want,
		         want_skipped);
	free(got);
}

static void
catalog_pages(void **state)
{
	(void)state;
	listed_is(registry_catalog_parse, "{\"repositories\":[\"fx/base\",\"a\",\"a-b__c.d/e\"]}",
	          "fx/base a a-b__c.d/e", 0);
	/* names a registry could not hold, or that would make another URL */
	listed_is(registry_catalog_parse, "{\"repositories\":[\"../etc\",\"A\",\"a//b\",\"a/\","
	          "\"/a\",\"a___b\",\"a?n=1\",\"\",7,null,\"a\\u0000b\",\"ok\"]}", "ok", 11);
	listed_is(registry_catalog_parse, "{\"repositories\":[]}", "", 0);
	listed_is(registry_catalog_parse, "{\"repositories\":null}", "ERROR", 0);
	listed_is(registry_catalog_parse, "[\"a\"]", "ERROR", 0);
	listed_is(registry_catalog_parse, "not json", "ERROR", 0);
	listed_is(registry_tags_parse, "{\"name\":\"a\",\"tags\":[\"1\",\"latest\",\"V_1.2-rc\"]}",
	          "1 latest V_1.2-rc", 0);
	/* every tag deleted: null */
	listed_is(registry_tags_parse, "{\"name\":\"a\",\"tags\":null}", "", 0);
	listed_is(registry_tags_parse, "{\"name\":\"a\"}", "", 0);
	listed_is(registry_tags_parse, "{\"tags\":[\".x\",\"-x\",\"a:b\",\"a/b\",\"a@b\",\"ok\"]}", "ok",
	          5);
	listed_is(registry_tags_parse, "{\"tags\":{}}", "ERROR", 0);
}

static void
link_is(const char *link, const char *want)
{
	char *got = registry_link_next(link, "http://127.0.0.1:5000");

	if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", link, got ? got : "NULL", want ? want : "NULL");
	free(got);
}

static void
links(void **state)
{
	(void)state;
	/* distribution's own form, relative */
	link_is("</v2/_catalog?last=b&n=2>; rel=\"next\"", "/v2/_catalog?last=b&n=2");
	link_is("<http://127.0.0.1:5000/v2/a/tags/list?last=1&n=1>; rel=next",
	        "/v2/a/tags/list?last=1&n=1");
	/* another link first; rel among other parameters */
	link_is("</v2/x?p=1>; rel=\"prev\", </v2/x?p=3>; type=\"a\"; rel=\"next\"", "/v2/x?p=3");
	/* elsewhere: another host (the token would go there), no /v2/ path */
	link_is("<http://evil.example/v2/_catalog?last=b>; rel=\"next\"", NULL);
	link_is("<http://127.0.0.1:50000/v2/_catalog>; rel=\"next\"", NULL);
	link_is("</other?last=b>; rel=\"next\"", NULL);
	link_is("</v2/a b>; rel=\"next\"", NULL);
	link_is("</v2/_catalog?last=b>; rel=\"prev\"", NULL);
	link_is("</v2/_catalog?last=b; rel=\"next\"", NULL);
	link_is("", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(references),
		cmocka_unit_test(challenges),
		cmocka_unit_test(tokens),
		cmocka_unit_test(config_auths),
		cmocka_unit_test(catalog_pages),
		cmocka_unit_test(links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
