/*
 * mention-report - what customers talked about per day, week or month and
 * what changed: volume, sentiment, categories, rising terms, top mentions.
 */
#include <ctype.h>
#include <strings.h>
#include "mr.h"
#include "config.h"
#include "filter.h"
#include "lazy.h"
#include "json.h"

static const char synopsis[] =
"usage: mention-report [-hqv] [-b path] [-c file] [-f format] [-o file]\n"
"                      [--baseline n] [--complete] [--last n]\n"
"                      [--max-terms n] [--min-count n] [--now time]\n"
"                      [--partial] [--period unit] [--terms n]\n"
"                      [--title text] [--top n] [--tz zone] [file ...]\n"
"       mention-report --merge [options] partial ...";

static const char help[] =
"\n"
"Read mention records (after sentiment-score and ticket-route) and report\n"
"per period: volume by source, sentiment, category and language against\n"
"the previous period, negative share, reach, answers, rising terms and\n"
"categories, and the top mentions by reach and by negative score.\n"
"\n"
"Options:\n"
"      --baseline N      compare terms and categories with the N previous\n"
"                        periods (default 4)\n"
"  -b, --by PATH         split by a record path such as brand, query or\n"
"                        route.queue (comma-separated, repeatable)\n"
"      --complete        leave out periods that have not ended at --now\n"
"  -f, --format FORMAT   table (default), markdown, csv, ndjson or html\n"
"      --last N          periods with the full detail (default 1)\n"
"      --max-terms N     distinct terms tracked (default 100000)\n"
"      --merge           read partial summaries (--partial) and report\n"
"      --min-count N     least mentions for a rising term or category\n"
"                        (default 5)\n"
"      --now TIME        report time (default $HARK_NOW or the clock)\n"
"      --partial         write a mergeable summary instead of the report\n"
"      --period UNIT     day, week (default, Monday first) or month\n"
"      --terms N         rising terms shown (default 10)\n"
"      --title TEXT      title of the report\n"
"      --top N           top mentions shown (default 5, at most 50)\n"
"      --tz ZONE         time zone of the periods (default UTC)\n";

enum {
	OPT_BASELINE = HARK_OPT_COMMAND_BASE,
	OPT_COMPLETE,
	OPT_LAST,
	OPT_MAX_TERMS,
	OPT_MERGE,
	OPT_MIN_COUNT,
	OPT_NOW,
	OPT_PARTIAL,
	OPT_PERIOD,
	OPT_TERMS,
	OPT_TITLE,
	OPT_TOP,
	OPT_TZ
};

static const struct option longopts[] = {
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "by", required_argument, NULL, 'b' },
	{ "complete", no_argument, NULL, OPT_COMPLETE },
	{ "format", required_argument, NULL, 'f' },
	{ "last", required_argument, NULL, OPT_LAST },
	{ "max-terms", required_argument, NULL, OPT_MAX_TERMS },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "min-count", required_argument, NULL, OPT_MIN_COUNT },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "terms", required_argument, NULL, OPT_TERMS },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "tz", required_argument, NULL, OPT_TZ },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static struct hark_common common;

static int
parse_format(const char *s, int *f)
{
	static const struct { const char *n; int f; } t[] = {
		{ "table", MR_TABLE }, { "ndjson", MR_NDJSON },
		{ "json", MR_NDJSON }, { "csv", MR_CSV },
		{ "markdown", MR_MARKDOWN }, { "md", MR_MARKDOWN },
		{ "html", MR_HTML },
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
parse_period(const char *s, enum mr_period *p)
{
	if (strcasecmp(s, "day") == 0 || strcasecmp(s, "daily") == 0)
		*p = MR_DAY;
	else if (strcasecmp(s, "week") == 0 || strcasecmp(s, "weekly") == 0)
		*p = MR_WEEK;
	else if (strcasecmp(s, "month") == 0 || strcasecmp(s, "monthly") == 0)
		*p = MR_MONTH;
	else
		return -1;
	return 0;
}

/* Short names for the usual paths, as sla-report spells them. */
static const struct {
	const char *name, *path;
} by_alias[] = {
	{ "category", "route.category" }, { "channel", "source" },
	{ "language", "lang" }, { "priority", "route.priority" },
	{ "queue", "route.queue" }, { "sentiment", "sentiment.label" },
};

static int
add_by(struct mr_opts *o, const char *spec, struct hark_err *err)
{
	const char *cur = spec, *p;
	size_t n, k;

	while ((p = hark_config_item(&cur, 1, &n)) != NULL) {
		char *path = NULL;

		for (k = 0; k < HARK_ARRAY_SIZE(by_alias); k++)
			if (strlen(by_alias[k].name) == n &&
			    strncasecmp(p, by_alias[k].name, n) == 0)
				path = hark_xstrdup(by_alias[k].path);
		if (path == NULL) {
			for (k = 0; k < n; k++)
				if (!isalnum((unsigned char)p[k]) &&
				    p[k] != '_' && p[k] != '-' && p[k] != '.')
					break;
			if (n == 0 || k < n || p[0] == '.' || p[n - 1] == '.')
				return hark_err_set(err, HARK_EXIT_USAGE,
				    "--by: '%.*s' is not a field name or a "
				    "dotted record path", (int)n, p);
			path = hark_xstrndup(p, n);
		}
		if (o->nby == MR_MAXBY) {
			free(path);
			return hark_err_set(err, HARK_EXIT_USAGE, "--by: at "
			    "most %d fields", MR_MAXBY);
		}
		o->byname[o->nby] = hark_xstrndup(p, n);
		o->by[o->nby++] = path;
	}
	return 0;
}

static int
finish(void *ctx, struct hark_output *out)
{
	struct mr_ctx *x = ctx;
	struct mr_report r;

	if (x->o->partial)
		return mr_partial_write(x, out);
	mr_report_build(x, &r);
	mr_write(x, &r, out);
	mr_report_release(&r);
	return 0;
}

static int
record(void *ctx, struct hark_filter_rec *r, struct hark_err *err)
{
	if (mr_add(ctx, r->rec, err) != 0)
		return HARK_REC_REJECT;
	return HARK_REC_CONSUMED;
}

/* Top-level members read (agg.c, lib/thread.c). */
static const char *const members[] = { "id", "created_at", "ts", "thread",
	"author", "source", "sentiment", "route", "category", "lang", "text",
	"title", "url", "metrics", "automated", "is_automated", "auto_reply",
	"bot", "private", "is_private", "internal", "visibility", "public" };

static const struct hark_config_entry *
conf_entry(const struct hark_config_section *s, const char *key)
{
	const struct hark_config_entry *e, *last = NULL;

	for (e = NULL; (e = hark_config_next(s, key, e)) != NULL;)
		last = e;
	return last;
}

static HARK_NORETURN void
conf_die(const struct hark_config *cfg, const struct hark_config_entry *e,
    const char *msg)
{
	struct hark_err err = HARK_ERR_INIT;

	hark_err_setl(&err, HARK_EXIT_USAGE, e->line, e->column, "%s: %s",
	    e->key, msg);
	hark_error_at(cfg->path != NULL ? cfg->path : "config", &err);
	exit(HARK_EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	static struct mr_opts o;
	static struct mr_ctx x;
	static struct hark_lazy lazy;
	struct hark_filter_ops ops = { .record = record, .finish = finish,
	    .lazy = &lazy };
	struct hark_config cfg = HARK_CONFIG_INIT;
	const struct hark_config_section *sec;
	const struct hark_config_entry *e;
	struct hark_err err = HARK_ERR_INIT;
	const char *tz = NULL, *now = NULL, *fmt = NULL, *period = NULL;
	char **by = NULL;
	size_t nby = 0, i;
	int ch, merge = 0, status = 0;

	hark_json_fast_alloc();	/* single-threaded */
	hark_init(&common, "mention-report", synopsis, help);
	o.period = MR_WEEK;
	o.nterms = 10;
	o.ntop = 5;
	o.min_count = 5;
	o.baseline = 4;
	o.last = 1;
	o.max_terms = 100000;
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
		case OPT_BASELINE:
			o.baseline = (int)hark_opt_number(&common, "--baseline",
			    optarg, 1, 64);
			break;
		case OPT_COMPLETE:
			o.complete = 1;
			break;
		case OPT_LAST:
			o.last = (int)hark_opt_number(&common, "--last", optarg,
			    1, 1000);
			break;
		case OPT_MAX_TERMS:
			o.max_terms = (long)hark_opt_number(&common,
			    "--max-terms", optarg, 0, 10000000);
			break;
		case OPT_MERGE:
			merge = 1;
			break;
		case OPT_MIN_COUNT:
			o.min_count = (int)hark_opt_number(&common,
			    "--min-count", optarg, 1, 1000000);
			break;
		case OPT_NOW:
			now = optarg;
			break;
		case OPT_PARTIAL:
			o.partial = 1;
			break;
		case OPT_PERIOD:
			period = optarg;
			break;
		case OPT_TERMS:
			o.nterms = (int)hark_opt_number(&common, "--terms",
			    optarg, 0, 1000);
			break;
		case OPT_TITLE:
			o.title = optarg;
			break;
		case OPT_TOP:
			o.ntop = (int)hark_opt_number(&common, "--top", optarg,
			    0, MR_TOPK_MAX);
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

	if ((status = hark_common_config(&common, &cfg)) != 0)
		exit(status);
	if (fmt != NULL && parse_format(fmt, &o.format) != 0)
		hark_usage_error(&common, "--format: '%s' is not table, "
		    "markdown, csv, ndjson or html", fmt);
	if (period != NULL && parse_period(period, &o.period) != 0)
		hark_usage_error(&common, "--period: '%s' is not day, week or "
		    "month", period);
	if ((sec = hark_config_find(&cfg, "mention-report", NULL)) != NULL) {
		if (fmt == NULL && (e = conf_entry(sec, "format")) != NULL &&
		    parse_format(e->value, &o.format) != 0)
			conf_die(&cfg, e, "not table, markdown, csv, ndjson or "
			    "html");
		if (period == NULL && (e = conf_entry(sec, "period")) !=
		    NULL && parse_period(e->value, &o.period) != 0)
			conf_die(&cfg, e, "not day, week or month");
		if (tz == NULL && (e = conf_entry(sec, "tz")) != NULL) {
			struct hark_tz *z = hark_tz_load(e->value, &err);

			if (z == NULL)
				conf_die(&cfg, e, err.msg);
			hark_tz_free(z);
			tz = e->value;
		}
		if (o.title == NULL)
			o.title = hark_config_get(sec, "title");
		if (nby == 0 && (e = conf_entry(sec, "by")) != NULL &&
		    add_by(&o, e->value, &err) != 0)
			conf_die(&cfg, e, err.msg);
	}
	for (i = 0; i < nby; i++)
		if (add_by(&o, by[i], &err) != 0)
			hark_usage_error(&common, "%s", err.msg);
	if (merge && o.partial)
		hark_usage_error(&common, "--merge and --partial: choose one "
		    "(a merge of partials is reported, not re-summarised)");
	if (merge && argc == 0)
		hark_usage_error(&common, "--merge needs partial files");
	if ((o.tz = hark_tz_load(tz != NULL ? tz : "UTC", &err)) == NULL)
		hark_usage_error(&common, "--tz: %s", err.msg);
	if (now != NULL) {
		if (hark_time_parse_any(now, &o.now, NULL) != 0) {
			char clean[80];

			hark_usage_error(&common, "--now: invalid time '%s'",
			    hark_sanitize(clean, sizeof(clean), now,
			    strlen(now)));
		}
	} else if (hark_now(&o.now, &err) != 0) {
		hark_die(HARK_EXIT_USAGE, "HARK_NOW: %s", err.msg);
	}
	mr_ctx_init(&x, &o);
	for (i = 0; i < HARK_ARRAY_SIZE(members); i++)
		hark_lazy_want(&lazy, members[i]);
	for (i = 0; i < (size_t)o.nby; i++) {
		char *top = hark_xstrndup(o.by[i], strcspn(o.by[i], "."));

		hark_lazy_want(&lazy, top);
		free(top);
	}

	if (!merge) {
		status = hark_filter_run(&common, argc, argv, &ops, &x, NULL);
	} else {
		struct hark_output out;

		for (i = 0; i < (size_t)argc; i++)
			if (mr_merge_file(&x, argv[i], &err) != 0) {
				hark_error("%s", err.msg);
				status = hark_exit_merge(status, err.code);
			}
		if (status == 0) {
			if (hark_output_open(&out, common.output, 1, &err) < 0)
				hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
			out.unbuffered = common.unbuffered;
			status = finish(&x, &out);
			if (hark_output_close(&out, 1, &err) < 0) {
				hark_error("%s", err.msg);
				status = hark_exit_merge(status,
				    HARK_EXIT_FAILURE);
			}
		}
	}
	mr_ctx_release(&x);
	hark_tz_free(o.tz);
	for (i = 0; i < (size_t)o.nby; i++) {
		free(o.by[i]);
		free(o.byname[i]);
	}
	free(by);
	hark_config_release(&cfg);
	hark_lazy_release(&lazy);
	return status;
}
