#!/usr/bin/env bash
# Runs a command as a fresh CI machine would see it, so that no test can lean on this machine's state:
#   - /etc/postfix holds only what the Debian package installs with "No configuration" (no main.cf);
#   - the host name is "hermetic-test-host", whatever this machine is called;
#   - /etc/resolv.conf names only 127.0.0.1, where nothing answers DNS (tests use their own servers).
# It needs root: it makes a private mount and UTS namespace (unshare), so nothing outside changes.
#
#   bash scripts/hermetic.sh npm test
#   bash scripts/hermetic.sh --keep-dns bash .ci/run   # the whole CI job as a fresh machine runs it:
#       the installs need the machine's DNS (npm registry, Debian mirror); .ci/run then runs npm test
#       through this script again, without it.
set -euo pipefail

KEEP_DNS=""
if [[ "${1:-}" == "--keep-dns" ]]; then
  KEEP_DNS=1
  shift
fi
if [[ $# -eq 0 ]]; then
  echo "usage: bash scripts/hermetic.sh [--keep-dns] COMMAND [ARG...]" >&2
  exit 2
fi

if [[ -z "${SMTP_DOCTOR_HERMETIC:-}" ]]; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "scripts/hermetic.sh needs root (unshare --mount --uts)" >&2
    exit 2
  fi
  export SMTP_DOCTOR_HERMETIC=1
  exec unshare --mount --uts --propagation private bash "$0" ${KEEP_DNS:+--keep-dns} "$@"
fi

VIEW="$(mktemp -d /tmp/smtp-doctor-hermetic.XXXXXX)"
# Our own mounts first (in a nested run they cover the outer run's), then the copies behind them.
MOUNTED=()
cleanup() {
  local m
  for m in "${MOUNTED[@]}"; do umount "$m" 2>/dev/null || true; done
  rm -rf "$VIEW"
}
trap cleanup EXIT

# /etc/postfix as the package leaves it: its own files, plus the three the postinst writes even with
# "No configuration" (master.cf, dynamicmaps.cf, the *.proto files), rebuilt from /usr/share/postfix.
if dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q 'install ok installed'; then
  PF="$VIEW/postfix"
  mkdir -p "$PF"
  while IFS= read -r path; do
    [[ "$path" == /etc/postfix/* ]] || continue
    rel="${path#/etc/postfix/}"
    if [[ -d "$path" ]]; then
      mkdir -p "$PF/$rel"
    elif [[ -e "$path" ]]; then
      mkdir -p "$PF/$(dirname "$rel")"
      cp -p "$path" "$PF/$rel"
    fi
  done < <(dpkg -L postfix)
  share=/usr/share/postfix
  cp "$share/master.cf.dist" "$PF/master.cf"
  cp "$share/master.cf.dist" "$PF/master.cf.proto"
  cp "$share/main.cf.dist" "$PF/main.cf.proto"
  [[ -f "$share/makedefs.out" ]] && cp "$share/makedefs.out" "$PF/makedefs.out"
  while IFS= read -r row; do
    if [[ "$row" == \#* ]]; then
      echo "$row"
    elif [[ -e "/usr/lib/postfix/postfix-${row%%[[:space:]]*}.so" ]]; then
      echo "$row"
    fi
  done <"$share/dynamicmaps.cf" >"$PF/dynamicmaps.cf"
  mkdir -p /etc/postfix
  mount --bind "$PF" /etc/postfix
  MOUNTED=(/etc/postfix "${MOUNTED[@]}")
fi

hostname hermetic-test-host

if [[ -z "$KEEP_DNS" ]]; then
  printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$VIEW/resolv.conf"
  mount --bind "$VIEW/resolv.conf" /etc/resolv.conf
  MOUNTED=(/etc/resolv.conf "${MOUNTED[@]}")
fi

echo "--- hermetic view: /etc/postfix = {$(ls /etc/postfix 2>/dev/null | tr '\n' ' ')}, host name $(hostname), $([[ -n "$KEEP_DNS" ]] && echo "the machine's DNS" || echo 'DNS 127.0.0.1 only')"
"$@"
