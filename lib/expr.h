/*
 * expr.h - the suite's rule expression language (hark.conf(5), EXPRESSIONS).
 *
 *   sentiment.score < -0.5 and source in ["x", "facebook"]
 *   text ~ "nie działa" or text ~* "zwrot" or text =~ /refund|zwrot/i
 *   exists(author.followers) and not (lang == "en")
 *
 * Field paths are dotted names into the record (missing -> null); literals
 * are strings, numbers, true/false/null and [lists].  Operators: == != < <=
 * > >= (numbers or strings), in [...], ~ (word or phrase, case- and
 * diacritic-insensitive), ~* (word prefix: stems), =~ /PCRE2/flags
 * (Unicode), exists(path), and/or/not, parentheses to any depth.
 *
 * Owned by ticket-route's implementer; sla-report and others reuse it.
 *
 * Semantics in detail (all documented in hark.conf(5)):
 *
 *  - Paths: NAME(.NAME)* where NAME is [A-Za-z_][A-Za-z0-9_-]* or a
 *    decimal index into an array ("tags.0").  A missing member, a step
 *    through a non-object, or JSON null all read as null.
 *  - Literals: "double" or 'single' quoted strings (escapes \" \' \\ \n
 *    \t \/ \uXXXX), numbers (C locale, optional sign and exponent), true,
 *    false, null, and [lists] of those (a trailing comma is allowed).
 *  - A == B and A != B compare JSON values; numbers compare numerically
 *    (1 == 1.0); null equals only null, so a missing field != "x" holds.
 *  - A < B (<=, >, >=) holds when both are numbers, or both are strings
 *    (byte order, so RFC 3339 UTC timestamps compare in time order);
 *    otherwise it is false, never an error.
 *  - A in B: B is a list (literal or a record array); holds when A equals
 *    a member.  When A is itself an array it holds when any member of A
 *    is in B.  "A not in B" is the negation.
 *  - A ~ W, A ~* W, A !~ W: W is a string or a list of strings (any
 *    matches).  The text of A (a string, or any string of an array) and W
 *    are folded (lib/text.h: case, diacritics, ł) and split into words;
 *    (an apostrophe inside a word is dropped: "doesn't" = "doesnt");
 *    "~" matches W as a whole word or a phrase of consecutive words, "~*"
 *    also when the last word of W only begins a word of A (stems:
 *    "reklamac" matches "reklamacja", "reklamację").  A W with no word
 *    characters (emoji, "!!!") matches as a substring of the folded text.
 *  - A =~ /RE/FLAGS or A =~ "RE" (a raw string: backslashes are kept for
 *    PCRE2, only \" is unescaped): PCRE2 with UTF and Unicode properties,
 *    on the unfolded text; flags i (caseless), m, s, x.  Non-strings never
 *    match.  A match over the backtracking limit is a run-time error, or
 *    no match when the context says lenient_regex.
 *  - exists(PATH) holds when PATH is present and not null.
 *  - A bare operand is a truth test: null, false, 0, "", [] and {} are
 *    false, everything else true.
 *  - not binds tighter than and, and tighter than or; "!", "&&" and "||"
 *    are synonyms; keywords are case-insensitive.
 *
 * Word matching compiles every word and phrase of all the expressions of
 * one struct hark_expr_set into a single trie, and a struct hark_expr_ctx
 * folds and scans each field's text once per record, so a rule file with
 * hundreds of words costs one pass over the text.  The scan is lazy: it
 * happens when a word node is first evaluated, and looks only for the
 * words whose guard (the conditions without words or regexes that must
 * hold before their node is reached, e.g. not exists(route.category))
 * holds at that moment; the other words are looked for, in the same
 * folded text, if one of their nodes is evaluated later.  Results are
 * always those of a full scan.
 */
#ifndef HARK_EXPR_H
#define HARK_EXPR_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "buf.h"

struct hark_expr;
struct hark_expr_set;

/* Nesting deeper than this (parentheses, not, and/or mixes) is a parse
 * error rather than a stack overflow. */
#define HARK_EXPR_MAX_DEPTH 500

/*
 * Compile SRC.  Returns a new expression (free with hark_expr_free) or
 * NULL with err->code 2 and err->line/column relative to SRC (line 1,
 * column 1 = first byte), so callers add the config entry's position.
 */
struct hark_expr *hark_expr_parse(const char *src, struct hark_err *err);
/* 1 when EXPR holds for REC, 0 when not, -1 on a run-time error. */
int hark_expr_eval(const struct hark_expr *e, json_t *rec,
    struct hark_err *err);
void hark_expr_free(struct hark_expr *e);

/*
 * Shared compilation: expressions parsed into one set share one word
 * dictionary, so evaluating many of them against one record through one
 * context folds and scans each text field once.  hark_expr_set_new
 * returns a new set; each expression parsed into it holds a reference,
 * and hark_expr_set_free drops the caller's, so the set lives until its
 * last expression is freed.  Not thread-safe.
 */
struct hark_expr_set *hark_expr_set_new(void);
void hark_expr_set_free(struct hark_expr_set *set);
/* Like hark_expr_parse, adding the expression's words to SET. */
struct hark_expr *hark_expr_parse_in(struct hark_expr_set *set,
    const char *src, struct hark_err *err);

/*
 * Evaluation context: per-record caches (folded text and word matches per
 * field).  Initialise once, point it at each record with
 * hark_expr_ctx_reset, release at the end.  The record is borrowed.
 */
struct hark_expr_cache;
struct hark_expr_ctx {
	json_t *rec;			/* borrowed */
	struct hark_expr_cache *cache;	/* private */
	size_t ncache, acache;		/* private */
	struct hark_buf fold, norm;	/* private scratch */
	size_t *starts;			/* private: word starts in norm */
	size_t nstarts, astarts;
	size_t norm_of;		/* private: cache entry + 1 norm is of */
	/*
	 * Set by the caller: a regular expression whose match fails with an
	 * error (its backtracking limit) counts as no match instead of
	 * failing the evaluation; each such failure sets regex_failed and
	 * regex_msg (the caller clears regex_failed).
	 */
	int lenient_regex;
	int regex_failed;
	char regex_msg[400];
	/* private: the value of each field path of PSET read for this
	 * record, valid while pseen[id] == pgen */
	const struct hark_expr_set *pset;
	json_t **pval;
	unsigned *pseen;
	size_t apaths;
	unsigned pgen;
	int once;		/* private: hark_expr_eval's own context */
	/* private: the path ids of PSET below inv_top, for invalidate */
	size_t *inv_ids, ninv, ainv, inv_npaths;
	const struct hark_expr_set *inv_set;
	char inv_top[32];
};
void hark_expr_ctx_init(struct hark_expr_ctx *c);
void hark_expr_ctx_release(struct hark_expr_ctx *c);
/* Start evaluating REC (borrowed); forgets all caches. */
void hark_expr_ctx_reset(struct hark_expr_ctx *c, json_t *rec);
/*
 * Forget the caches of the fields below the top-level member TOP (NULL:
 * all of them).  Call after changing the record in place, e.g. when a
 * rule sets route.category and later rules match on it.
 */
void hark_expr_ctx_invalidate(struct hark_expr_ctx *c, const char *top);
/* 1, 0 or -1 as hark_expr_eval, using and filling C's caches. */
int hark_expr_eval_ctx(const struct hark_expr *e, struct hark_expr_ctx *c,
    struct hark_err *err);

/*
 * Call FN(ARG, NAME) with the top-level member NAME of every field path E
 * reads ("author" for author.followers), in no particular order and
 * possibly more than once, so a caller can decode only those members of
 * a record.  NAME is borrowed for the call.
 */
void hark_expr_foreach_field(const struct hark_expr *e,
    void (*fn)(void *arg, const char *name), void *arg);

/*
 * Word matching on its own, for callers that hold a list of words rather
 * than an expression: 1 when the folded TEXT contains WORD (raw, folded
 * here) as a word or phrase (PREFIX: the last word may begin a longer
 * one).  Slow path: folds both on every call.
 */
int hark_expr_match_words(const char *text, size_t len, const char *word,
    int prefix);

#endif
