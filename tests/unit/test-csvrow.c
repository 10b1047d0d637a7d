/* test-csvrow.c - unit tests for lib/csvrow: quoting, quoted line breaks,
 * CRLF, BOM, blank lines, line numbers, offsets, bad rows and bounds. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <zlib.h>
#include "csvrow.h"
#include "tap.h"

static char tmpl[64];

/* A temporary file holding S (N bytes); its path in tmpl. */
static const char *
file_of(const char *s, size_t n)
{
	int fd;

	snprintf(tmpl, sizeof(tmpl), "/tmp/test-csvrow.XXXXXX");
	fd = mkstemp(tmpl);
	if (fd < 0 || write(fd, s, n) != (ssize_t)n)
		abort();
	close(fd);
	return tmpl;
}

struct rd {
	struct hark_input in;
	struct hark_csvrow r;
	struct hark_err err;
	const char *data;	/* the bytes, to check offsets against */
};

static void
rd_open(struct rd *d, const char *s, size_t n, unsigned flags, size_t max)
{
	d->err = (struct hark_err)HARK_ERR_INIT;
	d->data = s;
	if (hark_input_open(&d->in, file_of(s, n), &d->err) < 0)
		abort();
	hark_csvrow_init(&d->r, &d->in, flags, max);
}

static void
rd_close(struct rd *d)
{
	hark_csvrow_release(&d->r);
	hark_input_close(&d->in);
	unlink(tmpl);
}

/* The row's fields joined by '|'. */
static const char *
joined(const struct hark_csvrow *r)
{
	static char buf[512];
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n && k < sizeof(buf) - 1; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s",
		    i ? "|" : "", r->f[i]);
	return buf;
}

/* The next row must be WANT (fields joined) from LINE, and its bytes at
 * its offset must parse back to the same fields. */
static void
row_is(struct rd *d, const char *want, long line, const char *what)
{
	struct hark_csvrow again;
	struct hark_err err = HARK_ERR_INIT;
	char *copy;

	is_int(hark_csvrow_next(&d->r, &d->err), 1, "%s: a row", what);
	is_str(joined(&d->r), want, "%s: fields", what);
	is_int(d->r.line, line, "%s: line", what);
	hark_csvrow_init(&again, NULL, HARK_CSVROW_STRICT, 0);
	copy = strndup(d->data + d->r.off, (size_t)d->r.size);
	is_int(hark_csvrow_parse(&again, copy, (size_t)d->r.size, &err), 0,
	    "%s: read back by offset", what);
	is_str(joined(&again), want, "%s: same fields read back", what);
	free(copy);
	hark_csvrow_release(&again);
}

static void
test_dialect(void)
{
	static const char s[] = "\xEF\xBB\xBF" "id,text,n\r\n"
	    "1,\"two\r\nlines, and a \"\"quote\"\"\",  x \r\n"
	    "\r\n"
	    "   \n"
	    "2,\"\",\n"
	    "3,plain,\"\n\n\"\n"
	    "4,last,row";
	struct rd d;

	rd_open(&d, s, sizeof(s) - 1, HARK_CSVROW_STRICT | HARK_CSVROW_RAW,
	    0);
	row_is(&d, "id|text|n", 1, "header after a BOM");
	is_int(d.r.off, 3, "the first row starts after the BOM");
	ok(d.r.raw.len == 11 && memcmp(d.r.raw.ptr, "id,text,n\r\n", 11) ==
	    0, "raw bytes of the header, CRLF included");
	is_int(hark_csvrow_column(&d.r, "n"), 2, "column by name");
	is_int(hark_csvrow_column(&d.r, "x"), -1, "no such column");
	row_is(&d, "1|two\r\nlines, and a \"quote\"|x", 2,
	    "quoted CRLF, comma and quotes; blanks around a plain field");
	row_is(&d, "2||", 6, "blank lines skipped, counted; empty fields");
	row_is(&d, "3|plain|\n\n", 7, "a quoted field of blank lines");
	is_int(d.r.eol, 1, "ended by a line break");
	row_is(&d, "4|last|row", 10, "a last row without a line break");
	is_int(d.r.eol, 0, "ended by the end of the input");
	is_int(hark_csvrow_next(&d.r, &d.err), 0, "the end");
	is_int(hark_csvrow_next(&d.r, &d.err), 0, "the end again");
	rd_close(&d);
}

static void
test_bad_rows(void)
{
	static const char s[] = "a,b\n1,x\"y\n2,\"ok\"\n3,\"q\"z\n4,\"open\n";
	struct rd d;

	rd_open(&d, s, sizeof(s) - 1, HARK_CSVROW_STRICT | HARK_CSVROW_RAW,
	    0);
	row_is(&d, "a|b", 1, "strict: header");
	is_int(hark_csvrow_next(&d.r, &d.err), -1, "a quote inside a field");
	is_int(d.r.bad, HARK_CSVROW_MALFORMED, "malformed");
	is_int(d.r.line, 2, "on its line");
	is_int(d.err.code, HARK_EXIT_DATA, "a data error");
	is_str(d.err.msg, "malformed CSV: a quote inside a field or after a "
	    "quoted one", "message");
	ok(d.r.raw.len == 6 && memcmp(d.r.raw.ptr, "1,x\"y\n", 6) == 0,
	    "its bytes, to the line end");
	row_is(&d, "2|ok", 3, "reading goes on");
	is_int(hark_csvrow_next(&d.r, &d.err), -1, "a character after a "
	    "closing quote");
	is_int(d.r.line, 4, "on its line");
	is_int(hark_csvrow_next(&d.r, &d.err), -1, "a quote never closed");
	is_int(d.r.bad, HARK_CSVROW_UNCLOSED, "unclosed");
	is_int(d.r.line, 5, "from its first line");
	is_str(d.err.msg, "malformed CSV: a quoted field is not closed",
	    "message");
	is_int(hark_csvrow_next(&d.r, &d.err), 0, "the end");
	rd_close(&d);

	rd_open(&d, s, sizeof(s) - 1, 0, 0);
	row_is(&d, "a|b", 1, "lenient: header");
	is_int(hark_csvrow_next(&d.r, &d.err), 1, "lenient: a stray quote "
	    "is a character");
	is_str(joined(&d.r), "1|x\"y", "as it stands");
	is_int(hark_csvrow_next(&d.r, &d.err), 1, "row 2");
	is_int(hark_csvrow_next(&d.r, &d.err), 1, "lenient: a character "
	    "after a closing quote goes on with the quoted field");
	is_str(joined(&d.r), "3|q\"z\n4,\"open\n", "libcsv's reading, to the "
	    "end");
	is_int(d.r.line, 4, "from its first line");
	is_int(hark_csvrow_next(&d.r, &d.err), 0, "the end");
	rd_close(&d);
}

static char skipped[256];
static size_t nskipped;

static void
on_skip(void *arg, const char *p, size_t n)
{
	(void)arg;
	if (nskipped + n < sizeof(skipped))
		memcpy(skipped + nskipped, p, n);
	nskipped += n;
}

static void
test_bounds(void)
{
	static const char s[] = "a,b\n"
	    "1,\"a long note\n\"\"over\"\", lines\nand lines\n,,,\"\n"
	    "2,short\n"
	    "3,\"long and never closed, over the limit";
	const char *want = s + 4;
	struct rd d;
	size_t wide_n = 3 * HARK_CSVROW_FIELDS_MAX, i;
	char *wide;

	rd_open(&d, s, sizeof(s) - 1, HARK_CSVROW_STRICT, 24);
	d.r.on_skip = on_skip;
	row_is(&d, "a|b", 1, "bounded: header");
	is_int(hark_csvrow_next(&d.r, &d.err), -1, "a row over the limit");
	is_int(d.r.bad, HARK_CSVROW_TOOLONG, "too long");
	is_str(d.err.msg, "CSV row longer than 24 bytes", "message");
	is_int(d.r.line, 2, "from its first line");
	is_int(d.r.off, 4, "its offset");
	is_int(d.r.size, strchr(want, '2') - want, "its size, to its real "
	    "end (the line break outside quotes)");
	ok(nskipped == d.r.size && memcmp(skipped, want, nskipped) == 0,
	    "its bytes went past on_skip, byte for byte");
	row_is(&d, "2|short", 6, "the next row is read");
	nskipped = 0;
	is_int(hark_csvrow_next(&d.r, &d.err), -1, "over the limit at the "
	    "end");
	is_int(d.r.bad, HARK_CSVROW_TOOLONG, "too long");
	is_int(d.r.eol, 0, "ended by the end of the input");
	is_int(nskipped, strlen(strchr(want, '3')), "every byte went past");
	is_int(hark_csvrow_next(&d.r, &d.err), 0, "the end");
	rd_close(&d);

	/* a row of commas: more fields than allowed, the next row read */
	wide = malloc(wide_n + 16);
	for (i = 0; i < wide_n; i++)
		wide[i] = i % 3 == 2 ? ',' : 'x';
	memcpy(wide + wide_n, "\nend,row\n", 9);
	rd_open(&d, wide, wide_n + 9, 0, 0);
	is_int(hark_csvrow_next(&d.r, &d.err), -1, "too many fields");
	is_int(d.r.bad, HARK_CSVROW_TOOWIDE, "too wide");
	row_is(&d, "end|row", 2, "the row after it");
	rd_close(&d);
	free(wide);
}

/* Rows across the reader's 64 KiB chunks: lines and offsets all right. */
static void
test_chunks(void)
{
	struct hark_buf b = HARK_BUF_INIT(1u << 24);
	struct rd d;
	char want[64];
	long i, line = 1, bad = 0;

	for (i = 0; i < 20000; i++)
		hark_buf_addf(&b, "%ld,\"note %ld\nsecond line\",x\r\n", i, i);
	rd_open(&d, b.ptr, b.len, HARK_CSVROW_STRICT, 0);
	for (i = 0; i < 20000; i++) {
		snprintf(want, sizeof(want), "%ld|note %ld\nsecond line|x", i,
		    i);
		if (hark_csvrow_next(&d.r, &d.err) != 1 ||
		    strcmp(joined(&d.r), want) != 0 || d.r.line != line ||
		    strncmp(b.ptr + d.r.off, want, strcspn(want, "|")) != 0 ||
		    b.ptr[d.r.off + d.r.size - 1] != '\n')
			bad++;
		line += 2;
	}
	is_int(bad, 0, "20000 two-line rows over many chunks");
	is_int(hark_csvrow_next(&d.r, &d.err), 0, "the end");
	rd_close(&d);
	hark_buf_release(&b);
}

static void
test_gzip_and_pipe(void)
{
	struct hark_input in;
	struct hark_csvrow r;
	struct hark_err err = HARK_ERR_INIT;
	gzFile gz;
	struct timespec pause = { 0, 20000000 };
	int fds[2];
	pid_t pid;

	snprintf(tmpl, sizeof(tmpl), "/tmp/test-csvrow.XXXXXX");
	close(mkstemp(tmpl));
	gz = gzopen(tmpl, "wb");
	gzputs(gz, "\xEF\xBB\xBFh\n\"a\nb\"\n");
	gzclose(gz);
	if (hark_input_open(&in, tmpl, &err) < 0)
		abort();
	hark_csvrow_init(&r, &in, HARK_CSVROW_STRICT, 0);
	is_int(hark_csvrow_next(&r, &err), 1, "gzip: header");
	is_str(r.f[0], "h", "gzip: BOM skipped");
	is_int(hark_csvrow_next(&r, &err), 1, "gzip: row");
	is_str(r.f[0], "a\nb", "gzip: quoted line break");
	is_int(r.off, 5, "gzip: offset in the decompressed stream");
	hark_csvrow_release(&r);
	hark_input_close(&in);
	unlink(tmpl);

	/* a BOM split over reads of a pipe is still a BOM */
	if (pipe(fds) < 0 || (pid = fork()) < 0)
		abort();
	if (pid == 0) {
		close(fds[0]);
		if (write(fds[1], "\xEF", 1) < 0)
			_exit(1);
		nanosleep(&pause, NULL);
		if (write(fds[1], "\xBB", 1) < 0)
			_exit(1);
		nanosleep(&pause, NULL);
		if (write(fds[1], "\xBFk,v\n", 5) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	hark_input_fdopen(&in, fds[0], "<pipe>");
	hark_csvrow_init(&r, &in, HARK_CSVROW_STRICT, 0);
	is_int(hark_csvrow_next(&r, &err), 1, "pipe: a row");
	is_str(joined(&r), "k|v", "pipe: a BOM over three reads skipped");
	is_int(r.off, 3, "pipe: offset after the BOM");
	hark_csvrow_release(&r);
	hark_input_close(&in);
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	test_dialect();
	test_bad_rows();
	test_bounds();
	test_chunks();
	test_gzip_and_pipe();
	return tap_done();
}
