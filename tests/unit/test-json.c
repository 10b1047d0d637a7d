/* test-json.c - unit tests for the record parser (json), its lazy use,
 * the splicer's byte-for-byte promise and the gzip input checks (io). */
#include <fcntl.h>
#include <float.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "hark.h"
#include "err.h"
#include "buf.h"
#include "io.h"
#include "json.h"
#include "lazy.h"
#include "ndjson.h"
#include "tap.h"

/* Parse S as a record building every member; new reference or NULL. */
static json_t *
rec(const char *s)
{
	struct hark_err err = HARK_ERR_INIT;
	json_t *v = NULL;

	if (hark_ndjson_parse(s, strlen(s), &v, &err) < 0) {
		printf("# %s: %s\n", s, err.msg);
		return NULL;
	}
	return v;
}

/* The error message (and column) for S. */
static const char *
error_of(const char *s, long *col)
{
	static struct hark_err err;
	json_t *v = NULL;

	memset(&err, 0, sizeof(err));
	if (hark_ndjson_parse(s, strlen(s), &v, &err) == 0) {
		json_decref(v);
		return "(accepted)";
	}
	if (col)
		*col = err.column;
	return err.msg;
}

static void
test_numbers(void)
{
	json_t *v;

	v = rec("{\"a\":9223372036854775807,\"b\":-9223372036854775808,"
	    "\"c\":12345678901234567890,\"d\":-99999999999999999999,"
	    "\"e\":1e400,\"f\":-1e400,\"g\":1e-400,\"h\":1.5,\"i\":-0,"
	    "\"j\":123456789012345678}");
	ok(v != NULL, "numbers beyond int64 and double are accepted");
	if (v == NULL)
		return;
	ok(json_is_integer(json_object_get(v, "a")) &&
	    json_integer_value(json_object_get(v, "a")) == INT64_MAX,
	    "INT64_MAX stays an integer");
	ok(json_is_integer(json_object_get(v, "b")) &&
	    json_integer_value(json_object_get(v, "b")) == INT64_MIN,
	    "INT64_MIN stays an integer");
	ok(json_is_real(json_object_get(v, "c")) &&
	    json_real_value(json_object_get(v, "c")) == 12345678901234567890.0,
	    "an integer beyond int64 is the nearest real");
	ok(json_is_real(json_object_get(v, "d")) &&
	    json_real_value(json_object_get(v, "d")) == -1e20,
	    "a negative one too");
	ok(json_real_value(json_object_get(v, "e")) == DBL_MAX,
	    "1e400 saturates at the largest double");
	ok(json_real_value(json_object_get(v, "f")) == -DBL_MAX,
	    "-1e400 saturates at minus the largest double");
	ok(json_is_real(json_object_get(v, "g")) &&
	    json_real_value(json_object_get(v, "g")) == 0.0,
	    "1e-400 is 0");
	ok(json_real_value(json_object_get(v, "h")) == 1.5, "1.5");
	ok(json_is_integer(json_object_get(v, "i")) &&
	    json_integer_value(json_object_get(v, "i")) == 0, "-0 is 0");
	is_int(json_integer_value(json_object_get(v, "j")),
	    123456789012345678LL, "18 digits");
	json_decref(v);
}

static void
test_strings(void)
{
	json_t *v;

	v = rec("{\"foo\\u0000bar\":42,\"k\":\"a\\u0000b\",\"lone\":"
	    "\"x\\ud800y\\udc00\",\"pair\":\"\\ud834\\udd1e\",\"e\":"
	    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\",\"\\u0061\":1}");
	ok(v != NULL, "NUL in a key, lone surrogates are accepted");
	if (v == NULL)
		return;
	is_int(json_object_size(v), 5, "the key with NUL is left out");
	ok(json_object_get(v, "foo") == NULL, "not even as 'foo'");
	is_int(json_string_length(json_object_get(v, "k")), 3,
	    "\\u0000 kept in a value");
	is_str(json_string_value(json_object_get(v, "lone")),
	    "x\xef\xbf\xbdy\xef\xbf\xbd", "lone surrogates become U+FFFD");
	is_str(json_string_value(json_object_get(v, "pair")),
	    "\xf0\x9d\x84\x9e", "a surrogate pair is one character");
	is_str(json_string_value(json_object_get(v, "e")),
	    "\"\\/\b\f\n\r\t\xc3\xa9", "escapes decoded");
	ok(json_object_get(v, "a") != NULL, "escaped key decoded");
	json_decref(v);
	{
		struct hark_err err = HARK_ERR_INIT;

		v = NULL;
		is_int(hark_json_parse_any("[1e400, \"\\udc00\"] ", 18, &v,
		    &err), 0, "any JSON text: an array");
		ok(json_real_value(json_array_get(v, 0)) == DBL_MAX &&
		    strcmp(json_string_value(json_array_get(v, 1)),
		    "\xef\xbf\xbd") == 0, "by the same rules");
		json_decref(v);
		is_int(hark_json_parse_any("[1] 2", 5, &v, &err), -1,
		    "one text only");
		is_str(err.msg, "invalid JSON: end of file expected near '2'",
		    "its message");
	}
	v = rec("{\"a\":1,\"a\":2}");
	is_int(json_integer_value(json_object_get(v, "a")), 2,
	    "a repeated key keeps its last value");
	json_decref(v);
}

static void
test_depth(void)
{
	size_t i;
	char *s = hark_xmalloc(2 * HARK_JSON_MAX_DEPTH + 16);
	json_t *v;
	struct hark_err err = HARK_ERR_INIT;
	size_t len;

	/* {"x": [[[ ... ]]] } nested to depth D in total */
	for (int pass = 0; pass < 2; pass++) {
		size_t d = pass == 0 ? HARK_JSON_MAX_DEPTH : HARK_JSON_MAX_DEPTH
		    + 1;

		len = 0;
		memcpy(s, "{\"x\":", 5);
		len = 5;
		for (i = 1; i < d; i++)
			s[len++] = '[';
		for (i = 1; i < d; i++)
			s[len++] = ']';
		s[len++] = '}';
		v = NULL;
		if (pass == 0) {
			is_int(hark_ndjson_parse(s, len, &v, &err), 0,
			    "nesting %zu deep is read and built", d);
			ok(json_is_array(json_object_get(v, "x")), "as arrays");
			json_decref(v);
			is_int(hark_json_record(s, len, NULL, 0, 0, NULL, NULL,
			    &err), 0, "and validated without building");
		} else {
			is_int(hark_ndjson_parse(s, len, &v, &err), -1,
			    "nesting %zu deep is refused", d);
			is_str(err.msg, "invalid JSON: maximum parsing depth "
			    "reached near '['", "with jansson's message");
		}
	}
	free(s);
}

static void
test_errors(void)
{
	long col = 0;

	/* texts and columns as jansson gave them */
	is_str(error_of("{bad", &col), "invalid JSON: string or '}' expected "
	    "near 'bad'", "bad key");
	is_int(col, 4, "column after the token");
	is_str(error_of("nope", &col), "invalid JSON: invalid token near "
	    "'nope'", "bare word");
	is_str(error_of("{\"text\": \"broken", &col), "invalid JSON: "
	    "premature end of input near '\"broken'", "unterminated string");
	is_int(col, 16, "its column");
	is_str(error_of("{\"text\":\"ok \x01\"}", &col), "invalid JSON: "
	    "control character 0x1 near '\"ok '", "control character");
	is_int(col, 12, "column before it");
	is_str(error_of("{\"a\":\"b\",", &col), "invalid JSON: string or '}' "
	    "expected near end of file", "end of file");
	is_str(error_of("{\"a\" 1}", NULL), "invalid JSON: ':' expected near "
	    "'1'", "missing colon");
	is_str(error_of("{\"a\":1 x}", NULL), "invalid JSON: '}' expected near "
	    "'x'", "missing comma");
	is_str(error_of("{\"a\":[1,]}", NULL), "invalid JSON: unexpected token "
	    "near ']'", "trailing comma");
	is_str(error_of("{\"a\":01}", NULL), "invalid JSON: invalid token near "
	    "'0'", "leading zero");
	is_str(error_of("{\"a\":1.}", NULL), "invalid JSON: invalid token near "
	    "'1.'", "no fraction digits");
	is_str(error_of("{\"a\":\"\\x\"}", NULL), "invalid JSON: invalid "
	    "escape near '\"\\x'", "bad escape");
	is_str(error_of("{\"a\":\"\xff\"}", &col), "invalid JSON: unable to "
	    "decode byte 0xff near '\"'", "bad UTF-8");
	is_str(error_of("{\"a\":\"\xed\xa0\x80\"}", NULL), "invalid JSON: "
	    "unable to decode byte 0xed near '\"'", "UTF-8 surrogate");
	is_str(error_of("{\"a\":\"\xc0\xaf\"}", NULL), "invalid JSON: "
	    "unable to decode byte 0xc0 near '\"'", "overlong UTF-8");
	is_str(error_of("{} x", NULL), "invalid JSON: end of file expected "
	    "near 'x'", "trailing garbage");
	is_str(error_of("{\"a\":1}\0", NULL), "(accepted)",
	    "strlen stops at NUL here");
	{
		struct hark_err err = HARK_ERR_INIT;
		json_t *v = NULL;

		is_int(hark_ndjson_parse("{\"a\":1}\0", 8, &v, &err), -1,
		    "a NUL byte after the object is refused");
		is_int(hark_ndjson_parse("{\"a\":123\0}", 10, &v, &err), -1,
		    "a NUL byte after a number is refused");
	}
	is_str(error_of("[1,2]", NULL), "record is not a JSON object",
	    "array");
	is_str(error_of("\"s\"", NULL), "record is not a JSON object",
	    "string");
	is_str(error_of("[1,2", NULL), "invalid JSON: ']' expected near end "
	    "of file", "broken array is invalid JSON");
}

static void
test_lazy(void)
{
	struct hark_lazy lz = { NULL, 0 };
	struct hark_err err = HARK_ERR_INIT;
	const char *line = "{\"big\":12345678901234567890,\"text\":\"hi\","
	    "\"a\\u0075thor\":{\"followers\":1e999},\"x\":[1,{\"y\":null}]}";
	json_t *v = NULL;

	hark_lazy_want(&lz, "text");
	hark_lazy_want(&lz, "author");
	is_int(hark_lazy_parse(&lz, line, strlen(line), &v, &err), 0,
	    "lazy parse");
	is_int(json_object_size(v), 2, "only the wanted members built");
	is_str(json_string_value(json_object_get(v, "text")), "hi", "text");
	ok(json_real_value(json_object_get(json_object_get(v, "author"),
	    "followers")) == DBL_MAX, "escaped key matched, 1e999 saturated");
	json_decref(v);
	v = NULL;
	is_int(hark_lazy_parse(&lz, "{\"text\":\"a\",\"z\":[1,}", 20, &v,
	    &err), -1, "an error in a skipped member is still found");
	is_str(err.msg, "invalid JSON: unexpected token near '}'",
	    "with the same message");
	hark_lazy_release(&lz);
}

static void
test_splice(void)
{
	const char *line = " {\"id\":12345678901234567890 , \"n\":1e400,"
	    "\"s\":\"\\ud800\",\"\\u0000k\":[ 1.0E+2 ] } ";
	const char *want = "{\"id\":12345678901234567890 , \"n\":1e400,"
	    "\"s\":\"\\ud800\",\"\\u0000k\":[ 1.0E+2 ],\"add\":1}";
	struct hark_buf b = HARK_BUF_INIT(4096);
	struct hark_json_members mem = HARK_JSON_MEMBERS_INIT;
	struct hark_err err = HARK_ERR_INIT;
	json_t *add = json_pack("{s:i}", "add", 1);

	is_int(hark_ndjson_splice(&b, line, strlen(line), add, 0), 0,
	    "splice a line jansson could not read");
	is_str(hark_buf_str(&b), want, "members copied byte for byte");
	hark_buf_reset(&b);
	is_int(hark_json_record(line, strlen(line), NULL, 0, 0, NULL, &mem,
	    &err), 0, "spans");
	is_int(mem.n, 4, "four members");
	is_int(hark_ndjson_splice_members(&b, line, strlen(line), &mem, add,
	    0), 0, "splice with the spans");
	is_str(hark_buf_str(&b), want, "same output");
	json_decref(add);
	add = json_pack("{s:i}", "s", 2);
	hark_buf_reset(&b);
	is_int(hark_ndjson_splice_members(&b, line, strlen(line), &mem, add,
	    0), 0, "replace a member");
	is_str(hark_buf_str(&b), "{\"id\":12345678901234567890,\"n\":1e400,"
	    "\"\\u0000k\":[ 1.0E+2 ],\"s\":2}", "others kept as they were");
	json_decref(add);
	is_int(hark_ndjson_splice(&b, "{\"a\":", 5, NULL, 0), -1,
	    "splice refuses an invalid line");
	hark_json_members_release(&mem);
	hark_buf_release(&b);
}

/* Write DATA gzip-compressed to a temporary file, dropping CUT bytes from
 * the end; returns the path (static). */
static const char *
gz_file(const char *data, size_t cut)
{
	static char path[64];
	unsigned char out[4096];
	z_stream z;
	int fd;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (unsigned)strlen(data);
	z.next_out = out;
	z.avail_out = sizeof(out);
	deflate(&z, Z_FINISH);
	deflateEnd(&z);
	snprintf(path, sizeof(path), "/tmp/hark-test-gz.XXXXXX");
	fd = mkstemp(path);
	if (write(fd, out, z.total_out - cut) < 0)
		perror("write");
	close(fd);
	return path;
}

static void
test_gz(void)
{
	const char *data = "{\"a\":1}\n{\"b\":2}\n";
	struct hark_err err = HARK_ERR_INIT;
	const char *p;
	size_t len;
	char *text;
	size_t cuts[] = { 0, 1, 4, 8, 12 };
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(cuts); i++) {
		memset(&err, 0, sizeof(err));
		p = gz_file(data, cuts[i]);
		text = hark_read_file(p, 1 << 20, &len, &err);
		if (cuts[i] == 0) {
			ok(text != NULL && strcmp(text, data) == 0,
			    "a whole gzip file is read");
		} else {
			ok(text == NULL && err.code == 3 && strstr(err.msg,
			    "truncated compressed data") != NULL &&
			    strstr(err.msg, p) != NULL,
			    "%zu bytes cut: '%s'", cuts[i], err.msg);
		}
		free(text);
		unlink(p);
	}
}

/* Compress DATA as one gzip member into OUT; returns its length. */
static size_t
gz_member(const char *data, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (unsigned)strlen(data);
	z.next_out = out;
	z.avail_out = (unsigned)cap;
	deflate(&z, Z_FINISH);
	deflateEnd(&z);
	return z.total_out;
}

static char *
read_bytes(const void *bytes, size_t n, size_t *len, struct hark_err *err)
{
	char path[] = "/tmp/hark-test-io.XXXXXX";
	int fd = mkstemp(path);
	char *text;

	if (write(fd, bytes, n) < 0)
		perror("write");
	close(fd);
	memset(err, 0, sizeof(*err));
	text = hark_read_file(path, 1 << 20, len, err);
	unlink(path);
	return text;
}

/* gzip members one after another are one stream (as gzip -d reads
 * them); zero padding after the last is ignored, other trailing bytes are
 * damage; a plain file that starts with 0x1f is plain. */
static void
test_gz_members(void)
{
	unsigned char buf[8192];
	struct hark_err err;
	size_t n, len;
	char *text;

	n = gz_member("{\"a\":1}\n", buf, sizeof(buf));
	n += gz_member("", buf + n, sizeof(buf) - n);
	n += gz_member("{\"b\":2}\n", buf + n, sizeof(buf) - n);
	text = read_bytes(buf, n, &len, &err);
	is_str(text, "{\"a\":1}\n{\"b\":2}\n", "three members, one empty");
	free(text);
	memset(buf + n, 0, 512);
	text = read_bytes(buf, n + 512, &len, &err);
	is_str(text, "{\"a\":1}\n{\"b\":2}\n", "zero padding ignored");
	free(text);
	memcpy(buf + n, "junk", 4);
	text = read_bytes(buf, n + 4, &len, &err);
	ok(text == NULL && err.code == 3 && strstr(err.msg,
	    "trailing garbage") != NULL, "trailing garbage: '%s'", err.msg);
	free(text);
	text = read_bytes("\x1f", 1, &len, &err);
	ok(text != NULL && len == 1 && text[0] == 0x1f,
	    "a one-byte plain file starting with 0x1f");
	free(text);
	text = read_bytes("\x1f{}\n", 4, &len, &err);
	ok(text != NULL && len == 4, "plain data starting with 0x1f");
	free(text);
	text = read_bytes("", 0, &len, &err);
	ok(text != NULL && len == 0, "an empty file");
	free(text);
	memset(buf, 0, sizeof(buf));
	n = gz_member("{\"a\":1}\n", buf, sizeof(buf));
	buf[n / 2] ^= 0x55;
	text = read_bytes(buf, n, &len, &err);
	ok(text == NULL && err.code == 3 && strstr(err.msg, "corrupt") !=
	    NULL, "a damaged member: '%s'", err.msg);
	free(text);
}

/* The reader marks CRLF lines, and an over-long line goes to the
 * rejects with its CR. */
static void
test_reader_cr(void)
{
	char in_path[] = "/tmp/hark-test-cr.XXXXXX";
	char rej_path[] = "/tmp/hark-test-rej.XXXXXX";
	static const char data[] = "{\"a\":1}\r\n0123456789012345678901\r\n"
	    "{\"b\":2}\n";
	struct hark_input in;
	struct hark_output rej;
	struct hark_reader r;
	struct hark_err err = HARK_ERR_INIT;
	const char *line;
	size_t len;
	char *got;
	int fd = mkstemp(in_path);

	ok(write(fd, data, sizeof(data) - 1) == (ssize_t)sizeof(data) - 1,
	    "fixture written");
	close(fd);
	close(mkstemp(rej_path));
	is_int(hark_input_open(&in, in_path, &err), 0, "input opens");
	is_int(hark_output_open(&rej, rej_path, 0, &err), 0, "rejects open");
	hark_reader_init(&r, &in, &rej, 16);
	is_int(hark_reader_next(&r, &line, &len, &err), HARK_READ_LINE,
	    "CRLF line");
	ok(len == 7 && r.cr == 1, "CR not in the line, but noted");
	is_int(hark_reader_next(&r, &line, &len, &err), HARK_READ_TOOLONG,
	    "over-long CRLF line");
	is_int(hark_reader_next(&r, &line, &len, &err), HARK_READ_LINE,
	    "LF line");
	ok(len == 7 && r.cr == 0, "no CR noted");
	hark_reader_release(&r);
	hark_input_close(&in);
	hark_output_close(&rej, 1, &err);
	got = hark_read_file(rej_path, 1024, &len, &err);
	is_str(got, "0123456789012345678901\r\n",
	    "the over-long line rejected byte for byte");
	free(got);
	unlink(in_path);
	unlink(rej_path);
}

/* -o to a FIFO (or /dev/null): written in place, never renamed over */
static void
test_output_fifo(void)
{
	char dir[] = "/tmp/hark-test-fifo-XXXXXX", path[64], buf[16];
	struct hark_output out;
	struct hark_err err = HARK_ERR_INIT;
	struct stat st;
	int rfd;
	ssize_t n;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ok(mkfifo(path, 0600) == 0, "FIFO made");
	/* the read end first (non-blocking), so the writer's open returns */
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	ok(rfd >= 0, "FIFO open for reading");
	is_int(hark_output_open(&out, path, 1, &err), 0,
	    "atomic output opens a FIFO");
	ok(out.tmp == NULL, "no temporary file beside a FIFO");
	is_int(hark_output_write(&out, "{}\n", 3), 0, "written");
	is_int(hark_output_close(&out, 1, &err), 0, "closed: %s", err.msg);
	n = read(rfd, buf, sizeof(buf));
	ok(n == 3 && memcmp(buf, "{}\n", 3) == 0, "the reader got it");
	ok(stat(path, &st) == 0 && S_ISFIFO(st.st_mode),
	    "the FIFO is still a FIFO");
	close(rfd);
	unlink(path);
	rmdir(dir);
}

/* CPU seconds to parse LINE (all members built, and lazily) 3 times. */
static double
parse_time(const char *line, size_t len)
{
	struct hark_lazy lz = { NULL, 0 };
	struct hark_err err = HARK_ERR_INIT;
	clock_t t0 = clock();
	int i, rc = 0;

	hark_lazy_want(&lz, "text");
	for (i = 0; i < 3; i++) {
		json_t *v = NULL;

		rc |= hark_ndjson_parse(line, len, &v, &err);
		json_decref(v);
		v = NULL;
		rc |= hark_lazy_parse(&lz, line, len, &v, &err);
		json_decref(v);
	}
	hark_lazy_release(&lz);
	if (rc != 0)
		printf("# parse failed: %s\n", err.msg);
	return rc != 0 ? 1e9 : (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/*
 * Linear time on hostile 1 MiB lines: many tiny members, one long string
 * of escapes and non-ASCII text, deep nesting, long numbers.  The bound
 * is generous (sanitizers, a loaded machine): a quadratic step would
 * take minutes.
 */
static void
test_speed(void)
{
	size_t max = 1u << 20, n, i;
	char *s = hark_xmalloc(max + 64);
	double t;

	n = 0;
	s[n++] = '{';
	for (i = 0; n < max - 32; i++)
		n += (size_t)snprintf(s + n, 32, "%s\"k%zu\":%zu", i ? "," : "",
		    i, i);
	s[n++] = '}';
	t = parse_time(s, n);
	ok(t < 5, "1 MiB of small members: %.3f s", t);

	n = 0;
	memcpy(s, "{\"text\":\"", 9);
	n = 9;
	while (n < max - 32) {
		memcpy(s + n, "\\u00e9\xc5\x82\\n\\ud800abc ", 20);
		n += 20;
	}
	memcpy(s + n, "\"}", 2);
	n += 2;
	t = parse_time(s, n);
	ok(t < 5, "1 MiB string of escapes and UTF-8: %.3f s", t);

	n = 0;
	memcpy(s, "{\"text\":", 8);
	n = 8;
	for (i = 0; i < HARK_JSON_MAX_DEPTH - 2; i++)
		s[n++] = '[';
	for (i = 0; i < HARK_JSON_MAX_DEPTH - 2; i++)
		s[n++] = ']';
	s[n++] = '}';
	t = parse_time(s, n);
	ok(t < 5, "nesting %d deep: %.3f s", HARK_JSON_MAX_DEPTH - 1, t);

	memcpy(s, "{\"text\":-1", 10);
	n = 10;
	while (n < max / 2)
		s[n++] = '7';
	s[n++] = '.';
	while (n < max - 8)
		s[n++] = '3';
	memcpy(s + n, "e-99999}", 8);
	n += 8;
	t = parse_time(s, n);
	ok(t < 5, "a number of 1 MiB: %.3f s", t);
	free(s);
}

/*
 * jansson's values from hark_json_fast_alloc()'s free lists (main() turns
 * them on first, so every test here runs with them in the plain build;
 * under ASan they are off): values of every size class and beyond keep
 * their bytes through frees and reuse, and hark_json_dumps' text is
 * free()d by the caller.
 */
static void
test_fast_alloc(void)
{
	json_t *a, *arr = json_array();
	json_malloc_t m;
	json_free_t f;
	char big[2000], *d;
	size_t n, i, bad = 0;

	/* strings of 0 to 1999 bytes (the 16 classes and the big blocks),
	 * twice over, the first set freed half-way */
	for (n = 0; n < sizeof(big); n++)
		big[n] = (char)('a' + n % 26);
	for (i = 0; i < 2 * sizeof(big); i++)
		json_array_append_new(arr, json_stringn(big, i % sizeof(big)));
	for (i = 0; i < sizeof(big); i++)
		json_array_remove(arr, 0);
	for (i = 0; i < sizeof(big); i++)
		json_array_append_new(arr, json_stringn(big, i));
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);

		if (json_string_length(v) != i % sizeof(big) ||
		    memcmp(json_string_value(v), big, i % sizeof(big)) != 0)
			bad++;
	}
	is_int((long)bad, 0L, "fast alloc: 4000 strings of 0..1999 bytes "
	    "keep their bytes after frees and reuse");
	json_decref(arr);
	/* installed (the plain build), or not (AddressSanitizer) */
	json_get_alloc_funcs(&m, &f);
#if HARK_ASAN
	ok(m == malloc && f == free, "fast alloc: off under AddressSanitizer");
#else
	ok(m != malloc && f != free, "fast alloc: jansson's allocator");
#endif
	a = json_pack("{s:s#}", "k", big, (int)sizeof(big));
	d = hark_json_dumps(a, JSON_COMPACT);
	ok(d != NULL && strlen(d) == sizeof(big) + 8 &&
	    strncmp(d, "{\"k\":\"abc", 9) == 0,
	    "hark_json_dumps: a text of over 1024 bytes");
	free(d);
	d = hark_json_dumps(json_object_get(a, "k"), JSON_COMPACT);
	ok(d == NULL, "hark_json_dumps: NULL for a string without "
	    "JSON_ENCODE_ANY, as json_dumps");
	free(d);
	json_decref(a);
	a = json_integer(7);
	d = hark_json_dumps(a, JSON_ENCODE_ANY);
	is_str(d, "7", "hark_json_dumps: a short text, free()d");
	free(d);
	json_decref(a);
}

int
main(void)
{
	hark_json_fast_alloc();
	test_fast_alloc();
	test_numbers();
	test_strings();
	test_depth();
	test_errors();
	test_lazy();
	test_splice();
	test_gz();
	test_gz_members();
	test_reader_cr();
	test_output_fifo();
	test_speed();
	return tap_done();
}
