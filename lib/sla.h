/*
 * sla.h - SLA policies: which targets apply to a record, and due times
 * (hark.conf(5), SLA POLICIES).  Shared by ticket-route (puts due times on
 * records) and sla-report (measures against them).
 *
 *   [calendar "office"]            see calendar.h
 *   zone  = Europe/Warsaw
 *   hours = mon-fri 09:00-17:00
 *
 *   [sla "vip-x"]                  policies are tried in file order; the
 *   when = source == "x" and priority == "urgent"     first match wins
 *   calendar = office              business time by default when set
 *   first_response = 30m           "4h", "1h30m", "2d"; a suffix
 *   next_response = 1h business    "business" or "calendar" overrides
 *   resolution = 3d calendar       the clock for that target
 *   pause = pending, waiting_for_customer   statuses that stop the
 *                                  next-response and resolution clocks
 *
 * Keys may be spelled with '-' or '_' (first-response = first_response).
 * A policy without `when` matches every record; a policy without a
 * calendar counts calendar (24x7) time.  A target that is absent means
 * "no target" for that metric.
 *
 * Built-in default policies (what the field expects; calendar time, no
 * calendar, first and next response), tried after the configured ones
 * unless HARK_SLA_NO_DEFAULTS:
 *   x          when = source in ["x", "twitter"]              1 h
 *   complaint  when = complaint == true or
 *                     category in ["complaint", "complaints"]       4 h
 *   instagram  when = source == "instagram"                   12 h
 *   facebook   when = source == "facebook"                    24 h
 * A configured [sla] section with one of these names replaces the
 * built-in: it keeps its own file position and the built-in is dropped.
 *
 * Due times are instants (UTC seconds); records carry them as RFC 3339
 * UTC ("YYYY-MM-DDTHH:MM:SSZ").  Nothing here prints or exits.
 */
#ifndef HARK_SLA_H
#define HARK_SLA_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "htime.h"
#include "config.h"
#include "calendar.h"

struct hark_expr;

enum hark_sla_metric {
	HARK_SLA_FIRST_RESPONSE = 0,
	HARK_SLA_NEXT_RESPONSE = 1,
	HARK_SLA_RESOLUTION = 2,
	HARK_SLA_NMETRICS = 3
};

/* "first_response", "next_response", "resolution" (static). */
const char *hark_sla_metric_name(enum hark_sla_metric m);

struct hark_sla_target {
	int64_t seconds;	/* < 0: no target for this metric */
	int business;		/* 1: business time in the calendar */
};

struct hark_sla_policy {
	char *name;			/* owned */
	char *when_src;		/* owned, NULL: matches everything */
	struct hark_expr *when;	/* owned, NULL when when_src is */
	long line;		/* config line of the section, 0 built-in */
	struct hark_calendar *cal;	/* borrowed from the set; never NULL
					 * (the set's 24x7 UTC calendar when
					 * none is configured) */
	struct hark_sla_target target[HARK_SLA_NMETRICS];
	char **pause;		/* owned: statuses that pause the clock */
	size_t npause;
	int builtin;
	int warned;		/* its `when` regex failure was reported */
};

struct hark_sla_set {
	struct hark_calendar **cals;	/* owned, configured calendars */
	size_t ncals;
	struct hark_sla_policy *pol;	/* owned, in selection order */
	size_t npol;
	struct hark_calendar always;	/* 24x7 UTC, for policies without */
	/*
	 * Set by the caller after loading: told, once per policy, that a
	 * regular expression in its `when` failed (its match limit) and
	 * counted as no match; ARG is warn_arg, MSG names the field and the
	 * error.  Every command that selects policies sets it (the library
	 * prints nothing); NULL: not reported.
	 */
	void (*warn)(void *arg, const struct hark_sla_policy *p,
	    const char *msg);
	void *warn_arg;
};

enum hark_sla_flags {
	HARK_SLA_NO_DEFAULTS = 1 << 0	/* no built-in policies */
};

/*
 * Initialise SET from CFG's [calendar] and [sla] sections (CFG may be NULL
 * or empty: only the built-ins).  Every `when` is compiled with
 * hark_expr_parse.  Returns 0, or -1 with ERR (code 2, line/column of the
 * offending entry; message names the section) and SET released.  SET
 * holds no pointer into CFG.
 */
int hark_sla_set_load(struct hark_sla_set *set, const struct hark_config *cfg,
    unsigned flags, struct hark_err *err);
void hark_sla_set_release(struct hark_sla_set *set);

/* Configured calendar NAME (borrowed) or NULL. */
struct hark_calendar *hark_sla_set_calendar(const struct hark_sla_set *set,
    const char *name);
/* Policy NAME (borrowed) or NULL. */
const struct hark_sla_policy *hark_sla_set_policy(
    const struct hark_sla_set *set, const char *name);

/*
 * The first policy whose `when` holds for REC: 0 with *OUT set (borrowed,
 * NULL when no policy matches), or -1 with ERR when an expression fails
 * at run time (message names the policy).  A regular expression that
 * fails to match with an error (its match limit) counts as no match, as
 * in rules, and is reported once per policy through SET->warn.
 */
int hark_sla_select(struct hark_sla_set *set, json_t *rec,
    const struct hark_sla_policy **out, struct hark_err *err);

/*
 * A stretch of time during which a clock is stopped (paused status,
 * resolved before a reopen), [from, to); TO may be HARK_TIME_NEVER.
 */
struct hark_sla_span {
	hark_time_t from, to;
};

/*
 * Clock arithmetic over CAL (business time; NULL: calendar time) with
 * STOPS (N spans, sorted by FROM, non-overlapping; may be NULL/0):
 *
 * hark_sla_clock_due: the instant at which TARGET seconds of running
 * clock have elapsed since START, or HARK_TIME_NEVER.
 * hark_sla_clock_elapsed: running-clock seconds in [START, END).
 */
hark_time_t hark_sla_clock_due(struct hark_calendar *cal, hark_time_t start,
    int64_t target, const struct hark_sla_span *stops, size_t n);
int64_t hark_sla_clock_elapsed(struct hark_calendar *cal, hark_time_t start,
    hark_time_t end, const struct hark_sla_span *stops, size_t n);

/*
 * Due time of metric M under policy P for a clock started at START with
 * STOPS: HARK_TIME_NEVER when P has no target for M.  First response
 * ignores STOPS (it is never paused).
 */
hark_time_t hark_sla_due(const struct hark_sla_policy *p,
    enum hark_sla_metric m, hark_time_t start,
    const struct hark_sla_span *stops, size_t n);

/* 1 when STATUS is one of P's pause statuses (case-insensitive). */
int hark_sla_is_pause(const struct hark_sla_policy *p, const char *status);

/*
 * For ticket-route: put into ADD (a JSON object, borrowed) the member
 *   "sla": {"policy": NAME, "calendar": NAME|null,
 *           "first_response_due": T|null, "next_response_due": T|null,
 *           "resolution_due": T|null}
 * for a record whose clock starts at START (its created_at): every due
 * time is START plus that target in the policy's clock (no pauses), as an
 * RFC 3339 UTC string, or null when P has no such target.  P NULL puts
 * "sla": null.  Returns 0, or -1 when ADD is not an object or jansson
 * cannot allocate.
 */
int hark_sla_annotate(const struct hark_sla_policy *p, hark_time_t start,
    json_t *add);

#endif
