/* test-http.c - header lookup, Link parsing, wait hints, redaction,
 * escaping; secrets and the run lock. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hark.h"
#include "http.h"
#include "secret.h"
#include "lock.h"
#include "tap.h"

static struct hark_http_resp
resp(long status, const char *headers)
{
	struct hark_http_resp r;

	memset(&r, 0, sizeof(r));
	r.status = status;
	r.headers = (char *)headers;
	r.body = (char *)"";
	return r;
}

static void
is_hdr(const struct hark_http_resp *r, const char *name, const char *want)
{
	char *v = hark_http_header(r, name);

	is_str(v, want, "header %s", name);
	free(v);
}

static void
is_redacted(const char *url, const char *want)
{
	char out[512];

	is_str(hark_http_redact(url, out, sizeof(out)), want, "redact %s", url);
}

int
main(void)
{
	struct hark_http_resp r;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_lock l1 = HARK_LOCK_INIT;
	char *s, warn[256], dir[] = "/tmp/hark-test-http.XXXXXX", path[512];
	hark_time_t now = 1741651200;	/* 2025-03-11T00:00:00Z */
	pid_t pid;
	int st, fd;

	r = resp(200, "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\ncontent-type: "
	    "application/json\r\nX-Dup: a\r\nx-dup:  b  \r\n\r\n");
	is_hdr(&r, "etag", "\"v1\"");
	is_hdr(&r, "Content-Type", "application/json");
	is_hdr(&r, "x-dup", "b");
	is_hdr(&r, "missing", NULL);
	is_hdr(&r, "content", NULL);

	r = resp(200, "Link: <https://m.example/api/v1/timelines/tag/x?"
	    "max_id=10>; rel=\"next\", <https://m.example/api/v1/timelines/"
	    "tag/x?min_id=20>; rel=\"prev\"\r\n");
	s = hark_http_link(&r, "next");
	is_str(s, "https://m.example/api/v1/timelines/tag/x?max_id=10",
	    "Link rel=next");
	free(s);
	s = hark_http_link(&r, "prev");
	is_str(s, "https://m.example/api/v1/timelines/tag/x?min_id=20",
	    "Link rel=prev");
	free(s);
	s = hark_http_link(&r, "last");
	is_str(s, NULL, "Link rel=last absent");
	free(s);

	r = resp(429, "Retry-After: 7\r\n");
	is_int((long)hark_http_wait_hint(&r, now), 7, "Retry-After seconds");
	r = resp(503, "Retry-After: Tue, 11 Mar 2025 00:00:30 GMT\r\n");
	is_int((long)hark_http_wait_hint(&r, now), 30, "Retry-After date");
	r = resp(429, "x-rate-limit-reset: 1741651260\r\n");
	is_int((long)hark_http_wait_hint(&r, now), 60, "X epoch reset");
	r = resp(429, "X-Ratelimit-Reset: 42\r\n");
	is_int((long)hark_http_wait_hint(&r, now), 42, "Reddit delta reset");
	r = resp(429, "X-RateLimit-Reset: 2025-03-11T00:05:00.000000Z\r\n");
	is_int((long)hark_http_wait_hint(&r, now), 300, "Mastodon ISO reset");
	r = resp(429, "RateLimit-Reset: 1741651100\r\n");
	is_int((long)hark_http_wait_hint(&r, now), 0, "reset in the past");
	r = resp(200, "x-rate-limit-reset: 1741651260\r\n");
	is_int((long)hark_http_wait_hint(&r, now), -1,
	    "reset ignored unless throttled");
	r = resp(503, "");
	is_int((long)hark_http_wait_hint(&r, now), -1, "no hint");
	r = resp(200, "x-ratelimit-remaining: 0.0\r\nx-ratelimit-reset: 30\r\n");
	is_int((long)hark_http_exhausted(&r, now), 30, "Reddit used up");
	r = resp(200, "x-ratelimit-remaining: 996.0\r\nx-ratelimit-reset: 30\r\n");
	is_int((long)hark_http_exhausted(&r, now), -1, "Reddit not used up");
	r = resp(200, "ratelimit-remaining: 0\r\nratelimit-reset: 1741651210\r\n");
	is_int((long)hark_http_exhausted(&r, now), 10, "Bluesky used up");
	r = resp(200, "x-rate-limit-remaining: 0\r\n");
	is_int((long)hark_http_exhausted(&r, now), -1, "no reset: no pause");

	is_redacted("https://graph.facebook.com/v19.0/1/feed?access_token="
	    "EAAB&limit=2&after=X", "https://graph.facebook.com/v19.0/1/feed?"
	    "access_token=REDACTED&limit=2&after=X");
	is_redacted("https://y.example/v3/c?part=s&key=AIza#frag",
	    "https://y.example/v3/c?part=s&key=REDACTED#frag");
	is_redacted("https://e.example/a?monkey=1&KEY=2",
	    "https://e.example/a?monkey=1&KEY=REDACTED");
	is_redacted("https://e.example/plain", "https://e.example/plain");

	s = hark_http_escape("lumilo OR \"zwrot pieniędzy\" ~._-");
	is_str(s, "lumilo%20OR%20%22zwrot%20pieni%C4%99dzy%22%20~._-",
	    "escape");
	free(s);

	/* secrets */
	if (mkdtemp(dir) == NULL)
		return 1;
	unsetenv("T_SECRET");
	unsetenv("T_SECRET_FILE");
	ok(hark_secret_get("T_SECRET", NULL, &s, warn, sizeof(warn), &err) ==
	    0 && s == NULL, "no secret set");
	setenv("T_SECRET", "abc", 1);
	ok(hark_secret_get("T_SECRET", NULL, &s, warn, sizeof(warn), &err) ==
	    0 && s != NULL && strcmp(s, "abc") == 0, "secret from VAR");
	hark_secret_free(s);
	snprintf(path, sizeof(path), "%s/tok", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "from-file\r\n", 11) != 11 || close(fd) < 0)
		return 1;
	setenv("T_SECRET_FILE", path, 1);
	ok(hark_secret_get("T_SECRET", NULL, &s, warn, sizeof(warn), &err) ==
	    -1 && err.code == 2, "VAR and VAR_FILE both set: usage error");
	unsetenv("T_SECRET");
	ok(hark_secret_get("T_SECRET", NULL, &s, warn, sizeof(warn), &err) ==
	    0 && s != NULL && strcmp(s, "from-file") == 0,
	    "secret from VAR_FILE, CRLF removed");
	ok(strstr(warn, "readable by others") != NULL, "0644 file warned");
	hark_secret_free(s);
	chmod(path, 0600);
	ok(hark_secret_get("T_SECRET", path, &s, warn, sizeof(warn), &err) ==
	    0 && warn[0] == '\0', "0600 file not warned");
	hark_secret_free(s);
	ok(hark_secret_get("T_SECRET", "/nonexistent/x", &s, NULL, 0, &err) ==
	    -1 && err.code == 1, "missing file");
	unsetenv("T_SECRET_FILE");

	/* the lock: held by a child, refused here, free after it exits */
	snprintf(path, sizeof(path), "%s/lock", dir);
	ok(hark_lock_acquire(&l1, path, 0, &err) == 0, "lock taken");
	pid = fork();
	if (pid == 0) {
		struct hark_lock l2 = HARK_LOCK_INIT;
		struct hark_err e2 = HARK_ERR_INIT;

		_exit(hark_lock_acquire(&l2, path, 0.1, &e2) == -1 &&
		    e2.code == 4 && strstr(e2.msg, "locked by another run") ?
		    0 : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "second process refused with code 4");
	hark_lock_release(&l1);
	pid = fork();
	if (pid == 0) {
		struct hark_lock l2 = HARK_LOCK_INIT;

		_exit(hark_lock_acquire(&l2, path, 0, NULL) == 0 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "free after release");
	unlink(path);
	snprintf(path, sizeof(path), "%s/tok", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
