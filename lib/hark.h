/*
 * hark.h - version, exit codes and common macros for the hark toolkit.
 *
 * Every hark source file includes this header after its system and
 * third-party headers; it pulls in the C library headers the suite uses,
 * jansson's (every command links it, and banned.h bans one of its
 * functions: declared first, a later include of it is a no-op) and then
 * banned.h.
 */
#ifndef HARK_H
#define HARK_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#ifndef HARK_VERSION
#define HARK_VERSION "0.0.0"
#endif

/* Exit statuses, identical for every command (STYLE.md section 5). */
enum hark_exit {
	HARK_EXIT_OK = 0,	/* success, including "no records" */
	HARK_EXIT_FAILURE = 1,	/* I/O, internal or unrecoverable API error */
	HARK_EXIT_USAGE = 2,	/* bad option, argument or config file */
	HARK_EXIT_DATA = 3,	/* one or more input records were invalid */
	HARK_EXIT_TEMPFAIL = 4,	/* network/throttling: retry later */
	HARK_EXIT_CHECK = 5	/* a checked threshold was not met */
};

#define HARK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HARK_MIN(a, b) ((a) < (b) ? (a) : (b))
#define HARK_MAX(a, b) ((a) > (b) ? (a) : (b))

/* 64-bit FNV-1a of S[0..N): the suite's one string hash (shard keys,
 * interned strings and hash tables all use it). */
static inline uint64_t
hark_fnv1a64(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/* The value of the hexadecimal digit C (either case), or -1. */
static inline int
hark_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#if defined(__GNUC__)
#define HARK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define HARK_NORETURN __attribute__((noreturn))
#else
#define HARK_PRINTF(f, a)
#define HARK_NORETURN
#endif

/* 1 in an AddressSanitizer build (GCC's macro; clang's feature test). */
#if defined(__SANITIZE_ADDRESS__)
#define HARK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HARK_ASAN 1
#endif
#endif
#ifndef HARK_ASAN
#define HARK_ASAN 0
#endif

/*
 * Combine two exit statuses: the more severe one wins.  Severity order:
 * 0 < 5 (check) < 3 (data) < 4 (tempfail) < 1 (failure) < 2 (usage):
 * a check measured on input with rejected records says 3.
 */
int hark_exit_merge(int a, int b);

#include "banned.h"

#endif
