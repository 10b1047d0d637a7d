/*
 * embed.h - data files compiled into the binaries.
 *
 * Every file below data/ in the source tree (lexicons, default rules) is
 * embedded by tools/embed.sh at build time and also installed to
 * $(HARKDATADIR).  NAME is the path below data/, e.g. "lexicon/en.txt".
 * Returns a borrowed, NUL-terminated, read-only buffer and its length in
 * *LEN (may be NULL), or NULL when no such file was embedded.
 */
#ifndef HARK_EMBED_H
#define HARK_EMBED_H

#include <stddef.h>

const char *hark_embed_get(const char *name, size_t *len);

#endif
