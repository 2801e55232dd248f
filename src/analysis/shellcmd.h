/* shellcmd: a RUN instruction's shell command cut into the commands that
 * `&&`, `;` and newlines join at its top level, each with its place in the
 * text and its words (quotes removed, $NAME substituted), so that the fix
 * planner can tell a cleanup (rm, apt-get clean, ...) and move it. Only a
 * plain list is cut: a command with if/for/while/case, braces, subshells
 * or command substitutions is marked and left whole. The input is untrusted
 * (fuzzed). Pure: never prints. */
#ifndef FATHOM_SHELLCMD_H
#define FATHOM_SHELLCMD_H

#include <stddef.h>

/* What a piece holds besides plain words. */
#define SH_OR 1			/* `||`: words[or_at..] is the fallback */
#define SH_PIPE 2		/* `|` */
#define SH_REDIRECT 4		/* `>`, `<`, `2>&1` */
#define SH_UNKNOWN 8		/* a $NAME the lookup could not give */
#define SH_BACKGROUND 16	/* `&` */

struct sh_piece {
	size_t start, end;	/* its bytes in the command, blanks cut */
	char **words;		/* owned: quotes removed, $NAME substituted;
				 * a quoted * ? [ or \ escaped by a \ (for
				 * fnmatch) */
	size_t nwords;
	size_t *wstart, *wend;	/* owned: each word's bytes in the command */
	size_t or_at;		/* with SH_OR: the first word after `||` */
	unsigned flags;
};

struct sh_cmd {
	struct sh_piece *pieces;	/* owned */
	size_t count, cap;
	int complex;		/* not a plain list: never cut */
	int comment;		/* a # comment: nothing may follow it */
	const char *append;	/* what joins a command appended at the end:
				 * " && ", or " " after a trailing `;` */
};

/* Gives a variable's value, or NULL. */
typedef const char *sh_lookup_fn(void *ctx, const char *name, size_t len);

/* Cuts s (len bytes). lookup (may be NULL) gives $NAME's values. */
void shellcmd_split(const char *s, size_t len, sh_lookup_fn *lookup, void *ctx,
                    struct sh_cmd *out);
void shellcmd_free(struct sh_cmd *c);

/* The name of the program a piece runs (its first word past `sudo`, `env`
 * and VAR=value assignments), and the index of that word; NULL when none. */
const char *shellcmd_program(const struct sh_piece *p, size_t *at);

#endif
