/* fuzz-query.c - the search query parser, matcher and native renderers;
 * also the HTTP header, Link and redaction helpers on the same bytes. */
#include <jansson.h>
#include "hark.h"
#include "query.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = hark_xstrndup((const char *)data, size), red[256], *v;
	struct hark_buf b = HARK_BUF_INIT(1u << 20);
	struct hark_query *q = hark_query_parse(s, NULL);
	struct hark_http_resp r;
	json_t *rec = json_pack("{s:s,s:s,s:s,s:s,s:{s:s}}", "title", "Lumilo",
	    "text", "nie działa zásilka 😡 #acme @acme", "url",
	    "https://a.example.com/x", "lang", "pl-PL", "author", "handle",
	    "jan");

	if (q != NULL) {
		hark_query_match(q, rec);
		hark_query_render(q, HARK_QUERY_BOOLEAN, &b, NULL);
		hark_query_render(q, HARK_QUERY_X, &b, NULL);
		hark_query_render(q, HARK_QUERY_TERMS, &b, NULL);
	}
	hark_query_free(q);
	hark_buf_release(&b);
	json_decref(rec);
	memset(&r, 0, sizeof(r));
	r.status = 429;
	r.headers = s;
	r.body = (char *)"";
	free(hark_http_header(&r, "retry-after"));
	free(hark_http_link(&r, "next"));
	hark_http_wait_hint(&r, 1741651200);
	hark_http_redact(s, red, sizeof(red));
	v = hark_http_escape(s);
	free(v);
	free(s);
	return 0;
}
