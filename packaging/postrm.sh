#!/bin/sh
# After removal: forget the unit. State in /var/lib/ccdash stays unless purged.
set -e
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi
if [ "$1" = "purge" ]; then
  rm -rf /var/lib/private/ccdash /var/lib/ccdash
fi
