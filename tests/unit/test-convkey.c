/* test-convkey.c - unit tests for lib/convkey: the conversation key rule
 * and its hash (fixed for ever: shards written by any version agree). */
#include <jansson.h>
#include "convkey.h"
#include "tap.h"

static struct hark_convkey k;

/* The kind of LINE's key, its key in K. */
static int
kind(const char *line)
{
	static char key[64], parent[64];
	json_t *rec = json_loads(line, 0, NULL);
	int r;

	if (rec == NULL)
		return -1;
	r = (int)hark_convkey_get(rec, &k);
	/* copy out before the record goes */
	snprintf(key, sizeof(key), "%s", k.key ? k.key : "(null)");
	snprintf(parent, sizeof(parent), "%s", k.parent ? k.parent : "(null)");
	k.key = key;
	k.parent = parent;
	json_decref(rec);
	return r;
}

int
main(void)
{
	/* FNV-1a 64 test vectors (Fowler, Noll, Vo) */
	ok(hark_convkey_hash("", 0) == 0xcbf29ce484222325ull, "fnv1a ''");
	ok(hark_convkey_hash("a", 1) == 0xaf63dc4c8601ec8cull, "fnv1a 'a'");
	ok(hark_convkey_hash("foobar", 6) == 0x85944171f73967e8ull,
	    "fnv1a 'foobar'");
	is_int((int)hark_convkey_shard(0xaf63dc4c8601ec8cull, 7), 5,
	    "'a' is shard 5 of 7");
	is_int((int)hark_convkey_shard(12345, 1), 0, "one shard");

	is_int(kind("{\"event\":\"created\",\"ticket\":\"T1\"}"),
	    HARK_CONVKEY_TICKET, "event: ticket");
	is_str(k.key, "T1", "event: ticket key");
	is_int(kind("{\"event\":\"created\",\"ticket\":4711}"),
	    HARK_CONVKEY_TICKET, "event: numeric ticket");
	is_str(k.key, "4711", "event: a number is its digits");
	is_int(kind("{\"event\":\"created\",\"ticket\":\"\","
	    "\"conversation_id\":\"C9\"}"), HARK_CONVKEY_TICKET,
	    "event: empty ticket, next key");
	is_str(k.key, "C9", "event: conversation_id");
	is_int(kind("{\"event\":\"created\",\"id\":\"x\"}"), HARK_CONVKEY_NONE,
	    "event without a ticket: none (an id does not count)");
	is_int(kind("{\"id\":\"x:2\",\"thread\":{\"root_id\":\"x:1\","
	    "\"parent_id\":\"x:1\"}}"), HARK_CONVKEY_ROOT, "mention: root");
	is_str(k.key, "x:1", "mention: root key");
	is_str(k.parent, "x:1", "mention: parent kept");
	is_int(kind("{\"id\":\"x:1\",\"thread\":{\"root_id\":null,"
	    "\"parent_id\":null}}"), HARK_CONVKEY_SELF, "starter: itself");
	is_str(k.key, "x:1", "starter key is its id");
	is_int(kind("{\"id\":7}"), HARK_CONVKEY_SELF, "no thread: itself");
	is_str(k.key, "7", "numeric id");
	is_int(kind("{\"id\":\"r:3\",\"thread\":{\"parent_id\":\"r:2\"}}"),
	    HARK_CONVKEY_PARENT, "reply without root: follow the parent");
	is_str(k.key, "(null)", "no key of its own");
	is_str(k.parent, "r:2", "the parent to follow");
	is_int(kind("{\"text\":\"hello\"}"), HARK_CONVKEY_NONE,
	    "neither event nor id");
	is_int(kind("{\"event\":42,\"id\":\"m\"}"), HARK_CONVKEY_SELF,
	    "a non-string event is not an event record");
	return tap_done();
}
