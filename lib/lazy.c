/*
 * lazy.c - the list of top-level members a command reads; the parsing is
 * lib/json.c's, which validates the whole line and builds only those.
 */
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "ndjson.h"
#include "lazy.h"
#include "json.h"

void
hark_lazy_want(struct hark_lazy *lz, const char *name)
{
	size_t i;

	for (i = 0; i < lz->n; i++)
		if (strcmp(lz->names[i], name) == 0)
			return;
	lz->names = hark_xrealloc(lz->names, (lz->n + 1) * sizeof(char *));
	lz->names[lz->n++] = hark_xstrdup(name);
}

void
hark_lazy_release(struct hark_lazy *lz)
{
	size_t i;

	for (i = 0; i < lz->n; i++)
		free(lz->names[i]);
	free(lz->names);
	lz->names = NULL;
	lz->n = 0;
}

int
hark_lazy_parse(const struct hark_lazy *lz, const char *line, size_t len,
    json_t **out, struct hark_err *err)
{
	return hark_json_record(line, len, lz->names, lz->n, 0, out, NULL,
	    err);
}
