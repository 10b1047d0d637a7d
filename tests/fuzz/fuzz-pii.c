/*
 * fuzz-pii.c - the personal-data detectors (lib/pii.h) on arbitrary text:
 * matches must be sorted, inside the text and not overlapping, and
 * redaction must not fail.
 */
#include "hark.h"
#include "pii.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hark_pii pii;
	static int ready;
	struct hark_pii_match m[32];
	struct hark_buf b = HARK_BUF_INIT(1u << 24);
	size_t n, i;

	if (!ready) {
		if (hark_pii_init(&pii, NULL, NULL) < 0)
			abort();
		ready = 1;
	}
	n = hark_pii_scan(&pii, (const char *)data, size, m, 32);
	if (n > 32)
		n = 32;
	for (i = 0; i < n; i++) {
		if (m[i].len == 0 || m[i].off + m[i].len > size)
			abort();
		if (i > 0 && m[i].off < m[i - 1].off + m[i - 1].len)
			abort();
	}
	if (hark_pii_redact((const char *)data, size, m, n, &b) < 0)
		abort();
	hark_buf_release(&b);
	return 0;
}
