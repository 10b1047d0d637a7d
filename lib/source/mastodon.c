/*
 * mastodon.c - Mastodon statuses (timelines, account statuses,
 * /api/v2/search, /api/v1/statuses/:id/context, notifications) to
 * records.  Ids are local to the instance: "mastodon:<host>:<id>".
 */
#include <strings.h>
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "html.h"
#include "mention.h"
#include "source.h"
#include "write.h"
#include "json.h"

struct masto {
	const struct mf_map_ctx *ctx;
	struct mf_page *page;
	const char *host;
	const char *root;	/* thread root (native id) for /context */
	char *newest, *oldest;	/* ids of the page's items */
};

static json_t *
local_id(const char *host, const char *id)
{
	char *s;
	json_t *j;

	if (id == NULL)
		return json_null();
	s = hark_xasprintf("mastodon:%s:%s", host, id);
	j = json_string(s);
	free(s);
	return j != NULL ? j : json_null();
}

static void
track(struct masto *m, const char *id)
{
	if (id == NULL)
		return;
	if (m->newest == NULL || mf_id_greater(id, m->newest))
		mf_replace(&m->newest, id);
	if (m->oldest == NULL || mf_id_greater(m->oldest, id))
		mf_replace(&m->oldest, id);
}

static void
map_status(struct masto *m, const json_t *st)
{
	const struct mf_map_ctx *ctx = m->ctx;
	const json_t *inner = json_object_get(st, "reblog");
	const char *id, *acct, *url, *spoiler, *content;
	json_t *rec, *a;
	struct hark_buf b;
	char *s;

	if (json_is_object(inner))	/* a boost: the original counts */
		st = inner;
	if ((id = mf_str(st, "id")) == NULL) {
		mf_page_warn(m->page, "Mastodon status without 'id' skipped");
		return;
	}
	rec = mf_record_new(ctx, "mastodon");
	hark_mention_set(rec, "id", local_id(m->host, id));
	hark_mention_set_str(rec, "native_id", id);
	hark_mention_set_str(rec, "kind", mf_str(st, "in_reply_to_id") != NULL ?
	    "comment" : "post");
	if ((url = mf_str(st, "url")) == NULL)
		url = mf_str(st, "uri");
	hark_mention_set_str(rec, "url", url);
	mf_set_time(rec, "created_at", mf_str(st, "created_at"), m->page,
	    "Mastodon created_at");
	mf_set_time(rec, "updated_at", mf_str(st, "edited_at"), m->page,
	    "Mastodon edited_at");
	a = json_object_get(st, "account");
	hark_mention_set_str(rec, "author.id", mf_str(a, "id"));
	if ((acct = mf_str(a, "acct")) != NULL) {
		if (strchr(acct, '@') == NULL) {
			s = hark_xasprintf("%s@%s", acct, m->host);
			hark_mention_set_str(rec, "author.handle", s);
			free(s);
		} else
			hark_mention_set_str(rec, "author.handle", acct);
	}
	hark_mention_set_str(rec, "author.name", mf_str(a, "display_name"));
	hark_mention_set_str(rec, "author.url", mf_str(a, "url"));
	mf_set_int(rec, "author.followers", a, "followers_count");
	content = mf_str(st, "content");
	spoiler = mf_str(st, "spoiler_text");
	if (content != NULL)
		hark_mention_set_html(rec, content, strlen(content));
	if (spoiler != NULL) {
		/* The content warning is part of what the author said. */
		const char *t = hark_mention_get_str(rec, "text");

		hark_buf_init(&b, 3 * (strlen(spoiler) + strlen(t)) + 16);
		hark_html_collapse(spoiler, strlen(spoiler), &b);
		if (*t != '\0') {
			hark_buf_addch(&b, '\n');
			hark_buf_addstr(&b, t);
		}
		hark_mention_set_strn(rec, "text", hark_buf_str(&b), b.len);
		hark_buf_release(&b);
	}
	hark_mention_set_lang(rec, mf_str(st, "language"));
	hark_mention_set(rec, "thread.parent_id", local_id(m->host,
	    mf_str(st, "in_reply_to_id")));
	hark_mention_set_str(rec, "thread.in_reply_to_author_id",
	    mf_str(st, "in_reply_to_account_id"));
	if (m->root != NULL && strcmp(m->root, id) != 0)
		hark_mention_set(rec, "thread.root_id", local_id(m->host,
		    m->root));
	mf_set_int(rec, "metrics.likes", st, "favourites_count");
	mf_set_int(rec, "metrics.reposts", st, "reblogs_count");
	mf_set_int(rec, "metrics.replies", st, "replies_count");
	mf_set_int(rec, "metrics.quotes", st, "quotes_count");
	hark_mention_set_str(rec, "context.community", m->host);
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(st));
	mf_page_add(m->page, ctx, rec);
}

/* An array of statuses or of notifications. */
static void
map_list(struct masto *m, const json_t *arr, int paged)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e) {
		if (!json_is_object(e)) {
			mf_page_warn(m->page, "Mastodon item is not an object");
			continue;
		}
		if (paged)
			track(m, mf_str(e, "id"));
		/* Notifications carry the status; follows etc. carry none. */
		if (mf_str(e, "type") != NULL && json_object_get(e,
		    "content") == NULL) {
			if (json_is_object(json_object_get(e, "status")))
				map_status(m, json_object_get(e, "status"));
			continue;
		}
		map_status(m, e);
	}
}

/* The status id in ".../statuses/<id>/context". */
static char *
context_focus(const char *url)
{
	const char *p, *end;

	if (url == NULL || (end = strstr(url, "/context")) == NULL)
		return NULL;
	for (p = end; p > url && p[-1] != '/'; p--)
		;
	return end > p ? hark_xstrndup(p, (size_t)(end - p)) : NULL;
}

static int
mf_map_mastodon(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	struct masto m;
	json_t *root, *anc, *desc;
	char *host, *focus = NULL;
	int rc = 0;

	if (mf_json_load(body, len, "Mastodon response", &root, err) == -1)
		return -1;
	memset(&m, 0, sizeof(m));
	m.ctx = ctx;
	m.page = page;
	host = mf_url_host(ctx->base_url);
	if (host == NULL)
		host = mf_url_host(ctx->request_url);
	m.host = host != NULL ? host : "unknown";
	anc = json_object_get(root, "ancestors");
	desc = json_object_get(root, "descendants");
	if (json_is_array(root)) {
		map_list(&m, root, 1);
		if (m.oldest != NULL)
			page->next = hark_xstrdup(m.oldest);
	} else if (json_is_array(json_object_get(root, "statuses"))) {
		map_list(&m, json_object_get(root, "statuses"), 1);
	} else if (json_is_array(anc) && json_is_array(desc)) {
		/* The first ancestor is the root; without ancestors the
		 * status asked about is. */
		focus = context_focus(ctx->request_url);
		m.root = json_array_size(anc) > 0 ?
		    mf_str(json_array_get(anc, 0), "id") : focus;
		map_list(&m, anc, 1);
		map_list(&m, desc, 1);
	} else if (json_is_object(root) && mf_str(root, "id") != NULL &&
	    json_object_get(root, "content") != NULL) {
		track(&m, mf_str(root, "id"));
		map_status(&m, root);
	} else if (mf_str(root, "error") != NULL) {
		char clean[200];
		const char *e = mf_str(root, "error");

		hark_sanitize(clean, sizeof(clean), e, strlen(e));
		rc = mf_malformed(err, "Mastodon API error: %s", clean);
	} else {
		rc = mf_malformed(err, "malformed Mastodon response: not a "
		    "status list, search result or context");
	}
	if (rc == 0) {
		free(page->newest);
		page->newest = m.newest;
		m.newest = NULL;
	}
	free(m.newest), free(m.oldest), free(host), free(focus);
	json_decref(root);
	return rc;
}

/* --- the request side ------------------------------------------------ */

enum {
	K_LOOKUP = -2		/* account lookup (no source auth) */
};

static int
mastodon_setup(struct mf_source *s, struct hark_err *err)
{
	const struct hark_config_entry *e = mf_own_entry(s, "notifications");

	if (e != NULL && hark_config_bool(e->value, &s->notifications,
	    err) < 0) {
		mf_conf_fail(s, e->line, e->column, "notifications: %s",
		    err->msg);
		return 0;
	}
	mf_default_base(s, "https://mastodon.social");
	if (s->token != NULL)
		mf_set_bearer(s, s->token);
	if (hark_config_get(s->sec, "tag") == NULL && s->token == NULL &&
	    s->nbrands == 0)
		return hark_err_set(err, 2, "set 'tag' (hashtag timeline), or "
		    "a token for full-text search (%s)",
		    mf_secret_var(s, "TOKEN"));
	return 0;
}

static void
mastodon_statuses(struct mf_source *s, const char *stream, const char *path,
    const char *q)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	/* notification ids are not status ids: those pages stop at the
	 * time watermark instead */
	const char *newest = mf_backfill(s) || strcmp(stream,
	    "notifications") == 0 ? NULL : mf_state_get(s, stream, "newest");
	char lim[32], *u = mf_url_join(s, path);

	snprintf(lim, sizeof(lim), "%ld", s->page_size > 40 ? 40 :
	    s->page_size);
	hark_buf_addstr(&b, u);
	free(u);
	if (q != NULL) {
		mf_param(&b, "q", q);
		mf_param(&b, "type", "statuses");
	}
	mf_param(&b, "limit", lim);
	if (newest != NULL)
		mf_param(&b, "since_id", newest);
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, stream, u, MF_K_PAGE, NULL);
	free(u);
}

static void
mastodon_brand_statuses(struct mf_source *s, const char *brand,
    const char *account_id)
{
	char *st = hark_xasprintf("brand:%s", brand);
	char *e = hark_http_escape(account_id);
	char *p = hark_xasprintf("/api/v1/accounts/%s/statuses", e);

	mastodon_statuses(s, st, p, NULL);
	free(st);
	free(e);
	free(p);
}

static void
mastodon_start(struct mf_source *s)
{
	const struct hark_config_entry *e = NULL;
	const char *bid = hark_config_get(s->sec, "brand_id");
	size_t i;

	while ((e = hark_config_next(s->sec, "tag", e)) != NULL) {
		const char *tag = e->value[0] == '#' ? e->value + 1 : e->value;
		char *t = hark_http_escape(tag);
		char *p = hark_xasprintf("/api/v1/timelines/tag/%s", t);
		char *st = hark_xasprintf("tag:%s", tag);

		mastodon_statuses(s, st, p, NULL);
		free(t);
		free(p);
		free(st);
	}
	if (s->token != NULL && s->native != NULL && *s->native != '\0')
		mastodon_statuses(s, "search", "/api/v2/search", s->native);
	/* with the brand's own token: everyone who @-mentioned it */
	if (s->token != NULL && s->notifications)
		mastodon_statuses(s, "notifications",
		    "/api/v1/notifications?types%5B%5D=mention", NULL);
	/* the brand's own statuses (its replies) */
	for (i = 0; i < s->nbrands; i++) {
		struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
		char *u;

		if (bid != NULL && i == 0) {
			mastodon_brand_statuses(s, s->brands[i], bid);
			continue;
		}
		u = mf_url_join(s, "/api/v1/accounts/lookup");
		hark_buf_addstr(&b, u);
		free(u);
		mf_param(&b, "acct", s->brands[i]);
		u = hark_buf_detach(&b, NULL);
		mf_submit(s, "GET", u, "lookup", 1, K_LOOKUP, s->brands[i],
		    NULL, NULL);
		free(u);
	}
}

static void
mastodon_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j = json_loadb(r->body, r->len, 0, NULL);
	const char *id = json_string_value(json_object_get(j, "id"));

	if (id == NULL)
		mf_fail(s, 3, "account lookup for '%s': no id", c->arg);
	else
		mastodon_brand_statuses(s, c->arg, id);
	json_decref(j);
}

/* Read the context of status NID, once per run (a status met in the tag
 * timeline, the search and the notifications is one thread). */
static void
mastodon_context(struct mf_source *s, const char *nid)
{
	json_object_set_new(mf_drv_obj(s, "contexts"), nid, json_true());
	mf_submit_thread_at(s, "/api/v1/statuses/%s/context", nid);
}

/*
 * A reply from a status list does not say which status its thread starts
 * with; the context of the reply does.  So that the output never depends
 * on which answer comes first (the list or another status's context), a
 * kept reply whose root is unknown waits for its own context (read once,
 * not counted in max_threads) and is written with the root from it.
 */
static int
mastodon_amend(struct mf_source *s, struct mf_call *c, json_t *rec)
{
	const char *nid = mf_rstr(rec, "native_id");
	json_t *th = json_object_get(rec, "thread"), *root;

	if (nid == NULL || !json_is_object(th) ||
	    json_is_null(json_object_get(th, "parent_id")) ||
	    !json_is_null(json_object_get(th, "root_id")))
		return 0;
	if ((root = json_object_get(mf_drv_obj(s, "roots"), nid)) != NULL) {
		json_object_set(th, "root_id", root);
		return 0;
	}
	mf_keep_add(s, c, rec);
	if (json_object_get(mf_drv_obj(s, "contexts"), nid) == NULL)
		mastodon_context(s, nid);
	return 1;
}

/* mf_keep_release(): a kept reply goes once its root is known. */
static int
mastodon_ready(struct mf_source *s, json_t *rec, int all)
{
	json_t *root = json_object_get(mf_drv_obj(s, "roots"), mf_rstr(rec,
	    "native_id"));

	if (root == NULL)
		return all;
	json_object_set(json_object_get(rec, "thread"), "root_id", root);
	return 1;
}

static void
mastodon_finish(struct mf_source *s)
{
	mf_keep_release(s, mastodon_ready, 1);
}

/* A /context answer for status FOCUS: the thread's root (the first
 * ancestor, else FOCUS) for FOCUS and every status in it, as a record id
 * (mf_map_mastodon(): "mastodon:HOST:ID", HOST of the base URL). */
static void
mastodon_roots(struct mf_source *s, const char *focus,
    const struct hark_http_resp *r, json_t *recs)
{
	json_t *j = json_loadb(r->body, r->len, 0, NULL), *rec, *root;
	json_t *anc = json_object_get(j, "ancestors");
	json_t *roots = mf_drv_obj(s, "roots");
	const char *rid = json_string_value(json_object_get(json_array_get(
	    anc, 0), "id"));
	char *host = mf_url_host(s->base_url);
	size_t i;

	if (json_array_size(anc) == 0)
		rid = focus;
	root = rid != NULL ? json_sprintf("mastodon:%s:%s", host != NULL ?
	    host : "unknown", rid) : json_null();
	/* the root status itself has no root of its own */
	json_object_set(roots, focus, rid != NULL && strcmp(focus, rid) != 0 ?
	    root : json_null());
	json_array_foreach(recs, i, rec) {
		const char *nid = mf_rstr(rec, "native_id");

		if (nid != NULL && json_object_get(roots, nid) == NULL)
			json_object_set(roots, nid, rid != NULL &&
			    strcmp(nid, rid) == 0 ? json_null() : root);
	}
	json_decref(root);
	json_decref(j);
	free(host);
}

static void
mastodon_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec, *ctxs = mf_drv_obj(s, "contexts");
	char *link;
	size_t i;

	if (c->kind == MF_K_THREAD && c->arg != NULL) {
		mastodon_roots(s, c->arg, r, pg->records);
		mf_keep_release(s, mastodon_ready, 0);
	}
	json_array_foreach(pg->records, i, rec) {
		const char *nid = mf_rstr(rec, "native_id");

		if (c->kind != MF_K_PAGE || nid == NULL ||
		    json_object_get(ctxs, nid) != NULL || !mf_wants_thread(s, rec))
			continue;
		s->threads++;
		mastodon_context(s, nid);
	}
	if (c->kind != MF_K_PAGE || json_array_size(pg->records) == 0) {
		mf_next_page(s, c, NULL, pg);
		return;
	}
	/* older page: the Link header as given, else max_id */
	if ((link = hark_http_link(r, "next")) != NULL) {
		mf_next_page(s, c, link, pg);
		free(link);
		return;
	}
	mf_next_by_param(s, c, "max_id", pg->next, pg);
}

/* --- the driver ------------------------------------------------------ */

static const char *const mastodon_keys[] = { "tag", "brand_id",
	"notifications", NULL };

/* --- the write side (reply-send) ------------------------------------- */

/*
 * A status answering W: public, or "direct" (a private message, which
 * Mastodon addresses to the accounts the text mentions).  The text gets
 * the customer's @handle when it does not mention them already, or
 * Mastodon would not notify them.  The Idempotency-Key header makes
 * Mastodon answer a repeated request with the first status.
 */
static int
mastodon_status(struct mf_source *s, const struct mf_write *w,
    const char *visibility, struct hark_err *err)
{
	json_t *o;
	char *body, *u, *hdr, *text;
	const char *h = w->recipient_handle;

	if (s->auth == NULL)
		return hark_err_set(err, 2, "posting needs the account's access "
		    "token (%s or %s)", mf_secret_var(s, "WRITE_TOKEN"),
		    mf_secret_var(s, "TOKEN"));
	if (h != NULL && *h == '@')
		h++;
	if (h == NULL && strcmp(visibility, "direct") == 0)
		return hark_err_set(err, 3, "a direct message needs the "
		    "author's handle");
	text = h != NULL && strstr(w->text, h) == NULL ?
	    hark_xasprintf("@%s %s", h, w->text) : hark_xstrdup(w->text);
	o = json_pack("{s:s, s:s, s:s}", "status", text, "in_reply_to_id",
	    w->native_id, "visibility", visibility);
	body = hark_json_dumps(o, JSON_COMPACT);
	u = mf_url_join(s, "/api/v1/statuses");
	hdr = hark_xasprintf("Idempotency-Key: %s", w->key ? w->key : "");
	mf_write_submit(s, w, "POST", u, MF_K_WRITE, "application/json", body,
	    hdr);
	json_decref(o);
	free(body);
	free(u);
	free(hdr);
	free(text);
	return 0;
}

static int
mastodon_post_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	return mastodon_status(s, w, "public", err);
}

static int
mastodon_send_private(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	return mastodon_status(s, w, "direct", err);
}

/* The brand's replies to W's status are in its context's descendants. */
static int
mastodon_find_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	char *e, *p, *u;

	if (s->nbrands == 0)
		return hark_err_set(err, 2, "reading a thread back needs "
		    "'brand' (the account that posts)");
	e = hark_http_escape(w->native_id);
	p = hark_xasprintf("/api/v1/statuses/%s/context", e);
	u = mf_url_join(s, p);
	mf_write_submit(s, w, "GET", u, MF_K_READBACK, NULL, NULL, NULL);
	free(e);
	free(p);
	free(u);
	return 0;
}

static int
mastodon_is_brand(struct mf_source *s, const json_t *acct)
{
	const char *a = mf_str(acct, "acct"), *id = mf_str(acct, "id");
	char *host = mf_url_host(s->base_url);
	size_t i;
	int hit = 0;

	for (i = 0; i < s->nbrands && !hit; i++) {
		const char *b = s->brands[i];

		if ((id && strcmp(b, id) == 0) || (a && strcasecmp(b, a) == 0))
			hit = 1;
		else if (a && host && strchr(a, '@') == NULL) {
			/* a local account: "acme" is "acme@host" */
			char *q = hark_xasprintf("%s@%s", a, host);

			hit = strcasecmp(b, q) == 0;
			free(q);
		}
	}
	free(host);
	return hit;
}

static void
mastodon_written(struct mf_source *s, struct mf_call *c, const json_t *st)
{
	struct mf_written w;
	char *host = mf_url_host(s->base_url), *acct = NULL, *rid = NULL;
	const char *a = mf_str(st, "account.acct");

	memset(&w, 0, sizeof(w));
	w.key = c->arg;
	w.found = 1;
	w.native_id = mf_str(st, "id");
	if (host != NULL && w.native_id != NULL)	/* mastodon:HOST:ID */
		w.id = rid = hark_xasprintf("mastodon:%s:%s", host,
		    w.native_id);
	w.url = mf_str(st, "url");
	w.created_at = mf_str(st, "created_at");
	w.author_id = mf_str(st, "account.id");
	if (a != NULL && strchr(a, '@') == NULL && host != NULL)
		acct = hark_xasprintf("%s@%s", a, host);
	w.author_handle = acct ? acct : a;
	w.author_name = mf_str(st, "account.display_name");
	mf_write_done(s, &w);
	free(rid);
	free(acct);
	free(host);
}

static void
mastodon_write_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j, *d;
	const char *nid;
	size_t i;

	if (!MF_K_IS_WRITE(c->kind)) {
		mastodon_special(s, c, r);
		return;
	}
	j = mf_write_json(r);
	if (c->kind == MF_K_WRITE) {
		if (mf_str(j, "id") == NULL)
			mf_write_failed(s, c->arg, "the answer is not a status",
			    1, 0);
		else
			mastodon_written(s, c, j);
		json_decref(j);
		return;
	}
	nid = json_string_value(json_object_get(mf_write_memo(s, c->arg),
	    "native_id"));
	d = json_object_get(j, "descendants");
	for (i = 0; i < json_array_size(d); i++) {
		const json_t *st = json_array_get(d, i);
		const char *irt = mf_str(st, "in_reply_to_id");

		if (irt && nid && strcmp(irt, nid) == 0 &&
		    mastodon_is_brand(s, json_object_get(st, "account"))) {
			mastodon_written(s, c, st);
			json_decref(j);
			return;
		}
	}
	if (!json_is_array(d))
		mf_write_failed(s, c->arg, "the context has no descendants", 0,
		    0);
	else
		mf_write_found(s, c, NULL);
	json_decref(j);
}

const struct mf_driver mf_driver_mastodon = {
	.type = "mastodon", .map = mf_map_mastodon, .setup = mastodon_setup,
	.start = mastodon_start, .special = mastodon_write_special,
	.after_page = mastodon_after, .amend = mastodon_amend,
	.finish = mastodon_finish, .commit_later = mf_keep_commit_later,
	.query_style = HARK_QUERY_TERMS, .keys = mastodon_keys,
	.post_reply = mastodon_post_reply,
	.send_private = mastodon_send_private,
	.find_reply = mastodon_find_reply,
};
