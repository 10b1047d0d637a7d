/*
 * utf8.h - what valid UTF-8 is, for every reader that checks it (the JSON
 * reader, the PII scan before PCRE2, model files, diagnostics): RFC 3629,
 * the rules of jansson and PCRE2.  No allocation, no state.
 */
#ifndef HARK_UTF8_H
#define HARK_UTF8_H

#include "hark.h"

/* Length of the valid UTF-8 sequence at P (before END; lead byte >= 0x80),
 * 0 if none: no overlongs, no surrogates, nothing above U+10FFFF (the
 * rules of RFC 3629, jansson and PCRE2). */
static inline size_t
hark_utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = *p;

	if (c >= 0xc2 && c <= 0xdf)
		return end - p >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef)
		return end - p >= 3 && (p[1] & 0xc0) == 0x80 &&
		    (p[2] & 0xc0) == 0x80 && !(c == 0xe0 && p[1] < 0xa0) &&
		    !(c == 0xed && p[1] > 0x9f) ? 3 : 0;
	if (c >= 0xf0 && c <= 0xf4)
		return end - p >= 4 && (p[1] & 0xc0) == 0x80 &&
		    (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80 &&
		    !(c == 0xf0 && p[1] < 0x90) &&
		    !(c == 0xf4 && p[1] > 0x8f) ? 4 : 0;
	return 0;
}
/* Is S[0..LEN) valid UTF-8 by hark_utf8_len()'s rules (NUL bytes are)?
 * Runs of ASCII go eight bytes at a time. */
int hark_utf8_valid(const char *s, size_t len);

#endif
