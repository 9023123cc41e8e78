#!/usr/bin/env bash
# System packages the tests need, installed idempotently with apt (as root) only when missing.
# One block per need; each says which tests use it. Safe to run on a fresh Debian 12 machine.
set -euo pipefail

APT="apt-get -o DPkg::Lock::Timeout=600 -y -qq"
updated=0
need() {  # need COMMAND PACKAGE...: install PACKAGE(s) when COMMAND is not on the machine
    local cmd=$1; shift
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$cmd" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "setup-system: $cmd missing and not root: install $* by hand" >&2; return 0
        fi
        [ $updated = 1 ] || { $APT update >/dev/null; updated=1; }
        DEBIAN_FRONTEND=noninteractive $APT install --no-install-recommends "$@" >/dev/null
    fi
}

# One line per need: need COMMAND PACKAGE   # which tests use it
need chromium chromium chromium-driver   # the reading room's browser journeys (tests/test_web_browser.py)
need /usr/lib/postgresql/15/bin/initdb postgresql   # the PostgreSQL backend: tests/conftest.py pg_server
need jing jing   # TEI export validation in tests/test_export_tei.py
need chromium chromium chromium-driver   # static site and browser tests (tests/test_export_site.py)
need wrk wrk   # the load generator of bench/web.py (a Python one is used without it)
