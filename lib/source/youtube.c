/*
 * youtube.c - YouTube Data API v3 commentThreads.list (with replies)
 * and comments.list (replies of one thread) to records.
 */
#include <strings.h>
#include <jansson.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "html.h"
#include "mention.h"
#include "tz.h"
#include "source.h"
#include "write.h"
#include "json.h"

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

static int
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

/* --- the request side ------------------------------------------------ */

static int
youtube_setup(struct mf_source *s, struct hark_err *err)
{
	mf_default_base(s, "https://www.googleapis.com/youtube/v3");
	if (mf_conf(s, "channel_id") == NULL &&
	    hark_config_get(s->sec, "video_id") == NULL)
		return hark_err_set(err, 2, "'channel_id' or 'video_id' is "
		    "required for type 'youtube'");
	return mf_need_token(s, "an API key", err);
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
		struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
		char *u, *st;

		if (ch == NULL && (e = hark_config_next(s->sec, "video_id",
		    e)) == NULL)
			break;
		u = mf_url_join(s, "/commentThreads");
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
		mf_stream_start(s, st, u, MF_K_PAGE, NULL);
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
	json_t *st, *counts = json_object_get(mf_drv_data(s), "yt_counts");

	if (counts == NULL) {
		st = json_object_get(json_object_get(json_object_get(s->state0,
		    "streams"), "reply_counts"), "counts");
		counts = json_is_object(st) ? json_deep_copy(st) :
		    json_object();
		json_object_set_new(mf_drv_data(s), "yt_counts", counts);
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
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char lim[32], *u, *arg;

	snprintf(lim, sizeof(lim), "%ld", HARK_MIN(s->page_size, 100L));
	s->threads++;
	u = mf_url_join(s, "/comments");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "part", "snippet");
	mf_param(&b, "parentId", thread);
	mf_param(&b, "maxResults", lim);
	mf_param(&b, "textFormat", "html");
	mf_param(&b, "key", s->token);
	u = hark_buf_detach(&b, NULL);
	arg = hark_xasprintf("%lld %s", (long long)total, thread);
	mf_stream_start(s, "replies", u, MF_K_REPLIES, arg);
	free(arg);
	free(u);
}

/* Threads seen before: has any of them grown?  (commentThreads?id=) */
static void
yt_recheck(struct mf_source *s)
{
	struct hark_buf ids = HARK_BUF_INIT(MF_URL_MAX);
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
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
	u = mf_url_join(s, "/commentThreads");
	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "part", "snippet");
	mf_param(&b, "id", hark_buf_str(&ids));
	mf_param(&b, "maxResults", "50");
	mf_param(&b, "textFormat", "html");
	mf_param(&b, "key", s->token);
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, "thread:recheck", u, K_RECHECK, NULL);
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
	if (c->kind == MF_K_REPLIES) {
		char *end;
		long long total = strtoll(c->arg, &end, 10);

		/* all replies read: the thread's count may be stored */
		if (pg->next == NULL && *end == ' ')
			yt_count_set(s, end + 1, (long)total);
	}
	if (c->kind == MF_K_PAGE || c->kind == K_RECHECK) {
		json_array_foreach(pg->records, i, rec) {
			const char *id = mf_rstr(rec, "id");
			const char *nid = mf_rstr(rec, "native_id");
			json_int_t total = mf_rnum(rec, "metrics.replies");
			long have = 0, known;

			if (id == NULL || nid == NULL ||
			    mf_rstr(rec, "thread.parent_id") != NULL || total < 0)
				continue;
			known = yt_count_get(s, nid);
			json_array_foreach(pg->records, j, o) {
				const char *root = mf_rstr(o, "thread.root_id");

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
	mf_next_by_param(s, c, "pageToken", pg->next, pg);
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

/* --- the driver ------------------------------------------------------ */

static const char *const youtube_keys[] = { "video_id", NULL };
static const char *const youtube_shared[] = { "channel_id", NULL };

/* --- the write side (reply-send) ------------------------------------- */

/*
 * comments.insert: POST /comments?part=snippet with snippet.parentId (the
 * thread's top-level comment: a reply's id is "<thread>.<suffix>") and
 * snippet.textOriginal, with an OAuth access token of the channel (the
 * read side's API key cannot post).  YouTube has no private messages.
 */
static char *
yt_top(const char *id)
{
	const char *dot = strchr(id, '.');

	return dot ? hark_xstrndup(id, (size_t)(dot - id)) : hark_xstrdup(id);
}

static char *
yt_bearer(struct mf_source *s)
{
	return hark_xasprintf("Authorization: Bearer %s", s->token);
}

static int
yt_post_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	char *top = yt_top(w->native_id), *u, *body, *h;
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	json_t *o;

	(void)err;
	u = mf_url_join(s, "/comments");
	hark_buf_addstr(&b, u);
	mf_param(&b, "part", "snippet");
	free(u);
	u = hark_buf_detach(&b, NULL);
	o = json_pack("{s:{s:s, s:s}}", "snippet", "parentId", top,
	    "textOriginal", w->text);
	body = hark_json_dumps(o, JSON_COMPACT);
	h = yt_bearer(s);
	mf_write_submit(s, w, "POST", u, MF_K_WRITE, "application/json", body,
	    h);
	json_decref(o);
	free(body);
	free(u);
	free(h);
	free(top);
	return 0;
}

static int
yt_find_reply(struct mf_source *s, const struct mf_write *w,
    struct hark_err *err)
{
	char *top = yt_top(w->native_id), *u, *h;
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);

	(void)err;
	u = mf_url_join(s, "/comments");
	hark_buf_addstr(&b, u);
	mf_param(&b, "part", "snippet");
	mf_param(&b, "parentId", top);
	mf_param(&b, "maxResults", "100");
	mf_param(&b, "textFormat", "plainText");
	free(u);
	u = hark_buf_detach(&b, NULL);
	h = yt_bearer(s);
	mf_write_submit(s, w, "GET", u, MF_K_READBACK, NULL, NULL, h);
	free(u);
	free(h);
	free(top);
	return 0;
}

static void
yt_written(struct mf_source *s, struct mf_call *c, const json_t *cm)
{
	struct mf_written w;

	memset(&w, 0, sizeof(w));
	w.key = c->arg;
	w.found = 1;
	w.native_id = mf_str(cm, "id");
	w.created_at = mf_str(cm, "snippet.publishedAt");
	w.author_id = mf_str(cm, "snippet.authorChannelId.value");
	w.author_name = mf_str(cm, "snippet.authorDisplayName");
	mf_write_done(s, &w);
}

static void
yt_write_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	json_t *j, *items;
	const char *text;
	size_t i, k;

	if (!MF_K_IS_WRITE(c->kind)) {
		mf_no_special(s, c, r);
		return;
	}
	j = mf_write_json(r);
	if (c->kind == MF_K_WRITE) {
		if (mf_str(j, "id") == NULL)
			mf_write_failed(s, c->arg, "the answer is not a "
			    "comment", 1, 0);
		else
			yt_written(s, c, j);
		json_decref(j);
		return;
	}
	/* replies of one thread answer no one in particular: the brand's
	 * reply with this text is ours */
	text = json_string_value(json_object_get(mf_write_memo(s, c->arg),
	    "text"));
	items = json_object_get(j, "items");
	for (i = 0; i < json_array_size(items); i++) {
		json_t *cm = json_array_get(items, i);
		const char *ch = mf_str(cm, "snippet.authorChannelId.value");
		const char *t = mf_str(cm, "snippet.textOriginal");

		if (t == NULL)
			t = mf_str(cm, "snippet.textDisplay");
		for (k = 0; ch && k < s->nbrands; k++)
			if (strcasecmp(ch, s->brands[k]) == 0 && t && text &&
			    strcmp(t, text) == 0) {
				yt_written(s, c, cm);
				json_decref(j);
				return;
			}
	}
	mf_write_found(s, c, NULL);
	json_decref(j);
}

const struct mf_driver mf_driver_youtube = {
	.type = "youtube", .map = mf_map_youtube, .setup = youtube_setup,
	.start = youtube_start, .special = yt_write_special,
	.after_page = youtube_after, .classify = youtube_classify,
	.query_style = HARK_QUERY_TERMS, .keys = youtube_keys,
	.shared_keys = youtube_shared,
	.post_reply = yt_post_reply, .find_reply = yt_find_reply,
};
