/*
 * model.c - linear text classifiers: training, file format, prediction
 * (model.h).
 */
#include <math.h>
#include <zlib.h>
#include "model.h"
#include "io.h"
#include "utf8.h"

#define MAGIC "HARKMODL"
#define HEADER_FIXED (8 + 4 * 10)	/* magic .. name length */

/* ---- reading the file ---------------------------------------------- */

struct rd {
	const unsigned char *p;
	size_t len, pos;
};

static int
rd_u32(struct rd *r, uint32_t *v)
{
	if (r->len - r->pos < 4)
		return -1;
	*v = (uint32_t)r->p[r->pos] | (uint32_t)r->p[r->pos + 1] << 8 |
	    (uint32_t)r->p[r->pos + 2] << 16 | (uint32_t)r->p[r->pos + 3] << 24;
	r->pos += 4;
	return 0;
}

static int
rd_f32(struct rd *r, float *v)
{
	uint32_t u;

	if (rd_u32(r, &u) < 0)
		return -1;
	memcpy(v, &u, sizeof(*v));
	return 0;
}

static int
rd_str(struct rd *r, size_t max, char **out)
{
	uint32_t n;

	if (rd_u32(r, &n) < 0)
		return -1;
	if (n > max || r->len - r->pos < n)
		return -1;
	if (memchr(r->p + r->pos, '\0', n) != NULL)
		return -1;
	/* names and labels go into JSON output: valid UTF-8 only */
	if (!hark_utf8_valid((const char *)r->p + r->pos, n))
		return -1;
	*out = hark_xstrndup((const char *)r->p + r->pos, n);
	r->pos += n;
	return 0;
}

void
hark_model_free(struct hark_model *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->name);
	for (i = 0; m->labels != NULL && i < m->nlabels; i++)
		free(m->labels[i]);
	free(m->labels);
	free(m->bias);
	free(m->rows);
	free(m->w);
	free(m->wf);
	free(m);
}

static struct hark_model *
bad(struct hark_model *m, struct hark_err *err, const char *what)
{
	hark_model_free(m);
	hark_err_set(err, HARK_EXIT_USAGE, "%s", what);
	return NULL;
}

struct hark_model *
hark_model_parse(const void *data, size_t len, struct hark_err *err)
{
	struct rd r = { data, len, 0 };
	struct hark_model *m;
	uint32_t ver, algo, flags, bits, cmin, cmax, k, nrows, crc, i, j;
	uint32_t prev = 0;
	size_t need;

	if (len < 8 || memcmp(data, MAGIC, 8) != 0)
		return bad(NULL, err, "not a hark model file (no "
		    "'" MAGIC "' magic)");
	r.pos = 8;
	if (rd_u32(&r, &ver) < 0)
		return bad(NULL, err, "truncated model file");
	if (ver != HARK_MODEL_FORMAT) {
		hark_err_set(err, HARK_EXIT_USAGE, "model file format %lu is "
		    "not supported (this version reads %d)",
		    (unsigned long)ver, HARK_MODEL_FORMAT);
		return NULL;
	}
	if (len < 4 + HEADER_FIXED)
		return bad(NULL, err, "truncated model file");
	{
		const unsigned char *p = (const unsigned char *)data + len - 4;
		uint32_t want = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;

		crc = (uint32_t)crc32(0L, data, (uInt)(len - 4));
		if (len - 4 > (size_t)UINT32_MAX || crc != want)
			return bad(NULL, err, "model file is truncated or "
			    "damaged (checksum mismatch)");
	}
	r.len = len - 4;	/* the CRC is not content */
	m = hark_xcalloc(1, sizeof(*m));
	snprintf(m->version, sizeof(m->version), "%08lx", (unsigned long)crc);
	m->size = len;
	if (rd_u32(&r, &algo) < 0 || rd_u32(&r, &flags) < 0 ||
	    rd_u32(&r, &bits) < 0 || rd_u32(&r, &cmin) < 0 ||
	    rd_u32(&r, &cmax) < 0 || rd_u32(&r, &k) < 0 ||
	    rd_u32(&r, &nrows) < 0 || rd_f32(&r, &m->scale) < 0)
		return bad(m, err, "truncated model file");
	if (algo != HARK_MODEL_LOGREG && algo != HARK_MODEL_PERCEPTRON)
		return bad(m, err, "model file: unknown algorithm");
	if (flags == 0 || (flags & ~(unsigned)HARK_FEAT_ALL) != 0)
		return bad(m, err, "model file: unknown feature kinds");
	if (bits < HARK_FEAT_BITS_MIN || bits > HARK_FEAT_BITS_MAX)
		return bad(m, err, "model file: hash bits out of range");
	if (cmin < 1 || cmax < cmin || cmax > HARK_FEAT_CHAR_MAX)
		return bad(m, err, "model file: bad char n-gram lengths");
	if (k < 2 || k > HARK_MODEL_LABELS_MAX)
		return bad(m, err, "model file: bad number of labels");
	if (nrows > (1u << bits))
		return bad(m, err, "model file: more rows than slots");
	if (!isfinite(m->scale) || m->scale < 0)
		return bad(m, err, "model file: bad weight scale");
	m->algo = (enum hark_model_algo)algo;
	m->fo.flags = flags;
	m->fo.bits = bits;
	m->fo.cmin = cmin;
	m->fo.cmax = cmax;
	if (rd_str(&r, HARK_MODEL_NAME_MAX, &m->name) < 0)
		return bad(m, err, "model file: truncated or bad name");
	m->labels = hark_xcalloc(k, sizeof(*m->labels));
	for (i = 0; i < k; i++) {
		if (rd_str(&r, HARK_MODEL_LABEL_LEN_MAX, &m->labels[i]) < 0) {
			m->nlabels = i;
			return bad(m, err, "model file: truncated or bad "
			    "label");
		}
		m->nlabels = i + 1;
	}
	m->bias = hark_xcalloc(k, sizeof(*m->bias));
	for (i = 0; i < k; i++)
		if (rd_f32(&r, &m->bias[i]) < 0 || !isfinite(m->bias[i]))
			return bad(m, err, "model file: truncated or bad "
			    "biases");
	need = (size_t)nrows * (4 + 2 * (size_t)k);
	if (r.len - r.pos != need)
		return bad(m, err, "model file: weight table is truncated or "
		    "has trailing bytes");
	m->nrows = nrows;
	m->rows = hark_xcalloc(((size_t)1 << bits) / 64, sizeof(*m->rows));
	m->w = hark_xmalloc(((size_t)nrows * k + 1) * sizeof(*m->w));
	m->wstride = ((size_t)k + 3) & ~(size_t)3;
	m->wf = hark_xcalloc((size_t)nrows * m->wstride + 1, sizeof(*m->wf));
	for (i = 0; i < nrows; i++) {
		uint32_t slot;

		(void)rd_u32(&r, &slot);
		if (slot >= (1u << bits) || (i > 0 && slot <= prev))
			return bad(m, err, "model file: weight rows out of "
			    "order");
		prev = slot;
		if (m->rows[slot / 64].bits == 0)	/* rows before it */
			m->rows[slot / 64].rank = i;
		m->rows[slot / 64].bits |= (uint64_t)1 << (slot % 64);
		for (j = 0; j < k; j++) {
			const unsigned char *p = r.p + r.pos;

			m->w[(size_t)i * k + j] = (int16_t)(uint16_t)(p[0] |
			    p[1] << 8);
			m->wf[(size_t)i * m->wstride + j] = m->w[(size_t)i *
			    k + j] *
			    m->scale;
			r.pos += 2;
		}
	}
	return m;
}

struct hark_model *
hark_model_load(const char *path, struct hark_err *err)
{
	struct hark_model *m;
	size_t len;
	char *data = hark_read_file(path, HARK_MODEL_SIZE_MAX * 4, &len, err);

	if (data == NULL)
		return NULL;
	m = hark_model_parse(data, len, err);
	free(data);
	if (m == NULL && err != NULL) {
		char msg[HARK_ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		hark_err_set(err, HARK_EXIT_USAGE, "'%s': %s", path, msg);
	}
	return m;
}

long
hark_model_label(const struct hark_model *m, const char *s)
{
	size_t i;

	for (i = 0; i < m->nlabels; i++)
		if (strcmp(m->labels[i], s) == 0)
			return (long)i;
	return -1;
}

/*
 * The number of bits set in X: the popcnt instruction where scores() is
 * built twice, for CPUs with it and without (GCC's target_clones, one
 * chosen at load time); SWAR elsewhere.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && !defined(HARK_NO_CLONES)
#define SCORES_CLONES __attribute__((target_clones("popcnt", "default")))
static inline uint32_t
popcount64(uint64_t x)
{
	return (uint32_t)__builtin_popcountll(x);
}
#else
#define SCORES_CLONES
static inline uint32_t
popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (uint32_t)((x * 0x0101010101010101ULL) >> 56);
}
#endif

/* The row of SLOT plus 1, or 0 when it has none. */
static inline uint32_t
row_of(const struct hark_model *m, uint32_t slot)
{
	const struct hark_model_rows *r = &m->rows[slot / 64];
	uint64_t bit = (uint64_t)1 << (slot % 64);

	if (!(r->bits & bit))
		return 0;
	return r->rank + popcount64(r->bits & (bit - 1)) + 1;
}

/* Four floats as one vector operand (GCC and Clang vector extension). */
typedef float v4f __attribute__((vector_size(16)));

/* The most labels (rounded up to 4) a classifier sums words' n-grams
 * once for (hark_feats_group()). */
#define GROUP_STRIDE_MAX 32

/* Label vectors whose sums scores() keeps in registers (a loop over an
 * array of them kept them in memory: a store and a load per addition). */
#define ACC_REGS 4

/* The dequantised weight row of SLOT, or NULL. */
static inline const float *
wrow(const struct hark_model *m, uint32_t slot)
{
	uint32_t row = row_of(m, slot & ((1u << m->fo.bits) - 1));

	return row == 0 ? NULL : m->wf + (size_t)(row - 1) * m->wstride;
}

/* T[0..NV) = the sum of the rows of SLOT[0..N), in order. */
static void
group_sum(const struct hark_model *m, const uint32_t *slot, size_t n,
    v4f *t, size_t nv)
{
	size_t i, c;

	for (c = 0; c < nv; c++)
		t[c] = (v4f){ 0, 0, 0, 0 };
	for (i = 0; i < n; i++) {
		const float *w = wrow(m, slot[i]);

		if (w == NULL)
			continue;
		for (c = 0; c < nv; c++) {
			v4f wv;

			memcpy(&wv, w + 4 * c, sizeof(wv));
			t[c] += wv;
		}
	}
}

/*
 * The weights of group G of F (hark_feats_group()) summed: the vector
 * its cache entry keeps (filled now if it is not), or for an inline
 * group T, summed now.  Both sum the same rows in the same order, so a
 * word's n-grams weigh the same, bit for bit, whether it was in the
 * cache or not.
 */
static const float *
group_vec(const struct hark_model *m, struct hark_feats *f, size_t g,
    v4f *t, size_t nv)
{
	size_t n;
	const uint32_t *slot;
	float *v;
	int filled;

	/* (vectors of another size are another model's: summed now) */
	if (f->grp[g].ent != HARK_FEAT_INLINE && f->gdim == m->wstride) {
		v = hark_feats_group_vec(f, g, &filled);
		if (filled)
			return v;
	} else
		v = NULL;
	slot = hark_feats_group_slots(f, g, &n);
	group_sum(m, slot, n, t, nv);
	if (v == NULL)
		return (const float *)t;
	memcpy(v, t, nv * sizeof(*t));
	return v;
}

/*
 * Scores (before softmax) of every label into S, summed in float over
 * the dequantised weights, four labels at a time (rows are padded to
 * WSTRIDE): the features in F's order, except that the char n-grams of a
 * word, when F has groups (hark_feats_group()), count as one: their rows
 * summed, times their value.  Up to 16 labels the four accumulators live
 * in registers (the operations, and so the sums, are the same).
 */
SCORES_CLONES static void
scores(const struct hark_model *m, struct hark_feats *f, double *s)
{
	v4f acc[16], tv[16], *a = m->wstride <= 64 ? acc :
	    hark_xcalloc(m->wstride / 4, sizeof(*a));
	v4f *t = m->wstride <= 64 || f->ngrp == 0 ? tv :
	    hark_xcalloc(m->wstride / 4, sizeof(*t));
	size_t i = 0, z, g, c, k = m->nlabels, nv = m->wstride / 4;
	const float gval = (float)(HARK_FEAT_CHAR_WEIGHT *
	    hark_feats_scale(f));
	float out[4];

	for (c = 0; c < nv; c++)
		a[c] = (v4f){ 0, 0, 0, 0 };
	for (g = 0; g <= f->ngrp; g++) {
		z = g < f->ngrp ? f->grp[g].at : f->n;
		if (nv <= ACC_REGS) {
			v4f a0 = a[0], a1 = a[1 % nv], a2 = a[2 % nv],
			    a3 = a[3 % nv];

			for (; i < z; i++) {
				const float *w = wrow(m, f->idx[i]);
				float v = f->val[i];
				v4f vv = { v, v, v, v }, wv;

				if (w == NULL)
					continue;
				memcpy(&wv, w, sizeof(wv));
				a0 += vv * wv;
				if (nv > 1) {
					memcpy(&wv, w + 4, sizeof(wv));
					a1 += vv * wv;
				}
				if (nv > 2) {
					memcpy(&wv, w + 8, sizeof(wv));
					a2 += vv * wv;
				}
				if (nv > 3) {
					memcpy(&wv, w + 12, sizeof(wv));
					a3 += vv * wv;
				}
			}
			a[0] = a0;
			if (nv > 1)
				a[1] = a1;
			if (nv > 2)
				a[2] = a2;
			if (nv > 3)
				a[3] = a3;
		} else {
			for (; i < z; i++) {
				const float *w = wrow(m, f->idx[i]);
				float v = f->val[i];
				v4f vv = { v, v, v, v };

				if (w == NULL)
					continue;
				for (c = 0; c < nv; c++) {
					v4f wv;

					memcpy(&wv, w + 4 * c, sizeof(wv));
					a[c] += vv * wv;
				}
			}
		}
		if (g < f->ngrp) {
			const float *gv = group_vec(m, f, g, t, nv);
			v4f vv = { gval, gval, gval, gval };

			for (c = 0; c < nv; c++) {
				v4f wv;

				memcpy(&wv, gv + 4 * c, sizeof(wv));
				a[c] += vv * wv;
			}
			i = f->grp[g].at + f->grp[g].n;
		}
	}
	for (c = 0; c < k; c++) {
		if (c % 4 == 0)
			memcpy(out, &a[c / 4], sizeof(out));
		s[c] = (double)out[c % 4] + m->bias[c];
	}
	if (a != acc)
		free(a);
	if (t != tv)
		free(t);
}

static size_t
softmax(double *s, size_t k)
{
	size_t c, best = 0;
	double max, sum = 0;

	for (c = 1; c < k; c++)
		if (s[c] > s[best])
			best = c;
	max = s[best];
	for (c = 0; c < k; c++)
		sum += s[c] = exp(s[c] - max);
	for (c = 0; c < k; c++)
		s[c] /= sum;
	return best;
}

size_t
hark_model_predict(const struct hark_model *m, struct hark_feats *f,
    double *p)
{
	double stack[16], *s = m->nlabels <= 16 ? stack :
	    hark_xmalloc(m->nlabels * sizeof(*s));
	size_t best;

	scores(m, f, s);
	best = softmax(s, m->nlabels);
	if (p != NULL)
		memcpy(p, s, m->nlabels * sizeof(*p));
	if (s != stack)
		free(s);
	return best;
}

static int
cmp_contrib(const void *a, const void *b)
{
	const struct hark_model_contrib *x = a, *y = b;
	double ax = fabs(x->value), ay = fabs(y->value);

	if (ax != ay)
		return ax < ay ? 1 : -1;
	return x->feat < y->feat ? -1 : x->feat > y->feat;
}

size_t
hark_model_explain(const struct hark_model *m, const struct hark_feats *f,
    size_t c, struct hark_model_contrib *out, size_t n)
{
	struct hark_model_contrib *all;
	size_t i, j, na = 0;

	if (f->n == 0 || n == 0 || c >= m->nlabels)
		return 0;
	all = hark_xcalloc(f->n, sizeof(*all));
	for (i = 0; i < f->n; i++) {
		uint32_t row = row_of(m, f->idx[i] & ((1u << m->fo.bits) -
		    1));
		double v;
		const char *name = f->want_names ? f->names.ptr +
		    f->nameoff[i] : NULL;

		if (row == 0)
			continue;
		v = f->val[i] * m->w[(size_t)(row - 1) * m->nlabels + c] *
		    m->scale;
		for (j = 0; j < na; j++)	/* repeats of one feature */
			if (name != NULL && strcmp(f->names.ptr +
			    f->nameoff[all[j].feat], name) == 0)
				break;
		if (j < na) {
			all[j].value += v;
			continue;
		}
		all[na].feat = i;
		all[na++].value = v;
	}
	qsort(all, na, sizeof(*all), cmp_contrib);
	if (na > n)
		na = n;
	memcpy(out, all, na * sizeof(*out));
	free(all);
	return na;
}

/* ---- training ------------------------------------------------------ */

void
hark_trainset_release(struct hark_trainset *ts)
{
	size_t i;

	free(ts->label);
	free(ts->start);
	free(ts->idx);
	free(ts->val);
	for (i = 0; i < ts->nlabels; i++)
		free(ts->labels[i]);
	free(ts->labels);
	memset(ts, 0, sizeof(*ts));
}

int
hark_trainset_add(struct hark_trainset *ts, const char *label,
    const struct hark_feats *f, struct hark_err *err)
{
	size_t l;

	if (strlen(label) > HARK_MODEL_LABEL_LEN_MAX)
		return hark_err_set(err, HARK_EXIT_DATA, "label longer than "
		    "%d bytes", HARK_MODEL_LABEL_LEN_MAX);
	for (l = 0; l < ts->nlabels; l++)
		if (strcmp(ts->labels[l], label) == 0)
			break;
	if (l == ts->nlabels) {
		if (ts->nlabels == HARK_MODEL_LABELS_MAX)
			return hark_err_set(err, HARK_EXIT_DATA, "more than %d "
			    "labels", HARK_MODEL_LABELS_MAX);
		ts->labels = hark_xrealloc(ts->labels, (ts->nlabels + 1) *
		    sizeof(*ts->labels));
		ts->labels[ts->nlabels++] = hark_xstrdup(label);
	}
	if (ts->n + 1 >= ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 1024;
		ts->label = hark_xrealloc(ts->label, ts->cap *
		    sizeof(*ts->label));
		ts->start = hark_xrealloc(ts->start, (ts->cap + 1) *
		    sizeof(*ts->start));
	}
	if (ts->n == 0)
		ts->start[0] = 0;
	while (ts->nfeat + f->n > ts->capfeat) {
		ts->capfeat = ts->capfeat ? ts->capfeat * 2 : 65536;
		ts->idx = hark_xrealloc(ts->idx, ts->capfeat *
		    sizeof(*ts->idx));
		ts->val = hark_xrealloc(ts->val, ts->capfeat *
		    sizeof(*ts->val));
	}
	if (f->n > 0) {
		memcpy(ts->idx + ts->nfeat, f->idx, f->n * sizeof(*f->idx));
		memcpy(ts->val + ts->nfeat, f->val, f->n * sizeof(*f->val));
	}
	ts->nfeat += f->n;
	ts->label[ts->n] = (uint32_t)l;
	ts->start[++ts->n] = ts->nfeat;
	return 0;
}

static uint32_t
xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void
put_u32(struct hark_buf *b, uint32_t v)
{
	unsigned char p[4] = { (unsigned char)v, (unsigned char)(v >> 8),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	(void)hark_buf_add(b, p, 4);
}

static void
put_f32(struct hark_buf *b, float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	put_u32(b, u);
}

static void
put_str(struct hark_buf *b, const char *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	(void)hark_buf_add(b, s, n);
}

struct rowrank {
	uint32_t slot;
	float max;
};

static int
cmp_rank(const void *a, const void *b)
{
	const struct rowrank *x = a, *y = b;

	if (x->max != y->max)
		return x->max < y->max ? 1 : -1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static int
cmp_slot(const void *a, const void *b)
{
	const struct rowrank *x = a, *y = b;

	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* Serialise dense weights W[slot * k + c] and biases B. */
static int
serialise(const struct hark_trainset *ts, const struct hark_train_opts *o,
    const float *w, const float *b, struct hark_buf *out,
    struct hark_err *err)
{
	size_t nslots = (size_t)1 << o->fo.bits, k = ts->nlabels, s, c, nr = 0;
	size_t fixed, maxrows, i;
	struct rowrank *rank = hark_xmalloc(nslots * sizeof(*rank));
	const char *name = o->name ? o->name : "";
	float maxabs = 0, scale;

	for (s = 0; s < nslots * k; s++)
		if (fabsf(w[s]) > maxabs)
			maxabs = fabsf(w[s]);
	scale = maxabs > 0 ? maxabs / 32767.0f : 1.0f;
	for (s = 0; s < nslots; s++) {
		float m = 0;

		for (c = 0; c < k; c++)
			if (fabsf(w[s * k + c]) > m)
				m = fabsf(w[s * k + c]);
		if (m >= scale * 0.5f) {	/* rounds to a non-zero weight */
			rank[nr].slot = (uint32_t)s;
			rank[nr++].max = m;
		}
	}
	fixed = HEADER_FIXED + 4 + strlen(name) + 4 * k + 4 + 4;
	for (c = 0; c < k; c++)
		fixed += 4 + strlen(ts->labels[c]);
	if (fixed >= HARK_MODEL_SIZE_MAX) {
		free(rank);
		return hark_err_set(err, HARK_EXIT_DATA, "the label set does "
		    "not fit in a model file");
	}
	maxrows = (HARK_MODEL_SIZE_MAX - fixed) / (4 + 2 * k);
	if (nr > maxrows) {	/* keep the rows that weigh most */
		qsort(rank, nr, sizeof(*rank), cmp_rank);
		nr = maxrows;
		qsort(rank, nr, sizeof(*rank), cmp_slot);
	}
	hark_buf_reset(out);
	(void)hark_buf_add(out, MAGIC, 8);
	put_u32(out, HARK_MODEL_FORMAT);
	put_u32(out, (uint32_t)o->algo);
	put_u32(out, o->fo.flags);
	put_u32(out, o->fo.bits);
	put_u32(out, o->fo.cmin);
	put_u32(out, o->fo.cmax);
	put_u32(out, (uint32_t)k);
	put_u32(out, (uint32_t)nr);
	put_f32(out, scale);
	put_str(out, name, strlen(name));
	for (c = 0; c < k; c++)
		put_str(out, ts->labels[c], strlen(ts->labels[c]));
	for (c = 0; c < k; c++)
		put_f32(out, b[c]);
	for (i = 0; i < nr; i++) {
		put_u32(out, rank[i].slot);
		for (c = 0; c < k; c++) {
			long q = lrintf(w[(size_t)rank[i].slot * k + c] /
			    scale);
			uint16_t u;
			unsigned char p[2];

			if (q > 32767)
				q = 32767;
			if (q < -32767)
				q = -32767;
			u = (uint16_t)(int16_t)q;
			p[0] = (unsigned char)u;
			p[1] = (unsigned char)(u >> 8);
			(void)hark_buf_add(out, p, 2);
		}
	}
	free(rank);
	put_u32(out, (uint32_t)crc32(0L, (const Bytef *)out->ptr,
	    (uInt)out->len));
	if (out->len > HARK_MODEL_SIZE_MAX)
		return hark_err_set(err, HARK_EXIT_FAILURE, "model larger than "
		    "its limit");
	return 0;
}

/* Fisher-Yates over PERM[0..N), from the fixed-seed generator RNG. */
static void
shuffle(size_t *perm, size_t n, uint32_t *rng)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t r = xorshift(rng) % i, t = perm[i - 1];

		perm[i - 1] = perm[r];
		perm[r] = t;
	}
}

/* The raw scores (bias plus weighted features) of example E into S. */
static void
example_scores(const struct hark_trainset *ts, size_t e, const float *w,
    const float *b, double *s)
{
	size_t k = ts->nlabels, j, c;

	for (c = 0; c < k; c++)
		s[c] = b[c];
	for (j = ts->start[e]; j < ts->start[e + 1]; j++) {
		const float *wr = w + (size_t)ts->idx[j] * k;

		for (c = 0; c < k; c++)
			s[c] += wr[c] * ts->val[j];
	}
}

static void
train_logreg(const struct hark_trainset *ts, const size_t *order, size_t n,
    const struct hark_train_opts *o, const double *cw, float *w, float *b)
{
	size_t k = ts->nlabels, nslots = (size_t)1 << o->fo.bits;
	float *g2 = hark_xcalloc(nslots * k, sizeof(*g2));
	float *u = hark_xcalloc(nslots * k, sizeof(*u));	/* averaging */
	double ub[HARK_MODEL_LABELS_MAX], t = 1;
	double *s = hark_xmalloc(k * sizeof(*s)), bg2[HARK_MODEL_LABELS_MAX];
	unsigned ep;
	size_t i, j, c;
	const float rate = (float)o->rate;
	const float l2 = (float)o->l2;
	uint32_t rng = o->seed ? o->seed : 1;
	size_t *perm = hark_xmalloc(n * sizeof(*perm));

	for (c = 0; c < k; c++)
		bg2[c] = ub[c] = 0;
	memcpy(perm, order, n * sizeof(*perm));
	for (ep = 0; ep < o->epochs; ep++) {
		shuffle(perm, n, &rng);
		for (i = 0; i < n; i++, t++) {
			size_t e = perm[i], y = ts->label[e];
			size_t a = ts->start[e], z = ts->start[e + 1];
			double max, sum = 0, weight = cw[y];

			example_scores(ts, e, w, b, s);
			max = s[0];
			for (c = 1; c < k; c++)
				if (s[c] > max)
					max = s[c];
			for (c = 0; c < k; c++)
				sum += s[c] = exp(s[c] - max);
			for (c = 0; c < k; c++) {
				/* gradient of the log loss for label c */
				double g = (s[c] / sum - (c == y)) * weight;

				s[c] = g;
				bg2[c] += g * g;
				if (bg2[c] > 0) {
					double d = rate * g / sqrt(bg2[c]);

					b[c] -= (float)d;
					ub[c] -= t * d;
				}
			}
			for (j = a; j < z; j++) {
				size_t base = (size_t)ts->idx[j] * k;
				float v = ts->val[j];

				for (c = 0; c < k; c++) {
					float g = (float)s[c] * v +
					    l2 * w[base + c];

					if (g == 0)
						continue;
					g2[base + c] += g * g;
					g = rate * g / sqrtf(g2[base + c]);
					w[base + c] -= g;
					u[base + c] -= (float)t * g;
				}
			}
		}
	}
	/* the average of the weights over all steps (Polyak): w - u / t */
	for (i = 0; i < nslots * k; i++)
		w[i] -= u[i] / (float)t;
	for (c = 0; c < k; c++)
		b[c] -= (float)(ub[c] / t);
	free(u);
	free(perm);
	free(s);
	free(g2);
}

static void
train_perceptron(const struct hark_trainset *ts, const size_t *order,
    size_t n, const struct hark_train_opts *o, float *w, float *b)
{
	size_t k = ts->nlabels, nslots = (size_t)1 << o->fo.bits;
	float *u = hark_xcalloc(nslots * k, sizeof(*u));
	double *s = hark_xmalloc(k * sizeof(*s));
	float ub[HARK_MODEL_LABELS_MAX];
	float t = 1;
	unsigned ep;
	size_t i, j, c;
	uint32_t rng = o->seed ? o->seed : 1;
	size_t *perm = hark_xmalloc(n * sizeof(*perm));

	for (c = 0; c < k; c++)
		ub[c] = 0;
	memcpy(perm, order, n * sizeof(*perm));
	for (ep = 0; ep < o->epochs; ep++) {
		shuffle(perm, n, &rng);
		for (i = 0; i < n; i++, t++) {
			size_t e = perm[i], y = ts->label[e], p = 0;
			size_t a = ts->start[e], z = ts->start[e + 1];

			example_scores(ts, e, w, b, s);
			for (c = 1; c < k; c++)
				if (s[c] > s[p])
					p = c;
			if (p == y)
				continue;
			b[y] += 1;
			b[p] -= 1;
			ub[y] += t;
			ub[p] -= t;
			for (j = a; j < z; j++) {
				size_t base = (size_t)ts->idx[j] * k;
				float v = ts->val[j];

				w[base + y] += v;
				w[base + p] -= v;
				u[base + y] += t * v;
				u[base + p] -= t * v;
			}
		}
	}
	for (i = 0; i < nslots * k; i++)	/* the averaged weights */
		w[i] -= u[i] / t;
	for (c = 0; c < k; c++)
		b[c] -= ub[c] / t;
	free(perm);
	free(s);
	free(u);
}

/*
 * Add NB times a multinomial naive-Bayes model's log-likelihoods to the
 * weights W of logistic regression: a linear ensemble of the two, kept in
 * one table.  Naive Bayes counts in how many examples of each label a
 * slot occurs (add-one smoothing over the slots seen), and a slot's
 * log-likelihoods are centred over the labels, so a slot every label has
 * as often weighs nothing.  The sum beat logistic regression alone on
 * most sets of make eval, mostly through the features nearly every text
 * has (the lexicon's verdict, the shape; hark-train(1)).  Run after
 * training, when the learner's work arrays are freed: the counts take
 * one more table of the same size.
 */
static void
add_naive_bayes(const struct hark_trainset *ts, const size_t *order,
    size_t n, size_t nslots, double nb, float *w)
{
	size_t k = ts->nlabels, i, j, c;
	float *cnt = hark_xcalloc(nslots * k, sizeof(*cnt));
	double tot[HARK_MODEL_LABELS_MAX], seen = 0;

	for (c = 0; c < k; c++)
		tot[c] = 0;
	for (i = 0; i < n; i++) {
		size_t e = order[i], y = ts->label[e];

		for (j = ts->start[e]; j < ts->start[e + 1]; j++)
			if (ts->val[j] != 0) {
				cnt[(size_t)ts->idx[j] * k + y] += 1;
				tot[y] += 1;
			}
	}
	for (j = 0; j < nslots; j++)
		for (c = 0; c < k; c++)
			if (cnt[j * k + c] > 0) {
				seen++;
				break;
			}
	for (j = 0; j < nslots; j++) {
		double lp[HARK_MODEL_LABELS_MAX], mean = 0, sum = 0;

		for (c = 0; c < k; c++)
			sum += cnt[j * k + c];
		if (sum == 0)
			continue;
		for (c = 0; c < k; c++) {
			lp[c] = log((cnt[j * k + c] + 1) / (tot[c] + seen));
			mean += lp[c];
		}
		mean /= (double)k;
		for (c = 0; c < k; c++)
			w[j * k + c] += (float)(nb * (lp[c] - mean));
	}
	free(cnt);
}

#define GIB 1073741824.0

/* The bytes of training's tables (weights, AdaGrad sums, averages) for
 * 2^BITS slots and K labels, and the most they may take (in doubles: on
 * a 32-bit system the product overflows a size_t). */
static double
train_bytes(unsigned bits, size_t k)
{
	return ldexp(1.0, (int)bits) * (double)k * 3 * sizeof(float);
}

static double
train_bytes_max(void)
{
	double max = HARK_TRAIN_MEM_GIB * GIB;

	return max < (double)(SIZE_MAX / 2) ? max : (double)(SIZE_MAX / 2);
}

int
hark_model_train(const struct hark_trainset *ts, const size_t *subset,
    size_t nsub, const struct hark_train_opts *o, struct hark_buf *out,
    struct hark_err *err)
{
	size_t k = ts->nlabels, nslots, n = subset ? nsub : ts->n, i, c;
	size_t *order, *count;
	double *cw;
	float *w, *b;
	int rc;

	if (k < 2)
		return hark_err_set(err, HARK_EXIT_DATA, "need at least two "
		    "labels to train (found %zu)", k);
	if (n == 0)
		return hark_err_set(err, HARK_EXIT_DATA, "no labelled records "
		    "to train on");
	nslots = (size_t)1 << o->fo.bits;
	if (train_bytes(o->fo.bits, k) > train_bytes_max()) {
		unsigned fit = o->fo.bits;

		while (fit > HARK_FEAT_BITS_MIN && train_bytes(fit, k) >
		    train_bytes_max())
			fit--;
		return hark_err_set(err, HARK_EXIT_USAGE, "%zu labels over "
		    "2^%u slots need %.1f GiB to train, more than %.0f: use "
		    "--bits %u or fewer", k, o->fo.bits,
		    train_bytes(o->fo.bits, k) / GIB, train_bytes_max() / GIB,
		    fit);
	}
	order = hark_xmalloc(n * sizeof(*order));
	count = hark_xcalloc(k, sizeof(*count));
	cw = hark_xmalloc(k * sizeof(*cw));
	for (i = 0; i < n; i++) {
		order[i] = subset ? subset[i] : i;
		count[ts->label[order[i]]]++;
	}
	for (c = 0; c < k; c++)
		cw[c] = o->balance && count[c] > 0 ? (double)n /
		    ((double)k * (double)count[c]) : 1.0;
	w = hark_xcalloc(nslots * k, sizeof(*w));
	b = hark_xcalloc(k, sizeof(*b));
	if (o->algo == HARK_MODEL_PERCEPTRON)
		train_perceptron(ts, order, n, o, w, b);
	else {
		train_logreg(ts, order, n, o, cw, w, b);
		if (o->nb > 0)
			add_naive_bayes(ts, order, n, nslots, o->nb, w);
	}
	rc = serialise(ts, o, w, b, out, err);
	free(w);
	free(b);
	free(cw);
	free(count);
	free(order);
	return rc;
}

/* ---- using a model --------------------------------------------------- */

int
hark_classifier_load(struct hark_classifier *c, const char *path,
    int want_names, struct hark_err *err)
{
	memset(c, 0, sizeof(*c));
	if ((c->m = hark_model_load(path, err)) == NULL)
		return -1;
	hark_feats_init(&c->feats, want_names);
	/* a word's n-grams summed once (their vectors: 4096 of WSTRIDE
	 * floats, at most 512 KiB) */
	if (c->m->wstride <= GROUP_STRIDE_MAX)
		hark_feats_group(&c->feats, c->m->wstride);
	c->p = hark_xcalloc(c->m->nlabels, sizeof(*c->p));
	c->pos = hark_model_label(c->m, "positive");
	c->neg = hark_model_label(c->m, "negative");
	return 0;
}

void
hark_classifier_release(struct hark_classifier *c)
{
	hark_model_free(c->m);
	hark_feats_release(&c->feats);
	hark_sentiment_free(c->sent);
	hark_sentiment_result_release(&c->res);
	free(c->p);
	memset(c, 0, sizeof(*c));
}

size_t
hark_classifier_begin(struct hark_classifier *c, const char *text, size_t len)
{
	return hark_feats_text(&c->m->fo, text, len, &c->feats);
}

const char *
hark_classifier_end(struct hark_classifier *c, const char *text, size_t len,
    enum hark_lang lang, const struct hark_sentiment_result *lex)
{
	unsigned fl = c->m->fo.flags;

	if ((fl & HARK_FEAT_LEXICON) && lex == NULL) {
		if (c->sent == NULL && (c->sent = hark_sentiment_new(NULL)) ==
		    NULL)
			fl &= ~(unsigned)HARK_FEAT_LEXICON;
		else {
			/* the tokens hark_classifier_begin() kept: one
			 * tokenising pass (TEXT[0..LEN) is their prefix) */
			hark_sentiment_score_tokens(c->sent, text, len,
			    c->feats.tok, c->feats.ntok, lang,
			    HARK_SENT_EXPLAIN, &c->res);
			lex = &c->res;
		}
	}
	if (lang == HARK_LANG_UNKNOWN && (fl & HARK_FEAT_LANG))
		lang = lex != NULL ? lex->lang : hark_lang_detect(text, len,
		    NULL);
	hark_feats_end(&c->m->fo, lang, (fl & HARK_FEAT_LEXICON) ? lex : NULL,
	    &c->feats);
	c->best = hark_model_predict(c->m, &c->feats, c->p);
	return c->m->labels[c->best];
}

const char *
hark_classifier_run(struct hark_classifier *c, const char *text, size_t len,
    enum hark_lang lang, const struct hark_sentiment_result *lex)
{
	size_t prefix = hark_classifier_begin(c, text, len);

	/* what the model reads (a caller's LEX read TEXT[0..LEN) already) */
	return hark_classifier_end(c, text, lex != NULL ? len : prefix, lang,
	    lex);
}

double
hark_classifier_score(const struct hark_classifier *c)
{
	double s = 0;

	if (c->pos >= 0)
		s += c->p[c->pos];
	if (c->neg >= 0)
		s -= c->p[c->neg];
	return s;
}

json_t *
hark_classifier_explain(struct hark_classifier *c, size_t n)
{
	struct hark_model_contrib *top = hark_xcalloc(n ? n : 1, sizeof(*top));
	size_t k = hark_model_explain(c->m, &c->feats, c->best, top, n), i;
	json_t *a = json_array();

	for (i = 0; i < k; i++) {
		json_t *o = json_object();
		const char *name = c->feats.want_names ? c->feats.names.ptr +
		    c->feats.nameoff[top[i].feat] : "?";
		double v = round(top[i].value * 10000.0) / 10000.0;

		json_object_set_new(o, "feature", json_string(name));
		json_object_set_new(o, "weight", json_real(v == 0 ? 0.0 : v));
		json_array_append_new(a, o);
	}
	free(top);
	return a;
}
