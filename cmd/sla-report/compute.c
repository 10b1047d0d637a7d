/* compute.c - per-conversation clocks: first response, every next
 * response, resolution; pauses, reopen, record due times. */
#include <ctype.h>
#include <strings.h>
#include "sr.h"
#include "thread.h"

const char *const sr_status_names[6] = {
	"none", "achieved", "breached", "active", "active_breached", "stopped"
};

static const char *const fallback_pause[] = { "pending", "on_hold",
	"waiting_for_customer", NULL };

struct spans {
	struct hark_sla_span *v;
	size_t n, cap;
};

static void
span_add(struct spans *s, int64_t from, int64_t to)
{
	if (to != HARK_TIME_NEVER && to <= from)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = hark_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n].from = from;
	s->v[s->n].to = to;
	s->n++;
}

/*
 * Order within one second, so that the input's line order does not
 * matter: a message before its replies, then the customer's side before
 * the brand's, status changes and resolutions last.
 */
static int
kind_rank(int kind)
{
	switch (kind) {
	case SR_CREATED: return 0;
	case SR_CUSTOMER: return 1;
	case SR_REPLY: case SR_NOTE: case SR_AUTO: return 2;
	case SR_STATUS: case SR_REOPENED: return 3;
	case SR_RESOLVED: return 4;
	default: return 5;
	}
}

static int
cmp_event(const void *a, const void *b)
{
	const struct sr_event *x = a, *y = b;
	int rx, ry;

	if (x->conv != y->conv)
		return x->conv < y->conv ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	rx = kind_rank(x->kind);
	ry = kind_rank(y->kind);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
brand_side(int kind)
{
	return kind == SR_REPLY || kind == SR_AUTO || kind == SR_NOTE;
}

/* Index of the first event with each message id (SR_NONE: none). */
static uint32_t *
index_ids(const struct sr_store *st)
{
	uint32_t *by_id, i;

	by_id = hark_xmalloc((st->strs.n + 1) * sizeof(*by_id));
	for (i = 0; i <= st->strs.n; i++)
		by_id[i] = SR_NONE;
	for (i = 0; i < st->n; i++)
		if (st->ev[i].id != SR_NONE && by_id[st->ev[i].id] == SR_NONE)
			by_id[st->ev[i].id] = i;
	return by_id;
}

/* Reply depth of every message: how many of its ancestors are in the
 * input (bounded; a cycle stops the count). */
static void
set_depths(struct sr_store *st, const uint32_t *by_id)
{
	uint32_t *done, i, j, k, n, *path = NULL;
	size_t cap = 0;

	done = hark_xcalloc(st->n + 1, sizeof(*done));	/* depth + 1 */
	for (i = 0; i < st->n; i++) {
		n = 0;
		for (j = i; j != SR_NONE && done[j] == 0 && n < 65535; n++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				path = hark_xrealloc(path, cap * sizeof(*path));
			}
			path[n] = j;
			done[j] = UINT32_MAX;	/* on the path: a cycle */
			j = st->ev[j].parent != SR_NONE ?
			    by_id[st->ev[j].parent] : SR_NONE;
		}
		k = j != SR_NONE && done[j] != UINT32_MAX ? done[j] : 0;
		while (n-- > 0) {
			k = k < 65535 ? k + 1 : k;
			done[path[n]] = k;
		}
	}
	for (i = 0; i < st->n; i++)
		st->ev[i].depth = (uint16_t)(done[i] - 1);
	free(done);
	free(path);
}

/*
 * A thread's messages belong to the customers who wrote them: the first
 * customer (by time) owns the thread's conversation, under the thread's
 * key; another customer whose first message answers a message (a joiner)
 * opens a conversation of their own, keyed by that message's id.  A brand
 * message goes to the conversation of the message it answers (its parent,
 * else the customer named by in_reply_to_author_id, else the owner's).
 * Also sets every customer message's origin.  ST must be sorted by
 * cmp_event; it is re-sorted here.
 */
static void
assign_owners(struct sr_store *st)
{
	uint32_t *by_id, *conv_of, *newconv, *touched, i, nt;
	unsigned char *brand_author;
	size_t a, b;

	by_id = index_ids(st);
	conv_of = hark_xmalloc((st->strs.n + 1) * sizeof(*conv_of));
	brand_author = hark_xcalloc(st->strs.n + 1, 1);
	for (i = 0; i <= st->strs.n; i++)
		conv_of[i] = SR_NONE;
	for (i = 0; i < st->n; i++)
		if (brand_side(st->ev[i].kind) && st->ev[i].author != SR_NONE)
			brand_author[st->ev[i].author] = 1;
	newconv = hark_xmalloc((st->n + 1) * sizeof(*newconv));
	touched = hark_xmalloc((st->n + 1) * sizeof(*touched));
	for (a = 0; a < st->n; a = b) {
		uint32_t key = st->ev[a].conv;
		int owned = 0;

		for (b = a + 1; b < st->n && st->ev[b].conv == key; b++)
			;
		nt = 0;
		for (i = (uint32_t)a; i < b; i++) {
			struct sr_event *e = &st->ev[i];
			uint32_t par = e->parent != SR_NONE ? by_id[e->parent] :
			    SR_NONE;

			newconv[i] = key;
			if (e->id == SR_NONE)
				continue;	/* an event record */
			if (brand_side(e->kind)) {
				switch (hark_thread_reply_target(par !=
				    SR_NONE && par < i && st->ev[par].conv ==
				    key, par == SR_NONE && e->parent_author !=
				    SR_NONE && conv_of[e->parent_author] !=
				    SR_NONE)) {
				case HARK_THREAD_TO_PARENT:
					newconv[i] = newconv[par];
					break;
				case HARK_THREAD_TO_AUTHOR:
					newconv[i] = conv_of[e->parent_author];
					break;
				case HARK_THREAD_TO_OWNER:
					break;
				}
				continue;
			}
			if (e->parent == SR_NONE)
				e->origin = SR_ORIGIN_START;
			else if (par != SR_NONE)
				e->origin = brand_side(st->ev[par].kind) ?
				    SR_ORIGIN_BRAND : SR_ORIGIN_CUSTOMER;
			else if (e->parent_author == SR_NONE)
				e->origin = SR_ORIGIN_MISSING;
			else	/* decided by the brand accounts of the whole
				 * input (a partial leaves it to the merge) */
				e->origin = (brand_author[e->parent_author] ?
				    SR_ORIGIN_BRAND : SR_ORIGIN_MISSING) |
				    SR_ORIGIN_BY_AUTHOR;
			if (e->author == SR_NONE)
				continue;
			if (conv_of[e->author] == SR_NONE) {
				/* A joiner that answers nobody in particular
				 * stays in the owner's conversation. */
				conv_of[e->author] = owned &&
				    e->parent != SR_NONE ? e->id : key;
				owned = 1;
				touched[nt++] = e->author;
			}
			newconv[i] = conv_of[e->author];
		}
		while (nt > 0)
			conv_of[touched[--nt]] = SR_NONE;
	}
	for (i = 0; i < st->n; i++)
		st->ev[i].conv = newconv[i];
	if (st->n > 1)
		qsort(st->ev, st->n, sizeof(*st->ev), cmp_event);
	free(touched);
	free(newconv);
	free(brand_author);
	free(conv_of);
	free(by_id);
}

const struct sr_due *
sr_find_due(const struct sr_store *st, uint32_t seq)
{
	size_t lo = 0, hi = st->ndues, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->dues[mid].ev == seq)
			return &st->dues[mid];
		if (st->dues[mid].ev < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Conversation key of every event: follow reply chains to the root. */
static void
resolve_convs(struct sr_store *st)
{
	uint32_t *by_id, i, j, k, steps;
	size_t n = st->n;

	by_id = index_ids(st);
	set_depths(st, by_id);
	for (i = 0; i < n; i++) {
		if (st->ev[i].conv != SR_NONE)
			continue;
		j = i;
		k = SR_NONE;
		for (steps = 0; steps < 100000; steps++) {
			struct sr_event *e = &st->ev[j];
			uint32_t nj;

			if (e->conv != SR_NONE) {
				k = e->conv;
				break;
			}
			nj = e->parent != SR_NONE ? by_id[e->parent] : SR_NONE;
			if (nj == SR_NONE) {
				/* dangling reference: the missing parent
				 * names the conversation */
				k = e->parent != SR_NONE ? e->parent : e->id;
				break;
			}
			j = nj;
		}
		if (k == SR_NONE)
			k = st->ev[i].id;	/* a cycle */
		/* path compression */
		j = i;
		for (steps = 0; steps < 100000 && st->ev[j].conv == SR_NONE;
		    steps++) {
			uint32_t nj = st->ev[j].parent != SR_NONE ?
			    by_id[st->ev[j].parent] : SR_NONE;

			st->ev[j].conv = k;
			if (nj == SR_NONE)
				break;
			j = nj;
		}
	}
	free(by_id);
}

static int
pauses(const struct hark_sla_policy *p, const char *status)
{
	int i;

	if (p != NULL)
		return hark_sla_is_pause(p, status);
	for (i = 0; fallback_pause[i] != NULL; i++)
		if (strcasecmp(fallback_pause[i], status) == 0)
			return 1;
	return 0;
}

static int
status_is(const char *s, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcasecmp(s, *names) == 0)
			return 1;
	return 0;
}

static const char *const resolved_words[] = { "resolved", "solved",
	"closed", NULL };
static const char *const open_words[] = { "open", "reopened", "new", NULL };

/* Fill M: START, END (NEVER while active), DUE. STOPS apply unless
 * first response. */
static void
measure(struct sr_metric *m, const struct hark_sla_policy *p,
    enum hark_sla_metric which, int64_t start, int64_t end, int64_t due,
    const struct spans *stops, int64_t now, int64_t stopped)
{
	int64_t stop = end != HARK_TIME_NEVER ? end : HARK_MAX(now, start);
	const struct hark_sla_span *sv = NULL;
	size_t sn = 0;
	struct hark_calendar *cal = p != NULL ? p->cal : NULL;

	if (which != HARK_SLA_FIRST_RESPONSE && stops != NULL) {
		sv = stops->v;
		sn = stops->n;
	}
	m->present = 1;
	m->start = start;
	m->end = end;
	m->due = due;
	/* Pauses that begin after the clock stopped change nothing. */
	while (sn > 0 && end != HARK_TIME_NEVER && sv[sn - 1].from >= end)
		sn--;
	m->elapsed = hark_sla_clock_elapsed(NULL, start, stop, sv, sn);
	m->business = cal != NULL && !cal->always ?
	    hark_sla_clock_elapsed(cal, start, stop, sv, sn) : m->elapsed;
	m->clock = p != NULL && p->target[which].business ? m->business :
	    m->elapsed;
	if (due == HARK_TIME_NEVER && (p == NULL ||
	    p->target[which].seconds < 0))
		m->status = SR_ST_NONE;
	else if (due == HARK_TIME_NEVER)	/* paused with no end yet */
		m->status = end != HARK_TIME_NEVER ? SR_ST_ACHIEVED :
		    SR_ST_ACTIVE;
	else if (end != HARK_TIME_NEVER)
		m->status = end <= due ? SR_ST_ACHIEVED : SR_ST_BREACHED;
	else
		m->status = now > due ? SR_ST_ACTIVE_BREACHED : SR_ST_ACTIVE;
	if (stopped != HARK_TIME_NEVER && end == stopped)
		m->status = SR_ST_STOPPED;
}

static int64_t
due_of(const struct hark_sla_policy *p, enum hark_sla_metric which,
    int64_t start, int64_t end, const struct spans *stops,
    const struct sr_due *rd)
{
	size_t n = stops->n;

	while (n > 0 && end != HARK_TIME_NEVER && stops->v[n - 1].from >= end)
		n--;
	if (rd != NULL && rd->due[which] != HARK_TIME_NEVER &&
	    (which == HARK_SLA_FIRST_RESPONSE || n == 0))
		return rd->due[which];
	if (p == NULL)
		return HARK_TIME_NEVER;
	return hark_sla_due(p, which, start, stops->v, n);
}

/* A customer's message or the event that opened the conversation. */
static int
customer_side(int kind)
{
	return kind == SR_CUSTOMER || kind == SR_CREATED;
}

struct nrt_pending {
	int64_t since;
	uint32_t seq;
};

/* Whether the report groups by brand (the mentioned brand counts). */
static int
by_brand(const struct sr_opts *o)
{
	int i;

	for (i = 0; i < o->nby; i++)
		if (o->by[i] == SR_F_BRAND)
			return 1;
	return 0;
}

void
sr_compute_one(struct sr_ctx *x, struct sr_conv *c, struct sr_event *ev,
    size_t n, const uint32_t *brand_of)
{
	const struct sr_store *st = &x->st;
	const struct hark_sla_policy *p = NULL;
	const struct sr_due *rd_start = NULL;
	struct spans stops = { NULL, 0, 0 };
	int64_t now = x->o->now, start = HARK_TIME_NEVER;
	int64_t paused = HARK_TIME_NEVER, resolved = HARK_TIME_NEVER;
	int64_t frt_end = HARK_TIME_NEVER, stop = HARK_TIME_NEVER;
	uint32_t mention = SR_NONE, first_agent = SR_NONE, agent = SR_NONE;
	uint32_t opener = SR_NONE, channel = SR_NONE;
	uint32_t other[SR_NFIELDS], cother[SR_MAXCUSTOM];
	struct { int64_t since, end; uint32_t seq; } *nr = NULL;
	size_t nnr = 0, i, k;
	int f, answered = 0, waiting = 0, brand_reply = 0, aside = 0;
	int unknown = 0;	/* @handles passed over: no brand here */

	c->key = ev[0].conv;
	c->customer = SR_NONE;
	c->policy_name = SR_NONE;
	for (f = 0; f < SR_NFIELDS; f++)
		c->f[f] = SR_NONE;
	for (f = 0; f < SR_MAXCUSTOM; f++)
		c->cf[f] = SR_NONE;
	/*
	 * Grouping fields describe the customer's issue: the first customer
	 * message (or created event) that has a field sets it, later ones
	 * only fill a field still unset.  Brand replies never count (ticket-
	 * route files a brand's own post as other/low); other events (status
	 * changes of a helpdesk export) fill what customers left unset, the
	 * last value winning.  The channel is the thread's platform: as a
	 * last resort a brand post names it.
	 */
	for (i = 0; i < n; i++) {
		if (!customer_side(ev[i].kind))
			continue;
		if (opener == SR_NONE)
			opener = (uint32_t)i;
		for (f = 0; f < SR_NFIELDS; f++)
			if (c->f[f] == SR_NONE && f != SR_F_BRAND &&
			    f != SR_F_AGENT)
				c->f[f] = ev[i].f[f];
		for (f = 0; f < SR_MAXCUSTOM; f++)
			if (c->cf[f] == SR_NONE)
				c->cf[f] = ev[i].cf[f];
	}
	if (opener != SR_NONE)
		c->customer = ev[opener].handle;
	memcpy(other, c->f, sizeof(other));
	memcpy(cother, c->cf, sizeof(cother));
	for (i = 0; i < n; i++) {
		int brandside = ev[i].kind == SR_REPLY ||
		    ev[i].kind == SR_AUTO || ev[i].kind == SR_NOTE;

		if (!brandside && !customer_side(ev[i].kind)) {
			for (f = 0; f < SR_NFIELDS; f++)
				if (c->f[f] == SR_NONE && ev[i].f[f] != SR_NONE)
					other[f] = ev[i].f[f];
			for (f = 0; f < SR_MAXCUSTOM; f++)
				if (c->cf[f] == SR_NONE && ev[i].cf[f] != SR_NONE)
					cother[f] = ev[i].cf[f];
		}
		if (brandside && c->f[SR_F_CHANNEL] == SR_NONE &&
		    channel == SR_NONE)
			channel = ev[i].f[SR_F_CHANNEL];
		/* The agent: the first replier's, else the last named. */
		if (ev[i].f[SR_F_AGENT] != SR_NONE)
			agent = ev[i].f[SR_F_AGENT];
		if (ev[i].kind == SR_REPLY && ev[i].f[SR_F_AGENT] != SR_NONE &&
		    first_agent == SR_NONE)
			first_agent = ev[i].f[SR_F_AGENT];
		if (ev[i].f[SR_F_BRAND] != SR_NONE && (c->f[SR_F_BRAND] ==
		    SR_NONE || (!brand_reply && ev[i].kind == SR_REPLY))) {
			c->f[SR_F_BRAND] = ev[i].f[SR_F_BRAND];
			brand_reply = ev[i].kind == SR_REPLY;
		}
		if (p == NULL && ev[i].policy != 0)
			p = &x->set.pol[ev[i].policy - 1];
	}
	for (f = 0; f < SR_NFIELDS; f++)
		if (f != SR_F_BRAND && f != SR_F_AGENT)
			c->f[f] = other[f];
	memcpy(c->cf, cother, sizeof(cother));
	if (c->f[SR_F_CHANNEL] == SR_NONE)
		c->f[SR_F_CHANNEL] = channel;
	/* The agent who answered first owns the conversation's figures;
	 * else the last one assigned. */
	c->f[SR_F_AGENT] = first_agent != SR_NONE ? first_agent : agent;
	/*
	 * A conversation whose customer first answered a brand message
	 * (a brand post, or a reply to someone else) is started by the
	 * brand: no first response, next responses only.  One whose
	 * customer first answered a message that is not in the input is a
	 * fragment: where it began is unknown, so it is left out.
	 */
	c->brand_started = brand_side(ev[0].kind) || (opener != SR_NONE &&
	    SR_ORIGIN(ev[opener].origin) == SR_ORIGIN_BRAND);
	if (opener != SR_NONE && SR_ORIGIN(ev[opener].origin) ==
	    SR_ORIGIN_MISSING && !c->brand_started) {
		c->fragment = 1;
		c->excluded = 1;
	}
	for (i = 0; i < n; i++) {
		struct sr_event *e = &ev[i];
		int kind = e->kind;

		if (kind == SR_STATUS) {
			const char *s = sr_str(&st->strs, e->status);

			if (status_is(s, resolved_words))
				kind = SR_RESOLVED;
			else if (resolved != HARK_TIME_NEVER &&
			    status_is(s, open_words))
				kind = SR_REOPENED;
		}
		if (stop != HARK_TIME_NEVER)
			break;	/* merged or spam: every clock stopped */
		if (start == HARK_TIME_NEVER)
			start = e->ts;
		/* Record due times of the conversation: those of the
		 * customer message that opened it (never a reply's). */
		if (i == opener && !c->brand_started && !answered &&
		    e->has_due)
			rd_start = sr_find_due(st, e->seq);
		switch (kind) {
		case SR_CREATED:
			break;
		case SR_CUSTOMER:
			/* The brand: the first @handle of a customer's text
			 * that is a brand seen in the input. */
			for (k = 0; mention == SR_NONE && k < e->nmention; k++)
				if (brand_of[st->mentions[e->mention + k]] !=
				    SR_NONE)
					mention = brand_of[st->mentions[
					    e->mention + k]];
				else
					unknown++;	/* a brand elsewhere? */
			if (resolved != HARK_TIME_NEVER) {
				span_add(&stops, resolved, e->ts);
				resolved = HARK_TIME_NEVER;
			}
			if (paused != HARK_TIME_NEVER) {
				span_add(&stops, paused, e->ts);
				paused = HARK_TIME_NEVER;
			}
			if ((answered || c->brand_started) && !waiting) {
				nr = hark_xrealloc(nr, (nnr + 1) *
				    sizeof(*nr));
				nr[nnr].since = e->ts;
				nr[nnr].end = HARK_TIME_NEVER;
				nr[nnr].seq = e->has_due ? e->seq : SR_NONE;
				nnr++;
				waiting = 1;
			}
			break;
		case SR_REPLY:
			if (!answered && !c->brand_started &&
			    frt_end == HARK_TIME_NEVER)
				frt_end = e->ts;
			answered = 1;
			if (waiting) {
				nr[nnr - 1].end = e->ts;
				waiting = 0;
			}
			break;
		case SR_NOTE:
		case SR_AUTO:
			break;
		case SR_STATUS:
			if (resolved != HARK_TIME_NEVER)
				break;
			if (pauses(p, sr_str(&st->strs, e->status))) {
				if (paused == HARK_TIME_NEVER)
					paused = e->ts;
			} else if (paused != HARK_TIME_NEVER) {
				span_add(&stops, paused, e->ts);
				paused = HARK_TIME_NEVER;
			}
			break;
		case SR_RESOLVED:
			if (paused != HARK_TIME_NEVER) {
				span_add(&stops, paused, e->ts);
				paused = HARK_TIME_NEVER;
			}
			if (resolved == HARK_TIME_NEVER)
				resolved = e->ts;
			/* A solve fulfils pending responses. */
			if (!answered && !c->brand_started &&
			    frt_end == HARK_TIME_NEVER)
				frt_end = e->ts;
			if (waiting) {
				nr[nnr - 1].end = e->ts;
				waiting = 0;
			}
			break;
		case SR_REOPENED:
			if (resolved != HARK_TIME_NEVER) {
				span_add(&stops, resolved, e->ts);
				resolved = HARK_TIME_NEVER;
			}
			break;
		case SR_MERGED:
		case SR_SPAM:
			c->excluded = 1;
			stop = e->ts;
			break;
		}
	}
	if (stop != HARK_TIME_NEVER) {
		/* The clocks that still ran stop at the merge (or spam) mark;
		 * measure() calls them stopped. */
		if (!answered && !c->brand_started &&
		    frt_end == HARK_TIME_NEVER)
			frt_end = stop;
		if (waiting)
			nr[nnr - 1].end = stop;
		if (paused != HARK_TIME_NEVER) {
			span_add(&stops, paused, stop);
			paused = HARK_TIME_NEVER;
		}
	}
	if (paused != HARK_TIME_NEVER)
		span_add(&stops, paused, HARK_TIME_NEVER);
	c->start = start;
	c->day = hark_tz_local_day(x->o->tz, start);
	c->policy = p != NULL ? (uint16_t)(p - x->set.pol + 1) : 0;
	c->open = resolved == HARK_TIME_NEVER && !c->excluded;
	c->answered = answered;
	/*
	 * What depends on the brand accounts of the whole input (brand_of,
	 * and an opener's origin decided by in_reply_to_author_id): a
	 * partial keeps such a conversation's events for the merge.  The
	 * whole input's accounts are a superset of these, so only what was
	 * not found here can change: an @handle passed over before the
	 * mention (or with none found), an author not known as a brand.
	 */
	c->depends = unknown > 0 &&
	    ((c->f[SR_F_BRAND] == SR_NONE && by_brand(x->o)) ||
	    (opener != SR_NONE && mention == SR_NONE &&
	    SR_ORIGIN(ev[opener].origin) == SR_ORIGIN_CUSTOMER && !answered));
	if (opener != SR_NONE && (ev[opener].origin & SR_ORIGIN_BY_AUTHOR) &&
	    SR_ORIGIN(ev[opener].origin) == SR_ORIGIN_MISSING)
		c->depends = 1;
	if (c->f[SR_F_BRAND] == SR_NONE)
		c->f[SR_F_BRAND] = mention;
	/* A customer who joined someone else's thread and neither named
	 * the brand nor got its answer was talking to the others: an aside,
	 * not a conversation with the brand. */
	if (opener != SR_NONE && SR_ORIGIN(ev[opener].origin) ==
	    SR_ORIGIN_CUSTOMER && !answered && mention == SR_NONE)
		c->excluded = aside = 1;
	/* Neither an aside nor a fragment has clocks: nothing of theirs
	 * is running late. */
	if (aside || c->fragment) {
		c->open = 0;
		free(nr);
		free(stops.v);
		return;
	}
	if (rd_start != NULL && rd_start->policy != SR_NONE)
		c->policy_name = rd_start->policy;
	if (!c->brand_started)
		measure(&c->frt, p, HARK_SLA_FIRST_RESPONSE, start, frt_end,
		    due_of(p, HARK_SLA_FIRST_RESPONSE, start, frt_end, &stops,
		    rd_start),
		    NULL, now, stop);
	if (nnr > 0) {
		c->nrt = hark_xcalloc(nnr, sizeof(*c->nrt));
		c->nnrt = (uint32_t)nnr;
		for (i = 0; i < nnr; i++) {
			const struct sr_due *rd = nr[i].seq != SR_NONE ?
			    sr_find_due(st, nr[i].seq) : NULL;

			measure(&c->nrt[i], p, HARK_SLA_NEXT_RESPONSE,
			    nr[i].since, nr[i].end, due_of(p,
			    HARK_SLA_NEXT_RESPONSE, nr[i].since, nr[i].end,
			    &stops, rd),
			    &stops, now, stop);
		}
	}
	if (stop != HARK_TIME_NEVER && resolved == HARK_TIME_NEVER)
		resolved = stop;
	measure(&c->res, p, HARK_SLA_RESOLUTION, start, resolved,
	    due_of(p, HARK_SLA_RESOLUTION, start, resolved, &stops, rd_start),
	    &stops, now, stop);
	free(nr);
	free(stops.v);
}

void
sr_compute(struct sr_ctx *x)
{
	struct sr_store *st = &x->st;
	uint32_t *brand_of, i, nstr;
	size_t a, b;

	resolve_convs(st);
	/* Lower-cased brand handles, so "@AmazonHelp" in a customer's text
	 * names the brand of an unanswered conversation. */
	nstr = st->strs.n;
	brand_of = hark_xmalloc((nstr + 1) * sizeof(*brand_of));
	for (i = 0; i <= nstr; i++)
		brand_of[i] = SR_NONE;
	for (a = 0; a < st->n; a++) {
		uint32_t br = st->ev[a].f[SR_F_BRAND], lo;
		char buf[64];
		const char *s;
		size_t k, len;

		if (st->ev[a].kind != SR_REPLY || br == SR_NONE)
			continue;
		s = sr_str(&st->strs, br);
		len = HARK_MIN(strlen(s), sizeof(buf) - 1);
		for (k = 0; k < len; k++)
			buf[k] = (char)tolower((unsigned char)s[k]);
		lo = hark_intern_find(&st->strs, buf, len);
		if (lo != SR_NONE && lo < nstr && brand_of[lo] == SR_NONE)
			brand_of[lo] = br;
	}
	if (st->n > 1)
		qsort(st->ev, st->n, sizeof(*st->ev), cmp_event);
	assign_owners(st);
	x->nconv = 0;
	for (a = 0; a < st->n; a = b) {
		for (b = a + 1; b < st->n && st->ev[b].conv == st->ev[a].conv;
		    b++)
			;
		x->nconv++;
	}
	x->conv = hark_xcalloc(x->nconv + 1, sizeof(*x->conv));
	x->nconv = 0;
	for (a = 0; a < st->n; a = b) {
		for (b = a + 1; b < st->n && st->ev[b].conv == st->ev[a].conv;
		    b++)
			;
		sr_compute_one(x, &x->conv[x->nconv++], &st->ev[a], b - a,
		    brand_of);
	}
	free(brand_of);
}

void
sr_conv_free(struct sr_ctx *x)
{
	uint32_t i;

	for (i = 0; i < x->nconv; i++)
		free(x->conv[i].nrt);
	free(x->conv);
	x->conv = NULL;
	x->nconv = 0;
}
