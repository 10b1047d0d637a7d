/*
 * modelfeat.c - hashed sparse features of a short text (modelfeat.h).
 */
#include <math.h>
#include "modelfeat.h"
#include "token.h"
#include "text.h"
#include "err.h"

#define FNV_INIT 2166136261u
#define FNV_PRIME 16777619u
/* words, negated words and pairs are hashed from the word's own FNV-1a
 * hash, told apart by these */
#define SALT_WORD 0x5bd1e995u
#define SALT_NEG 0x27d4eb2fu
#define SALT_START 0x165667b1u
#define SALT_END 0xd3a2646cu
#define NEG_SCOPE 3
#define CHARGRAM_WORD_MAX 40	/* longer "words" (hashes, ids) get none */

static const char *const kind_names[] = { "words", "bigrams", "chars",
    "negation", "emoji", "shape", "lexicon", "lang" };

char *
hark_feat_flags_str(unsigned flags, char *out, size_t outsz)
{
	size_t i, n = 0;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	for (i = 0; i < HARK_ARRAY_SIZE(kind_names); i++) {
		if (!(flags & (1u << i)))
			continue;
		n += (size_t)snprintf(out + (n < outsz ? n : outsz - 1),
		    n < outsz ? outsz - n : 1, "%s%s", n ? "," : "",
		    kind_names[i]);
	}
	return out;
}

int
hark_feat_flags_parse(const char *s, unsigned *flags, struct hark_err *err)
{
	const char *p = s;

	while (*p != '\0') {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p), i;
		int neg = 0;
		unsigned bit = 0;

		if (n > 0 && *p == '-') {
			neg = 1;
			p++;
			n--;
		}
		if (n == 3 && strncmp(p, "all", 3) == 0)
			bit = HARK_FEAT_ALL;
		for (i = 0; i < HARK_ARRAY_SIZE(kind_names); i++)
			if (strlen(kind_names[i]) == n &&
			    strncmp(kind_names[i], p, n) == 0)
				bit = 1u << i;
		if (bit == 0)
			return hark_err_set(err, HARK_EXIT_USAGE, "unknown "
			    "feature kind '%.*s'", (int)(n > 40 ? 40 : n), p);
		if (neg)
			*flags &= ~bit;
		else
			*flags |= bit;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/*
 * The cache of hark_feats_cache(): the slots of a word's char n-grams
 * (in the order chargrams() pushes them), in the entry its hash picks,
 * computed with the settings BITS, CMIN and CMAX (others empty it).
 * 196 bytes an entry.
 */
struct cache_ent {
	uint32_t hash;		/* FNV-1a of the folded word */
	unsigned char len;	/* of the word; 0: empty */
	unsigned char nslot;
	uint32_t stamp;		/* the text that made it a group */
	char w[HARK_FEAT_CACHE_WORD];
	uint32_t slot[HARK_FEAT_CACHE_SLOTS];
};
/*
 * And the folded forms of non-ASCII words (hark_text_fold() is most of
 * their cost), by the word as written: 1024 of 64 bytes.
 */
#define FOLD_ENTS 1024		/* a power of two */
#define FOLD_RAW_MAX 24
#define FOLD_MAX 34
struct fold_ent {
	uint32_t hash;		/* FNV-1a of the word as written */
	unsigned char rlen;	/* 0: empty */
	unsigned char flen;
	char raw[FOLD_RAW_MAX];
	char folded[FOLD_MAX];
};
struct hark_feat_cache {
	unsigned bits, cmin, cmax;
	struct fold_ent fold[FOLD_ENTS];
	struct cache_ent ent[];	/* [2^cachebits] */
};

_Static_assert(HARK_FEAT_CACHE_WORD <= 255 && HARK_FEAT_CACHE_SLOTS <= 255,
    "cache_ent: lengths in a byte");

static void negator_index(uint64_t *first);

void
hark_feats_init(struct hark_feats *f, int want_names)
{
	memset(f, 0, sizeof(*f));
	f->want_names = want_names;
	f->cachebits = HARK_FEAT_CACHE_BITS;
	hark_buf_init(&f->names, (size_t)64 << 20);
	hark_buf_init(&f->fold, (size_t)64 << 20);
	negator_index(f->negfirst);
}

void
hark_feats_release(struct hark_feats *f)
{
	free(f->idx);
	free(f->val);
	free(f->nameoff);
	free(f->wordoff);
	free(f->wordlen);
	free(f->wordneg);
	free(f->wordhash);
	free(f->cache);
	free(f->grp);
	free(f->gvec);
	free(f->gok);
	hark_buf_release(&f->names);
	hark_buf_release(&f->fold);
	memset(f, 0, sizeof(*f));
}

void
hark_feats_cache(struct hark_feats *f, unsigned bits)
{
	free(f->cache);
	f->cache = NULL;
	free(f->gvec);
	free(f->gok);
	f->gvec = NULL;
	f->gok = NULL;
	f->cachehits = f->cachemisses = 0;
	f->cachebits = bits > HARK_FEAT_CACHE_BITS_MAX ?
	    HARK_FEAT_CACHE_BITS_MAX : bits;
}

void
hark_feats_group(struct hark_feats *f, size_t dim)
{
	free(f->gvec);
	free(f->gok);
	f->gvec = NULL;
	f->gok = NULL;
	f->gdim = dim;
	f->ngrp = 0;
}

const uint32_t *
hark_feats_group_slots(const struct hark_feats *f, size_t g, size_t *n)
{
	const struct hark_feat_group *gr = &f->grp[g];
	const struct cache_ent *e;

	if (gr->ent == HARK_FEAT_INLINE) {
		*n = gr->n;
		return f->idx + gr->at;
	}
	e = &f->cache->ent[gr->ent];
	*n = e->nslot;
	return e->slot;
}

float *
hark_feats_group_vec(struct hark_feats *f, size_t g, int *filled)
{
	uint32_t e = f->grp[g].ent;

	*filled = f->gok[e];
	f->gok[e] = 1;
	return f->gvec + (size_t)e * f->gdim;
}

/* Make F's cache ready for settings O (allocated, or emptied when its
 * slots were computed with others); not with names or without chars. */
static void
cache_ready(struct hark_feats *f, const struct hark_feat_opts *o)
{
	struct hark_feat_cache *c = f->cache;
	size_t n = (size_t)1 << f->cachebits;

	if (f->cachebits == 0 || f->want_names ||
	    !(o->flags & HARK_FEAT_CHARS))
		return;
	if (f->gdim > 0 && f->gok == NULL) {
		f->gvec = hark_xcalloc(n * f->gdim, sizeof(*f->gvec));
		f->gok = hark_xcalloc(n, 1);
	}
	if (c == NULL)
		c = f->cache = hark_xcalloc(1, sizeof(*c) +
		    n * sizeof(c->ent[0]));
	else if (c->bits == o->bits && c->cmin == o->cmin &&
	    c->cmax == o->cmax)
		return;
	else {	/* the folded words stay: they depend on no setting */
		memset(c->ent, 0, n * sizeof(c->ent[0]));
		if (f->gok != NULL)
			memset(f->gok, 0, n);
	}
	c->bits = o->bits;
	c->cmin = o->cmin;
	c->cmax = o->cmax;
}

static uint32_t
fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* The slot of hash H (FNV-1a of the kind and the string), mixed. */
static uint32_t
slot(const struct hark_feat_opts *o, uint32_t h)
{
	h ^= h >> 15;		/* mix the high bits into the low ones */
	h *= 0x2c1b3c6dU;
	h ^= h >> 12;
	return h & ((1u << o->bits) - 1);
}

static void name(struct hark_feats *f, char kind, const char *s, size_t n);

/* Are A[0..N) and B[0..N) the same bytes?  (Words are short: a loop
 * here costs less than a call to memcmp.) */
static inline int
same(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Room for NEED entries in F. */
static void
grow(struct hark_feats *f, size_t need)
{
	size_t cap = f->cap ? f->cap : 256;

	while (cap < need)
		cap *= 2;
	f->idx = hark_xrealloc(f->idx, cap * sizeof(*f->idx));
	f->val = hark_xrealloc(f->val, cap * sizeof(*f->val));
	if (f->want_names)
		f->nameoff = hark_xrealloc(f->nameoff, cap *
		    sizeof(*f->nameoff));
	f->cap = cap;
}

/* Add the feature KIND:S[0..N), whose FNV-1a hash is H, with value V. */
static inline void
push(struct hark_feats *f, const struct hark_feat_opts *o, uint32_t h,
    char kind, const char *s, size_t n, float v)
{
	if (f->n == f->cap)
		grow(f, f->n + 1);
	f->idx[f->n] = slot(o, h);
	f->val[f->n] = v;
	f->sumsq += (double)v * v;	/* for the unit length, in order */
	if (f->want_names)
		name(f, kind, s, n);
	f->n++;
}

/* The name of the feature being pushed (--explain only). */
static void
name(struct hark_feats *f, char kind, const char *s, size_t n)
{
	f->nameoff[f->n] = f->names.len;
	if (hark_buf_addch(&f->names, kind) < 0 ||
	    hark_buf_addch(&f->names, ':') < 0 ||
	    hark_buf_add(&f->names, s, n) < 0 ||
	    hark_buf_addch(&f->names, '\0') < 0)
		f->nameoff[f->n] = 0;
}

/* Add the feature KIND:S[0..N) with value V. */
static void
add(struct hark_feats *f, const struct hark_feat_opts *o, char kind,
    const char *s, size_t n, float v)
{
	push(f, o, fnv(fnv(FNV_INIT, &kind, 1), s, n), kind, s, n, v);
}

static void
adds(struct hark_feats *f, const struct hark_feat_opts *o, char kind,
    const char *s)
{
	add(f, o, kind, s, strlen(s), 1);
}

#define NEG(s) { s, sizeof(s) - 1 }
static const struct negator {
	const char *s;
	size_t n;
} negators[] = { NEG("not"), NEG("no"), NEG("never"), NEG("nothing"),
    NEG("nobody"), NEG("none"), NEG("nor"), NEG("neither"), NEG("without"),
    NEG("cannot"), NEG("cant"), NEG("dont"), NEG("doesnt"), NEG("didnt"),
    NEG("isnt"), NEG("wasnt"), NEG("arent"), NEG("werent"), NEG("wont"),
    NEG("wouldnt"), NEG("shouldnt"), NEG("couldnt"), NEG("havent"),
    NEG("hasnt"), NEG("hadnt"), NEG("aint"), NEG("nie"), NEG("nigdy"),
    NEG("brak"), NEG("bez"), NEG("zaden"), NEG("zadna"), NEG("zadne"),
    NEG("zadnego"), NEG("zadnej"), NEG("ani"), NEG("ne"), NEG("nikdy"),
    NEG("zadny"), NEG("nic"), NEG("nikto"), NEG("nikdo"), NEG("nikt") };

_Static_assert(HARK_ARRAY_SIZE(negators) <= 64, "negators: one bit each");

/* The negators starting with each letter a..z, as bits of negators[]
 * indices (built once per hark_feats: only those are compared). */
static void
negator_index(uint64_t *first)
{
	size_t i;

	for (i = 0; i < 26; i++)
		first[i] = 0;
	for (i = 0; i < HARK_ARRAY_SIZE(negators); i++)
		first[negators[i].s[0] - 'a'] |= (uint64_t)1 << i;
}

static int
is_negator(const struct hark_feats *f, const char *w, size_t n)
{
	uint64_t cand;
	size_t i;

	if (n >= 3 && (memcmp(w + n - 3, "n't", 3) == 0))
		return 1;
	if (n >= 5 && memcmp(w + n - 5, "n\xe2\x80\x99t", 5) == 0)
		return 1;
	if (n < 2 || n > 8)
		return 0;
	if (w[0] < 'a' || w[0] > 'z')
		return 0;
	for (cand = f->negfirst[w[0] - 'a']; cand != 0; cand &= cand - 1) {
		i = (size_t)__builtin_ctzll(cand);
		if (negators[i].n == n && same(negators[i].s, w, n))
			return 1;
	}
	return 0;
}

/* Room for twice as many words. */
static void
words_grow(struct hark_feats *f)
{
	f->capwords = f->capwords ? f->capwords * 2 : 64;
	f->wordhash = hark_xrealloc(f->wordhash, f->capwords *
	    sizeof(*f->wordhash));
	f->wordoff = hark_xrealloc(f->wordoff, f->capwords *
	    sizeof(*f->wordoff));
	f->wordlen = hark_xrealloc(f->wordlen, f->capwords *
	    sizeof(*f->wordlen));
	f->wordneg = hark_xrealloc(f->wordneg, f->capwords);
}

/* Remember the folded word at FOLD[OFF..) (or the placeholder S), whose
 * FNV-1a hash is H. */
static inline void
push_word_h(struct hark_feats *f, size_t off, size_t len, int neg,
    uint32_t h)
{
	if (f->nwords == f->capwords)
		words_grow(f);
	f->wordoff[f->nwords] = off;
	f->wordlen[f->nwords] = len;
	f->wordneg[f->nwords] = (unsigned char)neg;
	f->wordhash[f->nwords] = h;
	f->nwords++;
}

static void
push_word(struct hark_feats *f, size_t off, size_t len, int neg)
{
	push_word_h(f, off, len, neg, fnv(FNV_INIT, f->fold.ptr + off, len));
}

/* Append a placeholder word ("<num>") to the fold buffer. */
static int
placeholder(struct hark_feats *f, const char *s, size_t *off, size_t *len)
{
	*off = f->fold.len;
	if (hark_buf_addstr(&f->fold, s) < 0)
		return -1;
	*len = strlen(s);
	return 0;
}

/* The char n-grams of the folded word W[0..N), padded with '<' '>'. */
static void
chargrams(struct hark_feats *f, const struct hark_feat_opts *o,
    const char *w, size_t n)
{
	/* pos[j]: byte offset of code point j of "<w>"; pos[m]: its end */
	size_t pos[CHARGRAM_WORD_MAX + 4], m = 0, p = 0, i, k;
	char buf[4 * CHARGRAM_WORD_MAX + 8];
	const uint32_t hc = fnv(FNV_INIT, "c", 1);

	if (n > 4 * CHARGRAM_WORD_MAX)
		return;
	pos[m++] = 0;
	while (p < n) {
		int32_t cp;

		if (m > CHARGRAM_WORD_MAX)
			return;
		pos[m++] = p + 1;
		if ((unsigned char)w[p] < 0x80)
			p++;
		else
			p += hark_utf8_next(w + p, n - p, &cp);
	}
	pos[m++] = n + 1;	/* '>' */
	pos[m] = n + 2;
	buf[0] = '<';
	memcpy(buf + 1, w, n);
	buf[n + 1] = '>';
	/* from each start with room for an n-gram, the hash grows with it
	 * a code point at a time (one byte: one FNV step, inline) */
	for (i = 0; i + o->cmin <= m; i++) {
		uint32_t h = hc;
		size_t kmax = m - i < o->cmax ? m - i : o->cmax;

		for (k = 1; k <= kmax; k++) {
			size_t a = pos[i + k - 1], z = pos[i + k];

			if (z - a == 1)
				h = (h ^ (unsigned char)buf[a]) * FNV_PRIME;
			else
				h = fnv(h, buf + a, z - a);
			if (k >= o->cmin)
				push(f, o, h, 'c', buf + pos[i], z - pos[i],
				    HARK_FEAT_CHAR_WEIGHT);
		}
	}
}

/* A group (hark_feats_group()) at IDX[N0..N0+N): cache entry E (then
 * N is 0, and its n-grams' squares are counted here, as push() would
 * count them, unless COUNTED) or, with E NULL, the N slots pushed. */
static void
group(struct hark_feats *f, struct cache_ent *e, size_t n0, size_t n,
    int counted)
{
	struct hark_feat_group *g;
	size_t j;

	if (e != NULL && !counted) {
		const float v = HARK_FEAT_CHAR_WEIGHT;
		double sumsq = f->sumsq;

		for (j = 0; j < e->nslot; j++)
			sumsq += (double)v * v;	/* as push(), in order */
		f->sumsq = sumsq;
	}
	if (f->ngrp == f->capgrp) {
		f->capgrp = f->capgrp ? 2 * f->capgrp : 64;
		f->grp = hark_xrealloc(f->grp, f->capgrp * sizeof(*f->grp));
	}
	g = &f->grp[f->ngrp++];
	g->at = (uint32_t)n0;
	g->n = (uint32_t)n;
	g->ent = HARK_FEAT_INLINE;
	if (e != NULL) {
		g->ent = (uint32_t)(e - f->cache->ent);
		e->stamp = f->textno;
	}
}

/* chargrams(), as an inline group with groups on. */
static void
chargrams_inline(struct hark_feats *f, const struct hark_feat_opts *o,
    const char *w, size_t n)
{
	size_t n0 = f->n;

	chargrams(f, o, w, n);
	if (f->gdim > 0 && f->n > n0)
		group(f, NULL, n0, f->n - n0, 1);
}

/*
 * chargrams() of the folded word W[0..N) whose FNV-1a hash is H, through
 * the cache: a word found there has its slots pushed as chargrams()
 * would push them (same values, same order, so the same sum of squares),
 * or becomes a group (hark_feats_group()); one not found is computed and
 * kept, replacing the entry's word, unless that word is a group of this
 * text.
 */
static void
word_chargrams(struct hark_feats *f, const struct hark_feat_opts *o,
    const char *w, size_t n, uint32_t h)
{
	struct cache_ent *e;
	size_t n0 = f->n, j, k;

	if (f->cache == NULL || f->want_names || n == 0 ||
	    n > HARK_FEAT_CACHE_WORD) {
		chargrams_inline(f, o, w, n);
		return;
	}
	e = &f->cache->ent[(h * 0x9e3779b1u) >> (32 - f->cachebits)];
	if (e->len == n && e->hash == h && same(e->w, w, n)) {
		const float v = HARK_FEAT_CHAR_WEIGHT;

		if (f->gdim > 0) {
			group(f, e, n0, 0, 0);
			f->cachehits++;
			return;
		}
		double sumsq = f->sumsq;
		uint32_t *idx;
		float *val;

		k = e->nslot;
		if (f->cap < n0 + k)
			grow(f, n0 + k);
		idx = f->idx + n0;
		val = f->val + n0;
		for (j = 0; j < k; j++) {
			idx[j] = e->slot[j];
			val[j] = v;
			sumsq += (double)v * v;	/* as push(), in order */
		}
		f->sumsq = sumsq;
		f->n = n0 + k;
		f->cachehits++;
		return;
	}
	chargrams(f, o, w, n);
	if (f->n - n0 > HARK_FEAT_CACHE_SLOTS ||	/* too many to keep */
	    (f->gdim > 0 && e->len > 0 && e->stamp == f->textno)) {
		/* the entry stays (a group of this text is its word) */
		if (f->gdim > 0 && f->n > n0)
			group(f, NULL, n0, f->n - n0, 1);
		return;
	}
	f->cachemisses++;
	e->hash = h;
	e->len = (unsigned char)n;
	e->nslot = (unsigned char)(f->n - n0);
	memcpy(e->w, w, n);
	memcpy(e->slot, f->idx + n0, (f->n - n0) * sizeof(*e->slot));
	if (f->gdim > 0) {	/* pushed and counted: now a group */
		f->gok[e - f->cache->ent] = 0;
		f->n = n0;
		group(f, e, n0, 0, 1);
	}
}

#define BIGRAM_NAME_MAX 128

/* bigram() with its name "A B" (fits BIGRAM_NAME_MAX). */
static void
bigram_named(struct hark_feats *f, const struct hark_feat_opts *o,
    uint32_t h, const char *a, size_t an, const char *b, size_t bn)
{
	char buf[BIGRAM_NAME_MAX];

	memcpy(buf, a, an);
	buf[an] = ' ';
	memcpy(buf + an + 1, b, bn);
	push(f, o, h, 'b', buf, an + 1 + bn, 1);
}

/* The pair A B with hash H (its name only built for --explain, in a
 * function of its own: the buffer is not on every pair's path). */
static inline void
bigram(struct hark_feats *f, const struct hark_feat_opts *o, uint32_t h,
    const char *a, size_t an, const char *b, size_t bn)
{
	if (!f->want_names || an + bn + 1 > BIGRAM_NAME_MAX)
		push(f, o, h, 'b', "", 0, 1);
	else
		bigram_named(f, o, h, a, an, b, bn);
}

/* "A-B" (at most 62 bytes) into OUT; returns OUT. */
static const char *
join(char *out, const char *a, char sep, const char *b)
{
	size_t an = strlen(a), bn = strlen(b);

	memcpy(out, a, an);
	out[an] = sep;
	memcpy(out + an + 1, b, bn + 1);
	return out;
}

static void
lexicon(struct hark_feats *f, const struct hark_feat_opts *o,
    const struct hark_sentiment_result *lex, enum hark_lang lang)
{
	static const char *const lab[] = { "neg", "neu", "pos" };
	static const char *const how[] = { "stem", "phrase", "negated",
	    "prefix", "boosted", "dampened", "caps", "before-contrast",
	    "after-contrast", "sarcasm", "duration", "superlative",
	    "emphasis", "question" };
	static const char *const bucket[] = { "bucket0", "bucket1",
	    "bucket2", "bucket3", "bucket4", "bucket5", "bucket6", "bucket7" };
	static const char *const pos[] = { "pos0", "pos1", "pos2", "pos3" };
	static const char *const neg[] = { "neg0", "neg1", "neg2", "neg3" };
	char s[64];
	size_t i, b;
	int bk, npos = 0, nneg = 0;

	add(f, o, 'x', "score", 5, (float)lex->score);
	bk = (int)floor((lex->score + 1.0) * 4.0);
	adds(f, o, 'x', bucket[bk > 7 ? 7 : bk < 0 ? 0 : bk]);
	adds(f, o, 'x', lab[lex->label + 1]);
	if (o->flags & HARK_FEAT_LANG)
		adds(f, o, 'x', join(s, hark_lang_code(lang), '-',
		    lab[lex->label + 1]));
	if (lex->score == 0)
		adds(f, o, 'x', "zero");
	for (i = 0; i < lex->nterms; i++) {
		const struct hark_sentiment_term *t = &lex->terms[i];
		const char *sign = t->value < 0 ? "-" : "+";

		if (t->value < 0)
			nneg++;
		else if (t->value > 0)
			npos++;
		for (b = 0; b < HARK_ARRAY_SIZE(how); b++)
			if (t->how & (1u << b))
				adds(f, o, 'r', join(s, how[b], *sign, ""));
	}
	adds(f, o, 'x', pos[npos > 3 ? 3 : npos]);
	adds(f, o, 'x', neg[nneg > 3 ? 3 : nneg]);
	if (npos > 0 && nneg > 0)
		adds(f, o, 'x', "mixed");
}

/*
 * hark_text_fold() of the word S[0..N) onto F->fold, through the cache:
 * the same bytes, and a failure (the buffer full) exactly where it would
 * fail (the bytes go in through hark_buf_add() either way).
 */
static int
fold_word(struct hark_feats *f, const char *s, size_t n)
{
	struct fold_ent *e;
	size_t off = f->fold.len;
	uint32_t h;

	if (f->cache == NULL || n == 0 || n > FOLD_RAW_MAX)
		return hark_text_fold(s, n, &f->fold);
	h = fnv(FNV_INIT, s, n);
	e = &f->cache->fold[((h * 0x9e3779b1u) >> 16) & (FOLD_ENTS - 1)];
	if (e->rlen == n && e->hash == h && same(e->raw, s, n))
		return hark_buf_add(&f->fold, e->folded, e->flen);
	if (hark_text_fold(s, n, &f->fold) < 0)
		return -1;
	if (f->fold.len - off > FOLD_MAX)
		return 0;
	e->hash = h;
	e->rlen = (unsigned char)n;
	e->flen = (unsigned char)(f->fold.len - off);
	memcpy(e->raw, s, n);
	memcpy(e->folded, f->fold.ptr + off, e->flen);
	return 0;
}

/*
 * TOK holds the first HARK_FEAT_TOKENS tokens of a text, the last ending
 * at PREFIX: make it the tokens of TEXT[0..PREFIX) alone (returns how
 * many).  They differ only where the tokeniser looked past PREFIX ("<3"
 * is a heart at the end of the text, not before a letter), and it never
 * looks past the first white space after the place where a token starts:
 * the tokens before the last white space of the prefix are the same, the
 * ones after it are tokenised again.
 */
static size_t
prefix_tail(const char *text, size_t prefix, struct hark_token *tok)
{
	struct hark_tokenizer tk;
	size_t r = prefix, j = 0;

	while (r > 0 && text[r - 1] != ' ' && (text[r - 1] < '\t' ||
	    text[r - 1] > '\r'))	/* ASCII white space */
		r--;
	while (j < HARK_FEAT_TOKENS && tok[j].off < r)
		j++;
	hark_tok_init(&tk, text, prefix);
	tk.pos = r;
	while (j < HARK_FEAT_TOKENS && hark_tok_next(&tk, &tok[j]))
		j++;
	return j;
}

size_t
hark_feats_text(const struct hark_feat_opts *o, const char *text,
    size_t len, struct hark_feats *f)
{
	struct hark_tokenizer tk;
	struct hark_token *tok = f->tok;	/* kept for the scorer */
	size_t ntok = 0, it, i, off, wl, prefix;
	int scope = 0, ncaps = 0, nemoji = 0, nelong = 0;
	char key[64];

	f->n = 0;
	f->sumsq = 0;
	f->nwords = 0;
	f->ngrp = 0;
	if (++f->textno == 0)
		f->textno = 1;
	cache_ready(f, o);
	hark_buf_reset(&f->names);
	hark_buf_reset(&f->fold);
	if (f->want_names)	/* offset 0 names nothing */
		(void)hark_buf_add(&f->names, "?", 2);
	/* the first HARK_FEAT_TOKENS tokens, then those of the prefix */
	hark_tok_init(&tk, text, len);
	while (ntok < HARK_FEAT_TOKENS && hark_tok_next(&tk, &tok[ntok]))
		ntok++;
	prefix = len;
	if (len > HARK_FEAT_PREFIX_MIN && ntok == HARK_FEAT_TOKENS &&
	    (prefix = tok[ntok - 1].off + tok[ntok - 1].len) < len)
		ntok = prefix_tail(text, prefix, tok);
	f->ntok = ntok;
	for (it = 0; it < ntok; it++) {
		const struct hark_token t = tok[it];
		const char *s = text + t.off;
		size_t n = t.len;

		switch (t.type) {
		case HARK_TOK_HASHTAG:
			s++;
			n--;
			if (o->flags & HARK_FEAT_SHAPE)
				adds(f, o, 's', "hashtag");
			/* FALLTHROUGH */
		case HARK_TOK_WORD:
			off = f->fold.len;
			if (t.flags & HARK_TOK_ASCII) {	/* fold = lower case */
				char *p;
				size_t k;
				uint32_t h = FNV_INIT;

				if (hark_buf_add(&f->fold, s, n) < 0)
					goto done;
				/* hashed as it is lowered (as push_word()) */
				for (p = f->fold.ptr + off, k = 0; k < n; k++) {
					if (p[k] >= 'A' && p[k] <= 'Z')
						p[k] += 32;
					h = (h ^ (unsigned char)p[k]) * FNV_PRIME;
				}
				wl = n;
				push_word_h(f, off, wl, scope > 0, h);
			} else {
				if (fold_word(f, s, n) < 0)
					goto done;
				wl = f->fold.len - off;
				push_word(f, off, wl, scope > 0);
			}
			if (t.flags & HARK_TOK_CAPS)
				ncaps++;
			if (t.flags & HARK_TOK_ELONGATED)
				nelong++;
			if (scope > 0)
				scope--;
			if (is_negator(f, f->fold.ptr + off, wl))
				scope = NEG_SCOPE;
			break;
		case HARK_TOK_NUMBER:
			if (placeholder(f, "<num>", &off, &wl) < 0)
				goto done;
			push_word(f, off, wl, 0);
			break;
		case HARK_TOK_URL:
			if (placeholder(f, "<url>", &off, &wl) < 0)
				goto done;
			push_word(f, off, wl, 0);
			if (o->flags & HARK_FEAT_SHAPE)
				adds(f, o, 's', "url");
			break;
		case HARK_TOK_MENTION:
			if (placeholder(f, "<user>", &off, &wl) < 0)
				goto done;
			push_word(f, off, wl, 0);
			break;
		case HARK_TOK_EMOJI:
			nemoji++;
			if (o->flags & HARK_FEAT_EMOJI) {
				size_t k = hark_tok_emoji_key(s, n, 0, key,
				    sizeof(key));

				add(f, o, 'e', key, k, 1);
			}
			break;
		case HARK_TOK_EMOTICON:
			nemoji++;
			if (o->flags & HARK_FEAT_EMOJI)
				add(f, o, 'e', s, n > 8 ? 8 : n, 1);
			break;
		case HARK_TOK_PUNCT:
			if (t.ch == '.' || t.ch == ',' || t.ch == ';' ||
			    t.ch == ':' || t.ch == '!' || t.ch == '?')
				scope = 0;
			if (!(o->flags & HARK_FEAT_SHAPE))
				break;
			if (t.bangs >= 2)
				adds(f, o, 's', "!!");
			else if (t.bangs == 1)
				adds(f, o, 's', "!");
			if (t.questions > 0)
				adds(f, o, 's', "?");
			break;
		default:
			break;
		}
	}
done:
	for (i = 0; i < f->nwords; i++) {
		const char *w = f->fold.ptr + f->wordoff[i];
		size_t n = f->wordlen[i];
		uint32_t h = f->wordhash[i];

		if (o->flags & HARK_FEAT_WORDS)
			push(f, o, h ^ SALT_WORD, 'w', w, n, 1);
		if ((o->flags & HARK_FEAT_NEGATION) && f->wordneg[i])
			push(f, o, h ^ SALT_NEG, 'n', w, n, 1);
		if ((o->flags & HARK_FEAT_CHARS) && w[0] != '<')
			word_chargrams(f, o, w, n, h);
		if (o->flags & HARK_FEAT_BIGRAMS) {
			/* a pair's hash: the two words' hashes combined */
			uint32_t hp = i ? f->wordhash[i - 1] : SALT_START;

			bigram(f, o, hp * 0x9e3779b1u ^ h,
			    i ? f->fold.ptr + f->wordoff[i - 1] : "<s>",
			    i ? f->wordlen[i - 1] : 3, w, n);
			if (i + 1 == f->nwords)
				bigram(f, o, h * 0x9e3779b1u ^ SALT_END, w, n,
				    "</s>", 4);
		}
	}
	if (o->flags & HARK_FEAT_EMOJI && nemoji > 0)
		adds(f, o, 'e', nemoji > 2 ? "count3" : nemoji > 1 ?
		    "count2" : "count1");
	if (o->flags & HARK_FEAT_SHAPE) {
		if (ncaps > 0)
			adds(f, o, 's', ncaps > 2 ? "caps3" : ncaps > 1 ?
			    "caps2" : "caps1");
		if (nelong > 0)
			adds(f, o, 's', "elongated");
		adds(f, o, 's', f->nwords < 5 ? "len<5" : f->nwords < 12 ?
		    "len<12" : f->nwords < 25 ? "len<25" : "len>=25");
	}
	return prefix;
}

void
hark_feats_end(const struct hark_feat_opts *o, enum hark_lang lang,
    const struct hark_sentiment_result *lex, struct hark_feats *f)
{
	double norm;
	size_t i;

	if (o->flags & HARK_FEAT_LANG)
		adds(f, o, 'l', hark_lang_code(lang));
	if ((o->flags & HARK_FEAT_LEXICON) && lex != NULL)
		lexicon(f, o, lex, lang);
	norm = hark_feats_scale(f);
	for (i = 0; i < f->n; i++)
		f->val[i] = (float)(f->val[i] * norm);
}

void
hark_feats_extract(const struct hark_feat_opts *o, const char *text,
    size_t len, enum hark_lang lang, const struct hark_sentiment_result *lex,
    struct hark_feats *f)
{
	(void)hark_feats_text(o, text, len, f);
	hark_feats_end(o, lang, lex, f);
}

size_t
hark_feats_prefix(const char *text, size_t len)
{
	struct hark_tokenizer tk;
	struct hark_token t;
	size_t n = 0, end = 0;

	if (len <= HARK_FEAT_PREFIX_MIN)
		return len;
	hark_tok_init(&tk, text, len);
	while (n++ < HARK_FEAT_TOKENS && hark_tok_next(&tk, &t))
		end = t.off + t.len;
	return n <= HARK_FEAT_TOKENS ? len : end;
}
