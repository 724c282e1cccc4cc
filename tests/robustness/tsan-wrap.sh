#!/bin/sh
# meson test --wrapper for TSan runs: preloads tsan-glib-sync (see there)
# into test programs built with TSan, and nothing else (a Python test with
# the TSan runtime loaded late would crash on start).
# SPDX-License-Identifier: GPL-3.0-or-later
shim=${COORDYN_TSAN_SHIM:?set COORDYN_TSAN_SHIM to libtsan-glib-sync.so}
if ldd "$1" 2>/dev/null | grep -q libtsan; then
  LD_PRELOAD=$shim${LD_PRELOAD:+:$LD_PRELOAD}
  export LD_PRELOAD
fi
exec "$@"
