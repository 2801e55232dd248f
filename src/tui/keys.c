/* keys: key names, bindings and lookup; see keys.h. Key codes are ncurses'
 * (KEY_UP etc. have fixed values in <curses.h>, which this file includes
 * for them only). */
#include "tui/keys.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define KEYS_DEF(id, name, keys, scope, help, label) [id] = { name, keys, scope, help, label },
const struct key_action_def key_actions[KA_COUNT] = { KEY_ACTIONS(KEYS_DEF) };
#undef KEYS_DEF

#define KEY_ENTER_CR 13

static const struct {
	const char *name;
	int code;
} key_names[] = {
	{ "tab", '\t' }, { "esc", 27 }, { "enter", KEY_ENTER_CR }, { "space", ' ' },
	{ "up", KEY_UP }, { "down", KEY_DOWN }, { "left", KEY_LEFT }, { "right", KEY_RIGHT },
	{ "pgup", KEY_PPAGE }, { "pgdn", KEY_NPAGE }, { "home", KEY_HOME }, { "end", KEY_END },
	{ "backspace", KEY_BACKSPACE }, { "delete", KEY_DC }, { "insert", KEY_IC },
};

/* A key name to its code; -1 when unknown. */
static int
keys_code(const char *s, size_t len)
{
	char k[32];

	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof k)
		return -1;
	memcpy(k, s, len);
	k[len] = '\0';
	if (strncasecmp(k, "ctrl+", 5) == 0) {
		const char *c = k + 5;
		if (strcasecmp(c, "space") == 0)
			return 0;
		if (strcasecmp(c, "slash") == 0 || strcmp(c, "/") == 0 || strcmp(c, "_") == 0)
			return 31;
		if (strlen(c) == 1 && isalpha((unsigned char)*c))
			return tolower((unsigned char)*c) - 'a' + 1;
		return -1;
	}
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcasecmp(k, key_names[i].name) == 0)
			return key_names[i].code;
	if (len == 1 && isprint((unsigned char)k[0]))
		return (unsigned char)k[0];
	if ((k[0] == 'f' || k[0] == 'F') && len <= 3) {
		int n = 0;
		if (sscanf(k + 1, "%d", &n) == 1 && n >= 1 && n <= 12)
			return KEY_F(n);
	}
	return -1;
}

int
keys_bind(struct keymap *km, int action, const char *spec, const char **why)
{
	int codes[KEYS_MAX], n = 0;

	for (const char *p = spec; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int c = keys_code(p, len);
		if (c < 0) {
			*why = "a key fathom cannot read (e.g. ctrl+a, tab, pgup, q)";
			return -1;
		}
		if (n < KEYS_MAX - 1)
			codes[n++] = c;
		p += len + (comma != NULL);
	}
	if (n == 0) {
		*why = "no key";
		return -1;
	}
	for (int i = 0; i < n; i++)
		km->keys[action][i] = codes[i];
	km->keys[action][n] = -1;
	return 0;
}

void
keys_init(struct keymap *km)
{
	const char *why;

	for (int i = 0; i < KA_COUNT; i++)
		keys_bind(km, i, key_actions[i].keys, &why);
}

int
keys_find(const char *name)
{
	for (int i = 0; i < KA_COUNT; i++)
		if (strcmp(key_actions[i].name, name) == 0)
			return i;
	return KA_NONE;
}

static int
keys_has(const struct keymap *km, int action, int key)
{
	for (int k = 0; k < KEYS_MAX && km->keys[action][k] >= 0; k++)
		if (km->keys[action][k] == key)
			return 1;
	return 0;
}

int
keys_action(const struct keymap *km, int key, enum key_scope pane)
{
	if (key == '\n' || key == KEY_ENTER)
		key = KEY_ENTER_CR;
	for (int i = 0; i < KA_COUNT; i++)
		if (key_actions[i].scope == pane && keys_has(km, i, key))
			return i;
	for (int i = 0; i < KA_COUNT; i++)
		if (key_actions[i].scope == SCOPE_ALL && keys_has(km, i, key))
			return i;
	return KA_NONE;
}

const char *
keys_label(const struct keymap *km, int action, char *buf, unsigned len)
{
	int c = km->keys[action][0];

	/* Enter and Ctrl+M are one byte: named after what the action means. */
	if (c == 13 && action != KA_OPEN) {
		snprintf(buf, len, "^M");
		return buf;
	}
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (key_names[i].code == c) {
			snprintf(buf, len, "%c%s", toupper((unsigned char)key_names[i].name[0]),
			         key_names[i].name + 1);
			return buf;
		}
	}
	if (c == 0)
		snprintf(buf, len, "^Space");
	else if (c == 31)
		snprintf(buf, len, "^/");
	else if (c > 0 && c < 27)
		snprintf(buf, len, "^%c", 'A' + c - 1);
	else if (c >= KEY_F(1) && c <= KEY_F(12))
		snprintf(buf, len, "F%d", c - KEY_F(0));
	else
		snprintf(buf, len, "%c", c);
	return buf;
}
