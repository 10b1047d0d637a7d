/* buf.c - bounded growable byte buffer. */
#include "buf.h"
#include "err.h"

void
hark_buf_init(struct hark_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void
hark_buf_release(struct hark_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void
hark_buf_reset(struct hark_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

static int
grow(struct hark_buf *b, size_t need)
{
	size_t cap;

	if (need > b->max)
		return -1;
	if (need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need + 1)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	b->ptr = hark_xrealloc(b->ptr, cap);
	b->cap = cap;
	return 0;
}

int
hark_buf_add(struct hark_buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len || grow(b, b->len + n) < 0)
		return -1;
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int
hark_buf_reserve(struct hark_buf *b, size_t n)
{
	if (n > b->max - b->len)
		return -1;
	return grow(b, b->len + n);
}

int
hark_buf_addstr(struct hark_buf *b, const char *s)
{
	return hark_buf_add(b, s, strlen(s));
}

int
hark_buf_addch(struct hark_buf *b, int c)
{
	char ch = (char)c;

	return hark_buf_add(b, &ch, 1);
}

int
hark_buf_addf(struct hark_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n > b->max - b->len ||
	    grow(b, b->len + (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
hark_buf_truncate(struct hark_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *
hark_buf_detach(struct hark_buf *b, size_t *len)
{
	char *p = b->ptr;

	if (p == NULL)
		p = hark_xstrdup("");
	if (len)
		*len = b->len;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *
hark_buf_str(const struct hark_buf *b)
{
	return b->ptr ? b->ptr : "";
}
