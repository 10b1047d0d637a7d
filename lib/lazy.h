/*
 * lazy.h - parse a record line but decode only the top-level members a
 * command reads.  The whole line is validated by the one record parser
 * (lib/json.h), so the verdicts and error messages are always those of
 * hark_ndjson_parse; only the building differs.
 * A command that reads a few members of large records hands its
 * struct hark_lazy to the record loop (lib/filter.h) and gets a partial
 * object holding only those members; the splice still copies every other
 * member byte for byte from the line.
 */
#ifndef HARK_LAZY_H
#define HARK_LAZY_H

#include <jansson.h>
#include "hark.h"
#include "err.h"

struct hark_lazy {
	char **names;		/* top-level members to decode (owned) */
	size_t n;
};

/* Add NAME (copied) to the members to decode. */
void hark_lazy_want(struct hark_lazy *lz, const char *name);
void hark_lazy_release(struct hark_lazy *lz);
/* Like hark_ndjson_parse, building only the wanted members. */
int hark_lazy_parse(const struct hark_lazy *lz, const char *line, size_t len,
    json_t **out, struct hark_err *err);

#endif
