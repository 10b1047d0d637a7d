/*
 * map-facebook.c - Facebook Graph API Page posts (/{page-id}/feed,
 * /published_posts, /visitor_posts, /tagged) and comments
 * (/{object-id}/comments, or expanded inside posts) to records; the Page
 * object (/{page-id}?fields=id,name) to page->extra "page_name".
 */
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "mention.h"
#include "map.h"

/* The Graph object id a ".../<object-id>/comments" request is about,
 * new string, or NULL. */
static char *
comments_object(const char *url)
{
	const char *p, *end;
	size_t n;

	if (url == NULL)
		return NULL;
	n = strcspn(url, "?#");
	while (n > 0 && url[n - 1] == '/')
		n--;
	if (n < 10 || memcmp(url + n - 9, "/comments", 9) != 0)
		return NULL;
	end = url + n - 9;
	for (p = end; p > url && p[-1] != '/'; p--)
		;
	return end > p ? hark_xstrndup(p, (size_t)(end - p)) : NULL;
}

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

int
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
	if (json_is_object(json_object_get(root, "error"))) {
		const char *m = mf_str(root, "error.message");
		json_int_t code = 0;
		char clean[200];

		mf_int(root, "error.code", &code);
		hark_sanitize(clean, sizeof(clean), m != NULL ? m : "?",
		    m != NULL ? strlen(m) : 1);
		rc = mf_malformed(err, "Facebook API error (code %lld): %s",
		    (long long)code, clean);
		goto out;
	}
	if (!json_is_array(data)) {
		rc = mf_malformed(err, "malformed Facebook response: 'data' "
		    "missing or not an array");
		goto out;
	}
	if ((object = comments_object(ctx->request_url)) != NULL) {
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
