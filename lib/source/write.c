/*
 * write.c - the write side's common part (see write.h).
 */
#include "source.h"
#include "write.h"
#include "json.h"

static mf_write_hook *hook;
static void *hook_arg;

void
mf_write_set_hook(mf_write_hook *fn, void *arg)
{
	hook = fn;
	hook_arg = arg;
}

void
mf_write_done(struct mf_source *s, const struct mf_written *w)
{
	if (hook != NULL)
		hook(hook_arg, s, w, NULL);
}

void
mf_write_failed(struct mf_source *s, const char *key, const char *why,
    int unsure, int throttled)
{
	struct mf_written w;

	memset(&w, 0, sizeof(w));
	w.key = key;
	w.unsure = unsure;
	w.throttled = throttled;
	if (hook != NULL)
		hook(hook_arg, s, &w, why ? why : "failed");
}

json_t *
mf_write_json(const struct hark_http_resp *r)
{
	if (r->body == NULL || r->len == 0)
		return NULL;
	return json_loadb(r->body, r->len, 0, NULL);
}

const char *
mf_write_date(const struct hark_http_resp *r, char buf[32])
{
	char *d = hark_http_header(r, "date");
	hark_time_t t;

	if (d == NULL)
		return NULL;
	if (hark_time_parse_rfc2822(d, &t, NULL) < 0) {
		free(d);
		return NULL;
	}
	free(d);
	return hark_time_format(t, buf);
}

int
mf_write_answer(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	char reason[200], why[512];

	if (r->outcome != HARK_HTTP_DONE) {
		/* a post is never repeated blindly (hark_http_req_once()):
		 * after a timeout it may have been done */
		mf_write_failed(s, c->arg, r->msg, c->kind == MF_K_WRITE &&
		    !r->throttled && r->outcome == HARK_HTTP_TEMPFAIL &&
		    strstr(r->msg, "not repeated") != NULL, r->throttled);
		return 0;
	}
	if (r->status >= 200 && r->status < 300) {
		s->drv->special(s, c, r);
		return 0;
	}
	if (r->status >= 400 && s->drv->http_error != NULL && !c->relogin &&
	    s->drv->http_error(s, c, r))
		return 1;	/* logging in again; re-submitted after */
	mf_body_reason(r, reason, sizeof(reason));
	snprintf(why, sizeof(why), "HTTP %ld%s%s", r->status,
	    reason[0] ? ": " : "", reason);
	mf_write_failed(s, c->arg, why, c->kind == MF_K_WRITE &&
	    r->status >= 500, 0);
	return 0;
}

json_t *
mf_write_memo(struct mf_source *s, const char *key)
{
	json_t *all = mf_drv_obj(s, "writes"), *o;

	if (key == NULL)
		key = "";
	o = json_object_get(all, key);
	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(all, key, o);
	}
	return o;
}

static void
memo_set(json_t *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, k, json_string(v));
}

struct mf_call *
mf_write_submit(struct mf_source *s, const struct mf_write *w,
    const char *method, const char *url, int kind, const char *ctype,
    const char *body, const char *headers)
{
	struct mf_call *c = mf_call_new(s, method, url, "write", 1, kind);
	json_t *m = mf_write_memo(s, w->key);

	c->answer = mf_write_answer;
	c->once = kind == MF_K_WRITE;

	memo_set(m, "text", w->text);
	memo_set(m, "native_id", w->native_id);
	memo_set(m, "record_id", w->record_id);
	memo_set(m, "thread", w->thread);
	memo_set(m, "recipient", w->recipient);
	memo_set(m, "recipient_handle", w->recipient_handle);
	c->arg = hark_xstrdup(w->key ? w->key : "");
	if (body != NULL) {
		c->body = hark_xstrdup(body);
		c->ctype = hark_xstrdup(ctype ? ctype : "application/json");
	}
	if (headers != NULL)
		c->headers = hark_xstrdup(headers);
	mf_call_submit(s, c);
	return c;
}

char *
mf_write_jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *r = hark_json_dumps(j, JSON_ENCODE_ANY);

	json_decref(j);
	return r ? r : hark_xstrdup("\"\"");
}

void
mf_write_found(struct mf_source *s, struct mf_call *c,
    const struct mf_written *w)
{
	struct mf_written f;

	if (w != NULL)
		f = *w;
	else
		memset(&f, 0, sizeof(f));
	f.key = c->arg;
	f.found = w != NULL;
	mf_write_done(s, &f);
}
