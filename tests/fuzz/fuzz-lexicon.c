/* fuzz-lexicon.c - the sentiment lexicon parser (hark, VADER and AFINN
 * formats) and the scorer on the same bytes as text. */
#include "hark.h"
#include "err.h"
#include "sentiment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hark_sentiment *S;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hark_sentiment_result res = HARK_SENTIMENT_RESULT_INIT;
	struct hark_err err;
	int f;

	if (S == NULL && (S = hark_sentiment_new(&err)) == NULL)
		return 0;
	for (f = HARK_LEX_AUTO; f <= HARK_LEX_AFINN; f++)
		hark_sentiment_add_lexicon(S, "fuzz", (const char *)data, size,
		    (enum hark_lex_format)f, HARK_LANG_UNKNOWN, &err);
	for (f = HARK_LANG_UNKNOWN; f < HARK_LANG_COUNT; f++)
		hark_sentiment_score(S, (const char *)data, size,
		    (enum hark_lang)f, HARK_SENT_EXPLAIN, &res);
	hark_sentiment_result_release(&res);
	return 0;
}
