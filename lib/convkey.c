/* convkey.c - a record's conversation key and its stable hash. */
#include "convkey.h"
#include "ndjson.h"

/* A string, integer or boolean member as text (borrowed or BUF). */
static const char *
scalar(json_t *v, char *buf, size_t sz)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, sz, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
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
			if ((k->key = nonempty(scalar(json_object_get(rec,
			    ticket_keys[i]), k->kbuf, sizeof(k->kbuf)))) !=
			    NULL)
				return k->kind = HARK_CONVKEY_TICKET;
		return k->kind;
	}
	if ((k->id = nonempty(scalar(json_object_get(rec, "id"), k->ibuf,
	    sizeof(k->ibuf)))) == NULL)
		return k->kind;
	thread = json_object_get(rec, "thread");
	if (json_is_object(thread)) {
		k->parent = nonempty(scalar(json_object_get(thread,
		    "parent_id"), k->pbuf, sizeof(k->pbuf)));
		if ((k->key = nonempty(scalar(json_object_get(thread,
		    "root_id"), k->kbuf, sizeof(k->kbuf)))) != NULL)
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
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}
