"""Security (issue 8, finding 16): the cookie that binds a sign-in flow to a browser is `__Host-`
prefixed on HTTPS (so no sibling subdomain or plain-HTTP page can plant it), and only a value this
server issued — signed with the site's secret — is ever accepted."""

from __future__ import annotations

import uuid

import requests

from authkit import authkit_sign_in, create_workos_user, logged_in_cookie, start

PASSWORD = "Passw0rd!-e2e"
COOKIE = "workos_auth_binding"


def set_cookie_headers(r: requests.Response) -> list[str]:
    return [v for k, v in r.raw.headers.items() if k.lower() == "set-cookie"]


def test_a_planted_binding_value_is_replaced_not_used(session_factory, wp_url, emulator_url):
    planted = "a" * 64  # well-formed, but never issued by this server
    s = session_factory(wp_url)
    host = requests.utils.urlparse(wp_url).hostname
    s.cookies.set(COOKIE, planted, domain=host, path="/")
    r = s.get("/wp-login.php", allow_redirects=False)
    assert r.status_code == 302
    issued = [h for h in set_cookie_headers(r) if h.startswith(COOKIE + "=")]
    assert issued, "the planted value was accepted as this flow's binding"
    assert planted not in issued[0]
    # The flow completes with the server's own value.
    email = f"bind-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email, PASSWORD)
    flow = start(s, wp_url)
    r = s.get(authkit_sign_in(emulator_url, flow, email, PASSWORD), allow_redirects=False)
    assert r.status_code == 302 and logged_in_cookie(s)


def test_a_planted_value_is_refused_at_the_callback(session_factory, wp_url, emulator_url):
    """An attacker's browser starts a flow; its state is taken to a victim whose binding cookie was
    planted with an unsigned value: the callback refuses it as no session at all."""
    email = f"bind-cb-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email, PASSWORD)
    attacker = session_factory(wp_url)
    flow = start(attacker, wp_url)
    callback = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    victim = session_factory(wp_url)
    host = requests.utils.urlparse(wp_url).hostname
    victim.cookies.set(COOKIE, "b" * 64, domain=host, path="/")
    r = victim.get(callback, allow_redirects=False)
    assert r.status_code == 400 and r.headers.get("X-WorkOS-Error") == "no_session"
    assert not logged_in_cookie(victim)


def test_only_signed_values_are_accepted(wp_eval):
    got = wp_eval(
        r"""
        $name = WorkOS_WP\SignIn\Flow::cookie_name();
        $out = [];
        foreach (['', str_repeat('a', 64), str_repeat('a', 64) . '.' . str_repeat('0', 64), "x\0y", str_repeat('z', 5000)] as $v) {
            $_COOKIE[$name] = $v;
            $out[] = WorkOS_WP\SignIn\Flow::binding(false);
        }
        unset($_COOKIE[$name]);
        $fresh = WorkOS_WP\SignIn\Flow::binding(true); // headers cannot be sent from the CLI; the value is what counts
        $_COOKIE[$name] = $_COOKIE[$name] ?? '';
        $issued = $_COOKIE[$name];
        $again = WorkOS_WP\SignIn\Flow::binding(false);
        $tampered = substr($issued, 0, -1) . (substr($issued, -1) === '0' ? '1' : '0');
        $_COOKIE[$name] = $tampered;
        return ['refused' => $out, 'fresh' => $fresh, 'again' => $again, 'tampered' => WorkOS_WP\SignIn\Flow::binding(false)];
        """
    )
    assert got["refused"] == ["", "", "", "", ""]
    assert got["fresh"] and got["again"] == got["fresh"]
    assert got["tampered"] == ""


def test_the_cookie_is_host_prefixed_on_https(wp_eval):
    got = wp_eval(
        r"""
        $_SERVER['HTTPS'] = 'on';
        $https = [WorkOS_WP\SignIn\Flow::cookie_name(), WorkOS_WP\SignIn\Flow::cookie_options(time() + 60)];
        unset($_SERVER['HTTPS']);
        $http = [WorkOS_WP\SignIn\Flow::cookie_name(), WorkOS_WP\SignIn\Flow::cookie_options(time() + 60)];
        return ['https' => $https, 'http' => $http];
        """
    )
    name, opts = got["https"]
    assert name == "__Host-" + COOKIE
    assert opts["secure"] is True and opts["path"] == "/" and opts.get("domain", "") == ""
    assert opts["httponly"] is True and opts["samesite"] == "Lax"
    name, opts = got["http"]
    assert name == COOKIE and opts["secure"] is False
