/*
 * fuzz-csvrow.c - the CSV row reader (lib/csvrow.h), strict and lenient,
 * with a small row limit, on arbitrary bytes: every row and bad row lies
 * inside the input, after the one before it, on a later line; a good
 * row's bytes at its offset parse back to the same fields; its raw copy
 * and an over-long row's bytes passed to on_skip are those bytes.  This
 * is the reader behind sla-report's helpdesk CSV, crm-join's customer
 * export and hark-train's CSV.
 */
#include <unistd.h>
#include "hark.h"
#include "csvrow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct skipped {
	char buf[8192];
	size_t n;
};

static void
on_skip(void *arg, const char *p, size_t n)
{
	struct skipped *s = arg;

	if (s->n + n <= sizeof(s->buf))
		memcpy(s->buf + s->n, p, n);
	s->n += n;
}

static void
check(const uint8_t *data, size_t size, unsigned flags, size_t max)
{
	struct hark_input in;
	struct hark_csvrow r, again;
	struct hark_err err = HARK_ERR_INIT;
	struct skipped sk;
	uint64_t end = 0;
	long line = 0;
	int fds[2], rc;
	size_t i;

	if (pipe(fds) < 0)
		abort();
	if (size > 0 && write(fds[1], data, size) != (ssize_t)size)
		abort();
	close(fds[1]);
	hark_input_fdopen(&in, fds[0], "fuzz");
	in.mode = 1;
	hark_csvrow_init(&r, &in, flags, max);
	hark_csvrow_init(&again, NULL, flags, max);
	sk.n = 0;
	r.on_skip = on_skip;
	r.skip_arg = &sk;
	while ((rc = hark_csvrow_next(&r, &err)) != 0) {
		if (rc < 0 && r.bad == HARK_CSVROW_IO)
			abort();	/* a pipe of plain bytes */
		if (r.off < end || r.off + r.size > size || r.size == 0 ||
		    r.line <= line)
			abort();
		if (rc < 0 && err.code != HARK_EXIT_DATA)
			abort();
		if (rc < 0 && r.bad == HARK_CSVROW_TOOLONG && (r.size <= max ||
		    sk.n != r.size || (sk.n <= sizeof(sk.buf) &&
		    memcmp(sk.buf, data + r.off, sk.n) != 0)))
			abort();
		if (r.bad != HARK_CSVROW_TOOLONG && (r.raw.len != r.size ||
		    memcmp(r.raw.ptr, data + r.off, r.size) != 0))
			abort();
		if (rc > 0) {
			if (r.eol != (data[r.off + r.size - 1] == '\n'))
				abort();
			if (hark_csvrow_parse(&again, (const char *)data +
			    r.off, r.size, &err) != 0 || again.n != r.n)
				abort();
			for (i = 0; i < r.n; i++)
				if (again.len[i] != r.len[i] ||
				    memcmp(again.f[i], r.f[i], r.len[i]) != 0 ||
				    r.f[i][r.len[i]] != '\0')
					abort();
		}
		end = r.off + r.size;
		line = r.line;
		sk.n = 0;
	}
	if (hark_csvrow_next(&r, &err) != 0)
		abort();
	hark_csvrow_release(&again);
	hark_csvrow_release(&r);
	hark_input_close(&in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 60000)	/* the pipe holds it all */
		return 0;
	check(data, size, HARK_CSVROW_STRICT | HARK_CSVROW_RAW, 64);
	check(data, size, HARK_CSVROW_RAW, 64);
	check(data, size, HARK_CSVROW_STRICT, 0);
	return 0;
}
