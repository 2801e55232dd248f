/* human: values as people and Go's printers read them: sizes (docker's
 * and dive's), the shortest decimal of a double, RFC 3339 times in UTC.
 * Pure formatting; no knowledge of images. */
#ifndef FATHOM_HUMAN_H
#define FATHOM_HUMAN_H

#include <stddef.h>
#include <stdint.h>

/* A size as docker prints it: SI units, 3 significant digits ("1.22MB"). */
void human_size(uint64_t bytes, char *buf, size_t len);
/* A size as dive prints it (go-humanize's Bytes): "6.4 kB", "13 kB", "9 B". */
void human_dive_size(uint64_t bytes, char *buf, size_t len);
/* The shortest decimal form of v that reads back as v, as Go's %v prints
 * it ("0.9844212134184309", "0.1", "1"). */
void human_double(double v, char *buf, size_t len);
/* An RFC 3339 time as UTC to the second ("2024-01-02T03:04:05Z"); NULL when
 * it cannot be read. Owned by the caller. */
char *human_utc_time(const char *rfc3339);

#endif
