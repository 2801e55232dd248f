/* fdwrite: all of a buffer to a descriptor, through short writes and
 * interruptions. Never prints. */
#ifndef FATHOM_FDWRITE_H
#define FATHOM_FDWRITE_H

#include <stddef.h>

/* Writes len bytes of buf to fd; returns 0, or -1 with errno. */
int fdwrite_all(int fd, const void *buf, size_t len);

#endif
