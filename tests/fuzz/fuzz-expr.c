/*
 * fuzz-expr.c - the rule expression parser and evaluator (lib/expr.h).
 * Input: an expression, optionally followed by a NUL byte and a JSON
 * record to evaluate it against (otherwise a fixed sample record).
 */
#include <jansson.h>
#include "hark.h"
#include "expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char SAMPLE[] =
    "{\"text\":\"Zamówienie nie doszło, chcę zwrot! 😡\",\"lang\":\"pl\","
    "\"author\":{\"followers\":120},\"sentiment\":{\"score\":-0.4},"
    "\"tags\":[\"a\",\"b\"],\"route\":{\"category\":\"delivery\"}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_expr *e;
	const uint8_t *nul = memchr(data, 0, size);
	size_t elen = nul ? (size_t)(nul - data) : size;
	char *src = hark_xstrndup((const char *)data, elen);
	json_t *rec = NULL;

	if (nul)
		rec = json_loadb((const char *)nul + 1, size - elen - 1,
		    JSON_DECODE_ANY, NULL);
	if (rec == NULL)
		rec = json_loads(SAMPLE, 0, NULL);
	if ((e = hark_expr_parse(src, &err)) != NULL) {
		hark_expr_eval(e, rec, &err);
		hark_expr_free(e);
	}
	json_decref(rec);
	free(src);
	return 0;
}
