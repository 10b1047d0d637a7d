# my brand's words
[words]
grotty = -2.5
zorg*, ace = 3
[negated en]
widget* = -1
[negators]
naaah
