#!/usr/bin/env bash
# Stops what start_postfix.sh DIR started (Postfix's master and the Dovecot auth service).
dir=$(realpath -m "$1")
postfix -c "$dir/etc" stop >/dev/null 2>&1 || true
if [[ -f "$dir/dovecot/run/master.pid" ]]; then kill "$(cat "$dir/dovecot/run/master.pid")" 2>/dev/null || true; fi
exit 0
