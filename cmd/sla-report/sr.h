/*
 * sr.h - sla-report's private interfaces: the compact event store, the
 * per-conversation metrics, the aggregate report and the writers.
 */
#ifndef SR_H
#define SR_H

#include <jansson.h>
#include "hark.h"
#include "intern.h"
#include "err.h"
#include "htime.h"
#include "io.h"
#include "opt.h"
#include "sla.h"
#include "sketch.h"
#include "tz.h"

#define SR_NONE UINT32_MAX

struct sr_group;
struct sr_merge;

/* ---- string interning (intern.c) ---- */
/* strings: lib/intern.h (SR_NONE is HARK_INTERN_NONE) */
static inline const char *
sr_str(const struct hark_intern *t, uint32_t i)
{
	return hark_intern_str(t, i);
}

/* ---- events ---- */
enum sr_kind {
	SR_CREATED,		/* conversation opened (starts the clocks) */
	SR_CUSTOMER,		/* a customer's message */
	SR_REPLY,		/* a public, human brand/agent reply */
	SR_NOTE,		/* private note: fulfils nothing */
	SR_AUTO,		/* automated reply: fulfils nothing */
	SR_STATUS,		/* status changed to .status */
	SR_RESOLVED,
	SR_REOPENED,
	SR_MERGED,
	SR_SPAM
};

/* Grouping fields carried by records. */
enum sr_field {
	SR_F_CHANNEL, SR_F_QUEUE, SR_F_AGENT, SR_F_PRIORITY, SR_F_CATEGORY,
	SR_F_LANGUAGE, SR_F_BRAND, SR_NFIELDS
};
extern const char *const sr_field_names[SR_NFIELDS];

/* --by entries: a field above, the day, or a record path of the user's
 * (custom field K is SR_BY_CUSTOM + K). */
#define SR_BY_DAY SR_NFIELDS
#define SR_BY_CUSTOM (SR_NFIELDS + 1)
#define SR_MAXCUSTOM 4
#define SR_MAXBY 8

struct sr_event {
	int64_t ts;
	uint32_t seq;		/* input order, for stable sorting */
	uint32_t conv;		/* conversation key (interned), SR_NONE */
	uint32_t id;		/* message id (interned) or SR_NONE */
	uint32_t parent;	/* replied-to message id or SR_NONE */
	uint32_t status;	/* SR_STATUS: the new status (interned) */
	uint32_t mention;	/* a customer text's @handles: index into
				 * the store's mentions, SR_NONE: none */
	uint32_t author;	/* author.id (else handle) of a message */
	uint32_t handle;	/* author.handle of a message */
	uint32_t parent_author;	/* thread.in_reply_to_author_id */
	uint32_t f[SR_NFIELDS];
	uint32_t cf[SR_MAXCUSTOM];	/* custom --by paths' values */
	uint16_t policy;	/* index + 1 into the policy set, 0 none */
	uint16_t depth;		/* ancestors in the input (compute.c) */
	uint8_t kind;
	uint8_t has_due;	/* due times in dues[] for this event */
	uint8_t origin;		/* enum sr_origin (compute.c) */
	uint8_t nmention;	/* how many (at most SR_MAXMENTION) */
};
#define SR_MAXMENTION 8

/* What a customer's message answers (compute.c sets it). */
enum sr_origin {
	SR_ORIGIN_START = 0,	/* nothing: it opens a thread (or an event
				 * record, which has no parent) */
	SR_ORIGIN_CUSTOMER,	/* a customer's message in the input */
	SR_ORIGIN_BRAND,	/* a brand message: in the input, or missing
				 * with in_reply_to_author_id a brand's */
	SR_ORIGIN_MISSING	/* a message that is not in the input */
};
/* Set with BRAND or MISSING when in_reply_to_author_id decided it (the
 * brand accounts of the whole input, known only after a merge). */
#define SR_ORIGIN_BY_AUTHOR 0x10
#define SR_ORIGIN(o) ((o) & 0x0f)

/* Due times a record already carried (ticket-route's "sla" member). */
struct sr_due {
	uint32_t ev;
	uint32_t policy;	/* the record's policy name (interned) */
	int64_t due[HARK_SLA_NMETRICS];	/* HARK_TIME_NEVER when null */
};

struct sr_store {
	struct sr_event *ev;
	size_t n, cap;
	struct sr_due *dues;
	size_t ndues, capdues;
	uint32_t *mentions;	/* lower-cased @handles (interned) */
	size_t nmentions, capmentions;
	struct hark_intern strs;
};

/* ---- per-conversation results (compute.c) ---- */
enum sr_status {
	SR_ST_NONE = 0,		/* no target */
	SR_ST_ACHIEVED,
	SR_ST_BREACHED,
	SR_ST_ACTIVE,
	SR_ST_ACTIVE_BREACHED,
	SR_ST_STOPPED		/* merged or spam before it finished */
};
extern const char *const sr_status_names[6];

struct sr_metric {
	int64_t start, end;	/* end HARK_TIME_NEVER while active */
	int64_t elapsed;	/* calendar seconds (to now when active) */
	int64_t business;	/* business seconds (policy calendar) */
	int64_t clock;		/* seconds in the target's clock */
	int64_t due;		/* HARK_TIME_NEVER: no target */
	uint8_t status;
	uint8_t present;
};

struct sr_conv {
	uint32_t key;
	uint32_t customer;	/* the opener's author.handle, SR_NONE */
	uint32_t f[SR_NFIELDS];
	uint32_t cf[SR_MAXCUSTOM];
	int64_t start;
	int64_t day;		/* local day of start in the report zone */
	uint16_t policy;	/* index + 1, 0 none */
	uint32_t policy_name;	/* interned: the record's policy whose due
				 * times were used, SR_NONE: policy's */
	uint8_t excluded;	/* merged, spam or a fragment */
	uint8_t fragment;	/* opened by a reply to a missing message */
	uint8_t open;		/* not resolved at report time */
	uint8_t answered;	/* at least one public reply */
	uint8_t brand_started;
	uint8_t depends;	/* its figures depend on brand accounts
				 * seen anywhere in the input (partial.c) */
	struct sr_metric frt, res;
	/* next responses: every instance */
	struct sr_metric *nrt;
	uint32_t nnrt;
};

/* ---- options ---- */
enum sr_format { SR_TABLE, SR_NDJSON, SR_CSV, SR_MARKDOWN, SR_HTML };
enum sr_mode { SR_MODE_REPORT, SR_MODE_TICKETS, SR_MODE_BUSY };

struct sr_check {
	char *src;		/* as given */
	int metric;		/* -1: conversation-level stat */
	int stat;
	int op;			/* '<', 'l' <=, '>', 'g' >=, '=', '!' */
	double value;
	/* Which rows: the total (sel_all 0, sel_field NULL), every group
	 * ("*:"), or the groups whose SEL_FIELD is SEL_VALUE ("f=v:"). */
	int sel_all;
	char *sel_field, *sel_value;	/* owned or NULL */
	int sel_by;		/* index into opts.by, resolved late */
};

struct sr_opts {
	enum sr_format format;
	enum sr_mode mode;
	int64_t now;
	struct hark_tz *tz;		/* report zone (busy hours, day) */
	int by[SR_MAXBY];		/* enum sr_field, SR_BY_DAY or
					 * SR_BY_CUSTOM + k */
	int nby;
	char *custom[SR_MAXCUSTOM];	/* dotted record paths (owned) */
	int ncustom;
	struct sr_check *checks;
	size_t nchecks;
	const char *default_source;
	int use_record_due;		/* 1 auto, 0 never */
	const char *title;
};

struct sr_ctx {
	struct sr_opts *o;
	struct sr_store st;
	struct hark_sla_set set;
	const char *cur_file;		/* the record being read, for */
	long cur_line;			/* warnings (set before sr_ingest) */
	uint32_t nconv;
	struct sr_conv *conv;
	struct sr_merge *merge;		/* --partial, --merge */
};

/* The name of --by entry I ("queue", "day", "sentiment.label"). */
const char *sr_by_name(const struct sr_opts *o, int i);
/* The value of --by entry I for group G as text (borrowed or BUF, NULL
 * when the group has none). */
const char *sr_group_value(const struct sr_ctx *x, const struct sr_group *g,
    int i, char *buf, size_t sz);

/* ingest.c */
void sr_store_init(struct sr_store *st);
void sr_store_release(struct sr_store *st);
/* Turn one record (mention, event, or a CSV row made into JSON) into an
 * event; 0, or -1 with ERR (data error). */
int sr_ingest(struct sr_ctx *x, json_t *rec, struct hark_err *err);

/*
 * Parse time S: RFC 3339 with an offset or Z, RFC 2822, Twitter's format,
 * epoch seconds, or a date or date-time without a zone ("2025-03-10",
 * "2025-03-10 08:00", "2025-03-10T08:00:00"), which is local time in TZ
 * (UTC when NULL; a skipped time is moved past the gap, a repeated one is
 * its first occurrence).  0, or -1 when S is none of these.
 */
int sr_parse_time(const char *s, const struct hark_tz *tz, int64_t *out);

/* csv.c: read CSV operands with MAP ("role=column,..."), calling
 * sr_ingest per row; returns an exit status. */
int sr_csv_run(struct sr_ctx *x, const struct hark_common *c, const char *map,
    int argc, char **argv, struct hark_output *out);
int sr_csv_check_map(const char *map, struct hark_err *err);

/* compute.c */
void sr_compute(struct sr_ctx *x);
/* The due times of event SEQ (compute.c's table, sorted by event), or
 * NULL. */
const struct sr_due *sr_find_due(const struct sr_store *st, uint32_t seq);
/* One conversation: its N events EV, sorted; BRAND_OF maps a lower-cased
 * handle (interned) to the brand account it names, SR_NONE. */
void sr_compute_one(struct sr_ctx *x, struct sr_conv *c, struct sr_event *ev,
    size_t n, const uint32_t *brand_of);
void sr_conv_free(struct sr_ctx *x);

/* report.c */
struct sr_stats {
	long count, achieved, breached, active, active_breached, none;
	long nvals, capvals;
	int64_t *vals;		/* clock seconds of finished instances */
	/* From partials (--merge): the values of other runs as a sketch;
	 * vals[0..nfrom) are theirs too when every one of them listed its
	 * values (SR_EXACT_MAX at most), else SKETCHED is set and the
	 * percentiles are read from SK with vals[nfrom..] added. */
	struct hark_sketch sk;
	long nfrom;
	int sketched;
	double share;		/* -1 when undefined */
	int64_t median, p90, p95, max;	/* -1 when undefined */
};
struct sr_group {
	uint32_t key[SR_MAXBY];		/* interned values, per opts.by */
	int64_t day;
	long conversations, open, unanswered, excluded, fragments;
	struct sr_stats m[HARK_SLA_NMETRICS];
};
struct sr_report {
	struct sr_group *g;	/* g[0] is the total */
	size_t ng;
	long busy[7][24];
	long nbreach_days;
	int64_t *breach_day;	/* local days with breach counts */
	long *breach_count;
	long *volume_count;
	int64_t *hist_vals;	/* first-response clock values (all) */
	long nhist;
	long *hist_weight;	/* NULL, or how many times each value
				 * counts (a merge: one per sketch bucket) */
	int64_t frt_target;	/* most common first-response target */
	/* while it is built (report.c) */
	size_t capg;
	uint32_t *gslot;	/* group index + 1 */
	size_t ngslot;
	long *polcount;		/* conversations per policy index + 1 */
	struct sr_daycount {
		int64_t day;
		long volume, breach;
	} *dayc;		/* unsorted, summed by sr_report_finish */
	size_t ndayc, capdayc;
};
/* The whole report of x->conv and the store's customer messages. */
void sr_report_build(struct sr_ctx *x, struct sr_report *r);
/* The same in steps, for partials and merges: begin; add conversations
 * (SKIP_DEPENDENT: leave out those with c->depends), busy hours, and
 * groups, days and counts read from partials; finish (percentiles,
 * sorting, days). */
void sr_report_begin(struct sr_ctx *x, struct sr_report *r);
void sr_report_add_convs(struct sr_ctx *x, struct sr_report *r,
    int skip_dependent);
void sr_report_add_busy(struct sr_ctx *x, struct sr_report *r);
/* The group with KEY's key and day (created empty), by index. */
size_t sr_report_group(struct sr_ctx *x, struct sr_report *r,
    const struct sr_group *key);
void sr_report_add_day(struct sr_report *r, int64_t day, long volume,
    long breach);
void sr_report_finish(struct sr_ctx *x, struct sr_report *r);
void sr_report_release(struct sr_report *r);
int64_t sr_percentile(const int64_t *sorted, long n, int p);
int sr_check_parse(const char *s, struct sr_check *c, struct hark_err *err);
/* Check that every group selector names a --by field (-1 with ERR). */
int sr_checks_resolve(struct sr_opts *o, struct hark_err *err);
/* Evaluate the checks on their rows; prints failures; 1 if any failed. */
int sr_checks_run(const struct sr_ctx *x, const struct sr_report *r);

/* partial.c: --partial and --merge (body format documented in
 * sla-report(1)). */
#define SR_PARTIAL_FORMAT 1
#define SR_EXACT_MAX 1024	/* values a partial lists exactly */
struct hark_config;
struct sr_merge {
	char fingerprint[65];	/* what every partial must carry */
	struct sr_report r;	/* groups, days, busy hours, policies */
	json_t *author_set, *authors;	/* brand accounts (set, list) */
	json_t *handle_set, *handles;
	json_t **kept;		/* conversations left to the final merge */
	size_t nkept, capkept;
};
/* The fingerprint of what must agree between partials, into HEX (65). */
void sr_fingerprint(const struct sr_opts *o, const struct hark_config *cfg,
    unsigned flags, const char *map, char *hex);
void sr_merge_init(struct sr_merge *mg);
void sr_merge_release(struct sr_merge *mg);
/* Add the partial at PATH to MG; -1 with ERR (1 I/O, 2 another
 * fingerprint, 3 damaged). */
int sr_merge_read(struct sr_ctx *x, struct sr_merge *mg, const char *path,
    struct hark_err *err);
/* Write MG (with the conversations of x->conv not yet in it, when X has
 * any) as a partial. */
int sr_partial_write(struct sr_ctx *x, struct sr_merge *mg,
    struct hark_output *out);
/* Compute the kept conversations into MG's report (before
 * sr_report_finish); -1 with ERR for a damaged one. */
int sr_merge_finish(struct sr_ctx *x, struct sr_merge *mg,
    struct hark_err *err);


/* output.c: the writers, on top of everything above */
int sr_write(struct sr_ctx *x, const struct sr_report *r,
    struct hark_output *out);

#endif
