/*
 * assign.h - ticket-route's agent assignment: [queue "name"] sections with
 * agents and a strategy, and the state file that keeps round-robin and
 * load counts across runs.
 *
 *   [queue "billing"]
 *   agents   = anna, bartek, cecilia
 *   assign   = round-robin         or least-loaded
 *   capacity = 20                  least-loaded: most tickets per agent
 *   window   = 8h                  least-loaded: how far back load counts
 *
 * State: one JSON file, read at start and written atomically at the end
 * under an exclusive lock (two overlapping runs never share it).
 */
#ifndef TR_ASSIGN_H
#define TR_ASSIGN_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "config.h"
#include "htime.h"
#include "lock.h"

enum tr_strategy { TR_NONE, TR_ROUND_ROBIN, TR_LEAST_LOADED };

struct tr_queue {
	char *name;
	char **agents;
	size_t nagents;
	enum tr_strategy strategy;
	long capacity;		/* 0: unlimited */
	long window;		/* seconds */
};

struct tr_assign {
	struct tr_queue *q;
	size_t nq;
	char *state_path;	/* NULL until tr_assign_open */
	json_t *state;		/* {"v":1,"queues":{...}} */
	struct hark_lock lock;
	int dirty;
};

/* Read the [queue] sections of CFG.  -1 with ERR (code 2, line/column). */
int tr_assign_load(struct tr_assign *a, const struct hark_config *cfg,
    struct hark_err *err);
/* Whether any queue assigns agents (so a state file is needed). */
int tr_assign_needed(const struct tr_assign *a);
/* Lock and read the state file PATH (missing: empty state). */
int tr_assign_open(struct tr_assign *a, const char *path,
    struct hark_err *err);
/*
 * The agent for a ticket in QUEUE created at T (borrowed string), or NULL
 * when the queue has no agents/strategy or everyone is at capacity.
 */
const char *tr_assign_pick(struct tr_assign *a, const char *queue,
    hark_time_t t);
/* Write the state back (unless nothing changed) and unlock. */
int tr_assign_close(struct tr_assign *a, int save, struct hark_err *err);
void tr_assign_release(struct tr_assign *a);

#endif
