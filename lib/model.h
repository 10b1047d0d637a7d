/*
 * model.h - linear text classifiers over hashed features (modelfeat.h):
 * training, the model file, and prediction.
 *
 * A model holds, for each of its labels (2 to HARK_MODEL_LABELS_MAX), a
 * bias and a weight per feature slot; a text's class is the label with
 * the highest score, its probabilities the softmax of the scores.  Two
 * learners: multinomial logistic regression trained by stochastic
 * gradient descent with AdaGrad step sizes (the default) and the averaged
 * perceptron.  Training is deterministic: records are visited in an order
 * drawn from a fixed seed, so the same records give the same bytes.
 *
 * The file (hark-model(5)), all integers little-endian:
 *   "HARKMODL"  magic, 8 bytes
 *   u32 format version (1), u32 algorithm, u32 feature kinds,
 *   u32 hash bits, u32 char n-gram min, u32 char n-gram max,
 *   u32 number of labels K, u32 number of weight rows R,
 *   f32 weight scale, u32 name length, the name (UTF-8),
 *   K times: u32 length, the label (UTF-8),
 *   K f32 biases,
 *   R times: u32 slot (strictly increasing, < 2^bits), K i16 weights,
 *   u32 CRC-32 (zlib's) of every byte before it.
 * Slots without a row weigh 0.  Weights are stored as 16-bit integers
 * times the scale.  The model's version is the CRC as 8 hex digits.
 *
 * Nothing here prints or exits (allocation failure aside, err.h).
 */
#ifndef HARK_MODEL_H
#define HARK_MODEL_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "buf.h"
#include "modelfeat.h"

#define HARK_MODEL_FORMAT 1
#define HARK_MODEL_LABELS_MAX 1024
#define HARK_MODEL_LABEL_LEN_MAX 256
#define HARK_MODEL_NAME_MAX 256
#define HARK_MODEL_SIZE_MAX ((size_t)16 << 20)	/* bytes, hark-train's cap */

enum hark_model_algo {
	HARK_MODEL_LOGREG = 1,
	HARK_MODEL_PERCEPTRON = 2
};

struct hark_model {
	char *name;			/* owned */
	char version[9];		/* CRC-32 in hex */
	enum hark_model_algo algo;
	struct hark_feat_opts fo;	/* the features it was trained on */
	size_t nlabels;
	char **labels;			/* owned */
	float *bias;			/* [nlabels] */
	float scale;
	uint32_t nrows;
	/* which slots have a row, 64 a word, and the rows before each word
	 * (rows are in slot order): row = rank + popcount of the bits
	 * below; 1/16 of the bytes of a table of rows by slot, so the
	 * look-up of every feature stays in the cache */
	struct hark_model_rows {
		uint64_t bits;
		uint32_t rank;
	} *rows;			/* [2^bits / 64], at least 1 */
	int16_t *w;			/* [nrows * nlabels] */
	float *wf;			/* the same times the scale, rows of
					 * WSTRIDE floats (zero padded) */
	size_t wstride;			/* nlabels rounded up to 4 */
	size_t size;			/* bytes of the file */
};

/*
 * Parse the model file DATA[0..LEN) (borrowed).  Returns a new model
 * (free with hark_model_free) or NULL with ERR (code 2) saying what is
 * wrong: not a model file, unsupported version, truncated, bad checksum,
 * inconsistent header.  Never reads outside DATA.
 */
struct hark_model *hark_model_parse(const void *data, size_t len,
    struct hark_err *err);
/* Read PATH and parse it; the message names the file. */
struct hark_model *hark_model_load(const char *path, struct hark_err *err);
void hark_model_free(struct hark_model *m);

/*
 * Classify the features F (extracted with m->fo).  P (may be NULL) gets
 * the probability of each label (m->nlabels values).  Returns the index of
 * the best label (the first one on a tie).  When F has groups
 * (hark_feats_group()) of dimension m->wstride, the vectors of their
 * cache entries are filled with M's weights, so such an F serves one
 * model (groups of another dimension are summed each time).
 */
size_t hark_model_predict(const struct hark_model *m, struct hark_feats *f,
    double *p);

/* The label index named S, or -1. */
long hark_model_label(const struct hark_model *m, const char *s);

/* What a feature weighed for one label (--explain). */
struct hark_model_contrib {
	size_t feat;		/* index into the hark_feats entries */
	double value;		/* weight times feature value */
};
/*
 * The at most N features of F (extracted with names) that weighed most,
 * by absolute value, for label C, into OUT, largest first (ties: lower
 * slot first).  Returns how many.  Each feature name is counted once
 * (repeats summed).
 */
size_t hark_model_explain(const struct hark_model *m,
    const struct hark_feats *f, size_t c, struct hark_model_contrib *out,
    size_t n);

/*
 * A loaded model ready to classify texts: what sentiment-score --model and
 * ticket-route --model use.  It computes the features the model was
 * trained with, running the lexicon scorer itself when the model uses
 * lexicon features and the caller has no result for the text.
 */
struct hark_classifier {
	struct hark_model *m;		/* owned */
	struct hark_feats feats;
	struct hark_sentiment *sent;	/* owned, NULL until needed */
	struct hark_sentiment_result res;
	double *p;			/* [m->nlabels]: the last text's */
	size_t best;			/* the last text's label */
	long pos, neg;			/* "positive", "negative" or -1 */
};

/* Load the model at PATH into C; WANT_NAMES for hark_classifier_explain.
 * Returns 0, or -1 with ERR (code 2) naming the file. */
int hark_classifier_load(struct hark_classifier *c, const char *path,
    int want_names, struct hark_err *err);
void hark_classifier_release(struct hark_classifier *c);
/*
 * Classify TEXT[0..LEN) of language LANG (HARK_LANG_UNKNOWN: detected).
 * LEX is the lexicon result for the text when the caller has one
 * (scored with HARK_SENT_EXPLAIN), else NULL.  Sets c->best and c->p and
 * returns the label (borrowed from the model).
 */
const char *hark_classifier_run(struct hark_classifier *c, const char *text,
    size_t len, enum hark_lang lang, const struct hark_sentiment_result *lex);
/*
 * hark_classifier_run() in two steps for a caller that scores the text
 * with the lexicon itself: hark_classifier_begin() reads TEXT[0..LEN)
 * once for the features and returns the length of the prefix the model
 * reads (hark_feats_prefix()); the caller scores TEXT[0..prefix) and
 * passes it, its result LEX (or NULL) and LANG to hark_classifier_end(),
 * which returns what hark_classifier_run() on the prefix would.  With LEX
 * NULL, LEN must be that prefix: a model with lexicon features has it
 * scored from the tokens hark_classifier_begin() kept.
 */
size_t hark_classifier_begin(struct hark_classifier *c, const char *text,
    size_t len);
const char *hark_classifier_end(struct hark_classifier *c, const char *text,
    size_t len, enum hark_lang lang, const struct hark_sentiment_result *lex);
/* The last text's sentiment score in [-1, 1]: P(positive) - P(negative)
 * when the model has those labels, else 0. */
double hark_classifier_score(const struct hark_classifier *c);
/* A new JSON array of the N features that weighed most for the last
 * text's label: [{"feature": "w:late", "weight": 0.1234}, ...]. */
json_t *hark_classifier_explain(struct hark_classifier *c, size_t n);

/*
 * Training.  A training set is a list of (label, features) examples;
 * labels are interned in order of first appearance.
 */
struct hark_trainset {
	size_t n, cap;			/* examples */
	uint32_t *label;		/* [n] label index */
	size_t *start;			/* [n + 1] into idx/val */
	uint32_t *idx;
	float *val;
	size_t nfeat, capfeat;
	char **labels;			/* owned, [nlabels] */
	size_t nlabels;
};
#define HARK_TRAINSET_INIT { 0, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, 0 }

/* Add one example.  Returns 0, or -1 with ERR when the label set would
 * exceed HARK_MODEL_LABELS_MAX or the label is too long. */
int hark_trainset_add(struct hark_trainset *ts, const char *label,
    const struct hark_feats *f, struct hark_err *err);
void hark_trainset_release(struct hark_trainset *ts);

struct hark_train_opts {
	struct hark_feat_opts fo;
	enum hark_model_algo algo;
	unsigned epochs;	/* passes over the data */
	double rate;		/* AdaGrad base step (logistic regression) */
	double l2;		/* L2 penalty per update (logistic regression) */
	int balance;		/* weigh classes by inverse frequency */
	double nb;		/* weight of the naive-Bayes log-likelihoods
				 * added to logistic regression's; 0: none */
	uint32_t seed;		/* of the visiting order */
	const char *name;	/* stored in the file */
};
#define HARK_TRAIN_NB_DEFAULT 0.4
/* the most memory, in GiB, training's tables (three floats per slot and
 * label) may take (and at most half the address space): more labels
 * need fewer --bits */
#define HARK_TRAIN_MEM_GIB 8
#define HARK_TRAIN_OPTS_INIT { HARK_FEAT_OPTS_DEFAULT, HARK_MODEL_LOGREG, \
	10, 0.1, 1e-5, 1, HARK_TRAIN_NB_DEFAULT, 1, NULL }

/*
 * Train on the examples SUBSET[0..NSUB) of TS (all of them when SUBSET
 * is NULL and NSUB is 0; the examples' features must have been extracted
 * with O->fo) and serialise the model into OUT (the file's bytes).  The
 * label set is TS's whole label set.  The file is at most
 * HARK_MODEL_SIZE_MAX bytes: when the weights do not fit, the rows with
 * the smallest weights are left out.  Returns 0, or -1 with ERR when
 * there are fewer than two labels or no examples.
 */
int hark_model_train(const struct hark_trainset *ts, const size_t *subset,
    size_t nsub, const struct hark_train_opts *o, struct hark_buf *out,
    struct hark_err *err);

#endif
