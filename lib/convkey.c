/* convkey.c - a record's conversation key and its stable hash. */
#include "convkey.h"
#include "ndjson.h"

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* Member KEY of O as non-empty text (borrowed or BUF), or NULL. */
static const char *
member(json_t *o, const char *key, char *buf, size_t sz)
{
	return nonempty(hark_json_scalar(json_object_get(o, key), buf, sz));
}

static const char *const ticket_keys[] = { "ticket", "conversation",
	"ticket_id", "conversation_id", NULL };

enum hark_convkey_kind
hark_convkey_get(json_t *rec, struct hark_convkey *k)
{
	json_t *thread;
	size_t i;

	k->kind = HARK_CONVKEY_NONE;
	k->key = k->id = k->parent = NULL;
	k->is_event = json_is_string(json_object_get(rec, "event"));
	if (k->is_event) {
		for (i = 0; ticket_keys[i] != NULL; i++)
			if ((k->key = member(rec, ticket_keys[i], k->kbuf,
			    sizeof(k->kbuf))) != NULL)
				return k->kind = HARK_CONVKEY_TICKET;
		return k->kind;
	}
	if ((k->id = member(rec, "id", k->ibuf, sizeof(k->ibuf))) == NULL)
		return k->kind;
	thread = json_object_get(rec, "thread");
	if (json_is_object(thread)) {
		k->parent = member(thread, "parent_id", k->pbuf,
		    sizeof(k->pbuf));
		if ((k->key = member(thread, "root_id", k->kbuf,
		    sizeof(k->kbuf))) != NULL)
			return k->kind = HARK_CONVKEY_ROOT;
	}
	if (k->parent != NULL)
		return k->kind = HARK_CONVKEY_PARENT;
	k->key = k->id;
	return k->kind = HARK_CONVKEY_SELF;
}

uint64_t
hark_convkey_hash(const char *s, size_t n)
{
	return hark_fnv1a64(s, n);
}
