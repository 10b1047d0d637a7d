/*
 * lang.h - language identification for short posts in English, Polish,
 * Czech and Slovak, with or without diacritics.
 *
 * Evidence, all hand-written (no trained model): diacritic letters that
 * only one language uses (ł ą ę ś ź ż ń -> pl; ě ř ů -> cs; ä ô ľ ĺ ŕ ->
 * sk), function words and frequent short words of each language compared
 * in folded form (so "nie dziala" and "nie działa" count alike), and
 * letter clusters and word endings (pl "rz" "sz" "cz" "w" "-ego"; cs
 * "-ou" "-eho" "v"; en "th" "-ing" "wh").  Scores are summed per word;
 * the best language wins.  Text without any evidence (a URL, "ok",
 * emoji only) is HARK_LANG_UNKNOWN.  Nothing allocates, prints or fails.
 */
#ifndef HARK_LANG_H
#define HARK_LANG_H

#include "hark.h"

enum hark_lang {
	HARK_LANG_UNKNOWN = 0,
	HARK_LANG_EN,
	HARK_LANG_PL,
	HARK_LANG_CS,
	HARK_LANG_SK,
	HARK_LANG_COUNT
};

/* "en", "pl", "cs", "sk", or "und" for HARK_LANG_UNKNOWN (static). */
const char *hark_lang_code(enum hark_lang lang);

/*
 * Map a language tag to a supported language: "en", "EN", "en-US",
 * "en_GB", "eng", "pl", "pol", "cs", "cz", "ces", "cze", "sk", "slk",
 * "slo"; anything else is HARK_LANG_UNKNOWN.
 */
enum hark_lang hark_lang_from_code(const char *tag, size_t len);

/*
 * Running evidence, filled word by word (zero it or use
 * HARK_LANG_STATS_INIT).  Repeating a word adds ever less: its first
 * three occurrences count fully (a sentence may well say "nie je" three
 * times), the k-th after them weighs 1/k^2, so a word repeated any number
 * of times weighs less than 3.3 single ones ("awesome awesome awesome
 * ..." is as English as "awesome").  SEEN remembers the words counted so far
 * (hashes and counts; the first HARK_LANG_SEEN_MAX distinct words of a
 * text, which covers any post).
 */
#define HARK_LANG_SEEN_SLOTS 256
#define HARK_LANG_SEEN_MAX 192
struct hark_lang_stats {
	double score[HARK_LANG_COUNT];
	int words;		/* words seen, repeats included */
	int nseen;		/* distinct words remembered in SEEN */
	uint32_t seen[HARK_LANG_SEEN_SLOTS];	/* 0: empty slot */
	uint32_t count[HARK_LANG_SEEN_SLOTS];	/* occurrences so far */
};
#define HARK_LANG_STATS_INIT { { 0 }, 0, 0, { 0 }, { 0 } }

/*
 * Add the evidence of one word: RAW is the word as written (UTF-8, for
 * diacritics), FOLDED its folded form (text.h: lower case, no
 * diacritics).  Both borrowed.  A word already added (same folded form,
 * same diacritics) adds less each time, as said above.
 */
void hark_lang_add_word(struct hark_lang_stats *st, const char *raw,
    size_t rawlen, const char *folded, size_t flen);

/*
 * The best language so far, or HARK_LANG_UNKNOWN when there is no
 * evidence.  *MARGIN (may be NULL) gets the lead of the winner over the
 * runner-up (0 when unknown).
 */
enum hark_lang hark_lang_result(const struct hark_lang_stats *st,
    double *margin);

/* Convenience: tokenise and fold TEXT[0..LEN) and return the result. */
enum hark_lang hark_lang_detect(const char *text, size_t len, double *margin);

#endif
