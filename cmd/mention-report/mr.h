/*
 * mr.h - mention-report's private interfaces: interning and small maps,
 * the mergeable summary (cells per period and group, examples, the
 * messages the reply matching needs), the report built from it, and the
 * writers.
 */
#ifndef MR_H
#define MR_H

#include <jansson.h>
#include "hark.h"
#include "intern.h"
#include "err.h"
#include "htime.h"
#include "calendar.h"
#include "io.h"
#include "opt.h"
#include "tz.h"

#define MR_NONE UINT32_MAX

/* ---- strings and maps (table.c) ---- */
/* strings: lib/intern.h (MR_NONE is HARK_INTERN_NONE) */
static inline const char *
mr_str(const struct hark_intern *t, uint32_t i)
{
	return hark_intern_str(t, i);
}

/* uint64 key -> uint32 value (MR_NONE: absent); key 0 is allowed. */
struct mr_map {
	uint64_t *key;
	uint32_t *val;		/* MR_NONE marks an empty slot */
	uint32_t n, nslot;
};
void mr_map_init(struct mr_map *m);
void mr_map_release(struct mr_map *m);
uint32_t mr_map_get(const struct mr_map *m, uint64_t key);
/* The slot's value for KEY, inserting DFLT when absent. */
uint32_t *mr_map_put(struct mr_map *m, uint64_t key, uint32_t dflt);

/* ---- the summary ---- */
enum mr_dim { MR_D_SOURCE, MR_D_SENTIMENT, MR_D_CATEGORY, MR_D_LANGUAGE,
	MR_NDIM };
extern const char *const mr_dim_names[MR_NDIM];

enum mr_period { MR_DAY, MR_WEEK, MR_MONTH };
#define MR_MAXBY 8
#define MR_NEX 3		/* examples kept per term and category */

/* A mention kept for display: an example or a top mention. */
struct mr_ex {
	char *id, *url, *author, *words;	/* owned; url, author may be
						 * NULL */
	uint32_t category, sentiment, source;	/* interned, MR_NONE */
	int64_t ts;
	double reach;
	double score;		/* sentiment.score, 0 when absent */
	int has_score;
	uint32_t refs;		/* places that hold it; 0: free */
};

struct mr_term {
	uint32_t term;		/* interned folded term */
	uint32_t count;		/* mentions that contain it */
	uint32_t ex[MR_NEX];	/* best examples (MR_NONE) */
};

struct mr_dimval {
	uint32_t key;		/* dim << 28 | value id */
	uint32_t count;
	uint32_t ex[MR_NEX];
};

#define MR_TOPK_MAX 50
struct mr_cell {
	int64_t period;		/* period number (see period.c) */
	uint32_t group;		/* interned group key; 0 = all */
	long n, negative;
	double reach;
	long reach_n;		/* mentions that gave a reach */
	struct mr_dimval *dv;	/* dimension values */
	uint32_t ndv, capdv;
	struct mr_map dvix;	/* key -> index into dv */
	struct mr_term *tv;	/* tracked terms */
	uint32_t ntv, captv;
	struct mr_map tvix;	/* term id -> index into tv */
	long terms_left_out;	/* term occurrences not tracked (cap) */
	uint32_t top_reach[MR_TOPK_MAX], ntop_reach;
	uint32_t top_neg[MR_TOPK_MAX], ntop_neg;
	/* filled by mr_answers() */
	long answered;
	int64_t *delays;
	long ndelays, capdelays;
};

/* A message the reply matching needs (every customer mention and every
 * public brand reply). */
struct mr_msg {
	uint64_t id, root, parent, author, parent_author;
	int64_t ts;
	int64_t answer;		/* customers: answered at, or
				 * HARK_TIME_NEVER */
	uint32_t cell[2];	/* customers: total and group cell */
	uint8_t reply;		/* 1: a public, human brand reply */
};

struct mr_opts {
	enum mr_period period;
	struct hark_tz *tz;
	int64_t now;
	char *by[MR_MAXBY];	/* dotted paths (owned) */
	char *byname[MR_MAXBY];	/* as given: "queue" (owned) */
	int nby;
	int nterms;		/* rising terms shown */
	int ntop;		/* top mentions shown */
	int min_count;		/* a rising term's least count */
	int baseline;		/* previous periods compared with */
	int last;		/* periods with the full detail */
	long max_terms;		/* distinct terms tracked in all */
	int complete;		/* only periods ended by now */
	const char *title;
	int format;		/* enum mr_format */
	int partial;
};
enum mr_format { MR_TABLE, MR_NDJSON, MR_CSV, MR_MARKDOWN, MR_HTML };

struct mr_ctx {
	struct mr_opts *o;
	struct hark_intern strs;	/* values, group keys, texts */
	struct hark_intern terms;	/* the tracked terms (at most max_terms) */
	struct mr_cell *cell;
	uint32_t ncell, capcell;
	struct mr_map cellix;	/* hash(period, group) -> cell */
	struct mr_ex *ex;
	uint32_t nex, capex;
	uint32_t *exfree;
	uint32_t nexfree, capexfree;
	struct mr_map idmap;	/* hash(id) -> first message (mr_answers) */
	struct mr_msg *msg;
	size_t nmsg, capmsg;
	long skipped_brand;	/* brand records that answer nobody */
	long incomplete;	/* mentions in periods not ended by now */
	long mentions;
	int answered_done;
};

/* agg.c */
void mr_ctx_init(struct mr_ctx *x, struct mr_opts *o);
void mr_ctx_release(struct mr_ctx *x);
/* Add one record; 0, or -1 with ERR (a data error). */
int mr_add(struct mr_ctx *x, json_t *rec, struct hark_err *err);
struct mr_cell *mr_cell_get(struct mr_ctx *x, int64_t period, uint32_t group);
struct mr_cell *mr_cell_find(const struct mr_ctx *x, int64_t period,
    uint32_t group);
/*
 * Offers of a mention E (borrowed fields; *SLOT is MR_NONE until it is
 * stored, then its example index) to a list of examples (MR_NEX, best
 * first: higher reach, then earlier, then by id) or of top mentions
 * (by reach, or NEG: by the most negative score).  Every list is the
 * best of everything offered, whatever the order of the offers, so
 * summaries merge exactly.
 */
void mr_examples_offer(struct mr_ctx *x, uint32_t *list,
    const struct mr_ex *e, uint32_t *slot);
void mr_top_offer(struct mr_ctx *x, uint32_t *list, uint32_t *n,
    const struct mr_ex *e, uint32_t *slot, int neg);
struct mr_dimval *mr_dim_add(struct mr_ctx *x, struct mr_cell *c,
    uint32_t key, uint32_t count);
struct mr_term *mr_term_add(struct mr_ctx *x, struct mr_cell *c,
    uint32_t term, uint32_t count);
void mr_msg_add(struct mr_ctx *x, const struct mr_msg *m);
/* Match replies to mentions (lib/thread.h) and fill the cells' answered
 * counts and delays. */
void mr_answers(struct mr_ctx *x);

/* period.c */
int64_t mr_period_of(const struct mr_opts *o, int64_t t);
int64_t mr_period_start(const struct mr_opts *o, int64_t p);
int64_t mr_period_next(const struct mr_opts *o, int64_t p);
int64_t mr_period_prev(const struct mr_opts *o, int64_t p);
/* "2025-03-03" (day, week: its Monday) or "2025-03" into BUF. */
const char *mr_period_label(const struct mr_opts *o, int64_t p, char *buf,
    size_t sz);
const char *mr_period_name(enum mr_period p);

/* terms.c: the distinct terms and bigrams of TEXT (folded, stop words
 * out) for LANG (may be NULL), as interned ids in OUT (at most MAX);
 * returns how many.  Terms past the dictionary's cap (--max-terms) are
 * counted in *LEFT instead. */
size_t mr_terms(struct mr_ctx *x, const char *text, size_t len,
    const char *lang, uint32_t *out, size_t max, long *left);
int mr_is_stop(const char *lang, const char *w, size_t len);

/* report.c: the report built from the summary */
struct mr_rising {
	uint32_t key;		/* term id, or dimension value id */
	long count, base;	/* in the period, in the baseline */
	long n, base_n;		/* mentions in period, in baseline */
	double score;		/* G2 */
	const uint32_t *ex;	/* MR_NEX examples (borrowed) */
};
struct mr_row {
	int64_t period;
	uint32_t group;
	const struct mr_cell *cur, *prev;	/* NULL: none */
	long base_n;
	struct mr_rising *terms, *cats;
	size_t nterms, ncats;
	int detail;		/* one of the last --last periods */
	int partial;		/* the period has not ended at now */
};
struct mr_report {
	struct mr_row *row;	/* period-major, group 0 first */
	size_t nrow;
	uint32_t *groups;	/* group keys, 0 first */
	size_t ngroups;
	int64_t first, last;	/* periods */
	size_t nperiods;
	long terms_left_out;
};
void mr_report_build(struct mr_ctx *x, struct mr_report *r);
void mr_report_release(struct mr_report *r);
double mr_g2(long a, long n1, long b, long n2);
/* Median delay of a cell (sorted in place), -1 when none. */
int64_t mr_cell_median(struct mr_cell *c);
/* The answer of example E's mention: answered-at or HARK_TIME_NEVER. */
int64_t mr_ex_answer(const struct mr_ctx *x, uint32_t e);
/* The --by value I of group key G (borrowed, NULL: none). */
const char *mr_group_value(const struct mr_ctx *x, uint32_t g, int i,
    char *buf, size_t sz);

/* output.c */
int mr_write(struct mr_ctx *x, struct mr_report *r, struct hark_output *out);

/* partial.c */
int mr_partial_write(struct mr_ctx *x, struct hark_output *out);
int mr_merge_file(struct mr_ctx *x, const char *path, struct hark_err *err);
void mr_fingerprint(const struct mr_opts *o, char *hex);

#endif
