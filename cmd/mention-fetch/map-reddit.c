/*
 * map-reddit.c - Reddit listings (search, /r/x/new, /r/x/comments,
 * /user/x/comments) and threads ([post listing, comment listing]) to
 * records.
 */
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "html.h"
#include "mention.h"
#include "map.h"

#define REDDIT "https://www.reddit.com"

struct walk {
	const struct mf_map_ctx *ctx;
	struct mf_page *page;
	const char *post_title;	/* title of the thread's post, if seen */
	const char *post_url;
	json_t *more;		/* array of {link_id, parent_id, children} */
	const char *after;
	int depth;
};

static int walk_listing(struct walk *w, const json_t *listing,
    struct hark_err *err);

/* Without raw_json=1 Reddit escapes & < > in every string. */
static int
escaped(const json_t *d)
{
	const char *h = mf_str(d, "body_html");

	if (h == NULL)
		h = mf_str(d, "selftext_html");
	return h != NULL && strncmp(h, "&lt;", 4) == 0;
}

/* Text field S, decoded once when the listing was not raw_json. */
static char *
field(const char *s, int esc)
{
	struct hark_buf b;

	if (s == NULL)
		return NULL;
	if (!esc)
		return hark_xstrdup(s);
	hark_buf_init(&b, 3 * strlen(s) + 8);
	hark_html_unescape(s, strlen(s), &b);
	return hark_buf_detach(&b, NULL);
}

static void
map_item(struct walk *w, const char *kind, const json_t *d)
{
	const struct mf_map_ctx *ctx = w->ctx;
	int post = strcmp(kind, "t3") == 0, esc = escaped(d);
	const char *name = mf_str(d, "name"), *author = mf_str(d, "author");
	const char *perma = mf_str(d, "permalink");
	char *title, *html, *text, *s;
	json_t *rec, *ed;

	s = NULL;
	if (name == NULL && mf_str(d, "id") != NULL)
		s = hark_xasprintf("%s_%s", kind, mf_str(d, "id"));
	if (name == NULL && s == NULL) {
		mf_page_warn(w->page, "Reddit %s without 'name' skipped", kind);
		return;
	}
	rec = mf_record_new(ctx, "reddit");
	hark_mention_set_id(rec, name != NULL ? name : s);
	free(s);
	hark_mention_set_str(rec, "kind", post ? "post" : "comment");
	if (perma != NULL) {
		s = hark_xasprintf("%s%s", perma[0] == '/' ? REDDIT : "", perma);
		hark_mention_set_str(rec, "url", s);
		free(s);
	}
	{
		json_int_t t;

		if (mf_int(d, "created_utc", &t) == 0)
			hark_mention_set_time(rec, "created_at", t);
		if (json_is_number(ed = json_object_get(d, "edited")) &&
		    mf_int(d, "edited", &t) == 0)
			hark_mention_set_time(rec, "updated_at", t);
	}
	if (author != NULL && strcmp(author, "[deleted]") != 0) {
		hark_mention_set_str(rec, "author.id",
		    mf_str(d, "author_fullname"));
		hark_mention_set_str(rec, "author.handle", author);
		s = hark_xasprintf(REDDIT "/user/%s", author);
		hark_mention_set_str(rec, "author.url", s);
		free(s);
	}
	title = field(mf_str(d, "title"), esc);
	hark_mention_set_str(rec, "title", title);
	html = field(mf_str(d, post ? "selftext_html" : "body_html"), esc);
	text = field(mf_str(d, post ? "selftext" : "body"), esc);
	if (html != NULL)
		hark_mention_set_html(rec, html, strlen(html));
	else if (text != NULL)
		hark_mention_set_text(rec, text, strlen(text), 0);
	if (post) {
		mf_set_int(rec, "metrics.replies", d, "num_comments");
		hark_mention_set_str(rec, "context.title", title);
		w->post_title = mf_str(d, "title");
	} else {
		hark_mention_set(rec, "thread.root_id",
		    mf_id("reddit", mf_str(d, "link_id")));
		hark_mention_set(rec, "thread.parent_id",
		    mf_id("reddit", mf_str(d, "parent_id")));
		s = field(mf_str(d, "link_title"), esc);
		hark_mention_set_str(rec, "context.title",
		    s != NULL ? s : w->post_title);
		free(s);
		if ((perma = mf_str(d, "link_permalink")) != NULL)
			hark_mention_set_str(rec, "context.url", perma);
		else if (w->post_url != NULL)
			hark_mention_set_str(rec, "context.url", w->post_url);
	}
	mf_set_int(rec, "metrics.likes", d, "ups");
	mf_set_int(rec, "metrics.score", d, "score");
	hark_mention_set_str(rec, "context.community",
	    mf_str(d, "subreddit_name_prefixed"));
	if (w->ctx->raw) {
		/* Without the reply subtree: each reply is its own record. */
		json_t *raw = json_deep_copy(d);

		json_object_del(raw, "replies");
		hark_mention_set_raw(rec, raw);
	}
	if (post) {
		/* A link post is about its link; a self post about itself. */
		const char *u = hark_mention_get_str(rec, "url");

		if (json_is_false(json_object_get(d, "is_self")) &&
		    mf_str(d, "url") != NULL)
			u = mf_str(d, "url");
		hark_mention_set_str(rec, "context.url", u);
		w->post_url = NULL;
	}
	mf_page_add(w->page, ctx, rec);
	if (post)	/* borrowed from the record now in the array */
		w->post_url = hark_mention_get_str(rec, "url");
	free(title), free(html), free(text);
}

static int
walk_thing(struct walk *w, const json_t *thing, struct hark_err *err)
{
	const char *kind = mf_str(thing, "kind");
	json_t *d = json_object_get(thing, "data"), *replies;

	if (kind == NULL || !json_is_object(d)) {
		mf_page_warn(w->page, "Reddit item without 'kind'/'data' "
		    "skipped");
		return 0;
	}
	if (strcmp(kind, "more") == 0) {
		json_t *m = json_object();

		json_object_set_new(m, "parent_id",
		    json_string(mf_str(d, "parent_id") != NULL ?
		    mf_str(d, "parent_id") : ""));
		json_object_set(m, "children", json_is_array(json_object_get(d,
		    "children")) ? json_object_get(d, "children") :
		    json_array());
		if (w->more == NULL)
			w->more = json_array();
		if (json_array_size(w->more) < 1000)
			json_array_append_new(w->more, m);
		else
			json_decref(m);
		return 0;
	}
	if (strcmp(kind, "t3") != 0 && strcmp(kind, "t1") != 0) {
		mf_page_warn(w->page, "Reddit item of kind '%.10s' skipped",
		    kind);
		return 0;
	}
	map_item(w, kind, d);
	replies = json_object_get(d, "replies");
	if (json_is_object(replies)) {
		int rc;

		if (w->depth >= 200)
			return 0;
		w->depth++;
		rc = walk_listing(w, replies, err);
		w->depth--;
		return rc;
	}
	return 0;
}

static int
walk_listing(struct walk *w, const json_t *listing, struct hark_err *err)
{
	const char *kind = mf_str(listing, "kind");
	json_t *children = mf_get(listing, "data.children"), *c;
	size_t i;

	if (kind == NULL || strcmp(kind, "Listing") != 0)
		return mf_malformed(err, "malformed Reddit listing: 'kind' is "
		    "not \"Listing\"");
	if (!json_is_array(children))
		return mf_malformed(err, "malformed Reddit listing: "
		    "'data.children' missing");
	if (w->depth == 0)
		w->after = mf_str(listing, "data.after");
	json_array_foreach(children, i, c)
		if (walk_thing(w, c, err) == -1)
			return -1;
	return 0;
}

int
mf_map_reddit(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	struct walk w;
	json_t *root, *l;
	size_t i;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.page = page;
	if (mf_json_load(body, len, "Reddit response", &root, err) == -1)
		return -1;
	if (json_is_array(root)) {
		if (json_array_size(root) == 0)
			rc = mf_malformed(err, "malformed Reddit thread: "
			    "empty array");
		json_array_foreach(root, i, l)
			if (rc == 0 && (rc = walk_listing(&w, l, err)) == -1)
				break;
	} else if (json_is_object(root) && json_is_object(json_object_get(root,
	    "json"))) {
		/* /api/morechildren?api_type=json: {"json": {"errors": [],
		 * "data": {"things": [t1 and more, flat]}}} */
		json_t *things = mf_get(root, "json.data.things"), *t;
		json_t *errs = mf_get(root, "json.errors");

		if (json_array_size(errs) > 0)
			rc = mf_malformed(err, "Reddit API error: morechildren "
			    "refused");
		else if (!json_is_array(things))
			rc = mf_malformed(err, "malformed Reddit morechildren: "
			    "'json.data.things' missing");
		else
			json_array_foreach(things, i, t)
				if ((rc = walk_thing(&w, t, err)) == -1)
					break;
	} else if (json_is_object(root)) {
		if (mf_str(root, "kind") == NULL &&
		    json_object_get(root, "error") != NULL) {
			const char *m = mf_str(root, "message");
			char clean[200];

			hark_sanitize(clean, sizeof(clean), m != NULL ? m : "?",
			    m != NULL ? strlen(m) : 1);
			rc = mf_malformed(err, "Reddit API error: %s", clean);
		} else
			rc = walk_listing(&w, root, err);
	} else {
		rc = mf_malformed(err, "malformed Reddit response: not a "
		    "listing");
	}
	if (rc == 0) {
		free(page->next);
		page->next = w.after != NULL ? hark_xstrdup(w.after) : NULL;
		if (w.more != NULL)
			mf_page_extra(page, "more", w.more);
	} else
		json_decref(w.more);
	json_decref(root);
	return rc;
}
