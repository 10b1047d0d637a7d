/*
 * token.h - a tokeniser for short social-media text (posts, tweets,
 * reviews) in any language written in the Latin script.
 *
 * It splits UTF-8 text into words, numbers, emoji (including ZWJ
 * sequences, skin-tone modifiers, flags and keycaps), emoticons (":)",
 * ":-(", ":D", ";)", "<3", "xD", ":'(", "^^", ...), URLs, @mentions,
 * #hashtags and punctuation runs ("!!!", "?!", "...").  Tokens point into
 * the caller's text: nothing is copied or allocated, so the tokeniser
 * never fails and never prints.  Invalid UTF-8 bytes become one-byte
 * SYMBOL tokens.
 */
#ifndef HARK_TOKEN_H
#define HARK_TOKEN_H

#include "hark.h"

enum hark_tok_type {
	HARK_TOK_WORD = 1,	/* letters/digits, inner apostrophes */
	HARK_TOK_NUMBER,	/* digits with inner . , : (2.5, 10:30) */
	HARK_TOK_EMOJI,		/* one emoji or emoji sequence */
	HARK_TOK_EMOTICON,	/* ":)", ":-((", "xDDD", "<3", ... */
	HARK_TOK_URL,		/* http://..., https://..., www.... */
	HARK_TOK_MENTION,	/* @name */
	HARK_TOK_HASHTAG,	/* #tag (off/len include the '#') */
	HARK_TOK_PUNCT,		/* a run of one punctuation character, or
				 * a mixed run of '!' and '?' */
	HARK_TOK_SYMBOL		/* anything else (one code point) */
};

enum hark_tok_flags {
	HARK_TOK_CAPS = 1,	/* word of >= 2 letters, all upper case */
	HARK_TOK_ELONGATED = 2,	/* a letter repeated 3+ times ("sooo") */
	HARK_TOK_ASCII = 4,	/* the token is plain ASCII */
	HARK_TOK_UPPER = 8,	/* word has at least one upper-case letter */
	HARK_TOK_PART = 16	/* a word of a hashtag (hark_tok_hashtag_parts) */
};

struct hark_token {
	enum hark_tok_type type;
	size_t off;		/* byte offset into the text */
	size_t len;		/* byte length */
	unsigned flags;		/* enum hark_tok_flags */
	int bangs;		/* PUNCT: number of '!' in the run */
	int questions;		/* PUNCT: number of '?' in the run */
	int ch;			/* PUNCT: the first character of the run */
	int repeat;		/* EMOTICON: repeats of the last char (":(((" 3) */
};

struct hark_tokenizer {
	const char *s;		/* borrowed text */
	size_t len;
	size_t pos;
};

/* Start tokenising S[0..LEN) (borrowed; must outlive the tokeniser). */
void hark_tok_init(struct hark_tokenizer *t, const char *s, size_t len);

/*
 * Store the next token in *TOK and return 1, or return 0 at the end of
 * the text.  Whitespace is skipped and never returned.
 */
int hark_tok_next(struct hark_tokenizer *t, struct hark_token *tok);

/*
 * The lookup key of an emoji token: the sequence without variation
 * selectors (U+FE0F/U+FE0E) and skin-tone modifiers (U+1F3FB..U+1F3FF),
 * written to OUT (size OUTSZ), NUL-terminated.  With FIRST non-zero only
 * the first component of a ZWJ sequence is kept.  Returns the key length
 * (truncated to fit).
 */
size_t hark_tok_emoji_key(const char *s, size_t len, int first, char *out,
    size_t outsz);

/*
 * The words a hashtag is written as: "#NeverAgain" is "Never" "Again",
 * "#ILoveNY" "I" "Love" "NY", "#Top10" "Top" "10", "#love_wins" "love"
 * "wins".  S[0..LEN) is the tag without its '#'.  It is cut before a
 * capital that follows a lower-case letter, before the last capital of a
 * run of capitals that a lower-case letter follows, between letters and
 * digits, and at underscores (which belong to no part); combining marks
 * stay with their letter.  A tag written all in lower case or all in
 * capitals is one part ("#epicfail", "#MAGA").  Each part is stored in
 * PARTS (at most MAX; the last one takes the rest of the tag) as a WORD
 * or NUMBER token with OFF relative to S and the flags hark_tok_next()
 * would give the same text, plus HARK_TOK_PART.  Returns the number of
 * parts: 0 for an empty tag or MAX 0, 1 when it does not split.
 */
size_t hark_tok_hashtag_parts(const char *s, size_t len,
    struct hark_token *parts, size_t max);

/* Name of a token type for tests and --explain ("word", "emoji", ...). */
const char *hark_tok_type_name(enum hark_tok_type type);

#endif
