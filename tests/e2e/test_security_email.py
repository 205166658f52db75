"""Issue 8, finding 1: an account is linked only on the exact address WorkOS returns.

The attack: a WorkOS user whose *verified* email is `boss@exampleä.com` (or `boss@exam_ple.com`, …)
must never land in the WordPress account of `boss@example.com`. WordPress's `sanitize_email()`
deletes the characters it dislikes, which turns each of these into the victim's address; the plugin
compares addresses in one canonical form instead (lower case, IDNA ASCII domain) and refuses
addresses WordPress could not store unchanged. Every path that links is tried: AuthKit callback,
headless password grant, fallback confirmation, directory users, user.created / user.updated
webhooks, the CLI (import, link) and bulk sync.
"""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest
import requests

from authkit import authkit_sign_in, create_workos_user, logged_in_cookie, start
from webhooks import deliver, directory_user, envelope, organization, uid, workos_user

PASSWORD = "Passw0rd!-email-attack"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def variants(local: str) -> dict[str, str | None]:
    """Attacker addresses for the victim `<local>@example.com` → the canonical form the plugin may
    use for a *different* account, or None when the address must be refused outright."""
    return {
        f"{local}@exampleä.com": f"{local}@xn--example-cxa.com",
        f"{local.upper()}@EXAMPLEÄ.COM": f"{local}@xn--example-cxa.com",
        f"{local}ä@example.com": None,
        f"{local}@example.ä.com": f"{local}@example.xn--4ca.com",
        f"{local}@exam_ple.com": None,
        f"{local.upper()}@EXAM_PLE.COM": None,
        f"{local}@ｅxample.com": None,  # full-width "e": IDNA would map it to example.com
    }


@pytest.fixture
def victim(wp_user):
    local = "boss-" + uuid.uuid4().hex[:8]
    user = wp_user(local, f"{local}@example.com", "Victim-passw0rd-1", role="administrator")
    user["local"] = local
    return user


def state(wp_eval, victim_id: int, workos_id: str, canonical: str | None = None) -> dict:
    return wp_eval(
        """
        global $wpdb;
        clean_user_cache($args['victim']);
        $linked = get_users(['meta_key' => '_workos_user_id', 'meta_value' => $args['workos'], 'fields' => 'ID']);
        return [
            'victim_link' => get_user_meta($args['victim'], '_workos_user_id', true),
            'victim_directory' => get_user_meta($args['victim'], '_workos_directory_user_id', true),
            'victim_email' => get_userdata($args['victim'])->user_email,
            'linked' => array_map('intval', $linked),
            'canonical_user' => $args['canonical'] ? (int) $wpdb->get_var($wpdb->prepare(
                "SELECT ID FROM {$wpdb->users} WHERE user_email = %s", $args['canonical'])) : 0,
        ];
        """,
        {"victim": victim_id, "workos": workos_id, "canonical": canonical},
    )


def refused_logged(wp_eval, workos_id: str) -> bool:
    return bool(wp_eval(
        "global $wpdb; return (int) $wpdb->get_var($wpdb->prepare(\"SELECT COUNT(*) FROM {$wpdb->prefix}workos_activity_log"
        " WHERE type = 'email_refused' AND workos_id = %s\", $args));",
        workos_id,
    ))


def assert_not_taken_over(wp_eval, victim, workos_id: str, canonical: str | None, signed_in_as_other_ok=True):
    s = state(wp_eval, victim["id"], workos_id, canonical)
    assert s["victim_link"] != workos_id, f"{workos_id} was linked to the victim's account"
    assert victim["id"] not in s["linked"]
    assert s["victim_email"] == victim["email"]
    if canonical is None:
        assert s["linked"] == [], "a refused address must not create or link any account"
        assert refused_logged(wp_eval, workos_id), "a refused address is logged"
    else:
        assert s["linked"] == [s["canonical_user"]], s
    return s


def fresh_emulator_user(emulator_url: str, address: str) -> dict:
    # Earlier tests may have created the same attacker address: reuse needs a unique local part,
    # so callers pass unique victims; here only the emulator's answer matters.
    return create_workos_user(emulator_url, address, PASSWORD)


class TestSignInPaths:
    @pytest.mark.parametrize("index", range(7))
    def test_authkit_callback(self, index, victim, wp_url, emulator_url, wp_eval, session_factory):
        address, canonical = list(variants(victim["local"]).items())[index]
        attacker = fresh_emulator_user(emulator_url, address)
        browser = session_factory(wp_url)
        flow = start(browser, wp_url)
        callback = authkit_sign_in(emulator_url, flow, address, PASSWORD)
        r = browser.get(callback, allow_redirects=False)
        assert_not_taken_over(wp_eval, victim, attacker["id"], canonical)
        if canonical is None:
            assert not logged_in_cookie(browser)
            assert r.status_code in (200, 302, 403)
            if r.status_code == 302:
                assert "/wp-admin" not in r.headers["Location"]
        else:
            assert logged_in_cookie(browser)
            profile = browser.get("/wp-admin/profile.php")
            assert victim["email"] not in profile.text

    @pytest.mark.parametrize("index", [0, 2, 4])
    def test_headless_password_grant(self, index, victim, wp_url, emulator_url, wp_eval, wp_settings, session_factory):
        wp_settings(login_mode="headless", allow_password_fallback=False)
        address, canonical = list(variants(victim["local"]).items())[index]
        attacker = fresh_emulator_user(emulator_url, address)
        s = session_factory(wp_url)
        host = requests.utils.urlparse(wp_url).hostname
        s.cookies.set("wordpress_test_cookie", "WP Cookie check", domain=host, path="/")
        s.post(wp_url + "/wp-login.php", allow_redirects=False,
               data={"log": address, "pwd": PASSWORD, "wp-submit": "Log In", "testcookie": "1"})
        assert_not_taken_over(wp_eval, victim, attacker["id"], canonical)
        assert logged_in_cookie(s) == (canonical is not None)

    def test_case_variants_of_the_same_mailbox_still_link(self, victim, wp_url, emulator_url, wp_eval, session_factory):
        """The control: the real owner, whose WorkOS address differs only in case, gets their account."""
        owner = create_workos_user(emulator_url, victim["email"].upper(), PASSWORD)
        browser = session_factory(wp_url)
        callback = authkit_sign_in(emulator_url, start(browser, wp_url), victim["email"], PASSWORD)
        browser.get(callback, allow_redirects=False)
        assert logged_in_cookie(browser)
        assert state(wp_eval, victim["id"], owner["id"])["victim_link"] == owner["id"]

    def test_collation_equal_accounts_are_never_guessed_between(self, wp_user, wp_eval, wp_url, emulator_url,
                                                               session_factory):
        """Two accounts whose emails differ only in case (written by other code): linking either is
        a guess, so neither is linked."""
        local = "twin-" + uuid.uuid4().hex[:8]
        a = wp_user(local, f"{local}@example.com", "Twin-passw0rd-1")
        b = wp_user(local + "b", f"{local}@example.org", "Twin-passw0rd-2")
        wp_eval("global $wpdb; $wpdb->update($wpdb->users, ['user_email' => strtoupper($args['e'])], ['ID' => $args['id']]);"
                "clean_user_cache($args['id']); return true;", {"id": b["id"], "e": a["email"]})
        owner = create_workos_user(emulator_url, a["email"], PASSWORD)
        browser = session_factory(wp_url)
        browser.get(authkit_sign_in(emulator_url, start(browser, wp_url), a["email"], PASSWORD), allow_redirects=False)
        assert not logged_in_cookie(browser)
        for who in (a, b):
            assert state(wp_eval, who["id"], owner["id"])["victim_link"] == ""


class TestWebhooksAndDirectory:
    @pytest.mark.parametrize("kind", ["user.created", "user.updated"])
    @pytest.mark.parametrize("index", range(7))
    def test_user_webhooks(self, kind, index, victim, wp_url, env, wp_eval):
        address, canonical = list(variants(victim["local"]).items())[index]
        workos_id = uid("user")
        r = deliver(wp_url, env["WEBHOOK_SECRET"], envelope(kind, workos_user(workos_id, address)))
        assert r.status_code == 200, r.text
        # Webhooks never create accounts: a different canonical address links nothing either.
        s = state(wp_eval, victim["id"], workos_id)
        assert s["victim_link"] != workos_id and s["linked"] == []
        assert s["victim_email"] == victim["email"]
        if canonical is None:
            assert refused_logged(wp_eval, workos_id)

    def test_user_updated_cannot_rewrite_a_linked_email_into_the_victims(self, victim, wp_user, wp_url, env, wp_eval):
        workos_id = uid("user")
        mine = wp_user("mallory-" + uuid.uuid4().hex[:6], f"mallory-{uuid.uuid4().hex[:6]}@evil.test", "M-passw0rd-1",
                       workos_id=workos_id)
        for address in (f"{victim['local']}@exam_ple.com", f"{victim['local']}ä@example.com"):
            r = deliver(wp_url, env["WEBHOOK_SECRET"], envelope("user.updated", workos_user(workos_id, address)))
            assert r.status_code == 200
            assert wp_eval("clean_user_cache($args); return get_userdata($args)->user_email;", mine["id"]) == mine["email"]

    @pytest.mark.parametrize("index", [0, 2, 4])
    def test_directory_user(self, index, victim, wp_url, env, wp_eval, wp_settings):
        """The site's own organization, with example.com verified: still only the exact mailbox."""
        org_id = uid("org")
        deliver(wp_url, env["WEBHOOK_SECRET"], envelope("organization.created",
                                                        organization(org_id, "Exemplar", domains=["example.com"])))
        wp_settings(organization_id=org_id)
        address, _canonical = list(variants(victim["local"]).items())[index]
        du = uid("directory_user")
        r = deliver(wp_url, env["WEBHOOK_SECRET"], envelope("dsync.user.created", directory_user(du, address, org_id)))
        assert r.status_code == 200, r.text
        s = wp_eval("clean_user_cache($args['v']); return ['dir' => get_user_meta($args['v'], '_workos_directory_user_id', true),"
                    " 'email' => get_userdata($args['v'])->user_email,"
                    " 'any' => get_users(['meta_key' => '_workos_directory_user_id', 'meta_value' => $args['du'], 'fields' => 'user_email'])];",
                    {"v": victim["id"], "du": du})
        assert s["dir"] != du and s["email"] == victim["email"]
        assert victim["email"] not in s["any"]


@pytest.fixture
def cli(env):
    def _run(*args: str):
        proc = subprocess.run(
            [env["PHP_BIN"], "-d", "extension=" + env["EXTENSION_PATH"], os.path.join(REPO, "php-shim", "bin", "workos.php"),
             *args], capture_output=True, text=True, timeout=120,
            env=dict(os.environ, WORKOS_WP_LOAD=os.path.join(REPO, "tests", "wp", "bootstrap.php"),
                     WORKOS_STACK_INSTANCE=env["INSTANCE"], WP_URL=env["WP_URL"]),
        )
        return proc.returncode, proc.stdout, proc.stderr
    return _run


class TestCommandLine:
    @pytest.mark.parametrize("index", [2, 4, 5])
    def test_import(self, index, victim, cli, emulator_url, wp_eval):
        address, canonical = list(variants(victim["local"]).items())[index]
        attacker = fresh_emulator_user(emulator_url, address)
        rc, _out, err = cli("user", "import", attacker["id"])
        assert rc == 1, "a refused address is an error"
        assert_not_taken_over(wp_eval, victim, attacker["id"], canonical)

    @pytest.mark.parametrize("index", [0, 2, 4])
    def test_link(self, index, victim, cli, emulator_url, wp_eval):
        address, _canonical = list(variants(victim["local"]).items())[index]
        attacker = fresh_emulator_user(emulator_url, address)
        rc, _out, err = cli("user", "link", str(victim["id"]), attacker["id"])
        assert rc == 1 and "Refused" in err
        assert state(wp_eval, victim["id"], attacker["id"])["victim_link"] == ""

    def test_bulk_sync_pull_never_rewrites_an_email_into_another_mailbox(self, cli, wp_user, emulator_url, env, wp_eval):
        """`sync pull` refreshes linked users from WorkOS: a WorkOS address that only a cleaner would
        turn into `…@example.com` leaves the WordPress email as it was."""
        mine = f"pull-{uuid.uuid4().hex[:8]}@example.net"
        remote = create_workos_user(emulator_url, mine, PASSWORD)
        local = wp_user("pull" + uuid.uuid4().hex[:6], mine, "Pull-passw0rd-1", workos_id=remote["id"])
        target = f"someone-{uuid.uuid4().hex[:8]}@exam_ple.com"
        r = requests.put(f"{emulator_url}/user_management/users/{remote['id']}", timeout=30,
                         headers={"Authorization": "Bearer " + env["API_KEY"]}, json={"email": target})
        assert r.status_code == 200, r.text
        rc, out, err = cli("sync", "pull", "--concurrency=8")
        assert rc == 0, err
        email = wp_eval("clean_user_cache($args); return get_userdata($args)->user_email;", local["id"])
        assert email == mine, f"the WordPress email became {email!r}"
