/*
 * sources.c - the request side of every source: URLs, auth, paging,
 * incremental parameters, threads.  The response side is map-*.c.
 */
#include <ctype.h>
#include <strings.h>
#include <unistd.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "buf.h"
#include "tz.h"
#include "xdg.h"
#include "fetch.h"

enum {
	K_PAGE = 0,		/* a page of a stream */
	K_THREAD = 1,		/* a thread / comments of one item */
	K_REPLIES = 2,		/* more replies of one thread */
	K_LOGIN = -1,		/* login / token: handled by special() */
	K_LOOKUP = -2,		/* account lookup (Mastodon) */
	K_REFRESH = -3,		/* Bluesky refreshSession */
	K_PROFILES = 5,		/* Bluesky getProfiles (follower counts) */
	K_MORE = 6		/* Reddit /api/morechildren */
};

#define URL_MAX	(64u * 1024)

/* --- helpers -------------------------------------------------------- */

static char *
url_join(const struct mf_source *s, const char *path)
{
	return hark_xasprintf("%s%s", s->base_url, path);
}

/* GET URL as the thread of KEY (state key "thread:KEY"). */
static void
submit_thread(struct mf_source *s, const char *url, const char *key,
    int kind, const char *arg)
{
	char *st = hark_xasprintf("thread:%s", key);

	mf_submit(s, "GET", url, st, 1, kind, arg, NULL, NULL);
	free(st);
}

/* GET the base URL plus FMT (one %s: ID, URL-escaped) as ID's thread. */
static void
submit_thread_at(struct mf_source *s, const char *fmt, const char *id)
{
	char *e = hark_http_escape(id), *p = hark_xasprintf(fmt, e);
	char *u = url_join(s, p);

	submit_thread(s, u, id, K_THREAD, id);
	free(u);
	free(p);
	free(e);
}

/* TMPL plus "&NAME=VALUE" as a new string. */
static char *
with_param(const char *tmpl, const char *name, const char *value)
{
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);

	hark_buf_addstr(&b, tmpl);
	mf_param(&b, name, value);
	return hark_buf_detach(&b, NULL);
}

/* Start a paged stream at URL (also its template). */
static void
stream_start(struct mf_source *s, const char *stream, const char *url,
    int kind, const char *arg)
{
	struct mf_call *c = mf_call_new(s, "GET", url, stream, 1, kind);

	c->tmpl = hark_xstrdup(url);
	c->arg = arg ? hark_xstrdup(arg) : NULL;
	mf_call_submit(s, c);
}

/* Next page: the template with the cursor parameter NAME = CURSOR. */
static void
next_by_param(struct mf_source *s, struct mf_call *c, const char *name,
    const char *cursor, const struct mf_page *pg)
{
	char *url = NULL;

	if (cursor != NULL && *cursor != '\0')
		url = with_param(c->tmpl ? c->tmpl : c->url, name, cursor);
	mf_next_page(s, c, url, pg);
	free(url);
}

static const char *
rstr(json_t *rec, const char *path)
{
	const char *dot = strchr(path, '.');
	char head[32];

	if (dot == NULL)
		return json_string_value(json_object_get(rec, path));
	snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
	return json_string_value(json_object_get(json_object_get(rec, head),
	    dot + 1));
}

static json_int_t
rnum(json_t *rec, const char *path)
{
	const char *dot = strchr(path, '.');
	char head[32];
	json_t *v;

	if (dot == NULL) {
		v = json_object_get(rec, path);
	} else {
		snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
		v = json_object_get(json_object_get(rec, head), dot + 1);
	}
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* Whether REC is worth following into its thread: it matched the
 * query (or is the brand's) and has replies. */
static int
wants_thread(struct mf_source *s, json_t *rec)
{
	if (s->threads >= s->max_threads || rnum(rec, "metrics.replies") <= 0)
		return 0;
	return json_is_true(json_object_get(json_object_get(rec, "author"),
	    "is_brand")) || hark_query_match(s->query, rec);
}

/* The driver's own per-run object (in S->scratch, created when missing;
 * borrowed). */
static json_t *
drv_data(struct mf_source *s)
{
	if (s->scratch == NULL)
		s->scratch = json_object();
	return s->scratch;
}

/* Member KEY of drv_data() as an object (created; borrowed). */
static json_t *
drv_obj(struct mf_source *s, const char *key)
{
	json_t *o = json_object_get(drv_data(s), key);

	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(drv_data(s), key, o);
	}
	return o;
}

static int
need_token(struct mf_source *s, const char *what, struct hark_err *err)
{
	if (s->token != NULL)
		return 0;
	return hark_err_set(err, 2, "%s is required: set %s or %s_FILE, "
	    "or use --token-file", what, mf_secret_var(s, "TOKEN"),
	    mf_secret_var(s, "TOKEN"));
}

static int
need_conf(struct mf_source *s, const char *key, struct hark_err *err)
{
	if (mf_conf(s, key) != NULL)
		return 0;
	return hark_err_set(err, 2, "'%s' is required for type '%s'", key,
	    s->type);
}

/* The last entry of KEY in S's own section (keys that do not fall back
 * to [mention-fetch]), or NULL. */
static const struct hark_config_entry *
own_entry(const struct mf_source *s, const char *key)
{
	const struct hark_config_entry *e, *last = NULL;

	for (e = NULL; (e = hark_config_next(s->sec, key, e)) != NULL; )
		last = e;
	return last;
}

static void
default_base(struct mf_source *s, const char *url)
{
	if (s->base_url == NULL)
		s->base_url = hark_xstrdup(url);
}

/* Common 4xx handling: nothing special. */
static void
no_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	(void)c;
	(void)r;
	mf_fail(s, 1, "unexpected response");
}

/* --- records kept for an answer ------------------------------------ */

/*
 * A driver's amend() may keep a record until an answer it needs arrives
 * (Mastodon: the thread's root; Bluesky: the author's follower count).
 * Kept records live in drv_data() "kept" as {"rec": R, "stream": S}; the
 * stream S does not commit its cursor while it has kept records
 * (keep_commit_later()), so a run killed in between fetches them again.
 */
static void
keep_add(struct mf_source *s, const struct mf_call *c, json_t *rec)
{
	json_t *kept = json_object_get(drv_data(s), "kept");
	json_t *n = drv_obj(s, "kept_n");

	if (kept == NULL) {
		kept = json_array();
		json_object_set_new(drv_data(s), "kept", kept);
	}
	json_array_append_new(kept, json_pack("{s:O,s:s}", "rec", rec,
	    "stream", c->stream));
	json_object_set_new(n, c->stream, json_integer(json_integer_value(
	    json_object_get(n, c->stream)) + 1));
}

/* commit_later(): a stream with kept records waits. */
static int
keep_commit_later(struct mf_source *s, const char *stream)
{
	if (json_integer_value(json_object_get(drv_obj(s, "kept_n"),
	    stream)) <= 0)
		return 0;
	json_object_set_new(drv_obj(s, "kept_wait"), stream, json_true());
	return 1;
}

/*
 * Write the kept records READY (which completes them) lets go; with ALL
 * every one, completed as far as known.  Then the streams left without
 * kept records commit.
 */
static void
keep_release(struct mf_source *s, int (*ready)(struct mf_source *, json_t *,
    int), int all)
{
	json_t *kept = json_object_get(drv_data(s), "kept"), *rest, *out;
	json_t *n = drv_obj(s, "kept_n"), *wait = drv_obj(s, "kept_wait");
	json_t *done, *e, *st;
	const char *k;
	size_t i;

	if (json_array_size(kept) == 0)
		return;
	rest = json_array();
	out = json_array();
	done = json_array();
	json_array_foreach(kept, i, e) {
		if (!ready(s, json_object_get(e, "rec"), all)) {
			json_array_append(rest, e);
			continue;
		}
		json_array_append(out, json_object_get(e, "rec"));
		k = json_string_value(json_object_get(e, "stream"));
		json_object_set_new(n, k, json_integer(json_integer_value(
		    json_object_get(n, k)) - 1));
		json_array_append(done, json_object_get(e, "stream"));
	}
	json_object_set_new(drv_data(s), "kept", rest);
	mf_emit(s, out);
	json_decref(out);
	json_array_foreach(done, i, st) {
		k = json_string_value(st);
		if (json_integer_value(json_object_get(n, k)) <= 0 &&
		    json_object_get(wait, k) != NULL) {
			json_object_del(wait, k);
			mf_stream_done(s, k);
		}
	}
	json_decref(done);
}

/* --- login cache --------------------------------------------------- */

/*
 * Access tokens and sessions outlive a run: each source keeps its latest
 * login answer in <state>/mention-fetch/login-<source>.json (mode 0600,
 * written atomically; the whole run holds the suite's lock).  The object
 * holds the driver's members plus "for" (what the login was for: client
 * id, handle) and, for tokens with a lifetime, "expires_at" (epoch).
 * Every driver that logs in (Reddit, Google, Bluesky) goes through these.
 */
#define LOGIN_MARGIN	300	/* a token this close to expiry is old */

static char *
login_path(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(4096);
	const char *p;

	hark_buf_addf(&b, "%s/login-", s->run->state_dir);
	for (p = s->name; *p != '\0'; p++)
		hark_buf_addch(&b, isalnum((unsigned char)*p) || *p == '-' ||
		    *p == '_' ? *p : '_');
	hark_buf_addstr(&b, ".json");
	return hark_buf_detach(&b, NULL);
}

/* The cached login of S made FOR, still valid (borrowed, in drv_data),
 * or NULL. */
static json_t *
login_cached(struct mf_source *s, const char *for_what)
{
	struct hark_err err = HARK_ERR_INIT;
	json_t *j;
	json_int_t exp;
	char *path, *text;
	size_t len;

	if (s->run->no_state)
		return NULL;
	path = login_path(s);
	text = access(path, F_OK) == 0 ? hark_read_file(path, 65536, &len,
	    &err) : NULL;
	free(path);
	if (text == NULL)
		return NULL;
	j = json_loadb(text, len, 0, NULL);
	memset(text, 0, len);
	free(text);
	if (!json_is_object(j) || for_what == NULL ||
	    json_string_value(json_object_get(j, "for")) == NULL ||
	    strcmp(json_string_value(json_object_get(j, "for")),
	    for_what) != 0 || (mf_int(j, "expires_at", &exp) == 0 &&
	    exp - LOGIN_MARGIN <= (json_int_t)mf_now(s->run))) {
		json_decref(j);
		return NULL;
	}
	json_object_set_new(drv_data(s), "login", j);
	return j;
}

/* Keep login answer J (borrowed) made FOR; EXPIRES_IN seconds or < 0. */
static void
login_save(struct mf_source *s, json_t *j, const char *for_what,
    json_int_t expires_in)
{
	struct hark_err err = HARK_ERR_INIT;
	json_t *o;
	char *path, *text;

	if (s->run->no_state || for_what == NULL)
		return;
	o = json_deep_copy(j);
	json_object_set_new(o, "for", json_string(for_what));
	if (expires_in >= 0)
		json_object_set_new(o, "expires_at", json_integer(
		    (json_int_t)mf_now(s->run) + expires_in));
	json_object_set(drv_data(s), "login", o);
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	path = login_path(s);
	if (text == NULL || hark_write_atomic(path, text, strlen(text), 0600,
	    &err) < 0)
		hark_warn("source '%s': cannot keep the login: %s", s->name,
		    err.msg);
	if (text != NULL) {
		memset(text, 0, strlen(text));
		free(text);
	}
	free(path);
	json_decref(o);
}

/* Forget the cached login (refused by the server). */
static void
login_drop(struct mf_source *s)
{
	char *path;

	json_object_del(drv_data(s), "login");
	if (s->run->no_state)
		return;
	path = login_path(s);
	if (unlink(path) < 0 && errno != ENOENT)
		hark_warn("source '%s': cannot remove '%s': %s", s->name,
		    path, strerror(errno));
	free(path);
}

/* Whether the bearer token in use came from the cache (not yet
 * refused). */
static int
login_from_cache(struct mf_source *s)
{
	return json_is_true(json_object_get(drv_data(s), "cached"));
}

/* --- RSS, Atom, Google Alerts ---------------------------------------- */

static int
feed_setup(struct mf_source *s, struct hark_err *err)
{
	if (s->url == NULL)
		return hark_err_set(err, 2, "'url' is required for type '%s'",
		    s->type);
	if (s->token != NULL)	/* private feeds: "user:password" */
		s->userpwd = hark_xstrdup(s->token);
	return 0;
}

static void
feed_start(struct mf_source *s)
{
	struct mf_call *c = mf_call_new(s, "GET", s->url, "feed", 1, K_PAGE);
	struct hark_buf h = HARK_BUF_INIT(8192);
	const char *etag = mf_state_get(s, "feed", "etag");
	const char *lm = mf_state_get(s, "feed", "last_modified");

	if (!mf_backfill(s) && strncmp(s->url, "file:", 5) != 0) {
		if (etag != NULL)
			hark_buf_addf(&h, "If-None-Match: %s\n", etag);
		if (lm != NULL)
			hark_buf_addf(&h, "If-Modified-Since: %s\n", lm);
	}
	hark_buf_addstr(&h, "Accept: application/atom+xml, "
	    "application/rss+xml, application/xml;q=0.9, */*;q=0.5");
	c->headers = hark_buf_detach(&h, NULL);
	mf_call_submit(s, c);
}

static void
feed_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *pend = mf_stream_pending(s, c->stream);
	char *etag, *lm;

	if (c->page == 1) {
		etag = hark_http_header(r, "etag");
		lm = hark_http_header(r, "last-modified");
		json_object_set_new(pend, "etag", etag ? json_string(etag) :
		    json_null());
		json_object_set_new(pend, "last_modified", lm ?
		    json_string(lm) : json_null());
		free(etag);
		free(lm);
	}
	/* RFC 5005 paged feeds: <link rel="next"> */
	mf_next_page(s, c, pg->next, pg);
}

/* --- Reddit ----------------------------------------------------------- */

static int
reddit_setup(struct mf_source *s, struct hark_err *err)
{
	const char *id = mf_conf(s, "client_id");

	if (s->token == NULL && id != NULL && s->secret2 == NULL)
		return hark_err_set(err, 2, "client_id is set but no client "
		    "secret: set %s or %s_FILE", mf_secret_var(s,
		    "CLIENT_SECRET"), mf_secret_var(s, "CLIENT_SECRET"));
	default_base(s, s->token || s->secret2 ? "https://oauth.reddit.com" :
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
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
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
	stream_start(s, "search", u, K_PAGE, NULL);
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
		stream_start(s, st, u, K_PAGE, NULL);
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
	mf_submit(s, "POST", url, "login", 1, K_LOGIN, userpwd,
	    "application/x-www-form-urlencoded",
	    "grant_type=client_credentials");
	memset(userpwd, 0, strlen(userpwd));
	free(userpwd);
	free(url);
}

/*
 * What an OAuth token is for: "CLIENT_ID#HASH", HASH a digest of the
 * client's secret or grant (S->secret2), so a changed client or secret
 * does not reuse a token of the old one.  Borrowed, valid until the next
 * call.
 */
static const char *
oauth_for(struct mf_source *s)
{
	static char buf[512];
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;

	for (p = s->secret2 != NULL ? s->secret2 : ""; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3ULL;
	}
	snprintf(buf, sizeof(buf), "%s#%016llx", mf_conf(s, "client_id") ?
	    mf_conf(s, "client_id") : "", (unsigned long long)h);
	return buf;
}

/* Bearer token from the login cache when it is still good. */
static int
oauth_cached(struct mf_source *s, const char *for_what)
{
	json_t *j = login_cached(s, for_what);
	const char *tok = json_string_value(json_object_get(j,
	    "access_token"));

	if (tok == NULL)
		return 0;
	mf_set_bearer(s, tok);
	json_object_set_new(drv_data(s), "cached", json_true());
	return 1;
}

/*
 * A 401 for a request that carried a cached token: the token was revoked
 * or expired early.  Forget it, log in once more and re-submit C after
 * the login.  1 when handled.
 */
static int
oauth_refused(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, void (*login)(struct mf_source *))
{
	if (r->status != 401 || c->kind < 0)
		return 0;
	/* sent with the refused token before the new login: wait for it,
	 * or go again with the new token */
	if (s->logging_in && json_object_get(drv_data(s), "refused")) {
		mf_park(s, c);
		return 1;
	}
	if (json_object_get(drv_data(s), "relogged") != NULL) {
		mf_resubmit(s, c);
		return 1;
	}
	if (!login_from_cache(s))
		return 0;
	json_object_set_new(drv_data(s), "refused", json_true());
	mf_log(s->run, 1, "source '%s': the kept access token was refused; "
	    "logging in again", s->name);
	json_object_del(drv_data(s), "cached");
	login_drop(s);
	mf_park(s, c);
	if (!s->logging_in)
		login(s);
	return 1;
}

static void
reddit_start(struct mf_source *s)
{
	const char *id = mf_conf(s, "client_id");

	if (s->auth == NULL && s->secret2 != NULL && id != NULL &&
	    !oauth_cached(s, oauth_for(s)))
		reddit_login(s);
	reddit_streams(s);
}

/* Logged-out clients are often refused: say how to log in. */
static int
reddit_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	if (oauth_refused(s, c, r, reddit_login))
		return 1;
	if (s->auth == NULL && mf_conf(s, "client_id") == NULL &&
	    (r->status == 401 || r->status == 403))
		hark_warn("source '%s': Reddit refused a logged-out request: "
		    "set 'client_id' and %s for OAuth", s->name,
		    mf_secret_var(s, "CLIENT_SECRET"));
	return 0;
}

/* Token answers: {"access_token": ..., "expires_in": ...} */
/*
 * A login answer (OAuth token, Bluesky session): take the bearer token
 * from member FIELD and let the parked requests go, or fail the source
 * with WHAT.
 */
static json_t *
login_answer(struct mf_source *s, const struct hark_http_resp *r,
    const char *field, const char *what)
{
	json_t *j = json_loadb(r->body, r->len, 0, NULL);
	const char *tok = json_string_value(json_object_get(j, field));

	s->logging_in = 0;
	if (tok == NULL) {
		mf_fail(s, 1, "%s", what);
		mf_unpark(s, 0);
		json_decref(j);
		return NULL;
	}
	mf_set_bearer(s, tok);
	json_object_del(drv_data(s), "cached");
	if (json_object_get(drv_data(s), "refused") != NULL)
		json_object_set_new(drv_data(s), "relogged", json_true());
	json_object_set_new(drv_data(s), "session_at", json_real(mf_clock()));
	return j;
}

/* OAuth token answers (Reddit, Google): kept until expires_in runs out
 * (without expires_in: not kept). */
static void
token_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j = login_answer(s, r, "access_token",
	    "no access_token in the token response");
	json_int_t exp;

	(void)c;
	if (j == NULL)
		return;
	if (mf_int(j, "expires_in", &exp) == 0 && exp > LOGIN_MARGIN) {
		json_t *keep = json_pack("{s:O}", "access_token",
		    json_object_get(j, "access_token"));

		login_save(s, keep, oauth_for(s), exp);
		json_decref(keep);
	}
	json_decref(j);
	mf_unpark(s, 1);
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
	json_t *q = json_object_get(drv_data(s), "more_q"), *m, *id;
	size_t i, j;

	if (link == NULL || strncmp(link, "t3_", 3) != 0)
		return;
	if (q == NULL) {
		q = json_array();
		json_object_set_new(drv_data(s), "more_q", q);
	}
	json_array_foreach(stubs, i, m) {
		struct hark_buf ids = HARK_BUF_INIT(URL_MAX);
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
	json_t *q = json_object_get(drv_data(s), "more_q"), *m;
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	char *u;

	if (json_object_get(drv_data(s), "more_busy") != NULL ||
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
	json_object_set_new(drv_data(s), "more_busy", json_true());
	submit_thread(s, u, json_string_value(json_object_get(m, "link")),
	    K_MORE, json_string_value(json_object_get(m, "link")));
	json_array_remove(q, 0);
	free(u);
}

/* morechildren answers carry the comments without their post: take the
 * post's title and link from the thread read before. */
static int
reddit_amend(struct mf_source *s, struct mf_call *c, json_t *rec)
{
	const char *root = rstr(rec, "thread.root_id");
	json_t *post, *cx = json_object_get(rec, "context");

	if (c->kind != K_MORE || root == NULL || !json_is_object(cx) ||
	    strncmp(root, "reddit:", 7) != 0 ||
	    (post = json_object_get(drv_obj(s, "posts"), root + 7)) == NULL)
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
		const char *nid = rstr(rec, "native_id");
		json_t *cx = json_object_get(rec, "context");

		if (c->kind == K_THREAD && nid != NULL &&
		    strncmp(nid, "t3_", 3) == 0)
			/* as map-reddit.c gives the thread's comments: the
			 * post's title and permalink */
			json_object_set_new(drv_obj(s, "posts"), nid,
			    json_pack("{s:O?,s:O?}", "title", json_object_get(cx,
			    "title"), "url", json_object_get(rec, "url")));
	}
	if (c->kind == K_PAGE) {
		json_array_foreach(pg->records, i, rec) {
			const char *nid = rstr(rec, "native_id");
			char *u, *p, *st;

			if (nid == NULL || strncmp(nid, "t3_", 3) != 0 ||
			    !wants_thread(s, rec))
				continue;
			s->threads++;
			p = hark_xasprintf("/comments/%s", nid + 3);
			u = reddit_path(s, p);
			st = with_param(u, "sort", "new");
			free(u);
			u = with_param(st, "raw_json", "1");
			free(st);
			submit_thread(s, u, nid, K_THREAD, NULL);
			free(u);
			free(p);
		}
		if (pg->next != NULL && *pg->next != '\0') {
			char cnt[32], *u1, *u2;

			snprintf(cnt, sizeof(cnt), "%ld", (long)c->page *
			    HARK_MIN(s->page_size, 100L));
			u1 = with_param(c->tmpl, "after", pg->next);
			u2 = with_param(u1, "count", cnt);
			mf_next_page(s, c, u2, pg);
			free(u1);
			free(u2);
		} else {
			mf_next_page(s, c, NULL, pg);
		}
	} else {
		/* threads are read once per run; dedup keeps them new */
		if (c->kind == K_MORE)
			json_object_del(drv_data(s), "more_busy");
		reddit_more_add(s, c->kind == K_MORE ? c->arg :
		    c->stream + 7, json_object_get(pg->extra, "more"));
		reddit_more_next(s);
		mf_next_page(s, c, NULL, pg);
	}
}

/* --- Hacker News (Algolia) ------------------------------------------- */

static void
hn_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	char lim[32], nf[64], *u;
	hark_time_t wm;
	size_t i;

	default_base(s, "https://hn.algolia.com/api/v1");
	snprintf(lim, sizeof(lim), "%ld", s->page_size);
	u = url_join(s, "/search_by_date");
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
	stream_start(s, "search", u, K_PAGE, NULL);
	free(u);
	for (i = 0; i < s->nbrands; i++) {
		char *tags = hark_xasprintf("comment,author_%s", s->brands[i]);
		char *st = hark_xasprintf("brand:%s", s->brands[i]);

		u = url_join(s, "/search_by_date");
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
		stream_start(s, st, u, K_PAGE, NULL);
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
	json_t *done = drv_obj(s, "threads");

	if (id == NULL || json_object_get(done, id) != NULL ||
	    s->threads >= s->max_threads)
		return;
	json_object_set_new(done, id, json_true());
	s->threads++;
	submit_thread_at(s, "/items/%s", id);
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
	if (c->kind != K_PAGE) {
		mf_next_page(s, c, NULL, pg);
		return;
	}
	json_array_foreach(pg->records, i, rec) {
		const char *kind = rstr(rec, "kind");
		const char *root = rstr(rec, "thread.root_id");
		int brand = json_is_true(json_object_get(json_object_get(rec,
		    "author"), "is_brand"));

		if (kind == NULL || root == NULL ||
		    strncmp(root, "hackernews:", 11) != 0)
			continue;
		if (strcmp(kind, "post") == 0) {
			if (wants_thread(s, rec))
				hn_thread(s, root + 11);
		} else if (brand || hark_query_match(s->query, rec) ||
		    hn_story_matches(s, rstr(rec, "context.title"))) {
			hn_thread(s, root + 11);
		}
	}
	next_by_param(s, c, "page", pg->next, pg);
}

/* --- Mastodon --------------------------------------------------------- */

static int
mastodon_setup(struct mf_source *s, struct hark_err *err)
{
	const struct hark_config_entry *e = own_entry(s, "notifications");

	if (e != NULL && hark_config_bool(e->value, &s->notifications,
	    err) < 0) {
		mf_conf_fail(s, e->line, e->column, "notifications: %s",
		    err->msg);
		return 0;
	}
	default_base(s, "https://mastodon.social");
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
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	/* notification ids are not status ids: those pages stop at the
	 * time watermark instead */
	const char *newest = mf_backfill(s) || strcmp(stream,
	    "notifications") == 0 ? NULL : mf_state_get(s, stream, "newest");
	char lim[32], *u = url_join(s, path);

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
	stream_start(s, stream, u, K_PAGE, NULL);
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
		struct hark_buf b = HARK_BUF_INIT(URL_MAX);
		char *u;

		if (bid != NULL && i == 0) {
			mastodon_brand_statuses(s, s->brands[i], bid);
			continue;
		}
		u = url_join(s, "/api/v1/accounts/lookup");
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
	json_object_set_new(drv_obj(s, "contexts"), nid, json_true());
	submit_thread_at(s, "/api/v1/statuses/%s/context", nid);
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
	const char *nid = rstr(rec, "native_id");
	json_t *th = json_object_get(rec, "thread"), *root;

	if (nid == NULL || !json_is_object(th) ||
	    json_is_null(json_object_get(th, "parent_id")) ||
	    !json_is_null(json_object_get(th, "root_id")))
		return 0;
	if ((root = json_object_get(drv_obj(s, "roots"), nid)) != NULL) {
		json_object_set(th, "root_id", root);
		return 0;
	}
	keep_add(s, c, rec);
	if (json_object_get(drv_obj(s, "contexts"), nid) == NULL)
		mastodon_context(s, nid);
	return 1;
}

/* keep_release(): a kept reply goes once its root is known. */
static int
mastodon_ready(struct mf_source *s, json_t *rec, int all)
{
	json_t *root = json_object_get(drv_obj(s, "roots"), rstr(rec,
	    "native_id"));

	if (root == NULL)
		return all;
	json_object_set(json_object_get(rec, "thread"), "root_id", root);
	return 1;
}

static void
mastodon_finish(struct mf_source *s)
{
	keep_release(s, mastodon_ready, 1);
}

/* A /context answer for status FOCUS: the thread's root (the first
 * ancestor, else FOCUS) for FOCUS and every status in it, as a record id
 * (map-mastodon.c: "mastodon:HOST:ID", HOST of the base URL). */
static void
mastodon_roots(struct mf_source *s, const char *focus,
    const struct hark_http_resp *r, json_t *recs)
{
	json_t *j = json_loadb(r->body, r->len, 0, NULL), *rec, *root;
	json_t *anc = json_object_get(j, "ancestors");
	json_t *roots = drv_obj(s, "roots");
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
		const char *nid = rstr(rec, "native_id");

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
	json_t *rec, *ctxs = drv_obj(s, "contexts");
	char *link;
	size_t i;

	if (c->kind == K_THREAD && c->arg != NULL) {
		mastodon_roots(s, c->arg, r, pg->records);
		keep_release(s, mastodon_ready, 0);
	}
	json_array_foreach(pg->records, i, rec) {
		const char *nid = rstr(rec, "native_id");

		if (c->kind != K_PAGE || nid == NULL ||
		    json_object_get(ctxs, nid) != NULL || !wants_thread(s, rec))
			continue;
		s->threads++;
		mastodon_context(s, nid);
	}
	if (c->kind != K_PAGE || json_array_size(pg->records) == 0) {
		mf_next_page(s, c, NULL, pg);
		return;
	}
	/* older page: the Link header as given, else max_id */
	if ((link = hark_http_link(r, "next")) != NULL) {
		mf_next_page(s, c, link, pg);
		free(link);
		return;
	}
	next_by_param(s, c, "max_id", pg->next, pg);
}

/* --- Bluesky ---------------------------------------------------------- */

static int
bluesky_setup(struct mf_source *s, struct hark_err *err)
{
	default_base(s, "https://public.api.bsky.app");
	if (s->secret2 != NULL && mf_conf(s, "handle") == NULL)
		return hark_err_set(err, 2, "an app password is set but no "
		    "'handle' to log in with");
	if (s->token != NULL)		/* a ready access JWT */
		mf_set_bearer(s, s->token);
	return 0;
}

static const char *bsky_pds(const struct mf_source *s);
static void bluesky_refresh(struct mf_source *s, const char *refresh);

/* The "exp" claim of JWT (epoch seconds), or -1 when it has none or is
 * not a JWT the client can read (the session is then tried as is). */
static json_int_t
jwt_exp(const char *jwt)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
	    "tuvwxyz0123456789-_";
	const char *p = jwt != NULL ? strchr(jwt, '.') : NULL, *end, *q;
	struct hark_buf b = HARK_BUF_INIT(8192);
	unsigned long acc = 0;
	int bits = 0;
	json_int_t exp = -1;
	json_t *j;

	if (p == NULL || (end = strchr(++p, '.')) == NULL)
		return -1;
	for (q = p; q < end; q++) {
		const char *v = memchr(b64, *q, 64);

		if (v == NULL || *q == '\0')
			break;
		acc = (acc << 6) | (unsigned long)(v - b64);
		if ((bits += 6) >= 8) {
			bits -= 8;
			hark_buf_addch(&b, (char)((acc >> bits) & 0xff));
		}
	}
	if (q == end && (j = json_loadb(hark_buf_str(&b), b.len, 0,
	    NULL)) != NULL) {
		if (mf_int(j, "exp", &exp) < 0)
			exp = -1;
		json_decref(j);
	}
	hark_buf_release(&b);
	return exp;
}

/* The brand accounts' own posts and replies (getAuthorFeed). */
static void
bluesky_brand_feeds(struct mf_source *s)
{
	char lim[32];
	size_t i;

	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	for (i = 0; i < s->nbrands; i++) {
		struct hark_buf b = HARK_BUF_INIT(URL_MAX);
		char *u = url_join(s, "/xrpc/app.bsky.feed.getAuthorFeed");
		char *st = hark_xasprintf("brand:%s", s->brands[i]);

		hark_buf_addstr(&b, u);
		free(u);
		mf_param(&b, "actor", s->brands[i]);
		mf_param(&b, "filter", "posts_with_replies");
		mf_param(&b, "limit", lim);
		u = hark_buf_detach(&b, NULL);
		stream_start(s, st, u, K_PAGE, NULL);
		free(u);
		free(st);
	}
}

static void
bluesky_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	char lim[32], tb[HARK_TIME_BUFSZ], *u;
	hark_time_t wm;

	if (s->native == NULL || *s->native == '\0') {
		mf_fail(s, 2, "'query' is required for type 'bluesky'");
		return;
	}
	json_object_set_new(drv_data(s), "appview", json_string(s->base_url));
	if (s->auth == NULL && mf_conf(s, "handle") != NULL &&
	    s->secret2 != NULL) {
		/* the session of an earlier run: straight to the PDS */
		json_t *j = login_cached(s, mf_conf(s, "handle"));
		const char *jwt = json_string_value(json_object_get(j,
		    "accessJwt"));

		const char *refresh = json_string_value(json_object_get(j,
		    "refreshJwt"));
		json_int_t exp = jwt_exp(jwt);

		if (jwt != NULL) {
			mf_set_bearer(s, jwt);
			free(s->base_url);
			s->base_url = hark_xstrdup(bsky_pds(s));
			/* expired (or about to): renew before asking, the
			 * streams below wait for it */
			if (exp >= 0 && refresh != NULL && exp - 60 <=
			    (json_int_t)mf_now(s->run))
				bluesky_refresh(s, refresh);
		}
	}
	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	u = url_join(s, "/xrpc/app.bsky.feed.searchPosts");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "q", s->native);
	mf_param(&b, "sort", "latest");
	mf_param(&b, "limit", lim);
	wm = s->run->since >= 0 ? s->run->since : mf_watermark(s, "search");
	if (wm >= 0) {
		if (s->run->since < 0)
			wm -= s->run->overlap;
		mf_param(&b, "since", hark_time_format(wm, tb));
	}
	u = hark_buf_detach(&b, NULL);
	stream_start(s, "search", u, K_PAGE, NULL);
	free(u);
	bluesky_brand_feeds(s);
}

static const char *
bsky_pds(const struct mf_source *s)
{
	const char *pds = mf_conf(s, "pds_url");

	return pds != NULL ? pds : "https://bsky.social";
}

/* Move C from the public AppView to the PDS (authenticated calls go to
 * the PDS, which proxies app.bsky.* to the AppView). */
static void
bluesky_rebase(struct mf_source *s, struct mf_call *c)
{
	const char *appview = json_string_value(json_object_get(drv_data(s),
	    "appview")), *pds = bsky_pds(s);
	size_t n = appview != NULL ? strlen(appview) : 0;
	char *u;

	if (n == 0 || strcmp(appview, pds) == 0)
		return;
	if (strncmp(c->url, appview, n) == 0) {
		u = hark_xasprintf("%s%s", pds, c->url + n);
		free(c->url);
		c->url = u;
	}
	if (c->tmpl != NULL && strncmp(c->tmpl, appview, n) == 0) {
		u = hark_xasprintf("%s%s", pds, c->tmpl + n);
		free(c->tmpl);
		c->tmpl = u;
	}
}

static int
bluesky_on_appview(struct mf_source *s, const struct mf_call *c)
{
	const char *appview = json_string_value(json_object_get(drv_data(s),
	    "appview"));

	return appview != NULL && strcmp(appview, bsky_pds(s)) != 0 &&
	    strncmp(c->url, appview, strlen(appview)) == 0;
}

/* com.atproto.server.createSession with the app password. */
static void
bluesky_create_session(struct mf_source *s, struct mf_call *c)
{
	json_t *j = json_pack("{s:s,s:s}", "identifier", mf_conf(s,
	    "handle"), "password", s->secret2);
	char *js = json_dumps(j, JSON_COMPACT);
	char *u = hark_xasprintf("%s/xrpc/com.atproto.server.createSession",
	    bsky_pds(s));

	s->logging_in = 1;
	if (c == NULL) {
		mf_submit(s, "POST", u, "login", 1, K_LOGIN, NULL,
		    "application/json", js);
	} else {		/* the failed refresh call becomes the login */
		free(c->url);
		c->url = u;
		u = NULL;
		free(c->headers);
		c->headers = NULL;
		free(c->ctype);
		c->ctype = hark_xstrdup("application/json");
		if (c->body != NULL) {
			memset(c->body, 0, strlen(c->body));
			free(c->body);
		}
		c->body = hark_xstrdup(js);
		c->kind = K_LOGIN;
		mf_resubmit(s, c);
	}
	memset(js, 0, strlen(js));
	free(js);
	json_decref(j);
	free(u);
}

/* com.atproto.server.refreshSession with the refresh JWT as bearer. */
static void
bluesky_refresh(struct mf_source *s, const char *refresh)
{
	struct mf_call *c;
	char *u = hark_xasprintf("%s/xrpc/com.atproto.server.refreshSession",
	    bsky_pds(s));

	s->logging_in = 1;
	c = mf_call_new(s, "POST", u, "login", 1, K_REFRESH);
	c->headers = hark_xasprintf("Authorization: Bearer %s", refresh);
	mf_call_submit(s, c);
	free(u);
}

static int
bluesky_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	const char *handle = mf_conf(s, "handle");
	const char *refresh = json_string_value(json_object_get(
	    json_object_get(drv_data(s), "login"), "refreshJwt"));
	json_t *body;
	int expired = 0;

	if (c->kind == K_REFRESH) {
		/* the refresh JWT is no good either: log in afresh */
		mf_log(s->run, 1, "source '%s': refreshSession refused; "
		    "creating a new session", s->name);
		json_object_del(drv_data(s), "login");
		login_drop(s);
		if (handle == NULL || s->secret2 == NULL)
			return 0;
		bluesky_create_session(s, c);
		return 1;
	}
	if (c->kind < 0)
		return 0;
	body = json_loadb(r->body, r->len, 0, NULL);
	expired = r->status == 400 && json_string_value(json_object_get(body,
	    "error")) != NULL && strcmp(json_string_value(json_object_get(
	    body, "error")), "ExpiredToken") == 0;
	json_decref(body);
	if (r->status != 401 && r->status != 403 && !expired)
		return 0;
	if (s->auth != NULL && !s->logging_in && (r->status == 401 ||
	    expired) && json_real_value(json_object_get(drv_data(s),
	    "session_at")) > 0 && !bluesky_on_appview(s, c)) {
		/* sent with the session this run replaced a moment ago */
		mf_resubmit(s, c);
		return 1;
	}
	if (s->auth != NULL && bluesky_on_appview(s, c)) {
		/* asked anonymously before the session arrived */
		if (s->logging_in) {
			mf_park(s, c);
		} else {
			bluesky_rebase(s, c);
			mf_resubmit(s, c);
		}
		return 1;
	}
	if (s->auth != NULL && r->status == 403 && !expired)
		return 0;	/* refused with a session: not a login matter */
	if (s->auth != NULL && refresh != NULL) {
		mf_park(s, c);
		if (!s->logging_in)
			bluesky_refresh(s, refresh);
		return 1;
	}
	if (handle == NULL || s->secret2 == NULL) {
		if (s->auth == NULL)
			hark_warn("source '%s': anonymous access refused: set "
			    "'handle' and an app password (%s) to log in",
			    s->name, mf_secret_var(s, "PASSWORD"));
		return 0;
	}
	mf_park(s, c);
	if (!s->logging_in)
		bluesky_create_session(s, NULL);
	return 1;
}

/*
 * A session (createSession or refreshSession answer): kept in the login
 * cache for the next runs; every waiting call, and every call still
 * queued for the public AppView, moves to the PDS with it.
 */
static void
bluesky_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j = login_answer(s, r, "accessJwt", c->kind == K_REFRESH ?
	    "refreshSession: no accessJwt in the answer" :
	    "createSession: no accessJwt in the answer");
	json_t *keep;
	struct mf_call *q;
	size_t i;

	if (j == NULL)
		return;
	keep = json_pack("{s:O,s:O?,s:O?}", "accessJwt",
	    json_object_get(j, "accessJwt"), "refreshJwt",
	    json_object_get(j, "refreshJwt"), "did", json_object_get(j, "did"));
	login_save(s, keep, mf_conf(s, "handle"), -1);
	json_decref(keep);
	json_decref(j);
	free(s->base_url);
	s->base_url = hark_xstrdup(bsky_pds(s));
	for (i = 0; i < s->nparked; i++)
		bluesky_rebase(s, s->parked[i]);
	for (q = s->qhead; q != NULL; q = q->qnext)
		bluesky_rebase(s, q);
	mf_unpark(s, 1);
}

/* --- Bluesky follower counts (app.bsky.actor.getProfiles) --- */

#define BSKY_PROFILES	25	/* actors per getProfiles call */

/* Fill author.followers from the counts known; 1 when the author's
 * profile is still to be asked for (the record is kept meanwhile). */
static int
bluesky_amend(struct mf_source *s, struct mf_call *c, json_t *rec)
{
	json_t *a = json_object_get(rec, "author"), *n;
	const char *did = json_string_value(json_object_get(a, "id"));
	json_t *known = drv_obj(s, "profiles");

	if (did == NULL || !json_is_object(a))
		return 0;
	if ((n = json_object_get(known, did)) != NULL) {
		if (json_is_integer(n))
			json_object_set(a, "followers", n);
		return 0;
	}
	keep_add(s, c, rec);
	json_object_set_new(drv_obj(s, "wanted"), did, json_true());
	return 1;
}

/* keep_release(): a kept record goes once its author's count is known
 * (ALL: in any case). */
static int
bluesky_ready(struct mf_source *s, json_t *rec, int all)
{
	json_t *a = json_object_get(rec, "author");
	const char *did = json_string_value(json_object_get(a, "id"));
	json_t *n = did != NULL ? json_object_get(drv_obj(s, "profiles"),
	    did) : NULL;

	if (n == NULL)
		return all;
	if (json_is_integer(n))
		json_object_set(a, "followers", n);
	return 1;
}

static void
bluesky_finish(struct mf_source *s)
{
	keep_release(s, bluesky_ready, 1);
}

/* Ask for the profiles wanted so far, BSKY_PROFILES actors a call. */
static void
bluesky_ask_profiles(struct mf_source *s)
{
	json_t *wanted = drv_obj(s, "wanted"), *asked = drv_obj(s, "asked");
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	struct hark_buf dids = HARK_BUF_INIT(URL_MAX);
	const char *did;
	json_t *v;
	int n = 0;
	char *u;

	json_object_foreach(wanted, did, v) {
		if (json_object_get(asked, did) != NULL)
			continue;
		json_object_set_new(asked, did, json_true());
		if (n == 0) {
			u = url_join(s, "/xrpc/app.bsky.actor.getProfiles");
			hark_buf_addstr(&b, u);
			free(u);
		}
		mf_param(&b, "actors", did);
		hark_buf_addf(&dids, "%s%s", n > 0 ? " " : "", did);
		if (++n == BSKY_PROFILES) {
			u = hark_buf_detach(&b, NULL);
			mf_submit(s, "GET", u, "thread:profiles", 1, K_PROFILES,
			    hark_buf_str(&dids), NULL, NULL);
			free(u);
			hark_buf_reset(&dids);
			n = 0;
		}
	}
	if (n > 0) {
		u = hark_buf_detach(&b, NULL);
		mf_submit(s, "GET", u, "thread:profiles", 1, K_PROFILES,
		    hark_buf_str(&dids), NULL, NULL);
		free(u);
	}
	json_object_clear(wanted);
	hark_buf_release(&b);
	hark_buf_release(&dids);
}

/* A getProfiles answer: counts for the DIDs asked (null for those the
 * answer leaves out), then the records that waited for them. */
static void
bluesky_profiles(struct mf_source *s, struct mf_call *c, struct mf_page *pg)
{
	json_t *counts = json_object_get(pg->extra, "profiles");
	json_t *known = drv_obj(s, "profiles");
	char *dids = hark_xstrdup(c->arg ? c->arg : ""), *p, *sp;

	for (p = dids; p != NULL && *p != '\0'; p = sp) {
		if ((sp = strchr(p, ' ')) != NULL)
			*sp++ = '\0';
		json_object_set(known, p, json_object_get(counts, p) ?
		    json_object_get(counts, p) : json_null());
	}
	free(dids);
	keep_release(s, bluesky_ready, 0);
}

static void
bluesky_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec;
	size_t i;

	(void)r;
	if (c->kind == K_PROFILES)
		bluesky_profiles(s, c, pg);
	bluesky_ask_profiles(s);
	if (c->kind != K_PAGE) {
		mf_next_page(s, c, NULL, pg);
		return;
	}
	json_array_foreach(pg->records, i, rec) {
		const char *uri = rstr(rec, "native_id");
		struct hark_buf b = HARK_BUF_INIT(URL_MAX);
		char *u;

		if (uri == NULL || !wants_thread(s, rec))
			continue;
		s->threads++;
		u = url_join(s, "/xrpc/app.bsky.feed.getPostThread");
		hark_buf_addstr(&b, u);
		free(u);
		mf_param(&b, "uri", uri);
		mf_param(&b, "depth", "10");
		u = hark_buf_detach(&b, NULL);
		submit_thread(s, u, uri, K_THREAD, NULL);
		free(u);
	}
	next_by_param(s, c, "cursor", pg->next, pg);
}

/* --- X API v2 --------------------------------------------------------- */

static const char x_fields[] = "author_id,conversation_id,created_at,"
    "entities,in_reply_to_user_id,lang,note_tweet,public_metrics,"
    "referenced_tweets";
static const char x_user_fields[] = "created_at,description,name,"
    "public_metrics,username,verified";

static int
x_setup(struct mf_source *s, struct hark_err *err)
{
	default_base(s, "https://api.x.com");
	if (need_token(s, "a bearer token", err) < 0)
		return -1;
	mf_set_bearer(s, s->token);
	return 0;
}

static void
x_search(struct mf_source *s, const char *stream, const char *q, int kind)
{
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	const char *newest = mf_backfill(s) ? NULL :
	    mf_state_get(s, stream, "newest");
	char lim[32], tb[HARK_TIME_BUFSZ], *u;

	snprintf(lim, sizeof(lim), "%ld", s->page_size < 10 ? 10 :
	    HARK_MIN(s->page_size, 100L));
	u = url_join(s, "/2/tweets/search/recent");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "query", q);
	mf_param(&b, "max_results", lim);
	mf_param(&b, "tweet.fields", x_fields);
	mf_param(&b, "expansions", "author_id,referenced_tweets.id");
	mf_param(&b, "user.fields", x_user_fields);
	if (newest != NULL)
		mf_param(&b, "since_id", newest);
	else if (s->run->since >= 0)
		mf_param(&b, "start_time", hark_time_format(s->run->since, tb));
	u = hark_buf_detach(&b, NULL);
	stream_start(s, stream, u, kind, NULL);
	free(u);
}

static void
x_start(struct mf_source *s)
{
	size_t i;

	if (s->native != NULL && *s->native != '\0')
		x_search(s, "search", s->native, K_PAGE);
	for (i = 0; i < s->nbrands; i++) {
		char *q = hark_xasprintf("from:%s", s->brands[i]);
		char *st = hark_xasprintf("brand:%s", s->brands[i]);

		x_search(s, st, q, K_PAGE);
		free(q);
		free(st);
	}
}

static void
x_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec;
	size_t i;

	(void)r;
	/* the conversation of a matching post that has replies: the
	 * customers' follow-ups and the brand's answers (7 days back) */
	json_array_foreach(pg->records, i, rec) {
		const char *nid = rstr(rec, "native_id");
		const char *kind = rstr(rec, "kind");
		char *q, *st;

		if (c->kind != K_PAGE || nid == NULL || kind == NULL ||
		    strcmp(kind, "post") != 0 || !wants_thread(s, rec))
			continue;
		s->threads++;
		q = hark_xasprintf("conversation_id:%s", nid);
		st = hark_xasprintf("thread:%s", nid);
		x_search(s, st, q, K_THREAD);
		free(q);
		free(st);
	}
	/* the same since_id on every page; only next_token changes */
	next_by_param(s, c, "next_token", pg->next, pg);
}

/* --- Facebook Pages --------------------------------------------------- */

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
	default_base(s, "https://graph.facebook.com");
	if (need_conf(s, "page_id", err) < 0 ||
	    need_token(s, "a Page access token", err) < 0)
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
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	char *e = hark_http_escape(mf_conf(s, "page_id"));
	char *p = hark_xasprintf("/%s", e), *u = url_join(s, p);

	hark_buf_addstr(&b, u);
	mf_param(&b, "fields", "id,name");
	free(u);
	u = hark_buf_detach(&b, NULL);
	/* "thread:": no state of its own */
	stream_start(s, "thread:page", u, K_PAGE, "page");
	free(u);
	free(p);
	free(e);
}

static int
facebook_amend(struct mf_source *s, struct mf_call *c, json_t *rec)
{
	const char *name = json_string_value(json_object_get(drv_data(s),
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
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	char lim[32], since[32], *e, *p, *u;
	hark_time_t wm;

	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	e = hark_http_escape(mf_conf(s, "page_id"));
	p = hark_xasprintf("/%s/feed", e);
	u = url_join(s, p);
	hark_buf_addstr(&b, u);
	free(u);
	free(p);
	free(e);
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
	stream_start(s, "feed", u, K_PAGE, NULL);
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
			json_object_set(drv_data(s), "page_name", n);
		mf_next_page(s, c, NULL, pg);
		facebook_feed(s);
		return;
	}
	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	if (c->kind == K_PAGE) {
		json_array_foreach(pg->records, i, rec) {
			const char *nid = rstr(rec, "native_id");
			struct hark_buf b = HARK_BUF_INIT(URL_MAX);
			char *e, *p, *u;

			/* every commented post of the brand's own Page (the
			 * page may also carry inline comments: not those) */
			if (nid == NULL || rstr(rec, "kind") == NULL ||
			    strcmp(rstr(rec, "kind"), "post") != 0 ||
			    rnum(rec, "metrics.replies") == 0 ||
			    s->threads >= s->max_threads)
				continue;
			s->threads++;
			e = hark_http_escape(nid);
			p = hark_xasprintf("/%s/comments", e);
			u = url_join(s, p);
			hark_buf_addstr(&b, u);
			mf_param(&b, "filter", "stream");
			mf_param(&b, "order", "reverse_chronological");
			mf_param(&b, "fields", fb_comment_fields);
			mf_param(&b, "limit", lim);
			free(u);
			u = hark_buf_detach(&b, NULL);
			stream_start(s, "comments", u, K_THREAD, nid);
			free(e);
			free(p);
			free(u);
		}
	}
	/* paging.next is a full URL (with the token): follow as given */
	mf_next_page(s, c, pg->next, pg);
}

static enum hark_http_verdict
facebook_classify(const struct hark_http_resp *r, double *wait)
{
	json_t *j, *err, *usage;
	json_int_t code;
	char *h;
	enum hark_http_verdict v = HARK_HTTP_DEFAULT;

	if (r->status != 400 && r->status != 403)
		return v;
	j = json_loadb(r->body, r->len, 0, NULL);
	err = json_object_get(j, "error");
	code = json_integer_value(json_object_get(err, "code"));
	if (code == 4 || code == 17 || code == 32 || code == 613 ||
	    code == 80001) {
		v = HARK_HTTP_THROTTLED;
		h = hark_http_header(r, "x-business-use-case-usage");
		usage = h ? json_loads(h, 0, NULL) : NULL;
		if (usage != NULL) {
			const char *k;
			json_t *arr, *e;
			size_t i;

			json_object_foreach(usage, k, arr)
				json_array_foreach(arr, i, e) {
					json_int_t m = json_integer_value(
					    json_object_get(e, "estimated_time_"
					    "to_regain_access"));

					if (m * 60.0 > *wait)
						*wait = (double)m * 60;
				}
		}
		json_decref(usage);
		free(h);
	} else if (json_is_true(json_object_get(err, "is_transient"))) {
		v = HARK_HTTP_RETRY;
	}
	json_decref(j);
	return v;
}

/* --- YouTube ---------------------------------------------------------- */

static int
youtube_setup(struct mf_source *s, struct hark_err *err)
{
	default_base(s, "https://www.googleapis.com/youtube/v3");
	if (mf_conf(s, "channel_id") == NULL &&
	    hark_config_get(s->sec, "video_id") == NULL)
		return hark_err_set(err, 2, "'channel_id' or 'video_id' is "
		    "required for type 'youtube'");
	return need_token(s, "an API key", err);
}

static void yt_recheck(struct mf_source *s);

static void
youtube_start(struct mf_source *s)
{
	const struct hark_config_entry *e = NULL;
	const char *ch = mf_conf(s, "channel_id");
	char lim[32];

	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	for (;;) {
		struct hark_buf b = HARK_BUF_INIT(URL_MAX);
		char *u, *st;

		if (ch == NULL && (e = hark_config_next(s->sec, "video_id",
		    e)) == NULL)
			break;
		u = url_join(s, "/commentThreads");
		hark_buf_addstr(&b, u);
		free(u);
		mf_param(&b, "part", "snippet,replies");
		mf_param(&b, ch ? "allThreadsRelatedToChannelId" : "videoId",
		    ch ? ch : e->value);
		mf_param(&b, "maxResults", lim);
		mf_param(&b, "order", "time");
		mf_param(&b, "textFormat", "html");
		if (s->native != NULL && *s->native != '\0' &&
		    !s->native_any)
			mf_param(&b, "searchTerms", s->native);
		mf_param(&b, "key", s->token);
		u = hark_buf_detach(&b, NULL);
		st = hark_xasprintf("threads:%s", ch ? ch : e->value);
		stream_start(s, st, u, K_PAGE, NULL);
		free(u);
		free(st);
		if (ch != NULL)
			break;
	}
	yt_recheck(s);
}

/*
 * Reply counts of recent threads, so that a new reply on an old thread
 * (which order=time does not bring back) is still fetched: the state's
 * "reply_counts" stream holds {"counts": {THREAD: {"n": N, "t": SEEN}}}
 * for the YT_TRACK most recently seen threads.  A count is stored only
 * once the thread's replies up to it were read.
 */
#define YT_TRACK	200
#define YT_RECHECK	50	/* ids per commentThreads?id= call */
#define K_RECHECK	3

static json_t *
yt_counts(struct mf_source *s)
{
	json_t *st, *counts = json_object_get(drv_data(s), "yt_counts");

	if (counts == NULL) {
		st = json_object_get(json_object_get(json_object_get(s->state0,
		    "streams"), "reply_counts"), "counts");
		counts = json_is_object(st) ? json_deep_copy(st) :
		    json_object();
		json_object_set_new(drv_data(s), "yt_counts", counts);
	}
	return counts;
}

static long
yt_count_get(struct mf_source *s, const char *thread)
{
	json_t *n = json_object_get(json_object_get(yt_counts(s), thread),
	    "n");

	return json_is_integer(n) ? (long)json_integer_value(n) : -1;
}

static void
yt_count_set(struct mf_source *s, const char *thread, long n)
{
	json_t *counts = yt_counts(s), *v;
	const char *k, *oldest;
	json_int_t t;

	json_object_set_new(counts, thread, json_pack("{s:I,s:I}", "n",
	    (json_int_t)n, "t", (json_int_t)s->run->now));
	while (json_object_size(counts) > YT_TRACK) {
		oldest = NULL;
		t = 0;
		json_object_foreach(counts, k, v) {
			json_int_t vt = json_integer_value(json_object_get(v,
			    "t"));

			if (oldest == NULL || vt < t) {
				oldest = k;
				t = vt;
			}
		}
		json_object_del(counts, oldest);
	}
	json_object_set(mf_stream_pending(s, "reply_counts"), "counts",
	    counts);
	mf_stream_done(s, "reply_counts");
}

/* Ask for all replies of THREAD (TOTAL known so far). */
static void
yt_replies(struct mf_source *s, const char *thread, json_int_t total)
{
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	char lim[32], *u, *arg;

	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	s->threads++;
	u = url_join(s, "/comments");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "part", "snippet");
	mf_param(&b, "parentId", thread);
	mf_param(&b, "maxResults", lim);
	mf_param(&b, "textFormat", "html");
	mf_param(&b, "key", s->token);
	u = hark_buf_detach(&b, NULL);
	arg = hark_xasprintf("%lld %s", (long long)total, thread);
	stream_start(s, "replies", u, K_REPLIES, arg);
	free(arg);
	free(u);
}

/* Threads seen before: has any of them grown?  (commentThreads?id=) */
static void
yt_recheck(struct mf_source *s)
{
	struct hark_buf ids = HARK_BUF_INIT(URL_MAX);
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	json_t *counts = yt_counts(s), *v;
	const char *k;
	char *u;
	int n = 0;

	if (mf_backfill(s))
		return;
	/* NEEDSWORK: the YT_RECHECK ids are taken in hash order, not the
	 * most recent first, when more threads than that are tracked */
	json_object_foreach(counts, k, v) {
		if (n++ == YT_RECHECK)
			break;
		hark_buf_addf(&ids, "%s%s", n > 1 ? "," : "", k);
	}
	if (n == 0)
		return;
	u = url_join(s, "/commentThreads");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "part", "snippet");
	mf_param(&b, "id", hark_buf_str(&ids));
	mf_param(&b, "maxResults", "50");
	mf_param(&b, "textFormat", "html");
	mf_param(&b, "key", s->token);
	u = hark_buf_detach(&b, NULL);
	stream_start(s, "thread:recheck", u, K_RECHECK, NULL);
	free(u);
	hark_buf_release(&ids);
}

static void
youtube_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *rec, *o;
	size_t i, j;

	(void)r;
	if (c->kind == K_REPLIES) {
		char *end;
		long long total = strtoll(c->arg, &end, 10);

		/* all replies read: the thread's count may be stored */
		if (pg->next == NULL && *end == ' ')
			yt_count_set(s, end + 1, (long)total);
	}
	if (c->kind == K_PAGE || c->kind == K_RECHECK) {
		json_array_foreach(pg->records, i, rec) {
			const char *id = rstr(rec, "id");
			const char *nid = rstr(rec, "native_id");
			json_int_t total = rnum(rec, "metrics.replies");
			long have = 0, known;

			if (id == NULL || nid == NULL ||
			    rstr(rec, "thread.parent_id") != NULL || total < 0)
				continue;
			known = yt_count_get(s, nid);
			json_array_foreach(pg->records, j, o) {
				const char *root = rstr(o, "thread.root_id");

				have += o != rec && root != NULL &&
				    strcmp(root, id) == 0;
			}
			if (have >= total || (known >= 0 && total <= known)) {
				/* nothing missing (or nothing new) */
				if (known != (long)total)
					yt_count_set(s, nid, (long)total);
				continue;
			}
			/* the page carries only some replies: ask for all */
			if (s->threads < s->max_threads)
				yt_replies(s, nid, total);
		}
	}
	next_by_param(s, c, "pageToken", pg->next, pg);
}

/* Seconds from NOW to the next midnight in America/Los_Angeles, when
 * YouTube's daily quota resets. */
static long
yt_quota_reset(hark_time_t now)
{
	struct hark_tz *tz = hark_tz_load("America/Los_Angeles", NULL);
	hark_time_t reset;

	if (tz == NULL)		/* no zoneinfo: the same rule (2007-) */
		tz = hark_tz_load("PST8PDT,M3.2.0,M11.1.0", NULL);
	if (tz == NULL)
		return 86400;
	reset = hark_tz_day_time(tz, hark_tz_local_day(tz, now) + 1, 0);
	hark_tz_free(tz);
	return reset > now ? (long)(reset - now) : 86400;
}

static enum hark_http_verdict
youtube_classify(const struct hark_http_resp *r, double *wait)
{
	json_t *j;
	const char *reason;
	enum hark_http_verdict v = HARK_HTTP_DEFAULT;

	if (r->status != 403)
		return v;
	j = json_loadb(r->body, r->len, 0, NULL);
	reason = json_string_value(json_object_get(json_array_get(
	    json_object_get(json_object_get(j, "error"), "errors"), 0),
	    "reason"));
	if (reason != NULL && (strcmp(reason, "rateLimitExceeded") == 0 ||
	    strcmp(reason, "userRateLimitExceeded") == 0)) {
		v = HARK_HTTP_THROTTLED;
	} else if (reason != NULL && strcmp(reason, "quotaExceeded") == 0) {
		hark_time_t now;

		/* the daily quota resets at midnight Pacific time (07:00
		 * UTC in summer, 08:00 in winter): far beyond any
		 * --max-wait, so: exit 4 */
		if (hark_now(&now, NULL) < 0)
			now = (hark_time_t)time(NULL);
		*wait = (double)yt_quota_reset(now);
		v = HARK_HTTP_THROTTLED;
	}
	json_decref(j);
	return v;
}

/* --- Google Business Profile ----------------------------------------- */

static int
gbp_setup(struct mf_source *s, struct hark_err *err)
{
	default_base(s, "https://mybusiness.googleapis.com/v4");
	if (need_conf(s, "account_id", err) < 0 ||
	    need_conf(s, "location_id", err) < 0)
		return -1;
	if (s->token != NULL) {
		mf_set_bearer(s, s->token);
		return 0;
	}
	if (s->secret2 == NULL)
		return hark_err_set(err, 2, "an OAuth access token (%s) or "
		    "refresh token (%s) is required", mf_secret_var(s, "TOKEN"),
		    mf_secret_var(s, "REFRESH_TOKEN"));
	if (mf_conf(s, "client_id") == NULL ||
	    mf_source_secret(s, "CLIENT_SECRET") == NULL)
		return hark_err_set(err, 2, "a refresh token needs "
		    "'client_id' and %s", mf_secret_var(s, "CLIENT_SECRET"));
	return 0;
}

static void
gbp_login(struct mf_source *s)
{
	const char *turl = mf_conf(s, "token_url");
	struct hark_buf f = HARK_BUF_INIT(URL_MAX);
	char *body, *u;

	{

		mf_param(&f, "grant_type", "refresh_token");
		mf_param(&f, "refresh_token", s->secret2);
		mf_param(&f, "client_id", mf_conf(s, "client_id"));
		mf_param(&f, "client_secret", mf_source_secret(s,
		    "CLIENT_SECRET"));
		body = hark_buf_detach(&f, NULL);
		u = hark_xstrdup(turl ? turl :
		    "https://oauth2.googleapis.com/token");
		s->logging_in = 1;
		mf_submit(s, "POST", u, "login", 1, K_LOGIN, NULL,
		    "application/x-www-form-urlencoded",
		    body + (body[0] == '?'));
		memset(body, 0, strlen(body));
		free(body);
		free(u);
	}
}

static int
gbp_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	return oauth_refused(s, c, r, gbp_login);
}

static void
gbp_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(URL_MAX);
	char lim[32], *a, *l, *p, *u;

	if (s->auth == NULL && !oauth_cached(s, oauth_for(s)))
		gbp_login(s);
	snprintf(lim, sizeof(lim), "%ld", s->page_size > 50 ? 50 :
	    s->page_size);
	a = hark_http_escape(mf_conf(s, "account_id"));
	l = hark_http_escape(mf_conf(s, "location_id"));
	p = hark_xasprintf("/accounts/%s/locations/%s/reviews", a, l);
	u = url_join(s, p);
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "pageSize", lim);
	mf_param(&b, "orderBy", "updateTime desc");
	u = hark_buf_detach(&b, NULL);
	stream_start(s, "reviews", u, K_PAGE, NULL);
	free(u);
	free(a);
	free(l);
	free(p);
}

static void
gbp_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	(void)r;
	next_by_param(s, c, "pageToken", pg->next, pg);
}

/* --- the table ------------------------------------------------------- */

#define FEED(t) { .type = t, .map = mf_map_feed, .setup = feed_setup, \
	.start = feed_start, .special = no_special, .after_page = feed_after, \
	.late_items = 1 }

static const struct mf_driver drivers[] = {
	FEED("rss"), FEED("atom"), FEED("feed"), FEED("google_alerts"),
	{ .type = "reddit", .map = mf_map_reddit, .setup = reddit_setup,
	    .start = reddit_start, .http_error = reddit_http_error,
	    .special = token_special, .after_page = reddit_after,
	    .amend = reddit_amend },
	{ .type = "hackernews", .map = mf_map_hackernews, .start = hn_start,
	    .special = no_special, .after_page = hn_after },
	{ .type = "mastodon", .map = mf_map_mastodon, .setup = mastodon_setup,
	    .start = mastodon_start, .special = mastodon_special,
	    .after_page = mastodon_after, .amend = mastodon_amend,
	    .finish = mastodon_finish, .commit_later = keep_commit_later },
	{ .type = "bluesky", .map = mf_map_bluesky, .setup = bluesky_setup,
	    .start = bluesky_start, .http_error = bluesky_http_error,
	    .special = bluesky_special, .after_page = bluesky_after,
	    .late_items = 1, .amend = bluesky_amend, .finish = bluesky_finish,
	    .commit_later = keep_commit_later },
	{ .type = "x", .map = mf_map_x, .setup = x_setup, .start = x_start,
	    .special = no_special, .after_page = x_after },
	{ .type = "facebook", .map = mf_map_facebook, .setup = facebook_setup,
	    .start = facebook_start, .special = no_special,
	    .after_page = facebook_after, .classify = facebook_classify,
	    .amend = facebook_amend },
	{ .type = "youtube", .map = mf_map_youtube, .setup = youtube_setup,
	    .start = youtube_start, .special = no_special,
	    .after_page = youtube_after, .classify = youtube_classify },
	{ .type = "google_business", .map = mf_map_google_business,
	    .setup = gbp_setup, .start = gbp_start,
	    .http_error = gbp_http_error, .special = token_special,
	    .after_page = gbp_after },
};

const struct mf_driver *
mf_driver_find(const char *type)
{
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(drivers); i++)
		if (strcmp(drivers[i].type, type) == 0)
			return &drivers[i];
	return NULL;
}

const char *
mf_driver_types(void)
{
	return "rss, atom, feed, google_alerts, reddit, hackernews, "
	    "mastodon, bluesky, x, facebook, youtube, google_business";
}
