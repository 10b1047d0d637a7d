/*
 * listen.h - mention-listen's spool (spool.c): the records of every
 * acknowledged delivery, fsync'd before the 200 goes out, and the offset
 * up to which they have reached the output.
 *
 * In the state directory:
 *   spool.ndjson   records, one a line, appended with one write(2) and
 *                  fsync'd per delivery
 *   spool.pos      "INODE OFFSET\n": the spool's bytes [0, OFFSET) are
 *                  delivered (written atomically: temporary, fsync, rename)
 *   lock           held while a receiver runs on the directory
 *
 * Ids: every record id in the spool is remembered, so a delivery the
 * platform sends again (it got no 200: a crash between spool and answer,
 * a timeout) adds nothing.  The spool keeps delivered records for KEEP
 * seconds (by their fetched_at) to remember their ids; compaction
 * rewrites it with those only, when everything is delivered.  A spool.pos
 * naming another inode than the spool's was written before a compaction,
 * which only happens once all is delivered: the whole spool counts as
 * delivered.  A last line without its newline is a write a crash cut
 * short, never acknowledged: it is removed on open.
 * Nothing here prints.
 */
#ifndef ML_LISTEN_H
#define ML_LISTEN_H

#include <sys/types.h>

#include "hark.h"
#include "err.h"
#include "buf.h"
#include "htime.h"
#include "lock.h"

struct ml_ids {
	char **slot;
	size_t cap, n;
};

struct ml_spool {
	char *dir, *path, *pos_path;
	int fd;
	off_t size, pos;
	ino_t ino;
	struct ml_ids ids;
	struct hark_lock lock;
};

/* Open (creating) the spool in DIR (created 0700), lock it, cut a torn
 * last line, read the ids.  -1 with ERR (code 4 when another receiver
 * holds the lock, 1 otherwise). */
int ml_spool_open(struct ml_spool *s, const char *dir, struct hark_err *err);
void ml_spool_close(struct ml_spool *s);
/* Whether ID is in the spool. */
int ml_spool_seen(const struct ml_spool *s, const char *id);
/* Remember ID (copied). */
void ml_spool_remember(struct ml_spool *s, const char *id);
/* Append P[0..N) (whole lines) with one write and fsync it; on failure
 * the spool is cut back to its old size.  -1 with ERR. */
int ml_spool_append(struct ml_spool *s, const char *p, size_t n,
    struct hark_err *err);
/* The undelivered bytes [pos, size) into OUT (reset first). */
int ml_spool_pending(struct ml_spool *s, struct hark_buf *out,
    struct hark_err *err);
/* Record that everything up to the current size is delivered. */
int ml_spool_mark(struct ml_spool *s, struct hark_err *err);
/* When everything is delivered: keep only the records fetched at or
 * after CUTOFF (rename over the spool), forgetting the others' ids. */
int ml_spool_compact(struct ml_spool *s, hark_time_t cutoff,
    struct hark_err *err);

#endif
