/*
 * mention-alert - pass mention records through unchanged and raise alerts:
 * must-see mentions by expression, volume and negative-share spikes.
 */
#include <getopt.h>
#include <pthread.h>
#include <strings.h>
#include <unistd.h>
#include <curl/curl.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "config.h"
#include "filter.h"
#include "io.h"
#include "lock.h"
#include "xdg.h"
#include "alert.h"
#include "mention.h"
#include "json.h"

static const char synopsis[] =
    "usage: mention-alert [-hqv] [-c file] [-o file] [--alerts file]"
    " [--alerts-only]\n"
    "                     [--explain] [--follow] [--no-deliver] [--replay]\n"
    "                     [--state-dir dir] [file ...]";

static const char help[] =
    "\n"
    "Copy mention records (NDJSON) through unchanged and raise the alerts\n"
    "of the [alert \"name\"] sections: item alerts when a record matches\n"
    "an expression, volume alerts when the count or the share of a kind\n"
    "of mention in a time window jumps above its baseline.  Alerts go to\n"
    "the sections' destinations (webhooks, Slack, Mattermost, Teams,\n"
    "e-mail) and, as records, to --alerts FILE or standard output.\n"
    "\n"
    "Options:\n"
    "      --alerts FILE       append alert records to FILE\n"
    "      --alerts-only       write alert records, not the input, to the"
    " output\n"
    "      --explain           add the tests and thresholds to each alert\n"
    "      --follow            live input: close windows on the clock, deliver"
    " at once\n"
    "      --no-deliver        send nothing (alert records and state"
    " only)\n"
    "      --replay            run over past records: print every alert"
    " that would\n"
    "                          have fired; no state, no delivery\n"
    "      --state-dir DIR     keep baselines, cooldowns and the spool in"
    " DIR\n"
    "\n";

enum {
	OPT_ALERTS = HARK_OPT_COMMAND_BASE,
	OPT_ALERTS_ONLY,
	OPT_EXPLAIN,
	OPT_FOLLOW,
	OPT_NO_DELIVER,
	OPT_REPLAY,
	OPT_STATE_DIR
};

static const struct option longopts[] = {
	{ "alerts", required_argument, NULL, OPT_ALERTS },
	{ "alerts-only", no_argument, NULL, OPT_ALERTS_ONLY },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "no-deliver", no_argument, NULL, OPT_NO_DELIVER },
	{ "replay", no_argument, NULL, OPT_REPLAY },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct app {
	struct ma_run run;
	struct hark_expr_set *set;
	struct hark_expr_ctx ctx;
	struct hark_lazy lazy;
	struct hark_lock lock;
	int alerts_only;
	/* the sink */
	FILE *afp;		/* --alerts FILE, or NULL */
	struct hark_output aout;	/* --alerts-only */
	int have_aout;
	int unbuffered;
	long raised;
	struct hark_buf line;
	/* --follow: a ticker thread closes windows on the clock */
	int follow, stop, dirty, tick_status;
	pthread_mutex_t mu;
	pthread_t ticker;
	hark_time_t start_now;
	struct timespec start_mono, last_save;
};

static int
config_fail(const char *file, const struct hark_err *err)
{
	hark_error_at(file, err);
	return err->code ? err->code : HARK_EXIT_USAGE;
}

static void
sink_emit(void *vctx, json_t *alert)
{
	struct app *app = vctx;

	hark_buf_reset(&app->line);
	if (hark_json_append(&app->line, alert, JSON_COMPACT |
	    JSON_REAL_PRECISION(10)) < 0 || hark_buf_addch(&app->line,
	    '\n') < 0) {
		hark_error("alert record too large");
		return;
	}
	app->raised++;
	if (app->afp) {
		/* one write per record: concurrent appenders never mix */
		if (write(fileno(app->afp), app->line.ptr, app->line.len) !=
		    (ssize_t)app->line.len)
			hark_error("write error on the alerts file: %s",
			    strerror(errno));
	}
	if (app->have_aout) {
		hark_output_write(&app->aout, app->line.ptr, app->line.len);
		hark_output_end_record(&app->aout);
	}
}

/* ---- configuration ---- */

static int
parse_duration(const struct hark_config_entry *e, const char *alert,
    long min, long *out, struct hark_err *err)
{
	struct hark_err e2 = HARK_ERR_INIT;

	if (hark_config_duration(e->value, out, &e2) < 0 || *out < min)
		return hark_err_setl(err, HARK_EXIT_USAGE, e->line, e->column,
		    "alert '%s': %s: %s", alert, e->key, e2.msg[0] ? e2.msg :
		    "too short");
	return 0;
}

static int
parse_double(const struct hark_config_entry *e, const char *alert,
    double min, double max, double *out, struct hark_err *err)
{
	char *end;

	errno = 0;
	*out = strtod(e->value, &end);
	if (errno || end == e->value || *end != '\0' || !(*out >= min) ||
	    !(*out <= max))
		return hark_err_setl(err, HARK_EXIT_USAGE, e->line, e->column,
		    "alert '%s': %s '%.60s' is not a number from %g to %g",
		    alert, e->key, e->value, min, max);
	return 0;
}

static struct hark_expr *
parse_expr(struct app *app, const struct hark_config_entry *e,
    const char *alert, struct hark_err *err)
{
	struct hark_err e2 = HARK_ERR_INIT;
	struct hark_expr *x = hark_expr_parse_in(app->set, e->value, &e2);

	if (x == NULL) {
		long line, col;

		hark_config_position(e, e2.line ? e2.line : 1, e2.column ?
		    e2.column : 1, &line, &col);
		hark_err_setl(err, HARK_EXIT_USAGE, line, col, "alert '%s': "
		    "%s: %s", alert, e->key, e2.msg);
	}
	return x;
}

static struct hark_calendar *
find_cal(struct ma_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->ncals; i++)
		if (run->cals[i].name && strcmp(run->cals[i].name, name) == 0)
			return &run->cals[i];
	return NULL;
}

static int
dest_index(const struct ma_run *run, const char *name, size_t len,
    size_t *out)
{
	size_t i;

	for (i = 0; i < run->ndests; i++)
		if (strlen(run->dests[i].name) == len &&
		    strncmp(run->dests[i].name, name, len) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

static int
load_alert(struct app *app, const struct hark_config_section *s,
    const char *dzone, const char *dcal, const char *dlang,
    struct hark_err *err)
{
	struct ma_run *run = &app->run;
	struct ma_alert *a;
	const char *zone = dzone, *calname = dcal;
	long zline = s->line, zcol = 1;
	size_t i;

	if (s->name == NULL || *s->name == '\0')
		return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
		    "[alert] with settings for one alert needs a name: "
		    "[alert \"name\"]");
	for (i = 0; i < run->nalerts; i++)
		if (strcmp(run->alerts[i].name, s->name) == 0)
			return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "alert '%s' is defined twice", s->name);
	run->alerts = hark_xrealloc(run->alerts, (run->nalerts + 1) *
	    sizeof(*run->alerts));
	a = &run->alerts[run->nalerts++];
	memset(a, 0, sizeof(*a));
	a->name = hark_xstrdup(s->name);
	a->line = s->line;
	a->window = 0;
	a->recent = 0;
	a->baseline = 7 * 86400;
	a->learn = 86400;
	a->k = 3;
	a->p_value = 0.01;
	a->min_count = 5;
	a->all_clear = 1;
	a->item_sent = json_object();
	for (i = 0; i < s->nentries; i++) {
		const struct hark_config_entry *e = &s->entries[i];
		const char *k = e->key;
		double d;

		if (strcmp(k, "when") == 0) {
			if ((a->when = parse_expr(app, e, a->name, err)) ==
			    NULL)
				return -1;
			a->when_src = hark_xstrdup(e->value);
		} else if (strcmp(k, "share") == 0) {
			if ((a->share = parse_expr(app, e, a->name, err)) ==
			    NULL)
				return -1;
			a->share_src = hark_xstrdup(e->value);
		} else if (strcmp(k, "window") == 0) {
			if (parse_duration(e, a->name, 60, &a->window, err) <
			    0)
				return -1;
			if (a->window > 86400 && a->window % 86400)
				return hark_err_setl(err, HARK_EXIT_USAGE,
				    e->line, e->column, "alert '%s': a window "
				    "longer than a day must be whole days",
				    a->name);
		} else if (strcmp(k, "recent") == 0) {
			if (parse_duration(e, a->name, 1, &a->recent, err) < 0)
				return -1;
		} else if (strcmp(k, "baseline") == 0) {
			if (parse_duration(e, a->name, 1, &a->baseline, err) <
			    0)
				return -1;
		} else if (strcmp(k, "learn") == 0) {
			if (parse_duration(e, a->name, 0, &a->learn, err) < 0)
				return -1;
		} else if (strcmp(k, "delay") == 0) {
			if (parse_duration(e, a->name, 0, &a->delay, err) < 0)
				return -1;
		} else if (strcmp(k, "cooldown") == 0) {
			if (parse_duration(e, a->name, 0, &a->cooldown, err) <
			    0)
				return -1;
		} else if (strcmp(k, "reminder") == 0) {
			if (parse_duration(e, a->name, 0, &a->reminder, err) <
			    0)
				return -1;
		} else if (strcmp(k, "k") == 0) {
			if (parse_double(e, a->name, 0, 100, &a->k, err) < 0)
				return -1;
		} else if (strcmp(k, "p_value") == 0 ||
		    strcmp(k, "p-value") == 0) {
			if (parse_double(e, a->name, 0, 1, &a->p_value, err) <
			    0)
				return -1;
		} else if (strcmp(k, "min_count") == 0 ||
		    strcmp(k, "min-count") == 0) {
			if (parse_double(e, a->name, 0, 1e9, &d, err) < 0)
				return -1;
			a->min_count = (long)d;
		} else if (strcmp(k, "all_clear") == 0 ||
		    strcmp(k, "all-clear") == 0) {
			struct hark_err e2 = HARK_ERR_INIT;

			if (hark_config_bool(e->value, &a->all_clear, &e2) < 0)
				return hark_err_setl(err, HARK_EXIT_USAGE,
				    e->line, e->column, "alert '%s': %s",
				    a->name, e2.msg);
		} else if (strcmp(k, "by") == 0) {
			const char *p = e->value, *item;
			size_t n;

			while ((item = hark_config_item(&p, 1, &n)) != NULL) {
				if (a->nby == MA_MAX_BY)
					return hark_err_setl(err,
					    HARK_EXIT_USAGE, e->line,
					    e->column, "alert '%s': at most "
					    "%d fields in 'by'", a->name,
					    MA_MAX_BY);
				a->by[a->nby++] = hark_xstrndup(item, n);
			}
		} else if (strcmp(k, "zone") == 0 ||
		    strcmp(k, "timezone") == 0) {
			zone = e->value;
			zline = e->line;
			zcol = e->column;
		} else if (strcmp(k, "calendar") == 0) {
			calname = e->value;
			zline = e->line;
			zcol = e->column;
		} else if (strcmp(k, "language") == 0) {
			free(a->lang);
			a->lang = hark_xstrdup(e->value);
		} else if (strcmp(k, "notify") == 0) {
			const char *p = e->value, *item;
			size_t n, di;

			while ((item = hark_config_item(&p, 1, &n)) != NULL) {
				if (dest_index(run, item, n, &di) < 0)
					return hark_err_setl(err,
					    HARK_EXIT_USAGE, e->line,
					    e->column, "alert '%s': no "
					    "[destination \"%.*s\"]", a->name,
					    (int)(n > 60 ? 60 : n), item);
				if (a->ndests < MA_MAX_DESTS)
					a->dests[a->ndests++] = di;
			}
		} else if (strcmp(k, "description") != 0)
			return hark_err_setl(err, HARK_EXIT_USAGE, e->line,
			    e->key_column, "alert '%s': unknown key '%.100s'",
			    a->name, k);
	}
	if (a->lang == NULL && dlang)
		a->lang = hark_xstrdup(dlang);
	if (a->window == 0) {
		if (a->when == NULL)
			return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "alert '%s': needs 'when' (an item alert) or "
			    "'window' (a volume alert)", a->name);
		if (a->share)
			return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "alert '%s': 'share' needs a 'window'", a->name);
		return 0;
	}
	a->volume = 1;
	if (a->recent == 0)
		a->recent = a->window;
	if (a->baseline < a->window)
		return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
		    "alert '%s': the baseline is shorter than the window",
		    a->name);
	if (a->baseline / a->window > 100000 || a->recent / a->window >
	    100000)
		return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
		    "alert '%s': more than 100000 windows in the baseline",
		    a->name);
	if (calname) {
		if ((a->cal = find_cal(run, calname)) == NULL)
			return hark_err_setl(err, HARK_EXIT_USAGE, zline,
			    zcol, "alert '%s': no [calendar \"%.60s\"]",
			    a->name, calname);
		if (zone == dzone)
			zone = hark_tz_name(a->cal->tz);
	}
	if (zone) {
		struct hark_err e2 = HARK_ERR_INIT;

		if ((a->tz = hark_tz_load(zone, &e2)) == NULL)
			return hark_err_setl(err, HARK_EXIT_USAGE, zline, zcol,
			    "alert '%s': %s", a->name, e2.msg);
	} else
		a->tz = hark_tz_utc();
	ma_alert_windows_init(a);
	return 0;
}

static void
want_field(void *arg, const char *name)
{
	hark_lazy_want(arg, name);
}

static void
want_path(struct hark_lazy *lz, const char *path)
{
	const char *dot = strchr(path, '.');
	char *top = hark_xstrndup(path, dot ? (size_t)(dot - path) :
	    strlen(path));

	hark_lazy_want(lz, top);
	free(top);
}

static int
setup(struct app *app, const struct hark_common *c, const char *state_dir,
    int *uses_state)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_err err = HARK_ERR_INIT;
	struct ma_run *run = &app->run;
	const struct hark_config_section *g = NULL;
	const char *zone = NULL, *cal = NULL, *lang = NULL;
	int status = 0;
	size_t i, j;

	run->timeout = 10;
	run->max_wait = 30;
	run->backoff = 1;
	run->max_tries = 4;
	run->sendmail = hark_xstrdup("/usr/sbin/sendmail");
	if ((status = hark_common_config(c, &cfg)) != 0)
		goto out;
	for (i = 0; i < cfg.nsections; i++) {
		const struct hark_config_section *s = &cfg.sections[i];

		if (strcmp(s->type, "calendar") == 0) {
			run->cals = hark_xrealloc(run->cals, (run->ncals + 1) *
			    sizeof(*run->cals));
			if (hark_calendar_from_config(&run->cals[run->ncals],
			    s, &err) < 0) {
				status = config_fail(cfg.path, &err);
				goto out;
			}
			run->ncals++;
		} else if (strcmp(s->type, "destination") == 0) {
			run->dests = hark_xrealloc(run->dests, (run->ndests +
			    1) * sizeof(*run->dests));
			if (ma_dest_from_config(&run->dests[run->ndests], s,
			    &err) < 0) {
				run->ndests++;
				status = config_fail(cfg.path, &err);
				goto out;
			}
			run->ndests++;
		} else if (strcmp(s->type, "alert") == 0 && s->name == NULL)
			g = s;
	}
	for (i = 0; g && i < g->nentries; i++) {
		const struct hark_config_entry *e = &g->entries[i];
		double d;

		if (strcmp(e->key, "state_dir") == 0 ||
		    strcmp(e->key, "state-dir") == 0) {
			if (state_dir == NULL)
				state_dir = e->value;
		} else if (strcmp(e->key, "zone") == 0 ||
		    strcmp(e->key, "timezone") == 0)
			zone = e->value;
		else if (strcmp(e->key, "calendar") == 0)
			cal = e->value;
		else if (strcmp(e->key, "language") == 0)
			lang = e->value;
		else if (strcmp(e->key, "sendmail") == 0) {
			free(run->sendmail);
			run->sendmail = hark_xstrdup(e->value);
		} else if (strcmp(e->key, "timeout") == 0 ||
		    strcmp(e->key, "max_wait") == 0 ||
		    strcmp(e->key, "backoff") == 0 ||
		    strcmp(e->key, "retries") == 0) {
			if (parse_double(e, "(defaults)", 0, 3600, &d, &err) <
			    0) {
				status = config_fail(cfg.path, &err);
				goto out;
			}
			if (e->key[0] == 't')
				run->timeout = d > 0 ? d : 10;
			else if (e->key[0] == 'm')
				run->max_wait = d;
			else if (e->key[0] == 'b')
				run->backoff = d;
			else
				run->max_tries = (int)d + 1;
		} else {
			hark_err_setl(&err, HARK_EXIT_USAGE, e->line,
			    e->key_column, "[alert]: unknown key '%.100s'",
			    e->key);
			status = config_fail(cfg.path, &err);
			goto out;
		}
	}
	if (lang && strcmp(lang, "en") && strcmp(lang, "pl") &&
	    strcmp(lang, "cs")) {
		hark_err_setl(&err, HARK_EXIT_USAGE, g->line, 1, "[alert]: "
		    "language '%.20s' is not en, pl or cs", lang);
		status = config_fail(cfg.path, &err);
		goto out;
	}
	for (i = 0; i < cfg.nsections; i++) {
		const struct hark_config_section *s = &cfg.sections[i];

		if (strcmp(s->type, "alert") != 0 || s->name == NULL)
			continue;
		if (load_alert(app, s, zone, cal, lang, &err) < 0) {
			status = config_fail(cfg.path, &err);
			goto out;
		}
	}
	if (run->nalerts == 0)
		hark_warn("no [alert \"name\"] sections: records pass "
		    "through, nothing is raised");
	if (run->deliver)
		for (i = 0; i < run->ndests; i++) {
			int used = 0;

			for (j = 0; j < run->nalerts; j++) {
				size_t k;

				for (k = 0; k < run->alerts[j].ndests; k++)
					if (run->alerts[j].dests[k] == i)
						used = 1;
			}
			if (used && ma_dest_secret(&run->dests[i], &err) < 0) {
				hark_error("%s", err.msg);
				status = err.code ? err.code : HARK_EXIT_USAGE;
				goto out;
			}
		}

	*uses_state = 0;
	for (i = 0; i < run->nalerts; i++) {
		struct ma_alert *a = &run->alerts[i];

		if (a->volume || a->cooldown || a->ndests)
			*uses_state = 1;
		for (j = 0; j < a->nby; j++)
			want_path(&app->lazy, a->by[j]);
		if (a->when)
			hark_expr_foreach_field(a->when, want_field,
			    &app->lazy);
		if (a->share)
			hark_expr_foreach_field(a->share, want_field,
			    &app->lazy);
	}
	{
		static const char *const own[] = { "created_at", "fetched_at",
		    "url", "id", "source", "author", "text" };

		for (i = 0; i < HARK_ARRAY_SIZE(own); i++)
			hark_lazy_want(&app->lazy, own[i]);
	}
	if (*uses_state && !run->replay) {
		char *dir = state_dir ? hark_xstrdup(state_dir) :
		    hark_xdg_path(HARK_XDG_STATE, NULL), *lockpath;

		if (dir == NULL) {
			hark_error("no state directory: set --state-dir, "
			    "XDG_STATE_HOME or HOME");
			status = HARK_EXIT_USAGE;
			goto out;
		}
		if (hark_mkdir_p(dir, &err) < 0) {
			free(dir);
			hark_error("%s", err.msg);
			status = HARK_EXIT_FAILURE;
			goto out;
		}
		run->state_path = hark_xasprintf("%s/mention-alert.json", dir);
		lockpath = hark_xasprintf("%s/mention-alert.lock", dir);
		free(dir);
		if (hark_lock_acquire(&app->lock, lockpath, 10, &err) < 0) {
			free(lockpath);
			hark_error("%s", err.msg);
			status = err.code ? err.code : HARK_EXIT_FAILURE;
			goto out;
		}
		free(lockpath);
		if (ma_state_load(run, run->state_path, &err) < 0) {
			hark_error("%s", err.msg);
			status = HARK_EXIT_FAILURE;
			goto out;
		}
	}
out:
	hark_config_release(&cfg);
	return status;
}

/* ---- records ---- */

static json_t *
key_of(const struct ma_alert *a, json_t *rec)
{
	json_t *k = json_array();
	size_t i;

	for (i = 0; i < a->nby; i++) {
		json_t *v = hark_json_path(rec, a->by[i]);

		json_array_append(k, v ? v : json_null());
	}
	return k;
}

static json_t *
excerpt(const char *s)
{
	size_t n = 0, chars = 0;

	if (s == NULL)
		return json_null();
	/* 280 characters, cut on a UTF-8 boundary */
	while (s[n] && chars < 280) {
		n++;
		while ((s[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	return json_stringn(s, n);
}

static int
item_alert(struct app *app, struct ma_alert *a, json_t *rec,
    hark_time_t t)
{
	json_t *key = key_of(a, rec), *out, *m, *ko, *src;
	char *ks = hark_json_dumps(key, JSON_COMPACT), *idsrc, id[17];
	char at[HARK_TIME_BUFSZ];
	const char *mid = hark_json_path_str(rec, "id");
	const char *url = hark_json_path_str(rec, "url");
	const char *handle = hark_json_path_str(rec, "author.handle");
	size_t i;

	if (ks == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	if (a->cooldown > 0) {
		json_t *last = json_object_get(a->item_sent, ks);

		if (json_is_integer(last) && t >= json_integer_value(last) &&
		    t - json_integer_value(last) < a->cooldown) {
			free(ks);
			json_decref(key);
			return 0;
		}
		json_object_set_new(a->item_sent, ks, json_integer(t));
	}
	hark_time_format(t, at);
	idsrc = hark_xasprintf("%s\x1f%s\x1f%s\x1f%s", a->name, ks, mid ?
	    mid : "", at);
	ma_alert_id(id, idsrc, strlen(idsrc));
	free(idsrc);
	free(ks);
	ko = json_object();
	for (i = 0; i < a->nby; i++)
		json_object_set(ko, a->by[i], json_array_get(key, i));
	json_decref(key);
	if (handle == NULL)
		handle = hark_json_path_str(rec, "author.name");
	src = json_object_get(rec, "source");
	m = json_pack("{s:o,s:o,s:O,s:o,s:o}", "id", mid ? json_string(mid) :
	    json_null(), "url", url ? json_string(url) : json_null(), "source",
	    src ? src : json_null(), "author", handle ?
	    json_string(handle) : json_null(), "text", excerpt(
	    hark_json_path_str(rec, "text")));
	out = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "v", 1,
	    "type", "alert", "id", id, "alert", a->name, "kind", "item",
	    "status", "firing", "at", at, "key", ko, "mention", m, "top",
	    url ? json_pack("[s]", url) : json_array());
	if (app->run.explain)
		json_object_set_new(out, "explain", json_pack("[{s:s,s:s,"
		    "s:b}]", "test", "when", "expr", a->when_src, "passed",
		    1));
	ma_raise(&app->run, a, out);
	json_decref(out);
	return 0;
}

static int
on_record(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct app *app = vctx;
	json_t *rec = r->rec;
	hark_time_t t;
	size_t i;
	int rc;

	if ((rc = hark_mention_time(rec, &t, err)) < 0)
		return HARK_REC_REJECT;
	if (rc == 0)
		t = app->run.now;
	hark_expr_ctx_reset(&app->ctx, rec);
	for (i = 0; i < app->run.nalerts; i++) {
		struct ma_alert *a = &app->run.alerts[i];
		int hit = 1, shared = 0;

		if (a->when && (hit = hark_expr_eval_ctx(a->when, &app->ctx,
		    err)) < 0)
			return HARK_REC_REJECT;
		if (!hit)
			continue;
		if (!a->volume) {
			item_alert(app, a, rec, t);
			continue;
		}
		if (a->share && (shared = hark_expr_eval_ctx(a->share,
		    &app->ctx, err)) < 0)
			return HARK_REC_REJECT;
		{
			json_t *f = hark_json_path(rec, "author.followers");

			ma_volume_add(&app->run, a, key_of(a, rec), t, shared,
			    hark_json_path_str(rec, "url"), json_is_number(f) ?
			    json_number_value(f) : 0);
		}
	}
	return app->alerts_only ? HARK_REC_CONSUMED : HARK_REC_EMIT;
}

static int
save_state(struct ma_run *run)
{
	struct hark_err err = HARK_ERR_INIT;

	if (run->replay || run->state_path == NULL)
		return 0;
	if (ma_state_save(run, run->state_path, &err) < 0) {
		hark_error("%s", err.msg);
		return -1;
	}
	return 0;
}


/* --follow: HARK_NOW (or the clock) at the start, moving with the
 * monotonic clock, so tests can start a live run just before a window
 * ends. */
static hark_time_t
follow_now(const struct app *app)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return app->start_now + (hark_time_t)(ts.tv_sec -
	    app->start_mono.tv_sec);
}

static double
since(const struct timespec *t0)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - t0->tv_sec) + (double)(ts.tv_nsec -
	    t0->tv_nsec) / 1e9;
}

/* One tick, with the mutex held: close what ended, save, deliver. */
static void
tick(struct app *app)
{
	size_t i;

	app->run.now = follow_now(app);
	for (i = 0; i < app->run.nalerts; i++)
		if (app->run.alerts[i].volume)
			ma_volume_close(&app->run, &app->run.alerts[i]);
	if (app->run.state_path == NULL)
		return;
	if (json_array_size(app->run.spool) > 0 || (app->dirty &&
	    since(&app->last_save) >= 5)) {
		if (save_state(&app->run) != 0)
			app->tick_status = hark_exit_merge(app->tick_status,
			    HARK_EXIT_FAILURE);
		app->dirty = 0;
		clock_gettime(CLOCK_MONOTONIC, &app->last_save);
		if (app->run.deliver && json_array_size(app->run.spool) > 0) {
			app->tick_status = hark_exit_merge(app->tick_status,
			    ma_spool_flush(&app->run, save_state));
			save_state(&app->run);
		}
	}
}

static void *
ticker(void *arg)
{
	struct app *app = arg;
	struct timespec nap = { 0, 200000000L };

	for (;;) {
		pthread_mutex_lock(&app->mu);
		if (app->stop) {
			pthread_mutex_unlock(&app->mu);
			return NULL;
		}
		tick(app);
		pthread_mutex_unlock(&app->mu);
		nanosleep(&nap, NULL);
	}
}

static int
on_record_follow(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct app *app = vctx;
	int rc;

	pthread_mutex_lock(&app->mu);
	app->run.now = follow_now(app);
	rc = on_record(vctx, r, err);
	app->dirty = 1;
	pthread_mutex_unlock(&app->mu);
	return rc;
}

static int
on_finish(void *vctx, struct hark_output *out)
{
	struct app *app = vctx;
	int status = 0;
	size_t i;

	(void)out;
	if (app->follow) {
		pthread_mutex_lock(&app->mu);
		app->stop = 1;
		pthread_mutex_unlock(&app->mu);
		pthread_join(app->ticker, NULL);
		app->follow = 0;
		app->run.now = follow_now(app);
		status = app->tick_status;
	}
	for (i = 0; i < app->run.nalerts; i++)
		if (app->run.alerts[i].volume)
			ma_volume_close(&app->run, &app->run.alerts[i]);
	if (app->run.replay || app->run.state_path == NULL)
		return 0;
	/* the spool is on disk before the first message leaves */
	if (save_state(&app->run) != 0)
		return HARK_EXIT_FAILURE;
	if (app->run.deliver && json_array_size(app->run.spool) > 0) {
		status = hark_exit_merge(status, ma_spool_flush(&app->run,
		    save_state));
		/* what stays spooled keeps its count of tries */
		if (save_state(&app->run) != 0)
			status = hark_exit_merge(status, HARK_EXIT_FAILURE);
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct hark_common c, fc;
	struct hark_err err = HARK_ERR_INIT;
	struct app app;
	const char *alerts_file = NULL, *state_dir = NULL;
	int opt, status, no_deliver = 0, uses_state = 0;
	size_t i;

	hark_init(&c, "mention-alert", synopsis, help);
	memset(&app, 0, sizeof(app));
	app.lock.fd = -1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case OPT_ALERTS:
			alerts_file = optarg;
			break;
		case OPT_ALERTS_ONLY:
			app.alerts_only = 1;
			break;
		case OPT_EXPLAIN:
			app.run.explain = 1;
			break;
		case OPT_FOLLOW:
			app.follow = 1;
			break;
		case OPT_NO_DELIVER:
			no_deliver = 1;
			break;
		case OPT_REPLAY:
			app.run.replay = 1;
			break;
		case OPT_STATE_DIR:
			state_dir = optarg;
			break;
		case '?':
		case ':':
			hark_bad_option(&c, opt, argv);
		default:
			if (!hark_common_option(&c, opt, optarg))
				hark_bad_option(&c, opt, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (app.run.replay)
		app.alerts_only = 1;
	if (app.alerts_only && alerts_file)
		hark_usage_error(&c, "--alerts and --alerts-only (or "
		    "--replay) exclude each other");
	app.run.deliver = !no_deliver && !app.run.replay;
	if (app.follow && app.run.replay)
		hark_usage_error(&c, "--follow and --replay exclude each "
		    "other");
	if (app.follow)
		c.unbuffered = 1;
	if (hark_now(&app.run.now, &err) < 0)
		hark_die(HARK_EXIT_USAGE, "%s", err.msg);

	curl_global_init(CURL_GLOBAL_DEFAULT);
	app.set = hark_expr_set_new();
	hark_expr_ctx_init(&app.ctx);
	hark_buf_init(&app.line, 8u << 20);
	app.run.spool = json_array();
	app.run.sink.emit = sink_emit;
	app.run.sink.ctx = &app;
	status = setup(&app, &c, state_dir, &uses_state);
	if (status == 0 && alerts_file) {
		if ((app.afp = fopen(alerts_file, "a")) == NULL) {
			hark_error("cannot open '%s': %s", alerts_file,
			    strerror(errno));
			status = HARK_EXIT_FAILURE;
		}
	}
	if (status == 0) {
		struct hark_filter_ops ops = { on_record, on_finish, 0, 0,
		    &app.lazy };

		if (app.follow) {
			ops.record = on_record_follow;
			app.start_now = app.run.now;
			clock_gettime(CLOCK_MONOTONIC, &app.start_mono);
			app.last_save = app.start_mono;
			pthread_mutex_init(&app.mu, NULL);
			if (pthread_create(&app.ticker, NULL, ticker, &app) != 0)
				hark_die(HARK_EXIT_FAILURE, "cannot start the "
				    "clock thread");
		}

		fc = c;
		if (app.alerts_only) {
			/* alerts go to -o or stdout through our own output;
			 * the loop's output (stdout) then gets nothing */
			if (hark_output_open(&app.aout, c.output, 1, &err) <
			    0)
				hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
			app.aout.unbuffered = c.unbuffered;
			app.have_aout = 1;
			fc.output = NULL;
		}
		status = hark_filter_run(&fc, argc, argv, &ops, &app, NULL);
		if (app.follow) {	/* --strict stopped before finish */
			pthread_mutex_lock(&app.mu);
			app.stop = 1;
			pthread_mutex_unlock(&app.mu);
			pthread_join(app.ticker, NULL);
		}
		if (app.have_aout) {
			if (app.aout.fp == stdout) {
				if (app.aout.failed) {
					hark_error("write error: %s",
					    strerror(app.aout.err_no));
					status = hark_exit_merge(status,
					    HARK_EXIT_FAILURE);
				}
			} else if (hark_output_close(&app.aout, 1, &err) < 0) {
				hark_error("%s", err.msg);
				status = hark_exit_merge(status,
				    HARK_EXIT_FAILURE);
			}
		}
	}
	if (app.afp)
		fclose(app.afp);
	hark_lock_release(&app.lock);
	for (i = 0; i < app.run.nalerts; i++) {
		struct ma_alert *a = &app.run.alerts[i];
		size_t j;

		ma_alert_state_release(a);
		hark_expr_free(a->when);
		hark_expr_free(a->share);
		free(a->when_src);
		free(a->share_src);
		for (j = 0; j < a->nby; j++)
			free(a->by[j]);
		hark_tz_free(a->tz);
		free(a->lang);
		free(a->name);
	}
	free(app.run.alerts);
	for (i = 0; i < app.run.ndests; i++)
		ma_dest_release(&app.run.dests[i]);
	free(app.run.dests);
	for (i = 0; i < app.run.ncals; i++)
		hark_calendar_release(&app.run.cals[i]);
	free(app.run.cals);
	free(app.run.sendmail);
	free(app.run.state_path);
	json_decref(app.run.spool);
	hark_expr_ctx_release(&app.ctx);
	hark_expr_set_free(app.set);
	hark_lazy_release(&app.lazy);
	hark_buf_release(&app.line);
	curl_global_cleanup();
	return status;
}
