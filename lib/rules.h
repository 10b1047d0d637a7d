/*
 * rules.h - routing rules: [rule "name"] sections of hark.conf(5) with a
 * `when` expression (lib/expr.h) and actions, run in order on a record.
 *
 *   [rule "refund-pl"]
 *   when     = lang == "pl" and text ~* ["zwrot", "reklamac"]
 *   category = refund            set route.category
 *   priority = high              set route.priority (urgent high normal low)
 *   escalate = high              raise route.priority to at least this
 *   queue    = billing           set route.queue
 *   tags     = money, refund     add to route.tags (never replaces)
 *   private  = account details   recommend a private message, with reason
 *   hide     = offensive         mark for hiding (never deleting), reason
 *   complaint = true             set route.complaint
 *   sla      = complaint         force the SLA policy of that name
 *   phase    = late              early, normal (default) or late
 *   stop     = true              end the pass after this rule
 *
 * A rule without `when` always fires.  Rules run in (phase, file) order;
 * every matching rule fires and later rules see what earlier ones set
 * (route.category, route.tags ...); `stop` ends the pass.  Keys may be
 * spelled with '-' or '_'.  Unknown keys, bad values and bad expressions
 * are errors with the entry's line and column.
 */
#ifndef HARK_RULES_H
#define HARK_RULES_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "config.h"
#include "expr.h"

enum hark_priority {
	HARK_PRIO_NONE = -1,
	HARK_PRIO_LOW = 0,
	HARK_PRIO_NORMAL = 1,
	HARK_PRIO_HIGH = 2,
	HARK_PRIO_URGENT = 3
};
/* "low" ... "urgent", or NULL. */
const char *hark_priority_name(enum hark_priority p);
/* The priority named S, or HARK_PRIO_NONE. */
enum hark_priority hark_priority_parse(const char *s);

enum hark_rule_phase { HARK_PHASE_EARLY, HARK_PHASE_NORMAL, HARK_PHASE_LATE };

struct hark_rule {
	char *name;		/* owned */
	char *file;		/* owned: where it was defined */
	long line;		/* of the section header */
	struct hark_expr *when;	/* owned, NULL: always */
	char *category, *queue, *sla, *private_reason, *hide_reason;
	enum hark_priority priority, escalate;
	char **tags;		/* owned */
	size_t ntags;
	int complaint;		/* -1 unset, 0, 1 */
	int stop;
	enum hark_rule_phase phase;
	size_t seq;		/* load order, for the stable sort */
	int warned;		/* a regex failure was reported */
	/* private: the JSON strings the actions set (owned) */
	json_t *jcategory, *jqueue, *jsla, *jprivate, *jhide, **jtags;
};

struct hark_rules {
	struct hark_expr_set *set;	/* owned: shared word dictionary */
	struct hark_rule *r;		/* owned, in run order */
	size_t n;
	size_t nseq;			/* private: rules ever added */
	/*
	 * Called (when not NULL) the first time a rule's regular expression
	 * fails on a record (its backtracking limit): the rule is then taken
	 * as not matching that record, and later failures of the same rule
	 * are not reported again.  R and MSG are borrowed for the call.
	 */
	void (*warn)(void *arg, const struct hark_rule *r, const char *msg);
	void *warn_arg;
	json_t *jprio[4];		/* private: "low" ... "urgent" */
};

void hark_rules_init(struct hark_rules *rs);
void hark_rules_release(struct hark_rules *rs);

/*
 * Add the [rule] sections of CFG (its other sections are ignored), in
 * file order; FILE names CFG in messages (NULL: cfg->path).  A rule whose
 * name was already defined replaces the earlier one in place (so a user's
 * file can override a built-in rule by name); "enabled = false" removes
 * it.  On error returns -1 with err->code 2, err->line/column in the
 * config file and a message naming the rule; RS keeps the rules added
 * before.
 */
int hark_rules_add_config(struct hark_rules *rs, const struct hark_config *cfg,
    const char *file, struct hark_err *err);

/*
 * Run the rules on the record C->rec whose working route object is ROUTE
 * (also reachable from the record as "route", so expressions see it).
 * Actions write route.category, .priority, .queue, .tags, .complaint,
 * .private, .private_reasons, .hide, .hide_reasons and .sla_policy.  The
 * name of each rule that fired is appended to FIRED (a JSON array, may be
 * NULL).  A regular expression that fails at run time (its backtracking
 * limit) makes its rule not match and is reported through RS->warn once
 * per rule: a configuration problem never takes a record out of the
 * stream.  Returns the number of rules that fired, or -1 with ERR (code
 * 3, the rule named) when an expression fails otherwise at run time.
 */
int hark_rules_run(struct hark_rules *rs, struct hark_expr_ctx *c,
    json_t *route, json_t *fired, struct hark_err *err);

#endif
