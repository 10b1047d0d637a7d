/*
 * fetch.h - mention-fetch's engine: the run, its sources, their calls,
 * per-source state, dedup and archive.  Private to cmd/mention-fetch.
 *
 * One run drives every selected source at once through one hark_http
 * engine.  A source is a set of streams (search results, the brand's own
 * replies, threads, comments); each stream is a chain of calls, one page
 * after another, so a source never has two pages of one stream in flight
 * while different sources proceed concurrently.  All callbacks run in the
 * main thread.
 */
#ifndef MF_FETCH_H
#define MF_FETCH_H

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
#include "map.h"

struct mf_run;
struct mf_source;

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
};

struct mf_driver {
	const char *type;	/* config "type" value */
	mf_map_fn *map;
	/* Check config and secrets; -1 with ERR (code 2: config). */
	int (*setup)(struct mf_source *s, struct hark_err *err);
	/* Submit the first calls. */
	void (*start)(struct mf_source *s);
	/* An HTTP status >= 400 arrived: return 1 when handled (e.g. a
	 * login was started and the call will be re-submitted). */
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

/* sources.c */
const struct mf_driver *mf_driver_find(const char *type);
/* Every type name, for --help and errors: "rss, atom, ..." */
const char *mf_driver_types(void);

#endif
