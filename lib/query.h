/*
 * query.h - the one search-query syntax every mention-fetch source obeys.
 *
 *   acme OR "acme bank" -job -author:acme_jobs (refund OR zwrot*)
 *
 * Words match whole words; "phrases" match the words in sequence; a
 * trailing '*' makes a word a prefix ("zwrot*" matches "zwrotu").  Words
 * side by side, or joined by AND, must all match; OR joins alternatives;
 * NOT or a leading '-' negates; parentheses group to any depth.  AND, OR
 * and NOT are operators only in upper case, so the Polish "not" or the
 * English "or" in lower case are plain words.  Precedence: NOT, then AND,
 * then OR.  Field words: author:NAME (author handle, id or name, without
 * '@'), domain:HOST (the item's URL host or a subdomain of it), lang:TAG
 * (the item's language, prefix match: lang:pl matches pl-PL).
 *
 * Matching is case- and diacritic-insensitive through hark_text_fold()
 * ("zasilka" matches "zásilka", "dziala" matches "działa"), on the
 * record's title and text.  Nothing here prints or exits.
 */
#ifndef HARK_QUERY_H
#define HARK_QUERY_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "buf.h"

struct hark_query;

/*
 * Compile SRC.  A new query (free with hark_query_free()), or NULL with
 * err->code 2 and err->column (1-based byte offset in SRC) on a syntax
 * error ("unbalanced '('", "operator 'OR' without a right operand").  An
 * empty or blank SRC compiles to a query that matches everything.
 */
struct hark_query *hark_query_parse(const char *src, struct hark_err *err);
void hark_query_free(struct hark_query *q);

/*
 * 1 when the mention record REC (hark-records(5): title, text, url,
 * lang, author.handle/id/name) satisfies Q, else 0.  Q NULL matches.
 */
int hark_query_match(const struct hark_query *q, json_t *rec);

/* Whether Q matches everything (no terms). */
int hark_query_is_empty(const struct hark_query *q);

enum hark_query_style {
	HARK_QUERY_BOOLEAN,	/* Reddit, Bluesky (Lucene): a AND (b OR c)
				 * NOT d, author:x, site:x */
	HARK_QUERY_X,		/* X v2: a (b OR c) -d from:x url:x */
	HARK_QUERY_TERMS	/* HN, Mastodon, YouTube: the words and
				 * phrases that must or may occur, no
				 * operators */
};

/*
 * Append to OUT the native form of Q in STYLE, an over-approximation:
 * whatever the native API cannot express is dropped in the direction
 * that widens the search (the local match narrows it again).  *ANY (may
 * be NULL) is set to 1 when the TERMS rendering lists alternatives (the
 * query has OR), i.e. any one of the words suffices.  -1 only when OUT's
 * maximum is exceeded.
 */
int hark_query_render(const struct hark_query *q, enum hark_query_style style,
    struct hark_buf *out, int *any);

#endif
