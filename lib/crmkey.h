/*
 * crmkey.h - customer keys normalized for matching (crm-join(1)).
 *
 * Every function reads N bytes at S (blanks around them ignored), writes
 * the normalized key NUL-terminated into OUT (OUTSZ bytes, at least
 * HARK_CRMKEY_MAX) and returns its length, or -1 when S is not a valid
 * key of that kind (or the key does not fit).  Nothing here prints,
 * exits or allocates.  The rules (documented in crm-join(1)):
 *
 *   e-mail  ASCII only; one '@'; local part 1-64 of the RFC 5322 atom
 *           characters and dots (no leading, trailing or double dot);
 *           domain of two or more dot-separated labels of letters,
 *           digits and inner hyphens, the last one letters only.  The
 *           whole address is lower-cased.  Only where the provider
 *           ignores them: gmail.com and googlemail.com drop dots in the
 *           local part, "+tag" and become gmail.com; outlook.com,
 *           hotmail.com, live.com, icloud.com, me.com, fastmail.com,
 *           proton.me and protonmail.com drop "+tag"
 *           (and keep it after a dot: "a.+x" is not "a.", no address).
 *   phone   E.164 "+CC...": blanks, '-', '.', '/', brackets and a "(0)"
 *           trunk mark are dropped; "00" starts an international
 *           number; +48 (Poland) and +420 (Czechia) need exactly 9
 *           national digits; other countries 8 to 15 digits in all, no
 *           leading 0.  A bare 9-digit number gets the default country
 *           DEFCC ("48" or "420"); bare 11 digits starting 48 and 12
 *           starting 420 are taken as international.
 *   handle  "source:handle": the source type lower-cased ("twitter" is
 *           "x"), a leading '@' (and Reddit's "u/") dropped, and the
 *           handle lower-cased except on hackernews, whose user names
 *           are case-sensitive.  Mastodon handles keep "user@host".
 *   order   the order number without '-', '/' and blanks, upper-cased.
 */
#ifndef HARK_CRMKEY_H
#define HARK_CRMKEY_H

#include "hark.h"

#define HARK_CRMKEY_MAX 256

int hark_crmkey_email(const char *s, size_t n, char *out, size_t outsz);
int hark_crmkey_phone(const char *s, size_t n, const char *defcc,
    char *out, size_t outsz);
/* SOURCE (SLEN bytes) and HANDLE (N bytes) separately. */
int hark_crmkey_handle(const char *source, size_t slen, const char *s,
    size_t n, char *out, size_t outsz);
/* "source:handle" in one string (the first ':' splits). */
int hark_crmkey_handle_spec(const char *s, size_t n, char *out,
    size_t outsz);
int hark_crmkey_order(const char *s, size_t n, char *out, size_t outsz);
/* Any other key: blanks around it dropped, otherwise exact. */
int hark_crmkey_plain(const char *s, size_t n, char *out, size_t outsz);

#endif
