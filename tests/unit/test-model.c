/* test-model.c - features, training, the model file (lib/model.h). */
#include <math.h>
#include <zlib.h>
#include "hark.h"
#include "model.h"
#include "modelfeat.h"
#include "tap.h"

static const char *const texts[][2] = {
	{ "great service, thank you", "positive" },
	{ "love the new app", "positive" },
	{ "super fast delivery, great", "positive" },
	{ "terrible, my parcel is lost", "negative" },
	{ "the app does not work, awful", "negative" },
	{ "still no refund, terrible", "negative" },
};

static void
ext(const struct hark_feat_opts *o, const char *s, enum hark_lang lang,
    struct hark_feats *f)
{
	hark_feats_extract(o, s, strlen(s), lang, NULL, f);
}

/* Is the feature NAME among F's entries (extracted with names)? */
static int
has_feat(const struct hark_feats *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->names.ptr + f->nameoff[i], name) == 0)
			return 1;
	return 0;
}

/* Little-endian u32 into B (the model file's byte order). */
static void
le32(struct hark_buf *b, uint32_t v)
{
	unsigned char p[4] = { (unsigned char)v, (unsigned char)(v >> 8),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	(void)hark_buf_add(b, p, 4);
}

/*
 * A hand-made model of 10 bits and labels "a" "b" whose rows sit at
 * slots on both sides of 64-slot boundaries: every slot alone must weigh
 * exactly its row's weight (a - b = row + 1) or nothing when it has no
 * row (the look-up from slot to row).
 */
static void
slot_rows(void)
{
	static const uint32_t slots[] = { 0, 1, 62, 63, 64, 65, 127, 128,
	    300, 511, 960, 1022, 1023 };
	struct hark_buf b;
	struct hark_err err;
	struct hark_model *m;
	struct hark_feats f;
	uint32_t s, bad = 0, i, crc;
	float one = 1;
	double p[2];

	hark_buf_init(&b, 1 << 20);
	(void)hark_buf_add(&b, "HARKMODL", 8);
	le32(&b, HARK_MODEL_FORMAT);
	le32(&b, HARK_MODEL_LOGREG);
	le32(&b, HARK_FEAT_WORDS);
	le32(&b, 10);			/* bits */
	le32(&b, 3);
	le32(&b, 4);
	le32(&b, 2);			/* labels */
	le32(&b, (uint32_t)HARK_ARRAY_SIZE(slots));
	memcpy(&s, &one, 4);
	le32(&b, s);			/* scale */
	le32(&b, 4);
	(void)hark_buf_add(&b, "rows", 4);
	le32(&b, 1);
	(void)hark_buf_add(&b, "a", 1);
	le32(&b, 1);
	(void)hark_buf_add(&b, "b", 1);
	le32(&b, 0);			/* biases */
	le32(&b, 0);
	for (i = 0; i < HARK_ARRAY_SIZE(slots); i++) {
		unsigned char w[4] = { (unsigned char)(i + 1), 0, 0, 0 };

		le32(&b, slots[i]);
		(void)hark_buf_add(&b, w, 4);
	}
	crc = (uint32_t)crc32(0L, (const unsigned char *)b.ptr, (uInt)b.len);
	le32(&b, crc);
	m = hark_model_parse(b.ptr, b.len, &err);
	ok(m != NULL, "hand-made model parses (%s)", m ? "" : err.msg);
	if (m == NULL) {
		hark_buf_release(&b);
		return;
	}
	hark_feats_init(&f, 0);
	f.idx = hark_xmalloc(sizeof(*f.idx));
	f.val = hark_xmalloc(sizeof(*f.val));
	f.n = f.cap = 1;
	f.val[0] = 1;
	for (s = 0; s < 1024; s++) {
		double want = 0, got;

		for (i = 0; i < HARK_ARRAY_SIZE(slots); i++)
			if (slots[i] == s)
				want = i + 1;
		f.idx[0] = s;
		(void)hark_model_predict(m, &f, p);
		got = log(p[0] / p[1]);
		if (fabs(got - want) > 1e-6 && bad++ < 3)
			printf("# slot %u: weighs %g, its row %g\n", s, got, want);
	}
	ok(bad == 0, "every slot finds its own row or none (%u wrong)", bad);
	hark_feats_release(&f);
	hark_model_free(m);
	hark_buf_release(&b);
}

/* Whether TOK[0..N) are the first N tokens of S[0..LEN), tokenised anew. */
static int
same_tokens(const char *s, size_t len, const struct hark_token *tok, size_t n)
{
	struct hark_tokenizer tk;
	struct hark_token t;
	size_t i;

	hark_tok_init(&tk, s, len);
	for (i = 0; i < n; i++)
		if (!hark_tok_next(&tk, &t) || t.type != tok[i].type ||
		    t.off != tok[i].off || t.len != tok[i].len ||
		    t.flags != tok[i].flags || t.bangs != tok[i].bangs ||
		    t.questions != tok[i].questions || t.ch != tok[i].ch ||
		    t.repeat != tok[i].repeat)
			return 0;
	return 1;
}

/* Whether the scorer gives the same result with and without the tokens. */
static int
same_score(struct hark_sentiment *s, const char *text, size_t len,
    const struct hark_token *tok, size_t ntok)
{
	static struct hark_sentiment_result a = HARK_SENTIMENT_RESULT_INIT,
	    b = HARK_SENTIMENT_RESULT_INIT;
	size_t i;

	hark_sentiment_score(s, text, len, HARK_LANG_UNKNOWN,
	    HARK_SENT_EXPLAIN, &a);
	hark_sentiment_score_tokens(s, text, len, tok, ntok,
	    HARK_LANG_UNKNOWN, HARK_SENT_EXPLAIN, &b);
	if (a.score != b.score || a.sum != b.sum || a.label != b.label ||
	    a.lang != b.lang || a.nterms != b.nterms)
		return 0;
	for (i = 0; i < a.nterms; i++)
		if (a.terms[i].off != b.terms[i].off ||
		    a.terms[i].len != b.terms[i].len ||
		    a.terms[i].value != b.terms[i].value ||
		    a.terms[i].how != b.terms[i].how)
			return 0;
	return 1;
}

/*
 * hark_feats_text() + hark_feats_end() on a whole text give, bit for bit,
 * hark_feats_extract() on its prefix, and return that prefix, for texts
 * of up to and over HARK_FEAT_PREFIX_MIN bytes and HARK_FEAT_TOKENS
 * tokens, whatever token ends the prefix.
 */
static void
two_steps(void)
{
	static const char *const tails[] = { "word", "xD", ":)", "10:30",
	    "2.5", "!!!", "?!", "#tag", "@user", "http://x.example/a",
	    "don't", "sooo", "\xf0\x9f\x98\xa1", "NIE", "nie", "\xc5\xbale",
	    "a.b", "<3", "...", "a\xc2\xa0<3", "\xe3\x80\x80xD", "don'",
	    "\xf0\x9f\x91\xa9\xe2\x80\x8d", "\xe2\x80\x8d", "x\tD",
	    "www.", "T_", ":'", "1,", "\xff" };
	struct hark_feat_opts o = HARK_FEAT_OPTS_DEFAULT;
	struct hark_sentiment_result lex;
	struct hark_sentiment_term term = { 0 };
	struct hark_feats a, b;
	struct hark_buf t;
	struct hark_sentiment *sent = hark_sentiment_new(NULL);
	size_t i, k, ntok, bad = 0, badtok = 0, badscore = 0, runs = 0;

	memset(&lex, 0, sizeof(lex));
	lex.score = -0.4;
	lex.label = HARK_SENT_NEGATIVE;
	term.value = -1;
	term.how = 4;
	lex.terms = &term;
	lex.nterms = 1;
	hark_feats_init(&a, 0);
	hark_feats_init(&b, 0);
	hark_buf_init(&t, 1 << 20);
	for (ntok = 70; ntok <= 100; ntok++)
	for (i = 0; i < HARK_ARRAY_SIZE(tails); i++)
	for (k = 0; k < HARK_ARRAY_SIZE(tails); k++) {
		size_t j, pre, got, pad;

		/* short and long texts: words padded to make it long */
		for (pad = 0; pad <= 40; pad += 40) {
			hark_buf_reset(&t);
			for (j = 0; j + 2 < ntok; j++) {
				(void)hark_buf_addstr(&t, j % 7 ? "Slowly" :
				    "nie");
				for (size_t q = 0; q < pad / 4; q++)
					(void)hark_buf_addch(&t, 'o' + j % 3);
				(void)hark_buf_addstr(&t, j % 5 ? " " : ", ");
			}
			(void)hark_buf_addstr(&t, tails[i]);
			(void)hark_buf_addstr(&t, tails[k]);
			(void)hark_buf_addstr(&t, " ");
			(void)hark_buf_addstr(&t, tails[k]);
			(void)hark_buf_addstr(&t, ntok % 2 ? " tail" : " tail \n");
			pre = hark_feats_prefix(t.ptr, t.len);
			hark_feats_extract(&o, t.ptr, pre, HARK_LANG_PL, &lex,
			    &a);
			got = hark_feats_text(&o, t.ptr, t.len, &b);
			/* the tokens it keeps: the prefix's, for the scorer */
			if (b.ntok == 0 || b.ntok > HARK_FEAT_TOKENS ||
			    !same_tokens(t.ptr, got, b.tok, b.ntok)) {
				if (badtok++ < 3)
					printf("# %zu tokens, tail '%s%s': %zu "
					    "kept tokens differ\n", ntok,
					    tails[i], tails[k], b.ntok);
			}
			if (sent != NULL && (pad == 0 || ntok % 10 == 0) &&
			    !same_score(sent, t.ptr, got, b.tok, b.ntok)) {
				if (badscore++ < 3)
					printf("# %zu tokens, tail '%s%s': the "
					    "scorer differs with the tokens\n",
					    ntok, tails[i], tails[k]);
			}
			hark_feats_end(&o, HARK_LANG_PL, &lex, &b);
			runs++;
			if (got != pre || a.n != b.n ||
			    memcmp(a.idx, b.idx, a.n * sizeof(*a.idx)) != 0 ||
			    memcmp(a.val, b.val, a.n * sizeof(*a.val)) != 0) {
				if (bad++ < 3)
					printf("# %zu tokens, tail '%s%s': prefix "
					    "%zu/%zu, %zu/%zu features\n", ntok,
					    tails[i], tails[k], got, pre, b.n,
					    a.n);
			}
		}
	}
	ok(bad == 0, "features in two steps = features of the prefix "
	    "(%zu of %zu differ)", bad, runs);
	ok(badtok == 0, "hark_feats_text keeps the first tokens of the prefix "
	    "(%zu of %zu differ)", badtok, runs);
	ok(sent != NULL && badscore == 0, "the scorer given those tokens "
	    "scores the prefix as without them (%zu differ)", badscore);
	hark_sentiment_free(sent);
	hark_buf_release(&t);
	hark_feats_release(&a);
	hark_feats_release(&b);
}

/* Do A and B hold the same features, bit for bit? */
static int
same_feats(const struct hark_feats *a, const struct hark_feats *b)
{
	return a->n == b->n &&
	    memcmp(a->idx, b->idx, a->n * sizeof(*a->idx)) == 0 &&
	    memcmp(a->val, b->val, a->n * sizeof(*a->val)) == 0;
}

/*
 * The word cache (hark_feats_cache()): the features are those computed
 * without it, bit for bit, with any number of entries (two: every word
 * evicts another), for words of two hash-colliding spellings (folded,
 * and as written for the folded forms it keeps), words at and over the
 * length it keeps, words with more n-grams than it keeps, and settings
 * that change between texts (which empty it).
 */
static void
word_cache(void)
{
/* 12 Greek letters: 24 bytes, folded too */
#define G12 "\xce\xb1\xce\xb2\xce\xb3\xce\xb4\xce\xb5\xce\xb6" \
	    "\xce\xb7\xce\xb8\xce\xb9\xce\xba\xce\xbb\xce\xbc"
	static const char *const words[] = { "great", "service", "Nie",
	    "DZIAŁA", "działa", "žluťoučký", "kůň", "#fail", "don't",
	    "sooo", "12:30", "@brand", "http://x.example/a", "😡", ":(",
	    "!!!", "not", "good", "straße", "ﬁx",
	    /* the same FNV-1a hash (aec12bf4), one entry */
	    "yaczf", "glbpp",
	    /* 24 bytes, 25 bytes, 24 bytes folded from 25 */
	    "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwxy",
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "zażółćgęśląjaźńzażółćgęślą",
	    "supercalifragilisticexpialidocious", "a", "ab", "ó" };
	static const struct hark_feat_opts opts[] = {
		HARK_FEAT_OPTS_DEFAULT,
		{ HARK_FEAT_ALL, 10, 3, 4 },
		{ HARK_FEAT_CHARS, 20, 1, 8 },	/* > 40 n-grams a word */
		{ HARK_FEAT_CHARS | HARK_FEAT_WORDS, 16, 2, 5 },
		{ HARK_FEAT_ALL & ~(unsigned)HARK_FEAT_CHARS, 20, 3, 4 },
		{ HARK_FEAT_CHARS, 12, 4, 4 },
	};
	static const unsigned bits[] = { 1, 2, 4, HARK_FEAT_CACHE_BITS };
	struct hark_feats ref, c[HARK_ARRAY_SIZE(bits)];
	struct hark_buf t;
	size_t i, k, o, r, bad = 0, runs = 0;

	hark_feats_init(&ref, 0);
	hark_feats_cache(&ref, 0);
	for (k = 0; k < HARK_ARRAY_SIZE(bits); k++) {
		hark_feats_init(&c[k], 0);
		hark_feats_cache(&c[k], bits[k]);
	}
	hark_buf_init(&t, 1 << 16);
	/* texts of the words in several orders, each settings in turn */
	for (r = 0; r < 3; r++)
	for (o = 0; o < HARK_ARRAY_SIZE(opts); o++)
	for (i = 0; i < HARK_ARRAY_SIZE(words); i++) {
		size_t j, n = HARK_ARRAY_SIZE(words);

		hark_buf_reset(&t);
		for (j = 0; j < n; j++) {
			(void)hark_buf_addstr(&t, words[(i + j * (r + 1)) % n]);
			(void)hark_buf_addstr(&t, j % 4 == 3 ? ". " : " ");
		}
		ext(&opts[o], t.ptr, HARK_LANG_PL, &ref);
		for (k = 0; k < HARK_ARRAY_SIZE(bits); k++) {
			ext(&opts[o], t.ptr, HARK_LANG_PL, &c[k]);
			runs++;
			if (!same_feats(&ref, &c[k]) && bad++ < 3)
				printf("# settings %zu, text %zu, 2^%u "
				    "entries: %zu/%zu features differ\n", o,
				    i, bits[k], c[k].n, ref.n);
		}
	}
	ok(bad == 0, "features with the word cache = without it (%zu of %zu "
	    "differ)", bad, runs);
	ok(c[3].cachehits > 5 * c[3].cachemisses, "most words are found "
	    "(%zu found, %zu kept)", c[3].cachehits, c[3].cachemisses);
	ok(ref.cachehits == 0 && ref.cachemisses == 0 && ref.cache == NULL,
	    "no cache with 0 bits");

	/* two colliding words, one entry: each replaces the other */
	hark_feats_cache(&c[0], 1);
	ext(&opts[0], "yaczf glbpp yaczf glbpp", HARK_LANG_EN, &ref);
	ext(&opts[0], "yaczf glbpp yaczf glbpp", HARK_LANG_EN, &c[0]);
	ok(same_feats(&ref, &c[0]) && c[0].cachehits == 0 &&
	    c[0].cachemisses == 4, "words of one hash evict each other "
	    "(%zu found, %zu kept)", c[0].cachehits, c[0].cachemisses);
	ext(&opts[0], "yaczf yaczf yaczf", HARK_LANG_EN, &ref);
	ext(&opts[0], "yaczf yaczf yaczf", HARK_LANG_EN, &c[0]);
	ok(same_feats(&ref, &c[0]) && c[0].cachehits == 2 &&
	    c[0].cachemisses == 5, "and are found again (%zu found, %zu "
	    "kept)", c[0].cachehits, c[0].cachemisses);
	/* two non-ASCII words of one FNV-1a hash as written: one entry of
	 * the folded words, each replacing the other */
	ext(&opts[0], "\xc5\xbcnumzf \xc5\xbctplpp \xc5\xbcnumzf "
	    "\xc5\xbctplpp \xc5\xbbNUMZF", HARK_LANG_PL, &ref);
	ext(&opts[0], "\xc5\xbcnumzf \xc5\xbctplpp \xc5\xbcnumzf "
	    "\xc5\xbctplpp \xc5\xbbNUMZF", HARK_LANG_PL, &c[0]);
	ok(same_feats(&ref, &c[0]), "non-ASCII words of one hash are folded "
	    "as without the cache");
	/* too long, or too many n-grams: not kept, computed every time */
	hark_feats_cache(&c[1], 4);
	ext(&opts[0], G12 "x " G12 "x", HARK_LANG_EN, &c[1]);	/* 25 B */
	ext(&opts[2], "abcdefghijk abcdefghijk", HARK_LANG_EN, &c[1]);
	ext(&opts[0], "abcdefghijklmnopqrstu abcdefghijklmnopqrstu",
	    HARK_LANG_EN, &c[1]);	/* 21 letters: 41 n-grams */
	ok(c[1].cachehits == 0 && c[1].cachemisses == 0, "long words and "
	    "words of many n-grams are not kept");
	ext(&opts[0], G12 " " G12 " abcdefghijklmnopqrst abcdefghijklmnopqrst",
	    HARK_LANG_EN, &c[1]);
	ok(c[1].cachehits == 2 && c[1].cachemisses == 2, "a word of "
	    "HARK_FEAT_CACHE_WORD bytes, or of HARK_FEAT_CACHE_SLOTS n-grams, "
	    "is (%zu found, %zu kept)", c[1].cachehits, c[1].cachemisses);
	/* new settings empty it */
	ext(&opts[1], G12, HARK_LANG_EN, &ref);
	ext(&opts[1], G12, HARK_LANG_EN, &c[1]);
	ok(same_feats(&ref, &c[1]) && c[1].cachehits == 2 &&
	    c[1].cachemisses == 3, "other settings start it empty");
	hark_feats_cache(&c[1], 99);
	is_int(c[1].cachebits, HARK_FEAT_CACHE_BITS_MAX, "at most "
	    "HARK_FEAT_CACHE_BITS_MAX bits");
	for (k = 0; k < HARK_ARRAY_SIZE(bits); k++)
		hark_feats_release(&c[k]);
	/* with names (--explain) it is not used */
	hark_feats_init(&c[0], 1);
	ext(&opts[0], "great great", HARK_LANG_EN, &c[0]);
	ok(c[0].cache == NULL && c[0].cachehits == 0, "no cache with names");
	hark_feats_release(&c[0]);
	hark_feats_release(&ref);
	hark_buf_release(&t);
#undef G12
}

static void
train(struct hark_buf *out, const struct hark_train_opts *o)
{
	struct hark_trainset ts = HARK_TRAINSET_INIT;
	struct hark_feats f;
	struct hark_err err = HARK_ERR_INIT;
	size_t i;
	int rc;

	hark_feats_init(&f, 0);
	for (i = 0; i < HARK_ARRAY_SIZE(texts); i++) {
		hark_feats_extract(&o->fo, texts[i][0], strlen(texts[i][0]),
		    HARK_LANG_EN, NULL, &f);
		hark_trainset_add(&ts, texts[i][1], &f, &err);
	}
	rc = hark_model_train(&ts, NULL, 0, o, out, &err);
	is_int(rc, 0, "training works (%s)", err.msg);
	hark_feats_release(&f);
	hark_trainset_release(&ts);
}

/*
 * A word's char n-grams as one group (hark_feats_group(), as the
 * classifier uses them): the probabilities are the same, bit for bit,
 * whatever the cache holds (cold, warm, every word evicting another, a
 * word whose entry another word of the same text holds, no cache, names)
 * and the same as without groups to within float rounding; the groups
 * are used (words found, fewer entries pushed).
 */
static void
word_groups(void)
{
	static const char *const words[] = { "great", "service", "thank",
	    "you", "love", "app", "terrible", "parcel", "lost", "awful",
	    "refund", "DZIAŁA", "działa", "žluťoučký", "yaczf", "glbpp",
	    "abcdefghijklmnopqrstuvwxy", "supercalifragilisticexpialidocious",
	    "not", "a", "ó", "😡", "!!!" };
	static const unsigned bits[] = { 0, 1, 2, 4, HARK_FEAT_CACHE_BITS };
	struct hark_train_opts to = HARK_TRAIN_OPTS_INIT;
	struct hark_feats ref, g[HARK_ARRAY_SIZE(bits) + 1];
	struct hark_err err = HARK_ERR_INIT;
	struct hark_buf mb, t;
	struct hark_model *m;
	size_t i, j, k, r, n = HARK_ARRAY_SIZE(words), ng = HARK_ARRAY_SIZE(g);
	size_t bad = 0, far = 0, runs = 0, pushed = 0, refpushed = 0;
	double pr[2], p0[2], p[2], dmax = 0;

	to.fo.bits = 14;
	to.fo.flags = HARK_FEAT_ALL & ~(unsigned)HARK_FEAT_LEXICON;
	hark_buf_init(&mb, HARK_MODEL_SIZE_MAX + 4096);
	train(&mb, &to);
	if ((m = hark_model_parse(mb.ptr, mb.len, &err)) == NULL) {
		ok(0, "groups: the toy model parses (%s)", err.msg);
		hark_buf_release(&mb);
		return;
	}
	hark_feats_init(&ref, 0);
	for (k = 0; k < ng; k++) {
		hark_feats_init(&g[k], k == ng - 1);	/* the last: names */
		if (k < ng - 1)
			hark_feats_cache(&g[k], bits[k]);
		hark_feats_group(&g[k], m->wstride);
	}
	hark_buf_init(&t, 1 << 16);
	for (r = 0; r < 4; r++)
	for (i = 0; i < n; i++) {
		hark_buf_reset(&t);
		for (j = 0; j < n + r; j++) {	/* some words twice */
			(void)hark_buf_addstr(&t, words[(i + j * (r + 1)) % n]);
			(void)hark_buf_addstr(&t, " ");
		}
		ext(&to.fo, t.ptr, HARK_LANG_EN, &ref);
		refpushed += ref.n;
		(void)hark_model_predict(m, &ref, pr);
		for (k = 0; k < ng; k++) {
			ext(&to.fo, t.ptr, HARK_LANG_EN, &g[k]);
			(void)hark_model_predict(m, &g[k], p);
			if (k == HARK_ARRAY_SIZE(bits) - 1)
				pushed += g[k].n;
			if (k == 0)
				memcpy(p0, p, sizeof(p));
			else if (memcmp(p, p0, sizeof(p)) != 0 && bad++ < 3)
				printf("# text %zu/%zu, cache %zu: %.17g, not "
				    "%.17g\n", r, i, k, p[0], p0[0]);
			if (fabs(p[0] - pr[0]) > dmax)
				dmax = fabs(p[0] - pr[0]);
			runs++;
		}
	}
	far = dmax > 1e-5;
	ok(bad == 0, "groups: the same probabilities whatever the cache holds "
	    "(%zu of %zu differ)", bad, runs);
	ok(!far, "groups: as without them to within rounding (%g)", dmax);
	ok(pr[0] > 0 && pr[0] < 1 && fabs(pr[0] - 0.5) > 1e-3, "groups: the "
	    "toy model does weigh these texts (%g)", pr[0]);
	k = HARK_ARRAY_SIZE(bits) - 1;
	ok(g[k].cachehits > g[k].cachemisses && 4 * pushed < 3 * refpushed,
	    "groups: words are found (%zu found, %zu kept) and their n-grams "
	    "not pushed (%zu entries, %zu without groups)", g[k].cachehits,
	    g[k].cachemisses, pushed, refpushed);
	for (k = 0; k < ng; k++)
		hark_feats_release(&g[k]);
	hark_feats_release(&ref);
	hark_model_free(m);
	hark_buf_release(&mb);
	hark_buf_release(&t);
}

/*
 * Groups made for another model's label count (vectors of another size)
 * are summed each time, not read from or written to vectors that do not
 * fit: a model of six labels (rows of 8 floats) against groups of 4
 * floats, in a cache of two entries so that every vector has a neighbour
 * (and the last its allocation's end) to run into.
 */
static void
group_dimension(void)
{
	static const char *const probe[] = { "great service love",
	    "terrible parcel lost", "love the app, great", "awful refund",
	    "still no refund, terrible", "thank you, super fast" };
	struct hark_train_opts to = HARK_TRAIN_OPTS_INIT;
	struct hark_trainset ts = HARK_TRAINSET_INIT;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_feats f, small, own;
	struct hark_buf mb;
	struct hark_model *m;
	char label[8];
	double p[6], q[6];
	size_t i, r, bad = 0, used = 0;

	to.fo.bits = 14;
	to.fo.flags = HARK_FEAT_ALL & ~(unsigned)HARK_FEAT_LEXICON;
	hark_feats_init(&f, 0);
	for (i = 0; i < HARK_ARRAY_SIZE(texts); i++) {
		snprintf(label, sizeof(label), "l%zu", i);
		ext(&to.fo, texts[i][0], HARK_LANG_EN, &f);
		hark_trainset_add(&ts, label, &f, &err);
	}
	hark_buf_init(&mb, HARK_MODEL_SIZE_MAX + 4096);
	if (hark_model_train(&ts, NULL, 0, &to, &mb, &err) < 0 ||
	    (m = hark_model_parse(mb.ptr, mb.len, &err)) == NULL) {
		ok(0, "dimension: a six-label model (%s)", err.msg);
		goto out;
	}
	is_int(m->wstride, 8, "dimension: six labels, rows of 8");
	hark_feats_init(&small, 0);
	hark_feats_init(&own, 0);
	hark_feats_cache(&small, 1);
	hark_feats_cache(&own, 1);
	hark_feats_group(&small, 4);
	hark_feats_group(&own, m->wstride);
	for (i = 0; i < HARK_ARRAY_SIZE(probe); i++)
		for (r = 0; r < 3; r++) {	/* cold, then warm */
			ext(&to.fo, probe[i], HARK_LANG_EN, &small);
			ext(&to.fo, probe[i], HARK_LANG_EN, &own);
			used = small.cachehits;
			(void)hark_model_predict(m, &small, p);
			(void)hark_model_predict(m, &own, q);
			if (memcmp(p, q, sizeof(p)) != 0 && bad++ < 3)
				printf("# text %zu, round %zu: %.17g, not "
				    "%.17g\n", i, r, p[0], q[0]);
		}
	ok(used > 0 && bad == 0, "dimension: groups of 4 floats against rows "
	    "of 8 score as the model's own (%zu words found, %zu of %zu "
	    "differ)", used, bad, 3 * HARK_ARRAY_SIZE(probe));
	hark_feats_release(&small);
	hark_feats_release(&own);
	hark_model_free(m);
out:
	hark_feats_release(&f);
	hark_trainset_release(&ts);
	hark_buf_release(&mb);
}

/*
 * The naive-Bayes part alone (no epochs of logistic regression), on the
 * toy set's words: "love" is in one of the 12 positive and none of the 15
 * negative words, of 23 distinct ones, so with add-one smoothing its
 * positive weight is NB/2 * log((2/35) / (1/38)) above the mean and
 * P(positive) = 1 / (1 + exp(-NB * log(76/35))); "lost", in one of the
 * negative words only, gets P(negative) = 1 / (1 + exp(-NB * log(70/38))).
 */
static void
naive_bayes(void)
{
	struct hark_train_opts to = HARK_TRAIN_OPTS_INIT;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_feats f;
	struct hark_buf a;
	struct hark_model *m;
	double p[2], want = 1 / (1 + exp(-0.4 * log(76.0 / 35.0)));
	double want2 = 1 / (1 + exp(-0.4 * log(70.0 / 38.0)));

	to.fo.bits = 14;
	to.fo.flags = HARK_FEAT_WORDS;
	to.epochs = 0;
	to.nb = 0.4;
	hark_buf_init(&a, HARK_MODEL_SIZE_MAX + 4096);
	hark_feats_init(&f, 0);
	train(&a, &to);
	m = hark_model_parse(a.ptr, a.len, &err);
	ok(m != NULL, "a naive-Bayes-only model parses (%s)", err.msg);
	if (m != NULL) {
		ext(&m->fo, "love", HARK_LANG_EN, &f);
		is_int(hark_model_predict(m, &f, p), 0, "nb: a word of the "
		    "positive examples only");
		ok(fabs(p[0] - want) < 0.002, "nb: its probability is naive "
		    "Bayes' with the weight (%.4f, want %.4f)", p[0], want);
		ext(&m->fo, "lost", HARK_LANG_EN, &f);
		is_int(hark_model_predict(m, &f, p), 1, "nb: a word of the "
		    "negative examples only");
		ok(fabs(p[1] - want2) < 0.002, "nb: and its probability "
		    "(%.4f, want %.4f)", p[1], want2);
		hark_model_free(m);
	}
	to.nb = 0;
	train(&a, &to);
	m = hark_model_parse(a.ptr, a.len, &err);
	if (m != NULL) {
		ext(&m->fo, "love", HARK_LANG_EN, &f);
		(void)hark_model_predict(m, &f, p);
		ok(p[0] == 0.5, "--nb 0, no epochs: nothing learnt (%g)",
		    p[0]);
		hark_model_free(m);
	} else
		ok(0, "--nb 0, no epochs: the model parses (%s)", err.msg);
	hark_feats_release(&f);
	hark_buf_release(&a);
}

int
main(void)
{
	struct hark_feat_opts fo = HARK_FEAT_OPTS_DEFAULT;
	struct hark_train_opts to = HARK_TRAIN_OPTS_INIT;
	struct hark_feats f;
	struct hark_buf a, b;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_model *m;
	char flags[128];
	unsigned fl = 0;
	size_t i, n;
	double p[2], sum;

	/* features: folding, negation scope, char n-grams, emoji, shape */
	hark_feats_init(&f, 1);
	ext(&fo, "Nie DZIAŁA!!! :( 😡 #fail", HARK_LANG_PL, &f);
	ok(has_feat(&f, "w:dziala"), "words are folded");
	ok(has_feat(&f, "n:dziala"), "a word after a negator is marked");
	ok(!has_feat(&f, "n:nie"), "the negator itself is not");
	ok(has_feat(&f, "b:nie dziala"), "bigrams");
	ok(has_feat(&f, "b:<s> nie"), "bigram with the start of the text");
	ok(has_feat(&f, "c:<dzi"), "char n-grams start at the word's edge");
	ok(has_feat(&f, "c:ala>"), "and end at it");
	ok(has_feat(&f, "w:fail"), "hashtag as a word");
	ok(has_feat(&f, "s:!!"), "!!! is a shape feature");
	ok(has_feat(&f, "s:caps1"), "a word in capitals");
	ok(has_feat(&f, "e::("), "emoticon");
	ok(has_feat(&f, "l:pl"), "language");
	for (sum = 0, i = 0; i < f.n; i++)
		sum += (double)f.val[i] * f.val[i];
	ok(sum > 0.999 && sum < 1.001, "unit length (%g)", sum);
	for (i = 0; i < f.n; i++)
		if (f.idx[i] >= (1u << fo.bits))
			break;
	is_int(i, f.n, "every slot below 2^bits");
	ext(&fo, "not good. good", HARK_LANG_EN, &f);
	ok(has_feat(&f, "n:good"), "negation reaches the next word");
	{	/* negators of every first letter, and words that are not */
		static const char *const yes[] = { "aint", "ani", "brak",
		    "bez", "cannot", "couldnt", "DIDNT", "hasnt", "isnt",
		    "never", "nothing", "nikdo", "nikt", "shouldnt", "wont",
		    "without", "zadnego", "zadny", "won't", "isn\xe2\x80\x99t" };
		static const char *const no[] = { "note", "nothings", "bezel",
		    "an", "zadn", "sant", "\xc3\xa9t", "n", "x" };
		char buf[64];
		size_t i, bad = 0;

		for (i = 0; i < HARK_ARRAY_SIZE(yes); i++) {
			snprintf(buf, sizeof(buf), "%s good", yes[i]);
			ext(&fo, buf, HARK_LANG_EN, &f);
			if (!has_feat(&f, "n:good") && bad++ < 3)
				printf("# '%s' negates nothing\n", yes[i]);
		}
		for (i = 0; i < HARK_ARRAY_SIZE(no); i++) {
			snprintf(buf, sizeof(buf), "%s good", no[i]);
			ext(&fo, buf, HARK_LANG_EN, &f);
			if (has_feat(&f, "n:good") && bad++ < 3)
				printf("# '%s' negates\n", no[i]);
		}
		ok(bad == 0, "negators by first letter (%zu wrong)", bad);
		ext(&fo, "not good. good", HARK_LANG_EN, &f);
	}
	n = 0;
	for (i = 0; i < f.n; i++)
		n += strcmp(f.names.ptr + f.nameoff[i], "w:good") == 0;
	is_int(n, 2, "punctuation ends the scope: the second good is plain");
	ext(&fo, "", HARK_LANG_UNKNOWN, &f);
	ok(f.n <= 3, "empty text: only shape and language features");
	hark_feats_release(&f);

	/* feature kind lists */
	is_int(hark_feat_flags_parse("all,-chars", &fl, &err), 0, "parse");
	is_str(hark_feat_flags_str(fl, flags, sizeof(flags)),
	    "words,bigrams,negation,emoji,shape,lexicon,lang", "round trip");
	is_int(hark_feat_flags_parse("words,nope", &fl, &err), -1,
	    "unknown kind");
	is_str(err.msg, "unknown feature kind 'nope'", "named");

	/* training: deterministic, learns the toy set, loads back */
	to.fo.bits = 14;
	to.fo.flags = HARK_FEAT_ALL & ~(unsigned)HARK_FEAT_LEXICON;
	to.name = "toy";
	hark_buf_init(&a, HARK_MODEL_SIZE_MAX + 4096);
	hark_buf_init(&b, HARK_MODEL_SIZE_MAX + 4096);
	train(&a, &to);
	train(&b, &to);
	ok(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0,
	    "same examples, same bytes");
	m = hark_model_parse(a.ptr, a.len, &err);
	ok(m != NULL, "the model parses (%s)", err.msg);
	if (m != NULL) {
		is_str(m->name, "toy", "name");
		is_int(m->nlabels, 2, "two labels");
		is_str(m->labels[0], "positive", "labels in order of "
		    "appearance");
		is_int(m->fo.bits, 14, "settings kept");
		hark_feats_init(&f, 1);
		ext(&m->fo, "great, love it", HARK_LANG_EN, &f);
		is_int(hark_model_predict(m, &f, p), 0, "positive text");
		ok(p[0] > 0.5 && p[0] + p[1] > 0.999, "probabilities (%g)",
		    p[0]);
		ext(&m->fo, "terrible, lost", HARK_LANG_EN, &f);
		is_int(hark_model_predict(m, &f, p), 1, "negative text");
		{
			struct hark_model_contrib top[3];

			n = hark_model_explain(m, &f, 1, top, 3);
			ok(n == 3 && fabs(top[0].value) >= fabs(top[1].value),
			    "explain sorts by weight");
		}
		hark_feats_release(&f);
		is_int(hark_model_label(m, "negative"), 1, "label lookup");
		is_int(hark_model_label(m, "neutral"), -1, "unknown label");
		hark_model_free(m);
	}
	to.algo = HARK_MODEL_PERCEPTRON;
	train(&b, &to);
	ok(a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0,
	    "the perceptron learns other weights");

	/* every truncation, and every single-byte change, is refused */
	for (n = 0, i = 0; i < a.len; i++)
		if ((m = hark_model_parse(a.ptr, i, &err)) != NULL) {
			hark_model_free(m);
			n++;
		}
	is_int(n, 0, "no truncation of the file parses");
	for (n = 0, i = 0; i < a.len; i++) {
		a.ptr[i] ^= 0x20;
		if ((m = hark_model_parse(a.ptr, a.len, &err)) != NULL) {
			hark_model_free(m);
			n++;
		}
		a.ptr[i] ^= 0x20;
	}
	is_int(n, 0, "no changed byte goes unnoticed");
	{	/* a name that is not UTF-8, with a right checksum */
		uLong crc;

		a.ptr[48] = (char)0xff;	/* the first byte of "toy" */
		crc = crc32(0L, (const Bytef *)a.ptr, (uInt)(a.len - 4));
		a.ptr[a.len - 4] = (char)(crc & 0xff);
		a.ptr[a.len - 3] = (char)(crc >> 8 & 0xff);
		a.ptr[a.len - 2] = (char)(crc >> 16 & 0xff);
		a.ptr[a.len - 1] = (char)(crc >> 24 & 0xff);
		m = hark_model_parse(a.ptr, a.len, &err);
		ok(m == NULL && strstr(err.msg, "name") != NULL,
		    "a name that is not UTF-8 is refused (%s)", err.msg);
		hark_model_free(m);
	}
	m = hark_model_parse("HARKMODL\001\0\0\0", 12, &err);
	ok(m == NULL, "header only");
	is_str(err.msg, "truncated model file", "says truncated");
	m = hark_model_parse("GIF89a", 6, &err);
	ok(m == NULL && strstr(err.msg, "not a hark model") != NULL,
	    "foreign file");

	/* fewer than two labels */
	{
		struct hark_trainset ts = HARK_TRAINSET_INIT;

		hark_feats_init(&f, 0);
		hark_feats_extract(&to.fo, "x", 1, HARK_LANG_EN, NULL, &f);
		hark_trainset_add(&ts, "only", &f, &err);
		is_int(hark_model_train(&ts, NULL, 0, &to, &b, &err), -1,
		    "one label is not enough");
		hark_feats_release(&f);
		hark_trainset_release(&ts);
	}
	hark_buf_release(&a);
	hark_buf_release(&b);
	slot_rows();
	two_steps();
	word_cache();
	word_groups();
	group_dimension();
	naive_bayes();
	return tap_done();
}
