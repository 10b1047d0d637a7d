/* xdg.c - XDG paths, directory creation and atomic writes. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xdg.h"

char *
hark_xdg_path(enum hark_xdg_kind kind, const char *name)
{
	const char *var = kind == HARK_XDG_CONFIG ? "XDG_CONFIG_HOME" :
	    "XDG_STATE_HOME";
	const char *fallback = kind == HARK_XDG_CONFIG ? ".config" :
	    ".local/state";
	const char *base = getenv(var), *home;

	if (base && base[0] == '/')
		return name ? hark_xasprintf("%s/hark/%s", base, name) :
		    hark_xasprintf("%s/hark", base);
	home = getenv("HOME");
	if (home == NULL || home[0] != '/')
		return NULL;
	return name ? hark_xasprintf("%s/%s/hark/%s", home, fallback, name) :
	    hark_xasprintf("%s/%s/hark", home, fallback);
}

int
hark_mkdir_p(const char *dir, struct hark_err *err)
{
	char *p = hark_xstrdup(dir), *s;
	struct stat st;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				hark_err_set(err, 1, "cannot create '%s': %s",
				    p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
		hark_err_set(err, 1, "'%s' is not a directory", p);
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

int
hark_write_atomic(const char *path, const void *data, size_t len, int mode,
    struct hark_err *err)
{
	char *tmp = hark_xasprintf("%s.tmp.XXXXXX", path);
	const char *p = data;
	int fd = mkstemp(tmp);

	if (fd < 0) {
		hark_err_set(err, 1, "cannot create '%s': %s", tmp,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, (mode_t)mode) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	hark_err_set(err, 1, "cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}
