"""The sign-in wing's shape: wp-login.php's screens are `login_form_{action}` hooks (as
WordPress/two-factor registers its own), and the classes of php-shim/src/SignIn depend on each
other one way only — the callback trip reads Callback → Flow → SignIn → Users / Gate / RoleMap →
Redirects, and sign-in and Bearer auth share one token policy without knowing each other."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ["login", "register", "lostpassword", "retrievepassword", "logout", "workos_confirm", "workos_verify"]


def graph() -> dict[str, set[str]]:
    """scripts/php-deps.php's graph: class -> the classes it uses (names relative to WorkOS_WP)."""
    out = subprocess.run(["php", str(ROOT / "scripts/php-deps.php")], capture_output=True, text=True, cwd=ROOT).stdout
    edges: dict[str, set[str]] = {}
    for line in out.splitlines():
        m = re.match(r"^  (\S+) -> (.*)$", line)
        if m:
            edges[m.group(1)] = set() if m.group(2) == "(nothing)" else set(m.group(2).split(", "))
    assert "SignIn\\SignIn" in edges, out[:2000]
    return edges


def reaches(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), set()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_wp_login_screens_are_login_form_hooks(wp_eval):
    got = wp_eval(
        """
        global $wp_filter;
        $ours = [];
        foreach ($wp_filter['login_init']->callbacks ?? [] as $callbacks) {
            foreach ($callbacks as $cb) {
                $f = $cb['function'];
                if (is_array($f) && is_string($f[0]) && 0 === strpos($f[0], 'WorkOS_WP\\\\')) { $ours[] = $f[0] . '::' . $f[1]; }
            }
        }
        $hooks = [];
        foreach ($args as $a) { $hooks[$a] = false !== has_action('login_form_' . $a); }
        return ['login_init' => $ours, 'hooks' => $hooks];
        """,
        SCREENS,
    )
    assert got["login_init"] == [], got  # no hand-written switch on login_init
    assert got["hooks"] == {a: True for a in SCREENS}, got


def test_an_unknown_action_still_gets_wordpress_own_screen(wp_url):
    """WordPress turns an action it does not know into its sign-in screen (login_form_login): only
    a request for the sign-in screen itself goes to AuthKit, as before."""
    r = requests.get(wp_url + "/wp-login.php", params={"action": "no-such-screen"}, allow_redirects=False, timeout=30)
    assert r.status_code == 200 and 'id="loginform"' in r.text, (r.status_code, r.headers.get("Location"))
    r = requests.get(wp_url + "/wp-login.php", allow_redirects=False, timeout=30)
    assert r.status_code == 302 and "state=" in r.headers["Location"]


def test_the_sign_in_wing_has_no_class_cycle():
    edges = graph()
    wing = [c for c in edges if c.startswith("SignIn\\")]
    for cls in wing:
        assert cls not in reaches(edges, cls), f"{cls} depends on itself through {sorted(reaches(edges, cls))}"


def test_the_callback_trip_goes_one_way():
    edges = graph()
    # Nothing below the callback calls back up to it, to the wp-login.php routing or to a code step.
    upper = {"SignIn\\Callback", "SignIn\\Login", "SignIn\\AuthKit", "SignIn\\CodeStep", "SignIn\\Confirmation",
             "SignIn\\EmailVerification", "SignIn\\PasswordLogin"}
    for lower in ("SignIn\\Flow", "SignIn\\SignIn", "SignIn\\Gate", "SignIn\\Redirects", "SignIn\\TokenPolicy",
                  "Users\\Users", "Users\\RoleMap"):
        assert not reaches(edges, lower) & upper, (lower, sorted(reaches(edges, lower) & upper))
    assert {"SignIn\\Flow", "SignIn\\SignIn"} <= edges["SignIn\\Callback"]
    assert "SignIn\\Flow" not in reaches(edges, "SignIn\\SignIn")  # the flow is the caller's to clear
    assert "SignIn\\Redirects" in edges["SignIn\\SignIn"]
    assert "SignIn\\Callback" not in reaches(edges, "Api")
    # One token policy, two users of it that do not know each other.
    assert "SignIn\\TokenPolicy" in edges["SignIn\\SignIn"] and "SignIn\\TokenPolicy" in edges["SignIn\\BearerAuth"]
    assert "SignIn\\SignIn" not in reaches(edges, "SignIn\\BearerAuth")
    assert "SignIn\\BearerAuth" not in reaches(edges, "SignIn\\SignIn")


def test_the_code_steps_are_one_step_with_variants():
    edges = graph()
    for step in ("SignIn\\Confirmation", "SignIn\\EmailVerification"):
        assert "SignIn\\CodeStep" in edges[step]
        # The flow, the form and the limits bracket are the base class's, not each variant's.
        assert not {"SignIn\\Flow", "SignIn\\CodeForm", "Throttle"} & edges[step], (step, edges[step])
