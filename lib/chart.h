/*
 * chart.h - what the report commands (sla-report, mention-report) write
 * for people: a grid of cells rendered as an aligned terminal table, CSV
 * (injection-safe), Markdown or an HTML table; the skeleton of one
 * self-contained HTML page (inline CSS, no scripts, nothing fetched); and
 * inline SVG bar charts.
 *
 * Every writer goes to a struct hark_output (lib/io.h) and never fails on
 * its own: write errors are the output's to report when it is closed.
 * Nothing here prints to stderr or exits (allocation failure aside,
 * hark_xmalloc).  Text from records is escaped for the format it lands
 * in: HTML and SVG text through hark_chart_html_text, Markdown cells by
 * backslashes, CSV cells quoted with a leading apostrophe before a
 * formula character; table and Markdown cells lose control characters
 * (hark_grid_clean).
 */
#ifndef HARK_CHART_H
#define HARK_CHART_H

#include "hark.h"
#include "io.h"

/* Write the NUL-terminated S; printf-style output (any length). */
void hark_chart_puts(struct hark_output *out, const char *s);
void hark_chart_printf(struct hark_output *out, const char *fmt, ...)
    HARK_PRINTF(2, 3);

/* ---- grids ---- */

enum hark_grid_format {
	HARK_GRID_TABLE,	/* columns padded with spaces, two between */
	HARK_GRID_CSV,		/* RFC 4180, CRLF; formula text defused */
	HARK_GRID_MARKDOWN	/* a pipe table; numeric columns right */
};

struct hark_grid {
	size_t ncol, nrow, cap;
	char **cell;		/* row-major, owned; row 0 = header */
	unsigned char *num;	/* per column: numbers (right-aligned; CSV
				 * writes them without the formula guard) */
};

void hark_grid_init(struct hark_grid *g, size_t ncol);
/* Set cell ROW, COL to a copy of S (NULL: empty); rows grow as needed. */
void hark_grid_put(struct hark_grid *g, size_t row, size_t col,
    const char *s);
void hark_grid_release(struct hark_grid *g);
/*
 * Make every cell fit for a person's eyes: line breaks and tabs become
 * spaces, other control characters and invalid UTF-8 '?'
 * (hark_sanitize).  CSV keeps every byte, so hark_grid_write calls this
 * only for the table and Markdown.
 */
void hark_grid_clean(struct hark_grid *g);
/* Write G in format F (cleaning it first unless F is CSV). */
void hark_grid_write(struct hark_grid *g, enum hark_grid_format f,
    struct hark_output *out);
/* Write G as an HTML <table> (header row in <thead>, numeric cells
 * class "n"); cells are escaped, not cleaned. */
void hark_grid_html(const struct hark_grid *g, struct hark_output *out);

/* ---- HTML page ---- */

/* Write S (NULL: nothing) with < > & " ' escaped. */
void hark_chart_html_text(struct hark_output *out, const char *s);
/*
 * Write the page up to and including "<h1>TITLE</h1>\n": doctype, UTF-8,
 * the shared style sheet (tables, chart axes, bars, labels) and EXTRA_CSS
 * (NULL: none) after it.  The page loads nothing: no script, no link, no
 * image, no font.
 */
void hark_chart_page_begin(struct hark_output *out, const char *title,
    const char *extra_css);
/* Close the page: "</body>\n</html>\n". */
void hark_chart_page_end(struct hark_output *out);

/* ---- SVG charts ---- */

/* Open an inline <svg> of W x H pixels whose accessible name is LABEL
 * (escaped); the caller draws into it and writes "</svg>\n". */
void hark_chart_svg_open(struct hark_output *out, const char *label, int w,
    int h);
/* A horizontal or vertical axis line (CSS class "axis"). */
void hark_chart_axis(struct hark_output *out, int x1, int y1, int x2,
    int y2);

/*
 * Vertical bars, one per period or day, each of NSERIES values.
 * STACKED 0 draws every series from the axis in order (a later, smaller
 * series overlays the earlier: "conversations, and those breached");
 * STACKED 1 piles them up.  The scale is the largest bar (overlay: the
 * largest value; stacked: the largest sum), at least 1.  XLABEL[i] is
 * written under bar i, for every k-th bar so that at most 16 show;
 * TITLE[i * NSERIES + s] (NULL entries, or a NULL array: none) is the
 * tooltip of that rectangle.  CLS[s] is the CSS class of series S.
 */
struct hark_chart_bars {
	const char *label;		/* aria-label of the <svg> */
	const char *caption;		/* text under the labels */
	int width, height;		/* 720 x 240 is the house size */
	size_t nbar, nseries;
	const double *val;		/* [bar * nseries + series] */
	const char *const *cls;		/* [series] */
	const char *const *xlabel;	/* [bar], may be NULL */
	const char *const *title;	/* [bar * nseries + series] or NULL */
	int stacked;
};
void hark_chart_bars(struct hark_output *out, const struct hark_chart_bars *c);

/*
 * Horizontal bars, one per NAME[i] with value VAL[i] (scaled to the
 * largest, at least 1), the value written after the bar as VALTEXT[i]
 * (NULL: the value with %g), class CLS; for ranked lists (rising terms).
 */
void hark_chart_hbars(struct hark_output *out, const char *label, size_t n,
    const char *const *name, const double *val, const char *const *valtext,
    const char *cls);

#endif
