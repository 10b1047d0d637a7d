/*
 * fuzz-crmkey.c - crm-join's key normalization (lib/crmkey.h) and SHA-256
 * on arbitrary bytes: a result fits its buffer, is NUL-terminated at the
 * length returned, and normalizing it again gives it back (idempotence:
 * the export and the mentions meet in the normal form).
 */
#include "hark.h"
#include "crmkey.h"
#include "sha256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
again(int n, const char *out, int (*fn)(const char *, size_t, char *,
    size_t))
{
	char o2[HARK_CRMKEY_MAX];
	int m;

	if (n < 0)
		return;
	if ((size_t)n >= HARK_CRMKEY_MAX || out[n] != '\0')
		abort();
	m = fn(out, (size_t)n, o2, sizeof(o2));
	if (m != n || memcmp(out, o2, (size_t)n) != 0)
		abort();
}

static int
phone48(const char *s, size_t n, char *out, size_t outsz)
{
	return hark_crmkey_phone(s, n, "48", out, outsz);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char out[HARK_CRMKEY_MAX], hex[HARK_SHA256_HEXLEN + 1];

	again(hark_crmkey_email(s, size, out, sizeof(out)), out,
	    hark_crmkey_email);
	again(phone48(s, size, out, sizeof(out)), out, phone48);
	again(hark_crmkey_order(s, size, out, sizeof(out)), out,
	    hark_crmkey_order);
	again(hark_crmkey_handle_spec(s, size, out, sizeof(out)), out,
	    hark_crmkey_handle_spec);
	again(hark_crmkey_plain(s, size, out, sizeof(out)), out,
	    hark_crmkey_plain);
	hark_sha256_hex(data, size, hex);
	if (strlen(hex) != HARK_SHA256_HEXLEN)
		abort();
	return 0;
}
