#!/usr/bin/env bash
# Installs what Keeper's tests and playground run against: Debian's ZooKeeper 3.8 and a JRE,
# and socat and openssl for the API server's TLS front (in-cluster clients speak only https).
# kubectl is expected preinstalled; it is only checked. Safe to run again: it installs
# only what is missing. Without root it prints the command to run instead.
set -euo pipefail

missing=()
[ -x /usr/share/zookeeper/bin/zkServer.sh ] || missing+=(zookeeper)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# The official zookeeper image has nc; probe scripts use it.
command -v nc >/dev/null 2>&1 || missing+=(netcat-openbsd)
# unshare(1) and nsenter(1) give each simulated pod its own mount namespace.
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
# kube-sim's TLS front (kubectl sends its token only over TLS; pods speak only https): socat
# serves the certificate openssl makes.
[ -x /usr/bin/socat ] || missing+=(socat)
[ -x /usr/bin/openssl ] || missing+=(openssl)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
