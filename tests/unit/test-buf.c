/* test-buf.c - unit tests for lib/buf: limits and the JSON writer. */
#include <jansson.h>
#include <math.h>
#include "buf.h"
#include "tap.h"

/* hark_buf_add_json(V) must equal json_dumpb(V) with the same flags. */
static void
same_as_jansson(json_t *v, size_t flags, const char *what)
{
	struct hark_buf b = HARK_BUF_INIT(1u << 20);
	char want[4096];
	size_t n = json_dumpb(v, want, sizeof(want), (flags ? flags :
	    JSON_COMPACT | JSON_REAL_PRECISION(6)) | JSON_ENCODE_ANY);

	ok(n > 0 && n < sizeof(want), "%s: jansson dumps it", what);
	want[n < sizeof(want) ? n : 0] = '\0';
	is_int(hark_buf_add_json(&b, v, flags), 0, "%s: written", what);
	is_str(hark_buf_str(&b), want, "%s: byte for byte", what);
	hark_buf_release(&b);
	json_decref(v);
}

static void
test_json(void)
{
	json_t *deep = json_array(), *o;
	char ctl[40];
	int i;

	for (i = 0; i < 32; i++)
		ctl[i] = (char)(i + 1);
	ctl[31] = '\0';
	same_as_jansson(json_null(), 0, "null");
	same_as_jansson(json_true(), 0, "true");
	same_as_jansson(json_integer(-9223372036854775807LL - 1), 0,
	    "smallest integer");
	same_as_jansson(json_real(0.1), 0, "real");
	same_as_jansson(json_real(1e300), 0, "big real");
	same_as_jansson(json_string("plain ascii"), 0, "string");
	same_as_jansson(json_string("quote \" back \\ slash / tab\t"), 0,
	    "escapes");
	same_as_jansson(json_string(ctl), 0, "control characters");
	same_as_jansson(json_stringn("nul\0inside", 10), 0, "NUL inside");
	same_as_jansson(json_string("zażółć gęślą jaźń 😡 \xe2\x80\xa8"), 0,
	    "UTF-8, U+2028");
	same_as_jansson(json_array(), 0, "empty array");
	same_as_jansson(json_object(), 0, "empty object");
	same_as_jansson(json_pack("{s:s,s:[i,f,n,b],s:{s:{}},s:s}", "a\"k",
	    "v", "list", 1, -2.5, 0, "inner", "x\ny", "z", "\x1f"), 0,
	    "nested, keys escaped, insertion order");
	o = deep;
	for (i = 0; i < 100; i++) {
		json_t *k = json_array();

		json_array_append_new(o, k);
		o = k;
	}
	same_as_jansson(deep, 0, "deeper than the fast path");
	same_as_jansson(json_pack("{s:i,s:f}", "b", 1, "a", 0.5),
	    JSON_SORT_KEYS | JSON_COMPACT, "other flags: jansson's");
	same_as_jansson(json_pack("[i,s]", 1, "x"), JSON_INDENT(2),
	    "indented: jansson's");
}

/* Strings are scanned eight bytes at a time for bytes to escape: each
 * such byte at every offset of a longer string, after plain ASCII and
 * after UTF-8. */
static void
test_json_offsets(void)
{
	static const char esc[] = { 0x01, 0x1f, '"', '\\', '\n', 0x7f, '/' };
	static const char *const fill[] = { "abcdefghijklmnopqrstuvwxyz",
	    "\xc5\xbc\xc3\xb3\xc5\x82w \xc5\x82\xc3\xb3" "d\xc5\xba \xc4\x8d"
	    "abcdefgh" };
	size_t e, f, n;

	for (f = 0; f < 2; f++)
		for (e = 0; e < sizeof(esc); e++)
			for (n = 0; n <= 18; n++) {
				char str[64], what[64];
				size_t len;
				json_t *v;

				memcpy(str, fill[f], n);
				str[n] = esc[e];
				memcpy(str + n + 1, fill[f], n);
				len = 2 * n + 1;
				if ((v = json_stringn(str, len)) == NULL)
					continue;	/* split a character */
				snprintf(what, sizeof(what), "byte %#x at "
				    "%zu of fill %zu", (unsigned)esc[e], n, f);
				same_as_jansson(v, 0, what);
			}
}

/* Does hark_buf_add_json(V) give json_dumpb's bytes?  (0 or 1, no TAP
 * line; for loops over many values.)  Takes V. */
static int
matches_jansson(json_t *v, char *got, size_t gotsz)
{
	struct hark_buf b = HARK_BUF_INIT(1u << 20);
	char want[4096];
	size_t n = json_dumpb(v, want, sizeof(want), JSON_COMPACT |
	    JSON_REAL_PRECISION(6) | JSON_ENCODE_ANY);
	int same;

	want[n < sizeof(want) ? n : 0] = '\0';
	same = n > 0 && hark_buf_add_json(&b, v, 0) == 0 &&
	    strcmp(hark_buf_str(&b), want) == 0;
	snprintf(got, gotsz, "%s, jansson %s", hark_buf_str(&b), want);
	hark_buf_release(&b);
	json_decref(v);
	return same;
}

/* Reals: the fast path for k / 10^4 (every k up to 2 * 10^4 either way,
 * 20000 others up to 10^6, their neighbouring doubles) and the values
 * around its bounds, each as jansson writes it. */
static void
test_json_reals(void)
{
	static const double edge[] = { 0.0, -0.0, 1e-4, -1e-4, 9.9999e-5,
	    0.99995e-4, 1.00005e-4, 99.9999, -99.9999, 99.99995, 100.0, 1e2,
	    0.1, 0.2, 0.30000000000000004, 1.0 / 3, 2.0 / 3, 0.5, 1.0, -1.0,
	    10.0, 42.0, 12.3456, 12.34565, 0.0005, 0.00050000001, 5e-5,
	    1e300, -1e-300, 4.9406564584124654e-324, 123456.0 };
	char got[128], first[160] = "";
	size_t i, bad = 0, tried = 0;
	long k;
	unsigned long r = 12345;

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++, tried++)
		if (!matches_jansson(json_real(edge[i]), got, sizeof(got)) &&
		    bad++ == 0)
			snprintf(first, sizeof(first), "%.17g: %s", edge[i],
			    got);
	for (k = -20000; k <= 20000; k++, tried++)
		if (!matches_jansson(json_real((double)k / 1e4), got,
		    sizeof(got)) && bad++ == 0)
			snprintf(first, sizeof(first), "%ld/1e4: %s", k, got);
	for (i = 0; i < 20000; i++) {
		double v;
		int j;

		r = r * 6364136223846793005UL + 1442695040888963407UL;
		v = (double)((r >> 33) % 1000000) / 1e4;
		for (j = -1; j <= 1; j++, tried++) {
			double w = j < 0 ? nextafter(v, -1) : j > 0 ?
			    nextafter(v, 1e9) : v;

			if (!matches_jansson(json_real(w), got, sizeof(got)) &&
			    bad++ == 0)
				snprintf(first, sizeof(first), "%.17g: %s", w,
				    got);
		}
	}
	is_int((long)bad, 0L, "%zu reals written as jansson writes them%s%s",
	    tried, bad ? "; first: " : "", first);
}

/* Strings of 0 to 80 bytes, each with a byte to escape at every offset
 * (before, inside and after the eight-byte steps), and in buffers whose
 * maximum the text fits exactly or by one byte too few. */
static void
test_json_short(void)
{
	static const char esc[] = { 0x01, 0x1f, '"', '\\', '\n', 'x' };
	char got[512], first[600] = "", str[96];
	size_t e, n, at, bad = 0, tried = 0;

	for (e = 0; e < sizeof(esc); e++)
		for (n = 1; n <= 80; n++)
			for (at = 0; at < n; at++, tried++) {
				memset(str, 'a', n);
				str[at] = esc[e];
				if (!matches_jansson(json_stringn(str, n), got,
				    sizeof(got)) && bad++ == 0)
					snprintf(first, sizeof(first), "%zu "
					    "bytes, %#x at %zu: %s", n,
					    (unsigned)esc[e], at, got);
			}
	is_int((long)bad, 0L, "%zu strings written as jansson writes them%s%s",
	    tried, bad ? "; first: " : "", first);
	/* "a\"b\\c\n" (3 bytes as they are, three escapes of 2) quoted
	 * is 11 bytes: after "[", a maximum of 12 takes it, 11 takes no
	 * part of it (the last escape is the one that does not fit) */
	for (n = 10; n <= 11; n++) {
		struct hark_buf b = HARK_BUF_INIT(1 + n);
		json_t *v = json_string("a\"b\\c\n");

		(void)hark_buf_add(&b, "[", 1);
		if (n == 11) {
			is_int(hark_buf_add_json(&b, v, 0), 0, "a string with "
			    "escapes that just fits the maximum is written");
			is_str(hark_buf_str(&b), "[\"a\\\"b\\\\c\\n\"",
			    "... as jansson writes it");
			is_int(hark_buf_add_json(&b, v, 0), -1, "... and one "
			    "more is refused");
			is_str(hark_buf_str(&b), "[\"a\\\"b\\\\c\\n\"",
			    "... leaving the buffer as it was");
		} else {
			is_int(hark_buf_add_json(&b, v, 0), -1, "one byte "
			    "short: refused");
			is_str(hark_buf_str(&b), "[", "... leaving the buffer "
			    "as it was (no part of the string)");
		}
		json_decref(v);
		hark_buf_release(&b);
	}
}

static void
test_limits(void)
{
	struct hark_buf b = HARK_BUF_INIT(8);
	json_t *s = json_string("0123456789");

	is_int(hark_buf_add(&b, "12345678", 8), 0, "fills to max");
	is_int(hark_buf_add(&b, "9", 1), -1, "one more is refused");
	is_int(hark_buf_reserve(&b, 1), -1, "reserve past max refused");
	hark_buf_reset(&b);
	is_int(hark_buf_reserve(&b, 8), 0, "reserve up to max");
	ok(b.cap >= 9, "reserve makes room for the NUL");
	is_int(hark_buf_add_json(&b, s, 0), -1, "JSON past max refused");
	json_decref(s);
	hark_buf_release(&b);
}

int
main(void)
{
	test_json();
	test_json_offsets();
	test_json_reals();
	test_json_short();
	test_limits();
	return tap_done();
}
