"""What the plugin registers at start-up: optional features' hooks only when their setting may be on, and the
lifecycle hooks without per-request path work (an anonymous page view pays for every registration)."""

from __future__ import annotations

AUDIT_HOOKS = ["wp_login", "wp_logout", "wp_login_failed", "user_register", "profile_update", "delete_user",
               "transition_post_status", "before_delete_post"]


def registered(wp_eval) -> dict:
    return wp_eval(
        """
        $out = array();
        foreach ($args as $hook) {
            $out[$hook] = false !== has_action($hook, array('WorkOS_WP\\\\AuditLogs\\\\AuditLogs', 'on_' . str_replace(array('wp_', 'transition_', 'before_'), '', $hook)));
        }
        $out['set_user_role:audit'] = false !== has_action('set_user_role', array('WorkOS_WP\\\\AuditLogs\\\\AuditLogs', 'on_set_user_role'));
        $out['set_user_role:push'] = false !== has_action('set_user_role', array('WorkOS_WP\\\\Users\\\\RolePush', 'on_set_user_role'));
        $out['activation'] = false !== has_action('activate_plugin', 'WorkOS_WP\\\\on_plugin_activated');
        $out['activation_hook'] = false !== has_action('activate_' . plugin_basename(WorkOS_WP\\PLUGIN_FILE));
        $out['deactivation'] = false !== has_action('deactivate_plugin', 'WorkOS_WP\\\\on_plugin_deactivated');
        return $out;
        """,
        AUDIT_HOOKS,
    )


def test_audit_log_and_role_push_hooks_follow_their_settings(wp_settings, wp_eval):
    wp_settings(audit_logs="0", push_role_changes="0")
    off = registered(wp_eval)
    assert not any(v for k, v in off.items() if k not in ("deactivation", "activation", "activation_hook")), off

    wp_settings(audit_logs="1", push_role_changes="0")
    on = registered(wp_eval)
    assert on["set_user_role:audit"] and not on["set_user_role:push"], on
    # Every listener AuditLogs has (the names follow its on_* methods).
    assert on["wp_login"] and on["wp_logout"] and on["user_register"], on

    wp_settings(audit_logs="0", push_role_changes="1")
    push = registered(wp_eval)
    assert push["set_user_role:push"] and not push["set_user_role:audit"], push


def test_the_fast_check_knows_every_constant_of_those_settings(wp_eval):
    # may_be_on() reads constants without loading Settings; its lists must be Settings' own.
    got = wp_eval(
        """
        return array(
            'audit' => array(WorkOS_WP\\AUDIT_LOGS_CONSTANTS, WorkOS_WP\\Settings::constant_names('audit_logs')),
            'push'  => array(WorkOS_WP\\PUSH_ROLE_CHANGES_CONSTANTS, WorkOS_WP\\Settings::constant_names('push_role_changes')),
        );
        """
    )
    for name, (fast, settings) in got.items():
        assert sorted(fast) == sorted(settings), name


def test_a_defined_constant_counts_as_maybe_on_whatever_the_option_says(wp_settings, wp_eval):
    wp_settings(audit_logs="0")
    got = wp_eval(
        """
        $before = WorkOS_WP\\may_be_on('audit_logs', WorkOS_WP\\AUDIT_LOGS_CONSTANTS);
        define('WORKOS_AUDIT_LOGS', false);
        return array($before, WorkOS_WP\\may_be_on('audit_logs', WorkOS_WP\\AUDIT_LOGS_CONSTANTS));
        """
    )
    # Defined (even as false): Settings decides, so the listeners must be there.
    assert got == [False, True], got


def test_lifecycle_hooks_cost_no_path_work_on_a_page_view_and_still_clean_up(wp_eval):
    got = registered(wp_eval)
    # The generic listeners, not plugin_basename() on every page view.
    assert got["deactivation"] and got["activation"] and not got["activation_hook"], got
    # Deactivating the plugin clears its scheduled chores, reactivating schedules them again.
    state = wp_eval(
        """
        require_once ABSPATH . 'wp-admin/includes/plugin.php';
        WorkOS_WP\\Maintenance::activate();
        $before = (bool) wp_next_scheduled(WorkOS_WP\\MAINTENANCE_HOOK);
        deactivate_plugins('workos/workos.php');
        $after = (bool) wp_next_scheduled(WorkOS_WP\\MAINTENANCE_HOOK);
        $active_after = is_plugin_active('workos/workos.php');
        activate_plugin('workos/workos.php');
        return array($before, $after, $active_after, is_plugin_active('workos/workos.php'), (bool) wp_next_scheduled(WorkOS_WP\\MAINTENANCE_HOOK));
        """
    )
    assert state == [True, False, False, True, True], state


def test_the_fast_check_reads_the_stored_settings_like_unserialize_would(wp_eval):
    """may_be_on() reads the autoloaded settings as stored (serialized) instead of through get_option()
    (issue 9: that unserialized the whole array twice per page view). Whatever the stored value, it must
    never say "off" when the unserialized array holds a non-empty value; it says "off" for the plain
    empty encodings and for a missing key; a decoy string holding the key's bytes makes it err to "on"."""
    got = wp_eval(
        r"""
        $cases = array(
            'true'    => array('audit_logs' => true),
            'one'     => array('audit_logs' => '1'),
            'int'     => array('audit_logs' => 1),
            'on'      => array('audit_logs' => 'on'),
            'array'   => array('audit_logs' => array('x')),
            'false'   => array('audit_logs' => false),
            'zero'    => array('audit_logs' => '0'),
            'izero'   => array('audit_logs' => 0),
            'empty'   => array('audit_logs' => ''),
            'null'    => array('audit_logs' => null),
            'none'    => array('audit_logs' => array()),
            'missing' => array('push_role_changes' => true),
            'other'   => array('xaudit_logs' => true, 'audit_logsx' => true),
            'decoy'   => array('note' => 's:10:"audit_logs";b:0;', 'audit_logs' => true),
            'decoy0'  => array('note' => 's:10:"audit_logs";b:1;', 'audit_logs' => false),
        );
        $out = array();
        foreach ($cases as $name => $stored) {
            $out[$name] = array(
                WorkOS_WP\serialized_value_may_be_set(serialize($stored), 'audit_logs'),
                ! empty($stored['audit_logs']),
            );
        }
        return $out;
        """
    )
    for name, (fast, truth) in got.items():
        assert fast or not truth, (name, fast, truth)  # never "off" when it is on
    assert {n for n, (fast, _) in got.items() if not fast} == {"false", "zero", "izero", "empty", "null", "none",
                                                             "missing", "other"}, got


def test_the_fast_check_follows_the_stored_option_and_its_filters(wp_settings, wp_eval):
    wp_settings(audit_logs="0")
    assert wp_eval("return WorkOS_WP\\may_be_on('audit_logs', array());") is False
    # A filter on the option may turn it on: Settings decides then.
    assert wp_eval(
        "add_filter('option_workos_settings', fn($v) => $v); return WorkOS_WP\\may_be_on('audit_logs', array());"
    ) is True
    wp_settings(audit_logs="1")
    assert wp_eval("return WorkOS_WP\\may_be_on('audit_logs', array());") is True


def test_a_hosted_login_path_is_recognised_without_asking_home_url_on_other_pages(wp_eval):
    """The index of Login Profiles' own paths is checked on every request: home_url() (filters, scheme
    work) is asked only when the request path ends in one of the index's paths (issue 9)."""
    got = wp_eval(
        r"""
        $calls = 0;
        add_filter('home_url', function ($u) use (&$calls) { $calls++; return $u; });
        add_filter('pre_option_workos_login_paths', fn() => array('members' => 'a', 'team/login' => 'b'));
        wp_load_alloptions(); // the index must look non-empty to the autoloaded-options check
        $GLOBALS['wp_object_cache']->set('alloptions', array_merge(wp_load_alloptions(), array('workos_login_paths' => 'x')), 'options');
        $out = array();
        foreach ($args as $uri) {
            $before = $calls;
            $out[] = array($uri, WorkOS_WP\is_hosted_login_request($uri), $calls - $before);
        }
        return $out;
        """,
        ["/", "/sample-page/", "/?s=members", "/members", "/members/?x=1", "/Team/Login/", "/team/login#x",
         "/workos/login/default", "/membersx", "/blog/membersx", "/x/team/loginx"],
    )
    answers = {uri: (hit, calls) for uri, hit, calls in got}
    for uri in ("/members", "/members/?x=1", "/Team/Login/", "/team/login#x", "/workos/login/default"):
        assert answers[uri][0] is True, (uri, answers)
    for uri in ("/", "/sample-page/", "/?s=members", "/membersx", "/blog/membersx", "/x/team/loginx"):
        assert answers[uri] == (False, 0), (uri, answers)


def our_hooks(url: str, cookies: dict | None = None, **params) -> dict:
    """The plugin's callbacks per hook on one request, as the test probe mu-plugin reports them."""
    import json
    import re

    import requests

    r = requests.get(url, params=params, cookies=cookies, headers={"X-WorkOS-Probe": "1"}, timeout=30)
    m = re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text)
    assert m, (r.status_code, r.text[-300:])
    return json.loads(m.group(1))["hooks"]


# Hooks only the admin, wp-login.php, REST, WP-Cron, WP-CLI or a signed-in visitor fire.
NOT_ON_A_PAGE_VIEW = ["login_form_login", "login_form_workos_confirm", "login_form", "login_enqueue_scripts",
                      "logout_redirect", "workos_revoke_session", "workos_maintenance", "cron_schedules",
                      "activate_plugin", "deactivate_plugin", "rest_api_init", "admin_bar_menu", "admin_bar_init",
                      "workos_login_profile_saved", "workos_schema_installed",
                      "wp_authenticate_application_password_errors"]
# Hooks any request may fire (passwords, user meta, sign-in by another plugin's form): always registered.
ALWAYS = ["authenticate", "added_user_meta", "updated_user_meta", "deleted_user_meta", "deleted_user", "wp_login",
          "login_redirect", "init"]


def test_a_plain_page_view_registers_only_what_a_page_view_can_fire(wp_url):
    """Issue 9: each registration costs about a microsecond of every page view, so an anonymous GET of a
    page registers what may fire there and `login_init` (wp-login.php's screens arrive with it)."""
    for path in ("/", "/sample-page/"):
        hooks = our_hooks(wp_url + path)
        assert not [h for h in NOT_ON_A_PAGE_VIEW if h in hooks], hooks
        assert all(h in hooks for h in ALWAYS), hooks
        assert hooks.get("login_init") == 1, hooks
        assert sum(hooks.values()) <= 16, hooks  # 36 before the gate


def test_every_other_request_registers_everything(wp_url, wp_eval):
    """A signed-in cookie (even one WordPress then refuses), an `action` argument or a REST URL make it
    not a plain page view: the full set is registered, as before the gate."""
    cookie = wp_eval("return LOGGED_IN_COOKIE;")
    for hooks in (our_hooks(wp_url + "/sample-page/", cookies={cookie: "x"}),
                  our_hooks(wp_url + "/sample-page/", action="x")):
        missing = [h for h in NOT_ON_A_PAGE_VIEW + ALWAYS if h not in hooks]
        assert missing == [], (missing, hooks)
        assert "login_init" not in hooks, hooks


def test_wp_login_php_is_never_a_plain_page_view(wp_url):
    """wp-login.php fetched without arguments (a GET, not signed in) has its screens: the redirect-mode
    takeover runs and WordPress's own form (?fallback=1) still links to single sign-on."""
    import requests

    r = requests.get(wp_url + "/wp-login.php", allow_redirects=False, timeout=30)
    assert r.status_code == 302 and "state=" in r.headers["Location"], (r.status_code, r.headers.get("Location"))
    r = requests.get(wp_url + "/wp-login.php", params={"fallback": "1"}, timeout=30)
    assert r.status_code == 200 and "workos-sso-link" in r.text
