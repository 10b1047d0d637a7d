/*
 * sentiment.h - lexicon-and-rules sentiment scorer for short posts in
 * English, Polish, Czech and Slovak (VADER-style rules, own lexicons).
 *
 * A scorer holds one compiled lexicon per language: the built-in files
 * data/lexicon/common.txt (emoji, emoticons, internationalisms, loaded
 * into every language) and data/lexicon/<lang>.txt (Slovak loads cs.txt
 * then sk.txt), plus any files added with hark_sentiment_add_lexicon().
 * Terms are compared folded (text.h: lower case, no diacritics), so
 * "nie działa" and "nie dziala" score alike.
 *
 * Rules applied to each scored term (docs/readme-sentiment-score.md has
 * the full description): stems ("dobr*"), phrases ("thanks for
 * nothing"), negation by a preceding negator within three words and by
 * the Czech/Slovak "ne-" and Polish "nie-" prefix (with a per-term
 * negated value for words such as "works" that are neutral alone but a
 * complaint when negated), superlative prefixes ("nej-", "naj-"),
 * intensifiers and dampeners, ALL-CAPS emphasis, a contrast word ("but",
 * "ale", "však") halving what comes before and raising what follows,
 * "!!!" emphasis, emoji and emoticons, durations after a number ("40
 * minutes", "3 hodiny"), sarcastic thanks (thanks in an otherwise
 * negative post counts against it), Czech and Slovak wishes (praise in a
 * clause with "by", "kdyby": none), names (a capitalised word inside a
 * sentence next to another weighs 0.4) and the opening salutation
 * "Dear" (none).  The sum is normalised to [-1, 1]
 * with x / sqrt(x * x + 15).
 *
 * Lexicon file formats (hark_sentiment_add_lexicon):
 *   HARK   "[section]" lines (words, negators, boosters, contrast,
 *          negated, durations, quantifiers, thanks; optionally followed
 *          by a language: "[words pl]") and "term, term* = value" lines;
 *          [settings] takes "threshold = NUM" (the language's default)
 *          and "negative-threshold = NUM" (when it differs) and
 *          "mixed-praise = NUM" (0..1, the weight of positive terms in
 *          a text that also has negative ones; default 1);
 *          '#' starts a comment.  Valences are on VADER's -4..4 scale.
 *   VADER  "term<TAB>mean<TAB>sd<TAB>[ratings]" (vader_lexicon.txt).
 *   AFINN  "term<TAB>integer" on -5..5, scaled by 0.8.
 *
 * A scorer is not thread-safe: scoring uses scratch space inside it.
 * Only the first 4096 tokens of a text are scored (posts are far shorter).
 */
#ifndef HARK_SENTIMENT_H
#define HARK_SENTIMENT_H

#include "hark.h"
#include "err.h"
#include "lang.h"

struct hark_sentiment;
struct hark_token;	/* token.h */

enum hark_lex_format {
	HARK_LEX_AUTO = 0,	/* detect from the first entry line */
	HARK_LEX_HARK,
	HARK_LEX_VADER,
	HARK_LEX_AFINN
};

enum hark_sentiment_label {
	HARK_SENT_NEGATIVE = -1,
	HARK_SENT_NEUTRAL = 0,
	HARK_SENT_POSITIVE = 1
};

/* How a term's value was obtained or modified (bits, for --explain). */
enum hark_sentiment_how {
	HARK_HOW_STEM = 1,		/* matched a stem entry */
	HARK_HOW_PHRASE = 2,		/* a multi-word entry */
	HARK_HOW_NEGATED = 4,		/* a negator precedes it */
	HARK_HOW_PREFIX = 8,		/* ne-/nie- prefix negation */
	HARK_HOW_BOOSTED = 16,		/* an intensifier precedes it */
	HARK_HOW_DAMPENED = 32,		/* a dampener precedes it */
	HARK_HOW_CAPS = 64,		/* written in capitals */
	HARK_HOW_BEFORE_CONTRAST = 128,	/* before "but": halved */
	HARK_HOW_AFTER_CONTRAST = 256,	/* after "but": raised */
	HARK_HOW_SARCASM = 512,		/* thanks in a complaint */
	HARK_HOW_DURATION = 1024,	/* "40 minutes" */
	HARK_HOW_SUPERLATIVE = 2048,	/* nej-/naj- prefix */
	HARK_HOW_EMPHASIS = 4096,	/* the "!!!" term */
	HARK_HOW_QUESTION = 8192	/* praise or thanks in a question */
};

struct hark_sentiment_term {
	size_t off, len;	/* the span in the scored text */
	double value;		/* contribution to the raw sum */
	unsigned how;		/* enum hark_sentiment_how bits */
};

struct hark_sentiment_result {
	double score;		/* normalised, in [-1, 1] */
	double sum;		/* raw sum of contributions */
	enum hark_sentiment_label label;
	enum hark_lang lang;	/* the language whose lexicon was used */
	int detected;		/* 1 when lang came from detection */
	struct hark_sentiment_term *terms;	/* with HARK_SENT_EXPLAIN */
	size_t nterms;
	size_t capterms;
};
#define HARK_SENTIMENT_RESULT_INIT { 0, 0, HARK_SENT_NEUTRAL, \
	HARK_LANG_UNKNOWN, 0, NULL, 0, 0 }

enum hark_sentiment_flags {
	HARK_SENT_EXPLAIN = 1	/* fill res->terms */
};

/*
 * A new scorer with the built-in lexicons (lib/embed.h).  Each language
 * is compiled on first use, so start-up costs only what a run needs.
 * Returns NULL with ERR filled only when the built-in files are missing.
 * Free with hark_sentiment_free().
 */
struct hark_sentiment *hark_sentiment_new(struct hark_err *err);
void hark_sentiment_free(struct hark_sentiment *s);

/*
 * Add the entries of lexicon DATA[0..LEN) (borrowed; NAME is used in
 * messages) in format FMT.  Entries override built-in ones with the same
 * term and kind.  LANG HARK_LANG_UNKNOWN adds them to every language
 * (HARK-format sections naming a language still go to that one only).
 * The file is checked at once and kept (copied) for languages compiled
 * later.  Returns 0, or -1 with ERR (code 2, line set) on a malformed
 * line.
 */
int hark_sentiment_add_lexicon(struct hark_sentiment *s, const char *name,
    const char *data, size_t len, enum hark_lex_format fmt,
    enum hark_lang lang, struct hark_err *err);

/* Number of entries compiled for LANG (tests, --verbose). */
size_t hark_sentiment_size(struct hark_sentiment *s, enum hark_lang lang);

/*
 * Settings: DEFAULT_LANG is used when detection finds no evidence
 * (initially English); THRESHOLD is the score at and beyond which a text
 * is positive or negative for every language (initially each language's
 * own, from its lexicon's [settings], else 0.05; a negative T restores
 * those).
 */
void hark_sentiment_set_default_lang(struct hark_sentiment *s,
    enum hark_lang lang);
void hark_sentiment_set_threshold(struct hark_sentiment *s, double t);

/*
 * Score TEXT[0..LEN) (UTF-8; invalid bytes are tolerated).  LANG
 * HARK_LANG_UNKNOWN detects the language.  RES is filled (its term array
 * is reused across calls and released by
 * hark_sentiment_result_release()).  Never fails; returns 0.
 */
int hark_sentiment_score(struct hark_sentiment *s, const char *text,
    size_t len, enum hark_lang lang, unsigned flags,
    struct hark_sentiment_result *res);
/*
 * hark_sentiment_score() for a caller that has tokenised the text
 * already (token.h; modelfeat.h keeps the tokens it read): TOK[0..NTOK)
 * must be the first NTOK tokens hark_tok_next() gives for TEXT[0..LEN)
 * (tokenised with that length: the tokeniser looks ahead).  They are not
 * tokenised again; the scorer goes on from the end of the last one.  The
 * result is hark_sentiment_score()'s, bit for bit.  NTOK 0 (TOK may then
 * be NULL) is hark_sentiment_score().
 */
int hark_sentiment_score_tokens(struct hark_sentiment *s, const char *text,
    size_t len, const struct hark_token *tok, size_t ntok,
    enum hark_lang lang, unsigned flags, struct hark_sentiment_result *res);
void hark_sentiment_result_release(struct hark_sentiment_result *res);

/*
 * The label of SCORE in LANG with S's thresholds (those of the language
 * once S has scored a text in it, else 0.05, or the one set by
 * hark_sentiment_set_threshold()), as hark_sentiment_score() labels.
 */
enum hark_sentiment_label hark_sentiment_label_of(
    const struct hark_sentiment *s, enum hark_lang lang, double score);

/*
 * A review's stars beside its text's SCORE: RATING 1..5 is the
 * customer's own verdict, (RATING - 3) / 2 on the score's scale (1 star
 * -1, 3 stars 0, 5 stars 1).  Returns the stars' alone when SCORE is 0
 * (a text with no evidence, or none at all); when text and stars
 * disagree in sign, the negative one (a complaint is hidden neither by
 * five stars nor by polite words on a one-star review); else the mean of
 * the two.  SCORE unchanged when RATING is not within 1..5.
 */
double hark_sentiment_with_rating(double score, double rating);

/* "negative", "neutral", "positive" (static). */
const char *hark_sentiment_label_name(enum hark_sentiment_label l);

/* Space-separated names of the bits in HOW ("stem negated caps") written
 * to OUT (size OUTSZ); returns OUT. */
char *hark_sentiment_how_str(unsigned how, char *out, size_t outsz);

#endif
