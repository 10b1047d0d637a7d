/* test-reply.c - unit tests for lib/reply: rendering, names, vocatives,
 * due times, channel lengths and fitting. */
#include "reply.h"
#include "tap.h"

static void
render_is(const char *tpl, const char *const vals[HARK_RV_COUNT],
    unsigned withheld, const char *want, unsigned want_fill)
{
	struct hark_buf b = HARK_BUF_INIT(4096);
	unsigned fill = 99;

	is_int(hark_reply_render(tpl, vals, withheld, &b, &fill), 0,
	    "render '%s'", tpl);
	is_str(hark_buf_str(&b), want, "render '%s'", tpl);
	is_int((int)fill, (int)want_fill, "fill of '%s'", tpl);
	hark_buf_release(&b);
}

static void
test_render(void)
{
	const char *none[HARK_RV_COUNT] = { NULL };
	const char *some[HARK_RV_COUNT] = { NULL };

	some[HARK_RV_FIRST_NAME] = "Anna";
	some[HARK_RV_ORDER] = "12345";
	render_is("Hi[[ {first_name}]], ok. {signature}", some, 0,
	    "Hi Anna, ok. {signature}", 1u << HARK_RV_SIGNATURE);
	render_is("Hi[[ {first_name}]], ok.", none, 0, "Hi, ok.", 0);
	/* a withheld value vanishes even outside [[ ]], never asked for */
	render_is("About order {order}: checking[[ (ref {order})]].", some,
	    1u << HARK_RV_ORDER, "About order: checking.", 0);
	/* braces that are no placeholder stay */
	render_is("{ not one } {x y}", none, 0, "{ not one } {x y}", 0);
}

static void
name_is(const char *display, const char *want)
{
	struct hark_buf b = HARK_BUF_INIT(256);
	int rc = hark_reply_first_name(display, &b);

	if (want == NULL)
		is_int(rc, -1, "no first name in '%s'", display);
	else
		is_str(rc == 0 ? hark_buf_str(&b) : "(none)", want,
		    "first name of '%s'", display);
	hark_buf_release(&b);
}

static void
voc_is(const char *name, const char *lang, const char *want)
{
	struct hark_buf b = HARK_BUF_INIT(256);
	int rc = hark_reply_vocative(name, lang, &b);

	if (want == NULL)
		is_int(rc, -1, "%s: no vocative of '%s'", lang, name);
	else
		is_str(rc == 0 ? hark_buf_str(&b) : "(unsure)", want,
		    "%s: vocative of '%s'", lang, name);
	hark_buf_release(&b);
}

static void
test_names(void)
{
	name_is("Anna Kowalska", "Anna");
	name_is("KASIA", "Kasia");
	name_is("łukasz", "Łukasz");
	name_is("Mr Smith", NULL);
	name_is("JanK", NULL);
	name_is("kasia_88", NULL);
	name_is("A", NULL);
	name_is(NULL, NULL);

	voc_is("Kasia", "pl", "Kasiu");
	voc_is("Agnieszka", "pl", "Agnieszko");
	voc_is("Ola", "pl", "Olu");
	voc_is("Maciek", "pl", "Maćku");
	voc_is("Paweł", "pl", "Pawle");
	voc_is("Piotr", "pl", "Piotrze");
	voc_is("Kacper", "pl", "Kacprze");
	voc_is("Robert", "pl", "Robercie");
	voc_is("Dawid", "pl", "Dawidzie");
	voc_is("Tomasz", "pl", "Tomaszu");
	voc_is("Jan", "pl", "Janie");
	voc_is("Jerzy", "pl", "Jerzy");
	voc_is("Antonia", "pl", NULL);
	voc_is("Oliwer", "pl", NULL);
	voc_is("Ann", "pl", NULL);
	voc_is("Vanessa", "pl", NULL);
	voc_is("Jana", "cs", "Jano");
	voc_is("Petr", "cs", "Petře");
	voc_is("Viktor", "cs", "Viktore");
	voc_is("Pavel", "cs", "Pavle");
	voc_is("Tomáš", "cs", "Tomáši");
	voc_is("Zdeněk", "cs", "Zdeňku");
	voc_is("Vojtěch", "cs", "Vojtěchu");
	voc_is("Lucie", "cs", "Lucie");
	voc_is("Wiktor", "cs", NULL);
	voc_is("Anna", "en", "Anna");
}

static void
due_is(long secs, const char *lang, const char *want)
{
	struct hark_buf b = HARK_BUF_INIT(256);
	int rc = hark_reply_due_words(1000000, 1000000 + secs, lang, &b);

	if (want == NULL)
		is_int(rc, -1, "%s: no words for %ld s", lang, secs);
	else
		is_str(rc == 0 ? hark_buf_str(&b) : "(none)", want,
		    "%s: %ld s", lang, secs);
	hark_buf_release(&b);
}

static void
test_due(void)
{
	due_is(30, "en", "within a minute");
	due_is(14 * 60 + 10, "en", "within 15 minutes");
	due_is(3600, "en", "within an hour");
	due_is(3601, "en", "within 2 hours");
	due_is(2 * 86400 + 1, "en", "within 3 days");
	due_is(5 * 3600, "pl", "w ciągu 5 godzin");
	due_is(60, "pl", "w ciągu minuty");
	due_is(3 * 86400, "cs", "do 3 dnů");
	due_is(600, "cs", "do 10 minut");
	due_is(0, "en", NULL);
	due_is(-5, "en", NULL);
}

static void
test_lengths(void)
{
	const struct hark_reply_limit *x = hark_reply_limit_of("x");
	const struct hark_reply_limit *bs = hark_reply_limit_of("bluesky");
	const struct hark_reply_limit *gb = hark_reply_limit_of(
	    "google_business");
	const char *url = "see https://example.com/a/very/long/path/indeed.";
	const char *family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9";

	ok(x != NULL && x->limit == 280, "X: 280");
	ok(bs != NULL && bs->limit == 300, "Bluesky: 300");
	ok(hark_reply_limit_of("mastodon")->limit == 500, "Mastodon: 500");
	ok(hark_reply_limit_of("rss") == NULL, "feeds: no limit");
	/* "see " 4 + URL 23 + "." 1 */
	is_int((int)hark_reply_length(url, strlen(url), x), 28,
	    "X counts a URL as 23");
	is_int((int)hark_reply_length(url, strlen(url), NULL),
	    (int)strlen(url), "plain count: code points");
	is_int((int)hark_reply_length("żółw", strlen("żółw"), x), 4,
	    "X: Polish letters weigh 1");
	is_int((int)hark_reply_length(family, strlen(family), bs), 1,
	    "Bluesky: a ZWJ sequence is one grapheme");
	is_int((int)hark_reply_length(family, strlen(family), x), 5,
	    "X: emoji weigh 2, ZWJ 1");
	is_int((int)hark_reply_length("żółw", strlen("żółw"), gb), 7,
	    "Google: bytes");
}

static void
test_fit(void)
{
	struct hark_reply_limit l = { "t", 40, 0, HARK_COUNT_CHARS, 0 };
	struct hark_buf b = HARK_BUF_INIT(4096);

	hark_buf_addstr(&b, "First one here. Second one here! Third? ^Kasia");
	is_int(hark_reply_fit(&b, 40, &l), 1, "shortened");
	is_str(hark_buf_str(&b), "First one here. Second one here! ^Kasia",
	    "whole sentences dropped from the end, signature kept");
	is_int(hark_reply_fit(&b, 40, &l), 0, "fits now");
	hark_buf_reset(&b);
	hark_buf_addstr(&b, "Onesentencethatisfartoolongtofitanywhere at all "
	    "^Kasia");
	is_int(hark_reply_fit(&b, 20, &l), -1, "cannot fit");
	is_str(hark_buf_str(&b), "Onesentencethatisfartoolongtofitanywhere at "
	    "all ^Kasia", "left whole, never cut in a word");
	hark_buf_release(&b);
}

static void
test_choose(void)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_reply_set s;
	struct hark_reply_want w;
	struct hark_err err = HARK_ERR_INIT;
	const struct hark_reply_tpl *t;
	static const char conf[] =
	    "[template \"other\"]\nlang = en\ncategory = other\ntext = o\n"
	    "[template \"defect\"]\nlang = en\ncategory = defect\ntext = d\n"
	    "[template \"defect-x\"]\nlang = en\ncategory = defect\n"
	    "channel = x\ntext = dx\n"
	    "[template \"private\"]\nlang = en\nprivate = true\ntext = p\n"
	    "[template \"faq\"]\nlang = en\ncategory = question\n"
	    "text = {answer}\n"
	    "[template \"q\"]\nlang = en\ncategory = question\ntext = q\n";

	hark_reply_set_init(&s);
	is_int(hark_config_parse(&cfg, "t", conf, sizeof(conf) - 1, &err), 0,
	    "parse");
	is_int(hark_reply_set_add_config(&s, &cfg, "t", &err), 0, "load");
	memset(&w, 0, sizeof(w));
	w.lang = "en";
	w.category = "defect";
	w.channel = "mastodon";
	t = hark_reply_choose(&s, &w);
	is_str(t ? t->name : "-", "defect", "category");
	w.channel = "x";
	t = hark_reply_choose(&s, &w);
	is_str(t ? t->name : "-", "defect-x", "channel beats any channel");
	w.priv = 1;
	t = hark_reply_choose(&s, &w);
	is_str(t ? t->name : "-", "private", "a private route beats category");
	w.priv = 0;
	w.category = "billing";
	t = hark_reply_choose(&s, &w);
	is_str(t ? t->name : "-", "other", "no template: other");
	w.category = "question";
	t = hark_reply_choose(&s, &w);
	is_str(t ? t->name : "-", "q", "{answer} needs an answer");
	w.have_answer = 1;
	t = hark_reply_choose(&s, &w);
	is_str(t ? t->name : "-", "faq", "with an answer");
	w.lang = "pl";
	ok(hark_reply_choose(&s, &w) == NULL, "no Polish templates");
	hark_reply_set_release(&s);
	hark_config_release(&cfg);
}

int
main(void)
{
	test_render();
	test_names();
	test_due();
	test_lengths();
	test_fit();
	test_choose();
	return tap_done();
}
