/*
 * test-map.c - the mention-fetch response mappers on their fixtures
 * (tests/fixtures/mention-fetch/<type>/).  The mappers live in
 * lib/source/<type>.c, each with its driver, in libhark.a.
 *
 * "test-map dump TYPE FILE [BRAND...]" prints the records of one body as
 * NDJSON and the page cursors on stderr (for writing expectations).
 */
#include <jansson.h>

#include "mention.h"
#include "source/source.h"
#include "tap.h"
#include "json.h"

static const char *default_brands[] = {
	"lumilocare", "lumilo care", "1500000000000000001",
	"lumilo@mastodon.social", "lumilo.bsky.social", "ucbrand0000000000000001",
	"102030405060708", "lumilo.pl"
};

static struct mf_page page;
static json_t *recs;
static struct hark_err err;
static char body[1 << 25];	/* 32 MiB: dump mode is used for timing too */
static size_t bodylen;

/* The mapper of source type TYPE, from the table of drivers. */
static mf_map_fn *
find_mapper(const char *type)
{
	const struct mf_driver *d = mf_driver_find(type);

	return d != NULL ? d->map : NULL;
}

static int
load(const char *path)
{
	char full[512];
	FILE *fp;

	snprintf(full, sizeof(full), "../fixtures/mention-fetch/%s", path);
	if ((fp = fopen(full, "rb")) == NULL) {
		snprintf(full, sizeof(full), "tests/fixtures/mention-fetch/%s",
		    path);
		fp = fopen(full, "rb");
	}
	if (fp == NULL && (fp = fopen(path, "rb")) == NULL)
		return -1;
	bodylen = fread(body, 1, sizeof(body), fp);
	fclose(fp);
	return 0;
}

/* Map fixture PATH with TYPE's mapper; returns the mapper's result. */
static int
run_ct(const char *type, const char *path, const char *request_url,
    const char *base_url, const char *content_type)
{
	struct mf_map_ctx ctx;
	hark_time_t now;

	mf_page_release(&page);
	json_decref(recs);
	recs = json_array();
	memset(&page, 0, sizeof(page));
	page.records = recs;
	memset(&err, 0, sizeof(err));
	hark_time_parse_rfc3339("2025-03-10T12:00:00Z", &now, NULL);
	memset(&ctx, 0, sizeof(ctx));
	ctx.source = "test";
	ctx.type = type;
	ctx.base_url = base_url;
	ctx.request_url = request_url;
	ctx.content_type = content_type;
	ctx.query = "lumilo";
	ctx.brands = default_brands;
	ctx.nbrands = HARK_ARRAY_SIZE(default_brands);
	ctx.fetched_at = now;
	if (load(path) == -1) {
		printf("# cannot read fixture %s\n", path);
		return -2;
	}
	return find_mapper(type)(body, bodylen, &ctx, &page, &err);
}

static int
run(const char *type, const char *path, const char *request_url)
{
	return run_ct(type, path, request_url, request_url, NULL);
}

/* Map the literal TEXT with TYPE's mapper (fixtures inline). */
static int
run_text(const char *type, const char *text, const char *request_url)
{
	struct mf_map_ctx ctx;
	hark_time_t now;

	mf_page_release(&page);
	json_decref(recs);
	recs = json_array();
	memset(&page, 0, sizeof(page));
	page.records = recs;
	memset(&err, 0, sizeof(err));
	hark_time_parse_rfc3339("2025-03-10T12:00:00Z", &now, NULL);
	memset(&ctx, 0, sizeof(ctx));
	ctx.source = "test";
	ctx.type = type;
	ctx.base_url = request_url;
	ctx.request_url = request_url;
	ctx.query = "lumilo";
	ctx.brands = default_brands;
	ctx.nbrands = HARK_ARRAY_SIZE(default_brands);
	ctx.fetched_at = now;
	bodylen = strlen(text);
	memcpy(body, text, bodylen);
	return find_mapper(type)(body, bodylen, &ctx, &page, &err);
}

static json_t *
rec(size_t i)
{
	return json_array_get(recs, i);
}

/* Compare the member at PATH of record I with WANT (NULL: JSON null). */
#define F(i, path, want) field_is((i), (path), (want), __LINE__)
static void
field_is(size_t i, const char *path, const char *want, int line)
{
	json_t *v = mf_get(rec(i), path);
	const char *got = json_string_value(v);

	if (want == NULL) {
		if (!tap_ok(json_is_null(v), __FILE__, line, "rec %zu %s is null",
		    i, path))
			printf("#   got: %s\n", got != NULL ? got :
			    (v == NULL ? "(missing)" : "(not a string)"));
		return;
	}
	if (!tap_ok(got != NULL && strcmp(got, want) == 0, __FILE__, line,
	    "rec %zu %s", i, path))
		printf("#   got: '%s'\n#  want: '%s'\n", got != NULL ? got :
		    "(null/not a string)", want);
}

#define N(i, path, want) num_is((i), (path), (want), __LINE__)
static void
num_is(size_t i, const char *path, long long want, int line)
{
	json_t *v = mf_get(rec(i), path);

	if (!tap_ok(json_is_integer(v) && json_integer_value(v) == want,
	    __FILE__, line, "rec %zu %s = %lld", i, path, want))
		printf("#   got: %lld (%s)\n", json_is_integer(v) ?
		    (long long)json_integer_value(v) : -1LL,
		    v == NULL ? "missing" : json_is_null(v) ? "null" : "value");
}

#define B(i, want) brand_is((i), (want), __LINE__)
static void
brand_is(size_t i, int want, int line)
{
	json_t *v = mf_get(rec(i), "author.is_brand");

	tap_ok(json_is_boolean(v) && json_is_true(v) == want, __FILE__, line,
	    "rec %zu is_brand %s", i, want ? "true" : "false");
}

static void
cursor_is(const char *what, const char *got, const char *want)
{
	is_str(got, want, "%s", what);
}

static int
warnings(void)
{
	return (int)json_array_size(json_object_get(page.extra, "warnings"));
}

/* Private messages: the layout plus "visibility" and "handoff". */
static void
private_layout_ok(const char *what)
{
	size_t i;
	json_t *r;
	int good = 1;

	json_array_foreach(recs, i, r) {
		void *it = json_object_iter_at(r, "fetched_at");

		it = it != NULL ? json_object_iter_next(r, it) : NULL;
		if (it == NULL || strcmp(json_object_iter_key(it),
		    "visibility") != 0 || strcmp(json_string_value(
		    json_object_iter_value(it)), "private") != 0)
			good = 0;
		it = it != NULL ? json_object_iter_next(r, it) : NULL;
		if (it == NULL || strcmp(json_object_iter_key(it), "handoff") != 0)
			good = 0;
		if (strcmp(json_string_value(json_object_get(r, "kind")),
		    "message") != 0)
			good = 0;
	}
	ok(good && json_array_size(recs) > 0, "%s: private message layout",
	    what);
}

/* Every record has every key in the documented order. */
static void
layout_ok(const char *what)
{
	static const char *keys[] = { "v", "source", "id", "native_id",
	    "kind", "url", "created_at", "updated_at", "author", "title",
	    "text", "html", "lang", "thread", "context", "metrics", "rating",
	    "query", "fetched_at" };
	size_t i, k;
	json_t *r;
	int good = 1;

	json_array_foreach(recs, i, r) {
		void *it = json_object_iter(r);

		for (k = 0; k < HARK_ARRAY_SIZE(keys) && it != NULL; k++) {
			if (strcmp(json_object_iter_key(it), keys[k]) != 0)
				good = 0;
			it = json_object_iter_next(r, it);
		}
		/* private messages add visibility and handoff (checked by
		 * private_layout_ok()) */
		while (it != NULL && (strcmp(json_object_iter_key(it),
		    "visibility") == 0 || strcmp(json_object_iter_key(it),
		    "handoff") == 0))
			it = json_object_iter_next(r, it);
		if (k != HARK_ARRAY_SIZE(keys) || (it != NULL &&
		    strcmp(json_object_iter_key(it), "raw") != 0))
			good = 0;
		if (!json_is_string(json_object_get(r, "id")) ||
		    !json_is_string(json_object_get(r, "created_at")) ||
		    !json_is_string(json_object_get(r, "text")))
			good = 0;
	}
	ok(good, "%s: schema layout of every record", what);
}

static int
dump(int argc, char **argv)
{
	size_t i;
	json_t *r;
	mf_map_fn *fn;
	int rc;

	if (argc < 4 || (fn = find_mapper(argv[2])) == NULL) {
		fprintf(stderr, "usage: test-map dump TYPE FILE [URL]\n");
		return 2;
	}
	rc = run(argv[2], argv[3], argc > 4 ? argv[4] :
	    "https://example.test/feed");
	json_array_foreach(recs, i, r) {
		char *s = hark_json_dumps(r, JSON_COMPACT);

		printf("%s\n", s);
		free(s);
	}
	fprintf(stderr, "rc=%d err=%s next=%s newest=%s\n", rc, err.msg,
	    page.next ? page.next : "(null)",
	    page.newest ? page.newest : "(null)");
	if (page.extra != NULL) {
		char *s = hark_json_dumps(page.extra, JSON_COMPACT);

		fprintf(stderr, "extra=%s\n", s);
		free(s);
	}
	return rc == 0 ? 0 : 1;
}

static void
test_feed(void)
{
	is_int(run("rss", "rss/news-pl.xml", "https://blog.example.pl/feed/"), 0,
	    "rss: maps");
	layout_ok("rss");
	is_int(json_array_size(recs), 3, "rss: three items");
	F(0, "source", "rss");
	F(0, "id", "rss:https://blog.example.pl/feed/#https://blog.example.pl/?p=4711");
	F(0, "native_id", "https://blog.example.pl/?p=4711");
	F(0, "kind", "article");
	F(0, "url", "https://blog.example.pl/2025/03/lumilo-l2-recenzja/");
	F(0, "created_at", "2025-03-10T08:30:00Z");
	F(0, "author.name", "Anna Wiśniewska");
	F(0, "title", "Lumilo L2 – recenzja: czy warto?");
	F(0, "text", "Lampka Lumilo L2 działa świetnie…\nAle aplikacja się "
	    "zawiesza 😡 – „połączenie zerwane”.\nplus: jasność\nminus: "
	    "Wi‑Fi");
	ok(strstr(hark_mention_get_str(rec(0), "html"), "<script>") != NULL,
	    "rss: html kept as given (content:encoded)");
	F(0, "lang", "pl-PL");
	N(0, "metrics.replies", 7);
	F(0, "context.community", "Tech & Dom – Blog");
	F(0, "context.url", "https://blog.example.pl/");
	F(0, "thread.root_id", hark_mention_get_str(rec(0), "id"));
	F(0, "query", "lumilo");
	F(0, "fetched_at", "2025-03-10T12:00:00Z");
	F(1, "id", "rss:https://blog.example.pl/2025/03/nie-dziala/");
	F(1, "author.name", "Redakcja");
	F(1, "title", "Nie dziala mi lampka Lumilo <3 ale i tak ja lubie");
	F(1, "text", "Lampka nie dziala po aktualizacji & reset nie pomaga "
	    "😤👍🏽");
	F(1, "created_at", "2025-03-09T18:05:00Z");
	F(2, "created_at", "2025-03-10T12:00:00Z");
	is_int(warnings(), 2, "rss: bad date warned (parse + fallback)");
	cursor_is("rss: newest", page.newest, "2025-03-10T08:30:00Z");
	cursor_is("rss: no next", page.next, NULL);

	is_int(run("rss", "rss/comments-iso-8859-2.xml",
	    "https://forum.example.cz/t/lumilo-nefunguje/feed"), 0,
	    "rss iso-8859-2: maps");
	layout_ok("rss iso-8859-2");
	is_int(json_array_size(recs), 3, "rss iso-8859-2: three comments");
	F(0, "text", "Žárovka Lumilo po aktualizaci nefunguje, aplikace píše "
	    "\"chyba připojení\". Pomoc?");
	F(0, "author.name", "Petr Dvořák");
	F(0, "context.community", "Komentáře: Lumilo nefunguje");
	F(0, "kind", "comment");
	F(0, "thread.parent_id", "rss:https://forum.example.cz/t/lumilo-nefunguje");
	F(1, "author.name", "Lumilo Care");
	B(1, 1);
	B(0, 0);
	F(1, "thread.parent_id", hark_mention_get_str(rec(0), "id"));
	F(1, "text", "Dobrý den, omlouváme se. Zkuste prosím reset: podržte "
	    "vypínač 10 s. Lumilo Care");
	F(1, "created_at", "2025-03-10T09:47:30Z");
	F(2, "thread.parent_id", hark_mention_get_str(rec(1), "id"));
	F(2, "lang", "cs");

	/* Content-Type charset applies when the prolog names none. */
	{
		static const char x[] = "<rss><channel><title>T</title><item>"
		    "<guid>g1</guid><title>\xbe\xe1rovka</title>"
		    "<pubDate>Mon, 10 Mar 2025 10:00:00 GMT</pubDate>"
		    "</item></channel></rss>";
		struct mf_map_ctx c;

		memset(&c, 0, sizeof(c));
		c.request_url = "https://e.x/f";
		c.content_type = "application/rss+xml; charset=ISO-8859-2";
		mf_page_release(&page);
		json_decref(recs);
		recs = json_array();
		memset(&page, 0, sizeof(page));
		page.records = recs;
		is_int(find_mapper("rss")(x, sizeof(x) - 1, &c, &page, &err), 0,
		    "charset from Content-Type: maps");
		F(0, "title", "žárovka");
		F(0, "id", "rss:https://e.x/f#g1");
	}

	is_int(run("rss", "rss/rss1-rdf.xml", "https://planet.example.cz/rss"),
	    0, "rss 1.0: maps");
	layout_ok("rss 1.0");
	F(0, "id", "rss:https://planet.example.cz/a/1");
	F(0, "author.name", "Karel");
	F(0, "created_at", "2025-03-08T09:00:00Z");
	F(0, "lang", "cs");
	F(0, "text", "Žárovky Lumilo fungují, jen aplikace občas zlobí.");
	is_int(run("rss", "rss/unescaped-amp.xml", "https://forum.example.pl/feed"),
	    0, "rss with bare '&': repaired");
	F(0, "title", "Lumilo & Wi-Fi - nie dziala");
	F(0, "url", "https://forum.example.pl/t/1?a=1&b=2");
	F(0, "context.community", "Forum & co");
	is_int(warnings(), 1, "rss with bare '&': warned");
	{
		static const char x[] = "<rss><channel><item><guid>1</guid>"
		    "<title>a&nbsp;b&hellip; &bogus; &#x41;</title><description>"
		    "<![CDATA[x &nbsp;& y]]></description><pubDate>Mon, 10 Mar "
		    "2025 10:00:00 GMT</pubDate></item></channel></rss>";
		struct mf_map_ctx c;

		memset(&c, 0, sizeof(c));
		mf_page_release(&page);
		json_decref(recs);
		recs = json_array();
		memset(&page, 0, sizeof(page));
		page.records = recs;
		is_int(find_mapper("rss")(x, sizeof(x) - 1, &c, &page, &err), 0,
		    "HTML entities in XML: repaired");
		F(0, "title", "a b… &bogus; A");
		F(0, "html", "x &nbsp;& y");
		F(0, "text", "x & y");
	}

	is_int(run("rss", "rss/malformed.xml", "https://e.x/f"), -1,
	    "rss: HTML page refused");
	is_int(err.code, 3, "rss: data error");
	is_str(err.msg, "malformed feed: root element 'html' is not rss, "
	    "rdf:RDF or atom:feed", "rss: message names the root");
	is_int(run("rss", "rss/not-xml.xml", "https://e.x/f"), -1,
	    "rss: plain text refused");
	ok(strncmp(err.msg, "malformed feed: not well-formed XML (line 1: ",
	    44) == 0, "rss: message has the XML error and line");
	is_int(json_array_size(recs), 0, "rss: nothing emitted on error");

	is_int(run("atom", "atom/blog-page1.xml",
	    "https://recenze.example.cz/atom.xml"), 0, "atom: maps");
	layout_ok("atom");
	is_int(json_array_size(recs), 2, "atom: two entries");
	F(0, "source", "atom");
	F(0, "id", "atom:tag:recenze.example.cz,2025:post-88");
	F(0, "url", "https://recenze.example.cz/lumilo-hub");
	F(0, "created_at", "2025-03-10T07:12:05Z");
	F(0, "updated_at", "2025-03-10T08:47:12Z");
	F(0, "title", "Lumilo Hub & aplikace: první dojmy");
	F(0, "text", "Hub se připojil hned.\nAplikace ale padá 😬 a podpora "
	    "mlčí.");
	F(0, "html", "<p>Hub se <b>připojil</b> hned.</p><p>Aplikace ale "
	    "padá 😬 a podpora mlčí.</p>");
	F(0, "author.name", "Jana Nováková");
	F(0, "author.url", "https://recenze.example.cz/u/jana");
	F(0, "lang", "cs");
	N(0, "metrics.replies", 2);
	F(1, "kind", "comment");
	F(1, "lang", "en");
	F(1, "updated_at", NULL);
	F(1, "thread.parent_id", "atom:tag:recenze.example.cz,2025:post-88");
	F(1, "text", "Hi Jana, sorry about that — please update to 2.4.1\n"
	    "and write to care@lumilo.example.");
	B(1, 1);
	cursor_is("atom: next from rel=next", page.next,
	    "https://recenze.example.cz/atom.xml?page=2");
	cursor_is("atom: newest", page.newest, "2025-03-10T08:00:00Z");
	is_int(run("atom", "atom/blog-page2.xml",
	    "https://recenze.example.cz/atom.xml?page=2"), 0, "atom p2: maps");
	cursor_is("atom p2: last page", page.next, NULL);
	F(0, "created_at", "2025-03-09T17:30:00Z");
	F(0, "author.name", "Redakce");
	F(0, "text", "Zarovka nefunguje ani po resetu, aplikace pise chyba.");
	F(0, "html", NULL);

	is_int(run("google_alerts", "google_alerts/alert.xml",
	    "https://www.google.com/alerts/feeds/1/2"), 0, "alerts: maps");
	layout_ok("alerts");
	is_int(json_array_size(recs), 2, "alerts: two results");
	F(0, "source", "google_alerts");
	F(0, "id", "google_alerts:12835719820416151233");
	F(0, "native_id", "12835719820416151233");
	F(0, "url", "https://www.example.pl/testy/lumilo-l2?src=rss&page=2");
	F(0, "title", "Lumilo L2 w teście: \"świeci, ale aplikacja\" ...");
	F(0, "text", "Lampka Lumilo L2 działa, ale aplikacja \"gubi\" "
	    "połączenie & trzeba ją resetować ...");
	F(0, "author.name", NULL);
	F(0, "context.title", "lumilo");
	F(0, "kind", "article");
	F(1, "url", "https://recenze.example.cz/lumilo-hub");
}

static void
test_x(void)
{
	is_int(run("x", "x/search-page1.json",
	    "https://api.x.com/2/tweets/search/recent"), 0, "x: maps");
	layout_ok("x");
	is_int(json_array_size(recs), 3, "x: three posts");
	F(0, "id", "x:1899012345678901250");
	F(0, "kind", "comment");
	F(0, "url", "https://x.com/LumiloCare/status/1899012345678901250");
	F(0, "created_at", "2025-03-10T08:20:03Z");
	F(0, "author.id", "1500000000000000001");
	F(0, "author.handle", "LumiloCare");
	F(0, "author.name", "Lumilo Care");
	N(0, "author.followers", 18250);
	B(0, 1);
	F(0, "thread.root_id", "x:1899012345678901234");
	F(0, "thread.parent_id", "x:1899012345678901234");
	F(0, "thread.in_reply_to_author_id", "987654321");
	N(0, "metrics.views", 57);
	F(1, "kind", "post");
	B(1, 0);
	F(1, "text", "@LumiloCare lampka znowu nie dziala & aplikacja sie "
	    "wiesza >:( 3 dzien bez swiatla 😡 https://example.pl/foto");
	F(1, "thread.parent_id", NULL);
	F(1, "thread.root_id", "x:1899012345678901234");
	N(1, "metrics.likes", 4);
	N(1, "metrics.reposts", 1);
	N(1, "metrics.replies", 1);
	N(1, "metrics.quotes", 0);
	F(1, "lang", "pl");
	F(1, "author.name", "Jan Kowalski 💡");
	ok(strstr(hark_mention_get_str(rec(2), "text"),
	    "re-add it. Support was quick though <3") != NULL,
	    "x: note_tweet full text, decoded");
	cursor_is("x: next_token", page.next,
	    "b26v89c19zqg8o3fpdg7sx2sv8xmld1dr5rcrdzme2mrh");
	cursor_is("x: newest_id", page.newest, "1899012345678901250");

	is_int(run("x", "x/search-page2.json",
	    "https://api.x.com/2/tweets/search/recent"), 0, "x p2: maps");
	cursor_is("x p2: no next", page.next, NULL);
	cursor_is("x p2: newest_id", page.newest, "1898990000000000002");
	is_int(warnings(), 1, "x p2: partial error warned");
	F(1, "lang", NULL);
	F(1, "url", "https://x.com/i/web/status/1898990000000000002");
	F(1, "author.id", "778");
	F(1, "author.handle", NULL);

	is_int(run("x", "x/empty.json", "u"), 0, "x empty: ok");
	is_int(json_array_size(recs), 0, "x empty: no records");
	cursor_is("x empty: no newest", page.newest, NULL);
	is_int(run("x", "x/error-429.json", "u"), -1, "x problem JSON refused");
	is_str(err.msg, "X API error: Too Many Requests", "x: problem detail");
	is_int(run("x", "x/malformed.json", "u"), -1, "x truncated refused");
	is_int(err.code, 3, "x: data error");
	ok(strncmp(err.msg, "malformed X response: invalid JSON at line 1",
	    44) == 0, "x: message says invalid JSON with position");
}

static void
test_reddit(void)
{
	is_int(run("reddit", "reddit/search-page1.json",
	    "https://oauth.reddit.com/search"), 0, "reddit: maps");
	layout_ok("reddit");
	is_int(json_array_size(recs), 2, "reddit: two posts");
	F(0, "id", "reddit:t3_1j7xk3c");
	F(0, "native_id", "t3_1j7xk3c");
	F(0, "kind", "post");
	F(0, "url", "https://www.reddit.com/r/Polska/comments/1j7xk3c/"
	    "lumilo_lampka_nie_laczy_sie/");
	F(0, "created_at", "2025-03-10T08:05:41Z");
	F(0, "updated_at", "2025-03-10T08:15:00Z");
	F(0, "author.id", "t2_abc123");
	F(0, "author.handle", "kasia_k");
	F(0, "author.url", "https://www.reddit.com/user/kasia_k");
	F(0, "text", "Od aktualizacji lampka Lumilo nie łączy się z Wi-Fi. "
	    "Ktoś ma podobnie? 😩\nReset nic nie daje.");
	F(0, "context.community", "r/Polska");
	N(0, "metrics.likes", 41);
	N(0, "metrics.score", 41);
	N(0, "metrics.replies", 3);
	F(0, "thread.root_id", "reddit:t3_1j7xk3c");
	F(1, "text", "");
	F(1, "html", NULL);
	F(1, "context.url", "https://www.example.com/lumilo-vs-hue");
	F(0, "context.url", "https://www.reddit.com/r/Polska/comments/1j7xk3c/"
	    "lumilo_lampka_nie_laczy_sie/");
	F(1, "updated_at", NULL);
	cursor_is("reddit: after", page.next, "t3_1j7xk2b");
	cursor_is("reddit: newest", page.newest, "2025-03-10T08:05:41Z");

	is_int(run("reddit", "reddit/search-page2.json", "u"), 0,
	    "reddit p2 (no raw_json): maps");
	cursor_is("reddit p2: last page", page.next, NULL);
	F(0, "title", "Lumilo zarovka blika & nefunguje");
	F(0, "text", "Zarovka Lumilo blika & aplikace pise \"chyba\" <3");
	F(0, "author.handle", NULL);
	F(0, "author.id", NULL);

	is_int(run("reddit", "reddit/thread.json", "u"), 0, "reddit thread");
	layout_ok("reddit thread");
	is_int(json_array_size(recs), 4, "reddit thread: post + 3 comments");
	F(1, "id", "reddit:t1_mgx1a01");
	F(1, "kind", "comment");
	B(1, 1);
	F(1, "thread.root_id", "reddit:t3_1j7xk3c");
	F(1, "thread.parent_id", "reddit:t3_1j7xk3c");
	F(1, "text", "Cześć! Przepraszamy za kłopot. Wersja 2.4.1 aplikacji "
	    "naprawia ten błąd – daj znać, czy pomogło.");
	F(1, "context.title", "Lumilo – lampka nie łączy się z Wi-Fi po "
	    "aktualizacji");
	F(2, "id", "reddit:t1_mgx2b02");
	F(2, "thread.parent_id", "reddit:t1_mgx1a01");
	B(2, 0);
	F(3, "text", "[removed]");
	F(3, "author.handle", NULL);
	ok(json_array_size(json_object_get(json_array_get(
	    json_object_get(page.extra, "more"), 0), "children")) == 2,
	    "reddit thread: 'more' stub passed on");

	is_int(run("reddit", "reddit/malformed.json", "u"), -1,
	    "reddit: malformed listing refused");
	is_str(err.msg, "malformed Reddit listing: 'data.children' missing",
	    "reddit: message");
	is_int(run("reddit", "reddit/blocked.html", "u"), -1,
	    "reddit: HTML block page refused");
}

static void
test_hackernews(void)
{
	is_int(run("hackernews", "hackernews/search-page0.json", "u"), 0,
	    "hn: maps");
	layout_ok("hn");
	F(0, "id", "hackernews:43210042");
	F(0, "kind", "comment");
	F(0, "url", "https://news.ycombinator.com/item?id=43210042");
	F(0, "created_at", "2025-03-10T09:12:00Z");
	F(0, "author.handle", "lumilocare");
	F(0, "author.url", "https://news.ycombinator.com/user?id=lumilocare");
	B(0, 1);
	F(0, "thread.root_id", "hackernews:43210000");
	F(0, "thread.parent_id", "hackernews:43210017");
	F(0, "text", "Hi, Lumilo support here. Firmware 2.4.1 fixes the "
	    "reconnect loop – sorry for the trouble.");
	F(0, "context.title", "Show HN: I reverse-engineered my Lumilo smart "
	    "lamp");
	F(0, "context.url", "https://blog.example.com/lumilo-re");
	F(1, "text", "The Lumilo app phones home every 30s & breaks when DNS "
	    "is blocked. I've given up on it.\nAlso: "
	    "https://example.com/pcap");
	cursor_is("hn: next page", page.next, "1");
	is_int(run("hackernews", "hackernews/search-page1.json", "u"), 0,
	    "hn p1: maps");
	cursor_is("hn p1: last page", page.next, NULL);
	F(0, "kind", "post");
	F(0, "title", "Show HN: I reverse-engineered my Lumilo smart lamp");
	N(0, "metrics.score", 57);
	N(0, "metrics.replies", 2);
	F(0, "thread.root_id", "hackernews:43210000");
	F(0, "context.url", "https://blog.example.com/lumilo-re");
	is_int(run("hackernews", "hackernews/item-tree.json", "u"), 0,
	    "hn items tree: maps");
	is_int(json_array_size(recs), 3, "hn items tree: whole tree");
	F(2, "thread.parent_id", "hackernews:43210017");
	F(2, "thread.root_id", "hackernews:43210000");
	F(2, "created_at", "2025-03-10T09:12:00Z");
	is_int(run("hackernews", "hackernews/error-1000-hits.json", "u"), -1,
	    "hn: error body refused");
	is_str(err.msg, "HN Search error: you can only fetch the 1000 hits "
	    "for this query", "hn: error message passed on");
	is_int(run("hackernews", "hackernews/malformed.json", "u"), -1,
	    "hn: malformed refused");
}

static void
test_mastodon(void)
{
	const char *u = "https://mastodon.social/api/v1/timelines/tag/lumilo";

	is_int(run_ct("mastodon", "mastodon/tag-page1.json", u,
	    "https://mastodon.social", NULL), 0, "mastodon: maps");
	layout_ok("mastodon");
	F(0, "id", "mastodon:mastodon.social:113990000000000300");
	F(0, "native_id", "113990000000000300");
	F(0, "kind", "comment");
	F(0, "author.handle", "lumilo@mastodon.social");
	B(0, 1);
	N(0, "author.followers", 5120);
	F(0, "text", "@marek Dzięki za zgłoszenie! Poprawka jest w wersji "
	    "2.4.1 #lumilo");
	F(0, "thread.parent_id", "mastodon:mastodon.social:113990000000000100");
	F(0, "thread.in_reply_to_author_id", "109000000000000042");
	F(1, "author.handle", "marek@fosstodon.org");
	F(1, "created_at", "2025-03-10T08:05:41Z");
	F(1, "updated_at", "2025-03-10T08:07:00Z");
	F(1, "text", "narzekanie na sprzęt\nLampka #lumilo znowu nie działa "
	    "po aktualizacji 😤\nLink: "
	    "https://example.pl/bardzo/dlugi/link/do/zdjecia");
	F(1, "url", "https://fosstodon.org/@marek/113990111");
	N(1, "metrics.likes", 5);
	N(1, "metrics.reposts", 2);
	N(1, "metrics.quotes", 1);
	F(1, "context.community", "mastodon.social");
	cursor_is("mastodon: next = oldest id", page.next,
	    "113990000000000100");
	cursor_is("mastodon: newest id", page.newest, "113990000000000300");
	is_int(run_ct("mastodon", "mastodon/tag-page2.json", u,
	    "https://mastodon.social", NULL), 0, "mastodon p2: maps");
	F(0, "id", "mastodon:mastodon.social:113980000000000000");
	F(0, "author.handle", "petr@mastodonczech.cz");
	F(0, "text", "Žárovka Lumilo nefunguje & podpora neodpovídá.");
	cursor_is("mastodon p2: newest is the boost's id", page.newest,
	    "113989999999999999");
	is_int(run_ct("mastodon", "mastodon/tag-empty.json", u,
	    "https://mastodon.social", NULL), 0, "mastodon empty: ok");
	cursor_is("mastodon empty: no next", page.next, NULL);
	is_int(run_ct("mastodon", "mastodon/context.json",
	    "https://mastodon.social/api/v1/statuses/113990000000000300/context",
	    "https://mastodon.social", NULL), 0, "mastodon context: maps");
	F(1, "thread.root_id", "mastodon:mastodon.social:113990000000000100");
	F(1, "thread.parent_id", "mastodon:mastodon.social:113990000000000300");
	is_int(run("mastodon", "mastodon/error-429.json", u), -1,
	    "mastodon: error refused");
	is_str(err.msg, "Mastodon API error: Too many requests",
	    "mastodon: error message");
	is_int(run("mastodon", "mastodon/malformed.json", u), -1,
	    "mastodon: malformed refused");
}

static void
test_bluesky(void)
{
	is_int(run("bluesky", "bluesky/search-page1.json", "u"), 0,
	    "bluesky: maps");
	layout_ok("bluesky");
	F(0, "id", "bluesky:at://did:plc:brandlumilo000000000000/"
	    "app.bsky.feed.post/3lk2brand01");
	F(0, "url", "https://bsky.app/profile/lumilo.bsky.social/post/"
	    "3lk2brand01");
	F(0, "kind", "comment");
	B(0, 1);
	F(0, "thread.parent_id", "bluesky:at://did:plc:customer0000000000000001/"
	    "app.bsky.feed.post/3lk2cust001");
	F(1, "text", "@lumilo.bsky.social lampka nie łączy się z wifi od "
	    "wczoraj 😠 zdjęcie: https://example.pl/foto/1234567890");
	F(1, "created_at", "2025-03-10T08:05:41Z");
	F(1, "author.name", "Ola 🌸");
	F(1, "lang", "pl");
	N(1, "metrics.replies", 1);
	cursor_is("bluesky: cursor", page.next, "25");
	is_int(run("bluesky", "bluesky/search-page2.json", "u"), 0,
	    "bluesky p2: maps");
	cursor_is("bluesky p2: no cursor", page.next, NULL);
	F(0, "author.name", NULL);
	F(0, "lang", "cs");
	is_int(run("bluesky", "bluesky/thread.json", "u"), 0,
	    "bluesky thread: maps");
	is_int(json_array_size(recs), 3, "bluesky thread: three posts");
	F(1, "thread.in_reply_to_author_id",
	    "did:plc:customer0000000000000001");
	F(2, "thread.parent_id", "bluesky:at://did:plc:brandlumilo000000000000/"
	    "app.bsky.feed.post/3lk2brand01");
	F(2, "thread.in_reply_to_author_id", "did:plc:brandlumilo000000000000");
	is_int(run("bluesky", "bluesky/error-400.json", "u"), -1,
	    "bluesky: error refused");
	is_int(run("bluesky", "bluesky/malformed.json", "u"), -1,
	    "bluesky: malformed refused");
}

/* Answers that carry no records but what the fetcher needs, and
 * shapes the fetcher follows (issue 10, section 3). */
static void
test_extras(void)
{
	is_int(run_text("facebook", "{\"id\":\"1020\",\"name\":\"Lumilo "
	    "Polska\"}", "https://graph.facebook.com/v21.0/1020?fields=id,"
	    "name"), 0, "facebook: the Page object maps");
	is_int(json_array_size(recs), 0, "facebook: Page object: no records");
	is_str(json_string_value(json_object_get(page.extra, "page_name")),
	    "Lumilo Polska", "facebook: Page name for the fetcher");
	is_int(run_text("bluesky", "{\"profiles\":[{\"did\":\"did:plc:a\","
	    "\"handle\":\"a.bsky.social\",\"followersCount\":12},{\"did\":"
	    "\"did:plc:b\",\"handle\":\"b.bsky.social\"}]}",
	    "https://bsky.social/xrpc/app.bsky.actor.getProfiles"), 0,
	    "bluesky: getProfiles maps");
	is_int(json_integer_value(json_object_get(json_object_get(page.extra,
	    "profiles"), "did:plc:a")), 12, "bluesky: followersCount kept");
	ok(json_object_get(json_object_get(page.extra, "profiles"),
	    "did:plc:b") == NULL, "bluesky: no count, no entry");
	is_int(run_text("reddit", "{\"json\":{\"errors\":[],\"data\":{"
	    "\"things\":[{\"kind\":\"t1\",\"data\":{\"id\":\"c2\","
	    "\"name\":\"t1_c2\",\"body\":\"lumilo again\",\"author\":"
	    "\"x\",\"created_utc\":1741595000.0,\"parent_id\":\"t1_c1\","
	    "\"link_id\":\"t3_p\",\"replies\":\"\"}},{\"kind\":\"more\","
	    "\"data\":{\"count\":2,\"parent_id\":\"t1_c2\",\"children\":"
	    "[\"c3\",\"c4\"]}}]}}}", "https://oauth.reddit.com/api/"
	    "morechildren"), 0, "reddit: morechildren maps");
	is_int(json_array_size(recs), 1, "reddit: morechildren: one comment");
	F(0, "thread.parent_id", "reddit:t1_c1");
	is_int(json_array_size(json_object_get(page.extra, "more")), 1,
	    "reddit: morechildren: the next stub kept");
	is_int(run_text("hackernews", "{\"id\":1,\"type\":\"story\","
	    "\"title\":\"Lumilo\",\"created_at_i\":1741591910,\"children\":"
	    "[{\"id\":2,\"type\":\"comment\",\"text\":\"a\","
	    "\"created_at_i\":1741591920,\"children\":[{\"id\":3,\"type\":"
	    "\"comment\",\"text\":\"b\",\"created_at_i\":1741591930,"
	    "\"children\":[]}]}]}", "https://hn.algolia.com/api/v1/items/1"),
	    0, "hackernews: items tree maps");
	F(2, "thread.parent_id", "hackernews:2");
	F(2, "thread.root_id", "hackernews:1");
	N(0, "metrics.replies", 2);
	{
		/* a story reads the same from the search and from its tree:
		 * which answer comes first must not change the output */
		json_t *hit;

		is_int(run("hackernews", "hackernews/search-page1.json",
		    "https://hn.algolia.com/api/v1/search_by_date"), 0,
		    "hackernews: search page maps");
		hit = json_incref(rec(0));
		is_int(run("hackernews", "hackernews/items-43210000.json",
		    "https://hn.algolia.com/api/v1/items/43210000"), 0,
		    "hackernews: items tree of the story maps");
		ok(json_equal(hit, rec(0)), "hackernews: story from search "
		    "equals story from its tree");
		json_decref(hit);
	}
}

static void
test_facebook(void)
{
	is_int(run("facebook", "facebook/posts-page1.json",
	    "https://graph.facebook.com/v19.0/102030405060708/feed"), 0,
	    "facebook: maps");
	layout_ok("facebook");
	is_int(json_array_size(recs), 3, "facebook: 2 posts + 1 comment");
	F(0, "id", "facebook:102030405060708_900000000000001");
	F(0, "kind", "post");
	F(0, "created_at", "2025-03-10T07:00:00Z");
	/* updated_time moved with the comments: not an edit */
	F(0, "updated_at", NULL);
	B(0, 1);
	F(0, "context.community", "Lumilo Polska");
	N(0, "metrics.likes", 52);
	N(0, "metrics.reposts", 4);
	N(0, "metrics.replies", 3);
	F(1, "kind", "comment");
	F(1, "thread.root_id", "facebook:102030405060708_900000000000001");
	F(1, "created_at", "2025-03-10T08:07:12Z");
	F(2, "updated_at", NULL);
	F(2, "text", "Lumilo nefunguje!!! Zarovka blika a aplikace pise chyba "
	    "pripojeni");
	cursor_is("facebook: paging.next", page.next,
	    "https://graph.facebook.com/v19.0/102030405060708/feed?access_token="
	    "EAAB-secret-token&fields=id%2Cmessage&limit=2&after=QVFIUkZA");
	is_str(json_string_value(json_object_get(page.extra, "after")),
	    "QVFIUkZA", "facebook: after cursor");
	is_int(run("facebook", "facebook/posts-page2.json", "u"), 0,
	    "facebook p2: maps");
	cursor_is("facebook p2: no next", page.next, NULL);
	F(0, "text", "Test &amp; <b>not HTML</b> – Facebook sends plain text");
	is_int(run("facebook", "facebook/comments.json",
	    "https://graph.facebook.com/v19.0/102030405060708_900000000000001/"
	    "comments?filter=stream"), 0, "facebook comments: maps");
	is_int(json_array_size(recs), 2, "facebook comments: id-less skipped");
	is_int(warnings(), 1, "facebook comments: skip warned");
	F(0, "thread.parent_id", "facebook:102030405060708_900000000000001");
	F(1, "thread.root_id", "facebook:102030405060708_900000000000001");
	F(1, "thread.parent_id", "facebook:900000000000001_700000000000011");
	F(1, "thread.in_reply_to_author_id", "5550001");
	B(1, 1);
	is_int(run("facebook", "facebook/error-throttled.json", "u"), -1,
	    "facebook: error refused");
	ok(strstr(err.msg, "code 80001") != NULL, "facebook: error code named");
	is_int(run("facebook", "facebook/malformed.json", "u"), -1,
	    "facebook: malformed refused");
}

static void
test_instagram(void)
{
	const char *g = "https://graph.facebook.com/v21.0/";

	is_int(run("instagram", "instagram/media-page1.json",
	    "https://graph.facebook.com/v21.0/17841400000000001/media"), 0,
	    "instagram media: maps");
	layout_ok("instagram media");
	is_int(json_array_size(recs), 2, "instagram media: 2 posts");
	F(0, "id", "instagram:17900000000000001");
	F(0, "kind", "post");
	F(0, "created_at", "2025-03-10T07:00:00Z");
	F(0, "url", "https://www.instagram.com/p/DA1b2C3d4E5/");
	F(0, "author.handle", "lumilo.pl");
	B(0, 1);
	N(0, "metrics.replies", 3);
	N(0, "metrics.likes", 120);
	F(0, "thread.root_id", "instagram:17900000000000001");
	cursor_is("instagram media: paging.next as given", page.next,
	    "@BASE@/v21.0/17841400000000001/media?access_token=IGQ-secret-token"
	    "&fields=id%2Ccaption&limit=2&after=QVFIUmMedia2");
	is_int(run("instagram", "instagram/comments-page1.json",
	    "https://graph.facebook.com/v21.0/17900000000000001/comments"
	    "?fields=id"), 0, "instagram comments: maps");
	layout_ok("instagram comments");
	is_int(json_array_size(recs), 3, "instagram comments: 2 + 1 reply");
	F(0, "id", "instagram:17850000000000021");
	F(0, "kind", "comment");
	F(0, "author.id", "6100000000000002");
	F(0, "author.handle", "piotr.k");
	F(0, "thread.root_id", "instagram:17900000000000001");
	F(0, "thread.parent_id", "instagram:17900000000000001");
	F(2, "id", "instagram:17850000000000012");
	B(2, 1);
	F(2, "thread.parent_id", "instagram:17850000000000011");
	F(2, "thread.in_reply_to_author_id", "6100000000000001");
	is_str(json_string_value(json_object_get(json_array_get(
	    json_object_get(page.extra, "more_replies"), 0), "comment")),
	    "17850000000000011", "instagram comments: more replies named");
	is_int(run("instagram", "instagram/replies-page2.json",
	    "https://graph.facebook.com/v21.0/17850000000000011/replies"), 0,
	    "instagram replies: maps");
	F(0, "thread.parent_id", "instagram:17850000000000011");
	F(0, "thread.root_id", NULL);	/* the driver's amend() sets it */
	is_int(run("instagram", "instagram/mentioned-comment.json",
	    "https://graph.facebook.com/v21.0/17841400000000001?fields=x"), 0,
	    "instagram mentioned_comment: maps");
	F(0, "id", "instagram:17850000000000301");
	F(0, "thread.root_id", "instagram:17900000000000999");
	F(0, "url", "https://www.instagram.com/p/DA9other99/");
	is_int(run("instagram", "instagram/mentioned-media.json",
	    "https://graph.facebook.com/v21.0/17841400000000001?fields=y"), 0,
	    "instagram mentioned_media: maps");
	F(0, "author.handle", "martin_sk");
	B(0, 0);
	is_int(run("instagram", "instagram/hashtag-search.json",
	    "https://graph.facebook.com/v21.0/ig_hashtag_search?q=lumilo"), 0,
	    "instagram hashtag search: maps");
	is_int(json_array_size(recs), 0, "instagram hashtag search: no record");
	is_str(json_string_value(json_object_get(page.extra, "hashtag_id")),
	    "17843853986012965", "instagram hashtag search: the id");
	is_int(run("instagram", "instagram/error-expired.json", g), -1,
	    "instagram error body: data error");
	is_int(err.code, 3, "instagram error body: code 3");
}

static void
test_inboxes(void)
{
	is_int(run("facebook_inbox", "facebook_inbox/conversations-page1.json",
	    "https://graph.facebook.com/v21.0/102030405060708/conversations"),
	    0, "inbox list: maps");
	is_int(json_array_size(recs), 0, "inbox list: no records");
	is_int(json_integer_value(json_object_get(json_array_get(
	    json_object_get(page.extra, "conversations"), 0), "updated")),
	    1741602600, "inbox list: updated_time (+0000) as epoch");
	is_int(run("facebook_inbox", "facebook_inbox/messages-1.json",
	    "https://graph.facebook.com/v21.0/t_10161117434308001/messages"
	    "?fields=id"), 0, "facebook inbox messages: maps");
	layout_ok("facebook inbox");
	private_layout_ok("facebook inbox");
	is_int(json_array_size(recs), 3, "facebook inbox: 3 messages");
	F(0, "source", "facebook");
	F(0, "id", "facebook:m_AAA3");
	B(0, 1);
	/* the key mention-listen computes from a webhook: page, PSID */
	F(0, "thread.root_id",
	    "facebook:conversation:102030405060708:6200000000000001");
	F(0, "context.community", "102030405060708");
	F(0, "thread.parent_id", NULL);
	F(0, "thread.in_reply_to_author_id", "6200000000000001");
	F(1, "author.name", "Marta Zielińska");
	B(1, 0);
	F(1, "thread.in_reply_to_author_id", NULL);
	F(1, "thread.root_id",
	    "facebook:conversation:102030405060708:6200000000000001");
	F(2, "created_at", "2025-03-10T09:00:00Z");
	is_int(run("instagram_inbox", "instagram_inbox/messages.json",
	    "https://graph.facebook.com/v21.0/aWdfZAG06MTpJR01lc3NhZA2VUaHJlYW"
	    "Q6MTc4NDE0MDAwMDAwMDAwMToxMjM0NQZDZD/messages"), 0,
	    "instagram inbox: maps");
	private_layout_ok("instagram inbox");
	F(0, "source", "instagram");
	F(0, "author.handle", "lumilo.pl");
	B(0, 1);
	F(1, "author.id", "6100000000000001");
	F(0, "thread.root_id",
	    "instagram:conversation:17841400000000001:6100000000000001");
	F(1, "thread.root_id",
	    "instagram:conversation:17841400000000001:6100000000000001");
	/* neither party known as the brand: the Graph conversation id */
	is_int(run_text("instagram_inbox", "{\"data\":[{\"id\":\"m1\","
	    "\"from\":{\"id\":\"61\",\"username\":\"a\"},\"to\":{"
	    "\"data\":[{\"id\":\"62\",\"username\":\"b\"}]}}]}",
	    "https://graph.facebook.com/v21.0/t_9/messages"), 0,
	    "inbox without a known brand: maps");
	F(0, "thread.root_id", "instagram:conversation:t_9");
	F(0, "context.community", NULL);
}

static void
test_x_dm(void)
{
	is_int(run("x_dm", "x_dm/events-page1.json",
	    "https://api.x.com/2/dm_events"), 0, "x dm: maps");
	layout_ok("x dm");
	private_layout_ok("x dm");
	is_int(json_array_size(recs), 3, "x dm: 3 messages");
	F(0, "id", "x:dm:1899100000000000005");
	F(0, "native_id", "1899100000000000005");
	B(0, 1);
	F(0, "text", "Dziękujemy! Wymiana lampki wysłana, numer przesyłki: "
	    "PL123 & instrukcja w mailu");
	F(0, "thread.root_id",
	    "x:dm_conversation:987654321-1500000000000000001");
	F(0, "thread.in_reply_to_author_id", "987654321");
	F(0, "handoff", NULL);
	F(1, "author.handle", "jan_kowalski");
	N(1, "author.followers", 87);
	F(1, "handoff", "x:1899012345678901234");
	cursor_is("x dm: next_token", page.next, "18LAA5FFPEKJA52D");
	is_int(run("x_dm", "x_dm/events-page2.json",
	    "https://api.x.com/2/dm_events?pagination_token=1"), 0,
	    "x dm p2: maps");
	is_int(json_array_size(recs), 1, "x dm p2: the join event skipped");
	cursor_is("x dm p2: no next", page.next, NULL);
	is_int(run_text("x_dm", "{\"meta\":{\"result_count\":0}}",
	    "https://api.x.com/2/dm_events"), 0, "x dm: empty result");
	is_int(run_text("x_dm", "{\"title\":\"Unauthorized\"}",
	    "https://api.x.com/2/dm_events"), -1, "x dm: not a list");
}

static void
test_youtube(void)
{
	is_int(run("youtube", "youtube/threads-page1.json", "u"), 0,
	    "youtube: maps");
	layout_ok("youtube");
	is_int(json_array_size(recs), 4, "youtube: 2 threads, 2 replies");
	F(0, "id", "youtube:UgxAAAAthread1");
	F(0, "kind", "post");
	F(0, "url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=UgxAAAAthread1");
	F(0, "author.handle", "marta_k");
	F(0, "text", "Po aktualizacji lampka nie działa \"offline\" <3 wasza "
	    "aplikacja & ja 😭\npomocy");
	F(0, "updated_at", "2025-03-10T06:55:00Z");
	N(0, "metrics.replies", 2);
	N(0, "metrics.likes", 3);
	F(0, "context.url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
	F(1, "kind", "comment");
	B(1, 1);
	F(1, "thread.parent_id", "youtube:UgxAAAAthread1");
	F(1, "thread.root_id", "youtube:UgxAAAAthread1");
	F(1, "thread.in_reply_to_author_id", "UCcust00000000000000001");
	F(3, "author.name", "Old Style Name");
	F(3, "author.handle", NULL);
	cursor_is("youtube: nextPageToken", page.next, "QURTSl9pM2FhYmJj");
	cursor_is("youtube: newest top-level", page.newest,
	    "2025-03-10T06:52:40Z");
	is_int(run("youtube", "youtube/threads-page2.json", "u"), 0,
	    "youtube p2: maps");
	cursor_is("youtube p2: last", page.next, NULL);
	is_int(run("youtube", "youtube/replies.json", "u"), 0,
	    "youtube replies: maps");
	F(0, "thread.parent_id", "youtube:UgxAAAAthread1");
	is_int(run("youtube", "youtube/error-quota.json", "u"), -1,
	    "youtube: quota error refused");
	is_str(err.msg, "YouTube API error (quotaExceeded): The request cannot "
	    "be completed because you have exceeded your quota.",
	    "youtube: reason named, markup stripped");
	is_int(run("youtube", "youtube/malformed.json", "u"), -1,
	    "youtube: malformed refused");
}

static void
test_google_business(void)
{
	is_int(run("google_business", "google_business/reviews-page1.json",
	    "u"), 0, "google business: maps");
	layout_ok("google business");
	is_int(json_array_size(recs), 3, "google business: 2 reviews + reply");
	F(0, "id", "google_business:AbFvOqn1");
	F(0, "kind", "review");
	N(0, "rating", 2);
	F(0, "created_at", "2025-03-10T08:14:27Z");
	F(0, "updated_at", NULL);
	F(0, "author.name", "Tomasz Zieliński");
	F(1, "id", "google_business:AbFvOqn1#reply");
	F(1, "kind", "comment");
	B(1, 1);
	F(1, "created_at", "2025-03-10T09:02:10Z");
	F(1, "thread.parent_id", "google_business:AbFvOqn1");
	F(1, "thread.root_id", "google_business:AbFvOqn1");
	N(2, "rating", 5);
	F(2, "author.name", NULL);
	F(2, "text", "");
	F(2, "updated_at", "2025-03-10T10:00:00Z");
	cursor_is("google business: nextPageToken", page.next,
	    "CiQxMjM0NTY3ODk");
	cursor_is("google business: newest updateTime", page.newest,
	    "2025-03-10T10:00:00Z");
	is_int(run("google_business", "google_business/reviews-page2.json",
	    "u"), 0, "google business p2: maps");
	N(0, "rating", 1);
	F(1, "rating", NULL);
	cursor_is("google business p2: last", page.next, NULL);
	is_int(run("google_business", "google_business/error-401.json", "u"),
	    -1, "google business: error refused");
	is_int(run("google_business", "google_business/malformed.json", "u"),
	    -1, "google business: malformed refused");
}

/* Every mapper on empty and non-JSON bodies: -1 with code 3, no crash. */
static void
test_garbage(void)
{
	static const char *bodies[] = { "", "null", "[]", "{}", "\"x\"", "42",
	    "<x/>", "{\"data\":[1,2]}" };
	struct mf_map_ctx c;
	size_t nd;
	const struct mf_driver *const *drv = mf_driver_table(&nd);

	memset(&c, 0, sizeof(c));
	/* every driver of the table, so a new source is covered too */
	for (size_t m = 0; m < nd; m++)
		for (size_t b = 0; b < HARK_ARRAY_SIZE(bodies); b++) {
			int rc;

			mf_page_release(&page);
			json_decref(recs);
			recs = json_array();
			memset(&page, 0, sizeof(page));
			page.records = recs;
			memset(&err, 0, sizeof(err));
			rc = drv[m]->map(bodies[b], strlen(bodies[b]), &c,
			    &page, &err);
			if (rc == -1 && (err.code != 3 || err.msg[0] == '\0'))
				ok(0, "%s on '%s': error without code 3 "
				    "or message", drv[m]->type, bodies[b]);
			if (rc == 0 && json_array_size(recs) > 0)
				ok(0, "%s on '%s': records from garbage",
				    drv[m]->type, bodies[b]);
		}
	ok(1, "garbage bodies: no crash, errors are data errors");
}

static void
test_raw(void)
{
	struct mf_map_ctx c;

	memset(&c, 0, sizeof(c));
	c.raw = 1;
	c.request_url = "https://e.x/f";
	load("rss/news-pl.xml");
	mf_page_release(&page);
	json_decref(recs);
	recs = json_array();
	memset(&page, 0, sizeof(page));
	page.records = recs;
	find_mapper("rss")(body, bodylen, &c, &page, &err);
	ok(strncmp(json_string_value(mf_get(rec(0), "raw.xml")), "<item>",
	    6) == 0, "--raw: feeds carry the item's XML");
	load("x/search-page1.json");
	mf_page_release(&page);
	json_decref(recs);
	recs = json_array();
	memset(&page, 0, sizeof(page));
	page.records = recs;
	find_mapper("x")(body, bodylen, &c, &page, &err);
	is_str(mf_str(rec(0), "raw.id"), "1899012345678901250",
	    "--raw: JSON sources carry the item");
}

static void
test_helpers(void)
{
	char *s, b[32];
	json_int_t v;
	json_t *o = json_pack("{s:i,s:f,s:s,s:s,s:{s:s}}", "i", 42, "r",
	    1741593941.0, "s", "17", "e", "", "o", "k", "v");

	s = mf_url_param("https://www.google.com/url?rct=j&url=https://"
	    "a.b/c%3Fd%3D1%26e%3D2&ct=ga", "url");
	is_str(s, "https://a.b/c?d=1&e=2", "url_param: percent-decoded");
	free(s);
	s = mf_url_param("https://x/?q=a+b%2", "q");
	is_str(s, "a b%2", "url_param: '+' and a short escape");
	free(s);
	ok(mf_url_param("https://x/?aurl=1", "url") == NULL,
	    "url_param: no suffix match");
	ok(mf_url_param("https://x/#url=1", "url") == NULL,
	    "url_param: not in the fragment");
	s = mf_url_host("https://user:pw@Mastodon.social:8443/api");
	is_str(s, "Mastodon.social", "url_host: user info and port dropped");
	free(s);
	ok(mf_url_host("not a url") == NULL, "url_host: NULL for junk");
	ok(mf_id_greater("113990000000000300", "99999999999999999"),
	    "id_greater: longer is greater");
	ok(!mf_id_greater("100", "100"), "id_greater: equal");
	ok(mf_int(o, "i", &v) == 0 && v == 42, "mf_int: integer");
	ok(mf_int(o, "r", &v) == 0 && v == 1741593941, "mf_int: real");
	ok(mf_int(o, "s", &v) == 0 && v == 17, "mf_int: decimal string");
	ok(mf_int(o, "e", &v) == -1, "mf_int: empty string");
	ok(mf_str(o, "e") == NULL, "mf_str: empty is NULL");
	is_str(mf_str(o, "o.k"), "v", "mf_str: dotted path");
	is_str(mf_idstr(o, "i", b), "42", "mf_idstr: integer");
	json_decref(o);
}

static void
run_cases(void)
{
	test_helpers();
	test_feed();
	test_x();
	test_reddit();
	test_hackernews();
	test_mastodon();
	test_bluesky();
	test_facebook();
	test_instagram();
	test_inboxes();
	test_x_dm();
	test_extras();
	test_youtube();
	test_google_business();
	test_garbage();
	test_raw();
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "dump") == 0)
		return dump(argc, argv);
	run_cases();
	mf_page_release(&page);
	json_decref(recs);
	return tap_done();
}
