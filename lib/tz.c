/* tz.c - TZif reader, POSIX TZ rules and UTC <-> local conversion. */
#include <ctype.h>
#include "tz.h"

#define TZ_FILE_MAX (1L << 20)

struct tz_type {
	int32_t off;
	uint8_t isdst;
};

/* One POSIX TZ change rule: Jn, n or Mm.w.d, at SECS local time. */
struct tz_when {
	char kind;		/* 'J', 'N' or 'M' */
	int a, b, c;		/* day / month, week, weekday */
	long secs;
};

struct tz_rule {
	long std_off, dst_off;	/* UTC offsets, east positive */
	int has_dst;
	struct tz_when start, end;
};

struct hark_tz {
	char *name;
	int64_t *trans;
	uint8_t *idx;
	size_t ntrans;
	struct tz_type *types;
	size_t ntypes;
	int has_rule;
	struct tz_rule rule;
};

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static struct hark_tz *
tz_new(const char *name)
{
	struct hark_tz *tz = hark_xcalloc(1, sizeof(*tz));

	tz->name = hark_xstrdup(name);
	return tz;
}

struct hark_tz *
hark_tz_utc(void)
{
	struct hark_tz *tz = tz_new("UTC");

	tz->types = hark_xcalloc(1, sizeof(*tz->types));
	tz->ntypes = 1;
	return tz;
}

void
hark_tz_free(struct hark_tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->name);
	free(tz->trans);
	free(tz->idx);
	free(tz->types);
	free(tz);
}

const char *
hark_tz_name(const struct hark_tz *tz)
{
	return tz->name;
}

/* --- POSIX TZ strings ------------------------------------------------ */

static const char *
parse_tzname(const char *p)
{
	const char *s = p;

	if (*p == '<') {
		while (*p != '\0' && *p != '>')
			p++;
		if (*p != '>' || p - s < 4)
			return NULL;
		return p + 1;
	}
	while (isalpha((unsigned char)*p))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]], hours up to MAXH; *OUT in seconds. */
static const char *
parse_hms(const char *p, int maxh, long *out)
{
	long sign = 1, h = 0, m = 0, s = 0;
	int n = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	while (isdigit((unsigned char)*p) && n < 3) {
		h = h * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0 || h > maxh)
		return NULL;
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)p[0]) ||
		    !isdigit((unsigned char)p[1]))
			return NULL;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p == ':') {
			p++;
			if (!isdigit((unsigned char)p[0]) ||
			    !isdigit((unsigned char)p[1]))
				return NULL;
			s = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
	}
	if (m > 59 || s > 59)
		return NULL;
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *
parse_num(const char *p, int min, int max, int *out)
{
	int v = 0, n = 0;

	while (isdigit((unsigned char)*p) && n < 4) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0 || v < min || v > max)
		return NULL;
	*out = v;
	return p;
}

static const char *
parse_when(const char *p, struct tz_when *w)
{
	w->secs = 7200;
	if (*p == 'J') {
		w->kind = 'J';
		p = parse_num(p + 1, 1, 365, &w->a);
	} else if (*p == 'M') {
		w->kind = 'M';
		if ((p = parse_num(p + 1, 1, 12, &w->a)) == NULL || *p++ != '.')
			return NULL;
		if ((p = parse_num(p, 1, 5, &w->b)) == NULL || *p++ != '.')
			return NULL;
		p = parse_num(p, 0, 6, &w->c);
	} else {
		w->kind = 'N';
		p = parse_num(p, 0, 365, &w->a);
	}
	if (p != NULL && *p == '/')
		p = parse_hms(p + 1, 167, &w->secs);
	return p;
}

static int
parse_rule(const char *p, struct tz_rule *r)
{
	long off;

	memset(r, 0, sizeof(*r));
	if ((p = parse_tzname(p)) == NULL)
		return -1;
	if ((p = parse_hms(p, 24, &off)) == NULL)
		return -1;
	r->std_off = -off;
	if (*p == '\0')
		return 0;
	if ((p = parse_tzname(p)) == NULL)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if ((p = parse_hms(p, 24, &off)) == NULL)
			return -1;
		r->dst_off = -off;
	}
	if (*p == '\0') {
		/* No rule: the POSIX default (US rules since 2007). */
		r->start = (struct tz_when){ 'M', 3, 2, 0, 7200 };
		r->end = (struct tz_when){ 'M', 11, 1, 0, 7200 };
		return 0;
	}
	if (*p++ != ',' || (p = parse_when(p, &r->start)) == NULL)
		return -1;
	if (*p++ != ',' || (p = parse_when(p, &r->end)) == NULL)
		return -1;
	return *p == '\0' ? 0 : -1;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Local seconds since the epoch (wall clock) of rule W in YEAR. */
static int64_t
when_local(const struct tz_when *w, int year)
{
	int64_t day;

	if (w->kind == 'J') {
		day = hark_days_from_civil(year, 1, 1) + w->a - 1;
		if (is_leap(year) && w->a >= 60)
			day++;
	} else if (w->kind == 'N') {
		day = hark_days_from_civil(year, 1, 1) + w->a;
	} else {
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
		    30, 31, 30, 31 };
		int64_t first = hark_days_from_civil(year, w->a, 1);
		int wd1 = (int)(((first % 7) + 11) % 7);
		int len = mdays[w->a - 1] + (w->a == 2 && is_leap(year));
		int d = 1 + (w->c - wd1 + 7) % 7 + (w->b - 1) * 7;

		while (d > len)
			d -= 7;
		day = first + d - 1;
	}
	return day * 86400 + w->secs;
}

static long
rule_offset(const struct tz_rule *r, hark_time_t t, int *isdst)
{
	int y, m, d;
	int64_t s, e;

	if (!r->has_dst) {
		*isdst = 0;
		return r->std_off;
	}
	hark_civil_from_days(floordiv(t + r->std_off, 86400), &y, &m, &d);
	s = when_local(&r->start, y) - r->std_off;
	e = when_local(&r->end, y) - r->dst_off;
	if (s < e)
		*isdst = t >= s && t < e;
	else
		*isdst = !(t >= e && t < s);
	return *isdst ? r->dst_off : r->std_off;
}

/* --- TZif ------------------------------------------------------------ */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static int
parse_tzif(struct hark_tz *tz, const unsigned char *b, size_t len)
{
	uint32_t cnt[6];
	size_t i, tsz = 4, need;
	const unsigned char *p;
	int version;

	if (len < 44 || memcmp(b, "TZif", 4) != 0)
		return -1;
	version = b[4] == 0 ? 1 : b[4] - '0';
	for (i = 0; i < 6; i++)
		cnt[i] = be32(b + 20 + 4 * i);
	p = b + 44;
	if (version >= 2) {
		/* Skip the v1 block to the 64-bit one. */
		need = (size_t)cnt[3] * 5 + (size_t)cnt[4] * 6 + cnt[5] +
		    (size_t)cnt[2] * 8 + cnt[1] + cnt[0];
		if (need > len - 44 || len - 44 - need < 44)
			return -1;
		p += need;
		if (memcmp(p, "TZif", 4) != 0)
			return -1;
		for (i = 0; i < 6; i++)
			cnt[i] = be32(p + 20 + 4 * i);
		p += 44;
		tsz = 8;
	}
	/* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
	need = (size_t)cnt[3] * (tsz + 1) + (size_t)cnt[4] * 6 + cnt[5] +
	    (size_t)cnt[2] * (tsz + 4) + cnt[1] + cnt[0];
	if (cnt[4] == 0 || cnt[4] > 256 || need > len - (size_t)(p - b))
		return -1;
	tz->ntrans = cnt[3];
	tz->trans = hark_xcalloc(cnt[3] + 1, sizeof(*tz->trans));
	tz->idx = hark_xcalloc(cnt[3] + 1, 1);
	for (i = 0; i < cnt[3]; i++)
		tz->trans[i] = tsz == 8 ? be64(p + 8 * i) :
		    (int32_t)be32(p + 4 * i);
	p += (size_t)cnt[3] * tsz;
	for (i = 0; i < cnt[3]; i++) {
		if (p[i] >= cnt[4])
			return -1;
		tz->idx[i] = p[i];
	}
	p += cnt[3];
	tz->ntypes = cnt[4];
	tz->types = hark_xcalloc(cnt[4], sizeof(*tz->types));
	for (i = 0; i < cnt[4]; i++) {
		tz->types[i].off = (int32_t)be32(p + 6 * i);
		tz->types[i].isdst = p[6 * i + 4] != 0;
	}
	p += (size_t)cnt[4] * 6 + cnt[5] + (size_t)cnt[2] * (tsz + 4) +
	    cnt[1] + cnt[0];
	if (version >= 2 && (size_t)(p - b) < len && *p == '\n') {
		const unsigned char *e = memchr(p + 1, '\n',
		    len - (size_t)(p - b) - 1);
		char footer[256];

		if (e != NULL && e - p - 1 > 0 &&
		    e - p - 1 < (long)sizeof(footer)) {
			memcpy(footer, p + 1, (size_t)(e - p - 1));
			footer[e - p - 1] = '\0';
			if (parse_rule(footer, &tz->rule) == 0)
				tz->has_rule = 1;
		}
	}
	return 0;
}

static int
safe_name(const char *name)
{
	const char *p;

	if (*name == '\0' || *name == '/' || strstr(name, "..") != NULL)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			return 0;
	return 1;
}

struct hark_tz *
hark_tz_load(const char *name, struct hark_err *err)
{
	struct hark_tz *tz;
	const char *dir = getenv("TZDIR");
	char path[4096];
	unsigned char *buf;
	size_t len = 0;
	FILE *fp;
	int n;

	if (name == NULL || *name == '\0') {
		hark_err_set(err, HARK_EXIT_USAGE, "empty time zone name");
		return NULL;
	}
	if (safe_name(name)) {
		if (dir == NULL || *dir == '\0')
			dir = "/usr/share/zoneinfo";
		n = snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (n > 0 && (size_t)n < sizeof(path) &&
		    (fp = fopen(path, "rb")) != NULL) {
			buf = hark_xmalloc(TZ_FILE_MAX);
			len = fread(buf, 1, TZ_FILE_MAX, fp);
			if (ferror(fp)) {
				if (errno == EISDIR)
					hark_err_set(err, HARK_EXIT_USAGE,
					    "unknown time zone '%s'", name);
				else
					hark_err_set(err, HARK_EXIT_FAILURE,
					    "cannot read '%s': %s", path,
					    strerror(errno));
				fclose(fp);
				free(buf);
				return NULL;
			}
			fclose(fp);
			tz = tz_new(name);
			if (parse_tzif(tz, buf, len) != 0) {
				free(buf);
				hark_tz_free(tz);
				hark_err_set(err, HARK_EXIT_USAGE,
				    "time zone '%s': not a valid TZif file",
				    name);
				return NULL;
			}
			free(buf);
			return tz;
		}
	}
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 ||
	    strcmp(name, "Etc/UTC") == 0 || strcmp(name, "GMT") == 0)
		return hark_tz_utc();
	tz = tz_new(name);
	if (strpbrk(name, "0123456789") != NULL &&
	    parse_rule(name, &tz->rule) == 0) {
		tz->has_rule = 1;
		tz->types = hark_xcalloc(1, sizeof(*tz->types));
		tz->types[0].off = (int32_t)tz->rule.std_off;
		tz->ntypes = 1;
		return tz;
	}
	hark_tz_free(tz);
	hark_err_set(err, HARK_EXIT_USAGE, "unknown time zone '%s'", name);
	return NULL;
}

long
hark_tz_offset(const struct hark_tz *tz, hark_time_t t, int *isdst)
{
	size_t lo, hi, mid;
	int dummy;
	const struct tz_type *ty;

	if (isdst == NULL)
		isdst = &dummy;
	if (tz->ntrans == 0 || t < tz->trans[0]) {
		if (tz->ntrans == 0 && tz->has_rule)
			return rule_offset(&tz->rule, t, isdst);
		ty = &tz->types[0];
		*isdst = ty->isdst;
		return ty->off;
	}
	if (t >= tz->trans[tz->ntrans - 1] && tz->has_rule)
		return rule_offset(&tz->rule, t, isdst);
	lo = 0;
	hi = tz->ntrans;	/* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	ty = &tz->types[tz->idx[lo]];
	*isdst = ty->isdst;
	return ty->off;
}

long
hark_tz_to_local(const struct hark_tz *tz, hark_time_t t,
    struct hark_civil *out)
{
	long off = hark_tz_offset(tz, t, NULL);

	hark_time_to_civil(t + off, out);
	return off;
}

/* L is local wall-clock seconds since the epoch. */
static int
from_local_secs(const struct hark_tz *tz, int64_t l, enum hark_tz_fold fold,
    hark_time_t *out)
{
	long ob = hark_tz_offset(tz, l - 129600, NULL);
	long oa = hark_tz_offset(tz, l + 129600, NULL);
	hark_time_t t1 = l - ob, t2 = l - oa;
	int v1 = hark_tz_offset(tz, t1, NULL) == ob;
	int v2 = hark_tz_offset(tz, t2, NULL) == oa;

	if (v1 && v2 && t1 != t2) {
		*out = fold == HARK_TZ_LATER ? HARK_MAX(t1, t2) :
		    HARK_MIN(t1, t2);
		return 2;
	}
	if (v1) {
		*out = t1;
		return 0;
	}
	if (v2) {
		*out = t2;
		return 0;
	}
	/* In a gap: keep the offset before the change, landing after it. */
	*out = t1;
	return 1;
}

int
hark_tz_from_local(const struct hark_tz *tz, const struct hark_civil *lc,
    enum hark_tz_fold fold, hark_time_t *out)
{
	int64_t y = lc->year, m = lc->month - 1;
	int64_t l;

	y += floordiv(m, 12);
	m -= floordiv(m, 12) * 12;
	l = (hark_days_from_civil((int)y, (int)m + 1, 1) + lc->day - 1) *
	    86400 + (int64_t)lc->hour * 3600 + (int64_t)lc->min * 60 + lc->sec;
	return from_local_secs(tz, l, fold, out);
}

int64_t
hark_tz_local_day(const struct hark_tz *tz, hark_time_t t)
{
	return floordiv(t + hark_tz_offset(tz, t, NULL), 86400);
}

hark_time_t
hark_tz_day_time(const struct hark_tz *tz, int64_t day, long secs)
{
	int64_t l = day * 86400 + secs;
	hark_time_t t, lo, hi, mid;

	if (from_local_secs(tz, l, HARK_TZ_EARLIER, &t) != 1)
		return t;
	/* In a gap: the instant of the change, found between the two
	 * readings (offset before the change at LO, after it at HI). */
	lo = l - hark_tz_offset(tz, l + 129600, NULL);
	hi = t;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (hark_tz_offset(tz, mid, NULL) ==
		    hark_tz_offset(tz, hi, NULL))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}
