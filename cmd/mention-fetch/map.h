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
				 * fetcher needs (e.g. X includes.users) */
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

/* Release what a page owns (not the records array). */
void mf_page_release(struct mf_page *page);

#endif
