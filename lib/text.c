/* text.c - Unicode folding and word search on utf8proc. */
#include <utf8proc.h>
#include "text.h"

size_t
hark_utf8_next(const char *s, size_t len, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	unsigned char b0 = (unsigned char)s[0];

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf && len >= 2 &&
	    ((unsigned char)s[1] & 0xc0) == 0x80) {
		/* two bytes: most letters with diacritics */
		*cp = (int32_t)(b0 & 0x1f) << 6 | ((unsigned char)s[1] & 0x3f);
		return 2;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

static int
put_cp(struct hark_buf *out, int32_t cp)
{
	utf8proc_uint8_t b[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, b);

	return hark_buf_add(out, b, (size_t)n);
}

/* Letters utf8proc leaves alone but a reader without diacritics writes
 * differently. */
static const char *
special_fold(int32_t cp)
{
	switch (cp) {
	case 0x0141: case 0x0142: return "l";	/* Ł ł */
	case 0x0110: case 0x0111: return "d";	/* Đ đ */
	case 0x00d8: case 0x00f8: return "o";	/* Ø ø */
	case 0x00c6: case 0x00e6: return "ae";	/* Æ æ */
	case 0x0152: case 0x0153: return "oe";	/* Œ œ */
	case 0x00df: case 0x1e9e: return "ss";	/* ß ẞ */
	case 0x0131: return "i";		/* dotless ı */
	case 0x2018: case 0x2019: case 0x02bc: return "'";
	case 0x201c: case 0x201d: case 0x201e: return "\"";
	default: return NULL;
	}
}

/* Append SP's code points (ASCII) to OUT; returns how many. */
static size_t
special_cps(const char *sp, int32_t *out)
{
	size_t n = 0;

	while (*sp)
		out[n++] = (unsigned char)*sp++;
	return n;
}

/*
 * Code points below U+0800 (Latin, Greek, Cyrillic, ...): their folded
 * form when it is one code point, and whether they are word characters,
 * worked out once (utf8proc's lookups cost far more than the table).
 */
#define SMALL_CPS 0x800
#define SMALL_NONE 0xffff	/* folds to several code points */
static uint16_t small_fold[SMALL_CPS];
static unsigned char small_word[SMALL_CPS / 8];
static int small_ready;

static size_t fold_cp_slow(int32_t cp, int32_t *out);
static int is_word_cp_slow(int32_t cp);

static void
small_init(void)
{
	int32_t cp, f[HARK_TEXT_FOLD_CP_MAX];

	for (cp = 0; cp < SMALL_CPS; cp++) {
		small_fold[cp] = fold_cp_slow(cp, f) == 1 && f[0] >= 0 &&
		    f[0] < SMALL_NONE ? (uint16_t)f[0] : SMALL_NONE;
		if (is_word_cp_slow(cp))
			small_word[cp >> 3] |= (unsigned char)(1u << (cp & 7));
	}
	small_ready = 1;
}

size_t
hark_text_fold_cp(int32_t cp, int32_t *out)
{
	if (cp >= 0 && cp < SMALL_CPS) {
		if (!small_ready)
			small_init();
		if (small_fold[cp] != SMALL_NONE) {
			out[0] = small_fold[cp];
			return 1;
		}
	}
	return fold_cp_slow(cp, out);
}

static size_t
fold_cp_slow(int32_t cp, int32_t *out)
{
	utf8proc_int32_t dec[HARK_TEXT_FOLD_CP_MAX / 2];
	utf8proc_ssize_t n, k;
	size_t m = 0;
	const char *sp;
	int last = 0;

	if (cp < 0x80) {
		out[0] = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
		return 1;
	}
	if ((sp = special_fold(cp)) != NULL)
		return special_cps(sp, out);
	n = utf8proc_decompose_char(cp, dec, HARK_TEXT_FOLD_CP_MAX / 2,
	    UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
	    UTF8PROC_STRIPMARK | UTF8PROC_IGNORE, &last);
	if (n < 0 || n > HARK_TEXT_FOLD_CP_MAX / 2) {
		out[0] = cp;
		return 1;
	}
	/* each expands to at most two, so OUT holds them all */
	for (k = 0; k < n; k++) {
		if ((sp = special_fold(dec[k])) != NULL)
			m += special_cps(sp, out + m);
		else
			out[m++] = dec[k];
	}
	return m;
}

int
hark_text_fold(const char *s, size_t len, struct hark_buf *out)
{
	size_t i = 0;

	while (i < len) {
		int32_t cp, f[HARK_TEXT_FOLD_CP_MAX];
		size_t n, k, run = i;

		/* a run of ASCII: lower-cased in one go */
		while (run < len && (unsigned char)s[run] < 0x80)
			run++;
		if (run > i) {
			size_t at = out->len;

			if (hark_buf_add(out, s + i, run - i) < 0)
				return -1;
			for (k = at; k < out->len; k++)
				if (out->ptr[k] >= 'A' && out->ptr[k] <= 'Z')
					out->ptr[k] += 32;
			i = run;
			continue;
		}
		i += hark_utf8_next(s + i, len - i, &cp);
		n = hark_text_fold_cp(cp, f);
		for (k = 0; k < n; k++)
			if (put_cp(out, f[k]) < 0)
				return -1;
	}
	return 0;
}

int
hark_text_nfc(const char *s, size_t len, struct hark_buf *out)
{
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t n;
	int rc;

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &res, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0) {
		/* invalid UTF-8: replace bad bytes, then compose */
		struct hark_buf tmp = HARK_BUF_INIT(out->max);
		size_t i = 0;

		while (i < len) {
			int32_t cp;
			size_t k = hark_utf8_next(s + i, len - i, &cp);

			if (put_cp(&tmp, cp) < 0) {
				hark_buf_release(&tmp);
				return -1;
			}
			i += k;
		}
		rc = hark_text_nfc(hark_buf_str(&tmp), tmp.len, out);
		hark_buf_release(&tmp);
		return rc;
	}
	rc = hark_buf_add(out, res, (size_t)n);
	free(res);
	return rc;
}

int
hark_text_is_word_cp(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_';
	if (cp < SMALL_CPS) {
		if (!small_ready)
			small_init();
		return (small_word[cp >> 3] >> (cp & 7)) & 1;
	}
	return is_word_cp_slow(cp);
}

static int
is_word_cp_slow(int32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_';
	cat = utf8proc_category(cp);
	switch (cat) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/* The code point that ends just before HAY+POS. */
static int32_t
prev_cp(const char *hay, size_t pos)
{
	size_t start = pos;
	int32_t cp;

	if (pos == 0)
		return -1;
	do
		start--;
	while (start > 0 && pos - start < 4 &&
	    ((unsigned char)hay[start] & 0xc0) == 0x80);
	hark_utf8_next(hay + start, pos - start, &cp);
	return cp;
}

long
hark_text_find_word(const char *hay, size_t hlen, const char *needle,
    size_t nlen, int flags)
{
	size_t pos = 0;
	int32_t first, cp;
	int need_before, need_after;

	if (nlen == 0 || nlen > hlen)
		return -1;
	/* a boundary matters only where the needle itself is wordy */
	hark_utf8_next(needle, nlen, &first);
	need_before = hark_text_is_word_cp(first);
	need_after = !(flags & HARK_TEXT_PREFIX) &&
	    hark_text_is_word_cp(prev_cp(needle, nlen));
	while (pos + nlen <= hlen) {
		const char *m = memchr(hay + pos, needle[0], hlen - pos -
		    nlen + 1);
		size_t at;

		if (m == NULL)
			return -1;
		at = (size_t)(m - hay);
		if (memcmp(m, needle, nlen) == 0 &&
		    (!need_before || !hark_text_is_word_cp(prev_cp(hay, at))) &&
		    (!need_after || at + nlen == hlen ||
		    (hark_utf8_next(hay + at + nlen, hlen - at - nlen, &cp),
		    !hark_text_is_word_cp(cp))))
			return (long)at;
		pos = at + 1;
	}
	return -1;
}
