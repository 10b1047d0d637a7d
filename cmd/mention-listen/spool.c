/*
 * spool.c - mention-listen's durable spool and its id set (listen.h).
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "buf.h"
#include "xdg.h"
#include "listen.h"

/* FNV-1a */
static size_t
hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static size_t
find(const struct ml_ids *ids, const char *id)
{
	size_t i = hash(id) & (ids->cap - 1);

	while (ids->slot[i] != NULL && strcmp(ids->slot[i], id) != 0)
		i = (i + 1) & (ids->cap - 1);
	return i;
}

static void
ids_free(struct ml_ids *ids)
{
	size_t i;

	for (i = 0; i < ids->cap; i++)
		free(ids->slot[i]);
	free(ids->slot);
	memset(ids, 0, sizeof(*ids));
}

static void
ids_add(struct ml_ids *ids, const char *id)
{
	size_t i;

	if (2 * (ids->n + 1) > ids->cap) {
		struct ml_ids big;

		big.cap = ids->cap ? 2 * ids->cap : 1024;
		big.n = 0;
		big.slot = hark_xcalloc(big.cap, sizeof(char *));
		for (i = 0; i < ids->cap; i++)
			if (ids->slot[i] != NULL) {
				big.slot[find(&big, ids->slot[i])] =
				    ids->slot[i];
				big.n++;
			}
		free(ids->slot);
		*ids = big;
	}
	i = find(ids, id);
	if (ids->slot[i] == NULL) {
		ids->slot[i] = hark_xstrdup(id);
		ids->n++;
	}
}

int
ml_spool_seen(const struct ml_spool *s, const char *id)
{
	return s->ids.cap > 0 && s->ids.slot[find(&s->ids, id)] != NULL;
}

void
ml_spool_remember(struct ml_spool *s, const char *id)
{
	ids_add(&s->ids, id);
}

static int
read_all(int fd, off_t size, struct hark_buf *out, struct hark_err *err)
{
	hark_buf_reset(out);
	if (size > 0 && hark_buf_reserve(out, (size_t)size) < 0)
		return hark_err_set(err, HARK_EXIT_FAILURE, "the spool is "
		    "larger than %zu bytes", out->max);
	while (out->len < (size_t)size) {
		ssize_t r = pread(fd, out->ptr + out->len, (size_t)size -
		    out->len, (off_t)out->len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return hark_err_set(err, HARK_EXIT_FAILURE, "cannot "
			    "read the spool: %s", r < 0 ? strerror(errno) :
			    "file shrank");
		out->len += (size_t)r;
	}
	if (out->ptr != NULL)
		out->ptr[out->len] = '\0';
	return 0;
}

/* The ids of every line of P[0..N). */
static void
load_ids(struct ml_spool *s, const char *p, size_t n)
{
	const char *e;

	for (; n > 0; n -= (size_t)(e + 1 - p), p = e + 1) {
		json_t *r;
		const char *id;

		if ((e = memchr(p, '\n', n)) == NULL)
			break;
		if ((r = json_loadb(p, (size_t)(e - p), 0, NULL)) == NULL)
			continue;
		if ((id = json_string_value(json_object_get(r, "id"))) !=
		    NULL)
			ids_add(&s->ids, id);
		json_decref(r);
	}
}

static int
read_pos(struct ml_spool *s)
{
	char buf[64];
	unsigned long long ino, off;
	ssize_t n;
	int fd = open(s->pos_path, O_RDONLY | O_CLOEXEC);

	s->pos = 0;
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &ino, &off) != 2)
		return 0;
	if ((ino_t)ino != s->ino || (off_t)off > s->size)
		s->pos = s->size;	/* written before a compaction */
	else
		s->pos = (off_t)off;
	return 0;
}

static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = hark_xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int
ml_spool_open(struct ml_spool *s, const char *dir, struct hark_err *err)
{
	struct hark_buf all = HARK_BUF_INIT((size_t)1 << 30);
	struct stat st;
	char *lockp;
	int r;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->lock.fd = -1;
	if (hark_mkdir_p(dir, err) < 0)
		return -1;
	s->dir = hark_xstrdup(dir);
	s->path = join(dir, "spool.ndjson");
	s->pos_path = join(dir, "spool.pos");
	lockp = join(dir, "lock");
	r = hark_lock_acquire(&s->lock, lockp, 0, err);
	free(lockp);
	if (r < 0)
		return -1;
	if ((s->fd = open(s->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) < 0 || fstat(s->fd, &st) < 0)
		return hark_err_set(err, HARK_EXIT_FAILURE, "cannot open "
		    "'%s': %s", s->path, strerror(errno));
	s->size = st.st_size;
	s->ino = st.st_ino;
	if (read_all(s->fd, s->size, &all, err) < 0) {
		hark_buf_release(&all);
		return -1;
	}
	if (all.len > 0 && all.ptr[all.len - 1] != '\n') {
		/* a torn append: never fsync'd whole, never acknowledged */
		char *nl = NULL, *p;

		for (p = all.ptr; (p = memchr(p, '\n', all.len - (size_t)(p -
		    all.ptr))) != NULL; p++)
			nl = p;
		s->size = nl != NULL ? (off_t)(nl + 1 - all.ptr) : 0;
		if (ftruncate(s->fd, s->size) < 0 || fsync(s->fd) < 0) {
			hark_buf_release(&all);
			return hark_err_set(err, HARK_EXIT_FAILURE, "cannot "
			    "repair '%s': %s", s->path, strerror(errno));
		}
		all.len = (size_t)s->size;
	}
	load_ids(s, all.ptr, all.len);
	hark_buf_release(&all);
	return read_pos(s);
}

void
ml_spool_close(struct ml_spool *s)
{
	if (s->fd >= 0)
		close(s->fd);
	hark_lock_release(&s->lock);
	ids_free(&s->ids);
	free(s->dir);
	free(s->path);
	free(s->pos_path);
	s->fd = -1;
	s->dir = s->path = s->pos_path = NULL;
}

int
ml_spool_append(struct ml_spool *s, const char *p, size_t n,
    struct hark_err *err)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(s->fd, p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		done += (size_t)w;
	}
	if (fsync(s->fd) < 0)
		goto fail;
	s->size += (off_t)n;
	return 0;
fail:
	hark_err_set(err, HARK_EXIT_FAILURE, "cannot write '%s': %s",
	    s->path, strerror(errno));
	if (ftruncate(s->fd, s->size) == 0)
		(void)fsync(s->fd);
	return -1;
}

int
ml_spool_pending(struct ml_spool *s, struct hark_buf *out,
    struct hark_err *err)
{
	hark_buf_reset(out);
	if (s->pos >= s->size)
		return 0;
	if (hark_buf_reserve(out, (size_t)(s->size - s->pos)) < 0)
		return hark_err_set(err, HARK_EXIT_FAILURE, "the spool's "
		    "undelivered part is too large");
	while (out->len < (size_t)(s->size - s->pos)) {
		ssize_t r = pread(s->fd, out->ptr + out->len, (size_t)(s->size -
		    s->pos) - out->len, s->pos + (off_t)out->len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return hark_err_set(err, HARK_EXIT_FAILURE, "cannot "
			    "read '%s': %s", s->path, r < 0 ?
			    strerror(errno) : "file shrank");
		out->len += (size_t)r;
	}
	out->ptr[out->len] = '\0';
	return 0;
}

int
ml_spool_mark(struct ml_spool *s, struct hark_err *err)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%llu %llu\n",
	    (unsigned long long)s->ino, (unsigned long long)s->size);

	if (hark_write_atomic(s->pos_path, buf, (size_t)n, 0600, err) < 0)
		return -1;
	s->pos = s->size;
	return 0;
}

int
ml_spool_compact(struct ml_spool *s, hark_time_t cutoff,
    struct hark_err *err)
{
	struct hark_buf all = HARK_BUF_INIT((size_t)1 << 30);
	struct hark_buf keep = HARK_BUF_INIT((size_t)1 << 30);
	const char *p, *e;
	size_t n;
	struct stat st;
	int fd, rc = -1;

	if (s->pos < s->size)
		return 0;
	if (read_all(s->fd, s->size, &all, err) < 0)
		goto out;
	for (p = all.ptr, n = all.len; n > 0 && (e = memchr(p, '\n', n)) !=
	    NULL; n -= (size_t)(e + 1 - p), p = e + 1) {
		json_t *r = json_loadb(p, (size_t)(e - p), 0, NULL);
		const char *f = json_string_value(json_object_get(r,
		    "fetched_at"));
		hark_time_t t;

		if (f != NULL && hark_time_parse_rfc3339(f, &t, NULL) == 0 &&
		    t >= cutoff)
			hark_buf_add(&keep, p, (size_t)(e + 1 - p));
		json_decref(r);
	}
	if (keep.len == all.len) {
		rc = 0;
		goto out;
	}
	if (hark_write_atomic(s->path, keep.ptr != NULL ? keep.ptr : "",
	    keep.len, 0600, err) < 0)
		goto out;
	if ((fd = open(s->path, O_RDWR | O_APPEND | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0) {
		hark_err_set(err, HARK_EXIT_FAILURE, "cannot open '%s': %s",
		    s->path, strerror(errno));
		goto out;
	}
	close(s->fd);
	s->fd = fd;
	s->ino = st.st_ino;
	s->size = st.st_size;
	ids_free(&s->ids);
	load_ids(s, keep.ptr, keep.len);
	rc = ml_spool_mark(s, err);
out:
	hark_buf_release(&all);
	hark_buf_release(&keep);
	return rc;
}
