"""Issue 10: settings that could lock people out are checked live before they are saved.

The real settings form is posted (options.php with its nonce, through an administrator's session) and
the screen it redirects to is read as the owner sees it: a refused value is named beside its field with
the value still in the field, the old value stays in the database, and the notice says what was and was
not saved. The Test connection button's endpoint (admin-ajax) is called as the screen's script calls it.
"""

from __future__ import annotations

import html as htmllib
import re
import uuid

import pytest
import requests

from faults import fault
from test_security_multisite import EFFECTIVE, ms, ms_eval, network_settings, superadmin  # noqa: F401  (fixtures)
from test_settings import admin, save_tab  # noqa: F401  (the admin fixture)

MADE_UP_ORG = "org_01MADEUP" + "X" * 14
MADE_UP_CONN = "conn_01MADEUP" + "X" * 13
WRONG_KEY = "sk_test_wrong_key_0000000000001234"


def page_text(html: str) -> str:
    """The page as words (tags removed, entities decoded), for messages."""
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))


def field_error(html: str, field_id: str) -> str:
    """The error shown beside a field (its `<id>-error` note), as text; '' when none."""
    m = re.search(r'id="' + re.escape(field_id) + r'-error"[^>]*>(.*?)</div>', html, re.S)
    return page_text(m.group(1)).strip() if m else ""


def notices(html: str) -> str:
    """The notices at the top of the screen (settings_errors), as text."""
    return " ".join(page_text(m) for m in re.findall(r"""<div[^>]+class=["'][^"']*notice[^"']*settings-error[^"']*["'][^>]*>(.*?)</div>""", html, re.S))


def stored(wp_eval) -> dict:
    return wp_eval("return get_option('workos_settings', []);")


def new_org(emulator_url: str) -> dict:
    r = requests.post(emulator_url + "/__emulator/organizations", json={"name": "Checks " + uuid.uuid4().hex[:6]}, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()


# --- Organization and connection IDs must exist at WorkOS -------------------------------------------


def test_made_up_organization_id_is_refused_beside_the_field_and_kept_in_it(admin, wp_eval, wp_settings, emulator_url):
    wp_settings()
    org = new_org(emulator_url)
    save_tab(admin, "organization", {"environments][production][organization_id": org["id"]})
    assert wp_eval("return WorkOS_WP\\Settings::get('organization_id');") == org["id"]

    page = save_tab(admin, "organization", {"environments][production][organization_id": org["id"],
                                             "_organization_manual": MADE_UP_ORG, "entitlement_gate": "1"})
    # The old value stays in the database; the rest of the form is saved.
    assert wp_eval("return WorkOS_WP\\Settings::get('organization_id');") == org["id"]
    assert stored(wp_eval)["entitlement_gate"] is True
    # Beside the field: what is wrong, naming the value; the value is still in the field.
    error = field_error(page, "workos_production_organization_id")
    assert MADE_UP_ORG in error and "WorkOS" in error, error or page_text(page)[:2000]
    assert re.search(r'<option value="' + MADE_UP_ORG + r'"[^>]*selected', page), "the refused id is not kept in the field"
    assert "Settings saved." not in page_text(page)
    # A reload shows the stored value again (the refused one was for that one screen).
    again = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": "organization"}).text
    assert MADE_UP_ORG not in again


def test_malformed_organization_id_is_refused(admin, wp_eval, wp_settings):
    wp_settings()
    before = wp_eval("return WorkOS_WP\\Settings::get('organization_id');")
    page = save_tab(admin, "organization", {"_organization_manual": "acme corp"})
    assert wp_eval("return WorkOS_WP\\Settings::get('organization_id');") == before
    assert "org_" in field_error(page, "workos_production_organization_id")


def test_made_up_connection_id_is_refused_and_a_real_one_saved(admin, wp_eval, wp_settings, emulator_url):
    wp_settings(connection_id=None)
    page = save_tab(admin, "settings", {"connection_id": MADE_UP_CONN})
    assert stored(wp_eval).get("connection_id", "") == ""
    error = field_error(page, "workos_connection_id")
    assert MADE_UP_CONN in error, error or page_text(page)[:2000]
    assert re.search(r'id="workos_connection_id"[^>]*value="' + MADE_UP_CONN + '"', page) or \
        re.search(r'value="' + MADE_UP_CONN + r'"[^>]*id="workos_connection_id"', page), "the refused id is not kept in the field"

    org = new_org(emulator_url)
    conn = requests.post(emulator_url + "/__emulator/connections", json={"organization_id": org["id"]}, timeout=10).json()
    page = save_tab(admin, "settings", {"connection_id": conn["id"]})
    assert stored(wp_eval)["connection_id"] == conn["id"]
    assert field_error(page, "workos_connection_id") == ""


# --- Credentials ---------------------------------------------------------------------------------------


def test_a_wrong_api_key_is_refused_not_saved_silently(admin, wp_eval, wp_settings, env):
    wp_settings()
    page = save_tab(admin, "settings", {"environments][production][api_key": WRONG_KEY})
    assert wp_eval("return WorkOS_WP\\Settings::get('api_key');") == env["API_KEY"]  # the working key stays
    assert WRONG_KEY not in page  # a secret is never printed back, even a wrong one
    error = field_error(page, "workos_production_api_key")
    assert "API key" in error and "rejected" in error, error or page_text(page)[:2000]
    assert "Settings saved." not in page_text(page)
    assert "not saved" in notices(page)


def test_a_key_workos_cannot_confirm_now_is_saved_with_a_warning(admin, wp_eval, wp_settings, emulator_url):
    wp_settings()
    other = "sk_test_emulator_unconfirmed_5678"
    with fault(emulator_url, "/organizations", "error"):
        page = save_tab(admin, "settings", {"environments][production][api_key": other})
    # Saved (WorkOS did not say it is wrong) …
    assert wp_eval("return WorkOS_WP\\Settings::get('api_key');") == other
    # … with a prominent warning, not a plain "Settings saved."
    assert re.search(r"""class=["'][^"']*notice-warning""", page)
    text = notices(page)
    assert "could not" in text and "API key" in text, text


def test_switching_to_an_environment_without_credentials_warns(admin, wp_eval, wp_settings):
    wp_settings(environments={"staging": {}})
    page = save_tab(admin, "settings", {"environment": "staging"})
    assert stored(wp_eval)["environment"] == "staging"
    text = notices(page)
    assert re.search(r"""class=["'][^"']*notice-warning""", page)
    assert "Staging" in text and "API key" in text and "client ID" in text, text


def test_switching_to_an_environment_whose_key_workos_rejects_is_refused(admin, wp_eval, wp_settings, env):
    wp_settings(environment="production", environments={
        "staging": {"api_key": WRONG_KEY, "client_id": env["CLIENT_ID"], "api_base_url": env["API_BASE_URL"]}})
    page = save_tab(admin, "settings", {"environment": "staging"})
    assert wp_eval("return WorkOS_WP\\Settings::environment();") == "production"
    error = field_error(page, "workos_environment")
    assert "Staging" in error and "rejected the API key" in error and "stays Production" in error, error or page_text(page)[:2000]


def test_wrong_credentials_of_the_inactive_environment_are_saved_with_a_warning(admin, wp_eval, wp_settings, env):
    """Nobody signs in with them until that environment is made active (which checks them again)."""
    wp_settings(environment="production", environments={"staging": {"api_base_url": env["API_BASE_URL"]}})
    page = save_tab(admin, "settings", {"environments][staging][api_key": WRONG_KEY,
                                         "environments][staging][client_id": env["CLIENT_ID"],
                                         "environments][staging][api_base_url": env["API_BASE_URL"]})
    assert wp_eval("return WorkOS_WP\\Settings::get('api_key', 'staging');") == WRONG_KEY
    text = notices(page)
    assert "Staging — API key: WorkOS rejected the API key" in text and "not the active environment" in text, text


# --- Redirect targets must be on this site ----------------------------------------------------------------


def test_off_site_redirect_targets_are_refused_with_the_reason(admin, wp_eval, wp_settings):
    wp_settings(login_redirect_default="/welcome/", logout_redirects={"editor": "/bye/"})
    page = save_tab(admin, "settings", {
        "login_redirect_default": "https://evil.example/phish",
        "logout_redirects": "editor = https://evil.example/\nsubscriber = /see-you/",
        "logout_redirect_default": "//evil.example/x",
    })
    after = stored(wp_eval)
    assert after["login_redirect_default"] == "/welcome/"
    assert after["logout_redirects"] == {"editor": "/bye/"}
    assert after.get("logout_redirect_default", "") == ""
    error = field_error(page, "workos_login_redirect_default")
    assert "evil.example" in error and "this site" in error, error or page_text(page)[:2000]
    assert "evil.example" in field_error(page, "workos_logout_redirects")
    assert "evil.example" in field_error(page, "workos_logout_redirect_default")
    assert 'value="https://evil.example/phish"' in page  # kept in the field

    # Paths and this site's own URLs are fine.
    home = wp_eval("return home_url('/members/');")
    save_tab(admin, "settings", {"login_redirect_default": home, "logout_redirect_default": "/goodbye/"})
    after = stored(wp_eval)
    assert after["login_redirect_default"] == home and after["logout_redirect_default"] == "/goodbye/"


# --- What was and was not saved -----------------------------------------------------------------------------


def test_a_partial_save_says_what_was_and_was_not_saved(admin, wp_eval, wp_settings):
    wp_settings(login_mode="redirect", provider="authkit", login_redirect_default="", connection_id=None)
    page = save_tab(admin, "settings", {
        # The boxes of the tab as they are (an unticked box is a change).
        "allow_password_fallback": "1", "fallback_confirmation": "1",
        "login_mode": "headless",
        "provider": "GoogleOAuth",
        "login_redirect_default": "/hello/",
        "connection_id": MADE_UP_CONN,
    })
    after = stored(wp_eval)
    assert (after["login_mode"], after["provider"], after["login_redirect_default"]) == ("headless", "GoogleOAuth", "/hello/")
    text = notices(page)
    assert "3 settings saved; 1 not saved: Connection ID — " in text, text


def test_a_bad_demote_role_is_reported_under_its_own_name(admin, wp_eval, wp_settings):
    wp_settings()
    page = save_tab(admin, "users", {"deprovision_role": "overlord"})
    assert stored(wp_eval).get("deprovision_role", "subscriber") != "overlord"
    beside = field_error(page, "workos_deprovision_role")
    assert beside.startswith("Demote to role:") and "overlord" in beside, beside or page_text(page)[:2000]
    text = notices(page)
    assert "Demote to role" in text and "Default role" not in text, text


# --- The Organization tab when WorkOS rejects the key -------------------------------------------------------


def test_organization_tab_says_when_workos_rejects_the_key(admin, wp_settings):
    wp_settings(api_key=WRONG_KEY)
    page = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": "organization"}).text
    text = page_text(page)
    assert "rejected the API key" in text, text[:3000]
    assert re.search(r"""class=["'][^"']*notice-error""", page)


# --- Test connection ------------------------------------------------------------------------------------------


def ajax_nonce(admin) -> str:
    page = admin.get("/wp-admin/options-general.php", params={"page": "workos"}).text
    m = re.search(r'data-nonce="([^"]+)"', page)
    assert m, "no Test connection button on the settings screen"
    return m.group(1)


def call_test_connection(session, nonce, **fields):
    data = {"action": "workos_test_connection", "_ajax_nonce": nonce, **fields}
    return session.post("/wp-admin/admin-ajax.php", data=data, allow_redirects=False)


def test_test_connection_checks_the_typed_values(admin, env):
    nonce = ajax_nonce(admin)
    # The form never shows the stored key: a blank key field means the stored key.
    r = call_test_connection(admin, nonce, environment="production", api_key="", client_id=env["CLIENT_ID"],
                        api_base_url=env["API_BASE_URL"])
    assert r.status_code == 200, r.text[:500]
    body = r.json()
    assert body["ok"] is True, body
    assert isinstance(body["ms"], int) and body["ms"] >= 0
    assert [c["id"] for c in body["checks"]] == ["api_key", "client_id", "jwks"]
    assert all(c["ok"] for c in body["checks"])

    r = call_test_connection(admin, nonce, environment="production", api_key=WRONG_KEY, client_id=env["CLIENT_ID"],
                        api_base_url=env["API_BASE_URL"])
    body = r.json()
    assert body["ok"] is False
    assert body["checks"][0]["id"] == "api_key" and body["checks"][0]["ok"] is False
    assert WRONG_KEY not in r.text

    r = call_test_connection(admin, nonce, environment="production", api_key="", client_id="client_not_at_workos",
                        api_base_url=env["API_BASE_URL"])
    body = r.json()
    assert body["ok"] is False and body["checks"][1]["ok"] is False


def test_test_connection_needs_the_nonce_and_manage_options(admin, wp_eval, session_factory, wp_url, wp_user):
    r = call_test_connection(admin, "0", environment="production")
    assert r.status_code == 403
    user = wp_user("checks_" + uuid.uuid4().hex[:6], f"checks_{uuid.uuid4().hex[:6]}@example.com", "pw-" + uuid.uuid4().hex)
    minted = wp_eval(
        """
        $exp = time() + 3600;
        $token = WP_Session_Tokens::get_instance($args)->create($exp);
        $logged_in = wp_generate_auth_cookie($args, $exp, 'logged_in', $token);
        $_COOKIE[LOGGED_IN_COOKIE] = $logged_in;
        wp_set_current_user($args);
        return [[[AUTH_COOKIE, wp_generate_auth_cookie($args, $exp, 'auth', $token)], [LOGGED_IN_COOKIE, $logged_in]],
                wp_create_nonce('workos_test_connection')];
        """,
        user["id"],
    )
    s = session_factory(wp_url)
    for name, value in minted[0]:
        s.cookies.set(name, value, domain="127.0.0.1", path="/")
    r = call_test_connection(s, minted[1], environment="production")
    assert r.status_code == 403, r.text[:300]
    assert "checks" not in r.text


# --- The network's settings form ----------------------------------------------------------------------------


def test_the_network_form_refuses_a_wrong_key_too(superadmin, ms, ms_eval, network_settings):  # noqa: F811
    page = superadmin.get("wp-admin/network/settings.php", params={"page": "workos"}).text
    nonce = re.search(r'name="_wpnonce" value="([^"]+)"', page).group(1)
    r = superadmin.post("wp-admin/network/edit.php?action=workos", allow_redirects=False,
                        data={"_wpnonce": nonce, "workos_settings[_form]": "network",
                              "workos_settings[deprovision_action]": "demote",
                              "workos_settings[environments][production][api_key]": WRONG_KEY})
    assert r.status_code == 302, r.text[:300]
    shown = superadmin.get(r.headers["Location"]).text
    assert ms_eval(EFFECTIVE, 1)["api_key"] == ms["API_KEY"]  # the working key stays
    assert ms_eval(EFFECTIVE, 1)["deprovision_action"] == "demote"  # the rest is saved
    assert "rejected" in field_error(shown, "workos_production_api_key")
    assert "1 setting saved; 1 not saved: API key" in notices(shown), notices(shown)
    assert "Settings saved." not in page_text(shown)
