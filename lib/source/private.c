/*
 * private.c - what every source of private messages shares (whatsapp.c,
 * meta-webhook.c and the polled inboxes of messenger.c): the visibility
 * mark and the conversation key, so that polled and pushed messages of
 * one conversation join.  See source/webhook.h.
 */
#include <stdio.h>
#include <string.h>

#include "hark.h"
#include "err.h"
#include "source/webhook.h"

void
hark_webhook_private(json_t *rec)
{
	/* lib/mention.c may give "visibility" a place in the layout; until
	 * then it follows the schema keys */
	json_object_set_new(rec, "visibility", json_string("private"));
}

char *
hark_webhook_conversation(const char *source, const char *business,
    const char *customer)
{
	size_t n = strlen(source) + strlen(business) + strlen(customer) + 16;
	char *s = hark_xmalloc(n);

	snprintf(s, n, "%s:conversation:%s:%s", source, business, customer);
	return s;
}
