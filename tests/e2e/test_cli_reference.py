"""The reference plugin's WP-CLI names and flags (issue 13, REFERENCE-API §7), through the stand-alone runner and
through the WP-CLI adapter driven by a stand-in WP_CLI (the wp-cli phar cannot be installed from the registries
this machine reaches: Debian, crates.io, PyPI, npm)."""

from __future__ import annotations

import json
import uuid

import requests

from authkit import create_org, create_workos_user
from test_cli import cli  # noqa: F401  (fixture)


def _org(cli, emulator_url, name):
    org = create_org(emulator_url, name, domains=["ref.test"])
    rc, out, err = cli("org", "sync", org["id"])
    assert rc == 0, err
    rc, out, _ = cli("org", "get", org["id"], "--format=json")
    assert rc == 0
    return org, json.loads(out)[0]


def test_org_get_by_local_id_workos_id_and_remote_with_fields_and_yaml(cli, emulator_url):
    name = "Ref Org " + uuid.uuid4().hex[:6]
    org, local = _org(cli, emulator_url, name)
    assert local["workos_org_id"] == org["id"] and local["name"] == name and local["domains"] == "ref.test"
    rc, out, _ = cli("org", "get", str(local["id"]), "--fields=name,workos_org_id", "--format=json")
    assert rc == 0 and json.loads(out) == [{"name": name, "workos_org_id": org["id"]}]
    rc, out, _ = cli("org", "get", org["id"], "--by=remote", "--format=yaml")
    assert rc == 0 and out.startswith("---\n- workos_org_id: ") and f'name: "{name}"' in out
    rc, _, err = cli("org", "get", "999999999")
    assert rc == 1 and "Organization #999999999 not found" in err
    rc, _, err = cli("org", "get", str(local["id"]), "--fields=nope")
    assert rc == 1 and 'unknown field "nope"' in err
    # The local id is listed, for the commands that take it.
    rc, out, _ = cli("org", "list", "--format=json", "--limit=1000")
    assert any(o["id"] == str(local["id"]) or o["id"] == local["id"] for o in json.loads(out) if o["workos_id"] == org["id"])


def test_add_member_and_remove_member_change_workos_and_the_local_copy(cli, wp_eval, emulator_url, env):
    org, local = _org(cli, emulator_url, "Members " + uuid.uuid4().hex[:6])
    email = f"member-{uuid.uuid4().hex[:8]}@example.com"
    workos = create_workos_user(emulator_url, email)
    rc, out, err = cli("user", "import", workos["id"], "--porcelain")
    assert rc == 0, err
    wp_id = int(out.strip())
    assert wp_eval("return get_user_by('email', $args)->ID;", email) == wp_id

    rc, out, err = cli("org", "add-member", str(local["id"]), str(wp_id), "--role=member")
    assert rc == 0, err
    assert f"Added user #{wp_id} ({email}) to organization '{local['name']}' with role 'member'." in out
    at_workos = requests.get(emulator_url + "/user_management/organization_memberships",
                             params={"user_id": workos["id"], "organization_id": org["id"]},
                             headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10).json()["data"]
    assert len(at_workos) == 1
    rc, out, _ = cli("org", "members", str(local["id"]), "--by=id", "--format=json")
    assert rc == 0 and [m["user_id"] for m in json.loads(out)] == [str(wp_id)]

    rc, _, err = cli("org", "remove-member", str(local["id"]), str(wp_id))
    assert rc == 1 and "needs --yes" in err
    rc, out, err = cli("org", "remove-member", org["id"], str(wp_id), "--yes")
    assert rc == 0 and f"Removed user #{wp_id} from organization '{local['name']}'." in out, err
    at_workos = requests.get(emulator_url + "/user_management/organization_memberships",
                             params={"user_id": workos["id"], "organization_id": org["id"]},
                             headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10).json()["data"]
    assert at_workos == []
    rc, out, _ = cli("org", "members", org["id"], "--format=json")
    assert json.loads(out) == []
    rc, _, err = cli("org", "remove-member", org["id"], str(wp_id), "--yes")
    assert rc == 1 and "is not a member" in err


def test_sync_import_and_sync_orgs_report_as_the_reference(cli, wp_eval, emulator_url):
    org = create_org(emulator_url, "Import " + uuid.uuid4().hex[:6])
    tag = uuid.uuid4().hex[:6]
    member = [{"organization_id": org["id"]}]
    good = create_workos_user(emulator_url, f"imp-{tag}@example.com", memberships=member)
    bad = create_workos_user(emulator_url, f"unv-{tag}@example.com", email_verified=False, memberships=member)
    rc, out, err = cli("sync", "import", f"--organization_id={org['id']}", "--dry-run", "--format=json")
    assert rc == 0, err
    assert sorted(r["email"] for r in json.loads(out)) == sorted([good["email"], bad["email"]])
    assert {r["result"] for r in json.loads(out)} == {"would import"}
    assert wp_eval("return (bool) get_user_by('email', $args);", good["email"]) is False
    rc, out, err = cli("sync", "import", "--yes")
    assert rc == 0, err
    assert "Imported: " in out and " imported, " in out and " failed, " in out and " skipped." in out
    assert wp_eval("return (bool) get_user_by('email', $args);", good["email"]) is True
    assert wp_eval("return (bool) get_user_by('email', $args);", bad["email"]) is False
    rc, out, _ = cli("sync", "import", "--yes", "--limit=1", "--format=json")
    assert rc == 0 and len(json.loads(out)) <= 1

    rc, out, _ = cli("sync", "orgs", "--dry-run")
    assert rc == 0 and "Would import: " in out and " synced, 0 failed, 0 skipped." in out
    rc, out, _ = cli("sync", "orgs", "--yes", "--format=json")
    assert rc == 0 and any(r["workos_org_id"] == org["id"] and r["result"] == "synced" for r in json.loads(out))


def test_list_underscore_user_sync_push_default_and_sync_push_role(cli, wp_eval, emulator_url, env):
    rc, out, _ = cli("user", "list_", "--format=json", "--fields=ID,user_email", "--limit=2")
    assert rc == 0 and all(set(r) == {"ID", "user_email"} for r in json.loads(out))
    email = f"push-{uuid.uuid4().hex[:8]}@example.com"
    workos = create_workos_user(emulator_url, email)
    rc, out, _ = cli("user", "import", workos["id"], "--porcelain", "--yes")
    wp_id = int(out.strip())
    wp_eval("wp_update_user(['ID' => $args, 'first_name' => 'DefaultPush']); return true;", wp_id)
    assert cli("user", "sync", str(wp_id))[0] == 0
    remote = requests.get(f"{emulator_url}/user_management/users/{workos['id']}",
                          headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10).json()
    assert remote["first_name"] == "DefaultPush"
    rc, out, _ = cli("sync", "push", "--role=no_such_role")
    assert rc == 1 or "There is no role" in out
    rc, out, err = cli("sync", "push", "--role=administrator", "--dry-run")
    assert rc == 0 and "would be pushed" in out, err


def test_wp_cli_asks_before_bulk_changes_and_formats_yaml(wp_eval):
    out = wp_eval(
        r"""
        class WP_CLI {
            public static $commands = []; public static $out = [];
            public static function add_command($name, $callable, $args = []) { self::$commands[$name] = $callable; }
            public static function line($m) { self::$out[] = 'line: ' . $m; }
            public static function success($m) { self::$out[] = 'success: ' . $m; }
            public static function error($m) { self::$out[] = 'error: ' . $m; }
            // WP-CLI's confirm() exits on "no": the stand-in answers no by throwing.
            public static function confirm($q, $assoc = []) { self::$out[] = 'confirm: ' . $q; if (empty($assoc['yes'])) throw new RuntimeException('declined'); }
        }
        eval('namespace WP_CLI\Utils; function format_items($format, $items, $fields) { \WP_CLI::$out[] = $format . ": " . count($items) . " rows, " . implode(",", $fields); }');
        WorkOS_WP\Cli\WpCli::register();
        $run = WP_CLI::$commands['workos'];
        try { $run(['sync', 'orgs'], []); } catch (RuntimeException $e) { WP_CLI::$out[] = 'stopped'; }
        $run(['sync', 'orgs'], ['dry-run' => true, 'format' => 'yaml']);
        $run(['org', 'get', 'org_nope'], []);
        return WP_CLI::$out;
        """
    )
    assert out[0] == "confirm: Import all organizations from WorkOS?" and out[1] == "stopped"
    assert out[2].startswith("yaml: ") and out[2].endswith("workos_org_id,name,result")
    assert out[3].startswith("success: Would import: ")
    assert out[4].startswith("error: Organization \"org_nope\" not found")
