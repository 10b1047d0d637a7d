/*
 * fuzz-map.c - every source's response mapper (lib/source/, through the
 * table of drivers) on arbitrary bytes.
 * Invariants checked: no crash or leak, a failure is a data error with a
 * message, every record has the schema layout, serialises, and has an id
 * and a created_at.
 */
#include <jansson.h>

#include "source/source.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static const char *urls[] = {
	"https://mastodon.social/api/v1/statuses/1/context",
	"https://graph.facebook.com/v19.0/1_2/comments?x=1",
	NULL
};

static const char *brands[] = { "lumilocare", "1500000000000000001" };

static void
check(const json_t *recs)
{
	size_t i;
	json_t *r;

	json_array_foreach(recs, i, r) {
		char *s = hark_json_dumps(r, JSON_COMPACT);

		if (s == NULL || json_object_size(r) < 19 ||
		    !json_is_string(json_object_get(r, "id")) ||
		    !json_is_string(json_object_get(r, "created_at")) ||
		    !json_is_string(json_object_get(r, "text")) ||
		    !json_is_boolean(mf_get(r, "author.is_brand")))
			abort();
		free(s);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	size_t nd;
	const struct mf_driver *const *drv = mf_driver_table(&nd);

	/* every mapper of the table of drivers, each once */
	for (size_t f = 0; f < nd; f++) {
		if (f > 0 && drv[f]->map == drv[f - 1]->map)
			continue;
		for (size_t u = 0; u < HARK_ARRAY_SIZE(urls); u++) {
			struct mf_map_ctx ctx;
			struct mf_page page;
			struct hark_err err = HARK_ERR_INIT;
			int rc;

			memset(&ctx, 0, sizeof(ctx));
			memset(&page, 0, sizeof(page));
			ctx.type = "fuzz";
			ctx.base_url = "https://mastodon.social";
			ctx.request_url = urls[u];
			ctx.content_type = u == 0 ?
			    "text/xml; charset=windows-1250" : NULL;
			ctx.brands = brands;
			ctx.nbrands = 2;
			ctx.raw = u == 1;
			page.records = json_array();
			rc = drv[f]->map(body, size, &ctx, &page, &err);
			if (rc == -1 && (err.code != HARK_EXIT_DATA ||
			    err.msg[0] == '\0'))
				abort();
			if (rc == 0)
				check(page.records);
			json_decref(page.records);
			mf_page_release(&page);
		}
	}
	return 0;
}
