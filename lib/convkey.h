/*
 * convkey.h - the conversation a record belongs to, and its stable hash.
 *
 * One rule, shared by sla-report(1) (which groups a conversation's events)
 * and mention-shard(1) (which must send a whole conversation to one
 * shard), documented in hark-records(5) "What sla-report reads":
 *
 *   event record  ("event" is a string): the first non-empty of "ticket",
 *                 "conversation", "ticket_id", "conversation_id";
 *   mention record (otherwise): "thread.root_id"; else, with no
 *                 "thread.parent_id", its own "id" (a thread starter);
 *                 else the key is not in the record: it is the key of the
 *                 parent (followed through the input), or the parent's id
 *                 when the parent is not in the input.
 *
 * A string member is taken as it is; an integer as its decimal digits; a
 * boolean as "true"/"false" (so 42 and "42" are the same key).
 *
 * hark_convkey_hash() is 64-bit FNV-1a over the key's bytes (offset basis
 * 14695981039346656037, prime 1099511628211); the shard of a key among N is
 * that hash modulo N.  This is part of the suite's interface: it never
 * changes between versions or machines (it is independent of byte order).
 *
 * Nothing here prints, exits or allocates.
 */
#ifndef HARK_CONVKEY_H
#define HARK_CONVKEY_H

#include <jansson.h>
#include "hark.h"

enum hark_convkey_kind {
	HARK_CONVKEY_NONE = 0,	/* neither an event with a ticket nor a
				 * mention with an id */
	HARK_CONVKEY_TICKET,	/* event record: KEY is its ticket */
	HARK_CONVKEY_ROOT,	/* mention: KEY is thread.root_id */
	HARK_CONVKEY_SELF,	/* mention starting a thread: KEY is its id */
	HARK_CONVKEY_PARENT	/* mention with a parent and no root: KEY is
				 * NULL, PARENT names the message to follow */
};

struct hark_convkey {
	enum hark_convkey_kind kind;
	int is_event;		/* "event" is a string */
	const char *key;	/* borrowed (from the record or kbuf) or NULL */
	const char *id;		/* mention: its id, or NULL */
	const char *parent;	/* mention: thread.parent_id, or NULL */
	char kbuf[32], ibuf[32], pbuf[32];
};

/* The key parts of REC (a JSON object) into K; returns K->kind.  The
 * strings stay valid while REC and K do. */
enum hark_convkey_kind hark_convkey_get(json_t *rec, struct hark_convkey *k);

/* 64-bit FNV-1a of N bytes at S. */
uint64_t hark_convkey_hash(const char *s, size_t n);

/* The shard (0..N-1) of a key whose hash is H; N >= 1. */
static inline unsigned
hark_convkey_shard(uint64_t h, unsigned n)
{
	return (unsigned)(h % n);
}

#endif
