/* token.c - tokeniser for social-media text (words, emoji, emoticons). */
#include <utf8proc.h>
#include "text.h"
#include "token.h"

/*
 * Emoticons, longest first within each leading character so the first
 * match is the longest.  A trailing letter or digit must not run on into
 * a word; one that starts with a letter must also start a word.  A new
 * first character (or, after a letter, second character) goes into
 * emoticon_start(), and a new first letter into hark_tok_next()'s
 * shortcut for words too.
 */
static const char *const emoticons[] = {
	">:-(", ">:(", ">:-)", ">:)",
	":'-(", ":'-)", ":'(", ":')",
	":-)", ":-(", ":-D", ":-P", ":-p", ":-/", ":-\\", ":-|", ":-*",
	":-O", ":-o", ":-S", ":-s", ":-[", ":-]", ":-@", ":-c", ":-}",
	":o)", ":)", ":(", ":D", ":P", ":p", ":/", ":\\", ":|", ":*", ":O",
	":o", ":S", ":s", ":[", ":]", ":@", ":c", ":3", ":}", ":>", ":<",
	":-d", ":d",
	";-)", ";-(", ";-D", ";-P", ";-p", ";-d", ";)", ";(", ";D", ";P", ";p",
	";d", ";>", ";]", ";*", ";/", ";c",
	";_;", "=)", "=(", "=D", "=P", "=/", "=]", "=[",
	"</3", "<3",
	"^_^", "^.^", "^^",
	"-_-", "-.-",
	"T_T", "T.T", "o_O", "O_o", "o.O", "O.o", "o_o", "O_O",
	"xD", "XD", "xd", "xP", "XP",
	"8-)",
	"\\o/",
	"*.*",
	NULL
};

void
hark_tok_init(struct hark_tokenizer *t, const char *s, size_t len)
{
	t->s = s;
	t->len = len;
	t->pos = 0;
}

static inline int
is_space_cp(int32_t cp)
{
	if (cp < 0x80)		/* ASCII: the usual case, one test */
		return cp == ' ' || (cp >= '\t' && cp <= '\r');
	return cp == 0xa0 ||
	    (cp >= 0x2000 && cp <= 0x200b) || cp == 0x202f ||
	    cp == 0x205f || cp == 0x3000 || cp == 0xfeff || cp == 0x2028 ||
	    cp == 0x2029;
}

static int
is_emoji_base(int32_t cp)
{
	return (cp >= 0x1f000 && cp <= 0x1faff) ||
	    (cp >= 0x2600 && cp <= 0x27bf) || (cp >= 0x2300 && cp <= 0x23ff) ||
	    (cp >= 0x2b00 && cp <= 0x2bff) || cp == 0x3030 || cp == 0x303d ||
	    cp == 0x3297 || cp == 0x3299 || cp == 0x203c || cp == 0x2049 ||
	    cp == 0x2139 || (cp >= 0x2194 && cp <= 0x21aa) || cp == 0x24c2 ||
	    (cp >= 0x25aa && cp <= 0x25fe) || cp == 0x2934 || cp == 0x2935;
}

static int
is_modifier(int32_t cp)
{
	return cp == 0xfe0f || cp == 0xfe0e || (cp >= 0x1f3fb &&
	    cp <= 0x1f3ff) || cp == 0x20e3 || (cp >= 0xe0020 &&
	    cp <= 0xe007f);
}

static int
is_regional(int32_t cp)
{
	return cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

/* Code point at position P or -1 at the end; *N gets its length. */
static inline int32_t
cp_at(const struct hark_tokenizer *t, size_t p, size_t *n)
{
	int32_t cp;

	if (p >= t->len) {
		if (n != NULL)
			*n = 0;
		return -1;
	}
	if ((unsigned char)t->s[p] < 0x80) {	/* ASCII, without a call */
		if (n != NULL)
			*n = 1;
		return (unsigned char)t->s[p];
	}
	if (n != NULL)
		*n = hark_utf8_next(t->s + p, t->len - p, &cp);
	else
		hark_utf8_next(t->s + p, t->len - p, &cp);
	return cp;
}

/* The code point ending just before P, or -1. */
static int32_t
cp_before(const struct hark_tokenizer *t, size_t p)
{
	size_t s = p;
	int32_t cp;

	if (p == 0)
		return -1;
	do
		s--;
	while (s > 0 && p - s < 4 && ((unsigned char)t->s[s] & 0xc0) == 0x80);
	hark_utf8_next(t->s + s, p - s, &cp);
	return cp;
}

static inline int
is_word(int32_t cp)
{
	if (cp < 0x80)		/* ASCII (and -1, the end): no call */
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_';
	return hark_text_is_word_cp(cp);
}

static int
is_digit(int32_t cp)
{
	return cp >= '0' && cp <= '9';
}

static int
is_apos(int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02bc;
}

static int
ascii_prefix_ci(const char *s, size_t len, const char *pfx)
{
	size_t i;

	for (i = 0; pfx[i] != '\0'; i++) {
		int c;

		if (i >= len)
			return 0;
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != pfx[i])
			return 0;
	}
	return 1;
}

static int
try_url(struct hark_tokenizer *t, struct hark_token *tok)
{
	size_t p = t->pos, end;
	const char *s = t->s + p;
	size_t rest = t->len - p;

	if (!ascii_prefix_ci(s, rest, "http://") &&
	    !ascii_prefix_ci(s, rest, "https://") &&
	    !ascii_prefix_ci(s, rest, "www."))
		return 0;
	if (is_word(cp_before(t, p)))
		return 0;
	end = p;
	while (end < t->len) {
		size_t n;
		int32_t cp = cp_at(t, end, &n);

		if (is_space_cp(cp))
			break;
		end += n;
	}
	/* trailing punctuation belongs to the sentence, not the URL */
	while (end > p + 4 && strchr(".,;:!?)]\"'", t->s[end - 1]) != NULL)
		end--;
	tok->type = HARK_TOK_URL;
	tok->off = p;
	tok->len = end - p;
	tok->flags = HARK_TOK_ASCII;
	t->pos = end;
	return 1;
}

static int
try_emoticon(struct hark_tokenizer *t, struct hark_token *tok)
{
	const char *s = t->s + t->pos;
	size_t rest = t->len - t->pos;
	size_t i;

	for (i = 0; emoticons[i] != NULL; i++) {
		const char *e = emoticons[i];
		size_t n, end;
		unsigned char last;
		int rep = 1;
		int32_t next;

		if (e[0] != s[0])
			continue;
		n = strlen(e);
		if (n > rest || memcmp(s, e, n) != 0)
			continue;
		/* xD, T_T, o_O: letters must start a word */
		if (((e[0] >= 'a' && e[0] <= 'z') || (e[0] >= 'A' &&
		    e[0] <= 'Z') || e[0] == '-' || e[0] == '\\') &&
		    is_word(cp_before(t, t->pos)))
			continue;
		last = (unsigned char)e[n - 1];
		end = t->pos + n;
		/* ":)))", ":DDD", "xDDD", "<333" */
		if (strchr(")(D]3d", last) != NULL)
			while (end < t->len && (unsigned char)t->s[end] == last) {
				end++;
				rep++;
			}
		next = cp_at(t, end, NULL);
		if (((last >= 'a' && last <= 'z') || (last >= 'A' &&
		    last <= 'Z') || (last >= '0' && last <= '9')) &&
		    is_word(next))
			continue;
		/* "<30 min" is not a heart */
		if (last == '3' && is_digit(next))
			continue;
		/* "f(x):" and "a:b" are not emoticons; ":/" in "a:/b" */
		if ((e[0] == ':' || e[0] == '=') && is_digit(cp_before(t,
		    t->pos)) && is_digit(next))
			continue;
		tok->type = HARK_TOK_EMOTICON;
		tok->off = t->pos;
		tok->len = end - t->pos;
		tok->flags = HARK_TOK_ASCII;
		tok->repeat = rep;
		t->pos = end;
		return 1;
	}
	return 0;
}

/* Whether an emoticon in the list may start with CP followed by the
 * byte NEXT (0 at the end) (a switch, not strchr: this is asked for
 * every token).  Those starting with a letter ("T_T", "o.O", "xD", "XP")
 * have '_', '.', 'D', 'd' or 'P' second: words starting with these
 * letters are not looked up in the whole list. */
static int
emoticon_start(int32_t cp, unsigned char next)
{
	switch (cp) {
	case ':': case ';': case '=': case '<': case '^': case '-': case '8':
	case '\\': case '>': case '*':
		return 1;
	case 'T': case 'o': case 'O': case 'x': case 'X':
		return next == '_' || next == '.' || next == 'D' ||
		    next == 'd' || next == 'P';
	default:
		return 0;
	}
}

static int
try_emoji(struct hark_tokenizer *t, struct hark_token *tok)
{
	size_t p = t->pos, n;
	int32_t cp = cp_at(t, p, &n);

	if (is_regional(cp)) {
		size_t n2;
		int32_t cp2 = cp_at(t, p + n, &n2);

		tok->type = HARK_TOK_EMOJI;
		tok->off = p;
		tok->len = n + (is_regional(cp2) ? n2 : 0);
		tok->flags = 0;
		t->pos = p + tok->len;
		return 1;
	}
	if ((cp >= '0' && cp <= '9') || cp == '#' || cp == '*') {
		/* keycap: 1 FE0F 20E3 or 1 20E3 */
		size_t q = p + 1, m;
		int32_t c2 = cp_at(t, q, &m);

		if (c2 == 0xfe0f) {
			q += m;
			c2 = cp_at(t, q, &m);
		}
		if (c2 != 0x20e3)
			return 0;
		tok->type = HARK_TOK_EMOJI;
		tok->off = p;
		tok->len = q + m - p;
		tok->flags = 0;
		t->pos = q + m;
		return 1;
	}
	if (!is_emoji_base(cp) && !(cp >= 0x1f3fb && cp <= 0x1f3ff))
		return 0;
	p += n;
	for (;;) {
		cp = cp_at(t, p, &n);
		if (cp >= 0 && is_modifier(cp)) {
			p += n;
			continue;
		}
		if (cp == 0x200d) {
			size_t m;
			int32_t c2 = cp_at(t, p + n, &m);

			if (c2 >= 0 && (is_emoji_base(c2) || c2 == 0x2640 ||
			    c2 == 0x2642)) {
				p += n + m;
				continue;
			}
		}
		break;
	}
	tok->type = HARK_TOK_EMOJI;
	tok->off = t->pos;
	tok->len = p - t->pos;
	tok->flags = 0;
	t->pos = p;
	return 1;
}

static void
scan_word(struct hark_tokenizer *t, struct hark_token *tok)
{
	size_t p = t->pos, n;
	int32_t cp, prev = -1;
	int run = 0, upper = 0, lower = 0, ascii = 1, elong = 0;

	for (;;) {
		/* ASCII letters, digits and '_' without decoding: the same
		 * steps as below for a one-byte code point */
		const unsigned char *s = (const unsigned char *)t->s;
		size_t len = t->len;

		while (p < len) {
			unsigned char c = s[p];

			if ((unsigned)(c - 'a') < 26)
				lower++;
			else if ((unsigned)(c - 'A') < 26)
				upper++;
			else if ((unsigned)(c - '0') >= 10 && c != '_')
				break;
			if ((int32_t)c != prev)
				run = 1;
			else if (++run >= 3 && !is_digit(c))
				elong = 1;
			prev = c;
			p++;
		}
		cp = cp_at(t, p, &n);
		if (is_apos(cp) && prev >= 0) {
			size_t m;
			int32_t c2 = cp_at(t, p + n, &m);

			if (is_word(c2) && !is_digit(c2)) {
				if (cp != '\'')
					ascii = 0;
				p += n;
				prev = cp;
				run = 0;
				continue;
			}
			break;
		}
		if (!is_word(cp))
			break;
		if (cp >= 0x80)
			ascii = 0;
		if (cp >= 'A' && cp <= 'Z')
			upper++;
		else if (cp >= 'a' && cp <= 'z')
			lower++;
		else if (cp >= 0x80) {
			utf8proc_category_t c = utf8proc_category(cp);

			if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
				upper++;
			else if (c == UTF8PROC_CATEGORY_LL)
				lower++;
		}
		run = cp == prev ? run + 1 : 1;
		if (run >= 3 && !is_digit(cp))
			elong = 1;
		prev = cp;
		p += n;
	}
	tok->type = HARK_TOK_WORD;
	tok->off = t->pos;
	tok->len = p - t->pos;
	tok->flags = (ascii ? HARK_TOK_ASCII : 0) |
	    (upper > 0 ? HARK_TOK_UPPER : 0) |
	    (upper + lower >= 2 && lower == 0 ? HARK_TOK_CAPS : 0) |
	    (elong ? HARK_TOK_ELONGATED : 0);
	t->pos = p;
}

static void
scan_number(struct hark_tokenizer *t, struct hark_token *tok)
{
	size_t p = t->pos;

	while (p < t->len) {
		char c = t->s[p];

		if (c >= '0' && c <= '9')
			p++;
		else if ((c == '.' || c == ',' || c == ':') && p + 1 < t->len &&
		    t->s[p + 1] >= '0' && t->s[p + 1] <= '9')
			p++;
		else
			break;
	}
	tok->type = HARK_TOK_NUMBER;
	tok->off = t->pos;
	tok->len = p - t->pos;
	tok->flags = HARK_TOK_ASCII;
	t->pos = p;
}

int
hark_tok_next(struct hark_tokenizer *t, struct hark_token *tok)
{
	size_t n;
	int32_t cp;

	*tok = (struct hark_token){ .off = 0 };
	for (;;) {
		cp = cp_at(t, t->pos, &n);
		if (cp < 0)
			return 0;
		if (!is_space_cp(cp))
			break;
		t->pos += n;
	}
	/* an ASCII letter that starts no URL ("http", "www.") and no
	 * emoticon ("T_T", "o.O", "xD") starts a word: most tokens */
	if (cp < 0x80 && (unsigned)((cp | 0x20) - 'a') < 26) {
		switch (cp) {
		case 'h': case 'H': case 'w': case 'W': case 'T': case 'o':
		case 'O': case 'x': case 'X':
			break;
		default:
			scan_word(t, tok);
			return 1;
		}
	}
	if (cp == 'h' || cp == 'H' || cp == 'w' || cp == 'W')
		if (try_url(t, tok))
			return 1;
	if (emoticon_start(cp, t->pos + 1 < t->len ?
	    (unsigned char)t->s[t->pos + 1] : 0) && try_emoticon(t, tok))
		return 1;
	if ((cp == '@' || cp == '#') && !is_word(cp_before(t, t->pos))) {
		size_t m;
		int32_t c2 = cp_at(t, t->pos + 1, &m);

		if (cp == '@' && c2 >= 0 && c2 < 0x80 && (is_word(c2))) {
			size_t p = t->pos + 1;

			while (p < t->len && ((unsigned char)t->s[p] < 0x80) &&
			    is_word((unsigned char)t->s[p]))
				p++;
			tok->type = HARK_TOK_MENTION;
			tok->off = t->pos;
			tok->len = p - t->pos;
			tok->flags = HARK_TOK_ASCII;
			t->pos = p;
			return 1;
		}
		if (cp == '#' && is_word(c2) && !is_digit(c2)) {
			size_t p = t->pos + 1;

			for (;;) {
				int32_t c3 = cp_at(t, p, &m);

				if (!is_word(c3))
					break;
				p += m;
			}
			tok->type = HARK_TOK_HASHTAG;
			tok->off = t->pos;
			tok->len = p - t->pos;
			t->pos = p;
			return 1;
		}
	}
	/* an emoji never starts with an ASCII letter */
	if (!(cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) &&
	    try_emoji(t, tok))
		return 1;
	if (is_digit(cp)) {
		scan_number(t, tok);
		return 1;
	}
	if (is_word(cp)) {
		scan_word(t, tok);
		return 1;
	}
	if (cp == '!' || cp == '?') {
		size_t p = t->pos;

		tok->type = HARK_TOK_PUNCT;
		tok->off = p;
		tok->ch = (int)cp;
		tok->flags = HARK_TOK_ASCII;
		while (p < t->len && (t->s[p] == '!' || t->s[p] == '?')) {
			if (t->s[p] == '!')
				tok->bangs++;
			else
				tok->questions++;
			p++;
		}
		tok->len = p - t->pos;
		t->pos = p;
		return 1;
	}
	if (cp < 0x80 && cp > ' ') {
		size_t p = t->pos;

		while (p < t->len && t->s[p] == (char)cp)
			p++;
		tok->type = HARK_TOK_PUNCT;
		tok->off = t->pos;
		tok->len = p - t->pos;
		tok->ch = (int)cp;
		tok->flags = HARK_TOK_ASCII;
		t->pos = p;
		return 1;
	}
	if (cp == 0x2026) {	/* ellipsis */
		tok->type = HARK_TOK_PUNCT;
		tok->ch = '.';
	} else {
		tok->type = HARK_TOK_SYMBOL;
		tok->ch = (int)cp;
	}
	tok->off = t->pos;
	tok->len = n;
	t->pos += n;
	return 1;
}

/* Classes of the code points of a hashtag (hark_tok_hashtag_parts). */
enum { HC_SEP, HC_DIGIT, HC_UPPER, HC_LOWER, HC_OTHER, HC_MARK };

static int
hashtag_class(int32_t cp)
{
	if (cp < 0x80) {
		if (cp >= 'a' && cp <= 'z')
			return HC_LOWER;
		if (cp >= 'A' && cp <= 'Z')
			return HC_UPPER;
		return is_digit(cp) ? HC_DIGIT : HC_SEP;	/* '_' */
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
		return HC_UPPER;
	case UTF8PROC_CATEGORY_LL:
		return HC_LOWER;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return HC_MARK;
	default:	/* letters without case, other digits */
		return HC_OTHER;
	}
}

/* The classes of the next two letters or digits from S+I (marks skipped;
 * HC_SEP past the end). */
static void
hashtag_next2(const char *s, size_t len, size_t i, int *c1, int *c2)
{
	int got = 0;

	*c1 = *c2 = HC_SEP;
	while (i < len && got < 2) {
		int32_t cp;
		int c;

		i += hark_utf8_next(s + i, len - i, &cp);
		if ((c = hashtag_class(cp)) == HC_MARK)
			continue;
		if (got++ == 0)
			*c1 = c;
		else
			*c2 = c;
		if (c == HC_SEP)
			break;
	}
}

/* Store S[A..B) as part N of PARTS (or, at MAX, the last part up to B). */
static void
hashtag_part(const char *s, size_t a, size_t b, struct hark_token *parts,
    size_t *n, size_t max)
{
	struct hark_token *p;
	size_t i;
	int32_t cp, prev = -1;
	int upper = 0, lower = 0, digits = 0, other = 0, run = 0, elong = 0;
	int ascii = 1;

	if (*n == max) {
		p = &parts[*n - 1];
		a = p->off;
	} else
		p = &parts[(*n)++];
	*p = (struct hark_token){ .off = a, .len = b - a };
	for (i = a; i < b;) {
		size_t k = hark_utf8_next(s + i, b - i, &cp);

		switch (hashtag_class(cp)) {
		case HC_UPPER: upper++; break;
		case HC_LOWER: lower++; break;
		case HC_DIGIT: digits++; break;
		default: other++; break;
		}
		if (cp >= 0x80)
			ascii = 0;
		run = cp == prev ? run + 1 : 1;
		if (run >= 3 && !is_digit(cp))
			elong = 1;
		prev = cp;
		i += k;
	}
	p->type = upper + lower + other == 0 && digits > 0 ? HARK_TOK_NUMBER :
	    HARK_TOK_WORD;
	p->flags = HARK_TOK_PART | (ascii ? HARK_TOK_ASCII : 0) |
	    (upper > 0 ? HARK_TOK_UPPER : 0) |
	    (upper + lower >= 2 && lower == 0 ? HARK_TOK_CAPS : 0) |
	    (elong ? HARK_TOK_ELONGATED : 0);
}

size_t
hark_tok_hashtag_parts(const char *s, size_t len, struct hark_token *parts,
    size_t max)
{
	size_t i = 0, n = 0, start = SIZE_MAX;
	int prev = HC_SEP;	/* the last letter or digit of the part */

	if (max == 0)
		return 0;
	while (i < len) {
		int32_t cp;
		size_t k = hark_utf8_next(s + i, len - i, &cp);
		int c = hashtag_class(cp), cut = 0;

		if (c == HC_MARK) {	/* stays with its letter */
			if (start == SIZE_MAX)
				start = i;
			i += k;
			continue;
		}
		if (c == HC_SEP) {
			if (start != SIZE_MAX)
				hashtag_part(s, start, i, parts, &n, max);
			start = SIZE_MAX;
			prev = HC_SEP;
			i += k;
			continue;
		}
		if (start != SIZE_MAX) {
			int c1, c2;

			if ((c == HC_DIGIT) != (prev == HC_DIGIT))
				cut = 1;	/* "Top|10", "2016|Election" */
			else if (c == HC_UPPER && prev == HC_LOWER)
				cut = 1;	/* "Never|Again" */
			else if (c == HC_UPPER && prev == HC_UPPER) {
				/* "NYC|Marathon", but not "DVD|s" */
				hashtag_next2(s, len, i + k, &c1, &c2);
				cut = c1 == HC_LOWER && !(s[i + k] == 's' &&
				    c2 != HC_LOWER);
			}
		}
		if (cut) {
			hashtag_part(s, start, i, parts, &n, max);
			start = i;
		}
		if (start == SIZE_MAX)
			start = i;
		prev = c;
		i += k;
	}
	if (start != SIZE_MAX)
		hashtag_part(s, start, len, parts, &n, max);
	return n;
}

size_t
hark_tok_emoji_key(const char *s, size_t len, int first, char *out,
    size_t outsz)
{
	size_t i = 0, o = 0;

	if (outsz == 0)
		return 0;
	while (i < len) {
		int32_t cp;
		size_t n = hark_utf8_next(s + i, len - i, &cp);

		if (cp == 0x200d && first)
			break;
		if (cp == 0xfe0f || cp == 0xfe0e || (cp >= 0x1f3fb &&
		    cp <= 0x1f3ff && i > 0)) {
			i += n;
			continue;
		}
		if (o + n >= outsz)
			break;
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return o;
}

const char *
hark_tok_type_name(enum hark_tok_type type)
{
	switch (type) {
	case HARK_TOK_WORD: return "word";
	case HARK_TOK_NUMBER: return "number";
	case HARK_TOK_EMOJI: return "emoji";
	case HARK_TOK_EMOTICON: return "emoticon";
	case HARK_TOK_URL: return "url";
	case HARK_TOK_MENTION: return "mention";
	case HARK_TOK_HASHTAG: return "hashtag";
	case HARK_TOK_PUNCT: return "punct";
	case HARK_TOK_SYMBOL: return "symbol";
	}
	return "?";
}
