/* pii.c - personal-data detectors (see pii.h for the table). */
#include <ctype.h>
#include "pii.h"
#include "utf8.h"

const char hark_pii_default_order_pattern[] =
    "(?:\\b(?:order|orders|zam[oó]wieni(?:e|a|u|em)|zam\\.|"
    "objedn[aá]v(?:ka|ky|ku|ce|kou)|obj\\.|ref(?:erence)?|tracking)\\b"
    "(?:\\s*+(?:no|nr|number|numer|č|c|číslo|cislo|id)\\b\\.?)?"
    "\\s*+[:#]?\\s*+"
    "|#\\s?)"
    "([A-Z]{0,4}-?\\d[\\d-]{3,}\\d)\\b";

static const char *const names[HARK_PII_NKINDS] = {
	"iban", "card", "pesel", "birth_number", "order", "phone", "email"
};

const char *
hark_pii_name(enum hark_pii_kind kind)
{
	return (unsigned)kind < HARK_PII_NKINDS ? names[kind] : NULL;
}

int
hark_pii_kind_from_name(const char *name)
{
	int i;

	for (i = 0; i < HARK_PII_NKINDS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
hark_pii_init(struct hark_pii *p, const char *pat, struct hark_err *err)
{
	int ec;
	PCRE2_SIZE off;

	memset(p, 0, sizeof(*p));
	p->enabled = (1u << HARK_PII_NKINDS) - 1;
	if (pat == NULL)
		pat = hark_pii_default_order_pattern;
	p->builtin = strcmp(pat, hark_pii_default_order_pattern) == 0;
	if (*pat == '\0') {
		p->enabled &= ~(1u << HARK_PII_ORDER);
		return 0;
	}
	p->order_re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS |
	    (p->builtin ? PCRE2_USE_OFFSET_LIMIT : 0), &ec, &off, NULL);
	if (p->order_re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof(msg));
		return hark_err_setl(err, HARK_EXIT_USAGE, 0, (long)off + 1,
		    "invalid order-number pattern: %s", (const char *)msg);
	}
	/* valgrind cannot follow PCRE2 JIT code (its wide reads
	 * look out of bounds): HARK_NO_JIT=1 for memcheck runs */
	if (getenv("HARK_NO_JIT") == NULL)
		pcre2_jit_compile(p->order_re, PCRE2_JIT_COMPLETE);
	p->md = pcre2_match_data_create_from_pattern(p->order_re, NULL);
	p->mctx = pcre2_match_context_create(NULL);
	if (p->md == NULL || p->mctx == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	pcre2_set_match_limit(p->mctx, HARK_PII_MATCH_LIMIT);
	return 0;
}

void
hark_pii_release(struct hark_pii *p)
{
	if (p->md)
		pcre2_match_data_free(p->md);
	if (p->mctx)
		pcre2_match_context_free(p->mctx);
	if (p->order_re)
		pcre2_code_free(p->order_re);
	free(p->cand);
	free(p->found);
	free(p->taken);
	memset(p, 0, sizeof(*p));
}

/* ---- validators ---- */

static int
all_digits(const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)d[i]))
			return 0;
	return 1;
}

static int
num2(const char *d)
{
	return (d[0] - '0') * 10 + (d[1] - '0');
}

static int
valid_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

int
hark_pii_pesel_ok(const char *d, size_t n)
{
	static const int w[] = { 1, 3, 7, 9, 1, 3, 7, 9, 1, 3 };
	int sum = 0, i, yy, mm, century;

	if (n != 11 || !all_digits(d, n))
		return 0;
	for (i = 0; i < 10; i++)
		sum += (d[i] - '0') * w[i];
	if ((10 - sum % 10) % 10 != d[10] - '0')
		return 0;
	yy = num2(d);
	mm = num2(d + 2);
	switch (mm / 20) {
	case 0: century = 1900; break;
	case 1: century = 2000; break;
	case 2: century = 2100; break;
	case 3: century = 2200; break;
	default: century = 1800; break;
	}
	return valid_date(century + yy, mm % 20, num2(d + 4));
}

int
hark_pii_birth_number_ok(const char *d, size_t n)
{
	int yy, mm, dd, year;

	if ((n != 9 && n != 10) || !all_digits(d, n))
		return 0;
	yy = num2(d);
	mm = num2(d + 2);
	dd = num2(d + 4);
	if (mm > 70)
		mm -= 70;	/* women, extra series since 2004 */
	else if (mm > 50)
		mm -= 50;	/* women */
	else if (mm > 20)
		mm -= 20;	/* men, extra series since 2004 */
	if (n == 9) {
		if (yy >= 54)
			return 0;	/* 9 digits only before 1954 */
		year = 1900 + yy;
	} else {
		long long v = 0, first9 = 0;
		size_t i;

		year = yy >= 54 ? 1900 + yy : 2000 + yy;
		for (i = 0; i < 10; i++)
			v = v * 10 + (d[i] - '0');
		first9 = v / 10;
		if (v % 11 != 0 && !(first9 % 11 == 10 && d[9] == '0'))
			return 0;
	}
	return valid_date(year, mm, dd);
}

int
hark_pii_luhn_ok(const char *d, size_t n)
{
	int sum = 0, dbl = 0;
	size_t i;

	if (n < 2 || !all_digits(d, n))
		return 0;
	for (i = n; i-- > 0; ) {
		int v = d[i] - '0';

		if (dbl && (v *= 2) > 9)
			v -= 9;
		sum += v;
		dbl = !dbl;
	}
	return sum % 10 == 0;
}

static int
iban_country_len(const char *cc)
{
	static const struct { char cc[3]; int len; } t[] = {
		{ "AD", 24 }, { "AE", 23 }, { "AT", 20 }, { "BE", 16 },
		{ "BG", 22 }, { "CH", 21 }, { "CY", 28 }, { "CZ", 24 },
		{ "DE", 22 }, { "DK", 18 }, { "EE", 20 }, { "ES", 24 },
		{ "FI", 18 }, { "FR", 27 }, { "GB", 22 }, { "GR", 27 },
		{ "HR", 21 }, { "HU", 28 }, { "IE", 22 }, { "IS", 26 },
		{ "IT", 27 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 },
		{ "LV", 21 }, { "MC", 27 }, { "MT", 31 }, { "NL", 18 },
		{ "NO", 15 }, { "PL", 28 }, { "PT", 25 }, { "RO", 24 },
		{ "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 },
		{ "TR", 26 }, { "UA", 29 }
	};
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(t); i++)
		if (toupper((unsigned char)cc[0]) == t[i].cc[0] &&
		    toupper((unsigned char)cc[1]) == t[i].cc[1])
			return t[i].len;
	return 0;
}

int
hark_pii_iban_ok(const char *s, size_t n)
{
	unsigned long r = 0;
	size_t i;
	int want;

	if (n < 15 || n > 34 || !isalpha((unsigned char)s[0]) ||
	    !isalpha((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
	    !isdigit((unsigned char)s[3]))
		return 0;
	want = iban_country_len(s);
	if (want && (size_t)want != n)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[(i + 4) % n];

		if (isdigit(c))
			r = (r * 10 + (unsigned long)(c - '0')) % 97;
		else if (isalpha(c))
			r = (r * 100 + (unsigned long)(toupper(c) - 'A' +
			    10)) % 97;
		else
			return 0;
	}
	return r == 1;
}

/* ---- scanning ---- */

struct cands {
	struct hark_pii_match **m;	/* the array in struct hark_pii */
	size_t *n, *a;
};

static void
cand_add(struct cands *c, enum hark_pii_kind k, size_t off, size_t len)
{
	struct hark_pii_match *m;

	if (*c->n == *c->a) {
		*c->a = *c->a ? *c->a * 2 : 16;
		*c->m = hark_xrealloc(*c->m, *c->a * sizeof(**c->m));
	}
	m = &(*c->m)[(*c->n)++];
	m->kind = k;
	m->off = off;
	m->len = len;
}

static int
is_alnum_at(const char *t, size_t len, size_t i)
{
	return i < len && isalnum((unsigned char)t[i]);
}

/* Letters before I that are part of a word (ASCII or UTF-8). */
/*
 * Where the detectors start looking: the first byte at or after I that is
 * an ASCII digit (SKIP_DIGIT), also '+' (SKIP_DIGIT_PLUS), or one for
 * which maybe_digit() holds (SKIP_MAYBE); LEN when none.  Eight bytes at
 * a time: a word with no byte that can qualify is skipped whole.
 */
enum skip_mode { SKIP_DIGIT, SKIP_DIGIT_PLUS, SKIP_MAYBE };

static int maybe_digit(unsigned char c);

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* a byte of X in 48..57 ('0'-'9') sets its high bit; none: 0 (exact) */
#define HAS_DIGIT(x) ((ONES * (127 + 58) - ((x) & ONES * 127)) & ~(x) & \
	(((x) & ONES * 127) + ONES * (127 - 47)) & HIGHS)
#define HAS_ZERO(x) (((x) - ONES) & ~(x) & HIGHS)

static int
skip_match(enum skip_mode mode, unsigned char c)
{
	if (mode == SKIP_MAYBE)
		return maybe_digit(c);
	return (c >= '0' && c <= '9') || (mode == SKIP_DIGIT_PLUS && c == '+');
}

static size_t
skip_to(const char *t, size_t i, size_t len, enum skip_mode mode)
{
	for (;;) {
		size_t end;

		while (i + 8 <= len) {
			uint64_t w, m;

			memcpy(&w, t + i, 8);
			m = HAS_DIGIT(w);
			if (mode == SKIP_DIGIT_PLUS)
				m |= HAS_ZERO(w ^ ONES * '+');
			else if (mode == SKIP_MAYBE)
				/* bytes from 0xd9 up (the lead bytes of
				 * other digits; Latin letters' are below):
				 * the high bit, and 0x59 or more in the low
				 * seven, whose sum with 0x27 cannot carry */
				m |= ((w & ~HIGHS) + ONES * 0x27) & w & HIGHS;
			if (m)
				break;
			i += 8;
		}
		end = i + 8 < len ? i + 8 : len;
		for (; i < end; i++)
			if (skip_match(mode, (unsigned char)t[i]))
				return i;
		if (i >= len)
			return len;
	}
}

static int
word_before(const char *t, size_t i)
{
	if (i == 0)
		return 0;
	return isalnum((unsigned char)t[i - 1]) || (unsigned char)t[i - 1] >=
	    0x80;
}

static void
scan_email(const char *t, size_t len, struct cands *c)
{
	const char *at = t, *end = t + len;

	while ((at = memchr(at, '@', (size_t)(end - at))) != NULL) {
		const char *l = at, *r = at + 1, *dot = NULL;
		size_t tld = 0;

		while (l > t && (isalnum((unsigned char)l[-1]) ||
		    strchr("._%+-", l[-1]) != NULL))
			l--;
		while (l < at && *l == '.')
			l++;
		while (r < end && (isalnum((unsigned char)*r) || *r == '-' ||
		    *r == '.'))
			r++;
		while (r > at + 1 && (r[-1] == '.' || r[-1] == '-'))
			r--;
		for (dot = r; dot > at + 1 && dot[-1] != '.'; dot--)
			tld++;
		if (l < at && dot > at + 2 && tld >= 2) {
			size_t k;
			int letters = 1;

			for (k = 0; k < tld; k++)
				if (!isalpha((unsigned char)dot[k]))
					letters = 0;
			if (letters)
				cand_add(c, HARK_PII_EMAIL, (size_t)(l - t),
				    (size_t)(r - l));
		}
		at = r > at ? r : at + 1;
	}
}

static void
scan_iban(const char *t, size_t len, struct cands *c)
{
	size_t i;

	for (i = 0; i + 15 <= len; i++) {
		char buf[40];
		size_t j, n = 0, lastend;

		if ((unsigned char)(t[i + 2] - '0') > 9) {
			/* on to the next digit two bytes in */
			i = skip_to(t, i + 2, len, SKIP_DIGIT) - 2;
			if (i + 15 > len)
				break;
		}
		j = lastend = i;
		/* two letters and two digits: look for the digits first,
		 * the rarer bytes (isdigit is '0'-'9' in every locale) */
		if ((unsigned char)(t[i + 2] - '0') > 9 ||
		    (unsigned char)(t[i + 3] - '0') > 9 ||
		    !isalpha((unsigned char)t[i]) ||
		    !isalpha((unsigned char)t[i + 1]) || word_before(t, i))
			continue;
		while (j < len && n < 34) {
			if (isalnum((unsigned char)t[j])) {
				buf[n++] = t[j++];
				lastend = j;
				/* try every prefix ending at a group end */
				if ((j == len ||
				    !isalnum((unsigned char)t[j])) &&
				    hark_pii_iban_ok(buf, n)) {
					cand_add(c, HARK_PII_IBAN, i,
					    lastend - i);
					break;
				}
			} else if (t[j] == ' ' && j + 1 < len &&
			    isalnum((unsigned char)t[j + 1]))
				j++;
			else
				break;
		}
	}
}

/* A run of digit groups: "+48 600-123-456", "44051401359". */
struct group {
	size_t dstart;		/* index of its first digit in the run */
	size_t bstart, bend;	/* bytes in the text */
};

static int
phone_ok(const char *d, size_t n, int plus)
{
	if (plus) {
		if (n >= 2 && memcmp(d, "48", 2) == 0)
			return n == 11;
		if (n >= 3 && memcmp(d, "420", 3) == 0)
			return n == 12;
		return n >= 8 && n <= 15 && d[0] != '0';
	}
	if (n == 13 && memcmp(d, "0048", 4) == 0)
		return 1;
	if (n == 14 && memcmp(d, "00420", 5) == 0)
		return 1;
	return n == 9 && d[0] != '0';
}

/*
 * Classify digits D[0..N) spanning bytes [BS, BE).  PLAIN: written as one
 * run of digits; SLASH6: as six digits, '/', the rest.  Identity numbers
 * are never written in groups, so they need one of those two forms (a
 * date and a time such as "2025-03-01 12" must not pass as one).
 */
static int
classify(const char *d, size_t n, int plus, int plain, int slash6,
    size_t bs, size_t be, struct cands *c)
{
	char b[40];

	if (!plus && plain && n == 11 && hark_pii_pesel_ok(d, n)) {
		cand_add(c, HARK_PII_PESEL, bs, be - bs);
		return 1;
	}
	if (!plus && ((n == 10 && (plain || slash6) &&
	    hark_pii_birth_number_ok(d, n)) ||
	    (n == 9 && slash6 && hark_pii_birth_number_ok(d, n)))) {
		cand_add(c, HARK_PII_BIRTH_NUMBER, bs, be - bs);
		return 1;
	}
	if (!plus && n >= 13 && n <= 19 && d[0] >= '2' && d[0] <= '6' &&
	    hark_pii_luhn_ok(d, n)) {
		cand_add(c, HARK_PII_CARD, bs, be - bs);
		return 1;
	}
	if (!plus && n == 26) {
		b[0] = 'P';
		b[1] = 'L';
		memcpy(b + 2, d, n);
		if (hark_pii_iban_ok(b, n + 2)) {
			cand_add(c, HARK_PII_IBAN, bs, be - bs);
			return 1;
		}
	}
	if (phone_ok(d, n, plus)) {
		cand_add(c, HARK_PII_PHONE, bs, be - bs);
		return 1;
	}
	return 0;
}

static void
scan_digits(const char *t, size_t len, struct cands *c)
{
	size_t i = 0;

	while (i < len) {
		struct group g[24];
		char d[64];
		size_t ng = 0, nd = 0, j, a, b;
		int plus = 0;

		if ((unsigned char)(t[i] - '0') > 9 && t[i] != '+') {
			/* the common case, without ctype calls */
			i = skip_to(t, i + 1, len, SKIP_DIGIT_PLUS);
			continue;
		}
		if (!(isdigit((unsigned char)t[i]) || (t[i] == '+' &&
		    i + 1 < len && isdigit((unsigned char)t[i + 1]))) ||
		    word_before(t, i)) {
			i++;
			continue;
		}
		j = i;
		if (t[j] == '+') {
			plus = 1;
			j++;
		}
		for (;;) {
			size_t s = j;

			while (j < len && isdigit((unsigned char)t[j]) &&
			    nd < sizeof(d))
				d[nd++] = t[j++];
			if (ng < HARK_ARRAY_SIZE(g)) {
				g[ng].dstart = nd - (j - s);
				g[ng].bstart = s;
				g[ng++].bend = j;
			}
			/* separator: up to two of " -./()" then a digit */
			{
				size_t k = j, ns = 0;

				while (k < len && ns < 2 &&
				    strchr(" -./()", t[k]) != NULL &&
				    t[k] != '\0') {
					k++;
					ns++;
				}
				if (ns == 0 || k >= len ||
				    !isdigit((unsigned char)t[k]) ||
				    nd >= sizeof(d) ||
				    ng >= HARK_ARRAY_SIZE(g))
					break;
				j = k;
			}
		}
		if (is_alnum_at(t, len, j)) {
			/* glued to letters: a code, not a number */
			while (j < len && isalnum((unsigned char)t[j]))
				j++;
			i = j;
			continue;
		}
		/* the whole run, else the longest classifiable sub-runs */
		a = 0;
		while (a < ng) {
			int found = 0;

			for (b = ng; b > a; b--) {
				size_t ds = g[a].dstart, de = g[b - 1].dstart +
				    (g[b - 1].bend - g[b - 1].bstart);
				int p = plus && a == 0;
				size_t bs = p ? i : g[a].bstart;
				int slash6 = b - a == 2 && g[a].bend -
				    g[a].bstart == 6 && t[g[a].bend] == '/' &&
				    g[a + 1].bstart == g[a].bend + 1;

				if (classify(d + ds, de - ds, p, b - a == 1,
				    slash6, bs, g[b - 1].bend, c)) {
					found = 1;
					break;
				}
			}
			a = found ? b : a + 1;
		}
		i = j;
	}
}

/*
 * May the byte C begin a decimal digit (\d with PCRE2_UCP)?  ASCII
 * digits, and the lead bytes of the two-byte sequences that encode digits
 * (U+0660-U+07FF: Arabic-Indic, extended Arabic-Indic, NKo) or of any
 * longer sequence.
 */
static int
maybe_digit(unsigned char c)
{
	return (c >= '0' && c <= '9') || c == 0xd9 || c == 0xdb ||
	    c == 0xdf || c >= 0xe0;
}

/*
 * The built-in pattern's prefix (keyword, "nr", separators, letters
 * before the number) holds at most this many ASCII bytes other than
 * white space (38, counting its caseless matches), so a match whose
 * number begins at byte D starts at most this far back, not counting
 * white space and non-ASCII bytes.
 */
#define ORDER_PREFIX_MAX 64

/*
 * Can the bytes before D end the built-in pattern's prefix?  Before a
 * number ([A-Z]{0,4}-? then the digit) comes white space, or the end of
 * a keyword or of "nr"/"č" (a letter or '.'), ':' or '#'.  A digit or
 * other punctuation there (the groups of a phone number, a price, a
 * date) cannot; a non-ASCII byte (a letter, Unicode space) may.
 */
static int
order_prefix_before(const char *t, size_t from, size_t d)
{
	size_t i = d;

	while (i > from) {
		unsigned char c = (unsigned char)t[i - 1];

		if (c == '-' || c == ' ' || (c >= '\t' && c <= '\r')) {
			i--;
			continue;
		}
		return c >= 0x80 || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '#' || c == ':' ||
		    c == '.';
	}
	return 1;	/* what came before FROM is not known here */
}

/* Where a built-in match whose number begins at D may start, not before
 * FROM (always at a character boundary). */
static size_t
window_start(const char *t, size_t from, size_t d)
{
	size_t i = d, budget = ORDER_PREFIX_MAX;

	while (i > from) {
		unsigned char c = (unsigned char)t[i - 1];

		if (c < 0x80 && c != ' ' && !(c >= '\t' && c <= '\r')) {
			if (budget == 0)
				break;
			budget--;
		}
		i--;
	}
	return i;
}

/*
 * Order numbers: one pcre2_match per match, each starting where the last
 * one ended.  The text is checked to be UTF-8 once, before the first
 * call, by hark_utf8_valid() (PCRE2's own check goes a byte at a time:
 * 3.5% of ticket-route's time on long posts), or not at all when VALID
 * (hark_pii_scan_utf8: the caller knows); only invalid UTF-8 is left to
 * the first call to report.  Without PCRE2_NO_UTF_CHECK on the others
 * PCRE2 would validate the whole text again on every call (quadratic in
 * the number of matches).
 *
 * The built-in pattern needs a number, and the digit that begins it
 * follows a non-digit (the prefix): so it is only tried around the start
 * of each run of digits, from window_start() up to that digit (an offset
 * limit), and the text between numbers is never searched.  The matches
 * are those of the plain loop, in the same order.
 *
 * -1 with ERR when a call fails (the scan ends there).
 */
static int
scan_order(struct hark_pii *p, const char *t, size_t len, struct cands *c,
    int valid, struct hark_err *err)
{
	PCRE2_SIZE start = 0;
	uint32_t opts = valid ? PCRE2_NO_UTF_CHECK : 0;
	int checked = valid;

	while (start <= len) {
		PCRE2_SIZE *ov, from = start;
		size_t s, e, d = start;
		int rc;

		if (p->builtin) {
			d = skip_to(t, d, len, SKIP_MAYBE);
			if (d >= len)
				return 0;	/* no number left */
			from = window_start(t, start, d);
			pcre2_set_offset_limit(p->mctx, d);
		}
		if (p->builtin && !order_prefix_before(t, from, d))
			rc = PCRE2_ERROR_NOMATCH;
		else {
			if (!checked) {	/* see above */
				checked = 1;
				if (hark_utf8_valid(t, len))
					opts = PCRE2_NO_UTF_CHECK;
			}
			rc = pcre2_match(p->order_re, (PCRE2_SPTR)t, len, from,
			    opts, p->md, p->mctx);
			opts = PCRE2_NO_UTF_CHECK;
		}
		if (rc == PCRE2_ERROR_NOMATCH) {
			if (!p->builtin)
				return 0;
			/* no number starts inside this run of digits */
			start = d + 1;
			while (start < len && ((unsigned char)t[start] & 0xc0) ==
			    0x80)
				start++;
			while (start < len && t[start - 1] >= '0' &&
			    t[start - 1] <= '9' && t[start] >= '0' &&
			    t[start] <= '9')
				start++;
			continue;
		}
		if (rc < 0) {
			PCRE2_UCHAR msg[120];

			pcre2_get_error_message(rc, msg, sizeof(msg));
			return hark_err_set(err, HARK_EXIT_DATA, "order-number "
			    "pattern: %s at byte %zu; the rest of the text was "
			    "not searched for order numbers", (const char *)msg,
			    (size_t)start);
		}
		ov = pcre2_get_ovector_pointer(p->md);
		s = ov[0];
		e = ov[1];
		if (rc >= 2 && ov[2] != PCRE2_UNSET) {
			s = ov[2];
			e = ov[3];
		}
		if (e > s)
			cand_add(c, HARK_PII_ORDER, s, e - s);
		start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		while (start < len && ((unsigned char)t[start] & 0xc0) == 0x80)
			start++;
	}
	return 0;
}

static int
cmp_kind(const void *x, const void *y)
{
	const struct hark_pii_match *a = x, *b = y;

	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	return a->off < b->off ? -1 : a->off > b->off;
}

static int
cmp_off(const void *x, const void *y)
{
	const struct hark_pii_match *a = x, *b = y;

	return a->off < b->off ? -1 : a->off > b->off;
}

/*
 * Is [OFF, OFF+LEN) free of kept matches?  The kept matches are marked in
 * a bitmap over the text's bytes, so each candidate costs its own length,
 * not the number of matches kept before it (the detectors' candidates
 * overlap little, so the whole pass stays linear in the text).
 */
static int
range_free(const unsigned char *bits, size_t off, size_t len)
{
	size_t i;

	for (i = off; i < off + len; i++)
		if (bits[i >> 3] & (1u << (i & 7)))
			return 0;
	return 1;
}

static void
range_take(unsigned char *bits, size_t off, size_t len)
{
	size_t i;

	for (i = off; i < off + len; i++)
		bits[i >> 3] |= (unsigned char)(1u << (i & 7));
}

/* hark_pii_scan_text(), or with VALID hark_pii_scan_utf8(). */
static size_t
scan_all(struct hark_pii *p, const char *t, size_t len,
    const struct hark_pii_match **out, int valid, struct hark_err *err)
{
	struct cands c = { &p->cand, &p->ncand, &p->acand };
	struct cands keep = { &p->found, &p->nfound, &p->afound };
	size_t i, nb = len / 8 + 1;

	p->ncand = p->nfound = 0;
	if ((p->enabled & (1u << HARK_PII_EMAIL)) && memchr(t, '@', len))
		scan_email(t, len, &c);
	if (p->enabled & (1u << HARK_PII_IBAN))
		scan_iban(t, len, &c);
	scan_digits(t, len, &c);
	if ((p->enabled & (1u << HARK_PII_ORDER)) && p->order_re)
		scan_order(p, t, len, &c, valid, err);
	if (p->ncand > 1)
		qsort(p->cand, p->ncand, sizeof(*p->cand), cmp_kind);
	if (p->ncand > 1) {
		if (p->ataken < nb) {
			free(p->taken);
			p->taken = hark_xmalloc(nb);
			p->ataken = nb;
		}
		memset(p->taken, 0, nb);
	}
	for (i = 0; i < p->ncand; i++) {
		const struct hark_pii_match *m = &p->cand[i];

		if (!(p->enabled & (1u << m->kind)))
			continue;
		if (p->ncand > 1) {
			if (!range_free(p->taken, m->off, m->len))
				continue;
			range_take(p->taken, m->off, m->len);
		}
		cand_add(&keep, m->kind, m->off, m->len);
	}
	if (p->nfound > 1)
		qsort(p->found, p->nfound, sizeof(*p->found), cmp_off);
	*out = p->found;
	return p->nfound;
}

size_t
hark_pii_scan_text(struct hark_pii *p, const char *t, size_t len,
    const struct hark_pii_match **out, struct hark_err *err)
{
	return scan_all(p, t, len, out, 0, err);
}

size_t
hark_pii_scan_utf8(struct hark_pii *p, const char *t, size_t len,
    const struct hark_pii_match **out, struct hark_err *err)
{
	return scan_all(p, t, len, out, 1, err);
}

size_t
hark_pii_scan(struct hark_pii *p, const char *t, size_t len,
    struct hark_pii_match *out, size_t max)
{
	const struct hark_pii_match *m;
	size_t n = hark_pii_scan_text(p, t, len, &m, NULL), i;

	for (i = 0; i < n && i < max; i++)
		out[i] = m[i];
	return n;
}

int
hark_pii_redact(const char *text, size_t len,
    const struct hark_pii_match *m, size_t n, struct hark_buf *out)
{
	size_t pos = 0, i;

	for (i = 0; i < n; i++) {
		if (m[i].off < pos || m[i].off + m[i].len > len)
			continue;
		if (hark_buf_add(out, text + pos, m[i].off - pos) < 0 ||
		    hark_buf_addf(out, "[%s]", names[m[i].kind]) < 0)
			return -1;
		pos = m[i].off + m[i].len;
	}
	return hark_buf_add(out, text + pos, len - pos);
}
