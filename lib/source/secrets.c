/*
 * secrets.c - a source's secrets: the environment variable names that
 * hold them and their values (environment, VAR_FILE or --token-file).
 * Used by the drivers (lib/source/<name>.c) and by the commands; calls
 * only the engine.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hark.h"
#include "err.h"
#include "config.h"
#include "secret.h"
#include "source.h"

const char *
mf_secret_var(const struct mf_source *s, const char *suffix)
{
	static char ring[4][256];
	static int next;
	const char *env = hark_config_get(s->sec, "token_env");
	char *b = ring[next++ & 3], *p;
	size_t n;

	if (env != NULL && strcmp(suffix, "TOKEN") == 0) {
		snprintf(b, sizeof(ring[0]), "%s", env);
		return b;
	}
	n = (size_t)snprintf(b, sizeof(ring[0]), "HARK_MENTION_FETCH_%s_%s",
	    s->name, suffix);
	(void)n;
	for (p = b; *p != '\0'; p++)
		*p = isalnum((unsigned char)*p) ? (char)toupper(
		    (unsigned char)*p) : '_';
	return b;
}

char *
mf_secret_get(struct mf_source *s, const char *suffix, const char *file)
{
	struct hark_err err = HARK_ERR_INIT;
	char warn[512], *out = NULL;

	if (hark_secret_get(mf_secret_var(s, suffix), file, &out, warn,
	    sizeof(warn), &err) < 0) {
		mf_fail(s, err.code, "%s", err.msg);
		return NULL;
	}
	if (warn[0] != '\0')
		hark_warn("source '%s': %s", s->name, warn);
	return out;
}

const char *
mf_source_secret(struct mf_source *s, const char *suffix)
{
	if (s->secret3 == NULL)
		s->secret3 = mf_secret_get(s, suffix, NULL);
	return s->secret3;
}

