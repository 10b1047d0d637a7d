/*
 * mention.c - the normalized mention record (schema v1).
 */

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "html.h"
#include "htime.h"
#include "text.h"
#include "mention.h"

static const char *const author_keys[] = {
	"id", "handle", "name", "url", "followers", "is_brand", NULL
};
static const char *const thread_keys[] = {
	"root_id", "parent_id", "in_reply_to_author_id", NULL
};
static const char *const context_keys[] = {
	"community", "title", "url", NULL
};
static const char *const metrics_keys[] = {
	"likes", "reposts", "replies", "quotes", "score", "views", NULL
};

static json_t *
null_object(const char *const *keys)
{
	json_t *o = json_object();

	if (o == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	for (; *keys != NULL; keys++)
		json_object_set_new(o, *keys, json_null());
	return o;
}

/* A copy of S[0..LEN) as a jansson string, UTF-8 repaired, NUL dropped. */
static json_t *
safe_string(const char *s, size_t len)
{
	struct hark_buf b = HARK_BUF_INIT(3 * len + 8);
	json_t *j;
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			break;
	if (i == len)
		j = json_stringn(s, len);
	else {
		for (i = 0; i < len; ) {
			int32_t cp;

			i += hark_utf8_next(s + i, len - i, &cp);
			if (cp != 0)
				hark_utf8_put(&b, cp);
		}
		j = json_stringn(hark_buf_str(&b), b.len);
		hark_buf_release(&b);
	}
	if (j == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	return j;
}

json_t *
hark_mention_new(const char *source, const char *query,
    hark_time_t fetched_at)
{
	json_t *r = json_object();
	char tb[HARK_TIME_BUFSZ];

	if (r == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	json_object_set_new(r, "v", json_integer(HARK_MENTION_VERSION));
	json_object_set_new(r, "source", source != NULL ?
	    safe_string(source, strlen(source)) : json_null());
	json_object_set_new(r, "id", json_null());
	json_object_set_new(r, "native_id", json_null());
	json_object_set_new(r, "kind", json_null());
	json_object_set_new(r, "url", json_null());
	json_object_set_new(r, "created_at", json_null());
	json_object_set_new(r, "updated_at", json_null());
	json_object_set_new(r, "author", null_object(author_keys));
	json_object_set_new(json_object_get(r, "author"), "is_brand",
	    json_false());
	json_object_set_new(r, "title", json_null());
	json_object_set_new(r, "text", json_string(""));
	json_object_set_new(r, "html", json_null());
	json_object_set_new(r, "lang", json_null());
	json_object_set_new(r, "thread", null_object(thread_keys));
	json_object_set_new(r, "context", null_object(context_keys));
	json_object_set_new(r, "metrics", null_object(metrics_keys));
	json_object_set_new(r, "rating", json_null());
	json_object_set_new(r, "query", query != NULL && *query != '\0' ?
	    safe_string(query, strlen(query)) : json_null());
	json_object_set_new(r, "fetched_at",
	    json_string(hark_time_format(fetched_at, tb)));
	return r;
}

/* The object holding PATH's last component and that component, or NULL
 * when PATH is not a schema key. */
static json_t *
resolve(json_t *rec, const char *path, const char **key)
{
	const char *dot = strchr(path, '.');
	json_t *o;
	char head[16];
	size_t n;

	if (!json_is_object(rec))
		return NULL;
	if (dot == NULL) {
		o = json_object_get(rec, path);
		if (o == NULL || json_is_object(o) || strcmp(path, "raw") == 0)
			return NULL;
		*key = path;
		return rec;
	}
	n = (size_t)(dot - path);
	if (n >= sizeof(head))
		return NULL;
	memcpy(head, path, n);
	head[n] = '\0';
	o = json_object_get(rec, head);
	if (!json_is_object(o) || strcmp(head, "raw") == 0 ||
	    json_object_get(o, dot + 1) == NULL)
		return NULL;
	*key = dot + 1;
	return o;
}

int
hark_mention_set(json_t *rec, const char *path, json_t *value)
{
	const char *key;
	json_t *o = resolve(rec, path, &key);

	if (o == NULL) {
		json_decref(value);
		return -1;
	}
	json_object_set_new(o, key, value != NULL ? value : json_null());
	return 0;
}

int
hark_mention_set_strn(json_t *rec, const char *path, const char *s,
    size_t len)
{
	if (s == NULL || len == 0)
		return hark_mention_set(rec, path, NULL);
	return hark_mention_set(rec, path, safe_string(s, len));
}

int
hark_mention_set_str(json_t *rec, const char *path, const char *s)
{
	return hark_mention_set_strn(rec, path, s, s != NULL ? strlen(s) : 0);
}

int
hark_mention_set_int(json_t *rec, const char *path, json_int_t v)
{
	return hark_mention_set(rec, path, json_integer(v));
}

int
hark_mention_set_time(json_t *rec, const char *path, hark_time_t t)
{
	char tb[HARK_TIME_BUFSZ];

	return hark_mention_set(rec, path,
	    json_string(hark_time_format(t, tb)));
}

int
hark_mention_set_time_str(json_t *rec, const char *path, const char *s,
    struct hark_err *err)
{
	hark_time_t t;

	if (s == NULL || *s == '\0')
		return hark_mention_set(rec, path, NULL);
	if (hark_time_parse_any(s, &t, err) == -1)
		return -1;
	return hark_mention_set_time(rec, path, t);
}

char *
hark_mention_id(const char *source, const char *native_id)
{
	if (native_id == NULL || *native_id == '\0')
		return NULL;
	return hark_xasprintf("%s:%s", source != NULL ? source : "",
	    native_id);
}

int
hark_mention_set_id(json_t *rec, const char *native_id)
{
	char *id;
	int rc;

	id = hark_mention_id(hark_mention_get_str(rec, "source"), native_id);
	if (id == NULL)
		return -1;
	rc = hark_mention_set_str(rec, "id", id);
	free(id);
	if (rc == 0)
		rc = hark_mention_set_str(rec, "native_id", native_id);
	return rc;
}

static int
set_buf(json_t *rec, const char *path, struct hark_buf *b)
{
	json_t *j = json_stringn(hark_buf_str(b), b->len);

	if (j == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	return hark_mention_set(rec, path, j);
}

int
hark_mention_set_html(json_t *rec, const char *html, size_t len)
{
	struct hark_buf b = HARK_BUF_INIT(3 * len + 8);
	int rc;

	if (html == NULL)
		return 0;
	if (hark_mention_set_strn(rec, "html", html, len) == -1)
		return -1;
	hark_html_to_text(html, len, &b);
	rc = set_buf(rec, "text", &b);
	hark_buf_release(&b);
	return rc;
}

int
hark_mention_set_text(json_t *rec, const char *s, size_t len, int flags)
{
	struct hark_buf b = HARK_BUF_INIT(3 * len + 8);
	struct hark_buf u = HARK_BUF_INIT(3 * len + 8);
	int rc;

	if (s == NULL)
		return hark_mention_set(rec, "text", json_string(""));
	if (flags & HARK_MENTION_UNESCAPE) {
		hark_html_unescape(s, len, &u);
		hark_html_collapse(hark_buf_str(&u), u.len, &b);
	} else {
		hark_html_collapse(s, len, &b);
	}
	rc = set_buf(rec, "text", &b);
	hark_buf_release(&b);
	hark_buf_release(&u);
	return rc;
}

int
hark_mention_set_lang(json_t *rec, const char *lang)
{
	if (lang == NULL || *lang == '\0' || strcmp(lang, "und") == 0 ||
	    strcmp(lang, "zxx") == 0 || strcmp(lang, "mul") == 0 ||
	    strncmp(lang, "x-", 2) == 0 ||
	    (lang[0] == 'q' && strlen(lang) == 3 && lang[1] >= 'a' &&
	    lang[1] <= 't'))
		return hark_mention_set(rec, "lang", NULL);
	return hark_mention_set_str(rec, "lang", lang);
}

static int
ascii_casecmp(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (hark_ascii_tolower((unsigned char)*a) != hark_ascii_tolower((unsigned char)*b))
			return 1;
	return *a != *b;
}

int
hark_mention_brand_match(const char *const *brands, size_t n,
    const char *id, const char *handle)
{
	if (id != NULL && *id == '@')
		id++;
	if (handle != NULL && *handle == '@')
		handle++;
	for (size_t i = 0; i < n; i++) {
		const char *b = brands[i];

		if (b == NULL || *b == '\0')
			continue;
		if (*b == '@')
			b++;
		if ((id != NULL && *id != '\0' && ascii_casecmp(id, b) == 0) ||
		    (handle != NULL && *handle != '\0' &&
		    ascii_casecmp(handle, b) == 0))
			return 1;
	}
	return 0;
}

int
hark_mention_set_brand(json_t *rec, const char *const *brands, size_t n)
{
	int m = hark_mention_brand_match(brands, n,
	    hark_mention_get_str(rec, "author.id"),
	    hark_mention_get_str(rec, "author.handle"));

	return hark_mention_set(rec, "author.is_brand", json_boolean(m));
}

int
hark_mention_set_raw(json_t *rec, json_t *raw)
{
	if (raw == NULL)
		return 0;
	if (!json_is_object(rec)) {
		json_decref(raw);
		return -1;
	}
	json_object_set_new(rec, "raw", raw);
	return 0;
}

const char *
hark_mention_get_str(const json_t *rec, const char *path)
{
	const char *key;
	json_t *o = resolve((json_t *)rec, path, &key);

	if (o == NULL)
		return NULL;
	return json_string_value(json_object_get(o, key));
}

int
hark_mention_time(const json_t *rec, hark_time_t *t, struct hark_err *err)
{
	static const char *const keys[] = { "created_at", "fetched_at" };
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(keys); i++) {
		json_t *v = json_object_get(rec, keys[i]);
		char clean[80];

		if (v == NULL || json_is_null(v))
			continue;
		if (json_is_string(v) && hark_time_parse_any(
		    json_string_value(v), t, NULL) == 0)
			return 1;
		if (json_is_string(v))
			hark_sanitize(clean, sizeof(clean),
			    json_string_value(v), json_string_length(v));
		else
			snprintf(clean, sizeof(clean), "(not a string)");
		return hark_err_set(err, HARK_EXIT_DATA, "%s '%s' is not a "
		    "time", keys[i], clean);
	}
	return 0;
}
