/*
 * json.c - strict RFC 8259 record parser building jansson values only for
 * the members asked for.  The grammar is walked iteratively with an
 * explicit stack, so deep nesting costs heap, not C stack.  The error
 * texts imitate jansson's lexer and parser (first error wins, "near" the
 * token being read, column in characters) because golden tests and users'
 * scripts know them.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include "json.h"
#include "utf8.h"

#define ONES	0x0101010101010101ULL
#define HIGH	0x8080808080808080ULL
#define SMALL	32		/* stack levels kept inside struct ps */

enum { T_OBJ = 1, T_ARR = 2 };

struct ps {
	const char *line, *end;
	/* first error: message, token start, where lexing stopped */
	const char *msg;
	const char *tok, *at;
	int noctx;		/* UTF-8 error: jansson prints no context */
	char msgbuf[64];
	/* container stack of the value being parsed */
	size_t cap;
	unsigned char *type;
	json_t **cont;		/* build mode only */
	char **key;		/* build mode: pending key, NULL = skip */
	size_t *keylen;
	unsigned char type0[SMALL];
	json_t *cont0[SMALL];
	char *key0[SMALL];
	size_t keylen0[SMALL];
};

static void
ps_init(struct ps *s, const char *line, size_t len)
{
	s->line = line;
	s->end = line + len;
	s->msg = NULL;
	s->noctx = 0;
	s->cap = SMALL;
	s->type = s->type0;
	s->cont = s->cont0;
	s->key = s->key0;
	s->keylen = s->keylen0;
}

static void
ps_release(struct ps *s)
{
	if (s->type != s->type0) {
		free(s->type);
		free(s->cont);
		free(s->key);
		free(s->keylen);
	}
}

static int
grow(struct ps *s)
{
	size_t n = s->cap * 2;

	if (n > HARK_JSON_MAX_DEPTH + 1)
		n = HARK_JSON_MAX_DEPTH + 1;
	if (s->type == s->type0) {
		s->type = hark_xmalloc(n);
		s->cont = hark_xmalloc(n * sizeof(*s->cont));
		s->key = hark_xmalloc(n * sizeof(*s->key));
		s->keylen = hark_xmalloc(n * sizeof(*s->keylen));
		memcpy(s->type, s->type0, sizeof(s->type0));
		memcpy(s->cont, s->cont0, sizeof(s->cont0));
		memcpy(s->key, s->key0, sizeof(s->key0));
		memcpy(s->keylen, s->keylen0, sizeof(s->keylen0));
	} else {
		s->type = hark_xrealloc(s->type, n);
		s->cont = hark_xrealloc(s->cont, n * sizeof(*s->cont));
		s->key = hark_xrealloc(s->key, n * sizeof(*s->key));
		s->keylen = hark_xrealloc(s->keylen, n * sizeof(*s->keylen));
	}
	s->cap = n;
	return 0;
}

static const char *
fail(struct ps *s, const char *tok, const char *at, const char *msg)
{
	if (s->msg == NULL) {
		s->msg = msg;
		s->tok = tok;
		s->at = at;
	}
	return NULL;
}

static const char *
ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' ||
	    *p == '\t'))
		p++;
	return p;
}

/* jansson checks UTF-8 as it reads, lookahead included: a bad byte at P
 * ends the token started at TOK there ("near" it only when non-empty). */
static const char *
bad_utf8(struct ps *s, const char *tok, const char *p)
{
	if (s->msg == NULL) {
		snprintf(s->msgbuf, sizeof(s->msgbuf),
		    "unable to decode byte 0x%x", (unsigned char)*p);
		s->noctx = 1;
	}
	return fail(s, tok, p, s->msgbuf);
}

/* Is P a byte that does not start a valid UTF-8 sequence? */
static int
badbyte(const char *p, const char *end)
{
	return p < end && (unsigned char)*p >= 0x80 &&
	    hark_utf8_len((const unsigned char *)p,
	    (const unsigned char *)end) == 0;
}

enum { S_ESC = 1, S_NUL = 2 };

/*
 * The string token at P (on the opening quote): returns the byte after
 * the closing quote, or NULL with the error set.  *FL gets S_ESC when it
 * has escapes and S_NUL when one of them is \u0000.
 */
static const char *
str_scan(struct ps *s, const char *p, unsigned *fl)
{
	const unsigned char *q = (const unsigned char *)p + 1;
	const unsigned char *end = (const unsigned char *)s->end;

	*fl = 0;
	for (;;) {
		unsigned c;

		/* eight plain ASCII bytes at a time */
		while (end - q >= 8) {
			uint64_t w, a, b;

			memcpy(&w, q, 8);
			a = w ^ (ONES * '"');
			b = w ^ (ONES * '\\');
			if ((((a - ONES) & ~a) | ((b - ONES) & ~b) |
			    ((w - ONES * 0x20) & ~w) | w) & HIGH)
				break;
			q += 8;
		}
		/* then byte by byte up to the first byte that is not plain */
		while (q < end && (unsigned)(*q - 0x20) < 0x60 && *q != '"' &&
		    *q != '\\')
			q++;
		if (q >= end)
			return fail(s, p, (const char *)end,
			    "premature end of input");
		c = *q;
		if (c == '"')
			return (const char *)q + 1;
		if (c == '\\') {
			*fl |= S_ESC;
			if (++q >= end)
				return fail(s, p, (const char *)end,
				    "invalid escape");
			if (badbyte((const char *)q, s->end))
				return bad_utf8(s, p, (const char *)q);
			switch (*q) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				q++;
				break;
			case 'u': {
				int i;

				for (i = 1; i <= 4; i++) {
					if (q + i >= end)
						return fail(s, p,
						    (const char *)end,
						    "invalid escape");
					if (badbyte((const char *)q + i,
					    s->end))
						return bad_utf8(s, p,
						    (const char *)q + i);
					if (hark_hexval(q[i]) < 0)
						return fail(s, p,
						    (const char *)q + i + 1,
						    "invalid escape");
				}
				if (q[1] == '0' && q[2] == '0' && q[3] == '0' &&
				    q[4] == '0')
					*fl |= S_NUL;
				q += 5;
				break;
			}
			default:
				return fail(s, p, (const char *)q + 1,
				    "invalid escape");
			}
			continue;
		}
		if (c < 0x20) {
			if (s->msg == NULL)
				snprintf(s->msgbuf, sizeof(s->msgbuf),
				    "control character 0x%x", c);
			return fail(s, p, (const char *)q, s->msgbuf);
		}
		if (c < 0x80) {
			q++;
			continue;
		}
		{
			size_t n = hark_utf8_len(q, end);

			if (n == 0)
				return bad_utf8(s, p, (const char *)q);
			q += n;
		}
	}
}

static unsigned
hex4(const char *p)
{
	return (unsigned)(hark_hexval(p[0]) << 12 | hark_hexval(p[1]) << 8 |
	    hark_hexval(p[2]) << 4 | hark_hexval(p[3]));
}

static char *
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* Decode the validated string body P..E (between the quotes) into O,
 * which has room for E - P bytes; returns the length. */
static size_t
str_decode(const char *p, const char *e, char *o)
{
	char *o0 = o;

	while (p < e) {
		const char *bs = memchr(p, '\\', (size_t)(e - p));
		unsigned cp;

		if (bs == NULL)
			bs = e;
		memcpy(o, p, (size_t)(bs - p));
		o += bs - p;
		p = bs;
		if (p >= e)
			break;
		switch (p[1]) {
		case 'b': *o++ = '\b'; p += 2; continue;
		case 'f': *o++ = '\f'; p += 2; continue;
		case 'n': *o++ = '\n'; p += 2; continue;
		case 'r': *o++ = '\r'; p += 2; continue;
		case 't': *o++ = '\t'; p += 2; continue;
		case 'u': break;
		default: *o++ = p[1]; p += 2; continue;
		}
		cp = hex4(p + 2);
		p += 6;
		if (cp >= 0xd800 && cp <= 0xdbff && e - p >= 6 &&
		    p[0] == '\\' && p[1] == 'u') {
			unsigned lo = hex4(p + 2);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			}
		}
		if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xfffd;	/* a lone surrogate, as jq does */
		o = put_utf8(o, cp);
	}
	return (size_t)(o - o0);
}

char *
hark_json_string_decode(const char *s, size_t n, size_t *len)
{
	char *o = hark_xmalloc(n > 2 ? n - 1 : 1);

	*len = n >= 2 ? str_decode(s + 1, s + n - 1, o) : 0;
	o[*len] = '\0';
	return o;
}

static json_t *
make_string(const char *p, const char *q, unsigned fl)
{
	json_t *v;
	char small[256], *o;
	size_t n;

	if (!(fl & S_ESC))
		return json_stringn_nocheck(p + 1, (size_t)(q - p) - 2);
	o = (size_t)(q - p) <= sizeof(small) ? small :
	    hark_xmalloc((size_t)(q - p));
	n = str_decode(p + 1, q - 1, o);
	v = json_stringn_nocheck(o, n);
	if (o != small)
		free(o);
	return v;
}

/*
 * The number token at P: the byte after it, or NULL with "invalid token"
 * near the part read (jansson's lexer stops before the offending byte).
 * *REAL is set when it has a fraction or an exponent.
 */
/* A number ends before the byte at P: jansson has read it (UTF-8 check)
 * and calls the part before it an invalid token. */
static const char *
num_fail(struct ps *s, const char *a, const char *p)
{
	if (badbyte(p, s->end))
		return bad_utf8(s, a, p);
	return fail(s, a, p, "invalid token");
}

static const char *
num_scan(struct ps *s, const char *p, int *real)
{
	const char *a = p, *end = s->end;

	*real = 0;
	if (*p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
		if (p < end && *p >= '0' && *p <= '9')
			return num_fail(s, a, p);
	} else if (p < end && *p >= '1' && *p <= '9') {
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	} else
		return num_fail(s, a, p);
	if (p < end && *p == '.') {
		*real = 1;
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return num_fail(s, a, p);
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		*real = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return num_fail(s, a, p);
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (badbyte(p, end))
		return bad_utf8(s, a, p);
	return p;
}

/* The number A..B (valid): integer when it fits in 64 bits, else real,
 * saturated at the largest finite double. */
static json_t *
make_number(const char *a, const char *b, int real)
{
	char small[64], *buf;
	double d;

	if (!real) {
		const char *p = a;
		int neg = *p == '-';
		uint64_t x = 0;

		p += neg;
		if (b - p <= 19) {
			for (; p < b; p++)
				x = x * 10 + (uint64_t)(*p - '0');
			if (b - a - neg < 19 || (!neg && x <= INT64_MAX))
				return json_integer(neg ? -(json_int_t)x :
				    (json_int_t)x);
			if (neg && x <= (uint64_t)INT64_MAX + 1)
				return json_integer(x == (uint64_t)INT64_MAX +
				    1 ? INT64_MIN : -(json_int_t)x);
		}
	}
	buf = (size_t)(b - a) < sizeof(small) ? small :
	    hark_xmalloc((size_t)(b - a) + 1);
	memcpy(buf, a, (size_t)(b - a));
	buf[b - a] = '\0';
	d = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	if (!isfinite(d))
		d = d < 0 ? -DBL_MAX : DBL_MAX;
	return json_real(d);
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Lex the token at P only to report a syntax error MSG near it (jansson
 * reads the next token before it complains): a lexical error in that
 * token wins.
 */
static const char *
expected(struct ps *s, const char *p, const char *msg)
{
	const char *end = s->end, *q;
	unsigned fl;
	int real;

	if (p >= end)
		return fail(s, p, p, msg);
	switch (*p) {
	case '"':
		if ((q = str_scan(s, p, &fl)) == NULL)
			return NULL;
		return fail(s, p, q, msg);
	case '{': case '}': case '[': case ']': case ':': case ',':
		return fail(s, p, p + 1, msg);
	}
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		struct ps t = *s;

		t.msg = NULL;
		t.noctx = 0;
		q = num_scan(&t, p, &real);
		if (q == NULL && t.noctx) {
			/* a bad UTF-8 byte ends it: that error comes first */
			memcpy(s->msgbuf, t.msgbuf, sizeof(s->msgbuf));
			s->noctx = 1;
			return fail(s, t.tok, t.at, s->msgbuf);
		}
		return fail(s, p, q ? q : t.at, msg);
	}
	if (is_alpha(*p)) {
		for (q = p; q < end && is_alpha(*q); q++)
			;
		if (badbyte(q, end))
			return bad_utf8(s, p, q);
		return fail(s, p, q, msg);
	}
	if ((unsigned char)*p >= 0x80) {
		size_t n = hark_utf8_len((const unsigned char *)p,
		    (const unsigned char *)end);

		if (n == 0)
			return bad_utf8(s, p, p);
		return fail(s, p, p + n, msg);
	}
	return fail(s, p, p + 1, msg);
}

static void
unwind(struct ps *s, size_t d)
{
	while (d > 0) {
		d--;
		json_decref(s->cont[d]);
		free(s->key[d]);
	}
}

/*
 * One JSON value at P (after white space) at nesting depth DEPTH0; with
 * OUT, builds it (new reference).  Returns the byte after it or NULL with
 * the error set.
 */
static const char *
value(struct ps *s, const char *p, size_t depth0, json_t **out)
{
	const char *end = s->end, *q;
	size_t d = 0;
	json_t *v = NULL;
	unsigned fl;
	int real;

next_value:
	if (p >= end)
		goto unexpected;
	switch (*p) {
	case '"':
		if ((q = str_scan(s, p, &fl)) == NULL)
			goto error;
		if (out)
			v = make_string(p, q, fl);
		p = q;
		goto done_value;
	case '{': case '[':
		if (depth0 + d >= HARK_JSON_MAX_DEPTH) {
			fail(s, p, p + 1, "maximum parsing depth reached");
			goto error;
		}
		if (d >= s->cap)
			grow(s);
		s->type[d] = *p == '{' ? T_OBJ : T_ARR;
		if (out) {
			s->cont[d] = *p == '{' ? json_object() : json_array();
			s->key[d] = NULL;
		}
		d++;
		p = ws(p + 1, end);
		if (s->type[d - 1] == T_ARR) {
			if (p < end && *p == ']') {
				p++;
				goto close;
			}
			if (p >= end) {
				expected(s, p, "']' expected");
				goto error;
			}
			goto next_value;
		}
		if (p < end && *p == '}') {
			p++;
			goto close;
		}
		goto obj_key;
	case 't': case 'f': case 'n':
		for (q = p; q < end && is_alpha(*q); q++)
			;
		if (badbyte(q, end)) {
			bad_utf8(s, p, q);
			goto error;
		}
		if (q - p == 4 && memcmp(p, "true", 4) == 0)
			v = out ? json_true() : NULL;
		else if (q - p == 5 && memcmp(p, "false", 5) == 0)
			v = out ? json_false() : NULL;
		else if (q - p == 4 && memcmp(p, "null", 4) == 0)
			v = out ? json_null() : NULL;
		else {
			fail(s, p, q, "invalid token");
			goto error;
		}
		p = q;
		goto done_value;
	case '-': case '0': case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		if ((q = num_scan(s, p, &real)) == NULL)
			goto error;
		if (out)
			v = make_number(p, q, real);
		p = q;
		goto done_value;
	case '}': case ']': case ':': case ',':
		goto unexpected;
	default:
		if (is_alpha(*p)) {
			for (q = p; q < end && is_alpha(*q); q++)
				;
			if (badbyte(q, end))
				bad_utf8(s, p, q);
			else
				fail(s, p, q, "invalid token");
		} else
			expected(s, p, "invalid token");
		goto error;
	}

obj_key:
	if (p >= end || *p != '"') {
		expected(s, p, "string or '}' expected");
		goto error;
	}
	if ((q = str_scan(s, p, &fl)) == NULL)
		goto error;
	if (out) {
		if (fl & S_NUL) {
			s->key[d - 1] = NULL;	/* left out: see json.h */
		} else {
			s->key[d - 1] = hark_xmalloc((size_t)(q - p) - 1);
			s->keylen[d - 1] = fl & S_ESC ? str_decode(p + 1, q - 1,
			    s->key[d - 1]) : (size_t)(q - p) - 2;
			if (!(fl & S_ESC))
				memcpy(s->key[d - 1], p + 1, s->keylen[d - 1]);
			s->key[d - 1][s->keylen[d - 1]] = '\0';
		}
	}
	p = ws(q, end);
	if (p >= end || *p != ':') {
		expected(s, p, "':' expected");
		goto error;
	}
	p = ws(p + 1, end);
	goto next_value;

close:
	d--;
	if (out)
		v = s->cont[d];
	/* FALLTHROUGH */
done_value:
	if (d == 0) {
		if (out)
			*out = v;
		return p;
	}
	if (out) {
		if (s->type[d - 1] == T_ARR) {
			json_array_append_new(s->cont[d - 1], v);
		} else if (s->key[d - 1] != NULL) {
			json_object_setn_new_nocheck(s->cont[d - 1],
			    s->key[d - 1], s->keylen[d - 1], v);
			free(s->key[d - 1]);
			s->key[d - 1] = NULL;
		} else
			json_decref(v);
		v = NULL;
	}
	p = ws(p, end);
	if (s->type[d - 1] == T_OBJ) {
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			goto obj_key;
		}
		if (p < end && *p == '}') {
			p++;
			goto close;
		}
		expected(s, p, "'}' expected");
		goto error;
	}
	if (p < end && *p == ',') {
		p = ws(p + 1, end);
		if (p >= end) {
			expected(s, p, "']' expected");
			goto error;
		}
		goto next_value;
	}
	if (p < end && *p == ']') {
		p++;
		goto close;
	}
	expected(s, p, "']' expected");
	goto error;

unexpected:
	expected(s, p, "unexpected token");
error:
	if (out)
		unwind(s, d);
	return NULL;
}

/* Fill ERR from the parser's first error. */
static int
report(struct ps *s, struct hark_err *err)
{
	const char *p;
	long col = 0;
	size_t n;

	for (p = s->line; p < s->at; p++)
		if ((*p & 0xc0) != 0x80)
			col++;
	n = (size_t)(s->at - s->tok);
	if ((s->noctx && n == 0) || n > 20)
		return hark_err_setl(err, 3, 1, col, "invalid JSON: %s",
		    s->msg);
	if (n == 0)
		return hark_err_setl(err, 3, 1, col, "invalid JSON: %s near "
		    "end of file", s->msg);
	{
		char clean[64];

		hark_sanitize(clean, sizeof(clean), s->tok, n);
		return hark_err_setl(err, 3, 1, col, "invalid JSON: %s near "
		    "'%s'", s->msg, clean);
	}
}

static int
wanted(char *const *names, size_t nnames, const char *k, size_t n)
{
	size_t i;

	for (i = 0; i < nnames; i++)
		if (names[i][0] == (n ? k[0] : '\0') &&
		    strncmp(names[i], k, n) == 0 && names[i][n] == '\0')
			return 1;
	return 0;
}

static void
add_member(struct hark_json_members *mem, size_t ks, size_t ke, size_t vs,
    size_t ve)
{
	struct hark_json_member *m;

	if (mem->n == mem->cap) {
		mem->cap = mem->cap ? mem->cap * 2 : 32;
		mem->m = hark_xrealloc(mem->m, mem->cap * sizeof(*mem->m));
	}
	m = &mem->m[mem->n++];
	m->ks = ks;
	m->ke = ke;
	m->vs = vs;
	m->ve = ve;
}

void
hark_json_members_release(struct hark_json_members *mem)
{
	free(mem->m);
	mem->m = NULL;
	mem->n = mem->cap = 0;
}

int
hark_json_record(const char *line, size_t len, char *const *names,
    size_t nnames, int all, json_t **out, struct hark_json_members *mem,
    struct hark_err *err)
{
	struct ps s;
	const char *p, *q, *end = line + len;
	json_t *obj = NULL;

	ps_init(&s, line, len);
	if (mem)
		mem->n = 0;
	p = ws(line, end);
	if (p >= end || *p != '{') {
		if ((q = value(&s, p, 0, NULL)) == NULL)
			goto error;
		q = ws(q, end);
		if (q < end) {
			expected(&s, q, "end of file expected");
			goto error;
		}
		ps_release(&s);
		return hark_err_set(err, 3, "record is not a JSON object");
	}
	if (out)
		obj = json_object();
	p = ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
		goto tail;
	}
	for (;;) {
		const char *ks = p, *ke, *vs;
		unsigned fl;
		int want;
		json_t *v = NULL;

		if (p >= end || *p != '"') {
			expected(&s, p, "string or '}' expected");
			goto error;
		}
		if ((ke = str_scan(&s, p, &fl)) == NULL)
			goto error;
		p = ws(ke, end);
		if (p >= end || *p != ':') {
			expected(&s, p, "':' expected");
			goto error;
		}
		vs = p = ws(p + 1, end);
		want = 0;
		if (obj != NULL && !(fl & S_NUL)) {
			if (all)
				want = 1;
			else if (!(fl & S_ESC))
				want = wanted(names, nnames, ks + 1,
				    (size_t)(ke - ks) - 2);
			else {
				size_t n;
				char *k = hark_json_string_decode(ks,
				    (size_t)(ke - ks), &n);

				want = strlen(k) == n &&
				    wanted(names, nnames, k, n);
				free(k);
			}
		}
		if ((q = value(&s, p, 1, want ? &v : NULL)) == NULL)
			goto error;
		if (mem)
			add_member(mem, (size_t)(ks - line),
			    (size_t)(ke - line), (size_t)(vs - line),
			    (size_t)(q - line));
		if (want) {
			if (fl & S_ESC) {
				size_t n;
				char *k = hark_json_string_decode(ks,
				    (size_t)(ke - ks), &n);

				json_object_setn_new_nocheck(obj, k, n, v);
				free(k);
			} else
				json_object_setn_new_nocheck(obj, ks + 1,
				    (size_t)(ke - ks) - 2, v);
		}
		p = ws(q, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}') {
			p++;
			break;
		}
		expected(&s, p, "'}' expected");
		goto error;
	}
tail:
	p = ws(p, end);
	if (p < end) {
		expected(&s, p, "end of file expected");
		goto error;
	}
	ps_release(&s);
	if (out)
		*out = obj;
	return 0;
error:
	json_decref(obj);
	ps_release(&s);
	return report(&s, err);
}

int
hark_json_parse_any(const char *line, size_t len, json_t **out,
    struct hark_err *err)
{
	struct ps s;
	const char *p, *end = line + len;
	json_t *v = NULL;

	ps_init(&s, line, len);
	p = value(&s, ws(line, end), 0, &v);
	if (p != NULL && (p = ws(p, end)) < end) {
		json_decref(v);
		expected(&s, p, "end of file expected");
		p = NULL;
	}
	ps_release(&s);
	if (p == NULL)
		return report(&s, err);
	*out = v;
	return 0;
}

/* ---- jansson's allocator (hark_json_fast_alloc) ----------------------- */

/* A block is a header of FA_HDR bytes (its class, keeping the 16-byte
 * alignment malloc gives) and the caller's bytes; class C holds
 * (C + 1) * 16 bytes in all.  Free blocks of a class form a list through
 * their first bytes. */
#define FA_HDR 16
#define FA_CLASSES 16
#define FA_BIG ((size_t)-1)
#define FA_CHUNK 65536

struct fa_free {
	struct fa_free *next;
};

static struct fa_free *fa_list[FA_CLASSES];
static unsigned char *fa_at, *fa_end;	/* the chunk blocks are cut from */

static void *
fa_malloc(size_t n)
{
	unsigned char *p;
	size_t c, sz;

	if (n > FA_CLASSES * 16 - FA_HDR) {
		if (n > SIZE_MAX - FA_HDR || (p = malloc(n + FA_HDR)) == NULL)
			return NULL;
		*(size_t *)(void *)p = FA_BIG;
		return p + FA_HDR;
	}
	c = (n + FA_HDR + 15) / 16 - 1;
	if (fa_list[c] != NULL) {
		struct fa_free *f = fa_list[c];

		fa_list[c] = f->next;
		return f;
	}
	sz = (c + 1) * 16;
	if ((size_t)(fa_end - fa_at) < sz) {
		/* the rest of the old chunk is left unused (under 256
		 * bytes of 64 KiB) */
		if ((p = malloc(FA_CHUNK)) == NULL)
			return NULL;
		fa_at = p;
		fa_end = p + FA_CHUNK;
	}
	p = fa_at;
	fa_at += sz;
	*(size_t *)(void *)p = c;
	return p + FA_HDR;
}

static void
fa_release(void *q)
{
	unsigned char *p;
	size_t c;

	if (q == NULL)
		return;
	p = (unsigned char *)q - FA_HDR;
	c = *(size_t *)(void *)p;
	if (c == FA_BIG) {
		free(p);
		return;
	}
	((struct fa_free *)q)->next = fa_list[c];
	fa_list[c] = q;
}

char *
hark_json_dumps(const json_t *v, size_t flags)
{
	char small[1024], *s;
	size_t n = json_dumpb(v, small, sizeof(small), flags);

	if (n == 0)
		return NULL;
	s = hark_xmalloc(n + 1);
	if (n <= sizeof(small))
		memcpy(s, small, n);
	else if (json_dumpb(v, s, n, flags) != n) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

void
hark_json_fast_alloc(void)
{
	if (!HARK_ASAN)
		json_set_alloc_funcs(fa_malloc, fa_release);
}
