/*
 * lazy.h - parse a record line but decode only the top-level members a
 * command reads (see lazy.c).  Verdicts and error messages are those of
 * hark_ndjson_parse: every line it rejects is rejected here too.
 */
#ifndef TR_LAZY_H
#define TR_LAZY_H

#include <jansson.h>
#include "hark.h"
#include "err.h"

struct lazy {
	char **names;		/* top-level members to decode (owned) */
	size_t n;
};

/* Add NAME (copied) to the members to decode. */
void lazy_want(struct lazy *lz, const char *name);
void lazy_release(struct lazy *lz);
/* Like hark_ndjson_parse, building only the wanted members. */
int lazy_parse(const struct lazy *lz, const char *line, size_t len,
    json_t **out, struct hark_err *err);

#endif
