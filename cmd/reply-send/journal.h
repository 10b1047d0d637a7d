/*
 * journal.h - reply-send's journal: one NDJSON line per event, appended
 * and fsync'ed before and after each write call, under the lock
 * <state>/reply-send/journal.lock for the whole run.
 *
 *   {"key":K,"event":"sending","at":T,"record":ID,"source":S,"visibility":V}
 *   {"key":K,"event":"sent","at":T,"reply_id":RID,"created_at":C}
 *   {"key":K,"event":"failed","at":T,"why":"..."}
 *   {"key":K,"event":"absent","at":T}      read back: it was not posted
 *
 * K is the SHA-256 of the source section, the answered record's id and
 * the visibility: one reply per record and visibility, ever.  The state
 * of a key is its last event: "sent" is never posted again; "sending"
 * with nothing after it is unconfirmed (a crash between the call and its
 * answer) and is read back before anything else happens; "failed" and
 * "absent" may be posted again.  A torn last line (a crash inside a
 * write) is ignored.
 */
#ifndef REPLY_SEND_JOURNAL_H
#define REPLY_SEND_JOURNAL_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "lock.h"

enum rs_state { RS_NEW, RS_SENDING, RS_SENT, RS_FAILED, RS_ABSENT };

struct rs_journal {
	char *dir, *path;
	struct hark_lock lock;
	int fd;
	json_t *keys;		/* key -> last event object */
};

/* Open (creating) DIR/journal.ndjson under DIR/journal.lock, waiting
 * up to WAIT seconds.  -1 with ERR (code 4: locked, 1: I/O). */
int rs_journal_open(struct rs_journal *j, const char *dir, double wait,
    struct hark_err *err);
void rs_journal_close(struct rs_journal *j);
/* The state of KEY; *EV (may be NULL) gets its last event (borrowed). */
enum rs_state rs_journal_state(struct rs_journal *j, const char *key,
    json_t **ev);
/* Append EV (borrowed; "key" and "event" set) and fsync.  -1 with ERR. */
int rs_journal_add(struct rs_journal *j, json_t *ev, struct hark_err *err);
/* The journal key of (SOURCE, RECORD_ID, VISIBILITY) into HEX[65]. */
void rs_journal_key(const char *source, const char *record_id,
    const char *visibility, char hex[65]);

#endif
