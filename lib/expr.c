/* expr.c - rule expressions: parser, word trie, evaluator. */
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <ctype.h>
#include <pcre2.h>
#include <jansson.h>
#include "expr.h"
#include "text.h"
#include "json.h"

#define FOLD_MAX (8u << 20)
/* word_bits out of line: eval stays a small frame for the common nodes */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif
#define REGEX_MATCH_LIMIT 2000000

/* ---- word dictionary: a byte trie over normalised words ---- */

struct tnode {
	int32_t child;		/* first child or -1 */
	int32_t sib;		/* next sibling or -1 */
	int32_t exact;		/* needle id ending here as a whole word */
	int32_t prefix;		/* needle id ending here as a prefix */
	unsigned char c;
};

/*
 * The trie as the scan reads it: nodes renumbered breadth first, so the
 * children of a node are consecutive and the shallow nodes, where almost
 * every walk ends, share a few cache lines.  GMASK has the guard groups
 * (below) of every needle in the node's subtree: a walk for some groups
 * stops where none of them lies ahead.
 */
struct cnode {
	uint32_t first;		/* its children: first .. first + nkid - 1 */
	uint16_t gmask;
	uint8_t nkid;		/* at most 166: ' ', [a-z0-9_], 0x80-0xff */
	uint8_t flags;		/* CN_EXACT, CN_PREFIX: a needle ends here */
};
enum { CN_EXACT = 1, CN_PREFIX = 2 };
#define GROUPS_MAX 16	/* the bits of cnode.gmask */
/* Byte classes for the two-byte table of the scan: ' ', a-z, 0-9 and '_'
 * (1 .. NCLS - 1); 0: any other byte (the children are searched). */
#define NCLS 39
static unsigned char cls[256];
static int cls_ready;

static void
cls_init(void)
{
	int ch;

	cls[' '] = 1;
	for (ch = 'a'; ch <= 'z'; ch++)
		cls[ch] = (unsigned char)(2 + ch - 'a');
	for (ch = '0'; ch <= '9'; ch++)
		cls[ch] = (unsigned char)(28 + ch - '0');
	cls['_'] = 38;
	cls_ready = 1;
}

/*
 * A guard: the conditions without words or regular expressions that must
 * hold (WANT[i] 1) or fail (0) before a word node is evaluated, from the
 * and/or chains around it.  Word nodes with the same guard share a group
 * (a bit of GROUPS_MAX; bit 0: no guard, or past the others); a scan looks
 * only for the needles of the groups whose guard holds at that moment, and
 * a group left out is scanned for when one of its nodes is evaluated.
 */
struct eguard {
	uint64_t bit;
	const struct node **conds;	/* borrowed from the expression */
	unsigned char *want;
	int *atom;		/* each condition's index in the set's atoms
				 * (-1: past 64), so that a condition many
				 * guards share is evaluated once a scan */
	size_t n;
};

struct rawneedle {
	char *s;		/* folded; no word characters */
	size_t len;
	int32_t id;
};

struct hark_expr_set {
	int refs;
	struct tnode *t;
	size_t nt, at;
	int32_t root[256];	/* children of the root by byte */
	int32_t nids;
	struct rawneedle *raw;
	size_t nraw;
	pcre2_match_context *mctx;
	char **paths;		/* every distinct field path, by id */
	size_t npaths;
	uint64_t *nmask;	/* guard groups of each needle id */
	size_t anmask;
	char **gkeys;		/* the guard of group bit i + 1, as text */
	size_t ngkeys;
	char **akeys;		/* the guards' conditions, as text */
	size_t nakeys;
	struct hark_expr *exprs;	/* the live expressions of the set */
	/* one guard of each group some live expression has (borrowed from
	 * it), rebuilt when an expression comes or goes */
	const struct eguard **sg;
	size_t nsg;
	int dirty;		/* needles added since the last set_compact */
	/* the compact trie for the scan (struct cnode), by new number */
	struct cnode *cn;
	unsigned char *ckb;	/* the byte into each node (+8 padding) */
	int32_t *cexact, *cprefix;
	int32_t croot[256];	/* the root's children by byte, or -1 */
	/* their children by the classes (CLS) of the two bytes, or -1 */
	int32_t c2[NCLS * NCLS];
};

enum ntype {
	N_AND, N_OR, N_NOT, N_CMP, N_IN, N_WORDS, N_REGEX, N_EXISTS, N_TRUTH
};
enum cmpop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct seg {
	char *name;
	long index;		/* >= 0 when NAME is a decimal index */
};

struct operand {
	char *path;		/* dotted path, or NULL for a literal */
	struct seg *segs;
	size_t nsegs;
	json_t *lit;		/* literal value (owned) */
	size_t pid;		/* PATH's id in the set */
};

struct node {
	enum ntype type;
	int op;			/* enum cmpop for N_CMP */
	int neg;		/* N_IN, N_WORDS, N_REGEX: negated form */
	struct node **kids;
	size_t nkids;
	struct operand a, b;
	int32_t *ids;		/* N_WORDS: needle ids */
	size_t nids;
	uint64_t *mask;		/* N_WORDS: the same ids as bits */
	size_t nmask, mlo;	/* (words mlo .. mlo + nmask - 1) */
	uint64_t gbit;		/* N_WORDS: its guard group */
	pcre2_code *re;
	pcre2_match_data *md;
};

struct hark_expr {
	struct node *root;
	struct hark_expr_set *set;
	struct hark_expr *prev, *next;	/* in set->exprs */
	struct eguard *guards;		/* one per group of its word nodes */
	size_t nguards;
};

struct hark_expr_cache {
	const char *path;	/* borrowed from the expression */
	size_t pid;		/* its id in SET */
	const struct hark_expr_set *set;
	uint64_t *bits;
	size_t nwords;
	int valid;
	int32_t *hits;		/* the ids whose bits are set */
	size_t nhits, ahits;
	uint64_t scanned;	/* the guard groups looked for */
};

/* ---- sets ---- */

struct hark_expr_set *
hark_expr_set_new(void)
{
	struct hark_expr_set *s = hark_xcalloc(1, sizeof(*s));
	size_t i;

	s->refs = 1;
	for (i = 0; i < 256; i++)
		s->root[i] = -1;
	return s;
}

static void
set_unref(struct hark_expr_set *s)
{
	size_t i;

	if (s == NULL || --s->refs > 0)
		return;
	free(s->t);
	for (i = 0; i < s->nraw; i++)
		free(s->raw[i].s);
	free(s->raw);
	for (i = 0; i < s->npaths; i++)
		free(s->paths[i]);
	free(s->paths);
	free(s->nmask);
	for (i = 0; i < s->ngkeys; i++)
		free(s->gkeys[i]);
	free(s->gkeys);
	for (i = 0; i < s->nakeys; i++)
		free(s->akeys[i]);
	free(s->akeys);
	free(s->sg);
	free(s->cn);
	free(s->ckb);
	free(s->cexact);
	free(s->cprefix);
	if (s->mctx)
		pcre2_match_context_free(s->mctx);
	free(s);
}

/* The guard groups of the needles in the subtree of trie node K, into
 * SUB[K] (children are made after their parent: one pass backwards). */
static void
subtree_groups(const struct hark_expr_set *s, uint64_t *sub)
{
	size_t i;
	int32_t k;

	for (i = s->nt; i-- > 0;) {
		const struct tnode *t = &s->t[i];

		sub[i] = (t->exact >= 0 ? s->nmask[t->exact] : 0) |
		    (t->prefix >= 0 ? s->nmask[t->prefix] : 0);
		for (k = t->child; k >= 0; k = s->t[k].sib)
			sub[i] |= sub[k];
	}
}

/* Number the children of trie node ORDER[ID] (sorted by byte) from
 * *TAIL on, filling their entries of the scan's arrays. */
static void
cn_expand(struct hark_expr_set *s, int32_t *order, const uint64_t *sub,
    size_t id, size_t *tail)
{
	const struct tnode *t = &s->t[order[id]];
	int32_t kids[256], k;
	size_t nk = 0, i;

	for (k = t->child; k >= 0; k = s->t[k].sib)
		kids[nk++] = k;
	/* sort the children by byte (insertion: they are few) */
	for (i = 1; i < nk; i++) {
		int32_t x = kids[i];
		size_t j = i;

		while (j > 0 && s->t[kids[j - 1]].c > s->t[x].c) {
			kids[j] = kids[j - 1];
			j--;
		}
		kids[j] = x;
	}
	s->cn[id].first = (uint32_t)*tail;
	s->cn[id].nkid = (uint8_t)nk;
	for (i = 0; i < nk; i++) {
		size_t n = (*tail)++;
		const struct tnode *c = &s->t[kids[i]];

		order[n] = kids[i];
		s->ckb[n] = c->c;
		s->cexact[n] = c->exact;
		s->cprefix[n] = c->prefix;
		s->cn[n].flags = (uint8_t)((c->exact >= 0 ? CN_EXACT : 0) |
		    (c->prefix >= 0 ? CN_PREFIX : 0));
		s->cn[n].gmask = (uint16_t)sub[kids[i]];
	}
}

/*
 * Renumber the trie breadth first into the scan's arrays, with each
 * node's guard groups (after adding needles and guards).  The nodes with
 * needles of group 0 (always looked for) below them have their children
 * numbered first, so the part of the trie every scan walks is dense.
 */
static void
set_compact(struct hark_expr_set *s)
{
	int32_t *order = hark_xmalloc((s->nt + 1) * sizeof(*order));
	size_t *later = hark_xmalloc((s->nt + 1) * sizeof(*later));
	uint64_t *sub = hark_xmalloc((s->nt + 1) * sizeof(*sub));
	size_t id, tail = 0, nlater = 0, i;

	subtree_groups(s, sub);
	free(s->cn);
	free(s->ckb);
	free(s->cexact);
	free(s->cprefix);
	s->cn = hark_xcalloc(s->nt + 1, sizeof(*s->cn));
	s->ckb = hark_xcalloc(s->nt + 9, 1);
	s->cexact = hark_xmalloc((s->nt + 1) * sizeof(*s->cexact));
	s->cprefix = hark_xmalloc((s->nt + 1) * sizeof(*s->cprefix));
	for (i = 0; i < 256; i++) {
		int32_t r = s->root[i];

		s->croot[i] = -1;
		if (r < 0)
			continue;
		s->croot[i] = (int32_t)tail;
		order[tail] = r;
		s->ckb[tail] = s->t[r].c;
		s->cexact[tail] = s->t[r].exact;
		s->cprefix[tail] = s->t[r].prefix;
		s->cn[tail].flags = (uint8_t)((s->t[r].exact >= 0 ? CN_EXACT :
		    0) | (s->t[r].prefix >= 0 ? CN_PREFIX : 0));
		s->cn[tail++].gmask = (uint16_t)sub[r];
	}
	/* first the nodes with group 0 below them, breadth first */
	for (id = 0; id < tail; id++)
		if (sub[order[id]] & 1)
			cn_expand(s, order, sub, id, &tail);
		else
			later[nlater++] = id;
	/* then the others, breadth first from where they waited */
	for (i = 0; i < nlater; i++) {
		size_t from = tail;

		cn_expand(s, order, sub, later[i], &tail);
		for (id = from; id < tail; id++)
			later[nlater++] = id;
	}
	if (!cls_ready)
		cls_init();
	for (i = 0; i < NCLS * NCLS; i++)
		s->c2[i] = -1;
	for (i = 0; i < 256; i++) {
		const struct cnode *r;
		uint32_t j;

		if (s->croot[i] < 0 || cls[i] == 0)
			continue;
		r = &s->cn[s->croot[i]];
		for (j = 0; j < r->nkid; j++) {
			unsigned char b2 = s->ckb[r->first + j];

			if (cls[b2] != 0)
				s->c2[cls[i] * NCLS + cls[b2]] =
				    (int32_t)(r->first + j);
		}
	}
	free(order);
	free(later);
	free(sub);
}

/* The id of field path PATH in S, added when new. */
static size_t
set_path_id(struct hark_expr_set *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->npaths; i++)
		if (strcmp(s->paths[i], path) == 0)
			return i;
	s->paths = hark_xrealloc(s->paths, (s->npaths + 1) *
	    sizeof(*s->paths));
	s->paths[s->npaths] = hark_xstrdup(path);
	return s->npaths++;
}

void
hark_expr_set_free(struct hark_expr_set *s)
{
	set_unref(s);
}

static int32_t
tnode_new(struct hark_expr_set *s, unsigned char c)
{
	struct tnode *n;

	if (s->nt == s->at) {
		s->at = s->at ? s->at * 2 : 256;
		s->t = hark_xrealloc(s->t, s->at * sizeof(*s->t));
	}
	n = &s->t[s->nt];
	n->child = n->sib = n->exact = n->prefix = -1;
	n->c = c;
	return (int32_t)s->nt++;
}

/* Child of node P (-1: the root) by byte C, created when CREATE. */
static int32_t
tchild(struct hark_expr_set *s, int32_t p, unsigned char c, int create)
{
	int32_t k;

	if (p < 0) {
		if (s->root[c] < 0 && create)
			s->root[c] = tnode_new(s, c);
		return s->root[c];
	}
	for (k = s->t[p].child; k >= 0; k = s->t[k].sib)
		if (s->t[k].c == c)
			return k;
	if (!create)
		return -1;
	k = tnode_new(s, c);
	s->t[k].sib = s->t[p].child;
	s->t[p].child = k;
	return k;
}

/*
 * Normalise folded text: words (runs of word code points) joined by one
 * space.  Appends to NORM; records each word's start in C's starts when
 * C is not NULL.
 */
static int
normalise(const char *f, size_t len, struct hark_buf *norm,
    struct hark_expr_ctx *c)
{
	size_t i = 0;
	int inword = 0;

	while (i < len) {
		unsigned char ch = (unsigned char)f[i];
		int32_t cp;
		size_t k;
		int w;

		if (ch == '\'' && inword && i + 1 < len) {
			/* an apostrophe inside a word joins it: "doesn't"
			 * and "doesnt" match alike */
			int32_t nx;

			hark_utf8_next(f + i + 1, len - i - 1, &nx);
			if (hark_text_is_word_cp(nx)) {
				i++;
				continue;
			}
		}
		if (ch < 0x80) {
			w = (ch >= 'a' && ch <= 'z') || (ch >= '0' &&
			    ch <= '9') || ch == '_' || (ch >= 'A' && ch <= 'Z');
			k = 1;
		} else {
			k = hark_utf8_next(f + i, len - i, &cp);
			w = hark_text_is_word_cp(cp);
		}
		if (w) {
			if (!inword) {
				if (norm->len > 0 && hark_buf_addch(norm,
				    ' ') < 0)
					return -1;
				if (c) {
					if (c->nstarts == c->astarts) {
						c->astarts = c->astarts ?
						    c->astarts * 2 : 64;
						c->starts = hark_xrealloc(
						    c->starts, c->astarts *
						    sizeof(*c->starts));
					}
					c->starts[c->nstarts++] = norm->len;
				}
				inword = 1;
			}
			if (hark_buf_add(norm, f + i, k) < 0)
				return -1;
		} else
			inword = 0;
		i += k;
	}
	return 0;
}

/* A new needle id (in no guard group yet). */
static int32_t
needle_new(struct hark_expr_set *s)
{
	if ((size_t)s->nids >= s->anmask) {
		size_t old = s->anmask;

		s->anmask = s->anmask ? s->anmask * 2 : 256;
		s->nmask = hark_xrealloc(s->nmask, s->anmask *
		    sizeof(*s->nmask));
		memset(s->nmask + old, 0, (s->anmask - old) *
		    sizeof(*s->nmask));
	}
	return s->nids++;
}

/* The id of needle WORD (raw text) in S, added when new. */
static int32_t
set_add_needle(struct hark_expr_set *s, const char *word, int prefix)
{
	struct hark_buf f = HARK_BUF_INIT(1u << 20);
	struct hark_buf n = HARK_BUF_INIT(1u << 20);
	int32_t id, p = -1;
	size_t i;

	hark_text_fold(word, strlen(word), &f);
	normalise(f.ptr ? f.ptr : "", f.len, &n, NULL);
	if (n.len == 0) {
		/* no word characters: substring of the folded text */
		for (i = 0; i < s->nraw; i++)
			if (s->raw[i].len == f.len && memcmp(s->raw[i].s,
			    hark_buf_str(&f), f.len) == 0) {
				id = s->raw[i].id;
				goto out;
			}
		s->raw = hark_xrealloc(s->raw, (s->nraw + 1) *
		    sizeof(*s->raw));
		s->raw[s->nraw].len = f.len;
		s->raw[s->nraw].id = id = needle_new(s);
		s->raw[s->nraw++].s = hark_buf_detach(&f, NULL);
		goto out;
	}
	for (i = 0; i < n.len; i++)
		p = tchild(s, p, (unsigned char)n.ptr[i], 1);
	if (prefix) {
		if (s->t[p].prefix < 0)
			s->t[p].prefix = needle_new(s);
		id = s->t[p].prefix;
	} else {
		if (s->t[p].exact < 0)
			s->t[p].exact = needle_new(s);
		id = s->t[p].exact;
	}
out:
	hark_buf_release(&f);
	hark_buf_release(&n);
	return id;
}

/* ---- lexer and parser ---- */

struct parser {
	const char *src, *p;
	struct hark_expr_set *set;
	struct hark_err *err;
	int depth;
};

static void
position(const struct parser *ps, const char *at, long *line, long *col)
{
	const char *q, *ls = ps->src;

	*line = 1;
	for (q = ps->src; q < at && *q; q++)
		if (*q == '\n') {
			(*line)++;
			ls = q + 1;
		}
	*col = (long)(at - ls) + 1;
}

static void *
perr(struct parser *ps, const char *at, const char *fmt, ...)
    HARK_PRINTF(3, 4);

static void *
perr(struct parser *ps, const char *at, const char *fmt, ...)
{
	char msg[HARK_ERR_MSG_MAX];
	long line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	position(ps, at, &line, &col);
	hark_err_setl(ps->err, HARK_EXIT_USAGE, line, col, "%s", msg);
	return NULL;
}

/* Quote the token at AT for a message: up to 20 bytes, or "end". */
static const char *
near(const char *at, char *buf, size_t n)
{
	size_t k = 0;

	if (*at == '\0')
		return "end of expression";
	while (at[k] && k < 20 && !isspace((unsigned char)at[k]))
		k++;
	if (k == 0)
		k = 1;
	buf[0] = '\'';
	hark_sanitize(buf + 1, n - 2, at, k);
	k = strlen(buf);
	buf[k] = '\'';
	buf[k + 1] = '\0';
	return buf;
}

static void
skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	    *ps->p == '\r')
		ps->p++;
}

static int
is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int
is_ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

/* Is the keyword KW (lower case) at ps->p, not followed by a name char? */
static int
keyword(struct parser *ps, const char *kw)
{
	size_t n = strlen(kw), i;

	for (i = 0; i < n; i++)
		if (tolower((unsigned char)ps->p[i]) != kw[i])
			return 0;
	return !is_ident_char((unsigned char)ps->p[n]) && ps->p[n] != '.';
}

static void
node_free(struct node *n);

static void
operand_release(struct operand *o)
{
	size_t i;

	free(o->path);
	for (i = 0; i < o->nsegs; i++)
		free(o->segs[i].name);
	free(o->segs);
	if (o->lit)
		json_decref(o->lit);
	memset(o, 0, sizeof(*o));
}

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	operand_release(&n->a);
	operand_release(&n->b);
	free(n->ids);
	free(n->mask);
	if (n->md)
		pcre2_match_data_free(n->md);
	if (n->re)
		pcre2_code_free(n->re);
	free(n);
}

static struct node *
node_new(enum ntype t)
{
	struct node *n = hark_xcalloc(1, sizeof(*n));

	n->type = t;
	return n;
}

static void
node_add(struct node *n, struct node *k)
{
	n->kids = hark_xrealloc(n->kids, (n->nkids + 1) * sizeof(*n->kids));
	n->kids[n->nkids++] = k;
}

static int
put_utf8(struct hark_buf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return hark_buf_add(b, u, n);
}

static long
hex4(const char *p)
{
	long v = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		if ((h = hark_hexval((unsigned char)p[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Parse a quoted string at ps->p into a new jansson string. */
static json_t *
parse_string(struct parser *ps)
{
	const char *start = ps->p;
	char q = *ps->p++;
	struct hark_buf b = HARK_BUF_INIT(1u << 20);
	json_t *v;

	for (;;) {
		char c = *ps->p;

		if (c == '\0') {
			hark_buf_release(&b);
			return perr(ps, start, "unterminated string");
		}
		ps->p++;
		if (c == q)
			break;
		if (c == '\\') {
			const char *esc = ps->p - 1;
			long cp;

			c = *ps->p++;
			switch (c) {
			case 'n': hark_buf_addch(&b, '\n'); break;
			case 't': hark_buf_addch(&b, '\t'); break;
			case 'r': hark_buf_addch(&b, '\r'); break;
			case '\\': case '"': case '\'': case '/':
				hark_buf_addch(&b, c);
				break;
			case 'u':
				cp = hex4(ps->p);
				if (cp < 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
					if (cp >= 0xd800 && cp <= 0xdbff &&
					    ps->p[4] == '\\' &&
					    ps->p[5] == 'u') {
						long lo = hex4(ps->p + 6);

						if (lo >= 0xdc00 &&
						    lo <= 0xdfff) {
							cp = 0x10000 +
							    ((cp - 0xd800) <<
							    10) + (lo - 0xdc00);
							ps->p += 6;
							goto ok;
						}
					}
					hark_buf_release(&b);
					return perr(ps, esc,
					    "invalid \\u escape");
				}
ok:
				ps->p += 4;
				put_utf8(&b, (unsigned long)cp);
				break;
			default:
				hark_buf_release(&b);
				return perr(ps, esc,
				    "invalid escape '\\%c' in string",
				    isprint((unsigned char)c) ? c : '?');
			}
			continue;
		}
		if (hark_buf_addch(&b, c) < 0) {
			hark_buf_release(&b);
			return perr(ps, start, "string too long");
		}
	}
	v = json_stringn(hark_buf_str(&b), b.len);
	hark_buf_release(&b);
	if (v == NULL)
		return perr(ps, start, "string is not valid UTF-8");
	return v;
}

static json_t *
parse_number(struct parser *ps)
{
	const char *start = ps->p;
	char buf[64];
	char *end;
	size_t n;
	double d;
	int isint = 1;

	if (*ps->p == '-' || *ps->p == '+')
		ps->p++;
	while (isdigit((unsigned char)*ps->p))
		ps->p++;
	if (*ps->p == '.') {
		isint = 0;
		ps->p++;
		while (isdigit((unsigned char)*ps->p))
			ps->p++;
	}
	if (*ps->p == 'e' || *ps->p == 'E') {
		isint = 0;
		ps->p++;
		if (*ps->p == '-' || *ps->p == '+')
			ps->p++;
		while (isdigit((unsigned char)*ps->p))
			ps->p++;
	}
	n = (size_t)(ps->p - start);
	if (is_ident_char((unsigned char)*ps->p) || n >= sizeof(buf))
		return perr(ps, start, "invalid number");
	memcpy(buf, start, n);
	buf[n] = '\0';
	if (isint) {
		long long v;

		errno = 0;
		v = strtoll(buf, &end, 10);
		if (errno == 0 && *end == '\0')
			return json_integer(v);
	}
	errno = 0;
	d = strtod(buf, &end);
	if (*end != '\0' || end == buf || errno == ERANGE)
		return perr(ps, start, "invalid number");
	return json_real(d);
}

static int
parse_path(struct parser *ps, struct operand *o)
{
	const char *start = ps->p;

	for (;;) {
		const char *s = ps->p;
		struct seg *sg;

		if (isdigit((unsigned char)*ps->p)) {
			while (isdigit((unsigned char)*ps->p))
				ps->p++;
			if (is_ident_char((unsigned char)*ps->p)) {
				perr(ps, s, "invalid field name");
				return -1;
			}
		} else if (is_ident_start((unsigned char)*ps->p)) {
			while (is_ident_char((unsigned char)*ps->p))
				ps->p++;
		} else {
			perr(ps, s, "field name expected after '.'");
			return -1;
		}
		o->segs = hark_xrealloc(o->segs, (o->nsegs + 1) *
		    sizeof(*o->segs));
		sg = &o->segs[o->nsegs++];
		sg->name = hark_xstrndup(s, (size_t)(ps->p - s));
		sg->index = -1;
		if (isdigit((unsigned char)*s)) {
			errno = 0;
			sg->index = strtol(sg->name, NULL, 10);
			if (errno)
				sg->index = LONG_MAX;
		}
		if (*ps->p != '.')
			break;
		ps->p++;
	}
	o->path = hark_xstrndup(start, (size_t)(ps->p - start));
	o->pid = set_path_id(ps->set, o->path);
	return 0;
}

static json_t *parse_list(struct parser *ps);

/* A literal at ps->p, or NULL (error set) when there is none. */
static json_t *
parse_literal(struct parser *ps)
{
	char nb[32];
	int c = (unsigned char)*ps->p;

	if (c == '"' || c == '\'')
		return parse_string(ps);
	if (isdigit(c) || ((c == '-' || c == '+' || c == '.') &&
	    (isdigit((unsigned char)ps->p[1]) || (ps->p[1] == '.' &&
	    isdigit((unsigned char)ps->p[2])))))
		return parse_number(ps);
	if (c == '[')
		return parse_list(ps);
	if (keyword(ps, "true")) {
		ps->p += 4;
		return json_true();
	}
	if (keyword(ps, "false")) {
		ps->p += 5;
		return json_false();
	}
	if (keyword(ps, "null")) {
		ps->p += 4;
		return json_null();
	}
	return perr(ps, ps->p, "value expected near %s",
	    near(ps->p, nb, sizeof(nb)));
}

static json_t *
parse_list(struct parser *ps)
{
	json_t *arr = json_array();
	char nb[32];

	ps->p++;
	for (;;) {
		json_t *v;

		skip_ws(ps);
		if (*ps->p == ']') {
			ps->p++;
			return arr;
		}
		if (*ps->p == '[') {
			json_decref(arr);
			return perr(ps, ps->p, "nested lists are not allowed");
		}
		if ((v = parse_literal(ps)) == NULL) {
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, v);
		skip_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p != ']') {
			json_decref(arr);
			return perr(ps, ps->p, "',' or ']' expected near %s",
			    near(ps->p, nb, sizeof(nb)));
		}
	}
}

static int
is_keyword_here(struct parser *ps)
{
	return keyword(ps, "and") || keyword(ps, "or") || keyword(ps, "not") ||
	    keyword(ps, "in");
}

static int
parse_operand(struct parser *ps, struct operand *o)
{
	char nb[32];

	skip_ws(ps);
	if (is_ident_start((unsigned char)*ps->p) && !keyword(ps, "true") &&
	    !keyword(ps, "false") && !keyword(ps, "null")) {
		if (is_keyword_here(ps)) {
			perr(ps, ps->p, "field or value expected near %s",
			    near(ps->p, nb, sizeof(nb)));
			return -1;
		}
		return parse_path(ps, o);
	}
	if (*ps->p == '\0' || *ps->p == ')' || *ps->p == ']') {
		perr(ps, ps->p, "field or value expected near %s",
		    near(ps->p, nb, sizeof(nb)));
		return -1;
	}
	o->lit = parse_literal(ps);
	return o->lit ? 0 : -1;
}

/* Words for ~: a string or a list of strings. */
static int
parse_words(struct parser *ps, struct node *n, int prefix)
{
	const char *at;
	json_t *v, *x;
	size_t i;

	skip_ws(ps);
	at = ps->p;
	if (*ps->p != '"' && *ps->p != '\'' && *ps->p != '[') {
		perr(ps, at, "a string or a list of strings expected after "
		    "'~'");
		return -1;
	}
	if ((v = parse_literal(ps)) == NULL)
		return -1;
	if (json_is_string(v)) {
		x = json_array();
		json_array_append_new(x, v);
		v = x;
	}
	if (json_array_size(v) == 0) {
		json_decref(v);
		perr(ps, at, "empty word list");
		return -1;
	}
	json_array_foreach(v, i, x) {
		if (!json_is_string(x) || json_string_length(x) == 0) {
			json_decref(v);
			perr(ps, at, "word lists may hold only non-empty "
			    "strings");
			return -1;
		}
	}
	n->ids = hark_xcalloc(json_array_size(v), sizeof(*n->ids));
	json_array_foreach(v, i, x)
		n->ids[n->nids++] = set_add_needle(ps->set,
		    json_string_value(x), prefix);
	json_decref(v);
	return 0;
}

static int
parse_regex(struct parser *ps, struct node *n)
{
	struct hark_buf pat = HARK_BUF_INIT(1u << 20);
	const char *at;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP;
	int errcode;
	PCRE2_SIZE off;

	skip_ws(ps);
	at = ps->p;
	if (*ps->p == '"' || *ps->p == '\'') {
		/* raw: only the quote itself is escaped, so "\d+" works */
		char q = *ps->p++;

		for (;;) {
			if (*ps->p == '\0') {
				hark_buf_release(&pat);
				perr(ps, at, "unterminated string");
				return -1;
			}
			if (*ps->p == q)
				break;
			if (*ps->p == '\\' && ps->p[1] == q) {
				hark_buf_addch(&pat, q);
				ps->p += 2;
				continue;
			}
			if (*ps->p == '\\' && ps->p[1] != '\0') {
				hark_buf_add(&pat, ps->p, 2);
				ps->p += 2;
				continue;
			}
			hark_buf_addch(&pat, *ps->p++);
		}
		ps->p++;
	} else if (*ps->p == '/') {
		ps->p++;
		for (;;) {
			if (*ps->p == '\0') {
				hark_buf_release(&pat);
				perr(ps, at, "unterminated regular expression");
				return -1;
			}
			if (*ps->p == '/')
				break;
			if (*ps->p == '\\' && ps->p[1] == '/') {
				hark_buf_addch(&pat, '/');
				ps->p += 2;
				continue;
			}
			if (*ps->p == '\\' && ps->p[1] != '\0') {
				hark_buf_add(&pat, ps->p, 2);
				ps->p += 2;
				continue;
			}
			hark_buf_addch(&pat, *ps->p++);
		}
		ps->p++;
		while (isalpha((unsigned char)*ps->p)) {
			switch (*ps->p) {
			case 'i': opts |= PCRE2_CASELESS; break;
			case 'm': opts |= PCRE2_MULTILINE; break;
			case 's': opts |= PCRE2_DOTALL; break;
			case 'x': opts |= PCRE2_EXTENDED; break;
			case 'u': break;
			default:
				hark_buf_release(&pat);
				perr(ps, ps->p, "unknown regular expression "
				    "flag '%c'", *ps->p);
				return -1;
			}
			ps->p++;
		}
	} else {
		perr(ps, at, "regular expression expected after '=~'");
		return -1;
	}
	n->re = pcre2_compile((PCRE2_SPTR)hark_buf_str(&pat), pat.len, opts,
	    &errcode, &off, NULL);
	hark_buf_release(&pat);
	if (n->re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		perr(ps, at, "invalid regular expression: %s (at offset %lu)",
		    (const char *)msg, (unsigned long)off);
		return -1;
	}
	/* valgrind cannot follow PCRE2 JIT code (its wide reads
	 * look out of bounds): HARK_NO_JIT=1 for memcheck runs */
	if (getenv("HARK_NO_JIT") == NULL)
		pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE);
	n->md = pcre2_match_data_create_from_pattern(n->re, NULL);
	if (ps->set->mctx == NULL) {
		ps->set->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(ps->set->mctx, REGEX_MATCH_LIMIT);
	}
	return 0;
}

static struct node *parse_or(struct parser *ps);

static struct node *
parse_cmp(struct parser *ps)
{
	struct node *n = node_new(N_TRUTH);
	const char *opat;
	int neg = 0;

	if (parse_operand(ps, &n->a) < 0)
		goto fail;
	skip_ws(ps);
	opat = ps->p;
	if (*ps->p == '(' && n->a.path != NULL && n->a.nsegs == 1) {
		perr(ps, opat, "unknown function '%.40s' (exists() is the only "
		    "one)", n->a.path);
		goto fail;
	}
	if (keyword(ps, "not")) {
		const char *save = ps->p;

		ps->p += 3;
		skip_ws(ps);
		if (!keyword(ps, "in")) {
			ps->p = save;
			perr(ps, save, "'in' expected after 'not' here");
			goto fail;
		}
		neg = 1;
	}
	if (keyword(ps, "in")) {
		ps->p += 2;
		n->type = N_IN;
		n->neg = neg;
		if (parse_operand(ps, &n->b) < 0)
			goto fail;
		if (n->b.lit && !json_is_array(n->b.lit)) {
			perr(ps, opat, "'in' needs a list on its right");
			goto fail;
		}
		return n;
	}
	if (strncmp(ps->p, "==", 2) == 0 || strncmp(ps->p, "!=", 2) == 0 ||
	    strncmp(ps->p, "<=", 2) == 0 || strncmp(ps->p, ">=", 2) == 0) {
		n->type = N_CMP;
		n->op = ps->p[0] == '=' ? OP_EQ : ps->p[0] == '!' ? OP_NE :
		    ps->p[0] == '<' ? OP_LE : OP_GE;
		ps->p += 2;
	} else if (*ps->p == '<' || *ps->p == '>') {
		n->type = N_CMP;
		n->op = *ps->p == '<' ? OP_LT : OP_GT;
		ps->p++;
	} else if (strncmp(ps->p, "=~", 2) == 0) {
		ps->p += 2;
		n->type = N_REGEX;
		if (n->a.path == NULL) {
			perr(ps, opat, "'=~' needs a field on its left");
			goto fail;
		}
		if (parse_regex(ps, n) < 0)
			goto fail;
		return n;
	} else if (*ps->p == '~' || strncmp(ps->p, "!~", 2) == 0) {
		int prefix;

		if (*ps->p == '!') {
			n->neg = 1;
			ps->p++;
		}
		ps->p++;
		prefix = *ps->p == '*';
		if (prefix)
			ps->p++;
		n->type = N_WORDS;
		if (n->a.path == NULL) {
			perr(ps, opat, "'~' needs a field on its left");
			goto fail;
		}
		if (parse_words(ps, n, prefix) < 0)
			goto fail;
		return n;
	} else if (*ps->p == '=') {
		perr(ps, opat, "'=' is not an operator (use '==')");
		goto fail;
	} else
		return n;	/* a bare operand: truth test */
	if (parse_operand(ps, &n->b) < 0)
		goto fail;
	return n;
fail:
	node_free(n);
	return NULL;
}

static struct node *
parse_unary(struct parser *ps)
{
	struct node *n, *k;
	char nb[32];

	skip_ws(ps);
	if (++ps->depth > HARK_EXPR_MAX_DEPTH)
		return perr(ps, ps->p, "expression nested too deeply "
		    "(more than %d levels)", HARK_EXPR_MAX_DEPTH);
	if (keyword(ps, "not") || (*ps->p == '!' && ps->p[1] != '=' &&
	    ps->p[1] != '~')) {
		ps->p += *ps->p == '!' ? 1 : 3;
		if ((k = parse_unary(ps)) == NULL)
			return NULL;
		n = node_new(N_NOT);
		node_add(n, k);
		ps->depth--;
		return n;
	}
	if (*ps->p == '(') {
		const char *open = ps->p++;

		if ((n = parse_or(ps)) == NULL)
			return NULL;
		skip_ws(ps);
		if (*ps->p != ')') {
			node_free(n);
			if (*ps->p == '\0')
				return perr(ps, open, "unbalanced '(': "
				    "')' expected before end");
			return perr(ps, ps->p, "')' expected near %s",
			    near(ps->p, nb, sizeof(nb)));
		}
		ps->p++;
		ps->depth--;
		return n;
	}
	if (keyword(ps, "exists")) {
		const char *save = ps->p;

		ps->p += 6;
		skip_ws(ps);
		if (*ps->p == '(') {
			ps->p++;
			skip_ws(ps);
			n = node_new(N_EXISTS);
			if (!is_ident_start((unsigned char)*ps->p) &&
			    !isdigit((unsigned char)*ps->p)) {
				node_free(n);
				return perr(ps, ps->p, "field name expected "
				    "in exists()");
			}
			if (parse_path(ps, &n->a) < 0) {
				node_free(n);
				return NULL;
			}
			skip_ws(ps);
			if (*ps->p != ')') {
				node_free(n);
				return perr(ps, ps->p, "')' expected near %s",
				    near(ps->p, nb, sizeof(nb)));
			}
			ps->p++;
			ps->depth--;
			return n;
		}
		ps->p = save;
	}
	n = parse_cmp(ps);
	if (n)
		ps->depth--;
	return n;
}

static struct node *
parse_and(struct parser *ps)
{
	struct node *n, *k;

	if ((k = parse_unary(ps)) == NULL)
		return NULL;
	skip_ws(ps);
	if (!keyword(ps, "and") && strncmp(ps->p, "&&", 2) != 0)
		return k;
	n = node_new(N_AND);
	node_add(n, k);
	while (keyword(ps, "and") || strncmp(ps->p, "&&", 2) == 0) {
		ps->p += *ps->p == '&' ? 2 : 3;
		if ((k = parse_unary(ps)) == NULL) {
			node_free(n);
			return NULL;
		}
		node_add(n, k);
		skip_ws(ps);
	}
	return n;
}

static struct node *
parse_or(struct parser *ps)
{
	struct node *n, *k;

	if ((k = parse_and(ps)) == NULL)
		return NULL;
	skip_ws(ps);
	if (!keyword(ps, "or") && strncmp(ps->p, "||", 2) != 0)
		return k;
	n = node_new(N_OR);
	node_add(n, k);
	while (keyword(ps, "or") || strncmp(ps->p, "||", 2) == 0) {
		ps->p += 2;
		if ((k = parse_and(ps)) == NULL) {
			node_free(n);
			return NULL;
		}
		node_add(n, k);
		skip_ws(ps);
	}
	return n;
}

/* Give every N_WORDS node below N its ids as a bit mask: words MLO ..
 * MLO + NMASK - 1 of the id bits (ids are given in parse order, so a list's
 * are mostly one run and the mask a word or two). */
static void
build_masks(struct node *n)
{
	size_t i, lo, hi;

	for (i = 0; i < n->nkids; i++)
		build_masks(n->kids[i]);
	if (n->type != N_WORDS || n->nids == 0)
		return;
	lo = hi = (size_t)n->ids[0] >> 6;
	for (i = 1; i < n->nids; i++) {
		size_t w = (size_t)n->ids[i] >> 6;

		if (w < lo)
			lo = w;
		if (w > hi)
			hi = w;
	}
	n->mlo = lo;
	n->nmask = hi - lo + 1;
	n->mask = hark_xcalloc(n->nmask, sizeof(*n->mask));
	for (i = 0; i < n->nids; i++)
		n->mask[(n->ids[i] >> 6) - lo] |= (uint64_t)1 <<
		    (n->ids[i] & 63);
}

/* Has N no word or regex node below it, so that evaluating it can
 * neither fail nor scan a text? */
static int
pure(const struct node *n)
{
	size_t i;

	if (n->type == N_WORDS || n->type == N_REGEX)
		return 0;
	for (i = 0; i < n->nkids; i++)
		if (!pure(n->kids[i]))
			return 0;
	return 1;
}

static void
key_operand(struct hark_buf *b, const struct operand *o)
{
	char *d;

	if (o->path != NULL)
		(void)hark_buf_addf(b, " p%s", o->path);
	else if (o->lit != NULL) {
		d = hark_json_dumps(o->lit, JSON_COMPACT | JSON_ENCODE_ANY);
		(void)hark_buf_addf(b, " l%s", d ? d : "?");
		free(d);
	} else
		(void)hark_buf_addstr(b, " -");
}

/* A pure node N as text: equal texts, equal conditions. */
static void
key_node(struct hark_buf *b, const struct node *n)
{
	size_t i;

	(void)hark_buf_addf(b, "(%d %d %d", (int)n->type, n->op, n->neg);
	key_operand(b, &n->a);
	key_operand(b, &n->b);
	for (i = 0; i < n->nkids; i++)
		key_node(b, n->kids[i]);
	(void)hark_buf_addch(b, ')');
}

struct gstack {
	const struct node **conds;
	unsigned char *want;
	size_t n, a;
};

/* The group of the guard in ST for a word node of E (added when new). */
static uint64_t
guard_group(struct hark_expr_set *s, struct hark_expr *e,
    const struct gstack *st)
{
	struct hark_buf key = HARK_BUF_INIT(1u << 20);
	struct hark_buf one = HARK_BUF_INIT(1u << 20);
	struct eguard *g;
	uint64_t bit = 1;
	size_t i, j;
	int atom[64];

	if (st->n == 0)
		return 1;
	for (i = 0; i < st->n; i++) {
		hark_buf_reset(&one);
		key_node(&one, st->conds[i]);
		(void)hark_buf_addch(&key, st->want[i] ? '+' : '-');
		(void)hark_buf_add(&key, hark_buf_str(&one), one.len);
		if (i >= HARK_ARRAY_SIZE(atom))
			continue;
		for (j = 0; j < s->nakeys; j++)
			if (strcmp(s->akeys[j], hark_buf_str(&one)) == 0)
				break;
		if (j == s->nakeys && j < 64) {
			s->akeys = hark_xrealloc(s->akeys, (j + 1) *
			    sizeof(*s->akeys));
			s->akeys[s->nakeys++] = hark_xstrdup(
			    hark_buf_str(&one));
		}
		atom[i] = j < 64 ? (int)j : -1;
	}
	hark_buf_release(&one);
	for (i = 0; i < s->ngkeys; i++)
		if (strcmp(s->gkeys[i], hark_buf_str(&key)) == 0)
			break;
	if (i == s->ngkeys && s->ngkeys < GROUPS_MAX - 1) {
		s->gkeys = hark_xrealloc(s->gkeys, (s->ngkeys + 1) *
		    sizeof(*s->gkeys));
		s->gkeys[s->ngkeys++] = hark_xstrdup(hark_buf_str(&key));
	}
	hark_buf_release(&key);
	if (i == s->ngkeys)	/* past the others: always scanned for */
		return 1;
	bit = (uint64_t)1 << (i + 1);
	for (i = 0; i < e->nguards; i++)
		if (e->guards[i].bit == bit)
			return bit;
	e->guards = hark_xrealloc(e->guards, (e->nguards + 1) *
	    sizeof(*e->guards));
	g = &e->guards[e->nguards++];
	g->bit = bit;
	g->n = st->n;
	g->conds = hark_xcalloc(st->n, sizeof(*g->conds));
	g->want = hark_xcalloc(st->n, 1);
	g->atom = hark_xcalloc(st->n, sizeof(*g->atom));
	memcpy(g->conds, st->conds, st->n * sizeof(*g->conds));
	memcpy(g->want, st->want, st->n);
	for (i = 0; i < st->n; i++)
		g->atom[i] = i < HARK_ARRAY_SIZE(atom) ? atom[i] : -1;
	return bit;
}

/* One guard of each group the live expressions of S have, into s->sg. */
static void
set_guards(struct hark_expr_set *s)
{
	const struct hark_expr *e;
	uint64_t seen = 0;
	size_t i;

	s->nsg = 0;
	for (e = s->exprs; e != NULL; e = e->next)
		for (i = 0; i < e->nguards; i++) {
			if (seen & e->guards[i].bit)
				continue;
			seen |= e->guards[i].bit;
			s->sg = hark_xrealloc(s->sg, (s->nsg + 1) *
			    sizeof(*s->sg));
			s->sg[s->nsg++] = &e->guards[i];
		}
}

/*
 * Give every word node below N its guard group: the pure operands before
 * it in the and/or chains around it must be true (and) or false (or) for
 * the evaluation to reach it.  ST holds those of N's ancestors.
 */
static void
guards_walk(struct hark_expr_set *s, struct hark_expr *e, struct node *n,
    struct gstack *st)
{
	size_t i, base = st->n;

	switch (n->type) {
	case N_AND:
	case N_OR:
		for (i = 0; i < n->nkids; i++) {
			guards_walk(s, e, n->kids[i], st);
			if (i + 1 == n->nkids || !pure(n->kids[i]))
				continue;
			if (st->n == st->a) {
				st->a = st->a ? st->a * 2 : 16;
				st->conds = hark_xrealloc(st->conds, st->a *
				    sizeof(*st->conds));
				st->want = hark_xrealloc(st->want, st->a);
			}
			st->conds[st->n] = n->kids[i];
			st->want[st->n++] = n->type == N_AND;
		}
		st->n = base;
		break;
	case N_NOT:
		guards_walk(s, e, n->kids[0], st);
		break;
	case N_WORDS:
		n->gbit = guard_group(s, e, st);
		for (i = 0; i < n->nids; i++)
			s->nmask[n->ids[i]] |= n->gbit;
		break;
	default:
		break;
	}
}

struct hark_expr *
hark_expr_parse_in(struct hark_expr_set *set, const char *src,
    struct hark_err *err)
{
	struct parser ps;
	struct hark_expr *e;
	struct node *root;
	char nb[32];

	ps.src = ps.p = src;
	ps.set = set;
	ps.err = err;
	ps.depth = 0;
	skip_ws(&ps);
	if (*ps.p == '\0')
		return perr(&ps, ps.p, "empty expression");
	if ((root = parse_or(&ps)) == NULL)
		return NULL;
	skip_ws(&ps);
	if (*ps.p != '\0') {
		node_free(root);
		if (*ps.p == ')')
			return perr(&ps, ps.p, "unbalanced ')'");
		return perr(&ps, ps.p, "'and', 'or' or end expected near %s",
		    near(ps.p, nb, sizeof(nb)));
	}
	e = hark_xcalloc(1, sizeof(*e));
	e->root = root;
	e->set = set;
	set->refs++;
	{
		struct gstack st = { NULL, NULL, 0, 0 };

		guards_walk(set, e, root, &st);
		free(st.conds);
		free(st.want);
	}
	e->next = set->exprs;
	if (set->exprs)
		set->exprs->prev = e;
	set->exprs = e;
	set_guards(set);
	set->dirty = 1;		/* set_compact before the next evaluation */
	build_masks(root);
	return e;
}

struct hark_expr *
hark_expr_parse(const char *src, struct hark_err *err)
{
	struct hark_expr_set *set = hark_expr_set_new();
	struct hark_expr *e = hark_expr_parse_in(set, src, err);

	hark_expr_set_free(set);
	return e;
}

void
hark_expr_free(struct hark_expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	if (e->prev)
		e->prev->next = e->next;
	else
		e->set->exprs = e->next;
	if (e->next)
		e->next->prev = e->prev;
	set_guards(e->set);
	for (i = 0; i < e->nguards; i++) {
		free(e->guards[i].conds);
		free(e->guards[i].want);
		free(e->guards[i].atom);
	}
	free(e->guards);
	node_free(e->root);
	set_unref(e->set);
	free(e);
}

/* ---- evaluation ---- */

void
hark_expr_ctx_init(struct hark_expr_ctx *c)
{
	memset(c, 0, sizeof(*c));
	hark_buf_init(&c->fold, FOLD_MAX);
	hark_buf_init(&c->norm, FOLD_MAX);
}

void
hark_expr_ctx_release(struct hark_expr_ctx *c)
{
	size_t i;

	for (i = 0; i < c->acache; i++) {
		free(c->cache[i].bits);
		free(c->cache[i].hits);
	}
	free(c->cache);
	free(c->starts);
	free(c->pval);
	free(c->pseen);
	free(c->inv_ids);
	hark_buf_release(&c->fold);
	hark_buf_release(&c->norm);
	hark_expr_ctx_init(c);
}

/* Forget every cached path value (the record changed). */
static void
path_forget(struct hark_expr_ctx *c)
{
	if (++c->pgen == 0) {
		/* wrapped: no stale entry may look current */
		if (c->pseen)
			memset(c->pseen, 0, c->apaths * sizeof(*c->pseen));
		c->pgen = 1;
	}
}

void
hark_expr_ctx_reset(struct hark_expr_ctx *c, json_t *rec)
{
	size_t i;

	c->rec = rec;
	for (i = 0; i < c->ncache; i++)
		c->cache[i].valid = 0;
	c->ncache = 0;
	c->norm_of = 0;
	path_forget(c);
}

void
hark_expr_ctx_invalidate(struct hark_expr_ctx *c, const char *top)
{
	size_t i, n;

	if (top == NULL || c->pset == NULL)
		path_forget(c);
	else {
		/* only the paths below TOP: the others still hold (their
		 * ids are listed once per set and TOP) */
		n = strlen(top);
		if (c->inv_set != c->pset ||
		    c->inv_npaths != c->pset->npaths ||
		    n >= sizeof(c->inv_top) || strcmp(c->inv_top, top) != 0) {
			c->ninv = 0;
			for (i = 0; i < c->pset->npaths; i++) {
				const char *p = c->pset->paths[i];

				if (strncmp(p, top, n) != 0 ||
				    (p[n] != '\0' && p[n] != '.'))
					continue;
				if (c->ninv == c->ainv) {
					c->ainv = c->ainv ? c->ainv * 2 : 16;
					c->inv_ids = hark_xrealloc(c->inv_ids,
					    c->ainv * sizeof(*c->inv_ids));
				}
				c->inv_ids[c->ninv++] = i;
			}
			c->inv_set = n < sizeof(c->inv_top) ? c->pset : NULL;
			c->inv_npaths = c->pset->npaths;
			if (n < sizeof(c->inv_top))
				memcpy(c->inv_top, top, n + 1);
		}
		for (i = 0; i < c->ninv; i++)
			if (c->inv_ids[i] < c->apaths)
				c->pseen[c->inv_ids[i]] = 0;
	}
	for (i = 0; i < c->ncache; i++) {
		struct hark_expr_cache *h = &c->cache[i];

		if (!h->valid)
			continue;
		n = top ? strlen(top) : 0;
		if (top == NULL || (strncmp(h->path, top, n) == 0 &&
		    (h->path[n] == '\0' || h->path[n] == '.')))
			h->valid = 0;
	}
}

static json_t *
lookup(const struct operand *o, json_t *rec)
{
	json_t *v = rec;
	size_t i;

	if (o->path == NULL)
		return o->lit;
	for (i = 0; i < o->nsegs && v; i++) {
		if (json_is_object(v))
			v = json_object_get(v, o->segs[i].name);
		else if (json_is_array(v) && o->segs[i].index >= 0)
			v = (size_t)o->segs[i].index < json_array_size(v) ?
			    json_array_get(v, (size_t)o->segs[i].index) : NULL;
		else
			v = NULL;
	}
	return v;
}

/* lookup() through C's per-record cache of the paths of SET. */
static json_t *
lookup_ctx(const struct operand *o, struct hark_expr_ctx *c,
    const struct hark_expr_set *set)
{
	json_t *v;

	if (o->path == NULL)
		return o->lit;
	if (c->once)	/* one evaluation: nothing to share */
		return lookup(o, c->rec);
	if (c->pset != set || o->pid >= c->apaths) {
		size_t n = set->npaths > o->pid ? set->npaths : o->pid + 1;

		if (n > c->apaths) {
			c->pval = hark_xrealloc(c->pval, n * sizeof(*c->pval));
			c->pseen = hark_xrealloc(c->pseen, n *
			    sizeof(*c->pseen));
			c->apaths = n;
		}
		memset(c->pseen, 0, c->apaths * sizeof(*c->pseen));
		if (c->pgen == 0)
			c->pgen = 1;
		c->pset = set;
	}
	if (c->pseen[o->pid] == c->pgen)
		return c->pval[o->pid];
	v = lookup(o, c->rec);
	c->pval[o->pid] = v;
	c->pseen[o->pid] = c->pgen;
	return v;
}

/* Needle ID was found: its bit, and the list of hits. */
static void
mark(struct hark_expr_cache *h, int32_t id)
{
	uint64_t bit = (uint64_t)1 << (id & 63);

	if (h->bits[id >> 6] & bit)
		return;
	h->bits[id >> 6] |= bit;
	if (h->nhits == h->ahits) {
		h->ahits = h->ahits ? h->ahits * 2 : 16;
		h->hits = hark_xrealloc(h->hits, h->ahits * sizeof(*h->hits));
	}
	h->hits[h->nhits++] = id;
}

/* Append the code point CP to B as UTF-8; -1 when B is full. */
static int
add_utf8(struct hark_buf *b, int32_t cp)
{
	char *p;

	if (b->len + 4 >= b->cap && hark_buf_reserve(b, 4) < 0)
		return -1;
	p = b->ptr + b->len;
	if (cp < 0x80) {
		p[0] = (char)cp;
		p[1] = '\0';
		b->len += 1;
		return 0;
	} else if (cp < 0x800) {
		p[0] = (char)(0xc0 | (cp >> 6));
		p[1] = (char)(0x80 | (cp & 0x3f));
		b->len += 2;
	} else if (cp < 0x10000) {
		p[0] = (char)(0xe0 | (cp >> 12));
		p[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (char)(0x80 | (cp & 0x3f));
		b->len += 3;
	} else if (cp < 0x110000) {
		p[0] = (char)(0xf0 | (cp >> 18));
		p[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		p[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		p[3] = (char)(0x80 | (cp & 0x3f));
		b->len += 4;
	}
	b->ptr[b->len] = '\0';
	return 0;
}

/*
 * One folded code point CP into the normalised text C->norm, as
 * normalise() would: words joined by one space, word starts recorded, an
 * apostrophe inside a word dropped.  ST carries the state: NS_INWORD, and
 * NS_APOS (an apostrophe after a word char waits for the next code
 * point).  Returns the new state, or -1 when the buffer is full.  (The
 * state goes by value so that the callers keep it in a register.)
 */
enum { NS_INWORD = 1, NS_APOS = 2 };

static int
norm_step(struct hark_expr_ctx *c, int st, int32_t cp)
{
	struct hark_buf *norm = &c->norm;
	int w;

	if (cp == '\'') {
		if (st & NS_APOS)	/* two in a row: neither joins */
			st = 0;
		else if (st & NS_INWORD)
			st |= NS_APOS;
		return st;
	}
	if (cp < 0x80)
		w = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
		    cp == '_' || (cp >= 'A' && cp <= 'Z');
	else
		w = hark_text_is_word_cp(cp);
	if (st & NS_APOS) {
		st &= ~NS_APOS;
		if (!w)
			st = 0;
	}
	if (!w)
		return 0;
	if (!(st & NS_INWORD)) {
		if (norm->len > 0 && add_utf8(norm, ' ') < 0)
			return -1;
		if (c->nstarts == c->astarts) {
			c->astarts = c->astarts ? c->astarts * 2 : 64;
			c->starts = hark_xrealloc(c->starts, c->astarts *
			    sizeof(*c->starts));
		}
		c->starts[c->nstarts++] = norm->len;
		st = NS_INWORD;
	}
	return add_utf8(norm, cp) < 0 ? -1 : st;
}

/* ASCII bytes for fold_words: folded (lower case) and their class. */
enum { ASCII_SEP, ASCII_WORD, ASCII_APOS };
static unsigned char ascii_low[128], ascii_class[128];
static int ascii_ready;

static void
ascii_init(void)
{
	int ch;

	for (ch = 0; ch < 128; ch++) {
		int lc = ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;

		ascii_low[ch] = (unsigned char)lc;
		ascii_class[ch] = (lc >= 'a' && lc <= 'z') ||
		    (lc >= '0' && lc <= '9') || lc == '_' ? ASCII_WORD :
		    lc == '\'' ? ASCII_APOS : ASCII_SEP;
	}
	ascii_ready = 1;
}

/*
 * Two-byte code points (U+0080 to U+07FF) that fold to one ASCII word
 * character: Latin letters with diacritics ('ą' -> 'a', 'Ł' -> 'l'), most
 * of the non-ASCII text of Polish and Czech posts.  By cp - 0x80: that
 * character, FOLD2_OTHER for the others (several code points, or not a
 * word character: those take the general path), 0 not looked up yet.
 * hark_text_fold_cp() is context-free, so an entry, once filled, is what
 * it would give every time.
 */
#define FOLD2_OTHER 0xff
static unsigned char fold2_tab[0x800 - 0x80];

/* The ASCII word character the two bytes at U[I..LEN) fold to when they
 * are a well-formed two-byte code point that folds to one, else 0. */
static inline unsigned char
fold2(const unsigned char *u, size_t i, size_t len)
{
	unsigned b0 = u[i], b1, cp;
	unsigned char *t;

	if (b0 < 0xc2 || b0 > 0xdf || i + 1 >= len ||
	    ((b1 = u[i + 1]) & 0xc0) != 0x80)
		return 0;
	cp = (b0 & 0x1f) << 6 | (b1 & 0x3f);
	t = &fold2_tab[cp - 0x80];
	if (*t == 0) {
		int32_t f[HARK_TEXT_FOLD_CP_MAX];
		size_t n = hark_text_fold_cp((int32_t)cp, f);

		*t = n == 1 && f[0] > 0 && f[0] < 0x80 &&
		    ascii_class[f[0]] == ASCII_WORD ? (unsigned char)f[0] :
		    FOLD2_OTHER;
	}
	return *t == FOLD2_OTHER ? 0 : *t;
}

/*
 * hark_text_fold and normalise() in one pass over S: C->norm gets the
 * normalised words, C->fold (when FOLD) the folded text.  Runs of ASCII
 * and of two-byte letters that fold to one ASCII word character (fold2())
 * are written straight into buffers reserved for them; other code points
 * go through hark_text_fold_cp() and norm_step().
 */
static int
fold_words(struct hark_expr_ctx *c, const char *s, size_t len, int fold)
{
	const unsigned char *u = (const unsigned char *)s;
	int st = 0;	/* norm_step's state */
	size_t i = 0, k, n;

	if (!ascii_ready)
		ascii_init();
	while (i < len) {
		unsigned char ch = u[i];
		int32_t cp, f[HARK_TEXT_FOLD_CP_MAX];

		if (ch < 0x80 || fold2(u, i, len)) {
			/* the run (norm_step adds at most two bytes for
			 * each: a space and the character; a two-byte
			 * letter is two bytes in S) */
			struct hark_buf *nb = &c->norm, *fb = &c->fold;
			size_t e = i;

			/* its end: eight ASCII bytes at a time, then one */
			for (;;) {
				for (; e + 8 <= len; e += 8) {
					uint64_t w;

					memcpy(&w, s + e, 8);
					if (w & 0x8080808080808080ull)
						break;
				}
				while (e < len && u[e] < 0x80)
					e++;
				if (e < len && fold2(u, e, len)) {
					e += 2;
					continue;
				}
				break;
			}
			if (hark_buf_reserve(nb, 2 * (e - i) + 4) < 0 ||
			    (fold && hark_buf_reserve(fb, e - i + 4) < 0))
				return -1;
			if (fold) {
				char *fp = fb->ptr;
				size_t fl = fb->len, k2;

				for (k2 = i; k2 < e; k2++) {
					/* eight ASCII bytes lowered at
					 * once: 0x20 added to those from
					 * 'A' to 'Z' (no byte carries) */
					while (k2 + 8 <= e) {
						uint64_t w, up;

						memcpy(&w, s + k2, 8);
						if (w & 0x8080808080808080ull)
							break;
						/* bit 7: 'A' to 'Z' */
						up = w + 0x3f3f3f3f3f3f3f3full;
						up ^= w + 0x2525252525252525ull;
						up &= 0x8080808080808080ull;
						w |= up >> 2;
						memcpy(fp + fl, &w, 8);
						fl += 8;
						k2 += 8;
					}
					if (k2 >= e)
						break;
					fp[fl++] = u[k2] < 0x80 ? (char)
					    ascii_low[u[k2]] : (char)
					    fold2(u, k2++, len);
				}
				fb->len = fl;
			}
			{
				/* locals: stores through the buffers' own
				 * pointers would make every one reload them */
				char *np = nb->ptr;
				size_t nl = nb->len;

				while (i < e) {
					unsigned char cl, lc;

					ch = u[i];
					if (ch < 0x80) {
						cl = ascii_class[ch];
						lc = ascii_low[ch];
					} else {
						cl = ASCII_WORD;
						lc = fold2(u, i, len);
					}
					if (cl == ASCII_WORD && !(st & NS_APOS)) {
						if (!(st & NS_INWORD)) {
							/* a word begins (room
							 * reserved) */
							if (nl > 0)
								np[nl++] = ' ';
							if (c->nstarts ==
							    c->astarts) {
								c->astarts =
								    c->astarts ?
								    c->astarts *
								    2 : 64;
								c->starts =
								    hark_xrealloc(
								    c->starts,
								    c->astarts *
								    sizeof(*c->
								    starts));
							}
							c->starts[
							    c->nstarts++] = nl;
							st = NS_INWORD;
						}
						/* the word goes on */
						for (;;) {
							np[nl++] = (char)lc;
							i += ch < 0x80 ? 1 : 2;
							if (i >= e)
								break;
							ch = u[i];
							if (ch < 0x80) {
								if (ascii_class[
								    ch] !=
								    ASCII_WORD)
									break;
								lc = ascii_low[
								    ch];
							} else
								lc = fold2(u,
								    i, len);
						}
						continue;
					}
					if (cl == ASCII_SEP && !(st & NS_APOS)) {
						st = 0;	/* separator */
						i++;
						continue;
					}
					/* apostrophes, and a character after
					 * one: the general path */
					nb->len = nl;
					if ((st = norm_step(c, st, lc)) < 0)
						return -1;
					np = nb->ptr;
					nl = nb->len;
					i += ch < 0x80 ? 1 : 2;
				}
				nb->len = nl;
			}
			nb->ptr[nb->len] = '\0';
			if (fold)
				fb->ptr[fb->len] = '\0';
			continue;
		}
		i += hark_utf8_next(s + i, len - i, &cp);
		n = hark_text_fold_cp(cp, f);
		for (k = 0; k < n; k++)
			if ((fold && add_utf8(&c->fold, f[k]) < 0) ||
			    (st = norm_step(c, st, f[k])) < 0)
				return -1;
	}
	return 0;
}

/* Has S[0..LEN) a byte above 0x7f?  Eight bytes at a time. */
static int
has_non_ascii(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t w, acc = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= (unsigned char)s[i];
	return (acc & 0x8080808080808080ull) != 0;
}

/* The child of compact node CN by byte B, or -1. */
static inline int32_t
cn_child(const struct hark_expr_set *set, const struct cnode *cn,
    unsigned char b)
{
	const unsigned char *kb = set->ckb + cn->first;
	unsigned n = cn->nkid, j, q;

	if (n <= 4) {
		for (j = 0; j < n; j++)
			if (kb[j] == b)
				return (int32_t)(cn->first + j);
		return -1;
	}
	/* eight bytes at a time: a zero byte in x marks the match (the
	 * array has eight bytes of padding); the lowest marked byte is a
	 * true one */
	for (j = 0; j < n; j += 8) {
		uint64_t w, x, z;

		memcpy(&w, kb + j, 8);
		x = w ^ (0x0101010101010101ull * b);
		z = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
		if (z == 0)
			continue;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		q = j + ((unsigned)__builtin_ctzll(z) >> 3);
		return q < n ? (int32_t)(cn->first + q) : -1;
#else
		for (q = j; q < j + 8 && q < n; q++)
			if (kb[q] == b)
				return (int32_t)(cn->first + q);
		return -1;
#endif
	}
	return -1;
}

/*
 * Walk the trie of SET from every word start of the normalised text in C
 * (c->norm, c->starts), for the needles of the guard groups LIVE, into
 * the word bits B.  A walk stops where no needle of those groups lies
 * ahead; needles of other groups met on the way are marked too (they are
 * in the text all the same).
 */
static void
walk_norm(struct hark_expr_ctx *c, const struct hark_expr_set *set,
    uint64_t live, struct hark_expr_cache *b)
{
	const char *t = hark_buf_str(&c->norm);
	size_t n = c->norm.len, k, i;

	for (k = 0; k < c->nstarts; k++) {
		int32_t v;

		i = c->starts[k];
		v = set->croot[(unsigned char)t[i]];
		while (v >= 0) {
			const struct cnode *cn = &set->cn[v];
			unsigned char c0, c1;

			if (!(cn->gmask & live))
				break;
			/* CN was reached by the byte t[i] */
			i++;
			if (cn->flags) {
				if (cn->flags & CN_PREFIX)
					mark(b, set->cprefix[v]);
				if ((cn->flags & CN_EXACT) && (i == n ||
				    t[i] == ' '))
					mark(b, set->cexact[v]);
			}
			if (i == n || cn->nkid == 0)
				break;
			/* the second byte of a word: one look-up */
			if (i == c->starts[k] + 1 &&
			    (c0 = cls[(unsigned char)t[i - 1]]) != 0 &&
			    (c1 = cls[(unsigned char)t[i]]) != 0)
				v = set->c2[c0 * NCLS + c1];
			else
				v = cn_child(set, cn, (unsigned char)t[i]);
		}
	}
}

/*
 * An ASCII text needs no folded copy: its normalised text is its words
 * (runs of [A-Za-z0-9_], lower case, an apostrophe between two word
 * characters dropped) joined by one space, and the walks read it
 * straight from S through a cursor: P the next byte of S, IN whether it
 * is inside a word.  These give the bytes fold_words() would have
 * written, one at a time (-1 at the end).
 */
#define AW(ch) (ascii_class[(ch)] == ASCII_WORD)

static inline int
anext(const unsigned char *u, size_t len, size_t *p, int *in)
{
	size_t q = *p;

	if (!*in) {		/* a word begins at q */
		*in = 1;
		*p = q + 1;
		return ascii_low[u[q]];
	}
	if (q < len && AW(u[q])) {
		*p = q + 1;
		return ascii_low[u[q]];
	}
	if (q + 1 < len && u[q] == '\'' && AW(u[q + 1])) {
		*p = q + 2;
		return ascii_low[u[q + 1]];
	}
	/* the word ends: one space when another word follows */
	while (q < len && !AW(u[q]))
		q++;
	if (q == len)
		return -1;
	*p = q;
	*in = 0;
	return ' ';
}

/* Does the word the cursor is in end at P? */
static inline int
aword_ends(const unsigned char *u, size_t len, size_t p)
{
	return !(p < len && AW(u[p])) && !(p + 1 < len && u[p] == '\'' &&
	    AW(u[p + 1]));
}

/* walk_norm() on the ASCII text U[0..LEN) itself. */
static void
walk_ascii(const struct hark_expr_set *set, const unsigned char *u,
    size_t len, uint64_t live, struct hark_expr_cache *b)
{
	size_t p = 0, w0;

	if (!ascii_ready)
		ascii_init();
	for (;;) {
		int32_t v;
		int in = 0, ch, first;

		/* the next word: its first word character */
		while (p < len && !AW(u[p]))
			p++;
		if (p == len)
			break;
		w0 = p;
		first = anext(u, len, &p, &in);
		v = set->croot[first];
		while (v >= 0) {
			const struct cnode *cn = &set->cn[v];
			unsigned char c0, c1;

			if (!(cn->gmask & live))
				break;
			if (cn->flags) {
				if (cn->flags & CN_PREFIX)
					mark(b, set->cprefix[v]);
				if ((cn->flags & CN_EXACT) && in &&
				    aword_ends(u, len, p))
					mark(b, set->cexact[v]);
			}
			if (cn->nkid == 0 || (ch = anext(u, len, &p, &in)) < 0)
				break;
			/* the second byte of a word: one look-up */
			if (v == set->croot[first] &&
			    (c0 = cls[first]) != 0 &&
			    (c1 = cls[(unsigned char)ch]) != 0)
				v = set->c2[c0 * NCLS + c1];
			else
				v = cn_child(set, cn, (unsigned char)ch);
		}
		/* past this word: word characters, and an apostrophe
		 * between two of them */
		p = w0;
		while (p < len) {
			if (AW(u[p]))
				p++;
			else if (p + 1 < len && u[p] == '\'' && AW(u[p + 1]))
				p += 2;
			else
				break;
		}
	}
}

/*
 * Scan one string S (NUL-terminated, as jansson keeps strings) into the
 * word bits B of set SET, for the needles of the guard groups LIVE.  With
 * REUSE, C's buffers hold S folded already (an earlier scan of the same
 * text for other groups, which returned 1: an ASCII text is read as it
 * is, and 0 returned).
 */
static int
scan_text(struct hark_expr_ctx *c, const struct hark_expr_set *set,
    const char *s, size_t len, struct hark_expr_cache *b, uint64_t live,
    int reuse)
{
	size_t k;
	int ascii;

	if (reuse)
		ascii = 0;
	else if ((ascii = !has_non_ascii(s, len)) == 0) {
		hark_buf_reset(&c->fold);
		hark_buf_reset(&c->norm);
		c->nstarts = 0;
		fold_words(c, s, len, set->nraw > 0);
	}
	/* Raw needles have no letters, digits or '_', and folding ASCII
	 * only lowers letters: on an ASCII text they match the text as it
	 * is, so only other texts need their folded copy. */
	if (ascii)
		walk_ascii(set, (const unsigned char *)s, len, live, b);
	else
		walk_norm(c, set, live, b);
	for (k = 0; k < set->nraw; k++)
		if ((set->nmask[set->raw[k].id] & live) && (ascii ?
		    set->raw[k].len <= len && strstr(s, set->raw[k].s) !=
		    NULL : set->raw[k].len <= c->fold.len &&
		    strstr(hark_buf_str(&c->fold), set->raw[k].s) != NULL))
			mark(b, set->raw[k].id);
	return !ascii;
}

static int eval(const struct node *n, struct hark_expr_ctx *c,
    const struct hark_expr_set *set, struct hark_err *err);

/*
 * The guard groups of SET to scan for now, besides NEED (the group of the
 * node being evaluated) and bit 0 (always): those whose guard holds for
 * the record as it is, leaving out DONE (scanned already).  A guard that
 * fails now may hold later (a rule changed the record): its group is then
 * scanned for when one of its nodes is evaluated.
 */
static uint64_t
live_groups(struct hark_expr_ctx *c, const struct hark_expr_set *set,
    uint64_t need, uint64_t done, struct hark_err *err)
{
	uint64_t live = need | 1, dead = 0, known = 0, val = 0;
	size_t i, j;

	if (c->once)	/* one evaluation: no other expression to serve */
		return ~(uint64_t)0;
	for (i = 0; i < set->nsg; i++) {
		const struct eguard *g = set->sg[i];

		if ((live | dead | done) & g->bit)
			continue;
		for (j = 0; j < g->n; j++) {
			int a = g->atom[j], r;

			if (a >= 0 && (known >> a & 1))
				r = (int)(val >> a & 1);
			else {
				/* pure: 0 or 1, never an error */
				r = eval(g->conds[j], c, set, err) == 1;
				if (a >= 0) {
					known |= (uint64_t)1 << a;
					val |= (uint64_t)r << a;
				}
			}
			if (r != (int)g->want[j])
				break;
		}
		if (j == g->n)
			live |= g->bit;
		else
			dead |= g->bit;
	}
	return live & ~done;
}

/* The word bits of the text at operand O of word node N, scanned (again)
 * when N's guard group was not looked for in it yet. */
static NOINLINE const struct hark_expr_cache *
word_bits(struct hark_expr_ctx *c, const struct hark_expr_set *set,
    const struct node *nd, struct hark_err *err)
{
	const struct operand *o = &nd->a;
	struct hark_expr_cache *h = NULL;
	size_t i, nwords = ((size_t)set->nids + 63) / 64;
	uint64_t live, done = 0;
	int reuse = 0;
	json_t *v;

	for (i = 0; i < c->ncache; i++)
		if (c->cache[i].set == set && c->cache[i].pid == o->pid) {
			h = &c->cache[i];
			if (h->valid && h->nwords >= nwords) {
				if (h->scanned & nd->gbit)
					return h;
				/* more groups of the same text: keep the
				 * bits found */
				done = h->scanned;
				reuse = c->norm_of == i + 1;
			}
			break;
		}
	if (h == NULL) {
		if (c->ncache == c->acache) {
			size_t old = c->acache;

			c->acache = c->acache ? c->acache * 2 : 8;
			c->cache = hark_xrealloc(c->cache, c->acache *
			    sizeof(*c->cache));
			memset(c->cache + old, 0, (c->acache - old) *
			    sizeof(*c->cache));
		}
		h = &c->cache[c->ncache++];
	}
	if (done == 0) {
		if (h->nwords < nwords || h->bits == NULL) {
			free(h->bits);
			h->bits = hark_xcalloc(nwords ? nwords : 1,
			    sizeof(uint64_t));
			h->nwords = nwords;
		} else if (h->set != set)
			memset(h->bits, 0, h->nwords * sizeof(uint64_t));
		else	/* only the bits the last scan set */
			for (i = 0; i < h->nhits; i++)
				h->bits[h->hits[i] >> 6] = 0;
		h->nhits = 0;
		h->path = o->path;
		h->pid = o->pid;
		h->set = set;
		h->valid = 1;
	}
	live = live_groups(c, set, nd->gbit, done, err);
	h->scanned = done | live;
	v = lookup_ctx(o, c, set);
	c->norm_of = 0;
	if (json_is_string(v)) {
		if (scan_text(c, set, json_string_value(v),
		    json_string_length(v), h, live, reuse))
			c->norm_of = (size_t)(h - c->cache) + 1;
	} else if (json_is_array(v)) {
		json_t *x;

		json_array_foreach(v, i, x)
			if (json_is_string(x))
				(void)scan_text(c, set, json_string_value(x),
				    json_string_length(x), h, live, 0);
	}
	return h;
}

static int
values_equal(json_t *a, json_t *b)
{
	if (a == NULL)
		a = json_null();
	if (b == NULL)
		b = json_null();
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	return json_equal(a, b);
}

static int
truthy(json_t *v)
{
	switch (json_typeof(v ? v : json_null())) {
	case JSON_NULL: case JSON_FALSE: return 0;
	case JSON_TRUE: return 1;
	case JSON_INTEGER: case JSON_REAL: return json_number_value(v) != 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_OBJECT: return json_object_size(v) > 0;
	}
	return 0;
}

static int
member(json_t *x, json_t *list)
{
	size_t i;
	json_t *m;

	json_array_foreach(list, i, m)
		if (values_equal(x, m))
			return 1;
	return 0;
}

/* A match of regex node N failed with RC: -1 with ERR, or (lenient)
 * 0 with C's regex_failed and regex_msg set.  Out of line: its message
 * buffer would make every eval() frame large. */
static NOINLINE int
regex_failed(const struct node *n, struct hark_expr_ctx *c, int rc,
    struct hark_err *err)
{
	PCRE2_UCHAR msg[256];

	pcre2_get_error_message(rc, msg, sizeof(msg));
	if (!c->lenient_regex)
		return hark_err_set(err, HARK_EXIT_DATA, "regular expression "
		    "on '%s': %s", n->a.path, (const char *)msg);
	c->regex_failed = 1;
	snprintf(c->regex_msg, sizeof(c->regex_msg), "regular expression "
	    "on '%.60s': %s", n->a.path, (const char *)msg);
	return 0;
}

static int
eval(const struct node *n, struct hark_expr_ctx *c,
    const struct hark_expr_set *set, struct hark_err *err)
{
	json_t *a, *b;
	size_t i;
	int r;

	switch (n->type) {
	case N_AND:
		for (i = 0; i < n->nkids; i++)
			if ((r = eval(n->kids[i], c, set, err)) != 1)
				return r;
		return 1;
	case N_OR:
		for (i = 0; i < n->nkids; i++)
			if ((r = eval(n->kids[i], c, set, err)) != 0)
				return r;
		return 0;
	case N_NOT:
		r = eval(n->kids[0], c, set, err);
		return r < 0 ? r : !r;
	case N_EXISTS:
		a = lookup_ctx(&n->a, c, set);
		return a != NULL && !json_is_null(a);
	case N_TRUTH:
		return truthy(lookup_ctx(&n->a, c, set));
	case N_CMP:
		a = lookup_ctx(&n->a, c, set);
		b = lookup_ctx(&n->b, c, set);
		if (n->op == OP_EQ)
			return values_equal(a, b);
		if (n->op == OP_NE)
			return !values_equal(a, b);
		if (json_is_number(a) && json_is_number(b)) {
			double x = json_number_value(a),
			    y = json_number_value(b);

			r = x < y ? -1 : x > y ? 1 : 0;
		} else if (json_is_string(a) && json_is_string(b)) {
			size_t la = json_string_length(a),
			    lb = json_string_length(b);

			r = memcmp(json_string_value(a), json_string_value(b),
			    HARK_MIN(la, lb));
			if (r == 0)
				r = la < lb ? -1 : la > lb;
		} else
			return 0;
		switch (n->op) {
		case OP_LT: return r < 0;
		case OP_LE: return r <= 0;
		case OP_GT: return r > 0;
		default: return r >= 0;
		}
	case N_IN:
		a = lookup_ctx(&n->a, c, set);
		b = lookup_ctx(&n->b, c, set);
		r = 0;
		if (json_is_array(b)) {
			if (json_is_array(a)) {
				json_t *x;

				json_array_foreach(a, i, x)
					if (member(x, b)) {
						r = 1;
						break;
					}
			} else
				r = member(a, b);
		}
		return n->neg ? !r : r;
	case N_WORDS: {
		const struct hark_expr_cache *h = word_bits(c, set, n, err);

		r = 0;
		for (i = 0; i < n->nmask && !r; i++)
			r = (h->bits[n->mlo + i] & n->mask[i]) != 0;
		return n->neg ? !r : r;
	}
	case N_REGEX:
		a = lookup_ctx(&n->a, c, set);
		r = 0;
		if (json_is_string(a)) {
			int rc = pcre2_match(n->re,
			    (PCRE2_SPTR)json_string_value(a),
			    json_string_length(a), 0, PCRE2_NO_UTF_CHECK,
			    n->md, set->mctx);

			if (rc >= 0)
				r = 1;
			else if (rc != PCRE2_ERROR_NOMATCH &&
			    regex_failed(n, c, rc, err) < 0)
				return -1;
		}
		return n->neg ? !r : r;
	}
	return hark_err_set(err, HARK_EXIT_FAILURE, "bad expression node");
}

int
hark_expr_eval_ctx(const struct hark_expr *e, struct hark_expr_ctx *c,
    struct hark_err *err)
{
	if (e->set->dirty) {
		set_compact(e->set);
		e->set->dirty = 0;
	}
	return eval(e->root, c, e->set, err);
}

int
hark_expr_eval(const struct hark_expr *e, json_t *rec, struct hark_err *err)
{
	struct hark_expr_ctx c;
	int r;

	hark_expr_ctx_init(&c);
	hark_expr_ctx_reset(&c, rec);
	c.once = 1;
	r = hark_expr_eval_ctx(e, &c, err);
	hark_expr_ctx_release(&c);
	return r;
}

static void
fields(const struct node *n, void (*fn)(void *, const char *), void *arg)
{
	size_t i;

	if (n->a.nsegs > 0)
		fn(arg, n->a.segs[0].name);
	if (n->b.nsegs > 0)
		fn(arg, n->b.segs[0].name);
	for (i = 0; i < n->nkids; i++)
		fields(n->kids[i], fn, arg);
}

void
hark_expr_foreach_field(const struct hark_expr *e,
    void (*fn)(void *arg, const char *name), void *arg)
{
	if (e != NULL)
		fields(e->root, fn, arg);
}

int
hark_expr_match_words(const char *text, size_t len, const char *word,
    int prefix)
{
	struct hark_buf f = HARK_BUF_INIT(FOLD_MAX);
	struct hark_buf t = HARK_BUF_INIT(FOLD_MAX);
	struct hark_buf nf = HARK_BUF_INIT(FOLD_MAX);
	struct hark_buf nt = HARK_BUF_INIT(FOLD_MAX);
	long r;

	hark_text_fold(word, strlen(word), &f);
	hark_text_fold(text, len, &t);
	normalise(hark_buf_str(&f), f.len, &nf, NULL);
	normalise(hark_buf_str(&t), t.len, &nt, NULL);
	if (nf.len == 0)
		r = strstr(hark_buf_str(&t), hark_buf_str(&f)) ? 0 : -1;
	else
		r = hark_text_find_word(hark_buf_str(&nt), nt.len,
		    hark_buf_str(&nf), nf.len, prefix ? HARK_TEXT_PREFIX : 0);
	hark_buf_release(&f);
	hark_buf_release(&t);
	hark_buf_release(&nf);
	hark_buf_release(&nt);
	return r >= 0;
}
