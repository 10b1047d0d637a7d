/* calendar.c - business calendars and business-time arithmetic. */
#include <ctype.h>
#include <strings.h>
#include "calendar.h"

static const char *const day_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

static int
weekday(int64_t day)
{
	return (int)(((day % 7) + 11) % 7);
}

static void
update_always(struct hark_calendar *cal)
{
	int d;

	cal->always = cal->nholidays == 0;
	for (d = 0; d < 7 && cal->always; d++)
		cal->always = cal->nweek[d] == 1 && cal->week[d][0].open == 0 &&
		    cal->week[d][0].close == 86400;
	cal->cache_day = INT64_MIN;
}

static void
set_full(struct hark_calendar *cal, int d)
{
	free(cal->week[d]);
	cal->week[d] = hark_xmalloc(sizeof(*cal->week[d]));
	cal->week[d][0].open = 0;
	cal->week[d][0].close = 86400;
	cal->nweek[d] = 1;
}

void
hark_calendar_init(struct hark_calendar *cal, const char *name)
{
	int d;

	memset(cal, 0, sizeof(*cal));
	cal->name = name != NULL ? hark_xstrdup(name) : NULL;
	cal->tz = hark_tz_utc();
	for (d = 0; d < 7; d++)
		set_full(cal, d);
	update_always(cal);
}

void
hark_calendar_release(struct hark_calendar *cal)
{
	int d;

	free(cal->name);
	hark_tz_free(cal->tz);
	for (d = 0; d < 7; d++)
		free(cal->week[d]);
	free(cal->holidays);
	memset(cal, 0, sizeof(*cal));
}

int
hark_calendar_set_zone(struct hark_calendar *cal, const char *zone,
    struct hark_err *err)
{
	struct hark_tz *tz = hark_tz_load(zone, err);

	if (tz == NULL)
		return -1;
	hark_tz_free(cal->tz);
	cal->tz = tz;
	cal->cache_day = INT64_MIN;
	return 0;
}

static int
cmp_iv(const void *a, const void *b)
{
	const struct hark_cal_interval *x = a, *y = b;

	return x->open < y->open ? -1 : x->open > y->open;
}

/* Add [OPEN, CLOSE) to weekday D, keeping the list sorted and merged. */
static int
add_interval(struct hark_calendar *cal, int d, int32_t open, int32_t close)
{
	struct hark_cal_interval *v;
	size_t i, n = cal->nweek[d], m;

	v = hark_xrealloc(cal->week[d], (n + 1) * sizeof(*v));
	v[n].open = open;
	v[n].close = close;
	n++;
	qsort(v, n, sizeof(*v), cmp_iv);
	for (i = 1, m = 0; i < n; i++) {
		if (v[i].open <= v[m].close) {
			if (v[i].close > v[m].close)
				v[m].close = v[i].close;
		} else {
			v[++m] = v[i];
		}
	}
	cal->week[d] = v;
	cal->nweek[d] = m + 1;
	return cal->nweek[d] > HARK_CALENDAR_MAX_PER_DAY ? -1 : 0;
}

static int
day_index(const char *s, size_t len)
{
	int d;

	if (len < 2)
		return -1;
	for (d = 0; d < 7; d++)
		if ((len == 3 || len == strlen(day_names[d])) &&
		    strncasecmp(s, day_names[d], len) == 0)
			return d;
	return -1;
}

/* "HH:MM" with HH 0..24 (24 only as 24:00); *OUT seconds. */
static const char *
parse_clock(const char *p, int32_t *out)
{
	int h, m;

	if (!isdigit((unsigned char)p[0]))
		return NULL;
	h = p[0] - '0';
	p++;
	if (isdigit((unsigned char)*p))
		h = h * 10 + (*p++ - '0');
	if (*p != ':' || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]))
		return NULL;
	m = (p[1] - '0') * 10 + (p[2] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return NULL;
	*out = h * 3600 + m * 60;
	return p + 3;
}

static int
set_err(struct hark_err *err, const char *spec, const char *at,
    const char *fmt, const char *what)
{
	hark_err_setl(err, HARK_EXIT_USAGE, 0, (long)(at - spec) + 1, fmt,
	    what);
	return -1;
}

static int
is_sep(int c)
{
	return c == ' ' || c == '\t' || c == ',';
}

int
hark_calendar_add_hours(struct hark_calendar *cal, const char *spec,
    struct hark_err *err)
{
	int days[7] = { 0 }, d, any = 0;
	const char *p = spec, *s;
	char word[64];
	size_t n;

	while (is_sep(*p))
		p++;
	n = strcspn(p, " \t");
	if ((n == 4 && strncasecmp(p, "24x7", 4) == 0) ||
	    (n == 6 && strncasecmp(p, "always", 6) == 0)) {
		s = p + n;
		while (is_sep(*s))
			s++;
		if (*s != '\0')
			return set_err(err, spec, s, "unexpected '%s' after "
			    "24x7", s);
		for (d = 0; d < 7; d++)
			set_full(cal, d);
		cal->hours_set = 1;
		update_always(cal);
		return 0;
	}
	if (!cal->hours_set) {
		for (d = 0; d < 7; d++) {
			free(cal->week[d]);
			cal->week[d] = NULL;
			cal->nweek[d] = 0;
		}
		cal->hours_set = 1;
	}
	/* DAYS: item[,item...] where item is day, day-day, daily, *,
	 * weekdays or weekend. */
	for (;;) {
		int a, b;

		s = p;
		n = strcspn(p, ",- \t");
		if (n == 0 || n >= sizeof(word))
			return set_err(err, spec, s, "%s", "expected day names "
			    "such as 'mon-fri'");
		memcpy(word, p, n);
		word[n] = '\0';
		p += n;
		if (strcasecmp(word, "daily") == 0 || strcmp(word, "*") == 0 ||
		    strcasecmp(word, "all") == 0) {
			for (d = 0; d < 7; d++)
				days[d] = 1;
		} else if (strcasecmp(word, "weekdays") == 0) {
			for (d = 1; d <= 5; d++)
				days[d] = 1;
		} else if (strcasecmp(word, "weekend") == 0) {
			days[0] = days[6] = 1;
		} else {
			if ((a = day_index(word, n)) < 0)
				return set_err(err, spec, s, "unknown day "
				    "'%s'", word);
			b = a;
			if (*p == '-') {
				s = ++p;
				n = strcspn(p, ", \t");
				if ((b = day_index(p, n)) < 0)
					return set_err(err, spec, s,
					    "unknown day '%s'", p);
				p += n;
			}
			/* mon=1 .. sun=0: walk from a to b, wrapping. */
			for (d = a;; d = (d + 1) % 7) {
				days[d] = 1;
				if (d == b)
					break;
			}
		}
		if (*p != ',')
			break;
		p++;
		/* a comma followed by a clock means the day list ended */
		while (*p == ' ')
			p++;
		if (isdigit((unsigned char)*p))
			break;
	}
	while (is_sep(*p))
		p++;
	if (strncasecmp(p, "closed", 6) == 0 && (p[6] == '\0' ||
	    is_sep(p[6]))) {
		for (d = 0; d < 7; d++) {
			if (!days[d])
				continue;
			free(cal->week[d]);
			cal->week[d] = NULL;
			cal->nweek[d] = 0;
		}
		update_always(cal);
		return 0;
	}
	while (*p != '\0') {
		int32_t open, close;

		s = p;
		if ((p = parse_clock(p, &open)) == NULL || *p != '-' ||
		    (p = parse_clock(p + 1, &close)) == NULL ||
		    (*p != '\0' && !is_sep(*p)))
			return set_err(err, spec, s, "%s", "expected a time "
			    "range such as '09:00-17:00'");
		if (open == 86400 || open == close)
			return set_err(err, spec, s, "%s", "empty time range");
		for (d = 0; d < 7; d++) {
			int r = 0;

			if (!days[d])
				continue;
			if (close > open) {
				r = add_interval(cal, d, open, close);
			} else {
				/* Crosses midnight: the rest belongs to the
				 * next day. */
				r = add_interval(cal, d, open, 86400);
				if (r == 0 && close > 0)
					r = add_interval(cal, (d + 1) % 7, 0,
					    close);
			}
			if (r != 0)
				return set_err(err, spec, s, "%s", "too many "
				    "intervals in one day");
		}
		any = 1;
		while (is_sep(*p))
			p++;
	}
	if (!any)
		return set_err(err, spec, p, "%s", "expected a time range "
		    "such as '09:00-17:00' or 'closed'");
	update_always(cal);
	return 0;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static const char *
parse_date(const char *p, int64_t *day)
{
	int y, m, d, i;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? p[i] != '-' :
		    !isdigit((unsigned char)p[i]))
			return NULL;
	y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
	    (p[3] - '0');
	m = (p[5] - '0') * 10 + (p[6] - '0');
	d = (p[8] - '0') * 10 + (p[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0)))
		return NULL;
	*day = hark_days_from_civil(y, m, d);
	return p + 10;
}

int
hark_calendar_add_holidays(struct hark_calendar *cal, const char *spec,
    struct hark_err *err)
{
	const char *p = spec, *s;
	int64_t a, b, d;
	size_t i, m;

	while (*p != '\0') {
		while (is_sep(*p))
			p++;
		if (*p == '\0')
			break;
		s = p;
		if ((p = parse_date(p, &a)) == NULL)
			return set_err(err, spec, s, "%s", "expected a date "
			    "YYYY-MM-DD");
		b = a;
		if (p[0] == '.' && p[1] == '.') {
			s = p + 2;
			if ((p = parse_date(p + 2, &b)) == NULL || b < a ||
			    b - a > 366)
				return set_err(err, spec, s, "%s", "expected "
				    "an end date YYYY-MM-DD (at most a year "
				    "later)");
		}
		if (*p != '\0' && !is_sep(*p))
			return set_err(err, spec, p, "%s", "expected a date "
			    "YYYY-MM-DD");
		cal->holidays = hark_xrealloc(cal->holidays,
		    (cal->nholidays + (size_t)(b - a) + 1) *
		    sizeof(*cal->holidays));
		for (d = a; d <= b; d++)
			cal->holidays[cal->nholidays++] = d;
	}
	if (cal->nholidays > 0) {
		qsort(cal->holidays, cal->nholidays, sizeof(int64_t), cmp_i64);
		for (i = 1, m = 0; i < cal->nholidays; i++)
			if (cal->holidays[i] != cal->holidays[m])
				cal->holidays[++m] = cal->holidays[i];
		cal->nholidays = m + 1;
	}
	update_always(cal);
	return 0;
}

int
hark_calendar_from_config(struct hark_calendar *cal,
    const struct hark_config_section *s, struct hark_err *err)
{
	const struct hark_config_entry *e;
	size_t i;
	int d, open = 0;

	hark_calendar_init(cal, s->name);
	for (i = 0; i < s->nentries; i++) {
		int r;

		e = &s->entries[i];
		if (strcmp(e->key, "zone") == 0 ||
		    strcmp(e->key, "timezone") == 0 ||
		    strcmp(e->key, "time_zone") == 0) {
			r = hark_calendar_set_zone(cal, e->value, err);
			if (r != 0 && err != NULL)
				err->column = 1;
		} else if (strcmp(e->key, "hours") == 0) {
			r = hark_calendar_add_hours(cal, e->value, err);
		} else if (strcmp(e->key, "holiday") == 0 ||
		    strcmp(e->key, "holidays") == 0) {
			r = hark_calendar_add_holidays(cal, e->value, err);
		} else {
			hark_err_set(err, HARK_EXIT_USAGE, "calendar '%s': "
			    "unknown key '%s'", s->name ? s->name : "",
			    e->key);
			if (err != NULL) {
				err->line = e->line;
				err->column = 1;
			}
			hark_calendar_release(cal);
			return -1;
		}
		if (r != 0) {
			if (err != NULL) {
				char msg[HARK_ERR_MSG_MAX];

				snprintf(msg, sizeof(msg), "calendar '%.100s': "
				    "%.40s: %.300s", s->name ? s->name : "",
				    e->key, err->msg);
				memcpy(err->msg, msg, sizeof(msg));
				err->code = HARK_EXIT_USAGE;
				err->column = e->column + (err->column > 0 ?
				    err->column - 1 : 0);
				err->line = e->line;
			}
			hark_calendar_release(cal);
			return -1;
		}
	}
	for (d = 0; d < 7; d++)
		open += cal->nweek[d] > 0;
	if (!open) {
		hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
		    "calendar '%s': no opening hours", s->name ? s->name : "");
		hark_calendar_release(cal);
		return -1;
	}
	return 0;
}

int
hark_calendar_is_holiday(const struct hark_calendar *cal, int64_t day)
{
	size_t lo = 0, hi = cal->nholidays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal->holidays[mid] == day)
			return 1;
		if (cal->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int64_t
hark_calendar_local_day(const struct hark_calendar *cal, hark_time_t t)
{
	return hark_tz_local_day(cal->tz, t);
}

/*
 * The open intervals of local day DAY as instants: pairs in
 * cal->cache_t[0..2*cache_n).  Cached because walks revisit a day.
 */
static const hark_time_t *
day_open(struct hark_calendar *cal, int64_t day, size_t *n)
{
	const struct hark_cal_interval *iv;
	size_t i, k = 0, cnt;
	int wd;

	if (cal->cache_day == day) {
		*n = cal->cache_n;
		return cal->cache_t;
	}
	cal->cache_day = day;
	cal->cache_n = 0;
	*n = 0;
	if (hark_calendar_is_holiday(cal, day))
		return cal->cache_t;
	wd = weekday(day);
	iv = cal->week[wd];
	cnt = cal->nweek[wd];
	for (i = 0; i < cnt; i++) {
		hark_time_t a = hark_tz_day_time(cal->tz, day, iv[i].open);
		hark_time_t b = hark_tz_day_time(cal->tz, day, iv[i].close);

		if (b <= a)
			continue;	/* swallowed by a gap */
		if (k > 0 && a <= cal->cache_t[2 * k - 1]) {
			/* folds can make neighbours overlap: merge */
			if (b > cal->cache_t[2 * k - 1])
				cal->cache_t[2 * k - 1] = b;
			continue;
		}
		cal->cache_t[2 * k] = a;
		cal->cache_t[2 * k + 1] = b;
		k++;
	}
	cal->cache_n = k;
	*n = k;
	return cal->cache_t;
}

int
hark_calendar_is_open(struct hark_calendar *cal, hark_time_t t)
{
	const hark_time_t *v;
	size_t i, n;

	if (cal->always)
		return 1;
	v = day_open(cal, hark_tz_local_day(cal->tz, t), &n);
	for (i = 0; i < n; i++)
		if (t >= v[2 * i] && t < v[2 * i + 1])
			return 1;
	return 0;
}

hark_time_t
hark_calendar_next_open(struct hark_calendar *cal, hark_time_t t)
{
	int64_t day, closed = 0;
	const hark_time_t *v;
	size_t i, n;

	if (cal->always)
		return t;
	/* Start one day early: an interval of yesterday can run past
	 * local midnight only through a fold, but this is cheap. */
	for (day = hark_tz_local_day(cal->tz, t) - 1;
	    closed <= HARK_CALENDAR_HORIZON_DAYS; day++) {
		v = day_open(cal, day, &n);
		closed = n == 0 ? closed + 1 : 0;
		for (i = 0; i < n; i++)
			if (v[2 * i + 1] > t)
				return HARK_MAX(v[2 * i], t);
	}
	return HARK_TIME_NEVER;
}

hark_time_t
hark_calendar_add(struct hark_calendar *cal, hark_time_t t, int64_t n)
{
	int64_t day, closed = 0, len;
	const hark_time_t *v;
	hark_time_t s;
	size_t i, cnt;

	if (n <= 0)
		return t;
	if (cal->always)
		return t + n;
	for (day = hark_tz_local_day(cal->tz, t) - 1;
	    closed <= HARK_CALENDAR_HORIZON_DAYS; day++) {
		v = day_open(cal, day, &cnt);
		closed = cnt == 0 ? closed + 1 : 0;
		for (i = 0; i < cnt; i++) {
			if (v[2 * i + 1] <= t)
				continue;
			s = HARK_MAX(v[2 * i], t);
			len = v[2 * i + 1] - s;
			if (n <= len)
				return s + n;
			n -= len;
		}
	}
	return HARK_TIME_NEVER;
}

int64_t
hark_calendar_between(struct hark_calendar *cal, hark_time_t a,
    hark_time_t b)
{
	int64_t day, last, sum = 0;
	const hark_time_t *v;
	size_t i, n;

	if (b <= a)
		return 0;
	if (cal->always)
		return b - a;
	last = hark_tz_local_day(cal->tz, b);
	for (day = hark_tz_local_day(cal->tz, a) - 1; day <= last; day++) {
		v = day_open(cal, day, &n);
		for (i = 0; i < n; i++) {
			hark_time_t s = HARK_MAX(v[2 * i], a);
			hark_time_t e = HARK_MIN(v[2 * i + 1], b);

			if (e > s)
				sum += e - s;
		}
	}
	return sum;
}
