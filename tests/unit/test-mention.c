/*
 * test-mention.c - lib/mention: the schema-v1 record layout and setters.
 */
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "htime.h"
#include "mention.h"
#include "tap.h"
#include "json.h"

static char dump[8192];

static const char *
compact(const json_t *j)
{
	char *s = hark_json_dumps(j, JSON_COMPACT);

	snprintf(dump, sizeof(dump), "%s", s != NULL ? s : "(null)");
	free(s);
	return dump;
}

int
main(void)
{
	const char *brands[] = { "lumilocare", "1500000000000000001",
	    "lumilo@mastodon.social" };
	struct hark_err err = HARK_ERR_INIT;
	json_t *r;
	hark_time_t t;

	hark_time_parse_rfc3339("2025-03-03T12:00:00Z", &t, NULL);
	r = hark_mention_new("x", "lumilo-pl", t);
	is_str(compact(r), "{\"v\":1,\"source\":\"x\",\"id\":null,"
	    "\"native_id\":null,\"kind\":null,\"url\":null,"
	    "\"created_at\":null,\"updated_at\":null,\"author\":{\"id\":null,"
	    "\"handle\":null,\"name\":null,\"url\":null,\"followers\":null,"
	    "\"is_brand\":false},\"title\":null,\"text\":\"\",\"html\":null,"
	    "\"lang\":null,\"thread\":{\"root_id\":null,\"parent_id\":null,"
	    "\"in_reply_to_author_id\":null},\"context\":{\"community\":null,"
	    "\"title\":null,\"url\":null},\"metrics\":{\"likes\":null,"
	    "\"reposts\":null,\"replies\":null,\"quotes\":null,\"score\":null,"
	    "\"views\":null},\"rating\":null,\"query\":\"lumilo-pl\","
	    "\"fetched_at\":\"2025-03-03T12:00:00Z\"}",
	    "new record: every key, documented order, nulls");

	is_int(hark_mention_set_id(r, "1899"), 0, "set id");
	is_str(hark_mention_get_str(r, "id"), "x:1899", "id is source:native");
	is_str(hark_mention_get_str(r, "native_id"), "1899", "native_id");
	is_int(hark_mention_set_id(r, ""), -1, "empty native id refused");
	is_int(hark_mention_set_str(r, "author.handle", "LumiloCare"), 0,
	    "set nested");
	is_int(hark_mention_set_str(r, "author.nosuch", "x"), -1,
	    "unknown nested key refused");
	is_int(hark_mention_set_str(r, "nosuch", "x"), -1,
	    "unknown key refused");
	is_int(hark_mention_set_str(r, "author", "x"), -1,
	    "an object member cannot be overwritten");
	ok(json_object_get(r, "nosuch") == NULL, "no key added");
	is_int(hark_mention_set_str(r, "title", ""), 0, "empty string ok");
	ok(json_is_null(json_object_get(r, "title")), "empty string -> null");
	hark_mention_set_strn(r, "title", "a\xff" "b\0c", 5);
	is_str(hark_mention_get_str(r, "title"), "a\xef\xbf\xbd" "bc",
	    "invalid UTF-8 repaired, NUL dropped");

	is_int(hark_mention_set_time_str(r, "created_at",
	    "2025-03-10T08:05:41.123+01:00", &err), 0, "time with offset");
	is_str(hark_mention_get_str(r, "created_at"), "2025-03-10T07:05:41Z",
	    "converted to UTC, fraction dropped");
	hark_mention_set_time_str(r, "created_at",
	    "Mon, 10 Mar 2025 09:30:00 +0100", &err);
	is_str(hark_mention_get_str(r, "created_at"), "2025-03-10T08:30:00Z",
	    "RFC 2822");
	hark_mention_set_time_str(r, "created_at", "2025-03-10T08:07:12+0000",
	    &err);
	is_str(hark_mention_get_str(r, "created_at"), "2025-03-10T08:07:12Z",
	    "Facebook's offset without colon");
	is_int(hark_mention_set_time_str(r, "created_at", "yesterday", &err),
	    -1, "bad time refused");
	ok(err.msg[0] != '\0', "with a message");
	is_str(hark_mention_get_str(r, "created_at"), "2025-03-10T08:07:12Z",
	    "bad time leaves the member");

	hark_mention_set_lang(r, "und");
	ok(json_is_null(json_object_get(r, "lang")), "und -> null");
	hark_mention_set_lang(r, "qme");
	ok(json_is_null(json_object_get(r, "lang")), "qme -> null");
	hark_mention_set_lang(r, "pl-PL");
	is_str(hark_mention_get_str(r, "lang"), "pl-PL", "lang kept as given");

	{
		const char *h = "<p>Nie dzia&#322;a &amp; &hellip;</p>"
		    "<p>\xf0\x9f\x98\xa1</p>";

		hark_mention_set_html(r, h, strlen(h));
	}
	is_str(hark_mention_get_str(r, "text"), "Nie działa & …\n😡",
	    "html -> text");
	is_str(hark_mention_get_str(r, "html"), "<p>Nie dzia&#322;a &amp; "
	    "&hellip;</p><p>\xf0\x9f\x98\xa1</p>", "html kept as given");
	hark_mention_set_text(r, "a &amp;  b\n\nc", 13, HARK_MENTION_UNESCAPE);
	is_str(hark_mention_get_str(r, "text"), "a & b\nc", "unescaped text");
	hark_mention_set_text(r, "a &amp; b", 9, 0);
	is_str(hark_mention_get_str(r, "text"), "a &amp; b",
	    "plain text keeps '&amp;'");
	hark_mention_set_text(r, NULL, 0, 0);
	is_str(hark_mention_get_str(r, "text"), "", "no text -> \"\"");

	hark_mention_set_int(r, "metrics.likes", 4);
	is_int(json_integer_value(json_object_get(json_object_get(r,
	    "metrics"), "likes")), 4, "metrics int");

	/* brands */
	ok(hark_mention_brand_match(brands, 3, NULL, "@LumiloCare"),
	    "handle with '@', other case");
	ok(hark_mention_brand_match(brands, 3, "1500000000000000001", NULL),
	    "id");
	ok(hark_mention_brand_match(brands, 3, NULL,
	    "Lumilo@Mastodon.Social"), "qualified handle");
	ok(!hark_mention_brand_match(brands, 3, NULL, "lumilo@evil.example"),
	    "other instance is not the brand");
	ok(!hark_mention_brand_match(brands, 3, NULL, "lumilocare2"),
	    "no prefix match");
	ok(!hark_mention_brand_match(brands, 0, "x", "y"), "no brands");
	hark_mention_set_brand(r, brands, 3);
	ok(json_is_true(json_object_get(json_object_get(r, "author"),
	    "is_brand")), "set_brand from the record");
	hark_mention_set_str(r, "author.handle", "someone");
	hark_mention_set_brand(r, brands, 3);
	ok(json_is_false(json_object_get(json_object_get(r, "author"),
	    "is_brand")), "set_brand false");

	hark_mention_set_raw(r, json_pack("{s:i}", "a", 1));
	ok(json_object_get(r, "raw") != NULL, "raw appended");
	is_int(hark_mention_set_str(r, "raw", "x"), -1,
	    "raw is not a settable key");
	json_decref(r);

	r = hark_mention_new("rss", NULL, 0);
	ok(json_is_null(json_object_get(r, "query")), "NULL query -> null");
	is_str(hark_mention_get_str(r, "fetched_at"), "1970-01-01T00:00:00Z",
	    "fetched_at formatted");
	json_decref(r);
	/* the record's own time */
	{
		struct hark_err e = HARK_ERR_INIT;
		hark_time_t t = 0;

		r = json_pack("{s:n,s:s}", "created_at", "fetched_at",
		    "2025-03-01T10:00:00+01:00");
		is_int(hark_mention_time(r, &t, &e), 1, "time: null "
		    "created_at, fetched_at read");
		is_int((long long)t, 1740819600, "time: offset applied");
		json_object_set_new(r, "created_at",
		    json_string("Sat Mar 01 08:00:00 +0000 2025"));
		is_int(hark_mention_time(r, &t, &e), 1, "time: created_at "
		    "first");
		is_int((long long)t, 1740816000, "time: Twitter's form");
		json_object_set_new(r, "created_at", json_string("yesterday"));
		is_int(hark_mention_time(r, &t, &e), -1, "time: bad "
		    "created_at is an error, fetched_at not tried");
		is_int(e.code, HARK_EXIT_DATA, "time: a data error");
		is_str(e.msg, "created_at 'yesterday' is not a time",
		    "time: the message names the member");
		json_object_set_new(r, "created_at", json_integer(5));
		is_int(hark_mention_time(r, &t, &e), -1, "time: a number");
		is_str(e.msg, "created_at '(not a string)' is not a time",
		    "time: not a string");
		json_decref(r);
		r = json_object();
		t = 42;
		is_int(hark_mention_time(r, &t, &e), 0, "time: none");
		is_int((long long)t, 42, "time: none leaves T");
		json_decref(r);
	}
	return tap_done();
}
