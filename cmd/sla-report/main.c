/*
 * sla-report - first-response, next-response and resolution times against
 * SLA targets, breaches, percentiles and busy hours, for people and CI.
 */
#include <ctype.h>
#include <strings.h>
#include "sr.h"
#include "config.h"
#include "filter.h"
#include "opt.h"
#include "expr.h"
#include "lazy.h"
#include "json.h"

static const char synopsis[] =
"usage: sla-report [-hqv] [-b fields] [-c file] [-f format] [-o file]\n"
"                  [--busy-hours | --tickets] [--check expr] [--csv]\n"
"                  [--ignore-due] [--map spec] [--merge]\n"
"                  [--no-default-policies] [--now time] [--partial]\n"
"                  [--source name] [--title text] [--tz zone] [file ...]";

static const char help[] =
"\n"
"Read mention or event records (NDJSON, or CSV with --map) and report\n"
"response and resolution times against the SLA policies of the config.\n"
"\n"
"Options:\n"
"  -b, --by FIELDS       group by channel, queue, agent, priority, category,\n"
"                        language, brand, day or a record path such as\n"
"                        sentiment.label (comma-separated, repeatable)\n"
"      --busy-hours      report customer messages by weekday and hour\n"
"      --check EXPR      exit 5 unless EXPR holds, e.g.\n"
"                        'first_response.p90 <= 4h',\n"
"                        'first_response.share >= 90%',\n"
"                        '*: frt.p90 <= 8h' (every --by group)\n"
"      --csv             read CSV input (needs --map or 'map' in the config)\n"
"  -f, --format FORMAT   table (default), ndjson, csv, markdown or html\n"
"      --ignore-due      recompute due times even when records carry them\n"
"      --map SPEC        CSV columns: ROLE=COLUMN,... (implies --csv)\n"
"      --merge           the operands are partials: merge them into the\n"
"                        report (with --partial: into one partial)\n"
"      --no-default-policies  do not add the built-in X/Instagram/Facebook/\n"
"                        complaint policies\n"
"      --now TIME        report time (default $HARK_NOW or the clock)\n"
"      --partial         write a partial result for --merge (needs --now\n"
"                        or HARK_NOW)\n"
"      --source NAME     channel of records that name none (CSV input)\n"
"      --tickets         one row per conversation instead of aggregates\n"
"      --title TEXT      title of the HTML page\n"
"      --tz ZONE         time zone for days, busy hours and input times\n"
"                        written without a zone (default UTC)\n";

enum {
	OPT_BUSY = HARK_OPT_COMMAND_BASE,
	OPT_CHECK,
	OPT_CSV,
	OPT_IGNORE_DUE,
	OPT_MAP,
	OPT_MERGE,
	OPT_NO_DEFAULTS,
	OPT_NOW,
	OPT_PARTIAL,
	OPT_SOURCE,
	OPT_TICKETS,
	OPT_TITLE,
	OPT_TZ
};

static const struct option longopts[] = {
	{ "busy-hours", no_argument, NULL, OPT_BUSY },
	{ "by", required_argument, NULL, 'b' },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "format", required_argument, NULL, 'f' },
	{ "ignore-due", no_argument, NULL, OPT_IGNORE_DUE },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "no-default-policies", no_argument, NULL, OPT_NO_DEFAULTS },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "tickets", no_argument, NULL, OPT_TICKETS },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "tz", required_argument, NULL, OPT_TZ },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static struct hark_common common;
static struct sr_merge merge;

static int
parse_format(const char *s, enum sr_format *f)
{
	static const struct { const char *n; enum sr_format f; } t[] = {
		{ "table", SR_TABLE }, { "ndjson", SR_NDJSON },
		{ "json", SR_NDJSON }, { "csv", SR_CSV },
		{ "markdown", SR_MARKDOWN }, { "md", SR_MARKDOWN },
		{ "html", SR_HTML },
	};
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(t); i++)
		if (strcasecmp(s, t[i].n) == 0) {
			*f = t[i].f;
			return 0;
		}
	return -1;
}

static int
add_by(struct sr_opts *o, const char *spec, struct hark_err *err)
{
	const char *cur = spec, *p;
	size_t n;

	while ((p = hark_config_item(&cur, 1, &n)) != NULL) {
		int f;

		for (f = 0; f < SR_NFIELDS; f++)
			if (strlen(sr_field_names[f]) == n &&
			    strncasecmp(p, sr_field_names[f], n) == 0)
				break;
		if (n == 3 && strncasecmp(p, "day", 3) == 0)
			f = SR_BY_DAY;
		else if (n == 4 && strncasecmp(p, "lang", 4) == 0)
			f = SR_F_LANGUAGE;
		else if (n == 6 && strncasecmp(p, "source", 6) == 0)
			f = SR_F_CHANNEL;
		else if (f == SR_NFIELDS) {
			/* Any other record path: "sentiment.label". */
			size_t k;

			for (k = 0; k < n; k++)
				if (!isalnum((unsigned char)p[k]) &&
				    p[k] != '_' && p[k] != '-' && p[k] != '.')
					break;
			if (k < n || p[0] == '.' || p[n - 1] == '.')
				return hark_err_set(err, HARK_EXIT_USAGE,
				    "--by: '%.*s' is not a field name or a "
				    "dotted record path", (int)n, p);
			if (o->ncustom == SR_MAXCUSTOM)
				return hark_err_set(err, HARK_EXIT_USAGE,
				    "--by: at most %d record paths",
				    SR_MAXCUSTOM);
			o->custom[o->ncustom] = hark_xstrndup(p, n);
			f = SR_BY_CUSTOM + o->ncustom++;
		}
		if (o->nby == SR_MAXBY)
			return hark_err_set(err, HARK_EXIT_USAGE, "--by: too "
			    "many fields");
		o->by[o->nby++] = f;
	}
	return 0;
}

static int
add_check(struct sr_opts *o, const char *s, struct hark_err *err)
{
	struct sr_check c;

	if (sr_check_parse(s, &c, err) != 0)
		return -1;
	o->checks = hark_xrealloc(o->checks, (o->nchecks + 1) *
	    sizeof(*o->checks));
	o->checks[o->nchecks++] = c;
	return 0;
}

static int
finish(void *ctx, struct hark_output *out)
{
	struct sr_ctx *x = ctx;
	struct sr_report r;
	int status = 0;

	sr_compute(x);
	sr_report_build(x, &r);
	sr_write(x, &r, out);
	if (sr_checks_run(x, &r))
		status = HARK_EXIT_CHECK;
	sr_report_release(&r);
	return status;
}

/* --partial over records: the conversations' aggregates, and the events
 * of those left to the merge. */
static int
finish_partial(void *ctx, struct hark_output *out)
{
	struct sr_ctx *x = ctx;

	sr_compute(x);
	sr_report_begin(x, &merge.r);
	sr_report_add_convs(x, &merge.r, 1);
	sr_report_add_busy(x, &merge.r);
	return sr_partial_write(x, &merge, out);
}

/* --merge: read every partial (any failure fails the merge: a report
 * without one of them would be wrong), then write a partial or the
 * report. */
static int
run_merge(struct sr_ctx *x, int partial, int argc, char **argv)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_output out;
	int i, status = 0;

	for (i = 0; i < argc; i++)
		if (sr_merge_read(x, &merge, argv[i], &err) != 0) {
			hark_error("%s", err.msg);
			return err.code ? err.code : HARK_EXIT_DATA;
		}
	if (!partial && sr_merge_finish(x, &merge, &err) != 0) {
		hark_error("%s", err.msg);
		return err.code ? err.code : HARK_EXIT_DATA;
	}
	if (hark_output_open(&out, common.output, 1, &err) < 0)
		hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
	out.unbuffered = common.unbuffered;
	if (partial) {
		sr_partial_write(x, &merge, &out);
	} else {
		sr_report_finish(x, &merge.r);
		sr_write(x, &merge.r, &out);
		if (sr_checks_run(x, &merge.r))
			status = HARK_EXIT_CHECK;
	}
	if (hark_output_close(&out, 1, &err) < 0) {
		hark_error("%s", err.msg);
		status = hark_exit_merge(status, HARK_EXIT_FAILURE);
	}
	return status;
}

/* The last KEY entry of section S, or NULL. */
static const struct hark_config_entry *
conf_entry(const struct hark_config_section *s, const char *key)
{
	const struct hark_config_entry *e, *last = NULL;

	for (e = NULL; (e = hark_config_next(s, key, e)) != NULL;)
		last = e;
	return last;
}

/*
 * A bad value in the config file: "FILE:LINE:COL: KEY: MSG", status 2,
 * like every other config error (not a usage error: the command line is
 * fine).  MSG may start with the option's name ("--by: "), which is
 * replaced by the key's.
 */
static HARK_NORETURN void
conf_die(const struct hark_config *cfg, const struct hark_config_entry *e,
    const char *msg)
{
	struct hark_err err = HARK_ERR_INIT;
	size_t k = strlen(e->key);

	if (strncmp(msg, "--", 2) == 0 && strncmp(msg + 2, e->key, k) == 0 &&
	    strncmp(msg + 2 + k, ": ", 2) == 0)
		msg += k + 4;
	hark_err_setl(&err, HARK_EXIT_USAGE, e->line, e->column, "%s: %s",
	    e->key, msg);
	hark_error_at(cfg->path != NULL ? cfg->path : "config", &err);
	exit(HARK_EXIT_USAGE);
}

/* Top-level members sla-report itself reads (ingest.c). */
static const char *const members[] = { "event", "ticket", "conversation",
	"ticket_id", "conversation_id", "ts", "time", "created_at",
	"timestamp", "channel", "source", "queue", "assignee", "agent",
	"priority", "category", "lang", "language", "brand", "status", "to",
	"text", "id", "author", "thread", "route", "sla", "automated",
	"is_automated", "auto_reply", "bot", "private", "is_private",
	"internal", "visibility", "kind", "public", "complaint" };

static struct hark_lazy lazy;

static void
want(void *arg, const char *name)
{
	hark_lazy_want(arg, name);
}

/* A policy's `when` regex over its match limit: no match, and this
 * warning once per policy, with the record that first hit it. */
static void
sla_warn(void *arg, const struct hark_sla_policy *p, const char *msg)
{
	const struct sr_ctx *x = arg;

	hark_warn("%s:%ld: sla '%s': when: %s; taken as no match (not "
	    "reported again for this policy)", x->cur_file ? x->cur_file :
	    "<input>", x->cur_line, p->name, msg);
}

static int
record(void *ctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct sr_ctx *x = ctx;

	x->cur_file = r->file;
	x->cur_line = r->lineno;
	if (sr_ingest(ctx, r->rec, err) != 0)
		return HARK_REC_REJECT;
	return HARK_REC_CONSUMED;
}

int
main(int argc, char **argv)
{
	static struct sr_opts o;
	static struct sr_ctx x;
	struct hark_filter_ops ops = { .record = record, .finish = finish,
	    .lazy = &lazy };
	struct hark_config cfg = HARK_CONFIG_INIT;
	const struct hark_config_section *sec;
	const struct hark_config_entry *e;
	struct hark_err err = HARK_ERR_INIT;
	const char *tz = NULL, *map = NULL, *now = NULL, *fmt = NULL;
	char **by = NULL, **checks = NULL;
	size_t nby = 0, nchecks = 0, i;
	unsigned flags = 0;
	int ch, csv = 0, status, partial = 0, merging = 0;
	int cmd_checks = 0;

	hark_json_fast_alloc();	/* single-threaded */
	hark_init(&common, "sla-report", synopsis, help);
	o.use_record_due = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS "b:f:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			by = hark_xrealloc(by, (nby + 1) * sizeof(*by));
			by[nby++] = optarg;
			break;
		case 'f':
			fmt = optarg;
			break;
		case OPT_BUSY:
			o.mode = SR_MODE_BUSY;
			break;
		case OPT_CHECK:
			checks = hark_xrealloc(checks, (nchecks + 1) *
			    sizeof(*checks));
			checks[nchecks++] = optarg;
			break;
		case OPT_CSV:
			csv = 1;
			break;
		case OPT_IGNORE_DUE:
			o.use_record_due = 0;
			break;
		case OPT_MAP:
			map = optarg;
			csv = 1;
			break;
		case OPT_MERGE:
			merging = 1;
			break;
		case OPT_NO_DEFAULTS:
			flags |= HARK_SLA_NO_DEFAULTS;
			break;
		case OPT_PARTIAL:
			partial = 1;
			break;
		case OPT_NOW:
			now = optarg;
			break;
		case OPT_SOURCE:
			o.default_source = optarg;
			break;
		case OPT_TICKETS:
			o.mode = SR_MODE_TICKETS;
			break;
		case OPT_TITLE:
			o.title = optarg;
			break;
		case OPT_TZ:
			tz = optarg;
			break;
		case '?':
		case ':':
			hark_bad_option(&common, ch, argv);
		default:
			if (!hark_common_option(&common, ch, optarg))
				hark_bad_option(&common, ch, argv);
		}
	}
	argc -= optind;
	argv += optind;

	/* Built-in defaults, then the config file, then options. */
	if ((status = hark_common_config(&common, &cfg)) != 0)
		exit(status);
	if (fmt != NULL && parse_format(fmt, &o.format) != 0)
		hark_usage_error(&common, "--format: '%s' is not table, "
		    "ndjson, csv, markdown or html", fmt);
	if ((sec = hark_config_find(&cfg, "sla-report", NULL)) != NULL) {
		char msg[HARK_ERR_MSG_MAX];

		if (fmt == NULL && (e = conf_entry(sec, "format")) != NULL &&
		    parse_format(e->value, &o.format) != 0) {
			snprintf(msg, sizeof(msg), "'%.100s' is not table, "
			    "ndjson, csv, markdown or html", e->value);
			conf_die(&cfg, e, msg);
		}
		if (tz == NULL && (e = conf_entry(sec, "tz")) != NULL) {
			struct hark_tz *z = hark_tz_load(e->value, &err);

			if (z == NULL)
				conf_die(&cfg, e, err.msg);
			hark_tz_free(z);
			tz = e->value;
		}
		if (map == NULL && (e = conf_entry(sec, "map")) != NULL) {
			if (sr_csv_check_map(e->value, &err) != 0)
				conf_die(&cfg, e, err.msg);
			map = e->value;
		}
		if (o.default_source == NULL)
			o.default_source = hark_config_get(sec, "source");
		if (o.title == NULL)
			o.title = hark_config_get(sec, "title");
		if (nby == 0 && (e = conf_entry(sec, "by")) != NULL &&
		    add_by(&o, e->value, &err) != 0)
			conf_die(&cfg, e, err.msg);
		if (nchecks == 0)
			for (e = NULL; (e = hark_config_next(sec, "check",
			    e)) != NULL;)
				if (add_check(&o, e->value, &err) != 0)
					conf_die(&cfg, e, err.msg);
	}
	for (i = 0; i < nby; i++)
		if (add_by(&o, by[i], &err) != 0)
			hark_usage_error(&common, "%s", err.msg);
	for (i = 0; i < nchecks; i++)
		if (add_check(&o, checks[i], &err) != 0)
			hark_usage_error(&common, "%s", err.msg);
	if (sr_checks_resolve(&o, &err) != 0)
		hark_usage_error(&common, "%s", err.msg);
	cmd_checks = nchecks > 0;
	if (partial || merging) {
		const char *env = getenv("HARK_NOW");

		if (o.mode == SR_MODE_TICKETS)
			hark_usage_error(&common, "--tickets lists "
			    "conversations: run it on each shard and "
			    "concatenate, without --partial or --merge");
		if (now == NULL && (env == NULL || *env == '\0'))
			hark_usage_error(&common, "--%s needs --now TIME (or "
			    "HARK_NOW), the same for every partial",
			    partial ? "partial" : "merge");
	}
	if (partial && !merging && (cmd_checks || o.mode != SR_MODE_REPORT ||
	    fmt != NULL))
		hark_usage_error(&common, "--partial writes a partial: give "
		    "--check, --busy-hours and --format to the merge");
	if (merging && csv)
		hark_usage_error(&common, "--merge reads partials, not CSV");
	if (merging && argc == 0)
		hark_usage_error(&common, "--merge needs the partial files");
	if (csv && map == NULL)
		hark_usage_error(&common, "--csv needs --map ROLE=COLUMN,... "
		    "(or 'map' in [sla-report])");
	if (map != NULL && sr_csv_check_map(map, &err) != 0)
		hark_usage_error(&common, "%s", err.msg);
	if (map != NULL)
		csv = 1;
	if (tz == NULL)
		tz = "UTC";
	if ((o.tz = hark_tz_load(tz, &err)) == NULL)
		hark_usage_error(&common, "--tz: %s", err.msg);
	if (now != NULL) {
		if (sr_parse_time(now, o.tz, &o.now) != 0) {
			char clean[80];

			hark_usage_error(&common, "--now: invalid time '%s'",
			    hark_sanitize(clean, sizeof(clean), now,
			    strlen(now)));
		}
	} else if (hark_now(&o.now, &err) != 0) {
		hark_die(HARK_EXIT_USAGE, "HARK_NOW: %s", err.msg);
	}
	x.o = &o;
	if (hark_sla_set_load(&x.set, &cfg, flags, &err) != 0) {
		hark_error_at(cfg.path != NULL ? cfg.path : "config", &err);
		exit(HARK_EXIT_USAGE);
	}
	x.set.warn = sla_warn;
	x.set.warn_arg = &x;
	sr_store_init(&x.st);
	for (i = 0; i < HARK_ARRAY_SIZE(members); i++)
		hark_lazy_want(&lazy, members[i]);
	for (i = 0; i < x.set.npol; i++)
		if (x.set.pol[i].when != NULL)
			hark_expr_foreach_field(x.set.pol[i].when, want, &lazy);
	for (i = 0; i < (size_t)o.ncustom; i++) {
		char *top = hark_xstrndup(o.custom[i],
		    strcspn(o.custom[i], "."));

		hark_lazy_want(&lazy, top);
		free(top);
	}

	if (partial || merging) {
		sr_merge_init(&merge);
		sr_fingerprint(&o, &cfg, flags, map, merge.fingerprint);
		x.merge = &merge;
		if (partial)
			ops.finish = finish_partial;
	}
	if (merging) {
		status = run_merge(&x, partial, argc, argv);
	} else if (!csv) {
		status = hark_filter_run(&common, argc, argv, &ops, &x, NULL);
	} else {
		struct hark_output out;

		status = sr_csv_run(&x, &common, map, argc, argv, NULL);
		if (!(status & 0x100)) {
			if (hark_output_open(&out, common.output, 1, &err) < 0)
				hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
			out.unbuffered = common.unbuffered;
			status = hark_exit_merge(status, partial ?
			    finish_partial(&x, &out) : finish(&x, &out));
			if (hark_output_close(&out, 1, &err) < 0) {
				hark_error("%s", err.msg);
				status = hark_exit_merge(status,
				    HARK_EXIT_FAILURE);
			}
		}
		status &= 0xff;
	}
	if (x.merge != NULL)
		sr_merge_release(&merge);
	sr_conv_free(&x);
	sr_store_release(&x.st);
	hark_sla_set_release(&x.set);
	hark_tz_free(o.tz);
	for (i = 0; i < o.nchecks; i++) {
		free(o.checks[i].src);
		free(o.checks[i].sel_field);
		free(o.checks[i].sel_value);
	}
	free(o.checks);
	for (i = 0; i < (size_t)o.ncustom; i++)
		free(o.custom[i]);
	free(by);
	free(checks);
	hark_config_release(&cfg);
	hark_lazy_release(&lazy);
	return status;
}
