[words]
lumilo = 0
flicker*, brick*, bricked = -2.5
