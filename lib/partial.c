/* partial.c - the envelope of partial results (see partial.h). */
#include <stdio.h>
#include <string.h>

#include "partial.h"

int
hark_partial_header(struct hark_buf *out, const char *tool, int format,
    const char *fingerprint)
{
	json_t *h;
	int rc;

	h = json_pack("{s:i,s:s,s:i,s:s,s:s}", "hark_partial",
	    HARK_PARTIAL_ENVELOPE, "tool", tool, "format", format,
	    "fingerprint", fingerprint, "hark", HARK_VERSION);
	if (!h)
		return -1;
	rc = hark_json_append(out, h, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(h);
	if (rc < 0 || hark_buf_addch(out, '\n') < 0)
		return -1;
	return 0;
}

int
hark_partial_trailer(struct hark_buf *out, uint64_t nbody)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "{\"hark_partial_end\":%llu}\n",
	    (unsigned long long)nbody);
	return hark_buf_addstr(out, tmp);
}

char *
hark_partial_fingerprint(const char *const *parts, size_t n, char *hex)
{
	struct hark_sha256 s;
	unsigned char d[HARK_SHA256_LEN];
	char len[32];
	size_t i;

	hark_sha256_init(&s);
	for (i = 0; i < n; i++) {
		const char *p = parts[i] ? parts[i] : "";

		snprintf(len, sizeof(len), "%zu:", strlen(p));
		hark_sha256_update(&s, len, strlen(len));
		hark_sha256_update(&s, p, strlen(p));
	}
	hark_sha256_final(&s, d);
	for (i = 0; i < HARK_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return hex;
}

/* The next line as a JSON object; 0 at the end of the file. */
static int
next_object(struct hark_partial_reader *r, json_t **obj, struct hark_err *err)
{
	const char *line;
	size_t len;
	struct hark_err e = HARK_ERR_INIT;

	*obj = NULL;
	switch (hark_reader_next(&r->rd, &line, &len, &e)) {
	case HARK_READ_EOF:
		return 0;
	case HARK_READ_TOOLONG:
		return hark_err_set(err, HARK_EXIT_DATA,
		    "%s:%ld: line too long for a partial", r->name,
		    r->rd.lineno);
	case HARK_READ_ERROR:
		return hark_err_set(err, e.code ? e.code : HARK_EXIT_FAILURE,
		    "%s", e.msg);
	case HARK_READ_LINE:
		break;
	}
	if (hark_ndjson_parse(line, len, obj, &e) < 0)
		return hark_err_set(err, HARK_EXIT_DATA, "%s:%ld: %s",
		    r->name, r->rd.lineno, e.msg);
	return 1;
}

int
hark_partial_open(struct hark_partial_reader *r, const char *path,
    const char *tool, int max_format, const char *fingerprint,
    struct hark_err *err)
{
	json_t *h = NULL;
	const char *t, *fp;
	json_int_t env, fmt;
	int rc;

	memset(r, 0, sizeof(*r));
	if (hark_input_open(&r->in, path, err) < 0)
		return -1;
	r->name = r->in.name;
	hark_reader_init(&r->rd, &r->in, NULL, HARK_PARTIAL_LINE_MAX);
	rc = next_object(r, &h, err);
	if (rc == 0)
		hark_err_set(err, HARK_EXIT_DATA,
		    "%s: empty file, not a partial result", r->name);
	if (rc <= 0)
		goto fail;
	if (json_unpack(h, "{s:I,s:s,s:I,s:s}", "hark_partial", &env,
	    "tool", &t, "format", &fmt, "fingerprint", &fp) != 0) {
		hark_err_set(err, HARK_EXIT_DATA,
		    "%s:1: not a hark partial result (no header)", r->name);
		goto fail;
	}
	if (env != HARK_PARTIAL_ENVELOPE) {
		hark_err_set(err, HARK_EXIT_DATA,
		    "%s:1: partial envelope version %lld, this hark reads %d",
		    r->name, (long long)env, HARK_PARTIAL_ENVELOPE);
		goto fail;
	}
	if (strcmp(t, tool) != 0) {
		hark_err_set(err, HARK_EXIT_DATA,
		    "%s:1: a partial result of %s, not of %s", r->name, t,
		    tool);
		goto fail;
	}
	if (fmt < 1 || fmt > max_format) {
		hark_err_set(err, HARK_EXIT_DATA,
		    "%s:1: partial format %lld, this %s reads 1 to %d",
		    r->name, (long long)fmt, tool, max_format);
		goto fail;
	}
	if (strlen(fp) != HARK_SHA256_HEXLEN) {
		hark_err_set(err, HARK_EXIT_DATA,
		    "%s:1: bad fingerprint in the header", r->name);
		goto fail;
	}
	if (fingerprint && strcmp(fingerprint, fp) != 0) {
		hark_err_set(err, HARK_EXIT_USAGE,
		    "%s: partials do not match: made with other options or "
		    "configuration (fingerprint %.12s, expected %.12s)",
		    r->name, fp, fingerprint);
		goto fail;
	}
	memcpy(r->fingerprint, fp, HARK_SHA256_HEXLEN + 1);
	r->format = (int)fmt;
	json_decref(h);
	return 0;
fail:
	json_decref(h);
	hark_partial_close(r);
	return -1;
}

int
hark_partial_next(struct hark_partial_reader *r, json_t **obj,
    struct hark_err *err)
{
	json_t *o, *end;
	int rc;

	*obj = NULL;
	if (r->done)
		return 0;
	rc = next_object(r, &o, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return hark_err_set(err, HARK_EXIT_DATA,
		    "%s:%ld: partial result cut short (no end line after %llu "
		    "lines)", r->name, r->rd.lineno,
		    (unsigned long long)r->body);
	end = json_object_get(o, "hark_partial_end");
	if (!end) {
		r->body++;
		*obj = o;
		return 1;
	}
	if (!json_is_integer(end) || json_integer_value(end) < 0 ||
	    (uint64_t)json_integer_value(end) != r->body) {
		json_decref(o);
		return hark_err_set(err, HARK_EXIT_DATA,
		    "%s:%ld: partial result damaged: the end line does not "
		    "match the %llu lines before it", r->name, r->rd.lineno,
		    (unsigned long long)r->body);
	}
	json_decref(o);
	rc = next_object(r, &o, err);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		json_decref(o);
		return hark_err_set(err, HARK_EXIT_DATA,
		    "%s:%ld: data after the end of a partial result",
		    r->name, r->rd.lineno);
	}
	r->done = 1;
	return 0;
}

void
hark_partial_close(struct hark_partial_reader *r)
{
	hark_reader_release(&r->rd);
	hark_input_close(&r->in);
	memset(r, 0, sizeof(*r));
}
