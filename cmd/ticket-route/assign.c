/* assign.c - round-robin and least-loaded agent assignment with state. */
#include <ctype.h>
#include <strings.h>
#include <unistd.h>
#include "assign.h"
#include "io.h"
#include "xdg.h"
#include "json.h"

#define STATE_MAX (64u << 20)
#define RECENT_MAX 1000

int
tr_assign_load(struct tr_assign *a, const struct hark_config *cfg,
    struct hark_err *err)
{
	size_t i, j;

	memset(a, 0, sizeof(*a));
	a->lock.fd = -1;
	for (i = 0; cfg && i < cfg->nsections; i++) {
		const struct hark_config_section *s = &cfg->sections[i];
		struct tr_queue q;

		if (strcmp(s->type, "queue") != 0)
			continue;
		if (s->name == NULL || *s->name == '\0')
			return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "[queue] needs a name: [queue \"name\"]");
		memset(&q, 0, sizeof(q));
		q.name = hark_xstrdup(s->name);
		q.window = 8 * 3600;
		a->q = hark_xrealloc(a->q, (a->nq + 1) * sizeof(*a->q));
		a->q[a->nq++] = q;
		for (j = 0; j < s->nentries; j++) {
			const struct hark_config_entry *e = &s->entries[j];
			struct tr_queue *qp = &a->q[a->nq - 1];
			struct hark_err e2 = HARK_ERR_INIT;

			if (strcmp(e->key, "agents") == 0) {
				const char *p = e->value, *ag;
				size_t n;

				while ((ag = hark_config_item(&p, 0, &n)) !=
				    NULL) {
					qp->agents = hark_xrealloc(qp->agents,
					    (qp->nagents + 1) * sizeof(char *));
					qp->agents[qp->nagents++] =
					    hark_xstrndup(ag, n);
				}
			} else if (strcmp(e->key, "assign") == 0) {
				if (strcmp(e->value, "round-robin") == 0 ||
				    strcmp(e->value, "round_robin") == 0)
					qp->strategy = TR_ROUND_ROBIN;
				else if (strcmp(e->value, "least-loaded") ==
				    0 || strcmp(e->value, "least_loaded") == 0)
					qp->strategy = TR_LEAST_LOADED;
				else if (strcmp(e->value, "none") == 0)
					qp->strategy = TR_NONE;
				else
					return hark_err_setl(err,
					    HARK_EXIT_USAGE, e->line,
					    e->column, "queue '%s': assign "
					    "'%.100s' is not one of "
					    "round-robin, least-loaded, none",
					    s->name, e->value);
			} else if (strcmp(e->key, "capacity") == 0) {
				if (hark_config_long(e->value, 0, 1000000,
				    &qp->capacity, &e2) < 0)
					return hark_err_setl(err,
					    HARK_EXIT_USAGE, e->line,
					    e->column, "queue '%s': %s",
					    s->name, e2.msg);
			} else if (strcmp(e->key, "window") == 0) {
				if (hark_config_duration(e->value,
				    &qp->window, &e2) < 0 || qp->window <= 0)
					return hark_err_setl(err,
					    HARK_EXIT_USAGE, e->line,
					    e->column, "queue '%s': window: "
					    "%s", s->name, e2.msg[0] ? e2.msg :
					    "must be positive");
			} else if (strcmp(e->key, "description") != 0)
				return hark_err_setl(err, HARK_EXIT_USAGE,
				    e->line, e->column, "queue '%s': unknown "
				    "key '%.100s'", s->name, e->key);
		}
		if (a->q[a->nq - 1].strategy != TR_NONE &&
		    a->q[a->nq - 1].nagents == 0)
			return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "queue '%s': assign needs agents", s->name);
	}
	return 0;
}

int
tr_assign_needed(const struct tr_assign *a)
{
	size_t i;

	for (i = 0; i < a->nq; i++)
		if (a->q[i].strategy != TR_NONE)
			return 1;
	return 0;
}

int
tr_assign_open(struct tr_assign *a, const char *path, struct hark_err *err)
{
	char *lockpath, *dir, *slash;
	size_t len;
	char *text;

	a->state_path = hark_xstrdup(path);
	dir = hark_xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (hark_mkdir_p(dir, err) < 0) {
			free(dir);
			return -1;
		}
	}
	free(dir);
	lockpath = hark_xasprintf("%s.lock", path);
	if (hark_lock_acquire(&a->lock, lockpath, 10, err) < 0) {
		free(lockpath);
		return -1;
	}
	free(lockpath);
	if (access(path, F_OK) != 0) {
		a->state = json_pack("{s:i,s:{}}", "v", 1, "queues");
		return 0;
	}
	if ((text = hark_read_file(path, STATE_MAX, &len, err)) == NULL)
		return -1;
	a->state = json_loadb(text, len, 0, NULL);
	free(text);
	if (!json_is_object(a->state) || !json_is_object(json_object_get(
	    a->state, "queues"))) {
		json_decref(a->state);
		a->state = NULL;
		return hark_err_set(err, HARK_EXIT_FAILURE, "'%s': not a "
		    "ticket-route state file (remove it to start afresh)",
		    path);
	}
	return 0;
}

static struct tr_queue *
find_queue(struct tr_assign *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->nq; i++)
		if (strcmp(a->q[i].name, name) == 0)
			return &a->q[i];
	return NULL;
}

/* Entries of agent list RECENT newer than T - WINDOW; drops older ones. */
static long
load_of(json_t *recent, hark_time_t t, long window)
{
	size_t i = 0;
	long n = 0;

	while (i < json_array_size(recent)) {
		json_int_t v = json_integer_value(json_array_get(recent, i));

		if (v <= t - window) {
			json_array_remove(recent, i);
			continue;
		}
		if (v <= t)
			n++;
		i++;
	}
	return n;
}

const char *
tr_assign_pick(struct tr_assign *a, const char *queue, hark_time_t t)
{
	struct tr_queue *q;
	json_t *qs, *recent, *lst;
	size_t i, best = 0;
	long bestload = LONG_MAX;

	if (queue == NULL || (q = find_queue(a, queue)) == NULL ||
	    q->strategy == TR_NONE || q->nagents == 0 || a->state == NULL)
		return NULL;
	qs = json_object_get(json_object_get(a->state, "queues"), queue);
	if (!json_is_object(qs)) {
		qs = json_pack("{s:i,s:{}}", "next", 0, "recent");
		json_object_set_new(json_object_get(a->state, "queues"), queue,
		    qs);
	}
	recent = json_object_get(qs, "recent");
	if (!json_is_object(recent)) {
		recent = json_object();
		json_object_set_new(qs, "recent", recent);
	}
	a->dirty = 1;
	if (q->strategy == TR_ROUND_ROBIN) {
		json_int_t next = json_integer_value(json_object_get(qs,
		    "next"));

		if (next < 0)
			next = 0;
		best = (size_t)(next % (json_int_t)q->nagents);
		json_object_set_new(qs, "next", json_integer((json_int_t)
		    ((best + 1) % q->nagents)));
		return q->agents[best];
	}
	for (i = 0; i < q->nagents; i++) {
		long load;

		lst = json_object_get(recent, q->agents[i]);
		if (!json_is_array(lst)) {
			lst = json_array();
			json_object_set_new(recent, q->agents[i], lst);
		}
		load = load_of(lst, t, q->window);
		if (q->capacity > 0 && load >= q->capacity)
			continue;
		if (load < bestload) {
			bestload = load;
			best = i;
		}
	}
	if (bestload == LONG_MAX)
		return NULL;
	lst = json_object_get(recent, q->agents[best]);
	json_array_append_new(lst, json_integer((json_int_t)t));
	while (json_array_size(lst) > RECENT_MAX)
		json_array_remove(lst, 0);
	return q->agents[best];
}

int
tr_assign_close(struct tr_assign *a, int save, struct hark_err *err)
{
	int rc = 0;

	if (save && a->dirty && a->state && a->state_path) {
		char *s = hark_json_dumps(a->state, JSON_COMPACT |
		    JSON_SORT_KEYS);
		size_t n = strlen(s);

		s = hark_xrealloc(s, n + 2);
		s[n] = '\n';
		s[n + 1] = '\0';
		rc = hark_write_atomic(a->state_path, s, n + 1, 0600, err);
		free(s);
	}
	hark_lock_release(&a->lock);
	return rc;
}

void
tr_assign_release(struct tr_assign *a)
{
	size_t i, j;

	for (i = 0; i < a->nq; i++) {
		for (j = 0; j < a->q[i].nagents; j++)
			free(a->q[i].agents[j]);
		free(a->q[i].agents);
		free(a->q[i].name);
	}
	free(a->q);
	free(a->state_path);
	json_decref(a->state);
	hark_lock_release(&a->lock);
	memset(a, 0, sizeof(*a));
	a->lock.fd = -1;
}
