/*
 * webhook.c - one Meta webhook delivery to mention records: the body's
 * "object" picks the mapper (whatsapp.c for WhatsApp Business,
 * meta-webhook.c for a Facebook Page's or an Instagram account's
 * messaging events).  See source/webhook.h.
 */
#include <string.h>

#include "hark.h"
#include "err.h"
#include "source/webhook.h"

int
hark_webhook_map(const char *body, size_t len,
    const struct hark_webhook_ctx *ctx, json_t *out, long *ignored,
    long *bad, struct hark_err *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, JSON_ALLOW_NUL, &je);
	const char *obj;
	int n;

	if (root == NULL)
		return hark_err_set(err, HARK_EXIT_DATA, "invalid JSON at "
		    "byte %d: %s", je.position, je.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return hark_err_set(err, HARK_EXIT_DATA, "the body is not a "
		    "JSON object");
	}
	obj = json_string_value(json_object_get(root, "object"));
	if (obj != NULL && strcmp(obj, "whatsapp_business_account") == 0)
		n = hark_whatsapp_map(root, ctx, out, ignored, bad);
	else if (obj != NULL && strcmp(obj, "page") == 0)
		n = hark_meta_messaging_map(root, "facebook", ctx, out,
		    ignored, bad);
	else if (obj != NULL && strcmp(obj, "instagram") == 0)
		n = hark_meta_messaging_map(root, "instagram", ctx, out,
		    ignored, bad);
	else {
		char clean[64];

		if (obj == NULL)
			hark_err_set(err, HARK_EXIT_DATA, "the body has no "
			    "\"object\"");
		else
			hark_err_set(err, HARK_EXIT_DATA, "unknown object "
			    "'%s'", hark_sanitize(clean, sizeof(clean), obj,
			    strlen(obj)));
		json_decref(root);
		return -1;
	}
	json_decref(root);
	return n;
}
