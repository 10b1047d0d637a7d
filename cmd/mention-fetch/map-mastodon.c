/*
 * map-mastodon.c - Mastodon statuses (timelines, account statuses,
 * /api/v2/search, /api/v1/statuses/:id/context, notifications) to
 * records.  Ids are local to the instance: "mastodon:<host>:<id>".
 */
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "html.h"
#include "mention.h"
#include "map.h"

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

int
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
