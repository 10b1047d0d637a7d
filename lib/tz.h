/*
 * tz.h - IANA time zones read from TZif files, without the process TZ.
 *
 * A zone is loaded from $TZDIR/NAME (default /usr/share/zoneinfo), TZif
 * version 1, 2, 3 or 4; the 64-bit data block is used when present, and
 * the POSIX TZ footer rule ("CET-1CEST,M3.5.0,M10.5.0/3") answers for
 * instants past the last transition.  "UTC", "Z" and "Etc/UTC" work even
 * without a zoneinfo tree, and a bare POSIX TZ string ("CET-1CEST,M3.5.0,
 * M10.5.0/3", "<+03>-3") is accepted as a zone too.  Nothing here reads TZ,
 * calls localtime(3) or tzset(3), prints or exits.
 *
 * Conversions use struct hark_civil from htime.h (local wall-clock time,
 * no zone attached).
 */
#ifndef HARK_TZ_H
#define HARK_TZ_H

#include "hark.h"
#include "err.h"
#include "htime.h"

struct hark_tz;

/*
 * Load zone NAME ("Europe/Warsaw", "UTC", a POSIX TZ string).  Returns a
 * new zone (free with hark_tz_free) or NULL with err->code 2 (unknown or
 * malformed zone, a name with ".." or a leading '/') or 1 (I/O error).
 */
struct hark_tz *hark_tz_load(const char *name, struct hark_err *err);
/* The UTC zone (new; cannot fail). */
struct hark_tz *hark_tz_utc(void);
void hark_tz_free(struct hark_tz *tz);

/* The name the zone was loaded with (borrowed, valid while TZ lives). */
const char *hark_tz_name(const struct hark_tz *tz);

/*
 * UTC offset in seconds (east positive) in force at instant T; ISDST
 * (may be NULL) gets 1 during daylight-saving time.
 */
long hark_tz_offset(const struct hark_tz *tz, hark_time_t t, int *isdst);

/* Local wall-clock time of instant T (OUT: civil time incl. weekday);
 * returns the offset used. */
long hark_tz_to_local(const struct hark_tz *tz, hark_time_t t,
    struct hark_civil *out);

enum hark_tz_fold {
	HARK_TZ_EARLIER = 0,	/* ambiguous time: the first occurrence */
	HARK_TZ_LATER = 1	/* ambiguous time: the second occurrence */
};

/*
 * The instant whose local time is LC (year, month, day, hour, min, sec;
 * wday ignored; fields may be out of range and are normalised, so
 * day 32 or hour 24 roll over).  For a time that occurs twice (autumn
 * change) FOLD picks which; a time that does not exist (spring gap) maps
 * to the instant the same distance after the change, i.e. 02:30 in a
 * 02:00->03:00 gap becomes 03:30 local.  Returns the instant in *OUT and
 * 0 for an ordinary time, 1 for a gap, 2 for an ambiguous time.
 */
int hark_tz_from_local(const struct hark_tz *tz, const struct hark_civil *lc,
    enum hark_tz_fold fold, hark_time_t *out);

/* Days since 1970-01-01 of T's local date in TZ (floor). */
int64_t hark_tz_local_day(const struct hark_tz *tz, hark_time_t t);

/*
 * The instant of local midnight-plus-SECS (0..86400) on local day DAY
 * (days since the epoch).  An ambiguous time is its first occurrence; a
 * time inside a spring-forward gap is the instant of the change (so an
 * opening at 02:30 in a 02:00->03:00 gap opens at 03:00 local).  SECS
 * 86400 is the next day's 00:00.
 */
hark_time_t hark_tz_day_time(const struct hark_tz *tz, int64_t day,
    long secs);

#endif
