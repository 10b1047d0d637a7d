/*
 * source.h - the sources of mentions and messages: one driver per source
 * type, the table of drivers, and the engine that runs them.
 *
 * lib/source/ holds everything about every source so that each command
 * that reads (mention-fetch) or writes (reply-send) links the same code:
 *
 *   <name>.c	ONE file per source: its endpoints, auth and logins, paging,
 *		rate-limit rules, the mapper from a response body to records
 *		(mf_map_<name>()), and its struct mf_driver (later also the
 *		write side).  Nothing else knows about that API.
 *   source.c	the table of drivers (mf_driver_find(), mf_driver_types()).
 *   common.c	helpers shared by the drivers: the mappers' record helpers
 *		and the request side's (streams, threads, kept records, the
 *		login cache, OAuth refresh).
 *   engine.c	the run: calls on one hark_http multi handle, pages to
 *		records, the query and dedup filters, output, per-stream state
 *		commits, the archive.
 *   secrets.c	a source's secrets and their environment variables.
 *
 * Adding a source is one new file <name>.c defining
 * "const struct mf_driver mf_driver_<name>", one row in the table of
 * source.c, fixtures and tests (docs/DESIGN.md, "Where to add things").
 *
 * One run drives every selected source at once through one hark_http
 * engine.  A source is a set of streams (search results, the brand's own
 * replies, threads, comments); each stream is a chain of calls, one page
 * after another, so a source never has two pages of one stream in flight
 * while different sources proceed concurrently.  All callbacks run in the
 * main thread.
 *
 * Unlike the rest of lib/, the engine reports per-source problems itself
 * (hark_warn(), mf_log(), mf_fail(): "source 'NAME': ..."), because it
 * runs whole on behalf of the command; configuration and setup errors are
 * still returned in a struct hark_err.  The "mf_" prefix is historical
 * (these files were mention-fetch's).
 */
#ifndef HARK_SOURCE_H
#define HARK_SOURCE_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "buf.h"
#include "config.h"
#include "htime.h"
#include "http.h"
#include "io.h"
#include "opt.h"
#include "query.h"

/* ===== the response side: mappers ==================================== */

/*
 * Turning one response body of a source into records (hark-records(5),
 * schema v1).  One mf_map_<type>() per source, in <type>.c; mappers never
 * touch the network, the clock or global state, so they are unit-tested
 * on canned bodies (tests/unit/test-map.c).
 */
struct mf_map_ctx {
	const char *source;		/* config section name ("acme-x") */
	const char *type;		/* "rss", "reddit", "x", ... */
	const char *base_url;		/* the source's base URL (borrowed) */
	const char *request_url;	/* URL this body answered (borrowed) */
	const char *content_type;	/* response Content-Type or NULL */
	const char *query;		/* query/monitor name for .query, or NULL */
	const char *const *brands;	/* brand account handles/ids, folded to
					 * lower case, without '@' */
	size_t nbrands;
	hark_time_t fetched_at;
	int raw;			/* --raw: add the untouched item as .raw */
};

struct mf_page {
	json_t *records;	/* array (borrowed): the mapper appends records */
	char *next;		/* NEW string: cursor/URL of the next page, or
				 * NULL when this was the last page */
	char *newest;		/* NEW string: newest id or time on the page
				 * (the source's own incremental cursor), or
				 * NULL */
	json_t *extra;		/* NEW object or NULL: anything else the
				 * fetcher needs (e.g. X includes.users);
				 * "malformed": a broken body whose records
				 * were recovered (the reason) */
};

/*
 * Each mapper parses BODY (LEN bytes), appends one record per item to
 * PAGE->records in the source's order, and fills next/newest.  A body
 * that is not in the documented shape returns -1 with err->code 3 and a
 * short reason ("malformed Reddit listing: 'data.children' missing").
 */
typedef int mf_map_fn(const char *body, size_t len,
    const struct mf_map_ctx *ctx, struct mf_page *page,
    struct hark_err *err);

/* Each <type>.c keeps its mapper static (mf_map_<type>()) and reaches
 * the engine and the tests through its driver's map member. */

/*
 * Helpers shared by the mappers (common.c).  Conventions every mapper
 * follows (docs/hark-records-mention.md):
 *  - page->newest is an id for sources that page by id (X: meta.newest_id,
 *    Mastodon: the largest status id) and otherwise the newest created_at
 *    on the page as "YYYY-MM-DDTHH:MM:SSZ";
 *  - an item that cannot be used (no id) is skipped and an item with a
 *    bad time gets created_at = fetched_at; both add a line to
 *    page->extra "warnings" (array of strings) for the fetcher to print;
 *  - with ctx->raw the untouched item is added as .raw.
 */

/* A new record for SOURCE ("rss", "x", ...) with ctx's query and
 * fetched_at (new reference). */
json_t *mf_record_new(const struct mf_map_ctx *ctx, const char *source);
/* Set author.is_brand, fill a null created_at from fetched_at, track
 * page->newest (time sources) and append REC (stolen) to page->records. */
void mf_page_add(struct mf_page *page, const struct mf_map_ctx *ctx,
    json_t *rec);
/* Append a formatted line to page->extra.warnings. */
void mf_page_warn(struct mf_page *page, const char *fmt, ...)
    HARK_PRINTF(2, 3);
/* Set page->extra[KEY] = VALUE (stolen). */
void mf_page_extra(struct mf_page *page, const char *key, json_t *value);
/* Parse BODY as JSON into *OUT (new reference); -1 with err->code 3
 * "malformed WHAT: invalid JSON: ..." otherwise. */
int mf_json_load(const char *body, size_t len, const char *what,
    json_t **out, struct hark_err *err);
/* err->code 3 and the message; returns -1. */
int mf_malformed(struct hark_err *err, const char *fmt, ...)
    HARK_PRINTF(2, 3);
/* Member at a dotted PATH ("public_metrics.like_count"), borrowed or NULL. */
json_t *mf_get(const json_t *o, const char *path);
/* String at PATH, borrowed, or NULL (not a string / missing / ""). */
const char *mf_str(const json_t *o, const char *path);
/* Integer at PATH (JSON integer, integral real or decimal string):
 * 0 and *OUT set, or -1. */
int mf_int(const json_t *o, const char *path, json_int_t *out);
/* Copy integer at PATH into record member RPATH when present. */
void mf_set_int(json_t *rec, const char *rpath, const json_t *o,
    const char *path);
/* Set record time member RPATH from S; a bad S adds a warning naming
 * WHAT and leaves the member null. */
void mf_set_time(json_t *rec, const char *rpath, const char *s,
    struct mf_page *page, const char *what);
/* The id "<SOURCE>:<NATIVE>" as a json string, or null when NATIVE is
 * NULL/empty (new reference). */
json_t *mf_id(const char *source, const char *native);
/* The value at PATH as an id string: a JSON string as is, a JSON
 * integer in decimal (into BUF); NULL when absent or empty.  Borrowed
 * (from O or BUF). */
const char *mf_idstr(const json_t *o, const char *path, char buf[32]);
/* Non-zero when decimal id A is greater than B (longer is greater). */
int mf_id_greater(const char *a, const char *b);
/* Replace *SLOT (freed) by a copy of S (NULL allowed). */
void mf_replace(char **slot, const char *s);
/* Host of URL ("mastodon.social") as a new string, or NULL. */
char *mf_url_host(const char *url);
/* Value of query parameter NAME in URL, percent-decoded ('+' = ' '), as a
 * new string, or NULL when absent. */
char *mf_url_param(const char *url, const char *name);

/* Release what a page owns (not the records array). */
struct mf_source;
void mf_page_release(struct mf_page *page);
/* Free source S and everything it owns (NULL members are fine). */
void mf_source_free(struct mf_source *s);

/* ===== the request side: drivers and the engine ===================== */

struct mf_run;
struct mf_source;

/* The longest URL a driver builds. */
#define MF_URL_MAX	(64u * 1024)
/* A cached token this close (seconds) to its expiry is not used. */
#define MF_LOGIN_MARGIN	300

/*
 * Call kinds (struct mf_call.kind).  The engine knows two things about
 * them: a kind < 0 goes without the source's credentials (logins,
 * lookups), and MF_K_LOGIN calls may carry Basic auth in arg and bypass
 * the concurrency limit; a record from a call of kind MF_K_PAGE must
 * match the query (unless it is the brand's), while records from calls of
 * any other kind are thread members and pass.  Drivers number their own
 * kinds from 3 up (or below -1 for calls without credentials).
 */
enum {
	MF_K_PAGE = 0,		/* a page of a stream */
	MF_K_THREAD = 1,	/* a thread / comments of one item */
	MF_K_REPLIES = 2,	/* more replies of one thread */
	MF_K_LOGIN = -1		/* login / token: handled by special() */
};

/* One request of a source, the udata of its hark_http_req. */
struct mf_call {
	struct mf_source *src;
	char *stream;		/* state key: "search", "brand:acme" */
	int page;		/* 1 for the stream's first page */
	int kind;		/* the driver's request kind */
	char *arg;		/* the driver's argument (post id, uri) */
	int relogin;		/* already retried after a (re)login */
	int reached;		/* page went past watermark or --since */
	int foreign;		/* URL from a response, on another origin
				 * than the stream's: no credentials */
	char *method;		/* for a re-submission after login */
	char *url;
	char *body;
	char *ctype;
	char *headers;		/* extra headers, '\n'-separated */
	char *tmpl;		/* stream's first URL; pages add cursors */
	struct mf_call *qnext;	/* in the source's queue */
	int once;		/* never sent twice (a post: a timeout after
				 * sending or a 5xx is final) */
	/* When set, the answer goes here instead of to the driver's
	 * after_page (reply-send's calls: write.c sets it); returns 1 when
	 * C was kept for a re-submission. */
	int (*answer)(struct mf_source *s, struct mf_call *c,
	    const struct hark_http_resp *r);
};

/*
 * The write side (reply-send): what to post.  Filled by the command from
 * the record being answered; every member is borrowed.
 */
struct mf_write {
	const char *record_id;	/* .id of the record answered ("x:123") */
	const char *native_id;	/* its .native_id (the platform's id) */
	const char *thread;	/* its .thread (conversation) or NULL */
	const char *recipient;	/* private: the platform's id of the person
				 * (or conversation) to write to, or NULL
				 * to take it from the record */
	const char *text;	/* the reply, UTF-8 */
	const char *key;	/* idempotency key (stable across retries)
				 * or NULL */
	const char *recipient_handle;	/* the author's handle (Mastodon
				 * mentions, Reddit messages), or NULL */
};

/*
 * A driver: everything the engine needs to know about one source type.
 * Only type, map, start and special are required; any other member may
 * be NULL.
 */
struct mf_driver {
	const char *type;	/* config "type" value */
	mf_map_fn *map;
	/* How the query is rendered for the API's search ('search' unset):
	 * set it in every driver (0 is HARK_QUERY_BOOLEAN). */
	enum hark_query_style query_style;
	/* The driver's own configuration keys (NULL-terminated lists, or
	 * NULL): KEYS are read from the source's section only, SHARED_KEYS
	 * from it, else [mention-fetch], else [defaults] (mf_conf()).  Keys
	 * every source reads are the command's. */
	const char *const *keys;
	const char *const *shared_keys;
	/*
	 * Secrets, by the suffix of their variable
	 * (HARK_MENTION_FETCH_<NAME>_<SUFFIX>).  S->token is always TOKEN.
	 * file_secret(): the secret that --token-file / token_file supplies
	 * when it is not TOKEN (it goes into S->secret2; Bluesky's
	 * PASSWORD), NULL or a NULL hook for TOKEN.  secret2: a second
	 * secret read from its variable into S->secret2 (Google's
	 * REFRESH_TOKEN), or NULL.
	 */
	const char *(*file_secret)(const struct mf_source *s);
	const char *secret2;
	/* Check config and secrets; -1 with ERR (code 2: config). */
	int (*setup)(struct mf_source *s, struct hark_err *err);
	/* Submit the first calls. */
	void (*start)(struct mf_source *s);
	/* An HTTP status >= 400 arrived: return 1 when the driver keeps
	 * the call (e.g. a login was started and the call will be
	 * re-submitted), 2 when it reported the error itself (mf_fail(),
	 * or a warning for a call it may skip) and the call ends, 0 for
	 * the engine's handling. */
	int (*http_error)(struct mf_source *s, struct mf_call *c,
	    const struct hark_http_resp *r);
	/* A non-JSON-records response (login, token): handle the body. */
	void (*special)(struct mf_source *s, struct mf_call *c,
	    const struct hark_http_resp *r);
	/* After a page's records were handled: submit follow-ups (the next
	 * page via mf_next_page(), threads, replies). */
	void (*after_page)(struct mf_source *s, struct mf_call *c,
	    const struct hark_http_resp *r, struct mf_page *pg);
	hark_http_classify_fn *classify;
	int late_items;		/* items may appear late with older dates */
	/* A record that passed every filter and is about to be written:
	 * complete it in place and return 0, or keep it (a new reference)
	 * until an answer it needs arrives and return 1; kept records are
	 * written with mf_emit().  May be NULL. */
	int (*amend)(struct mf_source *s, struct mf_call *c, json_t *rec);
	/* The source has no call left: write what amend() still keeps.
	 * May be NULL. */
	void (*finish)(struct mf_source *s);
	/* Non-zero while amend() keeps records of STREAM: its state is not
	 * committed yet, and the driver calls mf_stream_done() again once
	 * they are written.  May be NULL. */
	int (*commit_later)(struct mf_source *s, const char *stream);

	/*
	 * The write side, for reply-send; NULL when the source cannot (or
	 * does not yet) write.  Each submits, through the engine
	 * (mf_submit()/mf_call_new() with a kind of the driver's own), the
	 * call(s) that post W and returns 0, or returns -1 with ERR when W
	 * cannot be posted on this source (code 2: configuration, code 3:
	 * the record lacks what the platform needs, e.g. no recipient).
	 * The platform's answer arrives in special() like any call of a
	 * driver kind; HTTP errors and retries are the engine's as for
	 * reads.
	 *  - post_reply: a public answer under the record (a comment reply,
	 *    a post in reply to it).
	 *  - send_private: a private message to the record's author or into
	 *    the record's private conversation (W->thread).
	 */
	int (*post_reply)(struct mf_source *s, const struct mf_write *w,
	    struct hark_err *err);
	int (*send_private)(struct mf_source *s, const struct mf_write *w,
	    struct hark_err *err);
	/*
	 * Read the thread of W's record back (calls of kind MF_K_READBACK,
	 * write.h) to find whether the brand already answered it with W's
	 * text: an earlier run's post whose answer was lost.  Reports with
	 * mf_write_done() (found 0 or 1).  NULL when the API cannot.
	 */
	int (*find_reply)(struct mf_source *s, const struct mf_write *w,
	    struct hark_err *err);
};

struct mf_source {
	struct mf_run *run;
	char *name;			/* config section name */
	char *type;			/* config type as written */
	const struct mf_driver *drv;
	const struct hark_config_section *sec;
	char *base_url;			/* no trailing '/' */
	char *url;			/* feeds: the feed URL */
	char *query_src;
	struct hark_query *query;
	char *native;			/* the query in the API's syntax */
	int native_any;			/* TERMS rendering is any-of */
	char *monitor;			/* the records' "query" */
	char **brands;
	size_t nbrands;
	char **xauthors;		/* excluded authors (lower case) */
	size_t nxauthors;
	char **xdomains;		/* excluded domains */
	size_t nxdomains;
	long max_pages;
	long limit;			/* records per run, 0 = no limit */
	long page_size;
	long max_threads;		/* thread/comment fetches per run */
	long threads;
	long comment_window;		/* Facebook: posts re-read, seconds */
	int notifications;		/* Mastodon: read mentions */
	char *token;			/* the primary secret */
	char *secret2;			/* a second secret (driver) */
	char *secret3;			/* cache of mf_source_secret() */
	char *auth;			/* "Authorization: ..." or NULL */
	char *userpwd;			/* Basic "user:pass" or NULL */
	int logging_in;			/* a login call is in flight */
	struct mf_call **parked;	/* calls waiting for the login */
	size_t nparked;
	json_t *state;			/* {"streams": {NAME: {...}}} */
	json_t *state0;			/* the state the run found */
	json_t *scratch;		/* the driver's own (owned) */
	json_t *pending;		/* per stream: updates to commit */
	int dirty;			/* state changed since written */
	int inflight;			/* calls submitted, not yet done */
	long max_inflight;		/* "concurrency" */
	struct mf_call *qhead, *qtail;	/* calls waiting for a slot */
	int status;			/* merged exit status */
	int nfail;			/* failures reported */
	int halted;			/* rate limit gone: no new calls */
	int finished;
	int limited;			/* hit the record limit */
	long records, dups, unmatched, old, warnings, requests, pages;
	double pause_until;		/* mf_clock(): rate limit reset */
	double started;
};

struct mf_run {
	struct hark_common *common;
	struct hark_config cfg;
	char *cfg_dir;			/* directory of the config file */
	struct hark_http *http;
	struct hark_output out;
	struct mf_source **src;
	size_t nsrc;
	char *state_dir;		/* <state>/mention-fetch */
	int no_state;
	char *archive_dir;
	long archive_seq;
	hark_time_t now;
	hark_time_t since;		/* --since, or -1 */
	long overlap;			/* seconds of watermark overlap */
	double max_wait;		/* --max-wait */
	long dedup_window;		/* seconds */
	long dedup_max;
	json_t *seen;			/* {id: epoch} within the window */
	int seen_fd;			/* the append journal, or -1 */
	struct hark_buf seen_pending;	/* journal lines of the page */
	int journal_failed;		/* a journal write failed (reported) */
	int out_checked;		/* output's last line looked at */
	int out_pipe;			/* standard output is a pipe/socket */
	int defer_commit;		/* -o FILE: commit at the very end */
	int raw;
	int progress;
	int tty;
	double last_progress;
	int status;
	long records, requests;
	double t0;
};

/* engine.c */
double mf_clock(void);
/* Log a message (already redacted) at verbosity LEVEL. */
void mf_log(struct mf_run *run, int level, const char *fmt, ...)
    HARK_PRINTF(3, 4);
/* Source-level error: prints "source 'NAME': MSG" and merges STATUS. */
void mf_fail(struct mf_source *s, int status, const char *fmt, ...)
    HARK_PRINTF(3, 4);
/*
 * Submit a call of S: METHOD URL (copied) for STREAM, page PAGE, with the
 * source's Authorization header.  BODY/CTYPE for POSTs (may be NULL).
 * Returns the call (owned by the engine).
 */
struct mf_call *mf_submit(struct mf_source *s, const char *method,
    const char *url, const char *stream, int page, int kind, const char *arg,
    const char *ctype, const char *body);
/* A call not yet submitted (set arg, headers, body, tmpl, then submit). */
struct mf_call *mf_call_new(struct mf_source *s, const char *method,
    const char *url, const char *stream, int page, int kind);
void mf_call_submit(struct mf_source *s, struct mf_call *c);
/* Re-submit C (after a login): same URL, new auth. */
void mf_resubmit(struct mf_source *s, struct mf_call *c);
/* Park C until a login finishes; mf_unpark() re-submits (or fails) all. */
void mf_park(struct mf_source *s, struct mf_call *c);
void mf_unpark(struct mf_source *s, int ok);
/* The stream's committed state object (created when missing). */
json_t *mf_stream(struct mf_source *s, const char *stream);
/* The stream's pending (uncommitted) object. */
json_t *mf_stream_pending(struct mf_source *s, const char *stream);
/* Committed string value KEY of STREAM or NULL (borrowed). */
const char *mf_state_get(struct mf_source *s, const char *stream,
    const char *key);
/* The stream ended well: move its pending values into the state. */
void mf_stream_done(struct mf_source *s, const char *stream);
/*
 * Follow C's stream to the next page: URL (NULL: the stream is done)
 * unless the page limit or the watermark stops it.  Returns 1 when a
 * call was submitted.  URL may be taken from the response as is (a feed's
 * rel="next", a Link header, Graph's paging.next): when its scheme, host
 * or port differ from C's, the page and the rest of the stream go
 * without the source's credentials (headers, user:password, bearer token,
 * secret query parameters), with a warning.  Every call's URL must be
 * http or https unless it is the configured 'url' (mf_call_submit()).
 */
int mf_next_page(struct mf_source *s, struct mf_call *c, const char *url,
    const struct mf_page *pg);
/* Write the records of RECS (borrowed array) that were not written yet,
 * within the record limit, and flush them: amend()'s kept records. */
void mf_emit(struct mf_source *s, json_t *recs);
/* Whether this run ignores watermarks/validators (--since). */
int mf_backfill(const struct mf_source *s);
/* The watermark time of STREAM, or -1. */
hark_time_t mf_watermark(struct mf_source *s, const char *stream);
/* Now in epoch seconds ($HARK_NOW honoured). */
hark_time_t mf_now(struct mf_run *run);
/* The seconds of a RFC 3339 string or -1. */
hark_time_t mf_time(const char *s);
/* Append "&name=escaped(value)" (or '?' when URL has none) to B. */
void mf_param(struct hark_buf *b, const char *name, const char *value);
/* "Authorization: Bearer TOKEN" into S->auth. */
void mf_set_bearer(struct mf_source *s, const char *token);
/* A short reason from an error body (JSON message fields), sanitised. */
void mf_body_reason(const struct hark_http_resp *r, char *out, size_t n);
/* The last entry of KEY in the unnamed sections of TYPE ("mention-fetch",
 * "defaults") of CFG, or NULL; borrowed. */
const struct hark_config_entry *mf_conf_last(const struct hark_config *cfg,
    const char *type, const char *key);
/* The entry of KEY for S: the last in its section, else in
 * [mention-fetch], else in [defaults]; borrowed or NULL. */
const struct hark_config_entry *mf_conf_entry(const struct mf_source *s,
    const char *key);
/* Its value (borrowed) or NULL. */
const char *mf_conf(const struct mf_source *s, const char *key);
/* A configuration problem of S at LINE (and column COL when > 0):
 * prints "FILE:LINE:COL: source 'NAME': MSG" and merges status 2. */
void mf_conf_fail(struct mf_source *s, long line, long col, const char *fmt,
    ...) HARK_PRINTF(4, 5);
/*
 * Typed values of KEY for S, DEF when unset.  A bad or out-of-range value
 * is reported with mf_conf_fail() ("KEY: why") and DEF returned; the
 * source then does not run.  Durations take hark_config_duration() forms
 * ("90s", "15m", "4h", "2d", "1w", "1h30m") and MIN/MAX are seconds.
 */
long mf_conf_long(struct mf_source *s, const char *key, long def, long min,
    long max);
long mf_conf_duration(struct mf_source *s, const char *key, long def,
    long min, long max);
int mf_conf_bool(struct mf_source *s, const char *key, int def);
/*
 * Parse the duration V into *OUT seconds: hark_config_duration() forms
 * and, when FRAC, also decimal seconds and units ("0.5", "0.25s",
 * "250ms", "1.5h").  Out of [MIN, MAX] is an error.  0, or -1 with ERR
 * (code 2).
 */
int mf_parse_duration(const char *v, int frac, double min, double max,
    double *out, struct hark_err *err);
/* Parse the size V into *OUT bytes: digits with an optional suffix k, M
 * or G (any case; binary: 1k = 1024) within [MIN, MAX].  0, or -1 with
 * ERR (code 2). */
int mf_parse_size(const char *v, size_t min, size_t max, size_t *out,
    struct hark_err *err);

void mf_http_logger(struct mf_run *run, struct hark_http_opts *o);
void mf_engine_start(struct mf_run *run);
int mf_engine_finish(struct mf_run *run);
int mf_state_open(struct mf_run *run, struct hark_err *err);
void mf_state_load_source(struct mf_source *s);
void mf_state_close(struct mf_run *run);

/* secrets.c */
/* The environment variable holding secret SUFFIX ("TOKEN") of S:
 * HARK_MENTION_FETCH_<NAME>_<SUFFIX> (borrowed, valid for 4 calls). */
const char *mf_secret_var(const struct mf_source *s, const char *suffix);
/* Secret SUFFIX of S from the environment (cached; borrowed) or NULL. */
const char *mf_source_secret(struct mf_source *s, const char *suffix);
/* Secret SUFFIX of S from its variable, VAR_FILE or FILE (when not NULL):
 * new (free with hark_secret_free()), or NULL when unset or on an error
 * (reported with mf_fail()).  Warnings (file mode) are printed. */
char *mf_secret_get(struct mf_source *s, const char *suffix,
    const char *file);

/* source.c: the table */
/* The driver of config type TYPE, or NULL. */
const struct mf_driver *mf_driver_find(const char *type);
/* Every type name in table order, for --help and errors:
 * "rss, atom, ..." (static storage). */
const char *mf_driver_types(void);
/* The table itself: *N rows (for tests that walk every driver). */
const struct mf_driver *const *mf_driver_table(size_t *n);

/*
 * common.c: helpers of the drivers' request side.  Every request still
 * goes through mf_submit()/mf_call_submit() and every next page through
 * mf_next_page().
 */
/* The source's base URL plus PATH (new). */
char *mf_url_join(const struct mf_source *s, const char *path);
/* The base URL joined with "/ID" (ID URL-escaped) and "/EDGE" when EDGE
 * is not NULL: "https://graph.facebook.com/v21.0/123_456/comments". */
char *mf_url_object(const struct mf_source *s, const char *id,
    const char *edge);
/* GET URL as the thread of KEY (state key "thread:KEY"). */
void mf_submit_thread(struct mf_source *s, const char *url, const char *key,
    int kind, const char *arg);
/* GET the base URL plus FMT (one %s: ID, URL-escaped) as ID's thread. */
void mf_submit_thread_at(struct mf_source *s, const char *fmt,
    const char *id);
/* TMPL plus "&NAME=VALUE" (or '?') as a new string. */
char *mf_with_param(const char *tmpl, const char *name, const char *value);
/* Start a paged stream at URL (also its template for later pages). */
void mf_stream_start(struct mf_source *s, const char *stream,
    const char *url, int kind, const char *arg);
/* Next page of C: its template with the cursor parameter NAME = CURSOR
 * (none when CURSOR is NULL or empty: the stream is done). */
void mf_next_by_param(struct mf_source *s, struct mf_call *c,
    const char *name, const char *cursor, const struct mf_page *pg);
/* String / integer member of a record at PATH ("a" or "a.b"): borrowed
 * or NULL / -1. */
const char *mf_rstr(json_t *rec, const char *path);
json_int_t mf_rnum(json_t *rec, const char *path);
/* Whether REC is worth following into its thread: it matched the query
 * (or is the brand's), has replies, and max_threads is not reached. */
int mf_wants_thread(struct mf_source *s, json_t *rec);
/* The driver's own per-run object (S->scratch; created; borrowed), and
 * its member KEY as an object (created; borrowed). */
json_t *mf_drv_data(struct mf_source *s);
json_t *mf_drv_obj(struct mf_source *s, const char *key);
/* setup() checks: -1 with ERR (code 2) when the token / config key KEY
 * is missing. */
int mf_need_token(struct mf_source *s, const char *what,
    struct hark_err *err);
int mf_need_conf(struct mf_source *s, const char *key, struct hark_err *err);
/* The last entry of KEY in S's own section (keys that do not fall back
 * to [mention-fetch]), or NULL. */
const struct hark_config_entry *mf_own_entry(const struct mf_source *s,
    const char *key);
/* Add V (lower-cased) to S's brand accounts unless it is there: the
 * account a driver reads for (a Page id) is the brand's. */
void mf_brand_add(struct mf_source *s, const char *v);
/* S->base_url = URL unless the config set one. */
void mf_default_base(struct mf_source *s, const char *url);
/* special() of drivers that never expect one: fails the source. */
void mf_no_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r);
/*
 * Records kept for an answer: amend() may keep REC (mf_keep_add()) until
 * what it needs arrives; mf_keep_commit_later() is then the driver's
 * commit_later(); mf_keep_release() writes those READY lets go (with
 * ALL: every one) and commits the streams left without kept records.
 */
void mf_keep_add(struct mf_source *s, const struct mf_call *c, json_t *rec);
int mf_keep_commit_later(struct mf_source *s, const char *stream);
void mf_keep_release(struct mf_source *s,
    int (*ready)(struct mf_source *, json_t *, int), int all);
/*
 * The login cache: <state>/mention-fetch/login-<source>.json (0600).
 * mf_login_cached(): the cached login made FOR_WHAT, still valid
 * (borrowed, in mf_drv_data()), or NULL; mf_login_save(): keep login
 * answer J made FOR_WHAT for EXPIRES_IN seconds (< 0: no expiry);
 * mf_login_drop(): forget it; mf_login_from_cache(): whether the bearer
 * token in use came from the cache.
 */
json_t *mf_login_cached(struct mf_source *s, const char *for_what);
void mf_login_save(struct mf_source *s, json_t *j, const char *for_what,
    json_int_t expires_in);
void mf_login_drop(struct mf_source *s);
int mf_login_from_cache(struct mf_source *s);
/*
 * OAuth: mf_oauth_for() is what a token is for ("CLIENT_ID#HASH", static
 * storage); mf_oauth_cached() uses a cached bearer token (1) or not (0);
 * mf_oauth_refused() handles a 401 of a cached token (forget, LOGIN
 * again, re-submit C) and returns 1 when it did; mf_login_answer() takes
 * the bearer token from member FIELD of a login answer (new reference)
 * or fails the source with WHAT (NULL); mf_token_special() is the
 * special() of OAuth token answers (kept until expires_in runs out).
 */
const char *mf_oauth_for(struct mf_source *s);
int mf_oauth_cached(struct mf_source *s, const char *for_what);
int mf_oauth_refused(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, void (*login)(struct mf_source *));
json_t *mf_login_answer(struct mf_source *s, const struct hark_http_resp *r,
    const char *field, const char *what);
void mf_token_special(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r);

/*
 * The Meta Graph API (facebook, instagram, the Messenger Platform
 * inboxes): mf_graph_setup() requires config key ID_KEY and the TOKEN
 * (WHAT names it), sets the bearer token and puts the API version
 * ('api_version', default v21.0) into the base URL
 * (https://graph.facebook.com); mf_graph_classify() tells throttling
 * (error codes 4, 17, 32, 613, 80001; X-Business-Use-Case-Usage's
 * estimated_time_to_regain_access) and transient errors from the rest;
 * mf_graph_http_error() reports a refused token (error code 190: expired
 * or revoked) as such and returns 2, else 0.
 */
int mf_graph_setup(struct mf_source *s, const char *id_key,
    const char *what, struct hark_err *err);
enum hark_http_verdict mf_graph_classify(const struct hark_http_resp *r,
    double *wait);
int mf_graph_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r);
/* The Graph error code of an error body, or 0. */
long mf_graph_error_code(const struct hark_http_resp *r);
/* A Graph response body ROOT that is {"error": {...}}: that error as
 * "API API error (code N): message" (mf_malformed()'s return), else 0. */
int mf_graph_body_error(const json_t *root, const char *api,
    struct hark_err *err);
/* The object id of a ".../<object-id>/<EDGE>" Graph URL (query and
 * trailing slashes ignored): new string, or NULL. */
char *mf_graph_edge_object(const char *url, const char *edge);

#endif

