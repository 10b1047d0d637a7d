/* intern.c - string interning: ids, conversation keys, field values. */
#include "sr.h"

#define ARENA_BLOCK (1u << 20)

static uint32_t
hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void
sr_intern_init(struct sr_intern *t)
{
	memset(t, 0, sizeof(*t));
	t->nslot = 1024;
	t->slot = hark_xcalloc(t->nslot, sizeof(*t->slot));
}

void
sr_intern_release(struct sr_intern *t)
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
store(struct sr_intern *t, const char *s, size_t len)
{
	char *p;

	if (len + 1 > t->arena_left) {
		size_t sz = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		t->blocks = hark_xrealloc(t->blocks,
		    (t->nblocks + 1) * sizeof(*t->blocks));
		t->arena = t->blocks[t->nblocks++] = hark_xmalloc(sz);
		t->arena_left = sz;
	}
	p = t->arena;
	memcpy(p, s, len);
	p[len] = '\0';
	t->arena += len + 1;
	t->arena_left -= len + 1;
	return p;
}

static void
grow(struct sr_intern *t)
{
	uint32_t n = t->nslot * 2, i, j;
	uint32_t *slot = hark_xcalloc(n, sizeof(*slot));

	for (i = 0; i < t->n; i++) {
		j = hash(t->str[i], strlen(t->str[i])) & (n - 1);
		while (slot[j] != 0)
			j = (j + 1) & (n - 1);
		slot[j] = i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = n;
}

uint32_t
sr_intern_find(const struct sr_intern *t, const char *s, size_t len)
{
	uint32_t j = hash(s, len) & (t->nslot - 1), k;

	while ((k = t->slot[j]) != 0) {
		const char *v = t->str[k - 1];

		if (strncmp(v, s, len) == 0 && v[len] == '\0')
			return k - 1;
		j = (j + 1) & (t->nslot - 1);
	}
	return SR_NONE;
}

uint32_t
sr_intern(struct sr_intern *t, const char *s, size_t len)
{
	uint32_t j, k;

	if (memchr(s, '\0', len) != NULL)
		len = strlen(s);
	j = hash(s, len) & (t->nslot - 1);
	while ((k = t->slot[j]) != 0) {
		const char *v = t->str[k - 1];

		if (strncmp(v, s, len) == 0 && v[len] == '\0')
			return k - 1;
		j = (j + 1) & (t->nslot - 1);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->str = hark_xrealloc(t->str, t->cap * sizeof(*t->str));
	}
	t->str[t->n] = store(t, s, len);
	t->slot[j] = t->n + 1;
	t->n++;
	if (t->n * 2 > t->nslot)
		grow(t);
	return t->n - 1;
}
