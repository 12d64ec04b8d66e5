#!/usr/bin/env bash
# Starts OpenSSH's sshd on 127.0.0.1:PORT serving SFTP for the tests, with throwaway keys in DIR:
# host_key(.pub), client_key(.pub) (the key the tests log in with, as the current user),
# sshd_config, sshd.pid, sshd.log, and root/ for the files. Key login only; nothing else is
# served. Kept in the repository so the tests do not depend on where the checkout sits.
# Usage: start.sh DIR PORT   (stop: kill "$(cat DIR/sshd.pid)")
set -euo pipefail
dir=${1:?usage: start.sh DIR PORT}
port=${2:?usage: start.sh DIR PORT}
if [ ! -x /usr/sbin/sshd ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
fi
mkdir -p "$dir/root"
dir=$(cd "$dir" && pwd)
[ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
[ -f "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
install -m 600 "$dir/client_key.pub" "$dir/authorized_keys"
# sshd refuses to start without its privilege-separation folder.
mkdir -p /run/sshd 2>/dev/null || true
cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
# Ready when the port answers and sshd wrote its pid (a port held by someone else answers too).
for _ in $(seq 1 40); do
  if [ -s "$dir/sshd.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
  sleep 0.25
done
echo "sshd did not start on 127.0.0.1:$port; see $dir/sshd.log" >&2
exit 1
