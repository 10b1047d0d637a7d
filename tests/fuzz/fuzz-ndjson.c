/*
 * fuzz-ndjson.c - the record parser (lib/json.c) and splicer, line by line,
 * against jansson as an oracle where jansson has an opinion: a line jansson
 * reads as an object (jansson refuses more, never less: big numbers, NUL
 * keys, lone surrogates, depth over 2048; it is not asked about lines with
 * raw NUL bytes) must be read by ours to an equal
 * value; a line ours refuses jansson must refuse.  Validating without
 * building must give the same verdict and message.  The spliced output
 * must be a valid record again, with the added member and every other
 * member's bytes.  Aborts on a difference.
 */
#include <unistd.h>
#include "hark.h"
#include "buf.h"
#include "json.h"
#include "ndjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Is the key token K[0..N) the member the splice adds? */
static int
is_added(const char *k, size_t n)
{
	size_t dn;
	char *d = hark_json_string_decode(k, n, &dn);
	int yes = dn == 9 && memcmp(d, "sentiment", 9) == 0;

	free(d);
	return yes;
}

static void
one_line(const char *p, size_t n, json_t *add, struct hark_buf *out,
    struct hark_json_members *mem)
{
	struct hark_err e1 = HARK_ERR_INIT, e2 = HARK_ERR_INIT;
	json_t *rec = NULL, *ref, *back = NULL;
	int r1, r2;
	size_t i;

	r1 = hark_ndjson_parse(p, n, &rec, &e1);
	r2 = hark_json_record(p, n, NULL, 0, 0, NULL, mem, &e2);
	if (r1 != r2 || (r1 < 0 && strcmp(e1.msg, e2.msg) != 0))
		abort();
	/* jansson's buffer reader takes a raw NUL byte for the end of the
	 * input and may then accept what is not JSON: no oracle there */
	ref = memchr(p, '\0', n) ? NULL : json_loadb(p, n, JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, NULL);
	if (json_is_object(ref) && (r1 < 0 || !json_equal(ref, rec)))
		abort();
	if (r1 < 0 && json_is_object(ref))
		abort();
	json_decref(ref);
	if (r1 < 0)
		return;
	hark_buf_reset(out);
	if (hark_ndjson_splice_members(out, p, n, mem, add, 0) == 0) {
		struct hark_json_members m2 = HARK_JSON_MEMBERS_INIT;

		if (hark_json_record(out->ptr, out->len, NULL, 0, 1, &back,
		    &m2, NULL) < 0 ||
		    !json_is_object(json_object_get(back, "sentiment")))
			abort();
		/* every member not replaced keeps its bytes */
		for (i = 0; i < mem->n; i++) {
			const struct hark_json_member *m = &mem->m[i];
			size_t k;
			int found = 0;

			for (k = 0; k < m2.n && !found; k++)
				found = m2.m[k].ve - m2.m[k].ks ==
				    m->ve - m->ks && memcmp(out->ptr +
				    m2.m[k].ks, p + m->ks, m->ve - m->ks) == 0;
			if (!found && !is_added(p + m->ks, m->ke - m->ks))
				abort();
		}
		hark_json_members_release(&m2);
		json_decref(back);
	}
	json_decref(rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hark_buf out = HARK_BUF_INIT(1 << 22);
	struct hark_json_members mem = HARK_JSON_MEMBERS_INIT;
	json_t *add;
	const char *p = (const char *)data, *end = p + size;

	add = json_pack("{s:{s:f,s:s}}", "sentiment", "score", -0.5,
	    "label", "negative");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		one_line(p, n, add, &out, &mem);
		p += n + (nl != NULL);
	}
	json_decref(add);
	hark_json_members_release(&mem);
	hark_buf_release(&out);
	return 0;
}
