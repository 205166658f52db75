#!/usr/bin/env bash
# The local WordPress stack for the demo and the end-to-end tests.
#
#   scripts/stack.sh up     [demo|test] [--fresh]   build, start what is missing, install WordPress
#   scripts/stack.sh down   [demo|test|all]         stop what this script started
#   scripts/stack.sh status [demo|test|all]
#   scripts/stack.sh env    [demo|test]             `export` lines for tests (also .run/<i>/env.json)
#   scripts/stack.sh restart-db                     stop and start MariaDB (the fault tests use it)
#
# Each instance has its own state directory (.run/<instance>/), ports and database; both share one
# MariaDB server (.run/mariadb). A test instance also serves a multisite network (sub-directory
# install: / and /site2/) on its port + 2, from the same nginx and php-fpm, with its own database
# and state directory (.run/<instance>ms/); see write_multisite_files and tests/wp/multisite.php. Every process is started under setsid with a pidfile holding its
# process-group id, so `down` stops exactly what `up` started. `up` keeps whatever is already
# running and healthy and restarts a service only when its binary or configuration changed.
#
# Development overrides: STACK_SKIP_BUILD=1 (do not run cargo), WORKOS_EXTENSION_SO=/path/to.so,
# WORKOS_EMULATOR_BIN=/path/to/binary, WP_PORT (demo only), CARGO_TARGET_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/.run"
WP_ROOT=/usr/share/wordpress
PHP=/usr/bin/php8.2
PHP_FPM=/usr/sbin/php-fpm8.2
NGINX=/usr/sbin/nginx
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SO="${WORKOS_EXTENSION_SO:-$TARGET_DIR/release/libworkos.so}"
EMULATOR_BIN="${WORKOS_EMULATOR_BIN:-$TARGET_DIR/release/workos-emulator}"

DB_PORT=3307
DB_USER=workos
MDB_LINK="$RUN/mariadb"           # what clients use (may be a symlink, see mariadb_dir)
DB_SOCKET="$MDB_LINK/mysqld.sock"
DEMO_USER_EMAIL=demo@example.com
DEMO_USER_PASSWORD="${DEMO_USER_PASSWORD:-Demo-password-1}"
INSTANCES=(demo test)
# Extra test instances that have a state directory are stopped by `down all` too.
for _d in "$RUN"/test[1-9]; do [[ -d $_d ]] && INSTANCES+=("${_d##*/}"); done
unset _d

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

# ----------------------------------------------------------------------------------------------
# Instance configuration

load_instance() {
  INST="$1"
  case "$INST" in
    demo) WP_PORT_I="${WP_PORT:-8080}"; EMU_PORT=8484; NOEXT_PORT="" ;;
    test) WP_PORT_I=8180; EMU_PORT=8584; NOEXT_PORT=8181 ;;
    # Extra test instances (test1 … test9) so that several people can run suites side by side.
    test[1-9]) local n="${INST#test}"
      WP_PORT_I=$((8180 + 10 * n)); EMU_PORT=$((8584 + 10 * n)); NOEXT_PORT=$((8181 + 10 * n)) ;;
    *) die "unknown instance '$INST' (expected: ${INSTANCES[*]} or test1…test9)" ;;
  esac
  IRUN="$RUN/$INST"
  DB_NAME="wp_$INST"
  WP_URL="http://127.0.0.1:$WP_PORT_I"
  NOEXT_URL=""; [[ -n $NOEXT_PORT ]] && NOEXT_URL="http://127.0.0.1:$NOEXT_PORT"
  WORDPRESS_CONFIG="workos$INST"
  ETC_CONFIG="/etc/wordpress/config-$WORDPRESS_CONFIG.php"
  USE_EMULATOR=1
  # The emulator also serves HTTPS on the next port, with a test CA made once in $IRUN/tls/.
  EMU_TLS_PORT=$((EMU_PORT + 1))
  EMULATOR_TLS_URL=""; EMULATOR_CA_FILE=""
  if [[ $INST == demo && -n "${WORKOS_API_KEY:-}" && -n "${WORKOS_CLIENT_ID:-}" ]]; then
    USE_EMULATOR=0
    EMULATOR_URL=""
    API_BASE_URL="${WORKOS_API_BASE_URL:-https://api.workos.com}"
    API_KEY="$WORKOS_API_KEY"
    CLIENT_ID="$WORKOS_CLIENT_ID"
    WEBHOOK_SECRET="${WORKOS_WEBHOOK_SECRET:-}"
  else
    EMULATOR_URL="http://127.0.0.1:$EMU_PORT"
    EMULATOR_TLS_URL="https://127.0.0.1:$EMU_TLS_PORT"
    EMULATOR_CA_FILE="$IRUN/tls/ca.pem"
    API_BASE_URL="$EMULATOR_URL"
    API_KEY="sk_test_emulator_$INST"
    CLIENT_ID="client_emulator_$INST"
    WEBHOOK_SECRET="whsec_emulator_$INST"
  fi
  WEBHOOK_URL="$WP_URL/wp-json/workos/v1/webhook"
  # Test instances also serve a multisite network (sub-directory install: the main site and
  # /site2/), on the next port but one, from the same nginx and php-fpm, with its own database
  # and config. Its state lives in .run/<instance>ms/ (env.json there lets tests/wp/eval.php
  # run inside it with WORKOS_STACK_INSTANCE=<instance>ms).
  MS_INST=""; MS_PORT=""; MS_URL=""; MS_IRUN=""; MS_DB_NAME=""; MS_CONFIG=""
  if [[ $INST == test* ]]; then
    MS_INST="${INST}ms"
    MS_PORT=$((WP_PORT_I + 2))
    MS_URL="http://127.0.0.1:$MS_PORT"
    MS_IRUN="$RUN/$MS_INST"
    MS_DB_NAME="wp_$MS_INST"
    MS_CONFIG="workos$MS_INST"
  fi
}

db_password() {
  local f="$RUN/db-password"
  if [[ ! -s $f ]]; then
    mkdir -p "$RUN"
    (umask 077; random_hex 16 >"$f")
  fi
  cat "$f"
}

admin_password() {
  local f="$IRUN/admin-password"
  if [[ ! -s $f ]]; then
    (umask 077; random_hex 12 >"$f")
  fi
  cat "$f"
}

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# ----------------------------------------------------------------------------------------------
# Process helpers: every service is a process group whose id is stored in a pidfile.

# group_alive PIDFILE: true if the process group recorded in PIDFILE still has live members.
group_alive() {
  local pid
  [[ -s $1 ]] || return 1
  pid="$(cat "$1")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  pgid_alive "$pid"
}

# pgid_alive PGID: some process of the group is alive. Zombies do not count: they linger until
# init reaps them, and this machine's init does that only every few seconds.
pgid_alive() {
  kill -0 -- "-$1" 2>/dev/null || return 1
  ps -e -o pgid= -o stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

# start_group PIDFILE LOGFILE CMD...: runs CMD in a new session; its pid (= process group id)
# goes to PIDFILE. The lock descriptor is closed so that services never hold the stack lock.
start_group() {
  local pidfile="$1" logfile="$2"
  shift 2
  rm -f "$pidfile"
  [[ -s $logfile ]] && mv -f "$logfile" "$logfile.prev"
  : >"$logfile"
  # shellcheck disable=SC2016 # expanded by the inner sh
  setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.02
  done
  die "could not start $*"
}

# stop_group PIDFILE NAME: TERM the whole group, KILL it after a grace period.
stop_group() {
  local pidfile="$1" name="$2" pid i
  if group_alive "$pidfile"; then
    pid="$(cat "$pidfile")"
    log "stopping $name (process group $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      pgid_alive "$pid" || break
      sleep 0.1
    done
    if pgid_alive "$pid"; then
      log "$name did not stop in 15 s: killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$pidfile" "${pidfile%.pid}.fingerprint"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_port_free() {
  local port="$1" what="$2"
  if port_open "$port"; then
    die "port $port (for $what) is already in use by a process this script did not start; see: ss -ltnp 'sport = :$port'"
  fi
}

# wait_ready PIDFILE SECONDS DESCRIPTION LOGFILE CMD...: polls CMD until it succeeds; fails early
# when the service's process group is gone.
wait_ready() {
  local pidfile="$1" secs="$2" what="$3" logfile="$4" i problem
  shift 4
  for ((i = 0; i < secs * 10; i++)); do
    "$@" && return 0
    if ! group_alive "$pidfile"; then
      problem="$what exited during start-up"
      break
    fi
    sleep 0.1
  done
  problem="${problem:-$what did not become ready in $secs s}"
  local f
  for f in "$logfile" "${pidfile%.pid}.log"; do
    [[ -s $f ]] && { log "last lines of $f:"; tail -n 30 "$f" >&2; }
  done
  die "$problem"
}

http_ok() { curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$1" 2>/dev/null || true; }

# fingerprint_matches NAME VALUE: true if the service was started with the same fingerprint.
fingerprint_matches() { [[ -f "$1.fingerprint" && "$(cat "$1.fingerprint")" == "$2" ]]; }
file_id() { stat -L -c '%d:%i:%Y:%s' "$1" 2>/dev/null || echo missing; }

# write_file PATH: writes stdin to PATH only when the content changed (keeps mtimes stable).
write_file() {
  local tmp
  tmp="$(mktemp "$1.XXXXXX")"
  cat >"$tmp"
  if [[ -f $1 ]] && cmp -s "$tmp" "$1"; then
    rm -f "$tmp"
  else
    chmod 644 "$tmp"
    mv -f "$tmp" "$1"
  fi
}

acquire_lock() {
  mkdir -p "$RUN"
  exec 9>"$RUN/.lock"
  flock -w 600 9 || die "another stack.sh is running (lock $RUN/.lock)"
}

# ----------------------------------------------------------------------------------------------
# MariaDB (one server for all instances)

# The data directory must be reachable by the mysql user. When the checkout lives somewhere that
# user cannot traverse (e.g. under /root), the data goes to /var/lib/workos-stack/<hash> and
# .run/mariadb becomes a symlink to it.
mariadb_dir() {
  if [[ $EUID -ne 0 ]]; then
    MDB_DIR="$MDB_LINK"
  elif [[ -L $MDB_LINK ]]; then
    MDB_DIR="$(readlink -f "$MDB_LINK")"
  elif [[ -d $MDB_LINK ]] || runuser -u mysql -- test -x "$RUN" 2>/dev/null; then
    MDB_DIR="$MDB_LINK"
  else
    MDB_DIR="/var/lib/workos-stack/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)/mariadb"
    mkdir -p "$MDB_DIR"
    ln -sfn "$MDB_DIR" "$MDB_LINK"
  fi
}

mariadb_ping() { mariadb-admin --no-defaults --socket="$DB_SOCKET" -uroot --connect-timeout=2 ping >/dev/null 2>&1; }
mariadb_root() { mariadb --no-defaults --socket="$DB_SOCKET" -uroot "$@"; }

mariadb_up() {
  local pidfile="$RUN/mariadb.pid" logfile="$RUN/mariadb.log"
  mariadb_dir
  local user_args=() fp
  [[ $EUID -eq 0 ]] && user_args=(--user=mysql)
  local args=(--no-defaults "${user_args[@]}" --datadir="$MDB_DIR/data" --socket="$MDB_DIR/mysqld.sock"
    --port="$DB_PORT" --bind-address=127.0.0.1 --pid-file="$MDB_DIR/mysqld.pid"
    --log-error="$MDB_DIR/error.log" --skip-name-resolve --skip-log-bin
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
    --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 --max-connections=200)
  fp="$(printf '%s\n' "${args[@]}")"
  if group_alive "$pidfile" && mariadb_ping; then
    if fingerprint_matches "${pidfile%.pid}" "$fp"; then
      log "mariadb: running (port $DB_PORT)"
      return
    fi
    stop_group "$pidfile" mariadb
  fi
  stop_group "$pidfile" mariadb
  ensure_port_free "$DB_PORT" mariadb
  mkdir -p "$MDB_DIR"
  [[ $EUID -eq 0 ]] && chown mysql:mysql "$MDB_DIR"
  if [[ ! -d $MDB_DIR/data/mysql ]]; then
    log "mariadb: initialising $MDB_DIR/data"
    rm -rf "$MDB_DIR/data"
    mariadb-install-db --no-defaults "${user_args[@]}" --datadir="$MDB_DIR/data" \
      --auth-root-authentication-method=socket --skip-test-db >"$RUN/mariadb-install.log" 2>&1 \
      || { tail -n 30 "$RUN/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
  fi
  rm -f "$MDB_DIR/mysqld.sock"
  log "mariadb: starting on 127.0.0.1:$DB_PORT"
  start_group "$pidfile" "$logfile" /usr/sbin/mariadbd "${args[@]}"
  printf '%s' "$fp" >"${pidfile%.pid}.fingerprint"
  wait_ready "$pidfile" 60 mariadb "$MDB_DIR/error.log" mariadb_ping
}

mariadb_down() { stop_group "$RUN/mariadb.pid" mariadb; }

database_up() {
  local pw fresh="$1"
  pw="$(db_password)"
  local db
  for db in "$DB_NAME" ${MS_DB_NAME:+"$MS_DB_NAME"}; do
    if [[ $fresh == 1 ]]; then
      log "database $db: dropping (--fresh)"
      mariadb_root -e "DROP DATABASE IF EXISTS \`$db\`;"
    fi
    mariadb_root -e "CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  done
  mariadb_root <<SQL
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$pw';
ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON \`wp\\_%\`.* TO '$DB_USER'@'localhost';
GRANT ALL PRIVILEGES ON \`wp\\_%\`.* TO '$DB_USER'@'127.0.0.1';
SQL
}

# ----------------------------------------------------------------------------------------------
# Files of an instance

write_instance_files() {
  local pw salts content="$IRUN/wp-content"
  pw="$(db_password)"
  mkdir -p "$IRUN" "$content/plugins" "$content/uploads" "$IRUN/nginx"/{body,fastcgi,proxy,uwsgi,scgi}
  ln -sfn "$ROOT/php-shim" "$content/plugins/workos"
  # The test instance gets the test-only must-use plugins (probes the tests read).
  if [[ $INST == test* ]]; then
    ln -sfn "$ROOT/tests/wp/mu-plugins" "$content/mu-plugins"
  else
    rm -f "$content/mu-plugins"
  fi
  if [[ ! -L $content/themes ]]; then
    rm -rf "$content/themes"
    ln -s "$WP_ROOT/wp-content/themes" "$content/themes"
  fi
  admin_password >/dev/null

  salts="$IRUN/salts.php"
  if [[ ! -s $salts ]]; then
    {
      echo '<?php'
      echo '// Generated once by scripts/stack.sh; kept so that logins survive restarts.'
      local k
      for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
        printf "define('%s', '%s');\n" "$k" "$(random_hex 32)"
      done
    } >"$salts"
  fi

  write_file "$IRUN/wp-config.php" <<PHP
<?php
// Generated by scripts/stack.sh for the "$INST" instance; rewritten by every \`stack.sh up\`.
// Loaded by Debian's /usr/share/wordpress/wp-config.php through $ETC_CONFIG.
define('WORKOS_STACK_INSTANCE', '$INST');
define('DB_NAME', '$DB_NAME');
define('DB_USER', '$DB_USER');
define('DB_PASSWORD', '$pw');
define('DB_HOST', 'localhost:$DB_SOCKET');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';
require __DIR__ . '/salts.php';

// Home and site URL follow the request's host, so any port (nginx, php -S) works.
\$workos_stack_host = (isset(\$_SERVER['HTTP_HOST']) && preg_match('/^[A-Za-z0-9.\\-\\[\\]:]+\$/', \$_SERVER['HTTP_HOST']))
    ? \$_SERVER['HTTP_HOST'] : '127.0.0.1:$WP_PORT_I';
\$workos_stack_scheme = ((!empty(\$_SERVER['HTTPS']) && 'off' !== \$_SERVER['HTTPS'])) ? 'https' : 'http';
define('WP_HOME', \$workos_stack_scheme . '://' . \$workos_stack_host);
define('WP_SITEURL', WP_HOME);
unset(\$workos_stack_host, \$workos_stack_scheme);

define('WP_CONTENT_DIR', '$content');
define('WP_CONTENT_URL', WP_HOME . '/wp-content');

// Per-instance JWKS file cache (the plugin's default is the system temp dir).
define('WORKOS_JWKS_CACHE_DIR', '$IRUN/jwks-cache');

// Offline and quiet: no outgoing HTTP except loopback, no cron on page views, no updates.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('FS_METHOD', 'direct');
define('WP_ENVIRONMENT_TYPE', 'local');

define('WP_DEBUG', true);
define('WP_DEBUG_LOG', '$IRUN/debug.log');
define('WP_DEBUG_DISPLAY', false);
PHP

  if [[ ! -d /etc/wordpress ]]; then
    mkdir -p /etc/wordpress 2>/dev/null || die "cannot create /etc/wordpress (run as root)"
  fi
  write_file "$ETC_CONFIG" <<PHP 2>/dev/null || die "cannot write $ETC_CONFIG (run as root)"
<?php
// Written by $ROOT/scripts/stack.sh: the "$INST" instance of the WorkOS WordPress stack.
require_once '$IRUN/wp-config.php';
PHP

  [[ -n $MS_INST ]] && write_multisite_files
  write_fpm_config
  write_nginx_config
  write_env_json
}

# The multisite network of a test instance: its own content dir, salts, wp-config and Debian config
# file. MULTISITE is defined unless WORKOS_STACK_SINGLE_SITE is: tests/wp/multisite.php defines it
# while it installs WordPress and turns it into a network (WordPress cannot load as a network
# before the network tables exist).
write_multisite_files() {
  local pw content="$MS_IRUN/wp-content" salts="$MS_IRUN/salts.php"
  pw="$(db_password)"
  mkdir -p "$MS_IRUN" "$content/plugins" "$content/uploads"
  ln -sfn "$ROOT/php-shim" "$content/plugins/workos"
  ln -sfn "$ROOT/tests/wp/mu-plugins" "$content/mu-plugins"
  if [[ ! -L $content/themes ]]; then
    rm -rf "$content/themes"
    ln -s "$WP_ROOT/wp-content/themes" "$content/themes"
  fi
  if [[ ! -s $salts ]]; then
    {
      echo '<?php'
      echo '// Generated once by scripts/stack.sh; kept so that logins survive restarts.'
      local k
      for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
        printf "define('%s', '%s');\n" "$k" "$(random_hex 32)"
      done
    } >"$salts"
  fi
  write_file "$MS_IRUN/wp-config.php" <<PHP
<?php
// Generated by scripts/stack.sh: the multisite network of the "$INST" instance ($MS_URL).
define('WORKOS_STACK_INSTANCE', '$MS_INST');
define('DB_NAME', '$MS_DB_NAME');
define('DB_USER', '$DB_USER');
define('DB_PASSWORD', '$pw');
define('DB_HOST', 'localhost:$DB_SOCKET');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';
require __DIR__ . '/salts.php';

define('WP_ALLOW_MULTISITE', true);
if ( ! defined( 'WORKOS_STACK_SINGLE_SITE' ) ) {
	define('MULTISITE', true);
	define('SUBDOMAIN_INSTALL', false);
	define('DOMAIN_CURRENT_SITE', '127.0.0.1:$MS_PORT');
	define('PATH_CURRENT_SITE', '/');
	define('SITE_ID_CURRENT_SITE', 1);
	define('BLOG_ID_CURRENT_SITE', 1);
}

define('WP_CONTENT_DIR', '$content');
define('WP_CONTENT_URL', '$MS_URL/wp-content');
define('WORKOS_JWKS_CACHE_DIR', '$MS_IRUN/jwks-cache');

define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('FS_METHOD', 'direct');
define('WP_ENVIRONMENT_TYPE', 'local');

define('WP_DEBUG', true);
define('WP_DEBUG_LOG', '$MS_IRUN/debug.log');
define('WP_DEBUG_DISPLAY', false);
PHP
  write_file "/etc/wordpress/config-$MS_CONFIG.php" <<PHP 2>/dev/null || die "cannot write /etc/wordpress/config-$MS_CONFIG.php (run as root)"
<?php
// Written by $ROOT/scripts/stack.sh: the multisite network of the "$INST" instance.
require_once '$MS_IRUN/wp-config.php';
PHP
  printf '{\n    "WP_URL": "%s",\n    "INSTANCE": "%s"\n}\n' "$MS_URL" "$MS_INST" | write_file "$MS_IRUN/env.json"
}

write_fpm_config() {
  local user_lines=""
  [[ $EUID -eq 0 ]] && user_lines=$'user = root\ngroup = root'
  write_file "$IRUN/php-fpm.conf" <<CONF
; Generated by scripts/stack.sh for the "$INST" instance.
[global]
error_log = $IRUN/php-fpm.log
daemonize = no
log_level = notice

[workos-$INST]
$user_lines
listen = $IRUN/php-fpm.sock
listen.mode = 0660
pm = dynamic
pm.max_children = 8
pm.start_servers = 3
pm.min_spare_servers = 2
pm.max_spare_servers = 4
request_terminate_timeout = 300
catch_workers_output = yes
decorate_workers_output = no
clear_env = yes
env[PATH] = /usr/local/bin:/usr/bin:/bin
env[RUST_BACKTRACE] = 1
php_admin_value[error_log] = $IRUN/php-error.log
php_admin_flag[log_errors] = on
php_admin_value[display_errors] = off
php_value[memory_limit] = 256M
php_value[upload_max_filesize] = 64M
php_value[post_max_size] = 64M
CONF
}

write_nginx_config() {
  local user_line=""
  [[ $EUID -eq 0 ]] && user_line="user root root;"
  # Debian's /etc/nginx/fastcgi_params sends HTTP_HOST without the port; WordPress derives its
  # URLs from HTTP_HOST here, so the stack uses its own list.
  write_file "$IRUN/nginx-fastcgi.conf" <<CONF
fastcgi_param QUERY_STRING \$query_string;
fastcgi_param REQUEST_METHOD \$request_method;
fastcgi_param CONTENT_TYPE \$content_type;
fastcgi_param CONTENT_LENGTH \$content_length;
fastcgi_param SCRIPT_NAME \$fastcgi_script_name;
fastcgi_param REQUEST_URI \$request_uri;
fastcgi_param DOCUMENT_URI \$document_uri;
fastcgi_param DOCUMENT_ROOT \$document_root;
fastcgi_param SERVER_PROTOCOL \$server_protocol;
fastcgi_param REQUEST_SCHEME \$scheme;
fastcgi_param HTTPS \$https if_not_empty;
fastcgi_param GATEWAY_INTERFACE CGI/1.1;
fastcgi_param SERVER_SOFTWARE nginx/\$nginx_version;
fastcgi_param REMOTE_ADDR \$remote_addr;
fastcgi_param REMOTE_PORT \$remote_port;
fastcgi_param SERVER_ADDR \$server_addr;
fastcgi_param SERVER_PORT \$server_port;
fastcgi_param SERVER_NAME \$server_name;
fastcgi_param REDIRECT_STATUS 200;
fastcgi_param HTTP_HOST \$http_host;
fastcgi_param HTTP_PROXY "";
fastcgi_param WORDPRESS_CONFIG $WORDPRESS_CONFIG;
fastcgi_read_timeout 300s;
fastcgi_buffers 16 16k;
fastcgi_buffer_size 32k;
fastcgi_pass unix:$IRUN/php-fpm.sock;
CONF
  local ms_server=""
  if [[ -n $MS_INST ]]; then
    sed "s/^fastcgi_param WORDPRESS_CONFIG .*/fastcgi_param WORDPRESS_CONFIG $MS_CONFIG;/" "$IRUN/nginx-fastcgi.conf" \
      | write_file "$IRUN/nginx-fastcgi-ms.conf"
    # Sub-directory sites: /site2/wp-admin/… is WordPress's /wp-admin/… (REQUEST_URI keeps the site).
    ms_server="
    server {
        listen 127.0.0.1:$MS_PORT;
        server_name _;
        root $WP_ROOT;
        index index.php;

        location ^~ /wp-content/ {
            alias $MS_IRUN/wp-content/;
            location ~ \.php\$ {
                include $IRUN/nginx-fastcgi-ms.conf;
                fastcgi_param SCRIPT_FILENAME \$request_filename;
            }
        }

        if (!-e \$request_filename) {
            rewrite /wp-admin\$ \$scheme://\$http_host\$uri/ permanent;
            rewrite ^(/[^/]+)?(/wp-.*) \$2 last;
            rewrite ^(/[^/]+)?(/.*\.php) \$2 last;
        }

        location / {
            try_files \$uri \$uri/ /index.php?\$args;
        }

        location ~ \.php\$ {
            try_files \$uri =404;
            include $IRUN/nginx-fastcgi-ms.conf;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        }
    }"
  fi
  write_file "$IRUN/nginx.conf" <<CONF
# Generated by scripts/stack.sh for the "$INST" instance.
$user_line
worker_processes 2;
daemon off;
pid $IRUN/nginx/nginx.pid;
error_log $IRUN/nginx-error.log warn;

events { worker_connections 512; }

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $IRUN/nginx-access.log;
    sendfile on;
    keepalive_timeout 30;
    client_max_body_size 64m;
    client_body_temp_path $IRUN/nginx/body;
    fastcgi_temp_path $IRUN/nginx/fastcgi;
    proxy_temp_path $IRUN/nginx/proxy;
    uwsgi_temp_path $IRUN/nginx/uwsgi;
    scgi_temp_path $IRUN/nginx/scgi;

    server {
        listen 127.0.0.1:$WP_PORT_I;
        server_name _;
        root $WP_ROOT;
        index index.php;

        location ^~ /wp-content/ {
            alias $IRUN/wp-content/;
            location ~ \.php\$ {
                include $IRUN/nginx-fastcgi.conf;
                fastcgi_param SCRIPT_FILENAME \$request_filename;
            }
        }

        location / {
            try_files \$uri \$uri/ /index.php?\$args;
        }

        location ~ \.php\$ {
            try_files \$uri =404;
            include $IRUN/nginx-fastcgi.conf;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        }
    }$ms_server
}
CONF
}

ENV_KEYS=(INSTANCE WP_URL NOEXT_URL EMULATOR_URL EMULATOR_TLS_URL EMULATOR_CA_FILE API_BASE_URL API_KEY CLIENT_ID WEBHOOK_SECRET WEBHOOK_URL
  DB_SOCKET DB_HOST DB_PORT DB_NAME DB_USER DB_PASSWORD RUN_DIR WP_ROOT WP_CONTENT_DIR WORDPRESS_CONFIG
  EXTENSION_PATH PHP_BIN ADMIN_USER ADMIN_PASSWORD DEMO_USER_EMAIL DEMO_USER_PASSWORD REPO_ROOT
  MS_INSTANCE MS_URL MS_SUBSITE_URL MS_SUBSITE_ADMIN)

# shellcheck disable=SC2034 # read indirectly through ${!name}
env_values() { # sets E_<KEY> variables for the current instance
  E_INSTANCE="$INST"; E_WP_URL="$WP_URL"; E_NOEXT_URL="$NOEXT_URL"; E_EMULATOR_URL="$EMULATOR_URL"
  E_EMULATOR_TLS_URL="$EMULATOR_TLS_URL"; E_EMULATOR_CA_FILE="$EMULATOR_CA_FILE"
  E_API_BASE_URL="$API_BASE_URL"; E_API_KEY="$API_KEY"; E_CLIENT_ID="$CLIENT_ID"
  E_WEBHOOK_SECRET="$WEBHOOK_SECRET"; E_WEBHOOK_URL="$WEBHOOK_URL"
  E_DB_SOCKET="$DB_SOCKET"; E_DB_HOST=127.0.0.1; E_DB_PORT="$DB_PORT"; E_DB_NAME="$DB_NAME"
  E_DB_USER="$DB_USER"; E_DB_PASSWORD="$(db_password)"; E_RUN_DIR="$IRUN"; E_WP_ROOT="$WP_ROOT"
  E_WP_CONTENT_DIR="$IRUN/wp-content"; E_WORDPRESS_CONFIG="$WORDPRESS_CONFIG"; E_EXTENSION_PATH="$SO"
  E_PHP_BIN="$PHP"; E_ADMIN_USER="admin"; E_ADMIN_PASSWORD="$(admin_password)"
  E_DEMO_USER_EMAIL=""; E_DEMO_USER_PASSWORD=""
  if [[ $INST == demo && $USE_EMULATOR == 1 ]]; then
    E_DEMO_USER_EMAIL="$DEMO_USER_EMAIL"; E_DEMO_USER_PASSWORD="$DEMO_USER_PASSWORD"
  fi
  E_REPO_ROOT="$ROOT"
  E_MS_INSTANCE="$MS_INST"; E_MS_URL="$MS_URL"; E_MS_SUBSITE_URL="${MS_URL:+$MS_URL/site2}"
  E_MS_SUBSITE_ADMIN="${MS_INST:+siteadmin}"
}

write_env_json() {
  env_values
  local k vars=()
  for k in "${ENV_KEYS[@]}"; do
    local v="E_$k"
    vars+=("STACKENV_$k=${!v}")
  done
  # shellcheck disable=SC2016 # PHP code
  env "${vars[@]}" STACKENV_KEYS="${ENV_KEYS[*]}" "$PHP" -n -r '
    $out = [];
    foreach (explode(" ", getenv("STACKENV_KEYS")) as $k) { $out[$k] = (string) getenv("STACKENV_" . $k); }
    echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";' \
    | write_file "$IRUN/env.json"
}

print_env() {
  mkdir -p "$IRUN"
  env_values
  local k
  for k in "${ENV_KEYS[@]}"; do
    local v="E_$k"
    printf 'export %s=%q\n' "$k" "${!v}"
  done
}

# ----------------------------------------------------------------------------------------------
# Services of an instance

emulator_healthy() { http_ok "$EMULATOR_URL/health"; }

emulator_up() {
  local pidfile="$IRUN/emulator.pid" fp
  local args=(--port "$EMU_PORT" --api-key "$API_KEY" --client-id "$CLIENT_ID" --issuer "$EMULATOR_URL"
    --webhook-url "$WEBHOOK_URL" --webhook-secret "$WEBHOOK_SECRET" --key-file "$IRUN/emulator-key.pem"
    --tls-port "$EMU_TLS_PORT" --tls-dir "$IRUN/tls")
  fp="$(file_id "$EMULATOR_BIN") ${args[*]}"
  if group_alive "$pidfile" && fingerprint_matches "${pidfile%.pid}" "$fp" && emulator_healthy; then
    log "emulator: running ($EMULATOR_URL)"
    return
  fi
  stop_group "$pidfile" "emulator ($INST)"
  ensure_port_free "$EMU_PORT" "the $INST emulator"
  ensure_port_free "$EMU_TLS_PORT" "the $INST emulator (HTTPS)"
  log "emulator: starting on $EMULATOR_URL"
  start_group "$pidfile" "$IRUN/emulator.log" "$EMULATOR_BIN" "${args[@]}"
  printf '%s' "$fp" >"${pidfile%.pid}.fingerprint"
  wait_ready "$pidfile" 30 "the WorkOS emulator" "$IRUN/emulator.log" emulator_healthy
}

fpm_up() {
  local pidfile="$IRUN/php-fpm.pid" fp
  local args=(-F -O -y "$IRUN/php-fpm.conf" -d "extension=$SO" -d opcache.enable=1
    -d opcache.validate_timestamps=1 -d opcache.revalidate_freq=0)
  [[ $EUID -eq 0 ]] && args=(-R "${args[@]}")
  fp="$(file_id "$SO") $(sha256sum <"$IRUN/php-fpm.conf") ${args[*]}"
  if group_alive "$pidfile" && fingerprint_matches "${pidfile%.pid}" "$fp" && [[ -S $IRUN/php-fpm.sock ]]; then
    log "php-fpm: running"
    return
  fi
  stop_group "$pidfile" "php-fpm ($INST)"
  "$PHP_FPM" "${args[@]}" -t >"$IRUN/php-fpm-test.log" 2>&1 \
    || { cat "$IRUN/php-fpm-test.log" >&2; die "php-fpm configuration test failed"; }
  rm -f "$IRUN/php-fpm.sock"
  log "php-fpm: starting (extension $SO)"
  start_group "$pidfile" "$IRUN/php-fpm.out" "$PHP_FPM" "${args[@]}"
  printf '%s' "$fp" >"${pidfile%.pid}.fingerprint"
  wait_ready "$pidfile" 20 php-fpm "$IRUN/php-fpm.log" test -S "$IRUN/php-fpm.sock"
}

nginx_up() {
  local pidfile="$IRUN/nginx.pid" fp
  local args=(-p "$IRUN/nginx/" -e "$IRUN/nginx-error.log" -c "$IRUN/nginx.conf")
  fp="$(cat "$IRUN/nginx.conf" "$IRUN/nginx-fastcgi.conf" ${MS_INST:+"$IRUN/nginx-fastcgi-ms.conf"} | sha256sum) ${args[*]}"
  if group_alive "$pidfile" && fingerprint_matches "${pidfile%.pid}" "$fp" && port_open "$WP_PORT_I"; then
    log "nginx: running ($WP_URL)"
    return
  fi
  stop_group "$pidfile" "nginx ($INST)"
  ensure_port_free "$WP_PORT_I" "the $INST WordPress site"
  [[ -n $MS_PORT ]] && ensure_port_free "$MS_PORT" "the $INST multisite network"
  "$NGINX" "${args[@]}" -t -q >"$IRUN/nginx-test.log" 2>&1 \
    || { cat "$IRUN/nginx-test.log" >&2; die "nginx configuration test failed"; }
  log "nginx: starting on $WP_URL"
  start_group "$pidfile" "$IRUN/nginx.out" "$NGINX" "${args[@]}"
  printf '%s' "$fp" >"${pidfile%.pid}.fingerprint"
  wait_ready "$pidfile" 20 nginx "$IRUN/nginx-error.log" port_open "$WP_PORT_I"
}

noext_up() {
  [[ -n $NOEXT_PORT ]] || return 0
  local pidfile="$IRUN/noext.pid" fp
  local args=(-S "127.0.0.1:$NOEXT_PORT" -t "$WP_ROOT" "$ROOT/tests/wp/router.php")
  fp="$(file_id "$PHP") ${args[*]}"
  if group_alive "$pidfile" && fingerprint_matches "${pidfile%.pid}" "$fp" && port_open "$NOEXT_PORT"; then
    log "no-extension server: running ($NOEXT_URL)"
    return
  fi
  stop_group "$pidfile" "no-extension server ($INST)"
  if "$PHP" -m 2>/dev/null | grep -qx workos; then
    die "the command-line PHP loads the workos extension by itself (php.ini / conf.d): the no-extension server needs it not to"
  fi
  ensure_port_free "$NOEXT_PORT" "the $INST no-extension server"
  log "no-extension server: starting on $NOEXT_URL (php -S, no workos extension)"
  start_group "$pidfile" "$IRUN/noext.log" env PHP_CLI_SERVER_WORKERS=2 WORKOS_STACK_INSTANCE="$INST" \
    "$PHP" -d display_errors=0 -d log_errors=1 -d "error_log=$IRUN/php-error.log" "${args[@]}"
  printf '%s' "$fp" >"${pidfile%.pid}.fingerprint"
  wait_ready "$pidfile" 20 "the no-extension server" "$IRUN/noext.log" port_open "$NOEXT_PORT"
}

# wp_php SCRIPT ARGS...: command-line PHP with the extension, inside this instance's WordPress.
wp_php() {
  env WORKOS_STACK_INSTANCE="$INST" "$PHP" -d "extension=$SO" -d display_errors=stderr "$@"
}

wordpress_up() {
  local settings out installed
  installed="$(WORKOS_ADMIN_PASSWORD="$(admin_password)" wp_php "$ROOT/tests/wp/install.php" install)" \
    || die "WordPress installation failed (see $IRUN/debug.log)"
  log "wordpress: $installed"
  settings="$(env S_API_KEY="$API_KEY" S_CLIENT_ID="$CLIENT_ID" S_WEBHOOK_SECRET="$WEBHOOK_SECRET" \
    S_API_BASE_URL="$API_BASE_URL" "$PHP" -n -r 'echo json_encode(["api_key" => getenv("S_API_KEY"),
      "client_id" => getenv("S_CLIENT_ID"), "webhook_secret" => getenv("S_WEBHOOK_SECRET"),
      "api_base_url" => getenv("S_API_BASE_URL")], JSON_UNESCAPED_SLASHES);')"
  out="$(WORKOS_ADMIN_PASSWORD="$(admin_password)" WORKOS_STACK_SETTINGS="$settings" \
    WORKOS_PLUGIN_FILE="$ROOT/php-shim/workos.php" wp_php "$ROOT/tests/wp/install.php" configure)" \
    || die "configuring WordPress failed (see $IRUN/debug.log)"
  log "wordpress: $out"
  # Rewrite rules: flushed again (with the plugin loaded) only when something they depend on changed.
  local stamp_file="$IRUN/rewrite.stamp" stamp
  stamp="$( (cat "$IRUN/wp-config.php"; find -L "$ROOT/php-shim" -name '*.php' -printf '%T@ %s %p\n' 2>/dev/null | sort) | sha256sum)"
  if [[ ! -f $stamp_file || "$(cat "$stamp_file")" != "$stamp" ]] \
    || grep -qE 'installed WordPress|plugin .* activated|permalinks set' <<<"$installed $out"; then
    out="$(wp_php "$ROOT/tests/wp/install.php" finish)" || die "flushing rewrite rules failed (see $IRUN/debug.log)"
    log "wordpress: $out"
    printf '%s' "$stamp" >"$stamp_file"
  fi
  [[ -n $MS_INST ]] && multisite_up "$settings"
  return 0
}

# multisite_up SETTINGS_JSON: installs the network once (tests/wp/multisite.php network), then
# keeps it configured: plugin network-activated, /site2/ with its own administrator "siteadmin"
# (not a network admin), the WorkOS credentials in the network's settings.
multisite_up() {
  local out
  out="$(WORKOS_ADMIN_PASSWORD="$(admin_password)" env WORKOS_STACK_INSTANCE="$MS_INST" "$PHP" -d "extension=$SO" \
    -d display_errors=stderr "$ROOT/tests/wp/multisite.php" network)" \
    || die "installing the multisite network failed (see $MS_IRUN/debug.log)"
  log "multisite: $out"
  out="$(WORKOS_ADMIN_PASSWORD="$(admin_password)" WORKOS_STACK_SETTINGS="$1" \
    env WORKOS_STACK_INSTANCE="$MS_INST" "$PHP" -d "extension=$SO" -d display_errors=stderr \
    "$ROOT/tests/wp/multisite.php" configure)" \
    || die "configuring the multisite network failed (see $MS_IRUN/debug.log)"
  log "multisite: $out"
}

seed_demo_user() {
  [[ $INST == demo && $USE_EMULATOR == 1 ]] || return 0
  local body code
  body="$(printf '{"email":"%s","password":"%s","first_name":"Demo","last_name":"User","email_verified":true}' \
    "$DEMO_USER_EMAIL" "$DEMO_USER_PASSWORD")"
  code="$(curl -s -o "$IRUN/seed-demo-user.json" -w '%{http_code}' --max-time 10 \
    -H 'Content-Type: application/json' -d "$body" "$EMULATOR_URL/__emulator/users" || true)"
  case "$code" in
    2??) log "emulator: demo user $DEMO_USER_EMAIL created" ;;
    409) log "emulator: demo user $DEMO_USER_EMAIL already exists" ;;
    *)
      if grep -qi 'exist' "$IRUN/seed-demo-user.json" 2>/dev/null; then
        log "emulator: demo user $DEMO_USER_EMAIL already exists"
      else
        log "warning: could not seed the demo user (HTTP $code): $(head -c 300 "$IRUN/seed-demo-user.json" 2>/dev/null)"
      fi
      ;;
  esac
}

# The demo's hosted login (scripts/demo-setup.php): login mode `custom`, the default Login Profile
# with every sign-in method and a branded heading. Emulator demos only: with a real WorkOS
# environment (WORKOS_API_KEY…) the site's sign-in settings are left as they are.
demo_login_up() {
  [[ $INST == demo && $USE_EMULATOR == 1 ]] || return 0
  local out
  out="$(wp_php "$ROOT/scripts/demo-setup.php")" || die "configuring the demo's hosted login failed (see $IRUN/debug.log)"
  log "demo: $out"
}

check_site() {
  local url="$1" what="$2" code
  code="$(http_code "$url/")"
  if [[ $code != 200 ]]; then
    log "$what answered HTTP $code at $url/"
    for f in "$IRUN/php-error.log" "$IRUN/debug.log" "$IRUN/nginx-error.log" "$IRUN/php-fpm.log" "$IRUN/noext.log"; do
      [[ -s $f ]] && { log "last lines of $f:"; tail -n 15 "$f" >&2; }
    done
    die "$what is not serving WordPress"
  fi
}

build() {
  if [[ "${STACK_SKIP_BUILD:-0}" == 1 ]]; then
    log "build: skipped (STACK_SKIP_BUILD=1)"
  else
    log "build: cargo build --release -p workos-php -p workos-emulator"
    (cd "$ROOT" && cargo build --release -p workos-php -p workos-emulator) \
      || die "cargo build failed: the stack needs the extension ($SO) and the emulator ($EMULATOR_BIN)"
  fi
  [[ -f $SO ]] || die "extension not found: $SO"
  if [[ $USE_EMULATOR == 1 ]]; then
    [[ -x $EMULATOR_BIN ]] || die "emulator not found: $EMULATOR_BIN"
  fi
  local loaded
  loaded="$("$PHP" -d "extension=$SO" -m 2>&1)" || true
  grep -qx workos <<<"$loaded" \
    || die "PHP could not load $SO as the 'workos' extension: $(grep -i -m3 -E 'warning|error' <<<"$loaded")"
}

check_tools() {
  local t
  for t in "$PHP" "$PHP_FPM" "$NGINX" /usr/sbin/mariadbd mariadb mariadb-install-db curl setsid flock ps; do
    command -v "$t" >/dev/null || die "$t not found: run scripts/deps.sh (or make deps)"
  done
  [[ -f $WP_ROOT/wp-load.php ]] || die "WordPress not found in $WP_ROOT: run scripts/deps.sh"
}

instance_up() {
  local fresh="$1" t0=$SECONDS
  check_tools
  build
  acquire_lock
  mkdir -p "$IRUN"
  if [[ $fresh == 1 ]]; then
    instance_down_services
    # jwks-cache too: the extension refuses a cache dir that is not private (0700).
    rm -rf "$IRUN/wp-content/uploads" "$IRUN"/*.log "$IRUN/jwks-cache"
  fi
  mariadb_up
  database_up "$fresh"
  write_instance_files
  if [[ $USE_EMULATOR == 1 ]]; then
    emulator_up
  else
    stop_group "$IRUN/emulator.pid" "emulator ($INST)"
    log "emulator: not used (WORKOS_API_KEY/WORKOS_CLIENT_ID are set: $API_BASE_URL)"
  fi
  wordpress_up
  fpm_up
  nginx_up
  noext_up
  check_site "$WP_URL" "WordPress (nginx + php-fpm)"
  [[ -n $NOEXT_URL ]] && check_site "$NOEXT_URL" "WordPress without the extension (php -S)"
  [[ -n $MS_URL ]] && check_site "$MS_URL/site2" "the multisite network's /site2/"
  seed_demo_user
  demo_login_up
  log "$INST instance up in $((SECONDS - t0)) s"
  summary
}

summary() {
  env_values
  cat <<EOF

  WorkOS for WordPress — "$INST" instance
    Site:          $WP_URL/
    WP admin:      $WP_URL/wp-admin/   user: admin   password: $E_ADMIN_PASSWORD
EOF
  if [[ $USE_EMULATOR == 1 ]]; then
    echo "    WorkOS:        emulator at $EMULATOR_URL (client id $CLIENT_ID)"
    echo "                   and $EMULATOR_TLS_URL (test CA: $EMULATOR_CA_FILE)"
  else
    echo "    WorkOS:        $API_BASE_URL (client id $CLIENT_ID, from WORKOS_* environment)"
  fi
  if [[ -n $E_DEMO_USER_EMAIL ]]; then
    cat <<EOF
    Sign in:       $WP_URL/wp-login.php   (the hosted login: the default Login Profile)
    Demo user:     $E_DEMO_USER_EMAIL   password: $E_DEMO_USER_PASSWORD
    Magic code:    ask for a sign-in code by email, then read it from the emulator (the demo's inbox):
                   curl -s '$EMULATOR_URL/__emulator/magic_auth?email=$E_DEMO_USER_EMAIL'
    Social:        the emulator's sign-in page stands in for Google, Microsoft, GitHub and Apple
    WP admin form: $WP_URL/wp-login.php?fallback=1   (WordPress's own form, for the admin user)
EOF
  fi
  [[ -n $NOEXT_URL ]] && echo "    No extension:  $NOEXT_URL/ (php -S, same site without libworkos.so)"
  [[ -n $MS_URL ]] && echo "    Multisite:     $MS_URL/ and $MS_URL/site2/ (site admin: siteadmin, same password)"
  cat <<EOF
    State:         $IRUN   (logs: debug.log, php-error.log, nginx-error.log, emulator.log)
    Stop:          make stop   (or scripts/stack.sh down $INST)

EOF
}

instance_down_services() {
  stop_group "$IRUN/noext.pid" "no-extension server ($INST)"
  stop_group "$IRUN/nginx.pid" "nginx ($INST)"
  stop_group "$IRUN/php-fpm.pid" "php-fpm ($INST)"
  stop_group "$IRUN/emulator.pid" "emulator ($INST)"
}

instance_running() { # any service of instance $1 alive?
  local s
  for s in noext nginx php-fpm emulator; do
    group_alive "$RUN/$1/$s.pid" && return 0
  done
  return 1
}

instance_down() {
  instance_down_services
  rm -f "$IRUN/env.json" "$IRUN/php-fpm.sock"
}

status_line() { # status_line NAME PIDFILE [URL]
  local state=stopped
  group_alive "$2" && state="running (pgid $(cat "$2"))"
  printf '  %-22s %-22s %s\n' "$1" "$state" "${3:-}"
}

instance_status() {
  echo "$INST:"
  status_line emulator "$IRUN/emulator.pid" "$EMULATOR_URL"
  status_line php-fpm "$IRUN/php-fpm.pid" "$IRUN/php-fpm.sock"
  status_line nginx "$IRUN/nginx.pid" "$WP_URL"
  [[ -n $NOEXT_PORT ]] && status_line "no-extension (php -S)" "$IRUN/noext.pid" "$NOEXT_URL"
  return 0
}

# ----------------------------------------------------------------------------------------------

main() {
  local cmd="${1:-status}" target="${2:-}" fresh=0 a
  for a in "${@:3}"; do
    case "$a" in
      --fresh) fresh=1 ;;
      *) die "unknown option $a" ;;
    esac
  done
  [[ $target == --fresh ]] && { fresh=1; target=""; }
  case "$cmd" in
    up)
      load_instance "${target:-demo}"
      instance_up "$fresh"
      ;;
    down)
      acquire_lock
      local i
      if [[ ${target:-all} == all ]]; then
        for i in "${INSTANCES[@]}"; do load_instance "$i"; instance_down; done
        mariadb_down
      else
        load_instance "$target"
        instance_down
        local other=0
        for i in "${INSTANCES[@]}"; do
          [[ $i != "$target" ]] && instance_running "$i" && other=1
        done
        [[ $other == 0 ]] && mariadb_down
      fi
      log "stopped"
      ;;
    status)
      local i list=("${INSTANCES[@]}")
      [[ -n $target && $target != all ]] && list=("$target")
      status_line mariadb "$RUN/mariadb.pid" "127.0.0.1:$DB_PORT $DB_SOCKET"
      for i in "${list[@]}"; do load_instance "$i"; instance_status; done
      ;;
    env)
      load_instance "${target:-demo}"
      print_env
      ;;
    restart-db)
      # A real MariaDB restart (stop, start on the same data): the fault tests use it to show
      # that webhook bursts survive one. Every instance's requests fail while it is down.
      acquire_lock
      mariadb_down
      mariadb_up
      ;;
    *)
      die "usage: $0 {up|down|status|env|restart-db} [demo|test|all] [--fresh]"
      ;;
  esac
}

main "$@"
