/*
 * hmac-sign - print "sha256=<hex>", the X-Hub-Signature-256 header value
 * Meta sends, for standard input under the key KEY (mention-listen's
 * tests).
 *
 *   hmac-sign KEY < body
 */
#include <unistd.h>
#include "hark.h"
#include "err.h"
#include "buf.h"
#include "sha256.h"

int
main(int argc, char **argv)
{
	struct hark_buf b = HARK_BUF_INIT(64u << 20);
	unsigned char d[HARK_SHA256_LEN];
	char chunk[8192];
	ssize_t n;
	int i;

	if (argc != 2) {
		fprintf(stderr, "usage: hmac-sign KEY < body\n");
		return 2;
	}
	while ((n = read(0, chunk, sizeof(chunk))) > 0)
		if (hark_buf_add(&b, chunk, (size_t)n) < 0)
			return 1;
	if (n < 0)
		return 1;
	hark_hmac_sha256(argv[1], strlen(argv[1]), b.ptr != NULL ? b.ptr : "",
	    b.len, d);
	printf("sha256=");
	for (i = 0; i < HARK_SHA256_LEN; i++)
		printf("%02x", d[i]);
	printf("\n");
	hark_buf_release(&b);
	return 0;
}
