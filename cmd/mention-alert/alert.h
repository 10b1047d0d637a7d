/*
 * alert.h - mention-alert's private interface: the alert definitions
 * (main.c), the volume detector and the state file (volume.c), and
 * delivery with its spool (deliver.c).
 *
 * main.c sits on volume.c, which sits on deliver.c (ma_raise, the spool);
 * no file calls back up: alert records reach main.c's writer through
 * struct ma_sink's function pointer.
 */
#ifndef MA_ALERT_H
#define MA_ALERT_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "expr.h"
#include "htime.h"
#include "tz.h"
#include "calendar.h"
#include "config.h"

#define MA_TOP 3		/* top mentions kept per window and key */
#define MA_MAX_BY 8		/* fields in one "by" list */
#define MA_MAX_DESTS 16

enum ma_dest_type {
	MA_WEBHOOK, MA_SLACK, MA_MATTERMOST, MA_TEAMS, MA_EMAIL
};

struct ma_dest {
	char *name;
	enum ma_dest_type type;
	char *url_env;		/* secret variable naming the URL */
	char *url_file;		/* or a file holding it */
	char *url;		/* resolved secret (wiped on release) */
	char *to, *from;	/* e-mail */
	char *lang;		/* "en" (default) or "pl" */
	long line;
};

/* Where alert records go (stdout or --alerts FILE). */
struct ma_sink {
	void (*emit)(void *ctx, json_t *alert);
	void *ctx;
};

struct ma_series;

struct ma_alert {
	char *name;
	long line;
	int volume;		/* window set: a volume alert */
	struct hark_expr *when;	/* item: fires; volume: what counts */
	char *when_src;
	struct hark_expr *share;	/* volume measure = share: numerator */
	char *share_src;
	char *by[MA_MAX_BY];
	size_t nby;
	long window, recent, baseline, learn, delay;	/* seconds */
	double k, p_value;
	long min_count;
	long cooldown, reminder;
	int all_clear;
	struct hark_tz *tz;		/* owned */
	struct hark_calendar *cal;	/* borrowed from the config's set */
	long align;		/* sub-day windows: local offset used */
	size_t dests[MA_MAX_DESTS];
	size_t ndests;
	char *lang;

	/* volume detector state (volume.c) */
	int64_t first, closed;	/* window indices; INT64_MIN: none yet */
	int64_t last_data;	/* last closed window with a count */
	struct ma_series **series;
	size_t nseries, aseries;
	size_t *slots;		/* hash: index+1 into series, 0 empty */
	size_t nslots;
	/* item alerts: last message per key, for the cooldown */
	json_t *item_sent;	/* object key -> epoch seconds */
};

struct ma_run {
	struct ma_alert *alerts;
	size_t nalerts;
	struct ma_dest *dests;
	size_t ndests;
	struct hark_calendar *cals;
	size_t ncals;
	struct ma_sink sink;
	int explain, replay, deliver;
	hark_time_t now;
	/* [alert] settings */
	char *sendmail;
	double timeout, max_wait, backoff;
	int max_tries;
	/* spool: array of {"id","dest","alert","tries"} (deliver.c) */
	json_t *spool;
	char *state_path;
};

/* volume.c */
void ma_alert_windows_init(struct ma_alert *a);
int64_t ma_window_of(const struct ma_alert *a, hark_time_t t);
hark_time_t ma_window_start(const struct ma_alert *a, int64_t idx);
/* Count one record (KEY: JSON array of the "by" values, stolen). */
void ma_volume_add(struct ma_run *run, struct ma_alert *a, json_t *key,
    hark_time_t t, int shared, const char *url, double weight);
/* Evaluate every window that ended by RUN->now; emits through the sink. */
void ma_volume_close(struct ma_run *run, struct ma_alert *a);
void ma_alert_state_release(struct ma_alert *a);
/* State file: load (missing = empty) and save atomically. */
int ma_state_load(struct ma_run *run, const char *path, struct hark_err *err);
int ma_state_save(struct ma_run *run, const char *path, struct hark_err *err);
/* The idempotency id of an alert: hex of a hash of PARTS. */
void ma_alert_id(char out[17], const char *s, size_t len);

/* deliver.c */
int ma_dest_from_config(struct ma_dest *d,
    const struct hark_config_section *s, struct hark_err *err);
void ma_dest_release(struct ma_dest *d);
int ma_dest_secret(struct ma_dest *d, struct hark_err *err);
/* Hand ALERT (borrowed) to the sink and, when delivering, the spool. */
void ma_raise(struct ma_run *run, const struct ma_alert *a, json_t *alert);
/* Queue ALERT (borrowed) for every destination of A. */
void ma_spool_add(struct ma_run *run, const struct ma_alert *a,
    json_t *alert);
/*
 * Deliver every spooled message; delivered ones leave the spool.  SAVE is
 * called after each success so the state on disk follows.  Returns 0, or
 * an exit status (4: some message stays spooled, 1: dropped as
 * undeliverable).
 */
int ma_spool_flush(struct ma_run *run,
    int (*save)(struct ma_run *run));
/* The human text of ALERT in LANG ("en", "pl"); new string. */
char *ma_message_text(json_t *alert, const char *lang, int *title_len);

#endif
