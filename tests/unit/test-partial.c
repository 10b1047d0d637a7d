/* test-partial.c - the partial-result envelope: a written file reads back
 * body line by body line; a cut, padded, foreign, newer or mismatched
 * file is an error with FILE:LINE, never a smaller result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "partial.h"
#include "tap.h"

static char path[64];

static void
put(const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

/* Read the whole file: number of body lines, or -1 with ERR. */
static long
slurp(const char *fp, struct hark_err *err)
{
	struct hark_partial_reader r;
	json_t *o;
	long n = 0;
	int rc;

	if (hark_partial_open(&r, path, "sla-report", 1, fp, err) < 0)
		return -1;
	while ((rc = hark_partial_next(&r, &o, err)) == 1) {
		json_decref(o);
		n++;
	}
	hark_partial_close(&r);
	return rc < 0 ? -1 : n;
}

int
main(void)
{
	struct hark_buf b = HARK_BUF_INIT(1 << 20);
	struct hark_err err = HARK_ERR_INIT;
	const char *parts[] = { "--by", "brand", "config text" };
	const char *parts2[] = { "--by", "brandconfig text" };
	char fp[65], fp2[65], text[4096];
	int fd;

	snprintf(path, sizeof(path), "/tmp/hark-partial-XXXXXX");
	fd = mkstemp(path);
	close(fd);
	hark_partial_fingerprint(parts, 3, fp);
	hark_partial_fingerprint(parts2, 2, fp2);
	ok(strlen(fp) == 64 && strcmp(fp, fp2) != 0,
	    "fingerprint: parts are length-prefixed, so a different split "
	    "differs");

	ok(hark_partial_header(&b, "sla-report", 1, fp) == 0 &&
	    hark_buf_addstr(&b, "{\"t\":\"group\",\"n\":1}\n"
	    "{\"t\":\"group\",\"n\":2}\n") == 0 &&
	    hark_partial_trailer(&b, 2) == 0, "write header, body, trailer");
	put(b.ptr);
	is_int(slurp(fp, &err), 2, "reads back two body lines");
	is_int(slurp(NULL, &err), 2, "no fingerprint asked: any matches");

	is_int(slurp(fp2, &err), -1, "another fingerprint refused");
	is_int(err.code, HARK_EXIT_USAGE, "... as a usage error");
	ok(strstr(err.msg, "partials do not match") != NULL, "%s", err.msg);

	/* cut before the trailer */
	snprintf(text, sizeof(text), "%.*s", (int)(strstr(b.ptr,
	    "{\"hark_partial_end") - b.ptr), b.ptr);
	put(text);
	is_int(slurp(fp, &err), -1, "cut short: error");
	ok(strstr(err.msg, "cut short") && strstr(err.msg, path),
	    "%s", err.msg);

	/* a body line lost in the middle */
	snprintf(text, sizeof(text), "%.*s{\"hark_partial_end\":2}\n",
	    (int)(strstr(b.ptr, "{\"t\":\"group\",\"n\":2}") - b.ptr), b.ptr);
	put(text);
	is_int(slurp(fp, &err), -1, "a lost line: the count does not match");
	ok(strstr(err.msg, ":3: partial result damaged") != NULL, "%s",
	    err.msg);

	snprintf(text, sizeof(text), "%s{\"t\":\"group\"}\n", b.ptr);
	put(text);
	is_int(slurp(fp, &err), -1, "data after the end refused");

	put("{\"t\":\"group\"}\n");
	is_int(slurp(fp, &err), -1, "no header: not a partial");
	ok(strstr(err.msg, ":1: not a hark partial") != NULL, "%s", err.msg);

	put("");
	is_int(slurp(fp, &err), -1, "empty file refused");

	hark_buf_reset(&b);
	hark_partial_header(&b, "mention-report", 1, fp);
	hark_partial_trailer(&b, 0);
	put(b.ptr);
	is_int(slurp(fp, &err), -1, "another tool's partial refused");
	ok(strstr(err.msg, "of mention-report, not of sla-report") != NULL,
	    "%s", err.msg);

	hark_buf_reset(&b);
	hark_partial_header(&b, "sla-report", 2, fp);
	hark_partial_trailer(&b, 0);
	put(b.ptr);
	is_int(slurp(fp, &err), -1, "a newer body format refused");

	hark_buf_reset(&b);
	hark_partial_header(&b, "sla-report", 1, fp);
	hark_buf_addstr(&b, "{\"t\":\"group\",\n");
	hark_partial_trailer(&b, 1);
	put(b.ptr);
	is_int(slurp(fp, &err), -1, "a broken body line refused");
	ok(strstr(err.msg, ":2: invalid JSON") != NULL, "%s", err.msg);

	hark_buf_reset(&b);
	hark_partial_header(&b, "sla-report", 1, fp);
	hark_partial_trailer(&b, 0);
	put(b.ptr);
	is_int(slurp(fp, &err), 0, "an empty partial (no records) is fine");

	unlink(path);
	hark_buf_release(&b);
	return tap_done();
}
