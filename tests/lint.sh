#!/bin/sh
# tests/lint.sh O - static checks, as TAP: mandoc -Tlint on every page,
# syntax of the completion scripts, and that every long option a command's
# --help prints appears in its man page and in its bash, zsh and fish
# completions, and that the man page's SYNOPSIS names the same options.
set -u
O=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bindir=$O/bin
n=0
t() {	# t OK|FAIL DESCRIPTION [DETAIL]
	n=$((n + 1))
	if [ "$1" = OK ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"; [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

if command -v mandoc >/dev/null 2>&1; then
	for page in "$top"/man/*.[157]; do
		[ -f "$page" ] || continue
		out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
		if [ -z "$out" ]; then t OK "mandoc -Tlint $(basename "$page")"
		else t FAIL "mandoc -Tlint $(basename "$page")" "$out"; fi
	done
else
	skip "mandoc -Tlint" "mandoc not installed"
fi

if command -v bash >/dev/null 2>&1; then
	if out=$(bash -n "$top/completions/bash/hark" 2>&1); then t OK "bash -n completions/bash/hark"
	else t FAIL "bash -n completions/bash/hark" "$out"; fi
fi
if command -v zsh >/dev/null 2>&1; then
	if out=$(zsh -n "$top/completions/zsh/_hark" 2>&1); then t OK "zsh -n completions/zsh/_hark"
	else t FAIL "zsh -n completions/zsh/_hark" "$out"; fi
else
	skip "zsh -n" "zsh not installed"
fi
for f in "$top"/completions/fish/*.fish; do
	[ -f "$f" ] || continue
	if command -v fish >/dev/null 2>&1; then
		if out=$(fish -n "$f" 2>&1); then t OK "fish -n $(basename "$f")"
		else t FAIL "fish -n $(basename "$f")" "$out"; fi
	else
		skip "fish -n $(basename "$f")" "fish not installed"
	fi
done
if command -v shellcheck >/dev/null 2>&1; then
	out=$(cd "$top" && shellcheck -s sh -S warning tests/run tests/suite.sh tests/check.sh tests/lint.sh tools/install-deps.sh tools/embed.sh .ci/run 2>&1)
	if [ -z "$out" ]; then t OK "shellcheck test and build scripts"
	else t FAIL "shellcheck test and build scripts" "$out"; fi
else
	skip "shellcheck" "shellcheck not installed"
fi

# Options: --help vs man page vs completions.
for d in "$top"/cmd/*/; do
	c=$(basename "$d")
	bin=$bindir/$c
	[ -x "$bin" ] || { t FAIL "$c: binary built"; continue; }
	opts=$("$bin" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
	[ -n "$opts" ] || { t FAIL "$c: --help lists options"; continue; }
	page=$top/man/$c.1
	fish=$top/completions/fish/$c.fish
	bashpart=$(sed -n "/^# BEGIN $c\$/,/^# END $c\$/p" "$top/completions/bash/hark")
	zshpart=$(sed -n "/^# BEGIN $c\$/,/^# END $c\$/p" "$top/completions/zsh/_hark")
	common_bash=$(sed -n '/^_hark_common_opts=/,/"$/p' "$top/completions/bash/hark")
	common_zsh=$(sed -n '/^_hark_common=(/,/^)/p' "$top/completions/zsh/_hark")
	miss_man="" miss_bash="" miss_zsh="" miss_fish=""
	for o in $opts; do
		name=${o#--}
		grep -q -e "Fl -$name\\b" -e "\\\\-\\\\-$name\\b" "$page" 2>/dev/null || miss_man="$miss_man $o"
		printf '%s\n%s\n' "$bashpart" "$common_bash" | grep -q -e "$o\\b" || miss_bash="$miss_bash $o"
		printf '%s\n%s\n' "$zshpart" "$common_zsh" | grep -q -e "$o\\b" || miss_zsh="$miss_zsh $o"
		grep -q -e "-l $name\\b" -e "--long-option $name\\b" -e "-l '$name'" "$fish" 2>/dev/null || miss_fish="$miss_fish $o"
	done
	[ -z "$miss_man" ] && t OK "$c: man page lists every --help option" || t FAIL "$c: man page lists every --help option" "missing:$miss_man"
	[ -z "$miss_bash" ] && t OK "$c: bash completion lists every option" || t FAIL "$c: bash completion lists every option" "missing:$miss_bash"
	[ -z "$miss_zsh" ] && t OK "$c: zsh completion lists every option" || t FAIL "$c: zsh completion lists every option" "missing:$miss_zsh"
	[ -z "$miss_fish" ] && t OK "$c: fish completion lists every option" || t FAIL "$c: fish completion lists every option" "missing:$miss_fish"
	# The SYNOPSIS is what --help prints on its usage line(s).
	if command -v mandoc >/dev/null 2>&1 && [ -f "$page" ]; then
		want=$("$bin" --help | sed -n '1,/^$/p' | sed 's/^usage: //; s/^ *//' | tr -s ' \n' '  ' | sed 's/ *$//')
		got=$(mandoc -Tascii -Owidth=200 "$page" | col -bx | sed -n '/^SYNOPSIS/,/^[A-Z]/p' | sed '1d;$d' | sed 's/^ *//' | tr -s ' \n' '  ' | sed 's/ *$//')
		[ "$want" = "$got" ] && t OK "$c: man SYNOPSIS matches --help usage" || t FAIL "$c: man SYNOPSIS matches --help usage" "help: $want
man:  $got"
	fi
	# The man page documents no option the command does not have.
	extra=""
	for o in $(grep -o 'Fl -[a-z][a-z0-9-]*' "$page" 2>/dev/null | sed 's/^Fl -/--/' | sort -u); do
		printf '%s\n' "$opts" | grep -qx -- "$o" || extra="$extra $o"
	done
	[ -z "$extra" ] && t OK "$c: man page documents no unknown option" || t FAIL "$c: man page documents no unknown option" "not in --help:$extra"
done
echo "1..$n"
