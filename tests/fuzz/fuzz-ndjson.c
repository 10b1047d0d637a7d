/* fuzz-ndjson.c - the NDJSON line reader, record parser and splicer. */
#include <unistd.h>
#include "hark.h"
#include "buf.h"
#include "ndjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hark_err err;
	struct hark_buf out = HARK_BUF_INIT(1 << 22);
	json_t *rec, *add;
	const char *p = (const char *)data, *end = p + size;

	add = json_pack("{s:{s:f,s:s}}", "sentiment", "score", -0.5,
	    "label", "negative");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (hark_ndjson_parse(p, n, &rec, &err) == 0) {
			hark_buf_reset(&out);
			if (hark_ndjson_splice(&out, p, n, add, 0) == 0) {
				json_t *back = json_loadb(out.ptr, out.len, 0,
				    NULL);

				if (back == NULL ||
				    !json_is_object(json_object_get(back,
				    "sentiment")))
					abort();
				json_decref(back);
			}
			json_decref(rec);
		}
		p += n + (nl != NULL);
	}
	json_decref(add);
	hark_buf_release(&out);
	return 0;
}
