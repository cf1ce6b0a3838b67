#!/bin/sh
# After install or upgrade: make systemd see the unit; an upgrade restarts a running
# service on the new binary. A first install does not start it: check the config first.
set -e
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
  if [ "$1" = "configure" ] && [ -n "$2" ]; then
    systemctl try-restart ccdash.service || true
  fi
fi
