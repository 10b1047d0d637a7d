/*
 * hark-train - learn a sentiment or category model (hark-model(5)) from
 * labelled NDJSON records or CSV exports, and measure it by
 * cross-validation or a test file.
 */
#include <math.h>
#include <unistd.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "io.h"
#include "filter.h"
#include "lang.h"
#include "lazy.h"
#include "sentiment.h"
#include "model.h"
#include "ht.h"
#include "json.h"

static const char synopsis[] =
"usage: hark-train [-hqv] [-o file] [--algorithm name] [--bits n] [--csv]\n"
"                  [--cv k] [--epochs n] [--features list] [--field path]\n"
"                  [--l2 num] [--label path] [--map spec] [--name name]\n"
"                  [--nb num] [--no-balance] [--rate num] [--test file]\n"
"                  [file ...]";

static const char help[] =
"\n"
"Read labelled records (NDJSON, or CSV with a header row) and write a\n"
"model file (hark-model(5)) for sentiment-score and ticket-route: a\n"
"linear classifier over hashed words, word pairs, character n-grams,\n"
"negation, emoji, shape and the built-in lexicon's verdict.  Records\n"
"without a label are skipped and counted.\n"
"\n"
"Options:\n"
"      --algorithm NAME  logreg (default) or perceptron\n"
"      --bits N          2^N hashed feature slots, 10 to 24 (default 20)\n"
"      --csv             read the input as CSV (also: files named .csv,\n"
"                        .csv.gz); --field and --label name columns\n"
"      --cv K            K-fold cross-validation report on stdout\n"
"      --epochs N        passes over the data (default 10)\n"
"      --features LIST   feature kinds (default all): words, bigrams,\n"
"                        chars, negation, emoji, shape, lexicon, lang;\n"
"                        -KIND removes one\n"
"      --field PATH      the text member (default text)\n"
"      --l2 NUM          L2 penalty of logreg (default 1e-5)\n"
"      --label PATH      the label member (default label)\n"
"      --map SPEC        CSV: a helpdesk export's columns as sla-report\n"
"                        reads them (role=column,...); one example per\n"
"                        ticket: its first customer message, its label\n"
"      --name NAME       the model's name (default: the output's base\n"
"                        name)\n"
"      --nb NUM          weight of the naive-Bayes log-likelihoods\n"
"                        added to logreg's, 0 for none (default 0.4)\n"
"      --no-balance      do not weigh rare labels up (logreg)\n"
"      --rate NUM        AdaGrad step of logreg (default 0.1)\n"
"      --test FILE       score the labelled FILE, report on stdout\n";

enum {
	OPT_ALGORITHM = HARK_OPT_COMMAND_BASE,
	OPT_BITS,
	OPT_CSV,
	OPT_CV,
	OPT_EPOCHS,
	OPT_FEATURES,
	OPT_FIELD,
	OPT_L2,
	OPT_LABEL,
	OPT_MAP,
	OPT_NAME,
	OPT_NB,
	OPT_NO_BALANCE,
	OPT_RATE,
	OPT_TEST
};

static const struct option longopts[] = {
	{ "algorithm", required_argument, NULL, OPT_ALGORITHM },
	{ "bits", required_argument, NULL, OPT_BITS },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "cv", required_argument, NULL, OPT_CV },
	{ "epochs", required_argument, NULL, OPT_EPOCHS },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "l2", required_argument, NULL, OPT_L2 },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "nb", required_argument, NULL, OPT_NB },
	{ "no-balance", no_argument, NULL, OPT_NO_BALANCE },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "test", required_argument, NULL, OPT_TEST },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct ctx {
	struct hark_train_opts to;
	const char *field, *label;
	const char *test;		/* --test FILE's display name */
	long cv;
	struct hark_sentiment *sent;
	struct hark_sentiment_result res;
	struct hark_feats feats;
	struct hark_trainset train, tests;
	long unlabelled, test_unlabelled;
	struct hark_lazy lazy;
	int model_out;			/* write the model to the output */
	const char *output;		/* -o FILE, written only on success */
};

static void
want_top(struct hark_lazy *lz, const char *path)
{
	char *top = hark_xstrdup(path), *dot = strchr(top, '.');

	if (dot != NULL)
		*dot = '\0';
	hark_lazy_want(lz, top);
	free(top);
}

/* The label at PATH as a string into BUF, or NULL (unlabelled). */
static const char *
label_of(json_t *rec, const char *path, char *buf, size_t bufsz,
    struct hark_err *err)
{
	json_t *v = hark_json_path(rec, path);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_length(v) == 0 ? NULL : json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, bufsz, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	hark_err_set(err, HARK_EXIT_DATA, "'%s' is not a string, integer or "
	    "boolean", path);
	return "";
}

static int
on_record(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct ctx *c = vctx;
	json_t *v = hark_json_path(r->rec, c->field);
	const char *text, *label, *tag;
	char buf[32];
	size_t len;
	enum hark_lang lang = HARK_LANG_UNKNOWN;
	int test = c->test != NULL && strcmp(r->file, c->test) == 0;

	if (v == NULL || json_is_null(v)) {
		text = "";
		len = 0;
	} else if (!json_is_string(v)) {
		return hark_err_set(err, HARK_EXIT_DATA, "'%s' is not a "
		    "string", c->field), HARK_REC_REJECT;
	} else {
		text = json_string_value(v);
		len = json_string_length(v);
	}
	label = label_of(r->rec, c->label, buf, sizeof(buf), err);
	if (label != NULL && *label == '\0')
		return HARK_REC_REJECT;
	if (label == NULL) {
		if (test)
			c->test_unlabelled++;
		else
			c->unlabelled++;
		return HARK_REC_CONSUMED;
	}
	len = hark_feats_prefix(text, len);	/* what the model reads */
	if ((tag = hark_json_path_str(r->rec, "lang")) != NULL)
		lang = hark_lang_from_code(tag, strlen(tag));
	if (c->to.fo.flags & HARK_FEAT_LEXICON) {
		hark_sentiment_score(c->sent, text, len, lang,
		    HARK_SENT_EXPLAIN, &c->res);
		if (lang == HARK_LANG_UNKNOWN)
			lang = c->res.lang;
	} else if (lang == HARK_LANG_UNKNOWN &&
	    (c->to.fo.flags & HARK_FEAT_LANG))
		lang = hark_lang_detect(text, len, NULL);
	hark_feats_extract(&c->to.fo, text, len, lang, c->sent ? &c->res :
	    NULL, &c->feats);
	if (hark_trainset_add(test ? &c->tests : &c->train, label, &c->feats,
	    err) < 0)
		return HARK_REC_REJECT;
	return HARK_REC_CONSUMED;
}

/* Precision, recall, F1 per label and the confusion matrix, on stdout. */
static void
report(const char *title, char **labels, size_t k, const size_t *conf,
    size_t n)
{
	size_t i, j, ok = 0, w = 8;
	double mp = 0, mr = 0, mf = 0;

	for (i = 0; i < k; i++)
		if (strlen(labels[i]) > w)
			w = strlen(labels[i]) > 30 ? 30 : strlen(labels[i]);
	printf("%s: %zu records, %zu labels\n", title, n, k);
	printf("%-*s %9s %7s %7s %8s\n", (int)w, "label", "precision",
	    "recall", "f1", "support");
	for (i = 0; i < k; i++) {
		size_t tp = conf[i * k + i], gold = 0, pred = 0;
		double p, r, f;

		for (j = 0; j < k; j++) {
			gold += conf[i * k + j];
			pred += conf[j * k + i];
		}
		ok += tp;
		p = pred ? (double)tp / (double)pred : 0;
		r = gold ? (double)tp / (double)gold : 0;
		f = p + r > 0 ? 2 * p * r / (p + r) : 0;
		mp += p;
		mr += r;
		mf += f;
		printf("%-*.30s %9.3f %7.3f %7.3f %8zu\n", (int)w, labels[i],
		    p, r, f, gold);
	}
	printf("%-*s %9.3f %7.3f %7.3f %8zu\n", (int)w, "macro", mp / (double)k,
	    mr / (double)k, mf / (double)k, n);
	printf("accuracy %.3f\n", n ? (double)ok / (double)n : 0.0);
	printf("confusion (rows: true label, columns: predicted)\n");
	printf("%-*s", (int)w, "");
	for (j = 0; j < k; j++)
		printf(" %8.8s", labels[j]);
	printf("\n");
	for (i = 0; i < k; i++) {
		printf("%-*.30s", (int)w, labels[i]);
		for (j = 0; j < k; j++)
			printf(" %8zu", conf[i * k + j]);
		printf("\n");
	}
}

/* Score examples SUB[0..N) of TS (its labels mapped by name to M's). */
static void
score_into(const struct hark_model *m, const struct hark_trainset *ts,
    const size_t *sub, size_t n, size_t *conf, size_t k,
    const long *map)
{
	struct hark_feats f;
	size_t i;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < n; i++) {
		size_t e = sub ? sub[i] : i, p;
		long g = map[ts->label[e]];

		f.idx = ts->idx + ts->start[e];
		f.val = ts->val + ts->start[e];
		f.n = ts->start[e + 1] - ts->start[e];
		p = hark_model_predict(m, &f, NULL);
		if (g >= 0)
			conf[(size_t)g * k + p]++;
	}
}

static int
cross_validate(struct ctx *c)
{
	struct hark_trainset *ts = &c->train;
	size_t k = ts->nlabels, fold, i, ntr, nte;
	size_t *conf = hark_xcalloc(k * k, sizeof(*conf));
	size_t *tr = hark_xmalloc(ts->n * sizeof(*tr));
	size_t *te = hark_xmalloc(ts->n * sizeof(*te));
	long *map = hark_xmalloc(k * sizeof(*map));
	struct hark_buf bytes;
	struct hark_err err = HARK_ERR_INIT;
	char title[64];
	int status = 0;

	hark_buf_init(&bytes, HARK_MODEL_SIZE_MAX + 4096);
	for (i = 0; i < k; i++)
		map[i] = (long)i;
	for (fold = 0; fold < (size_t)c->cv; fold++) {
		struct hark_model *m;

		ntr = nte = 0;
		for (i = 0; i < ts->n; i++) {	/* record i is in fold i % K */
			if (i % (size_t)c->cv == fold)
				te[nte++] = i;
			else
				tr[ntr++] = i;
		}
		if (hark_model_train(ts, tr, ntr, &c->to, &bytes, &err) < 0) {
			hark_error("%s", err.msg);
			status = err.code ? err.code : HARK_EXIT_DATA;
			goto out;
		}
		/* what it just wrote: a failure here is a bug, not a usage
		 * error (the code hark_model_parse() gives a bad file) */
		if ((m = hark_model_parse(bytes.ptr, bytes.len, &err)) ==
		    NULL) {
			hark_error("fold %zu: the model trained does not parse: "
			    "%s", fold + 1, err.msg);
			status = HARK_EXIT_FAILURE;
			goto out;
		}
		score_into(m, ts, te, nte, conf, k, map);
		hark_model_free(m);
	}
	snprintf(title, sizeof(title), "%ld-fold cross-validation", c->cv);
	report(title, ts->labels, k, conf, ts->n);
out:
	hark_buf_release(&bytes);
	free(map);
	free(conf);
	free(tr);
	free(te);
	return status;
}

static int
finish(void *vctx, struct hark_output *out)
{
	struct ctx *c = vctx;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_buf bytes;
	struct hark_model *m = NULL;
	int status = 0;

	if (c->unlabelled > 0 || c->test_unlabelled > 0)
		hark_warn("%ld records without a label skipped",
		    c->unlabelled + c->test_unlabelled);
	if (c->cv > 0) {
		if (c->train.n < (size_t)c->cv) {
			hark_error("--cv %ld: only %zu labelled records", c->cv,
			    c->train.n);
			return HARK_EXIT_DATA;
		}
		if ((status = cross_validate(c)) != 0)
			return status;
	}
	if (!c->model_out && c->test == NULL)
		return status;
	hark_buf_init(&bytes, HARK_MODEL_SIZE_MAX + 4096);
	if (hark_model_train(&c->train, NULL, 0, &c->to, &bytes, &err) < 0) {
		hark_error("%s", err.msg);
		hark_buf_release(&bytes);
		return err.code ? err.code : HARK_EXIT_DATA;
	}
	if (c->model_out && c->output == NULL)
		hark_output_write(out, bytes.ptr, bytes.len);
	else if (c->model_out) {
		struct hark_output mo;

		/* a failed write is remembered and reported by close */
		if (hark_output_open(&mo, c->output, 1, &err) < 0 ||
		    (hark_output_write(&mo, bytes.ptr, bytes.len),
		    hark_output_close(&mo, 1, &err)) < 0) {
			hark_error("%s", err.msg);
			status = HARK_EXIT_FAILURE;
		}
	}
	if (c->test != NULL) {
		size_t k, i, *conf;
		long *map;

		if ((m = hark_model_parse(bytes.ptr, bytes.len, &err)) ==
		    NULL) {
			hark_error("%s", err.msg);
			hark_buf_release(&bytes);
			return HARK_EXIT_FAILURE;
		}
		k = m->nlabels;
		conf = hark_xcalloc(k * k, sizeof(*conf));
		map = hark_xmalloc((c->tests.nlabels + 1) * sizeof(*map));
		for (i = 0; i < c->tests.nlabels; i++)
			if ((map[i] = hark_model_label(m, c->tests.labels[i])) <
			    0)
				hark_warn("%s: label '%s' is not in the "
				    "training data; its records are not "
				    "scored", c->test, c->tests.labels[i]);
		score_into(m, &c->tests, NULL, c->tests.n, conf, k, map);
		{
			size_t n = 0;

			for (i = 0; i < k * k; i++)
				n += conf[i];
			report("test", m->labels, k, conf, n);
		}
		free(conf);
		free(map);
		hark_model_free(m);
	}
	hark_buf_release(&bytes);
	return status;
}

static int
valid_utf8(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

static double
real_arg(const struct hark_common *com, const char *opt, const char *arg,
    double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !(v >= min &&
	    v <= max))
		hark_usage_error(com, "%s: '%s' is not a number from %g to %g",
		    opt, arg, min, max);
	return v;
}

static char *
default_name(const char *out)
{
	const char *b = out ? strrchr(out, '/') : NULL;
	char *s, *dot;

	if (out == NULL || strcmp(out, "-") == 0)
		return hark_xstrdup("model");
	s = hark_xstrdup(b ? b + 1 : out);
	if ((dot = strrchr(s, '.')) != NULL && dot != s)
		*dot = '\0';
	if (strlen(s) > HARK_MODEL_NAME_MAX || !valid_utf8(s)) {
		free(s);	/* a file name is not always usable as a name */
		return hark_xstrdup("model");
	}
	return s;
}

int
main(int argc, char **argv)
{
	struct hark_common com;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_filter_ops ops;
	struct ctx c;
	char **av, *name = NULL;
	const char *testpath = NULL, *map = NULL;
	int opt, status, i, ac, csv = 0, ncsv = 0;
	struct hark_train_opts defaults = HARK_TRAIN_OPTS_INIT;

	hark_json_fast_alloc();	/* single-threaded */
	hark_init(&com, "hark-train", synopsis, help);
	memset(&c, 0, sizeof(c));
	c.to = defaults;
	c.field = "text";
	c.label = "label";
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case OPT_ALGORITHM:
			if (strcmp(optarg, "logreg") == 0)
				c.to.algo = HARK_MODEL_LOGREG;
			else if (strcmp(optarg, "perceptron") == 0)
				c.to.algo = HARK_MODEL_PERCEPTRON;
			else
				hark_usage_error(&com, "--algorithm: '%s' is "
				    "not logreg or perceptron", optarg);
			break;
		case OPT_BITS:
			c.to.fo.bits = (unsigned)hark_opt_number(&com,
			    "--bits", optarg, HARK_FEAT_BITS_MIN,
			    HARK_FEAT_BITS_MAX);
			break;
		case OPT_CSV:
			csv = 1;
			break;
		case OPT_MAP:
			if (ht_csv_check_map(optarg, &err) < 0)
				hark_usage_error(&com, "%s", err.msg);
			map = optarg;
			csv = 1;
			break;
		case OPT_CV:
			c.cv = (long)hark_opt_number(&com, "--cv", optarg, 2,
			    100);
			break;
		case OPT_EPOCHS:
			c.to.epochs = (unsigned)hark_opt_number(&com,
			    "--epochs", optarg, 1, 1000);
			break;
		case OPT_FEATURES:
			c.to.fo.flags = 0;
			if (hark_feat_flags_parse(optarg, &c.to.fo.flags,
			    &err) < 0)
				hark_usage_error(&com, "--features: %s",
				    err.msg);
			if (c.to.fo.flags == 0)
				hark_usage_error(&com, "--features: no "
				    "feature kind left");
			break;
		case OPT_FIELD:
		case OPT_LABEL:
			if (optarg[0] == '\0')
				hark_usage_error(&com, "%s: empty path",
				    opt == OPT_FIELD ? "--field" : "--label");
			if (optarg[0] == '.' && optarg[1] != '\0')
				optarg++;
			if (opt == OPT_FIELD)
				c.field = optarg;
			else
				c.label = optarg;
			break;
		case OPT_NAME:
			if (strlen(optarg) > HARK_MODEL_NAME_MAX)
				hark_usage_error(&com, "--name: longer than %d "
				    "bytes", HARK_MODEL_NAME_MAX);
			if (!valid_utf8(optarg))
				hark_usage_error(&com, "--name: not UTF-8");
			free(name);
			name = hark_xstrdup(optarg);
			break;
		case OPT_TEST:
			testpath = optarg;
			break;
		case OPT_L2:
			c.to.l2 = real_arg(&com, "--l2", optarg, 0, 1);
			break;
		case OPT_RATE:
			c.to.rate = real_arg(&com, "--rate", optarg, 1e-6, 100);
			break;
		case OPT_NB:
			c.to.nb = real_arg(&com, "--nb", optarg, 0, 10);
			break;
		case OPT_NO_BALANCE:
			c.to.balance = 0;
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

	/* the model goes to -o FILE, or to stdout when no report does */
	c.model_out = com.output != NULL || (c.cv == 0 && testpath == NULL);
	if (com.output == NULL && c.model_out && isatty(STDOUT_FILENO))
		hark_usage_error(&com, "not writing a binary model to a "
		    "terminal: use -o FILE");
	if (testpath != NULL && strcmp(testpath, "-") == 0 && argc == 0)
		hark_usage_error(&com, "--test -: the training records need "
		    "a file operand");
	if (name == NULL)
		name = default_name(com.output);
	c.to.name = name;
	if ((c.to.fo.flags & HARK_FEAT_LEXICON) &&
	    (c.sent = hark_sentiment_new(&err)) == NULL)
		hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
	hark_feats_init(&c.feats, 0);
	want_top(&c.lazy, c.field);
	want_top(&c.lazy, c.label);
	hark_lazy_want(&c.lazy, "lang");
	/* the test file is read last, as one more operand */
	ac = argc == 0 ? 1 : argc;
	av = hark_xcalloc((size_t)ac + 2, sizeof(*av));
	for (i = 0; i < argc; i++)
		av[i] = argv[i];
	if (argc == 0)
		av[0] = (char *)"-";
	if (testpath != NULL) {
		av[ac++] = (char *)testpath;
		c.test = strcmp(testpath, "-") == 0 ? "<stdin>" : testpath;
	}
	/* the model file is written by finish(), only when training worked
	 * (an old model stays in place otherwise); stdout has the reports */
	if (com.output != NULL && strcmp(com.output, "-") != 0) {
		c.output = com.output;
		com.output = NULL;
	}
	/* CSV: --csv, --map, or every file named .csv (no mixing) */
	for (i = 0; i < ac; i++)
		ncsv += ht_is_csv(av[i]);
	if (!csv && ncsv > 0 && ncsv < ac)
		hark_usage_error(&com, "CSV and NDJSON files in one run: "
		    "convert one or give --csv");
	if (csv || ncsv > 0) {
		struct ht_csv o;
		struct hark_output out;

		memset(&o, 0, sizeof(o));
		o.field = c.field;	/* columns (or roles of the map) */
		o.label = c.label;
		o.map = map;
		o.record = on_record;
		o.ctx = &c;
		c.field = "text";	/* the records made of the rows */
		c.label = "label";
		status = ht_csv_run(&com, &o, ac, av);
		if (hark_output_open(&out, com.output, 1, &err) < 0)
			hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
		/* no model after a bad header, or a bad row under --strict */
		if (status != HARK_EXIT_USAGE && !(com.strict && status != 0))
			status = hark_exit_merge(status, finish(&c, &out));
		if (hark_output_close(&out, 1, &err) < 0) {
			hark_error("%s", err.msg);
			status = hark_exit_merge(status, HARK_EXIT_FAILURE);
		}
	} else {
		memset(&ops, 0, sizeof(ops));
		ops.record = on_record;
		ops.finish = finish;
		ops.lazy = &c.lazy;
		status = hark_filter_run(&com, ac, av, &ops, &c, NULL);
	}
	free(av);
	free(name);
	hark_feats_release(&c.feats);
	hark_trainset_release(&c.train);
	hark_trainset_release(&c.tests);
	hark_sentiment_result_release(&c.res);
	hark_sentiment_free(c.sent);
	hark_lazy_release(&c.lazy);
	return status;
}
