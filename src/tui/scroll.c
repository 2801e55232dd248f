/* scroll: a scrolling list's selection and first row; see scroll.h. */
#include "tui/scroll.h"

#include "tui/keys.h"

/* The first item shown: the selection in view, and no blank rows below
 * while items lie above (after the screen grew, say). */
static void
scroll_show(struct scroll *s)
{
	size_t rows = (size_t)s->rows;

	if (s->rows <= 0)
		return;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	if (s->top + rows > s->count)
		s->top = s->count > rows ? s->count - rows : 0;
}

void
scroll_init(struct scroll *s, size_t count, size_t sel)
{
	s->count = count;
	s->sel = sel < count ? sel : 0;
	s->top = 0;
	s->rows = 0;
}

void
scroll_set_rows(struct scroll *s, int rows)
{
	s->rows = rows;
	scroll_show(s);
}

void
scroll_select(struct scroll *s, size_t sel)
{
	if (sel >= s->count)
		return;
	s->sel = sel;
	scroll_show(s);
}

int
scroll_key(struct scroll *s, int act)
{
	size_t page = s->rows > 0 ? (size_t)s->rows : 1, last = s->count ? s->count - 1 : 0;

	switch (act) {
	case KA_UP:
		s->sel = s->sel > 0 ? s->sel - 1 : 0;
		break;
	case KA_DOWN:
		s->sel = s->sel < last ? s->sel + 1 : last;
		break;
	case KA_PAGE_UP:
		s->sel = s->sel > page ? s->sel - page : 0;
		break;
	case KA_PAGE_DOWN:
		s->sel = s->sel + page < last ? s->sel + page : last;
		break;
	default:
		return 0;
	}
	scroll_show(s);
	return 1;
}
