/*
 * messenger.c - the private inboxes of a Facebook Page and of the
 * Instagram professional account linked to it, through the Messenger
 * Platform's Conversations API (graph.facebook.com):
 *
 *   GET /{page-id}/conversations?platform=messenger|instagram
 *	the conversations, most recently updated first (id, updated_time,
 *	participants); time-based paging is not available, so the list is
 *	read until a conversation older than the last run's newest
 *   GET /{conversation-id}/messages?fields=id,created_time,from,to,message
 *	the messages of each conversation updated since, newest first
 *
 * Two types, one driver: facebook_inbox (platform=messenger, records with
 * source "facebook") and instagram_inbox (platform=instagram, source
 * "instagram").  Auth: a Page access token of someone with the MESSAGING
 * task (Authorization: Bearer).  Instagram answers only the 20 most
 * recent messages of a conversation: its message lists are one page of
 * at most 20.  Throttling, transient errors and refused tokens are the
 * Graph API's (mf_graph_*()).
 *
 * Records: every message is kind "message" with "visibility": "private";
 * its thread.root_id is the conversation ("<source>:conversation:<id>"),
 * so sla-report times each conversation on its own, and the brand's
 * messages (the Page or account: page_id and ig_user_id are brands) are
 * its responses.  A person's id is their Page-scoped id (Messenger) or
 * Instagram-scoped id (Instagram): the latter is the id Instagram
 * comments carry (type instagram), the former is not the id of the same
 * person's Facebook comments.  "handoff" stays null: neither API names the
 * public post or comment a conversation started from.
 */
#include <jansson.h>
#include "hark.h"
#include "buf.h"
#include "err.h"
#include "mention.h"
#include "source.h"
#include "source/webhook.h"

/* --- the response side ---------------------------------------------- */

/* "facebook" or "instagram", from the config type. */
static const char *
inbox_source(const struct mf_map_ctx *ctx)
{
	return ctx->type != NULL && strncmp(ctx->type, "instagram", 9) == 0 ?
	    "instagram" : "facebook";
}

/* Is the party P ({"id", "username"?}) the brand (page_id, ig_user_id or
 * a configured brand handle)? */
static int
party_is_brand(const json_t *p, const struct mf_map_ctx *ctx)
{
	return mf_str(p, "id") != NULL && hark_mention_brand_match(ctx->brands,
	    ctx->nbrands, mf_str(p, "id"), mf_str(p, "username"));
}

/*
 * thread.root_id and context.community of a message between FROM and TO
 * (the first of to.data): the key mention-listen computes from a webhook
 * for the same conversation, "<source>:conversation:<business id>:
 * <customer id>" (hark_webhook_conversation()), where the business is
 * the party that is the brand and the customer the other one.  When the
 * brand is neither or both parties (no ig_user_id and no brand handle
 * for an Instagram account), the Graph conversation id CONV is the only
 * key left: "<source>:conversation:<conversation id>", which a webhook
 * cannot compute.
 */
static void
inbox_set_conversation(json_t *rec, const char *src, const json_t *from,
    const json_t *to, const char *conv, const struct mf_map_ctx *ctx)
{
	int fb = party_is_brand(from, ctx), tb = party_is_brand(to, ctx);
	const char *business = NULL, *customer = NULL;
	char *root;

	if (fb && !tb) {
		business = mf_str(from, "id");
		customer = mf_str(to, "id");
	} else if (tb && !fb) {
		business = mf_str(to, "id");
		customer = mf_str(from, "id");
	}
	if (business != NULL && customer != NULL) {
		root = hark_webhook_conversation(src, business, customer);
		hark_mention_set_str(rec, "thread.root_id", root);
		hark_mention_set_str(rec, "context.community", business);
		free(root);
		return;
	}
	root = conv != NULL ? hark_xasprintf("conversation:%s", conv) : NULL;
	hark_mention_set(rec, "thread.root_id", mf_id(src, root));
	free(root);
}

static void
inbox_map_message(const json_t *d, const char *conv,
    const struct mf_map_ctx *ctx, struct mf_page *page)
{
	const char *src = inbox_source(ctx), *id = mf_str(d, "id");
	const char *msg = mf_str(d, "message");
	const json_t *to;
	json_t *rec;

	if (id == NULL) {
		mf_page_warn(page, "message without 'id' skipped");
		return;
	}
	rec = mf_record_new(ctx, src);
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", "message");
	mf_set_time(rec, "created_at", mf_str(d, "created_time"), page,
	    "message created_time");
	hark_mention_set_str(rec, "author.id", mf_str(d, "from.id"));
	hark_mention_set_str(rec, "author.name", mf_str(d, "from.name"));
	hark_mention_set_str(rec, "author.handle", mf_str(d, "from.username"));
	if (msg != NULL)
		hark_mention_set_text(rec, msg, strlen(msg), 0);
	/* the brand writes to the person: who its message answers */
	hark_mention_set_brand(rec, ctx->brands, ctx->nbrands);
	to = json_array_get(mf_get(d, "to.data"), 0);
	if (json_is_true(mf_get(rec, "author.is_brand")))
		hark_mention_set_str(rec, "thread.in_reply_to_author_id",
		    mf_str(to, "id"));
	inbox_set_conversation(rec, src, mf_get(d, "from"), to, conv, ctx);
	json_object_set_new(rec, "visibility", json_string("private"));
	json_object_set_new(rec, "handoff", json_null());
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(d));
	mf_page_add(page, ctx, rec);
}

static int
mf_map_inbox(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	json_t *root, *data, *d, *list;
	char *conv = NULL;
	size_t i;
	int rc = 0;

	if (mf_json_load(body, len, "Conversations API response", &root,
	    err) == -1)
		return -1;
	data = json_object_get(root, "data");
	if (!json_is_array(data)) {
		rc = mf_malformed(err, "malformed Conversations API response: "
		    "'data' missing or not an array");
		goto out;
	}
	conv = mf_graph_edge_object(ctx->request_url, "messages");
	if (conv != NULL) {
		json_array_foreach(data, i, d)
			if (json_is_object(d))
				inbox_map_message(d, conv, ctx, page);
	} else {
		/* the conversation list: no records, the ids and times for
		 * the driver ({"id", "updated": epoch or -1}) */
		list = json_array();
		json_array_foreach(data, i, d) {
			const char *id = mf_str(d, "id");
			json_t *u = json_object_get(d, "updated_time");
			hark_time_t t = -1;
			char num[32];

			if (id == NULL) {
				mf_page_warn(page, "conversation without 'id' "
				    "skipped");
				continue;
			}
			if (json_is_integer(u)) {
				snprintf(num, sizeof(num), "%lld",
				    (long long)json_integer_value(u));
				hark_time_parse_any(num, &t, NULL);
			} else if (json_is_string(u) &&
			    hark_time_parse_any(json_string_value(u), &t,
			    NULL) < 0) {
				t = -1;
			}
			json_array_append_new(list, json_pack("{s:s,s:I}",
			    "id", id, "updated", (json_int_t)t));
		}
		mf_page_extra(page, "conversations", list);
	}
	mf_replace(&page->next, mf_str(root, "paging.next"));
out:
	free(conv);
	json_decref(root);
	return rc;
}

/* --- the request side ------------------------------------------------ */

enum {
	K_LIST = 3,		/* the conversation list: no records */
	K_MESSAGES = 4		/* a conversation's messages: no query */
};

#define IG_MESSAGES_MAX	20	/* Instagram: the 20 most recent only */

static int
is_instagram(const struct mf_source *s)
{
	return strcmp(s->type, "instagram_inbox") == 0;
}

static int
inbox_setup(struct mf_source *s, struct hark_err *err)
{
	if (mf_graph_setup(s, "page_id", "a Page access token", err) < 0)
		return -1;
	mf_brand_add(s, mf_conf(s, "page_id"));
	mf_brand_add(s, mf_conf(s, "ig_user_id"));
	return 0;
}

static void
inbox_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *e = hark_http_escape(mf_conf(s, "page_id")), lim[32];

	hark_buf_addf(&b, "%s/%s/conversations", s->base_url, e);
	free(e);
	mf_param(&b, "platform", is_instagram(s) ? "instagram" : "messenger");
	mf_param(&b, "fields", "id,updated_time,participants");
	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	mf_param(&b, "limit", lim);
	mf_stream_start(s, "conversations", hark_buf_str(&b), K_LIST, NULL);
	hark_buf_release(&b);
}

static void
messages(struct mf_source *s, const char *conv)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *e = hark_http_escape(conv), lim[32];
	long n = HARK_MIN(s->page_size, 100L);

	if (is_instagram(s))
		n = HARK_MIN(n, (long)IG_MESSAGES_MAX);
	hark_buf_addf(&b, "%s/%s/messages", s->base_url, e);
	free(e);
	mf_param(&b, "fields", "id,created_time,from,to,message");
	snprintf(lim, sizeof(lim), "%ld", n);
	mf_param(&b, "limit", lim);
	mf_stream_start(s, "messages", hark_buf_str(&b), K_MESSAGES, conv);
	hark_buf_release(&b);
}

static void
inbox_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	hark_time_t wm, newest, t;
	json_t *cv;
	size_t i;

	(void)r;
	if (c->kind == K_MESSAGES) {
		/* Instagram: older messages cannot be read */
		mf_next_page(s, c, is_instagram(s) ? NULL : pg->next, pg);
		return;
	}
	/* the list, most recently updated first: the conversations updated
	 * since the last run's newest (with the overlap) */
	wm = mf_watermark(s, "conversations");
	newest = (hark_time_t)json_integer_value(json_object_get(
	    mf_drv_data(s), "newest"));
	json_array_foreach(json_object_get(pg->extra, "conversations"), i,
	    cv) {
		const char *id = json_string_value(json_object_get(cv, "id"));

		t = (hark_time_t)json_integer_value(json_object_get(cv,
		    "updated"));
		if (wm >= 0 && t >= 0 && t < wm - s->run->overlap) {
			c->reached = 1;
			continue;
		}
		if (s->run->since >= 0 && t >= 0 && t < s->run->since) {
			c->reached = 1;
			continue;
		}
		if (t > newest && t < s->run->now)
			newest = t;
		if (s->threads >= s->max_threads) {
			/* the rest waits for the next run: keep the cursor */
			json_object_set_new(mf_drv_data(s), "partial",
			    json_true());
			continue;
		}
		s->threads++;
		messages(s, id);
	}
	json_object_set_new(mf_drv_data(s), "newest", json_integer(newest));
	mf_next_page(s, c, pg->next, pg);
}

/* Refused tokens as the Graph API says; any other error of the list is
 * the source's failure (one conversation's is skipped, as threads are). */
static int
inbox_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	char reason[200];

	if (mf_graph_http_error(s, c, r))
		return 2;
	if (c->kind != K_LIST)
		return 0;
	mf_body_reason(r, reason, sizeof(reason));
	mf_fail(s, 1, "HTTP %ld%s%s", r->status, reason[0] ? ": " : "",
	    reason);
	return 2;
}

/* The list's cursor moves once every conversation it named was read:
 * at the end of a run without a failure. */
static void
inbox_finish(struct mf_source *s)
{
	json_int_t newest = json_integer_value(json_object_get(mf_drv_data(s),
	    "newest"));
	char tb[HARK_TIME_BUFSZ];

	if (newest <= 0 || s->nfail > 0 || s->limited ||
	    json_is_true(json_object_get(mf_drv_data(s), "partial")))
		return;
	json_object_set_new(mf_stream_pending(s, "conversations"),
	    "newest_time", json_string(hark_time_format((hark_time_t)newest,
	    tb)));
	mf_stream_done(s, "conversations");
}

/* --- the driver ------------------------------------------------------ */

static const char *const inbox_shared[] = { "page_id", "ig_user_id",
	"api_version", NULL };

#define INBOX(t) { .type = t, .map = mf_map_inbox, .setup = inbox_setup, \
	.start = inbox_start, .http_error = inbox_http_error, \
	.special = mf_no_special, .after_page = inbox_after, \
	.finish = inbox_finish, .classify = mf_graph_classify, \
	.query_style = HARK_QUERY_TERMS, .shared_keys = inbox_shared }

const struct mf_driver mf_driver_facebook_inbox = INBOX("facebook_inbox");
const struct mf_driver mf_driver_instagram_inbox = INBOX("instagram_inbox");
