"""WorkOS failing at each step of each sign-in path: slow beyond the client's timeout, down (the
connection closed without an answer, or refused), 429 with Retry-After, 5xx, malformed JSON.

Whatever fails, the visitor waits no longer than the client's timeout (plus a margin), sees
WordPress's login screen or error page with a message (never a PHP error or a blank page), gets
in with their WordPress password where the site allows it, and the database holds no WordPress
user created or linked by the failed sign-in.
"""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from authkit import authkit_sign_in, create_org, create_workos_user, logged_in_cookie, start
from faults import KINDS, ErrorLogs, add_fault, assert_bounded, clear_faults, fault, hit, page_message, timed

PASSWORD = "Passw0rd!-faults"
LOCAL_PASSWORD = "local-Passw0rd-faults"

PASSWORD_GRANT = {"grant_type": "password"}
CODE_GRANT = {"grant_type": "authorization_code"}
ORG_SELECTION_GRANT = {"grant_type": "urn:workos:oauth:grant-type:organization-selection"}
MAGIC_GRANT = {"grant_type": "urn:workos:oauth:grant-type:magic-auth:code"}
VERIFY_GRANT = {"grant_type": "urn:workos:oauth:grant-type:email-verification:code"}
AUTHENTICATE = "/user_management/authenticate"
MEMBERSHIPS = "/user_management/organization_memberships"

ALL_KINDS = list(KINDS)
SOAK = os.environ.get("FAULTS_SOAK") == "1"
# "slow" costs the client's whole timeout per case. The timeout is one rule of the Rust client for
# every call, so `make test` proves it on three steps and `make soak` (FAULTS_SOAK=1) on all.
SLOW_IN_CI = {"test_callback_code_exchange", "test_headless_password_grant_without_fallback",
              "test_headless_entitlement_lookup"}
UNREACHABLE = re.compile(r"could not be reached|could not be checked|try again", re.I)


def unique_email(tag: str) -> str:
    return f"fault-{tag}-{uuid.uuid4().hex[:10]}@example.com"


class Site:
    """The site's settings for this module, written in one step per test (with the rate-limit
    state cleared, so earlier failures do not count), and the local users made here."""

    def __init__(self, wp_eval) -> None:
        self.wp_eval = wp_eval
        self.saved = wp_eval("return get_option('workos_settings', []);")
        self.users: list[int] = []

    def prepare(self, **settings) -> None:
        self.wp_eval(
            "global $wpdb; $wpdb->query('DELETE FROM ' . \\WorkOS_WP\\Schema::table('rate_limits'));"
            "$o = $args['saved'] ?: []; foreach ($args['set'] as $k => $v) { if (null === $v) { unset($o[$k]); } else { $o[$k] = $v; } }"
            "update_option('workos_settings', $o); return true;",
            {"saved": self.saved, "set": settings})

    def user(self, tag: str, email: str, workos_id: str | None = None) -> dict:
        login = f"{tag}{uuid.uuid4().hex[:8]}"
        uid = self.wp_eval(
            "$id = wp_insert_user(['user_login' => $args[0], 'user_email' => $args[1], 'user_pass' => $args[2], 'role' => 'subscriber']);"
            "if (is_wp_error($id)) { throw new Exception($id->get_error_message()); }"
            "if ($args[3]) { update_user_meta($id, '_workos_user_id', $args[3]); } return $id;",
            [login, email, LOCAL_PASSWORD, workos_id])
        self.users.append(uid)
        return {"id": uid, "login": login, "email": email}

    def restore(self) -> None:
        self.wp_eval("update_option('workos_settings', $args['saved'] ?: []);"
                     "require_once ABSPATH . 'wp-admin/includes/user.php'; foreach ($args['users'] as $id) { wp_delete_user($id); }"
                     "return true;", {"saved": self.saved, "users": self.users})


@pytest.fixture(scope="module")
def site(wp_eval):
    s = Site(wp_eval)
    yield s
    s.restore()


@pytest.fixture(autouse=True)
def calm(request, env, emulator_url):
    """No fault left over, and no new PHP error after."""
    callspec = getattr(request.node, "callspec", None)
    if callspec and callspec.params.get("kind") == "slow" and not SOAK and request.node.originalname not in SLOW_IN_CI:
        pytest.skip("slow beyond the timeout: on this step in `make soak` only")
    clear_faults(emulator_url)
    logs = ErrorLogs(env["RUN_DIR"])
    yield
    clear_faults(emulator_url)
    assert not logs.serious(), "PHP errors during the test:\n" + "\n".join(logs.serious()[:20])


HEADLESS = dict(login_mode="headless", allow_password_fallback=False, fallback_confirmation=True, organization_id=None,
                entitlement_gate=False)


@pytest.fixture
def headless(site):
    site.prepare(**HEADLESS)


@pytest.fixture
def redirect(site):
    site.prepare(**{**HEADLESS, "login_mode": "redirect", "allow_password_fallback": True})


@pytest.fixture
def fallback(site):
    """WordPress passwords allowed; linking by writing the password through."""
    site.prepare(**{**HEADLESS, "allow_password_fallback": True, "fallback_confirmation": False})


@pytest.fixture
def confirming(site):
    """WordPress passwords allowed; linking after a Magic Auth code."""
    site.prepare(**{**HEADLESS, "allow_password_fallback": True, "fallback_confirmation": True})


def post_login(session, wp_url, user, password):
    host = requests.utils.urlparse(wp_url).hostname
    session.cookies.set("wordpress_test_cookie", "WP Cookie check", domain=host, path="/")
    return session.post(wp_url + "/wp-login.php", allow_redirects=False,
                        data={"log": user, "pwd": password, "wp-submit": "Log In", "testcookie": "1",
                              "redirect_to": wp_url + "/wp-admin/"})


def users_with_email(wp_eval, email) -> list[int]:
    return [int(i) for i in wp_eval(
        "global $wpdb; return $wpdb->get_col($wpdb->prepare(\"SELECT ID FROM {$wpdb->users} WHERE LOWER(user_email) = LOWER(%s)\", $args));",
        email)]


def linked_to(wp_eval, workos_id) -> list[int]:
    """WordPress users linked to a WorkOS user, by the usermeta or the indexed link table."""
    return sorted({int(i) for i in wp_eval(
        "global $wpdb; $meta = $wpdb->get_col($wpdb->prepare(\"SELECT user_id FROM {$wpdb->usermeta} WHERE meta_key = '_workos_user_id' AND meta_value = %s\", $args));"
        "$links = $wpdb->get_col($wpdb->prepare('SELECT user_id FROM ' . \\WorkOS_WP\\Schema::table('links') . ' WHERE workos_id = %s', $args));"
        "return array_merge($meta, $links);", workos_id)})


def link_of(wp_eval, user_id) -> str:
    return wp_eval("clean_user_cache($args); return (string) get_user_meta($args, '_workos_user_id', true);", user_id)


def assert_nothing_written(wp_eval, email, workos_id):
    """No WordPress user was created for the person, and none linked to their WorkOS user."""
    created, linked = wp_eval(
        "global $wpdb; return [$wpdb->get_col($wpdb->prepare(\"SELECT ID FROM {$wpdb->users} WHERE LOWER(user_email) = LOWER(%s)\", $args[0])),"
        "array_merge($wpdb->get_col($wpdb->prepare(\"SELECT user_id FROM {$wpdb->usermeta} WHERE meta_key = '_workos_user_id' AND meta_value = %s\", $args[1])),"
        "$wpdb->get_col($wpdb->prepare('SELECT user_id FROM ' . \\WorkOS_WP\\Schema::table('links') . ' WHERE workos_id = %s', $args[1])))];",
        [email, workos_id])
    assert created == [], f"a WordPress user was created for {email}"
    assert linked == [], f"a WordPress user was linked to {workos_id}"


def refused(r, elapsed, session, pattern=UNREACHABLE) -> str:
    """A bounded wait, a clear page with a message, nobody signed in."""
    assert_bounded(elapsed)
    message = page_message(r)
    assert pattern.search(message), f"unclear message: {message!r}"
    assert not logged_in_cookie(session)
    return message


def signed_in_by_wordpress(r, elapsed, session):
    assert_bounded(elapsed)
    assert r.status_code == 302, page_message(r)
    assert "/wp-admin" in r.headers["Location"] and "action=" not in r.headers["Location"], r.headers["Location"]
    assert logged_in_cookie(session)


# ---------------------------------------------------------------------------------------------
# AuthKit (redirect mode): the callback's code exchange. (With an organization pinned, the
# authorization is scoped to it and WorkOS itself refuses non-members at the exchange, so the
# gate's lookup is reached in headless mode only: see below.)
# ---------------------------------------------------------------------------------------------

def callback(session, wp_url, emulator_url, email):
    flow = start(session, wp_url)
    url = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    return timed(session.get, url, allow_redirects=False)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_callback_code_exchange(kind, redirect, session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("cb-code")
    user = create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    f = add_fault(emulator_url, AUTHENTICATE, kind, when=CODE_GRANT)
    r, elapsed = callback(s, wp_url, emulator_url, email)
    assert hit(emulator_url, f["id"]) >= 1
    refused(r, elapsed, s)
    assert_nothing_written(wp_eval, email, user["id"])


# ---------------------------------------------------------------------------------------------
# Headless: the password grant, organization selection and enrolment, the gate, the JWKS.
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ALL_KINDS)
def test_headless_password_grant_without_fallback(kind, headless, session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("pw")
    user = create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    f = add_fault(emulator_url, AUTHENTICATE, kind, when=PASSWORD_GRANT)
    r, elapsed = timed(post_login, s, wp_url, email, PASSWORD)
    assert hit(emulator_url, f["id"]) >= 1
    refused(r, elapsed, s)
    assert_nothing_written(wp_eval, email, user["id"])


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_headless_password_grant_falls_back_to_the_wordpress_password(kind, confirming, site, session_factory, wp_url,
                                                                       emulator_url, wp_eval):
    email = unique_email("pwfb")
    user = create_workos_user(emulator_url, email, PASSWORD)
    local = site.user("pwfb", email)
    s = session_factory(wp_url)
    f = add_fault(emulator_url, AUTHENTICATE, kind, when=PASSWORD_GRANT)
    r, elapsed = timed(post_login, s, wp_url, local["login"], LOCAL_PASSWORD)
    assert hit(emulator_url, f["id"]) >= 1
    signed_in_by_wordpress(r, elapsed, s)
    # Linking waits for WorkOS to answer: nothing half-done.
    assert link_of(wp_eval, local["id"]) == ""
    assert linked_to(wp_eval, user["id"]) == []


@pytest.fixture
def pinned(site, emulator_url):
    """The site's organization (owning the domain of the people below), and two others."""
    tag = uuid.uuid4().hex[:8]
    orgs = [create_org(emulator_url, f"Pinned {tag}", domains=[f"corp-{tag}.example"])]
    orgs += [create_org(emulator_url, f"{n} {tag}") for n in ("Other", "Third")]
    site.prepare(**{**HEADLESS, "organization_id": orgs[0]["id"]})
    return orgs


def pinned_email(orgs, tag: str) -> str:
    return f"fault-{tag}-{uuid.uuid4().hex[:8]}@{orgs[0]['domains'][0]['domain']}"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_headless_organization_selection(kind, pinned, session_factory, wp_url, emulator_url, wp_eval):
    email = pinned_email(pinned, "orgsel")
    user = create_workos_user(emulator_url, email, PASSWORD, memberships=[
        {"organization_id": pinned[0]["id"], "role_slug": "member"},
        {"organization_id": pinned[1]["id"], "role_slug": "member"}])
    s = session_factory(wp_url)
    f = add_fault(emulator_url, AUTHENTICATE, kind, when=ORG_SELECTION_GRANT)
    r, elapsed = timed(post_login, s, wp_url, email, PASSWORD)
    assert hit(emulator_url, f["id"]) >= 1
    refused(r, elapsed, s)
    assert_nothing_written(wp_eval, email, user["id"])


ENROLMENT_STEPS = {
    # Whether the organization owns the person's email domain.
    "organization_lookup": ("/organizations/*", "GET"),
    # The membership itself.
    "membership_create": (MEMBERSHIPS, "POST"),
}


@pytest.mark.parametrize("step", list(ENROLMENT_STEPS))
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_headless_enrolment_into_the_pinned_organization(kind, step, pinned, site, session_factory, wp_url,
                                                         emulator_url, wp_eval):
    email = pinned_email(pinned, "enrol")
    user = create_workos_user(emulator_url, email, PASSWORD, memberships=[
        {"organization_id": pinned[1]["id"], "role_slug": "member"},
        {"organization_id": pinned[2]["id"], "role_slug": "member"}])
    local = site.user("enrol", email, workos_id=user["id"])
    roles_before = wp_eval("return get_userdata($args)->roles;", local["id"])
    s = session_factory(wp_url)
    path, method = ENROLMENT_STEPS[step]
    f = add_fault(emulator_url, path, kind, method=method)
    r, elapsed = timed(post_login, s, wp_url, email, PASSWORD)
    assert hit(emulator_url, f["id"]) >= 1
    refused(r, elapsed, s)
    assert linked_to(wp_eval, user["id"]) == [local["id"]]
    assert users_with_email(wp_eval, email) == [local["id"]]
    assert wp_eval("clean_user_cache($args); return get_userdata($args)->roles;", local["id"]) == roles_before


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_headless_entitlement_lookup(kind, site, session_factory, wp_url, emulator_url, wp_eval):
    org = create_org(emulator_url, f"Gate {uuid.uuid4().hex[:6]}")
    site.prepare(**{**HEADLESS, "organization_id": org["id"], "entitlement_gate": True})
    email = unique_email("gate")
    user = create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    f = add_fault(emulator_url, MEMBERSHIPS, kind, method="GET")
    r, elapsed = timed(post_login, s, wp_url, email, PASSWORD)
    assert hit(emulator_url, f["id"]) >= 1
    refused(r, elapsed, s)
    assert_nothing_written(wp_eval, email, user["id"])


@pytest.fixture
def fresh_jwks(env, emulator_url):
    """A signing key no worker has seen, so verifying the next token needs WorkOS's JWKS; afterwards
    every worker forgets what it cached (memory and files), so later tests fetch the JWKS again."""
    forget_jwks(env)  # nobody holds keys, nor remembers a recent fetch
    r = requests.post(emulator_url + "/__emulator/rotate-key", timeout=30)
    assert r.status_code < 300, r.text
    yield
    clear_faults(emulator_url)
    forget_jwks(env)


def forget_jwks(env):
    run = Path(env["RUN_DIR"])
    cache = run / "jwks-cache"
    if cache.is_dir():
        for f in cache.iterdir():
            f.unlink()
    master = int((run / "php-fpm.pid").read_text().strip())
    before = fpm_workers(master)
    subprocess.run(["kill", "-USR2", str(master)], check=True)  # graceful reload: new workers
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        now = fpm_workers(master)
        if now and not (now & before):
            return
        time.sleep(0.2)
    raise AssertionError("php-fpm did not replace its workers")


def fpm_workers(master: int) -> set[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_headless_jwks_fetch(kind, headless, fresh_jwks, session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("jwks")
    user = create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    f = add_fault(emulator_url, "/sso/jwks/*", kind, method="GET")
    r, elapsed = timed(post_login, s, wp_url, email, PASSWORD)
    assert hit(emulator_url, f["id"]) >= 1
    # An outage, said as one: not "WorkOS returned a session this site cannot verify".
    refused(r, elapsed, s)
    assert_nothing_written(wp_eval, email, user["id"])


# ---------------------------------------------------------------------------------------------
# The WordPress password, confirmed by a Magic Auth code (send, then verify) or written through.
# ---------------------------------------------------------------------------------------------

def code_form(session, r):
    assert r.status_code == 302 and "action=workos_" in r.headers.get("Location", ""), page_message(r)
    form = session.get(r.headers["Location"], allow_redirects=False)
    assert form.status_code == 200 and 'name="code"' in form.text, form.text[:1000]
    return html.unescape(re.search(r'name="token" value="([^"]+)"', form.text).group(1))


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_fallback_confirmation_code_cannot_be_sent(kind, confirming, site, session_factory, wp_url, emulator_url,
                                                   wp_eval):
    email = unique_email("mksend")
    user = create_workos_user(emulator_url, email, PASSWORD)
    local = site.user("mksend", email)
    s = session_factory(wp_url)
    f = add_fault(emulator_url, "/user_management/magic_auth", kind, method="POST")
    r, elapsed = timed(post_login, s, wp_url, local["login"], LOCAL_PASSWORD)
    assert hit(emulator_url, f["id"]) >= 1
    # The code guards the link, not the sign-in: as when WorkOS cannot be reached at all, the
    # WordPress password (allowed here) signs in, and nothing is linked until a code can be sent.
    signed_in_by_wordpress(r, elapsed, s)
    assert link_of(wp_eval, local["id"]) == ""
    assert wp_eval("global $wpdb; return (int) $wpdb->get_var($wpdb->prepare(\"SELECT COUNT(*) FROM \" . "
                   "\\WorkOS_WP\\Schema::table('activity_log') . \" WHERE type = 'fallback_confirmation_failed' AND user_id = %d\", $args));",
                   local["id"]) >= 1
    assert linked_to(wp_eval, user["id"]) == []


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_fallback_confirmation_code_cannot_be_checked(kind, confirming, site, session_factory, wp_url, emulator_url,
                                                      wp_eval):
    email = unique_email("mkverify")
    user = create_workos_user(emulator_url, email, PASSWORD)
    local = site.user("mkverify", email)
    s = session_factory(wp_url)
    token = code_form(s, post_login(s, wp_url, local["login"], LOCAL_PASSWORD))
    code = requests.get(emulator_url + "/__emulator/magic_auth", params={"email": email}, timeout=10).json()["code"]
    with fault(emulator_url, AUTHENTICATE, kind, when=MAGIC_GRANT) as f:
        r, elapsed = timed(s.post, wp_url + "/wp-login.php?action=workos_confirm", data={"token": token, "code": code},
                           allow_redirects=False)
        assert hit(emulator_url, f["id"]) >= 1
    # Not "wrong code": WorkOS did not answer, and the form is there to try again.
    message = refused(r, elapsed, s)
    assert "not valid" not in message
    assert 'name="code"' in r.text
    assert link_of(wp_eval, local["id"]) == ""
    if kind != "slow":  # a slow answer may have used the code at WorkOS after all
        done = s.post(wp_url + "/wp-login.php?action=workos_confirm", data={"token": token, "code": code},
                      allow_redirects=False)
        assert done.status_code == 302, page_message(done)
        assert logged_in_cookie(s)
        assert link_of(wp_eval, local["id"]) == user["id"]


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_fallback_write_through_user_lookup(kind, fallback, site, session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("through")
    user = create_workos_user(emulator_url, email, PASSWORD)
    local = site.user("through", email)
    s = session_factory(wp_url)
    f = add_fault(emulator_url, "/user_management/users", kind, method="GET")
    r, elapsed = timed(post_login, s, wp_url, local["login"], LOCAL_PASSWORD)
    assert hit(emulator_url, f["id"]) >= 1
    signed_in_by_wordpress(r, elapsed, s)
    assert link_of(wp_eval, local["id"]) == ""
    assert linked_to(wp_eval, user["id"]) == []


# ---------------------------------------------------------------------------------------------
# Email verification: the emailed code of an unverified WorkOS user.
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ALL_KINDS)
def test_email_verification_code_cannot_be_checked(kind, headless, session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("verify")
    user = create_workos_user(emulator_url, email, PASSWORD, email_verified=False)
    s = session_factory(wp_url)
    token = code_form(s, post_login(s, wp_url, email, PASSWORD))
    state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
    [code] = [v["code"] for v in state["email_verifications"] if v["email"] == email]
    with fault(emulator_url, AUTHENTICATE, kind, when=VERIFY_GRANT) as f:
        r, elapsed = timed(s.post, wp_url + "/wp-login.php?action=workos_verify", data={"token": token, "code": code},
                           allow_redirects=False)
        assert hit(emulator_url, f["id"]) >= 1
    message = refused(r, elapsed, s)
    assert "not valid" not in message
    assert_nothing_written(wp_eval, email, user["id"])
    if kind != "slow":
        done = s.post(wp_url + "/wp-login.php?action=workos_verify", data={"token": token, "code": code},
                      allow_redirects=False)
        assert done.status_code == 302, page_message(done)
        assert logged_in_cookie(s)
        assert linked_to(wp_eval, user["id"]) == users_with_email(wp_eval, email) != []


def test_email_verification_outage_keeps_the_form(headless, session_factory, wp_url, emulator_url, wp_eval):
    """Every emailed-code step (CodeStep) answers an outage alike: not the code's fault, so the form
    stays for another try — as the fallback confirmation's always did."""
    email = unique_email("verify-form")
    user = create_workos_user(emulator_url, email, PASSWORD, email_verified=False)
    s = session_factory(wp_url)
    token = code_form(s, post_login(s, wp_url, email, PASSWORD))
    with fault(emulator_url, AUTHENTICATE, "error", when=VERIFY_GRANT) as f:
        r, elapsed = timed(s.post, wp_url + "/wp-login.php?action=workos_verify", data={"token": token, "code": "000000"},
                           allow_redirects=False)
        assert hit(emulator_url, f["id"]) >= 1
    message = refused(r, elapsed, s)
    assert "not valid" not in message
    assert 'name="code"' in r.text and html.escape(token) in r.text
    assert_nothing_written(wp_eval, email, user["id"])


# ---------------------------------------------------------------------------------------------
# WorkOS entirely unreachable (connection refused), and what an outage leaves behind.
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def refused_url():
    """An API base URL nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_refused_connection_callback(redirect, site, refused_url, session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("refused-cb")
    user = create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    flow = start(s, wp_url)  # the authorization URL is built here, without calling WorkOS
    url = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    site.prepare(**{**HEADLESS, "login_mode": "redirect", "api_base_url": refused_url})
    r, elapsed = timed(s.get, url, allow_redirects=False)
    refused(r, elapsed, s)
    assert_nothing_written(wp_eval, email, user["id"])


def test_refused_connection_headless(site, refused_url, session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("refused-pw")
    local = site.user("refused", email)
    site.prepare(**{**HEADLESS, "api_base_url": refused_url})
    s = session_factory(wp_url)
    refused(*timed(post_login, s, wp_url, local["login"], LOCAL_PASSWORD), s)
    site.prepare(**{**HEADLESS, "api_base_url": refused_url, "allow_password_fallback": True})
    s = session_factory(wp_url)
    signed_in_by_wordpress(*timed(post_login, s, wp_url, local["login"], LOCAL_PASSWORD), s)
    assert link_of(wp_eval, local["id"]) == ""


def test_an_outage_is_not_counted_as_guessing(headless, session_factory, wp_url, emulator_url, wp_eval):
    """Sign-in attempts WorkOS could not answer are not wrong passwords: once WorkOS is back, the
    person gets in at once instead of being locked out by the per-account limit."""
    email = unique_email("outage")
    user = create_workos_user(emulator_url, email, PASSWORD)
    with fault(emulator_url, AUTHENTICATE, "error", when=PASSWORD_GRANT):
        for _ in range(7):  # more than the per-account limit of failures (5)
            s = session_factory(wp_url)
            refused(*timed(post_login, s, wp_url, email, PASSWORD), s)
    s = session_factory(wp_url)
    r = post_login(s, wp_url, email, PASSWORD)
    assert r.status_code == 302, page_message(r)
    assert logged_in_cookie(s)
    assert linked_to(wp_eval, user["id"]) == users_with_email(wp_eval, email) != []
