"""Coming from the reference plugin ("Integration with WorkOS"): its tables (same names, other columns), its options,
usermeta and Login Profiles are recognised and moved here — dry run first, then for real, idempotent, nothing of the
old data deleted, secrets never printed.

The reference's state is built from ../shared/docs/REFERENCE-API.md §4 on this instance: our four shared tables are
renamed aside, the reference's are created with its columns and rows, and everything is put back afterwards.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest

from authkit import authkit_sign_in, create_workos_user, logged_in_cookie, start

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "php-shim" / "bin" / "workos.php"
SHARED = ("organizations", "org_memberships", "org_sites", "activity_log")
PASSWORD = "Passw0rd!-e2e"

# The options this module changes, restored (or removed) afterwards.
OPTIONS = (
    "workos_settings", "workos_db_version", "workos_wp_db_version", "workos_migration_pending", "workos_migration_done",
    "workos_production", "workos_staging", "workos_active_environment", "workos_global",
)

# §4.6: the reference's tables, with its columns.
REFERENCE_TABLES = {
    "organizations": """(
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  workos_org_id varchar(191) NOT NULL,
  name varchar(255) NOT NULL,
  slug varchar(191) NOT NULL,
  domains text,
  settings text,
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  PRIMARY KEY (id), UNIQUE KEY workos_org_id (workos_org_id), UNIQUE KEY slug (slug))""",
    "org_memberships": """(
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  org_id bigint(20) unsigned NOT NULL,
  user_id bigint(20) unsigned NOT NULL,
  workos_membership_id varchar(191) NOT NULL DEFAULT '',
  workos_role varchar(191) NOT NULL DEFAULT 'member',
  wp_role varchar(191) NOT NULL DEFAULT '',
  joined_at datetime NOT NULL,
  PRIMARY KEY (id), UNIQUE KEY org_user (org_id,user_id), KEY user_id (user_id))""",
    "org_sites": """(
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  org_id bigint(20) unsigned NOT NULL,
  site_id bigint(20) unsigned NOT NULL DEFAULT 1,
  is_primary tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id), UNIQUE KEY org_site (org_id,site_id))""",
    "activity_log": """(
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_type varchar(50) NOT NULL,
  user_id bigint(20) unsigned NOT NULL DEFAULT 0,
  user_email varchar(191) NOT NULL DEFAULT '',
  workos_user_id varchar(191) NOT NULL DEFAULT '',
  ip_address varchar(45) NOT NULL DEFAULT '',
  user_agent text,
  metadata longtext,
  created_at datetime NOT NULL,
  PRIMARY KEY (id), KEY event_type (event_type), KEY user_id (user_id), KEY created_at (created_at))""",
}

LONG_UA = "Mozilla/5.0 " + "x" * 300

# Our schema version (Schema::VERSION), which a completed install records in both options.
SCHEMA_VERSION = re.search(r"public const VERSION = (\d+);", (REPO / "php-shim" / "src" / "Schema.php").read_text()).group(1)


@pytest.fixture
def cli(env):
    def _run(*args: str):
        proc = subprocess.run(
            [env["PHP_BIN"], "-d", "extension=" + env["EXTENSION_PATH"], str(RUNNER), *args],
            capture_output=True, text=True, timeout=120,
            env=dict(os.environ, WORKOS_WP_LOAD=str(REPO / "tests" / "wp" / "bootstrap.php"),
                     WORKOS_STACK_INSTANCE=env["INSTANCE"], WP_URL=env["WP_URL"]),
        )
        return proc.returncode, proc.stdout, proc.stderr
    return _run


@pytest.fixture
def reference(wp_eval, env, emulator_url):
    """The reference plugin's state on this site; ours put back afterwards. Yields what was built."""
    tag = uuid.uuid4().hex[:8]
    saved = wp_eval(
        """
        global $wpdb;
        $out = [];
        foreach ($args['options'] as $o) { $out[$o] = get_option($o, null); }
        foreach ($args['shared'] as $t) {
            $wpdb->query("DROP TABLE IF EXISTS {$wpdb->base_prefix}h7bak_$t");
            $wpdb->query("RENAME TABLE {$wpdb->base_prefix}workos_$t TO {$wpdb->base_prefix}h7bak_$t");
        }
        return $out;
        """,
        {"options": OPTIONS, "shared": SHARED},
    )
    workos = create_workos_user(emulator_url, f"ref-new-{tag}@example.com", PASSWORD)
    built = wp_eval(
        """
        global $wpdb;
        $p = $wpdb->base_prefix;
        foreach ($args['tables'] as $t => $def) {
            if (false === $wpdb->query("CREATE TABLE {$p}workos_$t $def")) { throw new Exception($wpdb->last_error); }
        }
        // Its users: one linked by the reference (usermeta written while this plugin was not active, so
        // none of our hooks ran), with another email than its WorkOS account; one unlinked.
        $linked = wp_insert_user(['user_login' => 'refl' . $args['tag'], 'user_email' => 'ref-old-' . $args['tag'] . '@example.com', 'user_pass' => wp_generate_password(), 'role' => 'editor']);
        $plain  = wp_insert_user(['user_login' => 'refp' . $args['tag'], 'user_email' => 'ref-plain-' . $args['tag'] . '@example.com', 'user_pass' => wp_generate_password(), 'role' => 'subscriber']);
        foreach ([['_workos_user_id', $args['workos_id']], ['_workos_access_token', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
                  ['_workos_refresh_token', 'refresh_SECRET_' . $args['tag']], ['_workos_last_synced_at', '2026-01-02 03:04:05'],
                  ['_workos_org_id', 'org_REFA' . $args['tag']]] as [$k, $v]) {
            $wpdb->insert($wpdb->usermeta, ['user_id' => $linked, 'meta_key' => $k, 'meta_value' => $v]);
        }
        wp_cache_delete($linked, 'user_meta');
        $now = gmdate('Y-m-d H:i:s');
        $wpdb->insert("{$p}workos_organizations", ['workos_org_id' => 'org_REFA' . $args['tag'], 'name' => 'Acme', 'slug' => 'acme', 'domains' => '["acme.test"]', 'settings' => '{"x":1}', 'created_at' => $now, 'updated_at' => $now]);
        $a = $wpdb->insert_id;
        $wpdb->insert("{$p}workos_organizations", ['workos_org_id' => 'org_REFB' . $args['tag'], 'name' => 'Beta', 'slug' => 'beta', 'domains' => '[]', 'settings' => '', 'created_at' => $now, 'updated_at' => $now]);
        $b = $wpdb->insert_id;
        $wpdb->insert("{$p}workos_org_memberships", ['org_id' => $a, 'user_id' => $linked, 'workos_membership_id' => 'om_REF' . $args['tag'], 'workos_role' => 'admin', 'wp_role' => 'editor', 'joined_at' => $now]);
        $wpdb->insert("{$p}workos_org_memberships", ['org_id' => $b, 'user_id' => $plain, 'workos_membership_id' => '', 'workos_role' => 'member', 'wp_role' => 'subscriber', 'joined_at' => $now]);
        $wpdb->insert("{$p}workos_org_sites", ['org_id' => $a, 'site_id' => 1, 'is_primary' => 1]);
        $wpdb->insert("{$p}workos_org_sites", ['org_id' => $b, 'site_id' => 1, 'is_primary' => 0]);
        foreach ([['login', $args['ua']], ['logout', 'curl/8'], ['login_failed', 'curl/8']] as [$type, $ua]) {
            $wpdb->insert("{$p}workos_activity_log", ['event_type' => $type, 'user_id' => $linked, 'user_email' => 'ref-old-' . $args['tag'] . '@example.com', 'workos_user_id' => $args['workos_id'], 'ip_address' => '192.0.2.9', 'user_agent' => $ua, 'metadata' => '{"via":"reference"}', 'created_at' => $now]);
        }
        // Its options (§4.1, §4.2): production is active and points at the emulator.
        update_option('workos_production', [
            'api_key' => $args['api_key'], 'client_id' => $args['client_id'], 'webhook_secret' => $args['webhook_secret'],
            'organization_id' => '', 'environment_id' => 'environment_REF',
            'login_mode' => 'redirect', 'allow_password_fallback' => true, 'deprovision_action' => 'demote', 'reassign_user' => 0,
            'role_map' => ['admin' => 'administrator', 'member' => 'editor'],
            'redirect_urls' => ['editor' => ['url' => '/editors/', 'first_login_only' => true], '__default__' => ['url' => '/welcome/', 'first_login_only' => true]],
            'logout_redirect_urls' => ['__default__' => '/goodbye/'],
            'audit_logging_enabled' => false, 'change_email_enabled' => true, 'radar_site_key' => 'radar_REF',
            'allow_legacy_magic_code_registration' => true,
        ]);
        update_option('workos_staging', ['api_key' => 'sk_test_STAGING_secret_' . $args['tag'], 'client_id' => 'client_STAGING', 'login_mode' => 'headless']);
        update_option('workos_active_environment', 'production');
        update_option('workos_global', ['diagnostics_results' => [], 'diagnostics_last_run' => 0]);
        update_option('workos_db_version', 3);
        delete_option('workos_wp_db_version');
        delete_option('workos_migration_pending');
        delete_option('workos_migration_done');
        // This plugin knows only where the API is (the emulator): nothing else of ours yet.
        update_option('workos_settings', ['api_base_url' => $args['base_url']]);
        // A Login Profile as the reference stored it: an old row, a chosen logo but no logo_mode.
        $pid = wp_insert_post(['post_type' => 'workos_login_profile', 'post_status' => 'publish', 'post_name' => 'members' . $args['tag'], 'post_title' => 'Members']);
        update_post_meta($pid, '_workos_profile_config', wp_slash(json_encode(['methods' => ['password', 'magic_code'], 'branding' => ['heading' => 'Members', 'primary_color' => '#123456'], 'mfa' => ['enforce' => 'never']])));
        return ['linked' => $linked, 'plain' => $plain, 'profile' => $pid];
        """,
        {"tables": REFERENCE_TABLES, "tag": tag, "workos_id": workos["id"], "ua": LONG_UA, "api_key": env["API_KEY"],
         "client_id": env["CLIENT_ID"], "webhook_secret": env["WEBHOOK_SECRET"], "base_url": env["API_BASE_URL"]},
    )
    built.update(tag=tag, workos=workos)
    yield built
    wp_eval(
        """
        global $wpdb;
        require_once ABSPATH . 'wp-admin/includes/user.php';
        foreach ($args['shared'] as $t) {
            if ($wpdb->get_var("SHOW TABLES LIKE '{$wpdb->base_prefix}h7bak_$t'")) {
                $wpdb->query("DROP TABLE IF EXISTS {$wpdb->base_prefix}workos_$t");
                $wpdb->query("RENAME TABLE {$wpdb->base_prefix}h7bak_$t TO {$wpdb->base_prefix}workos_$t");
            }
        }
        foreach ($args['saved'] as $o => $v) { if (null === $v) { delete_option($o); } else { update_option($o, $v); } }
        foreach ([$args['built']['linked'], $args['built']['plain']] as $u) { wp_delete_user($u); }
        wp_delete_post($args['built']['profile'], true);
        WorkOS_WP\\Users\\Links::rebuild();
        return true;
        """,
        {"saved": saved, "shared": SHARED, "built": {k: built[k] for k in ("linked", "plain", "profile")}},
    )


def columns(wp_eval, table):
    return wp_eval("global $wpdb; return $wpdb->get_col('SHOW COLUMNS FROM ' . $wpdb->base_prefix . 'workos_' . $args);", table)


def snapshot(wp_eval):
    """Everything a dry run must leave alone."""
    return wp_eval(
        """
        global $wpdb;
        $out = ['options' => [], 'tables' => []];
        foreach (['workos_settings', 'workos_db_version', 'workos_wp_db_version', 'workos_production', 'workos_staging'] as $o) { $out['options'][$o] = get_option($o, null); }
        foreach ($args as $t) { $out['tables'][$t] = $wpdb->get_results("SELECT * FROM {$wpdb->base_prefix}workos_$t ORDER BY 1", ARRAY_A); }
        $out['links'] = (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->base_prefix}workos_links");
        $out['meta'] = (int) $wpdb->get_var("SELECT COUNT(*) FROM $wpdb->usermeta WHERE meta_key LIKE '\\\\_workos\\\\_%'");
        return $out;
        """,
        SHARED,
    )


def report(out):
    return json.loads(out)


def test_dry_run_reports_everything_and_changes_nothing(reference, cli, wp_eval, env):
    before = snapshot(wp_eval)
    rc, out, err = cli("migrate", "--format=json")
    assert rc == 0, err
    rows = report(out)
    assert snapshot(wp_eval) == before, "a dry run must not write anything"
    moving = {(r["area"], r["item"]) for r in rows if r["action"] == "would move"}
    for t in SHARED:
        assert ("table", "wp_workos_" + t) in moving
    for item in ("api_key (production)", "client_id (production)", "webhook_secret (production)", "api_key (staging)",
                 "environment", "login_mode", "role_map", "login_redirects", "login_redirect_default",
                 "login_redirect_first_only", "logout_redirect_default", "deprovision_action"):
        assert ("setting", item) in moving, item
    assert ("usermeta", "_workos_user_id") in moving
    assert ("profile", f"members{reference['tag']} (#{reference['profile']})") in moving
    # Secrets are never printed, only masked.
    for secret in (env["API_KEY"], env["WEBHOOK_SECRET"], f"sk_test_STAGING_secret_{reference['tag']}", f"refresh_SECRET_{reference['tag']}"):
        assert secret not in out and secret not in err
    api_key = next(r for r in rows if r["item"] == "api_key (production)")
    assert "••••" in api_key["from"] and api_key["from"].endswith(env["API_KEY"][-4:])
    # What has no equivalent here is named, and left in place.
    left = {r["item"] for r in rows if r["action"] == "left in place"}
    assert "workos_production[change_email_enabled]" in left and "_workos_refresh_token" in left
    # A choice the reference stored moves; its open-registration default, never stored, does not, and says so.
    assert ("setting", "allow_legacy_magic_code_registration") in moving
    unset = next(r for r in rows if r["item"] == "workos_production[allow_magic_code_registration]")
    assert unset["action"] == "left in place" and "Magic codes for new addresses" in unset["note"]
    # The table format ends with the dry run's summary.
    rc, out, _ = cli("migrate")
    assert rc == 0 and re.search(r"Dry run: \d+ item\(s\) would move\. Run `workos migrate --yes`", out)


def test_apply_converts_links_users_reads_settings_and_a_second_run_moves_nothing(
        reference, cli, wp_eval, env, session_factory, wp_url, emulator_url):
    rc, out, err = cli("migrate", "--yes", "--format=json")
    assert rc == 0, err + out
    rows = report(out)
    assert not [r for r in rows if r["action"] in ("would move", "failed")], rows
    assert env["API_KEY"] not in out

    # Tables: every row kept, our columns filled, the reference's columns kept beside them.
    tables = wp_eval(
        """
        global $wpdb; $p = $wpdb->base_prefix;
        return [
          'orgs' => $wpdb->get_results("SELECT workos_id, workos_org_id, name, slug, settings, created_at IS NOT NULL AS created FROM {$p}workos_organizations ORDER BY id", ARRAY_A),
          'members' => $wpdb->get_results("SELECT workos_id, organization_id, workos_user_id, role_slug, wp_role, status, org_id FROM {$p}workos_org_memberships ORDER BY id", ARRAY_A),
          'sites' => $wpdb->get_results("SELECT organization_id, blog_id, org_id, is_primary FROM {$p}workos_org_sites ORDER BY organization_id", ARRAY_A),
          'log' => $wpdb->get_results("SELECT type, workos_id, ip, blog_id, user_email, event_type, CHAR_LENGTH(user_agent_full) AS full_ua, metadata FROM {$p}workos_activity_log ORDER BY id", ARRAY_A),
          'version' => [get_option('workos_db_version'), get_option('workos_wp_db_version')],
        ];
        """
    )
    t = reference["tag"]
    assert [o["workos_id"] for o in tables["orgs"]] == [f"org_REFA{t}", f"org_REFB{t}"]
    assert tables["orgs"][0]["workos_org_id"] == f"org_REFA{t}" and tables["orgs"][0]["settings"] == '{"x":1}'
    members = tables["members"]
    assert members[0] == {"workos_id": f"om_REF{t}", "organization_id": f"org_REFA{t}", "workos_user_id": reference["workos"]["id"],
                          "role_slug": "admin", "wp_role": "editor", "status": "active", "org_id": members[0]["org_id"]}
    # A membership WorkOS never knew is kept, but grants nothing.
    assert members[1]["workos_id"].startswith("legacy_om_") and members[1]["status"] == "legacy" and members[1]["organization_id"] == f"org_REFB{t}"
    assert {(s["organization_id"], s["blog_id"]) for s in tables["sites"]} == {(f"org_REFA{t}", "1"), (f"org_REFB{t}", "1")}
    assert [r["type"] for r in tables["log"]] == ["login", "logout", "login_failed"]
    assert tables["log"][0]["workos_id"] == reference["workos"]["id"] and tables["log"][0]["ip"] == "192.0.2.9"
    assert tables["log"][0]["full_ua"] == str(len(LONG_UA)), "a long user agent is kept whole"
    assert tables["log"][0]["event_type"] == "login" and tables["log"][0]["user_email"].startswith("ref-old-")
    assert [str(v) for v in tables["version"]] == [SCHEMA_VERSION, SCHEMA_VERSION]
    assert "workos_org_id" in columns(wp_eval, "organizations") and "site_id" in columns(wp_eval, "org_sites")

    # Our code writes into the converted tables (the reference's NOT NULL columns no longer stand in the way).
    written = wp_eval(
        """
        global $wpdb;
        WorkOS_WP\\Log::event('login', ['user_id' => 1]);
        $ok = $wpdb->query($wpdb->prepare("INSERT INTO {$wpdb->base_prefix}workos_organizations (workos_id, name, slug, domains, external_id, updated_at) VALUES (%s, 'Acme', 'acme', '[]', '', UTC_TIMESTAMP())", 'org_NEW' . $args));
        return [$ok, $wpdb->last_error, (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->base_prefix}workos_activity_log WHERE type = 'login'")];
        """,
        t,
    )
    assert written[0] == 1 and written[1] == "" and written[2] == 2

    # Settings read back through our Settings.
    settings = wp_eval(
        """
        $s = 'WorkOS_WP\\\\Settings';
        return ['env' => $s::environment(), 'key' => $s::get('api_key'), 'client' => $s::get('client_id'),
          'staging_client' => $s::get('client_id', 'staging'), 'mode' => $s::get('login_mode'), 'roles' => $s::map('role_map'),
          'login' => $s::map('login_redirects'), 'login_default' => $s::get('login_redirect_default'), 'first' => $s::flag('login_redirect_first_only'),
          'logout_default' => $s::get('logout_redirect_default'), 'deprovision' => $s::get('deprovision_action'),
          'fallback' => $s::flag('allow_password_fallback'), 'confirm' => $s::flag('fallback_confirmation'),
          'old' => get_option('workos_production')];
        """
    )
    assert settings["env"] == "production" and settings["key"] == env["API_KEY"] and settings["client"] == env["CLIENT_ID"]
    assert settings["staging_client"] == "client_STAGING" and settings["mode"] == "redirect"
    assert settings["roles"] == {"admin": "administrator", "member": "editor"}
    assert settings["login"] == {"editor": "/editors/"} and settings["login_default"] == "/welcome/" and settings["first"] is True
    assert settings["logout_default"] == "/goodbye/" and settings["deprovision"] == "demote"
    assert settings["fallback"] is True and settings["confirm"] is False, "the reference's unset confirmation meant off"
    assert settings["old"]["api_key"] == env["API_KEY"], "the reference's options are left as they were"

    # Profiles: normalized, the original kept.
    profile = wp_eval(
        "return [json_decode(get_post_meta($args, '_workos_profile_config', true), true), get_post_meta($args, '_workos_profile_config_reference', true)];",
        reference["profile"],
    )
    assert profile[0]["branding"]["primary_color"] == "#123456" and profile[0]["branding"]["logo_mode"] == "default"
    assert json.loads(profile[1])["branding"] == {"heading": "Members", "primary_color": "#123456"}

    # Usermeta: the link is indexed; the reference's other meta untouched.
    meta = wp_eval(
        "return [get_user_meta($args, '_workos_refresh_token', true), (int) get_user_meta($args, '_workos_last_login', true)];",
        reference["linked"],
    )
    assert meta[0] == f"refresh_SECRET_{t}" and meta[1] > 0

    # A WorkOS sign-in of the migrated user lands on the same WordPress user (another email than the
    # WorkOS account's: only the reference's link can find it).
    browser = session_factory(wp_url)
    flow = start(browser, wp_url)
    callback = authkit_sign_in(emulator_url, flow, reference["workos"]["email"], PASSWORD)
    r = browser.get(callback, allow_redirects=False)
    assert r.status_code == 302 and logged_in_cookie(browser), r.text[:500]
    who = wp_eval(
        "return array_map(fn($u) => $u->ID, get_users(['meta_key' => '_workos_user_id', 'meta_value' => $args]));",
        reference["workos"]["id"],
    )
    assert who == [reference["linked"]]

    # A second run moves nothing.
    before = snapshot(wp_eval)
    rc, out, err = cli("migrate", "--yes", "--format=json")
    assert rc == 0, err
    again = report(out)
    assert not [r for r in again if r["action"] in ("moved", "would move", "failed")], again
    assert snapshot(wp_eval) == before
    rc, out, _ = cli("migrate")
    assert "nothing left to move" in out


def test_a_version_number_written_by_the_reference_does_not_fool_our_schema(reference, wp_eval):
    # The reference's version is higher than ours: a number alone would say "up to date".
    wp_eval("update_option('workos_db_version', 99); return true;")
    out = wp_eval(
        """
        WorkOS_WP\\Schema::ensure();
        global $wpdb;
        return [get_option('workos_db_version'), get_option('workos_wp_db_version'),
                $wpdb->get_col("SELECT workos_id FROM {$wpdb->base_prefix}workos_organizations ORDER BY id")];
        """
    )
    t = reference["tag"]
    assert [str(out[0]), str(out[1]), out[2]] == [SCHEMA_VERSION, SCHEMA_VERSION, [f"org_REFA{t}", f"org_REFB{t}"]]
    # The reference, activated again, rewrites its number: ours looks at the tables again (and finds its rows).
    wp_eval(
        """
        global $wpdb;
        update_option('workos_db_version', 3);
        $wpdb->insert($wpdb->base_prefix . 'workos_organizations', ['workos_org_id' => 'org_LATER' . $args, 'name' => 'Later', 'slug' => 'later', 'domains' => '[]', 'settings' => '', 'created_at' => gmdate('Y-m-d H:i:s'), 'updated_at' => gmdate('Y-m-d H:i:s')]);
        return true;
        """,
        t,
    )
    later = wp_eval("WorkOS_WP\\Schema::ensure(); global $wpdb; return $wpdb->get_var($wpdb->prepare(\"SELECT workos_id FROM {$wpdb->base_prefix}workos_organizations WHERE workos_org_id = %s\", 'org_LATER' . $args));", t)
    assert later == f"org_LATER{t}"


def test_two_nodes_converting_at_once_convert_once(reference, wp_eval, env):
    """Two processes run the schema install at the same moment: one converts, the other waits and finds nothing to do."""
    code = "WorkOS_WP\\Schema::install(); return true;"
    procs = []
    for _ in range(2):
        procs.append(subprocess.Popen(
            [env["PHP_BIN"], "-d", "extension=" + env["EXTENSION_PATH"], str(REPO / "tests" / "wp" / "eval.php")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, WORKOS_STACK_INSTANCE=env["INSTANCE"], WP_URL=env["WP_URL"], WP_EVAL_ARGS="null"),
        ))
    for p in procs:
        out, err = p.communicate(code, timeout=120)
        assert p.returncode == 0, err
    rows = wp_eval("global $wpdb; return $wpdb->get_results(\"SELECT workos_id, status FROM {$wpdb->base_prefix}workos_org_memberships ORDER BY id\", ARRAY_A);")
    assert len(rows) == 2 and rows[0]["status"] == "active" and rows[1]["status"] == "legacy"


def test_activation_on_a_fresh_site_moves_everything_and_the_notice_says_so(reference, wp_eval, env):
    # Activation with no settings of ours: nothing can be overwritten, so everything moves at once.
    wp_eval("delete_option('workos_settings'); WorkOS_WP\\Maintenance::activate(); return true;")
    state = wp_eval("return [get_option('workos_migration_pending'), WorkOS_WP\\Settings::get('client_id'), get_option('workos_migration_done')['moved'] ?? 0];")
    assert state[0] == "applied" and state[1] == env["CLIENT_ID"] and state[2] > 5


def notice_of(html):
    found = re.search(r'<div class="notice notice-info workos-notice-migration">.*?</div>', html, re.S)
    return found.group(0) if found else ""


def test_the_admin_notice_previews_then_moves_checking_nonce_and_capability(
        reference, wp_eval, env, session_factory, native_login, wp_url, wp_user):
    wp_eval("update_option('workos_migration_pending', 'pending'); return true;")
    post = wp_url + "/wp-admin/admin-post.php"
    dashboard = wp_url + "/wp-admin/"

    # Someone without manage_options is refused, whatever they send.
    login = "sub" + uuid.uuid4().hex[:6]
    wp_user(login, f"{login}@example.com", "x-Passw0rd-9", role="subscriber")
    visitor = session_factory(wp_url)
    assert native_login(visitor, wp_url, login, "x-Passw0rd-9").status_code == 302
    assert notice_of(visitor.get("/wp-admin/profile.php").text) == ""
    r = visitor.post(post, data={"action": "workos_migrate", "step": "apply"}, allow_redirects=False)
    assert r.status_code == 403

    admin = session_factory(wp_url)
    assert native_login(admin, wp_url, env["ADMIN_USER"], env["ADMIN_PASSWORD"]).status_code == 302
    notice = notice_of(admin.get(dashboard).text)
    assert "Preview what would move" in notice and "Move it now" in notice
    nonce = re.search(r'name="_wpnonce" value="([0-9a-f]+)"', notice).group(1)

    # A forged request (no valid nonce) changes nothing.
    r = admin.post(post, data={"action": "workos_migrate", "step": "apply", "_wpnonce": "0badc0de00"}, allow_redirects=False)
    assert r.status_code == 403
    assert wp_eval("return WorkOS_WP\\Settings::get('client_id');") == ""

    # Preview: the dry run's report, nothing changed, secrets masked.
    r = admin.post(post, data={"action": "workos_migrate", "step": "preview", "_wpnonce": nonce},
                   headers={"Referer": dashboard}, allow_redirects=False)
    assert r.status_code == 302 and "workos_migration=preview" in r.headers["Location"]
    assert wp_eval("return WorkOS_WP\\Settings::get('client_id');") == ""
    notice = notice_of(admin.get(r.headers["Location"]).text)
    assert "Dry run:" in notice and "Would move" in notice and "api_key (production)" in notice
    assert env["API_KEY"] not in notice and env["WEBHOOK_SECRET"] not in notice

    # Move: one click.
    r = admin.post(post, data={"action": "workos_migrate", "step": "apply", "_wpnonce": nonce},
                   headers={"Referer": dashboard}, allow_redirects=False)
    assert r.status_code == 302
    assert wp_eval("return [WorkOS_WP\\Settings::get('client_id'), get_option('workos_migration_pending', null)];") == [env["CLIENT_ID"], None]
    notice = notice_of(admin.get(r.headers["Location"]).text)
    assert "items moved from Integration with WorkOS" in notice and "Move it now" not in notice
    # Afterwards the notice is gone.
    assert notice_of(admin.get(dashboard).text) == ""


def test_wp_cli_adapter_runs_migrate_dry_run_first(reference, wp_eval, env):
    """`wp workos migrate` (through a stand-in WP_CLI class: WP-CLI itself cannot be installed here)."""
    out = wp_eval(
        r"""
        class WP_CLI {
            public static $commands = []; public static $out = [];
            public static function add_command($name, $callable, $args = []) { self::$commands[$name] = $callable; }
            public static function success($m) { self::$out[] = 'success: ' . $m; }
            public static function error($m) { self::$out[] = 'error: ' . $m; }
            public static function line($m = '') { self::$out[] = 'line: ' . $m; }
        }
        eval('namespace WP_CLI\Utils; function format_items($format, $items, $fields) { \WP_CLI::$out[] = $format . ": " . json_encode($items); }');
        WorkOS_WP\Cli\WpCli::register();
        $run = WP_CLI::$commands['workos'];
        $run(['migrate'], ['format' => 'json']);
        $dry = WorkOS_WP\Settings::get('client_id');
        $run(['migrate'], ['yes' => true, 'dry-run' => true]);
        $run(['migrate'], ['yes' => true]);
        return [WP_CLI::$out, $dry, WorkOS_WP\Settings::get('client_id')];
        """
    )
    lines, dry, after = out
    assert lines[0].startswith("json: ") and '"would move"' in lines[0] and env["API_KEY"] not in lines[0]
    assert lines[1].startswith("success: Dry run:") and "wp workos migrate --yes" in lines[1]
    assert dry == "" and after == env["CLIENT_ID"]
    assert lines[2] == "error: --yes and --dry-run exclude each other."
    assert lines[-1].startswith("success: Migrated:")


def test_in_a_network_a_site_admin_moves_only_the_site_settings(env, session_factory):
    """Multisite: the credentials are the network's (they act on every site's shared users): a site's administrator
    who runs the migration from the notice moves their site's settings, never the network's."""
    if not env.get("MS_URL"):
        pytest.skip("this instance serves no multisite network")
    ms = dict(env, INSTANCE=env["MS_INSTANCE"], WP_URL=env["MS_URL"])

    def ms_eval(code, args=None):
        proc = subprocess.run(
            [ms["PHP_BIN"], "-d", "extension=" + ms["EXTENSION_PATH"], str(REPO / "tests" / "wp" / "eval.php")], input=code,
            capture_output=True, text=True, timeout=120,
            env=dict(os.environ, WORKOS_STACK_INSTANCE=ms["INSTANCE"], WP_URL=ms["WP_URL"], WP_EVAL_ARGS=json.dumps(args)),
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip())

    saved = ms_eval("return [get_site_option('workos_settings', []), get_blog_option(2, 'workos_settings', [])];")
    try:
        ms_eval(
            """
            switch_to_blog(2);
            update_option('workos_production', ['api_key' => 'sk_test_SITE_ADMIN_OWN_KEY_123', 'client_id' => 'client_SITE2', 'login_mode' => 'headless']);
            update_option('workos_active_environment', 'production');
            update_option('workos_migration_pending', 'pending');
            restore_current_blog();
            return true;
            """
        )
        cookies = ms_eval(
            """
            $u = get_user_by('login', $args); $exp = time() + 3600;
            return [[AUTH_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'auth')], [LOGGED_IN_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
            """,
            ms["MS_SUBSITE_ADMIN"],
        )
        admin = session_factory(ms["MS_SUBSITE_URL"])
        for name, value in cookies:
            admin.cookies.set(name, value, domain="127.0.0.1", path="/")
        page = admin.get(ms["MS_SUBSITE_URL"] + "/wp-admin/")
        notice = notice_of(page.text)
        assert "Move it now" in notice, page.text[:500]
        nonce = re.search(r'name="_wpnonce" value="([0-9a-f]+)"', notice).group(1)
        r = admin.post(ms["MS_SUBSITE_URL"] + "/wp-admin/admin-post.php",
                       data={"action": "workos_migrate", "step": "apply", "_wpnonce": nonce},
                       headers={"Referer": ms["MS_SUBSITE_URL"] + "/wp-admin/"}, allow_redirects=False)
        assert r.status_code == 302
        notice = notice_of(admin.get(r.headers["Location"]).text)
        assert "A setting of the whole network" in notice and "SITE_ADMIN_OWN_KEY" not in notice
        after = ms_eval("return [get_site_option('workos_settings', []), get_blog_option(2, 'workos_settings', [])];")
        assert after[0] == saved[0], "the network's settings are not a site administrator's to change"
        assert after[1].get("login_mode") == "headless"
    finally:
        ms_eval(
            """
            update_site_option('workos_settings', $args[0]); update_blog_option(2, 'workos_settings', $args[1]);
            switch_to_blog(2);
            foreach (['workos_production', 'workos_active_environment', 'workos_migration_pending', 'workos_migration_done'] as $o) { delete_option($o); }
            restore_current_blog();
            return true;
            """,
            saved,
        )


def test_admin_pages_load_the_notice_only_while_it_has_something_to_say(wp_eval):
    """The notice's gate in workos.php reads the pending option and the report argument by their names spelt
    out (reading the classes' constants would load them on every admin page): nothing pending, nothing asked →
    neither class loads; pending → the notice renders (for an administrator). The names stay the classes'."""
    got = wp_eval(
        """
        delete_option('workos_migration_pending');
        wp_set_current_user((int) get_users(['role' => 'administrator', 'number' => 1, 'fields' => 'ID'])[0]);
        ob_start(); WorkOS_WP\\migration_notice(); $quiet = ob_get_clean();
        $loaded = class_exists('WorkOS_WP\\\\Admin\\\\MigrationNotice', false) || class_exists('WorkOS_WP\\\\Migration\\\\Importer', false);
        update_option('workos_migration_pending', 'detected');
        ob_start(); WorkOS_WP\\migration_notice(); $shown = ob_get_clean();
        delete_option('workos_migration_pending');
        return [$quiet, $loaded, str_contains($shown, 'workos-notice-migration'),
                WorkOS_WP\\Migration\\Importer::PENDING_OPTION, WorkOS_WP\\Admin\\MigrationNotice::RESULT_ARG];
        """
    )
    assert got == ["", False, True, "workos_migration_pending", "workos_migration"], got
