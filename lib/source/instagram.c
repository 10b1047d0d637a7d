/*
 * instagram.c - Instagram professional accounts through the Instagram
 * Graph API (Instagram API with Facebook Login, graph.facebook.com):
 *
 *   GET /{ig-user-id}/media		the account's media (posts)
 *   GET /{ig-media-id}/comments	their comments, with replies inline
 *   GET /{ig-comment-id}/replies	more replies of a comment
 *   GET /{ig-user-id}/tags		media the account is tagged in
 *   GET /{ig-user-id}?fields=mentioned_media.media_id(ID){...}
 *   GET /{ig-user-id}?fields=mentioned_comment.comment_id(ID){...}
 *					captions / comments that @mention the
 *					account, by the ids the "mentions"
 *					webhook delivered
 *   GET /ig_hashtag_search?user_id=&q=	a hashtag's id (kept in the state)
 *   GET /{ig-hashtag-id}/recent_media	its media of the last 24 hours
 *
 * Auth: a User or Page access token of someone with a task on the Page
 * linked to the account (Authorization: Bearer); paging is Graph's
 * cursor paging (paging.next, followed as given).  Throttling, transient
 * errors and refused tokens are the Graph API's (mf_graph_*()).  Hashtag
 * search needs the Instagram Public Content Access feature: when the
 * token is refused it, the hashtags are skipped with a warning.
 *
 * Records: a media item is a "post" (author: its username; the account's
 * own are the brand's), a comment or reply a "comment" in the media's
 * thread; the brand's replies are marked author.is_brand (its username
 * in 'brand', its ig_user_id added automatically).  Comment authors'
 * ids are Instagram-scoped ids (IGSID), the same ids the Instagram inbox
 * (type instagram_inbox) gives the same person.
 */
#include <jansson.h>
#include "hark.h"
#include "buf.h"
#include "err.h"
#include "mention.h"
#include "source.h"

/* --- the response side ---------------------------------------------- */

static void
ig_map_media(const json_t *d, const struct mf_map_ctx *ctx,
    struct mf_page *page)
{
	const char *id = mf_str(d, "id"), *cap = mf_str(d, "caption");
	json_t *rec;

	if (id == NULL) {
		mf_page_warn(page, "Instagram media without 'id' skipped");
		return;
	}
	rec = mf_record_new(ctx, "instagram");
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", "post");
	hark_mention_set_str(rec, "url", mf_str(d, "permalink"));
	mf_set_time(rec, "created_at", mf_str(d, "timestamp"), page,
	    "Instagram timestamp");
	hark_mention_set_str(rec, "author.id", mf_str(d, "owner.id"));
	hark_mention_set_str(rec, "author.handle", mf_str(d, "username"));
	if (mf_str(d, "username") != NULL) {
		char *u = hark_xasprintf("https://www.instagram.com/%s/",
		    mf_str(d, "username"));

		hark_mention_set_str(rec, "author.url", u);
		free(u);
	}
	if (cap != NULL)
		hark_mention_set_text(rec, cap, strlen(cap), 0);
	mf_set_int(rec, "metrics.likes", d, "like_count");
	mf_set_int(rec, "metrics.replies", d, "comments_count");
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(d));
	mf_page_add(page, ctx, rec);
}

/*
 * A comment or reply.  MEDIA is the media it is on when known (the
 * object of a /comments request, else the comment's media.id); OBJECT
 * the object whose comments or replies were asked for; PARENT_AUTHOR the
 * id of the author of the comment a reply answers, when known.
 */
static void
ig_map_comment(const json_t *d, const char *media, const char *object,
    const char *parent_author, const struct mf_map_ctx *ctx,
    struct mf_page *page)
{
	const char *id = mf_str(d, "id"), *parent = mf_str(d, "parent_id");
	const char *text = mf_str(d, "text"), *user;
	const json_t *r;
	json_t *rec;
	size_t i;

	if (id == NULL) {
		mf_page_warn(page, "Instagram comment without 'id' skipped");
		return;
	}
	if (media == NULL)
		media = mf_str(d, "media.id");
	rec = mf_record_new(ctx, "instagram");
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", "comment");
	hark_mention_set_str(rec, "url", mf_str(d, "media.permalink"));
	mf_set_time(rec, "created_at", mf_str(d, "timestamp"), page,
	    "Instagram timestamp");
	user = mf_str(d, "from.username");
	if (user == NULL)
		user = mf_str(d, "username");
	hark_mention_set_str(rec, "author.id", mf_str(d, "from.id"));
	hark_mention_set_str(rec, "author.handle", user);
	if (user != NULL) {
		char *u = hark_xasprintf("https://www.instagram.com/%s/", user);

		hark_mention_set_str(rec, "author.url", u);
		free(u);
	}
	if (text != NULL)
		hark_mention_set_text(rec, text, strlen(text), 0);
	hark_mention_set(rec, "thread.root_id", mf_id("instagram", media));
	hark_mention_set(rec, "thread.parent_id", mf_id("instagram",
	    parent != NULL ? parent : object != NULL ? object : media));
	hark_mention_set_str(rec, "thread.in_reply_to_author_id",
	    parent_author);
	mf_set_int(rec, "metrics.likes", d, "like_count");
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(d));
	mf_page_add(page, ctx, rec);
	/* replies expanded into the comment (fields=replies{...}) */
	json_array_foreach(mf_get(d, "replies.data"), i, r)
		if (json_is_object(r))
			ig_map_comment(r, media, id, mf_str(d, "from.id"), ctx,
			    page);
	if (mf_str(d, "replies.paging.next") != NULL) {
		json_t *more = page->extra != NULL ? json_object_get(
		    page->extra, "more_replies") : NULL;

		if (more == NULL) {
			more = json_array();
			mf_page_extra(page, "more_replies", more);
		}
		json_array_append_new(more, json_pack("{s:s,s:s,s:s?}", "url",
		    mf_str(d, "replies.paging.next"), "comment", id, "media",
		    media));
	}
}

static int
mf_map_instagram(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	json_t *root, *data, *d;
	char *object = NULL;
	size_t i;
	int rc = 0;

	if (mf_json_load(body, len, "Instagram response", &root, err) == -1)
		return -1;
	if ((rc = mf_graph_body_error(root, "Instagram", err)) != 0)
		goto out;
	/* a mention looked up by id: {"mentioned_media": {...}, "id": ...} */
	if (json_is_object(d = json_object_get(root, "mentioned_media"))) {
		ig_map_media(d, ctx, page);
		goto out;
	}
	if (json_is_object(d = json_object_get(root, "mentioned_comment"))) {
		ig_map_comment(d, NULL, NULL, NULL, ctx, page);
		goto out;
	}
	data = json_object_get(root, "data");
	if (!json_is_array(data)) {
		rc = mf_malformed(err, "malformed Instagram response: 'data' "
		    "missing or not an array");
		goto out;
	}
	if (ctx->request_url != NULL && strstr(ctx->request_url,
	    "/ig_hashtag_search") != NULL) {
		/* {"data": [{"id": "17841593698074073"}]} */
		if (mf_str(json_array_get(data, 0), "id") != NULL)
			mf_page_extra(page, "hashtag_id", json_string(mf_str(
			    json_array_get(data, 0), "id")));
		goto out;
	}
	if ((object = mf_graph_edge_object(ctx->request_url,
	    "comments")) != NULL) {
		json_array_foreach(data, i, d)
			if (json_is_object(d))
				ig_map_comment(d, object, object, NULL, ctx,
				    page);
	} else if ((object = mf_graph_edge_object(ctx->request_url,
	    "replies")) != NULL) {
		json_array_foreach(data, i, d)
			if (json_is_object(d))
				ig_map_comment(d, NULL, object, NULL, ctx,
				    page);
	} else {
		/* /media, /tags, /recent_media: media lists */
		json_array_foreach(data, i, d)
			if (json_is_object(d))
				ig_map_media(d, ctx, page);
	}
	mf_replace(&page->next, mf_str(root, "paging.next"));
out:
	free(object);
	json_decref(root);
	return rc;
}

/* --- the request side ------------------------------------------------ */

enum {
	K_TAGS = 3,		/* /tags: mentions, no query */
	K_MENTION = 4,		/* mentioned_media / mentioned_comment */
	K_HASHTAG_ID = 5,	/* ig_hashtag_search */
	K_HASHTAG = 6		/* recent_media of a hashtag */
};

static const char ig_media_fields[] = "id,caption,comments_count,"
    "like_count,media_type,permalink,timestamp,username";
static const char ig_comment_fields[] = "id,text,timestamp,username,"
    "from{id,username},like_count,parent_id,"
    "replies{id,text,timestamp,username,from{id,username},like_count,"
    "parent_id}";
static const char ig_hashtag_fields[] = "id,caption,comments_count,"
    "like_count,media_type,permalink,timestamp";

static int
instagram_setup(struct mf_source *s, struct hark_err *err)
{
	s->comment_window = mf_conf_duration(s, "comment_window", 7 * 86400L,
	    0, 366 * 86400L);
	if (s->status != 0)
		return 0;
	if (mf_graph_setup(s, "ig_user_id", "an access token", err) < 0)
		return -1;
	mf_brand_add(s, mf_conf(s, "ig_user_id"));
	return 0;
}

/* Append "<base>/<ID><PATH>[?fields=FIELDS][&limit=N]" to B. */
static void
ig_url(struct mf_source *s, struct hark_buf *b, const char *id,
    const char *path, const char *fields, long limit)
{
	char *e = hark_http_escape(id), lim[32];

	hark_buf_addf(b, "%s/%s%s", s->base_url, e, path);
	free(e);
	if (fields != NULL)
		mf_param(b, "fields", fields);
	if (limit > 0) {
		snprintf(lim, sizeof(lim), "%ld", limit);
		mf_param(b, "limit", lim);
	}
}

/* Each value of config key KEY (several per entry, comma-separated). */
static void
each_value(struct mf_source *s, const char *key,
    void (*fn)(struct mf_source *, const char *, size_t))
{
	const struct hark_config_entry *e = NULL;

	while ((e = hark_config_next(s->sec, key, e)) != NULL) {
		const char *cur = e->value, *it;
		size_t n;

		while ((it = hark_config_item(&cur, 0, &n)) != NULL)
			if (n > 0)
				fn(s, it, n);
	}
}

static void
mentioned(struct mf_source *s, const char *id, size_t n, int comment)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *nid = hark_xstrndup(id, n), *f, *key;

	/* looked up once: a mention already written is not asked again */
	key = hark_xasprintf("instagram:%s", nid);
	if (json_object_get(s->run->seen, key) != NULL) {
		free(key);
		free(nid);
		return;
	}
	free(key);
	f = comment ? hark_xasprintf("mentioned_comment.comment_id(%s)"
	    "{id,text,timestamp,like_count,media{id,permalink}}", nid) :
	    hark_xasprintf("mentioned_media.media_id(%s){%s}", nid,
	    ig_media_fields);
	ig_url(s, &b, mf_conf(s, "ig_user_id"), "", f, 0);
	key = hark_xasprintf("mentioned:%s", nid);
	mf_submit_thread(s, hark_buf_str(&b), key, K_MENTION, nid);
	hark_buf_release(&b);
	free(key);
	free(f);
	free(nid);
}

static void
mentioned_media(struct mf_source *s, const char *id, size_t n)
{
	mentioned(s, id, n, 0);
}

static void
mentioned_comment(struct mf_source *s, const char *id, size_t n)
{
	mentioned(s, id, n, 1);
}

/* The recent media of hashtag TAG (id HID). */
static void
hashtag_media(struct mf_source *s, const char *tag, const char *hid)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *st = hark_xasprintf("hashtag:%s", tag);

	ig_url(s, &b, hid, "/recent_media", NULL, 0);
	mf_param(&b, "user_id", mf_conf(s, "ig_user_id"));
	mf_param(&b, "fields", ig_hashtag_fields);
	{
		char lim[32];

		snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 50L));
		mf_param(&b, "limit", lim);
	}
	mf_stream_start(s, st, hark_buf_str(&b), K_HASHTAG, tag);
	hark_buf_release(&b);
	free(st);
}

static void
hashtag(struct mf_source *s, const char *t, size_t n)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *tag, *st, *key;
	const char *hid;

	if (*t == '#') {
		t++;
		n--;
	}
	if (n == 0)
		return;
	tag = hark_xstrndup(t, n);
	st = hark_xasprintf("hashtag:%s", tag);
	hid = mf_state_get(s, st, "hashtag_id");
	if (hid != NULL) {
		hashtag_media(s, tag, hid);
	} else {
		hark_buf_addf(&b, "%s/ig_hashtag_search", s->base_url);
		mf_param(&b, "user_id", mf_conf(s, "ig_user_id"));
		mf_param(&b, "q", tag);
		key = hark_xasprintf("hashtag_search:%s", tag);
		mf_submit_thread(s, hark_buf_str(&b), key, K_HASHTAG_ID, tag);
		free(key);
	}
	hark_buf_release(&b);
	free(st);
	free(tag);
}

static void
instagram_start(struct mf_source *s)
{
	const char *ig = mf_conf(s, "ig_user_id");
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	hark_time_t wm;
	char since[32];

	/* the account's media; those of the last comment_window are read
	 * again for their new comments */
	ig_url(s, &b, ig, "/media", ig_media_fields, HARK_MIN(s->page_size,
	    100L));
	wm = s->run->since >= 0 ? s->run->since : mf_watermark(s, "media");
	if (wm >= 0) {
		if (s->run->since < 0)
			wm -= s->comment_window;
		snprintf(since, sizeof(since), "%lld", (long long)wm);
		mf_param(&b, "since", since);
	}
	mf_stream_start(s, "media", hark_buf_str(&b), MF_K_PAGE, NULL);
	hark_buf_reset(&b);
	ig_url(s, &b, ig, "/tags", ig_media_fields, HARK_MIN(s->page_size,
	    100L));
	mf_stream_start(s, "tags", hark_buf_str(&b), K_TAGS, NULL);
	hark_buf_release(&b);
	each_value(s, "mentioned_media", mentioned_media);
	each_value(s, "mentioned_comment", mentioned_comment);
	each_value(s, "hashtag", hashtag);
}

/* Hashtag search is a feature of its own: a token without it (or past
 * the 30 hashtags a week) skips the hashtags, not the source. */
static int
instagram_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	char reason[200];

	if (mf_graph_http_error(s, c, r))
		return 2;
	if (c->kind != K_HASHTAG_ID && c->kind != K_HASHTAG)
		return 0;
	mf_body_reason(r, reason, sizeof(reason));
	s->warnings++;
	hark_warn("source '%s': hashtag '#%s' skipped: the token may not "
	    "search hashtags (Instagram Public Content Access; at most 30 "
	    "hashtags a week): HTTP %ld%s%s", s->name, c->arg ? c->arg : "?",
	    r->status, reason[0] ? ": " : "", reason);
	return 2;
}

/* Whether URL has the scheme, host and port of BASE. */
static int
same_origin(const char *url, const char *base)
{
	const char *h = strstr(base, "://");
	size_t n;

	if (h == NULL)
		return 0;
	n = (size_t)(h - base) + 3;
	n += strcspn(base + n, "/?#");
	return strncmp(url, base, n) == 0 && (url[n] == '/' ||
	    url[n] == '\0' || url[n] == '?');
}

static void
instagram_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec, *m;
	size_t i;

	(void)r;
	if (c->kind == K_HASHTAG_ID) {
		const char *hid = json_string_value(json_object_get(pg->extra,
		    "hashtag_id"));
		char *st = hark_xasprintf("hashtag:%s", c->arg);

		if (hid == NULL) {
			s->warnings++;
			hark_warn("source '%s': hashtag '#%s' not found",
			    s->name, c->arg);
		} else {
			/* kept with the hashtag's stream: searched once */
			json_object_set_new(mf_stream_pending(s, st),
			    "hashtag_id", json_string(hid));
			hashtag_media(s, c->arg, hid);
		}
		free(st);
		mf_next_page(s, c, NULL, pg);
		return;
	}
	if (c->kind == MF_K_PAGE) {
		/* the comments of the account's commented media */
		json_array_foreach(pg->records, i, rec) {
			const char *nid = mf_rstr(rec, "native_id");
			struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
			char *key;

			if (nid == NULL || mf_rnum(rec, "metrics.replies") <= 0 ||
			    s->threads >= s->max_threads)
				continue;
			s->threads++;
			ig_url(s, &b, nid, "/comments", ig_comment_fields,
			    HARK_MIN(s->page_size, 100L));
			key = hark_xasprintf("comments:%s", nid);
			mf_submit_thread(s, hark_buf_str(&b), key, MF_K_THREAD, nid);
			free(key);
			hark_buf_release(&b);
		}
	}
	/* replies beyond those inline: /{comment-id}/replies, as given,
	 * when on the API's own origin (credentials go nowhere else) */
	json_array_foreach(json_object_get(pg->extra, "more_replies"), i, m) {
		const char *u = json_string_value(json_object_get(m, "url"));
		const char *cid = json_string_value(json_object_get(m,
		    "comment"));
		char *key;

		if (u == NULL || cid == NULL || s->threads >= s->max_threads)
			continue;
		if (!same_origin(u, s->base_url)) {
			s->warnings++;
			hark_warn("source '%s': replies of comment '%s' are on "
			    "another host: not fetched", s->name, cid);
			continue;
		}
		s->threads++;
		key = hark_xasprintf("replies:%s", cid);
		/* arg: the media, the replies' thread root (amend) */
		mf_submit_thread(s, u, key, MF_K_REPLIES, json_string_value(
		    json_object_get(m, "media")));
		free(key);
	}
	/* paging.next is a full URL (with the token): follow as given */
	mf_next_page(s, c, pg->next, pg);
}

/* Replies read by /{comment-id}/replies do not name their media: the
 * call does. */
static int
instagram_amend(struct mf_source *s, struct mf_call *c, json_t *rec)
{
	(void)s;
	if (c->kind == MF_K_REPLIES && c->arg != NULL &&
	    json_is_null(mf_get(rec, "thread.root_id")))
		hark_mention_set(rec, "thread.root_id", mf_id("instagram",
		    c->arg));
	return 0;
}

/* --- the driver ------------------------------------------------------ */

static const char *const instagram_keys[] = { "hashtag", "mentioned_media",
	"mentioned_comment", NULL };
static const char *const instagram_shared[] = { "ig_user_id",
	"api_version", "comment_window", NULL };

const struct mf_driver mf_driver_instagram = {
	.type = "instagram", .map = mf_map_instagram,
	.setup = instagram_setup, .start = instagram_start,
	.http_error = instagram_http_error, .special = mf_no_special,
	.after_page = instagram_after, .classify = mf_graph_classify,
	.amend = instagram_amend,
	.query_style = HARK_QUERY_TERMS, .keys = instagram_keys,
	.shared_keys = instagram_shared,
};
