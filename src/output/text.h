/* text: how fathom writes values into its outputs: JSON strings, human
 * sizes, timestamps. Pure formatting; no knowledge of images. */
#ifndef FATHOM_TEXT_H
#define FATHOM_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* A JSON string of s ("" for NULL); bytes that are not UTF-8 are escaped as
 * escape_write does. */
json_t *text_json_string(const char *s);
/* A size as docker prints it: SI units, 3 significant digits ("1.22MB"). */
void text_human_size(uint64_t bytes, char *buf, size_t len);
/* An RFC 3339 time as UTC to the second ("2024-01-02T03:04:05Z"); NULL when
 * it cannot be read. Owned by the caller. */
char *text_utc_time(const char *rfc3339);

#endif
