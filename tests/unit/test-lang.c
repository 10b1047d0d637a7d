/* test-lang.c - language identification (lib/lang.h). */
#include "hark.h"
#include "lang.h"
#include "tap.h"

static const char *
det(const char *s)
{
	return hark_lang_code(hark_lang_detect(s, strlen(s), NULL));
}

/* WORD written N times, separated by SEP, in a static buffer. */
static const char *
repeat(const char *word, int n, const char *sep)
{
	static char buf[65536];
	size_t o = 0, wl = strlen(word), sl = strlen(sep);
	int i;

	for (i = 0; i < n && o + wl + sl + 1 < sizeof(buf); i++) {
		if (i > 0) {
			memcpy(buf + o, sep, sl);
			o += sl;
		}
		memcpy(buf + o, word, wl);
		o += wl;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * Repetition is not evidence: a word (or a short phrase) written many
 * times is detected as the same language as written once, with a
 * bounded margin (the scorer consults its lexicons below a margin of 2,
 * which an unbounded run of weak letter-cluster evidence used to pass:
 * "awesome" x8 came out Polish).
 */
static void
repetitions(void)
{
	static const char *w[] = {
		"awesome", "wonderful", "flawless", "appreciate", "brilliant",
		"wow", "lovely", "sweet", "horrible", "love it", "the best",
		"świetnie", "dziękuję", "nie działa", "polecam",
		"děkuji", "nefunguje", "skvělé", "ďakujem", "výborne"
	};
	static const int n[] = { 2, 3, 8, 50, 1000 };
	size_t i, j;

	for (i = 0; i < HARK_ARRAY_SIZE(w); i++) {
		double m1, mn;
		const char *t = repeat(w[i], 1, " ");
		enum hark_lang one = hark_lang_detect(t, strlen(t), &m1);

		for (j = 0; j < HARK_ARRAY_SIZE(n); j++) {
			enum hark_lang many;
			int k;

			for (k = 0; k < 3; k++) {
				t = repeat(w[i], n[j], k == 0 ? " " : k == 1 ?
				    ", " : "! ");
				many = hark_lang_detect(t, strlen(t), &mn);
				/* too little evidence once ("und" below a
				 * score of 0.3) may become a weak guess */
				ok(one == HARK_LANG_UNKNOWN ? mn < 1 :
				    many == one && mn <= 3.3 * m1 + 1e-9,
				    "\"%s\" x%d (sep %d): %s margin %.2f, "
				    "once %s %.2f", w[i], n[j], k,
				    hark_lang_code(many), mn,
				    hark_lang_code(one), m1);
			}
		}
	}
	{
		double m;
		const char *t = repeat("awesome", 1000, " ");

		hark_lang_detect(t, strlen(t), &m);
		ok(m < 2, "1000 x awesome: weak evidence stays weak (%.2f)", m);
	}
	/* a function word used three times in a real sentence still counts */
	is_str(det("Slnko nie je čierne, Zem nie je hranatá, že už nie je "
	    "doskou"), "sk", "Slovak with a repeated phrase");
}

int
main(void)
{
	double m;

	is_str(det("The flight was delayed again and nobody told us"), "en",
	    "English");
	is_str(det("Paczka nie dotarła, czekam już tydzień"), "pl",
	    "Polish with diacritics");
	is_str(det("paczka nie dotarla, czekam juz tydzien"), "pl",
	    "Polish without diacritics");
	is_str(det("nie dziala"), "pl", "short Polish");
	is_str(det("Zásilka nepřišla, pořád čekám"), "cs",
	    "Czech with diacritics");
	is_str(det("nefunguje to, zasilka neprisla"), "cs",
	    "Czech without diacritics");
	is_str(det("jsem spokojen, dekuji"), "cs", "short Czech");
	is_str(det("Som veľmi spokojná, ďakujem"), "sk", "Slovak");
	is_str(det("ešte som to nedostal, je to hrozné"), "sk",
	    "Slovak function words");
	is_str(det("ok 👍 http://x.co"), "und", "no evidence");
	is_str(det(""), "und", "empty");
	ok(hark_lang_detect("", 0, &m) == HARK_LANG_UNKNOWN && m == 0,
	    "margin 0 when unknown");
	hark_lang_detect("this is the best", 16, &m);
	ok(m > 1, "clear English has a margin");

	ok(hark_lang_from_code("en", 2) == HARK_LANG_EN, "en");
	ok(hark_lang_from_code("EN-us", 5) == HARK_LANG_EN, "EN-us");
	ok(hark_lang_from_code("pl_PL", 5) == HARK_LANG_PL, "pl_PL");
	ok(hark_lang_from_code("cz", 2) == HARK_LANG_CS, "cz is Czech");
	ok(hark_lang_from_code("ces", 3) == HARK_LANG_CS, "ces");
	ok(hark_lang_from_code("slk", 3) == HARK_LANG_SK, "slk");
	ok(hark_lang_from_code("de", 2) == HARK_LANG_UNKNOWN, "de unsupported");
	ok(hark_lang_from_code("e", 1) == HARK_LANG_UNKNOWN, "too short");
	ok(hark_lang_from_code("engl", 4) == HARK_LANG_UNKNOWN, "too long");
	ok(hark_lang_from_code("", 0) == HARK_LANG_UNKNOWN, "empty tag");
	is_str(hark_lang_code(HARK_LANG_CS), "cs", "code of cs");
	is_str(hark_lang_code(HARK_LANG_UNKNOWN), "und", "code of unknown");
	repetitions();
	return tap_done();
}
