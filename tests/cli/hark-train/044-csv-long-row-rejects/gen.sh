# big.csv: a header, two labelled rows, a 9 MB row (a quoted text with a
# line break, doubled quotes and CRLF), two more; want.csv: what --rejects
# must hold (the header, then the long row byte for byte).
printf 'text,label\r\n' > head.csv
printf 'great service thanks,positive\r\nstill waiting for my parcel,negative\r\n' > rows1.csv
{
	printf '"a ""long"" one,\r\n'
	head -c 9000000 /dev/zero | tr '\0' x
	printf '\r\n\r\nend",negative\r\n'
} > long.csv
printf 'love it,positive\r\nbroken again,negative\r\n' > rows2.csv
cat head.csv rows1.csv long.csv rows2.csv > big.csv
cat head.csv long.csv > want.csv
