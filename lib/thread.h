/*
 * thread.h - which brand message answers which customer message: the one
 * rule sla-report(1) and mention-report(1) share.
 *
 * A record from the brand (author.is_brand true, or an event such as
 * agent_reply) is a public, human reply only when it is neither
 * automated (automated, is_automated, auto_reply or bot true) nor a
 * private note (visibility "private" on a record whose kind is not
 * "message", public false, or private, is_private or internal true); a
 * private message (kind "message", visibility "private") is a reply in
 * its conversation.  Only such replies answer anybody.  Within one thread
 * (thread.root_id; a record without a parent is its own root) a reply
 * answers, in this order of precedence:
 *   1. the message its thread.parent_id names, when that message is in
 *      the input, earlier and in the same thread (a reply to a brand
 *      message answers whoever that message answered);
 *   2. else, when the parent is not in the input at all, the customer
 *      its thread.in_reply_to_author_id names, when that customer wrote
 *      in the thread;
 *   3. else the thread's owner: its first customer.
 * An answered customer is answered for every message of theirs in the
 * thread up to the reply's time.  Nothing here allocates, prints or exits.
 */
#ifndef HARK_THREAD_H
#define HARK_THREAD_H

#include <jansson.h>
#include "hark.h"

enum hark_thread_kind {
	HARK_THREAD_CUSTOMER = 0,	/* a customer's message */
	HARK_THREAD_REPLY,		/* a public, human brand reply */
	HARK_THREAD_AUTO,		/* an automated brand message */
	HARK_THREAD_NOTE		/* a private note */
};

/*
 * The kind of brand message REC (borrowed): HARK_THREAD_REPLY,
 * HARK_THREAD_AUTO or HARK_THREAD_NOTE by the flags above.  The caller
 * has decided REC comes from the brand.
 */
enum hark_thread_kind hark_thread_brand_kind(json_t *rec);

/*
 * The kind of mention record REC (borrowed): HARK_THREAD_CUSTOMER unless
 * author.is_brand is true (true, "true", "yes", "1" or a non-zero
 * integer), then hark_thread_brand_kind.
 */
enum hark_thread_kind hark_thread_mention_kind(json_t *rec);

/* Whether V is true in the loose sense above (true, "true", "yes", "1",
 * a non-zero integer). */
int hark_thread_truthy(json_t *v);

/*
 * The helpdesk event vocabulary (sla-report(1), "Helpdesk events"): what
 * an event record's "event" names, case-insensitively.
 */
enum hark_thread_event {
	HARK_EVENT_UNKNOWN = -1,
	HARK_EVENT_CREATED,	/* created, ticket_created, opened */
	HARK_EVENT_CUSTOMER,	/* customer_message, message, customer_reply,
				 * inbound */
	HARK_EVENT_REPLY,	/* agent_reply, reply, public_reply,
				 * brand_reply */
	HARK_EVENT_NOTE,	/* private_note, agent_note, note,
				 * internal_note */
	HARK_EVENT_AUTO,	/* auto_reply, automated_reply, bot_reply,
				 * away_message */
	HARK_EVENT_STATUS,	/* status_changed, status */
	HARK_EVENT_RESOLVED,	/* resolved, solved, closed */
	HARK_EVENT_REOPENED,	/* reopened */
	HARK_EVENT_MERGED,	/* merged */
	HARK_EVENT_SPAM		/* spam */
};

/* The kind of event NAME, or HARK_EVENT_UNKNOWN. */
enum hark_thread_event hark_thread_event(const char *name);

enum hark_thread_target {
	HARK_THREAD_TO_PARENT,		/* rule 1 */
	HARK_THREAD_TO_AUTHOR,		/* rule 2 */
	HARK_THREAD_TO_OWNER		/* rule 3 */
};

/*
 * What a brand reply answers, by the precedence above: PARENT_KNOWN is
 * whether its parent is in the input, earlier and in the same thread;
 * AUTHOR_KNOWN whether the parent is not in the input at all and its
 * in_reply_to_author_id names a customer who wrote in the thread.
 */
enum hark_thread_target hark_thread_reply_target(int parent_known,
    int author_known);

#endif
