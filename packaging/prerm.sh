#!/bin/sh
# Before removal (not before an upgrade): stop and disable the service.
set -e
if [ -d /run/systemd/system ] && [ "$1" = "remove" ]; then
  systemctl disable --now ccdash.service || true
fi
