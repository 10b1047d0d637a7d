/*
 * lock.h - an exclusive advisory lock on a file (POSIX fcntl), so that
 * two overlapping runs of a command (cron) never share its state.
 *
 * The lock belongs to the process: it is released by hark_lock_release()
 * or when the process ends, however it ends, so a killed run never leaves
 * a stale lock behind.  The file holds the owner's pid for messages.
 */
#ifndef HARK_LOCK_H
#define HARK_LOCK_H

#include "hark.h"
#include "err.h"

struct hark_lock {
	int fd;
	char *path;
};
#define HARK_LOCK_INIT { -1, NULL }

/*
 * Create PATH if needed (mode 0600) and lock it, waiting up to WAIT
 * seconds (0: try once) for another holder to finish.  -1 with ERR: code
 * 4 "'PATH' is locked by another run (pid N)" when it stays locked, code 1
 * when the file cannot be opened.
 */
int hark_lock_acquire(struct hark_lock *l, const char *path, double wait,
    struct hark_err *err);
/* Unlock and close (fine on an unlocked HARK_LOCK_INIT). */
void hark_lock_release(struct hark_lock *l);

#endif
