/*
 * google-business.c - Google Business Profile reviews
 * (accounts.locations.reviews.list) to records: one "review" per review
 * and one brand "comment" per owner reply.
 */
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "mention.h"
#include "source.h"
#include "write.h"
#include "json.h"

static int
stars(const char *s)
{
	static const char *const names[] = { "ONE", "TWO", "THREE", "FOUR",
	    "FIVE" };

	for (int i = 0; s != NULL && i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return i + 1;
	return 0;
}

/* "accounts/1/locations/2/reviews/3" -> "accounts/1/locations/2". */
static char *
location_of(const char *name)
{
	const char *p = name != NULL ? strstr(name, "/reviews/") : NULL;

	return p != NULL && p > name ? hark_xstrndup(name,
	    (size_t)(p - name)) : NULL;
}

static void
map_review(const json_t *rv, const struct mf_map_ctx *ctx,
    struct mf_page *page, char **newest)
{
	const char *id = mf_str(rv, "reviewId"), *text, *ut;
	json_t *rec, *reply;
	char *loc, *rid;
	int n;

	if (id == NULL) {
		mf_page_warn(page, "Google review without 'reviewId' skipped");
		return;
	}
	loc = location_of(mf_str(rv, "name"));
	rec = mf_record_new(ctx, "google_business");
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", "review");
	mf_set_time(rec, "created_at", mf_str(rv, "createTime"), page,
	    "Google review createTime");
	mf_set_time(rec, "updated_at", mf_str(rv, "updateTime"), page,
	    "Google review updateTime");
	if (json_equal(mf_get(rec, "updated_at"), mf_get(rec, "created_at")))
		hark_mention_set(rec, "updated_at", NULL);
	if (!json_is_true(mf_get(rv, "reviewer.isAnonymous")))
		hark_mention_set_str(rec, "author.name",
		    mf_str(rv, "reviewer.displayName"));
	if ((text = mf_str(rv, "comment")) != NULL)
		hark_mention_set_text(rec, text, strlen(text), 0);
	if ((n = stars(mf_str(rv, "starRating"))) > 0)
		hark_mention_set_int(rec, "rating", n);
	hark_mention_set_str(rec, "context.community", loc);
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(rv));
	/* Reviews page by updateTime: edits and replies re-surface them. */
	ut = mf_str(rv, "updateTime");
	if (ut != NULL) {
		json_t *tmp = mf_record_new(ctx, "google_business");

		if (hark_mention_set_time_str(tmp, "created_at", ut, NULL) == 0) {
			const char *t = hark_mention_get_str(tmp, "created_at");

			if (*newest == NULL || strcmp(t, *newest) > 0)
				mf_replace(newest, t);
		}
		json_decref(tmp);
	}
	mf_page_add(page, ctx, rec);

	reply = json_object_get(rv, "reviewReply");
	if (!json_is_object(reply))
		goto out;
	rec = mf_record_new(ctx, "google_business");
	rid = hark_xasprintf("%s#reply", id);
	hark_mention_set_id(rec, rid);
	free(rid);
	hark_mention_set_str(rec, "kind", "comment");
	mf_set_time(rec, "created_at", mf_str(reply, "updateTime"), page,
	    "Google review reply updateTime");
	hark_mention_set(rec, "author.is_brand", json_true());
	if ((text = mf_str(reply, "comment")) != NULL)
		hark_mention_set_text(rec, text, strlen(text), 0);
	hark_mention_set(rec, "thread.root_id", mf_id("google_business", id));
	hark_mention_set(rec, "thread.parent_id", mf_id("google_business",
	    id));
	hark_mention_set_str(rec, "context.community", loc);
	mf_page_add(page, ctx, rec);
out:
	free(loc);
}

static int
mf_map_google_business(const char *body, size_t len,
    const struct mf_map_ctx *ctx, struct mf_page *page, struct hark_err *err)
{
	json_t *root, *reviews, *rv;
	char *newest = NULL;
	size_t i;
	int rc = 0;

	if (mf_json_load(body, len, "Google Business response", &root,
	    err) == -1)
		return -1;
	reviews = json_object_get(root, "reviews");
	if (json_is_object(json_object_get(root, "error"))) {
		const char *m = mf_str(root, "error.message");
		const char *st = mf_str(root, "error.status");
		char clean[200];

		hark_sanitize(clean, sizeof(clean), m != NULL ? m : "?",
		    m != NULL ? strlen(m) : 1);
		rc = mf_malformed(err, "Google Business API error (%s): %s",
		    st != NULL ? st : "unknown", clean);
	} else if (!json_is_object(root)) {
		rc = mf_malformed(err, "malformed Google Business response: "
		    "not an object");
	} else if (reviews != NULL && !json_is_array(reviews)) {
		rc = mf_malformed(err, "malformed Google Business response: "
		    "'reviews' is not an array");
	} else {
		/* A location without reviews answers {} (no 'reviews'). */
		json_array_foreach(reviews, i, rv)
			if (json_is_object(rv))
				map_review(rv, ctx, page, &newest);
		mf_replace(&page->next, mf_str(root, "nextPageToken"));
		if (newest != NULL) {
			free(page->newest);
			page->newest = newest;
			newest = NULL;
		}
	}
	free(newest);
	json_decref(root);
	return rc;
}

/* --- the request side ------------------------------------------------ */

static int
gbp_setup(struct mf_source *s, struct hark_err *err)
{
	mf_default_base(s, "https://mybusiness.googleapis.com/v4");
	if (mf_need_conf(s, "account_id", err) < 0 ||
	    mf_need_conf(s, "location_id", err) < 0)
		return -1;
	if (s->token != NULL) {
		mf_set_bearer(s, s->token);
		return 0;
	}
	if (s->secret2 == NULL)
		return hark_err_set(err, 2, "an OAuth access token (%s) or "
		    "refresh token (%s) is required", mf_secret_var(s, "TOKEN"),
		    mf_secret_var(s, "REFRESH_TOKEN"));
	if (mf_conf(s, "client_id") == NULL ||
	    mf_source_secret(s, "CLIENT_SECRET") == NULL)
		return hark_err_set(err, 2, "a refresh token needs "
		    "'client_id' and %s", mf_secret_var(s, "CLIENT_SECRET"));
	return 0;
}

static void
gbp_login(struct mf_source *s)
{
	const char *turl = mf_conf(s, "token_url");
	struct hark_buf f = HARK_BUF_INIT(MF_URL_MAX);
	char *body, *u;

	{

		mf_param(&f, "grant_type", "refresh_token");
		mf_param(&f, "refresh_token", s->secret2);
		mf_param(&f, "client_id", mf_conf(s, "client_id"));
		mf_param(&f, "client_secret", mf_source_secret(s,
		    "CLIENT_SECRET"));
		body = hark_buf_detach(&f, NULL);
		u = hark_xstrdup(turl ? turl :
		    "https://oauth2.googleapis.com/token");
		s->logging_in = 1;
		mf_submit(s, "POST", u, "login", 1, MF_K_LOGIN, NULL,
		    "application/x-www-form-urlencoded",
		    body + (body[0] == '?'));
		memset(body, 0, strlen(body));
		free(body);
		free(u);
	}
}

static int
gbp_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	return mf_oauth_refused(s, c, r, gbp_login);
}

static void
gbp_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char lim[32], *a, *l, *p, *u;

	if (s->auth == NULL && !mf_oauth_cached(s, mf_oauth_for(s)))
		gbp_login(s);
	snprintf(lim, sizeof(lim), "%ld", s->page_size > 50 ? 50 :
	    s->page_size);
	a = hark_http_escape(mf_conf(s, "account_id"));
	l = hark_http_escape(mf_conf(s, "location_id"));
	p = hark_xasprintf("/accounts/%s/locations/%s/reviews", a, l);
	u = mf_url_join(s, p);
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "pageSize", lim);
	mf_param(&b, "orderBy", "updateTime desc");
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, "reviews", u, MF_K_PAGE, NULL);
	free(u);
	free(a);
	free(l);
	free(p);
}

static void
gbp_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	(void)r;
	mf_next_by_param(s, c, "pageToken", pg->next, pg);
}

/* --- the driver ------------------------------------------------------ */

static const char *const gbp_shared[] = { "client_id", "account_id",
	"location_id", "token_url", NULL };

/* --- the write side (reply-send) ------------------------------------- */

/*
 * The owner's reply to a review: PUT .../reviews/{reviewId}/reply with
 * {"comment"}; a review has one reply, so a repeated PUT replaces it
 * rather than adding a second.  The answer's updateTime is its time; its
 * record id is the review's with "#reply", as mention-fetch writes it.
 * Reviews have no private messages.
 */
static char *
gbp_review_url(struct mf_source *s, const char *review, const char *tail)
{
	char *a = hark_http_escape(mf_conf(s, "account_id"));
	char *l = hark_http_escape(mf_conf(s, "location_id"));
	char *r = hark_http_escape(review);
	char *p = hark_xasprintf("/accounts/%s/locations/%s/reviews/%s%s", a,
	    l, r, tail), *u = mf_url_join(s, p);

	free(a);
	free(l);
	free(r);
	free(p);
	return u;
}

static int
gbp_post_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	json_t *o = json_pack("{s:s}", "comment", w->text);
	char *body = hark_json_dumps(o, JSON_COMPACT);
	char *u = gbp_review_url(s, w->native_id, "/reply");

	(void)err;
	if (s->auth == NULL && !s->logging_in &&
	    !mf_oauth_cached(s, mf_oauth_for(s)))
		gbp_login(s);	/* the write waits for the token */
	mf_write_submit(s, w, "PUT", u, MF_K_WRITE, "application/json", body,
	    NULL);
	json_decref(o);
	free(body);
	free(u);
	return 0;
}

static int
gbp_find_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	char *u = gbp_review_url(s, w->native_id, "");

	(void)err;
	if (s->auth == NULL && !s->logging_in &&
	    !mf_oauth_cached(s, mf_oauth_for(s)))
		gbp_login(s);
	mf_write_submit(s, w, "GET", u, MF_K_READBACK, NULL, NULL, NULL);
	free(u);
	return 0;
}

static void
gbp_write_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j, *rep;
	struct mf_written w;
	const char *review;
	char *nid;

	if (!MF_K_IS_WRITE(c->kind)) {
		mf_token_special(s, c, r);
		return;
	}
	j = mf_write_json(r);
	review = json_string_value(json_object_get(mf_write_memo(s, c->arg),
	    "native_id"));
	rep = c->kind == MF_K_WRITE ? j : json_object_get(j, "reviewReply");
	if (c->kind == MF_K_READBACK && !json_is_object(rep)) {
		mf_write_found(s, c, NULL);
		json_decref(j);
		return;
	}
	if (review == NULL || mf_str(rep, "comment") == NULL) {
		mf_write_failed(s, c->arg, "the answer is not a review reply",
		    c->kind == MF_K_WRITE, 0);
		json_decref(j);
		return;
	}
	memset(&w, 0, sizeof(w));
	nid = hark_xasprintf("%s#reply", review);
	w.key = c->arg;
	w.found = 1;
	w.native_id = nid;
	w.created_at = mf_str(rep, "updateTime");
	mf_write_done(s, &w);
	free(nid);
	json_decref(j);
}

const struct mf_driver mf_driver_google_business = {
	.type = "google_business", .map = mf_map_google_business,
	.setup = gbp_setup, .start = gbp_start,
	.http_error = gbp_http_error, .special = gbp_write_special,
	.after_page = gbp_after,
	.query_style = HARK_QUERY_TERMS, .shared_keys = gbp_shared,
	.secret2 = "REFRESH_TOKEN",
	.post_reply = gbp_post_reply, .find_reply = gbp_find_reply,
};
