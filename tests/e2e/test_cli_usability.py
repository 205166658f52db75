"""The command line as a site owner meets it (issue 10): the README's line run as written on a Debian
WordPress (the stack's instances are one: /usr/share/wordpress with a /etc/wordpress/config-*.php per
site), help for every command, plain tables and errors with one "Error:" prefix.

The runs here are plain subprocesses of `php`, from the directory that holds the site's wp-content, with
none of the variables the stack or the other CLI tests set (WORDPRESS_CONFIG, WORKOS_WP_LOAD): what a
site owner's shell has."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from faults import add_fault, clear_faults

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"

# What the stack, the test runner or another test may have exported, that a site owner's shell has not.
NOT_IN_A_SHELL = ("WORDPRESS_CONFIG", "WORKOS_WP_LOAD", "HTTP_HOST", "WORKOS_STACK_INSTANCE", "WP_URL")

COMMANDS = (
    "status", "user get", "user list", "user link", "user unlink", "user deactivate", "user reactivate",
    "user import", "user sync", "org list", "org sync", "org members", "sync push", "sync pull", "maintenance",
)


def readme_cli_line() -> list[str]:
    """The README's no-WP-CLI command line, as words: `php <script> [--opt=placeholder] … …`."""
    text = README.read_text()
    m = re.search(r"`(php \S*bin/workos\.php[^`]*)`", text)
    assert m, "README.md has no `php …/bin/workos.php …` line"
    return m.group(1).split()


def shell_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in NOT_IN_A_SHELL}


def readme_variants(env: dict[str, str], url: str) -> list[list[str]]:
    """The README's line with its optional parts left out, then each one in with the site's value for
    its placeholder (the only thing the README says to substitute), then all of them."""
    words = readme_cli_line()
    assert words[0] == "php" and words[-1] == "…", words
    fixed = [w for w in words[:-1] if not w.startswith("[")]
    optional = [w.strip("[]") for w in words[:-1] if w.startswith("[")]
    values = {"path": env["WP_ROOT"], "url": url}
    filled = []
    for opt in optional:
        name = opt[2:].split("=", 1)[0]
        assert name in values, f"the README's line has an option this test does not know: {opt}"
        filled.append(f"--{name}={values[name]}")
    return [fixed] + [fixed + [f] for f in filled] + ([fixed + filled] if len(filled) > 1 else [])


def run(words: list[str], cwd: Path, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(words, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=shell_env())


@pytest.fixture
def cli(env):
    """The README's line (no optional parts, with the extension as the README says to load it) from the
    directory that holds the site's wp-content."""
    cwd = Path(env["WP_CONTENT_DIR"]).parent
    script = readme_cli_line()[1]

    def _run(*args: str) -> subprocess.CompletedProcess:
        return run([shutil.which("php") or "php", "-d", "extension=" + env["EXTENSION_PATH"], script, *args], cwd)
    return _run


def assert_clean(proc: subprocess.CompletedProcess) -> None:
    assert "Warning" not in proc.stderr and "Notice" not in proc.stderr and "Deprecated" not in proc.stderr, proc.stderr
    assert "<b>" not in proc.stdout + proc.stderr, (proc.stdout, proc.stderr)


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    """stderr is exactly one line, with one "Error:" prefix and no doubled "WorkOS:"."""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Error: ") and lines[0].count("Error:") == 1, lines[0]
    assert "WorkOS: WorkOS" not in lines[0] and lines[0].count("WorkOS API error") == 0, lines[0]
    return lines[0]


# -- the README's line, literally -------------------------------------------------------------------------

def test_readme_line_runs_as_written_on_a_debian_wordpress(env):
    cwd = Path(env["WP_CONTENT_DIR"]).parent
    for words in readme_variants(env, env["WP_URL"]):
        proc = run(words + ["status", "--format=json"], cwd)
        assert proc.returncode == 0, (words, proc.stdout, proc.stderr)
        assert_clean(proc)
        rows = {r["setting"]: r["value"] for r in json.loads(proc.stdout)}
        # This instance's site, not another config in /etc/wordpress.
        assert rows["client_id"] == env["CLIENT_ID"], words


def test_readme_line_with_url_names_a_multisite_network(env):
    if not env.get("MS_INSTANCE"):
        pytest.skip("this instance has no multisite network")
    cwd = REPO / ".run" / env["MS_INSTANCE"]
    script = readme_cli_line()[1]
    proc = run(["php", script, "--url=" + env["MS_SUBSITE_URL"], "status"], cwd)
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    assert_clean(proc)
    assert "api_key" in proc.stdout


def test_without_a_way_to_choose_the_site_config_the_error_lists_the_candidates(env, tmp_path):
    candidates = sorted(Path("/etc/wordpress").glob("config-*.php"))
    if len(candidates) < 2:
        pytest.skip("one site config only: it is used without asking")
    # The plugin's real path (not inside any site's wp-content) and no --url: nothing says which site.
    proc = run(["php", str(REPO / "php-shim" / "bin" / "workos.php"), "--path=" + env["WP_ROOT"], "status"], tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    line = one_error_line(proc)
    assert "--url=" in line and f"config-{env['WORDPRESS_CONFIG']}.php" in line, line


# -- help --------------------------------------------------------------------------------------------------

def test_help_lists_every_command_and_the_exit_codes(cli):
    for args in (("help",), ("--help",)):
        proc = cli(*args)
        assert proc.returncode == 0 and proc.stderr == "", (args, proc.stderr)
        for command in COMMANDS:
            assert f"workos {command}" in proc.stdout, (args, command)
        assert "Exit status" in proc.stdout and "help <command>" in proc.stdout


def test_no_command_shows_the_help(cli):
    proc = cli()
    assert proc.returncode == 1
    assert all(f"workos {c}" in proc.stdout for c in COMMANDS), proc.stdout
    one_error_line(proc)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_its_own_help(cli, command):
    proc = cli(*command.split(), "--help")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    out = proc.stdout
    assert out.startswith("Usage: workos " + command), out
    assert "Examples:" in out and f"  workos {command}" in out.split("Examples:")[1], out


def test_help_with_a_command_is_that_commands_help(cli):
    assert cli("help", "user", "link").stdout == cli("user", "link", "--help").stdout


def test_unknown_command_is_one_error_line_with_a_hint_and_status_1(cli):
    proc = cli("frobnicate")
    assert proc.returncode == 1 and proc.stdout == "", proc.stdout
    line = one_error_line(proc)
    assert '"frobnicate"' in line and "workos help" in line, line
    # A known group with an unknown subcommand names the group's commands.
    proc = cli("user", "frob")
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "user get" in line and "user list" in line, line


# -- tables ------------------------------------------------------------------------------------------------

def test_status_table_is_plain_text(cli, wp_settings, env):
    target = env["WP_URL"] + "/welcome/"
    wp_settings(login_redirects={"administrator": target}, trusted_proxies=["10.0.0.0/8", "192.168.1.1"])
    proc = cli("status")
    assert proc.returncode == 0, proc.stderr
    assert "\\/" not in proc.stdout, proc.stdout
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    assert f"administrator = {target}" in rows["login_redirects"]
    assert "10.0.0.0/8, 192.168.1.1" in rows["trusted_proxies"]
    assert env["API_KEY"] not in proc.stdout and env["WEBHOOK_SECRET"] not in proc.stdout
    # Columns line up: every row's value starts where the heading's does.
    header = proc.stdout.splitlines()[0]
    col = header.index("value")
    assert rows["login_redirects"][col - 2:col] == "  " and rows["login_redirects"][col] != " "
    # JSON keeps the structure (and unescaped slashes), for scripts.
    out = cli("status", "--format=json").stdout
    values = {r["setting"]: r["value"] for r in json.loads(out)}
    assert values["login_redirects"] == {"administrator": target} and "\\/" not in out
    assert values["trusted_proxies"] == ["10.0.0.0/8", "192.168.1.1"]


# -- errors ------------------------------------------------------------------------------------------------

def test_a_workos_error_has_one_prefix_and_says_what_to_do(cli, emulator_url):
    # WorkOS's answer to a wrong key, on the one call this command makes.
    r = requests.post(emulator_url + "/__emulator/faults", timeout=10, json={
        "path": "/organizations", "times": 0, "status": 401,
        "body": {"code": "unauthorized", "message": "Invalid API key provided."}})
    assert r.status_code == 201, r.text
    try:
        proc = cli("org", "list", "--source=remote")
    finally:
        clear_faults(emulator_url)
    assert proc.returncode == 1 and proc.stdout == ""
    line = one_error_line(proc)
    assert "WorkOS rejected the API key (401" in line and "Invalid API key provided." in line, line


def test_a_workos_not_found_names_what_was_not_found(cli, wp_user):
    local = wp_user("usab" + uuid.uuid4().hex[:6], f"usab-{uuid.uuid4().hex[:6]}@example.com", "x-Passw0rd-9")
    missing = "user_01ABCDEFGHJKMNPQRSTVWXYZ00"
    proc = cli("user", "link", str(local["id"]), missing)
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "(404" in line and missing in line, line


def test_a_workos_outage_says_try_later(cli, emulator_url):
    add_fault(emulator_url, "/organizations", "error")
    try:
        proc = cli("org", "list", "--source=remote")
    finally:
        clear_faults(emulator_url)
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "500" in line and "try again" in line.lower(), line


def test_wp_cli_adapter_help_and_single_prefixed_errors(wp_eval, emulator_url):
    """Under WP-CLI, WP_CLI::error() adds the "Error:" prefix: the message must not carry one, nor a
    doubled "WorkOS:"; `wp workos help` prints the same help."""
    add_fault(emulator_url, "/organizations", "error")
    try:
        out = wp_eval(
            r"""
            class WP_CLI {
                public static $commands = []; public static $out = [];
                public static function add_command($name, $callable, $args = []) { self::$commands[$name] = [$callable, $args]; }
                public static function success($m) { self::$out[] = 'success: ' . $m; }
                public static function error($m) { self::$out[] = 'error: ' . $m; }
                public static function line($m = '') { self::$out[] = 'line: ' . $m; }
            }
            eval('namespace WP_CLI\Utils; function format_items($format, $items, $fields) { \WP_CLI::$out[] = $format . ": " . json_encode($items, JSON_UNESCAPED_SLASHES); }');
            WorkOS_WP\Cli\WpCli::register();
            [$run, $meta] = WP_CLI::$commands['workos'];
            $run(['help'], []);
            $run(['org', 'list'], ['help' => true]);
            $run(['org', 'list'], ['source' => 'remote']);
            $run(['frobnicate'], []);
            $run(['status'], []);
            return ['out' => WP_CLI::$out, 'longdesc' => $meta['longdesc'] ?? ''];
            """
        )
    finally:
        clear_faults(emulator_url)
    lines = out["out"]
    assert lines[0].startswith("line: ") and "workos org list" in lines[0] and "Exit status" in lines[0]
    assert lines[1].startswith("line: Usage: wp workos org list"), lines[1]
    errors = [x for x in lines if x.startswith("error: ")]
    assert len(errors) == 2, lines
    for e in errors:
        assert "Error:" not in e and "WorkOS: WorkOS" not in e and "\n" not in e, e
    assert "500" in errors[0] and '"frobnicate"' in errors[1]
    status = [x for x in lines if x.startswith("table: ")][0]
    assert "\\/" not in status
    assert "workos status" in out["longdesc"]
