/* chart.c - grids (table, CSV, Markdown, HTML), the HTML page and SVG bar
 * charts shared by the report commands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chart.h"
#include "err.h"
#include "banned.h"

void
hark_chart_puts(struct hark_output *out, const char *s)
{
	hark_output_write(out, s, strlen(s));
}

void
hark_chart_printf(struct hark_output *out, const char *fmt, ...)
{
	char buf[4096], *p = buf;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		p = hark_xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	hark_output_write(out, p, (size_t)n);
	if (p != buf)
		free(p);
}

#define outs hark_chart_puts
#define outf hark_chart_printf

/* ---- grids ---- */

void
hark_grid_init(struct hark_grid *g, size_t ncol)
{
	memset(g, 0, sizeof(*g));
	g->ncol = ncol;
	g->num = hark_xcalloc(ncol, 1);
}

void
hark_grid_put(struct hark_grid *g, size_t row, size_t col, const char *s)
{
	if (row >= g->nrow) {
		size_t need = (row + 1) * g->ncol;

		if (need > g->cap) {
			size_t nc = g->cap ? g->cap * 2 : g->ncol * 16;

			while (nc < need)
				nc *= 2;
			g->cell = hark_xrealloc(g->cell, nc * sizeof(char *));
			memset(g->cell + g->cap, 0, (nc - g->cap) *
			    sizeof(char *));
			g->cap = nc;
		}
		g->nrow = row + 1;
	}
	free(g->cell[row * g->ncol + col]);
	g->cell[row * g->ncol + col] = hark_xstrdup(s != NULL ? s : "");
}

void
hark_grid_release(struct hark_grid *g)
{
	size_t i;

	for (i = 0; i < g->nrow * g->ncol; i++)
		free(g->cell[i]);
	free(g->cell);
	free(g->num);
	memset(g, 0, sizeof(*g));
}

static size_t
u8len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static const char *
cellv(const struct hark_grid *g, size_t r, size_t c)
{
	const char *s = g->cell[r * g->ncol + c];

	return s != NULL ? s : "";
}

static void
grid_table(const struct hark_grid *g, struct hark_output *out)
{
	size_t *w = hark_xcalloc(g->ncol ? g->ncol : 1, sizeof(*w)), r, c, k;

	for (r = 0; r < g->nrow; r++)
		for (c = 0; c < g->ncol; c++)
			w[c] = HARK_MAX(w[c], u8len(cellv(g, r, c)));
	for (r = 0; r < g->nrow; r++) {
		for (c = 0; c < g->ncol; c++) {
			const char *s = cellv(g, r, c);
			size_t pad = w[c] - u8len(s);
			int right = g->num[c] && r > 0;

			if (c > 0)
				outs(out, "  ");
			if (right)
				for (k = 0; k < pad; k++)
					outs(out, " ");
			outs(out, s);
			if (!right && c + 1 < g->ncol)
				for (k = 0; k < pad; k++)
					outs(out, " ");
		}
		outs(out, "\n");
	}
	free(w);
}

static void
csv_cell(struct hark_output *out, const char *s, int text)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	/* A spreadsheet runs =, +, -, @ (and tab/CR) at the start of a
	 * cell as a formula: prefix such text with an apostrophe. */
	int formula = text && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

	if (formula)
		quote = 1;
	if (!quote) {
		outs(out, s);
		return;
	}
	outs(out, "\"");
	if (formula)
		outs(out, "'");
	for (; *s != '\0'; s++) {
		if (*s == '"')
			outs(out, "\"\"");
		else
			hark_output_write(out, s, 1);
	}
	outs(out, "\"");
}

static void
grid_csv(const struct hark_grid *g, struct hark_output *out)
{
	size_t r, c;

	for (r = 0; r < g->nrow; r++) {
		for (c = 0; c < g->ncol; c++) {
			if (c > 0)
				outs(out, ",");
			csv_cell(out, cellv(g, r, c), !g->num[c] || r == 0);
		}
		outs(out, "\r\n");
	}
}

static void
md_cell(struct hark_output *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '`' ||
		    *s == '<' || *s == '[')
			outs(out, "\\");
		if (*s == '\n' || *s == '\r')
			outs(out, " ");
		else
			hark_output_write(out, s, 1);
	}
}

static void
grid_markdown(const struct hark_grid *g, struct hark_output *out)
{
	size_t r, c;

	for (r = 0; r < g->nrow; r++) {
		outs(out, "|");
		for (c = 0; c < g->ncol; c++) {
			outs(out, " ");
			md_cell(out, cellv(g, r, c));
			outs(out, " |");
		}
		outs(out, "\n");
		if (r == 0) {
			outs(out, "|");
			for (c = 0; c < g->ncol; c++)
				outs(out, g->num[c] ? " ---: |" : " --- |");
			outs(out, "\n");
		}
	}
}

/*
 * Formats meant for a person (table, Markdown, HTML) never pass a
 * record's control characters on: ESC, BEL, CR and the C1 controls would
 * reach the reader's terminal (STYLE.md 5).  Line breaks and tabs become
 * spaces, other controls and invalid UTF-8 '?'.  CSV and NDJSON are data
 * and keep every byte.
 */
void
hark_grid_clean(struct hark_grid *g)
{
	size_t i, k, n;

	for (i = 0; i < g->nrow * g->ncol; i++) {
		char *s = g->cell[i], *t;

		if (s == NULL)
			continue;
		n = strlen(s);
		for (k = 0; k < n; k++)
			if (s[k] == '\n' || s[k] == '\r' || s[k] == '\t')
				s[k] = ' ';
		t = hark_xmalloc(n + 8);
		hark_sanitize(t, n + 8, s, n);
		free(s);
		g->cell[i] = t;
	}
}

void
hark_grid_write(struct hark_grid *g, enum hark_grid_format f,
    struct hark_output *out)
{
	if (f == HARK_GRID_CSV) {
		grid_csv(g, out);
		return;
	}
	hark_grid_clean(g);
	if (f == HARK_GRID_MARKDOWN)
		grid_markdown(g, out);
	else
		grid_table(g, out);
}

/* ---- HTML ---- */

void
hark_chart_html_text(struct hark_output *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<': outs(out, "&lt;"); break;
		case '>': outs(out, "&gt;"); break;
		case '&': outs(out, "&amp;"); break;
		case '"': outs(out, "&quot;"); break;
		case '\'': outs(out, "&#39;"); break;
		default: hark_output_write(out, s, 1);
		}
	}
}

void
hark_grid_html(const struct hark_grid *g, struct hark_output *out)
{
	size_t r, c;

	outs(out, "<table>\n<thead><tr>");
	for (c = 0; c < g->ncol; c++) {
		outs(out, "<th>");
		hark_chart_html_text(out, cellv(g, 0, c));
		outs(out, "</th>");
	}
	outs(out, "</tr></thead>\n<tbody>\n");
	for (r = 1; r < g->nrow; r++) {
		outs(out, "<tr>");
		for (c = 0; c < g->ncol; c++) {
			outs(out, g->num[c] ? "<td class=\"n\">" : "<td>");
			hark_chart_html_text(out, cellv(g, r, c));
			outs(out, "</td>");
		}
		outs(out, "</tr>\n");
	}
	outs(out, "</tbody>\n</table>\n");
}

void
hark_chart_page_begin(struct hark_output *out, const char *title,
    const char *extra_css)
{
	outs(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>");
	hark_chart_html_text(out, title);
	outs(out, "</title>\n<style>\n"
	    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\n"
	    "table{border-collapse:collapse;margin:1em 0}\n"
	    "th,td{border:1px solid #ccc;padding:2px 6px}\n"
	    "th{background:#f3f3f3}td.n{text-align:right}\n"
	    ".axis{stroke:#555}.ok{fill:#3a8f5c}.late{fill:#c8423b}\n"
	    ".vol{fill:#bbb}.target{stroke:#c8423b;stroke-dasharray:4 3}\n"
	    ".lbl{font-size:11px;text-anchor:middle;fill:#333}"
	    ".t{text-anchor:start}\n");
	if (extra_css != NULL)
		outs(out, extra_css);
	outs(out, "</style>\n</head>\n<body>\n<h1>");
	hark_chart_html_text(out, title);
	outs(out, "</h1>\n");
}

void
hark_chart_page_end(struct hark_output *out)
{
	outs(out, "</body>\n</html>\n");
}

/* ---- SVG ---- */

void
hark_chart_svg_open(struct hark_output *out, const char *label, int w, int h)
{
	outs(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-label=\"");
	hark_chart_html_text(out, label);
	outf(out, "\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
	    w, h, w, h);
}

void
hark_chart_axis(struct hark_output *out, int x1, int y1, int x2, int y2)
{
	outf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "class=\"axis\"/>\n", x1, y1, x2, y2);
}

void
hark_chart_bars(struct hark_output *out, const struct hark_chart_bars *c)
{
	int W = c->width, H = c->height, L = 50, B = 50;
	int n = (int)c->nbar, ns = (int)c->nseries, i, s;
	double max = 1, bw;

	for (i = 0; i < n; i++) {
		double sum = 0;

		for (s = 0; s < ns; s++) {
			double v = c->val[i * ns + s];

			sum = c->stacked ? sum + v : HARK_MAX(sum, v);
		}
		max = HARK_MAX(max, sum);
	}
	bw = n > 0 ? (double)(W - L - 10) / n : 1;
	hark_chart_svg_open(out, c->label, W, H);
	hark_chart_axis(out, L, H - B, W - 10, H - B);
	for (i = 0; i < n; i++) {
		double xx = L + i * bw, base = 0;

		for (s = 0; s < ns; s++) {
			double h = c->val[i * ns + s] / max * (H - B - 20);
			const char *t = c->title != NULL ?
			    c->title[i * ns + s] : NULL;

			outf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" class=\"", xx + 1,
			    H - B - base - h, bw > 3 ? bw - 2 : bw, h);
			hark_chart_html_text(out, c->cls[s]);
			if (t != NULL) {
				outs(out, "\"><title>");
				hark_chart_html_text(out, t);
				outs(out, "</title></rect>\n");
			} else {
				outs(out, "\"/>\n");
			}
			if (c->stacked)
				base += h;
		}
		if (c->xlabel != NULL && (n <= 16 || i % ((n + 15) / 16) ==
		    0)) {
			outf(out, "<text x=\"%.1f\" y=\"%d\" class=\"lbl\">",
			    xx + bw / 2, H - B + 16);
			hark_chart_html_text(out, c->xlabel[i]);
			outs(out, "</text>\n");
		}
	}
	outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">", W / 2, H - 12);
	hark_chart_html_text(out, c->caption);
	outs(out, "</text>\n</svg>\n");
}

void
hark_chart_hbars(struct hark_output *out, const char *label, size_t n,
    const char *const *name, const double *val, const char *const *valtext,
    const char *cls)
{
	int W = 720, row = 20, L = 220, H = (int)n * row + 20;
	double max = 1;
	size_t i;

	for (i = 0; i < n; i++)
		max = HARK_MAX(max, val[i]);
	hark_chart_svg_open(out, label, W, H);
	for (i = 0; i < n; i++) {
		double w = val[i] > 0 ? val[i] / max * (W - L - 170) : 0;
		int y = 10 + (int)i * row;

		outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\" "
		    "style=\"text-anchor:end\">", L - 6,
		    y + 13);
		hark_chart_html_text(out, name[i]);
		outf(out, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
		    "height=\"%d\" class=\"", L, y + 2, w, row - 4);
		hark_chart_html_text(out, cls);
		outs(out, "\"><title>");
		hark_chart_html_text(out, name[i]);
		outs(out, ": ");
		if (valtext != NULL && valtext[i] != NULL)
			hark_chart_html_text(out, valtext[i]);
		else
			outf(out, "%g", val[i]);
		outf(out, "</title></rect>\n<text x=\"%.1f\" y=\"%d\" "
		    "class=\"lbl t\">", L + w + 4, y + 13);
		if (valtext != NULL && valtext[i] != NULL)
			hark_chart_html_text(out, valtext[i]);
		else
			outf(out, "%g", val[i]);
		outs(out, "</text>\n");
	}
	outs(out, "</svg>\n");
}
