#!/usr/bin/env bash
# The whole test suite: installs what the tests need (ZooKeeper, a JRE), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! hack/install-deps.sh; then
  if [ "${CI:-}" = "true" ]; then
    echo "test: dependencies could not be installed, and CI must not skip tests" >&2
    exit 1
  fi
  echo "test: some dependencies are missing; the tests that need them will say so and skip" >&2
fi

swift build --build-tests
# Serially: the suites start real servers and ZooKeeper JVMs, and on a 2-core machine
# tests that wait on them must not compete with each other for the cooperative threads.
swift test --skip-build --no-parallel "$@"
