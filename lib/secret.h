/*
 * secret.h - API tokens and passwords from the environment or a file,
 * never from the command line (STYLE.md section 7).
 *
 * A secret named VAR comes from, in this order: the file given on the
 * command line (--token-file; "-" is standard input), the file named by
 * $VAR_FILE, or $VAR itself.  Setting both VAR and VAR_FILE is a usage
 * error.  A file's single trailing newline ("\n" or "\r\n") is removed.
 * Nothing here prints; a file readable by group or others yields a
 * warning text for the caller to print.
 */
#ifndef HARK_SECRET_H
#define HARK_SECRET_H

#include "hark.h"
#include "err.h"

#define HARK_SECRET_MAX (64u * 1024)

/*
 * Look up the secret VAR (FILE, may be NULL, wins).  Returns 0 with *OUT
 * a new string (free with hark_secret_free()) or NULL when none is set;
 * -1 with ERR: code 2 when both VAR and VAR_FILE are set or the secret is
 * empty, code 1 when the file cannot be read.  When the file is readable
 * by group or others, WARN (size WARNSZ, may be NULL) receives
 * "'FILE' is readable by others: chmod 600 it", else "".
 * A secret found is registered with hark_redact_add(), so no diagnostic
 * of the program prints it afterwards.
 */
int hark_secret_get(const char *var, const char *file, char **out,
    char *warn, size_t warnsz, struct hark_err *err);

/* Overwrite S with zeros and free it (NULL is fine). */
void hark_secret_free(char *s);

#endif
