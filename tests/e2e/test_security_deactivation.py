"""Security (issue 8, finding 14): deactivation takes away what would survive the plugin — every
role and every application password — so deactivating or uninstalling the plugin hands no access
back. The roles are kept aside and restored when the user is reactivated."""

from __future__ import annotations

import uuid

import pytest
import requests

from authkit import logged_in_cookie
from test_headless import post_login

PASSWORD = "Deact-Passw0rd-91"
TIMEOUT = 30
PLUGIN = "workos/workos.php"


@pytest.fixture
def editor(wp_user, wp_eval):
    """An editor and author (two roles) with an application password and a live session."""
    u = wp_user("dx" + uuid.uuid4().hex[:8], f"dx-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, role="editor")
    u["app"] = wp_eval(
        """$u = get_user_by('id', $args); $u->add_role('author');
        return WP_Application_Passwords::create_new_application_password($args, ['name' => 'e2e'])[0];""",
        u["id"],
    )
    return u


def rest_me(wp_url, login, app):
    return requests.get(wp_url + "/wp-json/wp/v2/users/me", params={"context": "edit"}, auth=(login, app),
                        timeout=TIMEOUT)


def access(wp_eval, user_id):
    return wp_eval(
        """clean_user_cache($args); $u = get_user_by('id', $args);
        return ['roles' => array_values($u->roles), 'edit_posts' => user_can($u, 'edit_posts'),
                'read' => user_can($u, 'read'),
                'apps' => count(WP_Application_Passwords::get_user_application_passwords($args))];""",
        user_id,
    )


@pytest.fixture
def plugin_off(wp_eval):
    """Deactivates the plugin (as an admin might); always reactivates it."""

    def _off():
        wp_eval("require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins($args, true); return is_plugin_active($args);", PLUGIN)

    yield _off
    wp_eval("require_once ABSPATH . 'wp-admin/includes/plugin.php'; activate_plugin($args, '', false, true); return is_plugin_active($args);", PLUGIN)


@pytest.mark.parametrize("how", ["deprovision", "meta"])
def test_deactivated_user_keeps_nothing_once_the_plugin_is_gone(editor, wp_eval, wp_settings, wp_url, plugin_off,
                                                                session_factory, how):
    wp_settings(allow_password_fallback=True, login_mode="redirect", deprovision_action="deactivate")
    assert rest_me(wp_url, editor["login"], editor["app"]).status_code == 200
    if how == "deprovision":
        wp_eval("return WorkOS_WP\\Users\\Users::deprovision(get_user_by('id', $args), 'directory');", editor["id"])
    else:  # any code (the CLI, an admin tool) that sets the marker
        wp_eval("update_user_meta($args, '_workos_deactivated', 'cli'); return true;", editor["id"])

    now = access(wp_eval, editor["id"])
    assert now == {"roles": [], "edit_posts": False, "read": False, "apps": 0}, now

    plugin_off()
    assert rest_me(wp_url, editor["login"], editor["app"]).status_code == 401
    s = session_factory(wp_url)
    post_login(s, wp_url, editor["login"], PASSWORD)  # WordPress alone may let the password in …
    r = s.get("/wp-admin/edit.php", allow_redirects=False)  # … but it opens nothing.
    assert r.status_code != 200 or not logged_in_cookie(s), r.status_code
    assert access(wp_eval, editor["id"])["edit_posts"] is False


def test_uninstalling_the_plugin_hands_nothing_back(editor, wp_eval, wp_settings):
    wp_settings(deprovision_action="deactivate")
    wp_eval("return WorkOS_WP\\Users\\Users::deprovision(get_user_by('id', $args), 'directory');", editor["id"])
    out = wp_eval(
        """
        $saved = get_option('workos_settings');
        define('WP_UNINSTALL_PLUGIN', 'workos/workos.php');
        include WP_CONTENT_DIR . '/plugins/workos/uninstall.php';
        wp_cache_flush();
        $u = get_user_by('id', $args);
        $out = ['roles' => array_values($u->roles), 'edit_posts' => user_can($u, 'edit_posts'),
                'marker' => get_user_meta($args, '_workos_deactivated', true)];
        // Put the test site back: settings, tables, chores.
        update_option('workos_settings', $saved);
        WorkOS_WP\\Maintenance::activate();
        return $out;
        """,
        editor["id"],
    )
    assert out == {"roles": [], "edit_posts": False, "marker": ""}, out


def test_reactivation_restores_the_roles(editor, wp_eval, wp_settings):
    wp_settings(deprovision_action="deactivate")
    wp_eval("return WorkOS_WP\\Users\\Users::deprovision(get_user_by('id', $args), 'directory');", editor["id"])
    assert access(wp_eval, editor["id"])["roles"] == []
    # An admin's own deactivation is not lifted by the directory …
    assert wp_eval("return WorkOS_WP\\Users\\Users::reactivate(get_user_by('id', $args), 'other');", editor["id"]) is False
    assert access(wp_eval, editor["id"])["roles"] == []
    # … the directory's is, with every role back.
    assert wp_eval("return WorkOS_WP\\Users\\Users::reactivate(get_user_by('id', $args), 'directory');", editor["id"]) is True
    back = access(wp_eval, editor["id"])
    assert sorted(back["roles"]) == ["author", "editor"] and back["edit_posts"] is True
    assert wp_eval("return get_user_meta($args, '_workos_deactivated_roles', true);", editor["id"]) == ""


def test_deactivating_twice_keeps_the_original_roles(editor, wp_eval, wp_settings):
    wp_settings(deprovision_action="deactivate")
    wp_eval("return WorkOS_WP\\Users\\Users::deprovision(get_user_by('id', $args), 'directory');", editor["id"])
    wp_eval("update_user_meta($args, '_workos_deactivated', 'cli'); return true;", editor["id"])
    wp_eval("update_user_meta($args, '_workos_deactivated', 'directory'); return true;", editor["id"])
    assert wp_eval("return WorkOS_WP\\Users\\Users::reactivate(get_user_by('id', $args), 'directory');", editor["id"]) is True
    assert sorted(access(wp_eval, editor["id"])["roles"]) == ["author", "editor"]
