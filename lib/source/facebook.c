/*
 * facebook.c - Facebook Graph API Page posts (/{page-id}/feed,
 * /published_posts, /visitor_posts, /tagged) and comments
 * (/{object-id}/comments, or expanded inside posts) to records; the Page
 * object (/{page-id}?fields=id,name) to page->extra "page_name".
 */
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "mention.h"
#include "source.h"
#include "write.h"
#include "json.h"

/* "A_B" -> the part before / after the '_'. */
static int
id_part(const char *id, int second, char *out, size_t outsz)
{
	const char *u = id != NULL ? strchr(id, '_') : NULL;
	size_t n;

	if (u == NULL)
		return -1;
	n = second ? strlen(u + 1) : (size_t)(u - id);
	if (n == 0 || n >= outsz)
		return -1;
	memcpy(out, second ? u + 1 : id, n);
	out[n] = '\0';
	return 0;
}

static void
common(json_t *rec, const json_t *d, struct mf_page *page)
{
	const char *msg = mf_str(d, "message");

	hark_mention_set_id(rec, mf_str(d, "id"));
	hark_mention_set_str(rec, "url", mf_str(d, "permalink_url"));
	mf_set_time(rec, "created_at", mf_str(d, "created_time"), page,
	    "Facebook created_time");
	/* updated_at stays null: Graph moves updated_time whenever someone
	 * comments, and gives no edit time (it is kept in .raw) */
	hark_mention_set_str(rec, "author.id", mf_str(d, "from.id"));
	hark_mention_set_str(rec, "author.name", mf_str(d, "from.name"));
	if (msg != NULL)
		hark_mention_set_text(rec, msg, strlen(msg), 0);
}

/*
 * A comment.  POST is the id of the post it belongs to when known;
 * OBJECT the object whose /comments were asked for (post or comment).
 */
static void
fb_map_comment(const json_t *d, const char *post, const char *object,
    const struct mf_map_ctx *ctx, struct mf_page *page)
{
	const char *id = mf_str(d, "id"), *parent = mf_str(d, "parent.id");
	json_t *rec;

	if (id == NULL) {
		/* Withheld for apps without the MODERATE task. */
		mf_page_warn(page, "Facebook comment without 'id' skipped "
		    "(the token may lack the MODERATE task on the Page)");
		return;
	}
	rec = mf_record_new(ctx, "facebook");
	common(rec, d, page);
	hark_mention_set_str(rec, "kind", "comment");
	hark_mention_set(rec, "thread.root_id", mf_id("facebook", post));
	hark_mention_set(rec, "thread.parent_id", mf_id("facebook",
	    parent != NULL ? parent : object != NULL ? object : post));
	hark_mention_set_str(rec, "thread.in_reply_to_author_id",
	    mf_str(d, "parent.from.id"));
	mf_set_int(rec, "metrics.likes", d, "like_count");
	mf_set_int(rec, "metrics.replies", d, "comment_count");
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(d));
	mf_page_add(page, ctx, rec);
}

static void
fb_map_post(const json_t *d, const struct mf_map_ctx *ctx, struct mf_page *page)
{
	const char *id = mf_str(d, "id"), *from = mf_str(d, "from.id");
	json_t *rec, *c;
	char pageid[64];
	size_t i;

	if (id == NULL) {
		mf_page_warn(page, "Facebook post without 'id' skipped");
		return;
	}
	rec = mf_record_new(ctx, "facebook");
	common(rec, d, page);
	hark_mention_set_str(rec, "kind", "post");
	if (json_is_null(mf_get(rec, "url"))) {
		char *u = hark_xasprintf("https://www.facebook.com/%s", id);

		hark_mention_set_str(rec, "url", u);
		free(u);
	}
	/* Post ids are "<page-id>_<post-id>": a post by the Page names it. */
	if (id_part(id, 0, pageid, sizeof(pageid)) == 0 && from != NULL &&
	    strcmp(from, pageid) == 0)
		hark_mention_set_str(rec, "context.community",
		    mf_str(d, "from.name"));
	if (mf_get(d, "reactions.summary.total_count") != NULL)
		mf_set_int(rec, "metrics.likes", d,
		    "reactions.summary.total_count");
	else
		mf_set_int(rec, "metrics.likes", d, "likes.summary.total_count");
	mf_set_int(rec, "metrics.reposts", d, "shares.count");
	mf_set_int(rec, "metrics.replies", d, "comments.summary.total_count");
	if (ctx->raw) {
		json_t *raw = json_deep_copy(d);

		hark_mention_set_raw(rec, raw);
	}
	mf_page_add(page, ctx, rec);
	/* Comments expanded into the post (fields=comments{...}). */
	json_array_foreach(mf_get(d, "comments.data"), i, c)
		if (json_is_object(c))
			fb_map_comment(c, id, id, ctx, page);
}

static int
mf_map_facebook(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	json_t *root, *data, *d;
	char *object = NULL, part[64];
	const char *postid = NULL;
	size_t i;
	int rc = 0;

	if (mf_json_load(body, len, "Facebook response", &root, err) == -1)
		return -1;
	data = json_object_get(root, "data");
	if (data == NULL && mf_str(root, "id") != NULL &&
	    mf_str(root, "name") != NULL) {
		/* the Page itself (/{page-id}?fields=id,name): its name is
		 * the community of every post and comment on it */
		mf_page_extra(page, "page_name",
		    json_string(mf_str(root, "name")));
		goto out;
	}
	if ((rc = mf_graph_body_error(root, "Facebook", err)) != 0)
		goto out;
	if (!json_is_array(data)) {
		rc = mf_malformed(err, "malformed Facebook response: 'data' "
		    "missing or not an array");
		goto out;
	}
	object = mf_graph_edge_object(ctx->request_url, "comments");
	if (object != NULL) {
		/*
		 * Comment ids are "<post-id>_<comment-id>" and post ids
		 * "<page-id>_<post-id>": when the object's second part is
		 * the comments' first part, the object is the post.
		 */
		const char *first = mf_str(json_array_get(data, 0), "id");
		char cpart[64];

		if (id_part(object, 1, part, sizeof(part)) == 0 &&
		    id_part(first, 0, cpart, sizeof(cpart)) == 0 &&
		    strcmp(part, cpart) == 0)
			postid = object;
		/* Otherwise the object is a comment (replies): the
		 * post's full id is not known here. */
		json_array_foreach(data, i, d)
			if (json_is_object(d))
				fb_map_comment(d, postid, object, ctx, page);
	} else {
		json_array_foreach(data, i, d)
			if (json_is_object(d))
				fb_map_post(d, ctx, page);
	}
	mf_replace(&page->next, mf_str(root, "paging.next"));
	if (mf_str(root, "paging.cursors.after") != NULL)
		mf_page_extra(page, "after",
		    json_string(mf_str(root, "paging.cursors.after")));
out:
	free(object);
	json_decref(root);
	return rc;
}

/* --- the request side ------------------------------------------------ */

static const char fb_post_fields[] = "id,message,created_time,updated_time,"
    "from,permalink_url,status_type,shares,"
    "reactions.summary(total_count).limit(0),"
    "comments.summary(true).limit(0)";
static const char fb_comment_fields[] = "id,message,created_time,from,"
    "parent{id},like_count,comment_count,permalink_url";

static int
facebook_setup(struct mf_source *s, struct hark_err *err)
{
	const char *v = mf_conf(s, "api_version");

	s->comment_window = mf_conf_duration(s, "comment_window", 7 * 86400L,
	    0, 366 * 86400L);
	if (s->status != 0)
		return 0;
	mf_default_base(s, "https://graph.facebook.com");
	if (mf_need_conf(s, "page_id", err) < 0 ||
	    mf_need_token(s, "a Page access token", err) < 0)
		return -1;
	if (v == NULL)
		v = "v21.0";
	/* the version is part of every path: keep it in the base */
	if (strstr(s->base_url, "/v") == NULL ||
	    strstr(s->base_url, "/v")[2] < '0' ||
	    strstr(s->base_url, "/v")[2] > '9') {
		char *b = hark_xasprintf("%s/%s", s->base_url, v);

		free(s->base_url);
		s->base_url = b;
	}
	mf_set_bearer(s, s->token);
	return 0;
}

/* The Page's name first (visitors' posts do not carry it), then the
 * feed: every record then gets it as context.community. */
static void
facebook_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *u = mf_url_object(s, mf_conf(s, "page_id"), NULL);

	hark_buf_addstr(&b, u);
	mf_param(&b, "fields", "id,name");
	free(u);
	u = hark_buf_detach(&b, NULL);
	/* "thread:": no state of its own */
	mf_stream_start(s, "thread:page", u, MF_K_PAGE, "page");
	free(u);
}

static int
facebook_amend(struct mf_source *s, struct mf_call *c, json_t *rec)
{
	const char *name = json_string_value(json_object_get(mf_drv_data(s),
	    "page_name"));
	json_t *ctx = json_object_get(rec, "context");

	(void)c;
	if (name != NULL && json_is_object(ctx) &&
	    json_is_null(json_object_get(ctx, "community")))
		json_object_set_new(ctx, "community", json_string(name));
	return 0;
}

static void
facebook_feed(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char lim[32], since[32], *u;
	hark_time_t wm;

	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	u = mf_url_object(s, mf_conf(s, "page_id"), "feed");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "fields", fb_post_fields);
	mf_param(&b, "limit", lim);
	/* posts stay alive: re-read those of the last comment_window (7 days
	 * by default) for their new comments */
	wm = s->run->since >= 0 ? s->run->since : mf_watermark(s, "feed");
	if (wm >= 0) {
		if (s->run->since < 0)
			wm -= s->comment_window;
		snprintf(since, sizeof(since), "%lld", (long long)wm);
		mf_param(&b, "since", since);
	}
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, "feed", u, MF_K_PAGE, NULL);
	free(u);
}

static void
facebook_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec;
	size_t i;
	char lim[32];

	(void)r;
	if (c->arg != NULL && strcmp(c->arg, "page") == 0) {
		json_t *n = json_object_get(pg->extra, "page_name");

		if (json_is_string(n))
			json_object_set(mf_drv_data(s), "page_name", n);
		mf_next_page(s, c, NULL, pg);
		facebook_feed(s);
		return;
	}
	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	if (c->kind == MF_K_PAGE) {
		json_array_foreach(pg->records, i, rec) {
			const char *nid = mf_rstr(rec, "native_id");
			struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
			char *u;

			/* every commented post of the brand's own Page (the
			 * page may also carry inline comments: not those) */
			if (nid == NULL || mf_rstr(rec, "kind") == NULL ||
			    strcmp(mf_rstr(rec, "kind"), "post") != 0 ||
			    mf_rnum(rec, "metrics.replies") == 0 ||
			    s->threads >= s->max_threads)
				continue;
			s->threads++;
			u = mf_url_object(s, nid, "comments");
			hark_buf_addstr(&b, u);
			mf_param(&b, "filter", "stream");
			mf_param(&b, "order", "reverse_chronological");
			mf_param(&b, "fields", fb_comment_fields);
			mf_param(&b, "limit", lim);
			free(u);
			u = hark_buf_detach(&b, NULL);
			mf_stream_start(s, "comments", u, MF_K_THREAD, nid);
			free(u);
		}
	}
	/* paging.next is a full URL (with the token): follow as given */
	mf_next_page(s, c, pg->next, pg);
}

static enum hark_http_verdict
facebook_classify(const struct hark_http_resp *r, double *wait)
{
	return mf_graph_classify(r, wait);
}

/* --- the driver ------------------------------------------------------ */

static const char *const facebook_shared[] = { "page_id", "api_version",
	"comment_window", NULL };

/* --- the write side (reply-send) ------------------------------------- */

/*
 * Graph API: a comment on a post or a reply to a comment is POST
 * /{object-id}/comments with "message"; a private reply to a visitor's
 * comment is the Send API's POST /{page-id}/messages with
 * recipient.comment_id (once per comment, within 7 days).  Answers carry
 * only an id: the time is the response's Date.
 */
static int
fb_post_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	struct hark_buf f = HARK_BUF_INIT(MF_URL_MAX);
	char *u, *body;

	(void)err;
	u = mf_url_object(s, w->native_id, "comments");
	mf_param(&f, "message", w->text);
	body = hark_buf_detach(&f, NULL);
	mf_write_submit(s, w, "POST", u, MF_K_WRITE,
	    "application/x-www-form-urlencoded", body + (body[0] == '?'),
	    NULL);
	free(body);
	free(u);
	return 0;
}

static int
fb_send_private(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	char *u, *body;
	json_t *o;

	(void)err;
	u = mf_url_object(s, mf_conf(s, "page_id"), "messages");
	o = json_pack("{s:{s:s}, s:{s:s}}", "recipient", "comment_id",
	    w->native_id, "message", "text", w->text);
	body = hark_json_dumps(o, JSON_COMPACT);
	mf_write_submit(s, w, "POST", u, MF_K_WRITE, "application/json", body,
	    NULL);
	json_decref(o);
	free(body);
	free(u);
	return 0;
}

static int
fb_find_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *u;

	(void)err;
	u = mf_url_object(s, w->native_id, "comments");
	hark_buf_addstr(&b, u);
	mf_param(&b, "fields", "id,from,created_time,permalink_url");
	mf_param(&b, "limit", "100");
	free(u);
	u = hark_buf_detach(&b, NULL);
	mf_write_submit(s, w, "GET", u, MF_K_READBACK, NULL, NULL, NULL);
	free(u);
	return 0;
}

static void
fb_write_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j, *d;
	struct mf_written w;
	char tb[32], ub[256];
	const char *page = mf_conf(s, "page_id");
	size_t i;

	if (!MF_K_IS_WRITE(c->kind)) {
		mf_no_special(s, c, r);
		return;
	}
	j = mf_write_json(r);
	memset(&w, 0, sizeof(w));
	w.key = c->arg;
	w.found = 1;
	w.author_id = page;
	if (c->kind == MF_K_WRITE) {
		w.native_id = mf_str(j, "id");
		if (w.native_id == NULL)	/* a private reply */
			w.native_id = mf_str(j, "message_id");
		if (w.native_id == NULL) {
			mf_write_failed(s, c->arg, "the answer has no id", 1, 0);
			json_decref(j);
			return;
		}
		w.created_at = mf_write_date(r, tb);
		if (mf_str(j, "id") != NULL) {
			snprintf(ub, sizeof(ub), "https://www.facebook.com/%s",
			    w.native_id);
			w.url = ub;
		}
		mf_write_done(s, &w);
		json_decref(j);
		return;
	}
	d = json_object_get(j, "data");
	for (i = 0; i < json_array_size(d); i++) {
		json_t *cm = json_array_get(d, i);
		const char *from = mf_str(cm, "from.id");

		if (from && page && strcmp(from, page) == 0) {
			w.native_id = mf_str(cm, "id");
			w.created_at = mf_str(cm, "created_time");
			w.url = mf_str(cm, "permalink_url");
			w.author_name = mf_str(cm, "from.name");
			mf_write_done(s, &w);
			json_decref(j);
			return;
		}
	}
	mf_write_found(s, c, NULL);
	json_decref(j);
}

const struct mf_driver mf_driver_facebook = {
	.type = "facebook", .map = mf_map_facebook, .setup = facebook_setup,
	.start = facebook_start, .special = fb_write_special,
	.after_page = facebook_after, .classify = facebook_classify,
	.amend = facebook_amend,
	.query_style = HARK_QUERY_TERMS, .shared_keys = facebook_shared,
	.post_reply = fb_post_reply, .send_private = fb_send_private,
	.find_reply = fb_find_reply,
};
