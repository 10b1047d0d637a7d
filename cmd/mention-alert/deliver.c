/* deliver.c - destinations (webhooks, chat, e-mail), message texts and
 * the delivery spool kept in the state file. */
#include <fcntl.h>
#include <signal.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include "alert.h"
#include "http.h"
#include "secret.h"
#include "buf.h"
#include "json.h"

static const struct {
	const char *name;
	enum ma_dest_type type;
} types[] = {
	{ "webhook", MA_WEBHOOK }, { "slack", MA_SLACK },
	{ "mattermost", MA_MATTERMOST }, { "teams", MA_TEAMS },
	{ "email", MA_EMAIL }
};

int
ma_dest_from_config(struct ma_dest *d, const struct hark_config_section *s,
    struct hark_err *err)
{
	size_t i, j;
	int have_type = 0;

	memset(d, 0, sizeof(*d));
	if (s->name == NULL || *s->name == '\0')
		return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
		    "[destination] needs a name: [destination \"name\"]");
	d->name = hark_xstrdup(s->name);
	d->line = s->line;
	for (i = 0; i < s->nentries; i++) {
		const struct hark_config_entry *e = &s->entries[i];
		char **slot = NULL;

		if (strcmp(e->key, "type") == 0) {
			for (j = 0; j < HARK_ARRAY_SIZE(types); j++)
				if (strcasecmp(e->value, types[j].name) == 0)
					break;
			if (j == HARK_ARRAY_SIZE(types))
				return hark_err_setl(err, HARK_EXIT_USAGE,
				    e->line, e->column, "destination '%s': "
				    "type '%.60s' is not one of webhook, "
				    "slack, mattermost, teams, email",
				    d->name, e->value);
			d->type = types[j].type;
			have_type = 1;
		} else if (strcmp(e->key, "url") == 0) {
			return hark_err_setl(err, HARK_EXIT_USAGE, e->line,
			    e->column, "destination '%s': a webhook URL is a "
			    "secret: name it with url_env or url_file",
			    d->name);
		} else if (strcmp(e->key, "url_env") == 0 ||
		    strcmp(e->key, "url-env") == 0)
			slot = &d->url_env;
		else if (strcmp(e->key, "url_file") == 0 ||
		    strcmp(e->key, "url-file") == 0)
			slot = &d->url_file;
		else if (strcmp(e->key, "to") == 0)
			slot = &d->to;
		else if (strcmp(e->key, "from") == 0)
			slot = &d->from;
		else if (strcmp(e->key, "language") == 0)
			slot = &d->lang;
		else if (strcmp(e->key, "description") != 0)
			return hark_err_setl(err, HARK_EXIT_USAGE, e->line,
			    e->key_column, "destination '%s': unknown key "
			    "'%.100s'", d->name, e->key);
		if (slot) {
			free(*slot);
			*slot = hark_xstrdup(e->value);
		}
	}
	if (!have_type)
		return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
		    "destination '%s': type is missing", d->name);
	if (d->type == MA_EMAIL && d->to == NULL)
		return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
		    "destination '%s': e-mail needs 'to'", d->name);
	if (d->lang && strcmp(d->lang, "en") && strcmp(d->lang, "pl") &&
	    strcmp(d->lang, "cs"))
		return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
		    "destination '%s': language '%.20s' is not en, pl or cs",
		    d->name, d->lang);
	return 0;
}

void
ma_dest_release(struct ma_dest *d)
{
	free(d->name);
	free(d->url_env);
	free(d->url_file);
	hark_secret_free(d->url);
	free(d->to);
	free(d->from);
	free(d->lang);
	memset(d, 0, sizeof(*d));
}

int
ma_dest_secret(struct ma_dest *d, struct hark_err *err)
{
	char warn[256] = "";

	if (d->type == MA_EMAIL || d->url != NULL)
		return 0;
	if (hark_secret_get(d->url_env ? d->url_env : "HARK_ALERT_URL",
	    d->url_file, &d->url, warn, sizeof(warn), err) < 0) {
		char msg[HARK_ERR_MSG_MAX / 2];

		snprintf(msg, sizeof(msg), "%.200s", err->msg);
		return hark_err_set(err, err->code, "destination '%s': %.200s",
		    d->name, msg);
	}
	if (warn[0])
		hark_warn("%s", warn);
	if (d->url == NULL)
		return hark_err_set(err, HARK_EXIT_USAGE, "destination '%s': "
		    "no URL: set $%s or $%s_FILE", d->name, d->url_env ?
		    d->url_env : "HARK_ALERT_URL", d->url_env ? d->url_env :
		    "HARK_ALERT_URL");
	if (strncasecmp(d->url, "https://", 8) != 0 &&
	    strncasecmp(d->url, "http://", 7) != 0) {
		hark_secret_free(d->url);
		d->url = NULL;
		return hark_err_set(err, HARK_EXIT_USAGE, "destination '%s': "
		    "the URL is not http(s)", d->name);
	}
	return 0;
}

void
ma_spool_add(struct ma_run *run, const struct ma_alert *a, json_t *alert)
{
	size_t i;

	for (i = 0; i < a->ndests; i++)
		json_array_append_new(run->spool, json_pack("{s:O,s:s,s:O,s:i}",
		    "id", json_object_get(alert, "id"), "dest",
		    run->dests[a->dests[i]].name, "alert", alert, "tries", 0));
}

void
ma_raise(struct ma_run *run, const struct ma_alert *a, json_t *alert)
{
	run->sink.emit(run->sink.ctx, alert);	/* main.c's writer */
	if (run->deliver)
		ma_spool_add(run, a, alert);
}

/* ---- message texts ---- */

static void
add_key(struct hark_buf *b, json_t *key)
{
	const char *k;
	json_t *v;
	int first = 1;

	json_object_foreach(key, k, v) {
		char *s = json_is_string(v) ? NULL : hark_json_dumps(v,
		    JSON_ENCODE_ANY | JSON_COMPACT);

		hark_buf_addf(b, "%s%s=%s", first ? "" : ", ", k, s ? s :
		    json_string_value(v));
		free(s);
		first = 0;
	}
}

/* A message's words in the languages a destination may ask for. */
struct ma_words {
	const char *lang, *clear, *still, *volume, *share;
};
static const struct ma_words words[] = {
	{ "en", "All clear", "Still firing",
	  "%lld mentions in the window %s - %s (recent %lld, mean %.4g per "
	  "window; baseline %.4g ± %.4g, threshold %.4g, p = %.3g)",
	  "; share %.1f%% (baseline %.1f%%)" },
	{ "pl", "Koniec alertu", "Alert trwa",
	  "%lld wzmianek w oknie %s - %s (ostatnio %lld, średnio %.4g na "
	  "okno; norma %.4g ± %.4g, próg %.4g, p = %.3g)",
	  "; udział %.1f%% (norma %.1f%%)" },
	{ "cs", "Konec alertu", "Alert stále trvá",
	  "%lld zmínek v okně %s - %s (naposledy %lld, průměr %.4g na okno; "
	  "norma %.4g ± %.4g, práh %.4g, p = %.3g)",
	  "; podíl %.1f%% (norma %.1f%%)" },
};

char *
ma_message_text(json_t *alert, const char *lang, int *title_len)
{
	struct hark_buf b = HARK_BUF_INIT(1 << 20);
	const struct ma_words *w0 = &words[0];
	const char *status = json_string_value(json_object_get(alert,
	    "status"));
	const char *kind = json_string_value(json_object_get(alert, "kind"));
	json_t *num = json_object_get(alert, "numbers");
	json_t *top = json_object_get(alert, "top"), *v;
	size_t i;

	for (i = 0; lang != NULL && i < HARK_ARRAY_SIZE(words); i++)
		if (strcmp(lang, words[i].lang) == 0)
			w0 = &words[i];
	if (strcmp(status, "resolved") == 0)
		hark_buf_addstr(&b, w0->clear);
	else if (strcmp(status, "reminder") == 0)
		hark_buf_addstr(&b, w0->still);
	else
		hark_buf_addstr(&b, "Alert");
	hark_buf_addf(&b, ": %s", json_string_value(json_object_get(alert,
	    "alert")));
	if (json_object_size(json_object_get(alert, "key")) > 0) {
		hark_buf_addstr(&b, " (");
		add_key(&b, json_object_get(alert, "key"));
		hark_buf_addch(&b, ')');
	}
	*title_len = (int)b.len;
	hark_buf_addch(&b, '\n');
	if (strcmp(kind, "volume") == 0) {
		json_t *w = json_object_get(alert, "window");

		hark_buf_addf(&b, w0->volume,
		    (long long)json_integer_value(json_object_get(num,
		    "count")), json_string_value(json_object_get(w, "start")),
		    json_string_value(json_object_get(w, "end")),
		    (long long)json_integer_value(json_object_get(num,
		    "recent_count")), json_number_value(json_object_get(num,
		    "recent_mean")), json_number_value(json_object_get(num,
		    "baseline_mean")), json_number_value(json_object_get(num,
		    "baseline_sd")), json_number_value(json_object_get(num,
		    "threshold")), json_number_value(json_object_get(num,
		    "p_value")));
		if (json_object_get(num, "share"))
			hark_buf_addf(&b, w0->share,
			    100 * json_number_value(json_object_get(num,
			    "share")), 100 * json_number_value(
			    json_object_get(num, "baseline_share")));
		hark_buf_addch(&b, '\n');
	} else {
		json_t *m = json_object_get(alert, "mention");
		const char *t = json_string_value(json_object_get(m, "text"));
		const char *who = json_string_value(json_object_get(m,
		    "author"));

		hark_buf_addf(&b, "%s%s%s: %s\n", json_string_value(
		    json_object_get(m, "source")) ? json_string_value(
		    json_object_get(m, "source")) : "?", who ? " " : "",
		    who ? who : "", t ? t : "");
	}
	json_array_foreach(top, i, v)
		hark_buf_addf(&b, "%s\n", json_string_value(v));
	return hark_buf_detach(&b, NULL);
}

static char *
http_body(const struct ma_dest *d, json_t *alert)
{
	int tl;
	char *text = ma_message_text(alert, d->lang, &tl), *out;
	json_t *o;

	switch (d->type) {
	case MA_SLACK:
	case MA_MATTERMOST:
		o = json_pack("{s:s}", "text", text);
		break;
	case MA_TEAMS:
		o = json_pack("{s:s,s:s,s:s%,s:s}", "@type", "MessageCard",
		    "@context", "https://schema.org/extensions", "summary",
		    text, (size_t)tl, "text", text);
		break;
	default:
		o = json_incref(alert);
	}
	free(text);
	out = hark_json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (out == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	return out;
}

/* ---- the spool ---- */

struct job {
	struct ma_run *run;
	json_t *entry;		/* borrowed from the spool */
	int done;		/* 1 delivered, -1 dropped, 0 kept */
	int status;
	int (*save)(struct ma_run *);
};

static void
drop_entry(struct ma_run *run, json_t *entry)
{
	size_t i;

	for (i = 0; i < json_array_size(run->spool); i++)
		if (json_array_get(run->spool, i) == entry) {
			json_array_remove(run->spool, i);
			return;
		}
}

static void
on_done(void *udata, struct hark_http_req *req,
    const struct hark_http_resp *resp)
{
	struct job *j = udata;
	const char *dest = json_string_value(json_object_get(j->entry,
	    "dest"));
	const char *id = json_string_value(json_object_get(j->entry, "id"));

	(void)req;
	if (resp->outcome == HARK_HTTP_DONE && resp->status >= 200 &&
	    resp->status < 300) {
		j->done = 1;
		drop_entry(j->run, j->entry);
		if (j->save(j->run) != 0)
			j->status = hark_exit_merge(j->status,
			    HARK_EXIT_FAILURE);
		return;
	}
	if (resp->outcome == HARK_HTTP_DONE) {
		/* a final 4xx: this message will never be accepted */
		hark_error("destination '%s': alert %s refused (HTTP %ld): "
		    "dropped", dest, id, resp->status);
		j->done = -1;
		j->status = HARK_EXIT_FAILURE;
		drop_entry(j->run, j->entry);
		return;
	}
	hark_error("destination '%s': alert %s not delivered (%s): kept in "
	    "the spool", dest, id, resp->msg);
	j->status = resp->outcome == HARK_HTTP_TEMPFAIL ? HARK_EXIT_TEMPFAIL :
	    HARK_EXIT_FAILURE;
}

static int
send_mail(struct ma_run *run, const struct ma_dest *d, json_t *alert,
    struct hark_err *err)
{
	int tl, fds[2], st;
	char *text = ma_message_text(alert, d->lang, &tl);
	struct hark_buf b = HARK_BUF_INIT(1 << 21);
	pid_t pid;
	size_t off = 0;
	int rc = 0, short_write;

	if (d->from)
		hark_buf_addf(&b, "From: %s\n", d->from);
	hark_buf_addf(&b, "To: %s\nSubject: [hark] %.*s\nMessage-ID: "
	    "<%s.%s@mention-alert>\nMIME-Version: 1.0\nContent-Type: "
	    "text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
	    "%s", d->to, tl, text, json_string_value(json_object_get(alert,
	    "id")), d->name, text + tl + 1);
	free(text);
	if (pipe(fds) != 0) {
		hark_buf_release(&b);
		return hark_err_set(err, HARK_EXIT_FAILURE, "pipe: %s",
		    strerror(errno));
	}
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		hark_buf_release(&b);
		return hark_err_set(err, HARK_EXIT_FAILURE, "fork: %s",
		    strerror(errno));
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		execl(run->sendmail, run->sendmail, "-t", "-oi", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	while (off < b.len) {
		ssize_t n = write(fds[1], b.ptr + off, b.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fds[1]);
	signal(SIGPIPE, SIG_DFL);
	short_write = off < b.len;
	hark_buf_release(&b);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || short_write)
		rc = hark_err_set(err, HARK_EXIT_TEMPFAIL, "'%s' failed "
		    "(status %d)", run->sendmail, WIFEXITED(st) ?
		    WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return rc;
}

static const struct ma_dest *
find_dest(const struct ma_run *run, const char *name)
{
	size_t i;

	for (i = 0; name && i < run->ndests; i++)
		if (strcmp(run->dests[i].name, name) == 0)
			return &run->dests[i];
	return NULL;
}

int
ma_spool_flush(struct ma_run *run, int (*save)(struct ma_run *run))
{
	struct hark_http_opts o;
	struct hark_http *h = NULL;
	struct hark_err err = HARK_ERR_INIT;
	struct job *jobs;
	json_t *pending = json_array(), *e;
	size_t i, n;
	int status = 0;

	/* entries whose destination left the config cannot be sent */
	for (i = json_array_size(run->spool); i-- > 0;) {
		e = json_array_get(run->spool, i);
		if (find_dest(run, json_string_value(json_object_get(e,
		    "dest"))) == NULL) {
			hark_warn("spooled alert %s for unknown destination "
			    "'%s' dropped", json_string_value(json_object_get(
			    e, "id")), json_string_value(json_object_get(e,
			    "dest")));
			json_array_remove(run->spool, i);
		}
	}
	json_array_extend(pending, run->spool);
	n = json_array_size(pending);
	if (n == 0) {
		json_decref(pending);
		return 0;
	}
	jobs = hark_xcalloc(n, sizeof(*jobs));
	hark_http_opts_init(&o);
	o.timeout = run->timeout;
	o.connect_timeout = run->timeout < 10 ? run->timeout : 10;
	o.max_wait = run->max_wait;
	o.backoff = run->backoff;
	o.max_tries = run->max_tries;
	o.max_redirects = 0;
	json_array_foreach(pending, i, e) {
		const struct ma_dest *d = find_dest(run, json_string_value(
		    json_object_get(e, "dest")));
		struct hark_http_req *req;
		char *body, *hdr;

		jobs[i].run = run;
		jobs[i].entry = e;
		jobs[i].save = save;
		json_object_set_new(e, "tries", json_integer(
		    json_integer_value(json_object_get(e, "tries")) + 1));
		if (d->type == MA_EMAIL)
			continue;
		if (h == NULL && (h = hark_http_new(&o, &err)) == NULL) {
			hark_error("%s", err.msg);
			status = HARK_EXIT_FAILURE;
			break;
		}
		req = hark_http_req_new("POST", d->url, on_done, &jobs[i]);
		body = http_body(d, json_object_get(e, "alert"));
		hark_http_req_body(req, "application/json", body,
		    strlen(body));
		free(body);
		hdr = hark_xasprintf("Idempotency-Key: %s",
		    json_string_value(json_object_get(e, "id")));
		hark_http_req_header(req, hdr);
		free(hdr);
		hark_http_submit(h, req);
	}
	if (h && status == 0 && hark_http_run(h, &err) < 0) {
		hark_error("%s", err.msg);
		status = HARK_EXIT_FAILURE;
	}
	hark_http_free(h);
	json_array_foreach(pending, i, e) {
		const struct ma_dest *d = find_dest(run, json_string_value(
		    json_object_get(e, "dest")));

		status = hark_exit_merge(status, jobs[i].status);
		if (d->type != MA_EMAIL)
			continue;
		if (send_mail(run, d, json_object_get(e, "alert"), &err) <
		    0) {
			hark_error("destination '%s': alert %s not delivered "
			    "(%s): kept in the spool", d->name,
			    json_string_value(json_object_get(e, "id")),
			    err.msg);
			status = hark_exit_merge(status, HARK_EXIT_TEMPFAIL);
			continue;
		}
		drop_entry(run, e);
		if (save(run) != 0)
			status = hark_exit_merge(status, HARK_EXIT_FAILURE);
	}
	free(jobs);
	json_decref(pending);
	return status;
}
