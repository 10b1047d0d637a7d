/* test-lang.c - language identification (lib/lang.h). */
#include "hark.h"
#include "lang.h"
#include "tap.h"

static const char *
det(const char *s)
{
	return hark_lang_code(hark_lang_detect(s, strlen(s), NULL));
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
	return tap_done();
}
