/* platform: parsing and matching OCI platforms; see platform.h. */
#include "source/platform.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "util/xalloc.h"

/* Go's names for the machine names that differ from them. */
static const char *
platform_normal_arch(const char *arch)
{
	static const char *const alias[][2] = {
		{ "x86_64", "amd64" }, { "x86-64", "amd64" }, { "aarch64", "arm64" },
		{ "armhf", "arm" }, { "armel", "arm" }, { "i386", "386" },
		{ "i686", "386" }, { "ppc64el", "ppc64le" },
	};
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (strcmp(arch, alias[i][0]) == 0)
			return alias[i][1];
	return arch;
}

int
platform_parse(const char *s, struct platform *p, char **cause)
{
	char os[64] = "", arch[64] = "", variant[64] = "";
	int n = 0, end = 0;

	memset(p, 0, sizeof *p);
	if (strlen(s) < 64 * 3)
		n = sscanf(s, "%63[^/]/%63[^/]%n/%63[^/]%n", os, arch, &end, variant, &end);
	if (n < 2 || s[end] != '\0' || strlen(os) >= sizeof p->os ||
	    strlen(arch) >= sizeof p->arch || strlen(variant) >= sizeof p->variant) {
		*cause = xasprintf("invalid platform '%s' (expected os/arch[/variant], "
		                   "e.g. linux/arm64)", s);
		return -1;
	}
	strcpy(p->os, os);
	strcpy(p->arch, platform_normal_arch(arch));
	strcpy(p->variant, variant);
	return 0;
}

void
platform_host(struct platform *p)
{
	struct utsname u;

	memset(p, 0, sizeof *p);
	strcpy(p->os, "linux");
	if (uname(&u) < 0) {
		strcpy(p->arch, "amd64");
		return;
	}
	if (strncmp(u.machine, "armv7", 5) == 0) {
		strcpy(p->arch, "arm");
		strcpy(p->variant, "v7");
	} else if (strncmp(u.machine, "armv6", 5) == 0) {
		strcpy(p->arch, "arm");
		strcpy(p->variant, "v6");
	} else {
		const char *arch = platform_normal_arch(u.machine);
		size_t n = strnlen(arch, sizeof p->arch - 1);
		memcpy(p->arch, arch, n);
		p->arch[n] = '\0';
	}
}

int
platform_match(const struct platform *want, const char *os, const char *arch,
               const char *variant)
{
	if (os == NULL || arch == NULL || strcmp(want->os, os) != 0 ||
	    strcmp(want->arch, platform_normal_arch(arch)) != 0)
		return 0;
	if (want->variant[0] == '\0')
		return 1;
	if (variant == NULL || variant[0] == '\0')
		/* arm64 means v8 and arm means v7 when no variant is given. */
		variant = strcmp(want->arch, "arm64") == 0 ? "v8" :
		          strcmp(want->arch, "arm") == 0 ? "v7" : "";
	return strcmp(want->variant, variant) == 0;
}

char *
platform_format(const char *os, const char *arch, const char *variant)
{
	return xasprintf("%s/%s%s%s", os ? os : "?", arch ? arch : "?",
	                 variant && *variant ? "/" : "", variant ? variant : "");
}
