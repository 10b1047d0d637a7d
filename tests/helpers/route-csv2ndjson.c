/*
 * route-csv2ndjson - CSV with a header line on stdin to NDJSON on stdout:
 * one object per row, every column a string member named by the header
 * (fields may span lines).  Used by tests/eval/route.sh to read the
 * labelled sets in ../shared/data in place.
 */
#include <csv.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "json.h"

struct state {
	char **names;
	size_t nnames, col;
	int header;
	json_t *row;
};

static void
on_field(void *s, size_t len, void *data)
{
	struct state *st = data;

	if (st->header) {
		st->names = hark_xrealloc(st->names, (st->nnames + 1) *
		    sizeof(char *));
		st->names[st->nnames++] = hark_xstrndup(s, len);
	} else if (st->col < st->nnames) {
		json_t *v = json_stringn(s, len);

		json_object_set_new(st->row, st->names[st->col],
		    v ? v : json_string("\xef\xbf\xbd"));
	}
	st->col++;
}

static void
on_row(int c, void *data)
{
	struct state *st = data;

	(void)c;
	if (!st->header && json_object_size(st->row) > 0) {
		char *s = hark_json_dumps(st->row, JSON_COMPACT |
		    JSON_PRESERVE_ORDER);

		puts(s);
		free(s);
	}
	json_decref(st->row);
	st->row = json_object();
	st->header = 0;
	st->col = 0;
}

int
main(void)
{
	struct csv_parser p;
	struct state st = { NULL, 0, 0, 1, NULL };
	char buf[65536];
	size_t n;

	st.row = json_object();
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return 1;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, &st) != n) {
			fprintf(stderr, "route-csv2ndjson: %s\n",
			    csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_row, &st);
	csv_free(&p);
	json_decref(st.row);
	return fflush(stdout) == 0 ? 0 : 1;
}
