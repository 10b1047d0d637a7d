/*
 * map.h - turning one response body of a source into mention records
 * (hark-records(5), schema v1).  One mf_map_<type>() per source type, in
 * map-<type>.c; they never touch the network, the clock or global state,
 * so they are unit-tested on canned bodies.
 */
#ifndef MF_MAP_H
#define MF_MAP_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "htime.h"

struct mf_map_ctx {
	const char *source;		/* config section name ("acme-x") */
	const char *type;		/* "rss", "reddit", "x", ... */
	const char *base_url;		/* the source's base URL (borrowed) */
	const char *request_url;	/* URL this body answered (borrowed) */
	const char *content_type;	/* response Content-Type or NULL */
	const char *query;		/* query/monitor name for .query, or NULL */
	const char *const *brands;	/* brand account handles/ids, folded to
					 * lower case, without '@' */
	size_t nbrands;
	hark_time_t fetched_at;
	int raw;			/* --raw: add the untouched item as .raw */
};

struct mf_page {
	json_t *records;	/* array (borrowed): the mapper appends records */
	char *next;		/* NEW string: cursor/URL of the next page, or
				 * NULL when this was the last page */
	char *newest;		/* NEW string: newest id or time on the page
				 * (the source's own incremental cursor), or
				 * NULL */
	json_t *extra;		/* NEW object or NULL: anything else the
				 * fetcher needs (e.g. X includes.users);
				 * "malformed": a broken body whose records
				 * were recovered (the reason) */
};

/*
 * Each mapper parses BODY (LEN bytes), appends one record per item to
 * PAGE->records in the source's order, and fills next/newest.  A body
 * that is not in the documented shape returns -1 with err->code 3 and a
 * short reason ("malformed Reddit listing: 'data.children' missing").
 */
typedef int mf_map_fn(const char *body, size_t len,
    const struct mf_map_ctx *ctx, struct mf_page *page,
    struct hark_err *err);

mf_map_fn mf_map_feed;		/* RSS 2.0, Atom, Google Alerts (XML) */
mf_map_fn mf_map_reddit;	/* /search.json, /comments listing */
mf_map_fn mf_map_hackernews;	/* Algolia search_by_date */
mf_map_fn mf_map_mastodon;	/* /api/v2/search, timelines, /context */
mf_map_fn mf_map_bluesky;	/* app.bsky.feed.searchPosts, getPostThread */
mf_map_fn mf_map_x;		/* /2/tweets/search/recent with expansions */
mf_map_fn mf_map_facebook;	/* /{page-id}/posts, /{post-id}/comments */
mf_map_fn mf_map_youtube;	/* commentThreads.list */
mf_map_fn mf_map_google_business; /* accounts.locations.reviews.list */

/*
 * Helpers shared by the map-*.c files (map.c).  Conventions every mapper
 * follows (docs/hark-records-mention.md):
 *  - page->newest is an id for sources that page by id (X: meta.newest_id,
 *    Mastodon: the largest status id) and otherwise the newest created_at
 *    on the page as "YYYY-MM-DDTHH:MM:SSZ";
 *  - an item that cannot be used (no id) is skipped and an item with a
 *    bad time gets created_at = fetched_at; both add a line to
 *    page->extra "warnings" (array of strings) for the fetcher to print;
 *  - with ctx->raw the untouched item is added as .raw.
 */

/* A new record for SOURCE ("rss", "x", ...) with ctx's query and
 * fetched_at (new reference). */
json_t *mf_record_new(const struct mf_map_ctx *ctx, const char *source);
/* Set author.is_brand, fill a null created_at from fetched_at, track
 * page->newest (time sources) and append REC (stolen) to page->records. */
void mf_page_add(struct mf_page *page, const struct mf_map_ctx *ctx,
    json_t *rec);
/* Append a formatted line to page->extra.warnings. */
void mf_page_warn(struct mf_page *page, const char *fmt, ...)
    HARK_PRINTF(2, 3);
/* Set page->extra[KEY] = VALUE (stolen). */
void mf_page_extra(struct mf_page *page, const char *key, json_t *value);
/* Parse BODY as JSON into *OUT (new reference); -1 with err->code 3
 * "malformed WHAT: invalid JSON: ..." otherwise. */
int mf_json_load(const char *body, size_t len, const char *what,
    json_t **out, struct hark_err *err);
/* err->code 3 and the message; returns -1. */
int mf_malformed(struct hark_err *err, const char *fmt, ...)
    HARK_PRINTF(2, 3);
/* Member at a dotted PATH ("public_metrics.like_count"), borrowed or NULL. */
json_t *mf_get(const json_t *o, const char *path);
/* String at PATH, borrowed, or NULL (not a string / missing / ""). */
const char *mf_str(const json_t *o, const char *path);
/* Integer at PATH (JSON integer, integral real or decimal string):
 * 0 and *OUT set, or -1. */
int mf_int(const json_t *o, const char *path, json_int_t *out);
/* Copy integer at PATH into record member RPATH when present. */
void mf_set_int(json_t *rec, const char *rpath, const json_t *o,
    const char *path);
/* Set record time member RPATH from S; a bad S adds a warning naming
 * WHAT and leaves the member null. */
void mf_set_time(json_t *rec, const char *rpath, const char *s,
    struct mf_page *page, const char *what);
/* The id "<SOURCE>:<NATIVE>" as a json string, or null when NATIVE is
 * NULL/empty (new reference). */
json_t *mf_id(const char *source, const char *native);
/* The value at PATH as an id string: a JSON string as is, a JSON
 * integer in decimal (into BUF); NULL when absent or empty.  Borrowed
 * (from O or BUF). */
const char *mf_idstr(const json_t *o, const char *path, char buf[32]);
/* Non-zero when decimal id A is greater than B (longer is greater). */
int mf_id_greater(const char *a, const char *b);
/* Replace *SLOT (freed) by a copy of S (NULL allowed). */
void mf_replace(char **slot, const char *s);
/* Host of URL ("mastodon.social") as a new string, or NULL. */
char *mf_url_host(const char *url);
/* Value of query parameter NAME in URL, percent-decoded ('+' = ' '), as a
 * new string, or NULL when absent. */
char *mf_url_param(const char *url, const char *name);

/* Release what a page owns (not the records array). */
void mf_page_release(struct mf_page *page);

#endif
