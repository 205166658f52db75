"""Passkeys end to end (issue 11), in Chromium with its virtual authenticator (CDP WebAuthn domain):
register a passkey from Users → Profile, sign out, sign in with it from the hosted login's shell;
a deactivated user is refused; a replayed answer and a cloned authenticator (a signature counter that
went backwards) are refused.

WebAuthn needs a secure context and a domain as relying-party id. The stack serves
http://127.0.0.1:<port>, which Chromium treats as secure, but an IP address is not a valid RP id; the
stack's home URL follows the request's Host, so these pages are opened as http://localhost:<port>
(also a secure context) and the relying party is `localhost`.
"""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest
from authkit import create_org, create_workos_user
from conftest import REPO, _PageFactory

WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"
# Chromium logs each 4xx answer of fetch(); the refusals these tests cause on purpose are expected.
REFUSALS = [r"Failed to load resource: .*wp-json/workos/v1/auth/passkey/"]


@pytest.fixture(scope="module", autouse=True)
def built():
    subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)


@pytest.fixture
def base(env) -> str:
    return env["WP_URL"].replace("127.0.0.1", "localhost")


@pytest.fixture
def pages(browser, request, env, _php_log_watch, base):
    """pages(user_login|None) -> a Page on http://localhost:<port>, signed in as the user if given."""
    factory = _PageFactory(browser, request, env, _php_log_watch)

    def _make(login: str | None = None, width: int = 1280):
        cookies = []
        if login:
            from conftest import run_wp_php

            cookies = run_wp_php(
                env,
                """
                $u = get_user_by('login', $args['login']);
                $exp = time() + HOUR_IN_SECONDS;
                $hash = md5($args['site']);
                return [['wordpress_' . $hash, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                        ['wordpress_logged_in_' . $hash, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
                """,
                {"login": login, "site": base},
            )
        return factory.make(width, cookies, base, REFUSALS)

    yield _make
    factory.close()


@pytest.fixture
def authenticator():
    """authenticator(page) -> (cdp, id): a platform passkey authenticator (resident keys, UV) on the page."""

    def _add(page):
        cdp = page.context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        found = cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                }
            },
        )
        return cdp, found["authenticatorId"]

    return _add


@pytest.fixture
def passkey_profile(wp_eval):
    made: list[int] = []
    wp_eval(WIPE_LIMITS)

    def _make() -> str:
        slug = "pk-" + uuid.uuid4().hex[:8]
        saved = wp_eval(
            """
            $p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
            if (is_wp_error($p)) { throw new Exception($p->get_error_message()); }
            return $p->to_array();
            """,
            {"slug": slug, "title": "Passkey sign-in", "methods": ["password", "passkey"],
             "branding": {"heading": "Sign in to Passkey Test"}},
        )
        made.append(saved["id"])
        return slug

    yield _make
    for pid in made:
        wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", pid)
    wp_eval(WIPE_LIMITS)


def login_page(page, slug: str) -> None:
    r = page.goto(f"/workos/login/{slug}")
    if r is None or r.status == 404:
        page.goto(f"/?workos_shell_preview=stored&profile={slug}")
    page.wait_for_selector("#workos-authkit-root[data-hydrated=true]", state="attached")


def signed_in_cookie(page) -> bool:
    return any(c["name"].startswith("wordpress_logged_in_") for c in page.context.cookies())


def register(page, shot, name: str) -> None:
    page.goto("/wp-admin/profile.php")
    heading = page.get_by_role("heading", name="Passkeys")
    heading.wait_for()
    field = page.get_by_label("Name for a new passkey")
    field.fill(name)
    shot(page, "profile-passkeys-before")
    # Keyboard: Tab from the name field reaches the button; Enter presses it.
    field.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Add a passkey"
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="added").wait_for()
    assert page.locator(".workos-passkeys-table tbody tr", has_text=name).count() == 1


def test_register_then_sign_in_with_a_passkey(pages, authenticator, passkey_profile, wp_user, emulator_url,
                                              wp_eval, wp_settings, shot, axe):
    slug = passkey_profile()
    email = f"pk-{uuid.uuid4().hex[:10]}@example.com"
    workos = create_workos_user(emulator_url, email)
    user = wp_user("pk" + uuid.uuid4().hex[:8], email, "Passw0rd!-pk", workos_id=workos["id"])

    page = pages(user["login"])
    cdp, auth_id = authenticator(page)
    register(page, shot, "Test laptop")
    shot(page, "profile-passkeys-added")
    axe(page)
    creds = cdp.send("WebAuthn.getCredentials", {"authenticatorId": auth_id})["credentials"]
    assert len(creds) == 1 and creds[0]["isResidentCredential"] and creds[0]["rpId"] == "localhost"
    stored = wp_eval("return \\WorkOS_WP\\Passkeys\\Store::for_user($args);", user["id"])
    assert [s["name"] for s in stored] == ["Test laptop"] and stored[0]["workos_id"] == workos["id"]

    # Sign out (drop the cookies; the authenticator stays with the tab), then sign in with it.
    page.context.clear_cookies()
    login_page(page, slug)
    button = page.get_by_role("button", name="Sign in with a passkey")
    button.wait_for()
    shot(page, "shell-with-passkey")
    axe(page)
    button.click()
    page.wait_for_url("**/wp-admin/**")
    assert signed_in_cookie(page)
    shot(page, "signed-in-with-passkey")
    row = wp_eval(
        "return \\WorkOS_WP\\Passkeys\\Store::for_user($args)[0];", user["id"])
    assert row["last_used"] > 0
    # The activity log says how (when the log is on: it is by default).
    methods = wp_eval(
        """
        global $wpdb;
        $t = \\WorkOS_WP\\Schema::table('activity_log');
        return $wpdb->get_col($wpdb->prepare("SELECT metadata FROM $t WHERE type = 'login' AND user_id = %d", $args));
        """,
        user["id"],
    )
    assert any(json.loads(m).get("method") == "passkey" for m in methods), methods

    # The entitlement gate applies (asked live: no access token exists for a passkey sign-in).
    org = create_org(emulator_url, "Passkey gate org " + uuid.uuid4().hex[:6])
    wp_settings(organization_id=org["id"], entitlement_gate=True)
    page.context.clear_cookies()
    login_page(page, slug)
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.locator("#wa-error").filter(has_text="Only members").wait_for()
    assert not signed_in_cookie(page)
    shot(page, "shell-passkey-not-entitled")
    wp_settings(organization_id=None, entitlement_gate=None)

    # A deactivated user's passkey signs nobody in.
    page.context.clear_cookies()
    wp_eval("\\WorkOS_WP\\Users\\Users::deprovision(get_userdata($args), 'test'); return true;", user["id"])
    login_page(page, slug)
    page.get_by_role("button", name="Sign in with a passkey").click()
    alert = page.locator("#wa-error")
    alert.filter(has_text="deactivated").wait_for()
    assert not signed_in_cookie(page)
    shot(page, "shell-passkey-deactivated")


def test_replayed_answer_and_cloned_authenticator_refused(pages, authenticator, passkey_profile, wp_user,
                                                          emulator_url, wp_eval, shot):
    slug = passkey_profile()
    email = f"pk-{uuid.uuid4().hex[:10]}@example.com"
    workos = create_workos_user(emulator_url, email)
    user = wp_user("pk" + uuid.uuid4().hex[:8], email, "Passw0rd!-pk", workos_id=workos["id"])
    page = pages(user["login"])
    authenticator(page)
    register(page, shot, "Phone")
    page.context.clear_cookies()
    login_page(page, slug)

    # Run the ceremony by hand in the page, keep the answer, send it twice.
    result = page.evaluate(
        """async (slug) => {
            const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)))
                .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
            const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')
                + '==='.slice((s.length + 3) % 4)), (c) => c.charCodeAt(0)).buffer;
            const api = '/wp-json/workos/v1/auth/';
            const nonce = async () => (await (await fetch(api + 'nonce?profile=' + slug)).json()).nonce;
            const post = async (route, body, n) => {
                const r = await fetch(api + 'passkey/' + route, { method: 'POST',
                    headers: { 'Content-Type': 'application/json', 'X-WorkOS-Nonce': n },
                    body: JSON.stringify({ profile: slug, ...body }) });
                return { status: r.status, body: await r.json() };
            };
            const n1 = await nonce();
            const { body: { options } } = await post('login/options', {}, n1);
            const c = await navigator.credentials.get({ publicKey: { ...options,
                challenge: unb64(options.challenge) } });
            const cred = { id: c.id, rawId: b64(c.rawId), type: c.type, extensions: {}, response: {
                authenticatorData: b64(c.response.authenticatorData),
                clientDataJSON: b64(c.response.clientDataJSON),
                signature: b64(c.response.signature), userHandle: b64(c.response.userHandle) } };
            const first = await post('login/verify', { credential: cred }, n1);
            // Signed in, the binding is spent: a new browser binding, a new ceremony, the old answer.
            const n2 = await nonce();
            const noState = await post('login/verify', { credential: cred }, n2);
            await post('login/options', {}, n2);
            const replay = await post('login/verify', { credential: cred }, n2);
            return { first, noState, replay };
        }""",
        slug,
    )
    assert result["first"]["status"] == 200, result
    assert result["noState"]["body"]["code"] == "workos_authkit_step_expired", result
    assert result["replay"]["status"] == 401, result
    assert result["replay"]["body"]["code"] == "workos_authkit_passkey_failed", result

    # A clone: the stored counter is ahead of what the authenticator now signs.
    wp_eval(
        """
        $r = \\WorkOS_WP\\Passkeys\\Store::for_user($args)[0];
        $pk = json_decode($r['passkey'], true);
        $pk['cred']['counter'] = 1000000;
        $r['passkey'] = wp_json_encode($pk);
        update_user_meta($args, \\WorkOS_WP\\Passkeys\\Store::key($r['id']), $r);
        return true;
        """,
        user["id"],
    )
    page.context.clear_cookies()
    login_page(page, slug)
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.locator("#wa-error").filter(has_text="cannot be used").wait_for()
    assert not signed_in_cookie(page)
    shot(page, "shell-passkey-clone-refused")


@pytest.mark.parametrize("methods", [["passkey"], ["password", "oauth_google", "passkey"]], ids=["alone", "after-social"])
def test_passkey_button_hydrates_without_change(pages, env, wp_eval, passkey_profile, methods, shot):
    """Shell.php prints Passkeys\\LoginButton's markup; the app's first render (PasskeyButton) is the
    same, with and without the "or" divider (social buttons above it or not)."""
    from test_login_shell import development_react

    slug = passkey_profile()
    wp_eval(
        """
        $p = \\WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug($args['slug'])->to_array();
        $p['methods'] = $args['methods'];
        $saved = \\WorkOS_WP\\Profiles\\ProfileRepository::save($p, $p['id']);
        if (is_wp_error($saved)) { throw new Exception($saved->get_error_message()); }
        return true;
        """,
        {"slug": slug, "methods": methods},
    )
    root = "document.getElementById('workos-authkit-root').innerHTML"
    bare = pages()
    bare.route("**/js/login/build/index.js*", lambda r: r.fulfill(status=200, content_type="text/javascript", body=""))
    r = bare.goto(f"/workos/login/{slug}")
    if r is None or r.status == 404:
        bare.goto(f"/?workos_shell_preview=stored&profile={slug}")
    before = bare.evaluate(root)
    assert before.count('data-method="passkey"') == 1
    assert ('class="wa-divider"' in before.split("wa-passkey")[1]) == ("oauth_google" not in methods)

    page = pages()
    development_react(page, env["WP_ROOT"])
    login_page(page, slug)
    assert page.evaluate(root) == before
    shot(page, "shell-passkey-" + "-".join(methods))


def test_a_passkey_signs_in_at_every_entry_point(pages, authenticator, wp_user, emulator_url, wp_eval, wp_settings,
                                                 shot):
    """The same passkey at wp-login.php taken over (login mode `custom`), at a profile's own path and in
    the `[workos:login]` shortcode inside a page."""
    tag = uuid.uuid4().hex[:8]
    slug, path = "pk-entry-" + tag, "pk-entry-" + tag + "/sign-in"
    saved = wp_eval(
        """
        $p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
        if (is_wp_error($p)) { throw new Exception($p->get_error_message()); }
        return $p->to_array();
        """,
        {"slug": slug, "title": "Passkey entries", "methods": ["password", "passkey"], "custom_path": path},
    )
    page_id = wp_eval(
        "return wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Passkey page ' . $args[1],"
        " 'post_content' => '[workos:login profile=\"' . $args[0] . '\"]']);", [slug, tag])
    wp_settings(login_mode="custom")
    email = f"pk-entry-{tag}@example.com"
    workos = create_workos_user(emulator_url, email)
    user = wp_user("pke" + tag, email, "Passw0rd!-pk", workos_id=workos["id"])
    try:
        page = pages(user["login"])
        authenticator(page)
        register(page, shot, "Entry laptop")
        entries = {
            "wp-login": f"/wp-login.php?workos_profile={slug}&redirect_to=%2F%3Fvia%3Dwp-login",
            "custom-path": f"/{path}/?redirect_to=%2F%3Fvia%3Dcustom-path",
            "shortcode": f"/?page_id={page_id}",
        }
        for name, url in entries.items():
            wp_eval(WIPE_LIMITS)
            page.context.clear_cookies()
            page.goto(url)
            page.wait_for_selector("#workos-authkit-root[data-hydrated=true]", state="attached")
            assert json.loads(page.get_attribute("#workos-authkit-root", "data-profile"))["slug"] == slug, name
            with page.expect_navigation():
                page.get_by_role("button", name="Sign in with a passkey").click()
            assert signed_in_cookie(page), name
            if name != "shortcode":
                assert f"via={name}" in page.url, (name, page.url)
            shot(page, f"signed-in-with-passkey-{name}")
    finally:
        wp_eval("wp_delete_post($args[0], true); \\WorkOS_WP\\Profiles\\ProfileRepository::delete($args[1]); return true;",
                [page_id, saved["id"]])
