/* escape: bytes made safe for one-line outputs; see escape.h. */
#include "util/escape.h"

#include <stdint.h>
#include <stdlib.h>

#include "util/xalloc.h"

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t
escape_utf8_len(const unsigned char *s, size_t left)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	else if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void
escape_write(FILE *f, const char *s, size_t len, int utf8_only)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n = 1;

		if (c >= 0x20 && c != 0x7f && c != '\\' &&
		    (c < 0x80 || !utf8_only || (n = escape_utf8_len(p + i, len - i)) > 0)) {
			i += n;
			run += n;
			continue;
		}
		fwrite(p + i - run, 1, run, f);
		run = 0;
		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\n')
			fputs("\\n", f);
		else
			fprintf(f, "\\x%02x", c);
		i++;
	}
	fwrite(p + i - run, 1, run, f);
}

char *
escape_str(const char *s, size_t len, int utf8_only)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (f == NULL)
		xalloc_die();
	escape_write(f, s, len, utf8_only);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}


void
escape_html(FILE *f, const char *s, size_t len)
{
	char *e = escape_str(s != NULL ? s : "", s != NULL ? len : 0, 1);

	for (const char *p = e; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
	free(e);
}
