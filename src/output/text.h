/* text: how fathom writes values into its outputs: JSON strings, human
 * sizes, timestamps. Pure formatting; no knowledge of images. */
#ifndef FATHOM_TEXT_H
#define FATHOM_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "image/tree.h"

/* A JSON string of s ("" for NULL); bytes that are not UTF-8 are escaped as
 * escape_write does. */
json_t *text_json_string(const char *s);
/* A size as docker prints it: SI units, 3 significant digits ("1.22MB"). */
void text_human_size(uint64_t bytes, char *buf, size_t len);
/* A size as dive prints it (go-humanize's Bytes): "6.4 kB", "13 kB", "9 B". */
void text_dive_size(uint64_t bytes, char *buf, size_t len);
/* The shortest decimal form of v that reads back as v, as Go's %v prints
 * it ("0.9844212134184309", "0.1", "1"). */
void text_double(double v, char *buf, size_t len);
/* An RFC 3339 time as UTC to the second ("2024-01-02T03:04:05Z"); NULL when
 * it cannot be read. Owned by the caller. */
/* node's absolute path, escaped as escape_str does (utf8: for JSON and
 * Markdown); owned. */
char *text_path(const struct tree *t, uint32_t node, int utf8);
char *text_utc_time(const char *rfc3339);

#endif
