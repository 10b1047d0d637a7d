# shard-cmp.jq - compare two sla-report -f ndjson outputs line by line:
# jq -n -r --slurpfile a SINGLE --slurpfile b MERGED -f shard-cmp.jq
# prints one line per difference: every member must be equal, except the
# percentiles (median, p90, p95), which may differ by the bound that
# sla-report(1) states for a merge: 0.5% of the single run's value, after
# rounding to the second (so |a - b| <= 0.005 a + 0.5).
def pct: . == "median" or . == "p90" or . == "p95";
[$a, $b] as [$x, $y]
| if ($x | length) != ($y | length) then "line count \($x | length) vs \($y | length)" else
  range(0; $x | length) as $i
  | [$x[$i], $y[$i]] as [$l, $r]
  | ([$l | paths(scalars)] + [$r | paths(scalars)] | unique)[] as $p
  | ($l | getpath($p)) as $u | ($r | getpath($p)) as $v
  | select(
      if ($p[-1] | type) == "string" and ($p[-1] | pct) and ($u | type) == "number" and ($v | type) == "number"
      then (($u - $v) | fabs) > 0.005 * $u + 0.5
      else $u != $v end)
  | "line \($i + 1) \($p | map(tostring) | join(".")): \($u) vs \($v)"
  end
