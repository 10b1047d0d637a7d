/* ingest.c - mention records and explicit event records into events. */
#include <ctype.h>
#include <math.h>
#include <strings.h>
#include "sr.h"
#include "ndjson.h"
#include "convkey.h"
#include "thread.h"

const char *const sr_field_names[SR_NFIELDS] = {
	"channel", "queue", "agent", "priority", "category", "language",
	"brand"
};

/* Where each grouping field may live in a record, tried in order. */
static const char *const field_paths[SR_NFIELDS][4] = {
	{ "channel", "source", NULL },
	{ "queue", "route.queue", "ticket.queue", NULL },
	{ "agent", "assignee", "route.agent", "ticket.agent" },
	{ "priority", "route.priority", "ticket.priority", NULL },
	{ "category", "route.category", "ticket.category", NULL },
	{ "lang", "language", NULL },
	{ "brand", NULL },
};

/* The event kind of lib/thread.h's vocabulary. */
static int
event_kind(enum hark_thread_event k)
{
	switch (k) {
	case HARK_EVENT_CREATED: return SR_CREATED;
	case HARK_EVENT_CUSTOMER: return SR_CUSTOMER;
	case HARK_EVENT_REPLY: return SR_REPLY;
	case HARK_EVENT_NOTE: return SR_NOTE;
	case HARK_EVENT_AUTO: return SR_AUTO;
	case HARK_EVENT_STATUS: return SR_STATUS;
	case HARK_EVENT_RESOLVED: return SR_RESOLVED;
	case HARK_EVENT_REOPENED: return SR_REOPENED;
	case HARK_EVENT_MERGED: return SR_MERGED;
	case HARK_EVENT_SPAM: return SR_SPAM;
	case HARK_EVENT_UNKNOWN: break;
	}
	return -1;
}

void
sr_store_init(struct sr_store *st)
{
	memset(st, 0, sizeof(*st));
	hark_intern_init(&st->strs);
}

void
sr_store_release(struct sr_store *st)
{
	free(st->ev);
	free(st->dues);
	free(st->mentions);
	hark_intern_release(&st->strs);
	memset(st, 0, sizeof(*st));
}

static uint32_t
intern_s(struct sr_store *st, const char *s)
{
	return s != NULL && *s != '\0' ? hark_intern(&st->strs, s, strlen(s)) :
	    SR_NONE;
}

/* The event kind of a brand message (lib/thread.h's rule). */
static enum sr_kind
brand_kind(enum hark_thread_kind k)
{
	return k == HARK_THREAD_AUTO ? SR_AUTO : k == HARK_THREAD_NOTE ?
	    SR_NOTE : SR_REPLY;
}

/* The @handles of TEXT (without '@', lower-cased; at most
 * SR_MAXMENTION) into the store's mentions, for E. */
static void
add_mentions(struct sr_store *st, struct sr_event *e, const char *text)
{
	const char *p, *s;

	if (text == NULL)
		return;
	for (p = text; (p = strchr(p, '@')) != NULL &&
	    e->nmention < SR_MAXMENTION; p++) {
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		s = ++p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		if (p > s) {
			char buf[64];
			size_t i, n = HARK_MIN((size_t)(p - s),
			    sizeof(buf) - 1);

			for (i = 0; i < n; i++)
				buf[i] = (char)tolower((unsigned char)s[i]);
			if (st->nmentions == st->capmentions) {
				st->capmentions = st->capmentions ?
				    st->capmentions * 2 : 256;
				st->mentions = hark_xrealloc(st->mentions,
				    st->capmentions * sizeof(*st->mentions));
			}
			if (e->nmention == 0)
				e->mention = (uint32_t)st->nmentions;
			st->mentions[st->nmentions++] = hark_intern(&st->strs,
			    buf, n);
			e->nmention++;
		}
		p--;
	}
}

/* N digits at *P into *V. */
static int
digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

/*
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM:SS[.frac]": a local
 * time without a zone, as helpdesk exports write it, into LC.  0 when S
 * is such a time, -1 otherwise (also when it carries a zone).
 */
static int
parse_zoneless(const char *s, struct hark_civil *lc)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, cy, cm, cd;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (*p != '\0') {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return -1;
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (*p != '\0')
			return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
		return -1;
	hark_civil_from_days(hark_days_from_civil(y, mo, d), &cy, &cm, &cd);
	if (cy != y || cm != mo || cd != d)
		return -1;	/* 2025-02-30 */
	memset(lc, 0, sizeof(*lc));
	lc->year = y;
	lc->month = mo;
	lc->day = d;
	lc->hour = h;
	lc->min = mi;
	lc->sec = sec == 60 ? 59 : sec;
	return 0;
}

int
sr_parse_time(const char *s, const struct hark_tz *tz, int64_t *out)
{
	struct hark_civil lc;
	hark_time_t t;

	if (parse_zoneless(s, &lc) == 0) {
		if (tz == NULL)
			*out = hark_civil_to_time(&lc);
		else {
			(void)hark_tz_from_local(tz, &lc, HARK_TZ_EARLIER, &t);
			*out = t;
		}
		return 0;
	}
	/* Epoch seconds with a fraction, "1741593600.5": the whole second
	 * (a bare year such as "2025.5" is not a time). */
	{
		const char *p = s, *dot;

		while (isdigit((unsigned char)*p))
			p++;
		dot = p;
		if (*p == '.' && dot - s > 4 && isdigit((unsigned char)p[1])) {
			for (p++; isdigit((unsigned char)*p); p++)
				;
			if (*p == '\0' && dot - s < 16) {
				char whole[16];

				memcpy(whole, s, (size_t)(dot - s));
				whole[dot - s] = '\0';
				return hark_time_parse_any(whole, out, NULL);
			}
		}
	}
	return hark_time_parse_any(s, out, NULL);
}

static int
parse_ts(const struct sr_ctx *x, json_t *rec, const char *const *names,
    int64_t *out, struct hark_err *err)
{
	char buf[32];
	json_t *v = NULL;
	const char *s;

	for (; *names != NULL; names++)
		if ((v = json_object_get(rec, *names)) != NULL &&
		    !json_is_null(v))
			break;
	if (v == NULL || json_is_null(v))
		return hark_err_set(err, HARK_EXIT_DATA, "no time: expected "
		    "'ts' or 'created_at'");
	if (json_is_real(v)) {
		/* Epoch seconds with a fraction: the whole second it falls
		 * in, as every other time is kept. */
		double d = json_real_value(v);

		if (!(d >= HARK_TIME_MIN && d < HARK_TIME_MAX + 1.0))
			return hark_err_set(err, HARK_EXIT_DATA, "%s: epoch "
			    "seconds out of range: %g", *names, d);
		*out = (int64_t)floor(d);
		return 0;
	}
	if ((s = hark_json_scalar(v, buf, sizeof(buf))) == NULL ||
	    sr_parse_time(s, x->o->tz, out) != 0) {
		char clean[80];

		if (s == NULL)
			return hark_err_set(err, HARK_EXIT_DATA, "%s: expected "
			    "a time string or epoch seconds, not %s", *names,
			    json_is_object(v) ? "an object" : json_is_array(v) ?
			    "an array" : "a boolean");
		return hark_err_set(err, HARK_EXIT_DATA, "%s: invalid time "
		    "'%s'", *names, hark_sanitize(clean, sizeof(clean), s,
		    strlen(s)));
	}
	return 0;
}

static void
add_due(struct sr_store *st, uint32_t ev, json_t *sla)
{
	const char *pname = json_string_value(json_object_get(sla, "policy"));
	struct sr_due *d;
	int m, any = 0;
	int64_t due[HARK_SLA_NMETRICS];

	for (m = 0; m < HARK_SLA_NMETRICS; m++) {
		char key[40];
		const char *s;

		snprintf(key, sizeof(key), "%s_due",
		    hark_sla_metric_name((enum hark_sla_metric)m));
		s = json_string_value(json_object_get(sla, key));
		due[m] = HARK_TIME_NEVER;
		if (s != NULL && hark_time_parse_rfc3339(s, &due[m], NULL) == 0)
			any = 1;
		else
			due[m] = HARK_TIME_NEVER;
	}
	if (!any)
		return;
	if (st->ndues == st->capdues) {
		st->capdues = st->capdues ? st->capdues * 2 : 256;
		st->dues = hark_xrealloc(st->dues, st->capdues *
		    sizeof(*st->dues));
	}
	d = &st->dues[st->ndues++];
	d->ev = ev;
	d->policy = intern_s(st, pname);
	memcpy(d->due, due, sizeof(due));
	st->ev[ev].has_due = 1;
}

/* ticket-route's due times: "route": {"sla": {...}}, or a top-level
 * "sla" object. */
static json_t *
record_sla(json_t *rec)
{
	json_t *s = hark_json_path(rec, "route.sla");

	return json_is_object(s) ? s : json_object_get(rec, "sla");
}

static const char *const ev_time[] = { "ts", "time", "created_at",
	"timestamp", NULL };
static const char *const mention_time[] = { "created_at", "ts", NULL };

int
sr_ingest(struct sr_ctx *x, json_t *rec, struct hark_err *err)
{
	struct sr_store *st = &x->st;
	struct sr_event e;
	const char *ev, *s;
	char buf[32], clean[80];
	json_t *sla, *route;
	struct hark_convkey ck;
	int i, j;

	memset(&e, 0, sizeof(e));
	e.conv = e.id = e.parent = e.status = e.mention = SR_NONE;
	e.author = e.parent_author = e.handle = SR_NONE;
	for (i = 0; i < SR_NFIELDS; i++) {
		e.f[i] = SR_NONE;
		for (j = 0; j < 4 && field_paths[i][j] != NULL; j++)
			if ((s = hark_json_path_scalar(rec, field_paths[i][j],
			    buf, sizeof(buf))) != NULL && *s != '\0') {
				e.f[i] = intern_s(st, s);
				break;
			}
	}
	for (i = 0; i < x->o->ncustom; i++) {
		s = hark_json_path_scalar(rec, x->o->custom[i], buf,
		    sizeof(buf));
		/* a record is public unless it says otherwise, so that
		 * --by visibility sets public and private side by side */
		if ((s == NULL || *s == '\0') &&
		    strcmp(x->o->custom[i], "visibility") == 0)
			s = "public";
		e.cf[i] = s != NULL && *s != '\0' ? intern_s(st, s) : SR_NONE;
	}
	for (; i < SR_MAXCUSTOM; i++)
		e.cf[i] = SR_NONE;
	if (e.f[SR_F_CHANNEL] == SR_NONE && x->o->default_source != NULL)
		e.f[SR_F_CHANNEL] = intern_s(st, x->o->default_source);
	/* Policies test `source`: give event records one. */
	if (json_object_get(rec, "source") == NULL &&
	    e.f[SR_F_CHANNEL] != SR_NONE)
		json_object_set_new(rec, "source",
		    json_string(sr_str(&st->strs, e.f[SR_F_CHANNEL])));
	/* ...and see ticket-route's route members at the top level, as
	 * ticket-route's own policy selection does. */
	if ((route = json_object_get(rec, "route")) != NULL &&
	    json_is_object(route)) {
		static const char *const lift[] = { "category", "priority",
		    "queue", "complaint" };
		size_t k;

		for (k = 0; k < HARK_ARRAY_SIZE(lift); k++) {
			json_t *v = json_object_get(route, lift[k]);

			if (v != NULL && json_object_get(rec, lift[k]) == NULL)
				json_object_set(rec, lift[k], v);
		}
	}

	if ((ev = json_string_value(json_object_get(rec, "event"))) != NULL) {
		int k = event_kind(hark_thread_event(ev));

		if (k < 0)
			return hark_err_set(err, HARK_EXIT_DATA,
			    "unknown event '%s'", hark_sanitize(clean,
			    sizeof(clean), ev, strlen(ev)));
		e.kind = (uint8_t)k;
		if (e.kind == SR_REPLY)
			e.kind = brand_kind(hark_thread_brand_kind(rec));
		if (hark_convkey_get(rec, &ck) != HARK_CONVKEY_TICKET)
			return hark_err_set(err, HARK_EXIT_DATA,
			    "event without 'ticket'");
		e.conv = intern_s(st, ck.key);
		if (e.kind == SR_STATUS) {
			s = json_string_value(json_object_get(rec, "status"));
			if (s == NULL)
				s = json_string_value(json_object_get(rec,
				    "to"));
			if (s == NULL || *s == '\0')
				return hark_err_set(err, HARK_EXIT_DATA,
				    "status_changed without 'status'");
			e.status = intern_s(st, s);
		}
		if (parse_ts(x, rec, ev_time, &e.ts, err) != 0)
			return -1;
		if (e.kind == SR_CUSTOMER)
			add_mentions(st, &e, json_string_value(
			    json_object_get(rec, "text")));
	} else {
		json_t *author = json_object_get(rec, "author");
		enum hark_thread_kind tk;

		if (hark_convkey_get(rec, &ck) == HARK_CONVKEY_NONE)
			return hark_err_set(err, HARK_EXIT_DATA, "record has "
			    "neither 'event' nor 'id'");
		e.id = intern_s(st, ck.id);
		if (parse_ts(x, rec, mention_time, &e.ts, err) != 0)
			return -1;
		if ((s = hark_json_path_scalar(rec, "author.id", buf,
		    sizeof(buf))) == NULL || *s == '\0')
			s = hark_json_path_scalar(rec, "author.handle", buf,
			    sizeof(buf));
		e.author = intern_s(st, s);
		e.handle = intern_s(st, hark_json_path_scalar(rec,
		    "author.handle", buf, sizeof(buf)));
		e.parent_author = intern_s(st, hark_json_path_scalar(rec,
		    "thread.in_reply_to_author_id", buf, sizeof(buf)));
		/* The conversation: lib/convkey.c's rule (a record without
		 * one is resolved through its parents in compute.c). */
		e.conv = intern_s(st, ck.key);
		e.parent = intern_s(st, ck.parent);
		if ((tk = hark_thread_mention_kind(rec)) !=
		    HARK_THREAD_CUSTOMER) {
			e.kind = brand_kind(tk);
			if (e.f[SR_F_BRAND] == SR_NONE)
				e.f[SR_F_BRAND] = intern_s(st,
				    json_string_value(json_object_get(author,
				    "handle")));
		} else {
			e.kind = SR_CUSTOMER;
			add_mentions(st, &e, json_string_value(
			    json_object_get(rec, "text")));
		}
	}
	if (e.kind == SR_CUSTOMER || e.kind == SR_CREATED) {
		const struct hark_sla_policy *p = NULL;

		sla = record_sla(rec);
		if (x->o->use_record_due && json_is_object(sla))
			p = hark_sla_set_policy(&x->set, json_string_value(
			    json_object_get(sla, "policy")));
		if (p == NULL && hark_sla_select(&x->set, rec, &p, err) != 0)
			return -1;
		if (p != NULL)
			e.policy = (uint16_t)(p - x->set.pol + 1);
	}
	if (st->n == UINT32_MAX - 1)
		return hark_err_set(err, HARK_EXIT_DATA, "too many events");
	e.seq = (uint32_t)st->n;
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 4096;
		st->ev = hark_xrealloc(st->ev, st->cap * sizeof(*st->ev));
	}
	st->ev[st->n++] = e;
	sla = record_sla(rec);
	if (x->o->use_record_due && (e.kind == SR_CUSTOMER ||
	    e.kind == SR_CREATED) && json_is_object(sla))
		add_due(st, (uint32_t)(st->n - 1), sla);
	return 0;
}
