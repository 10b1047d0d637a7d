/* test-calendar.c - business calendars: hand-worked cases (derived, not
 * copied from vendor examples, see support-domain.md 1.4). */
#include "calendar.h"
#include "tap.h"

static hark_time_t
T(const char *s)
{
	hark_time_t t = 0;

	if (hark_time_parse_rfc3339(s, &t, NULL) != 0)
		printf("# bad time %s\n", s);
	return t;
}

static const char *
F(hark_time_t t)
{
	static char buf[4][HARK_TIME_BUFSZ];
	static int i;

	if (t == HARK_TIME_NEVER)
		return "never";
	i = (i + 1) % 4;
	return hark_time_format(t, buf[i]);
}

static void
mk(struct hark_calendar *c, const char *zone, const char *h1,
    const char *h2, const char *hol)
{
	struct hark_err err = HARK_ERR_INIT;

	hark_calendar_init(c, "t");
	if (hark_calendar_set_zone(c, zone, &err) != 0 ||
	    (h1 != NULL && hark_calendar_add_hours(c, h1, &err) != 0) ||
	    (h2 != NULL && hark_calendar_add_hours(c, h2, &err) != 0) ||
	    (hol != NULL && hark_calendar_add_holidays(c, hol, &err) != 0))
		printf("# setup failed: %s\n", err.msg);
}

int
main(void)
{
	struct hark_calendar waw, prg, nite, day, c;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_config cfg = HARK_CONFIG_INIT;
	const char *conf;

	/* Warsaw office: Mon-Fri 09-17, Sat 10-14, Christmas off. */
	mk(&waw, "Europe/Warsaw", "mon-fri 09:00-17:00", "sat 10:00-14:00",
	    "2025-12-25 2025-12-26");

	/* Friday 15:00 CET + 4 business hours: 2 h Friday, 2 h Saturday
	 * (10-12) -> Saturday 12:00 CET = 11:00Z. */
	is_str(F(hark_calendar_add(&waw, T("2025-03-07T14:00:00Z"), 4 * 3600)),
	    "2025-03-08T11:00:00Z", "friday 15:00 + 4h (saturday open)");
	/* Same without Saturday hours: Monday 11:00 CET = 10:00Z. */
	mk(&c, "Europe/Warsaw", "mon-fri 09:00-17:00", NULL, NULL);
	is_str(F(hark_calendar_add(&c, T("2025-03-07T14:00:00Z"), 4 * 3600)),
	    "2025-03-10T10:00:00Z", "friday 15:00 + 4h -> monday 11:00");
	/* Friday 13:00 + 4 h ends at the closing time, not Monday 09:00. */
	is_str(F(hark_calendar_add(&c, T("2025-03-07T12:00:00Z"), 4 * 3600)),
	    "2025-03-07T16:00:00Z", "friday 13:00 + 4h = friday 17:00");
	/* Friday 17:00 + 8 h = Monday 17:00 (the vendor-blog trap). */
	is_str(F(hark_calendar_add(&c, T("2025-03-07T16:00:00Z"), 8 * 3600)),
	    "2025-03-10T16:00:00Z", "friday 17:00 + 8h = monday 17:00");
	/* Saturday message: clock starts Monday 09:00 -> 13:00 CET. */
	is_str(F(hark_calendar_add(&c, T("2025-03-08T09:00:00Z"), 4 * 3600)),
	    "2025-03-10T12:00:00Z", "saturday 10:00 + 4h -> monday 13:00");
	is_str(F(hark_calendar_next_open(&c, T("2025-03-08T09:00:00Z"))),
	    "2025-03-10T08:00:00Z", "next opening after saturday");
	is_int(hark_calendar_between(&c, T("2025-03-08T09:00:00Z"),
	    T("2025-03-09T20:00:00Z")), 0, "weekend has no business time");
	/* Reply before opening: 06:00 ticket, 07:30 reply, 0 s. */
	is_int(hark_calendar_between(&c, T("2025-03-10T05:00:00Z"),
	    T("2025-03-10T06:30:00Z")), 0, "reply before opening = 0 s");
	is_str(F(hark_calendar_add(&c, T("2025-03-10T05:00:00Z"), 0)),
	    "2025-03-10T05:00:00Z", "adding 0 returns the instant itself");
	hark_calendar_release(&c);

	/* Before a holiday: Wed 24 Dec 16:00 CET + 4 h: 1 h Wed, Thu/Fri
	 * holidays, Sat 10:00-13:00 (3 h) -> Sat 27 Dec 13:00 = 12:00Z. */
	is_str(F(hark_calendar_add(&waw, T("2025-12-24T15:00:00Z"), 4 * 3600)),
	    "2025-12-27T12:00:00Z", "before Christmas, saturday open");
	mk(&c, "Europe/Warsaw", "mon-fri 09:00-17:00", NULL,
	    "2025-12-25,2025-12-26");
	is_str(F(hark_calendar_add(&c, T("2025-12-24T15:00:00Z"), 4 * 3600)),
	    "2025-12-29T11:00:00Z", "before Christmas -> monday 12:00 CET");
	ok(hark_calendar_is_holiday(&c, hark_days_from_civil(2025, 12, 25)),
	    "25 Dec is a holiday");
	ok(!hark_calendar_is_open(&c, T("2025-12-25T10:00:00Z")),
	    "closed on the holiday at 11:00");
	ok(hark_calendar_is_open(&c, T("2025-12-24T10:00:00Z")),
	    "open the day before");
	is_int(hark_calendar_between(&c, T("2025-12-24T00:00:00Z"),
	    T("2025-12-30T00:00:00Z")), 16 * 3600,
	    "business time over Christmas");
	hark_calendar_release(&c);

	/* Spring DST, Warsaw (30 Mar 2025, Sunday): Fri 28 Mar 15:00 CET +
	 * 4h -> Mon 31 Mar 11:00 CEST = 09:00Z; opening stays 09:00 local. */
	mk(&c, "Europe/Warsaw", "mon-fri 09:00-17:00", NULL, NULL);
	is_str(F(hark_calendar_add(&c, T("2025-03-28T14:00:00Z"), 4 * 3600)),
	    "2025-03-31T09:00:00Z", "warsaw spring: friday + 4h");
	is_str(F(hark_calendar_next_open(&c, T("2025-03-29T12:00:00Z"))),
	    "2025-03-31T07:00:00Z", "warsaw spring: monday opens 09:00 CEST");
	is_int(hark_calendar_between(&c, T("2025-03-28T14:00:00Z"),
	    T("2025-03-31T09:00:00Z")), 4 * 3600, "warsaw spring: between");
	hark_calendar_release(&c);
	/* Open every day 00:00-24:00 with a holiday elsewhere, so the
	 * calendar is walked day by day: the spring day has 23 h. */
	mk(&day, "Europe/Warsaw", "daily 00:00-24:00", NULL, "2025-01-01");
	is_int(hark_calendar_between(&day, T("2025-03-29T23:00:00Z"),
	    T("2025-03-30T22:00:00Z")), 23 * 3600, "spring day has 23 h");
	hark_calendar_release(&day);
	/* Hours spanning the gap: 01:00-04:00 local is 2 h of real time. */
	mk(&day, "Europe/Warsaw", "sun 01:00-04:00", NULL, NULL);
	is_int(hark_calendar_between(&day, T("2025-03-29T00:00:00Z"),
	    T("2025-03-31T00:00:00Z")), 2 * 3600, "01:00-04:00 over the gap");
	hark_calendar_release(&day);
	/* An opening inside the gap opens at the change. */
	mk(&day, "Europe/Warsaw", "sun 02:30-05:00", NULL, NULL);
	is_str(F(hark_calendar_next_open(&day, T("2025-03-29T12:00:00Z"))),
	    "2025-03-30T01:00:00Z", "opening in the gap = 03:00 CEST");
	hark_calendar_release(&day);

	/* Spring DST, Prague: same rule, different zone file. */
	mk(&prg, "Europe/Prague", "mon-fri 08:00-16:00", NULL, NULL);
	is_str(F(hark_calendar_add(&prg, T("2025-03-28T13:00:00Z"), 4 * 3600)),
	    "2025-03-31T08:00:00Z", "prague spring: fri 14:00 CET + 4h");
	/* Autumn DST, Prague (26 Oct 2025): Fri 24 Oct 15:00 CEST (13:00Z)
	 * + 4h: 1 h Fri (15-16), 3 h Mon from 08:00 CET -> 11:00 CET. */
	is_str(F(hark_calendar_add(&prg, T("2025-10-24T13:00:00Z"), 4 * 3600)),
	    "2025-10-27T10:00:00Z", "prague autumn: fri + 4h");
	is_str(F(hark_calendar_next_open(&prg, T("2025-10-25T12:00:00Z"))),
	    "2025-10-27T07:00:00Z", "prague autumn: monday opens 08:00 CET");
	hark_calendar_release(&prg);
	mk(&day, "Europe/Prague", "daily 00:00-24:00", NULL, "2025-01-01");
	is_int(hark_calendar_between(&day, T("2025-10-25T22:00:00Z"),
	    T("2025-10-26T23:00:00Z")), 25 * 3600, "autumn day has 25 h");
	hark_calendar_release(&day);
	/* Autumn DST, Warsaw: opening 01:00-04:00 on the day holds 4 h. */
	mk(&day, "Europe/Warsaw", "sun 01:00-04:00", NULL, NULL);
	is_int(hark_calendar_between(&day, T("2025-10-25T00:00:00Z"),
	    T("2025-10-27T00:00:00Z")), 4 * 3600, "01:00-04:00 over the fold");
	hark_calendar_release(&day);
	mk(&c, "Europe/Warsaw", "mon-fri 09:00-17:00", NULL, NULL);
	is_str(F(hark_calendar_add(&c, T("2025-10-24T13:00:00Z"), 4 * 3600)),
	    "2025-10-27T10:00:00Z", "warsaw autumn: fri 15:00 CEST + 4h");
	hark_calendar_release(&c);

	/* Night shift crossing midnight; a Saturday holiday removes the
	 * after-midnight part of Friday's shift. */
	mk(&nite, "UTC", "fri 22:00-02:00", NULL, "2025-03-08");
	is_int(hark_calendar_between(&nite, T("2025-03-07T00:00:00Z"),
	    T("2025-03-09T00:00:00Z")), 2 * 3600, "night shift cut by holiday");
	hark_calendar_release(&nite);
	mk(&nite, "UTC", "fri 22:00-02:00", NULL, NULL);
	is_int(hark_calendar_between(&nite, T("2025-03-07T00:00:00Z"),
	    T("2025-03-09T00:00:00Z")), 4 * 3600, "night shift 4 h");
	is_str(F(hark_calendar_add(&nite, T("2025-03-07T23:00:00Z"), 3 * 3600)),
	    "2025-03-08T02:00:00Z", "night shift add runs past midnight");
	is_str(F(hark_calendar_add(&nite, T("2025-03-08T01:00:00Z"), 2 * 3600)),
	    "2025-03-14T23:00:00Z", "night shift add wraps a week");
	hark_calendar_release(&nite);

	/* Several intervals a day, lunch break. */
	mk(&c, "UTC", "mon-fri 09:00-12:00 13:00-17:00", NULL, NULL);
	is_str(F(hark_calendar_add(&c, T("2025-03-10T11:00:00Z"), 2 * 3600)),
	    "2025-03-10T14:00:00Z", "lunch break skipped");
	ok(!hark_calendar_is_open(&c, T("2025-03-10T12:30:00Z")),
	    "lunch closed");
	is_int(hark_calendar_between(&c, T("2025-03-10T00:00:00Z"),
	    T("2025-03-11T00:00:00Z")), 7 * 3600, "7 h per day");
	hark_calendar_release(&c);

	/* 24x7 and a calendar closed every day. */
	hark_calendar_init(&c, NULL);
	ok(c.always, "default calendar is always open");
	is_int(hark_calendar_add(&c, 100, 50), 150, "24x7 add is plain");
	hark_calendar_release(&c);
	mk(&c, "UTC", "mon closed", NULL, NULL);
	ok(hark_calendar_add(&c, 0, 1) == HARK_TIME_NEVER,
	    "no opening hours: never");
	ok(hark_calendar_next_open(&c, 0) == HARK_TIME_NEVER,
	    "no opening hours: no next opening");
	hark_calendar_release(&c);

	/* Syntax errors with columns. */
	hark_calendar_init(&c, NULL);
	ok(hark_calendar_add_hours(&c, "mon-fry 09:00-17:00", &err) == -1 &&
	    err.column == 5, "unknown day, column %ld: %s", err.column,
	    err.msg);
	ok(hark_calendar_add_hours(&c, "mon 9:00-25:00", &err) == -1 &&
	    err.column == 5, "bad clock, column %ld", err.column);
	ok(hark_calendar_add_hours(&c, "mon", &err) == -1, "no range");
	ok(hark_calendar_add_holidays(&c, "2025-02-30", &err) == -1,
	    "invalid date");
	ok(hark_calendar_add_holidays(&c, "2025-12-24..2025-12-26",
	    &err) == 0 &&
	    c.nholidays == 3, "date range");
	hark_calendar_release(&c);

	/* From a config section. */
	conf = "[calendar \"office\"]\nzone = Europe/Warsaw\n"
	    "hours = mon-fri 09:00-17:00\nholiday = 2025-12-25\n"
	    "[calendar \"bad\"]\nzone = Europe/Warsaw\n"
	    "hours = mon 09:00-17:00\n"
	    "colour = red\n"
	    "[calendar \"bad2\"]\nhours = mon 09:00-1700\n";
	ok(hark_config_parse(&cfg, "t.conf", conf, strlen(conf), &err) == 0,
	    "config parses");
	ok(hark_calendar_from_config(&c, &cfg.sections[0], &err) == 0 &&
	    !hark_calendar_is_open(&c, T("2025-12-25T10:00:00Z")) &&
	    hark_calendar_is_open(&c, T("2025-12-24T10:00:00Z")),
	    "calendar from config");
	if (c.tz != NULL)
		hark_calendar_release(&c);
	ok(hark_calendar_from_config(&c, &cfg.sections[1], &err) == -1 &&
	    err.line == 8, "unknown key reported at its line: %s", err.msg);
	ok(hark_calendar_from_config(&c, &cfg.sections[2], &err) == -1,
	    "bad range rejected");
	is_int(err.line, 10, "bad range line");
	is_int(err.column, 13, "bad range column");
	hark_config_release(&cfg);

	hark_calendar_release(&waw);
	return tap_done();
}
