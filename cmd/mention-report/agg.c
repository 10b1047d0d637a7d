/* agg.c - mention records into the mergeable summary; reply matching. */
#include <ctype.h>
#include <math.h>
#include "mr.h"
#include "ndjson.h"
#include "thread.h"

const char *const mr_dim_names[MR_NDIM] = { "source", "sentiment",
	"category", "language" };

void
mr_ctx_init(struct mr_ctx *x, struct mr_opts *o)
{
	memset(x, 0, sizeof(*x));
	x->o = o;
	hark_intern_init(&x->strs);
	hark_intern_init(&x->terms);
	(void)hark_intern(&x->strs, "", 0);	/* group 0: all */
	mr_map_init(&x->cellix);
	mr_map_init(&x->idmap);
}

static void
cell_release(struct mr_cell *c)
{
	free(c->dv);
	free(c->tv);
	mr_map_release(&c->dvix);
	mr_map_release(&c->tvix);
	free(c->delays);
}

void
mr_ctx_release(struct mr_ctx *x)
{
	uint32_t i;

	for (i = 0; i < x->ncell; i++)
		cell_release(&x->cell[i]);
	free(x->cell);
	for (i = 0; i < x->nex; i++)
		if (x->ex[i].refs > 0) {
			free(x->ex[i].id);
			free(x->ex[i].url);
			free(x->ex[i].author);
			free(x->ex[i].words);
		}
	free(x->ex);
	free(x->exfree);
	free(x->msg);
	mr_map_release(&x->cellix);
	mr_map_release(&x->idmap);
	hark_intern_release(&x->strs);
	hark_intern_release(&x->terms);
}

static uint64_t
cell_key(int64_t period, uint32_t group)
{
	return ((uint64_t)period << 32) ^ group;
}

struct mr_cell *
mr_cell_find(const struct mr_ctx *x, int64_t period, uint32_t group)
{
	uint32_t i = mr_map_get(&x->cellix, cell_key(period, group));

	return i == MR_NONE ? NULL : &x->cell[i];
}

struct mr_cell *
mr_cell_get(struct mr_ctx *x, int64_t period, uint32_t group)
{
	uint32_t *slot = mr_map_put(&x->cellix, cell_key(period, group),
	    x->ncell);
	struct mr_cell *c;

	if (*slot != x->ncell)
		return &x->cell[*slot];
	if (x->ncell == x->capcell) {
		x->capcell = x->capcell ? x->capcell * 2 : 64;
		x->cell = hark_xrealloc(x->cell, x->capcell * sizeof(*x->cell));
	}
	c = &x->cell[x->ncell++];
	memset(c, 0, sizeof(*c));
	c->period = period;
	c->group = group;
	mr_map_init(&c->dvix);
	mr_map_init(&c->tvix);
	return c;
}

struct mr_dimval *
mr_dim_add(struct mr_ctx *x, struct mr_cell *c, uint32_t key, uint32_t count)
{
	uint32_t *slot = mr_map_put(&c->dvix, key, c->ndv);
	struct mr_dimval *d;

	(void)x;
	if (*slot == c->ndv) {
		if (c->ndv == c->capdv) {
			c->capdv = c->capdv ? c->capdv * 2 : 16;
			c->dv = hark_xrealloc(c->dv, c->capdv *
			    sizeof(*c->dv));
		}
		d = &c->dv[c->ndv++];
		d->key = key;
		d->count = 0;
		d->ex[0] = d->ex[1] = d->ex[2] = MR_NONE;
	}
	d = &c->dv[*slot];
	d->count += count;
	return d;
}

struct mr_term *
mr_term_add(struct mr_ctx *x, struct mr_cell *c, uint32_t term,
    uint32_t count)
{
	uint32_t *slot = mr_map_put(&c->tvix, term, c->ntv);
	struct mr_term *t;

	(void)x;
	if (*slot == c->ntv) {
		if (c->ntv == c->captv) {
			c->captv = c->captv ? c->captv * 2 : 64;
			c->tv = hark_xrealloc(c->tv, c->captv *
			    sizeof(*c->tv));
		}
		t = &c->tv[c->ntv++];
		t->term = term;
		t->count = 0;
		t->ex[0] = t->ex[1] = t->ex[2] = MR_NONE;
	}
	t = &c->tv[*slot];
	t->count += count;
	return t;
}

/* ---- examples ---- */

/* Whether A comes before B: higher reach, then earlier, then by id; with
 * NEG, the more negative score first. */
static int
before(const struct mr_ex *a, const struct mr_ex *b, int neg)
{
	int c;

	if (neg && a->score != b->score)
		return a->score < b->score;
	if (a->reach != b->reach)
		return a->reach > b->reach;
	if (a->ts != b->ts)
		return a->ts < b->ts;
	c = strcmp(a->id, b->id);
	return c < 0;
}

static uint32_t
ex_store(struct mr_ctx *x, const struct mr_ex *e)
{
	uint32_t i;
	struct mr_ex *d;

	if (x->nexfree > 0) {
		i = x->exfree[--x->nexfree];
	} else {
		if (x->nex == x->capex) {
			x->capex = x->capex ? x->capex * 2 : 256;
			x->ex = hark_xrealloc(x->ex, x->capex * sizeof(*x->ex));
		}
		i = x->nex++;
	}
	d = &x->ex[i];
	*d = *e;
	d->id = hark_xstrdup(e->id);
	d->url = e->url != NULL ? hark_xstrdup(e->url) : NULL;
	d->author = e->author != NULL ? hark_xstrdup(e->author) : NULL;
	d->words = hark_xstrdup(e->words != NULL ? e->words : "");
	d->refs = 0;
	return i;
}

static void
ex_unref(struct mr_ctx *x, uint32_t i)
{
	struct mr_ex *e;

	if (i == MR_NONE)
		return;
	e = &x->ex[i];
	if (--e->refs > 0)
		return;
	free(e->id);
	free(e->url);
	free(e->author);
	free(e->words);
	memset(e, 0, sizeof(*e));
	if (x->nexfree == x->capexfree) {
		x->capexfree = x->capexfree ? x->capexfree * 2 : 64;
		x->exfree = hark_xrealloc(x->exfree, x->capexfree *
		    sizeof(*x->exfree));
	}
	x->exfree[x->nexfree++] = i;
}

/* Insert E at position K of LIST (N used, room for CAP), dropping the
 * last one when full. */
static void
list_insert(struct mr_ctx *x, uint32_t *list, uint32_t *n, uint32_t cap,
    uint32_t k, const struct mr_ex *e, uint32_t *slot)
{
	uint32_t j;

	if (*slot == MR_NONE)
		*slot = ex_store(x, e);
	if (*n == cap) {
		ex_unref(x, list[cap - 1]);
		(*n)--;
	}
	for (j = *n; j > k; j--)
		list[j] = list[j - 1];
	list[k] = *slot;
	x->ex[*slot].refs++;
	(*n)++;
}

static void
offer(struct mr_ctx *x, uint32_t *list, uint32_t *n, uint32_t cap,
    const struct mr_ex *e, uint32_t *slot, int neg)
{
	uint32_t k;

	for (k = 0; k < *n; k++)
		if (before(e, &x->ex[list[k]], neg))
			break;
	if (k < cap)
		list_insert(x, list, n, cap, k, e, slot);
}

void
mr_examples_offer(struct mr_ctx *x, uint32_t *list, const struct mr_ex *e,
    uint32_t *slot)
{
	uint32_t n = 0;

	while (n < MR_NEX && list[n] != MR_NONE)
		n++;
	offer(x, list, &n, MR_NEX, e, slot, 0);
}

void
mr_top_offer(struct mr_ctx *x, uint32_t *list, uint32_t *n,
    const struct mr_ex *e, uint32_t *slot, int neg)
{
	if (neg && !(e->has_score && e->score < 0))
		return;
	offer(x, list, n, (uint32_t)x->o->ntop, e, slot, neg);
}

/* ---- records ---- */

static const char *
path_scalar(json_t *rec, const char *path, char *buf, size_t sz)
{
	json_t *v = hark_json_path(rec, path);
	const char *s = v != NULL ? hark_json_scalar(v, buf, sz) : NULL;

	return s != NULL && *s != '\0' ? s : NULL;
}

static uint64_t
path_hash(json_t *rec, const char *path)
{
	char buf[32];
	const char *s = path_scalar(rec, path, buf, sizeof(buf));

	return s != NULL ? hark_fnv1a64(s, strlen(s)) : 0;
}

static uint32_t
intern_s(struct mr_ctx *x, const char *s)
{
	return s != NULL ? hark_intern(&x->strs, s, strlen(s)) : MR_NONE;
}

/* A non-negative integer member, or -1. */
static double
count_of(json_t *rec, const char *path)
{
	json_t *v = hark_json_path(rec, path);

	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return (double)json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) >= 0)
		return floor(json_real_value(v));
	return -1;
}

/* The first words of TEXT, at most about 90 bytes, into BUF. */
static const char *
first_words(const char *text, char *buf, size_t sz)
{
	size_t n = 0, cut = 0, i;

	for (i = 0; text[i] != '\0' && n + 4 < sz; i++) {
		char ch = text[i] == '\n' || text[i] == '\t' ? ' ' : text[i];

		if (ch == ' ' && n > 0 && buf[n - 1] != ' ')
			cut = n;
		if (ch == ' ' && (n == 0 || buf[n - 1] == ' '))
			continue;
		if (n >= 90 && ((unsigned char)ch & 0xC0) != 0x80)
			break;
		buf[n++] = ch;
	}
	/* Cut at the last word boundary; the loop stops only before a
	 * lead byte, so a cut without one is still whole UTF-8. */
	if (text[i] != '\0') {
		n = cut > 0 ? cut : n;
		memcpy(buf + n, "\xE2\x80\xA6", 3);	/* ... */
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static int
parse_time(json_t *rec, int64_t *out, struct hark_err *err)
{
	static const char *const names[] = { "created_at", "ts", NULL };
	const char *const *nm;
	json_t *v = NULL;
	char clean[80];

	for (nm = names; *nm != NULL; nm++)
		if ((v = json_object_get(rec, *nm)) != NULL &&
		    !json_is_null(v))
			break;
	if (*nm == NULL)
		return hark_err_set(err, HARK_EXIT_DATA, "no time: expected "
		    "'created_at'");
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v) && isfinite(json_real_value(v)) &&
	    fabs(json_real_value(v)) < 1e13) {
		*out = (int64_t)floor(json_real_value(v));
		return 0;
	}
	if (!json_is_string(v))
		return hark_err_set(err, HARK_EXIT_DATA, "%s: expected a "
		    "time string or epoch seconds", *nm);
	if (hark_time_parse_any(json_string_value(v), out, NULL) != 0)
		return hark_err_set(err, HARK_EXIT_DATA, "%s: invalid time "
		    "'%s'", *nm, hark_sanitize(clean, sizeof(clean),
		    json_string_value(v), strlen(json_string_value(v))));
	return 0;
}

void
mr_msg_add(struct mr_ctx *x, const struct mr_msg *m)
{
	if (x->nmsg == x->capmsg) {
		x->capmsg = x->capmsg ? x->capmsg * 2 : 4096;
		x->msg = hark_xrealloc(x->msg, x->capmsg * sizeof(*x->msg));
	}
	x->msg[x->nmsg++] = *m;
}

/* The language: sentiment.lang (the lexicon's), else lang's primary
 * subtag, lower-cased. */
static const char *
language(json_t *rec, char *buf, size_t sz)
{
	const char *s = hark_json_path_str(rec, "sentiment.lang");
	size_t i;

	if (s == NULL || *s == '\0')
		s = json_string_value(json_object_get(rec, "lang"));
	if (s == NULL || *s == '\0')
		return NULL;
	for (i = 0; s[i] != '\0' && s[i] != '-' && s[i] != '_' &&
	    i + 1 < sz; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[i] = '\0';
	return buf;
}

int
mr_add(struct mr_ctx *x, json_t *rec, struct hark_err *err)
{
	const struct mr_opts *o = x->o;
	enum hark_thread_kind kind = hark_thread_mention_kind(rec);
	struct mr_msg m;
	struct mr_cell *cells[2];
	struct mr_ex e;
	char idbuf[32], buf[64], lbuf[16], words[128], gkey[1024];
	const char *id, *val[MR_NDIM], *text, *title, *lang;
	uint32_t terms[256], slot = MR_NONE, vid[MR_NDIM];
	size_t nterms, i, k;
	double followers, views;
	long left = 0;
	int64_t ts, period;
	int nc, d;
	json_t *sc;

	if ((id = path_scalar(rec, "id", idbuf, sizeof(idbuf))) == NULL)
		return hark_err_set(err, HARK_EXIT_DATA, "record has no 'id'");
	if (parse_time(rec, &ts, err) != 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.id = hark_fnv1a64(id, strlen(id));
	m.ts = ts;
	m.answer = HARK_TIME_NEVER;
	m.cell[0] = m.cell[1] = MR_NONE;
	m.parent = path_hash(rec, "thread.parent_id");
	m.root = path_hash(rec, "thread.root_id");
	if (m.root == 0)
		m.root = m.parent != 0 ? m.parent : m.id;
	if ((m.author = path_hash(rec, "author.id")) == 0)
		m.author = path_hash(rec, "author.handle");
	m.parent_author = path_hash(rec, "thread.in_reply_to_author_id");
	if (kind != HARK_THREAD_CUSTOMER) {
		/* Brand messages are not mentions; public, human replies
		 * answer them (lib/thread.h). */
		if (kind == HARK_THREAD_REPLY) {
			m.reply = 1;
			mr_msg_add(x, &m);
		} else {
			x->skipped_brand++;
		}
		return 0;
	}
	period = mr_period_of(o, ts);
	if (o->complete && mr_period_start(o, mr_period_next(o, period)) >
	    o->now) {
		x->incomplete++;
		return 0;
	}
	x->mentions++;
	nc = 0;
	cells[nc++] = mr_cell_get(x, period, 0);
	if (o->nby > 0) {
		size_t gl = 0;

		for (i = 0; i < (size_t)o->nby; i++) {
			const char *v = path_scalar(rec, o->by[i], buf,
			    sizeof(buf));
			size_t vl = v != NULL ? strlen(v) : 0;

			if (i > 0 && gl < sizeof(gkey))
				gkey[gl++] = '\x1f';
			if (v == NULL) {
				v = "\x1e";
				vl = 1;
			}
			if (gl + vl >= sizeof(gkey))
				vl = sizeof(gkey) - 1 - gl;
			memcpy(gkey + gl, v, vl);
			gl += vl;
		}
		cells[nc++] = mr_cell_get(x, period, hark_intern(&x->strs,
		    gkey, gl));
	}
	m.cell[0] = (uint32_t)(cells[0] - x->cell);
	m.cell[1] = nc > 1 ? (uint32_t)(cells[1] - x->cell) : MR_NONE;
	mr_msg_add(x, &m);

	val[MR_D_SOURCE] = json_string_value(json_object_get(rec, "source"));
	val[MR_D_SENTIMENT] = hark_json_path_str(rec, "sentiment.label");
	val[MR_D_CATEGORY] = hark_json_path_str(rec, "route.category");
	if (val[MR_D_CATEGORY] == NULL)
		val[MR_D_CATEGORY] = json_string_value(json_object_get(rec,
		    "category"));
	val[MR_D_LANGUAGE] = language(rec, lbuf, sizeof(lbuf));
	for (d = 0; d < MR_NDIM; d++)
		vid[d] = val[d] != NULL && *val[d] != '\0' &&
		    strlen(val[d]) < 200 ? intern_s(x, val[d]) : MR_NONE;

	memset(&e, 0, sizeof(e));
	e.id = (char *)id;
	e.ts = ts;
	followers = count_of(rec, "author.followers");
	views = count_of(rec, "metrics.views");
	e.reach = (followers > 0 ? followers : 0) + (views > 0 ? views : 0);
	sc = hark_json_path(rec, "sentiment.score");
	e.has_score = json_is_number(sc);
	e.score = e.has_score ? json_number_value(sc) : 0;
	e.url = (char *)json_string_value(json_object_get(rec, "url"));
	e.author = (char *)hark_json_path_str(rec, "author.handle");
	if (e.author == NULL)
		e.author = (char *)hark_json_path_str(rec, "author.name");
	text = json_string_value(json_object_get(rec, "text"));
	title = json_string_value(json_object_get(rec, "title"));
	e.words = (char *)first_words(text != NULL && *text != '\0' ? text :
	    title != NULL ? title : "", words, sizeof(words));
	e.source = vid[MR_D_SOURCE];
	e.sentiment = vid[MR_D_SENTIMENT];
	e.category = vid[MR_D_CATEGORY];

	lang = val[MR_D_LANGUAGE];
	nterms = 0;
	if (title != NULL && *title != '\0')
		nterms = mr_terms(x, title, strlen(title), lang, terms,
		    HARK_ARRAY_SIZE(terms), &left);
	if (text != NULL && *text != '\0') {
		uint32_t more[256];
		size_t nm = mr_terms(x, text, strlen(text), lang, more,
		    HARK_ARRAY_SIZE(more), &left), j;

		for (j = 0; j < nm; j++) {
			for (k = 0; k < nterms && terms[k] != more[j]; k++)
				;
			if (k == nterms && nterms < HARK_ARRAY_SIZE(terms))
				terms[nterms++] = more[j];
		}
	}

	for (k = 0; k < (size_t)nc; k++) {
		struct mr_cell *c = cells[k];

		c->n++;
		if (val[MR_D_SENTIMENT] != NULL &&
		    strcmp(val[MR_D_SENTIMENT], "negative") == 0)
			c->negative++;
		if (followers >= 0 || views >= 0) {
			c->reach += e.reach;
			c->reach_n++;
		}
		for (d = 0; d < MR_NDIM; d++) {
			struct mr_dimval *dv;

			if (vid[d] == MR_NONE)
				continue;
			dv = mr_dim_add(x, c, (uint32_t)d << 28 | vid[d], 1);
			if (d == MR_D_CATEGORY)
				mr_examples_offer(x, dv->ex, &e, &slot);
		}
		c->terms_left_out += left;
		for (i = 0; i < nterms; i++) {
			struct mr_term *t = mr_term_add(x, c, terms[i], 1);

			mr_examples_offer(x, t->ex, &e, &slot);
		}
		mr_top_offer(x, c->top_reach, &c->ntop_reach, &e, &slot, 0);
		mr_top_offer(x, c->top_neg, &c->ntop_neg, &e, &slot, 1);
	}
	return 0;
}

/* ---- answers ---- */

static struct mr_msg *sort_msg;

static int
cmp_thread(const void *a, const void *b)
{
	const struct mr_msg *x = &sort_msg[*(const uint32_t *)a];
	const struct mr_msg *y = &sort_msg[*(const uint32_t *)b];

	if (x->root != y->root)
		return x->root < y->root ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->reply != y->reply)
		return x->reply < y->reply ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* Who a customer message is from: its author, else itself. */
static uint64_t
ident(const struct mr_msg *m)
{
	return m->author != 0 ? m->author : m->id;
}

static uint64_t
conv_key(uint64_t root, uint64_t author)
{
	return root * 0x9E3779B97F4A7C15ull ^ author;
}

static void
add_delay(struct mr_cell *c, int64_t d)
{
	if (c->ndelays == c->capdelays) {
		c->capdelays = c->capdelays ? c->capdelays * 2 : 16;
		c->delays = hark_xrealloc(c->delays, (size_t)c->capdelays *
		    sizeof(*c->delays));
	}
	c->delays[c->ndelays++] = d;
	c->answered++;
}

void
mr_answers(struct mr_ctx *x)
{
	uint32_t *ord, *pos, *next, i, j;
	uint64_t *target;
	struct mr_map pend;	/* conv_key -> head of the pending chain */
	size_t a, b, n = x->nmsg;

	if (x->answered_done)
		return;
	x->answered_done = 1;
	ord = hark_xmalloc((n + 1) * sizeof(*ord));
	pos = hark_xmalloc((n + 1) * sizeof(*pos));
	next = hark_xmalloc((n + 1) * sizeof(*next));
	target = hark_xcalloc(n + 1, sizeof(*target));
	for (i = 0; i < n; i++)
		ord[i] = i;
	sort_msg = x->msg;
	if (n > 1)
		qsort(ord, n, sizeof(*ord), cmp_thread);
	for (i = 0; i < n; i++) {
		pos[ord[i]] = i;
		(void)mr_map_put(&x->idmap, x->msg[ord[i]].id, ord[i]);
	}
	mr_map_init(&pend);
	for (a = 0; a < n; a = b) {
		uint64_t root = x->msg[ord[a]].root, owner = 0;

		for (b = a; b < n && x->msg[ord[b]].root == root; b++) {
			struct mr_msg *m = &x->msg[ord[b]];
			uint32_t *head, p, k;
			uint64_t who = 0;
			int pk, ak;

			if (!m->reply) {
				if (owner == 0)
					owner = ident(m);
				head = mr_map_put(&pend, conv_key(root,
				    ident(m)), n);
				next[ord[b]] = *head;
				*head = ord[b];
				continue;
			}
			p = m->parent != 0 ? mr_map_get(&x->idmap, m->parent) :
			    MR_NONE;
			pk = p != MR_NONE && pos[p] < b &&
			    x->msg[p].root == root;
			ak = p == MR_NONE && m->parent_author != 0 &&
			    mr_map_get(&pend, conv_key(root,
			    m->parent_author)) != MR_NONE;
			switch (hark_thread_reply_target(pk, ak)) {
			case HARK_THREAD_TO_PARENT:
				who = x->msg[p].reply ? target[p] :
				    ident(&x->msg[p]);
				break;
			case HARK_THREAD_TO_AUTHOR:
				who = m->parent_author;
				break;
			case HARK_THREAD_TO_OWNER:
				who = owner;
				break;
			}
			target[ord[b]] = who;
			if (who == 0)
				continue;
			head = mr_map_put(&pend, conv_key(root, who), n);
			for (k = *head; k != n; k = next[k])
				if (x->msg[k].answer == HARK_TIME_NEVER)
					x->msg[k].answer = m->ts;
			*head = (uint32_t)n;
		}
	}
	mr_map_release(&pend);
	for (i = 0; i < n; i++) {
		const struct mr_msg *m = &x->msg[i];

		if (m->reply || m->answer == HARK_TIME_NEVER)
			continue;
		for (j = 0; j < 2; j++)
			if (m->cell[j] != MR_NONE)
				add_delay(&x->cell[m->cell[j]], m->answer -
				    m->ts);
	}
	free(ord);
	free(pos);
	free(next);
	free(target);
}

int64_t
mr_ex_answer(const struct mr_ctx *x, uint32_t e)
{
	const char *id = x->ex[e].id;
	uint32_t i = mr_map_get(&x->idmap, hark_fnv1a64(id, strlen(id)));

	return i == MR_NONE ? HARK_TIME_NEVER : x->msg[i].answer;
}
