/* table.c - string interning and a uint64 -> uint32 hash map. */
#include "mr.h"

#define ARENA_BLOCK (1u << 20)

uint64_t
mr_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static uint64_t
mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

void
mr_intern_init(struct mr_intern *t)
{
	memset(t, 0, sizeof(*t));
	t->nslot = 1024;
	t->slot = hark_xcalloc(t->nslot, sizeof(*t->slot));
}

void
mr_intern_release(struct mr_intern *t)
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
store(struct mr_intern *t, const char *s, size_t len)
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

static uint32_t
slot_of(const struct mr_intern *t, const char *s, size_t len)
{
	uint32_t j = (uint32_t)mix(mr_hash(s, len)) & (t->nslot - 1), k;

	while ((k = t->slot[j]) != 0) {
		const char *v = t->str[k - 1];

		if (strncmp(v, s, len) == 0 && v[len] == '\0')
			break;
		j = (j + 1) & (t->nslot - 1);
	}
	return j;
}

uint32_t
mr_intern_find(const struct mr_intern *t, const char *s, size_t len)
{
	uint32_t k = t->slot[slot_of(t, s, len)];

	return k != 0 ? k - 1 : MR_NONE;
}

uint32_t
mr_intern(struct mr_intern *t, const char *s, size_t len)
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
		uint32_t n = t->nslot * 2, *slot = hark_xcalloc(n,
		    sizeof(*slot));

		free(t->slot);
		t->slot = slot;
		t->nslot = n;
		for (i = 0; i < t->n; i++) {
			j = slot_of(t, t->str[i], strlen(t->str[i]));
			t->slot[j] = i + 1;
		}
	}
	return t->n - 1;
}

void
mr_map_init(struct mr_map *m)
{
	memset(m, 0, sizeof(*m));
}

void
mr_map_release(struct mr_map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

uint32_t
mr_map_get(const struct mr_map *m, uint64_t key)
{
	uint32_t j;

	if (m->nslot == 0)
		return MR_NONE;
	for (j = (uint32_t)mix(key) & (m->nslot - 1); m->val[j] != MR_NONE;
	    j = (j + 1) & (m->nslot - 1))
		if (m->key[j] == key)
			return m->val[j];
	return MR_NONE;
}

static void
map_grow(struct mr_map *m)
{
	uint32_t n = m->nslot ? m->nslot * 2 : 16, i, j;
	uint64_t *key = hark_xmalloc(n * sizeof(*key));
	uint32_t *val = hark_xmalloc(n * sizeof(*val));

	for (i = 0; i < n; i++)
		val[i] = MR_NONE;
	for (i = 0; i < m->nslot; i++) {
		if (m->val[i] == MR_NONE)
			continue;
		for (j = (uint32_t)mix(m->key[i]) & (n - 1); val[j] != MR_NONE;
		    j = (j + 1) & (n - 1))
			;
		key[j] = m->key[i];
		val[j] = m->val[i];
	}
	free(m->key);
	free(m->val);
	m->key = key;
	m->val = val;
	m->nslot = n;
}

uint32_t *
mr_map_put(struct mr_map *m, uint64_t key, uint32_t dflt)
{
	uint32_t j;

	if ((m->n + 1) * 4 > m->nslot * 3)
		map_grow(m);
	for (j = (uint32_t)mix(key) & (m->nslot - 1); m->val[j] != MR_NONE;
	    j = (j + 1) & (m->nslot - 1))
		if (m->key[j] == key)
			return &m->val[j];
	m->key[j] = key;
	m->val[j] = dflt;
	m->n++;
	return &m->val[j];
}
