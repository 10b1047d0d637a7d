/* test-webhook.c - the webhook mappers (lib/source/webhook.h): what the
 * golden cases of mention-listen cannot reach cheaply. */
#include "tap.h"
#include "hark.h"
#include "mention.h"
#include "source/webhook.h"

static json_t *out;
static long ign, bad;

static int
map(const char *body)
{
	struct hark_webhook_ctx ctx = { NULL, 1741000000, 0 };
	struct hark_err err = HARK_ERR_INIT;
	int n;

	json_array_clear(out);
	ign = bad = 0;
	n = hark_webhook_map(body, strlen(body), &ctx, out, &ign, &bad, &err);
	if (n < 0)
		printf("# %s\n", err.msg);
	return n;
}

static const char *
get(size_t i, const char *path)
{
	return hark_mention_get_str(json_array_get(out, i), path);
}

int
main(void)
{
	out = json_array();

	is_int(map("{\"object\":\"page\",\"entry\":[{\"id\":110,\"messaging\":"
	    "[{\"sender\":{\"id\":110},\"recipient\":{\"id\":7},\"timestamp\":"
	    "1741595300456,\"message\":{\"mid\":\"m_1\",\"is_echo\":true,"
	    "\"text\":\"hi\"}}]}]}"), 1, "numeric page and user ids");
	is_str(get(0, "thread.root_id"), "facebook:conversation:110:7",
	    "an echo's conversation is the recipient's");
	is_str(get(0, "thread.in_reply_to_author_id"), "7",
	    "an echo answers the customer");
	ok(json_is_true(json_object_get(json_object_get(json_array_get(out, 0),
	    "author"), "is_brand")), "an echo is the brand");
	is_str(get(0, "created_at"), "2025-03-10T08:28:20Z",
	    "milliseconds to seconds");
	is_str(get(0, "visibility"), "private", "private");

	is_int(map("{\"object\":\"whatsapp_business_account\",\"entry\":[{"
	    "\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{"
	    "\"phone_number_id\":\"1\"},\"messages\":[{\"id\":\"w1\",\"from\":"
	    "\"2\",\"timestamp\":\"99999999999999999999\",\"type\":\"text\","
	    "\"text\":{\"body\":\"a\\u0000b\"}},{\"from\":\"2\"},{\"id\":\"w2\","
	    "\"from\":\"2\",\"timestamp\":1741000100,\"type\":\"sticker\"}],"
	    "\"errors\":[{\"code\":131051}]}},{\"field\":\"account_update\","
	    "\"value\":{}}]}]}"), 2, "two WhatsApp messages of three");
	is_int(bad, 1, "the one without an id is bad");
	is_int(ign, 2, "an errors[] item and an account update are ignored");
	is_str(get(0, "created_at"), "2025-03-03T11:06:40Z",
	    "an impossible timestamp falls back to the receipt time");
	is_str(get(1, "created_at"), "2025-03-03T11:08:20Z",
	    "a numeric timestamp");
	is_str(get(1, "text"), "", "a sticker has no text");
	is_str(get(0, "text"), "a", "text ends at a NUL character");

	is_int(map("{\"object\":\"whatsapp_business_account\",\"entry\":[{"
	    "\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":[{"
	    "\"id\":\"w1\",\"from\":\"2\"}]}}]}]}"), 0,
	    "no phone_number_id: no conversation to put it in");
	is_int(bad, 1, "... so it is bad");

	is_int(map("{\"object\":\"instagram\",\"entry\":[{\"id\":\"9\","
	    "\"messaging\":[{\"sender\":{\"id\":\"5\"},\"recipient\":{\"id\":"
	    "\"9\"},\"timestamp\":1,\"message\":{\"mid\":\"x\",\"is_deleted\":"
	    "true}},{\"sender\":{\"id\":\"5\"},\"timestamp\":1,\"reaction\":{}}"
	    "],\"standby\":[{}]}]}"), 0, "deleted message, reaction, standby");
	is_int(ign, 3, "... all three ignored");

	is_int(map("{\"object\":\"user\"}"), -1, "unknown object");
	is_int(map("{\"entry\":[]}"), -1, "no object");
	is_int(map("[]"), -1, "not an object");
	is_int(map("{\"object\":\"page\""), -1, "cut short");
	is_int((long long)json_array_size(out), 0, "nothing appended on -1");
	json_decref(out);
	return tap_done();
}
