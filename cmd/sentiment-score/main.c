/*
 * sentiment-score - add a sentiment member (score in [-1, 1], label,
 * language) to each NDJSON mention record, from lexicons and rules.
 */
#include <math.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "config.h"
#include "io.h"
#include "filter.h"
#include "lang.h"
#include "sentiment.h"
#include "lazy.h"
#include "model.h"
#include "json.h"

#define LEXICON_MAX (64u << 20)

static const char synopsis[] =
"usage: sentiment-score [-hqv] [-c file] [-o file] [--default-lang lang]\n"
"                       [--explain] [--field path] [--lang lang]\n"
"                       [--lexicon file] [--model file] [--rating how]\n"
"                       [--threshold num] [file ...]";

static const char help[] =
"\n"
"Read mention records (NDJSON) and add \"sentiment\": {\"score\": S,\n"
"\"label\": \"negative|neutral|positive\", \"lang\": L} with S in [-1, 1],\n"
"scoring the text with the built-in English, Polish, Czech and Slovak\n"
"lexicons and rules (negation, intensifiers, contrast, capitals, !!!,\n"
"emoji, emoticons, customer-care complaints, sarcastic thanks).\n"
"\n"
"Options:\n"
"      --default-lang LANG  language when the record has none and detection\n"
"                           finds no evidence: en, pl, cs, sk (default en)\n"
"      --explain            add \"terms\": what contributed and how much\n"
"      --field PATH         score this dotted member instead of text\n"
"      --lang LANG          score every record as LANG, ignoring its lang\n"
"      --lexicon FILE       add or override entries (hark, VADER or AFINN\n"
"                           format); may be repeated\n"
"      --model FILE         take label and score from a model trained by\n"
"                           hark-train (hark-model(5))\n"
"      --rating HOW         a review's stars (rating 1-5): blend (default:\n"
"                           the negative side when text and stars disagree,\n"
"                           else their mean; the stars alone for a text\n"
"                           scored 0) or ignore\n"
"      --threshold NUM      score from which a text is positive or negative\n"
"                           (default 0.05; Czech and Slovak: 0.5 for\n"
"                           positive, 0.1 for negative)\n";

enum {
	OPT_DEFAULT_LANG = HARK_OPT_COMMAND_BASE,
	OPT_EXPLAIN,
	OPT_FIELD,
	OPT_LANG,
	OPT_LEXICON,
	OPT_MODEL,
	OPT_RATING,
	OPT_THRESHOLD
};

static const struct option longopts[] = {
	{ "default-lang", required_argument, NULL, OPT_DEFAULT_LANG },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "lexicon", required_argument, NULL, OPT_LEXICON },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "rating", required_argument, NULL, OPT_RATING },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct ctx {
	struct hark_sentiment *sent;
	struct hark_sentiment_result res;
	const char *field;
	enum hark_lang force;
	int explain;
	int rating;		/* blend a review's stars in (--rating) */
	int rated;		/* the last record's sentiment has "rating" */
	struct hark_lazy lazy;	/* the members to decode */
	/* the "sentiment" value, reused from record to record */
	json_t *obj, *score, *label, *lang;
	/* --model: the classifier and its "model" member */
	struct hark_classifier *model;
	json_t *jmodel;
};

static double
round4(double v)
{
	double r = round(v * 10000.0) / 10000.0;

	return r == 0 ? 0.0 : r;	/* no "-0.0" */
}

/*
 * --rating blend: a review's stars (the record's "rating", 1 to 5) beside
 * the text's score; the label follows the blended score with the
 * scorer's thresholds (a model's own labels other than the three are
 * kept).  "sentiment.rating" says the stars were used.
 */
static void
rate(struct ctx *c, const json_t *rec)
{
	const json_t *v = c->rating ? json_object_get(rec, "rating") : NULL;
	const char *label = json_string_value(c->label);
	double stars, score;

	if (!json_is_number(v) || !((stars = json_number_value(v)) >= 1 &&
	    stars <= 5)) {
		if (c->rated)	/* the reused object: not this record's */
			json_object_del(c->obj, "rating");
		c->rated = 0;
		return;
	}
	score = hark_sentiment_with_rating(c->model != NULL ?
	    hark_classifier_score(c->model) : c->res.score, stars);
	json_real_set(c->score, round4(score));
	if (strcmp(label, "negative") == 0 || strcmp(label, "neutral") == 0 ||
	    strcmp(label, "positive") == 0)
		json_string_set(c->label, hark_sentiment_label_name(
		    hark_sentiment_label_of(c->sent, c->res.lang, score)));
	json_object_set(c->obj, "rating", (json_t *)v);
	c->rated = 1;
}

static int
score_record(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct ctx *c = vctx;
	json_t *v = hark_json_path(r->rec, c->field), *obj, *terms;
	enum hark_lang lang = c->force;
	const char *text;
	size_t len, i;

	if (v == NULL || json_is_null(v)) {
		text = "";
		len = 0;
	} else if (!json_is_string(v)) {
		char *dump = hark_json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		char clean[64];

		hark_sanitize(clean, sizeof(clean), dump ? dump : "?",
		    dump ? strlen(dump) : 1);
		free(dump);
		hark_err_set(err, HARK_EXIT_DATA, "'%s' is not a string: %s",
		    c->field, clean);
		return HARK_REC_REJECT;
	} else {
		text = json_string_value(v);
		len = json_string_length(v);
	}
	if (lang == HARK_LANG_UNKNOWN) {
		const char *tag = hark_json_path_str(r->rec, "lang");

		if (tag != NULL)
			lang = hark_lang_from_code(tag, strlen(tag));
	}
	if (c->model != NULL) {
		/* its features; the part the model reads, whose tokens the
		 * feature extractor keeps: one tokenising pass for both */
		len = hark_classifier_begin(c->model, text, len);
		hark_sentiment_score_tokens(c->sent, text, len,
		    c->model->feats.tok, c->model->feats.ntok, lang,
		    HARK_SENT_EXPLAIN, &c->res);
	} else
		hark_sentiment_score(c->sent, text, len, lang,
		    c->explain ? HARK_SENT_EXPLAIN : 0, &c->res);
	json_real_set(c->score, round4(c->res.score));
	json_string_set(c->label, hark_sentiment_label_name(c->res.label));
	if (c->model != NULL) {
		json_string_set(c->label, hark_classifier_end(c->model, text,
		    len, lang, &c->res));
		json_real_set(c->score, round4(hark_classifier_score(
		    c->model)));
		if (c->explain)
			json_object_set_new(c->obj, "features",
			    hark_classifier_explain(c->model, 10));
	}
	json_string_set(c->lang, hark_lang_code(c->res.lang));
	rate(c, r->rec);
	obj = c->obj;
	if (c->explain) {
		terms = json_array();
		for (i = 0; i < c->res.nterms; i++) {
			const struct hark_sentiment_term *t = &c->res.terms[i];
			json_t *o = json_object();
			char how[256];

			json_object_set_new(o, "term", json_stringn(text +
			    t->off, t->len));
			json_object_set_new(o, "value",
			    json_real(round4(t->value)));
			if (t->how != 0)
				json_object_set_new(o, "how", json_string(
				    hark_sentiment_how_str(t->how, how,
				    sizeof(how))));
			json_array_append_new(terms, o);
		}
		json_object_set_new(obj, "terms", terms);
	}
	json_object_set(r->add, "sentiment", obj);
	return HARK_REC_EMIT;
}

/* "prog: FILE:LINE:COL: msg" and exit 2: a bad config file. */
static HARK_NORETURN void
config_die(const char *file, const struct hark_err *err)
{
	hark_error_at(file, err);	/* the suite's one config-error printer */
	exit(HARK_EXIT_USAGE);
}

/* A lexicon path from the config: relative to the config file. */
static char *
config_path(const char *cfgpath, const char *v)
{
	const char *slash;

	if (v[0] == '/' || cfgpath == NULL ||
	    (slash = strrchr(cfgpath, '/')) == NULL)
		return hark_xstrdup(v);
	return hark_xasprintf("%.*s/%s", (int)(slash - cfgpath), cfgpath, v);
}

/* 1 for "blend", 0 for "ignore", else -1. */
static int
rating_mode(const char *s)
{
	return strcmp(s, "blend") == 0 ? 1 : strcmp(s, "ignore") == 0 ? 0 : -1;
}

/*
 * The [sentiment] section of the config file: lexicon (repeatable),
 * default-lang, model, rating, threshold.  Options given on the command
 * line win.
 */
static void
read_config(const struct hark_common *com, char ***lex, size_t *nlex,
    enum hark_lang *deflang, double *threshold, char **model, int *rating)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_err err = HARK_ERR_INIT;
	const struct hark_config_section *sec;
	size_t i;
	int status;

	if ((status = hark_common_config(com, &cfg)) != 0)
		exit(status);
	sec = hark_config_find(&cfg, "sentiment", NULL);
	for (i = 0; sec != NULL && i < sec->nentries; i++) {
		const struct hark_config_entry *e = &sec->entries[i];
		const char *k = e->key, *v = e->value;
		char *end;
		double t;

		if (strcmp(k, "lexicon") == 0) {
			*lex = hark_xrealloc(*lex, (*nlex + 1) * sizeof(**lex));
			(*lex)[(*nlex)++] = config_path(cfg.path, v);
		} else if (strcmp(k, "default-lang") == 0 ||
		    strcmp(k, "default_lang") == 0) {
			if (*deflang != HARK_LANG_UNKNOWN)
				continue;
			if ((*deflang = hark_lang_from_code(v, strlen(v))) ==
			    HARK_LANG_UNKNOWN || strlen(v) > 3) {
				hark_err_setl(&err, HARK_EXIT_USAGE, e->line,
				    e->column, "[sentiment]: unsupported "
				    "language '%.20s'", v);
				config_die(cfg.path, &err);
			}
		} else if (strcmp(k, "rating") == 0) {
			if (*rating >= 0)
				continue;
			if ((*rating = rating_mode(v)) < 0) {
				hark_err_setl(&err, HARK_EXIT_USAGE, e->line,
				    e->column, "[sentiment]: rating '%.20s' is "
				    "not blend or ignore", v);
				config_die(cfg.path, &err);
			}
		} else if (strcmp(k, "model") == 0) {
			if (*model == NULL)
				*model = config_path(cfg.path, v);
		} else if (strcmp(k, "threshold") == 0) {
			errno = 0;
			t = strtod(v, &end);
			if (end == v || *end != '\0' || errno != 0 ||
			    !(t >= 0 && t < 1)) {
				hark_err_setl(&err, HARK_EXIT_USAGE, e->line,
				    e->column, "[sentiment]: threshold '%.20s' "
				    "is not a number from 0 to below 1", v);
				config_die(cfg.path, &err);
			}
			if (*threshold < 0)
				*threshold = t;
		} else {
			hark_err_setl(&err, HARK_EXIT_USAGE, e->line, 1,
			    "[sentiment]: unknown key '%.100s'", k);
			config_die(cfg.path, &err);
		}
	}
	hark_config_release(&cfg);
}

static enum hark_lang
lang_arg(const struct hark_common *com, const char *opt, const char *arg)
{
	enum hark_lang l = hark_lang_from_code(arg, strlen(arg));

	if (l == HARK_LANG_UNKNOWN || strlen(arg) > 3)
		hark_usage_error(com, "%s: unsupported language '%s' (use en, "
		    "pl, cs or sk)", opt, arg);
	return l;
}

static double
threshold_arg(const struct hark_common *com, const char *arg)
{
	char *end;
	double t;

	errno = 0;
	t = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !(t >= 0 && t < 1))
		hark_usage_error(com, "--threshold: '%s' is not a number from "
		    "0 to below 1", arg);
	return t;
}

int
main(int argc, char **argv)
{
	struct hark_common com;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_filter_ops ops;
	struct ctx c;
	const char **lexicons;
	char **cfglex = NULL;
	size_t nlex = 0, ncfglex = 0, i;
	enum hark_lang deflang = HARK_LANG_UNKNOWN;
	double threshold = -1;
	char *model = NULL;
	int opt, status, rating = -1;

	hark_json_fast_alloc();	/* single-threaded */
	hark_init(&com, "sentiment-score", synopsis, help);
	memset(&c, 0, sizeof(c));
	c.field = "text";
	lexicons = hark_xcalloc((size_t)argc + 1, sizeof(*lexicons));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case OPT_DEFAULT_LANG:
			deflang = lang_arg(&com, "--default-lang", optarg);
			break;
		case OPT_EXPLAIN:
			c.explain = 1;
			break;
		case OPT_FIELD:
			if (optarg[0] == '\0')
				hark_usage_error(&com, "--field: empty path");
			c.field = optarg[0] == '.' && optarg[1] != '\0' ?
			    optarg + 1 : optarg;
			break;
		case OPT_LANG:
			c.force = lang_arg(&com, "--lang", optarg);
			break;
		case OPT_LEXICON:
			lexicons[nlex++] = optarg;
			break;
		case OPT_MODEL:
			free(model);
			model = hark_xstrdup(optarg);
			break;
		case OPT_RATING:
			if ((rating = rating_mode(optarg)) < 0)
				hark_usage_error(&com, "--rating: '%s' is not "
				    "blend or ignore", optarg);
			break;
		case OPT_THRESHOLD:
			threshold = threshold_arg(&com, optarg);
			break;
		case '?':
		case ':':
			hark_bad_option(&com, opt, argv);
		default:
			if (!hark_common_option(&com, opt, optarg))
				hark_bad_option(&com, opt, argv);
			break;
		}
	}
	argc -= optind;
	argv += optind;

	/* the config's lexicons first, so the command line's win */
	read_config(&com, &cfglex, &ncfglex, &deflang, &threshold, &model,
	    &rating);
	c.rating = rating != 0;
	if (model != NULL) {
		c.model = hark_xcalloc(1, sizeof(*c.model));
		if (hark_classifier_load(c.model, model, c.explain, &err) < 0)
			hark_die(HARK_EXIT_USAGE, "%s", err.msg);
		c.jmodel = json_pack("{s:s, s:s}", "name", c.model->m->name,
		    "version", c.model->m->version);
		free(model);
	}
	if ((c.sent = hark_sentiment_new(&err)) == NULL)
		hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
	for (i = 0; i < ncfglex + nlex; i++) {
		const char *path = i < ncfglex ? cfglex[i] :
		    lexicons[i - ncfglex];
		size_t len;
		char *data = hark_read_file(path, LEXICON_MAX, &len, &err);

		if (data == NULL)
			hark_die(HARK_EXIT_USAGE, "%s", err.msg);
		if (hark_sentiment_add_lexicon(c.sent, path, data, len,
		    HARK_LEX_AUTO, HARK_LANG_UNKNOWN, &err) < 0) {
			char clean[HARK_ERR_MSG_MAX];

			hark_sanitize(clean, sizeof(clean), err.msg,
			    strlen(err.msg));
			free(data);	/* no leak report on this path */
			hark_die(HARK_EXIT_USAGE, "%s", clean);
		}
		free(data);
	}
	for (i = 0; i < ncfglex; i++)
		free(cfglex[i]);
	free(cfglex);
	free(lexicons);
	if (deflang != HARK_LANG_UNKNOWN)
		hark_sentiment_set_default_lang(c.sent, deflang);
	if (threshold >= 0)
		hark_sentiment_set_threshold(c.sent, threshold);

	{
		char *top = hark_xstrdup(c.field), *dot = strchr(top, '.');

		if (dot != NULL)
			*dot = '\0';
		hark_lazy_want(&c.lazy, top);
		hark_lazy_want(&c.lazy, "lang");
		if (c.rating)
			hark_lazy_want(&c.lazy, "rating");
		free(top);
	}
	c.obj = json_object();
	c.score = json_real(0);
	c.label = json_string("neutral");
	c.lang = json_string("en");
	json_object_set(c.obj, "score", c.score);
	json_object_set(c.obj, "label", c.label);
	json_object_set(c.obj, "lang", c.lang);
	if (c.jmodel != NULL)
		json_object_set(c.obj, "model", c.jmodel);
	memset(&ops, 0, sizeof(ops));
	ops.record = score_record;
	ops.lazy = &c.lazy;
	ops.dump_flags = JSON_COMPACT | JSON_REAL_PRECISION(6);
	status = hark_filter_run(&com, argc, argv, &ops, &c, NULL);
	hark_sentiment_result_release(&c.res);
	hark_sentiment_free(c.sent);
	hark_lazy_release(&c.lazy);
	json_decref(c.score);
	json_decref(c.label);
	json_decref(c.lang);
	json_decref(c.obj);
	if (c.model != NULL) {
		hark_classifier_release(c.model);
		free(c.model);
		json_decref(c.jmodel);
	}
	return status;
}
