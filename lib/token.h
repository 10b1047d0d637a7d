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
	HARK_TOK_UPPER = 8	/* word has at least one upper-case letter */
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

/* Name of a token type for tests and --explain ("word", "emoji", ...). */
const char *hark_tok_type_name(enum hark_tok_type type);

#endif
