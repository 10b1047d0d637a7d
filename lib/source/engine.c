/*
 * engine.c - mention-fetch's run loop: calls, pages to records, the query
 * and dedup filters, output, state commits, archive, progress.
 */
#include <ctype.h>
#include <strings.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "xdg.h"
#include "ndjson.h"
#include "secret.h"
#include "query.h"
#include "source.h"

/* The longest line of the dedup journal read back, newline included. */
#define SEEN_LINE_MAX	16384

double
mf_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(struct mf_run *run, struct mf_source *s, int final);

void
mf_log(struct mf_run *run, int level, const char *fmt, ...)
{
	char msg[4096], clean[1024];
	va_list ap;

	if (run->common->verbose < level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hark_redact(msg, sizeof(msg));	/* before it can be cut */
	hark_sanitize(clean, sizeof(clean), msg, strlen(msg));
	if (run->tty && run->progress)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "%s: %s\n", hark_progname, clean);
}

void
mf_fail(struct mf_source *s, int status, const char *fmt, ...)
{
	char msg[4096], clean[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hark_redact(msg, sizeof(msg));	/* before it can be cut */
	hark_sanitize(clean, sizeof(clean), msg, strlen(msg));
	if (s->run->tty && s->run->progress)
		fputs("\r\033[K", stderr);
	hark_error("source '%s': %s", s->name, clean);
	s->status = hark_exit_merge(s->status, status);
	s->run->status = hark_exit_merge(s->run->status, status);
	s->nfail++;
}

static void
http_log(void *ctx, const char *msg)
{
	mf_log(ctx, 2, "%s", msg);
}

/* --- configuration values ------------------------------------------ */

const struct hark_config_entry *
mf_conf_last(const struct hark_config *cfg, const char *type,
    const char *key)
{
	const struct hark_config_entry *e, *last = NULL;
	size_t i;

	for (i = 0; i < cfg->nsections; i++) {
		const struct hark_config_section *sec = &cfg->sections[i];

		if (sec->name != NULL || strcmp(sec->type, type) != 0)
			continue;
		for (e = NULL; (e = hark_config_next(sec, key, e)) != NULL; )
			last = e;
	}
	return last;
}

const struct hark_config_entry *
mf_conf_entry(const struct mf_source *s, const char *key)
{
	const struct hark_config_entry *e, *last = NULL;

	for (e = NULL; (e = hark_config_next(s->sec, key, e)) != NULL; )
		last = e;
	if (last == NULL)
		last = mf_conf_last(&s->run->cfg, "mention-fetch", key);
	if (last == NULL)
		last = mf_conf_last(&s->run->cfg, "defaults", key);
	return last;
}

const char *
mf_conf(const struct mf_source *s, const char *key)
{
	const struct hark_config_entry *e = mf_conf_entry(s, key);

	return e != NULL ? e->value : NULL;
}

void
mf_conf_fail(struct mf_source *s, long line, long col, const char *fmt, ...)
{
	char msg[4096];
	struct hark_err err = HARK_ERR_INIT;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hark_err_setl(&err, 2, line, col, "source '%s': %.700s", s->name, msg);
	/* the suite's one printer of config errors (redacts, defuses) */
	hark_error_at(s->run->cfg.path ? s->run->cfg.path : "config", &err);
	s->status = hark_exit_merge(s->status, 2);
	s->run->status = hark_exit_merge(s->run->status, 2);
}

long
mf_conf_long(struct mf_source *s, const char *key, long def, long min,
    long max)
{
	const struct hark_config_entry *e = mf_conf_entry(s, key);
	struct hark_err err = HARK_ERR_INIT;
	long n;

	if (e == NULL)
		return def;
	if (hark_config_long(e->value, min, max, &n, &err) < 0) {
		mf_conf_fail(s, e->line, e->column, "%s: %s", key, err.msg);
		return def;
	}
	return n;
}

long
mf_conf_duration(struct mf_source *s, const char *key, long def, long min,
    long max)
{
	const struct hark_config_entry *e = mf_conf_entry(s, key);
	struct hark_err err = HARK_ERR_INIT;
	double d;

	if (e == NULL)
		return def;
	if (mf_parse_duration(e->value, 0, (double)min, (double)max, &d,
	    &err) < 0) {
		mf_conf_fail(s, e->line, e->column, "%s: %s", key, err.msg);
		return def;
	}
	return (long)d;
}

int
mf_conf_bool(struct mf_source *s, const char *key, int def)
{
	const struct hark_config_entry *e = mf_conf_entry(s, key);
	struct hark_err err = HARK_ERR_INIT;
	int b;

	if (e == NULL)
		return def;
	if (hark_config_bool(e->value, &b, &err) < 0) {
		mf_conf_fail(s, e->line, e->column, "%s: %s", key, err.msg);
		return def;
	}
	return b;
}

/* SECS as the largest exact unit: "30d", "1h", "90s", "0.5s". */
static void
fmt_duration(double secs, char *out, size_t n)
{
	static const struct { long mul; char unit; } u[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' }
	};
	size_t i;

	if (secs != (double)(long)secs || secs == 0) {
		snprintf(out, n, "%gs", secs);
		return;
	}
	for (i = 0; i < HARK_ARRAY_SIZE(u); i++)
		if ((long)secs % u[i].mul == 0) {
			snprintf(out, n, "%ld%c", (long)secs / u[i].mul,
			    u[i].unit);
			return;
		}
}

/* Decimal seconds with an optional unit: "0.5", "0.25s", "250ms",
 * "1.5h".  Plain digits only (no sign, exponent or locale). */
static int
parse_decimal_duration(const char *v, double *out)
{
	const char *p = v;
	double d = 0, scale = 1;
	int digits = 0;

	while (isdigit((unsigned char)*p)) {
		if (d > 1e12)
			return -1;
		d = d * 10 + (*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			scale /= 10;
			d += (*p++ - '0') * scale;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	if (strcmp(p, "ms") == 0)
		d /= 1000;
	else if (strcmp(p, "m") == 0)
		d *= 60;
	else if (strcmp(p, "h") == 0)
		d *= 3600;
	else if (strcmp(p, "d") == 0)
		d *= 86400;
	else if (strcmp(p, "w") == 0)
		d *= 7 * 86400;
	else if (*p != '\0' && strcmp(p, "s") != 0)
		return -1;
	*out = d;
	return 0;
}

int
mf_parse_duration(const char *v, int frac, double min, double max,
    double *out, struct hark_err *err)
{
	char lo[32], hi[32];
	long secs;
	double d;

	if (hark_config_duration(v, &secs, NULL) == 0)
		d = (double)secs;
	else if (!frac || parse_decimal_duration(v, &d) < 0)
		return hark_err_set(err, 2, "'%s' is not a duration (e.g. %s)",
		    v, frac ? "0.5s, 250ms, 90s, 15m, 4h, 2d" :
		    "90s, 15m, 4h, 2d, 1w, 1h30m");
	if (d < min || d > max) {
		fmt_duration(min, lo, sizeof(lo));
		fmt_duration(max, hi, sizeof(hi));
		return hark_err_set(err, 2, "'%s' is out of range (%s to %s)",
		    v, lo, hi);
	}
	*out = d;
	return 0;
}

/* N bytes as the largest exact binary unit: "16M", "100". */
static void
fmt_size(size_t n, char *out, size_t len)
{
	static const char units[] = "kMG";
	int i = -1;

	while (i < 2 && n != 0 && n % 1024 == 0) {
		n /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(out, len, "%zu", n);
	else
		snprintf(out, len, "%zu%c", n, units[i]);
}

int
mf_parse_size(const char *v, size_t min, size_t max, size_t *out,
    struct hark_err *err)
{
	static const char units[] = "kmg";
	const char *p = v, *u;
	char lo[32], hi[32];
	size_t n = 0, mul = 1;
	int i;

	if (!isdigit((unsigned char)*p))
		goto bad;
	while (isdigit((unsigned char)*p)) {
		if (n > (SIZE_MAX - 9) / 10)
			goto range;
		n = n * 10 + (size_t)(*p++ - '0');
	}
	if (*p != '\0') {
		if (p[1] != '\0' || (u = strchr(units,
		    tolower((unsigned char)*p))) == NULL)
			goto bad;
		for (i = 0; i <= u - units; i++)
			mul *= 1024;
		if (n > SIZE_MAX / mul)
			goto range;
		n *= mul;
	}
	if (n < min || n > max)
		goto range;
	*out = n;
	return 0;
bad:
	return hark_err_set(err, 2, "'%s' is not a size (bytes, or with a "
	    "suffix k, M or G: 512k, 16M)", v);
range:
	fmt_size(min, lo, sizeof(lo));
	fmt_size(max, hi, sizeof(hi));
	return hark_err_set(err, 2, "'%s' is out of range (%s to %s bytes)",
	    v, lo, hi);
}

void
mf_param(struct hark_buf *b, const char *name, const char *value)
{
	char *e = hark_http_escape(value);

	hark_buf_addf(b, "%c%s=%s", strchr(hark_buf_str(b), '?') ? '&' : '?',
	    name, e);
	free(e);
}

void
mf_set_bearer(struct mf_source *s, const char *token)
{
	if (s->auth != NULL) {
		memset(s->auth, 0, strlen(s->auth));
		free(s->auth);
	}
	s->auth = hark_xasprintf("Authorization: Bearer %s", token);
	hark_redact_add(token);
}

hark_time_t
mf_time(const char *s)
{
	hark_time_t t;

	if (s == NULL || hark_time_parse_rfc3339(s, &t, NULL) < 0)
		return -1;
	return t;
}

/* Now as epoch seconds (HARK_NOW honoured), for reset headers. */
hark_time_t
mf_now(struct mf_run *run)
{
	hark_time_t t;

	if (hark_now(&t, NULL) < 0)
		t = run->now;
	return t;
}

int
mf_backfill(const struct mf_source *s)
{
	return s->run->since >= 0;
}

/* --- state ---------------------------------------------------------- */

static char *
safe_name(const char *name)
{
	char *p = hark_xstrdup(name), *q;

	for (q = p; *q != '\0'; q++)
		if (!isalnum((unsigned char)*q) && *q != '-' && *q != '_' &&
		    *q != '.')
			*q = '_';
	if (p[0] == '.')
		p[0] = '_';
	return p;
}

static char *
state_path(struct mf_source *s)
{
	char *n = safe_name(s->name), *p;

	p = hark_xasprintf("%s/source-%s.json", s->run->state_dir, n);
	free(n);
	return p;
}

json_t *
mf_stream(struct mf_source *s, const char *stream)
{
	json_t *streams = json_object_get(s->state, "streams"), *st;

	if (!json_is_object(streams)) {
		streams = json_object();
		json_object_set_new(s->state, "streams", streams);
	}
	st = json_object_get(streams, stream);
	if (!json_is_object(st)) {
		st = json_object();
		json_object_set_new(streams, stream, st);
	}
	return st;
}

json_t *
mf_stream_pending(struct mf_source *s, const char *stream)
{
	json_t *st = json_object_get(s->pending, stream);

	if (st == NULL) {
		st = json_object();
		json_object_set_new(s->pending, stream, st);
	}
	return st;
}

/* Reads see the state as it was when the run started: a stream that
 * commits early must not move the watermark under a sibling stream that
 * shares its name (Facebook "comments", YouTube "replies"). */
const char *
mf_state_get(struct mf_source *s, const char *stream, const char *key)
{
	json_t *streams = json_object_get(s->state0, "streams");

	return json_string_value(json_object_get(json_object_get(streams,
	    stream), key));
}

hark_time_t
mf_watermark(struct mf_source *s, const char *stream)
{
	if (mf_backfill(s))
		return -1;
	return mf_time(mf_state_get(s, stream, "newest_time"));
}

static void
state_write(struct mf_source *s)
{
	struct hark_err err = HARK_ERR_INIT;
	char *path, *text;

	if (s->run->no_state || !s->dirty || s->run->defer_commit)
		return;
	path = state_path(s);
	json_object_set_new(s->state, "v", json_integer(1));
	json_object_set_new(s->state, "source", json_string(s->name));
	json_object_set_new(s->state, "type", json_string(s->type));
	text = hark_json_dumps(s->state, JSON_INDENT(1) | JSON_SORT_KEYS);
	if (text == NULL || hark_write_atomic(path, text, strlen(text), 0600,
	    &err) < 0)
		mf_fail(s, 1, "cannot save state: %s", err.msg);
	else
		s->dirty = 0;
	free(text);
	free(path);
}

void
mf_stream_done(struct mf_source *s, const char *stream)
{
	json_t *pend = json_object_get(s->pending, stream), *st;
	const char *k;
	json_t *v;

	if (pend == NULL)
		return;
	/* records of the stream are still kept by the driver: its cursor
	 * moves once they are written (the driver calls again) */
	if (s->drv->commit_later != NULL && s->drv->commit_later(s, stream))
		return;
	if (strncmp(stream, "thread:", 7) == 0 ||
	    json_is_true(json_object_get(pend, "_failed"))) {
		/* one thread of many: dedup covers it, no state kept; or a
		 * call of this stream failed: keep the old watermark so the
		 * next run fetches what this one missed */
		json_object_del(s->pending, stream);
		return;
	}
	st = mf_stream(s, stream);
	json_object_foreach(pend, k, v)
		json_object_set(st, k, v);
	json_object_del(s->pending, stream);
	s->dirty = 1;
	state_write(s);
}

void
mf_state_load_source(struct mf_source *s)
{
	struct hark_err err = HARK_ERR_INIT;
	char *path, *text;
	json_error_t je;
	size_t len;

	s->pending = json_object();
	if (s->run->no_state) {
		s->state = json_object();
		s->state0 = json_object();
		return;
	}
	path = state_path(s);
	if (access(path, F_OK) != 0) {
		s->state = json_object();
		s->state0 = json_object();
		free(path);
		return;
	}
	text = hark_read_file(path, 64u * 1024 * 1024, &len, &err);
	if (text != NULL)
		s->state = json_loadb(text, len, 0, &je);
	if (text == NULL || !json_is_object(s->state)) {
		/* a damaged state file must not stop cron forever: start
		 * afresh (repeats are removed by the dedup window) */
		hark_warn("source '%s': ignoring unreadable state '%s'",
		    s->name, path);
		json_decref(s->state);
		s->state = json_object();
	}
	free(text);
	free(path);
	s->state0 = json_deep_copy(s->state);
}

/*
 * The dedup journal: "EPOCH ID\n" lines.  Each record's line is appended
 * just before the record is written and taken back when the output
 * refuses the record (deliver_page()), so a record the output accepted is
 * not written again and a record it refused comes again next run.
 */
static void
seen_load(struct mf_run *run)
{
	char *path = hark_xasprintf("%s/seen", run->state_dir);
	char *line = hark_xmalloc(SEEN_LINE_MAX + 2);
	FILE *fp = fopen(path, "r");
	long lineno = 0;
	size_t n;

	run->seen = json_object();
	if (fp != NULL) {
		while (fgets(line, SEEN_LINE_MAX + 2, fp) != NULL) {
			char *end, *id;
			long long t;
			int c;

			lineno++;
			n = strlen(line);
			if (n > SEEN_LINE_MAX) {
				/* a corrupt journal must not take all memory:
				 * skip the line, say where it was */
				while (line[n - 1] != '\n' && (c = getc(fp)) !=
				    EOF && c != '\n')
					;
				hark_warn("%s:%ld: line longer than %d bytes "
				    "ignored", path, lineno, SEEN_LINE_MAX);
				continue;
			}
			if (n == 0 || line[n - 1] != '\n')
				break;	/* torn line of a killed run */
			line[n - 1] = '\0';
			errno = 0;
			t = strtoll(line, &end, 10);
			if (errno != 0 || *end != ' ')
				continue;
			id = end + 1;
			if (t < (long long)(run->now - run->dedup_window))
				continue;
			json_object_set_new(run->seen, id, json_integer(t));
		}
		if (ferror(fp)) {
			hark_error("cannot read '%s': %s", path,
			    strerror(errno));
			run->status = hark_exit_merge(run->status, 1);
		}
		fclose(fp);
	}
	free(line);
	free(path);
}

static void
seen_compact(struct mf_run *run)
{
	struct hark_buf b = HARK_BUF_INIT(SIZE_MAX / 2);
	struct hark_err err = HARK_ERR_INIT;
	char *path = hark_xasprintf("%s/seen", run->state_dir);
	const char *k;
	json_t *v;

	if (run->seen_fd >= 0) {
		close(run->seen_fd);
		run->seen_fd = -1;
	}
	json_object_foreach(run->seen, k, v)
		hark_buf_addf(&b, "%lld %s\n",
		    (long long)json_integer_value(v), k);
	if (hark_write_atomic(path, hark_buf_str(&b), b.len, 0600, &err) < 0) {
		hark_error("cannot save the dedup journal: %s", err.msg);
		run->status = hark_exit_merge(run->status, 1);
	}
	hark_buf_release(&b);
	free(path);
}

/* Remember ID as written (the journal line goes into seen_pending, which
 * deliver_page() appends before the page is written). */
static void
seen_append(struct mf_run *run, const char *id)
{
	json_object_set_new(run->seen, id, json_integer(run->now));
	if (run->no_state || run->defer_commit)
		return;
	if (strlen(id) + 24 > SEEN_LINE_MAX) {
		char clean[80];

		hark_sanitize(clean, sizeof(clean), id, 60);
		hark_warn("id '%s...' is too long for the dedup journal: a "
		    "later run may repeat it", clean);
		return;
	}
	hark_buf_addf(&run->seen_pending, "%lld %s\n", (long long)run->now,
	    id);
}

/* A journal write failed: report it once; the run exits 1. */
static void
journal_failed(struct mf_run *run, const char *what)
{
	if (!run->journal_failed)
		hark_error("cannot write the dedup journal '%s/seen': %s (the "
		    "next run may repeat these records)", run->state_dir,
		    what);
	run->journal_failed = 1;
	run->status = hark_exit_merge(run->status, 1);
}

/* Write all N bytes of P to FD; the bytes written go to *DONE. */
static int
write_all(int fd, const char *p, size_t n, size_t *done)
{
	*done = 0;
	while (*done < n) {
		ssize_t w = write(fd, p + *done, n - *done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		*done += (size_t)w;
	}
	return 0;
}

/* Open the journal for appending.  A run killed while appending may have
 * left a torn last line: cut it, so the next line is not glued to it. */
static int
journal_open(struct mf_run *run)
{
	char *path = hark_xasprintf("%s/seen", run->state_dir), buf[4096];
	off_t end, at;
	ssize_t n, i;

	run->seen_fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600);
	if (run->seen_fd < 0) {
		journal_failed(run, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	end = lseek(run->seen_fd, 0, SEEK_END);
	for (at = end; at > 0; at -= n) {
		n = (ssize_t)HARK_MIN((off_t)sizeof(buf), at);
		if (pread(run->seen_fd, buf, (size_t)n, at - n) != n)
			break;
		for (i = n; i > 0 && buf[i - 1] != '\n'; i--)
			;
		if (i > 0) {
			at = at - n + i;
			break;
		}
		if (at - n == 0)
			at = n;		/* no newline at all: cut it all */
	}
	if (at < 0)
		at = 0;
	if (at < end && ftruncate(run->seen_fd, at) < 0)
		journal_failed(run, strerror(errno));
	return 0;
}

/* Append LEN bytes of journal lines at P with one write(2); the
 * journal's size before goes to *OFF (-1: nothing was appended). */
static void
journal_append(struct mf_run *run, const char *p, size_t len, off_t *off)
{
	size_t done = 0;

	*off = -1;
	if (len == 0 || run->journal_failed)
		return;
	if (run->seen_fd < 0 && journal_open(run) < 0)
		return;
	if ((*off = lseek(run->seen_fd, 0, SEEK_END)) < 0 ||
	    write_all(run->seen_fd, p, len, &done) < 0) {
		journal_failed(run, strerror(errno));
		if (*off >= 0 && done > 0 && ftruncate(run->seen_fd, *off) < 0)
			journal_failed(run, strerror(errno));
		*off = -1;
	}
}

/*
 * A write to a regular file ended by a kill may have left the file
 * without its last newline: end that line first, so the first record of
 * this run stays whole (the torn one is left for the reader to reject).
 */
static void
output_heal(struct mf_run *run, int fd)
{
	struct stat st;
	char c, path[64];
	int rfd, got;

	run->out_checked = 1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    ((fcntl(fd, F_GETFL) & O_APPEND) == 0 &&
	    lseek(fd, 0, SEEK_CUR) != st.st_size))
		return;
	got = pread(fd, &c, 1, st.st_size - 1) == 1;
	if (!got) {
		/* ">> file" is open for writing only: read it through
		 * /dev/fd where that opens the file anew (Linux) */
		snprintf(path, sizeof(path), "/dev/fd/%d", fd);
		if ((rfd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return;
		got = pread(rfd, &c, 1, st.st_size - 1) == 1;
		close(rfd);
	}
	if (!got || c == '\n')
		return;
	hark_warn("the output did not end with a newline (a killed run?): "
	    "ending its last line");
	if (write(fd, "\n", 1) != 1)
		return;		/* the page write reports it */
}

/*
 * Write the page BUF, whose records end at ENDS[0..N-1] and whose journal
 * lines (in run->seen_pending) end at JENDS[0..N-1], to standard output:
 * for each record, its journal line is appended, then the record is
 * written with one write(2).  A record of at most PIPE_BUF bytes is
 * written whole or not at all to a pipe; to a pipe that is full, the
 * journal line waits until the pipe can take the record, so a run killed
 * while its reader is slow neither loses nor repeats a record.  The one
 * window left is between the two system calls.  When the output refuses
 * a record (a closed pipe, a full disk) its journal line is taken back.
 * With -o FILE the journal is written at the end of the run, after the
 * file is in place.
 */
static void
deliver_page(struct mf_run *run, const struct hark_buf *buf,
    const size_t *ends, const size_t *jends, size_t n)
{
	struct hark_err err = HARK_ERR_INIT;
	size_t done, k, r0 = 0, j0 = 0;
	struct pollfd pfd;
	struct stat st;
	off_t off;
	int fd, e;

	if (buf->len == 0) {
		hark_buf_reset(&run->seen_pending);
		return;
	}
	if (run->out.path != NULL) {
		if (hark_output_write(&run->out, buf->ptr, buf->len) < 0 ||
		    fflush(run->out.fp) != 0 || ferror(run->out.fp)) {
			hark_output_close(&run->out, 0, &err);
			hark_die(1, "%s", err.msg[0] ? err.msg :
			    "write error on the output");
		}
		hark_buf_reset(&run->seen_pending);
		return;
	}
	fd = fileno(run->out.fp);
	if (!run->out_checked) {
		output_heal(run, fd);
		run->out_pipe = fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) ||
		    S_ISSOCK(st.st_mode));
	}
	for (k = 0; k < n; r0 = ends[k], j0 = jends[k], k++) {
		if (run->out_pipe) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
				;
		}
		journal_append(run, jends[k] > j0 ? run->seen_pending.ptr + j0 :
		    "", jends[k] - j0, &off);
		if (write_all(fd, buf->ptr + r0, ends[k] - r0, &done) == 0)
			continue;
		e = errno;
		if (off >= 0 && ftruncate(run->seen_fd, off) < 0)
			journal_failed(run, strerror(errno));
		else if (off == 0) {
			/* nothing journaled: leave no empty journal */
			char *path = hark_xasprintf("%s/seen", run->state_dir);

			unlink(path);
			free(path);
		}
		if (e == EPIPE) {
			/* the reader is gone: end quietly, as by SIGPIPE */
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		hark_die(1, "write error on standard output: %s",
		    strerror(e));
	}
	hark_buf_reset(&run->seen_pending);
}

int
mf_state_open(struct mf_run *run, struct hark_err *err)
{
	run->seen_fd = -1;
	run->journal_failed = 0;
	hark_buf_init(&run->seen_pending, SIZE_MAX / 2);
	if (run->no_state) {
		run->seen = json_object();
		return 0;
	}
	if (hark_mkdir_p(run->state_dir, err) < 0)
		return -1;
	seen_load(run);
	return 0;
}

void
mf_state_close(struct mf_run *run)
{
	size_t i;

	if (!run->no_state && run->defer_commit) {
		run->defer_commit = 0;
		for (i = 0; i < run->nsrc; i++)
			state_write(run->src[i]);
	}
	if (!run->no_state)
		seen_compact(run);
	hark_buf_release(&run->seen_pending);
}

/* --- output --------------------------------------------------------- */

static int
excluded(struct mf_source *s, json_t *rec)
{
	json_t *a = json_object_get(rec, "author");
	const char *vals[3], *url, *h;
	size_t i, j, hl, dl;

	vals[0] = json_string_value(json_object_get(a, "handle"));
	vals[1] = json_string_value(json_object_get(a, "id"));
	vals[2] = json_string_value(json_object_get(a, "name"));
	for (i = 0; i < s->nxauthors; i++)
		for (j = 0; j < 3; j++) {
			const char *v = vals[j];

			if (v != NULL && *v == '@')
				v++;
			if (v != NULL && strcasecmp(v, s->xauthors[i]) == 0)
				return 1;
		}
	url = json_string_value(json_object_get(rec, "url"));
	if (s->nxdomains == 0 || url == NULL || (h = strstr(url, "://")) ==
	    NULL)
		return 0;
	h += 3;
	hl = strcspn(h, "/?#:");
	for (i = 0; i < s->nxdomains; i++) {
		dl = strlen(s->xdomains[i]);
		if (hl >= dl && strncasecmp(h + hl - dl, s->xdomains[i],
		    dl) == 0 && (hl == dl || h[hl - dl - 1] == '.'))
			return 1;
	}
	return 0;
}

static hark_time_t
rec_time(json_t *rec)
{
	hark_time_t c = mf_time(json_string_value(json_object_get(rec,
	    "created_at")));
	hark_time_t u = mf_time(json_string_value(json_object_get(rec,
	    "updated_at")));

	return u > c ? u : c;
}

/* Keep the larger of two cursors: numbers by value, else strings. */
static int
cursor_newer(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (strspn(a, "0123456789") == la && strspn(b, "0123456789") == lb &&
	    la != lb)
		return la > lb;
	return strcmp(a, b) > 0;
}

/* The records of one page on their way out: their lines, where each
 * ends, and where its journal line ends in run->seen_pending. */
struct outpage {
	struct hark_buf buf;
	size_t *ends, *jends, n;
	int broken;		/* recovered from a broken body: not journaled */
};
#define OUTPAGE_INIT { HARK_BUF_INIT(SIZE_MAX / 2), NULL, NULL, 0, 0 }

/* Add REC (id ID) to OP unless the record limit is reached: 0, or -1 to
 * stop the page (limit). */
static int
emit_one(struct mf_source *s, struct hark_buf *line, struct outpage *op,
    json_t *rec, const char *id)
{
	struct mf_run *run = s->run;

	if (s->limit > 0 && s->records >= s->limit) {
		s->limited = 1;
		return -1;
	}
	hark_buf_reset(line);
	if (hark_json_append(line, rec, 0) < 0 ||
	    hark_buf_addch(line, '\n') < 0 ||
	    hark_buf_add(&op->buf, line->ptr, line->len) < 0) {
		mf_fail(s, 1, "record '%s' too large", id);
		return 0;
	}
	if (!op->broken)
		seen_append(run, id);
	op->ends = hark_xrealloc(op->ends, (op->n + 1) * sizeof(*op->ends));
	op->jends = hark_xrealloc(op->jends, (op->n + 1) *
	    sizeof(*op->jends));
	op->ends[op->n] = op->buf.len;
	op->jends[op->n++] = run->seen_pending.len;
	s->records++;
	run->records++;
	return 0;
}

/* Write and journal OP's records (deliver_page()), then release OP. */
static void
outpage_deliver(struct mf_run *run, struct outpage *op)
{
	deliver_page(run, &op->buf, op->ends, op->jends, op->n);
	hark_buf_release(&op->buf);
	free(op->ends);
	free(op->jends);
}

static void
handle_records(struct mf_source *s, struct mf_call *c, struct mf_page *pg)
{
	struct mf_run *run = s->run;
	struct hark_buf line = HARK_BUF_INIT(64u * 1024 * 1024);
	struct outpage op = OUTPAGE_INIT;
	json_t *pend = mf_stream_pending(s, c->stream), *rec, *w;
	hark_time_t wm = mf_watermark(s, c->stream), t;
	const char *nt = json_string_value(json_object_get(pend,
	    "newest_time"));
	const char *nc = json_string_value(json_object_get(pend, "newest"));
	char tb[HARK_TIME_BUFSZ];
	size_t i;

	/* sources whose items may turn up late with an older date (feeds:
	 * backdated posts, Alerts; Bluesky: client-declared createdAt):
	 * items are "old" only beyond the dedup window; inside it, the
	 * dedup set decides */
	if (wm >= 0 && s->drv->late_items)
		wm = HARK_MIN(wm, run->now - run->dedup_window + run->overlap);

	if (pg->newest != NULL && (nc == NULL || cursor_newer(pg->newest, nc)))
		json_object_set_new(pend, "newest", json_string(pg->newest));
	json_array_foreach(json_object_get(pg->extra, "warnings"), i, w) {
		s->warnings++;
		hark_warn("%s: %s", s->name, json_string_value(w));
	}
	/* a body that was broken and partly recovered: its records go out
	 * but are not remembered (their dates may be the fetch time) */
	op.broken = json_string_value(json_object_get(pg->extra,
	    "malformed")) != NULL;
	json_array_foreach(pg->records, i, rec) {
		const char *id = json_string_value(json_object_get(rec, "id"));

		if (id == NULL)
			continue;
		t = rec_time(rec);
		/* an item dated in the future, or one whose date was
		 * unusable (the mapper put the fetch time), must not move
		 * the watermark: it would hide real items next time */
		if (t >= 0 && t < run->now && (nt == NULL || t > mf_time(nt))) {
			json_object_set_new(pend, "newest_time",
			    json_string(hark_time_format(t, tb)));
			nt = json_string_value(json_object_get(pend,
			    "newest_time"));
		}
		if (run->since >= 0 && t >= 0 && t < run->since) {
			s->old++;
			c->reached = 1;
			continue;
		}
		if (wm >= 0 && t >= 0 && t < wm - run->overlap) {
			s->old++;
			c->reached = 1;
			continue;
		}
		/* the brand's own items always pass (responses are measured
		 * from them); so does the rest of a thread whose root
		 * matched (kind != 0: thread, replies, comments calls) */
		if (!json_is_true(json_object_get(json_object_get(rec,
		    "author"), "is_brand")) && ((c->kind == 0 &&
		    !hark_query_match(s->query, rec)) || excluded(s, rec))) {
			s->unmatched++;
			continue;
		}
		if (json_object_get(run->seen, id) != NULL) {
			s->dups++;
			continue;
		}
		/* the driver may complete the record, or keep it until an
		 * answer it waits for arrives (it then calls mf_emit()) */
		if (s->drv->amend != NULL && s->drv->amend(s, c, rec))
			continue;
		if (emit_one(s, &line, &op, rec, id) < 0)
			break;
	}
	hark_buf_release(&line);
	outpage_deliver(run, &op);
}

void
mf_emit(struct mf_source *s, json_t *recs)
{
	struct hark_buf line = HARK_BUF_INIT(64u * 1024 * 1024);
	struct outpage op = OUTPAGE_INIT;
	json_t *rec;
	size_t i;

	json_array_foreach(recs, i, rec) {
		const char *id = json_string_value(json_object_get(rec, "id"));

		if (id == NULL)
			continue;
		if (json_object_get(s->run->seen, id) != NULL) {
			s->dups++;
			continue;
		}
		if (emit_one(s, &line, &op, rec, id) < 0)
			break;
	}
	hark_buf_release(&line);
	outpage_deliver(s->run, &op);
}

/* --- archive -------------------------------------------------------- */

static void
archive(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	struct mf_run *run = s->run;
	struct hark_err err = HARK_ERR_INIT;
	char tb[HARK_TIME_BUFSZ], stamp[32], red[1024], *name, *path, *ct;
	char *n = safe_name(s->name), *idx, *etag;
	const char *ext = "txt";
	hark_time_t now;
	json_t *entry;
	gzFile gz;
	FILE *fp;
	size_t i, j;
	int fd;

	if (hark_now(&now, NULL) < 0)
		now = run->now;
	hark_time_format(now, tb);
	for (i = j = 0; tb[i] != '\0' && j < sizeof(stamp) - 1; i++)
		if (tb[i] != '-' && tb[i] != ':')
			stamp[j++] = tb[i];
	stamp[j] = '\0';
	ct = hark_http_header(r, "content-type");
	if (ct != NULL && strstr(ct, "json") != NULL)
		ext = "json";
	else if (ct != NULL && strstr(ct, "xml") != NULL)
		ext = "xml";
	else if (r->len > 0 && (r->body[0] == '{' || r->body[0] == '['))
		ext = "json";
	else if (r->len > 0 && r->body[0] == '<')
		ext = "xml";
	free(ct);
	if (hark_mkdir_p(run->archive_dir, &err) < 0) {
		mf_fail(s, 1, "archive: %s", err.msg);
		free(n);
		return;
	}
	for (;;) {
		name = hark_xasprintf("%s-%s-%04ld.%s.gz", n, stamp,
		    ++run->archive_seq, ext);
		path = hark_xasprintf("%s/%s", run->archive_dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
		free(name);
		free(path);
	}
	if (fd < 0 || (gz = gzdopen(fd, "wb")) == NULL) {
		mf_fail(s, 1, "cannot create '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if ((r->len > 0 && gzwrite(gz, r->body, (unsigned)r->len) == 0) ||
	    gzclose(gz) != Z_OK) {
		mf_fail(s, 1, "write error on '%s'", path);
		goto out;
	}
	etag = hark_http_header(r, "etag");
	hark_http_redact(r->url, red, sizeof(red));
	hark_redact(red, sizeof(red));	/* secrets in any parameter */
	entry = json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:s?}", "file", name,
	    "source", s->name, "stream", c->stream, "url", red, "status",
	    (json_int_t)r->status, "fetched_at", tb, "etag", etag);
	free(etag);
	idx = hark_xasprintf("%s/index.ndjson", run->archive_dir);
	if ((fp = fopen(idx, "a")) != NULL) {
		char *js = hark_json_dumps(entry, JSON_COMPACT);

		fprintf(fp, "%s\n", js);
		free(js);
		if (fclose(fp) != 0)
			mf_fail(s, 1, "write error on '%s'", idx);
	}
	free(idx);
	json_decref(entry);
out:
	free(name);
	free(path);
	free(n);
}

/* --- calls ---------------------------------------------------------- */

static void on_done(void *udata, struct hark_http_req *req,
    const struct hark_http_resp *resp);

static void
call_free(struct mf_call *c)
{
	if (c == NULL)
		return;
	free(c->stream);
	free(c->arg);
	free(c->method);
	free(c->url);
	if (c->body != NULL) {
		memset(c->body, 0, strlen(c->body));
		free(c->body);
	}
	free(c->ctype);
	free(c->headers);
	free(c->tmpl);
	free(c);
}

static void
submit_call(struct mf_source *s, struct mf_call *c)
{
	struct hark_http_req *req;

	/* at most max_inflight calls of one source at a time (APIs count
	 * concurrent requests); the rest wait in order, logins go first */
	if (s->inflight >= s->max_inflight && c->kind != -1) {
		c->qnext = NULL;
		if (s->qtail != NULL)
			s->qtail->qnext = c;
		else
			s->qhead = c;
		s->qtail = c;
		return;
	}
	req = hark_http_req_new(c->method, c->url, on_done, c);

	if (s->auth != NULL && c->kind >= 0 && !c->foreign)
		hark_http_req_header(req, s->auth);
	if (s->userpwd != NULL && c->kind >= 0 && !c->foreign)
		hark_http_req_userpwd(req, s->userpwd);
	if (c->headers != NULL) {
		char *h = hark_xstrdup(c->headers), *p, *nl;

		for (p = h; p != NULL && *p != '\0'; p = nl) {
			nl = strchr(p, '\n');
			if (nl != NULL)
				*nl++ = '\0';
			hark_http_req_header(req, p);
		}
		free(h);
	}
	if (c->body != NULL)
		hark_http_req_body(req, c->ctype, c->body, strlen(c->body));
	if (s->drv->classify != NULL)
		hark_http_req_classify(req, s->drv->classify);
	if (c->once)		/* reply-send: never posted twice */
		hark_http_req_once(req);
	if (c->kind == -1 && c->arg != NULL) {	/* login with Basic auth */
		hark_redact_add(c->arg);	/* "id:secret", its base64 */
		hark_http_req_userpwd(req, c->arg);
	}
	s->inflight++;
	s->requests++;
	s->run->requests++;
	/* the last answer said the rate limit is used up: wait for its
	 * reset before asking again */
	hark_http_submit_after(s->run->http, req, s->pause_until > 0 ?
	    s->pause_until - mf_clock() : 0);
}

struct mf_call *
mf_call_new(struct mf_source *s, const char *method, const char *url,
    const char *stream, int page, int kind)
{
	struct mf_call *c = hark_xcalloc(1, sizeof(*c));

	c->src = s;
	c->stream = hark_xstrdup(stream);
	c->page = page;
	c->kind = kind;
	c->method = hark_xstrdup(method);
	c->url = hark_xstrdup(url);
	return c;
}

/* Whether URL is http: or https:. */
static int
http_url(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0;
}

/* "scheme://host:port" of URL (lower case, default port filled in) into
 * OUT; -1 when URL has no "scheme://". */
static int
url_origin(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://"), *a, *end, *h, *he, *port = NULL;
	size_t i, o = 0;

	if (p == NULL || n < 16)
		return -1;
	a = p + 3;
	end = a + strcspn(a, "/?#");
	for (h = a, i = 0; a + i < end; i++)	/* userinfo@ */
		if (a[i] == '@')
			h = a + i + 1;
	if (*h == '[') {
		he = memchr(h, ']', (size_t)(end - h));
		he = he != NULL ? he + 1 : end;
	} else {
		he = memchr(h, ':', (size_t)(end - h));
		if (he == NULL)
			he = end;
	}
	if (he < end && *he == ':')
		port = he + 1;
	for (i = 0; url + i < p && o < n - 1; i++)
		out[o++] = (char)tolower((unsigned char)url[i]);
	o += (size_t)snprintf(out + o, n - o, "://%.*s:", (int)(he - h), h);
	if (o >= n)
		return -1;
	for (i = (size_t)(p - url) + 3; i < o; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	if (port != NULL)
		snprintf(out + o, n - o, "%.*s", (int)(end - port), port);
	else
		snprintf(out + o, n - o, "%s", strncmp(out, "https:", 6) == 0 ?
		    "443" : strncmp(out, "http:", 5) == 0 ? "80" : "");
	return 0;
}

/* URL without userinfo and without the query parameters that contain a
 * known secret (a new string). */
static char *
strip_credentials(const char *url)
{
	struct hark_buf b = HARK_BUF_INIT(SIZE_MAX / 2);
	const char *p = strstr(url, "://"), *a, *end, *at = NULL, *q;

	if (p != NULL) {
		a = p + 3;
		end = a + strcspn(a, "/?#");
		for (q = a; q < end; q++)
			if (*q == '@')
				at = q;
		if (at != NULL) {
			hark_buf_add(&b, url, (size_t)(a - url));
			url = at + 1;
		}
	}
	q = strchr(url, '?');
	if (q == NULL) {
		hark_buf_addstr(&b, url);
		return hark_buf_detach(&b, NULL);
	}
	hark_buf_add(&b, url, (size_t)(q - url));
	for (p = q + 1; *p != '\0' && *p != '#'; ) {
		size_t n = strcspn(p, "&#");

		if (n > 0 && !hark_redact_contains(p, n)) {
			hark_buf_addch(&b, strchr(hark_buf_str(&b), '?') ?
			    '&' : '?');
			hark_buf_add(&b, p, n);
		}
		p += n;
		if (*p == '&')
			p++;
	}
	hark_buf_addstr(&b, p);
	return hark_buf_detach(&b, NULL);
}

void
mf_call_submit(struct mf_source *s, struct mf_call *c)
{
	if (s->halted) {		/* throttled beyond --max-wait */
		call_free(c);
		return;
	}
	/* the one check of every URL mention-fetch requests: only the
	 * configured feed may be a local file; a link taken from a response
	 * (paging, threads, anything) must be http or https */
	if (!http_url(c->url) && (s->url == NULL || strcmp(c->url, s->url) !=
	    0)) {
		char red[1024];

		mf_fail(s, 3, "%s: refusing to fetch '%s': only the configured "
		    "'url' may be other than http or https", c->stream,
		    hark_http_redact(c->url, red, sizeof(red)));
		call_free(c);
		return;
	}
	if (s->logging_in && c->kind >= 0)
		mf_park(s, c);
	else
		submit_call(s, c);
}

struct mf_call *
mf_submit(struct mf_source *s, const char *method, const char *url,
    const char *stream, int page, int kind, const char *arg,
    const char *ctype, const char *body)
{
	struct mf_call *c = mf_call_new(s, method, url, stream, page, kind);

	c->arg = arg ? hark_xstrdup(arg) : NULL;
	c->body = body ? hark_xstrdup(body) : NULL;
	c->ctype = ctype ? hark_xstrdup(ctype) : NULL;
	mf_call_submit(s, c);
	return c;
}

void
mf_resubmit(struct mf_source *s, struct mf_call *c)
{
	c->relogin = 1;
	submit_call(s, c);
}

void
mf_park(struct mf_source *s, struct mf_call *c)
{
	s->parked = hark_xrealloc(s->parked, (s->nparked + 1) *
	    sizeof(*s->parked));
	s->parked[s->nparked++] = c;
}

void
mf_unpark(struct mf_source *s, int ok)
{
	struct mf_call **p = s->parked;
	size_t i, n = s->nparked;

	s->parked = NULL;
	s->nparked = 0;
	for (i = 0; i < n; i++) {
		if (ok)
			mf_resubmit(s, p[i]);
		else
			call_free(p[i]);
	}
	free(p);
}

void
mf_body_reason(const struct hark_http_resp *r, char *out, size_t n)
{
	static const char *const keys[] = {
		"error.message", "message", "detail", "error_description",
		"title", "error", "errors.0.message", "errors.0.detail"
	};
	json_t *j = json_loadb(r->body ? r->body : "", r->len, 0, NULL);
	const char *msg = NULL;
	size_t i;

	out[0] = '\0';
	for (i = 0; j != NULL && msg == NULL && i < HARK_ARRAY_SIZE(keys);
	    i++) {
		char path[64], *p, *save;
		json_t *v = j;

		snprintf(path, sizeof(path), "%s", keys[i]);
		for (p = path; p != NULL && v != NULL; p = save) {
			save = strchr(p, '.');
			if (save != NULL)
				*save++ = '\0';
			if (json_is_array(v))
				v = json_array_get(v, strtoul(p, NULL, 10));
			else
				v = json_object_get(v, p);
		}
		msg = json_string_value(v);
	}
	/* a server may echo the token it refuses: redact before cutting,
	 * or a cut could leave part of a secret unrecognised */
	if (msg != NULL) {
		size_t ml = strlen(msg), sz = 2 * ml + 16;
		char *m = memcpy(hark_xmalloc(sz), msg, ml + 1);

		ml = hark_redact(m, sz);
		hark_sanitize(out, n, m, ml > 160 ? 160 : ml);
		free(m);
	} else if (r->len > 0 && j == NULL && r->body[0] != '<') {
		size_t sz = 2 * r->len + 16, ml;
		char *m = hark_xmalloc(sz);

		memcpy(m, r->body, r->len);
		m[r->len] = '\0';
		ml = hark_redact(m, sz);

		hark_sanitize(out, n, m, ml > 80 ? 80 : ml);
		free(m);
	}
	json_decref(j);
}

/* Every token-like member (a name with "token", "jwt", "secret" or
 * "password") of the JSON value V, depth first. */
static void
register_json_tokens(json_t *v, int depth)
{
	const char *k;
	json_t *m;
	size_t i;

	if (depth > 8)
		return;
	if (json_is_array(v))
		json_array_foreach(v, i, m)
			register_json_tokens(m, depth + 1);
	if (!json_is_object(v))
		return;
	json_object_foreach(v, k, m) {
		char lk[64];

		for (i = 0; k[i] != '\0' && i < sizeof(lk) - 1; i++)
			lk[i] = (char)tolower((unsigned char)k[i]);
		lk[i] = '\0';
		if (json_is_string(m) && (strstr(lk, "token") != NULL ||
		    strstr(lk, "jwt") != NULL || strstr(lk, "secret") != NULL ||
		    strstr(lk, "password") != NULL))
			hark_redact_add(json_string_value(m));
		else
			register_json_tokens(m, depth + 1);
	}
}

/* A login or token answer carries new secrets (access and refresh
 * tokens, session JWTs): no message may print them, whatever the
 * driver does with them. */
static void
register_tokens(const struct hark_http_resp *r)
{
	json_t *j = json_loadb(r->body ? r->body : "", r->len, 0, NULL);

	register_json_tokens(j, 0);
	json_decref(j);
}

static const char *
phrase(long status)
{
	switch (status) {
	case 400: return " Bad Request";
	case 401: return " Unauthorized";
	case 403: return " Forbidden";
	case 404: return " Not Found";
	case 405: return " Method Not Allowed";
	case 410: return " Gone";
	case 429: return " Too Many Requests";
	case 500: return " Internal Server Error";
	case 502: return " Bad Gateway";
	case 503: return " Service Unavailable";
	default: return "";
	}
}

int
mf_next_page(struct mf_source *s, struct mf_call *c, const char *url,
    const struct mf_page *pg)
{
	struct mf_call *n;
	char o1[512], o2[512];
	int foreign = 0;

	(void)pg;
	if (url == NULL || c->reached) {
		mf_stream_done(s, c->stream);
		return 0;
	}
	if (s->limited) {
		/* items remain below the limit: keep the old watermark so
		 * the next run reaches them (dedup drops the repeats) */
		json_object_del(s->pending, c->stream);
		return 0;
	}
	if (c->page >= s->max_pages) {
		if (mf_watermark(s, c->stream) >= 0)
			hark_warn("source '%s': %s: stopped after %d pages "
			    "(max_pages); older new items were not fetched",
			    s->name, c->stream, c->page);
		mf_stream_done(s, c->stream);
		return 0;
	}
	if (url_origin(url, o1, sizeof(o1)) < 0 ||
	    url_origin(c->url, o2, sizeof(o2)) < 0 || strcmp(o1, o2) != 0)
		foreign = 1;
	if (foreign && !c->foreign && http_url(url) && (s->auth != NULL || s->userpwd != NULL ||
	    hark_redact_contains(url, strlen(url)))) {
		char clean[300];

		hark_sanitize(clean, sizeof(clean), o1, strlen(o1));
		s->warnings++;
		hark_warn("source '%s': %s: the next page is on another host "
		    "('%s'): fetching it without credentials", s->name,
		    c->stream, clean);
	}
	foreign |= c->foreign;
	if (foreign) {
		char *u = strip_credentials(url);

		n = mf_call_new(s, "GET", u, c->stream, c->page + 1, c->kind);
		free(u);
	} else {
		n = mf_call_new(s, "GET", url, c->stream, c->page + 1,
		    c->kind);
		n->headers = c->headers ? hark_xstrdup(c->headers) : NULL;
	}
	n->foreign = foreign;
	n->arg = c->arg ? hark_xstrdup(c->arg) : NULL;
	n->tmpl = c->tmpl ? hark_xstrdup(c->tmpl) : NULL;
	mf_call_submit(s, n);
	return 1;
}

static void
source_finished(struct mf_source *s)
{
	struct mf_run *run = s->run;

	if (s->drv->finish != NULL)	/* records it still keeps */
		s->drv->finish(s);
	s->finished = 1;
	state_write(s);
	mf_log(run, 2, "source '%s': %ld records, %ld duplicates, "
	    "%ld not matching, %ld old, %ld requests, %.2f s", s->name,
	    s->records, s->dups, s->unmatched, s->old, s->requests,
	    mf_clock() - s->started);
	progress(run, s, 1);
}

static void
on_done(void *udata, struct hark_http_req *req,
    const struct hark_http_resp *resp)
{
	struct mf_call *c = udata;
	struct mf_source *s = c->src;
	struct mf_run *run = s->run;
	struct hark_err err = HARK_ERR_INIT;
	struct mf_page pg;
	struct mf_map_ctx ctx;
	char red[1024], reason[200], *ctype = NULL;
	int keep = 0, fails_before;

	(void)req;
	memset(&pg, 0, sizeof(pg));
	s->inflight--;
	while (s->qhead != NULL && s->inflight < s->max_inflight) {
		struct mf_call *q = s->qhead;

		s->qhead = q->qnext;
		if (s->qhead == NULL)
			s->qtail = NULL;
		if (s->halted)
			call_free(q);
		else
			submit_call(s, q);
	}
	hark_http_redact(resp->url, red, sizeof(red));
	fails_before = s->nfail;
	if (c->kind < 0)
		register_tokens(resp);
	if (run->archive_dir != NULL && resp->outcome == HARK_HTTP_DONE)
		archive(s, c, resp);
	if (c->answer != NULL) {	/* reply-send's calls (write.c) */
		keep = c->answer(s, c, resp);
		goto out;
	}
	if (resp->outcome != HARK_HTTP_DONE) {
		reason[0] = '\0';
		if (resp->status > 0)
			mf_body_reason(resp, reason, sizeof(reason));
		mf_fail(s, resp->outcome == HARK_HTTP_TEMPFAIL ? 4 : 1,
		    "%s%s%s%s", resp->throttled ? "throttled: " : "",
		    resp->msg, reason[0] ? ": " : "", reason);
		goto out;
	}
	if (resp->status == 304) {
		mf_log(run, 2, "source '%s': %s: not modified", s->name,
		    c->stream);
		mf_stream_done(s, c->stream);
		goto out;
	}
	if (resp->status >= 400 || resp->status < 200 ||
	    (resp->status >= 300 && resp->status < 400)) {
		int h = s->drv->http_error != NULL && !c->relogin ?
		    s->drv->http_error(s, c, resp) : 0;

		if (h == 1) {
			keep = 1;
			goto out;
		}
		if (h == 2)	/* reported (or skipped) by the driver */
			goto out;
		mf_body_reason(resp, reason, sizeof(reason));
		if (c->kind > 0 && (resp->status == 403 || resp->status == 404 ||
		    resp->status == 410)) {
			/* one thread deleted or closed since it was listed:
			 * not a failure of the source */
			s->warnings++;
			hark_warn("source '%s': %s: HTTP %ld%s%s%s, skipped",
			    s->name, c->stream, resp->status,
			    phrase(resp->status), reason[0] ? ": " : "",
			    reason);
			goto out;
		}
		mf_fail(s, 1, "HTTP %ld%s%s%s", resp->status,
		    phrase(resp->status), reason[0] ? ": " : "", reason);
		goto out;
	}
	if (c->kind < 0) {
		s->drv->special(s, c, resp);
		goto out;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctype = hark_http_header(resp, "content-type");
	ctx.source = s->name;
	ctx.type = s->type;
	ctx.base_url = s->base_url ? s->base_url : s->url;
	ctx.request_url = resp->url;
	ctx.content_type = ctype;
	ctx.query = s->monitor;
	ctx.brands = (const char *const *)s->brands;
	ctx.nbrands = s->nbrands;
	ctx.fetched_at = run->now;
	ctx.raw = run->raw;
	pg.records = json_array();
	if (s->drv->map(resp->body, resp->len, &ctx, &pg, &err) < 0) {
		mf_fail(s, err.code == 3 || err.code == 0 ? 3 : err.code,
		    "%s", err.msg);
		mf_log(run, 2, "source '%s': malformed body from %s", s->name,
		    red);
		goto out;
	}
	s->pages++;
	handle_records(s, c, &pg);
	if (json_string_value(json_object_get(pg.extra, "malformed")) != NULL)
		mf_fail(s, 3, "%s", json_string_value(json_object_get(pg.extra,
		    "malformed")));
	{
		double w = hark_http_exhausted(resp, mf_now(run));

		if (w > run->max_wait) {
			/* the whole source is out of calls: stop it once */
			if (!s->halted)
				mf_fail(s, 4, "throttled: rate limit used up, "
				    "reset in %.0f s exceeds --max-wait %.0f s",
				    w, run->max_wait);
			else
				s->nfail++;
			s->halted = 1;
			while (s->qhead != NULL) {
				struct mf_call *q = s->qhead;

				s->qhead = q->qnext;
				call_free(q);
			}
			s->qtail = NULL;
			goto out;
		}
		if (w > 0) {
			mf_log(run, 2, "source '%s': rate limit used up, "
			    "pausing %.0f s", s->name, w);
			s->pause_until = mf_clock() + w;
		}
	}
	s->drv->after_page(s, c, resp, &pg);
out:
	if (s->nfail != fails_before && c->kind >= 0)
		json_object_set_new(mf_stream_pending(s, c->stream), "_failed",
		    json_true());
	if (c->kind < 0 && s->logging_in && !keep && s->status != 0) {
		/* the login failed: what waited for it cannot run */
		s->logging_in = 0;
		mf_unpark(s, 0);
	}
	free(ctype);
	json_decref(pg.records);
	mf_page_release(&pg);
	if (!keep)
		call_free(c);
	if (s->inflight == 0 && s->nparked == 0 && s->qhead == NULL &&
	    !s->finished)
		source_finished(s);
	else
		progress(run, s, 0);
}

/* --- progress and the run ------------------------------------------ */

static void
progress(struct mf_run *run, struct mf_source *s, int final)
{
	double now = mf_clock();
	size_t i, done = 0;

	if (!run->progress)
		return;
	if (!run->tty) {
		/* forced into a file or pipe: whole lines, per source */
		if (final)
			fprintf(stderr, "%s: %s: %s, %ld records, %ld "
			    "requests\n", hark_progname, s->name,
			    s->status == 0 ? "done" : "failed", s->records,
			    s->requests);
		return;
	}
	if (!final && now - run->last_progress < 0.2)
		return;
	run->last_progress = now;
	for (i = 0; i < run->nsrc; i++)
		done += run->src[i]->finished;
	fprintf(stderr, "\r\033[K%s: %zu/%zu sources done, %ld records",
	    hark_progname, done, run->nsrc, run->records);
	for (i = 0; i < run->nsrc; i++)
		if (!run->src[i]->finished)
			fprintf(stderr, " | %s p%ld", run->src[i]->name,
			    run->src[i]->pages);
	fflush(stderr);
}

void
mf_engine_start(struct mf_run *run)
{
	size_t i;

	run->t0 = mf_clock();
	/* a closed pipe must come back as EPIPE from write(2), so the
	 * journal can be cut back first (deliver_page()) */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < run->nsrc; i++) {
		struct mf_source *s = run->src[i];

		s->started = mf_clock();
		if (s->status != 0) {	/* setup failed, reported */
			s->finished = 1;
			continue;
		}
		s->drv->start(s);
		if (s->inflight == 0 && s->nparked == 0 && !s->finished)
			source_finished(s);
	}
}

int
mf_engine_finish(struct mf_run *run)
{
	struct hark_err err = HARK_ERR_INIT;
	double el;

	if (hark_http_run(run->http, &err) < 0)
		hark_die(1, "%s", err.msg);
	if (run->progress && run->tty)
		fputs("\r\033[K", stderr);
	if (hark_output_close(&run->out, 1, &err) < 0)
		hark_die(1, "%s", err.msg);
	mf_state_close(run);
	el = mf_clock() - run->t0;
	if (run->common->verbose >= 1) {
		long dups = 0, un = 0, old = 0;
		size_t i, bad = 0;

		for (i = 0; i < run->nsrc; i++) {
			dups += run->src[i]->dups;
			un += run->src[i]->unmatched;
			old += run->src[i]->old;
			bad += run->src[i]->status != 0;
		}
		fprintf(stderr, "%s: %zu sources (%zu failed), %ld records "
		    "(%ld duplicates, %ld not matching, %ld old skipped), "
		    "%ld requests, %.2f s\n", hark_progname, run->nsrc, bad,
		    run->records, dups, un, old, run->requests, el);
	}
	return run->status;
}

void
mf_http_logger(struct mf_run *run, struct hark_http_opts *o)
{
	o->log = http_log;
	o->logctx = run;
}

/* The engine frees what a mapper left in a page (next, newest, extra). */
void
mf_page_release(struct mf_page *page)
{
	if (page == NULL)
		return;
	free(page->next);
	free(page->newest);
	json_decref(page->extra);
	page->next = NULL;
	page->newest = NULL;
	page->extra = NULL;
}

/* Everything a source owns, then the source (mention-fetch and
 * reply-send build theirs from the configuration their own way). */
void
mf_source_free(struct mf_source *s)
{
	size_t i;

	free(s->name);
	free(s->type);
	free(s->base_url);
	free(s->url);
	free(s->query_src);
	hark_query_free(s->query);
	free(s->native);
	free(s->monitor);
	for (i = 0; i < s->nbrands; i++)
		free(s->brands[i]);
	free(s->brands);
	for (i = 0; i < s->nxauthors; i++)
		free(s->xauthors[i]);
	free(s->xauthors);
	for (i = 0; i < s->nxdomains; i++)
		free(s->xdomains[i]);
	free(s->xdomains);
	hark_secret_free(s->token);
	hark_secret_free(s->secret2);
	hark_secret_free(s->secret3);
	hark_secret_free(s->auth);
	hark_secret_free(s->userpwd);
	json_decref(s->state);
	json_decref(s->state0);
	json_decref(s->scratch);
	json_decref(s->pending);
	free(s->parked);
	free(s);
}
