/*
 * trustpilot.c - Trustpilot service reviews of one business unit
 * (Business Units API): one "review" record per review and one brand
 * "comment" per company reply.
 *
 *   GET {base}/business-units/{id}/reviews           header "apikey: KEY"
 *   GET {base}/private/business-units/{id}/reviews   OAuth bearer token
 *   POST {token_url} grant_type=client_credentials   Basic KEY:SECRET
 *
 * With the API key alone the public endpoint is read; with the API secret
 * too, the private one (the business's own view) with an access token of
 * the client-credentials grant, kept in the login cache until its
 * expires_in runs out and asked for again when Trustpilot refuses it.
 * Pages: orderBy=createdat.desc, perPage up to 100, the next page is the
 * "next-page" link of the answer.
 */
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "mention.h"
#include "source.h"

#define TP_BASE		"https://api.trustpilot.com/v1"
#define TP_TOKEN_URL	"https://api.trustpilot.com/v1/oauth/" \
			"oauth-business-users-for-applications/accesstoken"

/* The href of the link with REL in the array LINKS, or NULL. */
static const char *
link_rel(const json_t *links, const char *rel)
{
	size_t i;
	json_t *l;

	json_array_foreach(links, i, l) {
		const char *r = mf_str(l, "rel");

		if (r != NULL && strcmp(r, rel) == 0)
			return mf_str(l, "href");
	}
	return NULL;
}

static void
map_review(const json_t *rv, const struct mf_map_ctx *ctx,
    struct mf_page *page)
{
	const char *id = mf_str(rv, "id"), *text, *bu;
	const json_t *reply;
	json_int_t stars;
	json_t *rec;
	char *rid;

	if (id == NULL) {
		mf_page_warn(page, "Trustpilot review without 'id' skipped");
		return;
	}
	bu = mf_str(rv, "businessUnit.id");
	rec = mf_record_new(ctx, "trustpilot");
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", "review");
	mf_set_time(rec, "created_at", mf_str(rv, "createdAt"), page,
	    "Trustpilot review createdAt");
	mf_set_time(rec, "updated_at", mf_str(rv, "updatedAt"), page,
	    "Trustpilot review updatedAt");
	if (json_equal(mf_get(rec, "updated_at"), mf_get(rec, "created_at")))
		hark_mention_set(rec, "updated_at", NULL);
	hark_mention_set_str(rec, "author.id", mf_str(rv, "consumer.id"));
	hark_mention_set_str(rec, "author.name",
	    mf_str(rv, "consumer.displayName"));
	hark_mention_set_str(rec, "title", mf_str(rv, "title"));
	if ((text = mf_str(rv, "text")) != NULL)
		hark_mention_set_text(rec, text, strlen(text), 0);
	hark_mention_set_lang(rec, mf_str(rv, "language"));
	if (mf_int(rv, "stars", &stars) == 0 && stars >= 1 && stars <= 5)
		hark_mention_set_int(rec, "rating", stars);
	hark_mention_set_str(rec, "context.community", bu);
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(rv));
	mf_page_add(page, ctx, rec);

	reply = json_object_get(rv, "companyReply");
	if (!json_is_object(reply) || (text = mf_str(reply, "text")) == NULL)
		return;
	rec = mf_record_new(ctx, "trustpilot");
	rid = hark_xasprintf("%s#reply", id);
	hark_mention_set_id(rec, rid);
	free(rid);
	hark_mention_set_str(rec, "kind", "comment");
	mf_set_time(rec, "created_at", mf_str(reply, "createdAt"), page,
	    "Trustpilot companyReply createdAt");
	mf_set_time(rec, "updated_at", mf_str(reply, "updatedAt"), page,
	    "Trustpilot companyReply updatedAt");
	if (json_equal(mf_get(rec, "updated_at"), mf_get(rec, "created_at")))
		hark_mention_set(rec, "updated_at", NULL);
	/* the company's reply: the brand, whatever the brand keys say */
	hark_mention_set(rec, "author.is_brand", json_true());
	hark_mention_set_str(rec, "author.id", bu);
	hark_mention_set_text(rec, text, strlen(text), 0);
	hark_mention_set(rec, "thread.root_id", mf_id("trustpilot", id));
	hark_mention_set(rec, "thread.parent_id", mf_id("trustpilot", id));
	hark_mention_set_str(rec, "thread.in_reply_to_author_id",
	    mf_str(rv, "consumer.id"));
	hark_mention_set_str(rec, "context.community", bu);
	mf_page_add(page, ctx, rec);
}

static int
mf_map_trustpilot(const char *body, size_t len,
    const struct mf_map_ctx *ctx, struct mf_page *page, struct hark_err *err)
{
	json_t *root, *reviews, *rv;
	size_t i;
	int rc = 0;

	if (mf_json_load(body, len, "Trustpilot response", &root, err) == -1)
		return -1;
	reviews = json_object_get(root, "reviews");
	if (!json_is_object(root)) {
		rc = mf_malformed(err, "malformed Trustpilot response: not an "
		    "object");
	} else if (!json_is_array(reviews)) {
		const char *m = mf_str(root, "message");
		char clean[200];

		if (m != NULL)
			rc = mf_malformed(err, "Trustpilot API error: %s",
			    hark_sanitize(clean, sizeof(clean), m,
			    strlen(m)));
		else
			rc = mf_malformed(err, "malformed Trustpilot "
			    "response: 'reviews' is not an array");
	} else {
		json_array_foreach(reviews, i, rv)
			if (json_is_object(rv))
				map_review(rv, ctx, page);
		/* an empty page ends the reviews even when a link
		 * follows */
		if (json_array_size(reviews) > 0)
			mf_replace(&page->next, link_rel(json_object_get(root,
			    "links"), "next-page"));
	}
	json_decref(root);
	return rc;
}

/* --- the request side ------------------------------------------------ */

static int
tp_setup(struct mf_source *s, struct hark_err *err)
{
	mf_default_base(s, TP_BASE);
	if (mf_need_conf(s, "business_unit_id", err) < 0 ||
	    mf_need_token(s, "a Trustpilot API key", err) < 0)
		return -1;
	/* public reviews: the key goes in its header, never in a URL */
	if (s->secret2 == NULL)
		s->auth = hark_xasprintf("apikey: %s", s->token);
	return 0;
}

static void
tp_login(struct mf_source *s)
{
	const char *turl = mf_conf(s, "token_url");
	char *userpwd = hark_xasprintf("%s:%s", s->token, s->secret2);

	s->logging_in = 1;
	mf_submit(s, "POST", turl != NULL ? turl : TP_TOKEN_URL, "login", 1,
	    MF_K_LOGIN, userpwd, "application/x-www-form-urlencoded",
	    "grant_type=client_credentials");
	memset(userpwd, 0, strlen(userpwd));
	free(userpwd);
}

static int
tp_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	if (s->secret2 != NULL && mf_oauth_refused(s, c, r, tp_login))
		return 1;
	if (r->status == 401 || r->status == 403)
		hark_warn("source '%s': Trustpilot refused the %s (HTTP %ld): "
		    "check %s%s", s->name, s->secret2 != NULL ?
		    "access token" : "API key", (long)r->status,
		    mf_secret_var(s, "TOKEN"), s->secret2 != NULL ?
		    " and the API secret" : "");
	return 0;
}

static void
tp_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char lim[32], *id, *p, *u;

	if (s->secret2 != NULL && !mf_oauth_cached(s, mf_oauth_for(s)))
		tp_login(s);
	snprintf(lim, sizeof(lim), "%ld", s->page_size > 100 ? 100 :
	    s->page_size);
	id = hark_http_escape(mf_conf(s, "business_unit_id"));
	p = hark_xasprintf("%s/business-units/%s/reviews", s->secret2 != NULL ?
	    "/private" : "", id);
	u = mf_url_join(s, p);
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "perPage", lim);
	mf_param(&b, "orderBy", "createdat.desc");
	if (mf_conf(s, "language") != NULL)
		mf_param(&b, "language", mf_conf(s, "language"));
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, "reviews", u, MF_K_PAGE, NULL);
	free(u);
	free(id);
	free(p);
}

static void
tp_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	(void)r;
	mf_next_page(s, c, pg->next, pg);
}

/* --- the driver ------------------------------------------------------ */

static const char *const tp_keys[] = { "business_unit_id", "language",
	"token_url", NULL };

const struct mf_driver mf_driver_trustpilot = {
	.type = "trustpilot", .map = mf_map_trustpilot,
	.setup = tp_setup, .start = tp_start,
	.http_error = tp_http_error, .special = mf_token_special,
	.after_page = tp_after,
	.query_style = HARK_QUERY_TERMS, .keys = tp_keys,
	.secret2 = "API_SECRET",
};
