/*
 * mention.h - building normalized mention records (hark-records(5),
 * schema v1), the objects mention-fetch writes one per line.
 *
 * A record always has every schema key, in this order, so that jq
 * programs and jansson readers see one stable layout:
 *
 *   v source id native_id kind url created_at updated_at
 *   author{id handle name url followers is_brand} title text html lang
 *   thread{root_id parent_id in_reply_to_author_id}
 *   context{community title url}
 *   metrics{likes reposts replies quotes score views}
 *   rating query fetched_at [raw]
 *
 * Absent data is null, never 0 or "": the string setters store null for
 * NULL or empty input.  Two exceptions: "text" is always a string ("" when
 * the item has no body) and "author.is_brand" is always a boolean.  Every
 * string stored is valid UTF-8 without NUL bytes (invalid bytes become
 * U+FFFD), so jansson never rejects it.  Times are stored as RFC 3339 UTC
 * "YYYY-MM-DDTHH:MM:SSZ".
 *
 * Setters name a member by PATH: a top-level key ("title") or
 * "object.key" ("author.handle", "metrics.likes").  A path that is not in
 * the schema is a programming error: the setter returns -1 and adds
 * nothing, so a typo can never grow the layout.  Setters return 0 on
 * success; nothing here prints or exits (except hark_x* on out of memory).
 */
#ifndef HARK_MENTION_H
#define HARK_MENTION_H

#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "htime.h"

#define HARK_MENTION_VERSION 1

/*
 * A new record (new reference): every key present and null except
 * v = 1, source = SOURCE (the source type: "rss", "atom",
 * "google_alerts", "reddit", "hackernews", "mastodon", "bluesky", "x",
 * "facebook", "youtube", "google_business"), text = "", author.is_brand =
 * false, query = QUERY (may be NULL) and fetched_at = FETCHED_AT.
 */
json_t *hark_mention_new(const char *source, const char *query,
    hark_time_t fetched_at);

/*
 * Set the member at PATH to VALUE, which is stolen (also on error);
 * VALUE NULL stores null.  -1 when PATH is not a schema key.
 */
int hark_mention_set(json_t *rec, const char *path, json_t *value);

/* Store a copy of S (NUL-terminated) / S[0..LEN); NULL or "" -> null. */
int hark_mention_set_str(json_t *rec, const char *path, const char *s);
int hark_mention_set_strn(json_t *rec, const char *path, const char *s,
    size_t len);
/* Store an integer. */
int hark_mention_set_int(json_t *rec, const char *path, json_int_t v);
/* Store T formatted as "YYYY-MM-DDTHH:MM:SSZ". */
int hark_mention_set_time(json_t *rec, const char *path, hark_time_t t);
/*
 * Parse S with hark_time_parse_any() (RFC 3339 with any offset or
 * fraction, RFC 2822, Twitter's form, epoch seconds) and store it as
 * above.  NULL or "" stores null and returns 0; an unparseable S leaves
 * the member unchanged and returns -1 with a message in ERR.
 */
int hark_mention_set_time_str(json_t *rec, const char *path, const char *s,
    struct hark_err *err);

/*
 * Store "id" = "<source>:<NATIVE_ID>" (source taken from the record) and
 * "native_id" = NATIVE_ID.  -1 when NATIVE_ID is NULL or empty.
 */
int hark_mention_set_id(json_t *rec, const char *native_id);
/* The normalized id "<SOURCE>:<NATIVE_ID>" as a new string (caller
 * frees), or NULL when NATIVE_ID is NULL or empty. */
char *hark_mention_id(const char *source, const char *native_id);

/*
 * Store HTML[0..LEN) as "html" (as given, UTF-8 repaired) and its plain
 * text (hark_html_to_text()) as "text".  HTML NULL leaves both unchanged.
 */
int hark_mention_set_html(json_t *rec, const char *html, size_t len);

enum hark_mention_text_flags {
	HARK_MENTION_UNESCAPE = 1	/* decode character references first */
};
/*
 * Store the plain text S[0..LEN) as "text", collapsed (html.h); with
 * HARK_MENTION_UNESCAPE, references such as X's "&amp;" are decoded once
 * first.  S NULL stores "".
 */
int hark_mention_set_text(json_t *rec, const char *s, size_t len,
    int flags);

/* Store a language tag as given; NULL, "", "und", "zxx", "qme" and the
 * other "q.."/"x-" private tags X uses for "no language" store null. */
int hark_mention_set_lang(json_t *rec, const char *lang);

/*
 * Non-zero when ID or HANDLE (either may be NULL) equals one of BRANDS
 * (N entries, already lower case and without '@'), comparing ASCII case
 * insensitively after removing a leading '@' from ID/HANDLE.
 */
int hark_mention_brand_match(const char *const *brands, size_t n,
    const char *id, const char *handle);
/* Set author.is_brand from the record's author.id and author.handle. */
int hark_mention_set_brand(json_t *rec, const char *const *brands,
    size_t n);

/* Append "raw" = RAW (stolen) after fetched_at; RAW NULL does nothing. */
int hark_mention_set_raw(json_t *rec, json_t *raw);

/* The string at PATH (borrowed, valid while REC lives) or NULL when the
 * member is null, missing or not a string. */
const char *hark_mention_get_str(const json_t *rec, const char *path);

/*
 * The record's own time: "created_at", else "fetched_at" (a missing or
 * null member is skipped).  1 with *T set when one is found, 0 when
 * neither is there (the caller picks a default, usually now); -1 with
 * HARK_EXIT_DATA in ERR when the first one present is not a string or
 * not a time hark_time_parse_any() reads.
 */
int hark_mention_time(const json_t *rec, hark_time_t *t,
    struct hark_err *err);

#endif
