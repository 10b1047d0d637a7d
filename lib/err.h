/*
 * err.h - diagnostics, error reports and checked allocation.
 *
 * Library code never prints: it fills a caller-supplied struct hark_err
 * (which may be NULL).  Commands print with hark_warn()/hark_error() and
 * leave with hark_die().  Allocation failure is the one exception: the
 * hark_x*alloc family prints "out of memory" and exits 1.
 */
#ifndef HARK_ERR_H
#define HARK_ERR_H

#include "hark.h"

#define HARK_ERR_MSG_MAX 512

struct hark_err {
	int code;		/* an enum hark_exit value describing the class */
	long line;		/* line number (1-based) or 0 when not known */
	long column;		/* column (1-based) or 0 when not known */
	char msg[HARK_ERR_MSG_MAX];	/* lower-case, no trailing full stop */
};
#define HARK_ERR_INIT { 0, 0, 0, { 0 } }

/*
 * Fill ERR (if not NULL) with CODE and a printf-formatted message; line
 * and column are reset to 0.  Always returns -1 so callers can write
 * "return hark_err_set(err, ...);".
 */
int hark_err_set(struct hark_err *err, int code, const char *fmt, ...)
    HARK_PRINTF(3, 4);
/* Same, also recording a line and column (either may be 0). */
int hark_err_setl(struct hark_err *err, int code, long line, long column,
    const char *fmt, ...) HARK_PRINTF(5, 6);

/* The program name used as the prefix of every diagnostic (borrowed). */
extern const char *hark_progname;
/* Non-zero when -q/--quiet was given: hark_warn() prints nothing. */
extern int hark_quiet;

/* "prog: warning: MSG\n" on stderr unless quiet. */
void hark_warn(const char *fmt, ...) HARK_PRINTF(1, 2);
/* "prog: MSG\n" on stderr (never silenced). */
void hark_error(const char *fmt, ...) HARK_PRINTF(1, 2);
/*
 * An error at a place in a file (a configuration file, a rules file):
 * "prog: FILE:LINE:COLUMN: MSG", leaving out COLUMN, or LINE and COLUMN,
 * when ERR does not know them (and FILE too when it is NULL).  The one
 * format for every tool's configuration errors.
 */
void hark_error_at(const char *file, const struct hark_err *err);
/* hark_error() then exit(STATUS). */
HARK_NORETURN void hark_die(int status, const char *fmt, ...)
    HARK_PRINTF(2, 3);

/*
 * Copy at most LEN bytes of untrusted IN into OUT (size OUTSZ >= 8) for
 * printing: control characters become '?', invalid UTF-8 bytes become '?',
 * and text longer than fits is cut with "...".  Returns OUT.
 */
char *hark_sanitize(char *out, size_t outsz, const char *in, size_t len);

/*
 * Redaction of known secrets.  Every message printed through hark_warn(),
 * hark_error() and hark_die() passes through hark_redact(), so a token
 * that a server echoes in an error body, or that ends up in a URL, is
 * never printed.  Commands register each secret as soon as they hold it
 * (hark_secret_get() registers what it returns; a command registers
 * tokens it receives, such as a refreshed access token).  The registry
 * is the one piece of hidden global state besides the program name.
 */
#define HARK_REDACTED "REDACTED"
/* Shorter secrets are not redacted (they would blank common words). */
#define HARK_REDACT_MIN 4
/* Remember SECRET (copied), its percent-encoded and base64 forms and,
 * for "user:password", the password alone. */
void hark_redact_add(const char *secret);
/* Replace every registered secret in the string BUF (SIZE bytes of
 * storage) with HARK_REDACTED, in place; a marker longer than the
 * secret may cut the end of the text.  Returns the new length. */
size_t hark_redact(char *buf, size_t size);
/* Non-zero when the LEN bytes at P contain a registered secret. */
int hark_redact_contains(const char *p, size_t len);

/* Checked allocation: never return NULL; on failure print and exit 1. */
void *hark_xmalloc(size_t n);
void *hark_xcalloc(size_t nmemb, size_t size);
void *hark_xrealloc(void *p, size_t n);
char *hark_xstrdup(const char *s);
char *hark_xstrndup(const char *s, size_t n);
/* printf into a new buffer (caller frees). */
char *hark_xasprintf(const char *fmt, ...) HARK_PRINTF(1, 2);

/*
 * Fault injection for tests: when the environment variable
 * HARK_TEST_FAIL_ALLOC=N is set at start-up (hark_init), the Nth checked
 * allocation fails.  Returns the configured N or 0.
 */
long hark_alloc_fail_at(void);

#endif
