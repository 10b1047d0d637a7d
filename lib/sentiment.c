/* sentiment.c - lexicon-and-rules sentiment scorer (see sentiment.h). */
#include <math.h>
#include "buf.h"
#include "embed.h"
#include "text.h"
#include "token.h"
#include "sentiment.h"

/* Kinds of lexicon entry (bits: one term may be several kinds). */
enum {
	K_WORD = 1,		/* has a valence */
	K_NEG = 2,		/* negator */
	K_BOOST = 4,		/* intensifier (>0) or dampener (<0) */
	K_CONTRAST = 8,		/* "but" */
	K_NEGATED = 16,		/* value when negated */
	K_DURATION = 32,	/* value after a number or quantifier */
	K_QUANT = 64,		/* "several", "kilka" */
	K_THANKS = 128,		/* thanks: flips in a complaint */
	K_PSTART = 256,		/* first word of a phrase entry */
	K_SETTINGS = 512,	/* [settings]: not a term */
	K_FILL = 1024		/* from a fill-in list (add_term) */
};
#define K_SEMANTIC (K_WORD | K_NEGATED | K_DURATION)

/* VADER's constants. */
#define B_INCR 0.293
#define C_INCR 0.733
#define N_SCALAR (-0.74)
/* a negated complaint is at most mildly positive ("not bad", "don't
 * worry"), and often no praise at all: "don't kill it", "not rigged",
 * "don't forget" (idioms that praise are phrases: "no problem") */
#define N_SCALAR_NEG (-0.1)
/* a sentiment word inside a name ("Morning Star Online") */
#define NAME_WEIGHT 0.4
#define ALPHA 15.0


#define MAX_ITEMS 4096
#define MAX_MASKED 16		/* "k***a" look-ups a text gets */
#define MAX_KEY 256
#define ARENA_MAX (64u << 20)

struct ent {
	uint32_t hash;
	uint32_t koff;		/* key offset in the arena */
	uint16_t klen;
	uint16_t kinds;
	uint8_t maxw;		/* K_PSTART: longest phrase in words */
	float val, nval, boost, dur;
};

struct tab {
	struct ent *e;
	size_t cap, n;
	/*
	 * A Bloom filter over the keys' hashes, 8 bits per slot (so at least
	 * 16 per key), two bits per key: most lookups are misses (every
	 * prefix of every word is tried as a stem) and a miss found here
	 * costs one access to a small array instead of a probe of the big
	 * table (about 2.5 % of misses get through).
	 */
	uint64_t *bloom;
	size_t maxk;		/* longest key: longer ones are not looked up */
};

struct lex {
	enum hark_lang lang;
	struct tab exact, stem;
	struct tab infl;	/* Slavic: stripped form -> word (build_infl) */
};

struct item {		/* tokenise() sets every member: keep it in step */
	enum hark_tok_type type;
	size_t off, len;
	unsigned tflags;
	size_t foff, flen;	/* folded text in s->fold */
	int bangs, questions, ch, repeat;
	const struct ent *mod;	/* exact entry, for modifier roles */
	double val;		/* contribution */
	unsigned how;
	size_t end;		/* byte end of a phrase match */
	unsigned char consumed, scored, thanks;
	unsigned char nparts;	/* HASHTAG: the part items that follow */
};

/* Inflectional endings by last letter, longest first (infl_stem). */
#define INFL_ENDINGS_MAX 72
struct infl_index {
	const char *end[26][INFL_ENDINGS_MAX];
	unsigned char len[26][INFL_ENDINGS_MAX];
	unsigned char n[26];
};

/*
 * The words looked up lately (lookup_word_memo): a word's entry depends
 * only on the word, the language and the tables, and a text's words are
 * mostly the few hundred of everyday speech.  An entry is valid while
 * its GEN is the scorer's (every change to the tables moves that on).
 */
#define MEMO_SLOTS 4096		/* a power of two */
#define MEMO_KEY 30		/* longer words are not kept */
struct memo {
	uint32_t gen;		/* 0: empty */
	uint32_t hash;
	const struct ent *e;
	unsigned how;
	unsigned char lang, elongated, len;
	char w[MEMO_KEY];
};

struct hark_sentiment {
	struct lex lex[HARK_LANG_COUNT];
	struct infl_index infl_ix[2];	/* Polish; Czech and Slovak */
	struct memo *memo;		/* [MEMO_SLOTS] */
	uint32_t gen;			/* of the tables, from 1 */
	struct hark_buf arena;
	enum hark_lang deflang;
	double threshold;	/* < 0: the language's own */
	double lthreshold[HARK_LANG_COUNT];
	double lthreshold_neg[HARK_LANG_COUNT];
	double mixed_praise[HARK_LANG_COUNT];	/* [settings] mixed-praise */
	unsigned char lneg_set[HARK_LANG_COUNT];
	struct item *items;
	size_t nitems, capitems;
	unsigned char loaded[HARK_LANG_COUNT];
	struct extra {		/* lexicons added at run time, in order */
		char *name, *data;
		size_t len;
		enum hark_lex_format fmt;
		enum hark_lang lang;
	} *extra;
	size_t nextra;
	struct hark_buf fold;
	struct hark_buf tmp;
	int fill;		/* loading a fill-in lexicon (add_term) */
	int lowercase;		/* text mostly in lower case; -1: unknown */
	unsigned masked;	/* masked words looked up in this text */
	int has_masked;		/* the text has one (merge_masked()) */
};

/* Fill-in entries rated closer to neutral than this are left out. */
#define FILL_MIN 0.5
/* ... and weigh 0.8 of their rating */
#define FILL_WEIGHT 0.8

static void build_infl(struct hark_sentiment *s, enum hark_lang l);
static void infl_index_build(struct infl_index *x, int set);

/* ---- hash tables ---------------------------------------------------- */

static uint32_t
hash_bytes(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

static const char *
ent_key(const struct hark_sentiment *s, const struct ent *e)
{
	return s->arena.ptr + e->koff;
}

/* The two filter bits of hash H in a table of CAP slots (CAP * 8 bits). */
static inline size_t
bloom_bit2(uint32_t h, size_t cap)
{
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h & (cap * 8 - 1);
}

static void
bloom_set(struct tab *t, uint32_t h)
{
	size_t b1 = h & (t->cap * 8 - 1), b2 = bloom_bit2(h, t->cap);

	t->bloom[b1 / 64] |= 1ull << (b1 % 64);
	t->bloom[b2 / 64] |= 1ull << (b2 % 64);
}

static inline int
bloom_may_have(const struct tab *t, uint32_t h)
{
	size_t b1 = h & (t->cap * 8 - 1), b2 = bloom_bit2(h, t->cap);

	return (t->bloom[b1 / 64] >> (b1 % 64) & 1) &&
	    (t->bloom[b2 / 64] >> (b2 % 64) & 1);
}

/* The probe of tab_find_h, out of line: most lookups never get here. */
static const struct ent *
tab_probe(const struct hark_sentiment *s, const struct tab *t, const char *k,
    size_t n, uint32_t h)
{
	size_t i;

	for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		const struct ent *e = &t->e[i];

		if (e->klen == 0)
			return NULL;
		if (e->hash == h && e->klen == n &&
		    memcmp(ent_key(s, e), k, n) == 0)
			return e;
	}
}

/* Find key K[0..N) whose hash_bytes() is H (the filters inline). */
static inline const struct ent *
tab_find_h(const struct hark_sentiment *s, const struct tab *t, const char *k,
    size_t n, uint32_t h)
{
	if (n == 0 || n > t->maxk || !bloom_may_have(t, h))
		return NULL;
	return tab_probe(s, t, k, n, h);
}

static inline const struct ent *
tab_find(const struct hark_sentiment *s, const struct tab *t, const char *k,
    size_t n)
{
	if (n == 0 || n > t->maxk)
		return NULL;
	return tab_find_h(s, t, k, n, hash_bytes(k, n));
}

/*
 * The hashes of every prefix of a word, for the loops that try each
 * prefix as a stem: one pass over the word instead of one per prefix.
 */
struct pfx {
	const char *w;
	size_t n;			/* prefixes hashed: 0..n */
	uint32_t h[MAX_KEY + 1];
};

static void
pfx_init(struct pfx *p, const char *w, size_t n)
{
	size_t i;

	p->w = w;
	p->n = n < MAX_KEY ? n : MAX_KEY;
	p->h[0] = 2166136261u;
	for (i = 0; i < p->n; i++)
		p->h[i + 1] = (p->h[i] ^ (unsigned char)w[i]) * 16777619u;
}

/* tab_find for the first L bytes of P's word. */
static inline const struct ent *
tab_find_pfx(const struct hark_sentiment *s, const struct tab *t,
    const struct pfx *p, size_t l)
{
	if (l > p->n)
		return tab_find(s, t, p->w, l);
	return tab_find_h(s, t, p->w, l, p->h[l]);
}

static void
tab_grow(struct tab *t)
{
	struct ent *old = t->e;
	size_t oldcap = t->cap, i;

	t->cap = oldcap ? oldcap * 2 : 1024;
	t->e = hark_xcalloc(t->cap, sizeof(*t->e));
	free(t->bloom);
	t->bloom = hark_xcalloc(t->cap / 8, sizeof(*t->bloom));
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (old[i].klen == 0)
			continue;
		bloom_set(t, old[i].hash);
		for (j = old[i].hash & (t->cap - 1); t->e[j].klen != 0;
		    j = (j + 1) & (t->cap - 1))
			;
		t->e[j] = old[i];
	}
	free(old);
}

static void
presize(struct tab *t, size_t cap)
{
	if (t->cap == 0) {
		t->cap = cap;
		t->e = hark_xcalloc(cap, sizeof(*t->e));
		t->bloom = hark_xcalloc(cap / 8, sizeof(*t->bloom));
	}
}

static struct ent *
tab_get(struct hark_sentiment *s, struct tab *t, const char *k, size_t n)
{
	uint32_t h = hash_bytes(k, n);
	size_t i;
	struct ent *e;

	s->gen++;	/* a new entry, or one the caller changes: forget */
	if ((t->n + 1) * 2 > t->cap)
		tab_grow(t);
	for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		e = &t->e[i];
		if (e->klen == 0)
			break;
		if (e->hash == h && e->klen == n &&
		    memcmp(ent_key(s, e), k, n) == 0)
			return e;
	}
	if (hark_buf_add(&s->arena, k, n) < 0 ||
	    hark_buf_addch(&s->arena, '\0') < 0)
		return NULL;
	e->hash = h;
	bloom_set(t, h);
	if (n > t->maxk)
		t->maxk = n;
	e->koff = (uint32_t)(s->arena.len - n - 1);
	e->klen = (uint16_t)n;
	t->n++;
	return e;
}

/* ---- keys ------------------------------------------------------------ */

/* Emoticon key: no nose, no repeats, "xD" in lower case. */
static size_t
emoticon_key(const char *p, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0;
	int lower = n > 0 && (p[0] == 'x' || p[0] == 'X');

	for (i = 0; i < n && o + 1 < outsz; i++) {
		char c = p[i];

		if (c == '-' && i > 0 && p[0] != '-')
			continue;
		if (lower && c >= 'A' && c <= 'Z')
			c += 32;
		out[o++] = c;
	}
	/* collapse a trailing run: ":(((" -> ":(" */
	while (o > 2 && out[o - 1] == out[o - 2] && out[0] != '^' &&
	    out[0] != '-')
		o--;
	out[o] = '\0';
	return o;
}

enum fold_how {
	FOLD_TEXT,	/* any UTF-8: hark_text_fold() */
	FOLD_ASCII,	/* plain ASCII: lower case */
	FOLD_COPY	/* plain ASCII without capitals: as it is */
};

/* FOLD_COPY, FOLD_ASCII or FOLD_TEXT for a word, number or hashtag token
 * with token.h FLAGS (only those have HARK_TOK_UPPER for every capital). */
static enum fold_how
fold_how(unsigned flags)
{
	return !(flags & HARK_TOK_ASCII) ? FOLD_TEXT :
	    (flags & HARK_TOK_UPPER) ? FOLD_ASCII : FOLD_COPY;
}

/* Append P[0..N) folded to B. */
static int
fold_word(struct hark_buf *b, const char *p, size_t n, enum fold_how how)
{
	size_t i;
	char *o;

	if (how == FOLD_TEXT)
		return hark_text_fold(p, n, b);
	if (hark_buf_reserve(b, n) < 0)
		return -1;
	o = b->ptr + b->len;
	if (how == FOLD_COPY)
		memcpy(o, p, n);
	else
		for (i = 0; i < n; i++) {
			char c = p[i];

			o[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

/*
 * The key of a lexicon term: an emoticon or emoji key when the term is
 * one, else the folded words joined by single spaces.  *NWORDS gets the
 * number of words.  Returns the length, 0 when the term is empty.
 */
static size_t
term_key(const char *p, size_t n, struct hark_buf *out, int *nwords)
{
	struct hark_tokenizer t;
	struct hark_token tok;
	char k[MAX_KEY];
	size_t kl, before;
	int first = 1;

	hark_buf_reset(out);
	*nwords = 0;
	/* fast path: lower-case ASCII words and single spaces */
	for (kl = 0; kl < n; kl++) {
		char c = p[kl];

		if (!((c >= 'a' && c <= 'z') || c == '\'' || (c == ' ' &&
		    kl > 0 && p[kl - 1] != ' ' && kl + 1 < n)))
			break;
	}
	if (kl == n && n > 0 && p[0] != '\'') {
		hark_buf_add(out, p, n);
		*nwords = 1;
		for (kl = 0; kl < n; kl++)
			*nwords += p[kl] == ' ';
		return out->len;
	}
	hark_tok_init(&t, p, n);
	while (hark_tok_next(&t, &tok)) {
		if (first && (tok.type == HARK_TOK_EMOTICON ||
		    tok.type == HARK_TOK_EMOJI) && tok.off + tok.len == n) {
			if (tok.type == HARK_TOK_EMOTICON)
				kl = emoticon_key(p + tok.off, tok.len, k,
				    sizeof(k));
			else
				kl = hark_tok_emoji_key(p + tok.off, tok.len,
				    0, k, sizeof(k));
			hark_buf_add(out, k, kl);
			*nwords = 1;
			return out->len;
		}
		first = 0;
		if (tok.type == HARK_TOK_PUNCT && (tok.ch == '-' ||
		    tok.ch == '#'))
			continue;
		before = out->len;
		if (out->len > 0 && hark_buf_addch(out, ' ') < 0)
			return 0;
		if (tok.type == HARK_TOK_HASHTAG) {
			tok.off++;
			tok.len--;
		}
		if (fold_word(out, p + tok.off, tok.len,
		    (tok.flags & HARK_TOK_ASCII) ? FOLD_ASCII : FOLD_TEXT) < 0)
			return 0;
		if (out->len == before + (before > 0)) {
			/* folded to nothing (combining marks alone): no
			 * word, and no space before it (with none, OUT may
			 * still have no allocation) */
			if (before > 0) {
				out->len = before;
				out->ptr[before] = '\0';
			}
			continue;
		}
		(*nwords)++;
	}
	return out->len;
}

/* ---- lexicon files ----------------------------------------------------- */

static int
parse_value(const char *p, size_t n, double *v)
{
	char tmp[64], *end;

	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r'))
		n--;
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	errno = 0;
	*v = strtod(tmp, &end);
	if (*end != '\0' || errno != 0 || !isfinite(*v) || *v < -100 ||
	    *v > 100)
		return -1;
	return 0;
}

/* Add one term of KIND with value V to language L. */
static int
add_term(struct hark_sentiment *s, enum hark_lang l, const char *p,
    size_t n, int kind, double v)
{
	int stem = 0, nw;
	size_t kl;
	struct ent *e;
	struct lex *lx = &s->lex[l];
	const char *sp;

	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	/* "dobr*" is a stem; ":*" is a kiss */
	if (n > 1 && p[n - 1] == '*' && (((unsigned char)p[n - 2] >= 0x80) ||
	    (p[n - 2] >= 'a' && p[n - 2] <= 'z') || (p[n - 2] >= 'A' &&
	    p[n - 2] <= 'Z') || (p[n - 2] >= '0' && p[n - 2] <= '9'))) {
		stem = 1;
		n--;
	}
	if (n == 0)
		return -1;
	kl = term_key(p, n, &s->tmp, &nw);
	if (kl == 0 || kl >= MAX_KEY)
		return -1;
	/*
	 * A fill-in lexicon (the vendored VADER list) only adds words the
	 * hark lexicons do not know in any role, exactly or through a stem
	 * of at least 3 bytes, and none rated near neutral: hark's own
	 * entries, modifiers and care vocabulary win.
	 */
	if (s->fill) {
		size_t l;

		if (stem || nw > 1 || fabs(v) < FILL_MIN ||
		    tab_find(s, &lx->exact, s->tmp.ptr, kl) != NULL)
			return 0;
		/* two letters are an acronym of anything ("bl", "gt", "po",
		 * "tx" is Texas): hark's lexicons list the ones they mean */
		if (kl <= 2 && ((s->tmp.ptr[0] >= 'a' && s->tmp.ptr[0] <= 'z') ||
		    (unsigned char)s->tmp.ptr[0] >= 0x80))
			return 0;
		for (l = kl; l >= 3; l--)
			if (tab_find(s, &lx->stem, s->tmp.ptr, l) != NULL)
				return 0;
	}
	e = tab_get(s, stem ? &lx->stem : &lx->exact, s->tmp.ptr, kl);
	if (e == NULL)
		return -1;
	e->kinds |= (uint16_t)kind;
	if (s->fill)
		e->kinds |= K_FILL;
	switch (kind) {
	case K_WORD:
	case K_THANKS | K_WORD:
		e->val = (float)v;
		break;
	case K_NEGATED:
		e->nval = (float)v;
		break;
	case K_BOOST:
		e->boost = (float)v;
		break;
	case K_DURATION:
		e->dur = (float)v;
		break;
	default:
		break;
	}
	/* a phrase: its first word starts phrases (term_key() puts a space
	 * between the words it counts) */
	sp = nw > 1 ? memchr(s->tmp.ptr, ' ', kl) : NULL;
	if (sp != NULL) {
		size_t fl = (size_t)(sp - s->tmp.ptr);
		char first[MAX_KEY];

		memcpy(first, s->tmp.ptr, fl);
		e = tab_get(s, &lx->exact, first, fl);
		if (e == NULL)
			return -1;
		e->kinds |= K_PSTART;
		if (nw > e->maxw)
			e->maxw = (uint8_t)HARK_MIN(nw, 8);
	}
	return 0;
}

static int
section_kind(const char *p, size_t n, enum hark_lang *lang)
{
	static const struct { const char *name; int kind; } secs[] = {
		{ "words", K_WORD }, { "negators", K_NEG },
		{ "boosters", K_BOOST }, { "contrast", K_CONTRAST },
		{ "negated", K_NEGATED }, { "durations", K_DURATION },
		{ "quantifiers", K_QUANT }, { "thanks", K_THANKS | K_WORD },
		{ "settings", K_SETTINGS }
	};
	size_t i, wl;

	for (wl = 0; wl < n && p[wl] != ' '; wl++)
		;
	*lang = HARK_LANG_UNKNOWN;
	if (wl < n) {
		size_t a = wl;

		while (a < n && p[a] == ' ')
			a++;
		if ((*lang = hark_lang_from_code(p + a, n - a)) ==
		    HARK_LANG_UNKNOWN)
			return -1;
	}
	for (i = 0; i < HARK_ARRAY_SIZE(secs); i++)
		if (strlen(secs[i].name) == wl &&
		    memcmp(secs[i].name, p, wl) == 0)
			return secs[i].kind;
	return -1;
}

static int
kind_needs_value(int kind)
{
	return kind == K_WORD || kind == K_BOOST || kind == K_NEGATED ||
	    kind == K_DURATION || kind == (K_THANKS | K_WORD) ||
	    kind == K_SETTINGS;
}

/* Add to TARGET when the entry is for every language (L unknown) or
 * for TARGET itself. */
static int
add_for(struct hark_sentiment *s, enum hark_lang l, enum hark_lang target,
    const char *p, size_t n, int kind, double v)
{
	if (l != HARK_LANG_UNKNOWN && l != target)
		return 0;
	return add_term(s, target, p, n, kind, v);
}

static enum hark_lex_format
detect_format(const char *d, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		const char *nl = memchr(d + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - d) : len, tabs = 0, k;
		const char *ln = d + i;
		size_t n = e - i;

		i = e + 1;
		while (n > 0 && (*ln == ' ' || *ln == '\t' || *ln == '\r')) {
			ln++;
			n--;
		}
		if (n == 0 || ln[0] == '#')
			continue;
		if (ln[0] == '[' || memchr(ln, '=', n) != NULL)
			return HARK_LEX_HARK;
		for (k = 0; k < n; k++)
			if (ln[k] == '\t')
				tabs++;
		return tabs >= 2 ? HARK_LEX_VADER : HARK_LEX_AFINN;
	}
	return HARK_LEX_HARK;
}

/*
 * Parse lexicon DATA into language TARGET only: entries for every
 * language (LANG unknown, no section language) or for TARGET.
 */
static int
parse_lexicon_for(struct hark_sentiment *s, const char *name,
    const char *data, size_t len, enum hark_lex_format fmt,
    enum hark_lang lang, enum hark_lang target, struct hark_err *err)
{
	size_t i = 0;
	long lineno = 0;
	int kind = K_WORD;
	enum hark_lang seclang = lang;

	if (fmt == HARK_LEX_AUTO)
		fmt = detect_format(data, len);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - data) : len, n;
		const char *ln = data + i;
		double v = 0;

		n = e - i;
		i = e + 1;
		lineno++;
		while (n > 0 && (ln[n - 1] == '\r' || ln[n - 1] == ' ' ||
		    ln[n - 1] == '\t'))
			n--;
		while (n > 0 && (*ln == ' ' || *ln == '\t')) {
			ln++;
			n--;
		}
		if (n == 0 || (ln[0] == '#' && (fmt == HARK_LEX_HARK ||
		    n == 1 || ln[1] == ' ')))
			continue;
		if (fmt == HARK_LEX_HARK) {
			const char *eq, *p, *end;

			if (ln[0] == '[') {
				enum hark_lang sl;

				if (ln[n - 1] != ']' || (kind = section_kind(ln +
				    1, n - 2, &sl)) < 0)
					return hark_err_setl(err, 2, lineno, 1,
					    "%s:%ld: unknown section '%.*s'",
					    name, lineno, (int)HARK_MIN(n, 40),
					    ln);
				seclang = sl != HARK_LANG_UNKNOWN ? sl : lang;
				continue;
			}
			/* a '#' after whitespace starts a comment */
			for (p = ln + 1; p < ln + n; p++)
				if (*p == '#' && (p[-1] == ' ' || p[-1] == '\t'))
					break;
			end = p;
			/* the last '=' separates the value (":=)" is a term) */
			for (eq = end; eq > ln && eq[-1] != '='; eq--)
				;
			if (kind_needs_value(kind)) {
				if (eq == ln || parse_value(eq,
				    (size_t)(end - eq), &v) < 0)
					return hark_err_setl(err, 2, lineno, 1,
					    "%s:%ld: expected 'term = number'",
					    name, lineno);
				eq--;
			} else {
				double x;

				/* "term = 2" under [quantifiers]: a
				 * [words] header is missing, and the words
				 * would silently score nothing */
				if (eq != ln && parse_value(eq,
				    (size_t)(end - eq), &x) == 0)
					return hark_err_setl(err, 2, lineno, 1,
					    "%s:%ld: a value in a section that "
					    "takes none", name, lineno);
				eq = end;
			}
			if (kind == K_SETTINGS) {
				int k;

				while (eq > ln && (eq[-1] == ' ' ||
				    eq[-1] == '\t'))
					eq--;
				size_t kl = (size_t)(eq - ln);
				int which;

				if (kl == 9 && memcmp(ln, "threshold", 9) == 0)
					which = 0;
				else if (kl == 18 && memcmp(ln,
				    "negative-threshold", 18) == 0)
					which = 1;
				else if (kl == 12 && memcmp(ln,
				    "mixed-praise", 12) == 0)
					which = 2;
				else
					which = -1;
				if (which < 0 || v < 0 || (which == 2 ? v > 1 :
				    v >= 1))
					return hark_err_setl(err, 2, lineno, 1,
					    "%s:%ld: unknown setting or bad "
					    "value", name, lineno);
				for (k = HARK_LANG_EN; k < HARK_LANG_COUNT; k++)
					if ((seclang == HARK_LANG_UNKNOWN ||
					    (int)seclang == k) &&
					    (int)target == k) {
						if (which == 2) {
							s->mixed_praise[k] = v;
							continue;
						}
						if (which == 0)
							s->lthreshold[k] = v;
						if (which == 1 || !s->lneg_set[k])
							s->lthreshold_neg[k] = v;
						if (which == 1)
							s->lneg_set[k] = 1;
					}
				continue;
			}
			for (p = ln; p < eq;) {
				const char *c = memchr(p, ',', (size_t)(eq - p));
				const char *te = c ? c : eq;

				if (add_for(s, seclang, target, p,
				    (size_t)(te - p), kind, v) < 0)
					return hark_err_setl(err, 2, lineno, 1,
					    "%s:%ld: bad term '%.*s'", name,
					    lineno, (int)HARK_MIN(te - p, 40), p);
				p = te + 1;
			}
		} else {
			const char *tab = memchr(ln, '\t', n);
			const char *vend;

			if (tab == NULL)
				return hark_err_setl(err, 2, lineno, 1,
				    "%s:%ld: expected 'term<TAB>value'", name,
				    lineno);
			vend = memchr(tab + 1, '\t', (size_t)(ln + n - tab - 1));
			if (vend == NULL)
				vend = ln + n;
			if (parse_value(tab + 1, (size_t)(vend - tab - 1),
			    &v) < 0)
				return hark_err_setl(err, 2, lineno, 1,
				    "%s:%ld: bad value", name, lineno);
			if (fmt == HARK_LEX_AFINN)
				v *= 0.8;
			if (tab > ln && add_for(s, lang, target, ln,
			    (size_t)(tab - ln), K_WORD, v) < 0)
				return hark_err_setl(err, 2, lineno, 1,
				    "%s:%ld: bad term", name, lineno);
		}
	}
	return 0;
}

static int
add_builtin(struct hark_sentiment *s, const char *file, enum hark_lang l,
    struct hark_err *err)
{
	size_t len;
	const char *d = hark_embed_get(file, &len);

	if (d == NULL)
		return hark_err_set(err, 1, "built-in lexicon '%s' missing",
		    file);
	return parse_lexicon_for(s, file, d, len, HARK_LEX_HARK,
	    HARK_LANG_UNKNOWN, l, err);
}

/* A built-in fill-in list in format FMT (see add_term). */
static int
add_builtin_fill(struct hark_sentiment *s, const char *file,
    enum hark_lex_format fmt, enum hark_lang l, struct hark_err *err)
{
	size_t len;
	const char *d = hark_embed_get(file, &len);
	int rc;

	if (d == NULL)
		return hark_err_set(err, 1, "built-in lexicon '%s' missing",
		    file);
	s->fill = 1;
	rc = parse_lexicon_for(s, file, d, len, fmt, HARK_LANG_UNKNOWN, l,
	    err);
	s->fill = 0;
	return rc;
}

/*
 * Compile language L on first use: start-up stays fast because a run
 * that only sees Czech never compiles the English lexicon.  The built-in
 * files are checked by the test suite; run-time files were checked when
 * they were added.
 */
static int
ensure_lang(struct hark_sentiment *s, enum hark_lang l, struct hark_err *err)
{
	size_t i;
	int rc = 0;

	if (l <= HARK_LANG_UNKNOWN || l >= HARK_LANG_COUNT || s->loaded[l])
		return 0;
	s->loaded[l] = 1;
	s->gen++;
	/* size the tables once instead of growing them term by term */
	presize(&s->lex[l].exact, l == HARK_LANG_EN ? 8192 : 4096);
	presize(&s->lex[l].stem, l == HARK_LANG_EN ? 512 : 2048);
	if (add_builtin(s, "lexicon/common.txt", l, err) < 0)
		rc = -1;
	if (l == HARK_LANG_SK && add_builtin(s, "lexicon/cs.txt", l, err) < 0)
		rc = -1;
	if (add_builtin(s, l == HARK_LANG_EN ? "lexicon/en.txt" :
	    l == HARK_LANG_PL ? "lexicon/pl.txt" : l == HARK_LANG_CS ?
	    "lexicon/cs.txt" : "lexicon/sk.txt", l, err) < 0)
		rc = -1;
	/* general vocabulary where hark's lexicons say nothing: VADER for
	 * English, AFINN-pl for Polish */
	if (l == HARK_LANG_EN && add_builtin_fill(s, "lexicon/vader/en.tsv",
	    HARK_LEX_VADER, l, err) < 0)
		rc = -1;
	if (l == HARK_LANG_PL && add_builtin_fill(s, "lexicon/afinn/pl.tsv",
	    HARK_LEX_AFINN, l, err) < 0)
		rc = -1;
	for (i = 0; i < s->nextra; i++) {
		struct extra *x = &s->extra[i];

		if (parse_lexicon_for(s, x->name, x->data, x->len, x->fmt,
		    x->lang, l, err) < 0)
			rc = -1;
	}
	s->lex[l].lang = l;
	build_infl(s, l);
	return rc;
}

int
hark_sentiment_add_lexicon(struct hark_sentiment *s, const char *name,
    const char *data, size_t len, enum hark_lex_format fmt,
    enum hark_lang lang, struct hark_err *err)
{
	struct extra *x;
	int l;

	if (fmt == HARK_LEX_AUTO)
		fmt = detect_format(data, len);
	/* check it now, against the languages compiled so far (English at
	 * least), and keep a copy for those compiled later */
	if (ensure_lang(s, HARK_LANG_EN, err) < 0)
		return -1;
	for (l = HARK_LANG_EN; l < HARK_LANG_COUNT; l++)
		if (s->loaded[l] && parse_lexicon_for(s, name, data, len, fmt,
		    lang, (enum hark_lang)l, err) < 0)
			return -1;
	s->extra = hark_xrealloc(s->extra, (s->nextra + 1) *
	    sizeof(*s->extra));
	x = &s->extra[s->nextra++];
	x->name = hark_xstrdup(name);
	x->data = hark_xmalloc(len + 1);
	memcpy(x->data, data, len);
	x->data[len] = '\0';
	x->len = len;
	x->fmt = fmt;
	x->lang = lang;
	return 0;
}

struct hark_sentiment *
hark_sentiment_new(struct hark_err *err)
{
	struct hark_sentiment *s = hark_xcalloc(1, sizeof(*s));
	int i;

	hark_buf_init(&s->arena, ARENA_MAX);
	hark_buf_init(&s->fold, 1u << 22);
	/* allocated from the start: fword() of a text without words would
	 * otherwise add an offset to a null pointer */
	(void)hark_buf_reserve(&s->fold, 256);
	hark_buf_init(&s->tmp, 4096);
	s->deflang = HARK_LANG_EN;
	s->threshold = -1;
	for (i = 0; i < HARK_LANG_COUNT; i++)
		s->lthreshold[i] = s->lthreshold_neg[i] = 0.05;
	for (i = 0; i < HARK_LANG_COUNT; i++)
		s->mixed_praise[i] = 1;
	infl_index_build(&s->infl_ix[0], 0);
	infl_index_build(&s->infl_ix[1], 1);
	s->memo = hark_xcalloc(MEMO_SLOTS, sizeof(*s->memo));
	s->gen = 1;
	if (hark_embed_get("lexicon/common.txt", NULL) == NULL) {
		hark_err_set(err, 1, "built-in lexicons missing");
		hark_sentiment_free(s);
		return NULL;
	}
	return s;
}

void
hark_sentiment_free(struct hark_sentiment *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < HARK_LANG_COUNT; i++) {
		free(s->lex[i].exact.e);
		free(s->lex[i].stem.e);
		free(s->lex[i].infl.e);
		free(s->lex[i].exact.bloom);
		free(s->lex[i].stem.bloom);
		free(s->lex[i].infl.bloom);
	}
	free(s->memo);
	hark_buf_release(&s->arena);
	hark_buf_release(&s->fold);
	hark_buf_release(&s->tmp);
	free(s->items);
	for (i = 0; i < (int)s->nextra; i++) {
		free(s->extra[i].name);
		free(s->extra[i].data);
	}
	free(s->extra);
	free(s);
}

size_t
hark_sentiment_size(struct hark_sentiment *s, enum hark_lang lang)
{
	if (lang <= HARK_LANG_UNKNOWN || lang >= HARK_LANG_COUNT)
		return 0;
	ensure_lang(s, lang, NULL);
	return s->lex[lang].exact.n + s->lex[lang].stem.n;
}

void
hark_sentiment_set_default_lang(struct hark_sentiment *s, enum hark_lang l)
{
	if (l > HARK_LANG_UNKNOWN && l < HARK_LANG_COUNT)
		s->deflang = l;
}

void
hark_sentiment_set_threshold(struct hark_sentiment *s, double t)
{
	s->threshold = t;
}

/* ---- inflection --------------------------------------------------------- */

/*
 * Polish, Czech and Slovak inflect: "smutny", "smutnego", "smutnych";
 * "zklamaný", "zklamaná", "zklamaných".  A lexicon word written in one
 * form matches the others when both lose their ending: the longest of
 * the language's (folded) noun, adjective and verb endings below is
 * stripped from each, leaving at least MIN_INFL_STEM bytes.  Entries
 * with a "*" stem need none of this; it serves the exact forms.  Verbs in
 * -ovat/-ować keep their "u" ("reklamuji" -> "reklamu"), so they do not
 * meet the noun they are built on ("reklama" -> "reklam"); entries from
 * fill-in lists, which list their forms, are not indexed.
 */
#define MIN_INFL_STEM 5
/* a fill-in list's forms meet only on longer stems: its words are not
 * chosen for posts, and a short stem joins more unrelated words */
#define FILL_MIN_INFL_STEM 6

static const char *const pl_endings[] = {
	"jemy", "jecie", "jesz", "alismy", "ilismy", "alem", "alam", "ilem",
	"ilam", "elem", "elam", "ymi", "imi", "ego", "emu", "ych", "ich",
	"ami", "ach", "iej", "je", "ja", "esz", "emy", "ecie", "isz",
	"imy", "icie", "asz", "amy", "acie", "aja", "ala", "alo", "ali",
	"aly", "ila", "ilo", "ili", "ily", "ela", "elo", "eli", "ely", "ac",
	"ic", "ec", "yc", "al", "il", "el", "ej", "ym", "im", "om", "ow",
	"ie", "am", "em", "a", "e", "i", "y", "o", "u"
};

static const char *const cs_endings[] = {
	"ejsim", "ejsi", "jeme", "jete", "jes", "je", "ji", "eho", "emu",
	"ymi", "imi", "ych", "ich", "ami", "ach", "ove", "ovi", "ime", "ite", "ame", "ate",
	"aji", "eji", "ala", "alo", "ali", "aly", "ila", "ilo", "ili", "ily",
	"ela", "elo", "eli", "ely", "at", "it", "et", "al", "il", "el",
	"ou", "ym", "im", "em", "ej", "am", "is", "as", "a", "e", "i", "y",
	"o", "u"
};

/* The endings of pl_endings[] (SET 0) or cs_endings[] (SET 1) by their
 * last letter, longest first (built once by hark_sentiment_new()). */
static void
infl_index_build(struct infl_index *x, int set)
{
	const char *const *end = set == 0 ? pl_endings : cs_endings;
	size_t ne = set == 0 ? HARK_ARRAY_SIZE(pl_endings) :
	    HARK_ARRAY_SIZE(cs_endings), i, el, max = 0;

	_Static_assert(HARK_ARRAY_SIZE(pl_endings) <= INFL_ENDINGS_MAX &&
	    HARK_ARRAY_SIZE(cs_endings) <= INFL_ENDINGS_MAX,
	    "infl_index: room for every ending");
	memset(x, 0, sizeof(*x));
	for (i = 0; i < ne; i++)
		max = HARK_MAX(max, strlen(end[i]));
	for (el = max; el > 0; el--)	/* longest first */
		for (i = 0; i < ne; i++) {
			int c = end[i][strlen(end[i]) - 1] - 'a';

			if (strlen(end[i]) != el)
				continue;
			x->end[c][x->n[c]] = end[i];
			x->len[c][x->n[c]++] = (unsigned char)el;
		}
}

/* Length of W without its inflectional ending, or 0 (no ending, or the
 * rest would be too short to tell words apart). */
static size_t
infl_stem(const struct hark_sentiment *s, enum hark_lang l, const char *w,
    size_t n)
{
	const struct infl_index *x;
	size_t i;
	int c;

	if ((l != HARK_LANG_PL && l != HARK_LANG_CS && l != HARK_LANG_SK) ||
	    n <= MIN_INFL_STEM)
		return 0;
	/* every ending ends in a letter a..z: the longest that fits */
	x = &s->infl_ix[l == HARK_LANG_PL ? 0 : 1];
	if ((c = (unsigned char)w[n - 1] - 'a') < 0 || c >= 26)
		return 0;
	for (i = 0; i < x->n[c]; i++) {
		size_t el = x->len[c][i];

		if (n >= el + MIN_INFL_STEM &&
		    memcmp(w + n - el, x->end[c][i], el) == 0)
			return n - el;
	}
	return 0;
}

/*
 * Index every one-word exact entry with a valence by its stripped form;
 * forms of different sign that meet there cancel out (value 0).  The
 * hark lexicon's entries go first; a fill-in list's (AFINN-pl lists a
 * word's nominative forms, "agresywny", "agresywna", but seldom
 * "agresywnego", "agresywnych") only index stripped forms that none of
 * them reached, on a stem of FILL_MIN_INFL_STEM bytes or more, and keep
 * K_FILL, so they count at FILL_WEIGHT.
 */
static void
build_infl(struct hark_sentiment *s, enum hark_lang l)
{
	struct lex *lx = &s->lex[l];
	size_t i;
	int pass;

	if (l != HARK_LANG_PL && l != HARK_LANG_CS && l != HARK_LANG_SK)
		return;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < lx->exact.cap; i++) {
			const struct ent *e = &lx->exact.e[i];
			char key[MAX_KEY];
			size_t kl, sl;
			struct ent *d;
			int fill = (e->kinds & K_FILL) != 0;

			if (e->klen == 0 || !(e->kinds & K_WORD) ||
			    e->val == 0 || e->klen >= sizeof(key) ||
			    fill != pass)
				continue;
			kl = e->klen;
			memcpy(key, ent_key(s, e), kl);
			if (memchr(key, ' ', kl) != NULL ||
			    (sl = infl_stem(s, l, key, kl)) == 0 ||
			    sl < (fill ? FILL_MIN_INFL_STEM :
			    MIN_INFL_STEM))
				continue;
			if ((d = tab_get(s, &lx->infl, key, sl)) == NULL)
				continue;
			if (!(d->kinds & K_WORD)) {
				d->kinds = (uint16_t)(K_WORD | (fill ? K_FILL :
				    0));
				d->val = e->val;
			} else if (fill && !(d->kinds & K_FILL))
				continue;	/* the hark lexicon's form */
			else if ((d->val > 0) != (e->val > 0))
				d->val = 0;
		}
}

/* ---- lookup ----------------------------------------------------------- */

/* Exact, then the longest stem (at least 2 bytes). */
static const struct ent *
lookup_plain(const struct hark_sentiment *s, const struct lex *lx,
    const char *w, size_t n, unsigned *how)
{
	const struct ent *e, *st;
	struct pfx p;
	size_t l;

	pfx_init(&p, w, n);
	e = tab_find_pfx(s, &lx->exact, &p, n);
	if (e != NULL && (e->kinds & (K_SEMANTIC | K_THANKS)) != 0)
		return e;
	/* a modifier-only exact entry ("hrozně") may still have a stem
	 * with a valence ("hrozn*"): the caller sees the modifier role in
	 * the item's exact entry */
	if (e != NULL && (e->kinds & ~K_PSTART) == 0)
		e = NULL;
	for (l = n; l >= 2 && lx->stem.n > 0; l--) {
		/* never cut a UTF-8 sequence */
		if (l < n && ((unsigned char)w[l] & 0xc0) == 0x80)
			continue;
		if ((st = tab_find_pfx(s, &lx->stem, &p, l)) != NULL &&
		    (st->kinds & K_SEMANTIC) != 0) {
			*how |= HARK_HOW_STEM;
			return st;
		}
	}
	if (e == NULL && lx->infl.n > 0 && (l = infl_stem(s, lx->lang, w,
	    n)) >
	    0 && (st = tab_find_pfx(s, &lx->infl, &p, l)) != NULL &&
	    st->val != 0) {
		*how |= HARK_HOW_STEM;
		return st;
	}
	return e;
}

/* The longest stem of W with a negated value, or DEF. */
static const struct ent *
negated_entry(const struct hark_sentiment *s, const struct lex *lx,
    const char *w, size_t n, const struct ent *def)
{
	const struct ent *e;
	struct pfx p;
	size_t l;

	pfx_init(&p, w, n);
	for (l = n; l >= 2; l--)
		if ((e = tab_find_pfx(s, &lx->stem, &p, l)) != NULL &&
		    (e->kinds & K_NEGATED))
			return e;
	return def;
}

/* "sooooo" -> "soo" (MAXRUN 2) or "so" (MAXRUN 1). */
static size_t
collapse(const char *w, size_t n, int maxrun, char *out, size_t outsz)
{
	size_t i, o = 0;
	int run = 0;

	for (i = 0; i < n && o + 1 < outsz; i++) {
		run = i > 0 && w[i] == w[i - 1] ? run + 1 : 1;
		if (run <= maxrun)
			out[o++] = w[i];
	}
	return o;
}

/*
 * English inflection: "cooler", "loved", "hating", "happiest",
 * "annoyingly", "stopped" fall back to the base form in the lexicon.
 */
static const struct ent *
english_suffixes(const struct hark_sentiment *s, const struct lex *lx,
    const char *w, size_t n, unsigned *how)
{
#define SX(suf, rep) { suf, rep, sizeof(suf) - 1, sizeof(rep) - 1 }
	static const struct {
		const char *suf, *rep;
		unsigned char sl, rl;
	} sx[] = {
		SX("iest", "y"), SX("ier", "y"), SX("ily", "y"), SX("ies", "y"),
		SX("ied", "y"), SX("ness", ""), SX("ingly", ""), SX("edly", ""),
		SX("est", ""), SX("est", "e"), SX("er", ""), SX("er", "e"),
		SX("ly", ""), SX("ed", ""), SX("ed", "e"), SX("ing", ""),
		SX("ing", "e"), SX("es", ""), SX("s", "")
	};
#undef SX
	char buf[MAX_KEY];
	size_t i;

	if (n < 4 || n + 2 >= sizeof(buf))
		return NULL;
	switch (w[n - 1]) {	/* the last letters in sx[]: keep in step */
	case 'd': case 'g': case 'r': case 's': case 't': case 'y':
		break;
	default:
		return NULL;
	}
	for (i = 0; i < HARK_ARRAY_SIZE(sx); i++) {
		size_t sl = sx[i].sl, rl = sx[i].rl, bl;
		const struct ent *e;

		if (n < sl + 3 || w[n - 1] != sx[i].suf[sl - 1] ||
		    memcmp(w + n - sl, sx[i].suf, sl) != 0)
			continue;
		/* "-es" only after sibilants: "wishes", not "rates" */
		if (strcmp(sx[i].suf, "es") == 0 && strchr("sxzh",
		    w[n - 3]) == NULL)
			continue;
		bl = n - sl;
		memcpy(buf, w, bl);
		memcpy(buf + bl, sx[i].rep, rl);
		bl += rl;
		e = tab_find(s, &lx->exact, buf, bl);
		/* "stopped" -> "stop" */
		if (e == NULL && rl == 0 && bl > 3 && buf[bl - 1] ==
		    buf[bl - 2] && strchr("bdgmnprt", buf[bl - 1]) != NULL)
			e = tab_find(s, &lx->exact, buf, bl - 1);
		if (e != NULL && (e->kinds & (K_WORD | K_NEGATED))) {
			*how |= HARK_HOW_STEM;
			return e;
		}
	}
	return NULL;
}

/*
 * Whether the lexicon key K[0..KL) (a stem when STEM) can be the word W
 * with stars for some of its letters ("k***a" for "kurwa", "zaj*biste"
 * under "zajebist*"): the same length (a stem: no longer), the same
 * letters where W has letters.
 */
static int
masked_fits(const char *w, size_t n, const char *k, size_t kl, int stem)
{
	size_t i;

	if (stem ? kl > n : kl != n)
		return 0;
	for (i = 0; i < kl; i++)
		if (w[i] != '*' && w[i] != k[i])
			return 0;
	return 1;
}

/*
 * A word written with stars for letters, "k***a", "ch*j", "f**k": the
 * lexicon's words it can stand for (scanned: such words are rare), the
 * longest; where they disagree in sign ("kurwa", "kocha") the negative
 * ones win, for a word hidden under stars is a swear word.  At least two
 * letters must show, one of them before the stars.
 */
static const struct ent *
masked_lookup(const struct hark_sentiment *s, const struct lex *lx,
    const char *w, size_t n, unsigned *how)
{
	const struct ent *best = NULL, *bneg = NULL;
	size_t i, letters = 0;
	int t;

	for (i = 0; i < n; i++)
		letters += w[i] != '*';
	if (letters < 2 || w[0] == '*' || n > MAX_KEY)
		return NULL;
	for (t = 0; t < 2; t++) {
		const struct tab *tb = t == 0 ? &lx->exact : &lx->stem;

		for (i = 0; i < tb->cap; i++) {
			const struct ent *e = &tb->e[i];

			if (e->klen == 0 || !(e->kinds & K_WORD) ||
			    e->val == 0 || !masked_fits(w, n, ent_key(s, e),
			    e->klen, t == 1))
				continue;
			if (best == NULL || e->klen > best->klen)
				best = e;
			if (e->val < 0 && (bneg == NULL || e->klen >
			    bneg->klen))
				bneg = e;
		}
	}
	if (bneg != NULL)
		best = bneg;
	if (best != NULL)
		*how |= HARK_HOW_STEM;
	return best;
}

static const struct ent *
lookup_word(struct hark_sentiment *s, enum hark_lang l, const char *w,
    size_t n, int elongated, unsigned *how)
{
	const struct lex *lx = &s->lex[l];
	const struct ent *e;
	char buf[MAX_KEY];
	size_t k;

	*how = 0;
	/* a masked word scans the tables: a text gets MAX_MASKED such
	 * look-ups (the memo does not count: a text's result must not
	 * depend on the texts before it), later ones are unknown words */
	if (s->has_masked && n > 1 && memchr(w, '*', n) != NULL)
		return s->masked < MAX_MASKED ? (s->masked++,
		    masked_lookup(s, lx, w, n, how)) : NULL;
	if ((e = lookup_plain(s, lx, w, n, how)) != NULL)
		return e;
	if (elongated && n < sizeof(buf)) {
		k = collapse(w, n, 2, buf, sizeof(buf));
		if ((e = lookup_plain(s, lx, buf, k, how)) != NULL)
			return e;
		k = collapse(w, n, 1, buf, sizeof(buf));
		if ((e = lookup_plain(s, lx, buf, k, how)) != NULL)
			return e;
	}
	if (l == HARK_LANG_EN)
		return english_suffixes(s, lx, w, n, how);
	/* superlatives: cs nej-, pl/sk naj- */
	if (n > 6 && (memcmp(w, "nej", 3) == 0 || memcmp(w, "naj", 3) == 0)) {
		unsigned h = 0;

		if ((e = lookup_plain(s, lx, w + 3, n - 3, &h)) != NULL &&
		    (e->kinds & K_WORD)) {
			*how = h | HARK_HOW_SUPERLATIVE;
			return e;
		}
	}
	/* Polish intensifying prefixes: "przecudowny", "superfajny",
	 * "megaśmieszne", "arcyciekawy" (weighed as superlatives) */
	if (l == HARK_LANG_PL) {
		static const char *const ip[] = { "prze", "super", "mega",
		    "arcy", "hiper", "ultra" };
		size_t q;

		for (q = 0; q < HARK_ARRAY_SIZE(ip); q++) {
			size_t pn = strlen(ip[q]);
			unsigned h = 0;

			if (n >= pn + 4 && memcmp(w, ip[q], pn) == 0 &&
			    (e = lookup_plain(s, lx, w + pn, n - pn, &h)) !=
			    NULL && (e->kinds & K_WORD) && e->val != 0) {
				*how = h | HARK_HOW_SUPERLATIVE;
				return e;
			}
		}
	}
	/* prefix negation: cs/sk ne-, pl nie- */
	k = l == HARK_LANG_PL ? 3 : 2;
	if (n >= k + 3 && memcmp(w, l == HARK_LANG_PL ? "nie" : "ne", k) ==
	    0) {
		unsigned h = 0;

		if ((e = lookup_plain(s, lx, w + k, n - k, &h)) != NULL &&
		    (e->kinds & (K_WORD | K_NEGATED))) {
			*how = h | HARK_HOW_PREFIX;
			return e;
		}
	}
	return NULL;
}

/* lookup_word(), remembered (struct memo). */
static const struct ent *
lookup_word_memo(struct hark_sentiment *s, enum hark_lang l, const char *w,
    size_t n, int elongated, unsigned *how)
{
	uint32_t h;
	struct memo *m;
	const struct ent *e;

	/* masked words are not kept: their budget counts every look-up */
	if (n > MEMO_KEY || (s->has_masked && memchr(w, '*', n) != NULL))
		return lookup_word(s, l, w, n, elongated, how);
	h = hash_bytes(w, n);
	m = &s->memo[(h ^ (uint32_t)l * 0x9e3779b1u ^ (uint32_t)elongated) &
	    (MEMO_SLOTS - 1)];
	if (m->gen == s->gen && m->hash == h && m->len == n &&
	    m->lang == (unsigned char)l && m->elongated == elongated &&
	    memcmp(m->w, w, n) == 0) {
		*how = m->how;
		return m->e;
	}
	e = lookup_word(s, l, w, n, elongated, how);
	m->gen = s->gen;
	m->hash = h;
	m->len = (unsigned char)n;
	m->lang = (unsigned char)l;
	m->elongated = (unsigned char)elongated;
	memcpy(m->w, w, n);
	m->e = e;
	m->how = *how;
	return e;
}

/* ---- scoring ------------------------------------------------------------ */


static const char *
fword(const struct hark_sentiment *s, const struct item *it)
{
	return s->fold.ptr + it->foff;
}

static int
is_break(const struct item *it)
{
	if (it->type != HARK_TOK_PUNCT)
		return 0;
	switch (it->ch) {
	case '.': case ',': case ';': case ':': case '!': case '?': case '(':
	case ')':
		return 1;
	default:
		return 0;
	}
}

/*
 * Item I is the "lt" of "&lt;": when "3" or "/3" follows (not a longer
 * number: "&lt;30 min"), the entry of "<3" or "</3", and the items of
 * the rest are consumed.
 */
static const struct ent *
escaped_heart(struct hark_sentiment *s, const struct lex *lx,
    const char *text, size_t len, size_t i)
{
	const struct item *it = &s->items[i];
	size_t p = it->off + it->len + 1, j;
	const char *key = "<3";

	if (it->flen != 2 || memcmp(fword(s, it), "lt", 2) != 0)
		return NULL;
	if (p < len && text[p] == '/') {
		key = "</3";
		p++;
	}
	if (p >= len || text[p] != '3' || (p + 1 < len && text[p + 1] >= '0' &&
	    text[p + 1] <= '9'))
		return NULL;
	for (j = i + 1; j < s->nitems && s->items[j].off <= p; j++)
		s->items[j].consumed = 1;
	/* the term is "&lt;3" */
	s->items[i].off--;
	s->items[i].end = p + 1;
	return tab_find(s, &lx->exact, key, strlen(key));
}

/* Try the phrases that start at item I; returns the number of items
 * consumed (0 when none) and the entry in *OUT. */
static size_t
match_phrase(struct hark_sentiment *s, const struct lex *lx, size_t i,
    int maxw, const struct ent **out, unsigned *how)
{
	size_t idx[8], ends[8], n = 0, j, k, m;
	struct hark_buf *b = &s->tmp;
	struct pfx p;

	for (j = i; j < s->nitems && n < (size_t)maxw && n < 8; j++) {
		const struct item *it = &s->items[j];

		if (it->type == HARK_TOK_PUNCT && (it->ch == '-' ||
		    it->ch == '\''))
			continue;
		if ((it->type != HARK_TOK_WORD && it->type != HARK_TOK_NUMBER) ||
		    it->consumed)
			break;
		idx[n++] = j;
	}
	/* the words joined once; the phrase of K words is the prefix
	 * ending at ends[K - 1], and every prefix's hash is known */
	hark_buf_reset(b);
	for (m = 0; m < n; m++) {
		const struct item *it = &s->items[idx[m]];

		if (m > 0)
			hark_buf_addch(b, ' ');
		if (hark_buf_add(b, fword(s, it), it->flen) < 0)
			return 0;
		ends[m] = b->len;
	}
	if (n >= 2)
		pfx_init(&p, b->ptr, b->len);
	for (k = n; k >= 2; k--) {
		size_t full = ends[k - 1], l = s->items[idx[k - 1]].flen;
		const struct ent *e;

		if ((e = tab_find_pfx(s, &lx->exact, &p, full)) != NULL &&
		    (e->kinds & (K_SEMANTIC | K_THANKS | K_BOOST | K_NEG)) !=
		    0) {
			*out = e;
			*how = HARK_HOW_PHRASE;
			return idx[k - 1] - i + 1;
		}
		for (m = full; m + l > full + 1 && m > full - l + 1; m--) {
			if (m < full && ((unsigned char)b->ptr[m] & 0xc0) ==
			    0x80)
				continue;
			if ((e = tab_find_pfx(s, &lx->stem, &p, m)) != NULL &&
			    (e->kinds & K_SEMANTIC) != 0) {
				*out = e;
				*how = HARK_HOW_PHRASE | HARK_HOW_STEM;
				return idx[k - 1] - i + 1;
			}
		}
	}
	return 0;
}

static double
sign(double v)
{
	return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/* Tokenise and fold TEXT into s->items, taking its first NPRE tokens from
 * PRE (the caller's) and tokenising on from the end of the last; returns
 * 1 when every word with letters is in capitals. */
static int
tokenise(struct hark_sentiment *s, const char *text, size_t len,
    const struct hark_token *pre, size_t npre, struct hark_lang_stats *ls)
{
	struct hark_tokenizer t;
	struct hark_token next;
	const struct hark_token *tp;
	struct hark_token parts[16];
	size_t k, part, nparts = 0;
	int caps = 0, cased = 0;

	s->nitems = 0;
	hark_buf_reset(&s->fold);
	hark_tok_init(&t, text, len);
	if (npre > 0)	/* the tokeniser keeps no state but its place */
		t.pos = pre[npre - 1].off + pre[npre - 1].len;
	for (k = 0, part = 0; s->nitems < MAX_ITEMS; k++) {
		struct item *it;

		if (part < nparts) {	/* the words of a hashtag */
			tp = &parts[part++];
			k--;
		} else if (k < npre)
			tp = &pre[k];
		else if (hark_tok_next(&t, &next))
			tp = &next;
		else
			break;
		if (s->nitems == s->capitems) {
			s->capitems = s->capitems ? s->capitems * 2 : 64;
			s->items = hark_xrealloc(s->items, s->capitems *
			    sizeof(*s->items));
		}
		it = &s->items[s->nitems];
		char key[MAX_KEY];
		size_t kl;

		if (tp->type == HARK_TOK_URL || tp->type == HARK_TOK_MENTION)
			continue;
		/* "#NeverAgain": the tag, then its words "Never" "Again"
		 * (scored when the tag as a whole is not in the lexicon) */
		it->nparts = 0;
		if (tp->type == HARK_TOK_HASHTAG) {
			size_t j;

			nparts = hark_tok_hashtag_parts(text + tp->off + 1,
			    tp->len - 1, parts, HARK_ARRAY_SIZE(parts));
			if (nparts < 2 || s->nitems + nparts >= MAX_ITEMS)
				nparts = 0;
			for (j = 0; j < nparts; j++)
				parts[j].off += tp->off + 1;
			part = 0;
			it->nparts = (unsigned char)nparts;
		}
		/* every member set one by one, no memset: this runs for
		 * every token, and zeroing the struct ("rep stos") cost a
		 * sixth of the time on long texts */
		it->type = tp->type;
		it->off = tp->off;
		it->len = tp->len;
		/* capitals in "#WTFAirline" are the tag's spelling, not
		 * shouting */
		it->tflags = (tp->flags & HARK_TOK_PART) ? tp->flags &
		    ~(unsigned)HARK_TOK_CAPS : tp->flags;
		it->foff = s->fold.len;
		it->flen = 0;
		it->bangs = tp->bangs;
		it->questions = tp->questions;
		it->ch = tp->ch;
		it->repeat = tp->repeat;
		it->mod = NULL;
		it->val = 0;
		it->how = 0;
		it->end = tp->off + tp->len;
		it->consumed = it->scored = it->thanks = 0;
		switch (tp->type) {
		case HARK_TOK_WORD:
		case HARK_TOK_HASHTAG:
		case HARK_TOK_NUMBER: {
			size_t o = tp->type == HARK_TOK_HASHTAG ? 1 : 0;

			if (fold_word(&s->fold, text + tp->off + o, tp->len - o,
			    fold_how(tp->flags)) < 0)
				return caps == cased && cased > 0;
			if (tp->type == HARK_TOK_WORD &&
			    !(tp->flags & HARK_TOK_PART)) {
				if (tp->flags & HARK_TOK_UPPER)
					cased++;
				if (tp->flags & HARK_TOK_CAPS)
					caps++;
				else if (!(tp->flags & HARK_TOK_UPPER)) {
					/* a lower-case word counts too */
					cased++;
				}
			}
			break;
		}
		case HARK_TOK_EMOTICON:
			kl = emoticon_key(text + tp->off, tp->len, key,
			    sizeof(key));
			hark_buf_add(&s->fold, key, kl);
			break;
		case HARK_TOK_EMOJI:
			kl = hark_tok_emoji_key(text + tp->off, tp->len, 0,
			    key, sizeof(key));
			hark_buf_add(&s->fold, key, kl);
			break;
		default:
			break;
		}
		it->flen = s->fold.len - it->foff;
		if (ls != NULL && tp->type == HARK_TOK_WORD &&
		    !(tp->flags & HARK_TOK_PART))
			hark_lang_add_word(ls, text + tp->off, tp->len,
			    fword(s, it), it->flen);
		s->nitems++;
	}
	return cased >= 2 && caps == cased;
}

/*
 * "k***a", "ch*j", "zaj*biste": a word, the stars right after it and the
 * word right after them become one word, its folded form keeping the
 * stars for lookup_word().
 */
static void
merge_masked(struct hark_sentiment *s)
{
	size_t i, o;

	s->has_masked = 0;
	/* most texts have no '*' after a word: find the first one cheaply,
	 * the items before it stay where they are */
	for (i = 1; i + 1 < s->nitems; i++)
		if (s->items[i].type == HARK_TOK_PUNCT && s->items[i].ch == '*')
			break;
	if (i + 1 >= s->nitems)
		return;
	for (o = --i; i < s->nitems; i++) {
		struct item it = s->items[i];
		const struct item *st, *nx;

again:
		st = i + 1 < s->nitems ? &s->items[i + 1] : NULL;
		nx = i + 2 < s->nitems ? &s->items[i + 2] : NULL;
		if (it.type == HARK_TOK_WORD && st != NULL &&
		    st->type == HARK_TOK_PUNCT && st->ch == '*' &&
		    st->off == it.off + it.len && st->len <= 8 &&
		    nx != NULL && nx->type == HARK_TOK_WORD &&
		    nx->off == st->off + st->len) {
			size_t need = it.flen + st->len + nx->flen;
			char *d;

			if (hark_buf_reserve(&s->fold, need) < 0)
				goto keep;
			d = s->fold.ptr + s->fold.len;
			memcpy(d, s->fold.ptr + it.foff, it.flen);
			memset(d + it.flen, '*', st->len);
			memcpy(d + it.flen + st->len, s->fold.ptr + nx->foff,
			    nx->flen);
			it.foff = s->fold.len;
			it.flen = need;
			s->fold.len += need;
			s->fold.ptr[s->fold.len] = '\0';
			it.len = nx->off + nx->len - it.off;
			it.end = it.off + it.len;
			it.tflags &= ~(unsigned)HARK_TOK_ELONGATED;
			s->has_masked = 1;
			i += 2;
			goto again;	/* "w*k*rwia" */
		}
keep:
		s->items[o++] = it;
	}
	s->nitems = o;
}

/* "and", "or" and their Polish, Czech and Slovak equivalents. */
static int
is_conjunction(const struct hark_sentiment *s, enum hark_lang l,
    const struct item *it)
{
	static const char *const conj[HARK_LANG_COUNT][6] = {
		{ NULL },
		{ "and", "or", NULL },
		{ "i", "oraz", "lub", "albo", NULL },
		{ "a", "i", "nebo", NULL },
		{ "a", "aj", "alebo", NULL }
	};
	size_t k;

	if (it->type != HARK_TOK_WORD || it->flen > 5)
		return 0;
	for (k = 0; conj[l][k] != NULL; k++)
		if (strlen(conj[l][k]) == it->flen &&
		    memcmp(conj[l][k], fword(s, it), it->flen) == 0)
			return 1;
	return 0;
}

/*
 * Language evidence from the lexicons: a word that one language's
 * lexicon knows (exactly, or by a stem of at least 4 letters) and
 * another's does not.  Returns 1 when anything was added.
 */
static int
lexicon_votes(const struct hark_sentiment *s, struct hark_lang_stats *ls)
{
	size_t i;
	int any = 0;

	for (i = 0; i < s->nitems; i++) {
		const struct item *it = &s->items[i];
		const char *w = fword(s, it);
		int l, hits[HARK_LANG_COUNT] = { 0 }, nhit = 0;
		struct pfx p;

		if (it->type != HARK_TOK_WORD || it->flen < 3 ||
		    (it->tflags & HARK_TOK_PART))
			continue;
		pfx_init(&p, w, it->flen);
		for (l = HARK_LANG_EN; l < HARK_LANG_COUNT; l++) {
			const struct lex *lx = &s->lex[l];
			const struct ent *e = tab_find_pfx(s, &lx->exact, &p,
			    it->flen);
			size_t k;

			if (e == NULL || (e->kinds & ~K_PSTART) == 0)
				for (k = it->flen; k >= 4 && e == NULL; k--)
					e = tab_find_pfx(s, &lx->stem, &p, k);
			/* fill-in lists are broad and leak across
			 * languages: no evidence */
			if (e != NULL && (e->kinds & ~K_PSTART) != 0 &&
			    !(e->kinds & K_FILL)) {
				hits[l] = 1;
				nhit++;
			}
		}
		if (nhit == 0 || nhit == HARK_LANG_COUNT - 1)
			continue;
		for (l = HARK_LANG_EN; l < HARK_LANG_COUNT; l++)
			if (hits[l]) {
				ls->score[l] += 1.0 / nhit;
				any = 1;
			}
	}
	return any;
}

/* Negators and boosters in the three words before item I. */
static void
modifiers(struct hark_sentiment *s, enum hark_lang l, size_t start,
    int allcaps, int *neg, double *boost)
{
	size_t j = start;
	int dist = 0, seen = 0;
	/* Czech and Slovak negate the word next to the negator: "nemám co
	 * vytknout, doporučuji" must not negate "doporučuji" */
	int maxdist = l == HARK_LANG_CS || l == HARK_LANG_SK ? 2 : 3;

	*neg = 0;
	*boost = 0;
	while (j > 0 && dist < maxdist && seen < 6) {
		const struct item *it = &s->items[--j];
		const struct ent *m = it->mod;

		seen++;
		if (is_break(it))
			break;
		if (it->type != HARK_TOK_WORD)
			continue;
		if (m != NULL && (m->kinds & K_CONTRAST))
			break;
		/* a scored word or a conjunction closes the scope of what
		 * precedes it */
		if (it->scored || is_conjunction(s, l, it))
			break;
		/* short function words do not count: "not a good" */
		if (it->flen <= 2 && !(m != NULL && (m->kinds & (K_NEG |
		    K_BOOST))))
			continue;
		dist++;
		if (m == NULL || it->consumed)
			continue;
		if (m->kinds & K_NEG)
			(*neg)++;
		if (m->kinds & K_BOOST) {
			double b = m->boost * (dist == 1 ? 1 : dist == 2 ?
			    .95 : .9);

			if ((it->tflags & HARK_TOK_CAPS) && !allcaps)
				b += sign(b) * C_INCR * .5;
			*boost += b;
		}
	}
}

/* Whether a word with a valence follows item I within two words. */
static int
boosts_next(struct hark_sentiment *s, enum hark_lang l, size_t i)
{
	size_t j;
	int words = 0;

	for (j = i + 1; j < s->nitems && words < 2; j++) {
		const struct item *it = &s->items[j];
		const struct ent *e;
		unsigned how;

		if (is_break(it))
			return 0;
		if (it->type != HARK_TOK_WORD)
			continue;
		if (it->flen > 2)
			words++;
		e = lookup_word(s, l, fword(s, it), it->flen,
		    (it->tflags & HARK_TOK_ELONGATED) != 0, &how);
		if (e != NULL && (e->kinds & (K_WORD | K_NEGATED)) &&
		    !(e->kinds & K_BOOST) && !(it->mod != NULL &&
		    (it->mod->kinds & K_BOOST)))
			return 1;
	}
	return 0;
}

/*
 * True when the text ends with a separate "not" ("great... NOT!",
 * "love it. not"): the last word, after punctuation, nothing scored
 * after it.
 */
static int
trailing_not(const struct hark_sentiment *s)
{
	size_t i = s->nitems;

	while (i > 0 && s->items[i - 1].type != HARK_TOK_WORD) {
		if (s->items[i - 1].type == HARK_TOK_HASHTAG ||
		    s->items[i - 1].type == HARK_TOK_NUMBER)
			return 0;
		i--;
	}
	if (i < 2 || (s->items[i - 1].tflags & HARK_TOK_PART) ||
	    s->items[i - 1].flen != 3 ||
	    memcmp(fword(s, &s->items[i - 1]), "not", 3) != 0)
		return 0;
	return s->items[i - 2].type == HARK_TOK_PUNCT;
}

/* Czech and Slovak put the negated verb after the adjective: "spokojený
 * nejsem", "dobré to nebylo", "dobře nedrží", "moc dobře nefunguje".
 * True when item J (skipping one short word) is such a negator or a
 * known word negated by its "ne-" prefix; only for a positive term (a
 * complaint stays one: "špatně nesedí"). */
static int
negator_follows(struct hark_sentiment *s, enum hark_lang l, size_t j,
    double v)
{
	int words = 0;

	for (; j < s->nitems && words < 2; j++) {
		const struct item *it = &s->items[j];
		const struct ent *e;
		unsigned how;

		if (is_break(it))
			return 0;
		if (it->type != HARK_TOK_WORD)
			continue;
		words++;
		if (it->mod != NULL && (it->mod->kinds & K_NEG) &&
		    it->flen > 3 && memcmp(fword(s, it), "ne", 2) == 0)
			return 1;
		if (v > 0 && it->flen > 4 && memcmp(fword(s, it), "ne", 2) ==
		    0 && (e = lookup_word(s, l, fword(s, it) + 2, it->flen - 2,
		    0, &how)) != NULL && ((e->kinds & K_NEGATED) ||
		    ((e->kinds & K_WORD) && e->val > 0)))
			return 1;
		if (it->flen > 2)
			return 0;
	}
	return 0;
}

/* Whether item I is a word written with a capital first letter and not
 * in capitals ("Star", not "STAR" or "star"). */
static int
titled(const char *text, const struct item *it)
{
	unsigned char c = (unsigned char)text[it->off];

	return it->type == HARK_TOK_WORD && (it->tflags & HARK_TOK_UPPER) &&
	    !(it->tflags & (HARK_TOK_CAPS | HARK_TOK_PART)) &&
	    (c >= 0x80 || (c >= 'A' && c <= 'Z'));
}

/* Whether item I starts a sentence: nothing but mentions, links, emoji
 * or sentence-ending punctuation before it. */
static int
sentence_start(const struct hark_sentiment *s, size_t i)
{
	const struct item *p;

	if (i == 0)
		return 1;
	p = &s->items[i - 1];
	if (p->type == HARK_TOK_PUNCT)
		return strchr(".!?:;\"'([-", p->ch) != NULL;
	return p->type == HARK_TOK_EMOJI || p->type == HARK_TOK_EMOTICON ||
	    p->type == HARK_TOK_SYMBOL;
}


/*
 * Item I (of USED items) is part of a name: a capitalised word inside a
 * sentence next to another capitalised word ("Morning Star Online",
 * "the Gold Coast"), in a text written mostly in lower case (a headline
 * in title case is not a list of names).
 */
static int
proper_name(struct hark_sentiment *s, const char *text, size_t i,
    size_t used)
{
	size_t j, lower = 0, title = 0;

	if (!titled(text, &s->items[i]) || sentence_start(s, i) ||
	    !((i > 0 && titled(text, &s->items[i - 1])) ||
	    (i + used < s->nitems && titled(text, &s->items[i + used]))))
		return 0;
	if (s->lowercase < 0) {
		for (j = 0; j < s->nitems; j++)
			if (s->items[j].type == HARK_TOK_WORD &&
			    s->items[j].flen >= 4) {
				if (titled(text, &s->items[j]))
					title++;
				else if (!(s->items[j].tflags &
				    HARK_TOK_UPPER))
					lower++;
			}
		s->lowercase = lower >= title;
	}
	return s->lowercase;
}

/* Whether folded word IT is one of the NULL-terminated LIST. */
static int
word_in(const struct hark_sentiment *s, const struct item *it,
    const char *const *list)
{
	const char *w;
	size_t k;

	if (it->type != HARK_TOK_WORD || it->flen == 0)
		return 0;
	w = fword(s, it);
	for (k = 0; list[k] != NULL; k++)
		if (list[k][0] == w[0] && strncmp(list[k], w, it->flen) == 0 &&
		    list[k][it->flen] == '\0')
			return 1;
	return 0;
}

/*
 * Czech and Slovak wishes: item I is in a clause (between punctuation
 * marks) with a conditional "by", "bych", "kdyby", "aby" (Slovak "keby"):
 * "mohlo by to být lepší", "uvítal bych delší kabel", "kdyby byl
 * levnější".  (The English "if", "would" and the Polish "by", "żeby"
 * were measured on the dev sets and left out: they cost more than they
 * gained there.)
 */
static int
in_conditional(const struct hark_sentiment *s, enum hark_lang l, size_t i)
{
	static const char *const cond[] = { "by", "bych", "bys", "bychom",
	    "byste", "kdyby", "kdybych", "kdybys", "kdybychom", "kdybyste",
	    "aby", "abych", "abys", "abychom", "abyste", "keby", "kebyze",
	    NULL };
	size_t j;

	if (l != HARK_LANG_CS && l != HARK_LANG_SK)
		return 0;
	for (j = i; j > 0 && !is_break(&s->items[j - 1]); j--)
		if (word_in(s, &s->items[j - 1], cond))
			return 1;
	for (j = i + 1; j < s->nitems && !is_break(&s->items[j]); j++)
		if (word_in(s, &s->items[j], cond))
			return 1;
	return 0;
}

/* "Dear @airline, ...": the salutation that opens a letter (item I is
 * the first word) is no praise. */
static int
salutation(const struct hark_sentiment *s, enum hark_lang l, size_t i)
{
	static const char *const dear[HARK_LANG_COUNT][8] = {
		{ NULL },
		{ "dear", NULL },
		{ "drogi", "droga", "drodzy", "szanowny", "szanowna",
		    "szanowni", NULL },
		/* not "milý": "milá paní mi poradila" praises the staff */
		{ "vazeny", "vazena", "vazeni", NULL },
		{ "vazeny", "vazena", "vazeni", NULL }
	};
	size_t j;

	for (j = 0; j < i; j++)
		if (s->items[j].type == HARK_TOK_WORD ||
		    s->items[j].type == HARK_TOK_NUMBER)
			return 0;
	return word_in(s, &s->items[i], dear[l]);
}

/* Whether item I is in a sentence that ends with a question mark. */
static int
in_question(const struct hark_sentiment *s, size_t i)
{
	for (; i < s->nitems; i++) {
		const struct item *it = &s->items[i];

		if (it->type == HARK_TOK_PUNCT && (it->ch == '.' ||
		    it->ch == '!' || it->ch == '?' || it->ch == ';'))
			return it->questions > 0;
	}
	return 0;
}

static void
push_term(struct hark_sentiment_result *res, size_t off, size_t len,
    double v, unsigned how)
{
	if (res->nterms == res->capterms) {
		res->capterms = res->capterms ? res->capterms * 2 : 16;
		res->terms = hark_xrealloc(res->terms, res->capterms *
		    sizeof(*res->terms));
	}
	res->terms[res->nterms].off = off;
	res->terms[res->nterms].len = len;
	res->terms[res->nterms].value = v;
	res->terms[res->nterms].how = how;
	res->nterms++;
}

int
hark_sentiment_score(struct hark_sentiment *s, const char *text,
    size_t len, enum hark_lang lang, unsigned flags,
    struct hark_sentiment_result *res)
{
	return hark_sentiment_score_tokens(s, text, len, NULL, 0, lang, flags,
	    res);
}

int
hark_sentiment_score_tokens(struct hark_sentiment *s, const char *text,
    size_t len, const struct hark_token *tok, size_t ntok,
    enum hark_lang lang, unsigned flags, struct hark_sentiment_result *res)
{
	struct hark_lang_stats ls = HARK_LANG_STATS_INIT;
	const struct lex *lx;
	int allcaps, bangs = 0, hasq;
	size_t i, contrast = SIZE_MAX, nscored = 0;
	double sum = 0, other = 0, durations = 0, emph;

	res->nterms = 0;
	res->detected = 0;
	s->lowercase = -1;
	s->masked = 0;
	allcaps = tokenise(s, text, len, tok, ntok, lang == HARK_LANG_UNKNOWN ?
	    &ls : NULL);
	merge_masked(s);
	if (lang <= HARK_LANG_UNKNOWN || lang >= HARK_LANG_COUNT) {
		double margin;
		int l;

		lang = hark_lang_result(&ls, &margin);
		/* little evidence: which lexicons know the words? */
		if (margin < 2.0) {
			for (l = HARK_LANG_EN; l < HARK_LANG_COUNT; l++)
				ensure_lang(s, (enum hark_lang)l, NULL);
			if (lexicon_votes(s, &ls))
				lang = hark_lang_result(&ls, NULL);
		}
		if (lang == HARK_LANG_UNKNOWN)
			lang = s->deflang;
		res->detected = 1;
	}
	res->lang = lang;
	ensure_lang(s, lang, NULL);
	lx = &s->lex[lang];
	hasq = 0;

	/* modifier roles first, so look-backs see them */
	for (i = 0; i < s->nitems; i++) {
		struct item *it = &s->items[i];

		if (it->type == HARK_TOK_WORD) {
			it->mod = tab_find(s, &lx->exact, fword(s, it),
			    it->flen);
			if (it->mod == NULL &&
			    (it->tflags & HARK_TOK_ELONGATED)) {
				char k[MAX_KEY];
				size_t kl = collapse(fword(s, it), it->flen, 1,
				    k, sizeof(k));

				it->mod = tab_find(s, &lx->exact, k, kl);
			}
		}
		else if (it->type == HARK_TOK_PUNCT) {
			bangs += it->bangs;
			hasq |= it->questions > 0;
		}
	}
	for (i = 0; i < s->nitems; i++) {
		struct item *it = &s->items[i];
		const struct ent *e = NULL;
		unsigned how = 0;
		size_t used = 1;
		double v = 0;
		int neg = 0, negated;
		double boost = 0;

		if (it->consumed)
			continue;
		switch (it->type) {
		case HARK_TOK_WORD:
			if (it->mod != NULL && (it->mod->kinds & K_PSTART) &&
			    (used = match_phrase(s, lx, i, it->mod->maxw, &e,
			    &how)) > 0)
				break;
			used = 1;
			/* "&gt;", "&amp;": an HTML entity left in the text,
			 * no word; "&lt;3" is the heart "<3" escaped */
			if (it->off > 0 && text[it->off - 1] == '&' &&
			    it->off + it->len < len &&
			    text[it->off + it->len] == ';') {
				e = escaped_heart(s, lx, text, len, i);
				break;
			}
			e = lookup_word_memo(s, lang, fword(s, it), it->flen,
			    (it->tflags & HARK_TOK_ELONGATED) != 0, &how);
			break;
		case HARK_TOK_HASHTAG:
			e = lookup_word_memo(s, lang, fword(s, it), it->flen,
			    0, &how);
			/* a tag the lexicon knows as a whole is not read
			 * again as its words */
			if (e != NULL && (e->kinds & K_SEMANTIC) != 0) {
				size_t j;

				for (j = i + 1; j <= i + it->nparts; j++)
					s->items[j].consumed = 1;
			}
			break;
		case HARK_TOK_EMOJI:
			e = tab_find(s, &lx->exact, fword(s, it), it->flen);
			if (e == NULL) {
				char k[MAX_KEY];
				size_t kl = hark_tok_emoji_key(text + it->off,
				    it->len, 1, k, sizeof(k));

				e = tab_find(s, &lx->exact, k, kl);
			}
			break;
		case HARK_TOK_EMOTICON:
			/* "https://": the ":/" of a URL glued to a word */
			if (it->off + it->len < len &&
			    text[it->off + it->len] == '/')
				break;
			e = tab_find(s, &lx->exact, fword(s, it), it->flen);
			break;
		default:
			break;
		}
		if (e == NULL)
			continue;
		/* the words of "#NeverAgain", "#CantWait" count as a phrase
		 * only: a word alone in a tag mostly names a show, a place or
		 * a campaign ("#LoveIsland", "#HappyValley") */
		if ((it->tflags & HARK_TOK_PART) && used < 2)
			continue;
		if ((e->kinds & K_CONTRAST) && contrast == SIZE_MAX &&
		    nscored > 0)
			contrast = i;
		if ((e->kinds & K_SEMANTIC) == 0) {
			/* "kind of", "nie ma": a modifier of several words */
			if (used > 1 && (e->kinds & (K_BOOST | K_NEG))) {
				size_t j;

				it->mod = e;
				for (j = i + 1; j < i + used; j++)
					s->items[j].consumed = 1;
			}
			continue;
		}
		if (used > 1) {
			size_t j;

			for (j = i; j < i + used; j++)
				s->items[j].consumed = 1;
			it->end = s->items[i + used - 1].off +
			    s->items[i + used - 1].len;
		}
		v = (e->kinds & K_WORD) ? e->val : 0;
		/* a general list's word is weaker evidence than one chosen
		 * for posts */
		if (e->kinds & K_FILL)
			v *= FILL_WEIGHT;
		/* "strasznie fajne", "hrozně se mi líbí": an intensifier
		 * that is also a word only intensifies when a scored word
		 * follows */
		if (((e->kinds | (it->mod != NULL ? it->mod->kinds : 0)) &
		    K_BOOST) && used == 1 && it->type == HARK_TOK_WORD &&
		    boosts_next(s, lang, i))
			continue;
		if ((e->kinds & K_DURATION) && i > 0) {
			const struct item *p = &s->items[i - 1];

			if (p->type == HARK_TOK_NUMBER || (p->mod != NULL &&
			    (p->mod->kinds & K_QUANT))) {
				v = e->dur;
				how |= HARK_HOW_DURATION;
			}
		}
		if (it->type == HARK_TOK_WORD || it->type == HARK_TOK_HASHTAG) {
			modifiers(s, lang, i, allcaps, &neg, &boost);
			if (v != 0 && boost != 0) {
				v += sign(v) * boost;
				how |= boost > 0 ? HARK_HOW_BOOSTED :
				    HARK_HOW_DAMPENED;
			}
			if (v != 0 && (it->tflags & HARK_TOK_CAPS) && !allcaps) {
				v += sign(v) * C_INCR;
				how |= HARK_HOW_CAPS;
			}
			if (how & HARK_HOW_SUPERLATIVE)
				v *= 1.3;
			if (lang != HARK_LANG_EN && lang != HARK_LANG_PL &&
			    negator_follows(s, lang, i + used, (how &
			    HARK_HOW_PREFIX) ? 0 : v))
				neg++;
			/* Polish, Czech and Slovak negation is concord:
			 * "nigdy nie zawodzi", "nikdo nic neudělal" negate
			 * once; "nic nie działa" no more than the phrase
			 * "nie działa", which holds its own negator; and a
			 * word negated by its prefix agrees with the
			 * negators before it: "nikdy nezklame" */
			if (lang != HARK_LANG_EN)
				neg = (how & HARK_HOW_PREFIX) || (used > 1 &&
				    it->mod != NULL &&
				    (it->mod->kinds & K_NEG)) ? 0 : neg > 0;
			negated = (neg & 1) ^ ((how & HARK_HOW_PREFIX) != 0);
			if (neg & 1)
				how |= HARK_HOW_NEGATED;
			if (negated) {
				const struct ent *ne = e;

				/* an exact form may lack the negated value
				 * its stem has: "spokojený" / "spokojen*" */
				if (!(ne->kinds & K_NEGATED) && used == 1 &&
				    it->type == HARK_TOK_WORD)
					ne = negated_entry(s, lx, fword(s, it) +
					    ((how & HARK_HOW_PREFIX) ?
					    (lang == HARK_LANG_PL ? 3 : 2) : 0),
					    it->flen - ((how & HARK_HOW_PREFIX) ?
					    (lang == HARK_LANG_PL ? 3 : 2) : 0), e);
				if (ne->kinds & K_NEGATED)
					v = ne->nval + sign(ne->nval) *
					    fabs(boost);
				else
					v *= v < 0 ? N_SCALAR_NEG : N_SCALAR;
			} else if (v == 0 && !(how & HARK_HOW_DURATION))
				continue;
		} else if (it->type == HARK_TOK_EMOTICON && it->repeat > 1)
			v *= 1 + .15 * HARK_MIN(it->repeat - 1, 3);
		if (v == 0)
			continue;
		/* "Dear Sir", "Drogi Orange": a salutation, no praise */
		if (salutation(s, lang, i))
			v = 0;
		/* "Social Security", "Morning Star": a name in a sentence */
		if (it->type == HARK_TOK_WORD && !(e->kinds & K_THANKS) &&
		    proper_name(s, text, i, used))
			v *= NAME_WEIGHT;
		/* "mohlo by to být lepší", "uvítal bych": a wish, no praise */
		if (v > 0 && it->type == HARK_TOK_WORD &&
		    in_conditional(s, lang, i))
			v = 0;
		if (v == 0)
			continue;
		/* "can you help me? thanks": courtesy, not praise */
		if (v > 0 && it->type != HARK_TOK_EMOTICON &&
		    it->type != HARK_TOK_EMOJI && (hasq || in_question(s, i)) &&
		    ((e->kinds & K_THANKS) || in_question(s, i))) {
			/* "did you win?", "any good deals?": a question
			 * asks, it does not praise */
			v *= (e->kinds & K_THANKS) ? .3 : .1;
			how |= HARK_HOW_QUESTION;
		}
		it->val = v;
		it->how = how;
		it->scored = 1;
		it->thanks = (e->kinds & K_THANKS) != 0 && v > 0;
		nscored++;
	}

	/* contrast: "X but Y" weighs Y more than X */
	for (i = 0; i < s->nitems; i++) {
		struct item *it = &s->items[i];

		if (!it->scored)
			continue;
		if (contrast != SIZE_MAX) {
			if (i < contrast) {
				it->val *= .5;
				it->how |= HARK_HOW_BEFORE_CONTRAST;
			} else {
				it->val *= 1.5;
				it->how |= HARK_HOW_AFTER_CONTRAST;
			}
		}
		if (!it->thanks && !(it->how & HARK_HOW_DURATION))
			other += it->val;
		if (it->how & HARK_HOW_DURATION)
			durations += it->val;
	}
	/*
	 * A duration ("3 days") makes a complaint worse but is no complaint
	 * by itself ("60 dni za darmo"); sarcastic or merely polite thanks in
	 * a complaint count against it.
	 */
	for (i = 0; i < s->nitems; i++) {
		struct item *it = &s->items[i];

		if (!it->scored)
			continue;
		if ((it->how & HARK_HOW_DURATION) && other >= 0) {
			it->scored = 0;
			continue;
		}
		if (it->thanks && other < 0 && other + durations <= -1.5) {
			it->val = -.5 * fabs(it->val);
			it->how |= HARK_HOW_SARCASM;
		}
		sum += it->val;
	}
	/*
	 * Negativity bias where the language's lexicon asks for it
	 * ("mixed-praise"): in a post that complains too, praise weighs
	 * less ("displej je pěkný, ale po týdnu nefunguje").
	 */
	if (s->mixed_praise[lang] < 1) {
		double pos = 0, negs = 0;

		for (i = 0; i < s->nitems; i++)
			if (s->items[i].scored && s->items[i].val > 0)
				pos += s->items[i].val;
			else if (s->items[i].scored && s->items[i].val < 0)
				negs += s->items[i].val;
		for (i = 0; pos > 0 && negs < 0 && i < s->nitems; i++)
			if (s->items[i].scored && s->items[i].val > 0) {
				double d = s->items[i].val *
				    (1 - s->mixed_praise[lang]);

				s->items[i].val -= d;
				sum -= d;
			}
	}
	/* irony: "awesome service... NOT!" takes back the praise */
	if (sum > 0 && lang == HARK_LANG_EN && trailing_not(s))
		sum = -sum;
	emph = .292 * HARK_MIN(bangs, 4);
	if (sum == 0)
		emph = 0;
	else if (sum < 0)
		emph = -emph;
	sum += emph;
	res->sum = sum;
	res->score = sum / sqrt(sum * sum + ALPHA);
	if (res->score > 1)
		res->score = 1;
	if (res->score < -1)
		res->score = -1;
	res->label = hark_sentiment_label_of(s, lang, res->score);
	if (flags & HARK_SENT_EXPLAIN) {
		for (i = 0; i < s->nitems; i++) {
			const struct item *it = &s->items[i];

			if (it->scored)
				push_term(res, it->off, it->end - it->off,
				    it->val, it->how);
		}
		if (emph != 0) {
			size_t last = 0;

			for (i = 0; i < s->nitems; i++)
				if (s->items[i].type == HARK_TOK_PUNCT &&
				    (s->items[i].bangs || s->items[i].questions))
					last = i;
			push_term(res, s->items[last].off, s->items[last].len,
			    emph, HARK_HOW_EMPHASIS);
		}
	}
	return 0;
}

void
hark_sentiment_result_release(struct hark_sentiment_result *res)
{
	free(res->terms);
	res->terms = NULL;
	res->nterms = res->capterms = 0;
}

enum hark_sentiment_label
hark_sentiment_label_of(const struct hark_sentiment *s, enum hark_lang lang,
    double score)
{
	double thr, nthr;

	if ((unsigned)lang >= HARK_LANG_COUNT)
		lang = HARK_LANG_UNKNOWN;
	thr = s->threshold >= 0 ? s->threshold : s->lthreshold[lang];
	nthr = s->threshold >= 0 ? s->threshold : s->lthreshold_neg[lang];
	return score > 0 && score >= thr ? HARK_SENT_POSITIVE :
	    score < 0 && score <= -nthr ? HARK_SENT_NEGATIVE :
	    HARK_SENT_NEUTRAL;
}

double
hark_sentiment_with_rating(double score, double rating)
{
	double stars;

	if (!(rating >= 1 && rating <= 5))	/* NaN too */
		return score;
	stars = (rating - 3) / 2;
	if (score == 0)
		return stars;
	if ((score < 0) != (stars < 0) && stars != 0)
		return score < stars ? score : stars;	/* the negative side */
	return (score + stars) / 2;
}

const char *
hark_sentiment_label_name(enum hark_sentiment_label l)
{
	return l == HARK_SENT_NEGATIVE ? "negative" : l == HARK_SENT_POSITIVE ?
	    "positive" : "neutral";
}

char *
hark_sentiment_how_str(unsigned how, char *out, size_t outsz)
{
	static const char *const names[] = {
		"stem", "phrase", "negated", "prefix-negated", "boosted",
		"dampened", "caps", "before-contrast", "after-contrast",
		"sarcasm", "duration", "superlative", "emphasis", "question"
	};
	size_t i, o = 0;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	for (i = 0; i < HARK_ARRAY_SIZE(names); i++)
		if (how & (1u << i)) {
			int n = snprintf(out + o, outsz - o, "%s%s",
			    o ? " " : "", names[i]);

			if (n < 0 || (size_t)n >= outsz - o)
				break;
			o += (size_t)n;
		}
	return out;
}
