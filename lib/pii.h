/*
 * pii.h - detectors for personal data in post text: what would make a
 * public reply thread expose a customer (ticket-route's private-message
 * recommendation and --redact).
 *
 *   kind            what is found                          validation
 *   email           local@domain.tld                       shape only
 *   phone           +48/0048 and 9 digits, +420/00420 and  digit counts, PL
 *                   9 digits, bare PL/CZ 9-digit numbers   and CZ leading
 *                   (any grouping), other "+CC ..." (8-15  digits
 *                   digits, E.164)
 *   order           the configured order-number pattern    the pattern
 *                   (PCRE2), default: "order/zamówienie/
 *                   objednávka/nr/#" followed by a number
 *   pesel           Polish PESEL, 11 digits                check digit and
 *                                                          birth date
 *   birth_number    Czech/Slovak rodné číslo, YYMMDD/XXXX   mod 11 and date
 *                   (10 digits, slash optional) or the      (9-digit form only
 *                   9-digit pre-1954 form with a slash      before 1954)
 *   iban            IBAN (any country, spaces allowed) and  mod 97, country
 *                   the Polish 26-digit NRB form            length
 *   card            payment card numbers, 13-19 digits      Luhn, leading
 *                   in any grouping                         digit 2-6
 *
 * Overlapping candidates are resolved by the order of the table (an IBAN
 * wins over the card or phone numbers inside it).  Offsets are bytes into
 * the text as given.  Nothing here prints or exits.
 */
#ifndef HARK_PII_H
#define HARK_PII_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include "hark.h"
#include "err.h"
#include "buf.h"

enum hark_pii_kind {
	HARK_PII_IBAN,
	HARK_PII_CARD,
	HARK_PII_PESEL,
	HARK_PII_BIRTH_NUMBER,
	HARK_PII_ORDER,
	HARK_PII_PHONE,
	HARK_PII_EMAIL,
	HARK_PII_NKINDS
};

struct hark_pii_match {
	enum hark_pii_kind kind;
	size_t off, len;	/* bytes into the scanned text */
};

struct hark_pii {
	pcre2_code *order_re;		/* owned */
	pcre2_match_data *md;		/* owned */
	pcre2_match_context *mctx;	/* owned: the per-call match limit */
	unsigned enabled;		/* bit per enum hark_pii_kind */
	int builtin;			/* order_re is the built-in pattern */
	/* private scratch, kept between scans */
	struct hark_pii_match *cand, *found;
	size_t ncand, acand, nfound, afound;
	unsigned char *taken;		/* bitmap over the text's bytes */
	size_t ataken;
};

/* The match limit of each call of the order-number pattern: a pattern
 * that backtracks more than this on a text ends the order-number scan of
 * that text (hark_pii_scan_text reports it). */
#define HARK_PII_MATCH_LIMIT 1000000

/* The built-in order-number pattern (PCRE2, caseless). */
extern const char hark_pii_default_order_pattern[];

/*
 * Initialise P with every detector on and the order-number pattern
 * ORDER_PATTERN (NULL: the built-in one; "" disables order numbers).  On a
 * bad pattern returns -1 with err->code 2 and err->column set to the
 * 1-based offset of the problem in the pattern.
 */
int hark_pii_init(struct hark_pii *p, const char *order_pattern,
    struct hark_err *err);
void hark_pii_release(struct hark_pii *p);

/*
 * Find personal data in TEXT[0..LEN): writes at most MAX matches, sorted
 * by offset and not overlapping, to OUT and returns how many were found
 * (which may exceed MAX; only MAX were written).
 */
size_t hark_pii_scan(struct hark_pii *p, const char *text, size_t len,
    struct hark_pii_match *out, size_t max);

/*
 * As hark_pii_scan, without a limit on the number of matches: returns how
 * many were found and points *OUT at them (borrowed from P, valid until
 * the next scan or hark_pii_release).  The time taken is linear in LEN.
 * When the order-number pattern fails with an error (its match limit, or
 * TEXT not being UTF-8) the order-number scan ends there, the matches
 * found so far are still returned, and ERR (may be NULL) gets code 3 and
 * a message; otherwise ERR is left alone.  Never prints.
 */
size_t hark_pii_scan_text(struct hark_pii *p, const char *text, size_t len,
    const struct hark_pii_match **out, struct hark_err *err);
/*
 * As hark_pii_scan_text, for a TEXT the caller knows to be valid UTF-8
 * (a jansson string: jansson and the record parser make no other), which
 * is then not checked again (1.5% of ticket-route's instructions on long
 * posts).  Any other text is undefined behaviour in PCRE2.
 */
size_t hark_pii_scan_utf8(struct hark_pii *p, const char *text, size_t len,
    const struct hark_pii_match **out, struct hark_err *err);

/*
 * Append TEXT with each of the N matches M (sorted, not overlapping)
 * replaced by "[KIND]" (e.g. "[email]") to OUT.  -1 when OUT is full.
 */
int hark_pii_redact(const char *text, size_t len,
    const struct hark_pii_match *m, size_t n, struct hark_buf *out);

/* "email", "phone", "order", "pesel", "birth_number", "iban", "card";
 * NULL for an unknown kind.  hark_pii_kind_from_name returns -1 for an
 * unknown name. */
const char *hark_pii_name(enum hark_pii_kind kind);
int hark_pii_kind_from_name(const char *name);

/* Validators on plain digit strings (no separators), exposed for tests:
 * 1 valid, 0 not. */
int hark_pii_pesel_ok(const char *d, size_t n);
int hark_pii_birth_number_ok(const char *d, size_t n);
int hark_pii_luhn_ok(const char *d, size_t n);
/* IBAN without blanks, letters in either case. */
int hark_pii_iban_ok(const char *s, size_t n);

#endif
