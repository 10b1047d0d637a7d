/* test-expr.c - unit tests for lib/expr (rule expressions). */
#include <jansson.h>
#include "expr.h"
#include "tap.h"

static const char *REC =
    "{\"text\":\"Zamówienie NIE DOSZŁO, chcę zwrot pieniędzy! 😡 "
    "Reklamację składam.\",\"lang\":\"pl\",\"source\":\"x\","
    "\"author\":{\"followers\":15000,\"name\":\"Jan\",\"vip\":true},"
    "\"sentiment\":{\"score\":-0.7,\"label\":\"negative\"},"
    "\"tags\":[\"order\",\"late\"],\"n\":null,\"zero\":0,\"empty\":\"\","
    "\"ts\":\"2025-03-01T10:00:00Z\",\"route\":{\"category\":\"refund\"}}";

static json_t *rec;

/* Evaluate SRC on rec: 1, 0, -1 (run-time error) or -2 (parse error). */
static int
ev(const char *src)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_expr *e = hark_expr_parse(src, &err);
	int r;

	if (e == NULL) {
		printf("# parse error: %ld:%ld: %s\n", err.line, err.column,
		    err.msg);
		return -2;
	}
	r = hark_expr_eval(e, rec, &err);
	hark_expr_free(e);
	return r;
}

/* Parse SRC expecting an error at LINE:COL whose message holds SUB. */
static void
perr(const char *src, long line, long col, const char *sub)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_expr *e = hark_expr_parse(src, &err);

	char label[40];
	size_t i;

	snprintf(label, sizeof(label), "%s", src);
	for (i = 0; label[i]; i++)
		if (label[i] == '\n')
			label[i] = ' ';
	src = label;
	ok(e == NULL, "error: %s", src);
	hark_expr_free(e);
	if (e)
		return;
	is_int(err.code, 2, "  code 2");
	is_int(err.line, line, "  line of %s", src);
	is_int(err.column, col, "  column of %s", src);
	if (!ok(strstr(err.msg, sub) != NULL, "  message has '%s'", sub))
		printf("#   got: '%s'\n", err.msg);
}

static void
test_compare(void)
{
	is_int(ev("lang == \"pl\""), 1, "== string");
	is_int(ev("lang == 'en'"), 0, "== string false, single quotes");
	is_int(ev("lang != \"en\""), 1, "!=");
	is_int(ev("missing != \"en\""), 1, "missing != x holds");
	is_int(ev("missing == null"), 1, "missing == null");
	is_int(ev("n == null"), 1, "null == null");
	is_int(ev("author.followers == 15000.0"), 1, "int == real");
	is_int(ev("author.followers > 10000"), 1, ">");
	is_int(ev("author.followers >= 15000"), 1, ">= equal");
	is_int(ev("author.followers < 15000"), 0, "< equal");
	is_int(ev("author.followers <= 15000"), 1, "<=");
	is_int(ev("sentiment.score < -0.5"), 1, "< negative real");
	is_int(ev("sentiment.score<-0.5"), 1, "no blanks");
	is_int(ev("sentiment.score > 1e-3"), 0, "exponent");
	is_int(ev("missing < 5"), 0, "missing < number is false");
	is_int(ev("missing >= 5"), 0, "missing >= number is false");
	is_int(ev("lang < 5"), 0, "string < number is false");
	is_int(ev("ts >= \"2025-03-01T00:00:00Z\""), 1, "string order");
	is_int(ev("ts < \"2025-02-28\""), 0, "string order false");
	is_int(ev("author.vip == true"), 1, "== true");
	is_int(ev("tags.0 == \"order\""), 1, "array index");
	is_int(ev("tags.7 == null"), 1, "index out of range is null");
	is_int(ev("lang.x == null"), 1, "step through a string is null");
	is_int(ev("\"pl\" == lang"), 1, "literal on the left");
}

static void
test_in(void)
{
	is_int(ev("source in [\"x\", \"facebook\"]"), 1, "in list");
	is_int(ev("source in [\"instagram\", \"facebook\",]"), 0,
	    "in list false, trailing comma");
	is_int(ev("source not in [\"instagram\"]"), 1, "not in");
	is_int(ev("author.followers in [1, 15000]"), 1, "in numbers");
	is_int(ev("\"late\" in tags"), 1, "in record array");
	is_int(ev("\"early\" in tags"), 0, "in record array false");
	is_int(ev("tags in [\"x\", \"late\"]"), 1, "array in list: any");
	is_int(ev("tags in [\"x\"]"), 0, "array in list: none");
	is_int(ev("missing in [null]"), 1, "missing in [null]");
	is_int(ev("\"a\" in lang"), 0, "in a non-list field is false");
	is_int(ev("lang in []"), 0, "in empty list");
}

static void
test_words(void)
{
	is_int(ev("text ~ \"zwrot\""), 1, "~ word");
	is_int(ev("text ~ \"ZWROT\""), 1, "~ ignores case");
	is_int(ev("text ~ \"zamowienie\""), 1, "~ ignores diacritics");
	is_int(ev("text ~ \"nie doszlo\""), 1, "~ phrase without diacritics");
	is_int(ev("text ~ \"nie  doszło\""), 1, "~ phrase, extra blanks");
	is_int(ev("text ~ \"doszlo chce\""), 1, "~ phrase across comma");
	is_int(ev("text ~ \"nie chce\""), 0, "~ words not adjacent");
	is_int(ev("text ~ \"zwr\""), 0, "~ needs the whole word");
	is_int(ev("text ~* \"zwr\""), 1, "~* prefix");
	is_int(ev("text ~* \"reklamac\""), 1, "~* stem with diacritics");
	is_int(ev("text ~* \"pieniadz\""), 0, "~* is a prefix, not infix");
	is_int(ev("text ~* \"chce zwrot pien\""), 1, "~* phrase prefix");
	is_int(ev("text ~ [\"refund\", \"zwrot\"]"), 1, "~ list any");
	is_int(ev("text ~ [\"refund\", \"money back\"]"), 0, "~ list none");
	is_int(ev("text !~ \"refund\""), 1, "!~");
	is_int(ev("text !~* [\"zwr\"]"), 0, "!~*");
	is_int(ev("text ~ \"😡\""), 1, "~ emoji substring");
	is_int(ev("text ~ \"🙂\""), 0, "~ emoji absent");
	is_int(ev("tags ~ \"LATE\""), 1, "~ on an array of strings");
	is_int(ev("missing ~ \"x\""), 0, "~ on missing");
	is_int(ev("author.followers ~ \"15000\""), 0, "~ on a number");
	ok(hark_expr_match_words("Nie działa!", 11, "nie dzialá", 0),
	    "match_words phrase");
	ok(!hark_expr_match_words("Nie działa!", 11, "dzia", 0),
	    "match_words whole");
	ok(hark_expr_match_words("Nie działa!", 11, "dzia", 1),
	    "match_words prefix");
	ok(hark_expr_match_words("it doesn't work", 15, "doesnt work", 0),
	    "apostrophe inside a word joins it");
	ok(hark_expr_match_words("it doesnt work", 14,
	    "doesn\xe2\x80\x99t work", 0),
	    "typographic apostrophe in the needle");
	ok(hark_expr_match_words("say 'hello' now", 15, "hello", 0),
	    "quotes around a word are not joined");
}

static void
test_regex(void)
{
	is_int(ev("text =~ /zwrot|refund/"), 1, "=~");
	is_int(ev("text =~ /ZWROT/"), 0, "=~ case-sensitive");
	is_int(ev("text =~ /ZWROT/i"), 1, "=~ /i");
	is_int(ev("text =~ /\\bDOSZŁO\\b/"), 1, "=~ unicode word boundary");
	is_int(ev("text =~ /^\\p{Lu}/"), 1, "=~ unicode property");
	is_int(ev("text =~ \"pieni.dzy\""), 1, "=~ string pattern");
	is_int(ev("text =~ /a\\/b/"), 0, "=~ escaped slash");
	is_int(ev("text !~ \"x\" and lang =~ /^pl$/"), 1, "=~ anchors");
	is_int(ev("author.followers =~ /1/"), 0, "=~ on a number");
	is_int(ev("text =~ /(a+)+$/"), 0, "=~ no catastrophic failure");
}

static void
test_logic(void)
{
	is_int(ev("exists(author.followers)"), 1, "exists");
	is_int(ev("exists( author.nope )"), 0, "exists missing");
	is_int(ev("exists(n)"), 0, "exists null");
	is_int(ev("not exists(n)"), 1, "not exists");
	is_int(ev("author.vip"), 1, "truth: true");
	is_int(ev("zero"), 0, "truth: 0");
	is_int(ev("empty"), 0, "truth: empty string");
	is_int(ev("tags"), 1, "truth: array");
	is_int(ev("missing"), 0, "truth: missing");
	is_int(ev("true"), 1, "literal true");
	is_int(ev("lang == \"pl\" and source == \"x\""), 1, "and");
	is_int(ev("lang == \"pl\" and source == \"fb\""), 0, "and false");
	is_int(ev("lang == \"en\" or source == \"x\""), 1, "or");
	is_int(ev("lang == \"en\" OR source == \"fb\""), 0, "OR false");
	is_int(ev("not lang == \"en\""), 1, "not binds to comparison");
	is_int(ev("! (lang == \"pl\")"), 0, "! synonym");
	is_int(ev("lang == \"pl\" && source == \"x\" || false"), 1,
	    "&& || synonyms");
	is_int(ev("lang == \"en\" and source == \"x\" or zero == 0"), 1,
	    "and binds tighter than or");
	is_int(ev("lang == \"en\" and (source == \"x\" or zero == 0)"), 0,
	    "parentheses");
	is_int(ev("((((((((((lang == \"pl\"))))))))))"), 1, "deep parens");
	is_int(ev("not not not not lang == \"pl\""), 1, "not not");
	is_int(ev("(lang == \"pl\" and (source == \"fb\" or (text ~ \"zwrot\" "
	    "and not (author.followers < 100 or (sentiment.score > 0)))))"),
	    1, "nested mix");
	is_int(ev("\tlang\n==\n\"pl\"\n"), 1, "newlines are blanks");
}

static void
test_deep(void)
{
	char *s = malloc(40000);
	size_t i, n = 0;

	for (i = 0; i < 400; i++)
		n += (size_t)snprintf(s + n, 40000 - n, "(zero == 1 or ");
	n += (size_t)snprintf(s + n, 40000 - n, "lang == \"pl\"");
	for (i = 0; i < 400; i++)
		s[n++] = ')';
	s[n] = '\0';
	is_int(ev(s), 1, "400 levels of (a or (b ...))");
	n = 0;
	for (i = 0; i < 5000; i++)
		s[n++] = '(';
	s[n] = '\0';
	perr(s, 1, 501, "nested too deeply");
	free(s);
}

static void
test_errors(void)
{
	perr("", 1, 1, "empty expression");
	perr("lang == ", 1, 9, "field or value expected");
	perr("lang = \"pl\"", 1, 6, "use '=='");
	perr("lang == \"pl", 1, 9, "unterminated string");
	perr("(lang == \"pl\"", 1, 1, "unbalanced '('");
	perr("lang == \"pl\")", 1, 13, "unbalanced ')'");
	perr("lang == \"pl\" lang", 1, 14, "'and', 'or' or end expected");
	perr("lang in \"pl\"", 1, 6, "needs a list");
	perr("text ~ lang", 1, 8, "a string or a list of strings");
	perr("text ~ []", 1, 8, "empty word list");
	perr("text ~ [\"a\", 1]", 1, 8, "only non-empty strings");
	perr("text =~ /(/", 1, 9, "invalid regular expression");
	perr("text =~ /a/q", 1, 12, "unknown regular expression flag");
	perr("text =~ /abc", 1, 9, "unterminated regular expression");
	perr("lang ==\n  \"pl\" and\n  x == 1x", 3, 8, "invalid number");
	perr("a.", 1, 3, "field name expected");
	perr("exists(1x)", 1, 8, "invalid field name");
	perr("exists(lang", 1, 12, "')' expected");
	perr("lang == [\"a\", [\"b\"]]", 1, 15, "nested lists");
	perr("and", 1, 1, "field or value expected");
	perr("lang == \"\\q\"", 1, 10, "invalid escape");
	perr("lang == 'x' or", 1, 15, "field or value expected");
	perr("lang not \"pl\"", 1, 6, "'in' expected");
	perr("\"x\" ~ \"y\"", 1, 5, "needs a field");
	perr("len(text) > 3", 1, 4, "unknown function 'len'");
}

static void
test_shared(void)
{
	struct hark_expr_set *set = hark_expr_set_new();
	struct hark_expr_ctx c;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_expr *a, *b, *d;
	json_t *r2;

	a = hark_expr_parse_in(set, "text ~* [\"zwrot\", \"refund\"]", &err);
	b = hark_expr_parse_in(set, "text ~ \"zwrot\" and route.category ~ "
	    "\"billing\"", &err);
	d = hark_expr_parse_in(set, "author.name ~ \"jan\"", &err);
	hark_expr_set_free(set);
	ok(a && b && d, "three expressions in one set");
	hark_expr_ctx_init(&c);
	hark_expr_ctx_reset(&c, rec);
	is_int(hark_expr_eval_ctx(a, &c, &err), 1, "shared a");
	is_int(hark_expr_eval_ctx(b, &c, &err), 0, "shared b");
	is_int(hark_expr_eval_ctx(d, &c, &err), 1, "shared d, other field");
	json_object_set_new(json_object_get(rec, "route"), "category",
	    json_string("billing"));
	is_int(hark_expr_eval_ctx(b, &c, &err), 0, "stale cache before "
	    "invalidate (documented)");
	hark_expr_ctx_invalidate(&c, "route");
	is_int(hark_expr_eval_ctx(b, &c, &err), 1, "after invalidate");
	json_object_set_new(json_object_get(rec, "route"), "category",
	    json_string("refund"));
	r2 = json_loads("{\"text\":\"I want a REFUND\"}", 0, NULL);
	hark_expr_ctx_reset(&c, r2);
	is_int(hark_expr_eval_ctx(a, &c, &err), 1, "next record");
	is_int(hark_expr_eval_ctx(d, &c, &err), 0, "next record, no field");
	json_decref(r2);
	hark_expr_ctx_release(&c);
	hark_expr_free(a);
	hark_expr_free(b);
	hark_expr_free(d);
}


/* ---- lazy scanning by guard group, against the one-word slow path ---- */

static const char *const needles[] = {
	"zwrot", "zwr", "zw", "zaś", "łódź", "nie działa", "don't", "a b c",
	"dont go", "abc", "9", "99", "_", "x_",
	"x", "ab", "ac", "ad", "ae", "af", "ag", "ah", "ai", "aj", "ak", "al",
	"am", "an", "ao", "ap", "aq", "ar", "as", "at", "au", "av", "aw",
	"refund", "refun", "money back", "back", "!!", ":)", "naïve", "1 2",
	"ż", "zwrot pieniędzy", "go", "good", "goods", "č", "ok ok ok",
	"ss", "strasse", "2", "lodzs", "zolw", "a2", "μ"
};
static const char *const frags[] = {
	" ", "  ", ", ", "'", "''", "-", "!!", ":)", "\n", "ZWROT", "Zwrot",
	"zwrocie", "Łódź", "DZIAŁA", "nie", "NIE  DZIAŁA", "ZAŚ", "naïve",
	"NAÏVE", "don't", "DON'T", "don''t", "dont", "A b C", "a-b-c", "x",
	"X1", "ab", "abc", "azz", "AT", "refunded", "REFUN", "money", "back",
	"backs", "1", "2", "1 2", "Ż", "ż", "č", "Č", "go", "goo", "gOoDs",
	"ok", "ok ok", "pieniędzy", "x'y", "'x", "_", "é", "jx", "JY", "jyy",
	"vx", "vyy", "yx", "YY", "yx yy", "qx", "qyq", "hy", "hyy", "hx hy",
	"a'b'c", "b'", "' '", "x' y", "_x_", "9'9", "Don'T", "go'od", "o'k",
	/* two-byte code points: folding to one ASCII word character or
	 * not (ß -> ss, no-break space, ª -> a, ² -> 2, µ -> μ, ʼ, İ, ǅ),
	 * beside apostrophes */
	"STRAßE", "ß", "\u00a0", "\u00aa", "\u00b2", "\u00b5", "\u02bc",
	"\u0130", "\u01c5", "'ł", "ł'", "ł''", "ŁÓDŹ'S", "żółw", "a²"
};
/* needles alone in their part of the trie, each in one guard's nodes
 * only: found only when that guard's group is scanned for */
static const char *const lone[][2] = {
	{ "jx", "jy" }, { "vx", "vy" }, { "yx", "yx yy" }, { "qx", "qy" },
	{ "hx hy", "hy" }
};

static unsigned long lcg = 12345;

static unsigned
rnd(unsigned n)
{
	lcg = lcg * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(lcg >> 33) % n;
}

#define NGUARD 5
static const char *const guards[NGUARD] = {
	"%s", "not exists(route.category) and %s",
	"route.category == \"x\" and %s", "route.n > 2 or %s",
	"(route.category == \"x\" and route.n > 2) and (%s)"
};

/* Expression K: its needle, whether a prefix, its guard. */
static const char *
expr_needle(size_t k, int *prefix, size_t *guard)
{
	size_t nn = HARK_ARRAY_SIZE(needles);

	if (k < 2 * nn) {
		*prefix = k >= nn;
		*guard = k % NGUARD;
		return needles[k % nn];
	}
	k -= 2 * nn;	/* the lone ones: 4 per guard */
	*prefix = (int)(k & 1);
	*guard = k / 4;
	return lone[k / 4][k / 2 % 2];
}

/* What an expression of guard G must give. */
static int
expected(size_t g, int m, const char *cat, double n)
{
	switch (g) {
	case 0: return m;
	case 1: return cat == NULL && m;
	case 2: return cat != NULL && strcmp(cat, "x") == 0 && m;
	case 3: return n > 2 || m;
	default: return cat != NULL && strcmp(cat, "x") == 0 && n > 2 && m;
	}
}

/*
 * Every needle in a word node under each of the guards, in one set: in
 * random orders, before and after the record's route changes (so groups
 * left out of the first scan are scanned for later), each result must be
 * what the needle's own slow-path match and the guard give.
 */
static void
test_lazy_groups(void)
{
	enum { NN = HARK_ARRAY_SIZE(needles), NE = NN * 2 + 4 * 5 };
	struct hark_expr_set *set = hark_expr_set_new();
	struct hark_expr *e[NE];
	struct hark_expr_ctx c;
	struct hark_err err = HARK_ERR_INIT;
	char src[200], text[400], word[80];
	size_t k, t, bad = 0, round, order[NE];

	int pre[NE];
	size_t g[NE];
	const char *nd[NE];

	for (k = 0; k < NE; k++) {
		nd[k] = expr_needle(k, &pre[k], &g[k]);
		snprintf(word, sizeof(word), "text %s \"%s\"",
		    pre[k] ? "~*" : "~", nd[k]);
		snprintf(src, sizeof(src), guards[g[k]], word);
		e[k] = hark_expr_parse_in(set, src, &err);
		if (e[k] == NULL)
			printf("# %s: %s\n", src, err.msg);
	}
	hark_expr_set_free(set);
	hark_expr_ctx_init(&c);
	for (t = 0; t < 400; t++) {
		json_t *r, *route;
		size_t nf = 1 + rnd(10), i, len;
		int m[NE];

		text[0] = '\0';
		for (i = 0; i < nf; i++) {
			len = strlen(text);
			snprintf(text + len, sizeof(text) - len, "%s",
			    frags[rnd(HARK_ARRAY_SIZE(frags))]);
		}
		for (k = 0; k < NE; k++)
			m[k] = hark_expr_match_words(text, strlen(text),
			    nd[k], pre[k]);
		r = json_pack("{s:s, s:{}}", "text", text, "route");
		route = json_object_get(r, "route");
		hark_expr_ctx_reset(&c, r);
		for (round = 0; round < 3; round++) {
			const char *cat = json_string_value(json_object_get(
			    route, "category"));
			double n = json_number_value(json_object_get(route,
			    "n"));

			for (k = 0; k < NE; k++)
				order[k] = k;
			for (k = NE - 1; k > 0; k--) {
				size_t j = rnd((unsigned)k + 1), x = order[k];

				order[k] = order[j];
				order[j] = x;
			}
			for (k = 0; k < NE; k++) {
				size_t q = order[k];
				int got = e[q] ? hark_expr_eval_ctx(e[q], &c,
				    &err) : -2;

				if (got != expected(g[q], m[q], cat, n) &&
				    bad++ < 5)
					printf("# '%s' round %zu expr %zu: "
					    "got %d, want %d\n", text, round,
					    q, got, expected(g[q], m[q], cat, n));
			}
			/* the rules change the route between rounds */
			if (round == 0)
				json_object_set_new(route, "category",
				    json_string("x"));
			else
				json_object_set_new(route, "n",
				    json_integer(3));
			hark_expr_ctx_invalidate(&c, "route");
		}
		json_decref(r);
	}
	ok(bad == 0, "lazy group scans agree with the slow path (%zu "
	    "wrong)", bad);
	/* an expression freed: the others keep their groups */
	for (k = 0; k < NE; k += 3) {
		hark_expr_free(e[k]);
		e[k] = NULL;
	}
	{
		json_t *r = json_pack("{s:s, s:{s:s}}", "text",
		    "Nie  działa, ZWROT: refunded!! x yx yy", "route",
		    "category", "x");

		hark_expr_ctx_reset(&c, r);
		bad = 0;
		for (k = 0; k < NE; k++)
			if (e[k] != NULL && hark_expr_eval_ctx(e[k], &c, &err) !=
			    expected(g[k], hark_expr_match_words(
			    json_string_value(json_object_get(r, "text")),
			    strlen(json_string_value(json_object_get(r,
			    "text"))), nd[k], pre[k]), "x", 0))
				bad++;
		ok(bad == 0, "after freeing some expressions (%zu wrong)", bad);
		json_decref(r);
	}
	for (k = 0; k < NE; k++)
		hark_expr_free(e[k]);
	hark_expr_ctx_release(&c);
}

/* More guards than the groups: the extra ones are always scanned for. */
static void
test_many_guards(void)
{
	struct hark_expr_set *set = hark_expr_set_new();
	struct hark_expr *e[40];
	struct hark_expr_ctx c;
	struct hark_err err = HARK_ERR_INIT;
	char src[100];
	size_t k, j, bad = 0;

	for (k = 0; k < 40; k++) {
		snprintf(src, sizeof(src), "n == %zu and text ~ \"w%zu\"", k,
		    k);
		e[k] = hark_expr_parse_in(set, src, &err);
	}
	hark_expr_set_free(set);
	hark_expr_ctx_init(&c);
	for (k = 0; k < 40; k++) {
		json_t *r = json_pack("{s:s, s:i}", "text", "w3 w17 w39 w0",
		    "n", (int)k);

		hark_expr_ctx_reset(&c, r);
		for (j = 0; j < 40; j++) {
			int want = j == k && (j == 3 || j == 17 || j == 39 ||
			    j == 0);

			if (hark_expr_eval_ctx(e[j],
			    &c, &err) != want)
				bad++;
		}
		json_decref(r);
	}
	ok(bad == 0, "40 guards on one set (%zu wrong)", bad);
	for (k = 0; k < 40; k++)
		hark_expr_free(e[k]);
	hark_expr_ctx_release(&c);
}

int
main(void)
{
	rec = json_loads(REC, 0, NULL);
	if (rec == NULL) {
		printf("not ok 1 - fixture parses\n1..1\n");
		return 1;
	}
	test_compare();
	test_in();
	test_words();
	test_regex();
	test_logic();
	test_deep();
	test_errors();
	test_shared();
	test_lazy_groups();
	test_many_guards();
	json_decref(rec);
	return tap_done();
}
