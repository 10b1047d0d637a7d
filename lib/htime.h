/*
 * htime.h - timestamps: parsing the forms sources use, formatting RFC 3339
 * UTC, civil-date arithmetic, and the one testable clock.
 *
 * Times are int64_t seconds since the epoch (UTC); sub-second parts are
 * dropped (the suite's records carry whole seconds).  Nothing here reads
 * TZ or the locale.  Named htime.h so it never shadows <time.h>.
 */
#ifndef HARK_HTIME_H
#define HARK_HTIME_H

#include "hark.h"
#include "err.h"

typedef int64_t hark_time_t;

/* Broken-down UTC or local civil time (no time zone attached). */
struct hark_civil {
	int year, month, day;		/* month 1-12, day 1-31 */
	int hour, min, sec;
	int wday;			/* 0 = Sunday ... 6 = Saturday */
};

/*
 * "Now": $HARK_NOW when set (RFC 3339 or @EPOCH), else the system clock.
 * A malformed HARK_NOW makes it return -1 with a message in ERR.
 */
int hark_now(hark_time_t *out, struct hark_err *err);

/*
 * RFC 3339 / ISO 8601: "2025-03-01T10:00:00Z", "...+01:00", fractional
 * seconds, "t"/" " as separator, and a bare date "2025-03-01" (midnight
 * UTC).  The whole string must be consumed.
 */
int hark_time_parse_rfc3339(const char *s, hark_time_t *out,
    struct hark_err *err);
/* RFC 2822 / RSS pubDate: "Sat, 01 Mar 2025 10:00:00 +0100" ("GMT", "UT",
 * "EST"... and a missing weekday accepted). */
int hark_time_parse_rfc2822(const char *s, hark_time_t *out,
    struct hark_err *err);
/* Twitter's "Tue Oct 31 22:10:47 +0000 2017". */
int hark_time_parse_twitter(const char *s, hark_time_t *out,
    struct hark_err *err);
/* Any of the above, or an integer epoch (seconds; "@1700000000" too)
 * from HARK_TIME_MIN to HARK_TIME_MAX (years 1 to 9999; beyond them an
 * error, not a time whose calendar arithmetic would overflow). */
#define HARK_TIME_MIN (-62135596800LL)	/* 0001-01-01T00:00:00Z */
#define HARK_TIME_MAX 253402300799LL	/* 9999-12-31T23:59:59Z */
int hark_time_parse_any(const char *s, hark_time_t *out,
    struct hark_err *err);

/* Write "YYYY-MM-DDTHH:MM:SSZ" into BUF (at least 21 bytes). */
#define HARK_TIME_BUFSZ 32
char *hark_time_format(hark_time_t t, char *buf);
/* A duration for people: "45s", "12m30s", "12m", "4h05m", "2d03h"; "-"
 * when SECS < 0.  Returns BUF (SZ bytes). */
char *hark_duration_format(int64_t secs, char *buf, size_t sz);

/* Civil conversions (proleptic Gregorian, no leap seconds). */
int64_t hark_days_from_civil(int y, int m, int d);
void hark_civil_from_days(int64_t days, int *y, int *m, int *d);
void hark_time_to_civil(hark_time_t t, struct hark_civil *out);
hark_time_t hark_civil_to_time(const struct hark_civil *c);

#endif
