/*
 * map-youtube.c - YouTube Data API v3 commentThreads.list (with replies)
 * and comments.list (replies of one thread) to records.
 */
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "html.h"
#include "mention.h"
#include "map.h"

/*
 * One comment resource.  THREAD is the thread id (= the top-level
 * comment's id), VIDEO the video id when known from the thread, TOP
 * non-zero for a top-level comment, REPLIES its thread's reply count.
 */
static void
yt_map_comment(const json_t *c, const char *thread, const char *video, int top,
    const json_t *replies, const char *top_author,
    const struct mf_map_ctx *ctx, struct mf_page *page, char **newest)
{
	const json_t *sn = json_object_get(c, "snippet");
	const char *id = mf_str(c, "id"), *name, *text, *html, *parent;
	json_t *rec;
	char *s;

	if (id == NULL || !json_is_object(sn)) {
		mf_page_warn(page, "YouTube comment without 'id'/'snippet' "
		    "skipped");
		return;
	}
	if (mf_str(sn, "videoId") != NULL)
		video = mf_str(sn, "videoId");
	parent = mf_str(sn, "parentId");
	if (parent != NULL)
		top = 0;
	rec = mf_record_new(ctx, "youtube");
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", top ? "post" : "comment");
	if (video != NULL) {
		s = hark_xasprintf("https://www.youtube.com/watch?v=%s&lc=%s",
		    video, id);
		hark_mention_set_str(rec, "url", s);
		free(s);
		s = hark_xasprintf("https://www.youtube.com/watch?v=%s", video);
		hark_mention_set_str(rec, "context.url", s);
		free(s);
	}
	mf_set_time(rec, "created_at", mf_str(sn, "publishedAt"), page,
	    "YouTube publishedAt");
	mf_set_time(rec, "updated_at", mf_str(sn, "updatedAt"), page,
	    "YouTube updatedAt");
	if (json_equal(mf_get(rec, "updated_at"), mf_get(rec, "created_at")))
		hark_mention_set(rec, "updated_at", NULL);
	hark_mention_set_str(rec, "author.id",
	    mf_str(sn, "authorChannelId.value"));
	if ((name = mf_str(sn, "authorDisplayName")) != NULL) {
		if (name[0] == '@')
			hark_mention_set_str(rec, "author.handle", name + 1);
		else
			hark_mention_set_str(rec, "author.name", name);
	}
	hark_mention_set_str(rec, "author.url", mf_str(sn, "authorChannelUrl"));
	html = mf_str(sn, "textDisplay");
	if (html != NULL)
		hark_mention_set_html(rec, html, strlen(html));
	/* textOriginal is what the author typed; prefer it for text. */
	if ((text = mf_str(sn, "textOriginal")) != NULL)
		hark_mention_set_text(rec, text, strlen(text), 0);
	if (!top) {
		hark_mention_set(rec, "thread.root_id", mf_id("youtube",
		    thread != NULL ? thread : parent));
		hark_mention_set(rec, "thread.parent_id", mf_id("youtube",
		    parent != NULL ? parent : thread));
		/* Replies are flat: each answers the thread's author. */
		hark_mention_set_str(rec, "thread.in_reply_to_author_id",
		    top_author);
	} else if (replies != NULL) {
		mf_set_int(rec, "metrics.replies", replies, "totalReplyCount");
	}
	mf_set_int(rec, "metrics.likes", sn, "likeCount");
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(c));
	if (top) {
		const char *t = hark_mention_get_str(rec, "created_at");

		if (t != NULL && (*newest == NULL || strcmp(t, *newest) > 0))
			mf_replace(newest, t);
	}
	mf_page_add(page, ctx, rec);
}

int
mf_map_youtube(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	json_t *root, *items, *it, *r;
	char *newest = NULL;
	size_t i, j;
	int rc = 0;

	if (mf_json_load(body, len, "YouTube response", &root, err) == -1)
		return -1;
	items = json_object_get(root, "items");
	if (json_is_object(json_object_get(root, "error"))) {
		const char *m = mf_str(root, "error.message");
		const char *why = mf_str(json_array_get(mf_get(root,
		    "error.errors"), 0), "reason");
		char clean[200];
		struct hark_buf b;

		/* The message may carry markup ("your <a ...>quota</a>"). */
		hark_buf_init(&b, m != NULL ? 3 * strlen(m) + 8 : 8);
		if (m != NULL)
			hark_html_to_text(m, strlen(m), &b);
		hark_sanitize(clean, sizeof(clean), b.len > 0 ?
		    hark_buf_str(&b) : "?", b.len > 0 ? b.len : 1);
		hark_buf_release(&b);
		rc = mf_malformed(err, "YouTube API error (%s): %s",
		    why != NULL ? why : "unknown", clean);
		goto out;
	}
	if (!json_is_array(items)) {
		rc = mf_malformed(err, "malformed YouTube response: 'items' "
		    "missing or not an array");
		goto out;
	}
	json_array_foreach(items, i, it) {
		const char *ik = mf_str(it, "kind");
		const json_t *sn = json_object_get(it, "snippet");

		if (ik != NULL && strcmp(ik, "youtube#comment") == 0) {
			yt_map_comment(it, mf_str(it, "snippet.parentId"), NULL,
			    0, NULL, NULL, ctx, page, &newest);
			continue;
		}
		if (!json_is_object(json_object_get(sn, "topLevelComment"))) {
			mf_page_warn(page, "YouTube thread without "
			    "'snippet.topLevelComment' skipped");
			continue;
		}
		yt_map_comment(json_object_get(sn, "topLevelComment"),
		    mf_str(it, "id"), mf_str(sn, "videoId"), 1, sn, NULL, ctx,
		    page, &newest);
		json_array_foreach(mf_get(it, "replies.comments"), j, r)
			yt_map_comment(r, mf_str(it, "id"),
			    mf_str(sn, "videoId"), 0, NULL, mf_str(sn,
			    "topLevelComment.snippet.authorChannelId.value"),
			    ctx, page, &newest);
	}
	mf_replace(&page->next, mf_str(root, "nextPageToken"));
	if (newest != NULL) {
		free(page->newest);
		page->newest = newest;
		newest = NULL;
	}
out:
	free(newest);
	json_decref(root);
	return rc;
}
