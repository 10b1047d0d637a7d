/* filter.c - the record loop shared by every NDJSON command. */
#include <unistd.h>
#include "filter.h"
#include "buf.h"

void
hark_report_data_error(const char *file, long lineno,
    const struct hark_err *err)
{
	char clean[HARK_ERR_MSG_MAX];

	hark_sanitize(clean, sizeof(clean), err->msg, strlen(err->msg));
	if (err->column > 0)
		hark_error("%s:%ld:%ld: %s", file, lineno, err->column, clean);
	else
		hark_error("%s:%ld: %s", file, lineno, clean);
}

struct loop {
	const struct hark_common *c;
	const struct hark_filter_ops *ops;
	void *ctx;
	struct hark_output out, rej;
	int have_rej;
	struct hark_buf line;
	struct hark_json_members mem;	/* spans of the record being read */
	struct hark_filter_stats st;
	int status;
	int stop;
};

/* LINE as read, with CR when it ended in CRLF: --rejects gets its bytes. */
static void
reject(struct loop *l, const char *file, long lineno, const char *line,
    size_t len, int cr, const struct hark_err *err, int copied)
{
	hark_report_data_error(file, lineno, err);
	l->st.rejected++;
	if (l->have_rej && !copied) {
		hark_output_write(&l->rej, line, len);
		hark_output_write(&l->rej, cr ? "\r\n" : "\n", cr ? 2 : 1);
		hark_output_end_record(&l->rej);
	}
	if (!l->c->skip_invalid)
		l->status = hark_exit_merge(l->status, HARK_EXIT_DATA);
	if (l->c->strict)
		l->stop = 1;
}

static void
one_record(struct loop *l, const char *file, long lineno, const char *line,
    size_t len, int cr)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_filter_rec r;
	json_t *rec = NULL;
	int act;

	l->st.read++;
	if (hark_json_record(line, len, l->ops->lazy ? l->ops->lazy->names :
	    NULL, l->ops->lazy ? l->ops->lazy->n : 0, l->ops->lazy == NULL,
	    &rec, &l->mem, &err) < 0) {
		reject(l, file, lineno, line, len, cr, &err, 0);
		return;
	}
	r.rec = rec;
	r.line = line;
	r.len = len;
	r.file = file;
	r.lineno = lineno;
	r.add = json_object();
	act = l->ops->record(l->ctx, &r, &err);
	if (act == HARK_REC_REJECT) {
		if (err.msg[0] == '\0')
			snprintf(err.msg, sizeof(err.msg), "invalid record");
		reject(l, file, lineno, line, len, cr, &err, 0);
	} else if (act == HARK_REC_EMIT) {
		hark_buf_reset(&l->line);
		if (hark_ndjson_splice_members(&l->line, line, len, &l->mem,
		    r.add, l->ops->dump_flags) < 0 ||
		    hark_buf_addch(&l->line, '\n') < 0) {
			hark_err_set(&err, 3, "record too large after "
			    "adding fields");
			reject(l, file, lineno, line, len, cr, &err, 0);
		} else {
			hark_output_write(&l->out, l->line.ptr, l->line.len);
			hark_output_end_record(&l->out);
			l->st.written++;
		}
	}
	json_decref(r.add);
	json_decref(rec);
}

static void
one_file(struct loop *l, const char *path)
{
	struct hark_input in;
	struct hark_reader rd;
	struct hark_err err = HARK_ERR_INIT;
	const char *line;
	size_t len;
	enum hark_read_status rs;

	if (hark_input_open(&in, path, &err) < 0) {
		hark_error("%s", err.msg);
		l->st.files_failed++;
		l->status = hark_exit_merge(l->status, HARK_EXIT_FAILURE);
		return;
	}
	if (in.path == NULL && isatty(STDIN_FILENO) && !hark_quiet)
		fprintf(stderr, "%s: reading records from the terminal "
		    "(Ctrl-D ends)\n", hark_progname);
	hark_reader_init(&rd, &in, l->have_rej ? &l->rej : NULL,
	    l->ops->max_line);
	while (!l->stop) {
		rs = hark_reader_next(&rd, &line, &len, &err);
		if (rs == HARK_READ_EOF)
			break;
		if (rs == HARK_READ_ERROR) {
			hark_error("%s", err.msg);
			l->status = hark_exit_merge(l->status, err.code == 3 ?
			    HARK_EXIT_DATA : HARK_EXIT_FAILURE);
			break;
		}
		if (rs == HARK_READ_TOOLONG) {
			l->st.read++;
			hark_err_set(&err, 3, "line longer than %zu bytes",
			    rd.max_line);
			reject(l, in.name, rd.lineno, NULL, 0, 0, &err, 1);
			continue;
		}
		one_record(l, in.name, rd.lineno, line, len, rd.cr);
	}
	hark_reader_release(&rd);
	hark_input_close(&in);
}

int
hark_filter_run(const struct hark_common *c, int argc, char **argv,
    const struct hark_filter_ops *ops, void *ctx,
    struct hark_filter_stats *stats)
{
	struct loop l;
	struct hark_err err = HARK_ERR_INIT;
	int i;

	memset(&l, 0, sizeof(l));
	l.c = c;
	l.ops = ops;
	l.ctx = ctx;
	hark_buf_init(&l.line, (ops->max_line ? ops->max_line :
	    HARK_LINE_MAX_DEFAULT) * 4 + 65536);
	if (hark_output_open(&l.out, c->output, 1, &err) < 0)
		hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
	l.out.unbuffered = c->unbuffered;
	if (c->rejects) {
		if (hark_output_open(&l.rej, c->rejects, 0, &err) < 0)
			hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
		l.rej.unbuffered = 1;
		l.have_rej = 1;
	}
	if (argc == 0)
		one_file(&l, "-");
	for (i = 0; i < argc && !l.stop; i++)
		one_file(&l, argv[i]);
	if (ops->finish && !l.stop)
		l.status = hark_exit_merge(l.status, ops->finish(ctx, &l.out));
	if (hark_output_close(&l.out, 1, &err) < 0) {
		hark_error("%s", err.msg);
		l.status = hark_exit_merge(l.status, HARK_EXIT_FAILURE);
	}
	if (l.have_rej && hark_output_close(&l.rej, 1, &err) < 0) {
		hark_error("%s", err.msg);
		l.status = hark_exit_merge(l.status, HARK_EXIT_FAILURE);
	}
	hark_buf_release(&l.line);
	hark_json_members_release(&l.mem);
	if (c->verbose)
		fprintf(stderr, "%s: %ld records read, %ld written, %ld "
		    "rejected%s\n", hark_progname, l.st.read, l.st.written,
		    l.st.rejected, l.st.files_failed ? ", some files "
		    "unreadable" : "");
	else if (l.st.rejected && c->skip_invalid)
		hark_warn("%ld records skipped", l.st.rejected);
	if (stats)
		*stats = l.st;
	return l.status;
}
