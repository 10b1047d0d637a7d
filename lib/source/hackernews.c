/*
 * hackernews.c - Hacker News via Algolia HN Search: /search and
 * /search_by_date hit lists, and /items/{id} trees, to records.
 */
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "mention.h"
#include "source.h"

#define HN "https://news.ycombinator.com"

static int
has_tag(const json_t *hit, const char *tag)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(hit, "_tags"), i, t)
		if (json_is_string(t) && strcmp(json_string_value(t), tag) == 0)
			return 1;
	return 0;
}

/*
 * One hit (search) or node (items tree).  STORY_* describe the story a
 * node of an items tree belongs to (NULL for search hits, which carry
 * story_id/story_title/story_url themselves).
 */
static void
map_hit(const json_t *h, const struct mf_map_ctx *ctx, struct mf_page *page,
    const char *story_id, const char *story_title, const char *story_url,
    const char *up, json_int_t ndesc)
{
	char b1[32], b2[32], b3[32], *s;
	const char *id = mf_idstr(h, "objectID", b1), *author, *type, *html;
	const char *parent, *root;
	json_t *rec;
	json_int_t t;
	int comment;

	if (id == NULL)
		id = mf_idstr(h, "id", b1);
	if (id == NULL) {
		mf_page_warn(page, "HN hit without 'objectID' skipped");
		return;
	}
	type = mf_str(h, "type");
	comment = has_tag(h, "comment") || has_tag(h, "pollopt") ||
	    (type != NULL && strcmp(type, "comment") == 0) ||
	    (type == NULL && json_object_get(h, "_tags") == NULL &&
	    mf_str(h, "comment_text") != NULL);
	rec = mf_record_new(ctx, "hackernews");
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", comment ? "comment" : "post");
	s = hark_xasprintf(HN "/item?id=%s", id);
	hark_mention_set_str(rec, "url", s);
	free(s);
	if (mf_int(h, "created_at_i", &t) == 0)
		hark_mention_set_time(rec, "created_at", t);
	else
		mf_set_time(rec, "created_at", mf_str(h, "created_at"), page,
		    "HN created_at");
	if ((author = mf_str(h, "author")) != NULL) {
		hark_mention_set_str(rec, "author.handle", author);
		s = hark_xasprintf(HN "/user?id=%s", author);
		hark_mention_set_str(rec, "author.url", s);
		free(s);
	}
	hark_mention_set_str(rec, "title", mf_str(h, "title"));
	if ((html = mf_str(h, "comment_text")) == NULL &&
	    (html = mf_str(h, "story_text")) == NULL)
		html = mf_str(h, "text");
	if (html != NULL)
		hark_mention_set_html(rec, html, strlen(html));
	/* in an items tree a node without parent_id answers the node it
	 * is nested in */
	if ((parent = mf_idstr(h, "parent_id", b2)) == NULL)
		parent = up;
	root = mf_idstr(h, "story_id", b3);
	if (root == NULL)
		root = story_id;
	if (comment) {
		hark_mention_set(rec, "thread.root_id", mf_id("hackernews",
		    root));
		hark_mention_set(rec, "thread.parent_id", mf_id("hackernews",
		    parent));
		hark_mention_set_str(rec, "context.title",
		    mf_str(h, "story_title") != NULL ?
		    mf_str(h, "story_title") : story_title);
		hark_mention_set_str(rec, "context.url",
		    mf_str(h, "story_url") != NULL ?
		    mf_str(h, "story_url") : story_url);
	} else {
		hark_mention_set_str(rec, "context.title", mf_str(h, "title"));
		hark_mention_set_str(rec, "context.url", mf_str(h, "url"));
		mf_set_int(rec, "metrics.replies", h, "num_comments");
		/* an items tree has no num_comments: count the tree, so the
		 * story reads the same from the search and from its tree */
		if (json_is_null(mf_get(rec, "metrics.replies")) && ndesc >= 0)
			hark_mention_set(rec, "metrics.replies",
			    json_integer(ndesc));
	}
	mf_set_int(rec, "metrics.score", h, "points");
	if (ctx->raw) {
		json_t *raw = json_deep_copy(h);

		json_object_del(raw, "children");
		hark_mention_set_raw(rec, raw);
	}
	mf_page_add(page, ctx, rec);
}

/* The number of nodes below N in an items tree. */
static json_int_t
descendants(const json_t *n, int depth)
{
	json_int_t k = 0;
	json_t *c;
	size_t i;

	if (depth > 500)
		return 0;
	json_array_foreach(json_object_get(n, "children"), i, c)
		if (json_is_object(c))
			k += 1 + descendants(c, depth + 1);
	return k;
}

/* An /items/{id} node and its children, depth first. */
static void
map_tree(const json_t *n, const struct mf_map_ctx *ctx, struct mf_page *page,
    const char *story_id, const char *story_title, const char *story_url,
    const char *up, int depth)
{
	json_t *c;
	size_t i;
	char b[32];
	const char *id;

	if (!json_is_object(n) || depth > 500)
		return;
	map_hit(n, ctx, page, story_id, story_title, story_url, up,
	    depth == 0 ? descendants(n, 0) : -1);
	id = mf_idstr(n, "id", b);
	json_array_foreach(json_object_get(n, "children"), i, c)
		map_tree(c, ctx, page, story_id, story_title, story_url, id,
		    depth + 1);
}

static int
mf_map_hackernews(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	json_t *root, *hits, *h;
	json_int_t pg, npages;
	size_t i;

	if (mf_json_load(body, len, "HN Search response", &root, err) == -1)
		return -1;
	if (!json_is_object(root)) {
		json_decref(root);
		return mf_malformed(err, "malformed HN Search response: not an "
		    "object");
	}
	hits = json_object_get(root, "hits");
	if (hits != NULL) {
		if (!json_is_array(hits)) {
			json_decref(root);
			return mf_malformed(err, "malformed HN Search "
			    "response: 'hits' is not an array");
		}
		json_array_foreach(hits, i, h) {
			if (json_is_object(h))
				map_hit(h, ctx, page, NULL, NULL, NULL, NULL,
				    -1);
			else
				mf_page_warn(page, "HN hit is not an object");
		}
		if (mf_int(root, "page", &pg) == 0 &&
		    mf_int(root, "nbPages", &npages) == 0 && pg + 1 < npages &&
		    pg >= 0) {
			free(page->next);
			page->next = hark_xasprintf("%lld", (long long)pg + 1);
		}
	} else if (json_object_get(root, "id") != NULL &&
	    json_object_get(root, "type") != NULL) {
		char b[32];
		const char *sid = mf_idstr(root, "story_id", b);

		if (sid == NULL)
			sid = mf_idstr(root, "id", b);
		map_tree(root, ctx, page, sid, mf_str(root, "title"),
		    mf_str(root, "url"), NULL, 0);
	} else {
		const char *m = mf_str(root, "message");
		char clean[200];

		if (m != NULL) {
			hark_sanitize(clean, sizeof(clean), m, strlen(m));
			mf_malformed(err, "HN Search error: %s", clean);
		} else
			mf_malformed(err, "malformed HN Search response: "
			    "'hits' missing");
		json_decref(root);
		return -1;
	}
	json_decref(root);
	return 0;
}

/* --- the request side ------------------------------------------------ */

static void
hn_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char lim[32], nf[64], *u;
	hark_time_t wm;
	size_t i;

	mf_default_base(s, "https://hn.algolia.com/api/v1");
	snprintf(lim, sizeof(lim), "%ld", s->page_size);
	u = mf_url_join(s, "/search_by_date");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "query", s->native ? s->native : "");
	mf_param(&b, "tags", "(story,comment)");
	mf_param(&b, "hitsPerPage", lim);
	if (s->native_any)
		mf_param(&b, "optionalWords", s->native);
	wm = s->run->since >= 0 ? s->run->since : mf_watermark(s, "search");
	if (wm >= 0) {
		snprintf(nf, sizeof(nf), "created_at_i>=%lld",
		    (long long)(wm - (s->run->since >= 0 ? 0 :
		    s->run->overlap)));
		mf_param(&b, "numericFilters", nf);
	}
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, "search", u, MF_K_PAGE, NULL);
	free(u);
	for (i = 0; i < s->nbrands; i++) {
		char *tags = hark_xasprintf("comment,author_%s", s->brands[i]);
		char *st = hark_xasprintf("brand:%s", s->brands[i]);

		u = mf_url_join(s, "/search_by_date");
		hark_buf_addstr(&b, u);
		free(u);
		mf_param(&b, "tags", tags);
		mf_param(&b, "hitsPerPage", lim);
		wm = s->run->since >= 0 ? s->run->since : mf_watermark(s, st);
		if (wm >= 0) {
			snprintf(nf, sizeof(nf), "created_at_i>=%lld",
			    (long long)(wm - (s->run->since >= 0 ? 0 :
			    s->run->overlap)));
			mf_param(&b, "numericFilters", nf);
		}
		u = hark_buf_detach(&b, NULL);
		mf_stream_start(s, st, u, MF_K_PAGE, NULL);
		free(u);
		free(tags);
		free(st);
	}
}

/* Whether a story titled TITLE matches the source's query. */
static int
hn_story_matches(struct mf_source *s, const char *title)
{
	json_t *story;
	int m;

	if (title == NULL)
		return 0;
	story = json_pack("{s:s,s:s}", "title", title, "text", "");
	m = hark_query_match(s->query, story);
	json_decref(story);
	return m;
}

/* Read the whole tree of story ID (/items/ID) once per run. */
static void
hn_thread(struct mf_source *s, const char *id)
{
	json_t *done = mf_drv_obj(s, "threads");

	if (id == NULL || json_object_get(done, id) != NULL ||
	    s->threads >= s->max_threads)
		return;
	json_object_set_new(done, id, json_true());
	s->threads++;
	mf_submit_thread_at(s, "/items/%s", id);
}

/*
 * The thread of every matched item is kept (mention-fetch(1)): a story
 * that matched and has comments, a comment that matched itself or
 * through its story's title, and the brand's own comments bring their
 * story's whole tree, where the comments that do not name the brand (the
 * customer's question the brand answered) come without the query.
 */
static void
hn_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec;
	size_t i;

	(void)r;
	if (c->kind != MF_K_PAGE) {
		mf_next_page(s, c, NULL, pg);
		return;
	}
	json_array_foreach(pg->records, i, rec) {
		const char *kind = mf_rstr(rec, "kind");
		const char *root = mf_rstr(rec, "thread.root_id");
		int brand = json_is_true(json_object_get(json_object_get(rec,
		    "author"), "is_brand"));

		if (kind == NULL || root == NULL ||
		    strncmp(root, "hackernews:", 11) != 0)
			continue;
		if (strcmp(kind, "post") == 0) {
			if (mf_wants_thread(s, rec))
				hn_thread(s, root + 11);
		} else if (brand || hark_query_match(s->query, rec) ||
		    hn_story_matches(s, mf_rstr(rec, "context.title"))) {
			hn_thread(s, root + 11);
		}
	}
	mf_next_by_param(s, c, "page", pg->next, pg);
}

/* --- the driver ------------------------------------------------------ */

const struct mf_driver mf_driver_hackernews = {
	.type = "hackernews", .map = mf_map_hackernews, .start = hn_start,
	.special = mf_no_special, .after_page = hn_after,
	.query_style = HARK_QUERY_TERMS,
};
