/* http.c - libcurl multi wrapper with limits and the retry policy. */
#include <ctype.h>
#include <strings.h>
#include <unistd.h>
#include <curl/curl.h>
#include "http.h"
#include "buf.h"

#define HEADERS_MAX	(64u * 1024)
#define BACKOFF_CAP	60.0

struct hark_http_req {
	char *method;
	char *url;
	struct curl_slist *hdrs;
	char *body;
	size_t blen;
	char *userpwd;
	hark_http_classify_fn *classify;
	hark_http_done_fn *done;
	void *udata;
	size_t max_body;	/* 0: the engine's */
	int once;		/* hark_http_req_once() */

	/* run time */
	CURL *easy;
	struct hark_buf rbody;
	struct hark_buf rhdrs;
	int toobig;
	int attempts;
	double waited;
	double submitted;
	double due;
	int throttled;
	char last[160];		/* reason of the last failed attempt */
	struct hark_http_req *next;	/* in the waiting list */
	struct hark_http_req *anext;	/* in the running list */
	struct hark_http_req **aprev;
};

struct hark_http {
	CURLM *multi;
	struct hark_http_opts o;
	char *ua;
	struct hark_http_req *waiting;	/* to start, or backing off */
	struct hark_http_req *running;	/* transfers in progress */
	int active;
	uint64_t rng;
};

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
rnd(struct hark_http *h)
{
	/* xorshift64*: jitter only, no need for quality */
	h->rng ^= h->rng >> 12;
	h->rng ^= h->rng << 25;
	h->rng ^= h->rng >> 27;
	return (double)((h->rng * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

void
hark_http_opts_init(struct hark_http_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout = 10;
	o->timeout = 30;
	o->max_redirects = 5;
	o->max_body = 16u * 1024 * 1024;
	o->max_tries = 5;
	o->max_wait = 60;
	o->backoff = 1;
}

struct hark_http *
hark_http_new(const struct hark_http_opts *o, struct hark_err *err)
{
	struct hark_http *h = hark_xcalloc(1, sizeof(*h));

	h->o = *o;
	if (h->o.max_tries < 1)
		h->o.max_tries = 1;
	h->ua = o->user_agent ? hark_xstrdup(o->user_agent) :
	    hark_xstrdup("hark/" HARK_VERSION);
	h->multi = curl_multi_init();
	if (h->multi == NULL) {
		free(h->ua);
		free(h);
		hark_err_set(err, 1, "cannot initialise libcurl");
		return NULL;
	}
	h->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
	    0x9e3779b97f4a7c15ULL;
	return h;
}

static void
req_reset_easy(struct hark_http *h, struct hark_http_req *r)
{
	if (r->aprev != NULL) {
		*r->aprev = r->anext;
		if (r->anext != NULL)
			r->anext->aprev = r->aprev;
		r->aprev = NULL;
		r->anext = NULL;
	}
	if (r->easy != NULL) {
		curl_multi_remove_handle(h->multi, r->easy);
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
	}
}

void
hark_http_free(struct hark_http *h)
{
	struct hark_http_req *r, *n;
	if (h == NULL)
		return;
	for (r = h->waiting; r != NULL; r = n) {
		n = r->next;
		hark_http_req_free(r);
	}
	while ((r = h->running) != NULL) {
		req_reset_easy(h, r);
		hark_http_req_free(r);
	}
	curl_multi_cleanup(h->multi);
	free(h->ua);
	free(h);
}

struct hark_http_req *
hark_http_req_new(const char *method, const char *url,
    hark_http_done_fn *done, void *udata)
{
	struct hark_http_req *r = hark_xcalloc(1, sizeof(*r));

	r->method = hark_xstrdup(method);
	r->url = hark_xstrdup(url);
	r->done = done;
	r->udata = udata;
	hark_buf_init(&r->rhdrs, HEADERS_MAX);
	return r;
}

void
hark_http_req_free(struct hark_http_req *r)
{
	if (r == NULL)
		return;
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	free(r->method);
	free(r->url);
	curl_slist_free_all(r->hdrs);
	if (r->body != NULL) {
		memset(r->body, 0, r->blen);
		free(r->body);
	}
	if (r->userpwd != NULL) {
		memset(r->userpwd, 0, strlen(r->userpwd));
		free(r->userpwd);
	}
	hark_buf_release(&r->rbody);
	hark_buf_release(&r->rhdrs);
	free(r);
}

void
hark_http_req_header(struct hark_http_req *r, const char *line)
{
	struct curl_slist *n = curl_slist_append(r->hdrs, line);

	if (n == NULL)
		hark_die(1, "out of memory");
	r->hdrs = n;
}

void
hark_http_req_body(struct hark_http_req *r, const char *ctype,
    const char *body, size_t len)
{
	char *h;

	free(r->body);
	r->body = hark_xmalloc(len + 1);
	memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->blen = len;
	if (ctype != NULL) {
		h = hark_xasprintf("Content-Type: %s", ctype);
		hark_http_req_header(r, h);
		free(h);
	}
}

void
hark_http_req_userpwd(struct hark_http_req *r, const char *userpwd)
{
	free(r->userpwd);
	r->userpwd = hark_xstrdup(userpwd);
}

void
hark_http_req_once(struct hark_http_req *r)
{
	r->once = 1;
}

void
hark_http_req_classify(struct hark_http_req *r, hark_http_classify_fn *fn)
{
	r->classify = fn;
}

void
hark_http_req_max_body(struct hark_http_req *r, size_t max)
{
	r->max_body = max;
}

const char *
hark_http_req_url(const struct hark_http_req *r)
{
	return r->url;
}

void *
hark_http_req_udata(const struct hark_http_req *r)
{
	return r->udata;
}

void
hark_http_submit(struct hark_http *h, struct hark_http_req *r)
{
	r->submitted = mono();
	r->due = r->submitted;
	r->next = h->waiting;
	h->waiting = r;
}

void
hark_http_submit_after(struct hark_http *h, struct hark_http_req *r,
    double delay)
{
	hark_http_submit(h, r);
	if (delay > 0) {
		r->due += delay;
		r->waited += delay;
	}
}

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	struct hark_http_req *r = ud;

	if (hark_buf_add(&r->rbody, p, size * n) < 0) {
		r->toobig = 1;
		return 0;
	}
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct hark_http_req *r = ud;
	size_t len = size * n;

	/* a new status line starts the headers of the next response
	 * (redirects, 100 Continue): keep only the final one */
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
		hark_buf_reset(&r->rhdrs);
	(void)hark_buf_add(&r->rhdrs, p, len);	/* excess is dropped */
	return len;
}

static int
start(struct hark_http *h, struct hark_http_req *r, struct hark_err *err)
{
	CURL *e = curl_easy_init();
	size_t max = r->max_body ? r->max_body : h->o.max_body;

	if (e == NULL)
		return hark_err_set(err, 1, "cannot initialise libcurl");
	r->easy = e;
	r->toobig = 0;
	hark_buf_release(&r->rbody);
	hark_buf_init(&r->rbody, max);
	hark_buf_reset(&r->rhdrs);
	r->attempts++;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)(void *)r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION,
	    h->o.max_redirects > 0 ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, h->o.max_redirects);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(h->o.connect_timeout * 1000));
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(h->o.timeout * 1000));
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->o.ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, h->o.ca_file);
	curl_easy_setopt(e, CURLOPT_USERAGENT, h->ua);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	if (r->hdrs != NULL)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	if (r->userpwd != NULL) {
		curl_easy_setopt(e, CURLOPT_USERPWD, r->userpwd);
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	}
	if (strcmp(r->method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)r->blen);
	} else if (strcmp(r->method, "GET") != 0) {
		/* PUT, PATCH, DELETE: the body goes as POST's would, under
		 * the method's name (a review reply is a PUT) */
		if (r->body != NULL) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
			    (long)r->blen);
		}
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	}
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		r->easy = NULL;
		return hark_err_set(err, 1, "cannot start a transfer");
	}
	h->active++;
	r->anext = h->running;
	if (h->running != NULL)
		h->running->aprev = &r->anext;
	r->aprev = &h->running;
	h->running = r;
	return 0;
}

static int
retryable_curl(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static const char *
reason_phrase(long status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 408: return "Request Timeout";
	case 410: return "Gone";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "";
	}
}

static double
backoff(struct hark_http *h, int attempt)
{
	double w = h->o.backoff;
	int i;

	for (i = 1; i < attempt && w < BACKOFF_CAP; i++)
		w *= 2;
	if (w > BACKOFF_CAP)
		w = BACKOFF_CAP;
	/* "equal jitter": half fixed, half random */
	return w / 2 + rnd(h) * w / 2;
}

static void
logf_(struct hark_http *h, const char *fmt, ...) HARK_PRINTF(2, 3);

static void
logf_(struct hark_http *h, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (h->o.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	h->o.log(h->o.logctx, msg);
}

static void
finish(struct hark_http *h, struct hark_http_req *r, CURLcode cc)
{
	struct hark_http_resp resp;
	enum hark_http_verdict v = HARK_HTTP_DEFAULT;
	double wait = -1, now;
	long status = 0, sent = 0;
	char *eff = NULL, red[512];
	int retry = 0, throttle = 0;
	hark_time_t tnow;

	memset(&resp, 0, sizeof(resp));
	curl_easy_getinfo(r->easy, CURLINFO_REQUEST_SIZE, &sent);
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &eff);
	resp.effective_url = hark_xstrdup(eff ? eff : r->url);
	if (cc == CURLE_OK && status == 0)
		status = 200;	/* file:// */
	resp.status = cc == CURLE_OK ? status : 0;
	resp.body = (char *)hark_buf_str(&r->rbody);
	resp.len = r->rbody.len;
	resp.headers = (char *)hark_buf_str(&r->rhdrs);
	resp.url = r->url;
	resp.attempts = r->attempts;
	resp.outcome = HARK_HTTP_DONE;
	req_reset_easy(h, r);
	h->active--;
	hark_http_redact(r->url, red, sizeof(red));

	if (cc != CURLE_OK) {
		if (r->toobig || cc == CURLE_FILESIZE_EXCEEDED) {
			resp.outcome = HARK_HTTP_FAILED;
			snprintf(resp.msg, sizeof(resp.msg),
			    "response larger than %zu bytes",
			    r->max_body ? r->max_body : h->o.max_body);
		} else if (retryable_curl(cc) && r->once && sent > 0) {
			/* it may have arrived: repeating it could do it twice */
			resp.outcome = HARK_HTTP_TEMPFAIL;
			snprintf(resp.msg, sizeof(resp.msg), "%s after the "
			    "request was sent (not repeated)",
			    cc == CURLE_OPERATION_TIMEDOUT ? "timeout" :
			    curl_easy_strerror(cc));
		} else if (retryable_curl(cc)) {
			retry = 1;
			snprintf(r->last, sizeof(r->last), "%s",
			    cc == CURLE_OPERATION_TIMEDOUT ? "timeout" :
			    curl_easy_strerror(cc));
		} else if (cc == CURLE_TOO_MANY_REDIRECTS) {
			resp.outcome = HARK_HTTP_FAILED;
			snprintf(resp.msg, sizeof(resp.msg), "more than %ld "
			    "redirects", h->o.max_redirects);
		} else {
			resp.outcome = HARK_HTTP_FAILED;
			snprintf(resp.msg, sizeof(resp.msg), "%s",
			    curl_easy_strerror(cc));
		}
	} else {
		if (r->classify != NULL)
			v = r->classify(&resp, &wait);
		if (v == HARK_HTTP_DEFAULT) {
			if (status == 429) {
				v = HARK_HTTP_THROTTLED;
			} else if (r->once && status >= 500) {
				v = HARK_HTTP_ACCEPT;	/* it may have been done */
			} else if (status == 408 || status == 500 ||
			    status == 502 || status == 503 || status == 504) {
				v = HARK_HTTP_RETRY;
			} else {
				v = HARK_HTTP_ACCEPT;
			}
		}
		if (v != HARK_HTTP_ACCEPT) {
			retry = 1;
			throttle = v == HARK_HTTP_THROTTLED;
			snprintf(r->last, sizeof(r->last), "HTTP %ld%s%s",
			    status, *reason_phrase(status) ? " " : "",
			    reason_phrase(status));
		}
	}
	if (retry) {
		r->throttled = throttle;
		if (wait < 0) {
			if (hark_now(&tnow, NULL) < 0)
				tnow = (hark_time_t)time(NULL);
			resp.status = status;
			wait = cc == CURLE_OK ?
			    hark_http_wait_hint(&resp, tnow) : -1;
		}
		if (wait < 0)
			wait = backoff(h, r->attempts);
		if (r->attempts >= h->o.max_tries) {
			resp.outcome = HARK_HTTP_TEMPFAIL;
			snprintf(resp.msg, sizeof(resp.msg),
			    "%s, giving up after %d attempts", r->last,
			    r->attempts);
		} else if (r->waited + wait > h->o.max_wait) {
			resp.outcome = HARK_HTTP_TEMPFAIL;
			snprintf(resp.msg, sizeof(resp.msg),
			    "%s, retry in %.0f s exceeds --max-wait %.0f s",
			    r->last, wait, h->o.max_wait);
		} else {
			logf_(h, "%s %s: %s, retrying in %.1f s", r->method,
			    red, r->last, wait);
			r->waited += wait;
			r->due = mono() + wait;
			r->next = h->waiting;
			h->waiting = r;
			free(resp.effective_url);
			return;
		}
	}
	now = mono();
	resp.throttled = r->throttled && resp.outcome == HARK_HTTP_TEMPFAIL;
	resp.waited = r->waited;
	resp.elapsed = now - r->submitted;
	if (resp.outcome == HARK_HTTP_DONE)
		logf_(h, "%s %s: %ld, %zu bytes, %.2f s", r->method, red,
		    resp.status, resp.len, resp.elapsed);
	else
		logf_(h, "%s %s: %s", r->method, red, resp.msg);
	r->done(r->udata, r, &resp);
	free(resp.effective_url);
	hark_http_req_free(r);
}

int
hark_http_run(struct hark_http *h, struct hark_err *err)
{
	struct hark_http_req **pp, *r;
	CURLMsg *m;
	int running, left;
	double now;
	long tmo;

	for (;;) {
		now = mono();
		for (pp = &h->waiting; (r = *pp) != NULL; ) {
			if (r->due <= now) {
				*pp = r->next;
				r->next = NULL;
				if (start(h, r, err) < 0) {
					hark_http_req_free(r);
					return -1;
				}
				continue;
			}
			pp = &r->next;
		}
		if (h->active == 0 && h->waiting == NULL)
			return 0;
		if (curl_multi_perform(h->multi, &running) != CURLM_OK)
			return hark_err_set(err, 1, "libcurl multi failure");
		while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
			char *p = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &p);
			finish(h, (struct hark_http_req *)(void *)p,
			    m->data.result);
		}
		if (h->active == 0 && h->waiting == NULL)
			return 0;
		/* sleep until the earliest retry is due (finish() may have
		 * just queued one), or socket activity, or 1 s */
		tmo = 1000;
		now = mono();
		for (r = h->waiting; r != NULL; r = r->next) {
			double d = (r->due - now) * 1000;

			if (d < tmo)
				tmo = d <= 0 ? 0 : (long)d + 1;
		}
		if (curl_multi_poll(h->multi, NULL, 0, (int)tmo, NULL) !=
		    CURLM_OK)
			return hark_err_set(err, 1, "libcurl poll failure");
	}
}

char *
hark_http_header(const struct hark_http_resp *r, const char *name)
{
	const char *p = r->headers, *eol, *v, *found = NULL;
	size_t nlen = strlen(name), flen = 0;

	if (p == NULL)
		return NULL;
	for (; *p != '\0'; p = *eol ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if ((size_t)(eol - p) > nlen && p[nlen] == ':' &&
		    strncasecmp(p, name, nlen) == 0) {
			v = p + nlen + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			flen = (size_t)(eol - v);
			while (flen > 0 && isspace((unsigned char)v[flen - 1]))
				flen--;
			found = v;
		}
	}
	return found ? hark_xstrndup(found, flen) : NULL;
}

char *
hark_http_link(const struct hark_http_resp *r, const char *rel)
{
	char *link = hark_http_header(r, "link"), *res = NULL, want[64];
	const char *p, *lt, *gt, *q, *end;

	if (link == NULL)
		return NULL;
	snprintf(want, sizeof(want), "rel=\"%s\"", rel);
	for (p = link; res == NULL && (lt = strchr(p, '<')) != NULL; p = end) {
		if ((gt = strchr(lt, '>')) == NULL)
			break;
		/* this entry's parameters end where ", <" starts the next */
		for (end = gt + 1; *end != '\0'; end++) {
			if (*end != ',')
				continue;
			q = end + 1;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '<')
				break;
		}
		q = strstr(gt, want);
		if (q != NULL && q < end)
			res = hark_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	}
	free(link);
	return res;
}

static double
reset_value(const char *v, hark_time_t now)
{
	char *end;
	double d;
	hark_time_t t;

	errno = 0;
	d = strtod(v, &end);
	if (end != v && *end == '\0' && errno == 0) {
		if (d > 1e9)		/* epoch seconds (X, Bluesky) */
			d -= (double)now;
		return d < 0 ? 0 : d;	/* else seconds to go (Reddit) */
	}
	if (hark_time_parse_rfc3339(v, &t, NULL) == 0) {	/* Mastodon */
		d = (double)(t - now);
		return d < 0 ? 0 : d;
	}
	return -1;
}

double
hark_http_wait_hint(const struct hark_http_resp *r, hark_time_t now)
{
	static const char *const resets[] = {
		"x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"
	};
	char *v;
	double w = -1;
	size_t i;
	hark_time_t t;

	if ((v = hark_http_header(r, "retry-after")) != NULL) {
		char *end;
		double d;

		errno = 0;
		d = strtod(v, &end);
		if (end != v && *end == '\0' && errno == 0 && d >= 0)
			w = d;
		else if (hark_time_parse_rfc2822(v, &t, NULL) == 0)
			w = t > now ? (double)(t - now) : 0;
		free(v);
		if (w >= 0)
			return w;
	}
	if (r->status != 429 && r->status != 403)
		return -1;
	for (i = 0; i < HARK_ARRAY_SIZE(resets); i++) {
		if ((v = hark_http_header(r, resets[i])) == NULL)
			continue;
		w = reset_value(v, now);
		free(v);
		if (w >= 0)
			return w;
	}
	return -1;
}

double
hark_http_exhausted(const struct hark_http_resp *r, hark_time_t now)
{
	static const char *const remain[] = {
		"x-rate-limit-remaining", "x-ratelimit-remaining",
		"ratelimit-remaining"
	};
	static const char *const resets[] = {
		"x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"
	};
	char *v, *end;
	double left = -1, w;
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(remain) && left < 0; i++) {
		if ((v = hark_http_header(r, remain[i])) == NULL)
			continue;
		errno = 0;
		left = strtod(v, &end);
		if (end == v || errno != 0)
			left = -1;
		free(v);
		if (left >= 1)
			return -1;
		if (left < 0)
			continue;
		/* used up: when does the window reset? */
		if ((v = hark_http_header(r, resets[i])) != NULL) {
			w = reset_value(v, now);
			free(v);
			return w;
		}
	}
	return -1;
}

char *
hark_http_redact(const char *url, char *out, size_t outsz)
{
	static const char *const secret[] = {
		"access_token", "key", "apikey", "api_key", "token",
		"client_secret", "password", "refresh_token", "code", "sig",
		"signature", "usg", "fb_exchange_token", "appsecret_proof"
	};
	struct hark_buf b = HARK_BUF_INIT(4096);
	const char *p = url, *q = strchr(url, '?');
	size_t i;
	char *s;

	if (q == NULL) {
		snprintf(out, outsz, "%s", url);
		return out;
	}
	hark_buf_add(&b, url, (size_t)(q - url) + 1);
	p = q + 1;
	while (*p != '\0') {
		size_t n = strcspn(p, "&#"), k = strcspn(p, "=&#");
		int hide = 0;

		for (i = 0; i < HARK_ARRAY_SIZE(secret); i++)
			if (k == strlen(secret[i]) &&
			    strncasecmp(p, secret[i], k) == 0)
				hide = k < n;
		if (hide) {
			hark_buf_add(&b, p, k + 1);
			hark_buf_addstr(&b, "REDACTED");
		} else {
			hark_buf_add(&b, p, n);
		}
		p += n;
		if (*p == '#') {
			hark_buf_addstr(&b, p);
			break;
		}
		if (*p == '&')
			hark_buf_addch(&b, *p++);
	}
	s = hark_buf_detach(&b, NULL);
	snprintf(out, outsz, "%s", s);
	free(s);
	return out;
}

char *
hark_http_escape(const char *s)
{
	struct hark_buf b = HARK_BUF_INIT(SIZE_MAX / 2);
	static const char hex[] = "0123456789ABCDEF";

	hark_buf_addstr(&b, "");
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			hark_buf_addch(&b, c);
		} else {
			hark_buf_addch(&b, '%');
			hark_buf_addch(&b, hex[c >> 4]);
			hark_buf_addch(&b, hex[c & 15]);
		}
	}
	return hark_buf_detach(&b, NULL);
}
