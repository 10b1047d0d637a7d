[words]
good = 1
bad = nope
