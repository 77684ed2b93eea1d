#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make fresh-check: run "make test" on a minimal Debian bookworm that has only
# what a new machine of ours has (gcc, make, git, python3, perl), so that a
# package the tooling forgets to install shows up as a failure here and not
# in CI on a new machine.
#
# The root is debootstrap --variant=minbase, with this machine's Debian apt
# sources (bookworm-security carries linux-source-6.12). It is made anew in
# build/fresh-root on every run (KEEP_ROOT=1 reuses the last one, with the
# packages the last run installed: quicker, but no longer fresh), and a
# clone of HEAD is tested in it. Needs root (debootstrap, chroot, mounts).
# About 70 minutes on 2 cores: everything is installed and built from scratch.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
root="$top/build/fresh-root"
sources=/etc/apt/sources.list.d/debian.sources

[ "$(id -u)" = 0 ] || { echo "fresh-check: run as root" >&2; exit 2; }
if ! command -v debootstrap >/dev/null; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
fi

mounted=()
cleanup() {
	local m
	for m in "${mounted[@]}"; do
		umount -R "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}
trap cleanup EXIT
# A signal would end the script without its EXIT trap: exit instead.
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "${KEEP_ROOT:-0}" != 1 ] || [ ! -e "$root/.fresh-ready" ]; then
	# Never remove a root with the host's /dev or /sys still mounted in it.
	for m in proc sys dev; do
		if mountpoint -q "$root/$m"; then
			umount -R "$root/$m" || { echo "fresh-check: $root/$m is busy" >&2; exit 1; }
		fi
	done
	if findmnt -rn -o TARGET | grep -qF "$root/"; then
		echo "fresh-check: something is mounted under $root" >&2
		exit 1
	fi
	rm -rf --one-file-system "$root"
	mirror=$( { sed -n 's/^URIs: *//p' "$sources" 2>/dev/null || true; } | head -1)
	[ -n "$mirror" ] || mirror=$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
	debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}"
	# This machine's Debian sources, deb822 or classic (not third-party).
	if [ -f "$sources" ]; then
		rm -f "$root/etc/apt/sources.list"
		cp "$sources" "$root/etc/apt/sources.list.d/"
	elif [ -f /etc/apt/sources.list ]; then
		grep -E '^deb .*debian' /etc/apt/sources.list > "$root/etc/apt/sources.list" || true
	fi
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	chroot "$root" sh -c 'apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc make git python3 perl'
	touch "$root/.fresh-ready"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

for m in proc sys dev; do
	mountpoint -q "$root/$m" && continue
	if [ $m = proc ]; then
		mount -t proc proc "$root/proc"
	else
		mount --rbind /$m "$root/$m"
		# Unmounting them later must not reach the host's mounts.
		mount --make-rslave "$root/$m"
	fi
	mounted+=("$root/$m")
done

rm -rf "$root/src/repo"
mkdir -p "$root/src"
git -c safe.directory="$top" clone -q "$top" "$root/src/repo"
echo "fresh-check: make test in a minimal Debian (build/fresh-root), clone of $(git -C "$top" rev-parse --short HEAD)"
# A clean environment, but for the proxy settings apt may need.
proxies=$(env | grep -iE '^(https?|no)_proxy=' || true)
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 $proxies \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	sh -c 'cd /src/repo && make test'
