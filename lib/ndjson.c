/* ndjson.c - bounded line reader, record parsing and splicing. */
#include "ndjson.h"

#define READ_CHUNK (64u * 1024)

void
hark_reader_init(struct hark_reader *r, struct hark_input *in,
    struct hark_output *rejects, size_t max_line)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->rejects = rejects;
	r->max_line = max_line ? max_line : HARK_LINE_MAX_DEFAULT;
}

void
hark_reader_release(struct hark_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = r->start = r->end = 0;
}

/* Read more bytes after r->end; 0 at end of input, -1 on error. */
static long
fill(struct hark_reader *r, struct hark_err *err)
{
	long n;

	if (r->start > 0 && r->start == r->end)
		r->start = r->end = 0;
	if (r->cap - r->end < READ_CHUNK) {
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		if (r->cap - r->end < READ_CHUNK) {
			r->cap = r->end + READ_CHUNK * 2;
			r->buf = hark_xrealloc(r->buf, r->cap);
		}
	}
	n = hark_input_read(r->in, r->buf + r->end, r->cap - r->end, err);
	if (n > 0)
		r->end += (size_t)n;
	return n;
}

static int
blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Skip the rest of an over-long line, copying it to the rejects. */
static int
skip_long(struct hark_reader *r, struct hark_err *err)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		size_t upto = nl ? (size_t)(nl - r->buf) + 1 : r->end;
		long n;

		if (r->rejects)
			hark_output_write(r->rejects, r->buf + r->start,
			    upto - r->start);
		r->start = upto;
		if (nl)
			return 0;
		if ((n = fill(r, err)) < 0)
			return -1;
		if (n == 0) {
			if (r->rejects)
				hark_output_write(r->rejects, "\n", 1);
			return 0;
		}
	}
}

enum hark_read_status
hark_reader_next(struct hark_reader *r, const char **line, size_t *len,
    struct hark_err *err)
{
	size_t scanned = 0;

	if (r->buf == NULL) {
		/* so that r->buf + r->start is never arithmetic on NULL */
		r->cap = READ_CHUNK * 2;
		r->buf = hark_xmalloc(r->cap);
	}
	for (;;) {
		char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *nl = avail > scanned ? memchr(p + scanned, '\n',
		    avail - scanned) : NULL;
		size_t n;
		long got;

		if (nl == NULL && avail > r->max_line + 1) {
			/* The line is already too long: report it. */
			r->lineno++;
			if (skip_long(r, err) < 0)
				return HARK_READ_ERROR;
			return HARK_READ_TOOLONG;
		}
		if (nl == NULL && !r->eof) {
			scanned = avail;
			if ((got = fill(r, err)) < 0)
				return HARK_READ_ERROR;
			if (got == 0)
				r->eof = 1;
			continue;
		}
		if (nl == NULL && avail == 0)
			return HARK_READ_EOF;
		scanned = 0;
		n = nl ? (size_t)(nl - p) : avail;
		r->start += nl ? n + 1 : n;
		r->lineno++;
		if (!r->started) {
			r->started = 1;
			if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
				p += 3, n -= 3;
		}
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > r->max_line) {
			if (r->rejects) {
				hark_output_write(r->rejects, p, n);
				hark_output_write(r->rejects, "\n", 1);
			}
			return HARK_READ_TOOLONG;
		}
		if (blank(p, n))
			continue;
		*line = p;
		*len = n;
		return HARK_READ_LINE;
	}
}

int
hark_ndjson_parse(const char *line, size_t len, json_t **out,
    struct hark_err *err)
{
	json_error_t je;
	json_t *v = json_loadb(line, len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
	    &je);
	char *p;

	if (v == NULL) {
		/* jansson's texts start with a capital; ours do not */
		if (je.text[0] >= 'A' && je.text[0] <= 'Z' &&
		    !(je.text[1] >= 'A' && je.text[1] <= 'Z'))
			je.text[0] = (char)(je.text[0] + 32);
		if ((p = strstr(je.text, " near '")) != NULL && p[7] &&
		    (size_t)(p - je.text) < sizeof(je.text)) {
			char clean[64];
			size_t k = strlen(p + 7);

			hark_sanitize(clean, sizeof(clean), p + 7,
			    k ? k - 1 : 0);
			return hark_err_setl(err, 3, 1, je.column,
			    "invalid JSON: %.*s near '%s'",
			    (int)(p - je.text), je.text, clean);
		}
		return hark_err_setl(err, 3, 1, je.column, "invalid JSON: %s",
		    je.text);
	}
	if (!json_is_object(v)) {
		json_decref(v);
		return hark_err_set(err, 3, "record is not a JSON object");
	}
	*out = v;
	return 0;
}

/* Skip a JSON value starting at P (valid JSON); returns the end. */
static const char *
skip_value(const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		char c = *p;

		if (c == '"') {
			p++;
			while (p < end && *p != '"') {
				if (*p == '\\')
					p++;
				p++;
			}
			p++;
			if (depth == 0)
				return p;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return p;
			depth--;
			if (depth == 0)
				return p + 1;
		} else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' ||
		    c == '\r' || c == '\n')) {
			return p;
		}
		p++;
	}
	return p;
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	return p;
}

/* Does the raw key text K..KE (with quotes) name a member of ADD? */
static int
key_in(json_t *add, const char *k, const char *ke)
{
	if (memchr(k, '\\', (size_t)(ke - k)) == NULL) {
		char small[256];
		size_t n = (size_t)(ke - k) - 2;

		if (n < sizeof(small)) {
			memcpy(small, k + 1, n);
			small[n] = '\0';
			return json_object_get(add, small) != NULL;
		}
	}
	{
		json_t *s = json_loadb(k, (size_t)(ke - k), JSON_DECODE_ANY,
		    NULL);
		int found = s && json_is_string(s) &&
		    json_object_get(add, json_string_value(s)) != NULL;

		json_decref(s);
		return found;
	}
}

int
hark_json_append(struct hark_buf *out, const json_t *v, size_t flags)
{
	size_t n;
	char small[512];

	if (flags == 0)
		flags = JSON_COMPACT | JSON_REAL_PRECISION(6);
	flags |= JSON_ENCODE_ANY;
	n = json_dumpb(v, small, sizeof(small), flags);
	if (n == 0)
		return -1;
	if (n <= sizeof(small))
		return hark_buf_add(out, small, n);
	{
		char *big = hark_xmalloc(n);
		int rc;

		json_dumpb(v, big, n, flags);
		rc = hark_buf_add(out, big, n);
		free(big);
		return rc;
	}
}

int
hark_ndjson_splice(struct hark_buf *out, const char *line, size_t len,
    json_t *add, size_t flags)
{
	const char *p = line, *end = line + len, *close;
	const char *key;
	json_t *v;
	int any = 0, removing = 0;

	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		end--;
	p = skip_ws(p, end);
	/* p at '{', end just after '}' */
	close = end - 1;
	if (json_object_size(add) > 0) {
		/* does the line already carry any of ADD's members? */
		const char *q = skip_ws(p + 1, close);

		while (q < close && *q == '"') {
			const char *ke = skip_value(q, close), *ve;

			if (key_in(add, q, ke)) {
				removing = 1;
				break;
			}
			ve = skip_value(skip_ws(skip_ws(ke, close) + 1, close),
			    close);
			q = skip_ws(ve, close);
			if (q < close && *q == ',')
				q = skip_ws(q + 1, close);
		}
	}
	if (!removing) {
		/* fast path: copy up to the closing brace */
		const char *last = close;

		while (last > p + 1 && (last[-1] == ' ' || last[-1] == '\t' ||
		    last[-1] == '\r' || last[-1] == '\n'))
			last--;
		if (hark_buf_add(out, p, (size_t)(last - p)) < 0)
			return -1;
		any = skip_ws(p + 1, close) < close;
	} else {
		const char *q = skip_ws(p + 1, close);

		if (hark_buf_addch(out, '{') < 0)
			return -1;
		while (q < close && *q == '"') {
			const char *ks = q, *ke = skip_value(q, close);
			const char *vs = skip_ws(skip_ws(ke, close) + 1, close);
			const char *ve = skip_value(vs, close);

			if (!key_in(add, ks, ke)) {
				if ((any && hark_buf_addch(out, ',') < 0) ||
				    hark_buf_add(out, ks, (size_t)(ve - ks)) <
				    0)
					return -1;
				any = 1;
			}
			q = skip_ws(ve, close);
			if (q < close && *q == ',')
				q = skip_ws(q + 1, close);
		}
	}
	json_object_foreach(add, key, v) {
		json_t *k = json_string(key);
		int rc;

		if (any && hark_buf_addch(out, ',') < 0) {
			json_decref(k);
			return -1;
		}
		rc = hark_json_append(out, k, flags);
		json_decref(k);
		if (rc < 0 || hark_buf_addch(out, ':') < 0 ||
		    hark_json_append(out, v, flags) < 0)
			return -1;
		any = 1;
	}
	return hark_buf_addch(out, '}');
}

json_t *
hark_json_path(json_t *rec, const char *path)
{
	const char *p = path;

	while (rec && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char small[128];

		if (!json_is_object(rec) || n >= sizeof(small))
			return NULL;
		memcpy(small, p, n);
		small[n] = '\0';
		rec = json_object_get(rec, small);
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	return rec;
}

const char *
hark_json_path_str(json_t *rec, const char *path)
{
	json_t *v = hark_json_path(rec, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}
