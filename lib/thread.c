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
