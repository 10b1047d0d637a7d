/* test-redact.c - unit tests for the secret registry (err.h) and its use
 * by hark_secret_get(). */
#include "hark.h"
#include "err.h"
#include "secret.h"
#include "tap.h"

static void
test_plain(void)
{
	char b[128];

	snprintf(b, sizeof(b), "token s3cr3t-tok refused");
	hark_redact(b, sizeof(b));
	is_str(b, "token s3cr3t-tok refused", "nothing registered: unchanged");
	hark_redact_add("s3cr3t-tok");
	hark_redact(b, sizeof(b));
	is_str(b, "token REDACTED refused", "a registered secret replaced");
	snprintf(b, sizeof(b), "s3cr3t-tok,s3cr3t-tok");
	is_int(hark_redact(b, sizeof(b)), 17, "new length returned");
	is_str(b, "REDACTED,REDACTED", "every occurrence");
	hark_redact_add("abc");
	snprintf(b, sizeof(b), "abc");
	hark_redact(b, sizeof(b));
	is_str(b, "abc", "shorter than HARK_REDACT_MIN: kept");
	ok(hark_redact_contains("x=s3cr3t-tok&y", 14), "contains");
	ok(!hark_redact_contains("x=s3cr3t-to", 11), "a part is not a hit");
}

static void
test_forms(void)
{
	char b[160];

	hark_redact_add("user:pa/ss+w0rd");
	snprintf(b, sizeof(b), "q=pa%%2Fss%%2Bw0rd");
	hark_redact(b, sizeof(b));
	is_str(b, "q=REDACTED", "percent-encoded form");
	/* base64("user:pa/ss+w0rd") = dXNlcjpwYS9zcyt3MHJk */
	snprintf(b, sizeof(b), "Authorization: Basic dXNlcjpwYS9zcyt3MHJk");
	hark_redact(b, sizeof(b));
	is_str(b, "Authorization: Basic REDACTED", "base64 form");
	snprintf(b, sizeof(b), "bad password pa/ss+w0rd");
	hark_redact(b, sizeof(b));
	is_str(b, "bad password REDACTED", "the password of user:password");
	hark_redact_add("longer-s3cr3t-tok");
	snprintf(b, sizeof(b), "longer-s3cr3t-tok");
	hark_redact(b, sizeof(b));
	is_str(b, "REDACTED", "longest secret first");
}

static void
test_cut(void)
{
	char b[12];

	hark_redact_add("wxyz");
	snprintf(b, sizeof(b), "0123456wxyz");
	hark_redact(b, sizeof(b));
	is_str(b, "0123456REDA", "a marker longer than the secret cuts the end");
}

static void
test_secret_get(void)
{
	char b[64], *out = NULL;
	struct hark_err err = HARK_ERR_INIT;

	setenv("HARK_TEST_REDACT_TOKEN", "from-the-environment", 1);
	is_int(hark_secret_get("HARK_TEST_REDACT_TOKEN", NULL, &out, NULL, 0,
	    &err), 0, "secret from the environment");
	snprintf(b, sizeof(b), "echo: from-the-environment");
	hark_redact(b, sizeof(b));
	is_str(b, "echo: REDACTED", "hark_secret_get registers what it returns");
	hark_secret_free(out);
}

int
main(void)
{
	test_plain();
	test_forms();
	test_cut();
	test_secret_get();
	return tap_done();
}
