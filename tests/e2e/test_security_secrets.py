"""Issue 8, finding 11: a secret kept in wp-config.php stays there. Constant-defined secrets are never
copied into wp_options (by the admin-load seeding or by saving the settings form), and when the API key
comes from a constant, the API base URL — where the key is sent — can only be changed by a constant too:
whoever can write wp_options must not be able to send the key to their own server."""

from __future__ import annotations

import http.server
import threading

import pytest

API_KEY = "sk_test_kept_in_wp_config_7a1f"
STAGING_SECRET = "whsec_staging_kept_in_wp_config_93c2"

CONSTANTS = f"""
    define('WORKOS_API_KEY', '{API_KEY}');
    define('WORKOS_STAGING_WEBHOOK_SECRET', '{STAGING_SECRET}');
    define('WORKOS_STAGING_CLIENT_ID', 'client_staging_from_constant');
"""


def raw_option(wp_eval) -> str:
    """The option as stored in the database (no cache in between)."""
    return wp_eval("global $wpdb; return (string) $wpdb->get_var(\"SELECT option_value FROM {$wpdb->options} WHERE option_name = 'workos_settings'\");")


def test_constant_secrets_are_never_copied_into_the_database(wp_eval, wp_settings):
    # A copy an earlier version seeded is there to begin with.
    wp_settings(environments={"production": {"api_key": API_KEY}, "staging": {"webhook_secret": STAGING_SECRET}})
    out = wp_eval(
        CONSTANTS
        + """
        WorkOS_WP\\Settings::seed_from_constants();
        $seeded = get_option('workos_settings');
        // The settings form, as options.php runs it (sanitize callback of the registered setting).
        require_once ABSPATH . 'wp-admin/includes/template.php';
        WorkOS_WP\\Admin\\SettingsPage::register();
        update_option('workos_settings', ['_form' => 'settings', 'environment' => 'production',
            'environments' => ['production' => ['api_key' => ''], 'staging' => ['webhook_secret' => '', 'client_id' => 'x']]]);
        return ['seeded' => $seeded, 'key' => WorkOS_WP\\Settings::get('api_key'),
                'staging_secret' => WorkOS_WP\\Settings::get('webhook_secret', 'staging')];
        """
    )
    assert out["key"] == API_KEY and out["staging_secret"] == STAGING_SECRET  # the constants are in effect
    assert API_KEY not in str(out["seeded"]) and STAGING_SECRET not in str(out["seeded"])
    stored = raw_option(wp_eval)
    assert API_KEY not in stored and STAGING_SECRET not in stored
    # Non-secret constants are still kept in the database, as before.
    assert "client_staging_from_constant" in str(out["seeded"])


class Listener(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def do_GET(self):  # noqa: N802
        Listener.seen.append((self.path, self.headers.get("Authorization", "")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"data": [], "list_metadata": {}}')

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    Listener.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", Listener.seen
    server.shutdown()
    server.server_close()


def test_a_database_base_url_never_receives_a_constant_api_key(wp_eval, wp_settings, listener):
    url, seen = listener
    # Someone who can write wp_options points the API at their server, at both levels.
    wp_settings(api_base_url=url, environments={"production": {"api_base_url": url}})
    out = wp_eval(
        CONSTANTS
        + """
        $base = WorkOS_WP\\Settings::get('api_base_url');
        try {
            WorkOS_WP\\Api::client()->listOrganizations();
            $call = 'ok';
        } catch (WorkOS\\Native\\Exception $e) {
            $call = get_class($e);
        }
        ob_start();
        WorkOS_WP\\Admin\\SettingsPage::render_field(['key' => 'api_base_url', 'env' => 'production', 'help' => '']);
        $field = ob_get_clean();
        return ['base' => $base, 'field' => $field, 'call' => $call];
        """
    )
    assert not [h for _, h in seen if API_KEY in h], "the constant API key was sent to the URL from the database"
    assert seen == []
    assert out["base"] == "https://api.workos.com"
    assert " disabled" in out["field"] and "WORKOS_API_BASE_URL" in out["field"]


def test_without_a_constant_key_the_stored_base_url_applies(wp_eval, wp_settings, listener, env):
    url, seen = listener
    wp_settings(api_base_url=url, environments={"production": {"api_base_url": url}})
    out = wp_eval("""
        try { WorkOS_WP\\Api::client()->listOrganizations(); } catch (WorkOS\\Native\\Exception $e) {}
        return WorkOS_WP\\Settings::get('api_base_url');
    """)
    assert out == url
    assert [h for _, h in seen] == ["Bearer " + env["API_KEY"]]


def test_a_constant_base_url_goes_with_a_constant_key(wp_eval, wp_settings, listener):
    url, seen = listener
    wp_settings(api_base_url="https://elsewhere.invalid")
    out = wp_eval(
        CONSTANTS
        + f"define('WORKOS_API_BASE_URL', '{url}');"
        + """
        try { WorkOS_WP\\Api::client()->listOrganizations(); } catch (WorkOS\\Native\\Exception $e) {}
        return WorkOS_WP\\Settings::get('api_base_url');
        """
    )
    assert out == url
    assert [h for _, h in seen] == ["Bearer " + API_KEY]
