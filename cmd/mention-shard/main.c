/*
 * mention-shard - split a stream of records into N shards, or keep one
 * shard, by a stable hash of each record's conversation, so that a
 * conversation (a customer's messages and the brand's replies) is never
 * split between shards.
 */
#include <zlib.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "io.h"
#include "filter.h"
#include "lazy.h"
#include "convkey.h"

#define MAX_SHARDS 4096

static const char synopsis[] =
"usage: mention-shard [-hqvz] -n count -o prefix [file ...]\n"
"       mention-shard [-hqv] [-o file] --shard k/n [file ...]";

static const char help[] =
"\n"
"Send each record to one of N shards by the FNV-1a hash of its\n"
"conversation (the thread's root, the ticket of an event record), so that\n"
"a customer's posts and the brand's replies always land together.  With -n\n"
"the records are written to PREFIX.0 ... PREFIX.N-1; with --shard only the\n"
"records of shard K are written (for GNU parallel's pipe mode).  A record with\n"
"no conversation (neither an event with a ticket nor an id) belongs to\n"
"shard 0.\n"
"\n"
"Options:\n"
"  -n, --shards N           write N shard files, PREFIX.0 to PREFIX.N-1\n"
"                           (-o PREFIX; 1 to 4096)\n"
"      --shard K/N          write only the records of shard K of N\n"
"  -z, --gzip               with -n: write PREFIX.K.gz, gzip-compressed\n";

enum {
	OPT_SHARD = HARK_OPT_COMMAND_BASE
};

static const struct option longopts[] = {
	{ "gzip", no_argument, NULL, 'z' },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "shards", required_argument, NULL, 'n' },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* One shard file: plain through hark_output, or gzip through Z. */
struct shard {
	struct hark_output out;
	z_stream z;
	int gz;
	unsigned char zbuf[16384];
};

/* Replies' conversations, by the hash of their id: a record without a
 * root follows its parent through this table. */
struct chain {
	uint64_t *k, *v;	/* k 0: empty slot */
	size_t n, cap;
};

struct ctx {
	unsigned nshards;
	long keep;		/* --shard K, or -1 */
	struct shard *sh;	/* with -n */
	struct chain ch;
	struct hark_lazy lazy;
	int failed;
};

static uint64_t
hkey(uint64_t h)
{
	return h != 0 ? h : 1;
}

static void
chain_put(struct chain *c, uint64_t k, uint64_t v)
{
	size_t i;

	if (c->n * 2 >= c->cap) {
		struct chain o = *c;

		c->cap = o.cap ? o.cap * 2 : 4096;
		c->k = hark_xcalloc(c->cap, sizeof(*c->k));
		c->v = hark_xmalloc(c->cap * sizeof(*c->v));
		c->n = 0;
		for (i = 0; i < o.cap; i++)
			if (o.k[i] != 0)
				chain_put(c, o.k[i], o.v[i]);
		free(o.k);
		free(o.v);
	}
	k = hkey(k);
	for (i = (size_t)(k ^ (k >> 29)) & (c->cap - 1); c->k[i] != 0 &&
	    c->k[i] != k; i = (i + 1) & (c->cap - 1))
		;
	if (c->k[i] == 0)
		c->n++;
	c->k[i] = k;
	c->v[i] = v;
}

static int
chain_get(const struct chain *c, uint64_t k, uint64_t *v)
{
	size_t i;

	if (c->cap == 0)
		return 0;
	k = hkey(k);
	for (i = (size_t)(k ^ (k >> 29)) & (c->cap - 1); c->k[i] != 0;
	    i = (i + 1) & (c->cap - 1))
		if (c->k[i] == k) {
			*v = c->v[i];
			return 1;
		}
	return 0;
}

static int
shard_write(struct shard *s, const void *p, size_t n)
{
	if (!s->gz)
		return hark_output_write(&s->out, p, n);
	s->z.next_in = (unsigned char *)(uintptr_t)p;
	s->z.avail_in = (uInt)n;
	while (s->z.avail_in > 0) {
		s->z.next_out = s->zbuf;
		s->z.avail_out = sizeof(s->zbuf);
		if (deflate(&s->z, Z_NO_FLUSH) == Z_STREAM_ERROR)
			return -1;
		if (hark_output_write(&s->out, s->zbuf,
		    sizeof(s->zbuf) - s->z.avail_out) < 0)
			return -1;
	}
	return 0;
}

static int
shard_close(struct shard *s, int commit, struct hark_err *err)
{
	if (s->gz) {
		int rc;

		do {
			s->z.next_out = s->zbuf;
			s->z.avail_out = sizeof(s->zbuf);
			rc = deflate(&s->z, Z_FINISH);
			if (hark_output_write(&s->out, s->zbuf,
			    sizeof(s->zbuf) - s->z.avail_out) < 0)
				break;
		} while (rc == Z_OK);
		deflateEnd(&s->z);
	}
	return hark_output_close(&s->out, commit, err);
}

static int
shard_record(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct ctx *c = vctx;
	struct hark_convkey k;
	uint64_t h = 0;
	unsigned which = 0;

	(void)err;
	switch (hark_convkey_get(r->rec, &k)) {
	case HARK_CONVKEY_NONE:
		break;		/* no conversation: shard 0 */
	case HARK_CONVKEY_PARENT:
		if (!chain_get(&c->ch, hark_convkey_hash(k.parent,
		    strlen(k.parent)), &h))
			h = hark_convkey_hash(k.parent, strlen(k.parent));
		break;
	default:
		h = hark_convkey_hash(k.key, strlen(k.key));
		break;
	}
	if (k.kind != HARK_CONVKEY_NONE) {
		which = hark_convkey_shard(h, c->nshards);
		/* A reply whose conversation is not its own id: its
		 * children without a root follow it here. */
		if (k.kind == HARK_CONVKEY_PARENT ||
		    (k.kind == HARK_CONVKEY_ROOT && strcmp(k.key, k.id) != 0))
			chain_put(&c->ch, hark_convkey_hash(k.id,
			    strlen(k.id)), h);
	}
	if (c->keep >= 0)
		return which == (unsigned)c->keep ? HARK_REC_EMIT :
		    HARK_REC_CONSUMED;
	if (shard_write(&c->sh[which], r->line, r->len) < 0 ||
	    shard_write(&c->sh[which], "\n", 1) < 0)
		c->failed = 1;
	return HARK_REC_CONSUMED;
}

static void
parse_shard(const struct hark_common *com, const char *arg, long *k,
    unsigned *n)
{
	char *end, *slash = strchr(arg, '/');
	long kk, nn;

	if (slash == NULL)
		hark_usage_error(com, "--shard: expected K/N, e.g. 0/4, not "
		    "'%s'", arg);
	errno = 0;
	kk = strtol(arg, &end, 10);
	if (end != slash || end == arg || errno != 0)
		hark_usage_error(com, "--shard: '%s' is not K/N", arg);
	nn = strtol(slash + 1, &end, 10);
	if (*end != '\0' || end == slash + 1 || errno != 0 || nn < 1 ||
	    nn > MAX_SHARDS)
		hark_usage_error(com, "--shard: N must be 1 to %d in '%s'",
		    MAX_SHARDS, arg);
	if (kk < 0 || kk >= nn)
		hark_usage_error(com, "--shard: K must be 0 to N-1 in '%s'",
		    arg);
	*k = kk;
	*n = (unsigned)nn;
}

int
main(int argc, char **argv)
{
	struct hark_common com;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_filter_ops ops;
	struct ctx c;
	const char *prefix = NULL;
	unsigned i;
	int opt, status, gz = 0, split = 0;

	hark_init(&com, "mention-shard", synopsis, help);
	memset(&c, 0, sizeof(c));
	c.keep = -1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS "n:z",
	    longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			c.nshards = (unsigned)hark_opt_number(&com, "-n",
			    optarg, 1, MAX_SHARDS);
			split = 1;
			break;
		case 'z':
			gz = 1;
			break;
		case OPT_SHARD:
			parse_shard(&com, optarg, &c.keep, &c.nshards);
			break;
		case '?':
		case ':':
			hark_bad_option(&com, opt, argv);
		default:
			if (!hark_common_option(&com, opt, optarg))
				hark_bad_option(&com, opt, argv);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (split && c.keep >= 0)
		hark_usage_error(&com, "-n and --shard exclude each other");
	if (!split && c.keep < 0)
		hark_usage_error(&com, "give -n N -o PREFIX (write N shards) "
		    "or --shard K/N (keep one)");
	if (split && (com.output == NULL || strcmp(com.output, "-") == 0 ||
	    com.output[0] == '\0'))
		hark_usage_error(&com, "-n needs -o PREFIX (the shards are "
		    "PREFIX.0 to PREFIX.%u)", c.nshards - 1);
	if (gz && !split)
		hark_usage_error(&com, "--gzip goes with -n");

	if (split) {
		prefix = com.output;
		com.output = NULL;	/* nothing on standard output */
		c.sh = hark_xcalloc(c.nshards, sizeof(*c.sh));
		for (i = 0; i < c.nshards; i++) {
			char *path = hark_xasprintf("%s.%u%s", prefix, i,
			    gz ? ".gz" : "");

			if (hark_output_open(&c.sh[i].out, path, 1, &err) < 0)
				hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
			free(path);
			if (gz) {
				c.sh[i].gz = 1;
				if (deflateInit2(&c.sh[i].z, 6, Z_DEFLATED,
				    15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
					hark_die(HARK_EXIT_FAILURE, "out of "
					    "memory");
			}
		}
	}
	hark_lazy_want(&c.lazy, "event");
	hark_lazy_want(&c.lazy, "ticket");
	hark_lazy_want(&c.lazy, "conversation");
	hark_lazy_want(&c.lazy, "ticket_id");
	hark_lazy_want(&c.lazy, "conversation_id");
	hark_lazy_want(&c.lazy, "id");
	hark_lazy_want(&c.lazy, "thread");
	memset(&ops, 0, sizeof(ops));
	ops.record = shard_record;
	ops.lazy = &c.lazy;
	status = hark_filter_run(&com, argc, argv, &ops, &c, NULL);
	for (i = 0; split && i < c.nshards; i++) {
		struct hark_err cerr = HARK_ERR_INIT;

		if (shard_close(&c.sh[i], !c.failed, &cerr) < 0) {
			hark_error("%s", cerr.msg);
			status = HARK_EXIT_FAILURE;
		}
	}
	if (c.failed && status == 0)
		status = HARK_EXIT_FAILURE;
	free(c.sh);
	free(c.ch.k);
	free(c.ch.v);
	hark_lazy_release(&c.lazy);
	return status;
}
