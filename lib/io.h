/*
 * io.h - input files ("-" = stdin, gzip read transparently) and checked
 * output (stdout or -o FILE written through a temporary and renamed).
 */
#ifndef HARK_IO_H
#define HARK_IO_H

#include <zlib.h>
#include "hark.h"
#include "err.h"

struct hark_input {
	int fd;			/* open while ibuf is set */
	const char *name;	/* for messages: the path or "<stdin>" */
	char *path;		/* owned copy of the path, NULL for stdin */
	int mode;		/* 0 not known yet, 1 plain, 2 gzip */
	int member_end;		/* gzip: between members (a clean end) */
	int eof;		/* read(2) returned 0 */
	unsigned char *ibuf;	/* raw bytes read and not yet used */
	size_t ipos, ilen;
	z_stream zs;		/* gzip mode only */
	int zinit;
};

/*
 * Open PATH ("-" or NULL: standard input).  Plain and gzip-compressed
 * data are both read: the first two bytes decide (the gzip magic 1f 8b).
 * -1 with err->code 1 when it cannot be opened.
 */
int hark_input_open(struct hark_input *in, const char *path,
    struct hark_err *err);
/* Read the open descriptor FD (taken over: closed by hark_input_close),
 * named NAME in messages; gzip is detected as by hark_input_open. */
int hark_input_fdopen(struct hark_input *in, int fd, const char *name);
/*
 * Read up to N bytes; returns bytes read, 0 at end, -1 on error.  It
 * returns as soon as some bytes are there (one read(2) at most when the
 * buffer is empty), so a live pipe is read record by record, compressed
 * or not; concatenated gzip members are read as one stream.  Code 1
 * for a read error, code 3 for damaged compressed data, which includes a
 * gzip stream cut short (no end of data or no trailer, "FILE: truncated
 * compressed data (unexpected end of file)"); the bytes before the damage
 * have been returned by earlier calls.
 */
long hark_input_read(struct hark_input *in, void *buf, size_t n,
    struct hark_err *err);
/* Close; also fine on a never-opened input zeroed by the caller. */
void hark_input_close(struct hark_input *in);

struct hark_output {
	FILE *fp;
	char *path;		/* final path, NULL for stdout */
	char *tmp;		/* temporary being written, or NULL */
	int unbuffered;
	int failed;		/* a write failed (errno kept in err) */
	int err_no;
};

/*
 * Open PATH for writing: NULL or "-" is stdout (fully buffered); a file is
 * written as PATH.tmp.XXXXXX and renamed over PATH by a successful
 * hark_output_close().  ATOMIC 0 writes PATH directly (for --rejects), and
 * so is an existing PATH that is not a regular file (/dev/null, a FIFO):
 * a rename would replace the device with a file.
 */
int hark_output_open(struct hark_output *out, const char *path, int atomic,
    struct hark_err *err);
/* Write N bytes; -1 on error (remembered, reported by close). */
int hark_output_write(struct hark_output *out, const void *p, size_t n);
/* End of one record: flushes when unbuffered. */
int hark_output_end_record(struct hark_output *out);
/*
 * Flush, check and close; with a temporary, rename it into place (or
 * remove it when COMMIT is 0 or anything failed).  A write that failed
 * with EPIPE makes the process exit quietly with status 141-like
 * behaviour (raise SIGPIPE); other failures return -1 with ERR filled
 * ("write error on 'FILE': ...", code 1).
 */
int hark_output_close(struct hark_output *out, int commit,
    struct hark_err *err);

/* Read a whole file (NULL/"-" stdin, gzip transparent) into a new buffer
 * of at most MAX bytes, NUL-terminated; *LEN gets its length. */
char *hark_read_file(const char *path, size_t max, size_t *len,
    struct hark_err *err);

#endif
