/*
 * fuzz-route-lazy.c - the record parser building only some members (as
 * ticket-route, sentiment-score and sla-report use it, lib/lazy.h) against
 * the same parser building all of them: both must accept and reject the
 * same lines with the same message, and every member the partial parse
 * builds must equal the full parse's member.  Aborts on a difference.
 */
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "ndjson.h"
#include "lazy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
is_wanted(const struct hark_lazy *lz, const char *k)
{
	size_t i;

	for (i = 0; i < lz->n; i++)
		if (strcmp(lz->names[i], k) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hark_lazy lz;
	struct hark_err e1 = HARK_ERR_INIT, e2 = HARK_ERR_INIT;
	json_t *full = NULL, *part = NULL, *v;
	const char *k;
	int r1, r2;

	if (lz.n == 0) {
		static const char *const names[] = { "text", "author", "a",
		    "b", "source", "created_at", "sentiment", "tags", "" };
		size_t i;

		for (i = 0; i < HARK_ARRAY_SIZE(names); i++)
			hark_lazy_want(&lz, names[i]);
	}
	r1 = hark_ndjson_parse((const char *)data, size, &full, &e1);
	r2 = hark_lazy_parse(&lz, (const char *)data, size, &part, &e2);
	if ((r1 < 0) != (r2 < 0))
		abort();
	if (r1 == 0) {
		json_object_foreach(part, k, v)
			if (!json_equal(v, json_object_get(full, k)))
				abort();
		json_object_foreach(full, k, v)
			if (is_wanted(&lz, k) &&
			    json_object_get(part, k) == NULL)
				abort();
	} else if (strcmp(e1.msg, e2.msg) != 0 || e1.column != e2.column)
		abort();
	json_decref(full);
	json_decref(part);
	return 0;
}
