/* ndjson.c - bounded line reader, record parsing and splicing. */
#include <math.h>
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
		r->cr = n > 0 && p[n - 1] == '\r';
		if (n - (size_t)r->cr > r->max_line) {
			if (r->rejects) {
				/* its bytes as read, CR included */
				hark_output_write(r->rejects, p, n);
				hark_output_write(r->rejects, "\n", 1);
			}
			return HARK_READ_TOOLONG;
		}
		n -= (size_t)r->cr;
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
	return hark_json_record(line, len, NULL, 0, 1, out, NULL, err);
}

/* The members of the object ADD, for key_in (a few, looked at often). */
struct add_keys {
	const char *k[8];
	size_t n[8];
	size_t count;		/* > 8: look them up in ADD instead */
};

static void
add_keys_init(struct add_keys *ak, json_t *add)
{
	const char *key;
	json_t *v;

	ak->count = 0;
	json_object_foreach(add, key, v) {
		if (ak->count < HARK_ARRAY_SIZE(ak->k)) {
			ak->k[ak->count] = key;
			ak->n[ak->count] = strlen(key);
		}
		ak->count++;
	}
}

/* Is the decoded key D[0..DN) one of ADD's members? */
static int
key_is_added(json_t *add, const struct add_keys *ak, const char *d,
    size_t dn)
{
	size_t i;

	if (ak->count > HARK_ARRAY_SIZE(ak->k))
		return json_object_getn(add, d, dn) != NULL;
	for (i = 0; i < ak->count; i++)
		if (ak->n[i] == dn && memcmp(ak->k[i], d, dn) == 0)
			return 1;
	return 0;
}

/* Does the key token K[0..N) (with its quotes) name a member of ADD? */
static int
key_in(json_t *add, const struct add_keys *ak, const char *k, size_t n)
{
	if (memchr(k, '\\', n) == NULL)
		return key_is_added(add, ak, k + 1, n - 2);
	{
		size_t dn;
		char *d = hark_json_string_decode(k, n, &dn);
		int found = key_is_added(add, ak, d, dn);

		free(d);
		return found;
	}
}

int
hark_json_append(struct hark_buf *out, const json_t *v, size_t flags)
{
	return hark_buf_add_json(out, v, flags);
}

int
hark_ndjson_splice_members(struct hark_buf *out, const char *line,
    size_t len, const struct hark_json_members *mem, json_t *add,
    size_t flags)
{
	const char *key;
	json_t *v;
	size_t i, start = 0;
	int any = 0, removing = 0;
	struct add_keys ak;

	(void)len;
	while (line[start] != '{')
		start++;
	add_keys_init(&ak, add);
	if (ak.count > 0)
		for (i = 0; i < mem->n && !removing; i++)
			removing = key_in(add, &ak, line + mem->m[i].ks,
			    mem->m[i].ke - mem->m[i].ks);
	if (!removing) {
		/* copy up to the end of the last member */
		size_t upto = mem->n ? mem->m[mem->n - 1].ve : start + 1;

		if (hark_buf_add(out, line + start, upto - start) < 0)
			return -1;
		any = mem->n > 0;
	} else {
		if (hark_buf_addch(out, '{') < 0)
			return -1;
		for (i = 0; i < mem->n; i++) {
			const struct hark_json_member *m = &mem->m[i];

			if (key_in(add, &ak, line + m->ks, m->ke - m->ks))
				continue;
			if ((any && hark_buf_addch(out, ',') < 0) ||
			    hark_buf_add(out, line + m->ks, m->ve - m->ks) < 0)
				return -1;
			any = 1;
		}
	}
	json_object_foreach(add, key, v) {
		int rc;

		if (any && hark_buf_addch(out, ',') < 0)
			return -1;
		if (flags == 0 || flags == (JSON_COMPACT |
		    JSON_REAL_PRECISION(6)))
			rc = hark_buf_add_json_string(out, key, strlen(key));
		else {
			json_t *k = json_string(key);

			rc = hark_json_append(out, k, flags);
			json_decref(k);
		}
		if (rc < 0 || hark_buf_addch(out, ':') < 0 ||
		    hark_json_append(out, v, flags) < 0)
			return -1;
		any = 1;
	}
	return hark_buf_addch(out, '}');
}

int
hark_ndjson_splice(struct hark_buf *out, const char *line, size_t len,
    json_t *add, size_t flags)
{
	struct hark_json_members mem = HARK_JSON_MEMBERS_INIT;
	int rc = -1;

	if (hark_json_record(line, len, NULL, 0, 0, NULL, &mem, NULL) == 0)
		rc = hark_ndjson_splice_members(out, line, len, &mem, add,
		    flags);
	hark_json_members_release(&mem);
	return rc;
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

json_t *
hark_json_str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
hark_json_ratio(double v)
{
	return v < 0 ? json_null() : json_real(round(v * 10000) / 10000);
}

const char *
hark_json_path_str(json_t *rec, const char *path)
{
	json_t *v = hark_json_path(rec, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *
hark_json_scalar(json_t *v, char *buf, size_t sz)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, sz, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

const char *
hark_json_path_scalar(json_t *rec, const char *path, char *buf, size_t sz)
{
	json_t *v = hark_json_path(rec, path);

	return v != NULL ? hark_json_scalar(v, buf, sz) : NULL;
}
