/* lock.c - fcntl-based run lock. */
#include <fcntl.h>
#include <unistd.h>
#include "lock.h"

static int
try_lock(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	return fcntl(fd, F_SETLK, &fl);
}

int
hark_lock_acquire(struct hark_lock *l, const char *path, double wait,
    struct hark_err *err)
{
	struct timespec ts = { 0, 50 * 1000000L };
	double waited = 0;
	char pid[32];
	int fd, n;

	l->fd = -1;
	l->path = NULL;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return hark_err_set(err, 1, "cannot open '%s': %s", path,
		    strerror(errno));
	while (try_lock(fd) < 0) {
		if (errno != EACCES && errno != EAGAIN) {
			hark_err_set(err, 1, "cannot lock '%s': %s", path,
			    strerror(errno));
			close(fd);
			return -1;
		}
		if (waited >= wait) {
			struct flock fl;

			memset(&fl, 0, sizeof(fl));
			fl.l_type = F_WRLCK;
			fl.l_whence = SEEK_SET;
			if (fcntl(fd, F_GETLK, &fl) == 0 &&
			    fl.l_type != F_UNLCK)
				hark_err_set(err, 4, "'%s' is locked by "
				    "another run (pid %ld)", path,
				    (long)fl.l_pid);
			else
				hark_err_set(err, 4, "'%s' is locked by "
				    "another run", path);
			close(fd);
			return -1;
		}
		nanosleep(&ts, NULL);
		waited += 0.05;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	/* the pid is informational only: errors are ignored */
	if (ftruncate(fd, 0) == 0 && write(fd, pid, (size_t)n) != n) {
		l->fd = fd;	/* keep the lock anyway */
	}
	l->fd = fd;
	l->path = hark_xstrdup(path);
	return 0;
}

void
hark_lock_release(struct hark_lock *l)
{
	if (l->fd >= 0)
		close(l->fd);	/* closing drops every fcntl lock */
	l->fd = -1;
	free(l->path);
	l->path = NULL;
}
