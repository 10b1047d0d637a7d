/*
 * map-bluesky.c - Bluesky / AT Protocol post views (searchPosts,
 * getAuthorFeed/getTimeline feeds, getPostThread, listNotifications) to
 * records.  Ids are the post's at:// URI.
 */
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "mention.h"
#include "map.h"

struct bsky {
	const struct mf_map_ctx *ctx;
	struct mf_page *page;
	json_t *seen;	/* uris already emitted (threads repeat posts) */
};

/*
 * The record text with shortened link labels replaced by the facet's
 * full URI ("example.com/very-lon..." -> "https://example.com/very-long"),
 * new string.  Facet ranges are UTF-8 byte offsets; ranges that are out
 * of order, overlapping or out of bounds are ignored.
 */
static char *
expand_links(const char *text, const json_t *facets)
{
	struct hark_buf b;
	size_t len = strlen(text), pos = 0, i, j;
	json_t *f, *feat;

	hark_buf_init(&b, 4 * len + 65536);
	json_array_foreach(facets, i, f) {
		json_int_t s, e;
		const char *uri = NULL;

		json_array_foreach(json_object_get(f, "features"), j, feat) {
			const char *type = mf_str(feat, "$type");

			if (type != NULL &&
			    strcmp(type, "app.bsky.richtext.facet#link") == 0)
				uri = mf_str(feat, "uri");
		}
		if (uri == NULL || mf_int(f, "index.byteStart", &s) == -1 ||
		    mf_int(f, "index.byteEnd", &e) == -1 || s < (json_int_t)pos ||
		    e <= s || e > (json_int_t)len)
			continue;
		/* Only labels that are a shortened form of the URI. */
		if (strncmp(text + s, uri, (size_t)(e - s)) == 0)
			continue;
		hark_buf_add(&b, text + pos, (size_t)s - pos);
		hark_buf_addstr(&b, uri);
		pos = (size_t)e;
	}
	hark_buf_add(&b, text + pos, len - pos);
	return hark_buf_detach(&b, NULL);
}

static void
bsky_map_post(struct bsky *m, const json_t *p, const char *parent_author)
{
	const struct mf_map_ctx *ctx = m->ctx;
	const char *uri = mf_str(p, "uri"), *handle, *did, *text, *rkey;
	json_t *rec, *r = json_object_get(p, "record");
	char *s;

	if (uri == NULL || !json_is_object(r)) {
		mf_page_warn(m->page, "Bluesky post without 'uri'/'record' "
		    "skipped");
		return;
	}
	if (json_object_get(m->seen, uri) != NULL)
		return;
	json_object_set_new(m->seen, uri, json_true());
	rec = mf_record_new(ctx, "bluesky");
	hark_mention_set_id(rec, uri);
	hark_mention_set_str(rec, "kind", json_is_object(json_object_get(r,
	    "reply")) ? "comment" : "post");
	did = mf_str(p, "author.did");
	handle = mf_str(p, "author.handle");
	rkey = strrchr(uri, '/');
	if (rkey != NULL && rkey[1] != '\0' && (handle != NULL ||
	    did != NULL)) {
		s = hark_xasprintf("https://bsky.app/profile/%s/post/%s",
		    handle != NULL ? handle : did, rkey + 1);
		hark_mention_set_str(rec, "url", s);
		free(s);
	}
	mf_set_time(rec, "created_at", mf_str(r, "createdAt") != NULL ?
	    mf_str(r, "createdAt") : mf_str(p, "indexedAt"), m->page,
	    "Bluesky createdAt");
	hark_mention_set_str(rec, "author.id", did);
	hark_mention_set_str(rec, "author.handle", handle);
	hark_mention_set_str(rec, "author.name",
	    mf_str(p, "author.displayName"));
	if (handle != NULL || did != NULL) {
		s = hark_xasprintf("https://bsky.app/profile/%s",
		    handle != NULL ? handle : did);
		hark_mention_set_str(rec, "author.url", s);
		free(s);
	}
	mf_set_int(rec, "author.followers", p, "author.followersCount");
	if ((text = mf_str(r, "text")) != NULL) {
		s = expand_links(text, json_object_get(r, "facets"));
		hark_mention_set_text(rec, s, strlen(s), 0);
		free(s);
	}
	hark_mention_set_lang(rec, json_string_value(json_array_get(
	    json_object_get(r, "langs"), 0)));
	hark_mention_set(rec, "thread.root_id", mf_id("bluesky",
	    mf_str(r, "reply.root.uri")));
	hark_mention_set(rec, "thread.parent_id", mf_id("bluesky",
	    mf_str(r, "reply.parent.uri")));
	hark_mention_set_str(rec, "thread.in_reply_to_author_id",
	    parent_author);
	mf_set_int(rec, "metrics.likes", p, "likeCount");
	mf_set_int(rec, "metrics.reposts", p, "repostCount");
	mf_set_int(rec, "metrics.replies", p, "replyCount");
	mf_set_int(rec, "metrics.quotes", p, "quoteCount");
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(p));
	mf_page_add(m->page, ctx, rec);
}

static int
is_thread_view(const json_t *t)
{
	const char *type = mf_str(t, "$type");

	return json_is_object(json_object_get(t, "post")) && (type == NULL ||
	    strcmp(type, "app.bsky.feed.defs#threadViewPost") == 0);
}

/* Ancestors first (root down), then the post, then replies depth first. */
static void
map_thread(struct bsky *m, const json_t *t, const char *parent_author,
    int up, int depth)
{
	json_t *parent = json_object_get(t, "parent"), *c;
	size_t i;

	if (!is_thread_view(t) || depth > 1000)
		return;
	if (up && is_thread_view(parent)) {
		map_thread(m, parent, NULL, 1, depth + 1);
		parent_author = mf_str(parent, "post.author.did");
	}
	bsky_map_post(m, json_object_get(t, "post"), parent_author);
	if (!up || depth == 0)
		json_array_foreach(json_object_get(t, "replies"), i, c)
			map_thread(m, c, mf_str(t, "post.author.did"), 0,
			    depth + 1);
}

int
mf_map_bluesky(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	struct bsky m;
	json_t *root, *arr, *e;
	size_t i;
	int rc = 0;

	if (mf_json_load(body, len, "Bluesky response", &root, err) == -1)
		return -1;
	memset(&m, 0, sizeof(m));
	m.ctx = ctx;
	m.page = page;
	m.seen = json_object();
	if (!json_is_object(root)) {
		rc = mf_malformed(err, "malformed Bluesky response: not an "
		    "object");
	} else if (json_is_array(arr = json_object_get(root, "posts"))) {
		json_array_foreach(arr, i, e)
			bsky_map_post(&m, e, NULL);
	} else if (json_is_array(arr = json_object_get(root, "feed"))) {
		json_array_foreach(arr, i, e)
			bsky_map_post(&m, json_object_get(e, "post"),
			    mf_str(e, "reply.parent.author.did"));
	} else if (json_is_array(arr = json_object_get(root,
	    "notifications"))) {
		json_array_foreach(arr, i, e) {
			const char *type = mf_str(e, "record.$type");

			if (type != NULL && strcmp(type,
			    "app.bsky.feed.post") == 0)
				bsky_map_post(&m, e, NULL);
		}
	} else if (json_is_array(arr = json_object_get(root, "profiles"))) {
		/* app.bsky.actor.getProfiles: no records, the follower
		 * counts for the fetcher (extra "profiles": {DID: N}) */
		json_t *counts = json_object();
		json_int_t n;

		json_array_foreach(arr, i, e)
			if (mf_str(e, "did") != NULL &&
			    mf_int(e, "followersCount", &n) == 0)
				json_object_set_new(counts, mf_str(e, "did"),
				    json_integer(n));
		mf_page_extra(page, "profiles", counts);
	} else if (json_is_object(json_object_get(root, "thread"))) {
		const json_t *t = json_object_get(root, "thread");

		if (is_thread_view(t))
			map_thread(&m, t, NULL, 1, 0);
		else
			mf_page_warn(page, "Bluesky thread not found or "
			    "blocked");
	} else if (mf_str(root, "error") != NULL) {
		const char *msg = mf_str(root, "message");
		char clean[200];

		if (msg == NULL)
			msg = mf_str(root, "error");
		hark_sanitize(clean, sizeof(clean), msg, strlen(msg));
		rc = mf_malformed(err, "Bluesky API error: %s", clean);
	} else {
		rc = mf_malformed(err, "malformed Bluesky response: neither "
		    "'posts', 'feed', 'notifications', 'profiles' nor "
		    "'thread'");
	}
	if (rc == 0)
		mf_replace(&page->next, mf_str(root, "cursor"));
	json_decref(m.seen);
	json_decref(root);
	return rc;
}
