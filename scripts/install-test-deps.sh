#!/usr/bin/env bash
# Installs everything the test suite needs that this machine lacks:
# Debian packages (OpenSSH server, sudo, Chromium, process tools, and the
# real servers of tests/servers/: Docker engine, nginx, Prometheus and its
# Pushgateway, static busybox, debootstrap, unshare) and, in the virtual
# environment .venv (which also sees the machine's packages), inspecpy itself
# with its test extras. Safe to run again: it only installs what is missing.
#
# No Debian package install may leave a daemon running: services are kept
# from starting while apt-get runs (policy-rc.d answers 101), and anything a
# postinst still started is stopped by the PID in its pidfile afterwards, so
# no default port (80, 9090, 9091) or socket (/run/docker.sock) is taken.
# The tests start their own instances on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
command -v ps >/dev/null 2>&1 || need+=(procps)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v rpm >/dev/null 2>&1 || need+=(rpm)          # rpm's own vercmp judges our rpm version order
command -v git >/dev/null 2>&1 || need+=(git)          # tests/integration/test_readme_install.py: git ls-files
# tests/servers/
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -x /usr/bin/prometheus ] || need+=(prometheus)
[ -x /usr/bin/prometheus-pushgateway ] || need+=(prometheus-pushgateway)
# a statically linked busybox (ldd fails on it) to build container images from
{ [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || need+=(busybox-static)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)

stop_pidfile() {  # stop a daemon a postinst started anyway, by the PID in its pidfile
  local file=$1 pid
  [ -s "$file" ] || return 0
  pid=$(tr -dc 0-9 <"$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "install-test-deps: stopping $(cat /proc/"$pid"/comm 2>/dev/null) (pid $pid from $file)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: need root to install: ${need[*]}" >&2
    exit 1
  fi
  echo "install-test-deps: apt-get install ${need[*]}"
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then  # keep postinst scripts from starting services
    printf '#!/bin/sh\n# inspecpy install-test-deps: no service starts during apt-get\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${need[@]}" >/dev/null
  for pidfile in /run/nginx.pid /run/docker.pid /var/run/docker.pid /run/containerd/containerd.pid \
                 /run/prometheus/prometheus.pid /run/prometheus-pushgateway.pid; do
    stop_pidfile "$pidfile"
  done
fi

[ -x .venv/bin/python ] || python3 -m venv --system-site-packages .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

# KServe's Python ModelServer, the real v1-protocol server of the model_endpoint tests, lives in its
# own environment: kserve pins a FastAPI (and protobuf) newer than MLServer 1.7 accepts.
if ! { [ -x .venv-kserve/bin/python ] && .venv-kserve/bin/python -c 'import kserve' >/dev/null 2>&1; }; then
  python3 -m venv .venv-kserve
  .venv-kserve/bin/python -m pip install -q --disable-pip-version-check 'kserve>=0.16'
fi
