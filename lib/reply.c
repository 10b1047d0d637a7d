/*
 * reply.c - reply drafts (see reply.h for the contract).
 */
#include <ctype.h>
#include <dirent.h>
#include <strings.h>
#include <utf8proc.h>
#include "reply.h"
#include "text.h"

static const char *const var_names[HARK_RV_COUNT] = {
	"first_name", "first_name_voc", "order", "signature", "dm_link",
	"due", "answer", "link"
};

const char *
hark_reply_var_name(enum hark_reply_var v)
{
	return (unsigned)v < HARK_RV_COUNT ? var_names[v] : NULL;
}

/* The variable named S[0..N), or -1. */
static int
var_lookup(const char *s, size_t n)
{
	int i;

	for (i = 0; i < HARK_RV_COUNT; i++)
		if (strlen(var_names[i]) == n && memcmp(var_names[i], s, n) == 0)
			return i;
	return -1;
}

/*
 * At S (a '{'): the length of a "{name}" token with a word name, 0 when
 * S does not start one.  *VAR gets the variable or -1 for an unknown
 * name.
 */
static size_t
placeholder_at(const char *s, int *var)
{
	size_t i = 1;

	while ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
	    (s[i] >= '0' && s[i] <= '9'))
		i++;
	if (i == 1 || s[i] != '}')
		return 0;
	*var = var_lookup(s + 1, i - 1);
	return i + 1;
}

/* Check TEXT; sets *USES and *NEEDS; -1 with a message (column in *COL). */
static int
scan_template(const char *text, unsigned *uses, unsigned *needs,
    struct hark_err *err)
{
	const char *p = text, *open = NULL;

	*uses = *needs = 0;
	while (*p) {
		int v;
		size_t n;

		if (p[0] == '[' && p[1] == '[') {
			if (open)
				return hark_err_setl(err, HARK_EXIT_USAGE, 0,
				    (long)(p - text) + 1, "'[[' inside '[['");
			open = p;
			p += 2;
		} else if (p[0] == ']' && p[1] == ']') {
			if (!open)
				return hark_err_setl(err, HARK_EXIT_USAGE, 0,
				    (long)(p - text) + 1, "']]' without '[['");
			open = NULL;
			p += 2;
		} else if (*p == '{' && (n = placeholder_at(p, &v)) > 0) {
			if (v < 0)
				return hark_err_setl(err, HARK_EXIT_USAGE, 0,
				    (long)(p - text) + 1, "unknown placeholder "
				    "'%.*s'", (int)n, p);
			*uses |= 1u << v;
			if (!open)
				*needs |= 1u << v;
			p += n;
		} else
			p++;
	}
	if (open)
		return hark_err_setl(err, HARK_EXIT_USAGE, 0,
		    (long)(open - text) + 1, "'[[' without ']]'");
	return 0;
}

void
hark_reply_set_init(struct hark_reply_set *s)
{
	s->t = NULL;
	s->n = 0;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
tpl_release(struct hark_reply_tpl *t)
{
	free(t->name);
	free(t->file);
	free_list(t->cats, t->ncats);
	free_list(t->channels, t->nchannels);
	free(t->lang);
	free(t->text);
}

void
hark_reply_set_release(struct hark_reply_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		tpl_release(&s->t[i]);
	free(s->t);
	hark_reply_set_init(s);
}

static char **
parse_list(const char *v, size_t *n)
{
	const char *p = v, *s;
	char **out = NULL;
	size_t k;

	*n = 0;
	while ((s = hark_config_item(&p, 1, &k)) != NULL) {
		size_t i;

		out = hark_xrealloc(out, (*n + 1) * sizeof(*out));
		out[*n] = hark_xstrndup(s, k);
		for (i = 0; i < k; i++)
			out[*n][i] = (char)tolower((unsigned char)out[*n][i]);
		(*n)++;
	}
	return out;
}

static void
remove_tpl(struct hark_reply_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->t[i].name, name) == 0) {
			tpl_release(&s->t[i]);
			memmove(&s->t[i], &s->t[i + 1], (s->n - i - 1) *
			    sizeof(s->t[0]));
			s->n--;
			return;
		}
}

static int
entry_fail(const struct hark_config_entry *e, const char *tname,
    struct hark_err *err, const char *msg)
{
	return hark_err_setl(err, HARK_EXIT_USAGE, e->line, e->column,
	    "template '%s': %s: %s", tname, e->key, msg);
}

static int
add_section(struct hark_reply_set *s, const struct hark_config_section *sec,
    const char *file, struct hark_err *err)
{
	struct hark_reply_tpl t;
	size_t i;
	int enabled = 1;

	memset(&t, 0, sizeof(t));
	t.priv = -1;
	if (sec->name == NULL || *sec->name == '\0')
		return hark_err_setl(err, HARK_EXIT_USAGE, sec->line, 0,
		    "[template] needs a name: [template \"name\"]");
	t.name = hark_xstrdup(sec->name);
	t.file = hark_xstrdup(file ? file : "(config)");
	t.line = sec->line;
	for (i = 0; i < sec->nentries; i++) {
		const struct hark_config_entry *e = &sec->entries[i];
		const char *k = e->key;
		struct hark_err e2 = HARK_ERR_INIT;

		if (strcmp(k, "category") == 0) {
			free_list(t.cats, t.ncats);
			t.cats = parse_list(e->value, &t.ncats);
		} else if (strcmp(k, "channel") == 0) {
			free_list(t.channels, t.nchannels);
			t.channels = parse_list(e->value, &t.nchannels);
		} else if (strcmp(k, "lang") == 0) {
			if (*e->value == '\0')
				goto bad_value;
			free(t.lang);
			t.lang = hark_xstrdup(e->value);
			for (char *c = t.lang; *c; c++)
				*c = (char)tolower((unsigned char)*c);
		} else if (strcmp(k, "private") == 0) {
			if (hark_config_bool(e->value, &t.priv, &e2) < 0)
				goto bad_value;
		} else if (strcmp(k, "visibility") == 0) {
			if (strcmp(e->value, "public") == 0)
				t.visibility = 0;
			else if (strcmp(e->value, "private") == 0)
				t.visibility = 1;
			else
				goto bad_value;
		} else if (strcmp(k, "text") == 0) {
			unsigned u, nd;

			if (scan_template(e->value, &u, &nd, &e2) < 0) {
				long line, col;

				hark_config_position(e, 1, e2.column, &line,
				    &col);
				tpl_release(&t);
				return hark_err_setl(err, HARK_EXIT_USAGE, line,
				    col, "template '%s': text: %s", sec->name,
				    e2.msg);
			}
			free(t.text);
			t.text = hark_xstrdup(e->value);
			t.uses = u;
			t.needs = nd;
		} else if (strcmp(k, "enabled") == 0) {
			if (hark_config_bool(e->value, &enabled, &e2) < 0)
				goto bad_value;
		} else {
			hark_err_setl(err, HARK_EXIT_USAGE, e->line,
			    e->key_column, "template '%s': unknown key '%.100s'",
			    sec->name, k);
			tpl_release(&t);
			return -1;
		}
		continue;
bad_value:
		entry_fail(e, sec->name, err, "bad value");
		tpl_release(&t);
		return -1;
	}
	remove_tpl(s, t.name);
	if (!enabled) {
		tpl_release(&t);
		return 0;
	}
	if (t.text == NULL || t.lang == NULL) {
		hark_err_setl(err, HARK_EXIT_USAGE, sec->line, 0, "template "
		    "'%s': needs %s", sec->name, t.text ? "lang" : "text");
		tpl_release(&t);
		return -1;
	}
	s->t = hark_xrealloc(s->t, (s->n + 1) * sizeof(*s->t));
	s->t[s->n++] = t;
	return 0;
}

int
hark_reply_set_add_config(struct hark_reply_set *s,
    const struct hark_config *cfg, const char *file, struct hark_err *err)
{
	size_t i;

	for (i = 0; i < cfg->nsections; i++)
		if (strcmp(cfg->sections[i].type, "template") == 0 &&
		    add_section(s, &cfg->sections[i], file ? file : cfg->path,
		    err) < 0)
			return -1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
hark_reply_set_add_dir(struct hark_reply_set *s, const char *dir,
    struct hark_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (d == NULL)
		return hark_err_set(err, HARK_EXIT_FAILURE, "%s: %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t k = strlen(de->d_name);

		if (de->d_name[0] == '.' || k < 6 ||
		    strcmp(de->d_name + k - 5, ".conf") != 0)
			continue;
		names = hark_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = hark_xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && rc == 0; i++) {
		struct hark_config cfg = HARK_CONFIG_INIT;

		if (hark_config_load(&cfg, names[i], err) < 0 ||
		    hark_reply_set_add_config(s, &cfg, names[i], err) < 0)
			rc = -1;
		hark_config_release(&cfg);
	}
	free_list(names, n);
	return rc;
}

static int
in_list(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return 1;
	return 0;
}

int
hark_reply_has_lang(const struct hark_reply_set *s, const char *lang)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->t[i].lang, lang) == 0)
			return 1;
	return 0;
}

static const struct hark_reply_tpl *
choose(const struct hark_reply_set *s, const struct hark_reply_want *w,
    const char *category)
{
	const struct hark_reply_tpl *best = NULL;
	int best_score = -1;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct hark_reply_tpl *t = &s->t[i];
		int score = 0;

		if (strcmp(t->lang, w->lang) != 0 ||
		    t->visibility != w->visibility)
			continue;
		if (t->priv >= 0 && t->priv != (w->priv != 0))
			continue;
		if (t->cats && !in_list(t->cats, t->ncats, category))
			continue;
		if (t->channels && (w->channel == NULL ||
		    !in_list(t->channels, t->nchannels, w->channel)))
			continue;
		if ((t->needs & (1u << HARK_RV_ANSWER)) && !w->have_answer)
			continue;
		if (t->priv == 1 && w->priv)
			score += 8;
		if (t->cats)
			score += 4;
		if (t->channels)
			score += 2;
		if (w->have_answer && (t->uses & (1u << HARK_RV_ANSWER)))
			score += 1;
		if (score >= best_score) {
			best = t;
			best_score = score;
		}
	}
	return best;
}

const struct hark_reply_tpl *
hark_reply_choose(const struct hark_reply_set *s,
    const struct hark_reply_want *w)
{
	const struct hark_reply_tpl *t;
	size_t i;

	for (i = 0; i < s->n; i++)	/* any template for the category? */
		if (s->t[i].cats && in_list(s->t[i].cats, s->t[i].ncats,
		    w->category))
			break;
	if ((t = choose(s, w, i < s->n ? w->category : "other")) != NULL)
		return t;
	return i < s->n ? choose(s, w, "other") : NULL;
}

/* Does [P, END) have a value for every placeholder in it? */
static int
segment_complete(const char *p, const char *end,
    const char *const vals[HARK_RV_COUNT], unsigned withheld)
{
	while (p < end) {
		int v;
		size_t n;

		if (*p == '{' && (n = placeholder_at(p, &v)) > 0 && v >= 0) {
			if (vals[v] == NULL || *vals[v] == '\0' ||
			    (withheld & (1u << v)))
				return 0;
			p += n;
		} else
			p++;
	}
	return 1;
}

/* Collapse blank runs, drop blanks before punctuation and at the ends
 * of lines and of the text, from OUT's byte START on. */
static void
tidy(struct hark_buf *out, size_t start)
{
	char *s = out->ptr;
	size_t r, w = start;

	if (s == NULL)
		return;
	for (r = start; r < out->len; r++) {
		char c = s[r];

		if (c == ' ' || c == '\t') {
			if (w == start || s[w - 1] == ' ' || s[w - 1] == '\n')
				continue;
			c = ' ';
		} else if (w > start && s[w - 1] == ' ' && (c == ',' ||
		    c == '.' || c == '!' || c == '?' || c == '\n' || c == ';' ||
		    c == ':'))
			w--;
		s[w++] = c;
	}
	while (w > start && (s[w - 1] == ' ' || s[w - 1] == '\n'))
		w--;
	hark_buf_truncate(out, w);
}

int
hark_reply_render(const char *text, const char *const vals[HARK_RV_COUNT],
    unsigned withheld, struct hark_buf *out, unsigned *fill)
{
	const char *p = text;
	size_t start = out->len;
	int in_seg = 0;

	*fill = 0;
	while (*p) {
		int v;
		size_t n;

		if (p[0] == '[' && p[1] == '[') {
			const char *end = strstr(p + 2, "]]");

			if (end == NULL)
				end = p + strlen(p);
			if (!segment_complete(p + 2, end, vals, withheld)) {
				p = *end ? end + 2 : end;
				continue;
			}
			in_seg = 1;
			p += 2;
		} else if (in_seg && p[0] == ']' && p[1] == ']') {
			in_seg = 0;
			p += 2;
		} else if (*p == '{' && (n = placeholder_at(p, &v)) > 0 &&
		    v >= 0) {
			if (withheld & (1u << v))
				;	/* never shown, never asked for */
			else if (vals[v] != NULL && *vals[v] != '\0') {
				if (hark_buf_addstr(out, vals[v]) < 0)
					return -1;
			} else {
				if (hark_buf_add(out, p, n) < 0)
					return -1;
				*fill |= 1u << v;
			}
			p += n;
		} else {
			if (hark_buf_addch(out, *p) < 0)
				return -1;
			p++;
		}
	}
	tidy(out, start);
	return 0;
}

/* ---- names -------------------------------------------------------- */

static const char *const titles[] = { "mr", "mrs", "ms", "miss", "mx", "dr",
    "sir", "pan", "pani", "panna", "ing", "mgr", "prof", "the", "pán", "paní",
    "slečna", "team", "support", "official" };

int
hark_reply_first_name(const char *name, struct hark_buf *out)
{
	const char *p = name;
	size_t len, i, ncp = 0;
	int upper = 0, lower = 0, first_upper = 0;
	int32_t cp;
	size_t start = out->len;

	if (name == NULL)
		return -1;
	while (*p == ' ')
		p++;
	for (len = 0; p[len] && p[len] != ' '; len++)
		;
	if (len == 0)
		return -1;
	for (i = 0; i < len; ncp++) {
		size_t k = hark_utf8_next(p + i, len - i, &cp);
		utf8proc_category_t c = utf8proc_category(cp);

		if (c == UTF8PROC_CATEGORY_LU) {
			upper++;
			if (i == 0)
				first_upper = 1;
		} else if (c == UTF8PROC_CATEGORY_LL)
			lower++;
		else
			return -1;	/* digits, marks, punctuation, emoji */
		i += k;
	}
	if (ncp < 2 || ncp > 24)
		return -1;
	/* "Kasia", "kasia", "KASIA"; not "JanK", "mcKay" */
	if (!((first_upper && upper == 1) || upper == 0 || lower == 0))
		return -1;
	for (i = 0; i < HARK_ARRAY_SIZE(titles); i++)
		if (strlen(titles[i]) == len && strncasecmp(titles[i], p,
		    len) == 0)
			return -1;
	for (i = 0; i < len;) {
		size_t k = hark_utf8_next(p + i, len - i, &cp);
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t m;

		cp = i == 0 ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
		m = utf8proc_encode_char(cp, enc);
		if (hark_buf_add(out, enc, (size_t)m) < 0) {
			hark_buf_truncate(out, start);
			return -1;
		}
		i += k;
	}
	return 0;
}

static int
ends(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* Code points in S[0..N). */
static size_t
cp_count(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static int
emit(struct hark_buf *out, const char *s, size_t keep, const char *suffix)
{
	size_t start = out->len;

	if (hark_buf_add(out, s, keep) < 0 || hark_buf_addstr(out,
	    suffix) < 0) {
		hark_buf_truncate(out, start);
		return -1;
	}
	return 0;
}

/* Is the byte before the last K bytes of S[0..N) one of SET? */
static int
before_in(const char *s, size_t n, size_t k, const char *set)
{
	return n > k && strchr(set, s[n - k - 1]) != NULL;
}

/*
 * Polish: the vocative from the ending.  Feminine -a: -o (Anna, Ewa,
 * Agnieszka, Kuba), diminutives in a soft consonant + -ia -u (Kasia,
 * Ania, Zosia, Jadzia), short -la -u (Ola, Ela); masculine: -ek with its
 * fleeting e -ku (Marek, Jacek; Maciek -> Maćku), -eł/-ł -le (Paweł,
 * Michał), -r -rze (Piotr; -per/-der drop the e: Kacper), -st -ście,
 * -t -cie (Robert), -d -dzie (Dawid), soft and velar endings -u (Tomasz,
 * Łukasz, Maciej, Kamil, Dominik, Wojciech), hard labials and n -ie
 * (Jan, Adam, Jakub, Filip, Krzysztof, Stanisław), adjectival -y/-i as
 * they are (Jerzy, Antoni).  Everything else is unsure.
 */
static int
vocative_pl(const char *s, size_t n, struct hark_buf *out)
{
	size_t ncp = cp_count(s, n);

	if (ends(s, n, "a")) {
		if ((ends(s, n, "sia") || ends(s, n, "zia") || ends(s, n,
		    "cia") || ends(s, n, "nia")) && ncp <= 6)
			return emit(out, s, n - 1, "u");
		if (ends(s, n, "sia") || ends(s, n, "zia") || ends(s, n,
		    "cia") || ends(s, n, "nia"))
			return -1;	/* Antonia or a diminutive? */
		if (ends(s, n, "la") && ncp <= 3)
			return emit(out, s, n - 1, "u");
		return emit(out, s, n - 1, "o");
	}
	if (ends(s, n, "ek") && ncp >= 4) {
		static const char *const soft[][2] = { { "ci", "ć" },
		    { "si", "ś" }, { "zi", "ź" }, { "ni", "ń" } };
		size_t k = n - 2, i;

		for (i = 0; i < HARK_ARRAY_SIZE(soft); i++)
			if (ends(s, k, soft[i][0])) {
				size_t start = out->len;

				if (emit(out, s, k - 2, soft[i][1]) < 0 ||
				    hark_buf_addstr(out, "ku") < 0) {
					hark_buf_truncate(out, start);
					return -1;
				}
				return 0;
			}
		return emit(out, s, k, "ku");
	}
	if (ends(s, n, "eł"))
		return emit(out, s, n - 3, "le");
	if (ends(s, n, "ł"))
		return emit(out, s, n - 2, "le");
	if (ends(s, n, "sz") || ends(s, n, "cz") || ends(s, n, "rz") ||
	    ends(s, n, "ż") || ends(s, n, "j") || ends(s, n, "l") ||
	    ends(s, n, "k") || ends(s, n, "g") || ends(s, n, "ch"))
		return emit(out, s, n, "u");
	if (ends(s, n, "er")) {
		if (before_in(s, n, 2, "pd"))
			return emit(out, s, n - 2, "rze");
		return -1;
	}
	if (ends(s, n, "r"))
		return emit(out, s, n - 1, "rze");
	if (ends(s, n, "st"))
		return emit(out, s, n - 2, "ście");
	if (ends(s, n, "t"))
		return emit(out, s, n - 1, "cie");
	if (ends(s, n, "d"))
		return emit(out, s, n - 1, "dzie");
	if (ends(s, n, "n") || ends(s, n, "m") || ends(s, n, "b") ||
	    ends(s, n, "p") || ends(s, n, "f") || ends(s, n, "w"))
		return emit(out, s, n, "ie");
	if (ends(s, n, "y") || ends(s, n, "i"))
		return emit(out, s, n, "");
	return -1;
}

/*
 * Czech: feminine -a -o (Jana, Petra; also Honza), -e/-ie/-í/-y as they
 * are (Lucie, Marie, Jiří); masculine -ek -ku (Marek, Radek; -něk -ňku:
 * Zdeněk), velars -u (Dominik, Vojtěch), soft consonants -i (Tomáš,
 * Ondřej, Matěj), -iel/-cel -i (Daniel, Marcel), -vel/-rel drop the e
 * (Pavel -> Pavle, Karel -> Karle), consonant + r -ře (Petr), vowel + r
 * -re (Viktor), other hard consonants -e (Jan, Adam, David, Václav,
 * Michal).  -ia and everything else are unsure.
 */
static int
vocative_cs(const char *s, size_t n, struct hark_buf *out)
{
	if (ends(s, n, "ia"))
		return -1;
	if (ends(s, n, "a"))
		return emit(out, s, n - 1, "o");
	if (ends(s, n, "e") || ends(s, n, "í") || ends(s, n, "y") ||
	    ends(s, n, "i") || ends(s, n, "ý"))
		return emit(out, s, n, "");
	if (ends(s, n, "něk"))
		return emit(out, s, n - 4, "ňku");
	if (ends(s, n, "ek") && cp_count(s, n) >= 4)
		return emit(out, s, n - 2, "ku");
	if (ends(s, n, "k") || ends(s, n, "h") || ends(s, n, "g"))
		return emit(out, s, n, "u");
	if (ends(s, n, "š") || ends(s, n, "ž") || ends(s, n, "č") ||
	    ends(s, n, "ř") || ends(s, n, "j") || ends(s, n, "c") ||
	    ends(s, n, "ď") || ends(s, n, "ť") || ends(s, n, "ň"))
		return emit(out, s, n, "i");
	if (ends(s, n, "iel") || ends(s, n, "cel"))
		return emit(out, s, n, "i");
	if (ends(s, n, "vel") || ends(s, n, "rel"))
		return emit(out, s, n - 2, "le");
	if (ends(s, n, "el"))
		return -1;
	if (ends(s, n, "r")) {
		if (before_in(s, n, 1, "aeiouyáéíóúůý"))
			return emit(out, s, n, "e");
		/* a multi-byte vowel (á, é ...) before r ends in 0x80-0xBF */
		if (n >= 2 && ((unsigned char)s[n - 2] & 0x80))
			return emit(out, s, n, "e");
		return emit(out, s, n - 1, "ře");
	}
	if (ends(s, n, "n") || ends(s, n, "m") || ends(s, n, "b") ||
	    ends(s, n, "p") || ends(s, n, "f") || ends(s, n, "v") ||
	    ends(s, n, "d") || ends(s, n, "t") || ends(s, n, "l") ||
	    ends(s, n, "s") || ends(s, n, "z"))
		return emit(out, s, n, "e");
	return -1;
}

int
hark_reply_vocative(const char *name, const char *lang, struct hark_buf *out)
{
	size_t n = strlen(name), i;

	if (n == 0)
		return -1;
	if (lang == NULL || (strcmp(lang, "pl") != 0 && strcmp(lang,
	    "cs") != 0))
		return emit(out, name, n, "");
	for (i = 0; i < n; i++)	/* foreign spelling: not sure of its case */
		if (strchr("qQxX", name[i]) || (lang[0] == 'p' &&
		    strchr("vV", name[i])) || (lang[0] == 'c' &&
		    strchr("wW", name[i])))
			return -1;
	/* neither language doubles a final consonant: Ann, Bill, Matt */
	if (n >= 2 && name[n - 1] == name[n - 2] && !strchr("aeiouy",
	    name[n - 1]))
		return -1;
	return lang[0] == 'p' ? vocative_pl(name, n, out) :
	    vocative_cs(name, n, out);
}

/* ---- due time ------------------------------------------------------ */

int
hark_reply_due_words(hark_time_t now, hark_time_t due, const char *lang,
    struct hark_buf *out)
{
	static const char *const words[3][3][2] = {
		/* unit: { one, many } for en, pl, cs */
		{ { "within a minute", "within %lld minutes" },
		  { "within an hour", "within %lld hours" },
		  { "within a day", "within %lld days" } },
		{ { "w ciągu minuty", "w ciągu %lld minut" },
		  { "w ciągu godziny", "w ciągu %lld godzin" },
		  { "w ciągu doby", "w ciągu %lld dni" } },
		{ { "do minuty", "do %lld minut" },
		  { "do hodiny", "do %lld hodin" },
		  { "do jednoho dne", "do %lld dnů" } },
	};
	long long d = (long long)(due - now), q;
	int l = 0, u;

	if (d <= 0)
		return -1;
	if (lang && strcmp(lang, "pl") == 0)
		l = 1;
	else if (lang && strcmp(lang, "cs") == 0)
		l = 2;
	if (d <= 3600) {
		u = 0;
		q = (d + 59) / 60;
		if (q == 60) {
			u = 1;
			q = 1;
		}
	} else if (d <= 48 * 3600) {
		u = 1;
		q = (d + 3599) / 3600;
	} else {
		u = 2;
		q = (d + 86399) / 86400;
	}
	if (q == 1)
		return hark_buf_addstr(out, words[l][u][0]);
	return hark_buf_addf(out, words[l][u][1], q);
}

/* ---- channel limits ------------------------------------------------ */

/*
 * Public limit / private-message limit.  X: 280 weighted characters,
 * every URL 23 (X's counting); X DMs 10000.  Bluesky: 300 graphemes
 * (chat messages 1000).  Mastodon: 500 characters, URLs 23 (a direct
 * message is a status).  Facebook comments 8000, Messenger 2000;
 * Instagram comments 2200, DMs 1000; YouTube comments 10000; Google
 * Business Profile review replies 4096 bytes; Reddit comments 10000
 * (its private messages are not drafted: reply-send cannot send them).
 */
static const struct hark_reply_limit limits[] = {
	{ "x", 280, 10000, HARK_COUNT_X, 23 },
	{ "bluesky", 300, 1000, HARK_COUNT_GRAPHEMES, 0 },
	{ "mastodon", 500, 500, HARK_COUNT_CHARS, 23 },
	{ "facebook", 8000, 2000, HARK_COUNT_CHARS, 0 },
	{ "instagram", 2200, 1000, HARK_COUNT_CHARS, 0 },
	{ "youtube", 10000, 0, HARK_COUNT_CHARS, 0 },
	{ "google_business", 4096, 0, HARK_COUNT_BYTES, 0 },
	{ "reddit", 10000, 0, HARK_COUNT_CHARS, 0 },
};

const struct hark_reply_limit *
hark_reply_limit_of(const char *channel)
{
	size_t i;

	for (i = 0; channel && i < HARK_ARRAY_SIZE(limits); i++)
		if (strcmp(limits[i].channel, channel) == 0)
			return &limits[i];
	return NULL;
}

/* X's weights (twitter-text v3): these ranges count 1, the rest 2. */
static int
x_weight(int32_t cp)
{
	return (cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 &&
	    cp <= 8223) || (cp >= 8242 && cp <= 8247)) ? 1 : 2;
}

static size_t
url_at(const char *s, size_t len)
{
	size_t i;

	if (!(len > 7 && strncasecmp(s, "http://", 7) == 0) &&
	    !(len > 8 && strncasecmp(s, "https://", 8) == 0))
		return 0;
	for (i = 0; i < len && !isspace((unsigned char)s[i]); i++)
		;
	/* trailing sentence punctuation is not part of the link */
	while (i > 0 && strchr(".,!?;:)", s[i - 1]))
		i--;
	return i;
}

long
hark_reply_length(const char *s, size_t len, const struct hark_reply_limit *l)
{
	enum hark_reply_count how = l ? l->count : HARK_COUNT_CHARS;
	long n = 0;
	size_t i = 0;
	utf8proc_int32_t state = 0, prev = -1;

	if (how == HARK_COUNT_BYTES)
		return (long)len;
	while (i < len) {
		int32_t cp;
		size_t k, u;

		if (l && l->url_len > 0 && (i == 0 ||
		    isspace((unsigned char)s[i - 1]) || s[i - 1] == '(') &&
		    (u = url_at(s + i, len - i)) > 0) {
			n += l->url_len;
			i += u;
			prev = -1;
			continue;
		}
		k = hark_utf8_next(s + i, len - i, &cp);
		if (how == HARK_COUNT_X)
			n += x_weight(cp);
		else if (how == HARK_COUNT_GRAPHEMES) {
			if (prev < 0 || utf8proc_grapheme_break_stateful(prev,
			    cp, &state))
				n++;
			prev = cp;
		} else
			n++;
		i += k;
	}
	return n;
}

int
hark_reply_fit(struct hark_buf *buf, long limit,
    const struct hark_reply_limit *l)
{
	const char *s = buf->ptr ? buf->ptr : "";
	size_t len = buf->len, body = len, sig = len, i;
	size_t *ends = NULL, nends = 0;
	int rc = -1;

	if (limit <= 0 || hark_reply_length(s, len, l) <= limit)
		return 0;
	/* the signature: a last word starting with '^' */
	for (i = len; i > 0; i--)
		if (s[i - 1] == '^' && (i == 1 || isspace((unsigned char)
		    s[i - 2]))) {
			sig = i - 1;
			break;
		} else if (s[i - 1] == '\n')
			break;
	body = sig;
	while (body > 0 && isspace((unsigned char)s[body - 1]))
		body--;
	for (i = 0; i < body; i++) {
		int end = 0;

		if (s[i] == '\n')
			end = 1;
		else if (strchr(".!?", s[i]) && (i + 1 == body ||
		    isspace((unsigned char)s[i + 1])))
			end = 1;
		else if (i + 2 < body && memcmp(s + i, "\xE2\x80\xA6", 3) == 0
		    && (i + 3 == body || isspace((unsigned char)s[i + 3]))) {
			i += 2;
			end = 1;
		}
		if (end) {
			ends = hark_xrealloc(ends, (nends + 1) * sizeof(*ends));
			ends[nends++] = i + 1;
		}
	}
	/* keep the longest prefix of whole sentences (at least the first)
	 * that fits with the signature */
	while (nends > 0) {
		struct hark_buf t = HARK_BUF_INIT(buf->max);
		size_t e = ends[--nends];

		while (e > 0 && isspace((unsigned char)s[e - 1]))
			e--;
		if (e >= body) {
			hark_buf_release(&t);
			continue;	/* that is the whole body */
		}
		if (hark_buf_add(&t, s, e) == 0 && (sig == len ||
		    (hark_buf_addch(&t, s[sig - 1] == '\n' ? '\n' : ' ') == 0
		    && hark_buf_add(&t, s + sig, len - sig) == 0)) &&
		    hark_reply_length(hark_buf_str(&t), t.len, l) <= limit) {
			hark_buf_reset(buf);
			hark_buf_add(buf, t.ptr, t.len);
			hark_buf_release(&t);
			rc = 1;
			break;
		}
		hark_buf_release(&t);
	}
	free(ends);
	return rc;
}
