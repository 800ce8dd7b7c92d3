#!/usr/bin/env bash
# Starts a private Dovecot IMAP server on loopback for the mail tests.
# usage: start_dovecot.sh DIR PORT   → user "clee" / password "secret", Maildir under DIR/mail
# Prints nothing on success; the server's pid is in DIR/run/master.pid. Stop: kill $(cat DIR/run/master.pid)
set -euo pipefail
dir=$1
port=$2
mkdir -p "$dir/run" "$dir/mail/clee" "$dir/log"
user=$(id -un)
group=$(id -gn)
uid=$(id -u)
gid=$(id -g)
login_user=$user
if [[ $uid -eq 0 ]]; then
  # Dovecot refuses to run logins or mail processes as root: use its own accounts.
  user=dovecot; group=dovecot; login_user=dovenull
  uid=$(id -u dovecot); gid=$(id -g dovecot)
  chown -R dovecot:dovecot "$dir/mail"
fi
cat > "$dir/passwd" <<P
clee:{PLAIN}secret:$uid:$gid::$dir/mail/clee::
P
cat > "$dir/dovecot.conf" <<C
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/run
instance_name = clee-test-$port
log_path = $dir/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $user
default_internal_group = $group
default_login_user = $login_user
mail_location = maildir:$dir/mail/%u
first_valid_uid = 0
passdb {
  driver = passwd-file
  args = $dir/passwd
}
userdb {
  driver = passwd-file
  args = $dir/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service stats {
  unix_listener stats-reader {
    user = $user
  }
  unix_listener stats-writer {
    user = $user
  }
}
C
dovecot -c "$dir/dovecot.conf"
for i in $(seq 1 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then exit 0; fi
  sleep 0.1
done
echo "dovecot did not start; log:" >&2
cat "$dir/log/dovecot.log" >&2 || true
exit 1
