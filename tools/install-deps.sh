#!/bin/sh
# tools/install-deps.sh [--optional] - install the Debian packages listed in
# tools/deps (build and check groups; --optional adds the optional group).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
groups="build check"
[ "${1:-}" = --optional ] && groups="$groups optional"
pkgs=""
for g in $groups; do
	pkgs="$pkgs $(sed -n "s/^$g: //p" "$here/deps")"
done
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "installed:$pkgs"
