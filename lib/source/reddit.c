/*
 * reddit.c - Reddit listings (search, /r/x/new, /r/x/comments,
 * /user/x/comments) and threads ([post listing, comment listing]) to
 * records.
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

static int
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

/* --- the request side ------------------------------------------------ */

enum {
	K_MORE = 6		/* /api/morechildren */
};

static int
reddit_setup(struct mf_source *s, struct hark_err *err)
{
	const char *id = mf_conf(s, "client_id");

	if (s->token == NULL && id != NULL && s->secret2 == NULL)
		return hark_err_set(err, 2, "client_id is set but no client "
		    "secret: set %s or %s_FILE", mf_secret_var(s,
		    "CLIENT_SECRET"), mf_secret_var(s, "CLIENT_SECRET"));
	mf_default_base(s, s->token || s->secret2 ? "https://oauth.reddit.com" :
	    "https://www.reddit.com");
	if (s->token != NULL)
		mf_set_bearer(s, s->token);
	return 0;
}

static char *
reddit_path(struct mf_source *s, const char *path)
{
	/* the logged-out host serves JSON only with the .json suffix */
	return s->auth == NULL && !s->logging_in ?
	    hark_xasprintf("%s%s.json", s->base_url, path) :
	    hark_xasprintf("%s%s", s->base_url, path);
}

static void
reddit_streams(struct mf_source *s)
{
	const struct hark_config_entry *e = NULL;
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char lim[32], *u, *path;
	size_t i;
	int nsub = 0;

	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	while ((e = hark_config_next(s->sec, "subreddit", e)) != NULL) {
		hark_buf_addstr(&b, nsub++ ? "+" : "/r/");
		hark_buf_addstr(&b, e->value[0] == 'r' && e->value[1] == '/' ?
		    e->value + 2 : e->value);
	}
	if (s->native != NULL && *s->native != '\0') {
		hark_buf_addstr(&b, "/search");
		path = hark_buf_detach(&b, NULL);
		u = reddit_path(s, path);
		free(path);
		hark_buf_addstr(&b, u);
		free(u);
		mf_param(&b, "q", s->native);
		if (nsub > 0)
			mf_param(&b, "restrict_sr", "1");
		mf_param(&b, "sort", "new");
		mf_param(&b, "t", "all");
		mf_param(&b, "type", "link");
	} else {
		/* no query: the communities' newest posts */
		hark_buf_addstr(&b, nsub ? "/new" : "/r/all/new");
		path = hark_buf_detach(&b, NULL);
		u = reddit_path(s, path);
		free(path);
		hark_buf_addstr(&b, u);
		free(u);
		hark_buf_addstr(&b, "?");
	}
	mf_param(&b, "limit", lim);
	mf_param(&b, "raw_json", "1");
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, "search", u, MF_K_PAGE, NULL);
	free(u);
	for (i = 0; i < s->nbrands; i++) {
		char *p = hark_xasprintf("/user/%s/comments", s->brands[i]);
		char *st = hark_xasprintf("brand:%s", s->brands[i]);

		u = reddit_path(s, p);
		hark_buf_addstr(&b, u);
		mf_param(&b, "sort", "new");
		mf_param(&b, "limit", lim);
		mf_param(&b, "raw_json", "1");
		free(u);
		u = hark_buf_detach(&b, NULL);
		mf_stream_start(s, st, u, MF_K_PAGE, NULL);
		free(u);
		free(p);
		free(st);
	}
}

/* App-only OAuth: the client credentials grant. */
static void
reddit_login(struct mf_source *s)
{
	const char *auth_url = mf_conf(s, "auth_url");
	char *url, *userpwd;

	url = hark_xasprintf("%s/api/v1/access_token",
	    auth_url ? auth_url : "https://www.reddit.com");
	userpwd = hark_xasprintf("%s:%s", mf_conf(s, "client_id"),
	    s->secret2);
	s->logging_in = 1;
	mf_submit(s, "POST", url, "login", 1, MF_K_LOGIN, userpwd,
	    "application/x-www-form-urlencoded",
	    "grant_type=client_credentials");
	memset(userpwd, 0, strlen(userpwd));
	free(userpwd);
	free(url);
}

static void
reddit_start(struct mf_source *s)
{
	const char *id = mf_conf(s, "client_id");

	if (s->auth == NULL && s->secret2 != NULL && id != NULL &&
	    !mf_oauth_cached(s, mf_oauth_for(s)))
		reddit_login(s);
	reddit_streams(s);
}

/* Logged-out clients are often refused: say how to log in. */
static int
reddit_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	if (mf_oauth_refused(s, c, r, reddit_login))
		return 1;
	if (s->auth == NULL && mf_conf(s, "client_id") == NULL &&
	    (r->status == 401 || r->status == 403))
		hark_warn("source '%s': Reddit refused a logged-out request: "
		    "set 'client_id' and %s for OAuth", s->name,
		    mf_secret_var(s, "CLIENT_SECRET"));
	return 0;
}

/*
 * Collapsed branches: the "more" stubs of a thread are expanded with
 * /api/morechildren (at most 100 ids a call), one call at a time as
 * Reddit asks (concurrent calls are refused with 429), each counted in
 * max_threads.  A stub without ids ("continue this thread") is not
 * followed.
 */
#define REDDIT_MORE_IDS	100

static void
reddit_more_add(struct mf_source *s, const char *link, json_t *stubs)
{
	json_t *q = json_object_get(mf_drv_data(s), "more_q"), *m, *id;
	size_t i, j;

	if (link == NULL || strncmp(link, "t3_", 3) != 0)
		return;
	if (q == NULL) {
		q = json_array();
		json_object_set_new(mf_drv_data(s), "more_q", q);
	}
	json_array_foreach(stubs, i, m) {
		struct hark_buf ids = HARK_BUF_INIT(MF_URL_MAX);
		int n = 0;

		json_array_foreach(json_object_get(m, "children"), j, id) {
			if (!json_is_string(id))
				continue;
			hark_buf_addf(&ids, "%s%s", n > 0 ? "," : "",
			    json_string_value(id));
			if (++n == REDDIT_MORE_IDS) {
				json_array_append_new(q, json_pack("{s:s,s:s}",
				    "link", link, "ids", hark_buf_str(&ids)));
				hark_buf_reset(&ids);
				n = 0;
			}
		}
		if (n > 0)
			json_array_append_new(q, json_pack("{s:s,s:s}", "link",
			    link, "ids", hark_buf_str(&ids)));
		hark_buf_release(&ids);
	}
}

static void
reddit_more_next(struct mf_source *s)
{
	json_t *q = json_object_get(mf_drv_data(s), "more_q"), *m;
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *u;

	if (json_object_get(mf_drv_data(s), "more_busy") != NULL ||
	    json_array_size(q) == 0)
		return;
	if (s->threads >= s->max_threads) {
		json_array_clear(q);
		return;
	}
	s->threads++;
	m = json_array_get(q, 0);
	u = reddit_path(s, "/api/morechildren");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "api_type", "json");
	mf_param(&b, "link_id", json_string_value(json_object_get(m, "link")));
	mf_param(&b, "children", json_string_value(json_object_get(m, "ids")));
	mf_param(&b, "sort", "new");
	mf_param(&b, "raw_json", "1");
	u = hark_buf_detach(&b, NULL);
	json_object_set_new(mf_drv_data(s), "more_busy", json_true());
	mf_submit_thread(s, u, json_string_value(json_object_get(m, "link")),
	    K_MORE, json_string_value(json_object_get(m, "link")));
	json_array_remove(q, 0);
	free(u);
}

/* morechildren answers carry the comments without their post: take the
 * post's title and link from the thread read before. */
static int
reddit_amend(struct mf_source *s, struct mf_call *c, json_t *rec)
{
	const char *root = mf_rstr(rec, "thread.root_id");
	json_t *post, *cx = json_object_get(rec, "context");

	if (c->kind != K_MORE || root == NULL || !json_is_object(cx) ||
	    strncmp(root, "reddit:", 7) != 0 ||
	    (post = json_object_get(mf_drv_obj(s, "posts"), root + 7)) == NULL)
		return 0;
	if (json_is_null(json_object_get(cx, "title")))
		json_object_set(cx, "title", json_object_get(post, "title"));
	if (json_is_null(json_object_get(cx, "url")))
		json_object_set(cx, "url", json_object_get(post, "url"));
	return 0;
}

static void
reddit_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec;
	size_t i;

	(void)r;
	json_array_foreach(pg->records, i, rec) {
		const char *nid = mf_rstr(rec, "native_id");
		json_t *cx = json_object_get(rec, "context");

		if (c->kind == MF_K_THREAD && nid != NULL &&
		    strncmp(nid, "t3_", 3) == 0)
			/* as mf_map_reddit() gives the thread's comments: the
			 * post's title and permalink */
			json_object_set_new(mf_drv_obj(s, "posts"), nid,
			    json_pack("{s:O?,s:O?}", "title", json_object_get(cx,
			    "title"), "url", json_object_get(rec, "url")));
	}
	if (c->kind == MF_K_PAGE) {
		json_array_foreach(pg->records, i, rec) {
			const char *nid = mf_rstr(rec, "native_id");
			char *u, *p, *st;

			if (nid == NULL || strncmp(nid, "t3_", 3) != 0 ||
			    !mf_wants_thread(s, rec))
				continue;
			s->threads++;
			p = hark_xasprintf("/comments/%s", nid + 3);
			u = reddit_path(s, p);
			st = mf_with_param(u, "sort", "new");
			free(u);
			u = mf_with_param(st, "raw_json", "1");
			free(st);
			mf_submit_thread(s, u, nid, MF_K_THREAD, NULL);
			free(u);
			free(p);
		}
		if (pg->next != NULL && *pg->next != '\0') {
			char cnt[32], *u1, *u2;

			snprintf(cnt, sizeof(cnt), "%ld", (long)c->page *
			    HARK_MIN(s->page_size, 100L));
			u1 = mf_with_param(c->tmpl, "after", pg->next);
			u2 = mf_with_param(u1, "count", cnt);
			mf_next_page(s, c, u2, pg);
			free(u1);
			free(u2);
		} else {
			mf_next_page(s, c, NULL, pg);
		}
	} else {
		/* threads are read once per run; dedup keeps them new */
		if (c->kind == K_MORE)
			json_object_del(mf_drv_data(s), "more_busy");
		reddit_more_add(s, c->kind == K_MORE ? c->arg :
		    c->stream + 7, json_object_get(pg->extra, "more"));
		reddit_more_next(s);
		mf_next_page(s, c, NULL, pg);
	}
}

/* --- the driver ------------------------------------------------------ */

static const char *const reddit_keys[] = { "subreddit", NULL };
static const char *const reddit_shared[] = { "client_id", "auth_url", NULL };

/* With 'client_id', --token-file holds the app's CLIENT_SECRET. */
static const char *
reddit_file_secret(const struct mf_source *s)
{
	return mf_conf(s, "client_id") != NULL ? "CLIENT_SECRET" : NULL;
}

/* --- the write side (reply-send) ------------------------------------- */

/*
 * POST /api/comment (api_type=json, thing_id = the fullname answered)
 * with a user's access token: an app-only token cannot post.  Reddit
 * answers 200 with json.errors for refusals ("RATELIMIT" is a rate
 * limit).  Read-back: the comment's subtree from /comments/{article}.
 */
static int
reddit_post_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	struct hark_buf f = HARK_BUF_INIT(MF_URL_MAX);
	char *u, *body;

	if (s->token == NULL || s->auth == NULL)
		return hark_err_set(err, 2, "posting needs a user access token "
		    "(%s)", mf_secret_var(s, "WRITE_TOKEN"));
	mf_param(&f, "api_type", "json");
	mf_param(&f, "thing_id", w->native_id);
	mf_param(&f, "text", w->text);
	body = hark_buf_detach(&f, NULL);
	u = hark_xasprintf("%s/api/comment", s->base_url);
	mf_write_submit(s, w, "POST", u, MF_K_WRITE,
	    "application/x-www-form-urlencoded", body + (body[0] == '?'),
	    NULL);
	free(body);
	free(u);
	return 0;
}

static int
reddit_find_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	const char *root = w->thread, *nid = w->native_id;
	char *u;

	if (s->nbrands == 0)
		return hark_err_set(err, 2, "reading a thread back needs "
		    "'brand' (the account that posts)");
	if (root != NULL && strncmp(root, "reddit:", 7) == 0)
		root += 7;
	if (root == NULL || strncmp(root, "t3_", 3) != 0)
		return hark_err_set(err, 3, "the record names no thread");
	u = hark_xasprintf("%s/comments/%s", s->base_url, root + 3);
	hark_buf_addstr(&b, u);
	free(u);
	if (strncmp(nid, "t1_", 3) == 0)
		mf_param(&b, "comment", nid + 3);
	mf_param(&b, "depth", "2");
	mf_param(&b, "raw_json", "1");
	u = hark_buf_detach(&b, NULL);
	mf_write_submit(s, w, "GET", u, MF_K_READBACK, NULL, NULL, NULL);
	free(u);
	return 0;
}

static void
reddit_written(struct mf_source *s, struct mf_call *c, const json_t *d)
{
	struct mf_written w;
	char tb[32], *url = NULL;
	json_int_t t;

	memset(&w, 0, sizeof(w));
	w.key = c->arg;
	w.found = 1;
	w.native_id = mf_str(d, "name");
	if (mf_int(d, "created_utc", &t) == 0) {
		snprintf(tb, sizeof(tb), "%lld", (long long)t);
		w.created_at = tb;
	}
	if (mf_str(d, "permalink") != NULL)
		url = hark_xasprintf("https://www.reddit.com%s",
		    mf_str(d, "permalink"));
	w.url = url;
	w.author_handle = mf_str(d, "author");
	w.author_id = mf_str(d, "author_fullname");
	mf_write_done(s, &w);
	free(url);
}

/* A brand comment whose parent is NID in the listing tree L. */
static const json_t *
reddit_find(struct mf_source *s, const json_t *l, const char *nid, int depth)
{
	const json_t *ch = mf_get(l, "data.children");
	size_t i, k;

	for (i = 0; depth < 8 && i < json_array_size(ch); i++) {
		const json_t *d = mf_get(json_array_get(ch, i), "data");
		const char *par = mf_str(d, "parent_id"), *a = mf_str(d,
		    "author");
		const json_t *sub;

		for (k = 0; par && a && k < s->nbrands; k++)
			if (strcmp(par, nid) == 0 && strcasecmp(a,
			    s->brands[k]) == 0)
				return d;
		if (json_is_object(mf_get(d, "replies")) &&
		    (sub = reddit_find(s, mf_get(d, "replies"), nid,
		    depth + 1)) != NULL)
			return sub;
	}
	return NULL;
}

static void
reddit_write_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j, *errs;
	const json_t *d;
	const char *nid;

	if (!MF_K_IS_WRITE(c->kind)) {
		mf_token_special(s, c, r);
		return;
	}
	j = mf_write_json(r);
	if (c->kind == MF_K_WRITE) {
		errs = mf_get(j, "json.errors");
		if (json_array_size(errs) > 0) {
			json_t *e0 = json_array_get(errs, 0);
			const char *code = json_string_value(json_array_get(e0,
			    0));
			const char *msg = json_string_value(json_array_get(e0,
			    1));
			char why[300];

			snprintf(why, sizeof(why), "%s: %s", code ? code :
			    "error", msg ? msg : "");
			mf_write_failed(s, c->arg, why, 0, code != NULL &&
			    strcmp(code, "RATELIMIT") == 0);
		} else if ((d = json_array_get(mf_get(j, "json.data.things"),
		    0)) != NULL && mf_str(d, "data.name") != NULL)
			reddit_written(s, c, mf_get(d, "data"));
		else
			mf_write_failed(s, c->arg, "the answer names no "
			    "comment", 1, 0);
		json_decref(j);
		return;
	}
	nid = json_string_value(json_object_get(mf_write_memo(s, c->arg),
	    "native_id"));
	d = nid ? reddit_find(s, json_array_get(j, 1), nid, 0) : NULL;
	if (d != NULL)
		reddit_written(s, c, d);
	else
		mf_write_found(s, c, NULL);
	json_decref(j);
}

const struct mf_driver mf_driver_reddit = {
	.type = "reddit", .map = mf_map_reddit, .setup = reddit_setup,
	.start = reddit_start, .http_error = reddit_http_error,
	.special = reddit_write_special, .after_page = reddit_after,
	.amend = reddit_amend,
	.query_style = HARK_QUERY_BOOLEAN, .keys = reddit_keys,
	.shared_keys = reddit_shared, .file_secret = reddit_file_secret,
	.post_reply = reddit_post_reply, .find_reply = reddit_find_reply,
};
