/* io.c - inputs (gzip transparent) and checked, atomic outputs. */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "io.h"
#include "buf.h"

#define IBUF_SIZE (128u * 1024)

int
hark_input_open(struct hark_input *in, const char *path,
    struct hark_err *err)
{
	int fd;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
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
	in->fd = fd;
	in->ibuf = hark_xmalloc(IBUF_SIZE);
	return 0;
}

int
hark_input_fdopen(struct hark_input *in, int fd, const char *name)
{
	memset(in, 0, sizeof(*in));
	in->fd = fd;
	in->path = hark_xstrdup(name);
	in->name = in->path;
	in->ibuf = hark_xmalloc(IBUF_SIZE);
	return 0;
}

/* Make at least N raw bytes available unless the input ends first. */
static int
need(struct hark_input *in, size_t n, struct hark_err *err)
{
	while (in->ilen - in->ipos < n && !in->eof) {
		ssize_t got;

		if (in->ipos > 0) {
			memmove(in->ibuf, in->ibuf + in->ipos,
			    in->ilen - in->ipos);
			in->ilen -= in->ipos;
			in->ipos = 0;
		}
		do
			got = read(in->fd, in->ibuf + in->ilen,
			    IBUF_SIZE - in->ilen);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return hark_err_set(err, 1, "read error on '%s': %s",
			    in->name, strerror(errno));
		if (got == 0)
			in->eof = 1;
		in->ilen += (size_t)got;
	}
	return 0;
}

/* Drop what was used and read once more: bytes read, 0 at end, -1. */
static long
fill(struct hark_input *in, struct hark_err *err)
{
	in->ipos = in->ilen = 0;
	if (need(in, 1, err) < 0)
		return -1;
	return (long)in->ilen;
}

static int
is_gzip(const struct hark_input *in)
{
	return in->ilen - in->ipos >= 2 && in->ibuf[in->ipos] == 0x1f &&
	    in->ibuf[in->ipos + 1] == 0x8b;
}

static long
read_gzip(struct hark_input *in, void *buf, size_t n, struct hark_err *err)
{
	for (;;) {
		int zr;

		if (in->member_end) {
			/* after a member: another one, zero padding, or
			 * the end */
			for (;;) {
				while (in->ipos < in->ilen &&
				    in->ibuf[in->ipos] == 0)
					in->ipos++;
				if (in->ipos < in->ilen || in->eof)
					break;
				if (fill(in, err) < 0)
					return -1;
			}
			if (in->ipos == in->ilen)
				return 0;
			if (need(in, 2, err) < 0)
				return -1;
			if (!is_gzip(in))
				return hark_err_set(err, 3, "%s: corrupt "
				    "compressed data: trailing garbage after "
				    "the gzip data", in->name);
			if (inflateReset(&in->zs) != Z_OK)
				return hark_err_set(err, 1, "%s: cannot "
				    "restart decompression", in->name);
			in->member_end = 0;
		}
		if (in->ipos == in->ilen) {
			long got = fill(in, err);

			if (got < 0)
				return -1;
			if (got == 0)
				return hark_err_set(err, 3, "%s: truncated "
				    "compressed data (unexpected end of file)",
				    in->name);
		}
		in->zs.next_in = in->ibuf + in->ipos;
		in->zs.avail_in = (uInt)(in->ilen - in->ipos);
		in->zs.next_out = buf;
		in->zs.avail_out = (uInt)n;
		zr = inflate(&in->zs, Z_NO_FLUSH);
		in->ipos = in->ilen - in->zs.avail_in;
		if (zr == Z_STREAM_END)
			in->member_end = 1;
		else if (zr == Z_MEM_ERROR)
			return hark_err_set(err, 1, "%s: out of memory",
			    in->name);
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return hark_err_set(err, 3, "%s: corrupt compressed "
			    "data: %s", in->name, in->zs.msg != NULL ?
			    in->zs.msg : "invalid data");
		if (in->zs.avail_out < n)
			return (long)(n - in->zs.avail_out);
	}
}

long
hark_input_read(struct hark_input *in, void *buf, size_t n,
    struct hark_err *err)
{
	size_t have;

	if (n > INT_MAX)
		n = INT_MAX;
	if (n == 0 || in->ibuf == NULL)
		return 0;
	if (in->mode == 0) {
		/* the first bytes decide; a lone 0x1f waits for the next */
		if (fill(in, err) < 0 || (in->ilen == 1 && in->ibuf[0] ==
		    0x1f && need(in, 2, err) < 0))
			return -1;
		in->mode = is_gzip(in) ? 2 : 1;
		if (in->mode == 2) {
			if (inflateInit2(&in->zs, 15 + 16) != Z_OK)
				return hark_err_set(err, 1, "%s: out of "
				    "memory", in->name);
			in->zinit = 1;
		}
	}
	if (in->mode == 2)
		return read_gzip(in, buf, n, err);
	if (in->ipos == in->ilen && fill(in, err) < 0)
		return -1;
	have = in->ilen - in->ipos;
	if (have > n)
		have = n;
	memcpy(buf, in->ibuf + in->ipos, have);
	in->ipos += have;
	return (long)have;
}

void
hark_input_close(struct hark_input *in)
{
	if (in->zinit)
		inflateEnd(&in->zs);
	if (in->ibuf != NULL)	/* opened (a zeroed input is not) */
		close(in->fd);
	free(in->ibuf);
	free(in->path);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
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
	{
		/* a device or FIFO ("-o /dev/null", "-o >(cmd)") is written
		 * in place: renaming a file over it would replace it */
		struct stat st;

		if (atomic && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
			atomic = 0;
	}
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
