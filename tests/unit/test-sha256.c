/* test-sha256.c - HMAC-SHA256 (lib/sha256.h) against the RFC 4231 test
 * vectors, and the constant-time signature check mention-listen uses.
 * (The plain SHA-256 vectors are in test-crmkey.c.) */
#include "tap.h"
#include "hark.h"
#include "sha256.h"

static char *
hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

static const char *
hmac(const void *key, size_t klen, const void *msg, size_t mlen, char *out)
{
	unsigned char d[HARK_SHA256_LEN];

	hark_hmac_sha256(key, klen, msg, mlen, d);
	return hex(d, sizeof(d), out);
}

int
main(void)
{
	unsigned char k[131], m[50];
	char h[HARK_SHA256_HEXLEN + 1], up[HARK_SHA256_HEXLEN + 1];
	const char *big = "This is a test using a larger than block-size key "
	    "and a larger than block-size data. The key needs to be hashed "
	    "before being used by the HMAC algorithm.";
	size_t i;

	/* RFC 4231 section 4.2 to 4.8 */
	memset(k, 0x0b, 20);
	is_str(hmac(k, 20, "Hi There", 8, h), "b0344c61d8db38535ca8afceaf0bf1"
	    "2b881dc200c9833da726e9376c2e32cff7", "rfc4231 case 1");
	is_str(hmac("Jefe", 4, "what do ya want for nothing?", 28, h),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "rfc4231 case 2 (key shorter than the output)");
	memset(k, 0xaa, 20);
	memset(m, 0xdd, 50);
	is_str(hmac(k, 20, m, 50, h), "773ea91e36800e46854db8ebd09181a7295909"
	    "8b3ef8c122d9635514ced565fe", "rfc4231 case 3");
	for (i = 0; i < 25; i++)
		k[i] = (unsigned char)(i + 1);
	memset(m, 0xcd, 50);
	is_str(hmac(k, 25, m, 50, h), "82558a389a443c0ea4cc819899f2083a85f0fa"
	    "a3e578f8077a2e3ff46729665b", "rfc4231 case 4");
	memset(k, 0x0c, 20);
	hmac(k, 20, "Test With Truncation", 20, h);
	h[32] = '\0';
	is_str(h, "a3b6167473100ee06e0c796c2955552b",
	    "rfc4231 case 5 (first 128 bits)");
	memset(k, 0xaa, 131);
	is_str(hmac(k, 131, "Test Using Larger Than Block-Size Key - Hash Key "
	    "First", 54, h), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c514"
	    "0546040f0ee37f54", "rfc4231 case 6 (key longer than a block)");
	is_str(hmac(k, 131, big, strlen(big), h), "9b09ffa71b942fcb27635fbcd5"
	    "b0e944bfdc63644f0713938a7f51535c3a35e2",
	    "rfc4231 case 7 (key and data longer than a block)");
	/* a key of exactly one block is used as it is, not hashed */
	memset(k, 0x61, 64);
	is_str(hmac(k, 64, "", 0, h), "b389ef8fc24e40e35b42b70221b466916836a2"
	    "41257699d090bc736b8ad21b98", "64-byte key, empty message");

	/* verify: the hex of either case, nothing else */
	hmac("Jefe", 4, "what do ya want for nothing?", 28, h);
	ok(hark_hmac_sha256_verify("Jefe", 4, "what do ya want for nothing?",
	    28, h, strlen(h)), "verify accepts the right signature");
	for (i = 0; h[i]; i++)
		up[i] = (char)(h[i] >= 'a' && h[i] <= 'f' ? h[i] - 32 : h[i]);
	up[i] = '\0';
	ok(hark_hmac_sha256_verify("Jefe", 4, "what do ya want for nothing?",
	    28, up, strlen(up)), "verify accepts upper-case hex");
	ok(!hark_hmac_sha256_verify("Jefe", 4, "what do ya want for nothing!",
	    28, h, strlen(h)), "verify rejects another body");
	ok(!hark_hmac_sha256_verify("Jeff", 4, "what do ya want for nothing?",
	    28, h, strlen(h)), "verify rejects another key");
	ok(!hark_hmac_sha256_verify("Jefe", 4, "what do ya want for nothing?",
	    28, h, 63), "verify rejects a short signature");
	ok(!hark_hmac_sha256_verify("Jefe", 4, "what do ya want for nothing?",
	    28, NULL, 0), "verify rejects no signature");
	up[63] = 'g';
	ok(!hark_hmac_sha256_verify("Jefe", 4, "what do ya want for nothing?",
	    28, up, 64), "verify rejects a non-hex digit");
	h[0] = h[0] == '0' ? '1' : '0';
	ok(!hark_hmac_sha256_verify("Jefe", 4, "what do ya want for nothing?",
	    28, h, 64), "verify rejects one wrong digit");
	ok(hark_mem_equal_ct("abc", "abc", 3) && !hark_mem_equal_ct("abc",
	    "abd", 3) && hark_mem_equal_ct("", "x", 0), "mem_equal_ct");
	return tap_done();
}
