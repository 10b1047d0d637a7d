/* test-core.c - unit tests for err, buf, config, htime, text, ndjson. */
#include <unistd.h>
#include "hark.h"
#include "err.h"
#include "buf.h"
#include "config.h"
#include "htime.h"
#include "text.h"
#include "utf8.h"
#include "io.h"
#include "ndjson.h"
#include "xdg.h"
#include "tap.h"

static void
test_exit_merge(void)
{
	is_int(hark_exit_merge(0, 3), 3, "merge 0,3");
	is_int(hark_exit_merge(3, 1), 1, "merge 3,1 -> failure wins");
	is_int(hark_exit_merge(4, 3), 4, "merge tempfail over data");
	is_int(hark_exit_merge(1, 4), 1, "merge failure over tempfail");
	is_int(hark_exit_merge(5, 3), 3, "merge data over check");
	is_int(hark_exit_merge(3, 5), 3, "merge data over check, reversed");
	is_int(hark_exit_merge(0, 5), 5, "merge 0,5");
}

static void
test_sanitize(void)
{
	char out[16];

	is_str(hark_sanitize(out, sizeof(out), "a\tb\x1b[31m", 8), "a?b?[31m",
	    "control characters replaced");
	is_str(hark_sanitize(out, sizeof(out), "0123456789abcdefghij", 20),
	    "0123456789ab...", "long text cut");
	is_str(hark_sanitize(out, sizeof(out), "z\xc5\x82" "e\xff", 5),
	    "z\xc5\x82" "e?", "UTF-8 kept, invalid byte replaced");
	/* a C1 control (U+0085) is a control, its bytes replaced; U+00A0
	 * is kept; an overlong '/' and a surrogate are not UTF-8 */
	is_str(hark_sanitize(out, sizeof(out), "a\xc2\x85" "b\xc2\xa0", 6),
	    "a??b\xc2\xa0", "C1 control replaced, U+00A0 kept");
	is_str(hark_sanitize(out, sizeof(out), "\xc0\xaf" "x\xed\xa0\x80", 6),
	    "??x???", "overlong and surrogate bytes replaced");
}

static void
test_buf(void)
{
	struct hark_buf b = HARK_BUF_INIT(8);
	char *s;
	size_t n;

	is_int(hark_buf_addstr(&b, "abcd"), 0, "buf add");
	is_int(hark_buf_addf(&b, "%d", 1234), 0, "buf addf to the limit");
	is_int(hark_buf_addch(&b, 'x'), -1, "buf refuses past max");
	is_int(b.len, 8, "buf length unchanged by refusal");
	is_str(hark_buf_str(&b), "abcd1234", "buf contents");
	s = hark_buf_detach(&b, &n);
	is_str(s, "abcd1234", "detach");
	is_int(n, 8, "detach length");
	is_int(b.len, 0, "detached buffer empty");
	free(s);
	hark_buf_release(&b);
}

static void
test_config(void)
{
	static const char text[] =
	    "\xef\xbb\xbf# comment\n"
	    "[defaults]\n"
	    "Zone = Europe/Warsaw\n"
	    "[source \"acme x\"]\r\n"
	    "type = x ; trailing comment\n"
	    "brand = acme\n"
	    "brand = acme_help\n"
	    "when = lang == \"pl\" and \\\n"
	    "       text ~ \"zwrot\"\n"
	    "quoted = \"  a \\\"b\\\" # not a comment \"\n";
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_err err = HARK_ERR_INIT;
	const struct hark_config_section *s;
	const struct hark_config_entry *e;
	long d;
	int b;

	is_int(hark_config_parse(&cfg, "t.conf", text, sizeof(text) - 1,
	    &err), 0, "config parses");
	is_int(cfg.nsections, 2, "two sections");
	s = hark_config_find(&cfg, "defaults", NULL);
	is_str(hark_config_get(s, "zone"), "Europe/Warsaw",
	    "keys are case-insensitive");
	s = hark_config_find(&cfg, "source", "acme x");
	ok(s != NULL, "named section found");
	is_str(hark_config_get(s, "type"), "x", "trailing comment stripped");
	is_str(hark_config_get(s, "brand"), "acme_help", "get: last value");
	e = hark_config_next(s, "brand", NULL);
	is_str(e ? e->value : NULL, "acme", "next: first value");
	is_int(e ? e->line : 0, 6, "entry line");
	is_int(e ? e->column : 0, 9, "entry value column");
	is_int(e ? e->key_column : 0, 1, "entry key column");
	is_str(hark_config_get(s, "when"),
	    "lang == \"pl\" and  text ~ \"zwrot\"", "continuation joined");
	e = hark_config_next(s, "when", NULL);
	{
		long l = 0, c = 0;

		hark_config_position(e, 1, 3, &l, &c);
		ok(l == 8 && c == 10, "value position on the first line (%ld:%ld)",
		    l, c);
		hark_config_position(e, 1, 19, &l, &c);
		ok(l == 9 && c == 8, "value position on a continued line "
		    "(%ld:%ld)", l, c);
	}
	is_str(hark_config_get(s, "quoted"), "  a \"b\" # not a comment ",
	    "quoted value");
	hark_config_release(&cfg);

	is_int(hark_config_parse(&cfg, "bad", "[x]\nkey value\n", 14, &err),
	    -1, "missing '=' is an error");
	is_int(err.line, 2, "error line");
	is_int(err.column, 5, "error column");
	hark_config_release(&cfg);
	is_int(hark_config_parse(&cfg, "bad", "k = v\n", 6, &err), -1,
	    "key outside section");
	hark_config_release(&cfg);
	is_int(hark_config_parse(&cfg, "bad", "[s \"x]\n", 7, &err), -1,
	    "unterminated section name");
	hark_config_release(&cfg);

	{
		const char *cur = " Anna K, ,Jan ,", *it;
		size_t n;

		it = hark_config_item(&cur, 0, &n);
		ok(it && n == 6 && memcmp(it, "Anna K", 6) == 0,
		    "list item keeps inner blanks");
		it = hark_config_item(&cur, 0, &n);
		ok(it && n == 3 && memcmp(it, "Jan", 3) == 0,
		    "empty items skipped, blanks trimmed");
		ok(hark_config_item(&cur, 0, &n) == NULL, "list ends");
		cur = "a b,c";
		it = hark_config_item(&cur, 1, &n);
		ok(it && n == 1 && *it == 'a', "blanks separate when asked");
		it = hark_config_item(&cur, 1, &n);
		ok(it && n == 1 && *it == 'b', "second blank-separated item");
	}
	is_int(hark_config_duration("1h30m", &d, &err), 0, "duration parses");
	is_int(d, 5400, "1h30m = 5400 s");
	is_int(hark_config_duration("4x", &d, &err), -1, "bad duration unit");
	is_int(hark_config_bool("Yes", &b, &err), 0, "bool yes");
	is_int(b, 1, "bool value");
}

static void
test_time(void)
{
	hark_time_t t;
	char buf[HARK_TIME_BUFSZ];
	struct hark_err err;
	struct hark_civil c;

	is_int(hark_time_parse_rfc3339("2025-03-01T10:00:00Z", &t, &err), 0,
	    "rfc3339 Z");
	is_str(hark_time_format(t, buf), "2025-03-01T10:00:00Z", "format");
	{
		/* the hand-written digits agree with printf's over the
		 * years, and years outside 0-9999 still format */
		char want[64];
		struct hark_civil cv;
		hark_time_t u;
		int bad = 0;

		for (u = -62135596800LL; u < 253402300800LL;
		    u += 86400LL * 3653 + 3723) {
			hark_time_to_civil(u, &cv);
			snprintf(want, sizeof(want),
			    "%04d-%02d-%02dT%02d:%02d:%02dZ", cv.year,
			    cv.month, cv.day, cv.hour, cv.min, cv.sec);
			bad += strcmp(hark_time_format(u, buf), want) != 0;
		}
		is_int(bad, 0, "format: years 1-9999 as printf writes them");
		ok(strncmp(hark_time_format(253402300800LL, buf), "10000-",
		    6) == 0, "format: year 10000 ('%s')", buf);
	}
	is_int(hark_time_parse_rfc3339("2025-03-30T03:15:00.123+02:00", &t,
	    &err), 0, "rfc3339 offset, fraction");
	is_str(hark_time_format(t, buf), "2025-03-30T01:15:00Z",
	    "offset applied");
	is_int(hark_time_parse_rfc3339("2024-02-30T00:00:00Z", &t, &err), -1,
	    "invalid day rejected");
	is_int(hark_time_parse_rfc3339("2025-03-01T10:00:00", &t, &err), -1,
	    "missing zone rejected");
	is_int(hark_time_parse_rfc2822("Sat, 01 Mar 2025 10:00:00 +0100", &t,
	    &err), 0, "rfc2822");
	is_str(hark_time_format(t, buf), "2025-03-01T09:00:00Z", "rfc2822 UTC");
	is_int(hark_time_parse_rfc2822("1 Mar 2025 10:00 GMT", &t, &err), 0,
	    "rfc2822 without weekday and seconds");
	is_int(hark_time_parse_twitter("Tue Oct 31 22:10:47 +0000 2017", &t,
	    &err), 0, "twitter date");
	is_str(hark_time_format(t, buf), "2017-10-31T22:10:47Z",
	    "twitter date value");
	is_int(hark_time_parse_any("1700000000", &t, &err), 0, "epoch");
	is_str(hark_time_format(t, buf), "2023-11-14T22:13:20Z", "epoch value");
	is_int(hark_time_parse_any("-9223372036854775807", &t, &err), -1,
	    "an epoch before year 1 is an error");
	is_int(hark_time_parse_any("253402300800", &t, &err), -1,
	    "an epoch after year 9999 is an error");
	is_int(hark_time_parse_any("@-62135596801.5", &t, &err), -1,
	    "with a fraction too");
	ok(hark_time_parse_any("-62135596800", &t, &err) == 0 &&
	    t == HARK_TIME_MIN && hark_time_parse_any("253402300799", &t,
	    &err) == 0 && t == HARK_TIME_MAX, "years 1 and 9999 are times");
	is_str(hark_time_format(t, buf), "9999-12-31T23:59:59Z",
	    "the last second");
	is_int(hark_time_parse_any("1960-01-01T00:00:00Z", &t, &err), 0,
	    "before the epoch");
	is_int(t, -315619200, "negative time");
	hark_time_to_civil(-1, &c);
	is_int(c.year * 10000 + c.month * 100 + c.day, 19691231,
	    "civil of -1");
	is_int(c.wday, 3, "1969-12-31 was a Wednesday");
	setenv("HARK_NOW", "2025-03-03T12:00:00Z", 1);
	is_int(hark_now(&t, &err), 0, "HARK_NOW");
	is_str(hark_time_format(t, buf), "2025-03-03T12:00:00Z", "now value");
	setenv("HARK_NOW", "yesterday", 1);
	is_int(hark_now(&t, &err), -1, "bad HARK_NOW");
	unsetenv("HARK_NOW");
}

static void
fold_is(const char *in, const char *want, const char *name)
{
	struct hark_buf b = HARK_BUF_INIT(1024);

	hark_text_fold(in, strlen(in), &b);
	is_str(hark_buf_str(&b), want, "fold %s", name);
	hark_buf_release(&b);
}

/* hark_utf8_valid(): RFC 3629 (PCRE2's and jansson's rules), at every
 * offset from an 8-byte boundary. */
static void
test_utf8_valid(void)
{
	static const struct { const char *s; size_t n; int valid; } cases[] = {
		{ "", 0, 1 }, { "plain ascii text", 16, 1 },
		{ "a\0b", 3, 1 },				/* NUL */
		{ "\xc5\xbc\xc3\xb3\xc5\x82w", 7, 1 },	/* żółw */
		{ "\xe2\x82\xac", 3, 1 },			/* U+20AC */
		{ "\xf0\x9f\x98\xa1", 4, 1 },		/* U+1F621 */
		{ "\xf4\x8f\xbf\xbf", 4, 1 },		/* U+10FFFF */
		{ "\xed\x9f\xbf", 3, 1 },			/* U+D7FF */
		{ "\xff", 1, 0 }, { "\x80", 1, 0 },
		{ "\xc0\xaf", 2, 0 }, { "\xc1\xbf", 2, 0 },	/* overlong */
		{ "\xe0\x9f\xbf", 3, 0 },			/* overlong */
		{ "\xf0\x8f\xbf\xbf", 4, 0 },		/* overlong */
		{ "\xed\xa0\x80", 3, 0 },			/* U+D800 */
		{ "\xf4\x90\x80\x80", 4, 0 },		/* > U+10FFFF */
		{ "\xf8\x88\x80\x80\x80", 5, 0 },		/* 5 bytes */
		{ "\xc5", 1, 0 }, { "\xe2\x82", 2, 0 },	/* cut short */
		{ "\xc5\x41", 2, 0 },				/* bad tail */
	};
	char buf[64];
	size_t i, pad, bad = 0;

	for (i = 0; i < HARK_ARRAY_SIZE(cases); i++)
		for (pad = 0; pad < 10; pad++) {	/* ASCII before */
			memset(buf, 'x', pad);
			memcpy(buf + pad, cases[i].s, cases[i].n);
			memcpy(buf + pad + cases[i].n, "tail", 4);
			if (hark_utf8_valid(buf, pad + cases[i].n + 4) !=
			    cases[i].valid && bad++ < 3)
				printf("# case %zu after %zu bytes\n", i, pad);
			/* and at the very end */
			if (hark_utf8_valid(buf, pad + cases[i].n) !=
			    cases[i].valid && bad++ < 3)
				printf("# case %zu at the end after %zu "
				    "bytes\n", i, pad);
		}
	ok(bad == 0, "hark_utf8_valid: %zu cases, each after 0 to 9 ASCII "
	    "bytes (%zu wrong)", HARK_ARRAY_SIZE(cases), bad);
}

static void
test_text(void)
{
	struct hark_buf b = HARK_BUF_INIT(1024);
	const char *hay = "zasilka neprisla, nie dziala! nefunguje";

	fold_is("Nie DZIAŁA", "nie dziala", "polish l-stroke and case");
	fold_is("Zásilka nepřišla", "zasilka neprisla", "czech");
	fold_is("ŻÓŁW Ęą", "zolw ea", "polish capitals");
	fold_is("Straße", "strasse", "sharp s");
	fold_is("ﬁne", "fine", "compatibility ligature");
	fold_is("😡 ok", "😡 ok", "emoji kept");
	fold_is("a\xffz", "a\xef\xbf\xbdz", "invalid byte -> U+FFFD");
	hark_text_nfc("e\xcc\x81", 3, &b);
	is_str(hark_buf_str(&b), "\xc3\xa9", "NFC composes");
	hark_buf_release(&b);
	ok(hark_text_find_word(hay, strlen(hay), "dziala", 6, 0) == 22,
	    "word found");
	ok(hark_text_find_word(hay, strlen(hay), "dzial", 5, 0) < 0,
	    "partial word not found");
	ok(hark_text_find_word(hay, strlen(hay), "dzial", 5,
	    HARK_TEXT_PREFIX) == 22, "prefix match");
	ok(hark_text_find_word(hay, strlen(hay), "prisla", 6,
	    HARK_TEXT_PREFIX) < 0, "prefix must start a word");
	ok(hark_text_find_word(hay, strlen(hay), "zasilka neprisla", 16, 0)
	    == 0, "phrase");
	ok(hark_text_find_word("a :) b", 6, ":)", 2, 0) == 2,
	    "non-word needle needs no boundary");
}

static void
splice_is(const char *line, json_t *add, const char *want, const char *name)
{
	struct hark_buf b = HARK_BUF_INIT(4096);

	is_int(hark_ndjson_splice(&b, line, strlen(line), add, 0), 0,
	    "splice %s", name);
	is_str(hark_buf_str(&b), want, "splice %s output", name);
	hark_buf_release(&b);
}

static void
test_ndjson(void)
{
	json_t *add = json_pack("{s:{s:f}}", "s", "score", 0.25);
	json_t *rec;
	struct hark_err err;

	splice_is("{\"b\": 1,  \"a\":\"x\"}", add,
	    "{\"b\": 1,  \"a\":\"x\",\"s\":{\"score\":0.25}}", "append keeps bytes");
	splice_is("{}", add, "{\"s\":{\"score\":0.25}}", "empty object");
	splice_is(" { } ", add, "{\"s\":{\"score\":0.25}}", "blank object");
	splice_is("{\"s\":{\"score\":1},\"t\":\"}\\\"{\"}", add,
	    "{\"t\":\"}\\\"{\",\"s\":{\"score\":0.25}}", "replace existing");
	splice_is("{\"a\":[1,{\"s\":2}],\"\\u0073\":null}", add,
	    "{\"a\":[1,{\"s\":2}],\"s\":{\"score\":0.25}}",
	    "escaped key replaced, nested untouched");
	is_int(hark_ndjson_parse("[1]", 3, &rec, &err), -1, "array rejected");
	is_str(err.msg, "record is not a JSON object", "array message");
	is_int(hark_ndjson_parse("{\"a\":}", 6, &rec, &err), -1,
	    "bad JSON rejected");
	ok(strncmp(err.msg, "invalid JSON: ", 14) == 0, "bad JSON message: %s",
	    err.msg);
	json_decref(add);

	/* builders for report records */
	rec = hark_json_str_or_null(NULL);
	ok(json_is_null(rec), "str_or_null: NULL is null");
	json_decref(rec);
	rec = hark_json_str_or_null("");
	is_str(json_string_value(rec), "", "str_or_null: \"\" stays a string");
	json_decref(rec);
	rec = hark_json_ratio(-1);
	ok(json_is_null(rec), "ratio: negative is null (not measured)");
	json_decref(rec);
	rec = hark_json_ratio(2.0 / 3);
	ok(json_real_value(rec) == 0.6667, "ratio: 4 decimals");
	json_decref(rec);
	rec = hark_json_ratio(0);
	ok(json_is_real(rec) && json_real_value(rec) == 0, "ratio: 0 is 0.0");
	json_decref(rec);
}

static void
test_reader(void)
{
	char path[] = "/tmp/hark-test-reader.XXXXXX";
	int fd = mkstemp(path);
	static const char data[] =
	    "\xef\xbb\xbf{\"a\":1}\r\n\n   \n{\"b\":2}\n0123456789012345678901\n"
	    "{\"c\":3}";
	struct hark_input in;
	struct hark_reader r;
	struct hark_err err;
	const char *line;
	size_t len;

	ok(write(fd, data, sizeof(data) - 1) == (ssize_t)sizeof(data) - 1,
	    "fixture written");
	close(fd);
	is_int(hark_input_open(&in, path, &err), 0, "input opens");
	hark_reader_init(&r, &in, NULL, 16);
	is_int(hark_reader_next(&r, &line, &len, &err), HARK_READ_LINE,
	    "first line");
	ok(len == 7 && memcmp(line, "{\"a\":1}", 7) == 0, "BOM and CR gone");
	is_int(r.lineno, 1, "line 1");
	is_int(hark_reader_next(&r, &line, &len, &err), HARK_READ_LINE,
	    "blank lines skipped");
	is_int(r.lineno, 4, "line 4");
	is_int(hark_reader_next(&r, &line, &len, &err), HARK_READ_TOOLONG,
	    "over-long line");
	is_int(r.lineno, 5, "too long at line 5");
	is_int(hark_reader_next(&r, &line, &len, &err), HARK_READ_LINE,
	    "line without newline at end");
	ok(len == 7 && memcmp(line, "{\"c\":3}", 7) == 0, "last line");
	is_int(hark_reader_next(&r, &line, &len, &err), HARK_READ_EOF, "eof");
	hark_reader_release(&r);
	hark_input_close(&in);
	unlink(path);
}

static void
test_xdg(void)
{
	char *p;

	setenv("XDG_STATE_HOME", "relative/path", 1);
	setenv("HOME", "/home/u", 1);
	p = hark_xdg_path(HARK_XDG_STATE, "fetch");
	is_str(p, "/home/u/.local/state/hark/fetch", "relative XDG ignored");
	free(p);
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	p = hark_xdg_path(HARK_XDG_CONFIG, "config");
	is_str(p, "/cfg/hark/config", "XDG_CONFIG_HOME");
	free(p);
}

int
main(void)
{
	test_exit_merge();
	test_sanitize();
	test_buf();
	test_config();
	test_time();
	test_text();
	test_utf8_valid();
	test_ndjson();
	test_reader();
	test_xdg();
	{
		static const struct { int64_t s; const char *want; } d[] = {
			{ -1, "-" }, { 0, "0s" }, { 45, "45s" }, { 60, "1m" },
			{ 750, "12m30s" }, { 3600, "1h00m" }, { 14700, "4h05m" },
			{ 86399, "23h59m" }, { 183600, "2d03h" },
			{ 8640000000, "100000d00h" }
		};
		char b[32];
		size_t k;

		for (k = 0; k < sizeof(d) / sizeof(d[0]); k++)
			is_str(hark_duration_format(d[k].s, b, sizeof(b)),
			    d[k].want, "duration %lld", (long long)d[k].s);
	}
	return tap_done();
}
