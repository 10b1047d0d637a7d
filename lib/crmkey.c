/* crmkey.c - normalization of customer keys; the rules are in crmkey.h. */
#include <ctype.h>
#include <strings.h>
#include "crmkey.h"

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int
atom_char(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c)
	    != NULL);
}

static int
domain_ok(const char *d, size_t n)
{
	size_t i, lab = 0, labels = 1, last = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)d[i];

		if (c == '.') {
			if (lab == 0 || d[i - 1] == '-')
				return 0;
			labels++;
			lab = 0;
			last = i + 1;
		} else if (isalnum(c) || (c == '-' && lab > 0)) {
			lab++;
		} else
			return 0;
	}
	if (lab == 0 || d[n - 1] == '-' || labels < 2 || n - last < 2)
		return 0;
	for (i = last; i < n; i++)
		if (!isalpha((unsigned char)d[i]))
			return 0;
	return 1;
}

int
hark_crmkey_email(const char *s, size_t n, char *out, size_t outsz)
{
	static const char *const plus[] = { "gmail.com", "googlemail.com",
	    "outlook.com", "hotmail.com", "live.com", "icloud.com", "me.com",
	    "fastmail.com", "proton.me", "protonmail.com" };
	const char *at, *dom;
	size_t ln, dn, i, o = 0;
	int gmail, tags = 0;

	trim(&s, &n);
	if (n == 0 || (at = memchr(s, '@', n)) == NULL)
		return -1;
	ln = (size_t)(at - s);
	dom = at + 1;
	dn = n - ln - 1;
	if (ln == 0 || ln > 64 || memchr(dom, '@', dn) != NULL ||
	    !domain_ok(dom, dn) || s[0] == '.' || s[ln - 1] == '.')
		return -1;
	for (i = 0; i < ln; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !atom_char((unsigned char)
		    s[i]))
			return -1;
	}
	gmail = (dn == 9 && strncasecmp(dom, "gmail.com", 9) == 0) ||
	    (dn == 14 && strncasecmp(dom, "googlemail.com", 14) == 0);
	for (i = 0; i < HARK_ARRAY_SIZE(plus); i++)
		if (strlen(plus[i]) == dn && strncasecmp(dom, plus[i], dn) == 0)
			tags = 1;
	if (tags && !gmail) {	/* "a.+x": "a." would be no address */
		const char *plus_at = memchr(s, '+', ln);

		if (plus_at != NULL && plus_at > s && plus_at[-1] == '.')
			tags = 0;
	}
	if (n + 1 > outsz)
		return -1;
	for (i = 0; i < ln; i++) {
		if (tags && s[i] == '+')
			break;
		if (gmail && s[i] == '.')
			continue;
		out[o++] = (char)tolower((unsigned char)s[i]);
	}
	if (o == 0)
		return -1;
	out[o++] = '@';
	if (gmail) {
		memcpy(out + o, "gmail.com", 9);
		o += 9;
	} else {
		for (i = 0; i < dn; i++)
			out[o++] = (char)tolower((unsigned char)dom[i]);
	}
	out[o] = '\0';
	return (int)o;
}

int
hark_crmkey_phone(const char *s, size_t n, const char *defcc, char *out,
    size_t outsz)
{
	char d[32];
	size_t i, nd = 0, nat;
	int intl = 0;

	trim(&s, &n);
	if (n > 0 && s[0] == '+') {
		intl = 1;
		s++;
		n--;
	}
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '(' && i + 2 < n && s[i + 1] == '0' && s[i + 2] == ')'
		    && nd > 0) {
			i += 2;		/* "+48 (0) 22": a trunk mark */
			continue;
		}
		if (c == '+' && nd == 0 && !intl) {
			intl = 1;
			continue;
		}
		if (isdigit(c)) {
			if (nd == sizeof(d) - 1)
				return -1;
			d[nd++] = (char)c;
		} else if (!(c == ' ' || c == '\t' || c == '-' || c == '.' ||
		    c == '/' || c == '(' || c == ')'))
			return -1;
	}
	d[nd] = '\0';
	if (!intl && nd > 2 && d[0] == '0' && d[1] == '0') {
		memmove(d, d + 2, nd - 1);
		nd -= 2;
		intl = 1;
	}
	if (!intl) {
		if (nd == 9 && d[0] != '0') {
			size_t cl = strlen(defcc);

			if (nd + cl + 2 > outsz)
				return -1;
			out[0] = '+';
			memcpy(out + 1, defcc, cl);
			memcpy(out + 1 + cl, d, nd + 1);
			return (int)(nd + cl + 1);
		}
		if ((nd == 11 && strncmp(d, "48", 2) == 0) ||
		    (nd == 12 && strncmp(d, "420", 3) == 0))
			intl = 1;
		else
			return -1;
	}
	if (nd == 0 || d[0] == '0')
		return -1;
	if (strncmp(d, "48", 2) == 0)
		nat = nd - 2;
	else if (strncmp(d, "420", 3) == 0)
		nat = nd - 3;
	else
		nat = 0;
	if ((strncmp(d, "48", 2) == 0 || strncmp(d, "420", 3) == 0) ?
	    nat != 9 : (nd < 8 || nd > 15))
		return -1;
	if (nd + 2 > outsz)
		return -1;
	out[0] = '+';
	memcpy(out + 1, d, nd + 1);
	return (int)nd + 1;
}

int
hark_crmkey_handle(const char *source, size_t slen, const char *s, size_t n,
    char *out, size_t outsz)
{
	size_t i, o;
	int fold;

	trim(&source, &slen);
	trim(&s, &n);
	if (slen == 7 && strncasecmp(source, "twitter", 7) == 0) {
		source = "x";
		slen = 1;
	}
	/* every leading '@' and "u/", so that the result is normal too */
	for (;;) {
		if (n > 0 && s[0] == '@') {
			s++;
			n--;
		} else if (slen == 6 && strncasecmp(source, "reddit", 6) == 0 &&
		    n > 2 && (strncmp(s, "u/", 2) == 0 ||
		    strncmp(s, "U/", 2) == 0)) {
			s += 2;
			n -= 2;
		} else
			break;
	}
	if (slen == 0 || n == 0 || slen + n + 2 > outsz)
		return -1;
	for (i = 0; i < slen; i++) {
		int c = (unsigned char)source[i];

		if (!(isalnum(c) || c == '_' || c == '-'))
			return -1;
		out[i] = (char)tolower(c);
	}
	out[slen] = ':';
	o = slen + 1;
	fold = !(slen == 10 && strncasecmp(source, "hackernews", 10) == 0);
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (isspace(c) || c < 0x20)
			return -1;
		out[o++] = (char)(fold ? tolower(c) : c);
	}
	out[o] = '\0';
	return (int)o;
}

int
hark_crmkey_handle_spec(const char *s, size_t n, char *out, size_t outsz)
{
	const char *colon;

	trim(&s, &n);
	if ((colon = memchr(s, ':', n)) == NULL)
		return -1;
	return hark_crmkey_handle(s, (size_t)(colon - s), colon + 1,
	    n - (size_t)(colon - s) - 1, out, outsz);
}

int
hark_crmkey_order(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0;

	trim(&s, &n);
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '-' || c == '/' || c == ' ')
			continue;
		if (!isalnum(c) || o + 1 >= outsz)
			return -1;
		out[o++] = (char)toupper(c);
	}
	if (o == 0)
		return -1;
	out[o] = '\0';
	return (int)o;
}

int
hark_crmkey_plain(const char *s, size_t n, char *out, size_t outsz)
{
	trim(&s, &n);
	if (n == 0 || n + 1 > outsz || memchr(s, '\0', n) != NULL)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return (int)n;
}
