"""`wp workos …` commands: the stand-alone runner (bin/workos.php, for sites without WP-CLI) and the WP-CLI
adapter (driven through a stand-in WP_CLI class, since WP-CLI cannot be installed here)."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from authkit import create_workos_user

REPO = Path(__file__).resolve().parents[2]

RUNNER = REPO / "php-shim" / "bin" / "workos.php"


@pytest.fixture
def cli(env):
    def _run(*args: str, extension: bool = True):
        cmd = [env["PHP_BIN"]]
        if extension:
            cmd += ["-d", "extension=" + env["EXTENSION_PATH"]]
        proc = subprocess.run(
            cmd + [str(RUNNER), *args], capture_output=True, text=True, timeout=60,
            env=dict(os.environ, WORKOS_WP_LOAD=str(REPO / "tests" / "wp" / "bootstrap.php"),
                     WORKOS_STACK_INSTANCE=env["INSTANCE"], WP_URL=env["WP_URL"]),
        )
        return proc.returncode, proc.stdout, proc.stderr
    return _run


def test_status_masks_secrets_and_names_sources(cli, env):
    rc, out, _ = cli("status", "--format=json")
    assert rc == 0
    rows = {r["setting"]: r for r in json.loads(out)}
    assert env["API_KEY"] not in out and env["WEBHOOK_SECRET"] not in out
    assert rows["api_key"]["value"].endswith(env["API_KEY"][-4:]) and "••••" in rows["api_key"]["value"]
    assert rows["client_id"] == {"setting": "client_id", "value": env["CLIENT_ID"], "source": "database"}
    assert rows["extension"]["value"] != "not loaded" and rows["configured"]["value"] == "yes"


def test_user_link_is_checked_with_workos_then_unlink_needs_yes(cli, wp_user, emulator_url, env):
    email = f"cli-{uuid.uuid4().hex[:8]}@example.com"
    workos = create_workos_user(emulator_url, email)
    local = wp_user("cli" + uuid.uuid4().hex[:6], email, "x-Passw0rd-1")
    stranger = create_workos_user(emulator_url, f"other-{uuid.uuid4().hex[:8]}@example.com")

    rc, _, err = cli("user", "link", str(local["id"]), stranger["id"])
    assert rc == 1 and "Refused" in err  # another person's WorkOS account
    rc, out, _ = cli("user", "link", str(local["id"]), workos["id"], "--dry-run")
    assert rc == 0 and out.startswith("Dry run:")
    rc, out, _ = cli("user", "get", workos["id"], "--format=json")
    assert rc == 1  # the dry run changed nothing
    rc, out, _ = cli("user", "link", str(local["id"]), workos["id"])
    assert rc == 0 and f"linked to {workos['id']}" in out
    rc, out, _ = cli("user", "get", workos["id"], "--format=json")
    assert rc == 0 and json.loads(out)[0]["ID"] == local["id"]
    rc, out, _ = cli("user", "list", "--linked", "--format=ids", "--limit=1000")
    assert rc == 0 and str(local["id"]) in out.split()

    rc, _, err = cli("user", "unlink", str(local["id"]))
    assert rc == 1 and "--yes" in err
    rc, out, _ = cli("user", "unlink", str(local["id"]), "--yes")
    assert rc == 0 and "unlinked" in out


def test_deactivate_and_reactivate(cli, wp_user, wp_eval):
    local = wp_user("deact" + uuid.uuid4().hex[:6], f"d-{uuid.uuid4().hex[:6]}@example.com", "x-Passw0rd-2")
    assert cli("user", "deactivate", str(local["id"]))[0] == 0
    assert wp_eval("return WorkOS_WP\\Users\\Users::is_deactivated($args);", local["id"]) is True
    assert cli("user", "reactivate", str(local["id"]))[0] == 0
    rc, _, err = cli("user", "reactivate", str(local["id"]))
    assert rc == 1 and "not deactivated" in err


@pytest.mark.parametrize(
    "args,message",
    [
        ((), "a command is needed"),
        (("user", "frob"), 'unknown command "user frob"'),
        (("user", "get"), "Missing argument"),
        (("user", "get", "999999999"), "No user found"),
        (("user", "list", "--limit=0"), "--limit must be a positive number"),
        (("user", "list", "--role=overlord"), 'There is no role "overlord"'),
        (("user", "list", "--linked", "--unlinked"), "exclude each other"),
        (("status", "--format=xml"), "--format must be one of"),
        (("org", "list", "--source=nowhere"), "--source must be local or remote"),
    ],
)
def test_bad_input_is_a_clear_error_with_status_1(cli, args, message):
    rc, out, err = cli(*args)
    assert rc == 1 and message in err, (out, err)


def test_org_list_local_and_remote_and_maintenance(cli, emulator_url):
    import requests

    name = "CLI Org " + uuid.uuid4().hex[:6]
    requests.post(emulator_url + "/__emulator/organizations", json={"name": name, "domains": ["cli.test"]}, timeout=10)
    rc, out, _ = cli("org", "list", "--source=remote", "--format=json", "--limit=100")
    assert rc == 0 and any(o["name"] == name and o["domains"] == "cli.test" for o in json.loads(out))
    rc, out, _ = cli("org", "list", "--format=csv")
    assert rc == 0 and out.startswith("workos_id,name,domains")
    rc, out, _ = cli("maintenance", "--format=json")
    assert rc == 0 and {"events_recovered", "audit_sent"} <= {r["task"] for r in json.loads(out)}


def test_without_the_extension_the_runner_still_answers(cli):
    rc, out, _ = cli("status", "--format=json", extension=False)
    assert rc == 0
    rows = {r["setting"]: r["value"] for r in json.loads(out)}
    assert rows["extension"] == "not loaded"


def test_wp_cli_adapter_registers_and_runs_the_same_commands(wp_eval):
    out = wp_eval(
        r"""
        class WP_CLI {
            public static $commands = []; public static $out = [];
            public static function add_command($name, $callable, $args = []) { self::$commands[$name] = $callable; }
            public static function success($m) { self::$out[] = 'success: ' . $m; }
            public static function error($m) { self::$out[] = 'error: ' . $m; }
        }
        eval('namespace WP_CLI\Utils; function format_items($format, $items, $fields) { \WP_CLI::$out[] = $format . ": " . count($items) . " rows, " . implode(",", $fields); }');
        WorkOS_WP\Cli\WpCli::register();
        $run = WP_CLI::$commands['workos'];
        $run(['status'], ['format' => 'json']);
        $run(['user', 'get', '999999999'], []);
        $run(['maintenance'], []);
        return WP_CLI::$out;
        """
    )
    assert out[0].startswith("json: ") and out[0].endswith("rows, setting,value,source")
    assert out[1] == 'error: No user found by id "999999999".'
    assert out[-1] == "success: Maintenance done."


def test_sync_push_creates_or_links_and_pull_refreshes(cli, wp_eval, emulator_url, env):
    import requests

    tag = uuid.uuid4().hex[:6]
    # Three unlinked WordPress users: one unknown to WorkOS, one whose WorkOS twin is verified, one unverified.
    fresh, twin, unverified = (f"{k}-{tag}@example.com" for k in ("fresh", "twin", "unverified"))
    twin_workos = create_workos_user(emulator_url, twin)
    create_workos_user(emulator_url, unverified, email_verified=False)
    ids = wp_eval(
        "return array_map(fn($e) => wp_insert_user(['user_login' => strstr($e, '@', true), 'user_email' => $e, 'user_pass' => 'x-Passw0rd-9', 'first_name' => 'Bulk']), $args);",
        [fresh, twin, unverified],
    )
    # Only these three are unlinked among the users pushed here: link everyone else out of the way.
    wp_eval("foreach (get_users(['fields' => 'ID']) as $id) { if (!in_array((int) $id, $args, true) && !get_user_meta($id, '_workos_user_id', true)) update_user_meta($id, '_workos_user_id', 'user_placeholder_' . $id); } return true;", ids)

    rc, out, _ = cli("sync", "push", "--dry-run")
    assert rc == 0 and "3 unlinked user(s) would be pushed" in out
    rc, out, err = cli("sync", "push", "--concurrency=4")
    assert rc == 0, err
    assert "Pushed 3 user(s): 1 created, 1 linked to existing WorkOS users, 1 skipped, 0 failed" in out
    assert "not verified" in out and "Syncing 3/3" in err
    links = wp_eval("return array_map(fn($id) => get_user_meta($id, '_workos_user_id', true), $args);", ids)
    assert links[0].startswith("user_") and links[1] == twin_workos["id"] and links[2] == ""

    # Pull: a name changed at WorkOS comes back.
    requests.put(f"{emulator_url}/user_management/users/{twin_workos['id']}", json={"first_name": "Renamed"},
                 headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10).raise_for_status()
    wp_eval("foreach (get_users(['meta_key' => '_workos_user_id', 'fields' => 'ID']) as $id) { if (str_starts_with(get_user_meta($id, '_workos_user_id', true), 'user_placeholder_')) delete_user_meta($id, '_workos_user_id'); } return true;")
    rc, out, err = cli("sync", "pull", "--limit=1000")
    assert rc == 0, err
    assert wp_eval("return get_userdata($args)->first_name;", ids[1]) == "Renamed"
    rc, _, err = cli("sync", "push", "--concurrency=99")
    assert rc == 1 and "--concurrency must be between 1 and 32" in err


def test_user_import_user_sync_and_org_commands(cli, wp_eval, emulator_url, env):
    import requests

    email = f"import-{uuid.uuid4().hex[:8]}@example.com"
    workos = create_workos_user(emulator_url, email, first_name="Imported")
    rc, out, _ = cli("user", "import", workos["id"], "--dry-run")
    assert rc == 0 and "would be imported" in out
    rc, out, err = cli("user", "import", workos["id"], "--format=json")
    assert rc == 0, err
    wp_id = wp_eval("return get_user_by('email', $args)->ID;", email)
    assert json.loads(out)[0]["ID"] == wp_id and json.loads(out)[0]["workos_id"] == workos["id"]
    unverified = create_workos_user(emulator_url, f"unv-{uuid.uuid4().hex[:8]}@example.com", email_verified=False)
    rc, _, err = cli("user", "import", unverified["id"])
    assert rc == 1 and "not verified" in err

    requests.put(f"{emulator_url}/user_management/users/{workos['id']}", json={"last_name": "Pulled"},
                 headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10).raise_for_status()
    # Issue 13: `user sync` pushes by default, as the reference documents; pulling is asked for.
    assert cli("user", "sync", str(wp_id), "--direction=pull")[0] == 0
    assert wp_eval("return get_userdata($args)->last_name;", wp_id) == "Pulled"
    wp_eval("wp_update_user(['ID' => $args, 'first_name' => 'Pushed']); return true;", wp_id)
    assert cli("user", "sync", str(wp_id), "--direction=push")[0] == 0
    remote = requests.get(f"{emulator_url}/user_management/users/{workos['id']}",
                          headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10).json()
    assert remote["first_name"] == "Pushed"
    rc, _, err = cli("user", "sync", str(wp_id), "--direction=sideways")
    assert rc == 1 and "--direction must be pull or push" in err

    org = requests.post(emulator_url + "/__emulator/organizations", json={"name": "Synced " + uuid.uuid4().hex[:6]}, timeout=10).json()
    rc, out, _ = cli("org", "sync", org["id"])
    assert rc == 0 and "synced" in out
    rc, out, _ = cli("org", "list", "--format=json", "--limit=1000")
    assert any(o["workos_id"] == org["id"] for o in json.loads(out))
    rc, out, _ = cli("org", "members", org["id"], "--format=json")
    assert rc == 0 and json.loads(out) == []
    rc, _, err = cli("org", "sync", "org_does_not_exist")
    assert rc == 1 and "WorkOS:" in err


def test_sync_push_refuses_a_role_across_the_network(wp_eval):
    """WordPress ignores a role filter over every site of a network (blog_id 0): the network's push (the Network
    Admin wizard's; no command-line option) with a role would push every user of the network, so it is refused."""
    got = wp_eval(
        "try { WorkOS_WP\\Cli\\Sync::push([], ['network' => true, 'role' => 'editor', 'dry-run' => true]); return 'ran'; }"
        " catch (WorkOS_WP\\Cli\\CommandError $e) { return $e->getMessage(); }"
    )
    assert "--role cannot be combined with --network" in got, got
