/*
 * common.c - helpers shared by the drivers: first the mappers' (records,
 * pages, JSON access), then the request side's (streams,
 * threads, kept records, the login cache, OAuth).
 */

#include <ctype.h>
#include <unistd.h>
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "htime.h"
#include "html.h"
#include "mention.h"
#include "xdg.h"
#include "source.h"
#include "json.h"

json_t *
mf_record_new(const struct mf_map_ctx *ctx, const char *source)
{
	return hark_mention_new(source, ctx->query, ctx->fetched_at);
}

void
mf_page_extra(struct mf_page *page, const char *key, json_t *value)
{
	if (page->extra == NULL)
		page->extra = json_object();
	json_object_set_new(page->extra, key, value);
}

void
mf_page_warn(struct mf_page *page, const char *fmt, ...)
{
	json_t *w;
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (page->extra == NULL)
		page->extra = json_object();
	if ((w = json_object_get(page->extra, "warnings")) == NULL) {
		w = json_array();
		json_object_set_new(page->extra, "warnings", w);
	}
	/* Bounded: a hostile page must not grow this without limit. */
	if (json_array_size(w) < 100) {
		char clean[256];

		hark_sanitize(clean, sizeof(clean), msg, strlen(msg));
		json_array_append_new(w, json_string(clean));
	}
}

void
mf_page_add(struct mf_page *page, const struct mf_map_ctx *ctx, json_t *rec)
{
	const char *t = hark_mention_get_str(rec, "created_at");

	/* A mapper may already have decided (feeds match author names). */
	if (!json_is_true(mf_get(rec, "author.is_brand")))
		hark_mention_set_brand(rec, ctx->brands, ctx->nbrands);
	/* A record with no parent starts its own thread. */
	if (json_is_null(mf_get(rec, "thread.parent_id")) &&
	    json_is_null(mf_get(rec, "thread.root_id")))
		hark_mention_set(rec, "thread.root_id",
		    json_incref(mf_get(rec, "id")));
	if (t == NULL) {
		const char *id = hark_mention_get_str(rec, "id");

		mf_page_warn(page, "item '%s': no usable creation time, "
		    "using the fetch time", id != NULL ? id : "?");
		hark_mention_set_time(rec, "created_at", ctx->fetched_at);
	} else if (page->newest == NULL || strcmp(t, page->newest) > 0) {
		/* RFC 3339 UTC in one fixed width sorts as a string. */
		free(page->newest);
		page->newest = hark_xstrdup(t);
	}
	json_array_append_new(page->records, rec);
}

int
mf_malformed(struct hark_err *err, const char *fmt, ...)
{
	va_list ap;
	char msg[HARK_ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hark_err_set(err, HARK_EXIT_DATA, "%s", msg);
}

int
mf_json_load(const char *body, size_t len, const char *what, json_t **out,
    struct hark_err *err)
{
	json_error_t je;
	char clean[160];

	*out = json_loadb(body != NULL ? body : "", len,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (*out == NULL) {
		hark_sanitize(clean, sizeof(clean), je.text, strlen(je.text));
		return mf_malformed(err, "malformed %s: invalid JSON at "
		    "line %d column %d: %s", what, je.line, je.column, clean);
	}
	return 0;
}

json_t *
mf_get(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (o != NULL && (dot = strchr(path, '.')) != NULL) {
		n = (size_t)(dot - path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return o != NULL ? json_object_get(o, path) : NULL;
}

const char *
mf_str(const json_t *o, const char *path)
{
	const char *s = json_string_value(mf_get(o, path));

	return s != NULL && *s != '\0' ? s : NULL;
}

int
mf_int(const json_t *o, const char *path, json_int_t *out)
{
	json_t *v = mf_get(o, path);

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);

		if (d >= -9.0e15 && d <= 9.0e15) {
			*out = (json_int_t)d;
			return 0;
		}
		return -1;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		long long l;

		errno = 0;
		l = strtoll(s, &end, 10);
		if (end != s && *end == '\0' && errno == 0) {
			*out = (json_int_t)l;
			return 0;
		}
	}
	return -1;
}

void
mf_set_int(json_t *rec, const char *rpath, const json_t *o,
    const char *path)
{
	json_int_t v;

	if (mf_int(o, path, &v) == 0)
		hark_mention_set_int(rec, rpath, v);
}

void
mf_set_time(json_t *rec, const char *rpath, const char *s,
    struct mf_page *page, const char *what)
{
	struct hark_err e = HARK_ERR_INIT;

	if (s == NULL || *s == '\0')
		return;
	if (hark_mention_set_time_str(rec, rpath, s, &e) == -1)
		mf_page_warn(page, "%s: %s", what, e.msg);
}

json_t *
mf_id(const char *source, const char *native)
{
	char *id = hark_mention_id(source, native);
	json_t *j;

	if (id == NULL)
		return json_null();
	j = json_string(id);
	free(id);
	/* An id that is not valid UTF-8 cannot be a key downstream. */
	return j != NULL ? j : json_null();
}

char *
mf_url_host(const char *url)
{
	const char *p, *end;

	if (url == NULL || (p = strstr(url, "://")) == NULL)
		return NULL;
	p += 3;
	end = p + strcspn(p, "/?#");
	/* Drop user info and port. */
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			p = q + 1;
	for (const char *q = p; q < end; q++)
		if (*q == ':') {
			end = q;
			break;
		}
	if (end == p)
		return NULL;
	return hark_xstrndup(p, (size_t)(end - p));
}

char *
mf_url_param(const char *url, const char *name)
{
	const char *q, *p, *end;
	size_t nlen = strlen(name);

	if (url == NULL || (q = strchr(url, '?')) == NULL)
		return NULL;
	for (p = q + 1; *p != '\0' && *p != '#'; p = *end == '&' ? end + 1 :
	    end) {
		end = p + strcspn(p, "&#");
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			const char *v = p + nlen + 1;
			char *out = hark_xmalloc((size_t)(end - v) + 1), *o = out;

			while (v < end) {
				int h, l;

				if (*v == '%' && end - v >= 3 &&
				    (h = hark_hexval((unsigned char)v[1])) >= 0 &&
				    (l = hark_hexval((unsigned char)v[2])) >= 0) {
					*o++ = (char)(h * 16 + l);
					v += 3;
				} else {
					*o++ = *v == '+' ? ' ' : *v;
					v++;
				}
			}
			*o = '\0';
			return out;
		}
		if (*end == '\0' || *end == '#')
			break;
	}
	return NULL;
}

const char *
mf_idstr(const json_t *o, const char *path, char buf[32])
{
	json_t *v = mf_get(o, path);

	if (json_is_integer(v)) {
		snprintf(buf, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	return mf_str(o, path);
}

int
mf_id_greater(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return la > lb;
	return strcmp(a, b) > 0;
}

void
mf_replace(char **slot, const char *s)
{
	free(*slot);
	*slot = s != NULL ? hark_xstrdup(s) : NULL;
}

/* === the request side: helpers of the drivers ======================= */

/* --- helpers ----------------------------------------------------------- */

char *
mf_url_join(const struct mf_source *s, const char *path)
{
	return hark_xasprintf("%s%s", s->base_url, path);
}

char *
mf_url_object(const struct mf_source *s, const char *id, const char *edge)
{
	char *e = hark_http_escape(id), *u;

	u = hark_xasprintf("%s/%s%s%s", s->base_url, e, edge ? "/" : "",
	    edge ? edge : "");
	free(e);
	return u;
}

/* GET URL as the thread of KEY (state key "thread:KEY"). */
void
mf_submit_thread(struct mf_source *s, const char *url, const char *key,
    int kind, const char *arg)
{
	char *st = hark_xasprintf("thread:%s", key);

	mf_submit(s, "GET", url, st, 1, kind, arg, NULL, NULL);
	free(st);
}

/* GET the base URL plus FMT (one %s: ID, URL-escaped) as ID's thread. */
void
mf_submit_thread_at(struct mf_source *s, const char *fmt, const char *id)
{
	char *e = hark_http_escape(id), *p = hark_xasprintf(fmt, e);
	char *u = mf_url_join(s, p);

	mf_submit_thread(s, u, id, MF_K_THREAD, id);
	free(u);
	free(p);
	free(e);
}

/* TMPL plus "&NAME=VALUE" as a new string. */
char *
mf_with_param(const char *tmpl, const char *name, const char *value)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);

	hark_buf_addstr(&b, tmpl);
	mf_param(&b, name, value);
	return hark_buf_detach(&b, NULL);
}

/* Start a paged stream at URL (also its template). */
void
mf_stream_start(struct mf_source *s, const char *stream, const char *url,
    int kind, const char *arg)
{
	struct mf_call *c = mf_call_new(s, "GET", url, stream, 1, kind);

	c->tmpl = hark_xstrdup(url);
	c->arg = arg ? hark_xstrdup(arg) : NULL;
	mf_call_submit(s, c);
}

/* Next page: the template with the cursor parameter NAME = CURSOR. */
void
mf_next_by_param(struct mf_source *s, struct mf_call *c, const char *name,
    const char *cursor, const struct mf_page *pg)
{
	char *url = NULL;

	if (cursor != NULL && *cursor != '\0')
		url = mf_with_param(c->tmpl ? c->tmpl : c->url, name, cursor);
	mf_next_page(s, c, url, pg);
	free(url);
}

const char *
mf_rstr(json_t *rec, const char *path)
{
	const char *dot = strchr(path, '.');
	char head[32];

	if (dot == NULL)
		return json_string_value(json_object_get(rec, path));
	snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
	return json_string_value(json_object_get(json_object_get(rec, head),
	    dot + 1));
}

json_int_t
mf_rnum(json_t *rec, const char *path)
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
int
mf_wants_thread(struct mf_source *s, json_t *rec)
{
	if (s->threads >= s->max_threads || mf_rnum(rec, "metrics.replies") <= 0)
		return 0;
	return json_is_true(json_object_get(json_object_get(rec, "author"),
	    "is_brand")) || hark_query_match(s->query, rec);
}

/* The driver's own per-run object (in S->scratch, created when missing;
 * borrowed). */
json_t *
mf_drv_data(struct mf_source *s)
{
	if (s->scratch == NULL)
		s->scratch = json_object();
	return s->scratch;
}

/* Member KEY of mf_drv_data() as an object (created; borrowed). */
json_t *
mf_drv_obj(struct mf_source *s, const char *key)
{
	json_t *o = json_object_get(mf_drv_data(s), key);

	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(mf_drv_data(s), key, o);
	}
	return o;
}

int
mf_need_token(struct mf_source *s, const char *what, struct hark_err *err)
{
	if (s->token != NULL)
		return 0;
	return hark_err_set(err, 2, "%s is required: set %s or %s_FILE, "
	    "or use --token-file", what, mf_secret_var(s, "TOKEN"),
	    mf_secret_var(s, "TOKEN"));
}

int
mf_need_conf(struct mf_source *s, const char *key, struct hark_err *err)
{
	if (mf_conf(s, key) != NULL)
		return 0;
	return hark_err_set(err, 2, "'%s' is required for type '%s'", key,
	    s->type);
}

/* The last entry of KEY in S's own section (keys that do not fall back
 * to [mention-fetch]), or NULL. */
const struct hark_config_entry *
mf_own_entry(const struct mf_source *s, const char *key)
{
	const struct hark_config_entry *e, *last = NULL;

	for (e = NULL; (e = hark_config_next(s->sec, key, e)) != NULL; )
		last = e;
	return last;
}

void
mf_default_base(struct mf_source *s, const char *url)
{
	if (s->base_url == NULL)
		s->base_url = hark_xstrdup(url);
}

/* Common 4xx handling: nothing special. */
void
mf_no_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	(void)c;
	(void)r;
	mf_fail(s, 1, "unexpected response");
}

/* --- records kept for an answer ---------------------------------------- */

/*
 * A driver's amend() may keep a record until an answer it needs arrives
 * (Mastodon: the thread's root; Bluesky: the author's follower count).
 * Kept records live in mf_drv_data() "kept" as {"rec": R, "stream": S}; the
 * stream S does not commit its cursor while it has kept records
 * (mf_keep_commit_later()), so a run killed in between fetches them again.
 */
void
mf_keep_add(struct mf_source *s, const struct mf_call *c, json_t *rec)
{
	json_t *kept = json_object_get(mf_drv_data(s), "kept");
	json_t *n = mf_drv_obj(s, "kept_n");

	if (kept == NULL) {
		kept = json_array();
		json_object_set_new(mf_drv_data(s), "kept", kept);
	}
	json_array_append_new(kept, json_pack("{s:O,s:s}", "rec", rec,
	    "stream", c->stream));
	json_object_set_new(n, c->stream, json_integer(json_integer_value(
	    json_object_get(n, c->stream)) + 1));
}

/* commit_later(): a stream with kept records waits. */
int
mf_keep_commit_later(struct mf_source *s, const char *stream)
{
	if (json_integer_value(json_object_get(mf_drv_obj(s, "kept_n"),
	    stream)) <= 0)
		return 0;
	json_object_set_new(mf_drv_obj(s, "kept_wait"), stream, json_true());
	return 1;
}

/*
 * Write the kept records READY (which completes them) lets go; with ALL
 * every one, completed as far as known.  Then the streams left without
 * kept records commit.
 */
void
mf_keep_release(struct mf_source *s, int (*ready)(struct mf_source *, json_t *,
    int), int all)
{
	json_t *kept = json_object_get(mf_drv_data(s), "kept"), *rest, *out;
	json_t *n = mf_drv_obj(s, "kept_n"), *wait = mf_drv_obj(s, "kept_wait");
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
	json_object_set_new(mf_drv_data(s), "kept", rest);
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

/* --- login cache ------------------------------------------------------- */

/*
 * Access tokens and sessions outlive a run: each source keeps its latest
 * login answer in <state>/mention-fetch/login-<source>.json (mode 0600,
 * written atomically; the whole run holds the suite's lock).  The object
 * holds the driver's members plus "for" (what the login was for: client
 * id, handle) and, for tokens with a lifetime, "expires_at" (epoch).
 * Every driver that logs in (Reddit, Google, Bluesky) goes through these.
 */

static char *
mf_login_path(struct mf_source *s)
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

/* The cached login of S made FOR, still valid (borrowed, in mf_drv_data),
 * or NULL. */
json_t *
mf_login_cached(struct mf_source *s, const char *for_what)
{
	struct hark_err err = HARK_ERR_INIT;
	json_t *j;
	json_int_t exp;
	char *path, *text;
	size_t len;

	if (s->run->no_state)
		return NULL;
	path = mf_login_path(s);
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
	    exp - MF_LOGIN_MARGIN <= (json_int_t)mf_now(s->run))) {
		json_decref(j);
		return NULL;
	}
	json_object_set_new(mf_drv_data(s), "login", j);
	return j;
}

/* Keep login answer J (borrowed) made FOR; EXPIRES_IN seconds or < 0. */
void
mf_login_save(struct mf_source *s, json_t *j, const char *for_what,
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
	json_object_set(mf_drv_data(s), "login", o);
	text = hark_json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	path = mf_login_path(s);
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
void
mf_login_drop(struct mf_source *s)
{
	char *path;

	json_object_del(mf_drv_data(s), "login");
	if (s->run->no_state)
		return;
	path = mf_login_path(s);
	if (unlink(path) < 0 && errno != ENOENT)
		hark_warn("source '%s': cannot remove '%s': %s", s->name,
		    path, strerror(errno));
	free(path);
}

/* Whether the bearer token in use came from the cache (not yet
 * refused). */
int
mf_login_from_cache(struct mf_source *s)
{
	return json_is_true(json_object_get(mf_drv_data(s), "cached"));
}

/*
 * What an OAuth token is for: "CLIENT_ID#HASH", HASH a digest of the
 * client's secret or grant (S->secret2), so a changed client or secret
 * does not reuse a token of the old one.  Borrowed, valid until the next
 * call.
 */
const char *
mf_oauth_for(struct mf_source *s)
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
int
mf_oauth_cached(struct mf_source *s, const char *for_what)
{
	json_t *j = mf_login_cached(s, for_what);
	const char *tok = json_string_value(json_object_get(j,
	    "access_token"));

	if (tok == NULL)
		return 0;
	mf_set_bearer(s, tok);
	json_object_set_new(mf_drv_data(s), "cached", json_true());
	return 1;
}

/*
 * A 401 for a request that carried a cached token: the token was revoked
 * or expired early.  Forget it, log in once more and re-submit C after
 * the login.  1 when handled.
 */
int
mf_oauth_refused(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, void (*login)(struct mf_source *))
{
	if (r->status != 401 || c->kind < 0)
		return 0;
	/* sent with the refused token before the new login: wait for it,
	 * or go again with the new token */
	if (s->logging_in && json_object_get(mf_drv_data(s), "refused")) {
		mf_park(s, c);
		return 1;
	}
	if (json_object_get(mf_drv_data(s), "relogged") != NULL) {
		mf_resubmit(s, c);
		return 1;
	}
	if (!mf_login_from_cache(s))
		return 0;
	json_object_set_new(mf_drv_data(s), "refused", json_true());
	mf_log(s->run, 1, "source '%s': the kept access token was refused; "
	    "logging in again", s->name);
	json_object_del(mf_drv_data(s), "cached");
	mf_login_drop(s);
	mf_park(s, c);
	if (!s->logging_in)
		login(s);
	return 1;
}

/* Token answers: {"access_token": ..., "expires_in": ...} */
/*
 * A login answer (OAuth token, Bluesky session): take the bearer token
 * from member FIELD and let the parked requests go, or fail the source
 * with WHAT.
 */
json_t *
mf_login_answer(struct mf_source *s, const struct hark_http_resp *r,
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
	json_object_del(mf_drv_data(s), "cached");
	if (json_object_get(mf_drv_data(s), "refused") != NULL)
		json_object_set_new(mf_drv_data(s), "relogged", json_true());
	json_object_set_new(mf_drv_data(s), "session_at", json_real(mf_clock()));
	return j;
}

/* OAuth token answers (Reddit, Google): kept until expires_in runs out
 * (without expires_in: not kept). */
void
mf_token_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j = mf_login_answer(s, r, "access_token",
	    "no access_token in the token response");
	json_int_t exp;

	(void)c;
	if (j == NULL)
		return;
	if (mf_int(j, "expires_in", &exp) == 0 && exp > MF_LOGIN_MARGIN) {
		json_t *keep = json_pack("{s:O}", "access_token",
		    json_object_get(j, "access_token"));

		mf_login_save(s, keep, mf_oauth_for(s), exp);
		json_decref(keep);
	}
	json_decref(j);
	mf_unpark(s, 1);
}

void
mf_brand_add(struct mf_source *s, const char *v)
{
	size_t i;
	char *b, *p;

	if (v == NULL || *v == '\0')
		return;
	b = hark_xstrdup(v);
	for (p = b; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	for (i = 0; i < s->nbrands; i++)
		if (strcmp(s->brands[i], b) == 0) {
			free(b);
			return;
		}
	s->brands = hark_xrealloc(s->brands, (s->nbrands + 1) *
	    sizeof(*s->brands));
	s->brands[s->nbrands++] = b;
}

/* --- the Meta Graph API ---------------------------------------------- */

int
mf_graph_setup(struct mf_source *s, const char *id_key, const char *what,
    struct hark_err *err)
{
	const char *v = mf_conf(s, "api_version");
	const char *p;

	mf_default_base(s, "https://graph.facebook.com");
	if (mf_need_conf(s, id_key, err) < 0 ||
	    mf_need_token(s, what, err) < 0)
		return -1;
	if (v == NULL)
		v = "v21.0";
	/* the version is part of every path: keep it in the base */
	p = strstr(s->base_url, "/v");
	if (p == NULL || p[2] < '0' || p[2] > '9') {
		char *b = hark_xasprintf("%s/%s", s->base_url, v);

		free(s->base_url);
		s->base_url = b;
	}
	mf_set_bearer(s, s->token);
	return 0;
}

long
mf_graph_error_code(const struct hark_http_resp *r)
{
	json_t *j = json_loadb(r->body != NULL ? r->body : "", r->len, 0,
	    NULL);
	long code = (long)json_integer_value(mf_get(j, "error.code"));

	json_decref(j);
	return code;
}

int
mf_graph_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	(void)c;
	if (mf_graph_error_code(r) != 190)
		return 0;
	/* said once; every other call of the source fails the same way */
	if (json_is_true(json_object_get(mf_drv_data(s), "token_refused"))) {
		s->nfail++;
		return 2;
	}
	json_object_set_new(mf_drv_data(s), "token_refused", json_true());
	mf_fail(s, 1, "the access token was refused (Graph error 190: "
	    "expired or revoked): set a new one in %s",
	    mf_secret_var(s, "TOKEN"));
	return 2;
}

enum hark_http_verdict
mf_graph_classify(const struct hark_http_resp *r, double *wait)
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

int
mf_graph_body_error(const json_t *root, const char *api,
    struct hark_err *err)
{
	const char *m;
	json_int_t code = 0;
	char clean[200];

	if (!json_is_object(json_object_get(root, "error")))
		return 0;
	m = mf_str(root, "error.message");
	mf_int(root, "error.code", &code);
	hark_sanitize(clean, sizeof(clean), m != NULL ? m : "?",
	    m != NULL ? strlen(m) : 1);
	return mf_malformed(err, "%s API error (code %lld): %s", api,
	    (long long)code, clean);
}

/* The object id of a ".../<object-id>/<EDGE>" URL: new string or NULL. */
char *
mf_graph_edge_object(const char *url, const char *edge)
{
	const char *p, *end;
	size_t n, e = strlen(edge);

	if (url == NULL)
		return NULL;
	n = strcspn(url, "?#");
	while (n > 0 && url[n - 1] == '/')
		n--;
	if (n < e + 2 || memcmp(url + n - e, edge, e) != 0 ||
	    url[n - e - 1] != '/')
		return NULL;
	end = url + n - e - 1;
	for (p = end; p > url && p[-1] != '/'; p--)
		;
	return end > p ? hark_xstrndup(p, (size_t)(end - p)) : NULL;
}
