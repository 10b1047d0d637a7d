/*
 * map-x.c - X API v2 post lists (/2/tweets/search/recent, /search/all,
 * /2/users/:id/mentions, /2/tweets?ids=) with expansions to records.
 */
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "mention.h"
#include "map.h"

static json_t *
find_user(json_t *users, const char *id)
{
	size_t i;
	json_t *u;

	if (id == NULL)
		return NULL;
	json_array_foreach(users, i, u) {
		const char *uid = mf_str(u, "id");

		if (uid != NULL && strcmp(uid, id) == 0)
			return u;
	}
	return NULL;
}

static const char *
replied_to(const json_t *t)
{
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(t, "referenced_tweets"), i, r) {
		const char *type = mf_str(r, "type");

		if (type != NULL && strcmp(type, "replied_to") == 0)
			return mf_str(r, "id");
	}
	return NULL;
}

/*
 * TEXT with every t.co link of ENTITIES ("urls": [{url, expanded_url}])
 * replaced by the link it stands for, new string.
 */
static char *
expand_urls(const char *text, const json_t *entities)
{
	struct hark_buf b;
	const char *p = text;
	size_t i;
	json_t *u;

	hark_buf_init(&b, 8 * strlen(text) + 65536);
	while (*p != '\0') {
		const char *best = NULL, *to = NULL;
		size_t blen = 0;

		if (strncmp(p, "https://t.co/", 13) == 0 ||
		    strncmp(p, "http://t.co/", 12) == 0)
			json_array_foreach(json_object_get(entities, "urls"), i,
			    u) {
				const char *from = mf_str(u, "url");
				const char *x = mf_str(u, "expanded_url");
				size_t n = from != NULL ? strlen(from) : 0;

				if (x != NULL && n > blen &&
				    strncmp(p, from, n) == 0) {
					best = from;
					blen = n;
					to = x;
				}
			}
		if (best != NULL) {
			hark_buf_addstr(&b, to);
			p += blen;
		} else
			hark_buf_addch(&b, *p++);
	}
	return hark_buf_detach(&b, NULL);
}

static void
map_tweet(const json_t *t, json_t *users, const struct mf_map_ctx *ctx,
    struct mf_page *page)
{
	const char *id = mf_str(t, "id"), *author_id, *username = NULL;
	const char *parent, *text;
	json_t *rec, *u, *ents;
	char *url;

	if (!json_is_object(t) || id == NULL) {
		mf_page_warn(page, "X post without 'id' skipped");
		return;
	}
	author_id = mf_str(t, "author_id");
	u = find_user(users, author_id);
	rec = mf_record_new(ctx, "x");
	hark_mention_set_id(rec, id);
	parent = replied_to(t);
	hark_mention_set_str(rec, "kind", parent != NULL ||
	    mf_str(t, "in_reply_to_user_id") != NULL ? "comment" : "post");
	if (u != NULL)
		username = mf_str(u, "username");
	if (username != NULL)
		url = hark_xasprintf("https://x.com/%s/status/%s", username, id);
	else
		url = hark_xasprintf("https://x.com/i/web/status/%s", id);
	hark_mention_set_str(rec, "url", url);
	free(url);
	mf_set_time(rec, "created_at", mf_str(t, "created_at"), page,
	    "X post created_at");
	hark_mention_set_str(rec, "author.id", author_id);
	if (u != NULL) {
		hark_mention_set_str(rec, "author.handle", username);
		hark_mention_set_str(rec, "author.name", mf_str(u, "name"));
		if (username != NULL) {
			url = hark_xasprintf("https://x.com/%s", username);
			hark_mention_set_str(rec, "author.url", url);
			free(url);
		}
		mf_set_int(rec, "author.followers", u,
		    "public_metrics.followers_count");
	}
	/* Long posts: the full text is in note_tweet, text is cut. */
	ents = json_object_get(t, "entities");
	if ((text = mf_str(t, "note_tweet.text")) != NULL)
		ents = mf_get(t, "note_tweet.entities");
	else
		text = mf_str(t, "text");
	if (text != NULL) {
		char *x = expand_urls(text, ents);

		hark_mention_set_text(rec, x, strlen(x),
		    HARK_MENTION_UNESCAPE);
		free(x);
	}
	hark_mention_set_lang(rec, mf_str(t, "lang"));
	hark_mention_set(rec, "thread.root_id",
	    mf_id("x", mf_str(t, "conversation_id")));
	hark_mention_set(rec, "thread.parent_id", mf_id("x", parent));
	hark_mention_set_str(rec, "thread.in_reply_to_author_id",
	    mf_str(t, "in_reply_to_user_id"));
	mf_set_int(rec, "metrics.likes", t, "public_metrics.like_count");
	mf_set_int(rec, "metrics.reposts", t, "public_metrics.retweet_count");
	mf_set_int(rec, "metrics.replies", t, "public_metrics.reply_count");
	mf_set_int(rec, "metrics.quotes", t, "public_metrics.quote_count");
	mf_set_int(rec, "metrics.views", t, "public_metrics.impression_count");
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(t));
	mf_page_add(page, ctx, rec);
}

int
mf_map_x(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	json_t *root, *data, *users, *meta, *errors, *e;
	const char *s;
	size_t i;

	if (mf_json_load(body, len, "X response", &root, err) == -1)
		return -1;
	if (!json_is_object(root)) {
		json_decref(root);
		return mf_malformed(err, "malformed X response: not an object");
	}
	data = json_object_get(root, "data");
	meta = json_object_get(root, "meta");
	errors = json_object_get(root, "errors");
	if (data == NULL && meta == NULL) {
		/* Problem JSON or {"errors":[...]} alone: nothing usable. */
		const char *d = mf_str(root, "detail");

		if (d == NULL)
			d = mf_str(json_array_get(errors, 0), "message");
		if (d == NULL)
			d = mf_str(json_array_get(errors, 0), "detail");
		if (d != NULL) {
			char clean[200];

			hark_sanitize(clean, sizeof(clean), d, strlen(d));
			mf_malformed(err, "X API error: %s", clean);
		} else
			mf_malformed(err, "malformed X response: neither "
			    "'data' nor 'meta'");
		json_decref(root);
		return -1;
	}
	if (data != NULL && !json_is_array(data) && !json_is_object(data)) {
		json_decref(root);
		return mf_malformed(err, "malformed X response: 'data' is not "
		    "an array");
	}
	if (meta != NULL && !json_is_object(meta)) {
		json_decref(root);
		return mf_malformed(err, "malformed X response: 'meta' is not "
		    "an object");
	}
	users = mf_get(root, "includes.users");
	if (json_is_object(data))
		map_tweet(data, users, ctx, page);
	else
		json_array_foreach(data, i, e)
			map_tweet(e, users, ctx, page);
	json_array_foreach(errors, i, e) {
		const char *t = mf_str(e, "title"), *d = mf_str(e, "detail");

		mf_page_warn(page, "X API: %s%s%s", t != NULL ? t : "error",
		    d != NULL ? ": " : "", d != NULL ? d : "");
	}
	free(page->next);
	page->next = (s = mf_str(meta, "next_token")) != NULL ?
	    hark_xstrdup(s) : NULL;
	free(page->newest);
	page->newest = (s = mf_str(meta, "newest_id")) != NULL ?
	    hark_xstrdup(s) : NULL;
	if (json_is_array(users))
		mf_page_extra(page, "users", json_incref(users));
	json_decref(root);
	return 0;
}
