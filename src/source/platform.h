/* platform: "os/arch[/variant]" as OCI indexes and --platform name them. */
#ifndef FATHOM_PLATFORM_H
#define FATHOM_PLATFORM_H

struct platform {
	char os[32], arch[32], variant[32];	/* "" when not given */
};

/* Parses "os/arch[/variant]"; returns 0, or -1 with *cause. */
int platform_parse(const char *s, struct platform *p, char **cause);
/* The platform this program runs on. */
void platform_host(struct platform *p);
/* Whether an image for (os, arch, variant) runs on want; variant may be NULL.
 * An unset variant in want accepts any. */
int platform_match(const struct platform *want, const char *os,
                   const char *arch, const char *variant);
/* "os/arch[/variant]", owned by the caller. */
char *platform_format(const char *os, const char *arch, const char *variant);

#endif
