/* tempfile: unnamed temporary files (O_TMPFILE, or on a file system
 * without it a name unlinked at once): nothing is left when they close,
 * whatever happens. Never prints. */
#ifndef FATHOM_TEMPFILE_H
#define FATHOM_TEMPFILE_H

/* The directory for them: $TMPDIR, else /tmp. */
const char *tempfile_dir(void);
/* An unnamed file open for reading and writing in dir (NULL:
 * tempfile_dir()); -1 with errno. */
int tempfile_open(const char *dir);

#endif
