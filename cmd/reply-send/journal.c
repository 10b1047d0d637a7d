/*
 * journal.c - reply-send's journal (see journal.h).
 */
#include <fcntl.h>
#include <unistd.h>
#include "journal.h"
#include "sha256.h"
#include "xdg.h"
#include "json.h"

void
rs_journal_key(const char *source, const char *record_id,
    const char *visibility, char hex[65])
{
	struct hark_sha256 s;
	unsigned char d[32];
	int i;

	hark_sha256_init(&s);
	hark_sha256_update(&s, source, strlen(source) + 1);
	hark_sha256_update(&s, record_id, strlen(record_id) + 1);
	hark_sha256_update(&s, visibility, strlen(visibility));
	hark_sha256_final(&s, d);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void
load(struct rs_journal *j)
{
	FILE *fp = fopen(j->path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (fp == NULL)
		return;
	while ((n = getline(&line, &cap, fp)) > 0) {
		json_t *ev = json_loadb(line, (size_t)n, 0, NULL);
		const char *k = json_string_value(json_object_get(ev, "key"));

		if (ev != NULL && k != NULL && json_is_string(json_object_get(
		    ev, "event")))
			json_object_set(j->keys, k, ev);
		json_decref(ev);	/* a torn line is no event */
	}
	free(line);
	fclose(fp);
}

int
rs_journal_open(struct rs_journal *j, const char *dir, double wait,
    struct hark_err *err)
{
	char *lp;
	off_t end;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->lock.fd = -1;
	j->keys = json_object();
	if (hark_mkdir_p(dir, err) < 0)
		return -1;
	j->dir = hark_xstrdup(dir);
	j->path = hark_xasprintf("%s/journal.ndjson", dir);
	lp = hark_xasprintf("%s/journal.lock", dir);
	if (hark_lock_acquire(&j->lock, lp, wait, err) < 0) {
		free(lp);
		return -1;
	}
	free(lp);
	load(j);
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (j->fd < 0)
		return hark_err_set(err, HARK_EXIT_FAILURE, "cannot open '%s': "
		    "%s", j->path, strerror(errno));
	/* a torn last line: end it, so the next event starts a line */
	end = lseek(j->fd, 0, SEEK_END);
	if (end > 0) {
		int rfd = open(j->path, O_RDONLY | O_CLOEXEC);
		char c = '\n';

		if (rfd >= 0 && pread(rfd, &c, 1, end - 1) == 1 && c != '\n' &&
		    write(j->fd, "\n", 1) != 1) {
			close(rfd);
			return hark_err_set(err, HARK_EXIT_FAILURE, "cannot "
			    "write '%s': %s", j->path, strerror(errno));
		}
		if (rfd >= 0)
			close(rfd);
	}
	return 0;
}

void
rs_journal_close(struct rs_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	hark_lock_release(&j->lock);
	json_decref(j->keys);
	free(j->dir);
	free(j->path);
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->lock.fd = -1;
}

enum rs_state
rs_journal_state(struct rs_journal *j, const char *key, json_t **ev)
{
	json_t *e = json_object_get(j->keys, key);
	const char *s = json_string_value(json_object_get(e, "event"));

	if (ev)
		*ev = e;
	if (s == NULL)
		return RS_NEW;
	if (strcmp(s, "sent") == 0)
		return RS_SENT;
	if (strcmp(s, "sending") == 0)
		return RS_SENDING;
	if (strcmp(s, "absent") == 0)
		return RS_ABSENT;
	return RS_FAILED;
}

int
rs_journal_add(struct rs_journal *j, json_t *ev, struct hark_err *err)
{
	char *s = hark_json_dumps(ev, JSON_COMPACT);
	size_t n, off = 0;
	const char *k = json_string_value(json_object_get(ev, "key"));

	if (s == NULL)
		return hark_err_set(err, HARK_EXIT_FAILURE, "out of memory");
	n = strlen(s);
	s[n++] = '\n';	/* replaces the NUL: written as one line */
	while (off < n) {
		ssize_t w = write(j->fd, s + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			free(s);
			return hark_err_set(err, HARK_EXIT_FAILURE, "cannot "
			    "write '%s': %s", j->path, strerror(errno));
		}
		off += (size_t)w;
	}
	free(s);
	if (fsync(j->fd) < 0)
		return hark_err_set(err, HARK_EXIT_FAILURE, "cannot sync "
		    "'%s': %s", j->path, strerror(errno));
	if (k != NULL)
		json_object_set(j->keys, k, ev);
	return 0;
}
