/* test-thread.c - the brand-reply rule sla-report and mention-report
 * share (lib/thread.h): which brand records reply, and what a reply
 * answers. */
#include <jansson.h>
#include "thread.h"
#include "tap.h"

static enum hark_thread_kind
kind(const char *json)
{
	json_t *r = json_loads(json, 0, NULL);
	enum hark_thread_kind k = hark_thread_mention_kind(r);

	json_decref(r);
	return k;
}

int
main(void)
{
	is_int(kind("{\"author\":{\"is_brand\":false}}"), HARK_THREAD_CUSTOMER,
	    "a customer's mention");
	is_int(kind("{\"text\":\"no author\"}"), HARK_THREAD_CUSTOMER,
	    "no author: a customer");
	is_int(kind("{\"author\":{\"is_brand\":true}}"), HARK_THREAD_REPLY,
	    "a brand record is a public reply");
	is_int(kind("{\"author\":{\"is_brand\":\"yes\"}}"), HARK_THREAD_REPLY,
	    "is_brand \"yes\"");
	is_int(kind("{\"author\":{\"is_brand\":1}}"), HARK_THREAD_REPLY,
	    "is_brand 1");
	is_int(kind("{\"author\":{\"is_brand\":\"no\"}}"),
	    HARK_THREAD_CUSTOMER, "is_brand \"no\"");
	is_int(kind("{\"author\":{\"is_brand\":true},\"bot\":true}"),
	    HARK_THREAD_AUTO, "bot: automated");
	is_int(kind("{\"author\":{\"is_brand\":true},\"automated\":\"true\"}"),
	    HARK_THREAD_AUTO, "automated \"true\"");
	is_int(kind("{\"author\":{\"is_brand\":true},\"visibility\":"
	    "\"Private\"}"), HARK_THREAD_NOTE, "visibility private");
	is_int(kind("{\"author\":{\"is_brand\":true},\"visibility\":"
	    "\"private\",\"kind\":\"message\"}"), HARK_THREAD_REPLY,
	    "a private message (kind message) is a reply, not a note");
	is_int(kind("{\"author\":{\"is_brand\":true},\"visibility\":"
	    "\"private\",\"kind\":\"comment\"}"), HARK_THREAD_NOTE,
	    "a private comment is a note");
	is_int(kind("{\"author\":{\"is_brand\":true},\"visibility\":"
	    "\"private\",\"kind\":\"message\",\"bot\":true}"),
	    HARK_THREAD_AUTO, "an automated private message");
	is_int(kind("{\"author\":{\"is_brand\":true},\"public\":false}"),
	    HARK_THREAD_NOTE, "public false");
	is_int(kind("{\"author\":{\"is_brand\":true},\"internal\":1}"),
	    HARK_THREAD_NOTE, "internal");
	is_int(kind("{\"author\":{\"is_brand\":true},\"private\":true,"
	    "\"bot\":true}"), HARK_THREAD_AUTO, "automated wins over private");
	is_int(hark_thread_event("Customer_Message"), HARK_EVENT_CUSTOMER,
	    "event names are case-insensitive");
	is_int(hark_thread_event("opened"), HARK_EVENT_CREATED, "opened");
	is_int(hark_thread_event("away_message"), HARK_EVENT_AUTO,
	    "away_message is automated");
	is_int(hark_thread_event("closed"), HARK_EVENT_RESOLVED, "closed");
	is_int(hark_thread_event("escalated"), HARK_EVENT_UNKNOWN,
	    "an unknown event");
	is_int(hark_thread_event(NULL), HARK_EVENT_UNKNOWN, "no event");
	is_int(hark_thread_reply_target(1, 1), HARK_THREAD_TO_PARENT,
	    "a known parent comes first");
	is_int(hark_thread_reply_target(0, 1), HARK_THREAD_TO_AUTHOR,
	    "then the customer replied to");
	is_int(hark_thread_reply_target(0, 0), HARK_THREAD_TO_OWNER,
	    "then the thread's owner");
	return tap_done();
}
