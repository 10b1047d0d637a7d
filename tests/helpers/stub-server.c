/*
 * stub-server - the loopback HTTP server mention-fetch's tests talk to:
 * canned responses chosen by a routing file, every request logged.
 *
 *   stub-server [-D] [-d DIR] [-l LOG] [-p PORTFILE] [-r ROUTES] [-t SECS]
 *   stub-server -Q PORT          ask a running server to quit
 *
 * It binds 127.0.0.1 on a port the kernel picks and prints the port on
 * stdout (and writes it to PORTFILE).  With -D it forks: the parent prints
 * the port once the child listens and exits, so a test can write
 * port=$(stub-server -D ...).  The server stops by itself after SECS
 * seconds (default 20) or when it receives "GET /__quit".
 *
 * ROUTES (default DIR/routes) has one route per line, first match wins:
 *
 *   METHOD PATH[?QUERY] [option ...]
 *
 * METHOD may be '*'.  PATH must be equal (a trailing '*' matches any
 * rest).  Each QUERY parameter must be present with that value (after
 * percent-decoding; "name=*" any value, "name=pre*" a value starting
 * with "pre"); "!name" requires its absence;
 * other parameters of the request are ignored.  Options (a value may be
 * "double quoted"):
 *
 *   file=F        body from DIR/F, or F when absolute; ${VAR} in F is
 *                 taken from the environment ("${FIXTURES}/x.json");
 *                 "@BASE@" in the body becomes http://127.0.0.1:PORT
 *   body=TEXT     literal body
 *   status=N      default 200 (with a body) or 204
 *   header=N:V    extra response header (repeatable; @BASE@ substituted)
 *   ctype=T       Content-Type (default from the file name: .json, .xml...)
 *   delay=MS      wait before answering
 *   timeout       never answer (hold the connection until the server stops)
 *   times=N       serve this route N times, then let later routes match
 *                 (a sequence: first 503, then 200)
 *   match=N:V     also require request header N to equal V
 *
 * The log (LOG) gets one line per request, written before the answer:
 *   METHOD TARGET | Name: value | ...   for the headers Authorization,
 * If-None-Match, If-Modified-Since, Content-Type, Idempotency-Key and
 * apikey (Trustpilot's key header) (when present), then
 * "| body: ..." for a request body.  Unmatched requests get 404 and are
 * logged with a leading '!'.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hark.h"
#include "err.h"
#include "buf.h"

#define MAX_REQ		(256 * 1024)
#define MAX_ROUTES	512
#define MAX_OPTS	16

struct route {
	char *method;
	char *path;
	char *query;		/* NULL: any */
	char *file, *body, *ctype;
	char *headers[MAX_OPTS];
	int nheaders;
	char *match[MAX_OPTS];
	int nmatch;
	int status;
	long delay;
	int timeout;
	int times;		/* -1 unlimited */
};

static struct route routes[MAX_ROUTES];
static int nroutes;
static const char *dir = ".";
static int logfd = -1;
static int port;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void
usage(void)
{
	fprintf(stderr, "usage: stub-server [-D] [-d DIR] [-l LOG] "
	    "[-p PORTFILE] [-r ROUTES] [-t SECS]\n"
	    "       stub-server -Q PORT\n");
	exit(2);
}

/* Split LINE into blank-separated words; "..." quotes a word (with \"). */
static int
words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line, *o;

	while (n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		w[n++] = o = p;
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			if (*p == '"') {
				for (p++; *p != '\0' && *p != '"'; p++) {
					if (*p == '\\' && p[1] != '\0')
						p++;
					*o++ = *p;
				}
				if (*p == '"')
					p++;
				continue;
			}
			*o++ = *p++;
		}
		if (*p != '\0')
			p++;
		*o = '\0';
	}
	return n;
}

/* Copy V with every ${NAME} replaced by the environment's value. */
static char *
expand(const char *v)
{
	struct hark_buf b = HARK_BUF_INIT(65536);
	const char *end;

	while (*v != '\0') {
		if (v[0] == '$' && v[1] == '{' && (end = strchr(v, '}')) !=
		    NULL) {
			char *name = hark_xstrndup(v + 2,
			    (size_t)(end - v - 2));
			const char *val = getenv(name);

			hark_buf_addstr(&b, val ? val : "");
			free(name);
			v = end + 1;
			continue;
		}
		hark_buf_addch(&b, *v++);
	}
	return hark_buf_detach(&b, NULL);
}

static void
load_routes(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *w[MAX_OPTS * 3];
	size_t cap = 0;
	ssize_t len;
	int n, i, lineno = 0;

	if (fp == NULL)
		hark_die(1, "cannot open '%s': %s", path, strerror(errno));
	while ((len = getline(&line, &cap, fp)) >= 0) {
		struct route *r;
		char *q;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		n = words(line, w, (int)HARK_ARRAY_SIZE(w));
		if (n == 0)
			continue;
		if (n < 2 || nroutes == MAX_ROUTES)
			hark_die(2, "%s:%d: bad route", path, lineno);
		r = &routes[nroutes++];
		r->method = hark_xstrdup(w[0]);
		r->path = hark_xstrdup(w[1]);
		if ((q = strchr(r->path, '?')) != NULL) {
			*q = '\0';
			r->query = q + 1;
		}
		r->times = -1;
		r->status = -1;
		for (i = 2; i < n; i++) {
			char *v = strchr(w[i], '=');

			if (strcmp(w[i], "timeout") == 0) {
				r->timeout = 1;
				continue;
			}
			if (v == NULL)
				hark_die(2, "%s:%d: bad option '%s'", path,
				    lineno, w[i]);
			*v++ = '\0';
			if (strcmp(w[i], "file") == 0)
				r->file = expand(v);
			else if (strcmp(w[i], "body") == 0)
				r->body = hark_xstrdup(v);
			else if (strcmp(w[i], "ctype") == 0)
				r->ctype = hark_xstrdup(v);
			else if (strcmp(w[i], "status") == 0)
				r->status = (int)strtol(v, NULL, 10);
			else if (strcmp(w[i], "delay") == 0)
				r->delay = strtol(v, NULL, 10);
			else if (strcmp(w[i], "times") == 0)
				r->times = (int)strtol(v, NULL, 10);
			else if (strcmp(w[i], "header") == 0 &&
			    r->nheaders < MAX_OPTS)
				r->headers[r->nheaders++] = hark_xstrdup(v);
			else if (strcmp(w[i], "match") == 0 &&
			    r->nmatch < MAX_OPTS)
				r->match[r->nmatch++] = hark_xstrdup(v);
			else
				hark_die(2, "%s:%d: bad option '%s'", path,
				    lineno, w[i]);
		}
	}
	free(line);
	fclose(fp);
}

/* Percent-decode (and '+' -> ' ') N bytes of S into a new string. */
static char *
pdecode(const char *s, size_t n)
{
	char *o = hark_xmalloc(n + 1), *p = o;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hark_hexval(s[i + 1]) >= 0 &&
		    hark_hexval(s[i + 2]) >= 0) {
			*p++ = (char)(hark_hexval(s[i + 1]) * 16 + hark_hexval(s[i + 2]));
			i += 2;
		} else {
			*p++ = s[i] == '+' ? ' ' : s[i];
		}
	}
	*p = '\0';
	return o;
}

/* The decoded value of NAME in query Q (new string), or NULL. */
static char *
qget(const char *q, const char *name)
{
	size_t nlen = strlen(name);

	while (q != NULL && *q != '\0') {
		size_t n = strcspn(q, "&");
		const char *eq = memchr(q, '=', n);
		size_t klen = eq ? (size_t)(eq - q) : n;
		char *k = pdecode(q, klen);
		int hit = strlen(k) == nlen && strcmp(k, name) == 0;

		free(k);
		if (hit)
			return eq ? pdecode(eq + 1, n - klen - 1) :
			    hark_xstrdup("");
		q += n;
		if (*q == '&')
			q++;
	}
	return NULL;
}

static int
query_matches(const char *want, const char *have)
{
	char *copy, *p, *tok, *v, *got;
	int ok = 1;

	if (want == NULL)
		return 1;
	copy = hark_xstrdup(want);
	for (p = copy; ok && p != NULL && *p != '\0'; p = tok) {
		tok = strchr(p, '&');
		if (tok != NULL)
			*tok++ = '\0';
		if (*p == '!') {
			got = qget(have, p + 1);
			ok = got == NULL;
			free(got);
			continue;
		}
		v = strchr(p, '=');
		if (v != NULL)
			*v++ = '\0';
		{
			char *key = pdecode(p, strlen(p));

			got = qget(have, key);
			free(key);
		}
		if (got == NULL) {
			ok = 0;
		} else if (v != NULL && strcmp(v, "*") != 0) {
			char *dv = pdecode(v, strlen(v));
			size_t dl = strlen(dv);

			/* "name=pre*": any value starting with "pre" */
			if (dl > 0 && dv[dl - 1] == '*')
				ok = strncmp(dv, got, dl - 1) == 0;
			else
				ok = strcmp(dv, got) == 0;
			free(dv);
		}
		free(got);
	}
	free(copy);
	return ok;
}

static const char *
req_header(const char *hdrs, const char *name, size_t *vlen)
{
	size_t nlen = strlen(name);
	const char *p = hdrs;

	while (p != NULL && *p != '\0') {
		const char *eol = strstr(p, "\r\n");

		if (eol == NULL)
			eol = p + strlen(p);
		if ((size_t)(eol - p) > nlen && p[nlen] == ':' &&
		    strncasecmp(p, name, nlen) == 0) {
			const char *v = p + nlen + 1;

			while (*v == ' ')
				v++;
			*vlen = (size_t)(eol - v);
			return v;
		}
		p = *eol ? eol + 2 : eol;
	}
	return NULL;
}

static int
headers_match(const struct route *r, const char *hdrs)
{
	int i;

	for (i = 0; i < r->nmatch; i++) {
		const char *colon = strchr(r->match[i], ':'), *v;
		char name[128];
		size_t vlen;

		if (colon == NULL || (size_t)(colon - r->match[i]) >=
		    sizeof(name))
			return 0;
		memcpy(name, r->match[i], (size_t)(colon - r->match[i]));
		name[colon - r->match[i]] = '\0';
		v = req_header(hdrs, name, &vlen);
		if (v == NULL || strlen(colon + 1) != vlen ||
		    memcmp(colon + 1, v, vlen) != 0)
			return 0;
	}
	return 1;
}

static struct route *
find_route(const char *method, const char *path, const char *query,
    const char *hdrs)
{
	int i;

	pthread_mutex_lock(&mu);
	for (i = 0; i < nroutes; i++) {
		struct route *r = &routes[i];
		size_t plen = strlen(r->path);

		if (strcmp(r->method, "*") != 0 &&
		    strcmp(r->method, method) != 0)
			continue;
		if (plen > 0 && r->path[plen - 1] == '*') {
			if (strncmp(r->path, path, plen - 1) != 0)
				continue;
		} else if (strcmp(r->path, path) != 0) {
			continue;
		}
		if (!query_matches(r->query, query) || !headers_match(r, hdrs))
			continue;
		if (r->times == 0)
			continue;
		if (r->times > 0)
			r->times--;
		pthread_mutex_unlock(&mu);
		return r;
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Replace every "@BASE@" in S[0..N) into OUT. */
static void
subst(struct hark_buf *out, const char *s, size_t n)
{
	char base[64];
	const char *end = s + n, *at;

	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
	while (s < end) {
		at = NULL;
		for (const char *p = s; p + 6 <= end; p++)
			if (memcmp(p, "@BASE@", 6) == 0) {
				at = p;
				break;
			}
		if (at == NULL) {
			hark_buf_add(out, s, (size_t)(end - s));
			break;
		}
		hark_buf_add(out, s, (size_t)(at - s));
		hark_buf_addstr(out, base);
		s = at + 6;
	}
}

static void
log_request(int miss, const char *method, const char *target,
    const char *hdrs, const char *body, size_t blen)
{
	static const char *const names[] = {
		"Authorization", "If-None-Match", "If-Modified-Since",
		"Content-Type", "Idempotency-Key", "apikey"
	};
	struct hark_buf b = HARK_BUF_INIT(MAX_REQ * 2);
	size_t i, vlen;
	const char *v;

	if (logfd < 0)
		return;
	hark_buf_addf(&b, "%s%s %s", miss ? "!" : "", method, target);
	for (i = 0; i < HARK_ARRAY_SIZE(names); i++) {
		if ((v = req_header(hdrs, names[i], &vlen)) != NULL) {
			hark_buf_addf(&b, " | %s: ", names[i]);
			hark_buf_add(&b, v, vlen);
		}
	}
	if (blen > 0) {
		hark_buf_addstr(&b, " | body: ");
		for (i = 0; i < blen; i++)
			hark_buf_addch(&b, body[i] == '\n' ? ' ' : body[i]);
	}
	hark_buf_addch(&b, '\n');
	pthread_mutex_lock(&mu);
	write_all(logfd, b.ptr, b.len);
	pthread_mutex_unlock(&mu);
	hark_buf_release(&b);
}

static const char *
ctype_for(const char *file)
{
	const char *dot = file ? strrchr(file, '.') : NULL;

	if (dot == NULL)
		return "text/plain; charset=utf-8";
	if (strcmp(dot, ".json") == 0)
		return "application/json; charset=utf-8";
	if (strcmp(dot, ".rss") == 0)
		return "application/rss+xml";
	if (strcmp(dot, ".atom") == 0)
		return "application/atom+xml";
	if (strcmp(dot, ".xml") == 0)
		return "application/xml";
	if (strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	return "text/plain; charset=utf-8";
}

static void
respond(int fd, struct route *r)
{
	struct hark_buf body = HARK_BUF_INIT(64u * 1024 * 1024);
	struct hark_buf out = HARK_BUF_INIT(65u * 1024 * 1024);
	int status, i;

	if (r->delay > 0) {
		struct timespec ts = { r->delay / 1000,
		    (r->delay % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	if (r->timeout) {
		for (;;)
			pause();
	}
	if (r->file != NULL) {
		char *path = r->file[0] == '/' ? hark_xstrdup(r->file) :
		    hark_xasprintf("%s/%s", dir, r->file);
		struct hark_buf raw = HARK_BUF_INIT(64u * 1024 * 1024);
		FILE *fp = fopen(path, "rb");

		if (fp != NULL) {
			char chunk[8192];
			size_t n;

			while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
				hark_buf_add(&raw, chunk, n);
			fclose(fp);
			subst(&body, raw.ptr ? raw.ptr : "", raw.len);
		} else {
			hark_buf_addf(&body, "stub-server: no file %s\n",
			    r->file);
		}
		hark_buf_release(&raw);
		free(path);
	} else if (r->body != NULL) {
		subst(&body, r->body, strlen(r->body));
	}
	status = r->status >= 0 ? r->status :
	    (r->file || r->body) ? 200 : 204;
	hark_buf_addf(&out, "HTTP/1.1 %d Stub\r\nConnection: close\r\n",
	    status);
	if (status != 204 && status != 304) {
		hark_buf_addf(&out, "Content-Type: %s\r\n",
		    r->ctype ? r->ctype : ctype_for(r->file));
		hark_buf_addf(&out, "Content-Length: %zu\r\n", body.len);
	}
	for (i = 0; i < r->nheaders; i++) {
		subst(&out, r->headers[i], strlen(r->headers[i]));
		hark_buf_addstr(&out, "\r\n");
	}
	hark_buf_addstr(&out, "\r\n");
	if (status != 204 && status != 304)
		hark_buf_add(&out, body.ptr ? body.ptr : "", body.len);
	write_all(fd, out.ptr, out.len);
	hark_buf_release(&body);
	hark_buf_release(&out);
}

static void *
serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct hark_buf in = HARK_BUF_INIT(MAX_REQ);
	char chunk[4096], *hend, *sp1, *sp2, *query, *target = NULL;
	char method[16], path[4096];
	const char *cl, *hdrs;
	size_t clen = 0, vlen, hlen;
	struct route *r;
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || hark_buf_add(&in, chunk, (size_t)n) < 0)
			goto out;
		if ((hend = strstr(in.ptr, "\r\n\r\n")) == NULL)
			continue;
		hlen = (size_t)(hend - in.ptr) + 4;
		if ((cl = req_header(in.ptr, "Content-Length", &vlen)) != NULL)
			clen = (size_t)strtoul(cl, NULL, 10);
		if (in.len >= hlen + clen)
			break;
	}
	sp1 = strchr(in.ptr, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (sp1 == NULL || sp2 == NULL || sp1 - in.ptr >= (long)sizeof(method)
	    || sp2 - sp1 - 1 >= (long)sizeof(path))
		goto out;
	memcpy(method, in.ptr, (size_t)(sp1 - in.ptr));
	method[sp1 - in.ptr] = '\0';
	target = hark_xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	snprintf(path, sizeof(path), "%s", target);
	query = strchr(path, '?');
	if (query != NULL)
		*query++ = '\0';
	hdrs = strstr(in.ptr, "\r\n") + 2;
	if (strcmp(path, "/__quit") == 0) {
		write_all(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n"
		    "Content-Length: 0\r\n\r\n", 57);
		close(fd);
		_exit(0);
	}
	r = find_route(method, path, query ? query : "", hdrs);
	log_request(r == NULL, method, target, hdrs, in.ptr + hlen, clen);
	if (r == NULL) {
		static const char nf[] = "HTTP/1.1 404 Not Found\r\n"
		    "Connection: close\r\nContent-Type: text/plain\r\n"
		    "Content-Length: 8\r\n\r\nno route";

		write_all(fd, nf, sizeof(nf) - 1);
	} else {
		respond(fd, r);
	}
out:
	free(target);
	hark_buf_release(&in);
	shutdown(fd, SHUT_WR);
	/* drain so the client sees our answer rather than a reset */
	while (read(fd, chunk, sizeof(chunk)) > 0)
		;
	close(fd);
	return NULL;
}

static int
quit_server(const char *p)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char buf[256];
	static const char req[] = "GET /__quit HTTP/1.0\r\n\r\n";

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)strtol(p, NULL, 10));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return 1;
	write_all(fd, req, sizeof(req) - 1);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	return 0;
}

static void
on_alarm(int sig)
{
	(void)sig;
	_exit(0);
}

int
main(int argc, char **argv)
{
	const char *logpath = NULL, *portfile = NULL, *routefile = NULL;
	struct sockaddr_in sa;
	socklen_t slen = sizeof(sa);
	int c, lfd, daemonize = 0, pfd[2] = { -1, -1 };
	long secs = 20;

	hark_progname = "stub-server";
	while ((c = getopt(argc, argv, "Dd:l:p:Q:r:t:")) != -1) {
		switch (c) {
		case 'D': daemonize = 1; break;
		case 'd': dir = optarg; break;
		case 'l': logpath = optarg; break;
		case 'p': portfile = optarg; break;
		case 'Q': return quit_server(optarg);
		case 'r': routefile = optarg; break;
		case 't': secs = strtol(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	load_routes(routefile ? routefile :
	    hark_xasprintf("%s/routes", dir));
	if (logpath != NULL && (logfd = open(logpath,
	    O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0)
		hark_die(1, "cannot open '%s': %s", logpath, strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		hark_die(1, "socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &slen) < 0)
		hark_die(1, "cannot listen: %s", strerror(errno));
	port = ntohs(sa.sin_port);
	if (portfile != NULL) {
		char *tmp = hark_xasprintf("%s.tmp", portfile);
		FILE *fp = fopen(tmp, "w");

		if (fp == NULL || fprintf(fp, "%d\n", port) < 0 ||
		    fclose(fp) != 0 || rename(tmp, portfile) < 0)
			hark_die(1, "cannot write '%s'", portfile);
		free(tmp);
	}
	if (daemonize) {
		pid_t pid;
		int devnull;

		if (pipe(pfd) < 0 || (pid = fork()) < 0)
			hark_die(1, "fork: %s", strerror(errno));
		if (pid > 0) {
			char b[16];

			close(pfd[1]);
			/* the child closes its end once it is ready */
			while (read(pfd[0], b, sizeof(b)) > 0)
				;
			printf("%d\n", port);
			/* _exit: the routes belong to the child now */
			_exit(fflush(stdout) == 0 ? 0 : 1);
		}
		setsid();
		close(pfd[0]);
		devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		if (devnull > 2)
			close(devnull);
		close(pfd[1]);
	} else {
		printf("%d\n", port);
		fflush(stdout);
	}
	signal(SIGALRM, on_alarm);
	alarm((unsigned)secs);
	for (;;) {
		pthread_t t;
		pthread_attr_t at;
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			hark_die(1, "accept: %s", strerror(errno));
		}
		pthread_attr_init(&at);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &at, serve, (void *)(intptr_t)fd) != 0)
			close(fd);
		pthread_attr_destroy(&at);
	}
}
