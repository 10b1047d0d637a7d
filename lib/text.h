/*
 * text.h - Unicode text helpers on utf8proc: NFC, folding for matching
 * that ignores case and diacritics, word-boundary search.
 *
 * "Folded" text is what every matcher in the suite compares: NFKD, case
 * folded, combining marks removed, and the Latin letters that have no
 * decomposition mapped by hand (ł->l, đ->d, ø->o, æ->ae, œ->oe, ß->ss,
 * ı->i), so "Nie działa", "NIE DZIALA" and "nie dziala" fold alike, as do
 * "nefunguje"/"nefunguje" and "zásilka"/"zasilka".  Invalid UTF-8 bytes
 * become U+FFFD.  Functions append to a caller's buffer and return -1 only
 * when the buffer's maximum would be exceeded.
 */
#ifndef HARK_TEXT_H
#define HARK_TEXT_H

#include "hark.h"
#include "buf.h"

/* Append the folded form of S[0..LEN) to OUT. */
int hark_text_fold(const char *s, size_t len, struct hark_buf *out);
/*
 * The folded form of the one code point CP (as hark_text_fold folds it),
 * as code points in OUT; returns how many (1 to HARK_TEXT_FOLD_CP_MAX).
 */
#define HARK_TEXT_FOLD_CP_MAX 64
size_t hark_text_fold_cp(int32_t cp, int32_t *out);
/* Append the NFC form of S[0..LEN) to OUT (invalid bytes -> U+FFFD). */
int hark_text_nfc(const char *s, size_t len, struct hark_buf *out);

/* Decode one code point at S (at most LEN bytes) into *CP; returns the
 * bytes used (>= 1); invalid input yields U+FFFD and 1. */
size_t hark_utf8_next(const char *s, size_t len, int32_t *cp);
/* True for code points that belong inside a word: letters, digits,
 * combining marks, and the apostrophes inside words. */
int hark_text_is_word_cp(int32_t cp);

enum hark_text_find_flags {
	HARK_TEXT_PREFIX = 1	/* NEEDLE may be the start of a longer word */
};
/*
 * Find NEEDLE in HAY (both already folded) as a whole word or phrase:
 * the match must not be preceded or followed by a word character (with
 * HARK_TEXT_PREFIX, only not preceded).  Returns the byte offset of the
 * first match, or -1.
 */
long hark_text_find_word(const char *hay, size_t hlen, const char *needle,
    size_t nlen, int flags);

#endif
