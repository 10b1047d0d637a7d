/*
 * source.c - the table of drivers: one row per source type, each row the
 * struct mf_driver its own file (<name>.c) defines.  The order is the one
 * of --help and of the "unknown type" message.
 */
#include <string.h>
#include "hark.h"
#include "buf.h"
#include "source.h"

/* X(name): const struct mf_driver mf_driver_<name>, in <file>.c */
#define MF_DRIVERS(X) \
	X(rss) X(atom) X(feed) X(google_alerts)	/* feed.c */ \
	X(reddit) \
	X(hackernews) \
	X(mastodon) \
	X(bluesky) \
	X(x) \
	X(facebook) \
	X(youtube) \
	X(google_business)	/* google-business.c */

#define MF_DECLARE(n) extern const struct mf_driver mf_driver_##n;
#define MF_ROW(n) &mf_driver_##n,

MF_DRIVERS(MF_DECLARE)

static const struct mf_driver *const drivers[] = { MF_DRIVERS(MF_ROW) };

const struct mf_driver *const *
mf_driver_table(size_t *n)
{
	*n = HARK_ARRAY_SIZE(drivers);
	return drivers;
}

const struct mf_driver *
mf_driver_find(const char *type)
{
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(drivers); i++)
		if (strcmp(drivers[i]->type, type) == 0)
			return drivers[i];
	return NULL;
}

const char *
mf_driver_types(void)
{
	static char list[1024];
	size_t i, at = 0;

	if (list[0] != '\0')
		return list;
	for (i = 0; i < HARK_ARRAY_SIZE(drivers); i++)
		at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
		    i > 0 ? ", " : "", drivers[i]->type);
	return list;
}
