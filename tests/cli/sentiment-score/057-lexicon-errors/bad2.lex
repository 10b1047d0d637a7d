[feelings]
x = 1
