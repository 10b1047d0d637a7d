/*
 * reply-send - post approved reply drafts where each customer wrote,
 * through the sources' write APIs, once: a journal makes re-runs safe.
 */
#include <ctype.h>
#include <getopt.h>
#include <unistd.h>
#include <curl/curl.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "config.h"
#include "filter.h"
#include "htime.h"
#include "http.h"
#include "lazy.h"
#include "reply.h"
#include "secret.h"
#include "xdg.h"
#include "source/source.h"
#include "source/write.h"
#include "journal.h"
#include "json.h"

static const char synopsis[] =
    "usage: reply-send [-hqv] [-c file] [-o file] [--approve-all]\n"
    "                  [--max-wait secs] [--retry-unconfirmed] [--send]\n"
    "                  [--source name] [--state-dir dir] [--timeout secs]\n"
    "                  [--token-file [source=]file] [file ...]";

static const char help[] =
    "\n"
    "Read reply drafts (NDJSON from reply-draft, reviewed by a person) and\n"
    "post the approved ones (\"reply\": {\"approved\": true}) where the\n"
    "customer wrote, through the [source] sections that mention-fetch\n"
    "reads.  Without --send it only prints what it would send and to whom.\n"
    "Each reply sent is written as a brand-reply mention record.  A journal\n"
    "in the state directory makes a re-run never post a reply twice.\n"
    "\n"
    "Options:\n"
    "      --approve-all        post every draft, approved or not\n"
    "      --max-wait SECS      wait at most SECS per request for retries"
    " (default 60)\n"
    "      --retry-unconfirmed  post again the replies whose answer was"
    " lost and\n"
    "                           whose source cannot read its threads back\n"
    "      --send               really post (default: a dry run)\n"
    "      --source NAME        the [source] section for records of its"
    " type\n"
    "                           (repeatable)\n"
    "      --state-dir DIR      keep the journal in DIR/reply-send\n"
    "      --timeout SECS       give up on one transfer after SECS"
    " (default 30)\n"
    "      --token-file [SOURCE=]FILE\n"
    "                           read SOURCE's token from FILE\n"
    "\n"
    "Exit status: 0 ok, 1 a reply failed, 2 usage or configuration error,\n"
    "3 a record could not be sent (not approved is not an error), 4\n"
    "throttled beyond --max-wait or the journal is locked.\n";

enum {
	OPT_APPROVE_ALL = HARK_OPT_COMMAND_BASE,
	OPT_MAX_WAIT,
	OPT_RETRY_UNCONFIRMED,
	OPT_SEND,
	OPT_SOURCE,
	OPT_STATE_DIR,
	OPT_TIMEOUT,
	OPT_TOKEN_FILE
};

static const struct option longopts[] = {
	{ "approve-all", no_argument, NULL, OPT_APPROVE_ALL },
	{ "max-wait", required_argument, NULL, OPT_MAX_WAIT },
	{ "retry-unconfirmed", no_argument, NULL, OPT_RETRY_UNCONFIRMED },
	{ "send", no_argument, NULL, OPT_SEND },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

enum item_state { IT_PENDING, IT_READBACK, IT_POSTING, IT_DONE };

struct item {
	char *file;
	long line;
	json_t *rec;		/* the answered record (owned) */
	const char *text;	/* borrowed from rec */
	const char *visibility;
	const char *section;	/* the [source] name */
	struct mf_source *src;
	char key[65];
	enum item_state st;
};

struct tfile {
	char *source;		/* NULL: any */
	const char *file;
};

struct send {
	struct hark_common *c;
	struct mf_run run;
	struct item *it;
	size_t nit;
	int send, approve_all, retry_unconfirmed;
	const char **only;	/* --source */
	size_t nonly;
	struct tfile *tfs;
	size_t ntfs;
	double max_wait, timeout;
	char *state_dir;	/* <state>/reply-send */
	struct rs_journal j;
	struct hark_output *out;
	struct hark_lazy lazy;
	int status;
	long sent, skipped, failed;
};

static struct send *the_send;	/* for the write hook */

/* An item's problem, in the data-error format; merges STATUS. */
static void
item_fail(struct send *sd, struct item *it, int status, const char *fmt,
    ...) HARK_PRINTF(4, 5);

static void
item_fail(struct send *sd, struct item *it, int status, const char *fmt, ...)
{
	struct hark_err e = HARK_ERR_INIT;
	char m[sizeof(e.msg)];
	int n;
	va_list ap;

	n = snprintf(e.msg, sizeof(e.msg), "%.200s: ", json_string_value(
	    json_object_get(it->rec, "id")));
	va_start(ap, fmt);
	vsnprintf(m, sizeof(e.msg) - (size_t)n, fmt, ap);
	va_end(ap);
	memcpy(e.msg + n, m, strlen(m) + 1);
	e.code = status;
	hark_report_data_error(it->file, it->line, &e);
	sd->status = hark_exit_merge(sd->status, status);
	if (status != HARK_EXIT_DATA)
		sd->failed++;
	it->st = IT_DONE;
}

/* The [source] section for records of TYPE (the record's query names
 * one when several sections have that type); NULL with *WHY. */
static const char *
section_for(struct send *sd, json_t *rec, const char **why)
{
	const char *type = json_string_value(json_object_get(rec, "source"));
	const char *query = json_string_value(json_object_get(rec, "query"));
	const struct hark_config *cfg = &sd->run.cfg;
	const char *found = NULL, *by_query = NULL;
	size_t i, n = 0, k;

	for (i = 0; type && i < cfg->nsections; i++) {
		const struct hark_config_section *sec = &cfg->sections[i];
		const char *t, *mon;

		if (strcmp(sec->type, "source") != 0 || sec->name == NULL ||
		    (t = hark_config_get(sec, "type")) == NULL ||
		    strcmp(t, type) != 0)
			continue;
		if (sd->nonly > 0) {
			for (k = 0; k < sd->nonly; k++)
				if (strcmp(sd->only[k], sec->name) == 0)
					break;
			if (k == sd->nonly)
				continue;
		}
		n++;
		found = sec->name;
		mon = hark_config_get(sec, "monitor");
		if (query && (strcmp(query, sec->name) == 0 || (mon &&
		    strcmp(query, mon) == 0)))
			by_query = sec->name;
	}
	if (by_query)
		return by_query;
	if (n == 1)
		return found;
	*why = n == 0 ? "no [source] section of its type" : "several [source] "
	    "sections of its type and its query names none: use --source";
	return NULL;
}

static int
on_record(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct send *sd = vctx;
	json_t *rec = r->rec, *reply = json_object_get(rec, "reply"), *t;
	const char *text, *vis, *id, *type, *why = NULL, *section;
	const struct hark_reply_limit *lim;
	struct item *it;
	size_t i;

	if (reply == NULL || json_is_null(reply)) {
		sd->skipped++;	/* nothing drafted (the brand's own post) */
		return HARK_REC_CONSUMED;
	}
	if (!json_is_object(reply))
		return hark_err_set(err, HARK_EXIT_DATA, "\"reply\" is not an "
		    "object"), HARK_REC_REJECT;
	if (!json_is_true(json_object_get(reply, "approved")) &&
	    !sd->approve_all) {
		sd->skipped++;
		return HARK_REC_CONSUMED;
	}
	t = json_object_get(reply, "text");
	if (!json_is_string(t) || json_string_length(t) == 0)
		return hark_err_set(err, HARK_EXIT_DATA, "reply.text is not a "
		    "non-empty string"), HARK_REC_REJECT;
	text = json_string_value(t);
	if (strlen(text) != json_string_length(t))
		return hark_err_set(err, HARK_EXIT_DATA, "reply.text contains "
		    "a NUL character"), HARK_REC_REJECT;
	for (i = 0; i < HARK_RV_COUNT; i++) {
		char ph[40];

		snprintf(ph, sizeof(ph), "{%s}", hark_reply_var_name(
		    (enum hark_reply_var)i));
		if (strstr(text, ph) != NULL)
			return hark_err_set(err, HARK_EXIT_DATA, "reply.text "
			    "still has %s to fill", ph), HARK_REC_REJECT;
	}
	vis = json_string_value(json_object_get(reply, "visibility"));
	if (vis == NULL)
		vis = "public";
	if (strcmp(vis, "public") != 0 && strcmp(vis, "private") != 0)
		return hark_err_set(err, HARK_EXIT_DATA, "reply.visibility is "
		    "neither public nor private"), HARK_REC_REJECT;
	id = json_string_value(json_object_get(rec, "id"));
	type = json_string_value(json_object_get(rec, "source"));
	if (id == NULL || type == NULL || json_string_value(json_object_get(rec,
	    "native_id")) == NULL)
		return hark_err_set(err, HARK_EXIT_DATA, "the record has no "
		    "id, native_id or source to answer"), HARK_REC_REJECT;
	/* a person may have edited the text: measure it again */
	if ((lim = hark_reply_limit_of(type)) != NULL) {
		long n = hark_reply_length(text, strlen(text), lim);
		long max = strcmp(vis, "private") == 0 ? lim->private_limit :
		    lim->limit;

		if (max > 0 && n > max)
			return hark_err_set(err, HARK_EXIT_DATA, "reply.text is "
			    "%ld long, over %s's limit of %ld", n, type, max),
			    HARK_REC_REJECT;
	}
	if ((section = section_for(sd, rec, &why)) == NULL)
		return hark_err_set(err, HARK_EXIT_DATA, "cannot answer on "
		    "'%s': %s", type, why), HARK_REC_REJECT;
	sd->it = hark_xrealloc(sd->it, (sd->nit + 1) * sizeof(*sd->it));
	it = &sd->it[sd->nit++];
	memset(it, 0, sizeof(*it));
	it->file = hark_xstrdup(r->file);
	it->line = r->lineno;
	it->rec = json_incref(rec);
	it->text = text;
	it->visibility = vis;
	it->section = section;
	rs_journal_key(section, id, vis, it->key);
	return HARK_REC_CONSUMED;
}

/* ---- the brand-reply record -------------------------------------- */

static json_t *
jstr(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* The mention record (hark-records(5)) of the reply W posted for IT. */
static json_t *
brand_record(struct send *sd, struct item *it, const struct mf_written *w)
{
	json_t *a = it->rec, *o = json_object(), *au, *th, *m, *ctx;
	const char *type = json_string_value(json_object_get(a, "source"));
	const char *q = json_string_value(json_object_get(a, "query"));
	char id[1024], tb[HARK_TIME_BUFSZ], fb[HARK_TIME_BUFSZ];
	const char *root;
	hark_time_t t;
	json_t *c0 = json_object_get(a, "context");
	size_t k;
	static const char *const mk[] = { "likes", "reposts", "replies",
	    "quotes", "score", "views" };

	if (w->id != NULL)
		snprintf(id, sizeof(id), "%s", w->id);
	else
		snprintf(id, sizeof(id), "%s:%s", type, w->native_id);
	json_object_set_new(o, "v", json_integer(1));
	json_object_set_new(o, "source", json_string(type));
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "native_id", json_string(w->native_id));
	json_object_set_new(o, "kind", json_string(strcmp(it->visibility,
	    "private") == 0 ? "message" : "comment"));
	json_object_set_new(o, "url", jstr(w->url));
	if (w->created_at && hark_time_parse_any(w->created_at, &t, NULL) == 0)
		json_object_set_new(o, "created_at", json_string(
		    hark_time_format(t, tb)));
	else
		json_object_set_new(o, "created_at", json_null());
	json_object_set_new(o, "updated_at", json_null());
	au = json_object();
	json_object_set_new(au, "id", jstr(w->author_id));
	json_object_set_new(au, "handle", jstr(w->author_handle));
	json_object_set_new(au, "name", jstr(w->author_name));
	json_object_set_new(au, "url", json_null());
	json_object_set_new(au, "followers", json_null());
	json_object_set_new(au, "is_brand", json_true());
	json_object_set_new(o, "author", au);
	json_object_set_new(o, "title", json_null());
	json_object_set_new(o, "text", json_string(it->text));
	json_object_set_new(o, "html", json_null());
	json_object_set(o, "lang", json_object_get(json_object_get(a, "reply"),
	    "lang") ? json_object_get(json_object_get(a, "reply"), "lang") :
	    json_null());
	th = json_object();
	root = json_string_value(json_object_get(json_object_get(a, "thread"),
	    "root_id"));
	json_object_set_new(th, "root_id", json_string(root ? root :
	    json_string_value(json_object_get(a, "id"))));
	json_object_set(th, "parent_id", json_object_get(a, "id"));
	json_object_set_new(th, "in_reply_to_author_id", jstr(
	    json_string_value(json_object_get(json_object_get(a, "author"),
	    "id"))));
	json_object_set_new(o, "thread", th);
	ctx = json_object();
	json_object_set_new(ctx, "community", jstr(json_string_value(
	    json_object_get(c0, "community"))));
	json_object_set_new(ctx, "title", jstr(json_string_value(
	    json_object_get(c0, "title"))));
	json_object_set_new(ctx, "url", jstr(json_string_value(
	    json_object_get(c0, "url"))));
	json_object_set_new(o, "context", ctx);
	m = json_object();
	for (k = 0; k < HARK_ARRAY_SIZE(mk); k++)
		json_object_set_new(m, mk[k], json_null());
	json_object_set_new(o, "metrics", m);
	json_object_set_new(o, "rating", json_null());
	json_object_set_new(o, "query", jstr(q));
	json_object_set_new(o, "fetched_at", json_string(hark_time_format(
	    sd->run.now, fb)));
	return o;
}

static void
emit(struct send *sd, json_t *rec)
{
	char *s = hark_json_dumps(rec, JSON_COMPACT);

	if (s != NULL) {
		hark_output_write(sd->out, s, strlen(s));
		hark_output_write(sd->out, "\n", 1);
		hark_output_end_record(sd->out);
		fflush(sd->out->fp);	/* a sent reply is never held back */
	}
	free(s);
}

/* ---- journal events ------------------------------------------------ */

static json_t *
event(struct send *sd, const struct item *it, const char *what)
{
	json_t *e = json_object();
	char tb[HARK_TIME_BUFSZ];
	hark_time_t now;

	if (hark_now(&now, NULL) < 0)
		now = sd->run.now;
	json_object_set_new(e, "key", json_string(it->key));
	json_object_set_new(e, "event", json_string(what));
	json_object_set_new(e, "at", json_string(hark_time_format(now, tb)));
	return e;
}

static int
journal(struct send *sd, struct item *it, json_t *e)
{
	struct hark_err err = HARK_ERR_INIT;
	int rc = rs_journal_add(&sd->j, e, &err);

	json_decref(e);
	if (rc < 0) {
		hark_error("%s", err.msg);
		sd->status = hark_exit_merge(sd->status, HARK_EXIT_FAILURE);
		it->st = IT_DONE;
	}
	return rc;
}

/* ---- sending ----------------------------------------------------- */

static void
fill_write(const struct item *it, struct mf_write *w)
{
	json_t *rec = it->rec;

	memset(w, 0, sizeof(*w));
	w->record_id = json_string_value(json_object_get(rec, "id"));
	w->native_id = json_string_value(json_object_get(rec, "native_id"));
	w->thread = json_string_value(json_object_get(json_object_get(rec,
	    "thread"), "root_id"));
	w->recipient = json_string_value(json_object_get(json_object_get(rec,
	    "author"), "id"));
	w->text = it->text;
	w->key = it->key;
	w->recipient_handle = json_string_value(json_object_get(
	    json_object_get(rec, "author"), "handle"));
}

static void
post(struct send *sd, struct item *it)
{
	struct mf_write w;
	struct hark_err err = HARK_ERR_INIT;
	const struct mf_driver *d = it->src->drv;
	int priv = strcmp(it->visibility, "private") == 0;
	int (*fn)(struct mf_source *, const struct mf_write *,
	    struct hark_err *) = priv ? d->send_private : d->post_reply;
	json_t *e;

	if (fn == NULL) {
		item_fail(sd, it, HARK_EXIT_DATA, "not sent: %s", priv ?
		    (strcmp(it->src->type, "youtube") == 0 ||
		    strcmp(it->src->type, "google_business") == 0 ?
		    "the platform has no private messages" :
		    "private messages on this source are not supported; "
		    "answer in public or by hand") :
		    "this source has no write API");
		return;
	}
	e = event(sd, it, "sending");
	json_object_set(e, "record", json_object_get(it->rec, "id"));
	json_object_set_new(e, "source", json_string(it->section));
	json_object_set_new(e, "visibility", json_string(it->visibility));
	if (journal(sd, it, e) < 0)
		return;
	it->st = IT_POSTING;
	fill_write(it, &w);
	if (fn(it->src, &w, &err) < 0) {
		e = event(sd, it, "failed");
		json_object_set_new(e, "why", json_string(err.msg));
		journal(sd, it, e);
		item_fail(sd, it, err.code == HARK_EXIT_USAGE ? HARK_EXIT_USAGE :
		    HARK_EXIT_DATA, "not sent: %s", err.msg);
	}
}

static struct item *
item_of(struct send *sd, const char *key)
{
	size_t i;

	for (i = 0; key && i < sd->nit; i++)
		if (strcmp(sd->it[i].key, key) == 0 && sd->it[i].st != IT_DONE)
			return &sd->it[i];
	return NULL;
}

static void
on_written(void *arg, struct mf_source *s, const struct mf_written *w,
    const char *error)
{
	struct send *sd = arg;
	struct item *it = item_of(sd, w->key);
	json_t *e, *rec;

	(void)s;
	if (it == NULL)
		return;
	if (error != NULL) {
		if (w->throttled) {
			item_fail(sd, it, HARK_EXIT_TEMPFAIL, "not sent: "
			    "throttled: %s", error);
			e = event(sd, it, "failed");
		} else if (w->unsure) {
			/* the journal keeps "sending": the next run reads
			 * the thread back before posting anything */
			item_fail(sd, it, HARK_EXIT_FAILURE, "unconfirmed: %s; "
			    "the next run reads the thread back", error);
			return;
		} else if (it->st == IT_READBACK) {
			item_fail(sd, it, HARK_EXIT_FAILURE, "unconfirmed: "
			    "reading the thread back failed: %s", error);
			return;
		} else {
			item_fail(sd, it, HARK_EXIT_FAILURE, "not sent: %s",
			    error);
			e = event(sd, it, "failed");
		}
		json_object_set_new(e, "why", json_string(error));
		journal(sd, it, e);
		return;
	}
	if (it->st == IT_READBACK && !w->found) {
		/* the lost post never arrived: post it now */
		if (journal(sd, it, event(sd, it, "absent")) == 0)
			post(sd, it);
		return;
	}
	if (w->native_id == NULL) {
		item_fail(sd, it, HARK_EXIT_FAILURE, "the answer names no "
		    "reply id");
		return;
	}
	rec = brand_record(sd, it, w);
	e = event(sd, it, "sent");
	json_object_set(e, "reply_id", json_object_get(rec, "id"));
	json_object_set(e, "created_at", json_object_get(rec, "created_at"));
	if (it->st == IT_READBACK)
		json_object_set_new(e, "read_back", json_true());
	if (journal(sd, it, e) == 0) {
		emit(sd, rec);
		sd->sent++;
		it->st = IT_DONE;
	}
	json_decref(rec);
}

/* ---- sources ------------------------------------------------------- */

static const char *
token_file_for(struct send *sd, const char *name)
{
	const char *f = NULL;
	size_t i;

	for (i = 0; i < sd->ntfs; i++)
		if (sd->tfs[i].source == NULL || strcmp(sd->tfs[i].source,
		    name) == 0)
			f = sd->tfs[i].file;
	return f;
}

/*
 * The source NAME, set up for writing: its driver, base URL, brands and
 * secrets (WRITE_TOKEN before TOKEN: posting often needs a user's token
 * where reading takes an app's), then the driver's setup().
 */
static struct mf_source *
source_new(struct send *sd, const char *name)
{
	const struct hark_config_section *sec = hark_config_find(&sd->run.cfg,
	    "source", name);
	struct mf_source *s = hark_xcalloc(1, sizeof(*s));
	struct hark_err err = HARK_ERR_INIT;
	const char *v, *tf = token_file_for(sd, name), *primary;
	size_t i;

	s->run = &sd->run;
	s->sec = sec;
	s->name = hark_xstrdup(name);
	s->started = mf_clock();
	s->max_inflight = 1;	/* replies go out in the input's order */
	s->max_pages = 1;
	mf_state_load_source(s);
	v = hark_config_get(sec, "type");
	s->type = hark_xstrdup(v ? v : "");
	if ((s->drv = mf_driver_find(s->type)) == NULL) {
		mf_fail(s, HARK_EXIT_USAGE, "unknown type '%s'", s->type);
		return s;
	}
	if ((v = hark_config_get(sec, "base_url")) != NULL) {
		size_t n = strlen(v);

		while (n > 0 && v[n - 1] == '/')
			n--;
		s->base_url = hark_xstrndup(v, n);
	}
	if ((v = hark_config_get(sec, "url")) != NULL)
		s->url = hark_xstrdup(v);
	v = mf_conf(s, "monitor");
	s->monitor = hark_xstrdup(v ? v : s->name);
	s->query_src = hark_xstrdup("");
	s->native = hark_xstrdup("");
	{
		const struct hark_config_entry *e = NULL;

		while ((e = hark_config_next(sec, "brand", e)) != NULL) {
			const char *p = e->value, *b;
			size_t k;

			while ((b = hark_config_item(&p, 1, &k)) != NULL) {
				if (*b == '@') {
					b++;
					k--;
				}
				s->brands = hark_xrealloc(s->brands,
				    (s->nbrands + 1) * sizeof(*s->brands));
				s->brands[s->nbrands] = hark_xstrndup(b, k);
				for (i = 0; i < k; i++)
					s->brands[s->nbrands][i] = (char)tolower(
					    (unsigned char)s->brands[s->nbrands][i]);
				s->nbrands++;
			}
		}
	}
	if (tf == NULL)
		tf = hark_config_get(sec, "token_file");
	primary = s->drv->file_secret != NULL ? s->drv->file_secret(s) : NULL;
	if (primary == NULL || strcmp(primary, "TOKEN") == 0) {
		s->token = mf_secret_get(s, "WRITE_TOKEN", NULL);
		if (s->token == NULL)
			s->token = mf_secret_get(s, "TOKEN", tf);
	} else {
		s->token = mf_secret_get(s, "TOKEN", NULL);
		s->secret2 = mf_secret_get(s, primary, tf);
	}
	if (s->drv->secret2 != NULL) {
		hark_secret_free(s->secret2);
		s->secret2 = mf_secret_get(s, s->drv->secret2, NULL);
	}
	if (s->status == 0 && s->drv->setup != NULL &&
	    s->drv->setup(s, &err) < 0)
		mf_fail(s, err.code ? err.code : 2, "%s", err.msg);
	return s;
}

static struct mf_source *
source_get(struct send *sd, const char *name)
{
	size_t i;

	for (i = 0; i < sd->run.nsrc; i++)
		if (strcmp(sd->run.src[i]->name, name) == 0)
			return sd->run.src[i];
	sd->run.src = hark_xrealloc(sd->run.src, (sd->run.nsrc + 1) *
	    sizeof(*sd->run.src));
	return sd->run.src[sd->run.nsrc++] = source_new(sd, name);
}

/* ---- the run ----------------------------------------------------- */

static void
dry_run(struct send *sd)
{
	size_t i;

	for (i = 0; i < sd->nit; i++) {
		struct item *it = &sd->it[i];
		json_t *o = json_object(), *to = json_object();
		json_t *au = json_object_get(it->rec, "author");
		enum rs_state st = RS_NEW;

		if (sd->j.keys != NULL)
			st = rs_journal_state(&sd->j, it->key, NULL);
		json_object_set_new(o, "dry_run", json_true());
		json_object_set(o, "in_reply_to", json_object_get(it->rec, "id"));
		json_object_set_new(o, "source", json_string(it->section));
		json_object_set(o, "type", json_object_get(it->rec, "source"));
		json_object_set_new(o, "visibility", json_string(
		    it->visibility));
		json_object_set(to, "id", json_object_get(au, "id") ?
		    json_object_get(au, "id") : json_null());
		json_object_set(to, "handle", json_object_get(au, "handle") ?
		    json_object_get(au, "handle") : json_null());
		json_object_set(to, "name", json_object_get(au, "name") ?
		    json_object_get(au, "name") : json_null());
		json_object_set_new(o, "to", to);
		json_object_set_new(o, "text", json_string(it->text));
		json_object_set_new(o, "journal", json_string(st == RS_SENT ?
		    "sent" : st == RS_SENDING ? "unconfirmed" : "new"));
		emit(sd, o);
		json_decref(o);
	}
}

static int
finish(void *vctx, struct hark_output *out)
{
	struct send *sd = vctx;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_http_opts ho;
	size_t i;

	sd->out = out;
	if (sd->nit == 0)
		return 0;
	if (!sd->send) {
		/* the journal, when there is one, says what is done */
		char *p = hark_xasprintf("%s/journal.ndjson", sd->state_dir);

		if (access(p, R_OK) == 0 && rs_journal_open(&sd->j,
		    sd->state_dir, 10, &err) < 0) {
			free(p);
			hark_error("%s", err.msg);
			return err.code ? err.code : HARK_EXIT_FAILURE;
		}
		free(p);
		dry_run(sd);
		return sd->status;
	}
	if (rs_journal_open(&sd->j, sd->state_dir, 10, &err) < 0) {
		hark_error("%s", err.msg);
		return err.code ? err.code : HARK_EXIT_FAILURE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		hark_error("cannot initialise libcurl");
		return HARK_EXIT_FAILURE;
	}
	hark_http_opts_init(&ho);
	ho.max_wait = sd->max_wait;
	ho.timeout = sd->timeout;
	ho.user_agent = "hark-reply-send/" HARK_VERSION;
	sd->run.max_wait = sd->max_wait;
	mf_http_logger(&sd->run, &ho);
	if ((sd->run.http = hark_http_new(&ho, &err)) == NULL) {
		hark_error("%s", err.msg);
		return HARK_EXIT_FAILURE;
	}
	mf_write_set_hook(on_written, sd);
	for (i = 0; i < sd->nit; i++) {
		struct item *it = &sd->it[i];
		enum rs_state st = rs_journal_state(&sd->j, it->key, NULL);
		struct hark_err e2 = HARK_ERR_INIT;

		if (st == RS_SENT) {
			sd->skipped++;
			if (sd->c->verbose)
				hark_warn("%s:%ld: %s: already sent", it->file,
				    it->line, json_string_value(json_object_get(
				    it->rec, "id")));
			it->st = IT_DONE;
			continue;
		}
		it->src = source_get(sd, it->section);
		if (it->src->status != 0) {
			item_fail(sd, it, it->src->status, "not sent: source "
			    "'%s' is not usable", it->section);
			continue;
		}
		if (st == RS_SENDING && !sd->retry_unconfirmed) {
			struct mf_write w;

			/* the answer of an earlier post was lost; private
			 * messages are not in the thread to read back */
			if (it->src->drv->find_reply == NULL ||
			    strcmp(it->visibility, "private") == 0) {
				item_fail(sd, it, HARK_EXIT_FAILURE,
				    "unconfirmed: an earlier run sent it and "
				    "lost the answer, and %s cannot read %s "
				    "back: check, then run with "
				    "--retry-unconfirmed if it is not there",
				    it->src->type, strcmp(it->visibility,
				    "private") == 0 ? "private messages" :
				    "the thread");
				continue;
			}
			fill_write(it, &w);
			it->st = IT_READBACK;
			if (it->src->drv->find_reply(it->src, &w, &e2) < 0)
				item_fail(sd, it, HARK_EXIT_FAILURE,
				    "unconfirmed: cannot read the thread "
				    "back: %s", e2.msg);
			continue;
		}
		post(sd, it);
	}
	if (hark_http_run(sd->run.http, &err) < 0) {
		hark_error("%s", err.msg);
		sd->status = hark_exit_merge(sd->status, HARK_EXIT_FAILURE);
	}
	for (i = 0; i < sd->nit; i++)	/* an answer that never came */
		if (sd->it[i].st == IT_POSTING || sd->it[i].st == IT_READBACK)
			item_fail(sd, &sd->it[i], HARK_EXIT_FAILURE,
			    "unconfirmed: no answer; the next run reads the "
			    "thread back");
	for (i = 0; i < sd->run.nsrc; i++)
		sd->status = hark_exit_merge(sd->status,
		    sd->run.src[i]->status);
	hark_http_free(sd->run.http);
	sd->run.http = NULL;
	curl_global_cleanup();
	return sd->status;
}

static void
add_token_file(struct send *sd, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct tfile *t;

	sd->tfs = hark_xrealloc(sd->tfs, (sd->ntfs + 1) * sizeof(*sd->tfs));
	t = &sd->tfs[sd->ntfs++];
	t->source = eq ? hark_xstrndup(arg, (size_t)(eq - arg)) : NULL;
	t->file = eq ? eq + 1 : arg;
}

int
main(int argc, char **argv)
{
	struct hark_common c;
	struct hark_err err = HARK_ERR_INIT;
	struct send sd;
	const char *state_dir = NULL;
	size_t i;
	int opt, status;

	hark_init(&c, "reply-send", synopsis, help);
	memset(&sd, 0, sizeof(sd));
	sd.c = &c;
	sd.max_wait = 60;
	sd.timeout = 30;
	sd.j.fd = -1;
	sd.j.lock.fd = -1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case OPT_APPROVE_ALL:
			sd.approve_all = 1;
			break;
		case OPT_MAX_WAIT:
			if (mf_parse_duration(optarg, 1, 0, 86400, &sd.max_wait,
			    &err) < 0)
				hark_usage_error(&c, "--max-wait: %s", err.msg);
			break;
		case OPT_RETRY_UNCONFIRMED:
			sd.retry_unconfirmed = 1;
			break;
		case OPT_SEND:
			sd.send = 1;
			break;
		case OPT_SOURCE:
			sd.only = hark_xrealloc(sd.only, (sd.nonly + 1) *
			    sizeof(*sd.only));
			sd.only[sd.nonly++] = optarg;
			break;
		case OPT_STATE_DIR:
			state_dir = optarg;
			break;
		case OPT_TIMEOUT:
			if (mf_parse_duration(optarg, 1, 0.1, 3600, &sd.timeout,
			    &err) < 0)
				hark_usage_error(&c, "--timeout: %s", err.msg);
			break;
		case OPT_TOKEN_FILE:
			add_token_file(&sd, optarg);
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

	sd.run.common = &c;
	sd.run.no_state = 1;	/* the sources' read state is not ours */
	sd.run.seen_fd = -1;
	if (hark_now(&sd.run.now, &err) < 0)
		hark_die(HARK_EXIT_USAGE, "%s", err.msg);
	if ((status = hark_common_config(&c, &sd.run.cfg)) != 0)
		return status;
	for (i = 0; i < sd.nonly; i++)
		if (hark_config_find(&sd.run.cfg, "source", sd.only[i]) == NULL)
			hark_usage_error(&c, "--source: no source '%s' in %s",
			    sd.only[i], sd.run.cfg.path ? sd.run.cfg.path :
			    "the configuration");
	sd.state_dir = state_dir ? hark_xasprintf("%s/reply-send", state_dir) :
	    hark_xdg_path(HARK_XDG_STATE, "reply-send");
	if (sd.state_dir == NULL)
		hark_die(HARK_EXIT_USAGE, "no state directory: set "
		    "--state-dir, XDG_STATE_HOME or HOME");
	if (mf_state_open(&sd.run, &err) < 0)
		hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
	{
		static const char *const own[] = { "id", "native_id", "source",
		    "query", "author", "thread", "context", "reply" };
		struct hark_filter_ops ops = { on_record, finish, 0, 0,
		    &sd.lazy };

		for (i = 0; i < HARK_ARRAY_SIZE(own); i++)
			hark_lazy_want(&sd.lazy, own[i]);
		the_send = &sd;
		status = hark_filter_run(&c, argc, argv, &ops, &sd, NULL);
	}
	status = hark_exit_merge(status, sd.status);
	if (c.verbose)
		fprintf(stderr, "%s: %ld sent, %ld skipped, %ld failed\n",
		    hark_progname, sd.sent, sd.skipped, sd.failed);
	rs_journal_close(&sd.j);
	for (i = 0; i < sd.nit; i++) {
		json_decref(sd.it[i].rec);
		free(sd.it[i].file);
	}
	free(sd.it);
	for (i = 0; i < sd.run.nsrc; i++)
		mf_source_free(sd.run.src[i]);
	free(sd.run.src);
	json_decref(sd.run.seen);
	hark_buf_release(&sd.run.seen_pending);
	for (i = 0; i < sd.ntfs; i++)
		free(sd.tfs[i].source);
	free(sd.tfs);
	free(sd.only);
	free(sd.state_dir);
	hark_lazy_release(&sd.lazy);
	hark_config_release(&sd.run.cfg);
	return status;
}
