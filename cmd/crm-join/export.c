/* export.c - the customer export: mapping, loading, the key index and
 * reading rows back (see cj.h). */
#include <ctype.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cj.h"
#include "buf.h"
#include "crmkey.h"
#include "ndjson.h"
#include "sha256.h"

#define ROW_MAX (1u << 20)
#define CHUNK (64u << 10)

static int check_types(const struct cj_export *ex,
    const struct cj_fields *f, struct hark_err *err);

static const char *const kind_names[CJ_NKINDS] = { "handle", "email",
	"phone", "order", "custom", "id" };

int
cj_map_parse(struct cj_export *ex, const char *spec, struct hark_err *err)
{
	const char *p = spec;
	int have_id = 0;

	while (*p != '\0') {
		const char *end = p + strcspn(p, ","), *eq;
		struct cj_col c;
		size_t nl, i;

		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL || eq == p || eq + 1 == end)
			return hark_err_set(err, HARK_EXIT_USAGE, "--map: "
			    "expected NAME=COLUMN, not '%.*s'",
			    (int)HARK_MIN(end - p, 80), p);
		memset(&c, 0, sizeof(c));
		nl = (size_t)(eq - p);
		c.name = hark_xstrndup(p, nl);
		c.col = hark_xstrndup(eq + 1, (size_t)(end - eq - 1));
		/* "ltv=LTV:number", "optin=Consent:bool": typed CSV fields */
		{
			size_t cl = strlen(c.col);

			if (cl > 7 && strcmp(c.col + cl - 7, ":number") == 0) {
				c.type = CJ_NUMBER;
				c.col[cl - 7] = '\0';
			} else if (cl > 5 && strcmp(c.col + cl - 5, ":bool") ==
			    0) {
				c.type = CJ_BOOL;
				c.col[cl - 5] = '\0';
			}
		}
		c.idx = -1;
		c.kind = -1;
		for (i = 0; i < CJ_NKINDS; i++)
			if (strcmp(c.name, kind_names[i]) == 0)
				c.kind = (int)i;
		if (strncmp(c.name, "handle.", 7) == 0 && c.name[7] != '\0') {
			c.kind = CJ_HANDLE;
			c.source = hark_xstrdup(c.name + 7);
		}
		if (c.kind >= 0 && c.type != CJ_STRING) {
			free(c.name);
			free(c.col);
			free(c.source);
			return hark_err_set(err, HARK_EXIT_USAGE, "--map: a "
			    "key has no type (':number' or ':bool')");
		}
		if (strcmp(c.name, "match") == 0) {
			free(c.name);
			free(c.col);
			return hark_err_set(err, HARK_EXIT_USAGE, "--map: "
			    "'match' is the name of the match report");
		}
		if (c.kind == CJ_ID)
			have_id = 1;
		if (strspn(c.col, "0123456789") == strlen(c.col)) {
			long v = strtol(c.col, NULL, 10);

			if (v < 1 || v > 100000) {
				free(c.name);
				free(c.col);
				free(c.source);
				return hark_err_set(err, HARK_EXIT_USAGE,
				    "--map: column position out of range");
			}
			c.pos = (int)v;
		}
		ex->cols = hark_xrealloc(ex->cols, (ex->ncols + 1) *
		    sizeof(*ex->cols));
		ex->cols[ex->ncols++] = c;
		p = *end == ',' ? end + 1 : end;
	}
	if (!have_id)
		return hark_err_set(err, HARK_EXIT_USAGE, "--map: needs "
		    "'id=COLUMN' (the customer id)");
	return 0;
}

void
cj_release(struct cj_export *ex)
{
	size_t i;

	for (i = 0; i < ex->ncols; i++) {
		free(ex->cols[i].name);
		free(ex->cols[i].col);
		free(ex->cols[i].source);
	}
	free(ex->cols);
	if (ex->names != NULL)
		for (i = 0; i < ex->ncolumns; i++)
			free(ex->names[i]);
	free(ex->names);
	for (i = 0; i < ex->nrej; i++)
		free(ex->rej[i].msg);
	free(ex->rej);
	free(ex->rows);
	free(ex->eh);
	free(ex->er);
	free(ex->path);
	free(ex->rowbuf);
	json_decref(ex->fetched.obj);
	if (ex->have_reread)
		hark_csvrow_release(&ex->reread);
	if (ex->fd >= 0)
		close(ex->fd);
}

/* ---- keys ---- */

void
cj_hash(const struct cj_export *ex, const char *key, char *hex)
{
	struct hark_buf b;

	hark_buf_init(&b, ex->saltlen + strlen(key) + 1);
	(void)hark_buf_add(&b, ex->salt, ex->saltlen);
	(void)hark_buf_addstr(&b, key);
	hark_sha256_hex(b.ptr, b.len, hex);
	hark_buf_release(&b);
}

static int
hex_key(const char *v, size_t n, char *out, size_t outsz)
{
	size_t i;

	while (n > 0 && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	if (n != HARK_SHA256_HEXLEN || outsz <= n)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)v[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)v[i]);
	}
	out[n] = '\0';
	return (int)n;
}

int
cj_key(const struct cj_export *ex, int kind, const char *source,
    const char *v, size_t n, char *out, size_t outsz)
{
	switch (kind) {
	case CJ_HANDLE:
		return source != NULL ? hark_crmkey_handle(source,
		    strlen(source), v, n, out, outsz) :
		    hark_crmkey_handle_spec(v, n, out, outsz);
	case CJ_EMAIL:
		return hark_crmkey_email(v, n, out, outsz);
	case CJ_PHONE:
		return hark_crmkey_phone(v, n, ex->defcc, out, outsz);
	case CJ_ORDER:
		return hark_crmkey_order(v, n, out, outsz);
	default:
		return hark_crmkey_plain(v, n, out, outsz);
	}
}

/* A key as the export holds it: hashed e-mails and phones are hex. */
static int
export_key(const struct cj_export *ex, const struct cj_col *c, const char *v,
    size_t n, char *out, size_t outsz)
{
	if (ex->salt != NULL && (c->kind == CJ_EMAIL || c->kind == CJ_PHONE))
		return hex_key(v, n, out, outsz);
	return cj_key(ex, c->kind, c->source, v, n, out, outsz);
}

static uint64_t
key_hash(int kind, const char *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *k != '\0'; k++) {
		h ^= (unsigned char)*k;
		h *= 0x100000001b3ull;
	}
	h ^= h >> 29;
	return (uint64_t)kind << CJ_KIND_SHIFT | (h >> 3);
}

#define ENT_KIND(h) ((int)((h) >> CJ_KIND_SHIFT))

const char *
cj_cell(const struct cj_export *ex, const struct cj_fields *f,
    const struct cj_col *col, size_t *len)
{
	if (ex->ndjson) {
		json_t *v = json_object_get(f->obj, col->col);

		if (!json_is_string(v))
			return NULL;
		*len = json_string_length(v);
		return json_string_value(v);
	}
	if (col->idx < 0 || (size_t)col->idx >= f->n)
		return NULL;
	*len = f->len[col->idx];
	return f->f[col->idx];
}

typedef int (*key_fn)(void *arg, int kind, const char *key);

/*
 * Call FN for every key of row F.  A CSV cell and an NDJSON string may
 * hold several values separated by ';' (an NDJSON array holds one value
 * per element); an empty value is no key.  -1 with ERR for an invalid
 * value (the message names the column, never the value).
 */
static int
each_key(const struct cj_export *ex, const struct cj_fields *f, key_fn fn,
    void *arg, struct hark_err *err)
{
	char key[HARK_CRMKEY_MAX];
	size_t i;

	for (i = 0; i < ex->ncols; i++) {
		const struct cj_col *c = &ex->cols[i];
		json_t *arr = NULL;
		const char *v;
		size_t n, k = 0, vi;

		if (c->kind < 0)
			continue;
		if (ex->ndjson) {
			json_t *j = json_object_get(f->obj, c->col);

			if (json_is_array(j))
				arr = j;
			else if (json_is_integer(j) && (c->kind == CJ_ID ||
			    c->kind == CJ_CUSTOM || c->kind == CJ_ORDER)) {
				char num[32];

				snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				    json_integer_value(j));
				if (cj_key(ex, c->kind, NULL, num,
				    strlen(num), key, sizeof(key)) >= 0 &&
				    fn(arg, c->kind, key) < 0)
					return -1;
				continue;
			} else if (j != NULL && !json_is_string(j) &&
			    !json_is_null(j))
				return hark_err_set(err, HARK_EXIT_DATA,
				    "'%s' is not a string", c->col);
		}
		for (vi = 0; arr == NULL || vi < json_array_size(arr); vi++) {
			const char *s;
			size_t sn;

			if (arr != NULL) {
				json_t *e = json_array_get(arr, vi);

				if (!json_is_string(e))
					return hark_err_set(err,
					    HARK_EXIT_DATA, "'%s' holds a "
					    "non-string", c->col);
				s = json_string_value(e);
				sn = json_string_length(e);
			} else if ((s = cj_cell(ex, f, c, &sn)) == NULL)
				break;
			for (k = 0; k <= sn; ) {
				size_t e = k + strcspn(s + k, ";");
				const char *p;

				if (e > sn)
					e = sn;
				v = s + k;
				n = e - k;
				k = e + 1;
				for (p = v; p < v + n && isspace(
				    (unsigned char)*p); p++)
					;
				if (p == v + n)
					continue;
				if (c->kind == CJ_ID && memchr(s, ';', sn))
					return hark_err_set(err,
					    HARK_EXIT_DATA, "more than one "
					    "customer id in '%s'", c->col);
				if (export_key(ex, c, v, n, key,
				    sizeof(key)) < 0)
					return hark_err_set(err,
					    HARK_EXIT_DATA, "invalid %s in "
					    "'%s'%s", c->kind == CJ_EMAIL ?
					    "e-mail" : kind_names[c->kind],
					    c->col, ex->salt != NULL &&
					    (c->kind == CJ_EMAIL || c->kind ==
					    CJ_PHONE) ? " (not a SHA-256 hex "
					    "digest: see --hash-export)" : "");
				if (fn(arg, c->kind, key) < 0)
					return -1;
			}
			if (arr == NULL)
				break;
		}
	}
	return 0;
}

/* ---- loading ---- */

static void
add_reject(struct cj_export *ex, uint64_t off, size_t len, long line,
    const char *msg)
{
	if (ex->nrej == ex->caprej) {
		ex->caprej = ex->caprej ? ex->caprej * 2 : 16;
		ex->rej = hark_xrealloc(ex->rej, ex->caprej * sizeof(*ex->rej));
	}
	ex->rej[ex->nrej].off = off;
	ex->rej[ex->nrej].len = len;
	ex->rej[ex->nrej].line = line;
	ex->rej[ex->nrej].msg = hark_xstrdup(msg);
	ex->nrej++;
}

struct adding {
	struct cj_export *ex;
	uint32_t row;
	int has_id;
};

static int
add_key(void *arg, int kind, const char *key)
{
	struct adding *a = arg;
	struct cj_export *ex = a->ex;

	if (ex->nents == ex->capents) {
		ex->capents = ex->capents ? ex->capents + ex->capents / 2 :
		    1024;
		ex->eh = hark_xrealloc(ex->eh, ex->capents *
		    sizeof(*ex->eh));
		ex->er = hark_xrealloc(ex->er, ex->capents *
		    sizeof(*ex->er));
	}
	ex->eh[ex->nents] = key_hash(kind, key);
	ex->er[ex->nents] = a->row;
	ex->nents++;
	if (kind == CJ_ID)
		a->has_id = 1;
	return 0;
}

/* A parsed row F (bytes OFF..OFF+LEN, starting on LINE): check, index. */
static void
one_row(struct cj_export *ex, const struct cj_fields *f, uint64_t off,
    size_t len, long line)
{
	struct hark_err err = HARK_ERR_INIT;
	struct adding a;
	size_t before = ex->nents;

	if (!ex->ndjson && f->n != ex->ncolumns) {
		hark_err_set(&err, HARK_EXIT_DATA, "%zu fields, expected %zu",
		    f->n, ex->ncolumns);
		add_reject(ex, off, len, line, err.msg);
		return;
	}
	if (len >= CJ_ROW_BAD || ex->nrows >= UINT32_MAX ||
	    line > (long)UINT32_MAX) {
		add_reject(ex, off, len, line, "row too long");
		return;
	}
	if (check_types(ex, f, &err) < 0) {
		add_reject(ex, off, len, line, err.msg);
		return;
	}
	a.ex = ex;
	a.row = (uint32_t)ex->nrows;
	a.has_id = 0;
	if (each_key(ex, f, add_key, &a, &err) < 0 || !a.has_id) {
		ex->nents = before;
		add_reject(ex, off, len, line, a.has_id || err.msg[0] ?
		    err.msg : "empty customer id");
		return;
	}
	if (ex->nrows == ex->caprows) {
		ex->caprows = ex->caprows ? ex->caprows + ex->caprows / 2 : 1024;
		ex->rows = hark_xrealloc(ex->rows, ex->caprows *
		    sizeof(*ex->rows));
	}
	ex->rows[ex->nrows].off = off;
	ex->rows[ex->nrows].len = (uint32_t)len;
	ex->rows[ex->nrows].line = (uint32_t)line;
	ex->nrows++;
}

/* The header or first row: resolve the mapping. */
static int
first_row(struct cj_export *ex, const struct cj_fields *f,
    struct hark_err *err)
{
	size_t i, k;

	ex->ncolumns = f->n;
	if (ex->header) {
		ex->names = hark_xcalloc(f->n, sizeof(*ex->names));
		for (k = 0; k < f->n; k++)
			ex->names[k] = hark_xstrdup(f->f[k]);
	}
	for (i = 0; i < ex->ncols; i++) {
		struct cj_col *c = &ex->cols[i];

		if (c->pos > 0) {
			if ((size_t)c->pos > f->n)
				return hark_err_set(err, HARK_EXIT_USAGE,
				    "%s: no column %d for '%s' (%zu columns)",
				    ex->path, c->pos, c->name, f->n);
			c->idx = c->pos - 1;
			continue;
		}
		if (!ex->header)
			return hark_err_set(err, HARK_EXIT_USAGE, "--map: "
			    "'%s': without a header columns are positions",
			    c->name);
		for (k = 0; k < f->n; k++)
			if (strcmp(ex->names[k], c->col) == 0) {
				c->idx = (int)k;
				break;
			}
		if (c->idx < 0)
			return hark_err_set(err, HARK_EXIT_USAGE, "%s: no "
			    "column '%s' for '%s' in the header", ex->path,
			    c->col, c->name);
	}
	return 0;
}

/*
 * Index the CSV export (lib/csvrow.h, RFC 4180 strictly: a stray quote
 * is a bad row).  ex->fd is a plain file (cj_load unpacked gzip), read
 * as it is so that row offsets are offsets in it.
 */
static int
load_csv(struct cj_export *ex, struct hark_err *err)
{
	struct hark_err e = HARK_ERR_INIT;
	struct hark_input in;
	struct hark_csvrow r;
	struct cj_fields f;
	long nrow = 0;
	int rc = 0, got, fd;

	if ((fd = dup(ex->fd)) < 0)
		return hark_err_set(err, HARK_EXIT_FAILURE, "'%s': %s",
		    ex->path, strerror(errno));
	hark_input_fdopen(&in, fd, ex->path);
	in.mode = 1;	/* no gzip detection: the bytes as they are */
	hark_csvrow_init(&r, &in, HARK_CSVROW_STRICT, ROW_MAX);
	memset(&f, 0, sizeof(f));
	while (rc == 0 && (got = hark_csvrow_next(&r, &e)) != 0) {
		if (got < 0 && r.bad == HARK_CSVROW_IO) {
			rc = hark_err_set(err, HARK_EXIT_FAILURE, "%s", e.msg);
			break;
		}
		if (got < 0) {
			add_reject(ex, r.off, (size_t)r.size, r.line, r.bad ==
			    HARK_CSVROW_TOOLONG ? "row too long" : e.msg);
			continue;
		}
		f.f = r.f;
		f.len = r.len;
		f.n = r.n;
		if (nrow++ == 0) {
			if (first_row(ex, &f, err) < 0)
				rc = -1;
			if (ex->header)
				continue;
		}
		if (rc == 0)
			one_row(ex, &f, r.off, (size_t)r.size, r.line);
	}
	if (rc == 0 && nrow == 0)
		rc = hark_err_set(err, HARK_EXIT_USAGE, "%s: no %s", ex->path,
		    ex->header ? "header" : "rows");
	hark_csvrow_release(&r);
	hark_input_close(&in);
	return rc;
}

static void
ndjson_line(struct cj_export *ex, const char *line, size_t len, uint64_t off,
    size_t rawlen, long lineno)
{
	struct hark_err err = HARK_ERR_INIT;
	struct cj_fields f;

	memset(&f, 0, sizeof(f));
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0 || strspn(line, " \t") >= len)
		return;
	if (hark_ndjson_parse(line, len, &f.obj, &err) < 0) {
		/* "near 'x'" would quote the row: no key value in messages */
		char *near = strstr(err.msg, " near '");

		if (near != NULL)
			*near = '\0';
		add_reject(ex, off, rawlen, lineno, err.msg);
		return;
	}
	one_row(ex, &f, off, rawlen, lineno);
	json_decref(f.obj);
}

static int
load_ndjson(struct cj_export *ex, struct hark_err *err)
{
	struct hark_buf line;
	char *chunk = hark_xmalloc(CHUNK);
	uint64_t abs = 0, lineoff = 0;
	long lineno = 0;
	ssize_t got;
	int rc = 0, toolong = 0;
	size_t rawlen = 0;

	hark_buf_init(&line, ROW_MAX);
	while ((got = read(ex->fd, chunk, CHUNK)) != 0) {
		size_t off = 0;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = hark_err_set(err, HARK_EXIT_FAILURE, "read error "
			    "on '%s': %s", ex->path, strerror(errno));
			break;
		}
		while (off < (size_t)got) {
			const char *seg = chunk + off;
			const char *nl = memchr(seg, '\n', (size_t)got - off);
			size_t n = nl != NULL ? (size_t)(nl - seg) :
			    (size_t)got - off;

			if (rawlen == 0)
				lineoff = abs + off;
			off += n + (nl != NULL);
			rawlen += n + (nl != NULL);
			if (!toolong && hark_buf_add(&line, seg, n) < 0)
				toolong = 1;
			if (nl == NULL)
				continue;
			lineno++;
			if (toolong)
				add_reject(ex, lineoff, rawlen, lineno,
				    "line too long");
			else
				ndjson_line(ex, line.ptr ? line.ptr : "",
				    line.len, lineoff, rawlen, lineno);
			toolong = 0;
			rawlen = 0;
			hark_buf_reset(&line);
		}
		abs += (uint64_t)got;
	}
	if (rc == 0 && rawlen > 0) {
		lineno++;
		if (toolong)
			add_reject(ex, lineoff, rawlen, lineno,
			    "line too long");
		else
			ndjson_line(ex, line.ptr ? line.ptr : "", line.len,
			    lineoff, rawlen, lineno);
	}
	hark_buf_release(&line);
	free(chunk);
	return rc;
}

/*
 * Sort the index by hash, then row, in place: qsort(3) on glibc may take
 * a temporary copy as large as the array, which the memory bound of a
 * large export cannot afford.  Hashes are uniform, so a quicksort with a
 * median of three does not degrade.
 */
static int
ent_less(const struct cj_export *ex, size_t i, uint64_t h, uint32_t r)
{
	return ex->eh[i] < h || (ex->eh[i] == h && ex->er[i] < r);
}

static void
ent_swap(struct cj_export *ex, size_t i, size_t j)
{
	uint64_t h = ex->eh[i];
	uint32_t r = ex->er[i];

	ex->eh[i] = ex->eh[j];
	ex->er[i] = ex->er[j];
	ex->eh[j] = h;
	ex->er[j] = r;
}

static void
sort_index(struct cj_export *ex, size_t lo, size_t hi)
{
	while (hi - lo > 16) {
		size_t mid = lo + (hi - lo) / 2, i, j;
		uint64_t ph;
		uint32_t pr;

		if (ent_less(ex, mid, ex->eh[lo], ex->er[lo]))
			ent_swap(ex, mid, lo);
		if (ent_less(ex, hi - 1, ex->eh[lo], ex->er[lo]))
			ent_swap(ex, hi - 1, lo);
		if (ent_less(ex, hi - 1, ex->eh[mid], ex->er[mid]))
			ent_swap(ex, hi - 1, mid);
		ph = ex->eh[mid];
		pr = ex->er[mid];
		i = lo;
		j = hi - 1;
		for (;;) {	/* Hoare partition */
			while (ent_less(ex, i, ph, pr))
				i++;
			while (ex->eh[j] > ph || (ex->eh[j] == ph &&
			    ex->er[j] > pr))
				j--;
			if (i >= j)
				break;
			ent_swap(ex, i, j);
			i++;
			j--;
		}
		/* recurse into the smaller part: the stack stays small */
		if (j + 1 - lo < hi - j - 1) {
			sort_index(ex, lo, j + 1);
			lo = j + 1;
		} else {
			sort_index(ex, j + 1, hi);
			hi = j + 1;
		}
	}
	{
		size_t i, k;

		for (i = lo + 1; i < hi; i++)
			for (k = i; k > lo && ent_less(ex, k, ex->eh[k - 1],
			    ex->er[k - 1]); k--)
				ent_swap(ex, k, k - 1);
	}
}

static int
cmp_rej(const void *x, const void *y)
{
	const struct cj_reject *a = x, *b = y;

	return a->line < b->line ? -1 : a->line > b->line;
}

struct finding {
	int kind;
	const char *key;
	int found;
};

static int
find_key(void *arg, int kind, const char *key)
{
	struct finding *fd = arg;

	if (kind == fd->kind && strcmp(key, fd->key) == 0)
		fd->found = 1;
	return 0;
}

struct getting {
	int kind;
	char *key;
};

static int
get_key(void *arg, int kind, const char *key)
{
	struct getting *g = arg;

	if (kind == g->kind && g->key == NULL)
		g->key = hark_xstrdup(key);
	return 0;
}

/* Mark rows whose customer id an earlier row has. */
static void
duplicates(struct cj_export *ex)
{
	size_t i, j;

	for (i = 0; i < ex->nents; i = j) {
		for (j = i + 1; j < ex->nents && ex->eh[j] == ex->eh[i]; j++)
			;
		if (ENT_KIND(ex->eh[i]) != CJ_ID || j == i + 1)
			continue;
		{
			size_t a, b;

			for (a = i; a < j; a++) {
				struct getting g = { CJ_ID, NULL };
				const struct cj_fields *f;

				if (ex->rows[ex->er[a]].len & CJ_ROW_BAD)
					continue;
				if ((f = cj_fetch(ex, ex->er[a])) ==
				    NULL)
					continue;
				(void)each_key(ex, f, get_key, &g, NULL);
				for (b = a + 1; g.key != NULL && b < j; b++) {
					struct finding fd = { CJ_ID, g.key, 0 };
					struct cj_row *r =
					    &ex->rows[ex->er[b]];
					char msg[96];

					if ((r->len & CJ_ROW_BAD) ||
					    (f = cj_fetch(ex,
					    ex->er[b])) == NULL)
						continue;
					(void)each_key(ex, f, find_key, &fd,
					    NULL);
					if (!fd.found)
						continue;
					snprintf(msg, sizeof(msg), "duplicate "
					    "customer id (first on line %u)",
					    ex->rows[ex->er[a]].line);
					add_reject(ex, r->off, r->len, r->line,
					    msg);
					r->len |= CJ_ROW_BAD;
				}
				free(g.key);
			}
		}
	}
}

/* Copy what SRC (an open descriptor, taken over and closed) holds, gzip
 * read transparently, into an unlinked temporary file (PATH names it in
 * messages); its descriptor at offset 0, or -1 with ERR. */
static int
unpack(int src, const char *path, struct hark_err *err)
{
	const char *tmpdir = getenv("TMPDIR");
	struct hark_input in;
	char *tmp, chunk[65536];
	long n;
	int fd;

	tmp = hark_xasprintf("%s/crm-join.XXXXXX", tmpdir != NULL &&
	    *tmpdir != '\0' ? tmpdir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0) {
		close(src);
		hark_err_set(err, HARK_EXIT_FAILURE, "cannot create a "
		    "temporary file in '%s': %s", tmpdir != NULL ? tmpdir :
		    "/tmp", strerror(errno));
		free(tmp);
		return -1;
	}
	unlink(tmp);
	free(tmp);
	hark_input_fdopen(&in, src, path);
	while ((n = hark_input_read(&in, chunk, sizeof(chunk), err)) > 0) {
		const char *p = chunk;

		while (n > 0) {
			ssize_t w = write(fd, p, (size_t)n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				hark_err_set(err, HARK_EXIT_FAILURE, "'%s': "
				    "cannot unpack to a temporary file: %s",
				    path, strerror(errno));
				n = -1;
				break;
			}
			p += w;
			n -= w;
		}
		if (n < 0)
			break;
	}
	hark_input_close(&in);
	if (n < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
cj_load(struct cj_export *ex, const char *path, struct hark_err *err)
{
	struct stat st;
	char first = 0;
	ssize_t got;
	int rc;

	ex->fd = -1;
	ex->fetched_row = -1;
	hark_csvrow_init(&ex->reread, NULL, HARK_CSVROW_STRICT, ROW_MAX);
	ex->have_reread = 1;
	ex->path = hark_xstrdup(path);
	if ((ex->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return hark_err_set(err, HARK_EXIT_FAILURE, "cannot open '%s':"
		    " %s", path, strerror(errno));
	{
		unsigned char magic[2] = { 0, 0 };

		if (fstat(ex->fd, &st) < 0)
			return hark_err_set(err, HARK_EXIT_FAILURE, "'%s': %s",
			    path, strerror(errno));
		if (S_ISREG(st.st_mode) && (pread(ex->fd, magic, 2, 0) < 2 ||
		    magic[0] != 0x1f || magic[1] != 0x8b))
			goto plain;
		/* gzip, a pipe or a FIFO: rows are read again by offset, so
		 * unpack into an unlinked temporary file first, reading
		 * through the descriptor already open (opening a FIFO again
		 * could wait for a writer that is gone) */
		{
			int tfd = unpack(ex->fd, path, err);	/* closes it */

			if ((ex->fd = tfd) < 0)
				return -1;
		}
	}
plain:
	/* NDJSON when the first byte that is not blank is '{' */
	while ((got = read(ex->fd, &first, 1)) == 1 && isspace(
	    (unsigned char)first))
		;
	ex->ndjson = got == 1 && first == '{';
	if (lseek(ex->fd, 0, SEEK_SET) < 0)
		return hark_err_set(err, HARK_EXIT_FAILURE, "'%s': %s", path,
		    strerror(errno));
	rc = ex->ndjson ? load_ndjson(ex, err) : load_csv(ex, err);
	if (rc < 0)
		return -1;
	if (ex->nents > 1)
		sort_index(ex, 0, ex->nents);
	duplicates(ex);
	if (ex->nrej > 1)
		qsort(ex->rej, ex->nrej, sizeof(*ex->rej), cmp_rej);
	return 0;
}

/* ---- reading back ---- */

const struct cj_fields *
cj_fetch(struct cj_export *ex, uint32_t row)
{
	const struct cj_row *r = &ex->rows[row];
	size_t len = r->len & ~CJ_ROW_BAD, got = 0;
	struct cj_fields *f = &ex->fetched;

	if (ex->fetched_row == (long)row)
		return f;
	f->n = 0;
	json_decref(f->obj);
	f->obj = NULL;
	ex->fetched_row = -1;
	if (len + 1 > ex->rowcap) {
		ex->rowcap = len + 1;
		ex->rowbuf = hark_xrealloc(ex->rowbuf, ex->rowcap);
	}
	while (got < len) {
		ssize_t k = pread(ex->fd, ex->rowbuf + got, len - got,
		    (off_t)(r->off + got));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return NULL;
		got += (size_t)k;
	}
	ex->rowbuf[len] = '\0';
	if (ex->ndjson) {
		size_t n = len;

		while (n > 0 && (ex->rowbuf[n - 1] == '\n' ||
		    ex->rowbuf[n - 1] == '\r'))
			n--;
		if (hark_ndjson_parse(ex->rowbuf, n, &f->obj, NULL) < 0)
			return NULL;
	} else {
		if (hark_csvrow_parse(&ex->reread, ex->rowbuf, len, NULL) < 0)
			return NULL;
		f->f = ex->reread.f;
		f->len = ex->reread.len;
		f->n = ex->reread.n;
	}
	ex->fetched_row = (long)row;
	return f;
}

size_t
cj_lookup(struct cj_export *ex, int kind, const char *key, uint32_t *out,
    size_t max)
{
	uint64_t h = key_hash(kind, key);
	size_t lo = 0, hi = ex->nents, i, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ex->eh[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < ex->nents && n < max && ex->eh[i] == h; i++) {
		uint32_t row = ex->er[i];
		struct finding fd = { kind, key, 0 };
		const struct cj_fields *f;

		if (ex->rows[row].len & CJ_ROW_BAD)
			continue;
		if (n > 0 && out[n - 1] == row)
			continue;	/* the same key twice in one row */
		/* the hash is 64 bits: compare the key itself */
		if ((f = cj_fetch(ex, row)) == NULL)
			continue;
		(void)each_key(ex, f, find_key, &fd, NULL);
		if (fd.found)
			out[n++] = row;
	}
	return n;
}

/* The JSON value of a typed CSV cell V (N bytes, not empty); NULL when
 * it is not of its type. */
static json_t *
typed_value(int type, const char *v, size_t n)
{
	char buf[64], *end;
	double d;
	size_t i = 0;

	while (n > 0 && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	if (type == CJ_BOOL) {
		static const char *const yes[] = { "true", "yes", "1", "t",
		    "y" }, *const no[] = { "false", "no", "0", "f", "n" };

		for (i = 0; i < HARK_ARRAY_SIZE(yes); i++) {
			if (strlen(yes[i]) == n && strncasecmp(v, yes[i], n)
			    == 0)
				return json_true();
			if (strlen(no[i]) == n && strncasecmp(v, no[i], n) == 0)
				return json_false();
		}
		return NULL;
	}
	if (n == 0 || n >= sizeof(buf))
		return NULL;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (buf[0] == '-')
		i = 1;
	if (i < n && strspn(buf + i, "0123456789") == n - i && n - i < 19)
		return json_integer(strtoll(buf, NULL, 10));
	/* digits, one '.', an exponent: JSON's number grammar, C locale */
	if (strspn(buf + i, "0123456789.eE+-") != n - i || !isdigit(
	    (unsigned char)buf[i]))
		return NULL;
	errno = 0;
	d = strtod(buf, &end);
	if (*end != '\0' || errno != 0 || d != d)
		return NULL;
	return json_real(d);
}

/* -1 with ERR when a typed cell of F holds no value of its type. */
static int
check_types(const struct cj_export *ex, const struct cj_fields *f,
    struct hark_err *err)
{
	size_t i, n;

	if (ex->ndjson)
		return 0;
	for (i = 0; i < ex->ncols; i++) {
		const struct cj_col *c = &ex->cols[i];
		const char *v;
		json_t *j;

		if (c->type == CJ_STRING || (v = cj_cell(ex, f, c, &n)) ==
		    NULL || strspn(v, " \t") == n)
			continue;
		if ((j = typed_value(c->type, v, n)) == NULL)
			return hark_err_set(err, HARK_EXIT_DATA, "'%s' is not "
			    "%s", c->col, c->type == CJ_NUMBER ? "a number" :
			    "true or false");
		json_decref(j);
	}
	return 0;
}

json_t *
cj_customer(const struct cj_export *ex, const struct cj_fields *f)
{
	json_t *o = json_object();
	size_t i, n;

	for (i = 0; i < ex->ncols; i++) {
		const struct cj_col *c = &ex->cols[i];
		const char *v;

		if (c->kind != CJ_ID && c->kind >= 0)
			continue;
		if (ex->ndjson) {
			json_t *j = json_object_get(f->obj, c->col);

			if (c->kind == CJ_ID && json_is_integer(j))
				json_object_set_new(o, "id", json_sprintf(
				    "%" JSON_INTEGER_FORMAT,
				    json_integer_value(j)));
			else
				json_object_set(o, c->name, j != NULL ? j :
				    json_null());
			continue;
		}
		v = cj_cell(ex, f, c, &n);
		if (v != NULL && c->kind == CJ_ID) {
			while (n > 0 && isspace((unsigned char)*v)) {
				v++;
				n--;
			}
			while (n > 0 && isspace((unsigned char)v[n - 1]))
				n--;
		}
		if (v != NULL && c->type != CJ_STRING && strspn(v, " \t") < n) {
			json_t *j = typed_value(c->type, v, n);

			json_object_set_new(o, c->name, j ? j : json_null());
			continue;
		}
		if (c->type != CJ_STRING)
			n = 0;
		json_object_set_new(o, c->name, v != NULL && n > 0 ?
		    json_stringn(v, n) : json_null());
	}
	return o;
}

const char *
cj_first_email(const struct cj_export *ex, const struct cj_fields *f,
    size_t *len)
{
	size_t i;

	for (i = 0; i < ex->ncols; i++) {
		const struct cj_col *c = &ex->cols[i];
		const char *v;
		size_t n;

		if (c->kind != CJ_EMAIL)
			continue;
		if (ex->ndjson) {
			json_t *j = json_object_get(f->obj, c->col);

			if (json_is_array(j))
				j = json_array_get(j, 0);
			if (!json_is_string(j))
				continue;
			v = json_string_value(j);
			n = json_string_length(j);
		} else if ((v = cj_cell(ex, f, c, &n)) == NULL)
			continue;
		while (n > 0 && (isspace((unsigned char)*v) || *v == ';')) {
			v++;
			n--;
		}
		n = strcspn(v, ";") < n ? strcspn(v, ";") : n;
		while (n > 0 && isspace((unsigned char)v[n - 1]))
			n--;
		if (n > 0) {
			*len = n;
			return v;
		}
	}
	return NULL;
}

/* ---- --hash-export ---- */

static void
csv_cell(struct hark_buf *out, const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (strcspn(s, ",\"\r\n") >= n && s[0] != ' ' &&
	    s[n - 1] != ' ')) {
		(void)hark_buf_add(out, s, n);
		return;
	}
	(void)hark_buf_addch(out, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			(void)hark_buf_addch(out, '"');
		(void)hark_buf_addch(out, s[i]);
	}
	(void)hark_buf_addch(out, '"');
}

void
cj_write_header(const struct cj_export *ex, struct hark_buf *out)
{
	size_t i;

	if (ex->ndjson || !ex->header)
		return;
	for (i = 0; i < ex->ncolumns; i++) {
		if (i > 0)
			(void)hark_buf_addch(out, ',');
		csv_cell(out, ex->names[i], strlen(ex->names[i]));
	}
	(void)hark_buf_addch(out, '\n');
}

/* VALUE (';'-separated) as hashes joined by ';'; -1 when invalid. */
static int
hash_values(const struct cj_export *ex, int kind, const char *s, size_t sn,
    struct hark_buf *out)
{
	char key[HARK_CRMKEY_MAX], hex[HARK_SHA256_HEXLEN + 1];
	size_t k = 0;
	int first = 1;

	while (k <= sn) {
		size_t e = k + strcspn(s + k, ";");
		const char *v = s + k, *p;
		size_t n;

		if (e > sn)
			e = sn;
		n = e - k;
		k = e + 1;
		for (p = v; p < v + n && isspace((unsigned char)*p); p++)
			;
		if (p == v + n)
			continue;
		if (cj_key(ex, kind, NULL, v, n, key, sizeof(key)) < 0)
			return -1;
		cj_hash(ex, key, hex);
		if (!first)
			(void)hark_buf_addch(out, ';');
		(void)hark_buf_add(out, hex, HARK_SHA256_HEXLEN);
		first = 0;
	}
	return 0;
}

int
cj_write_hashed(struct cj_export *ex, const struct cj_fields *f,
    struct hark_buf *out, struct hark_err *err)
{
	struct hark_buf cell;
	size_t i, k;
	int rc = 0;

	hark_buf_init(&cell, ROW_MAX);
	if (ex->ndjson) {
		json_t *o = json_deep_copy(f->obj);
		char *s;

		for (i = 0; i < ex->ncols && rc == 0; i++) {
			const struct cj_col *c = &ex->cols[i];
			json_t *j = json_object_get(o, c->col), *arr;

			if (c->kind != CJ_EMAIL && c->kind != CJ_PHONE)
				continue;
			if (json_is_string(j)) {
				hark_buf_reset(&cell);
				if (hash_values(ex, c->kind,
				    json_string_value(j),
				    json_string_length(j), &cell) < 0)
					rc = -1;
				else
					json_object_set_new(o, c->col,
					    json_stringn(cell.ptr ? cell.ptr :
					    "", cell.len));
			} else if (json_is_array(j)) {
				arr = json_array();
				for (k = 0; k < json_array_size(j); k++) {
					json_t *e = json_array_get(j, k);

					hark_buf_reset(&cell);
					if (!json_is_string(e) || hash_values(
					    ex, c->kind, json_string_value(e),
					    json_string_length(e), &cell) < 0) {
						rc = -1;
						break;
					}
					json_array_append_new(arr, json_stringn(
					    cell.ptr ? cell.ptr : "",
					    cell.len));
				}
				json_object_set_new(o, c->col, arr);
			}
			if (rc < 0)
				hark_err_set(err, HARK_EXIT_DATA, "invalid %s "
				    "in '%s'", c->kind == CJ_EMAIL ? "e-mail"
				    : "phone", c->col);
		}
		if (rc == 0 && (s = hark_json_dumps(o, JSON_COMPACT |
		    JSON_PRESERVE_ORDER)) != NULL) {
			(void)hark_buf_addstr(out, s);
			(void)hark_buf_addch(out, '\n');
			free(s);
		}
		json_decref(o);
		hark_buf_release(&cell);
		return rc;
	}
	for (k = 0; k < f->n && rc == 0; k++) {
		int kind = -1;

		for (i = 0; i < ex->ncols; i++)
			if (ex->cols[i].idx == (int)k &&
			    (ex->cols[i].kind == CJ_EMAIL ||
			    ex->cols[i].kind == CJ_PHONE))
				kind = ex->cols[i].kind;
		if (k > 0)
			(void)hark_buf_addch(out, ',');
		if (kind < 0) {
			csv_cell(out, f->f[k], f->len[k]);
			continue;
		}
		hark_buf_reset(&cell);
		if (hash_values(ex, kind, f->f[k], f->len[k], &cell) < 0)
			rc = hark_err_set(err, HARK_EXIT_DATA, "invalid %s in "
			    "column %zu", kind == CJ_EMAIL ? "e-mail" :
			    "phone", k + 1);
		else
			csv_cell(out, cell.ptr ? cell.ptr : "", cell.len);
	}
	(void)hark_buf_addch(out, '\n');
	hark_buf_release(&cell);
	return rc;
}
