"""Issue 10: how every setting renders, and constants.

Every field of Settings → WorkOS comes from the one registry (Settings\\Registry): a label tied to
its field, help that makes sense on the tab it is on, an example where the format is not obvious,
choices shown by their human names; a role is picked from the site's roles and a user from its
users; a field a constant locks shows the constant's value (secrets masked) and names it. Map and
list constants take the README's line format as a string as well as a PHP array, and a constant
that cannot be used says so instead of being silently ignored."""

from __future__ import annotations

import html
import re
import uuid

import pytest

from authkit import create_org, create_workos_user
from test_headless import PASSWORD
from test_roles_and_gate import redirect_sign_in, roles_of
from test_settings import admin  # noqa: F401  (the admin fixture)
from wpconfig import wp_config

TABS = ("settings", "organization", "users")

REGISTRY = r"""
$out = [];
foreach (WorkOS_WP\Settings\Registry::all() as $key => $s) {
    $out[$key] = ['type' => $s->type, 'choices' => $s->choices, 'section' => $s->section,
        'per_environment' => $s->per_environment, 'constant_only' => $s->constant_only, 'rule' => $s->rule,
        'label' => $s->label, 'help' => $s->help, 'example' => $s->example];
}
$users = get_users(['fields' => ['ID', 'display_name'], 'capability' => 'edit_posts']);
return ['settings' => $out, 'sections' => WorkOS_WP\Settings\Registry::SECTIONS,
    'environment' => WorkOS_WP\Settings::environment(), 'roles' => wp_roles()->get_names(),
    'users' => array_map(fn($u) => [(string) $u->ID, $u->display_name], $users)];
"""


@pytest.fixture(scope="module")
def registry(wp_eval):
    return wp_eval(REGISTRY)


def tab_page(admin, tab: str) -> str:  # noqa: F811
    r = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": tab})
    assert r.status_code == 200
    return r.text


def field_ids(registry, tab: str) -> dict[str, str]:
    """The element id of each setting the tab shows: setting key + environment → id."""
    out = {}
    for key, s in registry["settings"].items():
        if not s["section"] or registry["sections"][s["section"]][0] != tab:
            continue
        envs = registry["sections"][s["section"]][1]
        if not s["per_environment"]:
            out[key] = f"workos_{key}"
        elif envs == "each":
            for env in ("production", "staging"):
                out[f"{key}@{env}"] = f"workos_{env}_{key}"
        else:
            out[key] = f"workos_{registry['environment']}_{key}"
    return out


def row_of(page: str, field_id: str) -> str:
    """The form-table row (<tr>…</tr>) whose label points at the field."""
    m = re.search(r'<tr[^>]*>\s*<th scope="row"><label for="' + re.escape(field_id) + r'">.*?</tr>', page, re.S)
    assert m, f"no row with <label for={field_id!r}>"
    return m.group(0)


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def descriptions(row: str) -> list[str]:
    return [text(d) for d in re.findall(r'<p class="description[^"]*"[^>]*>(.*?)</p>', row, re.S)]


def options(row: str, field_id: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the field's <select>."""
    m = re.search(r'<select[^>]*\bid="' + re.escape(field_id) + r'"[^>]*>(.*?)</select>', row, re.S)
    assert m, f"{field_id} is not a <select>: {row[:600]}"
    return [(html.unescape(v), text(label), "selected" in attrs)
            for v, attrs, label in re.findall(r'<option value="([^"]*)"([^>]*)>(.*?)</option>', m.group(1), re.S)]


def test_every_setting_renders_a_label_help_and_its_field(admin, registry):  # noqa: F811
    for tab in TABS:
        page = tab_page(admin, tab)
        for key, field_id in field_ids(registry, tab).items():
            s = registry["settings"][key.split("@")[0]]
            row = row_of(page, field_id)
            label = re.search(r'<label for="[^"]+">(.*?)</label>', row, re.S).group(1)
            assert text(label) == s["label"], (key, label)
            assert re.search(r'<(input|select|textarea)\b[^>]*\bid="' + re.escape(field_id) + '"', row), (key, row[:400])
            assert s["help"], f"{key} has no help text in the registry"
            assert s["help"] in descriptions(row), (key, descriptions(row))
            # The help is tied to its field for screen readers.
            described = re.search(r'<(?:input|select|textarea)\b[^>]*\bid="' + re.escape(field_id) + r'"[^>]*aria-describedby="([^"]+)"', row)
            assert described, f"{key}: the field has no aria-describedby"
            for ref in described.group(1).split():
                assert f'id="{ref}"' in row, (key, ref)


def test_an_example_where_the_format_is_not_obvious(admin, registry):  # noqa: F811
    for tab in TABS:
        page = tab_page(admin, tab)
        for key, field_id in field_ids(registry, tab).items():
            bare = key.split("@")[0]
            s = registry["settings"][bare]
            needs = s["type"] in ("map", "list", "url") or bare.endswith("_id") or bare.endswith("_default")
            if bare in ("organization_id",):
                needs = True  # picked from a list, but the typed-ID fallback still needs the format
            if not needs:
                continue
            assert s["example"], f"{key} needs an example in the registry"
            row = row_of(page, field_id)
            shown = " ".join(descriptions(row))
            assert "Example" in shown, (key, shown)
            for line in s["example"].splitlines():
                assert line in shown, (key, line, shown)


def test_choices_are_shown_by_their_human_names(admin, registry):  # noqa: F811
    for tab in TABS:
        page = tab_page(admin, tab)
        for key, field_id in field_ids(registry, tab).items():
            s = registry["settings"][key.split("@")[0]]
            if s["type"] != "choice":
                continue
            row = row_of(page, field_id)
            opts = options(row, field_id)
            assert [v for v, _, _ in opts] == s["choices"], key
            for value, label, _ in opts:
                assert label != value, f"{key}: the raw value {value!r} is shown as its label"
                assert not re.fullmatch(r"[a-z_]+", label), f"{key}: {label!r} reads like a raw value"
            # Help never lists the raw values ("verified_domain: …, off: …").
            for line in descriptions(row):
                for value in s["choices"]:
                    assert f"{value}:" not in line, (key, line)


def test_help_makes_sense_on_the_tab_it_is_on(admin, registry):  # noqa: F811
    # "the organization above" only where the organization is above: on its own tab. Elsewhere the
    # help says where it is chosen.
    for tab in ("settings", "users"):
        page = tab_page(admin, tab)
        assert "organization above" not in page, tab
    for key in ("audit_logs", "push_role_changes"):
        assert "Organization tab" in registry["settings"][key]["help"], key


def test_role_settings_are_picked_from_the_sites_roles(admin, registry):  # noqa: F811
    page = tab_page(admin, "users")
    roles = registry["roles"]
    for key in ("default_role", "deprovision_role"):
        opts = options(row_of(page, f"workos_{key}"), f"workos_{key}")
        values = [v for v, _, _ in opts if v]
        assert sorted(values) == sorted(roles), (key, values)
        for value, label, _ in opts:
            if value:
                assert label == roles[value], (key, value, label)  # "Editor", not "editor"
    deprovision = options(row_of(page, "workos_deprovision_role"), "workos_deprovision_role")
    assert [v for v, _, sel in deprovision if sel] == ["subscriber"]  # its default
    # "" for the default role means WordPress's own default for new users: it says so.
    [(empty, label, _)] = [o for o in options(row_of(page, "workos_default_role"), "workos_default_role") if not o[0]]
    assert "WordPress" in label
    # Maps keyed or valued by roles list the roles they may name.
    for key in ("role_map",):
        shown = " ".join(descriptions(row_of(page, f"workos_{key}")))
        for slug in roles:
            assert slug in shown, (key, slug)
    settings = tab_page(admin, "settings")
    for key in ("login_redirects", "logout_redirects"):
        shown = " ".join(descriptions(row_of(settings, f"workos_{key}")))
        for slug in roles:
            assert slug in shown, (key, slug)


def test_a_stored_role_that_no_longer_exists_is_shown_not_hidden(admin, wp_settings):  # noqa: F811
    wp_settings(deprovision_role="retired_role")
    opts = options(row_of(tab_page(admin, "users"), "workos_deprovision_role"), "workos_deprovision_role")
    [(value, label, selected)] = [o for o in opts if o[0] == "retired_role"]
    assert selected and "retired_role" in label and "no such role" in label.lower()


def test_deleted_users_content_goes_to_a_user_picked_by_name(admin, registry, wp_settings, wp_eval):  # noqa: F811
    admin_id = wp_eval("return get_user_by('login', 'admin')->ID;")
    wp_settings(deprovision_reassign=str(admin_id))
    row = row_of(tab_page(admin, "users"), "workos_deprovision_reassign")
    opts = options(row, "workos_deprovision_reassign")
    assert opts[0][0] == "" and "delete" in opts[0][1].lower()  # nobody: content deleted with them
    by_id = {v: (label, sel) for v, label, sel in opts}
    for uid, name in registry["users"]:
        assert uid in by_id and name in by_id[uid][0], (uid, name)
    assert by_id[str(admin_id)][1], "the stored user is selected"
    assert "(user ID)" not in text(row)


def test_user_picker_falls_back_to_an_id_field_on_large_sites(wp_eval, wp_settings):
    admin_id = wp_eval("return get_user_by('login', 'admin')->ID;")
    wp_settings(deprovision_reassign=str(admin_id))
    out = wp_eval(
        r"""
        require_once ABSPATH . 'wp-admin/includes/template.php';
        add_filter('workos_user_picker_limit', fn() => 1);
        if (count(get_users(['capability' => 'edit_posts', 'number' => 2, 'fields' => 'ID'])) < 2) {
            wp_insert_user(['user_login' => 'picker_' . wp_generate_password(6, false), 'user_pass' => wp_generate_password(), 'role' => 'editor']);
        }
        ob_start();
        WorkOS_WP\Admin\SettingsPage::render_field(['key' => 'deprovision_reassign', 'env' => null, 'label_for' => 'workos_deprovision_reassign']);
        return ob_get_clean();
        """
    )
    assert "<select" not in out
    assert re.search(r'<input type="number"[^>]*id="workos_deprovision_reassign"[^>]*value="%d"' % admin_id, out), out
    # The ID is not a mystery: whose it is is said.
    display = wp_eval("return get_user_by('login', 'admin')->display_name;")
    assert display in text(out)


# --- Constants -------------------------------------------------------------------------------


def test_role_map_constant_in_the_readme_line_format_works_like_an_array(admin, env, wp_eval, wp_settings,  # noqa: F811
                                                                      session_factory, wp_url, emulator_url):
    org = create_org(emulator_url, "Const " + uuid.uuid4().hex[:6])
    wp_settings(organization_id=org["id"], role_map={"admin": "subscriber"}, default_role="contributor")
    with wp_config(env, """define('WORKOS_ROLE_MAP', "admin = editor\\nmember = author");"""):
        assert wp_eval("return WorkOS_WP\\Settings::map('role_map');") == {"admin": "editor", "member": "author"}
        # The locked field shows the constant's value and names it; nothing is reported as wrong.
        page = tab_page(admin, "users")
        row = row_of(page, "workos_role_map")
        area = re.search(r"<textarea[^>]*>(.*?)</textarea>", row, re.S)
        assert "disabled" in area.group(0) and html.unescape(area.group(1)).splitlines() == ["admin = editor", "member = author"]
        assert "WORKOS_ROLE_MAP" in text(row)
        assert "cannot be used" not in page and "is ignored" not in page
        # … and it takes effect at sign-in.
        email = f"const-{uuid.uuid4().hex[:8]}@example.com"
        create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "admin"}])
        assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).status_code == 302
        assert roles_of(wp_eval, email) == ["editor"]


def test_map_and_list_constants_take_strings_and_arrays_alike(wp_eval):
    out = wp_eval(
        r"""
        define('WORKOS_LOGIN_REDIRECTS', "editor = /editors/\r\n\n  author=/authors/  ");
        define('WORKOS_LOGOUT_REDIRECTS', ['editor' => '/bye/']);
        define('WORKOS_TRUSTED_PROXIES', "10.0.0.0/8\n192.0.2.7");
        return [WorkOS_WP\Settings::map('login_redirects'), WorkOS_WP\Settings::map('logout_redirects'),
                WorkOS_WP\Settings::items('trusted_proxies'),
                WorkOS_WP\Settings\Constants::error('login_redirects'), WorkOS_WP\Settings\Constants::error('trusted_proxies')];
        """
    )
    assert out == [{"editor": "/editors/", "author": "/authors/"}, {"editor": "/bye/"}, ["10.0.0.0/8", "192.0.2.7"], "", ""]


def test_an_unusable_constant_is_reported_not_silently_ignored(admin, env, wp_eval):  # noqa: F811
    with wp_config(env, """
        define('WORKOS_LOGIN_REDIRECTS', "editor /editors/");
        define('WORKOS_ROLE_MAP', "admin = overlord");
        define('WORKOS_LOGIN_MODE', 'Headless');
    """):
        errors = wp_eval("return array_map(fn($k) => WorkOS_WP\\Settings\\Constants::error($k), ['login_redirects', 'role_map', 'login_mode']);")
        assert all(errors), errors
        assert wp_eval("return WorkOS_WP\\Settings::map('login_redirects');") == []  # unparsable: not half-applied
        page = tab_page(admin, "settings")
        # At the top of the screen, naming the constant and what is wrong …
        notice = re.search(r'<div class="notice notice-error[^"]*workos-constant-errors[^"]*"[^>]*>(.*?)</div>', page, re.S)
        assert notice, "no notice about the constants"
        said = text(notice.group(1))
        for name in ("WORKOS_LOGIN_REDIRECTS", "WORKOS_ROLE_MAP", "WORKOS_LOGIN_MODE"):
            assert name in said, said
        assert "editor /editors/" in said and "overlord" in said and "Headless" in said
        # … and beside the locked field, which shows what the constant holds.
        row = row_of(page, "workos_login_redirects")
        assert "editor /editors/" in text(row) and "WORKOS_LOGIN_REDIRECTS" in text(row)
        assert re.search(r'class="[^"]*workos-field-error', row), row


def test_a_locked_field_shows_the_constants_value_and_name_secrets_masked(admin, env):  # noqa: F811
    with wp_config(env, """
        define('WORKOS_API_KEY', 'sk_test_locked_by_constant_9f3e');
        define('WORKOS_CONNECTION_ID', 'conn_from_constant');
        define('WORKOS_DEPROVISION_ACTION', 'demote');
    """):
        page = tab_page(admin, "settings")
        assert "sk_test_locked_by_constant_9f3e" not in page
        key = row_of(page, "workos_production_api_key")
        assert "sk_••••••••9f3e" in key and "WORKOS_API_KEY" in text(key)
        assert re.search(r'<input[^>]*id="workos_production_api_key"[^>]*disabled', key)
        conn = row_of(page, "workos_connection_id")
        assert re.search(r'<input[^>]*id="workos_connection_id"[^>]*value="conn_from_constant"[^>]*disabled', conn)
        assert "WORKOS_CONNECTION_ID" in text(conn) and "wp-config.php" in text(conn)
        users = tab_page(admin, "users")
        opts = options(row_of(users, "workos_deprovision_action"), "workos_deprovision_action")
        assert [label for v, label, sel in opts if sel] and [v for v, _, sel in opts if sel] == ["demote"]
