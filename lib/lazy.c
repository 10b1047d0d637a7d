/*
 * lazy.c - partial record parser: validates the whole line as
 * strictly as jansson does, but decodes only the top-level members the
 * command's rules and policies read.  Anything it is not
 * sure about (invalid JSON, huge numbers, exponents, surrogate escapes,
 * deep nesting, escaped keys) goes to hark_ndjson_parse, so the verdict
 * and the error message are always the suite's.
 */
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "ndjson.h"
#include "lazy.h"

#define MAX_DEPTH 512

struct scan {
	const char *p, *end;
	int unsure;		/* 1: let jansson decide */
};

static void
ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* A string at s->p (on the quote); sets *ESC when it has escapes. */
static int
string(struct scan *s, int *esc)
{
	const unsigned char *p = (const unsigned char *)s->p + 1;
	const unsigned char *end = (const unsigned char *)s->end;

	*esc = 0;
	while (p < end) {
		unsigned c = *p;

		if (c == '"') {
			s->p = (const char *)p + 1;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			*esc = 1;
			if (++p >= end)
				return -1;
			switch (*p) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p++;
				break;
			case 'u':
				if (end - p < 5 || !hex(p[1]) || !hex(p[2]) ||
				    !hex(p[3]) || !hex(p[4]))
					return -1;
				if (p[1] == 'd' || p[1] == 'D')
					s->unsure = 1;	/* surrogates */
				p += 5;
				break;
			default:
				return -1;
			}
			continue;
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		/* UTF-8: no overlongs, no surrogates, at most U+10FFFF */
		if (c >= 0xc2 && c <= 0xdf) {
			if (end - p < 2 || (p[1] & 0xc0) != 0x80)
				return -1;
			p += 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			if (end - p < 3 || (p[1] & 0xc0) != 0x80 ||
			    (p[2] & 0xc0) != 0x80 ||
			    (c == 0xe0 && p[1] < 0xa0) ||
			    (c == 0xed && p[1] > 0x9f))
				return -1;
			p += 3;
		} else if (c >= 0xf0 && c <= 0xf4) {
			if (end - p < 4 || (p[1] & 0xc0) != 0x80 ||
			    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80 ||
			    (c == 0xf0 && p[1] < 0x90) ||
			    (c == 0xf4 && p[1] > 0x8f))
				return -1;
			p += 4;
		} else
			return -1;
	}
	return -1;
}

static int
number(struct scan *s)
{
	const char *p = s->p, *d;

	if (p < s->end && *p == '-')
		p++;
	d = p;
	if (p < s->end && *p == '0')
		p++;
	else if (p < s->end && *p >= '1' && *p <= '9')
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	else
		return -1;
	if (p - d > 18)
		s->unsure = 1;	/* may overflow json_int_t */
	if (p < s->end && *p == '.') {
		p++;
		if (p >= s->end || *p < '0' || *p > '9')
			return -1;
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < s->end && (*p == 'e' || *p == 'E')) {
		s->unsure = 1;	/* may overflow a double */
		p++;
		if (p < s->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= s->end || *p < '0' || *p > '9')
			return -1;
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return 0;
}

static int
literal(struct scan *s, const char *w, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return -1;
	s->p += n;
	return 0;
}

static int value(struct scan *s, int depth);

static int
container(struct scan *s, int depth)
{
	char close = *s->p == '{' ? '}' : ']';
	int esc;

	if (depth > MAX_DEPTH) {
		s->unsure = 1;
		return -1;
	}
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			if (s->p >= s->end || *s->p != '"' ||
			    string(s, &esc) < 0)
				return -1;
			ws(s);
			if (s->p >= s->end || *s->p != ':')
				return -1;
			s->p++;
			ws(s);
		}
		if (value(s, depth + 1) < 0)
			return -1;
		ws(s);
		if (s->p >= s->end)
			return -1;
		if (*s->p == close) {
			s->p++;
			return 0;
		}
		if (*s->p != ',')
			return -1;
		s->p++;
		ws(s);
	}
}

static int
value(struct scan *s, int depth)
{
	int esc;

	if (s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '"': return string(s, &esc);
	case '{': case '[': return container(s, depth);
	case 't': return literal(s, "true", 4);
	case 'f': return literal(s, "false", 5);
	case 'n': return literal(s, "null", 4);
	default: return number(s);
	}
}

/*
 * Build the jansson value of the valid JSON text V[0..N) (validated by
 * value() above).  Plain strings, integers, literals and containers of
 * them are built directly; anything else is left to json_loadb.
 */
static json_t *
build(const char *v, size_t n, int depth)
{
	struct scan s = { v, v + n, 0 };
	int esc;

	if (depth > 32)
		goto slow;	/* re-scanning would cost depth x size */
	switch (*v) {
	case '"':
		if (string(&s, &esc) < 0 || esc)
			break;
		return json_stringn_nocheck(v + 1, n - 2);
	case 't':
		return json_true();
	case 'f':
		return json_false();
	case 'n':
		return json_null();
	case '{': case '[': {
		int obj = *v == '{';
		json_t *c = obj ? json_object() : json_array();

		s.p++;
		ws(&s);
		if (*s.p == (obj ? '}' : ']'))
			return c;
		for (;;) {
			const char *ks = NULL, *vs;
			size_t kn = 0;
			json_t *x;

			if (obj) {
				ks = s.p + 1;
				if (string(&s, &esc) < 0 || esc) {
					json_decref(c);
					goto slow;
				}
				kn = (size_t)(s.p - 1 - ks);
				ws(&s);
				s.p++;	/* ':' */
				ws(&s);
			}
			vs = s.p;
			if (value(&s, 1) < 0 || (x = build(vs,
			    (size_t)(s.p - vs), depth + 1)) == NULL) {
				json_decref(c);
				goto slow;
			}
			if (obj) {
				char key[128];

				if (kn >= sizeof(key) || memchr(ks, '\0',
				    kn) != NULL) {
					json_decref(x);
					json_decref(c);
					goto slow;
				}
				memcpy(key, ks, kn);
				key[kn] = '\0';
				json_object_set_new_nocheck(c, key, x);
			} else
				json_array_append_new(c, x);
			ws(&s);
			if (*s.p == ',') {
				s.p++;
				ws(&s);
				continue;
			}
			return c;	/* the closing bracket */
		}
	}
	default: {
		/* integers up to 18 digits; reals go to jansson */
		const char *p = v;
		long long x = 0;
		int neg = 0;

		if (*p == '-') {
			neg = 1;
			p++;
		}
		for (; p < v + n && *p >= '0' && *p <= '9'; p++)
			x = x * 10 + (*p - '0');
		if (p == v + n && n - (size_t)neg <= 18)
			return json_integer(neg ? -x : x);
		break;
	}
	}
slow:
	return json_loadb(v, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

static int
wanted(const struct hark_lazy *lz, const char *k, size_t n)
{
	size_t i;

	for (i = 0; i < lz->n; i++)
		if (lz->names[i][0] == (n ? k[0] : '\0') &&
		    strlen(lz->names[i]) == n && memcmp(lz->names[i], k, n) == 0)
			return 1;
	return 0;
}

void
hark_lazy_want(struct hark_lazy *lz, const char *name)
{
	size_t i;

	for (i = 0; i < lz->n; i++)
		if (strcmp(lz->names[i], name) == 0)
			return;
	lz->names = hark_xrealloc(lz->names, (lz->n + 1) * sizeof(char *));
	lz->names[lz->n++] = hark_xstrdup(name);
}

void
hark_lazy_release(struct hark_lazy *lz)
{
	size_t i;

	for (i = 0; i < lz->n; i++)
		free(lz->names[i]);
	free(lz->names);
	lz->names = NULL;
	lz->n = 0;
}

int
hark_lazy_parse(const struct hark_lazy *lz, const char *line, size_t len, json_t **out,
    struct hark_err *err)
{
	struct scan s = { line, line + len, 0 };
	json_t *obj;
	int esc;

	ws(&s);
	if (s.p >= s.end || *s.p != '{')
		return hark_ndjson_parse(line, len, out, err);
	obj = json_object();
	s.p++;
	ws(&s);
	if (s.p < s.end && *s.p == '}') {
		s.p++;
		goto tail;
	}
	for (;;) {
		const char *ks, *vs;
		size_t kn;

		if (s.p >= s.end || *s.p != '"')
			goto slow;
		ks = s.p + 1;
		if (string(&s, &esc) < 0 || esc)
			goto slow;	/* escaped keys: let jansson decode */
		kn = (size_t)(s.p - 1 - ks);
		ws(&s);
		if (s.p >= s.end || *s.p != ':')
			goto slow;
		s.p++;
		ws(&s);
		vs = s.p;
		if (value(&s, 1) < 0 || s.unsure)
			goto slow;
		if (wanted(lz, ks, kn)) {
			json_t *v = build(vs, (size_t)(s.p - vs), 0);
			char key[256];

			if (v == NULL || kn >= sizeof(key)) {
				json_decref(v);
				goto slow;
			}
			memcpy(key, ks, kn);
			key[kn] = '\0';
			json_object_set_new(obj, key, v);
		}
		ws(&s);
		if (s.p >= s.end)
			goto slow;
		if (*s.p == '}') {
			s.p++;
			break;
		}
		if (*s.p != ',')
			goto slow;
		s.p++;
		ws(&s);
	}
tail:
	ws(&s);
	if (s.p != s.end)
		goto slow;
	*out = obj;
	return 0;
slow:
	json_decref(obj);
	return hark_ndjson_parse(line, len, out, err);
}
