/* table.c - a uint64 -> uint32 hash map (strings: lib/intern.h). */
#include "mr.h"

static uint64_t
mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
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
