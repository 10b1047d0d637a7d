/*
 * meta-webhook.c - Messenger Platform webhooks for a Facebook Page
 * (object "page", source "facebook") and an Instagram professional
 * account (object "instagram", source "instagram") to mention records:
 * entry[].messaging[] message and postback events; echoes
 * (message.is_echo) are the brand's own messages.  See source/webhook.h
 * (webhook.c dispatches a body here or to whatsapp.c).
 *
 * The records are the ones mention-fetch's facebook_inbox and
 * instagram_inbox (messenger.c) make of the same messages: the same
 * source names, the id "<source>:<mid>" (the webhook's message.mid is the
 * message id the Conversations API answers as a message's "id"), and
 * the conversation "<source>:conversation:<business id>:<customer id>"
 * (entry.id, the Page or Instagram account; the PSID or IGSID), so that
 * a webhook receiver with a poll as its safety net yields one record per
 * message and one conversation per customer.
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

/* Sender and recipient ids may come as strings or (old payloads,
 * hand-written tests) as numbers. */
static const char *
id_of(json_t *o, char *buf, size_t sz)
{
	json_t *v = json_object_get(o, "id");

	if (json_is_integer(v)) {
		snprintf(buf, sz, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return str(o, "id");
}

static void
set_parent(json_t *rec, const char *source, const char *mid)
{
	char *id = hark_mention_id(source, mid);

	hark_mention_set_str(rec, "thread.parent_id", id);
	free(id);
}

static int
map_event(json_t *ev, const char *source, const char *business,
    const struct hark_webhook_ctx *ctx, json_t *out)
{
	json_t *msg = json_object_get(ev, "message");
	json_t *pb = json_object_get(ev, "postback");
	json_t *rec, *ts, *rt;
	char sb[32], rb[32], *conv;
	const char *sender = id_of(json_object_get(ev, "sender"), sb,
	    sizeof(sb));
	const char *recip = id_of(json_object_get(ev, "recipient"), rb,
	    sizeof(rb));
	const char *mid, *text, *customer;
	int echo;
	hark_time_t t;

	if (json_is_object(msg)) {
		mid = str(msg, "mid");
		text = str(msg, "text");
		echo = json_is_true(json_object_get(msg, "is_echo"));
	} else {
		mid = str(pb, "mid");
		text = str(pb, "title");
		echo = 0;
	}
	customer = echo ? recip : sender;
	if (mid == NULL || sender == NULL || customer == NULL)
		return -1;
	if (business == NULL)
		business = echo ? sender : recip;
	if (business == NULL)
		return -1;
	rec = hark_mention_new(source, ctx->query, ctx->fetched_at);
	hark_mention_set_id(rec, mid);
	hark_mention_set_str(rec, "kind", "message");
	ts = json_object_get(ev, "timestamp");	/* milliseconds */
	t = json_is_integer(ts) ? json_integer_value(ts) / 1000 : -1;
	if (json_is_real(ts)) {	/* converted only when it fits */
		double secs = json_real_value(ts) / 1000;

		t = secs >= 0 && secs <= (double)HARK_TIME_MAX ?
		    (hark_time_t)secs : -1;
	}
	hark_mention_set_time(rec, "created_at", t >= 0 && t <= HARK_TIME_MAX ?
	    t : ctx->fetched_at);
	hark_mention_set_str(rec, "author.id", sender);
	if (echo) {
		hark_mention_set(rec, "author.is_brand", json_true());
		hark_mention_set_str(rec, "thread.in_reply_to_author_id",
		    customer);
	}
	if (text != NULL)
		hark_mention_set_text(rec, text, strlen(text), 0);
	conv = hark_webhook_conversation(source, business, customer);
	hark_mention_set_str(rec, "thread.root_id", conv);
	free(conv);
	hark_mention_set_str(rec, "context.community", business);
	if ((rt = json_object_get(msg, "reply_to")) != NULL) {
		json_t *story = json_object_get(rt, "story");

		if (str(rt, "mid") != NULL)
			set_parent(rec, source, str(rt, "mid"));
		/* an Instagram reply to a story: the public item the
		 * private conversation started from */
		if (story != NULL)
			hark_mention_set_str(rec, "context.url",
			    str(story, "url"));
	}
	/* an ad, a post or an m.me link that opened the conversation */
	if ((rt = json_object_get(pb, "referral")) != NULL ||
	    (rt = json_object_get(msg, "referral")) != NULL)
		hark_mention_set_str(rec, "context.url", str(rt,
		    "source_url") != NULL ? str(rt, "source_url") :
		    str(rt, "ref"));
	hark_webhook_private(rec);
	if (ctx->raw)
		hark_mention_set_raw(rec, json_deep_copy(ev));
	json_array_append_new(out, rec);
	return 0;
}

int
hark_meta_messaging_map(json_t *root, const char *source,
    const struct hark_webhook_ctx *ctx, json_t *out, long *ignored,
    long *bad)
{
	size_t i, j;
	json_t *entry, *ev;
	char eb[32];
	int n = 0;

	json_array_foreach(json_object_get(root, "entry"), i, entry) {
		const char *business = id_of(entry, eb, sizeof(eb));

		json_array_foreach(json_object_get(entry, "messaging"), j,
		    ev) {
			json_t *msg = json_object_get(ev, "message");

			if (!json_is_object(msg) && !json_is_object(
			    json_object_get(ev, "postback"))) {
				if (ignored != NULL)	/* read, delivery, ... */
					(*ignored)++;
				continue;
			}
			/* a deleted or unsupported Instagram message has
			 * nothing to read */
			if (json_is_true(json_object_get(msg, "is_deleted"))) {
				if (ignored != NULL)
					(*ignored)++;
				continue;
			}
			if (map_event(ev, source, business, ctx, out) == 0)
				n++;
			else if (bad != NULL)
				(*bad)++;
		}
		/* comments, mentions, standby (handover): not messages */
		if (ignored != NULL)
			*ignored += (long)(json_array_size(json_object_get(
			    entry, "changes")) + json_array_size(
			    json_object_get(entry, "standby")));
	}
	return n;
}
