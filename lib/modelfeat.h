/*
 * modelfeat.h - hashed sparse features of a short text, for the linear
 * models of model.h (hark-train, sentiment-score --model, ticket-route
 * --model).
 *
 * The text is split with the suite's tokeniser (token.h) and every word is
 * folded (text.h: lower case, no diacritics), so "Nie działa" and "nie
 * dziala" give the same features.  The kinds, each switched on by a bit of
 * the settings' FLAGS (the model file records them, so a model is always
 * applied with the features it was trained with):
 *
 *   WORDS     folded words (hashtags without '#'), numbers as one "<num>"
 *   BIGRAMS   pairs of consecutive folded words ("<s>" and "</s>" at the
 *             ends), hashed from the two words' hashes
 *   CHARS     character n-grams of CMIN..CMAX code points inside each
 *             word padded with '<' and '>' (inflection, spelling
 *             variants), each counting 0.2
 *   NEGATION  words from a negator ("not", "nie", "ne", "nikdy", "n't",
 *             ...) to the next punctuation mark or the third word are also
 *             counted marked as negated
 *   EMOJI     emoji (skin tone and variation selector removed) and
 *             emoticons, and their count
 *   SHAPE     "!!" runs, "?" runs, words in capitals, elongated words,
 *             URLs, @mentions, hashtags, text length bucket
 *   LEXICON   the lexicon scorer's result (sentiment.h): its score (a
 *             real-valued feature and a bucket), its label, and the rules
 *             that applied to its terms (negated, sarcasm, contrast,
 *             duration, ...) with the sign of the term
 *   LANG      the language as a feature, and crossed with the lexicon
 *             label
 *
 * Each feature is a string hashed (FNV-1a, 32 bits) to one of 2^BITS
 * slots; values are counts (char n-grams 0.2 each), the whole vector
 * scaled to unit length.
 * Nothing here prints or exits; allocation failure exits (err.h).
 */
#ifndef HARK_MODELFEAT_H
#define HARK_MODELFEAT_H

#include <math.h>
#include "hark.h"
#include "buf.h"
#include "lang.h"
#include "sentiment.h"
#include "token.h"

enum hark_feat_kind {
	HARK_FEAT_WORDS = 1,
	HARK_FEAT_BIGRAMS = 2,
	HARK_FEAT_CHARS = 4,
	HARK_FEAT_NEGATION = 8,
	HARK_FEAT_EMOJI = 16,
	HARK_FEAT_SHAPE = 32,
	HARK_FEAT_LEXICON = 64,
	HARK_FEAT_LANG = 128,
	HARK_FEAT_ALL = 255
};

#define HARK_FEAT_BITS_MIN 10
#define HARK_FEAT_BITS_MAX 24
#define HARK_FEAT_CHAR_MAX 8

struct hark_feat_opts {
	unsigned flags;		/* enum hark_feat_kind bits */
	unsigned bits;		/* HARK_FEAT_BITS_MIN..MAX */
	unsigned cmin, cmax;	/* char n-gram lengths, 1..HARK_FEAT_CHAR_MAX */
};
/* The defaults hark-train uses (its man page lists them). */
#define HARK_FEAT_OPTS_DEFAULT { HARK_FEAT_ALL, 20, 3, 4 }

/* "words,bigrams,chars,..." for FLAGS into OUT (size OUTSZ); returns OUT. */
char *hark_feat_flags_str(unsigned flags, char *out, size_t outsz);
/*
 * Parse a comma-separated list of kind names ("all", "words", ...; a
 * leading '-' removes a kind) into *FLAGS, starting from *FLAGS.  Returns
 * 0, or -1 naming the first unknown kind in ERR (code 2).
 */
int hark_feat_flags_parse(const char *s, unsigned *flags, struct hark_err *err);

/*
 * Only the first HARK_FEAT_TOKENS tokens of a text count (posts are far
 * shorter; a long review is judged by its start), so a record's cost is
 * bounded.  hark_feats_prefix() is the part of TEXT the lexicon scorer
 * reads for LEXICON features: all of a text of up to
 * HARK_FEAT_PREFIX_MIN bytes (no second tokenising pass for posts), else
 * its first HARK_FEAT_TOKENS tokens.  Returns its byte length.
 */
#define HARK_FEAT_TOKENS 96
#define HARK_FEAT_PREFIX_MIN 1024
size_t hark_feats_prefix(const char *text, size_t len);

/* One text's features: slot indices with values (unit length). */
struct hark_feats {
	uint32_t *idx;
	float *val;
	size_t n, cap;
	/* with names: the feature string of each entry, NUL-separated in
	 * NAMES, NAMEOFF[i] its offset (for --explain) */
	int want_names;
	struct hark_buf names;
	size_t *nameoff;
	/* after hark_feats_text(): the first NTOK tokens of the text it
	 * read (TEXT[0..prefix), tokenised with that length), for
	 * hark_sentiment_score_tokens(), which then need not tokenise
	 * them again */
	struct hark_token tok[HARK_FEAT_TOKENS];
	size_t ntok;
	/* the char n-grams of words seen lately (hark_feats_cache()) */
	struct hark_feat_cache *cache;	/* NULL until first used */
	unsigned cachebits;		/* 2^CACHEBITS entries; 0: none */
	size_t cachehits, cachemisses;	/* words found, words kept */
	/* private scratch */
	struct hark_buf fold;
	size_t *wordoff, *wordlen, nwords, capwords;
	uint32_t *wordhash;
	unsigned char *wordneg;
	double sumsq;		/* of the values pushed, in order */
	uint64_t negfirst[26];	/* negators by first letter */
	/* groups (hark_feats_group()): each word's char n-grams,
	 * GRP[0..NGRP) in the order of the words */
	size_t gdim;		/* floats a group's vector; 0: no groups */
	struct hark_feat_group {
		uint32_t at;	/* where in IDX it stands */
		uint32_t n;	/* slots it has in IDX[AT..AT+N) */
		uint32_t ent;	/* its cache entry or HARK_FEAT_INLINE */
	} *grp;
	size_t ngrp, capgrp;
	float *gvec;		/* [2^cachebits * gdim] */
	unsigned char *gok;	/* [2^cachebits]: its vector is filled */
	uint32_t textno;	/* texts read, never 0 */
};

/* The scale that makes F unit length (hark_feats_end() applies it; the
 * value of a group's n-grams is HARK_FEAT_CHAR_WEIGHT times it). */
static inline double
hark_feats_scale(const struct hark_feats *f)
{
	return f->sumsq > 0 ? 1.0 / sqrt(f->sumsq) : 1.0;
}

/*
 * hark_feats_init() sets F up with a cache of HARK_FEAT_CACHE_BITS (see
 * hark_feats_cache()), allocated when first used; hark_feats_release()
 * frees what F holds.
 */
void hark_feats_init(struct hark_feats *f, int want_names);
void hark_feats_release(struct hark_feats *f);

/*
 * A word's char n-grams depend only on the folded word and the settings,
 * and a stream's words are mostly a few thousand: F remembers the slots
 * of the n-grams of up to 2^BITS words (BITS 0: none, at most
 * HARK_FEAT_CACHE_BITS_MAX), one entry per word by its hash, the new
 * word replacing the old one.  Words longer than HARK_FEAT_CACHE_WORD
 * bytes folded, or with more than HARK_FEAT_CACHE_SLOTS n-grams, are not
 * kept; with want_names the cache is not used.  It also keeps the
 * folded forms of 1024 non-ASCII words (64 KiB).  The features are the
 * same with or without it, bit for bit.  hark_feats_cache() empties it
 * and zeroes the counts of words found and kept.
 */
#define HARK_FEAT_CACHE_BITS 12		/* 4096 entries of 196 bytes */
#define HARK_FEAT_CACHE_BITS_MAX 16
#define HARK_FEAT_CACHE_WORD 24
#define HARK_FEAT_CACHE_SLOTS 40
void hark_feats_cache(struct hark_feats *f, unsigned bits);

/*
 * Char n-grams by word, for a caller that sums a word's n-gram weights
 * once and not at every occurrence (model.c): with DIM > 0 each word's
 * char n-grams are a group, F->grp[] in the order of the words, each of
 * value HARK_FEAT_CHAR_WEIGHT * hark_feats_scale(F).  A group whose word is in the
 * cache (found there, or just kept) is not in IDX at all: its slots are
 * the entry's, and the entry has a vector of DIM floats for the caller,
 * marked unfilled whenever the entry gets another word.  Any other group
 * (HARK_FEAT_INLINE) is in IDX[at..at+n) as before.  Either way the
 * n-grams count in the unit length as before, in the same order, so every
 * value is the same as without groups, bit for bit.  A text's entries
 * keep their word until the next text: a word whose entry holds another
 * word of the same text is inline.  DIM 0 turns groups off.
 */
/* a word has a dozen n-grams and one unigram: at full weight they would
 * swamp the words once the vector is scaled to unit length (measured on
 * the make eval sets: 0.2 beat 1, 0.5 and 0.1) */
#define HARK_FEAT_CHAR_WEIGHT 0.2f
#define HARK_FEAT_INLINE UINT32_MAX
void hark_feats_group(struct hark_feats *f, size_t dim);
/* Group G's n-gram slots (*N of them). */
const uint32_t *hark_feats_group_slots(const struct hark_feats *f, size_t g,
    size_t *n);
/* The vector of group G's cache entry (not HARK_FEAT_INLINE): *FILLED
 * says whether it holds what the caller put there; it counts as filled
 * from this call on. */
float *hark_feats_group_vec(struct hark_feats *f, size_t g, int *filled);

/*
 * Compute the features of TEXT[0..LEN) (UTF-8, borrowed) into F
 * (replacing what it held), with settings O.  LANG is the record's
 * language (HARK_LANG_UNKNOWN when not known).  LEX is the lexicon
 * scorer's result for the same text (sentiment.h, scored with
 * HARK_SENT_EXPLAIN so its terms are there, on the prefix) or NULL; it
 * is used only when O has HARK_FEAT_LEXICON.  Never fails.
 */
void hark_feats_extract(const struct hark_feat_opts *o, const char *text,
    size_t len, enum hark_lang lang, const struct hark_sentiment_result *lex,
    struct hark_feats *f);
/*
 * hark_feats_extract() in two steps, so that one tokenising pass gives
 * both the text's features and the prefix the lexicon scorer should read:
 * hark_feats_text() computes the features of TEXT[0..LEN) itself (the
 * first HARK_FEAT_TOKENS tokens of the whole text are those of its
 * prefix) and returns hark_feats_prefix(TEXT, LEN), keeping the
 * prefix's first tokens in F->tok for the scorer to read them from
 * (hark_sentiment_score_tokens()); hark_feats_end() adds the LANG and
 * LEXICON ones and scales the vector.  The result is
 * hark_feats_extract()'s on the prefix, bit for bit.
 */
size_t hark_feats_text(const struct hark_feat_opts *o, const char *text,
    size_t len, struct hark_feats *f);
void hark_feats_end(const struct hark_feat_opts *o, enum hark_lang lang,
    const struct hark_sentiment_result *lex, struct hark_feats *f);

#endif
