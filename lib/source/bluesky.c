/*
 * bluesky.c - Bluesky / AT Protocol post views (searchPosts,
 * getAuthorFeed/getTimeline feeds, getPostThread, listNotifications) to
 * records.  Ids are the post's at:// URI.
 */
#include <strings.h>
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "mention.h"
#include "source.h"
#include "write.h"
#include "json.h"

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

static int
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

/* --- the request side ------------------------------------------------ */

enum {
	K_REFRESH = -3,		/* refreshSession (no source auth) */
	K_PROFILES = 5		/* getProfiles (follower counts) */
};

static int
bluesky_setup(struct mf_source *s, struct hark_err *err)
{
	mf_default_base(s, "https://public.api.bsky.app");
	if (s->secret2 != NULL && mf_conf(s, "handle") == NULL)
		return hark_err_set(err, 2, "an app password is set but no "
		    "'handle' to log in with");
	if (s->token != NULL)		/* a ready access JWT */
		mf_set_bearer(s, s->token);
	return 0;
}

static const char *bsky_pds(const struct mf_source *s);
static void bluesky_refresh(struct mf_source *s, const char *refresh);

/* The "exp" claim of JWT (epoch seconds), or -1 when it has none or is
 * not a JWT the client can read (the session is then tried as is). */
static json_int_t
jwt_exp(const char *jwt)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
	    "tuvwxyz0123456789-_";
	const char *p = jwt != NULL ? strchr(jwt, '.') : NULL, *end, *q;
	struct hark_buf b = HARK_BUF_INIT(8192);
	unsigned long acc = 0;
	int bits = 0;
	json_int_t exp = -1;
	json_t *j;

	if (p == NULL || (end = strchr(++p, '.')) == NULL)
		return -1;
	for (q = p; q < end; q++) {
		const char *v = memchr(b64, *q, 64);

		if (v == NULL || *q == '\0')
			break;
		acc = (acc << 6) | (unsigned long)(v - b64);
		if ((bits += 6) >= 8) {
			bits -= 8;
			hark_buf_addch(&b, (char)((acc >> bits) & 0xff));
		}
	}
	if (q == end && (j = json_loadb(hark_buf_str(&b), b.len, 0,
	    NULL)) != NULL) {
		if (mf_int(j, "exp", &exp) < 0)
			exp = -1;
		json_decref(j);
	}
	hark_buf_release(&b);
	return exp;
}

/* The brand accounts' own posts and replies (getAuthorFeed). */
static void
bluesky_brand_feeds(struct mf_source *s)
{
	char lim[32];
	size_t i;

	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	for (i = 0; i < s->nbrands; i++) {
		struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
		char *u = mf_url_join(s, "/xrpc/app.bsky.feed.getAuthorFeed");
		char *st = hark_xasprintf("brand:%s", s->brands[i]);

		hark_buf_addstr(&b, u);
		free(u);
		mf_param(&b, "actor", s->brands[i]);
		mf_param(&b, "filter", "posts_with_replies");
		mf_param(&b, "limit", lim);
		u = hark_buf_detach(&b, NULL);
		mf_stream_start(s, st, u, MF_K_PAGE, NULL);
		free(u);
		free(st);
	}
}

static void
bluesky_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char lim[32], tb[HARK_TIME_BUFSZ], *u;
	hark_time_t wm;

	if (s->native == NULL || *s->native == '\0') {
		mf_fail(s, 2, "'query' is required for type 'bluesky'");
		return;
	}
	json_object_set_new(mf_drv_data(s), "appview", json_string(s->base_url));
	if (s->auth == NULL && mf_conf(s, "handle") != NULL &&
	    s->secret2 != NULL) {
		/* the session of an earlier run: straight to the PDS */
		json_t *j = mf_login_cached(s, mf_conf(s, "handle"));
		const char *jwt = json_string_value(json_object_get(j,
		    "accessJwt"));

		const char *refresh = json_string_value(json_object_get(j,
		    "refreshJwt"));
		json_int_t exp = jwt_exp(jwt);

		if (jwt != NULL) {
			mf_set_bearer(s, jwt);
			free(s->base_url);
			s->base_url = hark_xstrdup(bsky_pds(s));
			/* expired (or about to): renew before asking, the
			 * streams below wait for it */
			if (exp >= 0 && refresh != NULL && exp - 60 <=
			    (json_int_t)mf_now(s->run))
				bluesky_refresh(s, refresh);
		}
	}
	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	u = mf_url_join(s, "/xrpc/app.bsky.feed.searchPosts");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "q", s->native);
	mf_param(&b, "sort", "latest");
	mf_param(&b, "limit", lim);
	wm = s->run->since >= 0 ? s->run->since : mf_watermark(s, "search");
	if (wm >= 0) {
		if (s->run->since < 0)
			wm -= s->run->overlap;
		mf_param(&b, "since", hark_time_format(wm, tb));
	}
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, "search", u, MF_K_PAGE, NULL);
	free(u);
	bluesky_brand_feeds(s);
}

static const char *
bsky_pds(const struct mf_source *s)
{
	const char *pds = mf_conf(s, "pds_url");

	return pds != NULL ? pds : "https://bsky.social";
}

/* Move C from the public AppView to the PDS (authenticated calls go to
 * the PDS, which proxies app.bsky.* to the AppView). */
static void
bluesky_rebase(struct mf_source *s, struct mf_call *c)
{
	const char *appview = json_string_value(json_object_get(mf_drv_data(s),
	    "appview")), *pds = bsky_pds(s);
	size_t n = appview != NULL ? strlen(appview) : 0;
	char *u;

	if (n == 0 || strcmp(appview, pds) == 0)
		return;
	if (strncmp(c->url, appview, n) == 0) {
		u = hark_xasprintf("%s%s", pds, c->url + n);
		free(c->url);
		c->url = u;
	}
	if (c->tmpl != NULL && strncmp(c->tmpl, appview, n) == 0) {
		u = hark_xasprintf("%s%s", pds, c->tmpl + n);
		free(c->tmpl);
		c->tmpl = u;
	}
}

static int
bluesky_on_appview(struct mf_source *s, const struct mf_call *c)
{
	const char *appview = json_string_value(json_object_get(mf_drv_data(s),
	    "appview"));

	return appview != NULL && strcmp(appview, bsky_pds(s)) != 0 &&
	    strncmp(c->url, appview, strlen(appview)) == 0;
}

/* com.atproto.server.createSession with the app password. */
static void
bluesky_create_session(struct mf_source *s, struct mf_call *c)
{
	json_t *j = json_pack("{s:s,s:s}", "identifier", mf_conf(s,
	    "handle"), "password", s->secret2);
	char *js = hark_json_dumps(j, JSON_COMPACT);
	char *u = hark_xasprintf("%s/xrpc/com.atproto.server.createSession",
	    bsky_pds(s));

	s->logging_in = 1;
	if (c == NULL) {
		mf_submit(s, "POST", u, "login", 1, MF_K_LOGIN, NULL,
		    "application/json", js);
	} else {		/* the failed refresh call becomes the login */
		free(c->url);
		c->url = u;
		u = NULL;
		free(c->headers);
		c->headers = NULL;
		free(c->ctype);
		c->ctype = hark_xstrdup("application/json");
		if (c->body != NULL) {
			memset(c->body, 0, strlen(c->body));
			free(c->body);
		}
		c->body = hark_xstrdup(js);
		c->kind = MF_K_LOGIN;
		mf_resubmit(s, c);
	}
	memset(js, 0, strlen(js));
	free(js);
	json_decref(j);
	free(u);
}

/* com.atproto.server.refreshSession with the refresh JWT as bearer. */
static void
bluesky_refresh(struct mf_source *s, const char *refresh)
{
	struct mf_call *c;
	char *u = hark_xasprintf("%s/xrpc/com.atproto.server.refreshSession",
	    bsky_pds(s));

	s->logging_in = 1;
	c = mf_call_new(s, "POST", u, "login", 1, K_REFRESH);
	c->headers = hark_xasprintf("Authorization: Bearer %s", refresh);
	mf_call_submit(s, c);
	free(u);
}

static int
bluesky_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	const char *handle = mf_conf(s, "handle");
	const char *refresh = json_string_value(json_object_get(
	    json_object_get(mf_drv_data(s), "login"), "refreshJwt"));
	json_t *body;
	int expired = 0;

	if (c->kind == K_REFRESH) {
		/* the refresh JWT is no good either: log in afresh */
		mf_log(s->run, 1, "source '%s': refreshSession refused; "
		    "creating a new session", s->name);
		json_object_del(mf_drv_data(s), "login");
		mf_login_drop(s);
		if (handle == NULL || s->secret2 == NULL)
			return 0;
		bluesky_create_session(s, c);
		return 1;
	}
	if (c->kind < 0)
		return 0;
	body = json_loadb(r->body, r->len, 0, NULL);
	expired = r->status == 400 && json_string_value(json_object_get(body,
	    "error")) != NULL && strcmp(json_string_value(json_object_get(
	    body, "error")), "ExpiredToken") == 0;
	json_decref(body);
	if (r->status != 401 && r->status != 403 && !expired)
		return 0;
	if (s->auth != NULL && !s->logging_in && (r->status == 401 ||
	    expired) && json_real_value(json_object_get(mf_drv_data(s),
	    "session_at")) > 0 && !bluesky_on_appview(s, c)) {
		/* sent with the session this run replaced a moment ago */
		mf_resubmit(s, c);
		return 1;
	}
	if (s->auth != NULL && bluesky_on_appview(s, c)) {
		/* asked anonymously before the session arrived */
		if (s->logging_in) {
			mf_park(s, c);
		} else {
			bluesky_rebase(s, c);
			mf_resubmit(s, c);
		}
		return 1;
	}
	if (s->auth != NULL && r->status == 403 && !expired)
		return 0;	/* refused with a session: not a login matter */
	if (s->auth != NULL && refresh != NULL) {
		mf_park(s, c);
		if (!s->logging_in)
			bluesky_refresh(s, refresh);
		return 1;
	}
	if (handle == NULL || s->secret2 == NULL) {
		if (s->auth == NULL)
			hark_warn("source '%s': anonymous access refused: set "
			    "'handle' and an app password (%s) to log in",
			    s->name, mf_secret_var(s, "PASSWORD"));
		return 0;
	}
	mf_park(s, c);
	if (!s->logging_in)
		bluesky_create_session(s, NULL);
	return 1;
}

/*
 * A session (createSession or refreshSession answer): kept in the login
 * cache for the next runs; every waiting call, and every call still
 * queued for the public AppView, moves to the PDS with it.
 */
static void
bluesky_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j = mf_login_answer(s, r, "accessJwt", c->kind == K_REFRESH ?
	    "refreshSession: no accessJwt in the answer" :
	    "createSession: no accessJwt in the answer");
	json_t *keep;
	struct mf_call *q;
	size_t i;

	if (j == NULL)
		return;
	keep = json_pack("{s:O,s:O?,s:O?}", "accessJwt",
	    json_object_get(j, "accessJwt"), "refreshJwt",
	    json_object_get(j, "refreshJwt"), "did", json_object_get(j, "did"));
	mf_login_save(s, keep, mf_conf(s, "handle"), -1);
	json_decref(keep);
	json_decref(j);
	free(s->base_url);
	s->base_url = hark_xstrdup(bsky_pds(s));
	for (i = 0; i < s->nparked; i++)
		bluesky_rebase(s, s->parked[i]);
	for (q = s->qhead; q != NULL; q = q->qnext)
		bluesky_rebase(s, q);
	mf_unpark(s, 1);
}

#define BSKY_PROFILES	25	/* actors per getProfiles call */

/* Fill author.followers from the counts known; 1 when the author's
 * profile is still to be asked for (the record is kept meanwhile). */
static int
bluesky_amend(struct mf_source *s, struct mf_call *c, json_t *rec)
{
	json_t *a = json_object_get(rec, "author"), *n;
	const char *did = json_string_value(json_object_get(a, "id"));
	json_t *known = mf_drv_obj(s, "profiles");

	if (did == NULL || !json_is_object(a))
		return 0;
	if ((n = json_object_get(known, did)) != NULL) {
		if (json_is_integer(n))
			json_object_set(a, "followers", n);
		return 0;
	}
	mf_keep_add(s, c, rec);
	json_object_set_new(mf_drv_obj(s, "wanted"), did, json_true());
	return 1;
}

/* mf_keep_release(): a kept record goes once its author's count is known
 * (ALL: in any case). */
static int
bluesky_ready(struct mf_source *s, json_t *rec, int all)
{
	json_t *a = json_object_get(rec, "author");
	const char *did = json_string_value(json_object_get(a, "id"));
	json_t *n = did != NULL ? json_object_get(mf_drv_obj(s, "profiles"),
	    did) : NULL;

	if (n == NULL)
		return all;
	if (json_is_integer(n))
		json_object_set(a, "followers", n);
	return 1;
}

static void
bluesky_finish(struct mf_source *s)
{
	mf_keep_release(s, bluesky_ready, 1);
}

/* Ask for the profiles wanted so far, BSKY_PROFILES actors a call. */
static void
bluesky_ask_profiles(struct mf_source *s)
{
	json_t *wanted = mf_drv_obj(s, "wanted"), *asked = mf_drv_obj(s, "asked");
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	struct hark_buf dids = HARK_BUF_INIT(MF_URL_MAX);
	const char *did;
	json_t *v;
	int n = 0;
	char *u;

	json_object_foreach(wanted, did, v) {
		if (json_object_get(asked, did) != NULL)
			continue;
		json_object_set_new(asked, did, json_true());
		if (n == 0) {
			u = mf_url_join(s, "/xrpc/app.bsky.actor.getProfiles");
			hark_buf_addstr(&b, u);
			free(u);
		}
		mf_param(&b, "actors", did);
		hark_buf_addf(&dids, "%s%s", n > 0 ? " " : "", did);
		if (++n == BSKY_PROFILES) {
			u = hark_buf_detach(&b, NULL);
			mf_submit(s, "GET", u, "thread:profiles", 1, K_PROFILES,
			    hark_buf_str(&dids), NULL, NULL);
			free(u);
			hark_buf_reset(&dids);
			n = 0;
		}
	}
	if (n > 0) {
		u = hark_buf_detach(&b, NULL);
		mf_submit(s, "GET", u, "thread:profiles", 1, K_PROFILES,
		    hark_buf_str(&dids), NULL, NULL);
		free(u);
	}
	json_object_clear(wanted);
	hark_buf_release(&b);
	hark_buf_release(&dids);
}

/* A getProfiles answer: counts for the DIDs asked (null for those the
 * answer leaves out), then the records that waited for them. */
static void
bluesky_profiles(struct mf_source *s, struct mf_call *c, struct mf_page *pg)
{
	json_t *counts = json_object_get(pg->extra, "profiles");
	json_t *known = mf_drv_obj(s, "profiles");
	char *dids = hark_xstrdup(c->arg ? c->arg : ""), *p, *sp;

	for (p = dids; p != NULL && *p != '\0'; p = sp) {
		if ((sp = strchr(p, ' ')) != NULL)
			*sp++ = '\0';
		json_object_set(known, p, json_object_get(counts, p) ?
		    json_object_get(counts, p) : json_null());
	}
	free(dids);
	mf_keep_release(s, bluesky_ready, 0);
}

static void
bluesky_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec;
	size_t i;

	(void)r;
	if (c->kind == K_PROFILES)
		bluesky_profiles(s, c, pg);
	bluesky_ask_profiles(s);
	if (c->kind != MF_K_PAGE) {
		mf_next_page(s, c, NULL, pg);
		return;
	}
	json_array_foreach(pg->records, i, rec) {
		const char *uri = mf_rstr(rec, "native_id");
		struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
		char *u;

		if (uri == NULL || !mf_wants_thread(s, rec))
			continue;
		s->threads++;
		u = mf_url_join(s, "/xrpc/app.bsky.feed.getPostThread");
		hark_buf_addstr(&b, u);
		free(u);
		mf_param(&b, "uri", uri);
		mf_param(&b, "depth", "10");
		u = hark_buf_detach(&b, NULL);
		mf_submit_thread(s, u, uri, MF_K_THREAD, NULL);
		free(u);
	}
	mf_next_by_param(s, c, "cursor", pg->next, pg);
}

/* --- the driver ------------------------------------------------------ */

static const char *const bluesky_keys[] = { "notifications", NULL };
static const char *const bluesky_shared[] = { "handle", "pds_url", NULL };

/* --token-file holds the (app) PASSWORD. */
static const char *
bluesky_file_secret(const struct mf_source *s)
{
	(void)s;
	return "PASSWORD";
}

/* --- the write side (reply-send) ------------------------------------- */

/*
 * A reply is com.atproto.repo.createRecord of an app.bsky.feed.post whose
 * "reply" holds strong references (uri and cid) to the parent and to the
 * thread's root: a first call (app.bsky.feed.getPosts) looks them up.
 * Both go to the PDS with the account's session ('handle' and its app
 * password, logged in on the first call).  The answer has no time: the
 * record's createdAt is it.  A private message goes through the chat
 * service (the PDS proxies it, "atproto-proxy" header): the
 * conversation with the author (chat.bsky.convo.getConvoForMembers),
 * then chat.bsky.convo.sendMessage.
 */
static int
bsky_session(struct mf_source *s, struct hark_err *err)
{
	if (mf_conf(s, "handle") == NULL)
		return hark_err_set(err, 2, "posting needs 'handle' and its app "
		    "password (%s)", mf_secret_var(s, "PASSWORD"));
	if (s->auth == NULL && !s->logging_in) {
		if (s->secret2 == NULL)
			return hark_err_set(err, 2, "posting needs an app "
			    "password (%s)", mf_secret_var(s, "PASSWORD"));
		bluesky_create_session(s, NULL);	/* the calls wait */
	}
	return 0;
}

static int
bsky_post_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *u;

	if (bsky_session(s, err) < 0)
		return -1;
	u = hark_xasprintf("%s/xrpc/app.bsky.feed.getPosts", bsky_pds(s));
	hark_buf_addstr(&b, u);
	mf_param(&b, "uris", w->native_id);
	free(u);
	u = hark_buf_detach(&b, NULL);
	mf_write_submit(s, w, "GET", u, MF_K_PREP, NULL, NULL, NULL);
	free(u);
	return 0;
}

static int
bsky_find_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *u;

	if (bsky_session(s, err) < 0)
		return -1;
	u = hark_xasprintf("%s/xrpc/app.bsky.feed.getPostThread",
	    bsky_pds(s));
	hark_buf_addstr(&b, u);
	mf_param(&b, "uri", w->native_id);
	mf_param(&b, "depth", "1");
	free(u);
	u = hark_buf_detach(&b, NULL);
	mf_write_submit(s, w, "GET", u, MF_K_READBACK, NULL, NULL, NULL);
	free(u);
	return 0;
}

#define BSKY_CHAT_PROXY "atproto-proxy: did:web:api.bsky.chat#bsky_chat"

static int
bsky_send_private(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *u;

	if (w->recipient == NULL || strncmp(w->recipient, "did:", 4) != 0)
		return hark_err_set(err, 3, "a chat message needs the "
		    "author's DID");
	if (bsky_session(s, err) < 0)
		return -1;
	u = hark_xasprintf("%s/xrpc/chat.bsky.convo.getConvoForMembers",
	    bsky_pds(s));
	hark_buf_addstr(&b, u);
	mf_param(&b, "members", w->recipient);
	free(u);
	u = hark_buf_detach(&b, NULL);
	json_object_set_new(mf_write_memo(s, w->key), "chat", json_true());
	mf_write_submit(s, w, "GET", u, MF_K_PREP, NULL, NULL,
	    BSKY_CHAT_PROXY);
	free(u);
	return 0;
}

/* The conversation C is known: send the message into it. */
static void
bsky_chat_send(struct mf_source *s, struct mf_call *c, const json_t *j)
{
	json_t *m = mf_write_memo(s, c->arg), *o;
	const char *text = json_string_value(json_object_get(m, "text"));
	const char *convo = mf_str(j, "convo.id");
	struct mf_write w;
	char *body, *u;

	if (convo == NULL || text == NULL) {
		mf_write_failed(s, c->arg, "no conversation with the author", 0,
		    0);
		return;
	}
	o = json_pack("{s:s, s:{s:s}}", "convoId", convo, "message", "text",
	    text);
	body = hark_json_dumps(o, JSON_COMPACT);
	u = hark_xasprintf("%s/xrpc/chat.bsky.convo.sendMessage", bsky_pds(s));
	memset(&w, 0, sizeof(w));
	w.key = c->arg;
	w.text = text;
	w.native_id = json_string_value(json_object_get(m, "native_id"));
	mf_write_submit(s, &w, "POST", u, MF_K_WRITE, "application/json",
	    body, BSKY_CHAT_PROXY);
	json_decref(o);
	free(body);
	free(u);
}

/* The parent post P (getPosts) is known: create the reply record. */
static void
bsky_create(struct mf_source *s, struct mf_call *c, const json_t *p)
{
	json_t *m = mf_write_memo(s, c->arg), *root, *o;
	const char *text = json_string_value(json_object_get(m, "text"));
	char tb[HARK_TIME_BUFSZ], *body, *u;
	struct mf_write w;

	if (mf_str(p, "uri") == NULL || mf_str(p, "cid") == NULL ||
	    text == NULL) {
		mf_write_failed(s, c->arg, "the post to answer was not found",
		    0, 0);
		return;
	}
	root = mf_get(p, "record.reply.root");
	if (mf_str(root, "uri") == NULL || mf_str(root, "cid") == NULL)
		root = NULL;	/* the parent starts the thread */
	hark_time_format(mf_now(s->run), tb);
	json_object_set_new(m, "created_at", json_string(tb));
	o = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:{s:{s:s, s:s}, "
	    "s:{s:s, s:s}}}}", "repo", mf_conf(s, "handle"), "collection",
	    "app.bsky.feed.post", "record", "$type", "app.bsky.feed.post",
	    "text", text, "createdAt", tb, "reply", "root", "uri",
	    mf_str(root ? root : p, "uri"), "cid", mf_str(root ? root : p,
	    "cid"), "parent", "uri", mf_str(p, "uri"), "cid", mf_str(p, "cid"));
	body = hark_json_dumps(o, JSON_COMPACT);
	u = hark_xasprintf("%s/xrpc/com.atproto.repo.createRecord",
	    bsky_pds(s));
	memset(&w, 0, sizeof(w));
	w.key = c->arg;
	w.text = text;
	w.native_id = json_string_value(json_object_get(m, "native_id"));
	mf_write_submit(s, &w, "POST", u, MF_K_WRITE, "application/json",
	    body, NULL);
	json_decref(o);
	free(body);
	free(u);
}

static void
bsky_written(struct mf_source *s, struct mf_call *c, const char *uri,
    const char *created_at, const char *did)
{
	struct mf_written w;
	const char *rkey = uri ? strrchr(uri, '/') : NULL;
	const char *h = mf_conf(s, "handle");
	char *url = rkey && h ? hark_xasprintf("https://bsky.app/profile/%s/"
	    "post/%s", h, rkey + 1) : NULL;

	memset(&w, 0, sizeof(w));
	w.key = c->arg;
	w.found = 1;
	w.native_id = uri;
	w.url = url;
	w.created_at = created_at;
	w.author_handle = h;
	w.author_id = did;
	mf_write_done(s, &w);
	free(url);
}

static void
bsky_write_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j, *reps;
	const char *h = mf_conf(s, "handle");
	size_t i;

	if (!MF_K_IS_WRITE(c->kind)) {
		bluesky_special(s, c, r);
		return;
	}
	j = mf_write_json(r);
	if (c->kind == MF_K_PREP && json_is_true(json_object_get(
	    mf_write_memo(s, c->arg), "chat"))) {
		bsky_chat_send(s, c, j);
	} else if (c->kind == MF_K_PREP) {
		bsky_create(s, c, json_array_get(json_object_get(j, "posts"),
		    0));
	} else if (c->kind == MF_K_WRITE && mf_str(j, "sentAt") != NULL) {
		struct mf_written w;	/* a chat message */

		memset(&w, 0, sizeof(w));
		w.key = c->arg;
		w.found = 1;
		w.native_id = mf_str(j, "id");
		w.created_at = mf_str(j, "sentAt");
		w.author_id = mf_str(j, "sender.did");
		w.author_handle = h;
		if (w.native_id == NULL)
			mf_write_failed(s, c->arg, "the answer has no id", 1,
			    0);
		else
			mf_write_done(s, &w);
	} else if (c->kind == MF_K_WRITE) {
		if (mf_str(j, "uri") == NULL)
			mf_write_failed(s, c->arg, "the answer has no uri", 1,
			    0);
		else
			bsky_written(s, c, mf_str(j, "uri"), json_string_value(
			    json_object_get(mf_write_memo(s, c->arg),
			    "created_at")), NULL);
	} else {
		reps = mf_get(j, "thread.replies");
		for (i = 0; i < json_array_size(reps); i++) {
			const json_t *p = mf_get(json_array_get(reps, i),
			    "post");
			const char *ah = mf_str(p, "author.handle");

			if (ah && h && strcasecmp(ah, h) == 0) {
				bsky_written(s, c, mf_str(p, "uri"), mf_str(p,
				    "record.createdAt"), mf_str(p,
				    "author.did"));
				json_decref(j);
				return;
			}
		}
		mf_write_found(s, c, NULL);
	}
	json_decref(j);
}

const struct mf_driver mf_driver_bluesky = {
	.type = "bluesky", .map = mf_map_bluesky, .setup = bluesky_setup,
	.start = bluesky_start, .http_error = bluesky_http_error,
	.special = bsky_write_special, .after_page = bluesky_after,
	.late_items = 1, .amend = bluesky_amend, .finish = bluesky_finish,
	.commit_later = mf_keep_commit_later,
	.query_style = HARK_QUERY_X, .keys = bluesky_keys,
	.shared_keys = bluesky_shared, .file_secret = bluesky_file_secret,
	.post_reply = bsky_post_reply, .send_private = bsky_send_private,
	.find_reply = bsky_find_reply,
};
