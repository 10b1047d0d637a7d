/* thread.c - the brand-reply rule of thread.h. */
#include <string.h>
#include <strings.h>
#include "thread.h"
#include "ndjson.h"
#include "banned.h"

int
hark_thread_truthy(json_t *v)
{
	if (json_is_true(v))
		return 1;
	if (json_is_string(v))
		return strcasecmp(json_string_value(v), "true") == 0 ||
		    strcasecmp(json_string_value(v), "yes") == 0 ||
		    strcmp(json_string_value(v), "1") == 0;
	return json_is_integer(v) && json_integer_value(v) != 0;
}

static int
flag(json_t *rec, const char *const *names)
{
	for (; *names != NULL; names++)
		if (hark_thread_truthy(hark_json_path(rec, *names)))
			return 1;
	return 0;
}

static const char *const auto_flags[] = { "automated", "is_automated",
	"auto_reply", "bot", NULL };
static const char *const private_flags[] = { "private", "is_private",
	"internal", NULL };

enum hark_thread_kind
hark_thread_brand_kind(json_t *rec)
{
	const char *vis;

	if (flag(rec, auto_flags))
		return HARK_THREAD_AUTO;
	/* visibility "private" marks a note, except on a record of kind
	 * "message": a private (direct) message, which the customer
	 * receives (the inbox sources, mention-listen, reply-send), so the
	 * brand's messages there are replies */
	vis = hark_json_path_str(rec, "visibility");
	if (vis != NULL && strcasecmp(vis, "private") == 0) {
		const char *kind = hark_json_path_str(rec, "kind");

		return kind != NULL && strcmp(kind, "message") == 0 ?
		    HARK_THREAD_REPLY : HARK_THREAD_NOTE;
	}
	if (json_is_false(json_object_get(rec, "public")) ||
	    flag(rec, private_flags))
		return HARK_THREAD_NOTE;
	return HARK_THREAD_REPLY;
}

enum hark_thread_kind
hark_thread_mention_kind(json_t *rec)
{
	if (!hark_thread_truthy(json_object_get(json_object_get(rec,
	    "author"), "is_brand")))
		return HARK_THREAD_CUSTOMER;
	return hark_thread_brand_kind(rec);
}

enum hark_thread_target
hark_thread_reply_target(int parent_known, int author_known)
{
	if (parent_known)
		return HARK_THREAD_TO_PARENT;
	return author_known ? HARK_THREAD_TO_AUTHOR : HARK_THREAD_TO_OWNER;
}

enum hark_thread_event
hark_thread_event(const char *name)
{
	static const struct {
		const char *name;
		enum hark_thread_event kind;
	} names[] = {
		{ "created", HARK_EVENT_CREATED },
		{ "ticket_created", HARK_EVENT_CREATED },
		{ "opened", HARK_EVENT_CREATED },
		{ "customer_message", HARK_EVENT_CUSTOMER },
		{ "message", HARK_EVENT_CUSTOMER },
		{ "customer_reply", HARK_EVENT_CUSTOMER },
		{ "inbound", HARK_EVENT_CUSTOMER },
		{ "agent_reply", HARK_EVENT_REPLY },
		{ "reply", HARK_EVENT_REPLY },
		{ "public_reply", HARK_EVENT_REPLY },
		{ "brand_reply", HARK_EVENT_REPLY },
		{ "private_note", HARK_EVENT_NOTE },
		{ "agent_note", HARK_EVENT_NOTE },
		{ "note", HARK_EVENT_NOTE },
		{ "internal_note", HARK_EVENT_NOTE },
		{ "auto_reply", HARK_EVENT_AUTO },
		{ "automated_reply", HARK_EVENT_AUTO },
		{ "bot_reply", HARK_EVENT_AUTO },
		{ "away_message", HARK_EVENT_AUTO },
		{ "status_changed", HARK_EVENT_STATUS },
		{ "status", HARK_EVENT_STATUS },
		{ "resolved", HARK_EVENT_RESOLVED },
		{ "solved", HARK_EVENT_RESOLVED },
		{ "closed", HARK_EVENT_RESOLVED },
		{ "reopened", HARK_EVENT_REOPENED },
		{ "merged", HARK_EVENT_MERGED },
		{ "spam", HARK_EVENT_SPAM },
	};
	size_t k;

	if (name == NULL)
		return HARK_EVENT_UNKNOWN;
	for (k = 0; k < HARK_ARRAY_SIZE(names); k++)
		if (strcasecmp(name, names[k].name) == 0)
			return names[k].kind;
	return HARK_EVENT_UNKNOWN;
}
