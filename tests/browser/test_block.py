"""The sign-in button block in a browser (issue 10): in the content column of Twenty Twenty-Three
at desktop and phone widths, and previewed in the block editor with the label the owner typed."""

from __future__ import annotations

import json
import uuid

import pytest
from conftest import WIDTHS

THEME = "twentytwentythree"
BLOCK = "workos/login-button"


def block(attrs: dict) -> str:
    return f"<!-- wp:{BLOCK} {json.dumps(attrs)} /-->"


@pytest.fixture
def tt3(wp_eval):
    """Twenty Twenty-Three is the active theme for the test (Debian's wordpress-theme-twentytwentythree)."""
    before = wp_eval(
        """
        $before = get_option('stylesheet');
        if (!wp_get_theme($args)->exists()) { return null; }
        if ($before !== $args) { switch_theme($args); }
        return $before;
        """,
        THEME,
    )
    if before is None:
        pytest.skip(f"theme {THEME} is not installed (Debian package wordpress-theme-{THEME})")
    yield
    if before != THEME:
        wp_eval("switch_theme($args); return true;", before)


@pytest.fixture
def button_page(wp_eval, tt3):
    """A published page: a paragraph (the content column) and three buttons, plain, centred, right."""
    content = "\n\n".join(
        [
            "<!-- wp:paragraph -->\n<p>Members of the staff sign in with their company account.</p>\n<!-- /wp:paragraph -->",
            block({"label": "Staff sign-in", "className": "t-plain"}),
            block({"label": "Centred", "align": "center", "className": "t-center", "backgroundColor": "contrast", "textColor": "base"}),
            block({"label": "On the right", "align": "right", "className": "t-right"}),
        ]
    )
    pid = wp_eval(
        "return wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => $args[0], 'post_content' => $args[1]]);",
        ["Sign-in button " + uuid.uuid4().hex[:6], content],
    )
    yield wp_eval("return get_permalink($args);", pid)
    wp_eval("wp_delete_post($args, true); return true;", pid)


def box(page, selector: str) -> dict:
    loc = page.locator(selector)
    assert loc.count() == 1, f"{selector}: {loc.count()} elements"
    b = loc.bounding_box()
    assert b is not None, f"{selector} is not visible"
    return b


@pytest.mark.parametrize("width", WIDTHS)
def test_the_button_sits_in_the_content_column(visitor_page, button_page, shot, axe, width):
    page = visitor_page(width)
    page.goto(button_page)
    shot(page, f"front-end-{width}")
    column = box(page, ".wp-block-post-content > p")
    buttons = page.locator(".wp-block-post-content a.workos-login-button")
    assert buttons.count() == 3
    plain, centred, right = (buttons.nth(i).bounding_box() for i in range(3))
    col_left, col_right = column["x"], column["x"] + column["width"]
    # Not at the page edge: the button starts where the text does.
    assert abs(plain["x"] - col_left) <= 1, (plain, column)
    # Alignment from the editor works: centred in the column, or against its right edge.
    assert abs((centred["x"] + centred["width"] / 2) - (col_left + col_right) / 2) <= 2, (centred, column)
    assert abs((right["x"] + right["width"]) - col_right) <= 2, (right, column)
    for b in (plain, centred, right):
        assert b["x"] >= col_left - 1 and b["x"] + b["width"] <= col_right + 1, (b, column)
    # One under the other, the button's padding not over the text above it.
    assert plain["y"] >= column["y"] + column["height"] and centred["y"] >= plain["y"] + plain["height"], (column, plain, centred)
    assert right["y"] >= centred["y"] + centred["height"], (centred, right)
    # Each in the block wrapper, with the class the owner gave it.
    for i, name in enumerate(("t-plain", "t-center", "t-right")):
        wrapper = buttons.nth(i).evaluate("(a) => a.parentElement.className").split()
        assert {"wp-block-workos-login-button", name} <= set(wrapper), wrapper
    # The colour the owner picked is on the button, not on a full-width box around it.
    colours = page.evaluate(
        """() => {
            const a = document.querySelectorAll('.wp-block-post-content a.workos-login-button')[1];
            const bg = (el) => getComputedStyle(el).backgroundColor;
            return [bg(a), bg(a.parentElement), bg(document.querySelector('.wp-block-post-content a.workos-login-button'))];
        }"""
    )
    assert colours[0] != colours[2] and colours[1] in ("rgba(0, 0, 0, 0)", "transparent"), colours
    axe(page)


def open_editor(admin_page, width: int):
    page = admin_page(width)
    page.goto("/wp-admin/post-new.php")
    page.wait_for_function(
        "() => window.wp && wp.data && wp.blocks && wp.blocks.getBlockType('workos/login-button')"
        " && wp.data.select('core/editor').getCurrentPostId()"
    )
    # The first visit's welcome guide would cover the screenshot.
    page.evaluate(
        """() => {
            const prefs = wp.data.dispatch('core/preferences');
            if (prefs && prefs.set) { prefs.set('core/edit-post', 'welcomeGuide', false); }
        }"""
    )
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_the_editor_previews_the_button_with_its_label(admin_page, tt3, wp_eval, shot, width):
    page = open_editor(admin_page, width)
    try:
        ids = page.evaluate(
            """() => {
                const make = (attrs) => wp.blocks.createBlock('workos/login-button', attrs);
                const blocks = [make({label: 'Staff sign-in'}), make({}),
                                make({label: 'Centred', align: 'center', backgroundColor: 'contrast', textColor: 'base', fontSize: 'large'})];
                wp.data.dispatch('core/block-editor').insertBlocks(blocks);
                return blocks.map((b) => b.clientId);
            }"""
        )
        # Today's preview or yesterday's "Block rendered as empty." (a signed-in editor's server render).
        page.wait_for_function(
            "(id) => document.querySelector(`[data-block='${id}'] .workos-login-button`)"
            " || document.body.innerText.includes('Block rendered as empty')",
            arg=ids[0],
        )
        assert page.locator("text=Block rendered as empty").count() == 0
        labelled = page.locator(f'[data-block="{ids[0]}"] .workos-login-button')
        assert labelled.inner_text().strip() == "Staff sign-in"
        # No label yet: the button shows what visitors will read ("Sign in"), as a placeholder.
        empty = page.locator(f'[data-block="{ids[1]}"] .workos-login-button')
        assert empty.get_attribute("aria-label") == "Button label"
        assert empty.locator("[data-rich-text-placeholder]").get_attribute("data-rich-text-placeholder") == "Sign in"
        assert page.locator("text=Block rendered as empty").count() == 0
        # The editor's choices show on the preview as on the front end.
        styled = page.locator(f'[data-block="{ids[2]}"] .workos-login-button')
        assert {"has-background", "has-contrast-background-color", "has-base-color", "has-large-font-size"} <= set(
            (styled.get_attribute("class") or "").split()
        )
        assert "has-text-align-center" in (page.locator(f'[data-block="{ids[2]}"]').get_attribute("class") or "")
        # The label is typed on the button itself.
        page.evaluate("(id) => wp.data.dispatch('core/block-editor').selectBlock(id)", ids[1])
        empty.click()
        page.keyboard.type("Members & guests")
        page.wait_for_function(
            "(id) => wp.data.select('core/block-editor').getBlockAttributes(id).label === 'Members & guests'", arg=ids[1]
        )
        assert empty.inner_text().strip() == "Members & guests"
        # Selected: the block toolbar (alignment) and the sidebar (label, target, colours, size, spacing).
        page.evaluate("(id) => wp.data.dispatch('core/block-editor').selectBlock(id)", ids[0])
        shot(page, f"editor-selected-{width}")
        # Nothing selected (a selected button shows the theme's focus colours): what visitors will see.
        page.evaluate("() => { wp.data.dispatch('core/block-editor').clearSelectedBlock(); document.activeElement.blur(); }")
        page.mouse.move(0, 0)
        shot(page, f"editor-{width}")
    finally:
        pid = page.evaluate("() => wp.data.select('core/editor').getCurrentPostId()")
        if pid:
            wp_eval("wp_delete_post($args, true); return true;", pid)
