/* intern: a set of byte strings, each stored once and named by a small id.
 * Strings may hold any byte but NUL; ids stay valid until intern_free. */
#ifndef FATHOM_INTERN_H
#define FATHOM_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern;

struct intern *intern_new(void);
void intern_free(struct intern *in);
/* The id of the string s[0..len), adding it when new. */
uint32_t intern_add(struct intern *in, const char *s, size_t len);
/* The id of s[0..len), or UINT32_MAX when it was never added. */
uint32_t intern_find(const struct intern *in, const char *s, size_t len);
/* The string of an id, NUL-terminated; its length in *len when len is not NULL. */
const char *intern_str(const struct intern *in, uint32_t id, size_t *len);
/* Bytes held by the table and its strings. */
size_t intern_bytes(const struct intern *in);

#endif
