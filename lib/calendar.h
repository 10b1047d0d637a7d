/*
 * calendar.h - business calendars: an IANA zone, weekly opening hours and
 * holidays, and the clock arithmetic SLAs need (hark.conf(5), CALENDARS).
 *
 *   [calendar "support"]
 *   zone    = Europe/Warsaw
 *   hours   = mon-fri 09:00-17:00
 *   hours   = sat 10:00-14:00
 *   hours   = sun 08:00-12:00 13:00-16:00     several intervals per day
 *   hours   = fri 22:00-02:00                 crosses midnight: split
 *   hours   = 24x7                            always open
 *   holiday = 2025-12-25 2025-12-26           whole local days
 *   holiday = 2026-01-01
 *
 * Opening hours are local wall-clock times in the calendar's zone and are
 * evaluated day by day in that zone, so a DST day keeps 09:00-17:00 local
 * (never "24 h after yesterday's opening").  An interval whose end lies in
 * a spring-forward gap ends at the change; a 00:00-24:00 interval on a DST
 * day is 23 or 25 h of real time.  Holidays are whole local days and win
 * over the weekly hours (including the after-midnight part of an interval
 * that started the evening before, which belongs to the holiday's date).
 *
 * Instants are hark_time_t (UTC seconds).  Business seconds are real
 * elapsed seconds that fall inside opening hours.  Intervals are half-open:
 * [open, close).  Nothing here prints, exits or reads TZ.
 */
#ifndef HARK_CALENDAR_H
#define HARK_CALENDAR_H

#include "hark.h"
#include "err.h"
#include "htime.h"
#include "tz.h"
#include "config.h"

/* Returned by the search functions when no opening exists (a calendar
 * closed for more than HARK_CALENDAR_HORIZON_DAYS in a row). */
#define HARK_TIME_NEVER INT64_MAX
#define HARK_CALENDAR_HORIZON_DAYS 1500
/* At most this many opening intervals per weekday (after merging). */
#define HARK_CALENDAR_MAX_PER_DAY 16

struct hark_cal_interval {
	int32_t open, close;	/* seconds after local midnight, 0..86400,
				 * open < close */
};

struct hark_calendar {
	char *name;			/* section name or NULL (owned) */
	struct hark_tz *tz;		/* owned */
	struct hark_cal_interval *week[7];	/* per weekday, 0 = Sunday,
						 * sorted, merged (owned) */
	size_t nweek[7];
	int64_t *holidays;		/* local days since the epoch, sorted,
					 * unique (owned) */
	size_t nholidays;
	int always;		/* 24x7 and no holidays: plain time */
	int hours_set;		/* an "hours" line was added */
	/* Private: the last local day's open intervals as instants. */
	int64_t cache_day;
	hark_time_t cache_t[2 * HARK_CALENDAR_MAX_PER_DAY];
	size_t cache_n;
};

/*
 * Initialise CAL as an always-open calendar in UTC named NAME (copied,
 * may be NULL).  Release with hark_calendar_release.
 */
void hark_calendar_init(struct hark_calendar *cal, const char *name);
void hark_calendar_release(struct hark_calendar *cal);

/* Replace the zone (loads NAME; -1 with ERR on an unknown zone). */
int hark_calendar_set_zone(struct hark_calendar *cal, const char *zone,
    struct hark_err *err);

/*
 * Add opening hours from SPEC: "DAYS RANGE [RANGE ...]" where DAYS is
 * "mon", "mon-fri", "mon,wed,fri", "sat-sun", "daily" or "*", RANGE is
 * "HH:MM-HH:MM" (24:00 allowed as end; an end before the start crosses
 * midnight), ranges separated by blanks or commas; or "24x7" / "always";
 * or "closed" for DAYS to remove their hours.  The first "hours" line
 * replaces the always-open default.  -1 with ERR (code 2, column in
 * err->column relative to SPEC) on a syntax error.
 */
int hark_calendar_add_hours(struct hark_calendar *cal, const char *spec,
    struct hark_err *err);

/* Add holidays from SPEC: dates YYYY-MM-DD separated by blanks/commas. */
int hark_calendar_add_holidays(struct hark_calendar *cal, const char *spec,
    struct hark_err *err);

/*
 * Build CAL (initialised here) from a [calendar "name"] section: keys
 * zone (or timezone), hours (repeatable), holiday / holidays
 * (repeatable).  Unknown keys are errors.  On error returns -1 with
 * err->line/column pointing into the config and CAL released.
 */
int hark_calendar_from_config(struct hark_calendar *cal,
    const struct hark_config_section *s, struct hark_err *err);

/* 1 when the calendar is open at instant T, else 0. */
int hark_calendar_is_open(struct hark_calendar *cal, hark_time_t t);

/* The first instant >= T at which the calendar is open (T itself when
 * open), or HARK_TIME_NEVER. */
hark_time_t hark_calendar_next_open(struct hark_calendar *cal, hark_time_t t);

/*
 * Add N >= 0 business seconds to T: the earliest instant U >= T such that
 * [T, U) holds N business seconds.  N == 0 returns T unchanged; otherwise
 * a T outside opening hours starts counting at the next opening, and the
 * result is never an instant at which the calendar is closed except a
 * closing time itself (Friday 13:00 + 4 h with 09:00-17:00 = Friday
 * 17:00, not Monday 09:00).  HARK_TIME_NEVER when unreachable.
 */
hark_time_t hark_calendar_add(struct hark_calendar *cal, hark_time_t t,
    int64_t n);

/* Business seconds in [A, B); 0 when B <= A. */
int64_t hark_calendar_between(struct hark_calendar *cal, hark_time_t a,
    hark_time_t b);

/* Local day number (days since 1970-01-01) of T in the calendar's zone,
 * and whether local day DAY is a holiday. */
int64_t hark_calendar_local_day(const struct hark_calendar *cal,
    hark_time_t t);
int hark_calendar_is_holiday(const struct hark_calendar *cal, int64_t day);

#endif
