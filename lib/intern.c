/* intern.c - string interning (see intern.h). */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "intern.h"

#define ARENA_BLOCK (1u << 20)

/* 64-bit FNV-1a, then a finaliser so the low bits (the slot) are mixed */
static uint32_t
hash(const char *s, size_t len)
{
	uint64_t h = hark_fnv1a64(s, len);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (uint32_t)h;
}

void
hark_intern_init(struct hark_intern *t)
{
	memset(t, 0, sizeof(*t));
	t->nslot = 1024;
	t->slot = hark_xcalloc(t->nslot, sizeof(*t->slot));
}

void
hark_intern_release(struct hark_intern *t)
{
	size_t i;

	for (i = 0; i < t->nblocks; i++)
		free(t->blocks[i]);
	free(t->blocks);
	free(t->str);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static char *
store(struct hark_intern *t, const char *s, size_t len)
{
	char *p;

	if (len + 1 > t->left) {
		size_t sz = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		t->blocks = hark_xrealloc(t->blocks, (t->nblocks + 1) *
		    sizeof(*t->blocks));
		t->arena = t->blocks[t->nblocks++] = hark_xmalloc(sz);
		t->left = sz;
	}
	p = t->arena;
	memcpy(p, s, len);
	p[len] = '\0';
	t->arena += len + 1;
	t->left -= len + 1;
	return p;
}

/* The slot holding S, or the empty slot where it would go. */
static uint32_t
slot_of(const struct hark_intern *t, const char *s, size_t len)
{
	uint32_t j = hash(s, len) & (t->nslot - 1), k;

	while ((k = t->slot[j]) != 0) {
		const char *v = t->str[k - 1];

		if (strncmp(v, s, len) == 0 && v[len] == '\0')
			break;
		j = (j + 1) & (t->nslot - 1);
	}
	return j;
}

uint32_t
hark_intern_find(const struct hark_intern *t, const char *s, size_t len)
{
	uint32_t k;

	if (memchr(s, '\0', len) != NULL)
		len = strlen(s);
	k = t->slot[slot_of(t, s, len)];
	return k != 0 ? k - 1 : HARK_INTERN_NONE;
}

uint32_t
hark_intern(struct hark_intern *t, const char *s, size_t len)
{
	uint32_t j, i;

	if (memchr(s, '\0', len) != NULL)
		len = strlen(s);
	j = slot_of(t, s, len);
	if (t->slot[j] != 0)
		return t->slot[j] - 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->str = hark_xrealloc(t->str, t->cap * sizeof(*t->str));
	}
	t->str[t->n] = store(t, s, len);
	t->slot[j] = ++t->n;
	if (t->n * 2 > t->nslot) {
		uint32_t n = t->nslot * 2;

		free(t->slot);
		t->slot = hark_xcalloc(n, sizeof(*t->slot));
		t->nslot = n;
		for (i = 0; i < t->n; i++)
			t->slot[slot_of(t, t->str[i], strlen(t->str[i]))] =
			    i + 1;
	}
	return t->n - 1;
}
