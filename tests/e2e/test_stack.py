"""The test stack itself: WordPress served by nginx + php-fpm with the extension, the same site
without it on PHP's built-in server, the emulator, and the command-line helpers."""

from __future__ import annotations

import pathlib
import subprocess

import requests


def _cmdline(pid_file: pathlib.Path) -> str:
    pid = pid_file.read_text().strip()
    return pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _group_maps(pid_file: pathlib.Path) -> dict[int, str]:
    """The memory maps of every process in the process group recorded in pid_file."""
    pgid = int(pid_file.read_text().strip())
    maps = {}
    for proc in pathlib.Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                maps[int(proc.name)] = (proc / "maps").read_text()
        except (OSError, IndexError, ValueError):
            continue
    return maps


def test_front_page_is_served_by_nginx_and_php_fpm(wp_url):
    r = requests.get(wp_url + "/", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.headers.get("Server", "").startswith("nginx")
    assert wp_url in r.text, "WordPress builds its URLs from the request host and port"


def test_pretty_permalinks_reach_wordpress(wp_url):
    r = requests.get(wp_url + "/hello-world/", timeout=30)
    assert r.status_code == 200
    assert "Hello world!" in r.text


def test_rest_index_answers_json(wp_url):
    r = requests.get(wp_url + "/wp-json/", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["url"] == wp_url
    assert "wp/v2" in body["namespaces"]


def test_php_fpm_runs_with_the_extension(env):
    so = env["EXTENSION_PATH"]
    run_dir = pathlib.Path(env["RUN_DIR"])
    # The master and every worker really have the shared object mapped.
    maps = _group_maps(run_dir / "php-fpm.pid")
    assert len(maps) >= 3, "php-fpm master plus at least two workers"
    real_so = str(pathlib.Path(so).resolve())
    assert all(real_so in m for m in maps.values())
    fpm_modules = subprocess.run(
        ["php-fpm8.2", "-d", f"extension={so}", "-m"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "workos" in fpm_modules
    cli_modules = subprocess.run(
        [env["PHP_BIN"], "-d", f"extension={so}", "-m"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "workos" in cli_modules


def test_no_extension_server_serves_the_same_site_without_the_extension(env, noext_url):
    r = requests.get(noext_url + "/", timeout=30)
    assert r.status_code == 200
    assert noext_url in r.text
    noext_pid = pathlib.Path(env["RUN_DIR"]) / "noext.pid"
    assert "extension=" not in _cmdline(noext_pid)
    real_so = str(pathlib.Path(env["EXTENSION_PATH"]).resolve())
    assert not any(real_so in m for m in _group_maps(noext_pid).values())
    plain_modules = subprocess.run(
        [env["PHP_BIN"], "-m"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "workos" not in plain_modules
    assert requests.get(noext_url + "/wp-json/", timeout=30).json()["url"] == noext_url


def test_admin_logs_in_with_the_native_form_without_the_extension(
    noext_url, admin_credentials, session_factory, native_login
):
    user, password = admin_credentials
    s = session_factory(noext_url)
    r = native_login(s, noext_url, user, password)
    assert r.status_code == 302, r.text[:500]
    assert any(c.name.startswith("wordpress_logged_in_") for c in s.cookies)
    dashboard = s.get("/wp-admin/")
    assert dashboard.status_code == 200
    assert "Dashboard" in dashboard.text


def test_native_login_rejects_a_wrong_password(noext_url, admin_credentials, session_factory, native_login):
    user, _ = admin_credentials
    s = session_factory(noext_url)
    r = native_login(s, noext_url, user, "not-the-password")
    assert r.status_code == 200
    assert not any(c.name.startswith("wordpress_logged_in_") for c in s.cookies)


def test_emulator_is_healthy(emulator_url):
    assert requests.get(emulator_url + "/health", timeout=30).status_code == 200


def test_wp_eval_runs_inside_wordpress(wp_eval, wp_url, env):
    assert wp_eval("return home_url('/');") == wp_url + "/"
    assert wp_eval("return extension_loaded('workos');") is True
    assert wp_eval("return extension_loaded('workos');", extension=False) is False
    assert wp_eval("return $args['n'] * 2;", args={"n": 21}) == 42
    settings = wp_eval("return get_option('workos_settings');")
    assert settings["api_key"] == env["API_KEY"]
    assert settings["client_id"] == env["CLIENT_ID"]
    assert settings["webhook_secret"] == env["WEBHOOK_SECRET"]
    assert settings["api_base_url"] == env["API_BASE_URL"]


def test_wp_eval_can_change_wordpress_state(wp_eval):
    wp_eval("update_option('workos_e2e_probe', $args); return true;", args={"x": [1, 2]})
    assert wp_eval("return get_option('workos_e2e_probe');") == {"x": [1, 2]}
    wp_eval("return delete_option('workos_e2e_probe');")
