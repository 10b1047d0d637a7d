/*
 * map.c - helpers shared by the response mappers, and mf_page_release.
 */

#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "htime.h"
#include "html.h"
#include "mention.h"
#include "map.h"

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

json_t *
mf_record_new(const struct mf_map_ctx *ctx, const char *source)
{
	return hark_mention_new(source, ctx->query, ctx->fetched_at);
}

void
mf_page_extra(struct mf_page *page, const char *key, json_t *value)
{
	if (page->extra == NULL)
		page->extra = json_object();
	json_object_set_new(page->extra, key, value);
}

void
mf_page_warn(struct mf_page *page, const char *fmt, ...)
{
	json_t *w;
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (page->extra == NULL)
		page->extra = json_object();
	if ((w = json_object_get(page->extra, "warnings")) == NULL) {
		w = json_array();
		json_object_set_new(page->extra, "warnings", w);
	}
	/* Bounded: a hostile page must not grow this without limit. */
	if (json_array_size(w) < 100) {
		char clean[256];

		hark_sanitize(clean, sizeof(clean), msg, strlen(msg));
		json_array_append_new(w, json_string(clean));
	}
}

void
mf_page_add(struct mf_page *page, const struct mf_map_ctx *ctx, json_t *rec)
{
	const char *t = hark_mention_get_str(rec, "created_at");

	/* A mapper may already have decided (feeds match author names). */
	if (!json_is_true(mf_get(rec, "author.is_brand")))
		hark_mention_set_brand(rec, ctx->brands, ctx->nbrands);
	/* A record with no parent starts its own thread. */
	if (json_is_null(mf_get(rec, "thread.parent_id")) &&
	    json_is_null(mf_get(rec, "thread.root_id")))
		hark_mention_set(rec, "thread.root_id",
		    json_incref(mf_get(rec, "id")));
	if (t == NULL) {
		const char *id = hark_mention_get_str(rec, "id");

		mf_page_warn(page, "item '%s': no usable creation time, "
		    "using the fetch time", id != NULL ? id : "?");
		hark_mention_set_time(rec, "created_at", ctx->fetched_at);
	} else if (page->newest == NULL || strcmp(t, page->newest) > 0) {
		/* RFC 3339 UTC in one fixed width sorts as a string. */
		free(page->newest);
		page->newest = hark_xstrdup(t);
	}
	json_array_append_new(page->records, rec);
}

int
mf_malformed(struct hark_err *err, const char *fmt, ...)
{
	va_list ap;
	char msg[HARK_ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hark_err_set(err, HARK_EXIT_DATA, "%s", msg);
}

int
mf_json_load(const char *body, size_t len, const char *what, json_t **out,
    struct hark_err *err)
{
	json_error_t je;
	char clean[160];

	*out = json_loadb(body != NULL ? body : "", len,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (*out == NULL) {
		hark_sanitize(clean, sizeof(clean), je.text, strlen(je.text));
		return mf_malformed(err, "malformed %s: invalid JSON at "
		    "line %d column %d: %s", what, je.line, je.column, clean);
	}
	return 0;
}

json_t *
mf_get(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (o != NULL && (dot = strchr(path, '.')) != NULL) {
		n = (size_t)(dot - path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return o != NULL ? json_object_get(o, path) : NULL;
}

const char *
mf_str(const json_t *o, const char *path)
{
	const char *s = json_string_value(mf_get(o, path));

	return s != NULL && *s != '\0' ? s : NULL;
}

int
mf_int(const json_t *o, const char *path, json_int_t *out)
{
	json_t *v = mf_get(o, path);

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);

		if (d >= -9.0e15 && d <= 9.0e15) {
			*out = (json_int_t)d;
			return 0;
		}
		return -1;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		long long l;

		errno = 0;
		l = strtoll(s, &end, 10);
		if (end != s && *end == '\0' && errno == 0) {
			*out = (json_int_t)l;
			return 0;
		}
	}
	return -1;
}

void
mf_set_int(json_t *rec, const char *rpath, const json_t *o,
    const char *path)
{
	json_int_t v;

	if (mf_int(o, path, &v) == 0)
		hark_mention_set_int(rec, rpath, v);
}

void
mf_set_time(json_t *rec, const char *rpath, const char *s,
    struct mf_page *page, const char *what)
{
	struct hark_err e = HARK_ERR_INIT;

	if (s == NULL || *s == '\0')
		return;
	if (hark_mention_set_time_str(rec, rpath, s, &e) == -1)
		mf_page_warn(page, "%s: %s", what, e.msg);
}

json_t *
mf_id(const char *source, const char *native)
{
	char *id = hark_mention_id(source, native);
	json_t *j;

	if (id == NULL)
		return json_null();
	j = json_string(id);
	free(id);
	/* An id that is not valid UTF-8 cannot be a key downstream. */
	return j != NULL ? j : json_null();
}

char *
mf_url_host(const char *url)
{
	const char *p, *end;

	if (url == NULL || (p = strstr(url, "://")) == NULL)
		return NULL;
	p += 3;
	end = p + strcspn(p, "/?#");
	/* Drop user info and port. */
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			p = q + 1;
	for (const char *q = p; q < end; q++)
		if (*q == ':') {
			end = q;
			break;
		}
	if (end == p)
		return NULL;
	return hark_xstrndup(p, (size_t)(end - p));
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = hark_ascii_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *
mf_url_param(const char *url, const char *name)
{
	const char *q, *p, *end;
	size_t nlen = strlen(name);

	if (url == NULL || (q = strchr(url, '?')) == NULL)
		return NULL;
	for (p = q + 1; *p != '\0' && *p != '#'; p = *end == '&' ? end + 1 :
	    end) {
		end = p + strcspn(p, "&#");
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			const char *v = p + nlen + 1;
			char *out = hark_xmalloc((size_t)(end - v) + 1), *o = out;

			while (v < end) {
				int h, l;

				if (*v == '%' && end - v >= 3 &&
				    (h = hexval((unsigned char)v[1])) >= 0 &&
				    (l = hexval((unsigned char)v[2])) >= 0) {
					*o++ = (char)(h * 16 + l);
					v += 3;
				} else {
					*o++ = *v == '+' ? ' ' : *v;
					v++;
				}
			}
			*o = '\0';
			return out;
		}
		if (*end == '\0' || *end == '#')
			break;
	}
	return NULL;
}

const char *
mf_idstr(const json_t *o, const char *path, char buf[32])
{
	json_t *v = mf_get(o, path);

	if (json_is_integer(v)) {
		snprintf(buf, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	return mf_str(o, path);
}

int
mf_id_greater(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return la > lb;
	return strcmp(a, b) > 0;
}

void
mf_replace(char **slot, const char *s)
{
	free(*slot);
	*slot = s != NULL ? hark_xstrdup(s) : NULL;
}
