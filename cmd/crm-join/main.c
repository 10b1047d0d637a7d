/*
 * crm-join - join mention records with a customer export (CSV or NDJSON)
 * by normalized keys, and write the list of customers to leave out of
 * marketing for now (--suppress).
 */
#include <getopt.h>
#include <strings.h>
#include <sys/stat.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "buf.h"
#include "config.h"
#include "crmkey.h"
#include "filter.h"
#include "htime.h"
#include "io.h"
#include "lazy.h"
#include "pii.h"
#include "sha256.h"
#include "cj.h"
#include "json.h"

static const char synopsis[] =
    "usage: crm-join [-hqv] [-c file] [-o file] [--custom-field path]\n"
    "                [--customers file] [--hash-export]"
    " [--hash-keys saltfile]\n"
    "                [--map spec] [--no-header] [--suppress csv|ndjson]"
    " [file ...]";

static const char help[] =
    "\n"
    "Read mention records (NDJSON) and add a \"customer\" object from a\n"
    "customer export (CSV or NDJSON) matched by social handle, e-mail,\n"
    "phone, order number or a custom key, each normalized first.\n"
    "\n"
    "Options:\n"
    "      --custom-field PATH  the mention member matched with the "
    "'custom' column\n"
    "      --customers FILE     the customer export\n"
    "      --hash-export        write the export with e-mails and phones "
    "hashed\n"
    "      --hash-keys FILE     match on salted SHA-256 of e-mails and "
    "phones\n"
    "      --map SPEC           NAME=COLUMN,... (roles: id, email, phone,\n"
    "                           handle, handle.SOURCE, order, custom)\n"
    "      --no-header          the CSV export has no header row\n"
    "      --suppress FORMAT    write the suppression list (csv or ndjson)\n"
    "\n";

enum {
	OPT_CUSTOM_FIELD = HARK_OPT_COMMAND_BASE,
	OPT_CUSTOMERS,
	OPT_HASH_EXPORT,
	OPT_HASH_KEYS,
	OPT_MAP,
	OPT_NO_HEADER,
	OPT_SUPPRESS
};

static const struct option longopts[] = {
	{ "custom-field", required_argument, NULL, OPT_CUSTOM_FIELD },
	{ "customers", required_argument, NULL, OPT_CUSTOMERS },
	{ "hash-export", no_argument, NULL, OPT_HASH_EXPORT },
	{ "hash-keys", required_argument, NULL, OPT_HASH_KEYS },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "suppress", required_argument, NULL, OPT_SUPPRESS },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static const char *const strength[CJ_NKINDS] = { "high", "high", "medium",
	"medium", "low", "high" };
static const char *const key_name[CJ_NKINDS] = { "handle", "email",
	"phone", "order", "custom", "id" };

enum { SUP_NONE, SUP_CSV, SUP_NDJSON };

/* A window of the suppression list: a reason and its length. */
struct window {
	char *what;	/* "complaint", "sentiment.LABEL", "category.NAME" */
	long secs;
};

struct supp {
	uint32_t row;
	hark_time_t since, until;
	const char *reason;	/* borrowed from a struct window */
};

struct crm {
	struct cj_export ex;
	struct hark_pii pii;
	struct hark_lazy lazy;
	char *custom_field;
	unsigned char *salt;
	int suppress;
	struct window *win;
	size_t nwin;
	hark_time_t now;
	struct supp *sup;
	size_t nsup, capsup;
};

struct found {
	uint32_t row;
	int kind;
};

#define MAX_FOUND 64

static void
add_found(struct found *fd, size_t *n, uint32_t row, int kind)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (fd[i].row == row) {
			if (kind < fd[i].kind)
				fd[i].kind = kind;
			return;
		}
	if (*n < MAX_FOUND) {
		fd[*n].row = row;
		fd[*n].kind = kind;
		(*n)++;
	}
}

static void
lookup(struct crm *cr, int kind, const char *source, const char *v,
    size_t n, struct found *fd, size_t *nfd)
{
	char key[HARK_CRMKEY_MAX], hex[HARK_SHA256_HEXLEN + 1];
	uint32_t rows[MAX_FOUND];
	size_t k, i;
	const char *use = key;

	if (cj_key(&cr->ex, kind, source, v, n, key, sizeof(key)) < 0)
		return;
	if (cr->salt != NULL && (kind == CJ_EMAIL || kind == CJ_PHONE)) {
		cj_hash(&cr->ex, key, hex);
		use = hex;
	}
	k = cj_lookup(&cr->ex, kind, use, rows, MAX_FOUND);
	for (i = 0; i < k; i++)
		add_found(fd, nfd, rows[i], kind);
}

static const char *
window_reason(struct crm *cr, const char *what, size_t wlen,
    const char *name, long *secs)
{
	size_t i, nl = name ? strlen(name) : 0;

	for (i = 0; i < cr->nwin; i++) {
		const char *w = cr->win[i].what;

		if (strncmp(w, what, wlen) != 0)
			continue;
		if (name == NULL ? w[wlen] == '\0' : (w[wlen] == '.' &&
		    strlen(w + wlen + 1) == nl && strcasecmp(w + wlen + 1,
		    name) == 0)) {
			*secs = cr->win[i].secs;
			return w;
		}
	}
	return NULL;
}

static int
suppress(struct crm *cr, json_t *rec, uint32_t row, struct hark_err *err)
{
	json_t *route = json_object_get(rec, "route");
	const char *label = hark_json_path_str(rec, "sentiment.label");
	const char *cat = json_string_value(json_object_get(route,
	    "category"));
	const char *status = json_string_value(json_object_get(rec, "status"));
	const char *cand[4], *ts = NULL;
	long secs[4];
	size_t nc = 0, i;
	hark_time_t t;
	static const char *const tkeys[] = { "created_at", "fetched_at",
	    "start", "ts" };

	if (label != NULL && (cand[nc] = window_reason(cr, "sentiment", 9,
	    label, &secs[nc])) != NULL)
		nc++;
	if (json_is_true(json_object_get(route, "complaint")) &&
	    (cand[nc] = window_reason(cr, "complaint", 9, NULL, &secs[nc])) !=
	    NULL)
		nc++;
	if (cat != NULL && (cand[nc] = window_reason(cr, "category", 8, cat,
	    &secs[nc])) != NULL)
		nc++;
	/* an open ticket: sla-report --tickets rows say "open", helpdesk
	 * records a status */
	if ((json_is_true(json_object_get(rec, "open")) || (status != NULL &&
	    (strcasecmp(status, "open") == 0 || strcasecmp(status, "new") == 0
	    || strcasecmp(status, "pending") == 0 || strcasecmp(status,
	    "reopened") == 0))) && (cand[nc] = window_reason(cr,
	    "open_ticket", 11, NULL, &secs[nc])) != NULL)
		nc++;
	if (nc == 0)
		return 0;
	for (i = 0; ts == NULL && i < HARK_ARRAY_SIZE(tkeys); i++)
		ts = json_string_value(json_object_get(rec, tkeys[i]));
	if (ts == NULL || hark_time_parse_any(ts, &t, NULL) < 0)
		return hark_err_set(err, HARK_EXIT_DATA, "no time (created_at, "
		    "fetched_at, start or ts) for the suppression window");
	for (i = 0; i < nc; i++) {
		hark_time_t until = t + secs[i];

		if (secs[i] <= 0 || until <= cr->now || t > cr->now)
			continue;
		if (cr->nsup == cr->capsup) {
			cr->capsup = cr->capsup ? cr->capsup * 2 : 64;
			cr->sup = hark_xrealloc(cr->sup, cr->capsup *
			    sizeof(*cr->sup));
		}
		cr->sup[cr->nsup].row = row;
		cr->sup[cr->nsup].since = t;
		cr->sup[cr->nsup].until = until;
		cr->sup[cr->nsup].reason = cand[i];
		cr->nsup++;
	}
	return 0;
}

static int
on_record(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct crm *cr = vctx;
	json_t *rec = r->rec, *text = json_object_get(rec, "text");
	const char *source = json_string_value(json_object_get(rec, "source"));
	const char *handle = hark_json_path_str(rec, "author.handle");
	struct found fd[MAX_FOUND];
	size_t nfd = 0, i;
	int best = CJ_NKINDS, nbest = 0, nsame = 0;
	uint32_t pick = 0;

	if (text != NULL && !json_is_string(text) && !json_is_null(text))
		return hark_err_set(err, HARK_EXIT_DATA, "\"text\" is not a "
		    "string"), HARK_REC_REJECT;
	/* an sla-report --tickets row names the conversation's customer
	 * (the opener's handle) and its channel */
	if (handle == NULL && json_is_string(json_object_get(rec,
	    "conversation"))) {
		handle = json_string_value(json_object_get(rec, "customer"));
		if (source == NULL)
			source = json_string_value(json_object_get(rec,
			    "channel"));
	}
	if (source != NULL && handle != NULL)
		lookup(cr, CJ_HANDLE, source, handle, strlen(handle), fd,
		    &nfd);
	if (json_is_string(text)) {
		struct hark_pii_match m[64];
		const char *t = json_string_value(text);
		size_t n = hark_pii_scan(&cr->pii, t, json_string_length(text),
		    m, HARK_ARRAY_SIZE(m));

		for (i = 0; i < HARK_MIN(n, HARK_ARRAY_SIZE(m)); i++) {
			int kind = m[i].kind == HARK_PII_EMAIL ? CJ_EMAIL :
			    m[i].kind == HARK_PII_PHONE ? CJ_PHONE :
			    m[i].kind == HARK_PII_ORDER ? CJ_ORDER : -1;

			if (kind >= 0)
				lookup(cr, kind, NULL, t + m[i].off,
				    m[i].len, fd, &nfd);
		}
	}
	if (cr->custom_field != NULL) {
		json_t *v = hark_json_path(rec, cr->custom_field);
		char num[32];

		if (json_is_string(v))
			lookup(cr, CJ_CUSTOM, NULL, json_string_value(v),
			    json_string_length(v), fd, &nfd);
		else if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
			lookup(cr, CJ_CUSTOM, NULL, num, strlen(num), fd,
			    &nfd);
		}
	}
	if (nfd == 0)
		return cr->suppress ? HARK_REC_CONSUMED : HARK_REC_EMIT;
	/* the strongest kind wins; the first row of the export among
	 * its rows; ambiguous when another customer is as strong */
	for (i = 0; i < nfd; i++)
		if (fd[i].kind < best)
			best = fd[i].kind;
	for (i = 0; i < nfd; i++) {
		if (fd[i].kind == best && (nbest++ == 0 || fd[i].row < pick))
			pick = fd[i].row;
		if (strcmp(strength[fd[i].kind], strength[best]) == 0)
			nsame++;
	}
	if (cr->suppress) {
		if (suppress(cr, rec, pick, err) < 0)
			return HARK_REC_REJECT;
		return HARK_REC_CONSUMED;
	}
	{
		const struct cj_fields *f = cj_fetch(&cr->ex, pick);
		json_t *cust, *match;

		if (f == NULL)
			return hark_err_set(err, HARK_EXIT_FAILURE, "cannot "
			    "read the customer export again: %s",
			    strerror(errno)), HARK_REC_REJECT;
		cust = cj_customer(&cr->ex, f);
		match = json_object();
		json_object_set_new(match, "key", json_string(key_name[best]));
		json_object_set_new(match, "strength",
		    json_string(strength[best]));
		json_object_set_new(match, "ambiguous", json_boolean(nsame >
		    1));
		if (nsame > 1) {
			json_t *ids = json_array();

			for (i = 0; i < nfd; i++) {
				json_t *c;

				if (strcmp(strength[fd[i].kind],
				    strength[best]) != 0 ||
				    (f = cj_fetch(&cr->ex, fd[i].row)) == NULL)
					continue;
				c = cj_customer(&cr->ex, f);
				json_array_append(ids, json_object_get(c,
				    "id"));
				json_decref(c);
			}
			json_object_set_new(match, "candidates", ids);
		}
		json_object_set_new(cust, "match", match);
		json_object_set_new(r->add, "customer", cust);
	}
	return HARK_REC_EMIT;
}

static int
cmp_supp(const void *x, const void *y)
{
	const struct supp *a = x, *b = y;

	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	return a->until > b->until ? -1 : a->until < b->until;
}

static void
csv_field(struct hark_buf *b, const char *s, size_t n)
{
	size_t i;

	if (strcspn(s, ",\"\r\n") >= n) {
		(void)hark_buf_add(b, s, n);
		return;
	}
	(void)hark_buf_addch(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			(void)hark_buf_addch(b, '"');
		(void)hark_buf_addch(b, s[i]);
	}
	(void)hark_buf_addch(b, '"');
}

/* The suppression list: one line per customer, the latest end wins. */
static int
finish(void *vctx, struct hark_output *out)
{
	struct crm *cr = vctx;
	struct hark_buf b;
	size_t i;
	int status = 0;

	if (!cr->suppress)
		return 0;
	if (cr->nsup > 1)
		qsort(cr->sup, cr->nsup, sizeof(*cr->sup), cmp_supp);
	hark_buf_init(&b, 1u << 24);
	if (cr->suppress == SUP_CSV) {
		hark_output_write(out, "email,customer_id,reason,since,until\n",
		    37);
	}
	for (i = 0; i < cr->nsup; i++) {
		const struct cj_fields *f;
		json_t *cust, *o;
		const char *email, *id;
		size_t elen = 0;
		char since[HARK_TIME_BUFSZ], until[HARK_TIME_BUFSZ];

		if (i > 0 && cr->sup[i].row == cr->sup[i - 1].row)
			continue;
		if ((f = cj_fetch(&cr->ex, cr->sup[i].row)) == NULL) {
			hark_error("cannot read '%s' again: %s", cr->ex.path,
			    strerror(errno));
			status = HARK_EXIT_FAILURE;
			break;
		}
		cust = cj_customer(&cr->ex, f);
		id = json_string_value(json_object_get(cust, "id"));
		email = cj_first_email(&cr->ex, f, &elen);
		hark_time_format(cr->sup[i].since, since);
		hark_time_format(cr->sup[i].until, until);
		hark_buf_reset(&b);
		if (cr->suppress == SUP_CSV) {
			if (email == NULL) {
				json_decref(cust);
				continue;	/* nothing to exclude by */
			}
			csv_field(&b, email, elen);
			(void)hark_buf_addch(&b, ',');
			csv_field(&b, id ? id : "", id ? strlen(id) : 0);
			(void)hark_buf_addf(&b, ",%s,%s,%s\n",
			    cr->sup[i].reason, since, until);
		} else {
			char *s;

			o = json_object();
			json_object_set_new(o, "customer_id", id ?
			    json_string(id) : json_null());
			json_object_set_new(o, "email", email ?
			    json_stringn(email, elen) : json_null());
			json_object_set_new(o, "reason",
			    json_string(cr->sup[i].reason));
			json_object_set_new(o, "since", json_string(since));
			json_object_set_new(o, "until", json_string(until));
			s = hark_json_dumps(o, JSON_COMPACT |
			    JSON_PRESERVE_ORDER);
			(void)hark_buf_addstr(&b, s);
			(void)hark_buf_addch(&b, '\n');
			free(s);
			json_decref(o);
		}
		json_decref(cust);
		hark_output_write(out, b.ptr, b.len);
		hark_output_end_record(out);
	}
	hark_buf_release(&b);
	return status;
}

static int
config_fail(const char *file, const struct hark_err *err)
{
	hark_error_at(file, err);
	return HARK_EXIT_USAGE;
}

static void
set_window(struct crm *cr, const char *what, long secs)
{
	size_t i;

	for (i = 0; i < cr->nwin; i++)
		if (strcasecmp(cr->win[i].what, what) == 0) {
			cr->win[i].secs = secs;
			return;
		}
	cr->win = hark_xrealloc(cr->win, (cr->nwin + 1) * sizeof(*cr->win));
	cr->win[cr->nwin].what = hark_xstrdup(what);
	cr->win[cr->nwin].secs = secs;
	cr->nwin++;
}

struct settings {
	const char *customers, *map, *custom_field, *salt_file;
	int header;
	char *country;
};

static int
read_config(struct crm *cr, const struct hark_common *c, struct settings *s,
    struct hark_config *cfg)
{
	struct hark_err err = HARK_ERR_INIT;
	const struct hark_config_section *cs, *rs;
	const char *order_pattern;
	size_t i;
	int status;

	set_window(cr, "sentiment.negative", 14 * 86400);
	set_window(cr, "complaint", 30 * 86400);
	set_window(cr, "open_ticket", 7 * 86400);
	if ((status = hark_common_config(c, cfg)) != 0)
		return status;
	cs = hark_config_find(cfg, "crm", NULL);
	for (i = 0; cs && i < cs->nentries; i++) {
		const struct hark_config_entry *e = &cs->entries[i];
		const char *k = e->key;

		if (strncmp(k, "suppress.", 9) == 0) {
			long secs;

			if ((strcmp(k + 9, "complaint") != 0 &&
			    strcmp(k + 9, "open_ticket") != 0 &&
			    (strncmp(k + 9, "sentiment.", 10) != 0 ||
			    k[19] == '\0') && (strncmp(k + 9, "category.", 9)
			    != 0 || k[18] == '\0')) ||
			    hark_config_duration(e->value, &secs, &err) < 0) {
				if (err.msg[0] == '\0')
					hark_err_set(&err, HARK_EXIT_USAGE,
					    "[crm]: unknown key '%.100s'", k);
				err.line = e->line;
				err.column = e->column;
				return config_fail(cfg->path, &err);
			}
			set_window(cr, k + 9, secs);
		} else if (strcmp(k, "customers") == 0) {
			if (s->customers == NULL)
				s->customers = e->value;
		} else if (strcmp(k, "map") == 0) {
			if (s->map == NULL)
				s->map = e->value;
		} else if (strcmp(k, "custom_field") == 0 ||
		    strcmp(k, "custom-field") == 0) {
			if (s->custom_field == NULL)
				s->custom_field = e->value;
		} else if (strcmp(k, "hash_keys") == 0 ||
		    strcmp(k, "hash-keys") == 0) {
			if (s->salt_file == NULL)
				s->salt_file = e->value;
		} else if (strcmp(k, "header") == 0) {
			int b;

			if (hark_config_bool(e->value, &b, &err) < 0) {
				err.line = e->line;
				err.column = e->column;
				return config_fail(cfg->path, &err);
			}
			if (s->header)
				s->header = b;
		} else if (strcmp(k, "country") == 0) {
			const char *v = e->value + (e->value[0] == '+');

			if (strcmp(v, "48") != 0 && strcmp(v, "420") != 0 &&
			    (strspn(v, "0123456789") != strlen(v) ||
			    strlen(v) < 1 || strlen(v) > 3 || v[0] == '0')) {
				hark_err_setl(&err, HARK_EXIT_USAGE, e->line,
				    e->column, "[crm]: country: expected a "
				    "calling code such as 48 or 420");
				return config_fail(cfg->path, &err);
			}
			free(s->country);
			s->country = hark_xstrdup(v);
		} else {
			hark_err_setl(&err, HARK_EXIT_USAGE, e->line,
			    e->key_column, "[crm]: unknown key '%.100s'", k);
			return config_fail(cfg->path, &err);
		}
	}
	/* the order numbers ticket-route finds are the ones matched here */
	rs = hark_config_find(cfg, "route", NULL);
	if ((order_pattern = hark_config_get(rs, "order_pattern")) == NULL)
		order_pattern = hark_config_get(rs, "order-pattern");
	if (hark_pii_init(&cr->pii, order_pattern, &err) < 0)
		return config_fail(cfg->path, &err);
	return 0;
}

static int
read_salt(struct crm *cr, const char *path)
{
	struct hark_err err = HARK_ERR_INIT;
	struct stat st;
	size_t len;
	char *s = hark_read_file(path, 4096, &len, &err);

	if (s == NULL) {
		hark_error("%s", err.msg);
		return HARK_EXIT_USAGE;
	}
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (len < 16) {
		free(s);
		hark_error("%s: the salt must be at least 16 bytes", path);
		return HARK_EXIT_USAGE;
	}
	if (stat(path, &st) == 0 && (st.st_mode & 077) != 0)
		hark_warn("%s: the salt is readable by group or others", path);
	cr->salt = (unsigned char *)s;
	cr->ex.salt = cr->salt;
	cr->ex.saltlen = len;
	return 0;
}

/* Bad rows of the export: reported (WRITE 0), or copied to --rejects,
 * appended after the mention rejects the record loop wrote (WRITE 1) or
 * into a new file when no mentions were read (WRITE 2). */
static int
report_rejects(struct crm *cr, const struct hark_common *c, int write)
{
	FILE *fp = NULL;
	char *buf = NULL;
	size_t i;
	int status = 0;

	if (cr->ex.nrej == 0)
		return 0;
	if (write && c->rejects != NULL && strcmp(c->rejects, "-") != 0 &&
	    (fp = fopen(c->rejects, write == 1 ? "a" : "w")) == NULL) {
		hark_error("cannot open '%s': %s", c->rejects, strerror(errno));
		status = HARK_EXIT_FAILURE;
	}
	for (i = 0; i < cr->ex.nrej; i++) {
		const struct cj_reject *rj = &cr->ex.rej[i];
		struct hark_err err = HARK_ERR_INIT;

		if (!write) {
			hark_err_set(&err, HARK_EXIT_DATA, "%s", rj->msg);
			hark_report_data_error(cr->ex.path, rj->line, &err);
			continue;
		}
		if (fp == NULL)
			continue;
		buf = hark_xrealloc(buf, rj->len + 1);
		if (pread(cr->ex.fd, buf, rj->len, (off_t)rj->off) !=
		    (ssize_t)rj->len || fwrite(buf, 1, rj->len, fp) != rj->len)
			status = HARK_EXIT_FAILURE;
		else if (rj->len > 0 && buf[rj->len - 1] != '\n')
			(void)fputc('\n', fp);
	}
	free(buf);
	if (fp != NULL && fclose(fp) != 0)
		status = HARK_EXIT_FAILURE;
	if (status)
		hark_error("write error on '%s'", c->rejects);
	if (!write && !c->skip_invalid)
		status = HARK_EXIT_DATA;
	return status;
}

static int
hash_export(struct crm *cr, const struct hark_common *c)
{
	struct hark_output out;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_buf b;
	size_t i;
	int status = 0;

	if (hark_output_open(&out, c->output, 1, &err) < 0) {
		hark_error("%s", err.msg);
		return HARK_EXIT_FAILURE;
	}
	hark_buf_init(&b, 1u << 24);
	cj_write_header(&cr->ex, &b);
	hark_output_write(&out, b.ptr, b.len);
	for (i = 0; i < cr->ex.nrows; i++) {
		const struct cj_fields *f;

		if (cr->ex.rows[i].len & CJ_ROW_BAD)
			continue;
		if ((f = cj_fetch(&cr->ex, (uint32_t)i)) == NULL) {
			hark_error("cannot read '%s' again", cr->ex.path);
			status = HARK_EXIT_FAILURE;
			break;
		}
		hark_buf_reset(&b);
		if (cj_write_hashed(&cr->ex, f, &b, &err) < 0) {
			hark_report_data_error(cr->ex.path,
			    (long)cr->ex.rows[i].line, &err);
			status = hark_exit_merge(status, c->skip_invalid ? 0 :
			    HARK_EXIT_DATA);
			continue;
		}
		hark_output_write(&out, b.ptr, b.len);
		hark_output_end_record(&out);
	}
	hark_buf_release(&b);
	if (hark_output_close(&out, status != HARK_EXIT_FAILURE, &err) < 0) {
		hark_error("%s", err.msg);
		status = HARK_EXIT_FAILURE;
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct hark_common c;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct settings s;
	struct crm cr;
	size_t i;
	int opt, status = 0, hash_exp = 0;

	hark_json_fast_alloc();	/* single-threaded */
	hark_init(&c, "crm-join", synopsis, help);
	memset(&cr, 0, sizeof(cr));
	memset(&s, 0, sizeof(s));
	s.header = 1;
	cr.ex.fd = -1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case OPT_CUSTOM_FIELD:
			s.custom_field = optarg;
			break;
		case OPT_CUSTOMERS:
			s.customers = optarg;
			break;
		case OPT_HASH_EXPORT:
			hash_exp = 1;
			break;
		case OPT_HASH_KEYS:
			s.salt_file = optarg;
			break;
		case OPT_MAP:
			s.map = optarg;
			break;
		case OPT_NO_HEADER:
			s.header = 0;
			break;
		case OPT_SUPPRESS:
			if (strcmp(optarg, "csv") == 0)
				cr.suppress = SUP_CSV;
			else if (strcmp(optarg, "ndjson") == 0)
				cr.suppress = SUP_NDJSON;
			else
				hark_usage_error(&c, "--suppress: expected "
				    "'csv' or 'ndjson', not '%s'", optarg);
			break;
		case '?':
		case ':':
			hark_bad_option(&c, opt, argv);
		default:
			if (!hark_common_option(&c, opt, optarg))
				hark_bad_option(&c, opt, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (hash_exp && cr.suppress)
		hark_usage_error(&c, "--hash-export and --suppress do not go "
		    "together");
	if (hash_exp && argc > 0)
		hark_usage_error(&c, "--hash-export reads only --customers");

	if ((status = read_config(&cr, &c, &s, &cfg)) != 0)
		goto out;
	if (s.customers == NULL)
		hark_usage_error(&c, "no customer export: --customers FILE or "
		    "'customers' in [crm]");
	if (s.map == NULL)
		hark_usage_error(&c, "no column mapping: --map SPEC or 'map' "
		    "in [crm]");
	if (hash_exp && s.salt_file == NULL)
		hark_usage_error(&c, "--hash-export needs --hash-keys");
	cr.ex.header = s.header;
	cr.ex.defcc = s.country ? s.country : "48";
	if (cj_map_parse(&cr.ex, s.map, &err) < 0) {
		hark_error("%s", err.msg);
		status = HARK_EXIT_USAGE;
		goto out;
	}
	if (s.salt_file != NULL && (status = read_salt(&cr, s.salt_file)) != 0)
		goto out;
	if (hash_exp)
		cr.ex.salt = NULL;	/* the export still holds plain keys */
	if (s.custom_field != NULL)
		cr.custom_field = hark_xstrdup(s.custom_field);
	if (cr.suppress && hark_now(&cr.now, &err) < 0) {
		hark_error("%s", err.msg);
		status = HARK_EXIT_USAGE;
		goto out;
	}
	if (cj_load(&cr.ex, s.customers, &err) < 0) {
		hark_error("%s", err.msg);
		status = err.code ? err.code : HARK_EXIT_FAILURE;
		goto out;
	}
	if (c.verbose) {
		size_t good = 0;

		for (i = 0; i < cr.ex.nrows; i++)
			good += !(cr.ex.rows[i].len & CJ_ROW_BAD);
		fprintf(stderr, "%s: %zu customers, %zu keys, %zu rows rejected "
		    "in '%s'\n", hark_progname, good, cr.ex.nents,
		    cr.ex.nrej, cr.ex.path);
	}
	status = report_rejects(&cr, &c, 0);
	if ((status && c.strict) || hash_exp) {
		if (hash_exp && !(status && c.strict)) {
			cr.ex.salt = cr.salt;
			status = hark_exit_merge(status, hash_export(&cr, &c));
		}
		status = hark_exit_merge(status, report_rejects(&cr, &c, 2));
		goto out;
	}
	{
		static const char *const own[] = { "text", "author", "source",
		    "created_at", "fetched_at", "sentiment", "route",
		    "open", "status", "start", "ts", "conversation", "customer",
		    "channel" };
		struct hark_filter_ops ops = { on_record, finish, 0, 0,
		    &cr.lazy };

		for (i = 0; i < HARK_ARRAY_SIZE(own); i++)
			hark_lazy_want(&cr.lazy, own[i]);
		if (cr.custom_field != NULL) {
			char *top = hark_xstrndup(cr.custom_field,
			    strcspn(cr.custom_field, "."));

			hark_lazy_want(&cr.lazy, top);
			free(top);
		}
		status = hark_exit_merge(status, hark_filter_run(&c, argc,
		    argv, &ops, &cr, NULL));
		status = hark_exit_merge(status, report_rejects(&cr, &c, 1));
	}
out:
	cj_release(&cr.ex);
	hark_pii_release(&cr.pii);
	hark_lazy_release(&cr.lazy);
	hark_config_release(&cfg);
	for (i = 0; i < cr.nwin; i++)
		free(cr.win[i].what);
	free(cr.win);
	free(cr.sup);
	free(cr.salt);
	free(cr.custom_field);
	free(s.country);
	return status;
}
