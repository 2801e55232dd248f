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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(references),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
