/*
 * source/webhook.h - the push-only sources: webhook deliveries from the
 * WhatsApp Business Cloud API (lib/source/whatsapp.c) and from the
 * Messenger Platform for Facebook Pages and Instagram professional
 * accounts (lib/source/meta-webhook.c), mapped to mention records
 * (hark-records(5), schema v1) for mention-listen(1).
 *
 * The mappers are pure: a delivery's raw body in, records out; no
 * network, no clock (FETCHED_AT is the receiver's), no printing.  Every
 * record they make is private ("visibility": "private") and belongs to
 * one conversation per customer and business account:
 *
 *   thread.root_id  "<source>:conversation:<business id>:<customer id>"
 *
 * with the business id the WhatsApp phone number id, the Facebook Page id
 * or the Instagram account id, and the customer id the WhatsApp wa_id,
 * the page-scoped (PSID) or Instagram-scoped (IGSID) id.  A customer's
 * message has author.id = the customer; the brand's messages (WhatsApp
 * "sent" statuses, Messenger/Instagram echoes) have author.is_brand true
 * and thread.in_reply_to_author_id = the customer, so sla-report(1)
 * times them as answers in that conversation.  A message that quotes
 * another (WhatsApp context.id, Messenger reply_to.mid) has that
 * message's id as thread.parent_id.
 *
 * WhatsApp delivered/read/failed statuses become records of kind
 * "status" with "automated": true (never a response) and a "delivery"
 * object {status, message_id, recipient_id, error}.
 *
 * A delivery's parts that are not messages (Instagram comments and
 * mentions under "changes", Messenger reads, deliveries, reactions,
 * referrals, WhatsApp "errors" and account updates) are counted in
 * *IGNORED and produce nothing.
 */
#ifndef HARK_SOURCE_WEBHOOK_H
#define HARK_SOURCE_WEBHOOK_H

#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "htime.h"

struct hark_webhook_ctx {
	const char *query;	/* the records' "query", or NULL */
	hark_time_t fetched_at;	/* the records' "fetched_at" */
	int raw;		/* add "raw": the delivery's item */
};

/*
 * Map one delivery BODY[0..LEN) (the raw POST body) to records, appended
 * to the array OUT (each a new reference OUT holds).  The body's
 * "object" selects the mapper: "whatsapp_business_account",
 * "page" (source "facebook") or "instagram".  Returns the number of
 * records appended, or -1 with ERR (code HARK_EXIT_DATA) when the body is
 * not JSON, not an object, or of an unknown "object"; then nothing is
 * appended.  An item inside an otherwise valid delivery that lacks what
 * its record needs (an id, a sender) is counted in *BAD (may be NULL)
 * and skipped.  *IGNORED (may be NULL) counts the parts that are not
 * messages (above).
 */
int hark_webhook_map(const char *body, size_t len,
    const struct hark_webhook_ctx *ctx, json_t *out, long *ignored,
    long *bad, struct hark_err *err);

/* The mappers behind it, for a parsed delivery ROOT (borrowed); same
 * contract, never -1 for a well-typed ROOT. */
int hark_whatsapp_map(json_t *root, const struct hark_webhook_ctx *ctx,
    json_t *out, long *ignored, long *bad);
int hark_meta_messaging_map(json_t *root, const char *source,
    const struct hark_webhook_ctx *ctx, json_t *out, long *ignored,
    long *bad);

/* Helpers the mappers share (private.c; the conversation key also
 * messenger.c, so that polled and pushed messages join). */
/* "visibility": "private" on REC: in its schema place when lib/mention
 * has one, else appended. */
void hark_webhook_private(json_t *rec);
/* "<SOURCE>:conversation:<BUSINESS>:<CUSTOMER>" (new string). */
char *hark_webhook_conversation(const char *source, const char *business,
    const char *customer);

#endif
