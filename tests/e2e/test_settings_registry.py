"""One definition per setting (Settings\\Registry) and per usermeta key (Users\\UserMeta): the screen,
`workos status`, Settings and the README table all follow them, so they cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

from test_settings import admin, save_tab  # noqa: F401  (the admin fixture)

REPO = Path(__file__).resolve().parents[2]

# What each setting was before the registry (Settings::NETWORK, ::PER_ENVIRONMENT, ::FIELDS
# secrets): the scopes decide who may change network-wide users, so they must not move by accident.
NETWORK = {"environment", "environment_id", "api_key", "client_id", "webhook_secret", "api_base_url",
           "deprovision_action", "deprovision_role", "deprovision_reassign", "push_role_changes",
           "trusted_proxies", "log_retention_days"}
PER_ENVIRONMENT = {"api_key", "client_id", "environment_id", "webhook_secret", "organization_id", "api_base_url"}
SECRETS = {"api_key", "webhook_secret"}
RULES = {"text", "choice", "url", "bool", "role_map", "role_redirects", "proxies", "user_id", "days", "role",
         "redirect"}  # issue 10: an off-site redirect target is refused when saved

REGISTRY = r"""
$out = [];
foreach (WorkOS_WP\Settings\Registry::all() as $key => $s) {
    $out[$key] = ['type' => $s->type, 'choices' => $s->choices, 'default' => $s->default, 'secret' => $s->secret,
        'per_environment' => $s->per_environment, 'network' => $s->network, 'constant_only' => $s->constant_only,
        'section' => $s->section, 'rule' => $s->rule, 'label' => $s->label, 'help' => $s->help,
        'aliases' => WorkOS_WP\Settings\Registry::SETTINGS[$key]['aliases'] ?? [],
        'env_constants' => !empty(WorkOS_WP\Settings\Registry::SETTINGS[$key]['env_constants']),
        'constants' => WorkOS_WP\Settings::constant_names($key, 'staging')];
}
return ['settings' => $out, 'sections' => array_keys(WorkOS_WP\Settings\Registry::SECTIONS)];
"""


def readme_table() -> list[tuple[str, list[str], str]]:
    """The configuration table: (setting column, constants, notes) per row."""
    text = (REPO / "README.md").read_text()
    start = text.index("| setting | constant | notes |")
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rows.append((cells[0], re.findall(r"`(WORKOS_[A-Z0-9_]+)`", cells[1]), cells[2]))
    return rows


def test_every_setting_is_fully_defined(wp_eval):
    reg = wp_eval(REGISTRY)
    settings = reg["settings"]
    assert {k for k, s in settings.items() if s["network"]} == NETWORK
    assert {k for k, s in settings.items() if s["per_environment"]} == PER_ENVIRONMENT
    assert {k for k, s in settings.items() if s["secret"]} == SECRETS
    for key, s in settings.items():
        assert s["label"], key
        assert s["rule"] in RULES, key
        assert s["section"] in reg["sections"] or (s["constant_only"] and s["section"] == ""), key
        if s["type"] == "choice":
            assert s["default"] in s["choices"], key
        # Constants: the environment's own first, then the generic one, each followed by its aliases.
        # Issue 13: a setting with one value for all environments may still take the reference
        # plugin's per-environment constant forms (`env_constants`).
        names = [key.upper()] + s["aliases"]
        generic = ["WORKOS_" + n for n in names]
        per_env = s["per_environment"] or s["env_constants"]
        assert s["constants"] == (["WORKOS_STAGING_" + n for n in names] if per_env else []) + generic


def test_readme_configuration_table_matches_the_registry(wp_eval):
    settings = wp_eval(REGISTRY)["settings"]
    by_constant = {}
    for key, s in settings.items():
        for name in [key.upper()] + s["aliases"]:
            by_constant["WORKOS_" + name] = key
    documented = set()
    for label, constants, notes in readme_table():
        assert constants, f"README row {label!r} names no constant"
        for constant in constants:
            assert constant in by_constant, f"README documents {constant}, which no setting reads"
            documented.add(constant)
            s = settings[by_constant[constant]]
            assert s["per_environment"] == notes.startswith("per environment"), (constant, notes[:40])
            assert s["secret"] == ("secret" in notes.split(".")[0]), (constant, notes[:40])
            assert s["constant_only"] == (label == "—"), (constant, label)
    assert documented == set(by_constant), f"settings missing from the README table: {set(by_constant) - documented}"


def test_a_constant_only_setting_never_comes_from_the_database(wp_eval):
    out = wp_eval(
        r"""
        $filter = fn($o) => array_merge((array) $o, ['token_issuer' => 'https://evil.example', 'jwks_cache_dir' => '/tmp/x']);
        add_filter('option_workos_settings', $filter);
        $before = [WorkOS_WP\Settings::get('token_issuer'),
                   WorkOS_WP\Settings::get('jwks_cache_dir') === (defined('WORKOS_JWKS_CACHE_DIR') ? WORKOS_JWKS_CACHE_DIR : '')];
        define('WORKOS_TOKEN_ISSUER', 'https://auth.example.com');
        $after = [WorkOS_WP\Settings::get('token_issuer'), WorkOS_WP\Settings::from_constant('token_issuer')];
        remove_filter('option_workos_settings', $filter);
        return [$before, $after];
        """
    )
    assert out == [["", True], ["https://auth.example.com", True]]


def test_status_shows_every_stored_setting_and_masks_the_secrets(wp_eval, env):
    out = wp_eval(
        r"""
        $rows = WorkOS_WP\Cli\Commands::run(['status'], [])->rows;
        $stored = WorkOS_WP\Settings\Registry::stored_keys();
        return [array_slice(array_column($rows, 'setting'), 0, count($stored)), $stored, array_column($rows, 'value', 'setting')];
        """
    )
    shown, stored, values = out
    assert shown == stored
    assert env["API_KEY"] not in str(values) and env["WEBHOOK_SECRET"] not in str(values)
    assert values["api_key"].endswith(env["API_KEY"][-4:]) and "••••" in values["api_key"]


def test_organization_tab_saves_what_it_shows(admin, wp_eval, wp_settings):  # noqa: F811
    """The tab's own fields (members only, enrolment, fail open) are named as they are stored: ticking
    Members only and saving the form as rendered turns it on."""
    wp_settings(entitlement_gate=False, org_enrolment="verified_domain")
    page = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": "organization"}).text
    names = set(re.findall(r'name="(workos_settings\[[^"]+)"', page))
    for key in ("entitlement_gate", "gate_fail_open", "org_enrolment"):
        assert f"workos_settings[{key}]" in names, names
    assert "workos_settings[environments][production][organization_id]" in names
    save_tab(admin, "organization", {"entitlement_gate": "1", "org_enrolment": "off",
                                     "environments][production][organization_id": ""})
    stored = wp_eval("return get_option('workos_settings');")
    assert stored["entitlement_gate"] is True and stored["org_enrolment"] == "off"
    assert stored.get("gate_fail_open") is False  # its own unchecked box


def test_usermeta_keys_are_declared_once(wp_eval):
    out = wp_eval(
        r"""
        $r = new ReflectionClass(WorkOS_WP\Users\UserMeta::class);
        $keys = array_diff_key($r->getConstants(), ['PREFIX' => 1, 'ALL' => 1]);
        return [array_values($keys), WorkOS_WP\Users\UserMeta::ALL, WorkOS_WP\Users\UserMeta::PREFIX,
                WorkOS_WP\Users\Users::META_ID, WorkOS_WP\Users\Links::KEYS];
        """
    )
    keys, every, prefix, meta_id, links = out
    assert sorted(keys) == sorted(every) and len(set(every)) == len(every)
    assert all(k.startswith(prefix) for k in every)
    assert meta_id == "_workos_user_id" and links == {"user": "_workos_user_id", "directory": "_workos_directory_user_id"}
    # No other PHP file of the plugin spells a key out (workos.php tests the prefix only).
    for path in (REPO / "php-shim").rglob("*.php"):
        if path.name == "UserMeta.php":
            continue
        for key in every:
            assert f"'{key}'" not in path.read_text(), f"{path.relative_to(REPO)} spells out {key}: use UserMeta"


def test_site_health_info_lists_the_settings_with_secrets_masked_and_private(admin, env):  # noqa: F811
    page = admin.get("/wp-admin/site-health.php", params={"tab": "debug"})
    assert page.status_code == 200
    html = page.text
    assert 'id="health-check-accordion-block-workos"' in html
    assert env["CLIENT_ID"] in html
    assert env["API_KEY"] not in html and env["WEBHOOK_SECRET"] not in html
    assert "sk_••••••••" + env["API_KEY"][-4:] in html
    # "Copy site info" (the data-clipboard-text of the copy button) has every setting, secrets only
    # masked (issue 10: the section is complete for support requests; see test_site_health.py).
    copy = re.search(r'data-clipboard-text="([^"]*)"', html).group(1).split("### workos ###")[1]
    assert "client_id: " + env["CLIENT_ID"] in copy and "login_mode: " in copy
    assert env["API_KEY"] not in copy and env["WEBHOOK_SECRET"] not in copy
    assert "api_key: sk_••••••••" + env["API_KEY"][-4:] in copy
