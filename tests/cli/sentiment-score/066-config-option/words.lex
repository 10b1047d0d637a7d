zorgi	3
