"""The plugin is active but PHP has no workos extension: the site keeps working natively."""

from __future__ import annotations

import html
import re
import subprocess

import requests


def test_login_page_shows_native_form(noext_url):
    r = requests.get(noext_url + "/wp-login.php", allow_redirects=False, timeout=30)
    assert r.status_code == 200
    assert 'name="loginform"' in r.text


def test_front_page_works(noext_url):
    assert requests.get(noext_url + "/", timeout=30).status_code == 200


def test_admin_can_sign_in_natively_and_sees_how_to_load_the_extension(noext_url, session_factory, native_login, admin_credentials):
    s = session_factory(noext_url)
    r = native_login(s, noext_url, *admin_credentials)
    assert r.status_code == 302, r.text[:500]
    dash = s.get("/wp-admin/", timeout=30)
    assert dash.status_code == 200
    assert "workos-notice-extension" in dash.text
    # The exact steps for the PHP that serves this site (the no-extension server is the command-line
    # PHP, so its own constants are the truth to compare with), and the release file to take.
    scan_dir, ext_dir, minor, zts, machine = subprocess.run(
        ["php", "-n", "-r", 'echo PHP_CONFIG_FILE_SCAN_DIR, "|", ini_get("extension_dir"), "|", PHP_MAJOR_VERSION . "." . PHP_MINOR_VERSION, "|", PHP_ZTS ? "zts" : "nts", "|", php_uname("m");'],
        check=True, capture_output=True, text=True).stdout.split("|")
    text = html.unescape(dash.text)
    assert f'<code class="workos-ini-file">{scan_dir}/20-workos.ini</code>' in text
    assert '<code class="workos-ini-line">extension=workos</code>' in text
    assert f'<code class="workos-extension-dir">{ext_dir}/workos.so</code>' in text
    assert re.search(r'<code class="workos-build-name">workos-[0-9.]+-php%s-%s-%s\.so</code>' % (re.escape(minor), zts, re.escape(machine)), text)


def test_webhook_says_the_extension_is_missing(noext_url):
    r = requests.post(noext_url + "/wp-json/workos/v1/webhook", data=b"{}", headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 503
    assert r.json()["code"] == "workos_extension_missing"


def test_with_the_extension_there_is_no_such_notice(wp_url, session_factory, admin_credentials, wp_eval):
    # Sign the admin in through a cookie minted inside WordPress (the login
    # page itself redirects to AuthKit on this server).
    cookies = wp_eval(
        """
        $u = get_user_by('login', $args);
        $exp = time() + 3600;
        return ['auth' => [AUTH_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                'logged_in' => [LOGGED_IN_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
        """,
        admin_credentials[0],
    )
    s = session_factory(wp_url)
    for name, value in cookies.values():
        s.cookies.set(name, value, domain="127.0.0.1", path="/")
    dash = s.get("/wp-admin/", timeout=30)
    assert dash.status_code == 200
    assert "workos-notice-extension" not in dash.text


def test_an_extension_of_another_release_is_named_in_a_warning(wp_eval):
    same, other = wp_eval(
        "return [WorkOS_WP\\Admin\\ExtensionInstall::version_mismatch(phpversion('workos')),"
        " WorkOS_WP\\Admin\\ExtensionInstall::version_mismatch('9.9.9')];")
    assert same is None
    assert "version 9.9.9" in other and "workos-9.9.9-php" in other
