/* htime.c - timestamp parsing/formatting and the testable clock. */
#include <ctype.h>
#include <strings.h>
#include "htime.h"

int64_t
hark_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's days_from_civil. */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
hark_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

void
hark_time_to_civil(hark_time_t t, struct hark_civil *c)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400;

	hark_civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(secs / 3600);
	c->min = (int)(secs / 60 % 60);
	c->sec = (int)(secs % 60);
	c->wday = (int)((days % 7 + 11) % 7);	/* 1970-01-01 was Thursday */
}

hark_time_t
hark_civil_to_time(const struct hark_civil *c)
{
	return hark_days_from_civil(c->year, c->month, c->day) * 86400 +
	    c->hour * 3600 + c->min * 60 + c->sec;
}

char *
hark_time_format(hark_time_t t, char *buf)
{
	struct hark_civil c;
	char *p = buf;
	int y;

	hark_time_to_civil(t, &c);
	if (c.year < 0 || c.year > 9999) {
		snprintf(buf, HARK_TIME_BUFSZ, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    c.year, c.month, c.day, c.hour, c.min, c.sec);
		return buf;
	}
	/* by hand: this runs for every due time of every routed record */
	y = c.year;
	*p++ = (char)('0' + y / 1000);
	*p++ = (char)('0' + y / 100 % 10);
	*p++ = (char)('0' + y / 10 % 10);
	*p++ = (char)('0' + y % 10);
#define TWO(sep, v) do { *p++ = (sep); *p++ = (char)('0' + (v) / 10); \
	*p++ = (char)('0' + (v) % 10); } while (0)
	TWO('-', c.month);
	TWO('-', c.day);
	TWO('T', c.hour);
	TWO(':', c.min);
	TWO(':', c.sec);
#undef TWO
	*p++ = 'Z';
	*p = '\0';
	return buf;
}

static int
digits(const char **pp, int n, int *out)
{
	const char *p = *pp;
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*out = v;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int
valid_civil(int y, int mo, int d, int h, int mi, int s)
{
	return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 &&
	    d <= days_in_month(y, mo) && h >= 0 && h <= 23 && mi >= 0 &&
	    mi <= 59 && s >= 0 && s <= 60;
}

static int
bad(struct hark_err *err, const char *what, const char *s)
{
	char clean[80];

	return hark_err_set(err, HARK_EXIT_DATA, "invalid %s '%s'", what,
	    hark_sanitize(clean, sizeof(clean), s, strlen(s)));
}

int
hark_time_parse_rfc3339(const char *s, hark_time_t *out,
    struct hark_err *err)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
	int64_t off = 0;
	struct hark_civil c;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return bad(err, "timestamp", s);
	if (*p == '\0')
		goto done;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return bad(err, "timestamp", s);
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
		return bad(err, "timestamp", s);
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &sec))
			return bad(err, "timestamp", s);
		if (*p == '.' || *p == ',') {
			p++;
			if (!isdigit((unsigned char)*p))
				return bad(err, "timestamp", s);
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;

		if (digits(&p, 2, &oh))
			return bad(err, "timestamp", s);
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om) || oh > 23 || om > 59)
			return bad(err, "timestamp", s);
		off = sign * (oh * 3600 + om * 60);
	} else {
		return bad(err, "timestamp (time zone missing)", s);
	}
	if (*p != '\0')
		return bad(err, "timestamp", s);
done:
	if (!valid_civil(y, mo, d, h, mi, sec))
		return bad(err, "timestamp", s);
	c.year = y, c.month = mo, c.day = d, c.hour = h, c.min = mi;
	c.sec = sec == 60 ? 59 : sec;
	*out = hark_civil_to_time(&c) - off;
	return 0;
}

static int
month_index(const char *p)
{
	static const char *mon[] = { "jan", "feb", "mar", "apr", "may", "jun",
	    "jul", "aug", "sep", "oct", "nov", "dec" };
	int i;

	for (i = 0; i < 12; i++)
		if (strncasecmp(p, mon[i], 3) == 0)
			return i + 1;
	return 0;
}

static int
parse_zone(const char *p, int64_t *off)
{
	static const struct { const char *n; int h; } zones[] = {
		{ "GMT", 0 }, { "UT", 0 }, { "UTC", 0 }, { "Z", 0 },
		{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
		{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
		{ "CET", 1 }, { "CEST", 2 },
	};
	size_t i;

	if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, hh, mm;

		p++;
		if (digits(&p, 2, &hh))
			return -1;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &mm) || *p != '\0')
			return -1;
		*off = sign * (hh * 3600 + mm * 60);
		return 0;
	}
	for (i = 0; i < HARK_ARRAY_SIZE(zones); i++)
		if (strcasecmp(p, zones[i].n) == 0) {
			*off = zones[i].h * 3600;
			return 0;
		}
	return -1;
}

static int
parse_hms(const char **pp, int *h, int *mi, int *s)
{
	const char *p = *pp;

	if (digits(&p, 2, h) || *p++ != ':' || digits(&p, 2, mi))
		return -1;
	*s = 0;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, s))
			return -1;
	}
	*pp = p;
	return 0;
}

int
hark_time_parse_rfc2822(const char *s, hark_time_t *out,
    struct hark_err *err)
{
	const char *p = s;
	int d = 0, mo, y, h, mi, sec;
	int64_t off;
	struct hark_civil c;

	while (isspace((unsigned char)*p))
		p++;
	if (isalpha((unsigned char)*p)) {	/* weekday */
		while (isalpha((unsigned char)*p))
			p++;
		if (*p == ',')
			p++;
		while (isspace((unsigned char)*p))
			p++;
	}
	while (isdigit((unsigned char)*p) && d < 100)
		d = d * 10 + (*p++ - '0');
	while (isspace((unsigned char)*p))
		p++;
	if ((mo = month_index(p)) == 0)
		return bad(err, "date", s);
	while (isalpha((unsigned char)*p))
		p++;
	while (isspace((unsigned char)*p))
		p++;
	if (digits(&p, 4, &y)) {
		p -= 0;
		if (digits(&p, 2, &y))
			return bad(err, "date", s);
		y += y < 50 ? 2000 : 1900;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (parse_hms(&p, &h, &mi, &sec))
		return bad(err, "date", s);
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		off = 0;
	else {
		char zone[16];
		size_t n = strcspn(p, " \t");

		if (n >= sizeof(zone))
			return bad(err, "date", s);
		memcpy(zone, p, n);
		zone[n] = '\0';
		if (parse_zone(zone, &off))
			return bad(err, "date", s);
		p += n;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '\0' && *p != '(')
			return bad(err, "date", s);
	}
	if (!valid_civil(y, mo, d, h, mi, sec))
		return bad(err, "date", s);
	c.year = y, c.month = mo, c.day = d, c.hour = h, c.min = mi;
	c.sec = sec == 60 ? 59 : sec;
	*out = hark_civil_to_time(&c) - off;
	return 0;
}

int
hark_time_parse_twitter(const char *s, hark_time_t *out,
    struct hark_err *err)
{
	const char *p = s;
	int d, mo, y, h, mi, sec;
	int64_t off;
	char zone[8];
	struct hark_civil c;

	/* "Tue Oct 31 22:10:47 +0000 2017" */
	if (strlen(s) < 30 || s[3] != ' ' || s[7] != ' ')
		return bad(err, "date", s);
	if ((mo = month_index(s + 4)) == 0)
		return bad(err, "date", s);
	p = s + 8;
	if (digits(&p, 2, &d) || *p++ != ' ' || parse_hms(&p, &h, &mi, &sec) ||
	    *p++ != ' ')
		return bad(err, "date", s);
	memcpy(zone, p, 5);
	zone[5] = '\0';
	p += 5;
	if (parse_zone(zone, &off) || *p++ != ' ' || digits(&p, 4, &y) ||
	    *p != '\0' || !valid_civil(y, mo, d, h, mi, sec))
		return bad(err, "date", s);
	c.year = y, c.month = mo, c.day = d, c.hour = h, c.min = mi;
	c.sec = sec == 60 ? 59 : sec;
	*out = hark_civil_to_time(&c) - off;
	return 0;
}

int
hark_time_parse_any(const char *s, hark_time_t *out, struct hark_err *err)
{
	const char *p = *s == '@' ? s + 1 : s;

	if (*p && (isdigit((unsigned char)*p) || *p == '-')) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(p, &end, 10);
		/* epoch seconds of years 1 to 9999 only: beyond them no
		 * calendar or zone arithmetic is safe from overflow */
		if (errno == 0 && (v < HARK_TIME_MIN || v > HARK_TIME_MAX) &&
		    (*end == '\0' || *end == '.'))
			return bad(err, "timestamp (beyond years 1 to 9999)", s);
		if (*end == '\0' && errno == 0 && (p != s || end - p != 4)) {
			*out = v;
			return 0;
		}
		if (*end == '.' && errno == 0 && p != s) {
			const char *q = end + 1;

			while (isdigit((unsigned char)*q))
				q++;
			if (*q == '\0' && q > end + 1) {
				*out = v;
				return 0;
			}
		}
	}
	if (hark_time_parse_rfc3339(s, out, NULL) == 0 ||
	    hark_time_parse_twitter(s, out, NULL) == 0 ||
	    hark_time_parse_rfc2822(s, out, NULL) == 0)
		return 0;
	return bad(err, "timestamp", s);
}

int
hark_now(hark_time_t *out, struct hark_err *err)
{
	const char *env = getenv("HARK_NOW");

	if (env && *env) {
		if (hark_time_parse_any(env, out, NULL) < 0)
			return hark_err_set(err, HARK_EXIT_USAGE,
			    "HARK_NOW: invalid time '%s'", env);
		return 0;
	}
	*out = (hark_time_t)time(NULL);
	return 0;
}

char *
hark_duration_format(int64_t s, char *buf, size_t sz)
{
	if (s < 0)
		snprintf(buf, sz, "-");
	else if (s < 60)
		snprintf(buf, sz, "%ds", (int)s);
	else if (s < 3600)
		snprintf(buf, sz, s % 60 ? "%dm%02ds" : "%dm", (int)(s / 60),
		    (int)(s % 60));
	else if (s < 86400)
		snprintf(buf, sz, "%dh%02dm", (int)(s / 3600),
		    (int)(s / 60 % 60));
	else
		snprintf(buf, sz, "%lldd%02dh", (long long)(s / 86400),
		    (int)(s / 3600 % 24));
	return buf;
}
