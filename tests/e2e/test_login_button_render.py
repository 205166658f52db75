"""The sign-in button renders through the block wrapper, and previews in the editor (issue 10).

The block, `[workos_login]` and the REST block-renderer all give one markup:

    <div class="wp-block-workos-login-button [has-text-align-center] [className]"
         [style="margin…"]>
      <a class="workos-login-button wp-element-button [colour/font-size classes]" href="…" …>Label</a>
    </div>

Alignment (left/center/right in the content column: core's has-text-align-* classes, as the
Paragraph block has — block alignment's floats leave the content column in Twenty Twenty-Three),
the custom class and margins go on the wrapper (get_block_wrapper_attributes); the colours, font
size and padding the owner picks go on the button itself, as core's Button block does, so
"Background: Primary" paints the button and not a full-width box around it.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import pytest
import requests

BLOCK = "workos/login-button"
WRAPPER_CLASS = "wp-block-workos-login-button"

# An owner's block with everything the editor's sidebar can set.
STYLED = {
    "label": "Staff sign-in",
    "align": "center",
    "className": "my-extra-class",
    "backgroundColor": "secondary",
    "textColor": "base",
    "fontSize": "large",
    "style": {"spacing": {"margin": {"top": "2em"}, "padding": {"left": "3em"}}},
}


def block_markup(attrs: dict) -> str:
    return f"<!-- wp:{BLOCK} {json.dumps(attrs)} /-->"


class _Tree(HTMLParser):
    """The elements of an HTML fragment with their attributes, parents and text."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "base", "col", "embed", "param", "track"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "parent": self.stack[-1] if self.stack else None, "text": ""}
        el["classes"] = set((el["attrs"].get("class") or "").split())
        self.elements.append(el)
        if tag not in self.VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        for el in self.stack:
            el["text"] += data


def wrappers(markup: str) -> list[dict]:
    """Each block wrapper in `markup` with the button inside it: [{div, a}]."""
    tree = _Tree()
    tree.feed(markup)
    found = []
    for el in tree.elements:
        if el["tag"] == "a" and "workos-login-button" in el["classes"]:
            parent = el["parent"]
            found.append({"div": parent, "a": el})
    return found


def one_wrapper(markup: str) -> dict:
    found = wrappers(markup)
    assert len(found) == 1, f"expected one button, found {len(found)} in:\n{markup[:3000]}"
    w = found[0]
    assert w["div"] is not None and w["div"]["tag"] == "div" and WRAPPER_CLASS in w["div"]["classes"], (
        f"the button is not inside a <div class=\"{WRAPPER_CLASS} …\"> wrapper: parent is "
        f"{w['div'] and (w['div']['tag'], w['div']['attrs'])}\n{markup[:3000]}"
    )
    return w


def assert_styled(w: dict, label: str = "Staff sign-in") -> None:
    div, a = w["div"], w["a"]
    # The wrapper: alignment, the owner's class, margin.
    assert {WRAPPER_CLASS, "has-text-align-center", "my-extra-class"} <= div["classes"], div
    assert "margin-top:2em" in div["attrs"].get("style", "").replace(" ", ""), div
    # The button: the colours, font size and padding the owner picked.
    assert {"workos-login-button", "wp-element-button", "has-background", "has-secondary-background-color",
            "has-text-color", "has-base-color", "has-large-font-size"} <= a["classes"], a
    assert "padding-left:3em" in a["attrs"].get("style", "").replace(" ", ""), a
    # …and not twice: a coloured full-width box around a coloured button.
    assert not {"has-background", "has-secondary-background-color", "has-large-font-size"} & div["classes"], div
    assert "padding" not in div["attrs"].get("style", ""), div
    assert a["text"].strip() == label


@pytest.fixture
def page_with(wp_eval):
    """page_with(content) -> the URL of a published page holding `content`."""
    made = []

    def _make(content: str) -> str:
        pid = wp_eval(
            "return wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => $args[0], 'post_content' => $args[1]]);",
            ["Render " + uuid.uuid4().hex[:6], content],
        )
        made.append(pid)
        return wp_eval("return get_permalink($args);", pid)

    yield _make
    for pid in made:
        wp_eval("wp_delete_post($args, true); return true;", pid)


def test_block_renders_inside_the_block_wrapper(wp_eval):
    out = wp_eval("return do_blocks($args);", block_markup(STYLED))
    assert_styled(one_wrapper(out))


def test_a_plain_block_has_a_plain_wrapper(wp_eval):
    out = wp_eval("return do_blocks($args);", block_markup({}))
    w = one_wrapper(out)
    assert w["div"]["classes"] == {WRAPPER_CLASS} and "style" not in w["div"]["attrs"], w["div"]
    assert w["a"]["classes"] == {"workos-login-button", "wp-element-button"} and w["a"]["text"] == "Sign in"


def test_a_published_block_renders_the_wrapper_over_http(page_with, wp_url):
    url = page_with(block_markup(STYLED))
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    w = one_wrapper(page.text)
    assert_styled(w)
    href = html.unescape(w["a"]["attrs"]["href"])
    assert href.startswith(wp_url + "/wp-login.php?") and parse_qs(urlparse(href).query)["redirect_to"] == [url]


def test_the_shortcode_gives_the_same_markup_as_the_block(wp_eval, page_with):
    same = wp_eval(
        """
        return [do_shortcode('[workos_login label="Members"]'),
                do_blocks('<!-- wp:workos/login-button {"label":"Members"} /-->'),
                do_shortcode('[workos_login label="Members" align="right" class="a-theme-class"]'),
                do_blocks('<!-- wp:workos/login-button {"label":"Members","align":"right","className":"a-theme-class"} /-->')];
        """
    )
    assert same[0] == same[1] and same[2] == same[3], same
    w = one_wrapper(same[2])
    assert {WRAPPER_CLASS, "has-text-align-right", "a-theme-class"} <= w["div"]["classes"] and w["a"]["text"] == "Members"
    # And in a classic post over HTTP: not wrapped in a <p> by wpautop.
    page = requests.get(page_with('Members only.\n\n[workos_login label="Members" align="center"]\n\nThanks.'), timeout=30).text
    w = one_wrapper(page)
    assert {WRAPPER_CLASS, "has-text-align-center"} <= w["div"]["classes"] and w["div"]["parent"]["tag"] != "p"


def test_shortcode_attributes_cannot_inject_markup(wp_eval):
    out = wp_eval("""return do_shortcode('[workos_login align="wide" class="ok &quot;><script>x</script>"]');""")
    w = one_wrapper(out)
    assert "<script" not in out and "ok" in w["div"]["classes"], out
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", c) for c in w["div"]["classes"]), out
    assert not any(c.startswith(("align", "has-text-align")) for c in w["div"]["classes"]), out


def test_signed_in_visitors_get_the_sign_out_link_in_the_wrapper_or_nothing(wp_eval):
    out = wp_eval(
        """
        $admin = get_users(['role' => 'administrator', 'number' => 1])[0];
        wp_set_current_user($admin->ID);
        return [do_blocks('<!-- wp:workos/login-button {"showWhenSignedIn":true,"align":"right"} /-->'),
                do_blocks('<!-- wp:workos/login-button {"align":"right"} /-->'),
                do_shortcode('[workos_login show_when_signed_in="1"]')];
        """
    )
    w = one_wrapper(out[0])
    assert "has-text-align-right" in w["div"]["classes"] and "workos-logout" in w["a"]["classes"] and w["a"]["text"] == "Sign out"
    assert "action=logout" in html.unescape(w["a"]["attrs"]["href"])
    assert out[1].strip() == "", "no empty wrapper for a signed-in visitor when nothing is shown"
    assert "workos-logout" in one_wrapper(out[2])["a"]["classes"]


@pytest.fixture
def admin_rest(wp_eval, wp_url):
    """A requests.Session authenticated as the stack's administrator (an application password)."""
    info = wp_eval(
        """
        $u = get_users(['role' => 'administrator', 'number' => 1])[0];
        [$pw, $item] = WP_Application_Passwords::create_new_application_password($u->ID, ['name' => 'e2e-block-' . wp_generate_password(6, false)]);
        return ['login' => $u->user_login, 'id' => $u->ID, 'pw' => $pw, 'uuid' => $item['uuid']];
        """
    )
    s = requests.Session()
    s.auth = (info["login"], info["pw"])
    yield s
    s.close()
    wp_eval("WP_Application_Passwords::delete_application_password($args[0], $args[1]); return true;", [info["id"], info["uuid"]])


def test_the_editor_preview_renders_the_signed_out_button_for_a_signed_in_editor(admin_rest, wp_url):
    """The REST block-renderer (what the editor's previews use) shows what a visitor will see."""
    me = admin_rest.get(wp_url + "/wp-json/wp/v2/users/me", timeout=30)
    assert me.status_code == 200, me.text  # really signed in
    for extra in ({}, {"showWhenSignedIn": True}):
        params = {"context": "edit", "attributes[label]": "Members area"}
        params.update({f"attributes[{k}]": json.dumps(v) if isinstance(v, bool) else v for k, v in extra.items()})
        r = admin_rest.get(wp_url + "/wp-json/wp/v2/block-renderer/" + BLOCK, params=params, timeout=30)
        assert r.status_code == 200, r.text
        w = one_wrapper(r.json()["rendered"])
        assert w["a"]["text"] == "Members area" and "workos-logout" not in w["a"]["classes"], (extra, r.json())


def test_the_signed_out_preview_is_only_for_the_block_renderer(admin_rest, wp_url, wp_eval, page_with):
    """Other REST answers for a signed-in administrator keep the signed-in state (no button)."""
    pid = wp_eval("return url_to_postid($args);", page_with(block_markup({"label": "Members area"})))
    r = admin_rest.get(f"{wp_url}/wp-json/wp/v2/pages/{pid}", params={"context": "edit"}, timeout=30)
    assert r.status_code == 200, r.text
    assert "Members area" in r.json()["content"]["raw"]
    assert "Members area" not in r.json()["content"]["rendered"], r.json()["content"]["rendered"]


def test_front_end_registration_agrees_with_block_json(wp_eval):
    """The front end registers the block from PHP (no file read): same supports as block.json."""
    out = wp_eval(
        """
        $type = WP_Block_Type_Registry::get_instance()->get_registered('workos/login-button');
        $json = json_decode(file_get_contents(WP_CONTENT_DIR . '/plugins/workos/blocks/login-button/block.json'), true);
        return [$type->supports, $json['supports'], $json['attributes']];
        """
    )
    assert out[0] == out[1]
    assert out[1]["color"]["background"] and out[1]["spacing"]["margin"] and out[2]["align"], out


def test_a_page_with_the_block_loads_only_the_button_code(page_with):
    url = page_with(block_markup(STYLED))
    r = requests.get(url, headers={"X-WorkOS-Probe": "1"}, timeout=30)
    seen = json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text).group(1))
    assert set(seen["files"]) == {"workos.php", "src/Button/LoginButton.php", "src/SignIn/Redirects.php"}, seen
