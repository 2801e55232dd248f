/* ere: POSIX extended regexes through PCRE2; see ere.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/ere.h"

#include <pcre2.h>
#include <stdlib.h>

#include "util/xalloc.h"

struct ere {
	pcre2_code *code;
	pcre2_match_data *md[ERE_SLOTS];
	int jit;
};

static char *
ere_message(int err)
{
	PCRE2_UCHAR msg[160];

	if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
		return xstrdup("not a regular expression");
	return xstrdup((const char *)msg);
}

struct ere *
ere_compile(const char *pattern, char **cause)
{
	PCRE2_UCHAR *conv = NULL;
	PCRE2_SIZE clen = 0, erroff;
	int err;

	err = pcre2_pattern_convert((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                            PCRE2_CONVERT_POSIX_EXTENDED, &conv, &clen, NULL);
	if (err != 0) {
		*cause = ere_message(err);
		return NULL;
	}
	pcre2_code *code = pcre2_compile(conv, clen, PCRE2_NO_AUTO_CAPTURE, &err, &erroff, NULL);
	pcre2_converted_pattern_free(conv);
	if (code == NULL) {
		*cause = ere_message(err);
		return NULL;
	}
	struct ere *re = xcalloc(1, sizeof *re);
	re->code = code;
	for (int i = 0; i < ERE_SLOTS; i++)
		if ((re->md[i] = pcre2_match_data_create(1, NULL)) == NULL)
			xalloc_die();
	re->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	return re;
}

int
ere_match(struct ere *re, int slot, const char *s, size_t len)
{
	pcre2_match_data *md = re->md[slot];
	int rc = re->jit ? pcre2_jit_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, NULL) :
	                   pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);

	return rc >= 0;
}

void
ere_free(struct ere *re)
{
	if (re == NULL)
		return;
	for (int i = 0; i < ERE_SLOTS; i++)
		pcre2_match_data_free(re->md[i]);
	pcre2_code_free(re->code);
	free(re);
}
