"""The sign-in button: `[workos_login]` shortcode, the `workos/login-button` block and the classic widget."""

from __future__ import annotations

import html
import json
import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest

from authkit import authkit_sign_in, create_workos_user, logged_in_cookie

PASSWORD = "Passw0rd!-e2e"
BUTTON = re.compile(r'<a class="(workos-login-button[^"]*)" href="([^"]+)"[^>]*>([^<]*)</a>')


@pytest.fixture
def page_with(wp_eval):
    """page_with(content) -> the URL of a published page holding `content`."""
    made = []

    def _make(content: str) -> str:
        pid = wp_eval("return wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => $args[0], 'post_content' => $args[1]]);",
                      ["Button " + uuid.uuid4().hex[:6], content])
        made.append(pid)
        return wp_eval("return get_permalink($args);", pid)

    yield _make
    for pid in made:
        wp_eval("wp_delete_post($args, true); return true;", pid)


def button(page_html: str):
    m = BUTTON.search(page_html)
    return (m.group(1), html.unescape(m.group(2)), html.unescape(m.group(3))) if m else None


def test_shortcode_signs_in_through_workos_and_comes_back(page_with, session_factory, wp_url, emulator_url):
    url = page_with('[workos_login label="Sign in with SSO"]')
    browser = session_factory(wp_url)
    classes, href, label = button(browser.get(url).text)
    assert label == "Sign in with SSO" and "wp-element-button" in classes
    assert href.startswith(wp_url + "/wp-login.php?")
    assert parse_qs(urlparse(href).query)["redirect_to"] == [url]

    # Follow it: wp-login.php → AuthKit → callback → back on the page, signed in.
    r = browser.get(href, allow_redirects=False)
    assert r.status_code == 302 and "/user_management/authorize?" in r.headers["Location"]
    from authkit import Flow, query
    flow = Flow(r.headers["Location"], query(r.headers["Location"]))
    email = f"button-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email, PASSWORD)
    back = browser.get(authkit_sign_in(emulator_url, flow, email, PASSWORD), allow_redirects=False)
    assert back.status_code == 302 and back.headers["Location"] == url
    assert logged_in_cookie(browser)
    # Signed in: no button, unless asked for a sign-out link.
    assert button(browser.get(url).text) is None
    url2 = page_with('[workos_login show_when_signed_in="1"]')
    classes, href, label = button(browser.get(url2).text)
    assert "workos-logout" in classes and label == "Sign out" and "action=logout" in href


def test_redirect_to_must_stay_on_the_site(page_with, session_factory, wp_url):
    inside = button(session_factory(wp_url).get(page_with('[workos_login redirect_to="/sample-page/"]')).text)[1]
    assert parse_qs(urlparse(inside).query)["redirect_to"] == [wp_url + "/sample-page/"]
    outside = button(session_factory(wp_url).get(page_with('[workos_login redirect_to="https://evil.example/x"]')).text)[1]
    assert "evil.example" not in outside


def test_block_renders_on_the_front_end(page_with, session_factory, wp_url):
    url = page_with('<!-- wp:workos/login-button {"label":"Enter"} /-->')
    _, href, label = button(session_factory(wp_url).get(url).text)
    assert label == "Enter" and parse_qs(urlparse(href).query)["redirect_to"] == [url]


def test_block_json_and_the_front_end_registration_agree(wp_eval):
    """The front end registers the block from PHP (no file read); the editor from block.json."""
    out = wp_eval(
        """
        $type = WP_Block_Type_Registry::get_instance()->get_registered('workos/login-button');
        $json = json_decode(file_get_contents(WP_CONTENT_DIR . '/plugins/workos/blocks/login-button/block.json'), true);
        return [$type ? $type->attributes : null, $json['attributes'], $json['name']];
        """
    )
    # WordPress adds its own attributes (className, lock) to every block, and one per block
    # support (colours, font size, style); test_login_button_render.py compares the supports.
    added = ("className", "lock", "backgroundColor", "textColor", "fontSize", "style")
    ours = {k: v for k, v in out[0].items() if k not in added}
    assert ours == out[1] and out[2] == "workos/login-button"


def test_classic_widget_renders_the_button(wp_eval):
    out = wp_eval(
        """
        register_widget('WorkOS_WP\\\\Button\\\\LoginWidget');
        ob_start();
        the_widget('WorkOS_WP\\\\Button\\\\LoginWidget', ['title' => 'Members', 'label' => 'Staff sign-in'],
                   ['before_widget' => '<section>', 'after_widget' => '</section>', 'before_title' => '<h2>', 'after_title' => '</h2>']);
        $w = new WorkOS_WP\\Button\\LoginWidget();
        return [ob_get_clean(), $w->update(['title' => '<b>T</b>', 'label' => 'L'], [])];
        """
    )
    assert out[0].startswith("<section><h2>Members</h2>") and "Staff sign-in</a></section>" in out[0]
    assert out[1] == {"title": "T", "label": "L"}


def test_a_page_with_the_button_loads_only_the_button_code(page_with, wp_url):
    import requests

    url = page_with("[workos_login]")
    r = requests.get(url, headers={"X-WorkOS-Probe": "1"}, timeout=30)
    seen = json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text).group(1))
    assert set(seen["files"]) == {"workos.php", "src/Button/LoginButton.php", "src/SignIn/Redirects.php"}, seen
