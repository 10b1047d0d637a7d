/* period.c - days, weeks (Monday first) and months in the report zone. */
#include "mr.h"

/*
 * A period is numbered by its first local day (days since 1970-01-01)
 * for days and weeks, and by year * 12 + month - 1 for months.
 */
int64_t
mr_period_of(const struct mr_opts *o, int64_t t)
{
	int64_t day = hark_tz_local_day(o->tz, t);
	int y, m, d;

	switch (o->period) {
	case MR_DAY:
		return day;
	case MR_WEEK:
		/* 1970-01-01 was a Thursday: Monday is (day + 3) % 7 == 0. */
		return day - (((day + 3) % 7) + 7) % 7;
	default:
		hark_civil_from_days(day, &y, &m, &d);
		return (int64_t)y * 12 + m - 1;
	}
}

static int64_t
first_day(const struct mr_opts *o, int64_t p)
{
	if (o->period != MR_MONTH)
		return p;
	return hark_days_from_civil((int)(p >= 0 ? p / 12 : (p - 11) / 12),
	    (int)(((p % 12) + 12) % 12) + 1, 1);
}

int64_t
mr_period_start(const struct mr_opts *o, int64_t p)
{
	return hark_tz_day_time(o->tz, first_day(o, p), 0);
}

int64_t
mr_period_next(const struct mr_opts *o, int64_t p)
{
	return o->period == MR_DAY ? p + 1 : o->period == MR_WEEK ? p + 7 :
	    p + 1;
}

int64_t
mr_period_prev(const struct mr_opts *o, int64_t p)
{
	return o->period == MR_DAY ? p - 1 : o->period == MR_WEEK ? p - 7 :
	    p - 1;
}

const char *
mr_period_label(const struct mr_opts *o, int64_t p, char *buf, size_t sz)
{
	int y, m, d;

	hark_civil_from_days(first_day(o, p), &y, &m, &d);
	if (o->period == MR_MONTH)
		snprintf(buf, sz, "%04d-%02d", y, m);
	else
		snprintf(buf, sz, "%04d-%02d-%02d", y, m, d);
	return buf;
}

const char *
mr_period_name(enum mr_period p)
{
	return p == MR_DAY ? "day" : p == MR_WEEK ? "week" : "month";
}
