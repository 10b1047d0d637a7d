/* terms.c - the terms and bigrams of a mention, for "what is new". */
#include "mr.h"
#include "buf.h"
#include "html.h"
#include "text.h"
#include "token.h"

/*
 * Stop words: the project's own short lists of function words, folded
 * (no diacritics, lower case), so that the terms that remain carry
 * meaning.  A record whose language is none of these is checked against
 * all of them.
 */
static const char *const stop_en[] = {
	"a", "about", "after", "again", "all", "also", "am", "an", "and",
	"any", "are", "as", "at", "be", "been", "before", "being", "but",
	"by", "can", "could", "did", "do", "does", "doing", "done", "dont",
	"for", "from", "get", "got", "had", "has", "have", "having", "he",
	"her", "here", "him", "his", "how", "i", "if", "im", "in", "into",
	"is", "it", "its", "just", "me", "more", "my", "no", "not", "now",
	"of", "on", "one", "or", "our", "out", "please", "so", "some",
	"still", "than", "that", "the", "their", "them", "then", "there",
	"these", "they", "this", "to", "too", "up", "us", "very", "was",
	"we", "were", "what", "when", "where", "which", "who", "why", "will",
	"with", "would", "you", "your", NULL
};
static const char *const stop_pl[] = {
	"a", "ale", "bo", "by", "byc", "byl", "byla", "bylo", "czy", "dla",
	"do", "go", "i", "ich", "ja", "jak", "jest", "jestem", "jej", "jeszcze",
	"jego", "juz", "mi", "mnie", "moj", "moja", "na", "nam", "nas", "nie",
	"o", "od", "po", "pod", "przez", "przy", "sa", "sie", "so", "ta",
	"tak", "tam", "te", "tego", "ten", "to", "tu", "tylko", "w", "we",
	"wiec", "z", "za", "ze", "zeby", NULL
};
static const char *const stop_cs[] = {
	"a", "aby", "ale", "ani", "asi", "by", "byl", "byla", "bylo", "do",
	"i", "ja", "jak", "je", "jeho", "jen", "jeste", "jsem", "jsme",
	"jsou", "k", "kde", "ke", "ktery", "ma", "me", "mi", "mne", "na",
	"nebo", "ne", "o", "od", "po", "pro", "proc", "s", "se", "si", "ta",
	"tak", "to", "u", "uz", "v", "ve", "z", "za", "ze", "zase", NULL
};
static const char *const stop_sk[] = {
	"a", "ako", "ale", "by", "bol", "bola", "do", "i", "ja", "je", "jeho",
	"k", "ktory", "ma", "mi", "na", "nie", "o", "od", "po", "pre", "preco",
	"s", "sa", "si", "so", "su", "ta", "tak", "to", "uz", "v", "vo", "z",
	"za", "ze", NULL
};
static const struct {
	const char *lang;
	const char *const *w;
} stops[] = {
	{ "en", stop_en }, { "pl", stop_pl }, { "cs", stop_cs },
	{ "sk", stop_sk },
};

static struct mr_map stopmap;	/* hash(word) -> language bits */

static void
stop_init(void)
{
	size_t l, i;

	if (stopmap.nslot != 0)
		return;
	mr_map_init(&stopmap);
	for (l = 0; l < HARK_ARRAY_SIZE(stops); l++)
		for (i = 0; stops[l].w[i] != NULL; i++)
			*mr_map_put(&stopmap, hark_fnv1a64(stops[l].w[i],
			    strlen(stops[l].w[i])), 0) |= 1u << l;
}

static unsigned
lang_bits(const char *lang)
{
	size_t l;

	if (lang != NULL)
		for (l = 0; l < HARK_ARRAY_SIZE(stops); l++)
			if (strncmp(lang, stops[l].lang, 2) == 0 &&
			    (lang[2] == '\0' || lang[2] == '-' ||
			    lang[2] == '_'))
				return 1u << l;
	return ~0u;
}

int
mr_is_stop(const char *lang, const char *w, size_t len)
{
	uint32_t v;

	stop_init();
	v = mr_map_get(&stopmap, hark_fnv1a64(w, len));
	return v != MR_NONE && (v & lang_bits(lang)) != 0;
}

static int
has_letter(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!hark_ascii_isdigit((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != ',' && s[i] != '\'')
			return 1;
	return 0;
}

static size_t
add_unique(uint32_t *out, size_t n, size_t max, uint32_t id)
{
	size_t i;

	if (id == MR_NONE)
		return n;
	for (i = 0; i < n; i++)
		if (out[i] == id)
			return n;
	if (n < max)
		out[n++] = id;
	return n;
}

/* The id of term W, or MR_NONE (counted in *LEFT) past the cap. */
static uint32_t
term_id(struct mr_ctx *x, const char *w, size_t wl, long *left)
{
	uint32_t id = hark_intern_find(&x->terms, w, wl);

	if (id != MR_NONE)
		return id;
	if ((long)x->terms.n >= x->o->max_terms) {
		(*left)++;
		return MR_NONE;
	}
	return hark_intern(&x->terms, w, wl);
}

size_t
mr_terms(struct mr_ctx *x, const char *text, size_t len, const char *lang,
    uint32_t *out, size_t max, long *left)
{
	static struct hark_buf fold = HARK_BUF_INIT(1 << 22);
	struct hark_tokenizer tk;
	struct hark_token t;
	unsigned bits = lang_bits(lang);
	size_t n = 0, poff = 0, plen = 0;
	int prev = 0;		/* the previous token is a kept word */
	char bi[256];

	stop_init();
	hark_buf_reset(&fold);
	if (hark_text_fold(text, len, &fold) != 0)
		return 0;
	hark_tok_init(&tk, fold.ptr, fold.len);
	while (hark_tok_next(&tk, &t)) {
		const char *w = fold.ptr + t.off;
		size_t wl = t.len;
		uint32_t sv;

		if (t.type == HARK_TOK_HASHTAG) {
			w++;
			wl--;
		} else if (t.type != HARK_TOK_WORD) {
			prev = 0;
			continue;
		}
		sv = mr_map_get(&stopmap, hark_fnv1a64(w, wl));
		if (wl < 2 || wl > 64 || !has_letter(w, wl) ||
		    (sv != MR_NONE && (sv & bits) != 0)) {
			prev = 0;
			continue;
		}
		n = add_unique(out, n, max, term_id(x, w, wl, left));
		if (prev && plen + 1 + wl < sizeof(bi)) {
			memcpy(bi, fold.ptr + poff, plen);
			bi[plen] = ' ';
			memcpy(bi + plen + 1, w, wl);
			n = add_unique(out, n, max, term_id(x, bi,
			    plen + 1 + wl, left));
		}
		prev = 1;
		poff = (size_t)(w - fold.ptr);
		plen = wl;
	}
	return n;
}
