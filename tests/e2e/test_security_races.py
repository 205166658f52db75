"""Issue 8, races under load: parallel sign-ins and webhooks about the same person create one account and keep
every session; many people signing in at once all get in (or fail cleanly) through nginx + php-fpm.

Each browser comes from its own address (X-Forwarded-For through the trusted local proxy), as real browsers do,
so per-address limits play no part here.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from authkit import authkit_sign_in, create_org, create_workos_user, logged_in_cookie, start
from webhooks import deliver, directory, directory_user, envelope, organization, uid, workos_user

PASSWORD = "Passw0rd!-e2e"


@pytest.fixture
def proxied(wp_settings, wp_eval):
    """Client addresses from X-Forwarded-For (127.0.0.1 is the trusted proxy); no leftover rate limits."""
    wipe = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"
    wp_eval(wipe)
    wp_settings(trusted_proxies=["127.0.0.1"], login_mode="redirect")
    yield wp_settings
    wp_eval(wipe)


def address(i: int, salt: int) -> str:
    return f"2001:db8:{salt:x}::{i + 1:x}"


def prepare(session_factory, wp_url, emulator_url, email, ip):
    """A browser that went through AuthKit and now holds the callback URL (not yet visited)."""
    s = session_factory(wp_url)
    s.headers["X-Forwarded-For"] = ip
    flow = start(s, wp_url)
    return s, authkit_sign_in(emulator_url, flow, email, PASSWORD)


def fire(calls):
    """Runs every callable at once (a barrier releases them together); results in order."""
    gate = threading.Barrier(len(calls))

    def run(fn):
        gate.wait(timeout=120)
        return fn()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def callback(s, url):
    def go():
        try:
            r = s.get(url, allow_redirects=False, timeout=120)
            return r.status_code, r.headers.get("Location", ""), r.text[:300] if r.status_code != 302 else ""
        except requests.RequestException as exc:  # a dropped connection is not a clean failure
            return 0, "", repr(exc)
    return go


def users_with_email(wp_eval, email):
    return wp_eval("global $wpdb; return array_map('intval', $wpdb->get_col($wpdb->prepare("
                   "\"SELECT ID FROM {$wpdb->users} WHERE user_email = %s ORDER BY ID\", $args)));", email)


def is_signed_in(s) -> bool:
    r = s.get("/wp-admin/profile.php", allow_redirects=False)
    return r.status_code == 200 and "profile" in r.text


def test_fifty_parallel_first_sign_ins_of_one_person_make_one_account_and_keep_every_session(
        proxied, session_factory, wp_url, emulator_url, wp_eval):
    email = f"race-{uuid.uuid4().hex[:10]}@example.com"
    workos = create_workos_user(emulator_url, email, PASSWORD)
    salt = uuid.uuid4().int % 0xffff
    with ThreadPoolExecutor(max_workers=10) as pool:
        browsers = list(pool.map(lambda i: prepare(session_factory, wp_url, emulator_url, email, address(i, salt)),
                                 range(50)))
    results = fire([callback(s, url) for s, url in browsers])
    assert all(status == 302 and location == wp_url + "/wp-admin/" for status, location, _ in results), results

    # One WordPress account, linked to the WorkOS user …
    [user_id] = users_with_email(wp_eval, email)
    assert wp_eval("return get_user_meta($args, '_workos_user_id', true);", user_id) == workos["id"]
    # … and every browser is signed in: no session overwrote another.
    assert all(logged_in_cookie(s) for s, _ in browsers)
    with ThreadPoolExecutor(max_workers=10) as pool:
        signed_in = list(pool.map(lambda b: is_signed_in(b[0]), browsers))
    assert signed_in.count(True) == 50, f"{signed_in.count(False)} of 50 browsers lost their session"
    assert wp_eval("return count(WP_Session_Tokens::get_instance($args)->get_all());", user_id) == 50


def test_two_hundred_people_signing_in_at_once_all_get_in(proxied, session_factory, wp_url, emulator_url, wp_eval):
    tag = uuid.uuid4().hex[:8]
    emails = [f"crowd-{tag}-{i}@example.com" for i in range(200)]
    salt = uuid.uuid4().int % 0xffff
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda e: create_workos_user(emulator_url, e, PASSWORD), emails))
        browsers = list(pool.map(lambda i: prepare(session_factory, wp_url, emulator_url, emails[i], address(i, salt)),
                                 range(200)))
    started = time.monotonic()
    results = fire([callback(s, url) for s, url in browsers])
    elapsed = time.monotonic() - started
    failed = [(emails[i], r) for i, r in enumerate(results) if r[0] != 302 or r[1] != wp_url + "/wp-admin/"]
    assert not failed, f"{len(failed)} of 200 failed, e.g. {failed[:3]}"
    print(f"\n200 concurrent AuthKit callbacks in {elapsed:.1f} s ({200 / elapsed:.0f} sign-ins/s)")
    # One account each, holding the one session its browser got.
    counts = wp_eval("global $wpdb; $out = []; foreach ($args as $e) { $ids = $wpdb->get_col($wpdb->prepare("
                     "\"SELECT ID FROM {$wpdb->users} WHERE user_email = %s\", $e));"
                     " $out[] = [count($ids), $ids ? count(WP_Session_Tokens::get_instance((int) $ids[0])->get_all()) : 0]; }"
                     " return $out;", emails)
    assert counts == [[1, 1]] * 200
    # And the cookies work (a sample: each request boots WordPress).
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(lambda b: is_signed_in(b[0]), browsers[::10]))


def test_webhooks_and_a_sign_in_about_the_same_new_person_make_one_account(
        proxied, session_factory, wp_url, emulator_url, wp_eval, env):
    """dsync.user.created and user.created arrive while the same person's first sign-in is under way.

    The directory event creates an account as the sign-in does. Pair after pair, the three requests are sent
    a little apart (see `offset`), so that in some pairs both create at the same moment: before the account
    lock, about half of the 16 people ended up with two accounts.
    """
    domain = f"race-{uuid.uuid4().hex[:6]}.test"
    org = create_org(emulator_url, "Race " + domain, domains=[domain])
    hook = lambda kind, data: deliver(wp_url, env["WEBHOOK_SECRET"], envelope(kind, data))  # noqa: E731
    assert hook("organization.created", organization(org["id"], org["name"], domains=[domain])).status_code == 200
    proxied(organization_id=org["id"])
    directory_id = uid("directory")
    assert hook("dsync.activated", directory(directory_id, org["id"])).json()["outcome"] == "recorded"
    salt = uuid.uuid4().int % 0xffff
    pairs = 16

    def person(i):
        email = f"both-{i}-{uuid.uuid4().hex[:6]}@{domain}"
        workos = create_workos_user(emulator_url, email, PASSWORD,
                                    memberships=[{"organization_id": org["id"], "role_slug": "member"}])
        s, url = prepare(session_factory, wp_url, emulator_url, email, address(i, salt))
        return email, workos, uid("directory_user"), s, url

    with ThreadPoolExecutor(max_workers=8) as pool:
        people = list(pool.map(person, range(pairs)))

    def send(kind, data, delay):
        def go():
            time.sleep(delay)
            r = hook(kind, data)
            return r.status_code, r.json().get("outcome") if r.status_code == 200 else r.text[:200]
        return go

    def visit(s, url, delay):
        def go():
            time.sleep(delay)
            return callback(s, url)()
        return go

    # A webhook takes longer than a callback to reach the point where it creates the account: most pairs
    # hold the callback back a little (up to 300 ms), a few send the webhooks late instead.
    outcomes = []
    for i, (email, workos, du, s, url) in enumerate(people):
        offset = -0.3 + 0.35 * i / (pairs - 1)
        sign_in, dsync, webhook = fire([
            visit(s, url, max(0.0, -offset)),
            send("dsync.user.created", directory_user(du, email, org["id"], directory_id=directory_id), max(0.0, offset)),
            send("user.created", workos_user(workos["id"], email), max(0.0, offset))])
        assert sign_in[0] == 302 and sign_in[1] == wp_url + "/wp-admin/", (email, sign_in)
        assert dsync[0] == 200 and webhook[0] == 200, (dsync, webhook)
        outcomes.append(dsync[1])
    accounts = dict(zip([p[0] for p in people], wp_eval(
        "global $wpdb; $out = []; foreach ($args as $e) { $out[] = array_map('intval', $wpdb->get_col($wpdb->prepare("
        "\"SELECT ID FROM {$wpdb->users} WHERE user_email = %s ORDER BY ID\", $e))); } return $out;",
        [p[0] for p in people])))
    # The directory event did create or link (it was not ignored), in either order.
    assert set(outcomes) <= {"created", "linked"}, outcomes
    duplicated = {e: ids for e, ids in accounts.items() if len(ids) != 1}
    assert not duplicated, f"{len(duplicated)} of {pairs} people got several accounts: {duplicated} ({outcomes})"
    links = wp_eval("$out = []; foreach ($args as $id) { $out[] = [get_user_meta($id, '_workos_user_id', true),"
                    " get_user_meta($id, '_workos_directory_user_id', true)]; } return $out;",
                    [accounts[p[0]][0] for p in people])
    assert links == [[p[1]["id"], p[2]] for p in people]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(lambda p: is_signed_in(p[3]), people))
