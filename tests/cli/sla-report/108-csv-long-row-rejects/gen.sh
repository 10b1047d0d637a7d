# big.csv: a header, a row, a 9 MB row (a quoted text with a line break,
# doubled quotes and CRLF), a row; want.csv: what --rejects must hold.
printf 'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\r\n' > head.csv
printf '1,101,True,Mon Mar 03 08:00:00 +0000 2025,@AcmeHelp hi,,\r\n' > row1.csv
{
	printf '2,102,True,Mon Mar 03 09:00:00 +0000 2025,"@AcmeHelp ""long"" one,\r\n'
	head -c 9000000 /dev/zero | tr '\0' x
	printf '\r\n\r\nend",,\r\n'
} > long.csv
printf '3,AcmeHelp,False,Mon Mar 03 08:30:00 +0000 2025,@101 hello,,1\r\n' > row3.csv
cat head.csv row1.csv long.csv row3.csv > big.csv
cat head.csv long.csv > want.csv
