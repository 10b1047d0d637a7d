/*
 * x-dm.c - X direct messages of the brand's account through the X API v2
 * Direct Messages lookup:
 *
 *   GET /2/dm_events?event_types=MessageCreate&dm_event.fields=...
 *	&expansions=sender_id,referenced_tweets.id&user.fields=...
 *	every DM event of the authenticated user (sent and received) of the
 *	last 30 days, newest first; pages by pagination_token = the
 *	previous page's meta.next_token; read until an event older than the
 *	last run's newest
 *
 * Auth: a user access token (OAuth 2.0 with the dm.read, tweet.read and
 * users.read scopes, or OAuth 1.0a user context); app-only bearer tokens
 * are refused.  A refused token (HTTP 401: expired or revoked) fails the
 * source and says so.  Rate limits come in the x-rate-limit-* headers
 * (per user), handled by the engine as for type x.
 *
 * Records: kind "message", "visibility": "private", id "x:dm:<event id>",
 * thread.root_id "x:dm_conversation:<dm_conversation_id>" (one per
 * conversation), author from includes.users (the brand's account, in
 * 'brand' by id or username, is the brand).  A person's id is their X
 * user id, the same as on their public posts (type x).  "handoff": when
 * the message shares a post (referenced_tweets), that post's record id
 * ("x:<post id>"), which links the private conversation to the public
 * one; else null.
 */
#include <jansson.h>
#include "hark.h"
#include "buf.h"
#include "err.h"
#include "mention.h"
#include "source.h"

/* --- the response side ---------------------------------------------- */

static const json_t *
find_user(const json_t *users, const char *id)
{
	const json_t *u;
	size_t i;

	if (id == NULL)
		return NULL;
	json_array_foreach(users, i, u)
		if (mf_str(u, "id") != NULL && strcmp(mf_str(u, "id"), id) == 0)
			return u;
	return NULL;
}

/* The other participant of a one-to-one conversation "A-B" than ME, in
 * BUF, or NULL. */
static const char *
other_party(const char *conv, const char *me, char *buf, size_t n)
{
	const char *dash = conv != NULL ? strchr(conv, '-') : NULL;
	size_t a;

	if (dash == NULL || me == NULL || strchr(dash + 1, '-') != NULL)
		return NULL;
	a = (size_t)(dash - conv);
	if (strlen(me) == a && strncmp(conv, me, a) == 0)
		snprintf(buf, n, "%s", dash + 1);
	else if (strcmp(dash + 1, me) == 0)
		snprintf(buf, n, "%.*s", (int)a, conv);
	else
		return NULL;
	return buf;
}

static void
dm_map_event(const json_t *d, const json_t *users,
    const struct mf_map_ctx *ctx, struct mf_page *page)
{
	const char *id = mf_str(d, "id"), *sender = mf_str(d, "sender_id");
	const char *conv = mf_str(d, "dm_conversation_id");
	const char *text = mf_str(d, "text"), *user, *ref;
	const json_t *u = find_user(users, sender);
	json_t *rec;
	char *s, other[64];

	if (id == NULL) {
		mf_page_warn(page, "X DM event without 'id' skipped");
		return;
	}
	rec = mf_record_new(ctx, "x");
	hark_mention_set_id(rec, id);
	s = hark_xasprintf("x:dm:%s", id);
	hark_mention_set_str(rec, "id", s);
	free(s);
	hark_mention_set_str(rec, "kind", "message");
	if (conv != NULL) {
		s = hark_xasprintf("https://x.com/messages/%s", conv);
		hark_mention_set_str(rec, "url", s);
		free(s);
	}
	mf_set_time(rec, "created_at", mf_str(d, "created_at"), page,
	    "X created_at");
	hark_mention_set_str(rec, "author.id", sender);
	user = mf_str(u, "username");
	hark_mention_set_str(rec, "author.handle", user);
	hark_mention_set_str(rec, "author.name", mf_str(u, "name"));
	if (user != NULL) {
		s = hark_xasprintf("https://x.com/%s", user);
		hark_mention_set_str(rec, "author.url", s);
		free(s);
	}
	mf_set_int(rec, "author.followers", u,
	    "public_metrics.followers_count");
	if (text != NULL)
		hark_mention_set_text(rec, text, strlen(text),
		    HARK_MENTION_UNESCAPE);
	s = conv != NULL ? hark_xasprintf("dm_conversation:%s", conv) : NULL;
	hark_mention_set(rec, "thread.root_id", mf_id("x", s));
	free(s);
	hark_mention_set_brand(rec, ctx->brands, ctx->nbrands);
	if (json_is_true(mf_get(rec, "author.is_brand")))
		hark_mention_set_str(rec, "thread.in_reply_to_author_id",
		    other_party(conv, sender, other, sizeof(other)));
	json_object_set_new(rec, "visibility", json_string("private"));
	ref = mf_str(json_array_get(json_object_get(d, "referenced_tweets"),
	    0), "id");
	json_object_set_new(rec, "handoff", mf_id("x", ref));
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(d));
	mf_page_add(page, ctx, rec);
}

static int
mf_map_x_dm(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	json_t *root, *data, *d, *users;
	size_t i;
	int rc = 0;

	if (mf_json_load(body, len, "X DM events", &root, err) == -1)
		return -1;
	data = json_object_get(root, "data");
	if (data != NULL && !json_is_array(data)) {
		rc = mf_malformed(err, "malformed X DM events: 'data' is not "
		    "an array");
		goto out;
	}
	if (data == NULL && !json_is_object(json_object_get(root, "meta"))) {
		rc = mf_malformed(err, "malformed X DM events: neither "
		    "'data' nor 'meta'");
		goto out;
	}
	users = mf_get(root, "includes.users");
	json_array_foreach(data, i, d) {
		const char *type = mf_str(d, "event_type");

		if (!json_is_object(d) || (type != NULL &&
		    strcmp(type, "MessageCreate") != 0))
			continue;	/* joins and leaves of group DMs */
		dm_map_event(d, users, ctx, page);
	}
	mf_replace(&page->next, mf_str(root, "meta.next_token"));
out:
	json_decref(root);
	return rc;
}

/* --- the request side ------------------------------------------------ */

enum {
	K_EVENTS = 3		/* DM events: every message, no query */
};

static int
x_dm_setup(struct mf_source *s, struct hark_err *err)
{
	mf_default_base(s, "https://api.x.com");
	if (mf_need_token(s, "a user access token (dm.read)", err) < 0)
		return -1;
	mf_set_bearer(s, s->token);
	return 0;
}

static void
x_dm_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char lim[32], *u = mf_url_join(s, "/2/dm_events");

	hark_buf_addstr(&b, u);
	free(u);
	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	mf_param(&b, "event_types", "MessageCreate");
	mf_param(&b, "dm_event.fields", "id,event_type,text,created_at,"
	    "dm_conversation_id,sender_id,referenced_tweets");
	mf_param(&b, "expansions", "sender_id,referenced_tweets.id");
	mf_param(&b, "user.fields", "id,name,username,public_metrics");
	mf_param(&b, "max_results", lim);
	mf_stream_start(s, "dm_events", hark_buf_str(&b), K_EVENTS, NULL);
	hark_buf_release(&b);
}

static int
x_dm_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	char reason[200];

	(void)c;
	if (r->status == 401) {
		mf_fail(s, 1, "the user access token was refused (HTTP 401: "
		    "expired or revoked; OAuth 2.0 user tokens last two hours "
		    "unless refreshed): set a new one in %s",
		    mf_secret_var(s, "TOKEN"));
		return 2;
	}
	/* the stream itself, not one thread of many: a failure */
	mf_body_reason(r, reason, sizeof(reason));
	mf_fail(s, 1, "HTTP %ld%s%s%s", r->status, r->status == 403 ?
	    " (the token may lack the dm.read scope)" : "",
	    reason[0] ? ": " : "", reason);
	return 2;
}

static void
x_dm_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	(void)r;
	mf_next_by_param(s, c, "pagination_token", pg->next, pg);
}

/* --- the driver ------------------------------------------------------ */

const struct mf_driver mf_driver_x_dm = {
	.type = "x_dm", .map = mf_map_x_dm, .setup = x_dm_setup,
	.start = x_dm_start, .http_error = x_dm_http_error,
	.special = mf_no_special, .after_page = x_dm_after,
	.query_style = HARK_QUERY_X,
};
