#!/bin/sh
# tools/install-deps.sh [--optional] - install the Debian packages listed in
# tools/deps: the build and check groups (required), and with --optional
# the optional group too (tests that need them skip when absent, so a
# failure to install them is only a warning).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list() { sed -n "s/^$1: //p" "$here/deps"; }
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2046
$sudo apt-get install -y -qq --no-install-recommends $(list build) $(list check) >/dev/null
echo "installed: $(list build) $(list check)"
if [ "${1:-}" = --optional ]; then
	for p in $(list optional); do
		if $sudo apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1; then
			echo "installed (optional): $p"
		else
			echo "warning: optional package $p not installed; its tests will skip" >&2
		fi
	done
fi
