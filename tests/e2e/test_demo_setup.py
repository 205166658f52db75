"""`make demo`'s hosted login (scripts/demo-setup.php, run by scripts/stack.sh for the demo instance):
workos_demo_configure() puts the login mode `custom` and a branded default Login Profile offering every
sign-in method in place, through the plugin's own storage, and a second run changes nothing. Run here on
the test instance, whose settings and default profile are put back afterwards."""

from __future__ import annotations

import pytest

REQUIRE = "require_once $args['script'];"


@pytest.fixture
def demo_configure(wp_eval, wp_settings, env):
    """Runs workos_demo_configure() inside WordPress; the default profile is restored afterwards
    (wp_settings restores the settings option)."""
    wp_settings()  # only for its restore of workos_settings at teardown
    script = env["REPO_ROOT"] + "/scripts/demo-setup.php"
    saved = wp_eval("return WorkOS_WP\\Profiles\\ProfileRepository::get_default()->to_array();")

    def _run() -> list[str]:
        return wp_eval(REQUIRE + " return workos_demo_configure();", {"script": script})

    yield _run
    wp_eval(
        """
        $saved = WorkOS_WP\\Profiles\\ProfileRepository::save($args, (int) $args['id']);
        return is_wp_error($saved) ? $saved->get_error_message() : true;
        """,
        saved,
    )


def test_demo_configuration_sets_custom_mode_and_a_branded_profile_with_every_method(demo_configure, wp_eval):
    # Start from what a fresh site has: the redirect mode and the seeded default profile.
    wp_eval(
        """
        $o = get_option('workos_settings', []);
        $o['login_mode'] = 'redirect';
        update_option('workos_settings', $o);
        $p = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
        $seed = WorkOS_WP\\Profiles\\ProfileRepository::seed();
        $saved = WorkOS_WP\\Profiles\\ProfileRepository::save(
            WorkOS\\Native\\LoginProfile::merge($p->to_array(), $seed), $p->get_id());
        return is_wp_error($saved) ? $saved->get_error_message() : true;
        """
    )
    done = demo_configure()
    assert any("login mode" in d for d in done) and any("Login Profile" in d for d in done), done

    state = wp_eval(
        """
        $p = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
        return [
            'mode' => WorkOS_WP\\Settings::get('login_mode'),
            'methods' => $p->get_methods(),
            'all_methods' => WorkOS\\Native\\LoginProfile::choices()['methods'],
            'branding' => $p->to_array()['branding'],
            'profile_mode' => $p->get_mode(),
            'profiles' => count(WorkOS_WP\\Profiles\\ProfileRepository::all()),
        ];
        """
    )
    assert state["mode"] == "custom"
    # Every method the hosted login supports, password and magic code first among them.
    assert sorted(state["methods"]) == sorted(state["all_methods"]), state
    assert {"password", "magic_code", "oauth_google"} <= set(state["methods"])
    assert state["branding"]["heading"] == "Sign in to the WorkOS demo"
    assert state["branding"]["primary_color"] == "#6363f1"
    assert state["branding"]["subheading"]
    assert state["profile_mode"] == "custom"  # the hosted shell, not a redirect to AuthKit

    # Idempotent: a second `make demo` changes nothing and makes no second profile.
    assert demo_configure() == []
    again = wp_eval("return count(WorkOS_WP\\Profiles\\ProfileRepository::all());")
    assert again == state["profiles"]


def test_demo_configuration_keeps_what_an_owner_changed_elsewhere(demo_configure, wp_eval):
    """Only methods and the three branding fields are the demo's: a custom path or an MFA policy an owner
    set in the editor survives a later `make demo`."""
    demo_configure()
    wp_eval(
        """
        $p = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
        $patched = WorkOS\\Native\\LoginProfile::merge($p->to_array(),
            ['methods' => ['password'], 'post_login_redirect' => '/welcome/']);
        $saved = WorkOS_WP\\Profiles\\ProfileRepository::save($patched, $p->get_id());
        return is_wp_error($saved) ? $saved->get_error_message() : true;
        """
    )
    done = demo_configure()
    assert done and "Login Profile" in done[-1], done
    profile = wp_eval("return WorkOS_WP\\Profiles\\ProfileRepository::get_default()->to_array();")
    assert profile["post_login_redirect"] == "/welcome/"
    assert "magic_code" in profile["methods"]


def test_the_demo_user_signs_in_by_password_and_by_magic_code_as_the_demo_prints(
    demo_configure, session_factory, emulator_url, wp_url
):
    """What `make demo` prints is enough: after the demo's configuration, wp-login.php shows the branded shell,
    and a WorkOS user signs in there by password, and by a code read from the emulator's control API."""
    import uuid

    import requests
    from authkit import create_workos_user, logged_in_cookie

    demo_configure()
    email = f"demo-{uuid.uuid4().hex[:8]}@example.com"
    password = "Demo-password-1"
    create_workos_user(emulator_url, email, password)

    page = requests.get(wp_url + "/wp-login.php", timeout=30)
    assert page.status_code == 200 and "Sign in to the WorkOS demo" in page.text

    def signed_in(step) -> dict:
        s = session_factory()
        nonce = s.get(wp_url + "/wp-json/workos/v1/auth/nonce", params={"profile": "default"}).json()["nonce"]
        headers = {"X-WorkOS-Nonce": nonce}
        body = step(s, headers)
        assert logged_in_cookie(s), body
        return body

    def by_password(s, headers):
        r = s.post(wp_url + "/wp-json/workos/v1/auth/password/authenticate", headers=headers,
                   json={"profile": "default", "email": email, "password": password})
        assert r.status_code == 200, r.text
        return r.json()

    def by_code(s, headers):
        r = s.post(wp_url + "/wp-json/workos/v1/auth/magic/send", headers=headers,
                   json={"profile": "default", "email": email})
        assert r.status_code == 200, r.text
        code = requests.get(emulator_url + "/__emulator/magic_auth", params={"email": email}, timeout=30).json()["code"]
        r = s.post(wp_url + "/wp-json/workos/v1/auth/magic/verify", headers=headers,
                   json={"profile": "default", "email": email, "code": code})
        assert r.status_code == 200, r.text
        return r.json()

    assert signed_in(by_password)["user"]["email"] == email
    assert signed_in(by_code)["user"]["email"] == email


def test_demo_turns_every_flow_on_but_keeps_a_flow_an_owner_set(demo_configure, wp_eval):
    """Issue 12: `make demo`'s profile offers sign-up, invitations and the reset (the magic code is a method) —
    patched only where the profile still has the model's default, so an owner's own choice stays."""
    reset = """$p = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
        $saved = WorkOS_WP\\Profiles\\ProfileRepository::save(WorkOS\\Native\\LoginProfile::merge($p->to_array(), $args),
            $p->get_id());
        return is_wp_error($saved) ? $saved->get_error_message() : true;"""
    get = "return WorkOS_WP\\Profiles\\ProfileRepository::get_default()->to_array();"
    assert wp_eval(reset, {"signup": {"enabled": False, "require_invite": False}, "invite_flow": True,
                           "password_reset_flow": True}) is True
    done = demo_configure()
    assert any("flows on: signup" in d for d in done), done
    fresh = wp_eval(get)
    assert fresh["signup"] == {"enabled": True, "require_invite": False}
    assert fresh["invite_flow"] is True and fresh["password_reset_flow"] is True and "magic_code" in fresh["methods"]
    assert not any("flows" in d for d in demo_configure())
    # An owner who closed invitations and resets and made sign-up invitation-only keeps it so.
    assert wp_eval(reset, {"signup": {"enabled": True, "require_invite": True}, "invite_flow": False,
                           "password_reset_flow": False}) is True
    assert not any("flows" in d for d in demo_configure())
    kept = wp_eval(get)
    assert kept["signup"] == {"enabled": True, "require_invite": True}
    assert kept["invite_flow"] is False and kept["password_reset_flow"] is False
