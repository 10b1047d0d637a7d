/*
 * sha256.h - SHA-256 (FIPS 180-4), for crm-join's salted key hashes.
 *
 * Implemented here rather than taken from OpenSSL, nettle or libgcrypt:
 * none of them is a dependency of the suite (libcurl's OpenSSL is
 * libcurl's, not an API for us), and one hash function is a hundred
 * lines.  The FIPS 180-4 example vectors are the unit test
 * (tests/unit/test-sha256.c).  Not constant time; used for hashing
 * personal data before it is compared, not for secrets.  Nothing here
 * prints, exits or allocates.
 */
#ifndef HARK_SHA256_H
#define HARK_SHA256_H

#include "hark.h"

#define HARK_SHA256_LEN 32
#define HARK_SHA256_HEXLEN 64

struct hark_sha256 {
	uint32_t h[8];
	uint64_t total;		/* bytes hashed so far */
	unsigned char block[64];
	size_t used;		/* bytes waiting in BLOCK */
};

void hark_sha256_init(struct hark_sha256 *s);
/* Hash N more bytes at P. */
void hark_sha256_update(struct hark_sha256 *s, const void *p, size_t n);
/* The digest into OUT (32 bytes); S must be initialised again to reuse. */
void hark_sha256_final(struct hark_sha256 *s, unsigned char *out);
/* One call: the lower-case hex digest of P[0..N) into HEX (65 bytes,
 * NUL-terminated).  Returns HEX. */
char *hark_sha256_hex(const void *p, size_t n, char *hex);

#endif
