/* buf.c - bounded growable byte buffer. */
#include <jansson.h>
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
	/* room for it and the NUL (cap <= max + 1, so within max too) */
	if (n < b->cap - b->len) {
		memcpy(b->ptr + b->len, p, n);
		b->len += n;
		b->ptr[b->len] = '\0';
		return 0;
	}
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

	if (b->cap - b->len > 1) {
		b->ptr[b->len++] = ch;
		b->ptr[b->len] = '\0';
		return 0;
	}
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

/* ---- JSON output (see hark_buf_add_json) ---- */

#define JSON_FAST_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(6))
#define JSON_FAST_DEPTH 64

static int
json_slow(struct hark_buf *b, const json_t *v, size_t flags)
{
	char small[512];
	size_t n;

	flags |= JSON_ENCODE_ANY;
	n = json_dumpb(v, small, sizeof(small), flags);
	if (n == 0)
		return -1;
	if (n <= sizeof(small))
		return hark_buf_add(b, small, n);
	{
		char *big = hark_xmalloc(n);
		int rc;

		json_dumpb(v, big, n, flags);
		rc = hark_buf_add(b, big, n);
		free(big);
		return rc;
	}
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The escape of byte C (one json_str() escapes) at O; returns its end. */
static char *
put_escape(char *o, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";

	*o++ = '\\';
	switch (c) {
	case '"': *o++ = '"'; break;
	case '\\': *o++ = '\\'; break;
	case '\b': *o++ = 'b'; break;
	case '\f': *o++ = 'f'; break;
	case '\n': *o++ = 'n'; break;
	case '\r': *o++ = 'r'; break;
	case '\t': *o++ = 't'; break;
	default:
		*o++ = 'u';
		*o++ = '0';
		*o++ = '0';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	return o;
}

/* Does one of the eight bytes W need escaping: below 0x20, a quote or a
 * backslash?  (A false byte may follow a true one: only "none" is
 * exact, which is all the callers ask.) */
static inline int
escape8(uint64_t w)
{
	uint64_t q = w ^ ONES * '"', bs = w ^ ONES * '\\';

	return ((((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) |
	    ((bs - ONES) & ~bs)) & HIGHS) != 0;
}

/*
 * S[0..N) quoted and escaped as jansson's dump_string does it, written
 * straight into B: room for the quotes and the bytes as they are, and at
 * each escape for what it adds (so it fails exactly when the text would
 * pass B's maximum, and then leaves B as it was); eight bytes at a time
 * while none needs escaping.
 */
static int
json_str(struct hark_buf *b, const char *s, size_t n)
{
	size_t len0 = b->len, i = 0;
	char *o;

	if (hark_buf_reserve(b, n + 2) < 0)
		return -1;
	o = b->ptr + b->len;
	*o++ = '"';
	for (;;) {
		char e[6];
		size_t k;

		for (; i + 8 <= n; i += 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (escape8(w))
				break;
			memcpy(o, &w, 8);
			o += 8;
		}
		for (; i < n; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c < 0x20 || c == '"' || c == '\\')
				break;
			*o++ = (char)c;
		}
		if (i == n)
			break;
		/* the escape, the rest as it is and the closing quote */
		k = (size_t)(put_escape(e, (unsigned char)s[i]) - e);
		b->len = (size_t)(o - b->ptr);
		if (hark_buf_reserve(b, k + (n - i - 1) + 1) < 0) {
			b->len = len0;
			b->ptr[len0] = '\0';
			return -1;
		}
		o = b->ptr + b->len;
		memcpy(o, e, k);
		o += k;
		i++;
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->ptr);
	return 0;
}

/*
 * V written as json_dumpb writes a real with JSON_REAL_PRECISION(6), when
 * it is the double nearest to k / 10^4 for an integer k, 1e-4 <= |V| <
 * 100 (hark's scores and probabilities, rounded to four decimals): "%.6g"
 * then prints exactly the digits of k / 10^4 (at most six significant
 * ones; V is far nearer to it than half a unit of the sixth), in fixed
 * notation without trailing zeros, and jansson adds ".0" to a whole
 * number.  1 (nothing written) for any other value: jansson's path,
 * whose snprintf and set-up cost about 2000 instructions a number.
 */
static int
json_real4(struct hark_buf *b, double v)
{
	double a = v < 0 ? -v : v;
	unsigned long k, ip, fp;
	char tmp[16], *o = tmp;
	int d;

	if (!(a >= 1e-4 && a < 100))	/* (NaN too) */
		return 1;
	k = (unsigned long)(a * 1e4 + 0.5);
	if ((double)k / 1e4 != a)
		return 1;
	ip = k / 10000;
	fp = k % 10000;
	if (v < 0)
		*o++ = '-';
	if (ip >= 10)
		*o++ = (char)('0' + ip / 10);
	*o++ = (char)('0' + ip % 10);
	*o++ = '.';
	if (fp == 0)
		*o++ = '0';
	else
		for (d = 1000; fp > 0; d /= 10) {
			*o++ = (char)('0' + fp / (unsigned long)d);
			fp %= (unsigned long)d;
		}
	return hark_buf_add(b, tmp, (size_t)(o - tmp));
}

static int
json_fast(struct hark_buf *b, const json_t *v, int depth)
{
	char num[32];
	size_t i;
	int n;

	switch (json_typeof(v)) {
	case JSON_NULL:
		return hark_buf_add(b, "null", 4);
	case JSON_TRUE:
		return hark_buf_add(b, "true", 4);
	case JSON_FALSE:
		return hark_buf_add(b, "false", 5);
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return hark_buf_add(b, num, (size_t)n);
	case JSON_REAL:
		if ((n = json_real4(b, json_real_value(v))) <= 0)
			return n;
		break;
	case JSON_STRING:
		return json_str(b, json_string_value(v), json_string_length(v));
	case JSON_ARRAY:
		if (depth >= JSON_FAST_DEPTH)
			break;
		if (hark_buf_addch(b, '[') < 0)
			return -1;
		for (i = 0; i < json_array_size(v); i++)
			if ((i > 0 && hark_buf_addch(b, ',') < 0) ||
			    json_fast(b, json_array_get(v, i), depth + 1) < 0)
				return -1;
		return hark_buf_addch(b, ']');
	case JSON_OBJECT: {
		void *it;
		int first = 1;

		if (depth >= JSON_FAST_DEPTH)
			break;
		if (hark_buf_addch(b, '{') < 0)
			return -1;
		for (it = json_object_iter((json_t *)v); it != NULL;
		    it = json_object_iter_next((json_t *)v, it)) {
			if ((!first && hark_buf_addch(b, ',') < 0) ||
			    json_str(b, json_object_iter_key(it),
			    json_object_iter_key_len(it)) < 0 ||
			    hark_buf_addch(b, ':') < 0 ||
			    json_fast(b, json_object_iter_value(it),
			    depth + 1) < 0)
				return -1;
			first = 0;
		}
		return hark_buf_addch(b, '}');
	}
	default:
		break;
	}
	return json_slow(b, v, JSON_FAST_FLAGS);
}

int
hark_buf_add_json_string(struct hark_buf *b, const char *s, size_t n)
{
	return json_str(b, s, n);
}

int
hark_buf_add_json(struct hark_buf *b, const json_t *v, size_t flags)
{
	if (flags == 0)
		flags = JSON_FAST_FLAGS;
	if (v == NULL)
		return -1;
	if ((flags & ~(size_t)JSON_ENCODE_ANY) != JSON_FAST_FLAGS)
		return json_slow(b, v, flags);
	return json_fast(b, v, 0);
}
