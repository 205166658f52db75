"""Issue 13, "Public names, kept compatible": code written against the reference plugin's documented PHP
API (docs/REFERENCE-API.md §1 hooks, §2 helpers, §3 constants) runs unchanged on this plugin.

tests/wp/plugins/reference-consumer is such code — a plugin written from the reference's documentation
alone. It is activated here, real sign-ins, webhooks, gate decisions and redirects are driven over HTTP,
and what it saw (its option `reference_consumer_seen`) is checked against what the reference documents.
The constants are set in wp-config.php (wpconfig.py), as a site coming from the reference has them."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import requests

from authkit import create_org, create_workos_user, logged_in_cookie
from test_headless import PASSWORD, login_error, post_login, unique_email
from test_redirects_and_logout import logout_url
from test_roles_and_gate import redirect_sign_in
from webhooks import uid, workos_user
from wpconfig import wp_config

REPO = Path(__file__).resolve().parents[2]
PLUGIN = "reference-consumer/reference-consumer.php"


@pytest.fixture
def consumer(env, wp_eval):
    """The reference consumer, active for one test; returns seen(hook=None) -> its observations."""
    link = Path(env["RUN_DIR"]) / "wp-content" / "plugins" / "reference-consumer"
    if not link.is_symlink():
        os.symlink(REPO / "tests" / "wp" / "plugins" / "reference-consumer", link)
    assert wp_eval("require_once ABSPATH . 'wp-admin/includes/plugin.php';"
                   "delete_option('reference_consumer_seen'); delete_option('reference_consumer_controls');"
                   "$r = activate_plugin($args); return is_wp_error($r) ? $r->get_error_message() : true;", PLUGIN) is True

    def seen(hook: str | None = None) -> list[dict]:
        rows = wp_eval("return get_option('reference_consumer_seen', []);") or []
        return [r for r in rows if hook is None or r["hook"] == hook]

    yield seen
    wp_eval("require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins($args);"
            "delete_option('reference_consumer_seen');"
            "delete_option('reference_consumer_controls'); return true;", PLUGIN)


def control(wp_eval, **answers) -> None:
    """Tells the consumer's filters what to answer (see the plugin)."""
    wp_eval("update_option('reference_consumer_controls', $args, false); return true;", answers)


def workos_id_of(wp_eval, email):
    return wp_eval("$u = get_user_by('email', $args); return $u ? [$u->ID, get_user_meta($u->ID, '_workos_user_id', true)] : null;",
                   email)


def test_a_first_sign_in_fires_user_created_then_user_authenticated(consumer, session_factory, wp_url, emulator_url,
                                                                   wp_eval):
    email = unique_email("refnew")
    person = create_workos_user(emulator_url, email, PASSWORD)
    r = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
    assert r.status_code == 302, r.text[:500]
    user_id, linked = workos_id_of(wp_eval, email)
    assert linked == person["id"]

    [created] = consumer("workos_user_created")
    assert created == {"hook": "workos_user_created", "user_id": user_id, "workos_user_id": person["id"], "email": email}
    [auth] = consumer("workos_user_authenticated")
    assert auth["user_id"] == user_id and auth["workos_user_id"] == person["id"] and auth["email"] == email
    assert auth["has_access_token"] is True  # the WorkOS authentication response, tokens included
    assert auth["cookie_set"] is True  # after the auth cookie, as the reference fires it
    assert auth["is_sso_user"] is True and auth["get_user_id"] == person["id"]
    hooks = [row["hook"] for row in consumer()]
    assert hooks.index("workos_user_created") < hooks.index("workos_user_authenticated")
    assert {"hook": "workos_activity_logged", "event_type": "login", "user_id": user_id} in consumer("workos_activity_logged")

    # A second sign-in: authenticated again, never created again.
    redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
    assert len(consumer("workos_user_created")) == 1
    assert len(consumer("workos_user_authenticated")) == 2


def test_a_wordpress_password_sign_in_is_not_a_workos_one(consumer, session_factory, wp_url, wp_user, native_login):
    local = wp_user("refpw" + uuid.uuid4().hex[:6], unique_email("refpw"), "Loc4l-Passw0rd!")
    r = native_login(session_factory(wp_url), wp_url, local["login"], "Loc4l-Passw0rd!")
    assert r.status_code == 302
    assert consumer("workos_user_authenticated") == []


def test_helpers_answer_for_the_signed_in_visitor(consumer, session_factory, wp_url, emulator_url, wp_eval, wp_user,
                                                  native_login, env):
    email = unique_email("refhelp")
    person = create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    assert redirect_sign_in(s, wp_url, emulator_url, email).status_code == 302
    got = s.get("/", params={"reference_consumer": "helpers"}).json()
    assert got["is_sso_user"] is True
    assert got["get_user_id"] == person["id"]
    assert got["has_active_session"] is True
    assert got["access_token_type"] == "string"  # always '': no tokens are kept on the site
    assert got["is_enabled"] is True
    assert got["client_id"] == env["CLIENT_ID"]
    assert got["version"] == wp_eval("return WorkOS_WP\\VERSION;")
    # §3's constants on a page view: the version, the main file, its directory and URL (trailing slashes)
    # and its basename, the same as the plugin object's getters.
    version, file, directory, url, basename = got["constants"]
    assert [version, file, directory, url, basename] == wp_eval(
        "return [workos()->getVersion(), workos()->getFile(), workos()->getDir(), workos()->getUrl(),"
        " workos()->getBasename()];")
    assert version == got["version"] and basename == "workos/workos.php"
    assert file == directory + "workos.php" and os.path.isfile(file)
    assert url == wp_url + "/wp-content/plugins/workos/"
    assert s.get(url + "blocks/login-button/block.json").json()["name"]  # the URL serves the plugin's files

    # A WordPress account that never signed in through WorkOS.
    local = wp_user("refloc" + uuid.uuid4().hex[:6], unique_email("refloc"), "Loc4l-Passw0rd!")
    other = session_factory(wp_url)
    assert native_login(other, wp_url, local["login"], "Loc4l-Passw0rd!").status_code == 302
    got = other.get("/", params={"reference_consumer": "helpers"}).json()
    assert (got["is_sso_user"], got["get_user_id"], got["has_active_session"]) == (False, "", False)

    # Anonymous, and by user id (0 and negative ids mean the current user).
    anon = session_factory(wp_url).get("/", params={"reference_consumer": "helpers"}).json()
    assert (anon["user_id"], anon["is_sso_user"], anon["get_user_id"]) == (0, False, "")
    user_id = workos_id_of(wp_eval, email)[0]
    assert wp_eval("return [workos_is_sso_user($args), workos_get_user_id($args), workos_is_sso_user(-1),"
                   " get_class(workos()), workos() === workos()];", user_id) == [
        True, person["id"], False, "WorkOS_WP\\Compat\\Plugin", True]


class TestEntitlementGate:
    @pytest.fixture
    def gate(self, wp_settings, emulator_url):
        org = create_org(emulator_url, "RefGate " + uuid.uuid4().hex[:6])
        wp_settings(login_mode="headless", allow_password_fallback=False, organization_id=org["id"],
                    entitlement_gate=True)
        return org

    def test_the_filter_can_let_a_non_member_in(self, gate, consumer, wp_eval, session_factory, wp_url, emulator_url):
        control(wp_eval, entitlement=True)
        email = unique_email("refallow")
        person = create_workos_user(emulator_url, email, PASSWORD)
        s = session_factory(wp_url)
        assert post_login(s, wp_url, email, PASSWORD).status_code == 302
        assert logged_in_cookie(s)
        [check] = consumer("workos_entitlement_check")
        assert check["workos_user_id"] == person["id"]
        assert check["user_id"] == 0  # no account yet: the gate decides before one is created

    def test_the_filter_can_refuse_a_member(self, gate, consumer, wp_eval, session_factory, wp_url, emulator_url):
        control(wp_eval, entitlement=False)
        email = unique_email("refdeny")
        person = create_workos_user(emulator_url, email, PASSWORD,
                                    memberships=[{"organization_id": gate["id"], "role_slug": "member"}])
        s = session_factory(wp_url)
        assert "Only members of this site's organization" in login_error(post_login(s, wp_url, email, PASSWORD))
        assert not logged_in_cookie(s)
        [denied] = consumer("workos_login_denied")
        assert denied == {"hook": "workos_login_denied", "user_id": 0, "reason": "filter_denied",
                          "workos_user_id": person["id"]}

    def test_no_answer_leaves_it_to_the_membership(self, gate, consumer, session_factory, wp_url, emulator_url):
        email = unique_email("refnull")
        create_workos_user(emulator_url, email, PASSWORD)
        s = session_factory(wp_url)
        assert "Only members" in login_error(post_login(s, wp_url, email, PASSWORD))
        [denied] = consumer("workos_login_denied")
        assert denied["reason"] == "no_active_membership"
        assert len(consumer("workos_entitlement_check")) == 1

    def test_the_gate_enabled_filter_turns_it_on(self, gate, wp_settings, consumer, wp_eval, session_factory, wp_url,
                                                 emulator_url):
        wp_settings(entitlement_gate=False)
        email = unique_email("refgateon")
        create_workos_user(emulator_url, email, PASSWORD)
        control(wp_eval, gate_enabled=True)
        assert "Only members" in login_error(post_login(session_factory(wp_url), wp_url, email, PASSWORD))
        control(wp_eval, gate_enabled=None)
        assert post_login(session_factory(wp_url), wp_url, email, PASSWORD).status_code == 302

    def test_gate_enabled_by_the_reference_constant(self, gate, wp_settings, env, session_factory, wp_url,
                                                    emulator_url):
        wp_settings(entitlement_gate=False)
        email = unique_email("refconst")
        create_workos_user(emulator_url, email, PASSWORD)
        with wp_config(env, "define( 'WORKOS_ENTITLEMENT_GATE_ENABLED', true );"):
            s = session_factory(wp_url)
            assert "Only members" in login_error(post_login(s, wp_url, email, PASSWORD))
        # Without it the setting (off) decides again.
        assert post_login(session_factory(wp_url), wp_url, email, PASSWORD).status_code == 302


def test_webhook_actions_carry_the_reference_arguments(consumer, hook, wp_user):
    workos_id = uid("user")
    local = wp_user("refhook" + uuid.uuid4().hex[:6], unique_email("refhook"), "x-Passw0rd-1", workos_id=workos_id)
    event_id = uid("event")
    assert hook("user.updated", workos_user(workos_id, local["email"], first="Hooked"), event_id=event_id)["outcome"] == "updated"
    assert consumer("workos_webhook_user.updated") == [
        {"hook": "workos_webhook_user.updated", "event_id": event_id, "event": "user.updated", "data_id": workos_id}]
    assert consumer("workos_webhook") == [
        {"hook": "workos_webhook", "event_id": event_id, "event_type": "user.updated", "event": "user.updated"}]


class TestRedirects:
    @pytest.fixture
    def role_redirects(self, wp_settings):
        wp_settings(login_redirects={"subscriber": "/members/"}, login_redirect_default="/welcome/",
                    logout_redirects={"subscriber": "/goodbye/"}, login_redirect_first_only=False)
        return wp_settings

    def test_the_role_url_passes_through_the_reference_filters(self, role_redirects, consumer, session_factory,
                                                               wp_url, emulator_url, wp_eval):
        email = unique_email("refredir")
        create_workos_user(emulator_url, email, PASSWORD)
        r = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
        assert r.headers["Location"] == wp_url + "/members/"
        user_id = workos_id_of(wp_eval, email)[0]
        [asked] = consumer("workos_redirect_url")
        assert asked == {"hook": "workos_redirect_url", "url": "/members/", "user_id": user_id, "role": "subscriber",
                         "is_first_login": True}
        [before] = consumer("workos_redirect_before")
        assert before == {"hook": "workos_redirect_before", "url": wp_url + "/members/", "user_id": user_id,
                          "is_first_login": True}

    def test_the_url_filter_decides_but_stays_on_the_site(self, role_redirects, consumer, wp_eval, session_factory,
                                                         wp_url, emulator_url):
        control(wp_eval, redirect_url="/sample-page/")
        email = unique_email("refurl")
        create_workos_user(emulator_url, email, PASSWORD)
        assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).headers["Location"] == wp_url + "/sample-page/"
        control(wp_eval, redirect_url="https://evil.example/steal")
        r = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
        assert "evil.example" not in r.headers["Location"] and r.headers["Location"].startswith(wp_url)

    def test_an_explicit_redirect_is_skipped_with_its_reason(self, role_redirects, consumer, session_factory, wp_url,
                                                             emulator_url):
        from authkit import authkit_sign_in, start

        email = unique_email("refexpl")
        create_workos_user(emulator_url, email, PASSWORD)
        s = session_factory(wp_url)
        flow = start(s, wp_url, redirect_to="/sample-page/")
        r = s.get(authkit_sign_in(emulator_url, flow, email, PASSWORD), allow_redirects=False)
        assert r.headers["Location"] == wp_url + "/sample-page/"
        assert [row["reason"] for row in consumer("workos_redirect_skipped")] == ["explicit_redirect"]

    def test_the_map_filter_adds_a_role(self, wp_settings, consumer, wp_eval, session_factory, wp_url, emulator_url):
        wp_settings(login_redirects=None, login_redirect_default=None)
        control(wp_eval, redirect_urls={"subscriber": {"url": "/from-filter/", "first_login_only": False}})
        email = unique_email("refmap")
        create_workos_user(emulator_url, email, PASSWORD)
        assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).headers["Location"] == wp_url + "/from-filter/"

    def test_logout_url_filter(self, role_redirects, consumer, wp_eval, session_factory, wp_url, emulator_url):
        email = unique_email("refbye")
        create_workos_user(emulator_url, email, PASSWORD)
        s = session_factory(wp_url)
        redirect_sign_in(s, wp_url, emulator_url, email)
        control(wp_eval, logout_redirect_url="/sample-page/")
        r = s.get(logout_url(s), allow_redirects=False)
        assert r.status_code == 302 and r.headers["Location"] == wp_url + "/sample-page/"
        [asked] = consumer("workos_logout_redirect_url")
        assert (asked["url"], asked["role"]) == ("/goodbye/", "subscriber")
        [before] = consumer("workos_logout_redirect_before")
        assert before["url"] == wp_url + "/sample-page/"

    def test_logout_should_apply_filter_skips_it(self, role_redirects, consumer, wp_eval, session_factory, wp_url,
                                                 emulator_url):
        email = unique_email("refstay")
        create_workos_user(emulator_url, email, PASSWORD)
        s = session_factory(wp_url)
        redirect_sign_in(s, wp_url, emulator_url, email)
        control(wp_eval, logout_should_apply=False)
        r = s.get(logout_url(s), allow_redirects=False)
        assert r.status_code == 302 and "/goodbye/" not in r.headers["Location"]
        assert [row["reason"] for row in consumer("workos_logout_redirect_skipped")] == ["filtered_out"]

    def test_reference_redirect_urls_constant(self, wp_settings, env, consumer, session_factory, wp_url,
                                              emulator_url, wp_eval):
        """WORKOS_REDIRECT_URLS in the reference's format: role => {url, first_login_only}, `__default__`."""
        wp_settings(login_redirects=None, login_redirect_default=None, login_redirect_first_only=False)
        email = unique_email("refconst")
        create_workos_user(emulator_url, email, PASSWORD)
        with wp_config(env, """define( 'WORKOS_REDIRECT_URLS', array(
            'subscriber' => array( 'url' => '/members/', 'first_login_only' => true ),
            '__default__' => array( 'url' => '/welcome/', 'first_login_only' => false ),
        ) );"""):
            assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).headers["Location"] == wp_url + "/members/"
            again = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
            assert again.headers["Location"] == wp_url + "/wp-admin/"
            assert consumer("workos_redirect_skipped")[-1]["reason"] == "not_first_login"
            # Well-formed as the reference documents it: the settings screen reports no problem.
            assert wp_eval("return WorkOS_WP\\Settings\\Constants::error('login_redirects');") == ""
        # A role the map does not list gets `__default__` (a plain string entry is accepted too).
        other = unique_email("refconst2")
        create_workos_user(emulator_url, other, PASSWORD)
        with wp_config(env, "define( 'WORKOS_REDIRECT_URLS', array( '__default__' => '/welcome/' ) );"):
            assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, other).headers["Location"] == wp_url + "/welcome/"


class TestConstants:
    def test_reference_names_set_our_settings(self, env, wp_eval):
        lines = """
            define( 'WORKOS_WP_PASSWORD_FALLBACK_EMAIL_CONFIRMATION', false );
            define( 'WORKOS_ENTITLEMENT_GATE_ENABLED', true );
            define( 'WORKOS_RADAR_SITE_KEY', 'radar_site_ref' );
        """
        read = ("return [WorkOS_WP\\Settings::flag('fallback_confirmation'), WorkOS_WP\\Settings::flag('entitlement_gate'),"
                " WorkOS_WP\\Settings::get('radar_site_key'), WorkOS_WP\\Settings::source('fallback_confirmation')];")
        before = wp_eval(read)
        with wp_config(env, lines):
            assert wp_eval(read) == [False, True, "radar_site_ref", "constant"]
        assert wp_eval(read) == before

    def test_per_environment_forms_of_every_reference_setting(self, env, wp_eval):
        """Only the active environment's form counts; it wins over the generic one."""
        active = wp_eval("return WorkOS_WP\\Settings::environment();")
        other = "staging" if active == "production" else "production"
        lines = f"""
            define( 'WORKOS_{active.upper()}_ALLOW_PASSWORD_FALLBACK', false );
            define( 'WORKOS_{other.upper()}_WP_PASSWORD_FALLBACK_EMAIL_CONFIRMATION', false );
            define( 'WORKOS_WP_PASSWORD_FALLBACK_EMAIL_CONFIRMATION', true );
            define( 'WORKOS_{active.upper()}_REDIRECT_URLS', array( 'editor' => array( 'url' => '/ed/', 'first_login_only' => false ) ) );
            define( 'WORKOS_{active.upper()}_ORGANIZATION_ID', 'org_01REFPERENV' );
        """
        with wp_config(env, lines):
            got = wp_eval("return [WorkOS_WP\\Settings::flag('allow_password_fallback'), WorkOS_WP\\Settings::flag('fallback_confirmation'),"
                          " WorkOS_WP\\Settings::map('login_redirects'), WorkOS_WP\\Settings::get('organization_id'),"
                          " WorkOS_WP\\Settings::constant_name('allow_password_fallback')];")
        assert got == [False, True, {"editor": "/ed/"}, "org_01REFPERENV", f"WORKOS_{active.upper()}_ALLOW_PASSWORD_FALLBACK"]

    def test_password_fallback_off_by_the_environment_constant(self, env, wp_settings, session_factory, wp_url,
                                                               wp_user, wp_eval):
        """The per-environment constant changes behaviour, not only the value read."""
        wp_settings(login_mode="headless", allow_password_fallback=True)
        local = wp_user("refenv" + uuid.uuid4().hex[:6], unique_email("refenv"), "Loc4l-Passw0rd!")
        active = wp_eval("return WorkOS_WP\\Settings::environment();")
        with wp_config(env, f"define( 'WORKOS_{active.upper()}_ALLOW_PASSWORD_FALLBACK', false );"):
            r = post_login(session_factory(wp_url), wp_url, local["login"], "Loc4l-Passw0rd!")
            assert r.status_code != 302
        assert post_login(session_factory(wp_url), wp_url, local["login"], "Loc4l-Passw0rd!").status_code == 302

    def test_radar_site_key_reaches_the_hosted_login(self, env, session_factory, wp_url):
        s = session_factory(wp_url)
        with wp_config(env, "define( 'WORKOS_RADAR_SITE_KEY', 'radar_site_ref' );"):
            r = s.get("/wp-json/workos/v1/auth/nonce", params={"profile": "default"})
        assert r.status_code == 200, r.text
        assert r.json()["radar_site_key"] == "radar_site_ref"

    def test_activity_log_off_writes_nothing(self, env, consumer, wp_eval, session_factory, wp_url, emulator_url):
        email = unique_email("reflog")
        create_workos_user(emulator_url, email, PASSWORD)
        count = "global $wpdb; return (int) $wpdb->get_var('SELECT COUNT(*) FROM ' . $wpdb->base_prefix . 'workos_activity_log');"
        before = wp_eval(count)
        with wp_config(env, "define( 'WORKOS_ENABLE_ACTIVITY_LOG', false );"):
            assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).status_code == 302
            assert wp_eval(count) == before
        assert consumer("workos_activity_logged") == []
        assert len(consumer("workos_user_authenticated")) == 1  # the other actions still fire

    def test_workos_debug_turns_workos_log_on(self, env, wp_eval, tmp_path):
        log = f"/tmp/h8-workos-log-{uuid.uuid4().hex[:8]}.log"
        code = ("ini_set('error_log', $args); workos_log('hello reference', 'warning');"
                " return is_file($args) ? file_get_contents($args) : '';")
        try:
            off = wp_eval("if (defined('WP_DEBUG') && WP_DEBUG) { return 'wp_debug'; } " + code, log)
            with wp_config(env, "define( 'WORKOS_DEBUG', true );"):
                on = wp_eval(code, log)
        finally:
            if os.path.exists(log):
                os.unlink(log)
        assert off in ("", "wp_debug")
        assert "[WorkOS][WARNING] hello reference" in on
