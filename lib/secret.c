/* secret.c - secrets from the environment or files. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "secret.h"

void
hark_secret_free(char *s)
{
	volatile char *p = s;

	if (s == NULL)
		return;
	while (*p != '\0')
		*p++ = '\0';
	free(s);
}

static int
read_secret(const char *path, char **out, char *warn, size_t warnsz,
    struct hark_err *err)
{
	char *buf = hark_xmalloc(HARK_SECRET_MAX + 1);
	size_t len = 0;
	struct stat st;
	int fd, stdin_ = strcmp(path, "-") == 0;

	fd = stdin_ ? 0 : open(path, O_RDONLY);
	if (fd < 0) {
		free(buf);
		return hark_err_set(err, 1, "cannot open '%s': %s", path,
		    strerror(errno));
	}
	if (!stdin_ && warn != NULL && fstat(fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && (st.st_mode & 077) != 0)
		snprintf(warn, warnsz, "'%s' is readable by others: "
		    "chmod 600 it", path);
	for (;;) {
		ssize_t n = read(fd, buf + len, HARK_SECRET_MAX - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			hark_err_set(err, 1, "cannot read '%s': %s", path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == HARK_SECRET_MAX) {
			hark_err_set(err, 2, "'%s' is too large for a secret",
			    path);
			goto fail;
		}
	}
	if (!stdin_)
		close(fd);
	buf[len] = '\0';
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (len == 0) {
		hark_secret_free(buf);
		return hark_err_set(err, 2, "'%s' is empty", path);
	}
	*out = buf;
	return 0;
fail:
	if (!stdin_)
		close(fd);
	memset(buf, 0, HARK_SECRET_MAX);
	free(buf);
	return -1;
}

int
hark_secret_get(const char *var, const char *file, char **out, char *warn,
    size_t warnsz, struct hark_err *err)
{
	char *fvar = hark_xasprintf("%s_FILE", var);
	const char *v = getenv(var), *fv = getenv(fvar);
	int r = 0;

	*out = NULL;
	if (warn != NULL && warnsz > 0)
		warn[0] = '\0';
	if (file != NULL) {
		r = read_secret(file, out, warn, warnsz, err);
	} else if (v != NULL && fv != NULL) {
		r = hark_err_set(err, 2, "both %s and %s are set", var, fvar);
	} else if (fv != NULL) {
		r = read_secret(fv, out, warn, warnsz, err);
	} else if (v != NULL) {
		if (*v == '\0')
			r = hark_err_set(err, 2, "%s is empty", var);
		else
			*out = hark_xstrdup(v);
	}
	free(fvar);
	/* from now on no message may show it */
	if (r == 0 && *out != NULL)
		hark_redact_add(*out);
	return r;
}
