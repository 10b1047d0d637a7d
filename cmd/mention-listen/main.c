/*
 * mention-listen - receive WhatsApp Business and Messenger/Instagram
 * webhooks, check their signatures, write them as mention records.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <microhttpd.h>

#include "hark.h"
#include "err.h"
#include "opt.h"
#include "buf.h"
#include "htime.h"
#include "io.h"
#include "secret.h"
#include "sha256.h"
#include "xdg.h"
#include "source/webhook.h"
#include "listen.h"

static const char synopsis[] =
    "usage: mention-listen [-hqv] [-o file] [--app-secret-file file]"
    " [--keep days]\n"
    "                      [--listen addr:port] [--max-body bytes]"
    " [--query name]\n"
    "                      [--raw] [--rejects file] [--state-dir dir]\n"
    "                      [--timeout seconds] [--tls-cert file]"
    " [--tls-key file]\n"
    "                      [--verify-token-file file]";

static const char help[] =
    "\n"
    "Receive webhook deliveries from the WhatsApp Business Cloud API and\n"
    "the Messenger Platform (Facebook Page and Instagram messages), check\n"
    "each one's X-Hub-Signature-256 with the app secret, and write their\n"
    "messages and statuses as mention records (NDJSON), each delivery\n"
    "fsync'd to a spool before it is acknowledged.\n"
    "\n"
    "Options:\n"
    "      --app-secret-file FILE    the app secret (else"
    " $HARK_LISTEN_APP_SECRET)\n"
    "      --keep DAYS               remember delivered ids this long"
    " (default 7)\n"
    "      --listen ADDR:PORT        address to bind (default"
    " 127.0.0.1:8080)\n"
    "      --max-body BYTES          larger deliveries get 413 (default"
    " 1048576)\n"
    "      --query NAME              the records' query member\n"
    "      --raw                     add each item as the webhook gave it\n"
    "      --state-dir DIR           keep the spool in DIR\n"
    "      --timeout SECONDS         close idle connections (default 10)\n"
    "      --tls-cert FILE           serve HTTPS with this PEM"
    " certificate...\n"
    "      --tls-key FILE            ...and this PEM key\n"
    "      --verify-token-file FILE  the subscription's verify token (else\n"
    "                                $HARK_LISTEN_VERIFY_TOKEN)\n"
    "\n";

enum {
	OPT_APP_SECRET_FILE = HARK_OPT_COMMAND_BASE,
	OPT_KEEP,
	OPT_LISTEN,
	OPT_MAX_BODY,
	OPT_QUERY,
	OPT_RAW,
	OPT_STATE_DIR,
	OPT_TIMEOUT,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_VERIFY_TOKEN_FILE
};

static const struct option longopts[] = {
	{ "app-secret-file", required_argument, NULL, OPT_APP_SECRET_FILE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "max-body", required_argument, NULL, OPT_MAX_BODY },
	{ "query", required_argument, NULL, OPT_QUERY },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
	{ "verify-token-file", required_argument, NULL,
	    OPT_VERIFY_TOKEN_FILE },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct app {
	char *secret, *verify;
	size_t max_body;
	long keep;
	struct ml_spool spool;
	int out_fd, out_sync, rejects_fd;
	const char *out_name;
	struct hark_webhook_ctx ctx;
	int verbose, failed, kill_at;
	struct hark_buf batch, pending;
};

struct req {
	struct hark_buf body;
	int too_big;
};

enum { KILL_NONE, KILL_SPOOLED, KILL_WRITTEN };

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static const char *
peer(struct MHD_Connection *c, char *buf, size_t sz)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	snprintf(buf, sz, "?");
	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, buf, (socklen_t)sz);
	else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, buf, (socklen_t)sz);
	return buf;
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text),
	    (void *)(uintptr_t)text, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, POST");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Write the spool's undelivered records to the output, then move the
 * delivered offset.  A crash between the two repeats them (same ids). */
static void
deliver(struct app *a)
{
	struct hark_err err = HARK_ERR_INIT;

	if (a->failed || a->spool.pos >= a->spool.size)
		return;
	if (ml_spool_pending(&a->spool, &a->pending, &err) < 0) {
		hark_error("%s", err.msg);
		a->failed = 1;
		return;
	}
	if (write_all(a->out_fd, a->pending.ptr, a->pending.len) < 0 ||
	    (a->out_sync && fsync(a->out_fd) < 0 && errno != EINVAL)) {
		/* kept in the spool for the next start */
		hark_error("write error on '%s': %s", a->out_name,
		    strerror(errno));
		a->failed = 1;
		return;
	}
	if (a->kill_at == KILL_WRITTEN)
		raise(SIGKILL);
	if (ml_spool_mark(&a->spool, &err) < 0) {
		hark_error("%s", err.msg);
		a->failed = 1;
	}
}

/* At start: what a previous run acknowledged but did not write out. */
static void
deliver_left(struct app *a)
{
	const char *p;
	long n = 0;

	if (a->spool.pos >= a->spool.size)
		return;
	if (a->verbose && ml_spool_pending(&a->spool, &a->pending, NULL) == 0)
		for (p = a->pending.ptr; (p = memchr(p, '\n',
		    a->pending.len - (size_t)(p - a->pending.ptr))) != NULL;
		    p++)
			n++;
	deliver(a);
	if (a->verbose && !a->failed)
		hark_warn("%ld spooled record%s of an earlier run written", n,
		    n == 1 ? "" : "s");
}

static void
reject_body(struct app *a, const struct hark_buf *b)
{
	size_t i;

	if (a->rejects_fd < 0)
		return;
	/* one line per delivery, as the other tools' rejects are */
	for (i = 0; i < b->len; i++)
		if (b->ptr[i] == '\n' || b->ptr[i] == '\r')
			b->ptr[i] = ' ';
	if (write_all(a->rejects_fd, b->ptr != NULL ? b->ptr : "", b->len) <
	    0 || write_all(a->rejects_fd, "\n", 1) < 0)
		hark_warn("cannot write the rejects: %s", strerror(errno));
}

static enum MHD_Result
verification(struct app *a, struct MHD_Connection *c)
{
	const char *mode = MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, "hub.mode");
	const char *token = MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, "hub.verify_token");
	const char *challenge = MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, "hub.challenge");
	char ip[64];
	size_t i, n;

	if (mode == NULL || strcmp(mode, "subscribe") != 0 ||
	    challenge == NULL)
		return reply(c, MHD_HTTP_BAD_REQUEST, "expected hub.mode="
		    "subscribe and hub.challenge\n");
	n = strlen(challenge);
	for (i = 0; i < n; i++)
		if (challenge[i] < '!' || challenge[i] > '~')
			break;
	if (n == 0 || n > 256 || i < n)
		return reply(c, MHD_HTTP_BAD_REQUEST, "bad hub.challenge\n");
	if (a->verify == NULL) {
		hark_warn("verification request from %s refused: no verify "
		    "token is set", peer(c, ip, sizeof(ip)));
		return reply(c, MHD_HTTP_FORBIDDEN, "forbidden\n");
	}
	if (token == NULL || strlen(token) != strlen(a->verify) ||
	    !hark_mem_equal_ct(token, a->verify, strlen(token))) {
		hark_warn("verification request from %s refused: wrong verify "
		    "token", peer(c, ip, sizeof(ip)));
		return reply(c, MHD_HTTP_FORBIDDEN, "forbidden\n");
	}
	if (a->verbose)
		hark_warn("subscription verified for %s", peer(c, ip,
		    sizeof(ip)));
	return reply(c, MHD_HTTP_OK, challenge);
}

/* Whether the batch so far already holds ID (a delivery may repeat a
 * status). */
static int
in_batch(json_t *ids, const char *id)
{
	size_t i;
	json_t *v;

	json_array_foreach(ids, i, v)
		if (strcmp(json_string_value(v), id) == 0)
			return 1;
	return 0;
}

static enum MHD_Result
delivery(struct app *a, struct MHD_Connection *c, struct req *r)
{
	struct hark_err err = HARK_ERR_INIT;
	const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "X-Hub-Signature-256");
	json_t *recs, *ids, *rec;
	long ignored = 0, bad = 0, dups = 0;
	char ip[64], clean[200];
	size_t i;
	int n;

	if (sig == NULL) {
		hark_warn("delivery from %s rejected: no X-Hub-Signature-256",
		    peer(c, ip, sizeof(ip)));
		return reply(c, MHD_HTTP_UNAUTHORIZED, "signature required\n");
	}
	if (strncasecmp(sig, "sha256=", 7) != 0 ||
	    !hark_hmac_sha256_verify(a->secret, strlen(a->secret),
	    r->body.ptr != NULL ? r->body.ptr : "", r->body.len, sig + 7,
	    strlen(sig + 7))) {
		hark_warn("delivery from %s rejected: wrong signature",
		    peer(c, ip, sizeof(ip)));
		return reply(c, MHD_HTTP_FORBIDDEN, "wrong signature\n");
	}
	if (hark_now(&a->ctx.fetched_at, &err) < 0)
		a->ctx.fetched_at = (hark_time_t)time(NULL);
	recs = json_array();
	n = hark_webhook_map(r->body.ptr != NULL ? r->body.ptr : "",
	    r->body.len, &a->ctx, recs, &ignored, &bad, &err);
	if (n < 0) {
		json_decref(recs);
		hark_warn("delivery from %s rejected: %s", peer(c, ip,
		    sizeof(ip)), hark_sanitize(clean, sizeof(clean), err.msg,
		    strlen(err.msg)));
		reject_body(a, &r->body);
		return reply(c, MHD_HTTP_BAD_REQUEST, "not a webhook "
		    "delivery\n");
	}
	ids = json_array();
	hark_buf_reset(&a->batch);
	json_array_foreach(recs, i, rec) {
		const char *id = json_string_value(json_object_get(rec, "id"));

		if (id == NULL || ml_spool_seen(&a->spool, id) ||
		    in_batch(ids, id)) {
			dups++;
			continue;
		}
		json_array_append_new(ids, json_string(id));
		if (hark_buf_add_json(&a->batch, rec, 0) < 0 ||
		    hark_buf_addch(&a->batch, '\n') < 0) {
			json_decref(recs);
			json_decref(ids);
			hark_error("delivery from %s: records too large",
			    peer(c, ip, sizeof(ip)));
			return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "cannot store\n");
		}
	}
	json_decref(recs);
	if (a->batch.len > 0 && ml_spool_append(&a->spool, a->batch.ptr,
	    a->batch.len, &err) < 0) {
		/* no 200: the platform sends it again */
		json_decref(ids);
		hark_error("%s", err.msg);
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "cannot store\n");
	}
	json_array_foreach(ids, i, rec)
		ml_spool_remember(&a->spool, json_string_value(rec));
	json_decref(ids);
	if (a->kill_at == KILL_SPOOLED && a->batch.len > 0)
		raise(SIGKILL);
	if (bad > 0)
		hark_warn("delivery from %s: %ld item%s without an id or "
		    "sender skipped", peer(c, ip, sizeof(ip)), bad,
		    bad == 1 ? "" : "s");
	if (a->verbose)
		hark_warn("delivery from %s: %d record%s, %ld already seen, "
		    "%ld other event%s", peer(c, ip, sizeof(ip)), n,
		    n == 1 ? "" : "s", dups, ignored, ignored == 1 ? "" : "s");
	deliver(a);
	return reply(c, MHD_HTTP_OK, "ok\n");
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **con_cls)
{
	struct app *a = cls;
	struct req *r = *con_cls;

	(void)url;
	(void)version;
	if (r == NULL) {
		const char *cl = MHD_lookup_connection_value(c,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

		r = hark_xcalloc(1, sizeof(*r));
		hark_buf_init(&r->body, a->max_body);
		*con_cls = r;
		if (strcmp(method, "POST") == 0 && cl != NULL &&
		    strtoull(cl, NULL, 10) > a->max_body) {
			char ip[64];

			r->too_big = 1;
			hark_warn("delivery from %s rejected: larger than %zu "
			    "bytes", peer(c, ip, sizeof(ip)), a->max_body);
			return reply(c, MHD_HTTP_CONTENT_TOO_LARGE,
			    "payload too large\n");
		}
		return MHD_YES;
	}
	if (strcmp(method, "GET") == 0)
		return verification(a, c);
	if (strcmp(method, "POST") != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
	if (*size > 0) {
		if (!r->too_big && hark_buf_add(&r->body, data, *size) < 0) {
			r->too_big = 1;
			hark_buf_release(&r->body);
		}
		*size = 0;
		return MHD_YES;
	}
	if (r->too_big) {
		char ip[64];

		hark_warn("delivery from %s rejected: larger than %zu bytes",
		    peer(c, ip, sizeof(ip)), a->max_body);
		return reply(c, MHD_HTTP_CONTENT_TOO_LARGE,
		    "payload too large\n");
	}
	return delivery(a, c, r);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode code)
{
	struct req *r = *con_cls;

	(void)cls;
	(void)c;
	(void)code;
	if (r != NULL) {
		hark_buf_release(&r->body);
		free(r);
		*con_cls = NULL;
	}
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	if (!*(int *)cls)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	hark_warn("http: %s", buf);
}

/* "ADDR:PORT" or "[ADDR6]:PORT" (numeric) into SS. */
static int
parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *colon, *h = s;
	size_t hl;
	char *end;
	unsigned long port;

	memset(ss, 0, sizeof(*ss));
	if (*s == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL || rb[1] != ':')
			return -1;
		h = s + 1;
		hl = (size_t)(rb - h);
		colon = rb + 1;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			return -1;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port > 65535 || errno)
		return -1;
	if (*s != '[') {
		struct sockaddr_in *in = (struct sockaddr_in *)(void *)ss;

		if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
			return -1;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)ss;

		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			return -1;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*in6);
	}
	return 0;
}

static char *
secret(struct hark_common *c, const char *var, const char *file)
{
	struct hark_err err = HARK_ERR_INIT;
	char warn[256], *s = NULL;

	if (hark_secret_get(var, file, &s, warn, sizeof(warn), &err) < 0) {
		if (err.code == HARK_EXIT_USAGE)
			hark_usage_error(c, "%s", err.msg);
		hark_die(err.code ? err.code : HARK_EXIT_FAILURE, "%s",
		    err.msg);
	}
	if (*warn)
		hark_warn("%s", warn);
	return s;
}

int
main(int argc, char **argv)
{
	struct hark_common c;
	struct hark_err err = HARK_ERR_INIT;
	struct app a;
	const char *secret_file = NULL, *verify_file = NULL, *state_dir = NULL;
	const char *listen_at = "127.0.0.1:8080", *cert = NULL, *key = NULL;
	const char *kill_at;
	char *dir, *certpem = NULL, *keypem = NULL;
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	unsigned timeout = 10, flags;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	sigset_t set;
	int opt, sig = 0, status = HARK_EXIT_OK;

	hark_init(&c, "mention-listen", synopsis, help);
	memset(&a, 0, sizeof(a));
	a.max_body = 1u << 20;
	a.keep = 7;
	a.out_fd = 1;
	a.rejects_fd = -1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case OPT_APP_SECRET_FILE:
			secret_file = optarg;
			break;
		case OPT_KEEP:
			a.keep = (long)hark_opt_number(&c, "--keep", optarg, 0,
			    3650);
			break;
		case OPT_LISTEN:
			listen_at = optarg;
			break;
		case OPT_MAX_BODY:
			a.max_body = (size_t)hark_opt_number(&c, "--max-body",
			    optarg, 1024, 256L << 20);
			break;
		case OPT_QUERY:
			a.ctx.query = optarg;
			break;
		case OPT_RAW:
			a.ctx.raw = 1;
			break;
		case OPT_STATE_DIR:
			state_dir = optarg;
			break;
		case OPT_TIMEOUT:
			timeout = (unsigned)hark_opt_number(&c, "--timeout",
			    optarg, 1, 3600);
			break;
		case OPT_TLS_CERT:
			cert = optarg;
			break;
		case OPT_TLS_KEY:
			key = optarg;
			break;
		case OPT_VERIFY_TOKEN_FILE:
			verify_file = optarg;
			break;
		case '?':
		case ':':
			hark_bad_option(&c, opt, argv);
		default:
			if (!hark_common_option(&c, opt, optarg))
				hark_bad_option(&c, opt, argv);
		}
	}
	if (optind < argc)
		hark_usage_error(&c, "unexpected operand '%s'", argv[optind]);
	if ((cert == NULL) != (key == NULL))
		hark_usage_error(&c, "--tls-cert and --tls-key go together");
	if (parse_listen(listen_at, &ss, &sslen) < 0)
		hark_usage_error(&c, "--listen: expected ADDR:PORT or "
		    "[ADDR6]:PORT, not '%s'", listen_at);
	a.verbose = c.verbose;
	if ((kill_at = getenv("HARK_TEST_LISTEN_KILL")) != NULL)
		a.kill_at = strcmp(kill_at, "spooled") == 0 ? KILL_SPOOLED :
		    strcmp(kill_at, "written") == 0 ? KILL_WRITTEN : KILL_NONE;

	a.secret = secret(&c, "HARK_LISTEN_APP_SECRET", secret_file);
	if (a.secret == NULL)
		hark_usage_error(&c, "no app secret: set "
		    "HARK_LISTEN_APP_SECRET or HARK_LISTEN_APP_SECRET_FILE, "
		    "or give --app-secret-file");
	a.verify = secret(&c, "HARK_LISTEN_VERIFY_TOKEN", verify_file);
	if (cert != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			hark_die(HARK_EXIT_USAGE, "this libmicrohttpd was "
			    "built without TLS: use a reverse proxy for "
			    "HTTPS");
		if ((certpem = hark_read_file(cert, 1u << 20, NULL, &err)) ==
		    NULL || (keypem = hark_read_file(key, 1u << 20, NULL,
		    &err)) == NULL)
			hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
	}

	if (c.output != NULL && strcmp(c.output, "-") != 0) {
		if ((a.out_fd = open(c.output, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0644)) < 0)
			hark_die(HARK_EXIT_FAILURE, "cannot open '%s': %s",
			    c.output, strerror(errno));
		a.out_name = c.output;
		a.out_sync = 1;
	} else
		a.out_name = "<stdout>";
	if (c.rejects != NULL && (a.rejects_fd = open(c.rejects, O_WRONLY |
	    O_CREAT | O_APPEND | O_CLOEXEC, 0600)) < 0)
		hark_die(HARK_EXIT_FAILURE, "cannot open '%s': %s", c.rejects,
		    strerror(errno));
	dir = state_dir != NULL ? hark_xstrdup(state_dir) :
	    hark_xdg_path(HARK_XDG_STATE, "mention-listen");
	if (dir == NULL)
		hark_die(HARK_EXIT_FAILURE, "no state directory: set "
		    "XDG_STATE_HOME or HOME, or give --state-dir");
	status = ml_spool_open(&a.spool, dir, &err);
	free(dir);
	if (status < 0) {
		ml_spool_close(&a.spool);
		hark_die(err.code ? err.code : HARK_EXIT_FAILURE, "%s",
		    err.msg);
	}
	status = HARK_EXIT_OK;
	hark_buf_init(&a.batch, 64u << 20);
	hark_buf_init(&a.pending, 1u << 30);

	deliver_left(&a);
	if (a.failed) {
		status = HARK_EXIT_FAILURE;
		goto done;
	}
	if (hark_now(&a.ctx.fetched_at, &err) == 0 &&
	    ml_spool_compact(&a.spool, a.ctx.fetched_at - a.keep * 86400,
	    &err) < 0)
		hark_warn("%s", err.msg);

	/* the server's thread inherits the mask: only main() sees these */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert != NULL)
		flags |= MHD_USE_TLS;
	d = cert != NULL ?
	    MHD_start_daemon(flags, 0, NULL, NULL, handle, &a,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &a.verbose,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_TIMEOUT, timeout,
	    MHD_OPTION_CONNECTION_LIMIT, 64u,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_HTTPS_MEM_CERT, certpem,
	    MHD_OPTION_HTTPS_MEM_KEY, keypem,
	    MHD_OPTION_END) :
	    MHD_start_daemon(flags, 0, NULL, NULL, handle, &a,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &a.verbose,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_TIMEOUT, timeout,
	    MHD_OPTION_CONNECTION_LIMIT, 64u,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		hark_error("cannot listen on %s%s%s", listen_at, cert != NULL ?
		    " with TLS: check the certificate and key" : ": ",
		    cert != NULL ? "" : "address in use or not available");
		status = HARK_EXIT_FAILURE;
		goto done;
	}
	if (c.verbose && (di = MHD_get_daemon_info(d,
	    MHD_DAEMON_INFO_BIND_PORT)) != NULL) {
		char host[64];

		if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)
			    &ss)->sin6_addr, host, sizeof(host));
		else
			inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)
			    &ss)->sin_addr, host, sizeof(host));
		hark_warn("listening on %s://%s%s%s:%u/", cert != NULL ?
		    "https" : "http", ss.ss_family == AF_INET6 ? "[" : "",
		    host, ss.ss_family == AF_INET6 ? "]" : "",
		    (unsigned)di->port);
	}
	while (sigwait(&set, &sig) != 0 || sig == 0)
		;
	MHD_stop_daemon(d);	/* finishes the request in hand */
	if (a.failed)
		status = HARK_EXIT_FAILURE;
	if (c.verbose)
		hark_warn("stopped by signal %d", sig);
done:
	ml_spool_close(&a.spool);
	hark_secret_free(a.secret);
	hark_secret_free(a.verify);
	if (keypem != NULL) {
		memset(keypem, 0, strlen(keypem));
		free(keypem);
	}
	free(certpem);
	hark_buf_release(&a.batch);
	hark_buf_release(&a.pending);
	if (a.out_fd > 2 && close(a.out_fd) < 0)
		status = HARK_EXIT_FAILURE;
	if (a.rejects_fd >= 0)
		close(a.rejects_fd);
	return status;
}
