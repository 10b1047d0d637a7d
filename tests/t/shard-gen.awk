# shard-gen.awk - a deterministic synthetic stream for the shard/merge
# property test (tests/t/shard-merge.t): awk -v n=EVENTS -v seed=S.
# Ticket events (replies, notes, pauses, reopens, merges, spam) and mention
# threads: with and without thread.root_id (replies that name only their
# parent), joiners, asides, fragments, replies to missing messages whose
# in_reply_to_author_id is a brand account of another thread, and
# customers who @mention a brand account that answers only elsewhere:
# every case whose figures depend on the whole input.
function rnd(m) {
	seed = (seed * 1103515245 + 12345) % 2147483648
	return int(seed / 65536) % m
}
function ts(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
function mention(id, t, aid, handle, brand, text, root, parent, irt,    s) {
	s = sprintf("{\"id\":\"%s\",\"source\":\"%s\",\"created_at\":\"%s\",\"author\":{\"id\":\"%s\",\"handle\":\"%s\",\"is_brand\":%s},\"text\":\"%s\",\"sentiment\":{\"label\":\"%s\"},\"thread\":{\"root_id\":%s,\"parent_id\":%s,\"in_reply_to_author_id\":%s}}", \
	    id, chan, ts(t), aid, handle, brand ? "true" : "false", text, lab[rnd(3)], \
	    root == "" ? "null" : "\"" root "\"", parent == "" ? "null" : "\"" parent "\"", \
	    irt == "" ? "null" : "\"" irt "\"")
	print s
	ev++
}
function event(tk, e, t, extra) {
	printf "{\"ticket\":\"%s\",\"event\":\"%s\",\"ts\":\"%s\"%s}\n", tk, e, ts(t), extra
	ev++
}
function ctext(    r) {
	r = rnd(6)
	return r == 0 ? "@Brand where is my parcel" : r == 1 ? "hi @rarebrand my order is late" : \
	    r == 2 ? "@nobody @Brand help" : "my order is late"
}
BEGIN {
	ch[0] = "x"; ch[1] = "facebook"; ch[2] = "instagram"; ch[3] = "email"
	q[0] = "billing"; q[1] = "delivery"; q[2] = "tech"
	pr[0] = "low"; pr[1] = "normal"; pr[2] = "urgent"
	lab[0] = "negative"; lab[1] = "neutral"; lab[2] = "positive"
	t0 = 1740787200; ev = 0; c = 0
	while (ev < n) {
		t = t0 + rnd(86400 * 20)
		chan = ch[rnd(4)]
		kind = rnd(10)
		if (kind <= 3) {
			tk = "T" c
			event(tk, "customer_message", t, sprintf(",\"channel\":\"%s\",\"queue\":\"%s\",\"priority\":\"%s\",\"sentiment\":{\"label\":\"%s\"}", chan, q[rnd(3)], pr[rnd(3)], lab[rnd(3)]))
			len = 1 + rnd(8)
			for (j = 1; j < len; j++) {
				t += 30 + rnd(9000)
				r = rnd(20)
				if (r < 6) event(tk, "agent_reply", t, ",\"agent\":\"a" rnd(5) "\"")
				else if (r < 10) event(tk, "customer_message", t, "")
				else if (r == 10) event(tk, "auto_reply", t, "")
				else if (r == 11) event(tk, "private_note", t, "")
				else if (r == 12) event(tk, "status_changed", t, ",\"status\":\"pending\"")
				else if (r == 13) event(tk, "status_changed", t, ",\"status\":\"open\"")
				else if (r == 14) event(tk, "reopened", t, "")
				else if (r == 15) event(tk, rnd(2) ? "merged" : "spam", t, "")
				else event(tk, "resolved", t, "")
			}
		} else if (kind <= 5 || kind == 6) {
			# a thread; kind 6: no root_id anywhere (parents only)
			root = "m" c
			cust = "u" c
			mention(root, t, cust, "user" c, 0, ctext(), kind == 6 ? "" : root, "", "")
			prev = root; prevauth = cust
			len = 1 + rnd(6)
			for (j = 1; j < len; j++) {
				t += 60 + rnd(7200)
				r = rnd(6)
				id = root "-" j
				if (r <= 2) {
					b = c % 211 == 6 ? "b2" : "b1"
					mention(id, t, b, b == "b1" ? "Brand" : "RareBrand", 1, "sorry, dm us", kind == 6 ? "" : root, prev, prevauth)
					prevauth = b
				} else if (r == 3) {
					mention(id, t, "j" c, "joiner" c, 0, ctext(), kind == 6 ? "" : root, prev, prevauth)
					prevauth = "j" c
				} else {
					mention(id, t, cust, "user" c, 0, "still waiting", kind == 6 ? "" : root, prev, prevauth)
					prevauth = cust
				}
				prev = id
			}
		} else if (kind == 7) {
			# a reply to a message not in the input
			irt = rnd(3) == 0 ? "b2" : rnd(2) ? "b1" : "u9999999"
			mention("f" c, t, "u" c, "user" c, 0, ctext(), "gone" c, "gone" c, irt)
			if (rnd(2))
				mention("f" c "-1", t + 600, "b1", "Brand", 1, "hello", "gone" c, "f" c, "u" c)
		} else if (kind == 8) {
			# an unanswered post naming a brand that answers elsewhere
			mention("r" c, t, "u" c, "user" c, 0, "@RareBrand broken again", "r" c, "", "")
		} else {
			# a joiner in someone else's thread, unanswered (an aside
			# unless they name a brand)
			mention("k" c, t, "u" c, "user" c, 0, "my order", "k" c, "", "")
			mention("k" c "-1", t + 300, "j" c, "joiner" c, 0, ctext(), "k" c, "k" c, "u" c)
			if (rnd(2))
				mention("k" c "-2", t + 900, "b1", "Brand", 1, "on it", "k" c, "k" c, "u" c)
		}
		c++
	}
}
