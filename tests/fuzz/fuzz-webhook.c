/*
 * fuzz-webhook.c - the webhook mappers (lib/source/webhook.h) on
 * arbitrary bodies: never a crash; -1 leaves the output empty; every
 * record is an object with a string id, "visibility": "private" and a
 * thread.root_id, and serializes (valid UTF-8).
 */
#include <jansson.h>

#include "hark.h"
#include "source/webhook.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hark_webhook_ctx ctx = { "q", 1741000000, 0 };
	json_t *out = json_array(), *rec;
	long ign = 0, bad = 0;
	size_t i;
	int n;

	ctx.raw = size > 0 && (data[0] & 1);
	n = hark_webhook_map((const char *)data, size, &ctx, out, &ign, &bad,
	    NULL);
	if (n < 0 ? json_array_size(out) != 0 :
	    (size_t)n != json_array_size(out))
		abort();
	json_array_foreach(out, i, rec) {
		char *s;

		if (!json_is_string(json_object_get(rec, "id")) ||
		    !json_is_string(json_object_get(json_object_get(rec,
		    "thread"), "root_id")) ||
		    strcmp(json_string_value(json_object_get(rec,
		    "visibility")), "private") != 0)
			abort();
		if ((s = hark_json_dumps(rec, JSON_COMPACT)) == NULL)
			abort();
		free(s);
	}
	json_decref(out);
	return 0;
}
