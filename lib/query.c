/* query.c - parse, match and render the boolean search query. */
#include <ctype.h>
#include <strings.h>
#include "query.h"
#include "text.h"

#define TERM_MAX	4096
#define HAY_MAX		(4u * 1024 * 1024)

enum node_kind { N_TERM, N_PHRASE, N_FIELD, N_AND, N_OR, N_NOT, N_ALL };
enum field { F_NONE, F_AUTHOR, F_DOMAIN, F_LANG };

struct node {
	enum node_kind kind;
	enum field field;
	char *text;		/* as written (rendering) */
	char *folded;		/* folded, blanks collapsed (matching) */
	int prefix;
	struct node *a, *b;
};

struct hark_query {
	struct node *root;
};

struct parser {
	const char *src, *p;
	struct hark_err *err;
	int failed;
};

static void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n->text);
	free(n->folded);
	free(n);
}

static struct node *
node_new(enum node_kind k, struct node *a, struct node *b)
{
	struct node *n = hark_xcalloc(1, sizeof(*n));

	n->kind = k;
	n->a = a;
	n->b = b;
	return n;
}

/* Fold S and collapse every run of blanks to one space, trimmed. */
static char *
fold(const char *s, size_t len)
{
	struct hark_buf f = HARK_BUF_INIT(HAY_MAX), o = HARK_BUF_INIT(HAY_MAX);
	size_t i;
	int space = 0;

	(void)hark_text_fold(s, len, &f);
	hark_buf_addstr(&o, "");
	for (i = 0; i < f.len; i++) {
		unsigned char c = (unsigned char)f.ptr[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			space = o.len > 0;
			continue;
		}
		if (space)
			hark_buf_addch(&o, ' ');
		space = 0;
		hark_buf_addch(&o, c);
	}
	hark_buf_release(&f);
	return hark_buf_detach(&o, NULL);
}

static int
perr(struct parser *ps, const char *at, const char *fmt, const char *arg)
{
	if (!ps->failed) {
		hark_err_setl(ps->err, 2, 1, (long)(at - ps->src) + 1, fmt,
		    arg);
		ps->failed = 1;
	}
	return -1;
}

static void
skip_blanks(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	    *ps->p == '\r')
		ps->p++;
}

/* Is the text at P the operator word OP (followed by a delimiter)? */
static int
at_op(const char *p, const char *op)
{
	size_t n = strlen(op);

	return strncmp(p, op, n) == 0 && (p[n] == '\0' || p[n] == ' ' ||
	    p[n] == '\t' || p[n] == '\n' || p[n] == '\r' || p[n] == '(' ||
	    p[n] == '"');
}

static struct node *parse_or(struct parser *ps);

static struct node *
parse_primary(struct parser *ps)
{
	struct node *n;
	const char *start;
	size_t len;

	skip_blanks(ps);
	start = ps->p;
	if (*ps->p == '(') {
		ps->p++;
		n = parse_or(ps);
		skip_blanks(ps);
		if (n == NULL)
			return NULL;
		if (*ps->p != ')') {
			node_free(n);
			perr(ps, start, "unbalanced '%s'", "(");
			return NULL;
		}
		ps->p++;
		return n;
	}
	if (*ps->p == '"') {
		const char *end = strchr(ps->p + 1, '"');

		if (end == NULL) {
			perr(ps, start, "unterminated %s", "\"phrase\"");
			return NULL;
		}
		len = (size_t)(end - ps->p - 1);
		n = node_new(N_PHRASE, NULL, NULL);
		n->text = hark_xstrndup(ps->p + 1, len);
		n->folded = fold(n->text, len);
		ps->p = end + 1;
		if (n->folded[0] == '\0') {
			node_free(n);
			perr(ps, start, "empty %s", "\"phrase\"");
			return NULL;
		}
		return n;
	}
	if (*ps->p == '\0' || *ps->p == ')') {
		perr(ps, start, "%s expected", "a word");
		return NULL;
	}
	len = strcspn(ps->p, " \t\r\n()\"");
	n = node_new(N_TERM, NULL, NULL);
	n->text = hark_xstrndup(ps->p, len);
	ps->p += len;
	if (strncasecmp(n->text, "author:", 7) == 0 ||
	    strncasecmp(n->text, "domain:", 7) == 0 ||
	    strncasecmp(n->text, "site:", 5) == 0 ||
	    strncasecmp(n->text, "lang:", 5) == 0) {
		char *v = strchr(n->text, ':') + 1;

		n->kind = N_FIELD;
		n->field = tolower((unsigned char)n->text[0]) == 'a' ? F_AUTHOR
		    : tolower((unsigned char)n->text[0]) == 'l' ? F_LANG :
		    F_DOMAIN;
		if (n->field == F_AUTHOR && *v == '@')
			v++;
		if (*v == '\0') {
			node_free(n);
			perr(ps, start, "'%s' needs a value", "field:");
			return NULL;
		}
		{
			char *val = hark_xstrdup(v);
			size_t i;

			for (i = 0; val[i] != '\0'; i++)
				val[i] = (char)tolower((unsigned char)val[i]);
			n->folded = val;
		}
		return n;
	}
	if (len > 1 && n->text[len - 1] == '*') {
		n->prefix = 1;
		n->folded = fold(n->text, len - 1);
	} else {
		n->folded = fold(n->text, len);
	}
	if (n->folded[0] == '\0') {
		/* punctuation only, e.g. "*" or "&": matches everything */
		n->kind = N_ALL;
	}
	return n;
}

static struct node *
parse_unary(struct parser *ps)
{
	struct node *n;

	skip_blanks(ps);
	if (at_op(ps->p, "NOT")) {
		ps->p += 3;
		n = parse_unary(ps);
		return n ? node_new(N_NOT, n, NULL) : NULL;
	}
	if (*ps->p == '-' && ps->p[1] != '\0' && ps->p[1] != ' ' &&
	    ps->p[1] != '\t') {
		ps->p++;
		n = parse_unary(ps);
		return n ? node_new(N_NOT, n, NULL) : NULL;
	}
	if (at_op(ps->p, "AND") || at_op(ps->p, "OR")) {
		perr(ps, ps->p, "operator '%s' without a left operand",
		    at_op(ps->p, "OR") ? "OR" : "AND");
		return NULL;
	}
	return parse_primary(ps);
}

static struct node *
parse_and(struct parser *ps)
{
	struct node *l = parse_unary(ps), *r;

	while (l != NULL) {
		const char *op;

		skip_blanks(ps);
		op = ps->p;
		if (*ps->p == '\0' || *ps->p == ')' || at_op(ps->p, "OR"))
			break;
		if (at_op(ps->p, "AND"))
			ps->p += 3;
		skip_blanks(ps);
		if (*ps->p == '\0' || *ps->p == ')') {
			node_free(l);
			perr(ps, op, "operator '%s' without a right operand",
			    "AND");
			return NULL;
		}
		if ((r = parse_unary(ps)) == NULL) {
			node_free(l);
			return NULL;
		}
		l = node_new(N_AND, l, r);
	}
	return l;
}

static struct node *
parse_or(struct parser *ps)
{
	struct node *l = parse_and(ps), *r;

	while (l != NULL) {
		const char *op;

		skip_blanks(ps);
		if (!at_op(ps->p, "OR"))
			break;
		op = ps->p;
		ps->p += 2;
		skip_blanks(ps);
		if (*ps->p == '\0' || *ps->p == ')') {
			node_free(l);
			perr(ps, op, "operator '%s' without a right operand",
			    "OR");
			return NULL;
		}
		if ((r = parse_and(ps)) == NULL) {
			node_free(l);
			return NULL;
		}
		l = node_new(N_OR, l, r);
	}
	return l;
}

struct hark_query *
hark_query_parse(const char *src, struct hark_err *err)
{
	struct parser ps = { src, src, err, 0 };
	struct hark_query *q = hark_xcalloc(1, sizeof(*q));

	skip_blanks(&ps);
	if (*ps.p == '\0')
		return q;
	q->root = parse_or(&ps);
	if (q->root != NULL) {
		skip_blanks(&ps);
		if (*ps.p != '\0') {
			perr(&ps, ps.p, "unbalanced '%s'", ")");
			node_free(q->root);
			q->root = NULL;
		}
	}
	if (q->root == NULL) {
		free(q);
		return NULL;
	}
	return q;
}

void
hark_query_free(struct hark_query *q)
{
	if (q == NULL)
		return;
	node_free(q->root);
	free(q);
}

int
hark_query_is_empty(const struct hark_query *q)
{
	return q == NULL || q->root == NULL;
}

struct target {
	char *hay;		/* folded title + text */
	json_t *rec;
};

static int
lower_eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

static int
match_field(const struct node *n, json_t *rec)
{
	const char *s;
	json_t *author;

	switch (n->field) {
	case F_AUTHOR:
		author = json_object_get(rec, "author");
		s = json_string_value(json_object_get(author, "handle"));
		if (s != NULL && *s == '@')
			s++;
		return lower_eq(s, n->folded) ||
		    lower_eq(json_string_value(json_object_get(author, "id")),
		    n->folded) ||
		    lower_eq(json_string_value(json_object_get(author,
		    "name")), n->folded);
	case F_DOMAIN: {
		const char *u = json_string_value(json_object_get(rec, "url"));
		const char *h;
		size_t hl, dl = strlen(n->folded);

		if (u == NULL || (h = strstr(u, "://")) == NULL)
			return 0;
		h += 3;
		hl = strcspn(h, "/?#:");
		if (memchr(h, '@', hl) != NULL) {	/* user@host */
			const char *at = memchr(h, '@', hl);

			hl -= (size_t)(at + 1 - h);
			h = at + 1;
		}
		if (hl < dl || strncasecmp(h + hl - dl, n->folded, dl) != 0)
			return 0;
		return hl == dl || h[hl - dl - 1] == '.';
	}
	case F_LANG:
		s = json_string_value(json_object_get(rec, "lang"));
		return s != NULL && strncasecmp(s, n->folded,
		    strlen(n->folded)) == 0 && (s[strlen(n->folded)] == '\0' ||
		    s[strlen(n->folded)] == '-' || s[strlen(n->folded)] == '_');
	default:
		return 0;
	}
}

static int
eval(const struct node *n, struct target *t)
{
	switch (n->kind) {
	case N_ALL:
		return 1;
	case N_TERM:
	case N_PHRASE:
		return hark_text_find_word(t->hay, strlen(t->hay), n->folded,
		    strlen(n->folded), n->prefix ? HARK_TEXT_PREFIX : 0) >= 0;
	case N_FIELD:
		return match_field(n, t->rec);
	case N_AND:
		return eval(n->a, t) && eval(n->b, t);
	case N_OR:
		return eval(n->a, t) || eval(n->b, t);
	case N_NOT:
		return !eval(n->a, t);
	}
	return 0;
}

int
hark_query_match(const struct hark_query *q, json_t *rec)
{
	struct hark_buf b = HARK_BUF_INIT(HAY_MAX);
	struct target t;
	const char *title, *text;
	int r;

	if (q == NULL || q->root == NULL)
		return 1;
	title = json_string_value(json_object_get(rec, "title"));
	text = json_string_value(json_object_get(rec, "text"));
	if (title != NULL)
		hark_buf_addstr(&b, title);
	hark_buf_addstr(&b, "\n");
	if (text != NULL)
		hark_buf_addstr(&b, text);
	t.hay = fold(hark_buf_str(&b), b.len);
	t.rec = rec;
	hark_buf_release(&b);
	r = eval(q->root, &t);
	free(t.hay);
	return r;
}

/*
 * Rendering.  render() returns 1 when it wrote something, 0 when the node
 * cannot be expressed (then the caller drops it, widening the search).
 * POS is 1 in a positive context, 0 under a NOT.
 */
static int render(const struct node *n, enum hark_query_style st,
    struct hark_buf *o, int *any);

static int
needs_quotes(const char *s)
{
	return strpbrk(s, " \t\"():") != NULL;
}

static int
render_leaf(const struct node *n, enum hark_query_style st,
    struct hark_buf *o)
{
	const char *v;

	if (n->kind == N_ALL)
		return 0;
	if (n->kind == N_FIELD) {
		if (st == HARK_QUERY_TERMS)
			return 0;
		v = strchr(n->text, ':') + 1;
		if (n->field == F_AUTHOR && *v == '@')
			v++;
		if (n->field == F_AUTHOR)
			hark_buf_addstr(o, st == HARK_QUERY_X ? "from:" :
			    "author:");
		else if (n->field == F_DOMAIN)
			hark_buf_addstr(o, st == HARK_QUERY_X ? "url:" :
			    "site:");
		else if (st == HARK_QUERY_X)
			hark_buf_addstr(o, "lang:");
		else
			return 0;
		hark_buf_addstr(o, v);
		return 1;
	}
	if (n->kind == N_PHRASE || needs_quotes(n->text)) {
		hark_buf_addch(o, '"');
		hark_buf_addstr(o, n->text);
		hark_buf_addch(o, '"');
		return 1;
	}
	if (n->prefix && st != HARK_QUERY_BOOLEAN) {
		/* X and the term APIs have no wildcard: the stem still
		 * finds the exact word; the local match does the rest */
		hark_buf_add(o, n->text, strlen(n->text) - 1);
		return 1;
	}
	hark_buf_addstr(o, n->text);
	return 1;
}

/* Render N into a fresh buffer; returns it (new) or NULL. */
static char *
render_sub(const struct node *n, enum hark_query_style st, int *any)
{
	struct hark_buf b = HARK_BUF_INIT(TERM_MAX * 16);

	if (!render(n, st, &b, any) || b.len == 0) {
		hark_buf_release(&b);
		return NULL;
	}
	return hark_buf_detach(&b, NULL);
}

static int
render(const struct node *n, enum hark_query_style st, struct hark_buf *o,
    int *any)
{
	char *a, *b;
	int wrote = 0;

	switch (n->kind) {
	case N_AND:
		a = render_sub(n->a, st, any);
		b = render_sub(n->b, st, any);
		if (a != NULL && b != NULL)
			hark_buf_addf(o, "%s%s%s", a,
			    st == HARK_QUERY_BOOLEAN ? " AND " : " ", b);
		else if (a != NULL || b != NULL)
			hark_buf_addstr(o, a ? a : b);
		wrote = a != NULL || b != NULL;
		free(a);
		free(b);
		return wrote;
	case N_OR:
		a = render_sub(n->a, st, any);
		b = render_sub(n->b, st, any);
		/* dropping one side of an OR would narrow: drop the OR */
		if (a != NULL && b != NULL) {
			if (st == HARK_QUERY_TERMS) {
				hark_buf_addf(o, "%s %s", a, b);
				if (any != NULL)
					*any = 1;
			} else {
				hark_buf_addf(o, "(%s OR %s)", a, b);
			}
			wrote = 1;
		}
		free(a);
		free(b);
		return wrote;
	case N_NOT:
		if (st == HARK_QUERY_TERMS)
			return 0;
		a = render_sub(n->a, st, NULL);
		if (a == NULL)
			return 0;
		if (n->a->kind == N_AND)	/* an OR brings its own () */
			hark_buf_addf(o, st == HARK_QUERY_X ? "-(%s)" :
			    "NOT (%s)", a);
		else
			hark_buf_addf(o, st == HARK_QUERY_X ? "-%s" :
			    "NOT %s", a);
		free(a);
		return 1;
	default:
		return render_leaf(n, st, o);
	}
}

int
hark_query_render(const struct hark_query *q, enum hark_query_style st,
    struct hark_buf *out, int *any)
{
	char *s;
	const char *p;

	if (any != NULL)
		*any = 0;
	if (q == NULL || q->root == NULL)
		return 0;
	s = render_sub(q->root, st, any);
	if (s == NULL)
		return 0;
	p = s;
	/* an outer pair of parentheses from a top-level OR is noise */
	if (q->root->kind == N_OR && st != HARK_QUERY_TERMS && s[0] == '(') {
		size_t n = strlen(s);

		if (hark_buf_add(out, s + 1, n - 2) < 0) {
			free(s);
			return -1;
		}
		free(s);
		return 0;
	}
	if (hark_buf_addstr(out, p) < 0) {
		free(s);
		return -1;
	}
	free(s);
	return 0;
}
