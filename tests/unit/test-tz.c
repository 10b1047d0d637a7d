/* test-tz.c - TZif reading, POSIX footer rules, local <-> UTC. */
#include "tz.h"
#include "tap.h"

static hark_time_t
T(const char *s)
{
	hark_time_t t = 0;

	hark_time_parse_rfc3339(s, &t, NULL);
	return t;
}

static struct hark_civil
L(int y, int mo, int d, int h, int mi)
{
	struct hark_civil c = { y, mo, d, h, mi, 0, 0 };

	return c;
}

int
main(void)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_tz *waw, *prg, *syd, *posix, *utc;
	struct hark_civil c, lc;
	hark_time_t t;
	int isdst, r;

	waw = hark_tz_load("Europe/Warsaw", &err);
	ok(waw != NULL, "load Europe/Warsaw (%s)", err.msg);
	prg = hark_tz_load("Europe/Prague", &err);
	ok(prg != NULL, "load Europe/Prague");
	syd = hark_tz_load("Australia/Sydney", &err);
	ok(syd != NULL, "load Australia/Sydney");
	if (waw == NULL || prg == NULL || syd == NULL)
		return tap_done();

	/* Table transitions. */
	is_int(hark_tz_offset(waw, T("2025-03-30T00:59:59Z"), &isdst), 3600,
	    "warsaw before the spring change");
	is_int(isdst, 0, "warsaw winter is not DST");
	is_int(hark_tz_offset(waw, T("2025-03-30T01:00:00Z"), &isdst), 7200,
	    "warsaw after the spring change");
	is_int(isdst, 1, "warsaw summer is DST");
	is_int(hark_tz_offset(prg, T("2025-10-26T00:59:59Z"), NULL), 7200,
	    "prague before the autumn change");
	is_int(hark_tz_offset(prg, T("2025-10-26T01:00:00Z"), NULL), 3600,
	    "prague after the autumn change");
	/* Past the table: the footer rule. */
	is_int(hark_tz_offset(waw, T("2100-07-01T12:00:00Z"), NULL), 7200,
	    "warsaw 2100 summer from the footer rule");
	is_int(hark_tz_offset(waw, T("2100-01-01T12:00:00Z"), NULL), 3600,
	    "warsaw 2100 winter from the footer rule");
	is_int(hark_tz_offset(waw, T("2100-03-28T00:59:59Z"), NULL), 3600,
	    "warsaw 2100 just before the last Sunday of March");
	is_int(hark_tz_offset(waw, T("2100-03-28T01:00:00Z"), NULL), 7200,
	    "warsaw 2100 at the last Sunday of March 01:00Z");
	is_int(hark_tz_offset(syd, T("2100-01-15T00:00:00Z"), NULL), 39600,
	    "sydney 2100 January is DST (southern rule)");
	is_int(hark_tz_offset(syd, T("2100-07-15T00:00:00Z"), NULL), 36000,
	    "sydney 2100 July is standard time");
	/* Historic: Warsaw had no DST in 1970 tables (CET). */
	is_int(hark_tz_offset(waw, T("1970-06-01T00:00:00Z"), NULL), 3600,
	    "warsaw 1970");

	/* to_local */
	hark_tz_to_local(waw, T("2025-03-07T14:00:00Z"), &c);
	ok(c.year == 2025 && c.month == 3 && c.day == 7 && c.hour == 15 &&
	    c.wday == 5, "to_local friday 15:00");

	/* from_local: ordinary, gap, fold */
	lc = L(2025, 3, 7, 15, 0);
	r = hark_tz_from_local(waw, &lc, HARK_TZ_EARLIER, &t);
	is_int(r, 0, "ordinary local time");
	is_int(t, T("2025-03-07T14:00:00Z"), "ordinary local time instant");
	lc = L(2025, 3, 30, 2, 30);
	r = hark_tz_from_local(waw, &lc, HARK_TZ_EARLIER, &t);
	is_int(r, 1, "02:30 on the spring day is a gap");
	is_int(t, T("2025-03-30T01:30:00Z"), "gap moves forward (03:30 CEST)");
	lc = L(2025, 10, 26, 2, 30);
	r = hark_tz_from_local(prg, &lc, HARK_TZ_EARLIER, &t);
	is_int(r, 2, "02:30 on the autumn day is ambiguous");
	is_int(t, T("2025-10-26T00:30:00Z"), "fold earlier = CEST");
	hark_tz_from_local(prg, &lc, HARK_TZ_LATER, &t);
	is_int(t, T("2025-10-26T01:30:00Z"), "fold later = CET");
	lc = L(2025, 12, 32, 24, 0);
	hark_tz_from_local(waw, &lc, HARK_TZ_EARLIER, &t);
	is_int(t, T("2026-01-01T23:00:00Z"), "out-of-range fields roll over");
	lc = L(2025, 13, 1, 0, 0);
	hark_tz_from_local(waw, &lc, HARK_TZ_EARLIER, &t);
	is_int(t, T("2025-12-31T23:00:00Z"), "month 13 rolls into next year");

	/* day_time: gap maps to the change */
	t = hark_tz_day_time(waw, hark_days_from_civil(2025, 3, 30), 9000);
	is_int(t, T("2025-03-30T01:00:00Z"), "day_time in a gap = the change");
	t = hark_tz_day_time(waw, hark_days_from_civil(2025, 3, 30), 86400);
	is_int(t, T("2025-03-30T22:00:00Z"), "day_time 24:00 = next midnight");
	is_int(hark_tz_local_day(waw, T("2025-03-30T22:00:00Z")),
	    hark_days_from_civil(2025, 3, 31), "local day after midnight");
	is_int(hark_tz_local_day(waw, T("2025-03-30T21:59:59Z")),
	    hark_days_from_civil(2025, 3, 30), "local day before midnight");

	/* POSIX TZ string as a zone */
	posix = hark_tz_load("CET-1CEST,M3.5.0,M10.5.0/3", &err);
	ok(posix != NULL, "POSIX TZ string accepted");
	if (posix != NULL) {
		is_int(hark_tz_offset(posix, T("2025-03-30T01:00:00Z"), NULL),
		    7200, "posix rule spring");
		is_int(hark_tz_offset(posix, T("2025-10-26T00:59:59Z"), NULL),
		    7200, "posix rule before autumn");
		is_int(hark_tz_offset(posix, T("2025-10-26T01:00:00Z"), NULL),
		    3600, "posix rule autumn");
		hark_tz_free(posix);
	}
	posix = hark_tz_load("<+0530>-5:30", &err);
	ok(posix != NULL && hark_tz_offset(posix, 0, NULL) == 19800,
	    "quoted POSIX name with minutes");
	hark_tz_free(posix);

	/* Errors and TZDIR */
	ok(hark_tz_load("Mars/Olympus_Mons", &err) == NULL &&
	    err.code == HARK_EXIT_USAGE, "unknown zone is an error: %s",
	    err.msg);
	ok(hark_tz_load("Europe", &err) == NULL &&
	    err.code == HARK_EXIT_USAGE, "a directory is not a zone");
	ok(hark_tz_load("../etc/passwd", &err) == NULL, "'..' refused");
	ok(hark_tz_load("/etc/localtime", &err) == NULL, "absolute refused");
	setenv("TZDIR", "/nonexistent", 1);
	ok(hark_tz_load("Europe/Warsaw", &err) == NULL, "TZDIR honoured");
	utc = hark_tz_load("UTC", &err);
	ok(utc != NULL && hark_tz_offset(utc, 0, NULL) == 0,
	    "UTC without a zoneinfo tree");
	hark_tz_free(utc);
	unsetenv("TZDIR");

	hark_tz_free(waw);
	hark_tz_free(prg);
	hark_tz_free(syd);
	return tap_done();
}
