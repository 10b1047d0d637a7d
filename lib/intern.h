/*
 * intern.h - string interning: each distinct string stored once, named by
 * a dense id (0, 1, 2 ... in the order first seen), for the aggregators
 * (sla-report, mention-report) that keep millions of ids, handles and
 * field values.
 *
 * Strings live in 1 MiB blocks (a longer one gets a block of its own)
 * and never move, so a pointer from hark_intern_str stays valid until
 * hark_intern_release.  A string holding a NUL byte is cut there.
 * Allocation failure exits through hark_x*alloc; nothing here prints.
 */
#ifndef HARK_INTERN_H
#define HARK_INTERN_H

#include "hark.h"

/* "no string": what hark_intern_find returns for one never interned */
#define HARK_INTERN_NONE UINT32_MAX

struct hark_intern {
	char **str;		/* id -> string (in blocks) */
	uint32_t n, cap;
	uint32_t *slot;		/* open addressing: id + 1, 0 empty */
	uint32_t nslot;
	char *arena;		/* the free part of the current block */
	size_t left;
	char **blocks;
	size_t nblocks;
};

void hark_intern_init(struct hark_intern *t);
void hark_intern_release(struct hark_intern *t);
/* The id of S[0..LEN), interning it when new. */
uint32_t hark_intern(struct hark_intern *t, const char *s, size_t len);
/* The id of S[0..LEN), or HARK_INTERN_NONE when never interned. */
uint32_t hark_intern_find(const struct hark_intern *t, const char *s,
    size_t len);

/* The string of id I (NULL for HARK_INTERN_NONE). */
static inline const char *
hark_intern_str(const struct hark_intern *t, uint32_t i)
{
	return i == HARK_INTERN_NONE ? NULL : t->str[i];
}

#endif
