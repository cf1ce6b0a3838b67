#!/usr/bin/env bash
# Checks a built .deb as an installer would meet it: its control data and file list,
# then installs it on this machine (CI, as root), checks the installed config with the
# installed binary, and verifies the unit where systemd-analyze exists.
set -euo pipefail
deb=${1:?usage: check-deb.sh FILE.deb}

dpkg-deb --info "$deb"
contents=$(dpkg-deb --contents "$deb")
echo "$contents"
for path in ./usr/bin/dashboard ./usr/lib/systemd/system/ccdash.service ./etc/ccdash/ccdash.yaml ./usr/share/doc/ccdash/README.md; do
  grep -q " $path\$" <<<"$contents" || { echo "check-deb: $deb lacks $path" >&2; exit 1; }
done
grep -q '^ */etc/ccdash/ccdash.yaml$' < <(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles) ||
  { echo "check-deb: /etc/ccdash/ccdash.yaml is not a conffile (an upgrade would overwrite edits)" >&2; exit 1; }

dpkg -i "$deb"
/usr/bin/dashboard version
state=$(mktemp -d)
chmod 700 "$state"
# The installed config as it stands (its data_dir is relative: checked from a scratch
# directory), then with the state directory the unit gives it.
(cd "$state" && /usr/bin/dashboard check-config /etc/ccdash/ccdash.yaml)
/usr/bin/dashboard check-config --data-dir "$state" /etc/ccdash/ccdash.yaml
rm -rf "$state"
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify /usr/lib/systemd/system/ccdash.service
else
  echo "check-deb: systemd-analyze not installed here; unit not verified"
fi
