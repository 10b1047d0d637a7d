/*
 * whatsapp.c - WhatsApp Business Cloud API webhooks (object
 * "whatsapp_business_account") to mention records: the customers'
 * messages (entry[].changes[].value.messages[]) and the statuses of the
 * business's own messages (value.statuses[]).  See source/webhook.h.
 */
#include <string.h>

#include "hark.h"
#include "err.h"
#include "mention.h"
#include "source/webhook.h"

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL && *s != '\0' ? s : NULL;
}

/* A timestamp given as epoch seconds, a string or a number; -1 when
 * absent or not one. */
static hark_time_t
epoch(json_t *v)
{
	const char *s;
	hark_time_t t = 0;

	if (json_is_integer(v))
		return json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
	if ((s = json_string_value(v)) == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || t > INT64_MAX / 10 - 10)
			return -1;
		t = t * 10 + (*s - '0');
	}
	return t;
}

static void
set_created(json_t *rec, json_t *ts, const struct hark_webhook_ctx *ctx)
{
	hark_time_t t = epoch(ts);

	/* HARK_TIME_MAX is the last time RFC 3339 writes in four digits */
	hark_mention_set_time(rec, "created_at", t >= 0 && t <= HARK_TIME_MAX ?
	    t : ctx->fetched_at);
}

/* The profile name the delivery's contacts[] give for WA_ID. */
static const char *
contact_name(json_t *contacts, const char *wa_id)
{
	size_t i;
	json_t *c;

	json_array_foreach(contacts, i, c) {
		const char *id = str(c, "wa_id");

		if (id != NULL && strcmp(id, wa_id) == 0)
			return str(json_object_get(c, "profile"), "name");
	}
	return NULL;
}

static void
set_parent(json_t *rec, const char *wamid)
{
	char *id = hark_mention_id("whatsapp", wamid);

	hark_mention_set_str(rec, "thread.parent_id", id);
	free(id);
}

/* The text a message of each type carries. */
static void
set_body(json_t *rec, json_t *m, const char *type)
{
	json_t *o = type != NULL ? json_object_get(m, type) : NULL;
	const char *s = NULL;
	char buf[1024];

	if (type == NULL)
		return;
	if (strcmp(type, "text") == 0)
		s = str(o, "body");
	else if (strcmp(type, "image") == 0 || strcmp(type, "video") == 0 ||
	    strcmp(type, "document") == 0)
		s = str(o, "caption");
	else if (strcmp(type, "button") == 0)	/* a template's quick reply */
		s = str(o, "text");
	else if (strcmp(type, "interactive") == 0) {
		const char *it = str(o, "type");
		json_t *r = it != NULL ? json_object_get(o, it) : NULL;
		const char *t = str(r, "title"), *d = str(r, "description");

		if (t != NULL && d != NULL) {
			snprintf(buf, sizeof(buf), "%s\n%s", t, d);
			s = buf;
		} else
			s = t;
	} else if (strcmp(type, "location") == 0) {
		const char *n = str(o, "name"), *a = str(o, "address");

		if (n != NULL && a != NULL) {
			snprintf(buf, sizeof(buf), "%s\n%s", n, a);
			s = buf;
		} else
			s = n != NULL ? n : a;
	} else if (strcmp(type, "reaction") == 0) {
		s = str(o, "emoji");
		if (str(o, "message_id") != NULL)
			set_parent(rec, str(o, "message_id"));
	}
	if (s != NULL)
		hark_mention_set_text(rec, s, strlen(s), 0);
}

static void
finish(json_t *rec, json_t *item, const struct hark_webhook_ctx *ctx,
    json_t *out)
{
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(item));
	json_array_append_new(out, rec);
}

static int
map_message(json_t *m, json_t *value, const char *phone_id,
    const struct hark_webhook_ctx *ctx, json_t *out)
{
	const char *id = str(m, "id"), *from = str(m, "from");
	const char *type = str(m, "type");
	json_t *rec, *ref;
	char *conv;

	if (id == NULL || from == NULL || phone_id == NULL)
		return -1;
	rec = hark_mention_new("whatsapp", ctx->query, ctx->fetched_at);
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", "message");
	set_created(rec, json_object_get(m, "timestamp"), ctx);
	hark_mention_set_str(rec, "author.id", from);
	hark_mention_set_str(rec, "author.name",
	    contact_name(json_object_get(value, "contacts"), from));
	set_body(rec, m, type);
	conv = hark_webhook_conversation("whatsapp", phone_id, from);
	hark_mention_set_str(rec, "thread.root_id", conv);
	free(conv);
	if (str(json_object_get(m, "context"), "id") != NULL)
		set_parent(rec, str(json_object_get(m, "context"), "id"));
	hark_mention_set_str(rec, "context.community",
	    str(json_object_get(value, "metadata"), "display_phone_number"));
	/* a click-to-WhatsApp ad or post: the public item the conversation
	 * started from */
	if ((ref = json_object_get(m, "referral")) != NULL) {
		hark_mention_set_str(rec, "context.url", str(ref,
		    "source_url"));
		hark_mention_set_str(rec, "context.title", str(ref,
		    "headline"));
	}
	hark_webhook_private(rec);
	finish(rec, m, ctx, out);
	return 0;
}

static int
map_status(json_t *s, json_t *value, const char *phone_id,
    const struct hark_webhook_ctx *ctx, json_t *out)
{
	const char *wamid = str(s, "id"), *st = str(s, "status");
	const char *to = str(s, "recipient_id"), *cat;
	json_t *rec, *d, *e;
	char *conv, *mid;

	if (wamid == NULL || st == NULL || to == NULL || phone_id == NULL)
		return -1;
	rec = hark_mention_new("whatsapp", ctx->query, ctx->fetched_at);
	hark_mention_set_id(rec, wamid);
	set_created(rec, json_object_get(s, "timestamp"), ctx);
	hark_mention_set_str(rec, "author.id", phone_id);
	hark_mention_set_str(rec, "author.handle",
	    str(json_object_get(value, "metadata"), "display_phone_number"));
	hark_mention_set(rec, "author.is_brand", json_true());
	conv = hark_webhook_conversation("whatsapp", phone_id, to);
	hark_mention_set_str(rec, "thread.root_id", conv);
	free(conv);
	hark_mention_set_str(rec, "thread.in_reply_to_author_id", to);
	hark_mention_set_str(rec, "context.community",
	    str(json_object_get(value, "metadata"), "display_phone_number"));
	hark_webhook_private(rec);
	cat = str(json_object_get(s, "pricing"), "category");
	if (strcmp(st, "sent") == 0) {
		/* the business's message itself: its text is not in the
		 * webhook; a marketing or authentication template is not
		 * an answer to anyone */
		hark_mention_set_str(rec, "kind", "message");
		if (cat != NULL && (strcmp(cat, "marketing") == 0 ||
		    strcmp(cat, "authentication") == 0))
			json_object_set_new(rec, "automated", json_true());
		finish(rec, s, ctx, out);
		return 0;
	}
	mid = hark_mention_id("whatsapp", wamid);
	{
		size_t n = strlen(mid) + strlen(st) + 2;
		char *sid = hark_xmalloc(n);

		snprintf(sid, n, "%s#%s", mid, st);
		hark_mention_set_str(rec, "id", sid);
		free(sid);
	}
	hark_mention_set_str(rec, "kind", "status");
	hark_mention_set_str(rec, "thread.parent_id", mid);
	json_object_set_new(rec, "automated", json_true());
	d = json_object();
	json_object_set_new(d, "status", json_string(st));
	json_object_set_new(d, "message_id", json_string(mid));
	json_object_set_new(d, "recipient_id", json_string(to));
	e = json_array_get(json_object_get(s, "errors"), 0);
	if (e != NULL) {
		json_t *err = json_object();
		const char *t = str(e, "title"), *m = str(e, "message");
		const char *det = str(json_object_get(e, "error_data"),
		    "details");

		json_object_set_new(err, "code",
		    json_is_integer(json_object_get(e, "code")) ?
		    json_integer(json_integer_value(json_object_get(e,
		    "code"))) : json_null());
		/* the recipient's number is not in these texts; they come
		 * from the platform's catalogue of error messages */
		json_object_set_new(err, "title", t != NULL ?
		    json_string(t) : m != NULL ? json_string(m) :
		    json_null());
		json_object_set_new(err, "details", det != NULL ?
		    json_string(det) : json_null());
		json_object_set_new(d, "error", err);
	} else
		json_object_set_new(d, "error", json_null());
	json_object_set_new(rec, "delivery", d);
	free(mid);
	finish(rec, s, ctx, out);
	return 0;
}

int
hark_whatsapp_map(json_t *root, const struct hark_webhook_ctx *ctx,
    json_t *out, long *ignored, long *bad)
{
	size_t i, j, k;
	json_t *entry, *change, *value, *item;
	int n = 0;

	json_array_foreach(json_object_get(root, "entry"), i, entry) {
		json_array_foreach(json_object_get(entry, "changes"), j,
		    change) {
			const char *field = str(change, "field"), *phone;

			value = json_object_get(change, "value");
			if (field == NULL || strcmp(field, "messages") != 0 ||
			    !json_is_object(value)) {
				if (ignored != NULL)
					(*ignored)++;
				continue;
			}
			phone = str(json_object_get(value, "metadata"),
			    "phone_number_id");
			json_array_foreach(json_object_get(value, "messages"),
			    k, item) {
				if (map_message(item, value, phone, ctx,
				    out) == 0)
					n++;
				else if (bad != NULL)
					(*bad)++;
			}
			json_array_foreach(json_object_get(value, "statuses"),
			    k, item) {
				if (map_status(item, value, phone, ctx,
				    out) == 0)
					n++;
				else if (bad != NULL)
					(*bad)++;
			}
			if (ignored != NULL)
				*ignored += (long)json_array_size(
				    json_object_get(value, "errors"));
		}
	}
	return n;
}
