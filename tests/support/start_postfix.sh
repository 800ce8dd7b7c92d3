#!/usr/bin/env bash
# Starts a private Postfix SMTP server on loopback for the outgoing-mail tests, delivering every
# message for example.org / example.com to one Maildir, DIR/mail/inbox/ (each copy says its envelope
# recipient in Delivered-To).
# usage: start_postfix.sh DIR SUBMIT_PORT SMTPS_PORT PLAIN_PORT
#   SUBMIT_PORT  smtp:// with STARTTLS offered; AUTH (PLAIN, LOGIN) only after STARTTLS
#   SMTPS_PORT   smtps:// (TLS from the first byte), AUTH as above
#   PLAIN_PORT   no STARTTLS offered (a client that requires TLS must refuse it)
# The server's certificate (self-signed for 127.0.0.1 and localhost) is DIR/tls/cert.pem.
# SASL account: "clee" / "secret" (Dovecot's auth service, started beside it). Relaying needs AUTH.
# Recipients with a canned answer (DIR/etc/access): refused@… → 550, busy@… → 451.
# Needs root (Postfix's master must start as root; its daemons run as the postfix user).
# Stop: stop_postfix.sh DIR
set -euo pipefail
dir=$(realpath -m "$1")
submit=$2
smtps=$3
plain=$4
mkdir -p "$dir/etc" "$dir/spool" "$dir/data" "$dir/mail" "$dir/log" "$dir/tls" "$dir/dovecot/run"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" 2>/dev/null
chmod 600 "$dir/tls/key.pem"
uid=$(id -u postfix)
gid=$(id -g postfix)
chown postfix:postfix "$dir/mail" "$dir/data"

# Dovecot as the SASL authority only: no mail protocols, one auth socket Postfix talks to.
cat > "$dir/dovecot/passwd" <<P
clee:{PLAIN}secret:$uid:$gid::$dir/mail::
P
cat > "$dir/dovecot/dovecot.conf" <<C
protocols =
base_dir = $dir/dovecot/run
state_dir = $dir/dovecot/run
instance_name = clee-smtp-$submit
log_path = $dir/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 0
passdb {
  driver = passwd-file
  args = $dir/dovecot/passwd
}
userdb {
  driver = passwd-file
  args = $dir/dovecot/passwd
}
service auth {
  unix_listener $dir/spool/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    user = dovecot
  }
  unix_listener stats-writer {
    user = dovecot
  }
}
C

cat > "$dir/etc/main.cf" <<C
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
meta_directory = /etc/postfix
daemon_directory = /usr/lib/postfix/sbin
command_directory = /usr/sbin
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = smtp.clee-test.invalid
mydomain = clee-test.invalid
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file_prefixes = $dir/log
maillog_file = $dir/log/postfix.log
alias_maps =
alias_database =
local_transport = error:5.1.1 local delivery is off in this test server
default_transport = error:5.7.1 this test server relays nowhere
relay_transport = error:5.7.1 this test server relays nowhere
virtual_mailbox_domains = regexp:$dir/etc/vdomains
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = regexp:$dir/etc/vmailbox
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
smtpd_banner = \$myhostname ESMTP clee-test
smtpd_tls_cert_file = $dir/tls/cert.pem
smtpd_tls_key_file = $dir/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = check_recipient_access texthash:$dir/etc/access, permit_sasl_authenticated, reject
smtpd_delay_reject = no
smtpd_error_sleep_time = 0s
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 200
message_size_limit = 20480000
C
# Every domain is delivered here (the fixtures' providers have real-looking addresses); nothing
# ever leaves the machine.
cat > "$dir/etc/vdomains" <<'D'
/./	OK
D
cat > "$dir/etc/vmailbox" <<'M'
/@/	inbox/
M
cat > "$dir/etc/access" <<'A'
refused@example.org	550 5.1.1 <refused@example.org>: Recipient address rejected: no such mailbox at this office
busy@example.org	451 4.3.2 <busy@example.org>: mailbox busy, try again later
A
# master.cf: the three listeners and the daemons delivery needs (no chroot: paths are absolute).
cat > "$dir/etc/master.cf" <<C
127.0.0.1:$submit inet n - n - - smtpd
127.0.0.1:$smtps inet n - n - - smtpd -o smtpd_tls_wrappermode=yes
127.0.0.1:$plain inet n - n - - smtpd -o smtpd_tls_security_level=none -o smtpd_tls_auth_only=no -o smtpd_sasl_auth_enable=no
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
local     unix - n n - - local
virtual   unix - n n - - virtual
lmtp      unix - - n - - lmtp
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
C
postfix -c "$dir/etc" check >"$dir/log/check.log" 2>&1 || { cat "$dir/log/check.log" >&2; exit 1; }
dovecot -c "$dir/dovecot/dovecot.conf"
postfix -c "$dir/etc" start >"$dir/log/start.log" 2>&1 || { cat "$dir/log/start.log" "$dir/log/postfix.log" >&2 || true; exit 1; }
for port in "$submit" "$smtps" "$plain"; do
  up=0
  for i in $(seq 1 100); do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then up=1; break; fi
    sleep 0.1
  done
  if [[ $up -ne 1 ]]; then
    echo "postfix did not listen on $port; log:" >&2
    cat "$dir/log/postfix.log" "$dir/log/start.log" >&2 || true
    exit 1
  fi
done
