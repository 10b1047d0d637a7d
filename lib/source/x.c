/*
 * x.c - X API v2 post lists (/2/tweets/search/recent, /search/all,
 * /2/users/:id/mentions, /2/tweets?ids=) with expansions to records.
 */
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "mention.h"
#include "source.h"
#include "write.h"
#include "json.h"

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

static int
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

/* --- the request side ------------------------------------------------ */

static const char x_fields[] = "author_id,conversation_id,created_at,"
    "entities,in_reply_to_user_id,lang,note_tweet,public_metrics,"
    "referenced_tweets";
static const char x_user_fields[] = "created_at,description,name,"
    "public_metrics,username,verified";

static int
x_setup(struct mf_source *s, struct hark_err *err)
{
	mf_default_base(s, "https://api.x.com");
	if (mf_need_token(s, "a bearer token", err) < 0)
		return -1;
	mf_set_bearer(s, s->token);
	return 0;
}

static void
x_search(struct mf_source *s, const char *stream, const char *q, int kind)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	const char *newest = mf_backfill(s) ? NULL :
	    mf_state_get(s, stream, "newest");
	char lim[32], tb[HARK_TIME_BUFSZ], *u;

	snprintf(lim, sizeof(lim), "%ld", s->page_size < 10 ? 10 :
	    HARK_MIN(s->page_size, 100L));
	u = mf_url_join(s, "/2/tweets/search/recent");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "query", q);
	mf_param(&b, "max_results", lim);
	mf_param(&b, "tweet.fields", x_fields);
	mf_param(&b, "expansions", "author_id,referenced_tweets.id");
	mf_param(&b, "user.fields", x_user_fields);
	if (newest != NULL)
		mf_param(&b, "since_id", newest);
	else if (s->run->since >= 0)
		mf_param(&b, "start_time", hark_time_format(s->run->since, tb));
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, stream, u, kind, NULL);
	free(u);
}

static void
x_start(struct mf_source *s)
{
	size_t i;

	if (s->native != NULL && *s->native != '\0')
		x_search(s, "search", s->native, MF_K_PAGE);
	for (i = 0; i < s->nbrands; i++) {
		char *q = hark_xasprintf("from:%s", s->brands[i]);
		char *st = hark_xasprintf("brand:%s", s->brands[i]);

		x_search(s, st, q, MF_K_PAGE);
		free(q);
		free(st);
	}
}

static void
x_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec;
	size_t i;

	(void)r;
	/* the conversation of a matching post that has replies: the
	 * customers' follow-ups and the brand's answers (7 days back) */
	json_array_foreach(pg->records, i, rec) {
		const char *nid = mf_rstr(rec, "native_id");
		const char *kind = mf_rstr(rec, "kind");
		char *q, *st;

		if (c->kind != MF_K_PAGE || nid == NULL || kind == NULL ||
		    strcmp(kind, "post") != 0 || !mf_wants_thread(s, rec))
			continue;
		s->threads++;
		q = hark_xasprintf("conversation_id:%s", nid);
		st = hark_xasprintf("thread:%s", nid);
		x_search(s, st, q, MF_K_THREAD);
		free(q);
		free(st);
	}
	/* the same since_id on every page; only next_token changes */
	mf_next_by_param(s, c, "next_token", pg->next, pg);
}

/* --- the driver ------------------------------------------------------ */

/* --- the write side (reply-send) ------------------------------------- */

/*
 * X API v2: a reply is POST /2/tweets with reply.in_reply_to_tweet_id
 * (a user-context token: the account posts); a private message is POST
 * /2/dm_conversations/with/:participant_id/messages.  Neither answer
 * carries a time, but X ids are snowflakes: the time is in the id.
 */
static int
x_need_user(struct mf_source *s, struct hark_err *err)
{
	if (s->auth == NULL)
		return hark_err_set(err, 2, "posting needs a user access token "
		    "(%s)", mf_secret_var(s, "WRITE_TOKEN"));
	return 0;
}

static void
x_write_json(struct mf_source *s, const struct mf_write *w, const char *path,
    json_t *o)
{
	char *body = hark_json_dumps(o, JSON_COMPACT);
	char *u = mf_url_join(s, path);

	mf_write_submit(s, w, "POST", u, MF_K_WRITE, "application/json", body,
	    NULL);
	free(body);
	free(u);
	json_decref(o);
}

static int
x_post_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	if (x_need_user(s, err) < 0)
		return -1;
	x_write_json(s, w, "/2/tweets", json_pack("{s:s, s:{s:s}}", "text",
	    w->text, "reply", "in_reply_to_tweet_id", w->native_id));
	return 0;
}

static int
x_send_private(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	char *e, *p;

	if (x_need_user(s, err) < 0)
		return -1;
	if (w->recipient == NULL)
		return hark_err_set(err, 3, "a direct message needs the "
		    "author's id");
	e = hark_http_escape(w->recipient);
	p = hark_xasprintf("/2/dm_conversations/with/%s/messages", e);
	x_write_json(s, w, p, json_pack("{s:s}", "text", w->text));
	free(e);
	free(p);
	return 0;
}

/* The brand's tweets in the conversation, from recent search. */
static int
x_find_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	const char *root = w->thread;
	char *q, *u;

	if (s->nbrands == 0)
		return hark_err_set(err, 2, "reading a thread back needs "
		    "'brand' (the account that posts)");
	if (root != NULL && strncmp(root, "x:", 2) == 0)
		root += 2;
	if (root == NULL)
		root = w->native_id;
	q = hark_xasprintf("conversation_id:%s from:%s", root, s->brands[0]);
	u = mf_url_join(s, "/2/tweets/search/recent");
	hark_buf_addstr(&b, u);
	mf_param(&b, "query", q);
	mf_param(&b, "tweet.fields", "created_at,author_id,referenced_tweets");
	mf_param(&b, "max_results", "100");
	free(u);
	u = hark_buf_detach(&b, NULL);
	mf_write_submit(s, w, "GET", u, MF_K_READBACK, NULL, NULL, NULL);
	free(u);
	free(q);
	return 0;
}

/* RFC 3339 time of X snowflake ID into BUF, or NULL. */
static const char *
x_snowflake_time(const char *id, char buf[HARK_TIME_BUFSZ])
{
	unsigned long long v;
	char *end;

	if (id == NULL)
		return NULL;
	errno = 0;
	v = strtoull(id, &end, 10);
	if (errno != 0 || *end != '\0' || v < (1ull << 22))
		return NULL;
	return hark_time_format((hark_time_t)(((v >> 22) +
	    1288834974657ull) / 1000), buf);
}

static void
x_write_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j, *d, *m;
	struct mf_written w;
	char tb[HARK_TIME_BUFSZ], ub[128];
	const char *nid;
	size_t i, k;

	if (!MF_K_IS_WRITE(c->kind)) {
		mf_no_special(s, c, r);
		return;
	}
	j = mf_write_json(r);
	memset(&w, 0, sizeof(w));
	w.key = c->arg;
	w.found = 1;
	if (s->nbrands > 0)
		w.author_handle = s->brands[0];
	if (c->kind == MF_K_WRITE) {
		w.native_id = mf_str(j, "data.id");
		if (w.native_id == NULL)	/* a direct message */
			w.native_id = mf_str(j, "data.dm_event_id");
		if (w.native_id == NULL) {
			mf_write_failed(s, c->arg, "the answer has no id", 1, 0);
			json_decref(j);
			return;
		}
		w.created_at = x_snowflake_time(w.native_id, tb);
		if (mf_str(j, "data.id") != NULL) {
			snprintf(ub, sizeof(ub), "https://x.com/i/web/status/%s",
			    w.native_id);
			w.url = ub;
		}
		mf_write_done(s, &w);
		json_decref(j);
		return;
	}
	m = mf_write_memo(s, c->arg);
	nid = json_string_value(json_object_get(m, "native_id"));
	d = json_object_get(j, "data");
	for (i = 0; nid && i < json_array_size(d); i++) {
		json_t *t = json_array_get(d, i), *refs;

		refs = json_object_get(t, "referenced_tweets");
		for (k = 0; k < json_array_size(refs); k++) {
			const char *ty = mf_str(json_array_get(refs, k), "type");
			const char *id = mf_str(json_array_get(refs, k), "id");

			if (ty && id && strcmp(ty, "replied_to") == 0 &&
			    strcmp(id, nid) == 0) {
				w.native_id = mf_str(t, "id");
				w.created_at = mf_str(t, "created_at");
				w.author_id = mf_str(t, "author_id");
				mf_write_done(s, &w);
				json_decref(j);
				return;
			}
		}
	}
	mf_write_found(s, c, NULL);
	json_decref(j);
}

const struct mf_driver mf_driver_x = {
	.type = "x", .map = mf_map_x, .setup = x_setup, .start = x_start,
	.special = x_write_special, .after_page = x_after,
	.query_style = HARK_QUERY_X,
	.post_reply = x_post_reply, .send_private = x_send_private,
	.find_reply = x_find_reply,
};
