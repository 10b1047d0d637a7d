/* err.c - diagnostics and checked allocation. */
#include <ctype.h>
#include "err.h"
#include "utf8.h"

const char *hark_progname = "hark";
int hark_quiet;

static long fail_at;
static long alloc_count;

int
hark_exit_merge(int a, int b)
{
	/* Rejected input (3) outranks a missed check (5): the checked
	 * figures came from incomplete input. */
	static const int rank[] = { 0, 4, 5, 2, 3, 1 };

	if (a < 0 || a > 5)
		return a;
	if (b < 0 || b > 5)
		return b;
	return rank[a] >= rank[b] ? a : b;
}

static void
err_vset(struct hark_err *err, int code, long line, long column,
    const char *fmt, va_list ap)
{
	if (err == NULL)
		return;
	err->code = code;
	err->line = line;
	err->column = column;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int
hark_err_set(struct hark_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, code, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
hark_err_setl(struct hark_err *err, int code, long line, long column,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, code, line, column, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Control characters in a message (from a record, a config file, a
 * server's answer) never reach the terminal: every C0 control but tab and
 * newline, DEL and the UTF-8 C1 controls become '?' (git's vreportf).
 */
static void
defuse(char *msg)
{
	unsigned char *r = (unsigned char *)msg, *w = r;

	for (; *r != '\0'; r++) {
		if (r[0] == 0xc2 && r[1] >= 0x80 && r[1] <= 0x9f) {
			*w++ = '?';
			r++;
		} else if ((*r < 0x20 && *r != '\t' && *r != '\n') ||
		    *r == 0x7f) {
			*w++ = '?';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static void
vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	hark_redact(msg, sizeof(msg));	/* first: it must see the secret as written */
	defuse(msg);
	fflush(stdout);
	fprintf(stderr, "%s: %s%s\n", hark_progname, prefix, msg);
}

void
hark_warn(const char *fmt, ...)
{
	va_list ap;

	if (hark_quiet)
		return;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void
hark_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void
hark_error_at(const char *file, const struct hark_err *err)
{
	if (file == NULL || err->line <= 0)
		hark_error("%s%s%s", file != NULL && err->line <= 0 &&
		    strstr(err->msg, file) == NULL ? file : "",
		    file != NULL && err->line <= 0 &&
		    strstr(err->msg, file) == NULL ? ": " : "", err->msg);
	else if (err->column > 0)
		hark_error("%s:%ld:%ld: %s", file, err->line, err->column,
		    err->msg);
	else
		hark_error("%s:%ld: %s", file, err->line, err->msg);
}

void
hark_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	exit(status);
}

/* Length of the valid UTF-8 sequence at P (at most N bytes), or 0; a C1
 * control (U+0080..U+009F) counts as invalid: it is a control character
 * too. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if ((len = hark_utf8_len(p, p + n)) == 2 && p[0] == 0xc2 &&
	    p[1] < 0xa0)
		return 0;
	return len;
}

char *
hark_sanitize(char *out, size_t outsz, const char *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0, i = 0, n;

	if (outsz < 8) {
		if (outsz)
			out[0] = '\0';
		return out;
	}
	while (i < len) {
		n = utf8_seq(p + i, len - i);
		if (o + (n ? n : 1) > outsz - 4) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (n == 0 || (n == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return out;
}

long
hark_alloc_fail_at(void)
{
	return fail_at;
}

/* Called by hark_init(): reads HARK_TEST_FAIL_ALLOC. */
void hark_err_init_faults(void);
void
hark_err_init_faults(void)
{
	const char *s = getenv("HARK_TEST_FAIL_ALLOC");
	char *end;

	if (s == NULL || *s == '\0')
		return;
	errno = 0;
	fail_at = strtol(s, &end, 10);
	if (errno || *end || fail_at < 0)
		fail_at = 0;
}

static HARK_NORETURN void
oom(size_t n)
{
	hark_die(HARK_EXIT_FAILURE, "out of memory (allocating %zu bytes)", n);
}

static int
should_fail(void)
{
	return fail_at > 0 && ++alloc_count == fail_at;
}

void *
hark_xmalloc(size_t n)
{
	void *p;

	if (should_fail() || (p = malloc(n ? n : 1)) == NULL)
		oom(n);
	return p;
}

void *
hark_xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (should_fail() || (p = calloc(nmemb ? nmemb : 1, size ? size : 1))
	    == NULL)
		oom(nmemb * size);
	return p;
}

void *
hark_xrealloc(void *p, size_t n)
{
	void *q;

	if (should_fail() || (q = realloc(p, n ? n : 1)) == NULL)
		oom(n);
	return q;
}

char *
hark_xstrdup(const char *s)
{
	return hark_xstrndup(s, strlen(s));
}

char *
hark_xstrndup(const char *s, size_t n)
{
	char *p;

	n = strnlen(s, n);
	p = hark_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
hark_xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		hark_die(HARK_EXIT_FAILURE, "formatting error");
	p = hark_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* --- redaction of known secrets ------------------------------------- */

/* Every secret the program holds (copies), longest first, so that a
 * secret containing another is replaced whole. */
static char **secrets;
static size_t nsecrets;

static void
redact_add1(const char *s, size_t n)
{
	size_t i, j;

	if (n < HARK_REDACT_MIN)
		return;
	for (i = 0; i < nsecrets; i++)
		if (strlen(secrets[i]) == n && memcmp(secrets[i], s, n) == 0)
			return;
	secrets = hark_xrealloc(secrets, (nsecrets + 1) * sizeof(*secrets));
	for (i = 0; i < nsecrets && strlen(secrets[i]) >= n; i++)
		;
	for (j = nsecrets; j > i; j--)
		secrets[j] = secrets[j - 1];
	secrets[i] = hark_xstrndup(s, n);
	nsecrets++;
}

void
hark_redact_add(const char *secret)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)secret;
	size_t n, i, o;
	const char *colon;
	char *t;

	if (secret == NULL)
		return;
	n = strlen(secret);
	redact_add1(secret, n);
	/* as it appears in a URL or a form body */
	t = hark_xmalloc(3 * n + 1);
	for (i = o = 0; i < n; i++) {
		if (isalnum(p[i]) || strchr("-._~", p[i]) != NULL) {
			t[o++] = (char)p[i];
		} else {
			t[o++] = '%';
			t[o++] = hex[p[i] >> 4];
			t[o++] = hex[p[i] & 15];
		}
	}
	redact_add1(t, o);
	free(t);
	/* as it appears in an echoed "Authorization: Basic" header */
	t = hark_xmalloc(4 * (n / 3 + 1) + 1);
	for (i = o = 0; i + 2 < n; i += 3) {
		t[o++] = b64[p[i] >> 2];
		t[o++] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		t[o++] = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		t[o++] = b64[p[i + 2] & 63];
	}
	if (n - i == 1) {
		t[o++] = b64[p[i] >> 2];
		t[o++] = b64[(p[i] & 3) << 4];
	} else if (n - i == 2) {
		t[o++] = b64[p[i] >> 2];
		t[o++] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		t[o++] = b64[(p[i + 1] & 15) << 2];
	}
	redact_add1(t, o);	/* without padding: a prefix of the header */
	free(t);
	/* "user:password": the password alone */
	if ((colon = strchr(secret, ':')) != NULL)
		hark_redact_add(colon + 1);
}

/* The index of the longest secret at P (LEN bytes left), or nsecrets. */
static size_t
secret_at(const char *p, size_t len)
{
	size_t k, n;

	for (k = 0; k < nsecrets; k++) {
		n = strlen(secrets[k]);
		if (n <= len && memcmp(p, secrets[k], n) == 0)
			break;
	}
	return k;
}

size_t
hark_redact(char *buf, size_t size)
{
	const size_t r = sizeof(HARK_REDACTED) - 1;
	size_t len, i, o, k;
	char *tmp;

	if (size == 0)
		return 0;
	len = strnlen(buf, size - 1);
	buf[len] = '\0';
	if (nsecrets == 0)
		return len;
	tmp = hark_xmalloc(size);
	for (i = o = 0; i < len && o < size - 1; ) {
		if ((k = secret_at(buf + i, len - i)) < nsecrets) {
			/* the marker may be longer than the secret: what does
			 * not fit cuts the end of the text */
			memcpy(tmp + o, HARK_REDACTED, HARK_MIN(r, size - 1 - o));
			o += HARK_MIN(r, size - 1 - o);
			i += strlen(secrets[k]);
		} else {
			tmp[o++] = buf[i++];
		}
	}
	tmp[o] = '\0';
	memcpy(buf, tmp, o + 1);
	free(tmp);
	return o;
}

int
hark_redact_contains(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && nsecrets > 0; i++)
		if (secret_at(p + i, len - i) < nsecrets)
			return 1;
	return 0;
}
