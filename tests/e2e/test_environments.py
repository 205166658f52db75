"""Two WorkOS environments (production, staging), one active; WORKOS_<ENV>_* and WORKOS_* constants win over the
database and are seeded into it; secrets are masked in both."""

from __future__ import annotations

import re

from authkit import start
from test_settings import admin, save_form  # noqa: F401  (fixture)


def test_constants_per_environment_win_and_are_seeded(wp_eval, wp_settings):
    wp_settings()  # put the option back afterwards
    out = wp_eval(
        """
        define('WORKOS_ENVIRONMENT', 'staging');
        define('WORKOS_STAGING_CLIENT_ID', 'client_from_staging_constant');
        define('WORKOS_ORGANIZATION_ID', 'org_generic_constant');
        define('WORKOS_STAGING_ORGANIZATION_ID', 'org_staging_constant');
        $s = 'WorkOS_WP\\\\Settings';
        $before = get_option('workos_settings');
        $s::seed_from_constants();
        $after = get_option('workos_settings');
        return [
          'env' => $s::environment(),
          'client' => $s::get('client_id'),
          'client_production' => $s::get('client_id', 'production'),
          'org' => $s::get('organization_id'),
          'org_production' => $s::get('organization_id', 'production'),
          'constant' => $s::constant_name('organization_id'),
          'api_key_staging' => $s::get('api_key'),
          'seeded' => $after['environments'] ?? null,
        ];
        """
    )
    assert out["env"] == "staging"
    assert out["client"] == "client_from_staging_constant"
    assert out["client_production"] != out["client"]  # production keeps its own
    assert out["org"] == "org_staging_constant" and out["org_production"] == "org_generic_constant"
    assert out["constant"] == "WORKOS_STAGING_ORGANIZATION_ID"
    assert out["api_key_staging"] == ""  # staging never borrows production's credentials
    assert out["seeded"]["staging"]["client_id"] == "client_from_staging_constant"
    assert out["seeded"]["staging"]["organization_id"] == "org_staging_constant"
    assert out["seeded"]["production"]["organization_id"] == "org_generic_constant"


def test_switching_environment_switches_the_credentials_used(session_factory, wp_url, env, wp_eval, wp_settings):
    saved = wp_eval("return get_option('workos_settings');")
    environments = {"staging": {"api_key": env["API_KEY"], "client_id": "client_staging_e2e", "api_base_url": env["API_BASE_URL"]}}
    wp_settings(environment="staging", environments=environments)
    flow = start(session_factory(wp_url), wp_url)
    assert flow.params["client_id"] == "client_staging_e2e"

    # Staging without credentials: the plugin stands aside and WordPress's form is shown.
    wp_settings(environments={"staging": {}})
    r = session_factory(wp_url).get("/wp-login.php", allow_redirects=False)
    assert r.status_code == 200 and 'id="loginform"' in r.text

    wp_settings(environment="production")
    assert start(session_factory(wp_url), wp_url).params["client_id"] == saved["client_id"]


def test_settings_page_has_both_environments_masked_and_saves_each(admin, env, wp_eval, wp_settings):  # noqa: F811
    wp_settings()
    page = save_form(admin, {
        "environment": "production",
        "environments][staging][api_key": "sk_test_staging_secret_9876",
        "environments][staging][client_id": "client_staging_form",
    })
    stored = wp_eval("return get_option('workos_settings');")
    assert stored["environments"]["staging"] == {"api_key": "sk_test_staging_secret_9876", "client_id": "client_staging_form"} | {
        k: v for k, v in stored["environments"]["staging"].items() if k not in ("api_key", "client_id")}
    html = admin.get("/wp-admin/options-general.php?page=workos").text
    assert "sk_test_staging_secret_9876" not in html and "sk_••••••••9876" in html
    assert 'name="workos_settings[environments][staging][client_id]"' in html
    assert 'id="workos_production_api_key"' in html
    # A blank secret keeps the stored one.
    save_form(admin, {"environment": "production", "environments][staging][api_key": ""})
    assert wp_eval("return get_option('workos_settings')['environments']['staging']['api_key'];") == "sk_test_staging_secret_9876"
    assert re.search(r"workos-environment-production", html)  # the admin-bar badge
