/* config.c - hark.conf(5) parser. */
#include <ctype.h>
#include <strings.h>
#include <unistd.h>
#include "config.h"
#include "buf.h"
#include "xdg.h"

#define CONFIG_MAX (16u << 20)

void
hark_config_init(struct hark_config *cfg)
{
	cfg->path = NULL;
	cfg->sections = NULL;
	cfg->nsections = 0;
}

void
hark_config_release(struct hark_config *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->nsections; i++) {
		struct hark_config_section *s = &cfg->sections[i];

		for (j = 0; j < s->nentries; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
			free(s->entries[j].spans);
		}
		free(s->entries);
		free(s->type);
		free(s->name);
	}
	free(cfg->sections);
	free(cfg->path);
	hark_config_init(cfg);
}

static char *
lower_dup(const char *p, size_t n)
{
	char *s = hark_xstrndup(p, n);
	size_t i;

	for (i = 0; s[i]; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	return s;
}

static int
is_key_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* Parse a quoted string starting at *P (on the quote) into OUT. */
static int
parse_quoted(const char **pp, const char *end, struct hark_buf *out)
{
	const char *p = *pp + 1;

	while (p < end && *p != '"') {
		int c = (unsigned char)*p++;

		if (c == '\\') {
			if (p >= end)
				return -1;
			switch (*p++) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default: return -1;
			}
		}
		if (hark_buf_addch(out, c) < 0)
			return -1;
	}
	if (p >= end)
		return -1;
	*pp = p + 1;
	return 0;
}

static void
add_section(struct hark_config *cfg, char *type, char *name, long line)
{
	struct hark_config_section *s;

	cfg->sections = hark_xrealloc(cfg->sections,
	    (cfg->nsections + 1) * sizeof(*cfg->sections));
	s = &cfg->sections[cfg->nsections++];
	s->type = type;
	s->name = name;
	s->line = line;
	s->entries = NULL;
	s->nentries = 0;
}

static void
add_entry(struct hark_config_section *s, char *key, char *value, long line,
    long key_column, long column)
{
	struct hark_config_entry *e;

	s->entries = hark_xrealloc(s->entries,
	    (s->nentries + 1) * sizeof(*s->entries));
	e = &s->entries[s->nentries++];
	e->key = key;
	e->value = value;
	e->line = line;
	e->key_column = key_column;
	e->column = column;
	e->spans = NULL;
	e->nspans = 0;
}

static const char *
skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static int
parse_header(struct hark_config *cfg, const char *line, const char *end,
    long lineno, struct hark_err *err)
{
	const char *p = skip_blank(line + 1, end), *t = p;
	struct hark_buf name = HARK_BUF_INIT(4096);
	char *type;

	while (p < end && is_key_char((unsigned char)*p))
		p++;
	if (p == t)
		return hark_err_setl(err, 2, lineno, p - line + 1,
		    "section name expected");
	type = lower_dup(t, (size_t)(p - t));
	p = skip_blank(p, end);
	if (p < end && *p == '"') {
		if (parse_quoted(&p, end, &name) < 0) {
			free(type);
			hark_buf_release(&name);
			return hark_err_setl(err, 2, lineno, p - line + 1,
			    "unterminated or invalid quoted section name");
		}
		p = skip_blank(p, end);
	}
	if (p >= end || *p != ']') {
		free(type);
		hark_buf_release(&name);
		return hark_err_setl(err, 2, lineno, p - line + 1,
		    "']' expected");
	}
	p = skip_blank(p + 1, end);
	if (p < end && *p != '#' && *p != ';') {
		free(type);
		hark_buf_release(&name);
		return hark_err_setl(err, 2, lineno, p - line + 1,
		    "unexpected text after section header");
	}
	add_section(cfg, type, name.ptr ? hark_buf_detach(&name, NULL) :
	    NULL, lineno);
	hark_buf_release(&name);
	return 0;
}

int
hark_config_parse(struct hark_config *cfg, const char *name,
    const char *text, size_t len, struct hark_err *err)
{
	const char *p = text, *end = text + len;
	long lineno = 0;
	struct hark_buf val = HARK_BUF_INIT(CONFIG_MAX);
	struct hark_config_span *spans = NULL;
	size_t nspans = 0;

	if (cfg->path == NULL && name)
		cfg->path = hark_xstrdup(name);
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *line = p, *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le, *k, *q;
		char *key;
		long keyline, keycol, col;

		if (eol == NULL)
			eol = end;
		p = eol < end ? eol + 1 : end;
		lineno++;
		le = eol;
		if (le > line && le[-1] == '\r')
			le--;
		q = skip_blank(line, le);
		if (q == le || *q == '#' || *q == ';')
			continue;
		if (*q == '[') {
			if (parse_header(cfg, q, le, lineno, err) < 0) {
				if (err)
					err->column += q - line;
				goto fail;
			}
			continue;
		}
		k = q;
		while (q < le && is_key_char((unsigned char)*q))
			q++;
		if (q == k) {
			hark_err_setl(err, 2, lineno, q - line + 1,
			    "key or section header expected");
			goto fail;
		}
		if (cfg->nsections == 0) {
			hark_err_setl(err, 2, lineno, 1,
			    "key '%.*s' outside any section", (int)(q - k), k);
			goto fail;
		}
		key = lower_dup(k, (size_t)(q - k));
		q = skip_blank(q, le);
		if (q >= le || *q != '=') {
			free(key);
			hark_err_setl(err, 2, lineno, q - line + 1,
			    "'=' expected after key");
			goto fail;
		}
		q = skip_blank(q + 1, le);
		keyline = lineno;
		keycol = k - line + 1;
		col = q - line + 1;
		hark_buf_reset(&val);
		spans = NULL;
		nspans = 0;
		for (;;) {
			const char *ve;

			if (val.len == 0 && q < le && *q == '"') {
				if (parse_quoted(&q, le, &val) < 0) {
					free(key);
					hark_err_setl(err, 2, lineno,
					    q - line + 1,
					    "unterminated or invalid quoted value");
					goto fail;
				}
				q = skip_blank(q, le);
				if (q < le && *q != '#' && *q != ';') {
					free(key);
					hark_err_setl(err, 2, lineno,
					    q - line + 1,
					    "unexpected text after quoted value");
					goto fail;
				}
				break;
			}
			ve = le;
			while (ve > q && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (ve > q && ve[-1] == '\\' && p < end) {
				/* continuation: join with one space */
				hark_buf_add(&val, q, (size_t)(ve - 1 - q));
				hark_buf_addch(&val, ' ');
				line = p;
				eol = memchr(p, '\n', (size_t)(end - p));
				if (eol == NULL)
					eol = end;
				p = eol < end ? eol + 1 : end;
				lineno++;
				le = eol;
				if (le > line && le[-1] == '\r')
					le--;
				q = skip_blank(line, le);
				spans = hark_xrealloc(spans, (nspans + 1) *
				    sizeof(*spans));
				spans[nspans].off = val.len;
				spans[nspans].line = lineno;
				spans[nspans].column = q - line + 1;
				nspans++;
				continue;
			}
			/* strip a trailing comment introduced by " #" */
			{
				const char *c;

				for (c = q; c < ve; c++)
					if ((*c == '#' || *c == ';') && c > q &&
					    (c[-1] == ' ' || c[-1] == '\t'))
						break;
				ve = c;
				while (ve > q && (ve[-1] == ' ' ||
				    ve[-1] == '\t'))
					ve--;
			}
			hark_buf_add(&val, q, (size_t)(ve - q));
			break;
		}
		add_entry(&cfg->sections[cfg->nsections - 1], key,
		    hark_buf_detach(&val, NULL), keyline, keycol, col);
		{
			struct hark_config_section *sec =
			    &cfg->sections[cfg->nsections - 1];

			sec->entries[sec->nentries - 1].spans = spans;
			sec->entries[sec->nentries - 1].nspans = nspans;
			spans = NULL;
		}
	}
	hark_buf_release(&val);
	return 0;
fail:
	free(spans);
	hark_buf_release(&val);
	return -1;
}

int
hark_config_load(struct hark_config *cfg, const char *path,
    struct hark_err *err)
{
	FILE *fp = fopen(path, "r");
	struct hark_buf b = HARK_BUF_INIT(CONFIG_MAX);
	char chunk[8192];
	size_t n;
	int rc;

	if (fp == NULL)
		return hark_err_set(err, 1, "cannot open '%s': %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (hark_buf_add(&b, chunk, n) < 0) {
			fclose(fp);
			hark_buf_release(&b);
			return hark_err_set(err, 2, "'%s': file too large",
			    path);
		}
	if (ferror(fp)) {
		rc = hark_err_set(err, 1, "cannot read '%s': %s", path,
		    strerror(errno));
		fclose(fp);
		hark_buf_release(&b);
		return rc;
	}
	fclose(fp);
	free(cfg->path);
	cfg->path = hark_xstrdup(path);
	rc = hark_config_parse(cfg, path, hark_buf_str(&b), b.len, err);
	hark_buf_release(&b);
	return rc;
}

int
hark_config_load_default(struct hark_config *cfg, const char *explicit,
    int no_config, struct hark_err *err)
{
	const char *env;
	char *path;
	int rc;

	if (explicit)
		return hark_config_load(cfg, explicit, err);
	if (no_config)
		return 0;
	env = getenv("HARK_CONFIG");
	if (env)
		return *env ? hark_config_load(cfg, env, err) : 0;
	path = hark_xdg_path(HARK_XDG_CONFIG, "config");
	if (path == NULL)
		return 0;
	rc = access(path, F_OK) == 0 ? hark_config_load(cfg, path, err) : 0;
	free(path);
	return rc;
}

const struct hark_config_section *
hark_config_find(const struct hark_config *cfg, const char *type,
    const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nsections; i++) {
		const struct hark_config_section *s = &cfg->sections[i];

		if (strcmp(s->type, type) != 0)
			continue;
		if (name == NULL ? s->name == NULL :
		    (s->name && strcmp(s->name, name) == 0))
			return s;
	}
	return NULL;
}

const struct hark_config_entry *
hark_config_next(const struct hark_config_section *s, const char *key,
    const struct hark_config_entry *prev)
{
	size_t i;

	if (s == NULL)
		return NULL;
	i = prev ? (size_t)(prev - s->entries) + 1 : 0;
	for (; i < s->nentries; i++)
		if (strcasecmp(s->entries[i].key, key) == 0)
			return &s->entries[i];
	return NULL;
}

const char *
hark_config_get(const struct hark_config_section *s, const char *key)
{
	const struct hark_config_entry *e = NULL, *last = NULL;

	while ((e = hark_config_next(s, key, e)) != NULL)
		last = e;
	return last ? last->value : NULL;
}

void
hark_config_position(const struct hark_config_entry *e, long vline,
    long vcolumn, long *line, long *column)
{
	size_t off, i;
	long l = e->line, c = e->column;
	size_t start = 0;

	if (vline > 1) {	/* only quoted values hold newlines */
		*line = e->line + vline - 1;
		*column = vcolumn;
		return;
	}
	off = vcolumn > 0 ? (size_t)(vcolumn - 1) : 0;
	for (i = 0; i < e->nspans && e->spans[i].off <= off; i++) {
		l = e->spans[i].line;
		c = e->spans[i].column;
		start = e->spans[i].off;
	}
	*line = l;
	*column = c + (long)(off - start);
}

const char *
hark_config_item(const char **cursor, int blanks, size_t *len)
{
	const char *p = *cursor, *item, *end;

	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0') {
			*cursor = p;
			return NULL;
		}
		item = p;
		p += strcspn(p, blanks ? ", \t" : ",");
		end = p;
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > item) {
			*cursor = p;
			*len = (size_t)(end - item);
			return item;
		}
	}
}

int
hark_config_bool(const char *v, int *out, struct hark_err *err)
{
	static const char *yes[] = { "1", "true", "yes", "on" };
	static const char *no[] = { "0", "false", "no", "off" };
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 0;
	}
	return hark_err_set(err, 2, "'%s' is not a boolean (true/false)", v);
}

int
hark_config_duration(const char *v, long *out, struct hark_err *err)
{
	const char *p = v;
	long total = 0;

	if (*p == '\0')
		return hark_err_set(err, 2, "empty duration");
	while (*p) {
		long n = 0, mul;

		if (!isdigit((unsigned char)*p))
			return hark_err_set(err, 2,
			    "'%s' is not a duration (e.g. 90s, 15m, 4h, 2d)", v);
		while (isdigit((unsigned char)*p)) {
			if (n > (LONG_MAX - 9) / 10)
				return hark_err_set(err, 2,
				    "duration '%s' too large", v);
			n = n * 10 + (*p++ - '0');
		}
		switch (*p) {
		case 's': mul = 1; p++; break;
		case 'm': mul = 60; p++; break;
		case 'h': mul = 3600; p++; break;
		case 'd': mul = 86400; p++; break;
		case 'w': mul = 7 * 86400; p++; break;
		case '\0': mul = 1; break;
		default:
			return hark_err_set(err, 2,
			    "'%s' is not a duration (e.g. 90s, 15m, 4h, 2d)", v);
		}
		if (n > (LONG_MAX - total) / mul)
			return hark_err_set(err, 2, "duration '%s' too large",
			    v);
		total += n * mul;
	}
	*out = total;
	return 0;
}

int
hark_config_long(const char *v, long min, long max, long *out,
    struct hark_err *err)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno == ERANGE || n < min ||
	    n > max)
		return hark_err_set(err, 2,
		    "'%s' is not a number from %ld to %ld", v, min, max);
	*out = n;
	return 0;
}
