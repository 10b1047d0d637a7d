[words]
zorgi = 3
