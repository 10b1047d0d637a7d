/* io.c - inputs (gzip transparent) and checked, atomic outputs. */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "io.h"
#include "buf.h"

int
hark_input_open(struct hark_input *in, const char *path,
    struct hark_err *err)
{
	int fd;

	memset(in, 0, sizeof(*in));
	if (path == NULL || strcmp(path, "-") == 0) {
		fd = dup(STDIN_FILENO);
		in->name = "<stdin>";
		if (fd < 0)
			return hark_err_set(err, 1, "cannot read standard "
			    "input: %s", strerror(errno));
	} else {
		struct stat st;

		fd = open(path, O_RDONLY);
		if (fd < 0)
			return hark_err_set(err, 1, "cannot open '%s': %s",
			    path, strerror(errno));
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			return hark_err_set(err, 1, "cannot read '%s': %s",
			    path, strerror(EISDIR));
		}
		in->path = hark_xstrdup(path);
		in->name = in->path;
	}
	in->gz = gzdopen(fd, "rb");
	if (in->gz == NULL) {
		close(fd);
		free(in->path);
		in->path = NULL;
		return hark_err_set(err, 1, "cannot open '%s': out of memory",
		    path ? path : "-");
	}
	gzbuffer(in->gz, 128 * 1024);
	return 0;
}

long
hark_input_read(struct hark_input *in, void *buf, size_t n,
    struct hark_err *err)
{
	int got, zerr;
	const char *msg;

	if (n > INT_MAX)
		n = INT_MAX;
	got = gzread(in->gz, buf, (unsigned)n);
	if (got > 0)
		return got;
	msg = gzerror(in->gz, &zerr);
	if (got == 0) {
		/* zlib reports a stream cut short (no end of the deflate data
		 * or no trailer, so no CRC check) only through gzerror, so
		 * that a growing file can be read on: for us it is damage. */
		if (zerr == Z_BUF_ERROR)
			return hark_err_set(err, 3, "%s: truncated compressed "
			    "data (unexpected end of file)", in->name);
		return 0;
	}
	if (zerr == Z_ERRNO)
		return hark_err_set(err, 1, "read error on '%s': %s", in->name,
		    strerror(errno));
	return hark_err_set(err, 3, "%s: corrupt compressed data: %s",
	    in->name, msg);
}

void
hark_input_close(struct hark_input *in)
{
	if (in->gz)
		gzclose(in->gz);
	free(in->path);
	memset(in, 0, sizeof(*in));
}

int
hark_output_open(struct hark_output *out, const char *path, int atomic,
    struct hark_err *err)
{
	memset(out, 0, sizeof(*out));
	if (path == NULL || strcmp(path, "-") == 0) {
		out->fp = stdout;
		return 0;
	}
	out->path = hark_xstrdup(path);
	if (atomic) {
		int fd;

		out->tmp = hark_xasprintf("%s.tmp.XXXXXX", path);
		fd = mkstemp(out->tmp);
		if (fd < 0)
			goto fail;
		{
			/* respect the umask like fopen() would */
			mode_t um = umask(0);

			umask(um);
			fchmod(fd, 0666 & ~um);
		}
		out->fp = fdopen(fd, "w");
		if (out->fp == NULL) {
			close(fd);
			unlink(out->tmp);
			goto fail;
		}
	} else {
		out->fp = fopen(path, "w");
		if (out->fp == NULL)
			goto fail;
	}
	return 0;
fail:
	hark_err_set(err, 1, "cannot open '%s': %s", path, strerror(errno));
	free(out->path);
	free(out->tmp);
	memset(out, 0, sizeof(*out));
	return -1;
}

static void
note_failure(struct hark_output *out)
{
	if (!out->failed) {
		out->failed = 1;
		out->err_no = errno;
	}
	if (errno == EPIPE) {
		/* The reader went away: end quietly, as if by SIGPIPE. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		_exit(141);
	}
}

int
hark_output_write(struct hark_output *out, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, out->fp) != n) {
		note_failure(out);
		return -1;
	}
	return 0;
}

int
hark_output_end_record(struct hark_output *out)
{
	if (out->unbuffered && fflush(out->fp) != 0) {
		note_failure(out);
		return -1;
	}
	return 0;
}

int
hark_output_close(struct hark_output *out, int commit, struct hark_err *err)
{
	const char *name = out->path ? out->path : "standard output";
	int rc = 0;

	if (out->fp == NULL)
		return 0;
	if (fflush(out->fp) != 0 || ferror(out->fp))
		note_failure(out);
	if (out->fp == stdout) {
		if (!out->failed && fclose(stdout) != 0)
			note_failure(out);
	} else if (fclose(out->fp) != 0)
		note_failure(out);
	out->fp = NULL;
	if (out->failed) {
		rc = hark_err_set(err, 1, "write error on %s%s%s: %s",
		    out->path ? "'" : "", name, out->path ? "'" : "",
		    strerror(out->err_no ? out->err_no : EIO));
		commit = 0;
	}
	if (out->tmp) {
		if (commit && rename(out->tmp, out->path) != 0) {
			rc = hark_err_set(err, 1, "cannot rename '%s' to '%s': "
			    "%s", out->tmp, out->path, strerror(errno));
			commit = 0;
		}
		if (!commit)
			unlink(out->tmp);
	}
	free(out->path);
	free(out->tmp);
	out->path = out->tmp = NULL;
	return rc;
}

char *
hark_read_file(const char *path, size_t max, size_t *len,
    struct hark_err *err)
{
	struct hark_input in;
	struct hark_buf b = HARK_BUF_INIT(max);
	char chunk[65536];
	long n;

	if (hark_input_open(&in, path, err) < 0)
		return NULL;
	while ((n = hark_input_read(&in, chunk, sizeof(chunk), err)) > 0)
		if (hark_buf_add(&b, chunk, (size_t)n) < 0) {
			hark_err_set(err, 1, "'%s': larger than %zu bytes",
			    in.name, max);
			n = -1;
			break;
		}
	hark_input_close(&in);
	if (n < 0) {
		hark_buf_release(&b);
		return NULL;
	}
	return hark_buf_detach(&b, len);
}
