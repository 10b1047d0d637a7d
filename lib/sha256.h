/*
 * sha256.h - SHA-256 (FIPS 180-4), for crm-join's salted key hashes.
 *
 * Implemented here rather than taken from OpenSSL, nettle or libgcrypt:
 * none of them is a dependency of the suite (libcurl's OpenSSL is
 * libcurl's, not an API for us), and one hash function is a hundred
 * lines.  The FIPS 180-4 example vectors are the unit test
 * (tests/unit/test-sha256.c).  The hash itself is not constant time in
 * anything but the message length, which is not secret.  HMAC-SHA256
 * (RFC 2104) checks webhook signatures for mention-listen; its RFC 4231
 * vectors are in the same test, and hark_hmac_sha256_verify() compares
 * in constant time.  Nothing here prints, exits or allocates.
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

/*
 * HMAC-SHA256 (RFC 2104, FIPS 198-1) of MSG[0..MSGLEN) under KEY[0..KEYLEN)
 * (any length; longer than 64 bytes is hashed first) into OUT (32 bytes).
 */
void hark_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char *out);

/*
 * 1 when HEX[0..HEXLEN) is the hex form (either case) of the HMAC-SHA256
 * of MSG under KEY, else 0.  The comparison takes the same time wherever
 * the first difference is (no early exit), so a caller answering a
 * network request leaks nothing about how much of a guess was right;
 * a wrong length or a non-hex digit is 0 too.
 */
int hark_hmac_sha256_verify(const void *key, size_t keylen,
    const void *msg, size_t msglen, const char *hex, size_t hexlen);

/* 1 when A[0..N) equals B[0..N), in time that depends on N only. */
int hark_mem_equal_ct(const void *a, const void *b, size_t n);

#endif
