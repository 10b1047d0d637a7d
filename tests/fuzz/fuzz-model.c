/* fuzz-model.c - the model file parser (lib/model.h): the bytes as they
 * are, then with their trailing CRC-32 made right so that the checks
 * behind the checksum are reached too; a model that parses classifies a
 * text. */
#include <zlib.h>
#include "hark.h"
#include "err.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
try(const unsigned char *p, size_t n)
{
	struct hark_err err;
	struct hark_model *m = hark_model_parse(p, n, &err);
	struct hark_feats f;
	double prob[HARK_MODEL_LABELS_MAX];
	struct hark_model_contrib top[5];
	static const char text[] = "Nie działa!!! terrible :( 😡 #fail";

	if (m == NULL)
		return;
	hark_feats_init(&f, 1);
	hark_feats_extract(&m->fo, text, sizeof(text) - 1, HARK_LANG_PL, NULL,
	    &f);
	(void)hark_model_predict(m, &f, prob);
	(void)hark_model_explain(m, &f, 0, top, 5);
	hark_feats_release(&f);
	hark_model_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy;
	uLong crc;

	try(data, size);
	if (size < 4 || size > ((size_t)1 << 24))
		return 0;
	copy = hark_xmalloc(size);
	memcpy(copy, data, size);
	crc = crc32(0L, copy, (uInt)(size - 4));
	copy[size - 4] = (unsigned char)crc;
	copy[size - 3] = (unsigned char)(crc >> 8);
	copy[size - 2] = (unsigned char)(crc >> 16);
	copy[size - 1] = (unsigned char)(crc >> 24);
	try(copy, size);
	free(copy);
	return 0;
}
