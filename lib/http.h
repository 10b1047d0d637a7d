/*
 * http.h - concurrent HTTP(S) and file:// requests over libcurl's multi
 * interface, with the suite's safety limits and its one retry policy.
 *
 * A struct hark_http runs any number of requests at once.  The caller
 * submits requests and then calls hark_http_run(), which drives every
 * transfer and calls the request's completion callback once per request,
 * after its retries; the callback may submit further requests (the next
 * page), which then run in the same loop.  Everything happens in the
 * calling thread: callbacks never run concurrently.
 *
 * Limits applied to every transfer: connect and total timeouts, a
 * redirect limit (http/https only: a redirect never leads to file://),
 * a maximum response size, TLS peer and host verification always on.
 *
 * Retry policy (sources.md, "Rate limiting and retries"): transport
 * errors (timeouts, refused or reset connections), 408, 429 and 5xx are
 * retried; the wait is Retry-After (seconds or HTTP-date) when present,
 * else the reset headers (x-rate-limit-reset, x-ratelimit-reset,
 * ratelimit-reset: epoch seconds, seconds to go, or an RFC 3339 instant)
 * for 429s, else exponential backoff with jitter (base, 2 base, 4 base...,
 * capped at 60 s).  A request gives up after max_tries attempts, or as
 * soon as the next wait would take its total waiting beyond max_wait: its
 * outcome is then HARK_HTTP_TEMPFAIL.  A request's classify callback may
 * override the decision for APIs that signal throttling in the body
 * (Facebook error codes, YouTube rateLimitExceeded).
 *
 * Nothing here prints or exits; progress and retries are reported through
 * the optional log callback.
 */
#ifndef HARK_HTTP_H
#define HARK_HTTP_H

#include "hark.h"
#include "err.h"
#include "htime.h"

struct hark_http;
struct hark_http_req;

enum hark_http_outcome {
	HARK_HTTP_DONE = 0,	/* a response arrived (any status) */
	HARK_HTTP_FAILED = 1,	/* not retryable: bad URL, file missing,
				 * TLS error, too large, too many redirects */
	HARK_HTTP_TEMPFAIL = 4	/* retryable failure, retries exhausted or
				 * beyond max_wait (throttled, timeout, 5xx) */
};

struct hark_http_resp {
	enum hark_http_outcome outcome;
	long status;		/* final HTTP status; file:// success = 200;
				 * 0 when no response arrived */
	char *body;		/* NUL-terminated, owned by the library */
	size_t len;
	char *headers;		/* raw header block of the final response:
				 * "Name: value\r\n" lines (owned) */
	const char *url;	/* request URL (borrowed from the request) */
	char *effective_url;	/* after redirects (owned) */
	int attempts;		/* tries made (>= 1) */
	double waited;		/* seconds spent waiting between tries */
	double elapsed;		/* seconds from submission to the end */
	int throttled;		/* the last retryable failure was a 429 or
				 * a classify()-reported throttle */
	char msg[256];		/* short reason for FAILED/TEMPFAIL, e.g.
				 * "HTTP 429 Too Many Requests: waiting 120 s
				 * exceeds --max-wait 10 s", or "timeout" */
};

enum hark_http_verdict {
	HARK_HTTP_DEFAULT = -1,	/* apply the built-in policy */
	HARK_HTTP_ACCEPT = 0,	/* final, do not retry */
	HARK_HTTP_RETRY = 1,	/* retry (after *WAIT seconds when >= 0) */
	HARK_HTTP_THROTTLED = 2	/* like RETRY, and marks throttling */
};

/*
 * Optional per-request classifier: look at a completed attempt (status,
 * headers, body) and return a verdict; *WAIT (seconds, -1 = use the
 * policy's wait) may be set with RETRY/THROTTLED.
 */
typedef enum hark_http_verdict hark_http_classify_fn(
    const struct hark_http_resp *r, double *wait);

/*
 * Completion callback: RESP is borrowed for the duration of the call.
 * UDATA is what was given to hark_http_req_new().
 */
typedef void hark_http_done_fn(void *udata, struct hark_http_req *req,
    const struct hark_http_resp *resp);

typedef void hark_http_log_fn(void *logctx, const char *msg);

struct hark_http_opts {
	double connect_timeout;	/* seconds (default 10) */
	double timeout;		/* seconds per transfer (default 30) */
	long max_redirects;	/* default 5; 0 forbids redirects */
	size_t max_body;	/* bytes (default 16 MiB) */
	int max_tries;		/* attempts per request (default 5) */
	double max_wait;	/* total seconds of waiting per request
				 * (default 60) */
	double backoff;		/* first backoff step, s (default 1) */
	const char *user_agent;	/* borrowed; default "hark/VERSION" */
	const char *ca_file;	/* borrowed; NULL = system store */
	hark_http_log_fn *log;	/* may be NULL */
	void *logctx;
};

/* Defaults as documented above. */
void hark_http_opts_init(struct hark_http_opts *o);

/*
 * New engine with a copy of O (the strings it points to are borrowed and
 * must outlive the engine).  curl_global_init must have been called.
 * Returns NULL with ERR filled when libcurl cannot be set up.
 */
struct hark_http *hark_http_new(const struct hark_http_opts *o,
    struct hark_err *err);
/* Abort transfers still running (their callbacks are not called), free. */
void hark_http_free(struct hark_http *h);

/*
 * A new request for METHOD ("GET", "POST") and URL (both copied).  DONE
 * and UDATA are called/passed at completion.  Free it only if it is never
 * submitted; once submitted the engine owns it and frees it after DONE.
 */
struct hark_http_req *hark_http_req_new(const char *method, const char *url,
    hark_http_done_fn *done, void *udata);
void hark_http_req_free(struct hark_http_req *req);
/* Add a request header "Name: value" (copied). */
void hark_http_req_header(struct hark_http_req *req, const char *line);
/* Request body (copied) with its Content-Type. */
void hark_http_req_body(struct hark_http_req *req, const char *ctype,
    const char *body, size_t len);
/* HTTP Basic credentials "user:password" (copied, wiped on free). */
void hark_http_req_userpwd(struct hark_http_req *req, const char *userpwd);
void hark_http_req_classify(struct hark_http_req *req,
    hark_http_classify_fn *fn);
/*
 * REQ must not be repeated once it may have reached the server (a post):
 * a timeout or a broken connection after the request was sent ends it as
 * HARK_HTTP_TEMPFAIL ("... not repeated"), and a 5xx answer is final
 * (HARK_HTTP_DONE with that status), so the caller finds out by reading
 * back whether it was done.  429, 408 and failures to connect are still
 * retried: the server did nothing.
 */
void hark_http_req_once(struct hark_http_req *req);
/* Overrides of the engine's max_wait / max_body for this request. */
void hark_http_req_max_body(struct hark_http_req *req, size_t max);
/* The URL as given (borrowed). */
const char *hark_http_req_url(const struct hark_http_req *req);
void *hark_http_req_udata(const struct hark_http_req *req);

/* Hand REQ to the engine; it starts at the next hark_http_run() turn. */
void hark_http_submit(struct hark_http *h, struct hark_http_req *req);
/* The same, starting no earlier than DELAY seconds from now (a rate
 * limit's reset); the delay counts towards the request's max_wait. */
void hark_http_submit_after(struct hark_http *h, struct hark_http_req *req,
    double delay);

/*
 * When a successful response says the rate limit is used up
 * (x-rate-limit-remaining, x-ratelimit-remaining or ratelimit-remaining
 * below 1) and when it resets (as hark_http_wait_hint() reads reset
 * headers), the seconds until then; else -1.
 */
double hark_http_exhausted(const struct hark_http_resp *r, hark_time_t now);

/*
 * Run until no request is pending or waiting for a retry.  Returns 0, or
 * -1 with ERR filled on an internal libcurl failure.
 */
int hark_http_run(struct hark_http *h, struct hark_err *err);

/*
 * The value of response header NAME (case-insensitive; the last one when
 * repeated) as a new string, or NULL.  Surrounding blanks removed.
 */
char *hark_http_header(const struct hark_http_resp *r, const char *name);

/*
 * The URL of the Link header's entry with rel="REL" (RFC 8288), new
 * string or NULL.
 */
char *hark_http_link(const struct hark_http_resp *r, const char *rel);

/*
 * Seconds to wait as announced by the response: Retry-After, else (for
 * 429/403 only) the reset headers; -1 when none applies.  NOW is the
 * current epoch time.
 */
double hark_http_wait_hint(const struct hark_http_resp *r, hark_time_t now);

/*
 * Copy URL into OUT (size OUTSZ) with the values of credential-bearing
 * query parameters (access_token, key, apikey, token, client_secret,
 * password, refresh_token, code, sig, signature) replaced by "REDACTED".
 * Returns OUT.  Use it for every URL that is printed or used in a name.
 */
char *hark_http_redact(const char *url, char *out, size_t outsz);

/* Percent-encode S for a query component (new string). */
char *hark_http_escape(const char *s);

#endif
