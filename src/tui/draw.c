/* draw: text cut to columns and title rules for the panes; see draw.h. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/draw.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

void
draw_text(int y, int x, int width, const char *s, attr_t attr, short pair)
{
	wchar_t buf[1024];
	mbstate_t st;
	int cols = 0, n = 0;

	if (width <= 0 || y < 0 || y >= LINES)
		return;
	memset(&st, 0, sizeof st);
	while (*s && n < (int)(sizeof buf / sizeof buf[0]) - 1) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, strlen(s), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			wc = L'?';
			r = 1;
			memset(&st, 0, sizeof st);
		}
		int w = wcwidth(wc);
		if (w < 0)
			w = 1;
		if (cols + w > width)
			break;
		buf[n++] = wc;
		cols += w;
		s += r;
	}
	while (cols < width && n < (int)(sizeof buf / sizeof buf[0]) - 1) {
		buf[n++] = L' ';
		cols++;
	}
	buf[n] = L'\0';
	attr_set(attr, pair, NULL);
	mvaddnwstr(y, x, buf, n);
	attr_set(A_NORMAL, 0, NULL);
}

void
draw_title(int y, int x, int width, const char *title, int focused, int unicode)
{
	char line[512];
	const char *rule = unicode ? "\u2500" : "-";
	size_t n = (size_t)snprintf(line, sizeof line, "%s %s ", rule, title);

	for (int c = (int)strlen(title) + 3; c < width && n + 4 < sizeof line; c++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%s", rule);
	draw_text(y, x, width, line, focused ? A_BOLD | A_REVERSE : A_BOLD, 0);
}
