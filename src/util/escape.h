/* escape: writes arbitrary bytes (paths, link targets) so that one record
 * stays one line: a backslash as \\, tab \t, newline \n and any other
 * byte below 0x20 or 0x7f as \xHH. Pure formatting. */
#ifndef FATHOM_ESCAPE_H
#define FATHOM_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Writes s[0..len) escaped. With utf8_only, bytes that are not valid UTF-8
 * become \xHH as well (for JSON). */
void escape_write(FILE *f, const char *s, size_t len, int utf8_only);
/* The same into a newly allocated string (owned by the caller). */
char *escape_str(const char *s, size_t len, int utf8_only);
/* Text for HTML (the reports' pages): escaped as escape_write with
 * utf8_only, then & < > " ' as entities. s NULL: nothing. */
void escape_html(FILE *f, const char *s, size_t len);

#endif
