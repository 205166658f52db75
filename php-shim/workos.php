<?php
/**
 * Plugin Name:       WorkOS for WordPress
 * Description:       Enterprise sign-in for WordPress through WorkOS — AuthKit SSO, Directory Sync webhooks and more — powered by the workos PHP extension, written in Rust.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.2
 * License:           GPL-2.0-or-later
 * Text Domain:       workos
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP {

	use WorkOS_WP\AuditLogs\AuditLogs;
	use WorkOS_WP\Button\LoginButton;
	use WorkOS_WP\Button\LoginWidget;
	use WorkOS_WP\SignIn\BearerAuth;
	use WorkOS_WP\SignIn\Callback;
	use WorkOS_WP\SignIn\Confirmation;
	use WorkOS_WP\SignIn\EmailVerification;
	use WorkOS_WP\SignIn\Login;
	use WorkOS_WP\SignIn\Logout;
	use WorkOS_WP\SignIn\PasswordLogin;
	use WorkOS_WP\SignIn\Redirects;
	use WorkOS_WP\Users\Links;
	use WorkOS_WP\Users\UserMeta;
	use WorkOS_WP\Users\RolePush;
	use WorkOS_WP\Users\Users;
	use WorkOS_WP\Webhooks\Webhook;

	defined( 'ABSPATH' ) || exit;

	const VERSION     = '0.1.0';
	const PLUGIN_FILE = __FILE__;

	/*
	 * The reference plugin's constants ("Integration with WorkOS",
	 * docs/REFERENCE-API.md §3): themes and plugins test WORKOS_VERSION to find
	 * it and build paths from the others. Defined on every request, as there.
	 * The basename is worked out once (plugin_dir_url() would work it out
	 * again inside plugins_url(): half of these constants' cost); the URL is
	 * then what plugin_dir_url() answers, its filter included. Another plugin
	 * that already defined them (the reference, still active) keeps its own.
	 */
	if ( ! defined( 'WORKOS_VERSION' ) ) {
		$workos_basename = plugin_basename( __FILE__ );
		define( 'WORKOS_VERSION', VERSION );
		define( 'WORKOS_FILE', __FILE__ );
		define( 'WORKOS_DIR', __DIR__ . '/' );
		define( 'WORKOS_BASENAME', $workos_basename );
		/** This filter is documented in wp-includes/link-template.php */
		define( 'WORKOS_URL', trailingslashit( apply_filters( 'plugins_url', set_url_scheme( WP_PLUGIN_URL ) . '/' . dirname( $workos_basename ), '', __FILE__ ) ) );
		unset( $workos_basename );
	}

	/** The plugin's one name (as its header's Plugin Name): screens, Site Health, notices, the CLI. */
	const PRODUCT_NAME = 'WorkOS for WordPress';

	/** Where WorkOS sends visitors back to; see Callback. */
	const CALLBACK_PATH = '/workos/callback';

	/** WP-Cron hook that revokes a WorkOS session after logout; see Logout. */
	const REVOKE_HOOK = 'workos_revoke_session';

	/** WP-Cron hook of the background chores; see Maintenance. */
	const MAINTENANCE_HOOK = 'workos_maintenance';

	/*
	 * Every page view loads this file, so it only registers an autoloader and a
	 * handful of hooks. Each feature's code is loaded on the hook or route that
	 * needs it; an anonymous front-end view loads nothing else.
	 */
	spl_autoload_register(
		static function ( string $class_name ): void {
			if ( 0 !== strpos( $class_name, __NAMESPACE__ . '\\' ) ) {
				return;
			}
			$relative = str_replace( '\\', '/', substr( $class_name, strlen( __NAMESPACE__ ) + 1 ) );
			$file     = __DIR__ . '/src/' . $relative . '.php';
			if ( is_file( $file ) ) {
				require $file;
			}
		}
	);

	/**
	 * The constants that can switch on the optional features whose hooks are
	 * registered only when on (Settings::constant_names(); a test keeps them equal).
	 */
	const AUDIT_LOGS_CONSTANTS        = array( 'WORKOS_AUDIT_LOGS' );
	const PUSH_ROLE_CHANGES_CONSTANTS = array( 'WORKOS_PUSH_ROLE_CHANGES' );

	/**
	 * Whether a boolean setting may be on, decided without loading Settings (an
	 * ordinary page view loads no plugin class): true when one of its constants
	 * is defined, in a multisite network (network settings live elsewhere), when
	 * something filters the option, or when the stored option holds a non-empty
	 * value for it. Errs towards true; Settings::flag() decides.
	 *
	 * Runs twice on every request, so it reads the autoloaded option as stored
	 * (serialized) instead of through get_option(), which unserializes the whole
	 * settings array each time (≈ 5 µs a call, most of this file's cost before).
	 *
	 * @param string   $key       Setting key.
	 * @param string[] $constants Its constants.
	 */
	function may_be_on( string $key, array $constants ): bool {
		foreach ( $constants as $name ) {
			if ( defined( $name ) ) {
				return true;
			}
		}
		if ( is_multisite() || has_filter( 'pre_option_workos_settings' ) || has_filter( 'option_workos_settings' ) ) {
			return true;
		}
		$all = wp_load_alloptions();
		$raw = $all['workos_settings'] ?? null; // Settings::OPTION, autoloaded.
		if ( ! is_string( $raw ) || 0 !== strpos( $raw, 'a:' ) ) {
			$stored = get_option( 'workos_settings' ); // Not autoloaded or not serialized here: the ordinary read.
			return is_array( $stored ) && ! empty( $stored[ $key ] );
		}
		return serialized_value_may_be_set( $raw, $key );
	}

	/**
	 * Whether a serialized array may hold a non-empty value at a top-level
	 * string key, read without unserializing it. The key's first occurrence is
	 * only trusted when it is the only one (a string value could contain the
	 * same bytes); anything unsure counts as set.
	 *
	 * @param string $raw Serialized array.
	 * @param string $key Key.
	 */
	function serialized_value_may_be_set( string $raw, string $key ): bool {
		$needle = 's:' . strlen( $key ) . ':"' . $key . '";';
		$at     = strpos( $raw, $needle );
		if ( false === $at ) {
			return false; // Not stored: empty.
		}
		if ( false !== strpos( $raw, $needle, $at + 1 ) ) {
			return true;
		}
		$value = substr( $raw, $at + strlen( $needle ), 8 );
		foreach ( array( 'b:0;', 'i:0;', 'd:0;', 'N;', 's:0:"";', 's:1:"0";', 'a:0:{}' ) as $empty ) {
			if ( 0 === strpos( $value, $empty ) ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * activate_plugin: this plugin's activation installs the tables and chores.
	 *
	 * @param string $plugin Basename of the plugin being activated.
	 */
	function on_plugin_activated( $plugin ): void {
		if ( plugin_basename( PLUGIN_FILE ) === $plugin ) {
			Maintenance::activate();
		}
	}

	/**
	 * deactivate_plugin: this plugin's deactivation leaves no chores behind.
	 *
	 * @param string $plugin Basename of the plugin being deactivated.
	 */
	function on_plugin_deactivated( $plugin ): void {
		if ( plugin_basename( PLUGIN_FILE ) === $plugin ) {
			Maintenance::deactivate();
		}
	}

	/** Option: each Login Profile's own path => its slug (SignIn\Hosted\Entry::INDEX_OPTION). */
	const LOGIN_PATHS_OPTION = 'workos_login_paths';

	/**
	 * Whether a request is for a hosted login page: `/workos/login/…`, or a path
	 * in the index of Login Profiles' own paths. Runs on every request, so it
	 * reads only the autoloaded options (a missing index is no query either)
	 * and loads no file; home_url() is asked only when the path ends in one of
	 * the index's paths. Entry::serve() decides for sure.
	 *
	 * @param string $uri The request URI.
	 */
	function is_hosted_login_request( string $uri ): bool {
		if ( false !== strpos( $uri, '/workos/login/' ) ) {
			return true;
		}
		$all = wp_load_alloptions();
		if ( ! isset( $all[ LOGIN_PATHS_OPTION ] ) || 'a:0:{}' === $all[ LOGIN_PATHS_OPTION ] ) {
			return false;
		}
		$paths = get_option( LOGIN_PATHS_OPTION );
		if ( ! is_array( $paths ) || ! $paths ) {
			return false;
		}
		$path = strtolower( trim( substr( $uri, 0, strcspn( $uri, '?#' ) ), '/' ) );
		// A profile's path is the request path, or its end after the site's own base path.
		$tail = $path;
		while ( ! isset( $paths[ $tail ] ) ) {
			$slash = strpos( $tail, '/' );
			if ( false === $slash ) {
				return false;
			}
			$tail = substr( $tail, $slash + 1 );
		}
		$base = strtolower( trim( (string) wp_parse_url( home_url(), PHP_URL_PATH ), '/' ) );
		if ( '' !== $base && 0 === strpos( $path . '/', $base . '/' ) ) {
			$path = trim( substr( $path, strlen( $base ) ), '/' );
		}
		return isset( $paths[ $path ] );
	}

	/**
	 * admin_init: the index of Login Profiles' paths exists (a site updated
	 * without reactivating the plugin gets it on its first admin page).
	 */
	function ensure_login_paths(): void {
		$all = wp_load_alloptions();
		if ( ! isset( $all[ LOGIN_PATHS_OPTION ] ) ) {
			SignIn\Hosted\Entry::rebuild_index();
		}
	}

	/**
	 * Whether the `workos` extension is loaded (and new enough for this shim).
	 */
	function extension_ready(): bool {
		return extension_loaded( 'workos' ) && class_exists( '\WorkOS\Native\Client', false );
	}

	/**
	 * Whether this request is a plain anonymous page view: a GET or HEAD of a
	 * front-end URL without a `workos` route, REST prefix or `action` argument,
	 * from a visitor without WordPress's signed-in cookie or credentials, outside
	 * the admin, WP-Cron and the command line. Only decides which hooks to
	 * register (add_hooks()), so what a visitor sends can at most make their own
	 * request register more; it errs towards "not a page view".
	 *
	 * @param string $uri   The request URI.
	 * @param string $route The URI decoded when it mentions `workos`, else ''.
	 */
	function is_plain_page_view( string $uri, string $route ): bool {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- nothing is done with the request's data here.
		$method = isset( $_SERVER['REQUEST_METHOD'] ) ? $_SERVER['REQUEST_METHOD'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		return ( 'GET' === $method || 'HEAD' === $method )
			&& '' === $route
			&& 'cli' !== PHP_SAPI
			&& ! is_admin()
			&& ! wp_doing_cron()
			&& ! ( defined( 'ALTERNATE_WP_CRON' ) && ALTERNATE_WP_CRON ) // Cron runs inside a page view.
			&& ( ! isset( $GLOBALS['pagenow'] ) || 'wp-login.php' !== $GLOBALS['pagenow'] )
			&& ! isset( $_REQUEST['action'] ) && ! isset( $_GET['rest_route'] )
			&& ! isset( $_SERVER['HTTP_AUTHORIZATION'] ) && ! isset( $_SERVER['REDIRECT_HTTP_AUTHORIZATION'] ) && ! isset( $_SERVER['PHP_AUTH_USER'] )
			&& ! ( defined( 'LOGGED_IN_COOKIE' ) && isset( $_COOKIE[ LOGGED_IN_COOKIE ] ) )
			&& false === strpos( $uri, '/wp-json' );
		// phpcs:enable
	}

	/**
	 * wp-login.php's screens, one `login_form_{action}` hook each (as
	 * WordPress/two-factor does): only wp-login.php fires them. Registering the
	 * code steps' actions also makes wp-login.php accept them (it checks before
	 * `login_init`; a request carrying `action` is never a plain page view, so
	 * they are registered by then). Logout first remembers the WorkOS session to
	 * revoke.
	 */
	function add_login_hooks(): void {
		add_action( 'login_form_login', array( Login::class, 'on_login' ) );
		add_action( 'login_form_register', array( Login::class, 'on_register' ) );
		add_action( 'login_form_lostpassword', array( Login::class, 'on_lost_password' ) );
		add_action( 'login_form_retrievepassword', array( Login::class, 'on_lost_password' ) );
		add_action( 'login_form_logout', array( Logout::class, 'capture' ) );
		// The emailed-code steps (CodeStep); the action names are spelled out, as
		// reading Confirmation::ACTION would load its file on every request.
		add_action( 'login_form_workos_confirm', array( Confirmation::class, 'handle' ) );
		add_action( 'login_form_workos_verify', array( EmailVerification::class, 'handle' ) );
		// WordPress's own form in redirect mode (`?fallback=1`) links back to single sign-on.
		add_action( 'login_form', array( Login::class, 'sso_link' ) );
		// The `?workos=0` bypass (opted into by filters) keeps itself across the form's POST.
		add_action( 'login_form', array( SignIn\Bypass::class, 'hidden_field' ) );
		add_action( 'login_enqueue_scripts', array( Login::class, 'styles' ) );
	}

	/**
	 * Every hook the plugin registers, in one place.
	 */
	function add_hooks(): void {
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		// One cheap test gates the per-route checks below: each of our REST routes
		// and pages has `workos` in its URI (also as ?rest_route=…, percent-encoded
		// slashes included), so an ordinary page view decodes nothing and each
		// `$route` test is a search in ''. New route checks: test `$route`.
		$route  = false !== stripos( $uri, 'workos' ) ? rawurldecode( $uri ) : '';
		$hosted = is_hosted_login_request( $uri );
		// The one gate of issue 9: on a plain anonymous page view (most requests a
		// site serves, see is_plain_page_view()) the hooks that only the admin,
		// wp-login.php, REST, WP-Cron, WP-CLI or a signed-in visitor can fire are
		// not registered (each registration costs about a microsecond). Hooks that
		// any request may fire (passwords, user meta, sign-in) are always there.
		$page_view = ! $hosted && is_plain_page_view( $uri, $route );

		// Sign-in: wp-login.php's screens (add_login_hooks()). On a plain page view
		// only `login_init` is registered: wp-login.php fires it before its screens,
		// also when another plugin serves it under a different URL.
		if ( $page_view ) {
			add_action( 'login_init', __NAMESPACE__ . '\\add_login_hooks' );
		} else {
			add_login_hooks();
		}

		// The OAuth callback is recognised by its path, without rewrite rules; the
		// substring test keeps Callback's file unloaded on every other request.
		if ( false !== strpos( $uri, CALLBACK_PATH ) && Callback::is_callback_request() ) {
			add_action( 'init', array( Callback::class, 'handle' ), 1 );
		}

		// The hosted login's pages, also without rewrite rules: /workos/login/{profile}
		// and each Login Profile's own path (looked up in an autoloaded index, so
		// telling them apart costs no query); other requests leave Hosted\Entry
		// unloaded. The index follows the profiles; `[workos:login]` embeds the shell.
		if ( $hosted ) {
			add_action( 'wp_loaded', array( SignIn\Hosted\Entry::class, 'serve' ) );
		}
		// Profiles are saved and the schema installed from the admin, REST, WP-CLI and activation only.
		if ( ! $page_view ) {
			add_action( 'workos_login_profile_saved', array( SignIn\Hosted\Entry::class, 'rebuild_index' ), 10, 0 );
			add_action( 'workos_login_profile_deleted', array( SignIn\Hosted\Entry::class, 'rebuild_index' ), 10, 0 );
			add_action( 'workos_schema_installed', array( SignIn\Hosted\Entry::class, 'rebuild_index' ), 10, 0 );
			add_action( 'workos_schema_installed', array( Links::class, 'rebuild' ), 10, 0 ); // Links made before the mirror existed.
		}
		add_shortcode( 'workos:login', array( SignIn\Hosted\LoginShortcode::class, 'render' ) );
		// The reference's account shortcodes (Users\AccountShortcodes loads only where one renders).
		add_shortcode( 'workos:change-email', array( \WorkOS_WP\Users\AccountShortcodes::class, 'change_email' ) );
		add_shortcode( 'workos:password-reset', array( \WorkOS_WP\Users\AccountShortcodes::class, 'password_reset' ) );

		// Passwords (WordPress's form, XML-RPC): WorkOS checks those of the form
		// first in headless mode (XML-RPC's never leave the site); WordPress's own
		// check (priority 20) only as an allowed fallback; deactivated accounts
		// never pass. Only sign-in attempts run these.
		add_filter( 'authenticate', array( PasswordLogin::class, 'authenticate' ), 10, 3 );
		add_filter( 'authenticate', array( PasswordLogin::class, 'after_wordpress' ), 25, 3 );
		add_filter( 'authenticate', array( PasswordLogin::class, 'refuse_deactivated' ), 99 );
		// Application passwords are checked on API requests only (REST, XML-RPC).
		if ( ! $page_view ) {
			add_action( 'wp_authenticate_application_password_errors', array( PasswordLogin::class, 'application_password_errors' ), 10, 2 );
		}
		add_action( 'added_user_meta', __NAMESPACE__ . '\\on_user_meta', 10, 4 );
		add_action( 'updated_user_meta', __NAMESPACE__ . '\\on_user_meta', 10, 4 );
		add_action( 'deleted_user_meta', __NAMESPACE__ . '\\on_user_meta_deleted', 10, 3 );
		add_action( 'deleted_user', __NAMESPACE__ . '\\on_user_deleted' );

		// Where people land after signing in and out; the WorkOS session ends too.
		add_action( 'wp_login', array( Redirects::class, 'note_login' ), 5, 2 );
		add_filter( 'login_redirect', array( Redirects::class, 'after_login' ), 20, 3 );
		// Signing out is wp-login.php's, by a signed-in visitor; the revocation a WP-Cron event.
		if ( ! $page_view ) {
			add_filter( 'logout_redirect', array( Redirects::class, 'after_logout' ), 20, 3 );
			add_action( REVOKE_HOOK, array( Logout::class, 'revoke' ), 10, 2 );
		}

		// The reference plugin's actions (workos_user_authenticated, workos_user_created,
		// workos_login_denied, workos_activity_logged), fired from ours; both fire
		// only during sign-in and sync, so a page view never loads Compat.
		add_action( 'wp_login', array( Compat\Reference::class, 'on_wp_login' ), 1, 2 );
		add_action( 'workos_activity', array( Compat\Reference::class, 'on_activity' ), 10, 2 );

		// Multisite: an organization's members get the sites the network admin
		// mapped to it (Network\OrgSites), from sign-in, webhooks and the directory.
		if ( is_multisite() ) {
			add_action( 'workos_user_authenticated', array( Network\OrgSites::class, 'on_sign_in' ), 10, 2 );
			add_action( 'workos_webhook', array( Network\OrgSites::class, 'on_webhook' ), 10, 3 );
			add_action( 'wp_delete_site', array( Network\OrgSites::class, 'on_site_deleted' ) );
		}

		// WordPress events forwarded to WorkOS Audit Logs (when the setting is on),
		// and admins' role changes pushed back to WorkOS (when that one is).
		// Registered only when the setting may be on (see may_be_on()); the
		// listeners still ask Settings, so this only saves the registrations.
		if ( may_be_on( 'audit_logs', AUDIT_LOGS_CONSTANTS ) ) {
			add_action( 'wp_login', array( AuditLogs::class, 'on_login' ), 10, 2 );
			add_action( 'wp_logout', array( AuditLogs::class, 'on_logout' ) );
			add_action( 'wp_login_failed', array( AuditLogs::class, 'on_login_failed' ), 10, 2 );
			add_action( 'user_register', array( AuditLogs::class, 'on_user_register' ) );
			add_action( 'profile_update', array( AuditLogs::class, 'on_profile_update' ) );
			add_action( 'delete_user', array( AuditLogs::class, 'on_delete_user' ) );
			add_action( 'set_user_role', array( AuditLogs::class, 'on_set_user_role' ), 10, 3 );
			add_action( 'transition_post_status', array( AuditLogs::class, 'on_transition_post_status' ), 10, 3 );
			add_action( 'before_delete_post', array( AuditLogs::class, 'on_delete_post' ) );
		}
		if ( may_be_on( 'push_role_changes', PUSH_ROLE_CHANGES_CONSTANTS ) ) {
			add_action( 'set_user_role', array( RolePush::class, 'on_set_user_role' ), 10, 2 );
		}

		// Lifecycle and background chores (ledger recovery, audit-log retries, pruning).
		// The generic (de)activation actions, not register_*_hook(): those compute
		// plugin_basename() on every page view; these compare it only when some
		// plugin is (de)activated. Plugins are (de)activated and the chores run
		// from the admin, REST, WP-CLI and WP-Cron: never on a plain page view.
		if ( ! $page_view ) {
			add_action( 'activate_plugin', __NAMESPACE__ . '\\on_plugin_activated' );
			add_action( 'deactivate_plugin', __NAMESPACE__ . '\\on_plugin_deactivated' );
			add_filter( 'cron_schedules', array( Maintenance::class, 'schedules' ) );
			add_action( MAINTENANCE_HOOK, array( Maintenance::class, 'run' ) );

			// REST routes (webhooks) are registered only on REST requests.
			add_action( 'rest_api_init', array( Webhook::class, 'register_routes' ) );
		}
		// Site Health's connectivity test is async: its script calls this route
		// once the Status tab has loaded. The substring test keeps Diagnostics
		// unloaded on every other REST request.
		if ( false !== strpos( $route, 'site-health' ) ) {
			add_action( 'rest_api_init', array( Admin\Diagnostics::class, 'register_routes' ) );
		}
		// The Login Profiles editor's API (/workos/v1/admin/profiles…, /admin/profile-routing),
		// also reached as ?rest_route=…; other REST requests leave Profiles\AdminRest unloaded.
		if ( false !== stripos( $route, 'workos/v1/admin/profile' ) ) {
			add_action( 'rest_api_init', array( Profiles\AdminRest::class, 'register_routes' ) );
		}
		// The hosted login's public API (/workos/v1/auth/…, also as ?rest_route=…);
		// other REST requests leave SignIn\Hosted\AuthRest unloaded.
		if ( false !== stripos( $route, 'workos/v1/auth' ) ) {
			add_action( 'rest_api_init', array( SignIn\Hosted\AuthRoutes::class, 'register' ) );
			// JSONP would let another site read what these routes answer a visitor's browser.
			add_filter( 'rest_jsonp_enabled', '__return_false' );
		}
		// The onboarding wizard's API (/workos/v1/admin/onboarding…); other REST requests leave Admin\OnboardingRest unloaded.
		if ( false !== stripos( $route, 'workos/v1/admin/onboarding' ) ) {
			add_action( 'rest_api_init', array( Admin\OnboardingRest::class, 'register_routes' ) );
		}
		// Change of email (/workos/v1/users/{id}/email-change…, Users → Profile's WorkOS panel);
		// other REST requests leave Users\EmailChangeRest unloaded.
		if ( false !== stripos( $route, 'workos/v1/users/' ) ) {
			add_action( 'rest_api_init', array( \WorkOS_WP\Users\EmailChangeRest::class, 'register_routes' ) );
		}
		// "Send password reset email" (/workos/v1/admin/users/{id}/password-reset, [workos:password-reset]).
		if ( false !== stripos( $route, 'workos/v1/admin/users/' ) ) {
			add_action( 'rest_api_init', array( \WorkOS_WP\Users\PasswordResetRest::class, 'register_routes' ) );
		}
		// Passkeys (/workos/v1/auth/passkey/…): registration from the profile screen, sign-in from the shell.
		if ( false !== stripos( $route, 'workos/v1/auth/passkey' ) ) {
			add_action( 'rest_api_init', array( Passkeys\Rest::class, 'register_routes' ) );
		}
		// WordPress's weekly Site Health check (WP-Cron) counts our tests too.
		if ( wp_doing_cron() ) {
			add_filter( 'site_status_tests', array( Admin\Diagnostics::class, 'add_tests' ) );
		}

		// Bearer tokens: only requests that carry one pay for the check.
		if ( isset( $_SERVER['HTTP_AUTHORIZATION'] ) || isset( $_SERVER['REDIRECT_HTTP_AUTHORIZATION'] ) ) {
			add_filter( 'determine_current_user', array( BearerAuth::class, 'determine_user' ), 20 );
			add_filter( 'rest_authentication_errors', array( BearerAuth::class, 'authentication_errors' ) );
		}

		// The sign-in button: shortcode, block and classic widget. Registering costs
		// no file on a page that does not show one (see LoginButton, LoginWidget).
		add_shortcode( 'workos_login', array( LoginButton::class, 'shortcode' ) );
		add_action( 'init', __NAMESPACE__ . '\\register_login_block' );
		if ( ! $page_view || may_have_login_widget() ) {
			add_action( 'widgets_init', __NAMESPACE__ . '\\register_login_widget' );
		}

		// Signed-in administrators see which WorkOS environment is active (both
		// hooks fire only where the admin bar shows, never for visitors).
		if ( ! $page_view ) {
			add_action( 'admin_bar_menu', array( Admin\EnvironmentBadge::class, 'add' ), 100 );
			add_action( 'admin_bar_init', array( Admin\EnvironmentBadge::class, 'style' ) );
		}

		// `wp workos …` (the same commands run without WP-CLI: bin/workos.php).
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			Cli\WpCli::register();
		}

		if ( is_admin() ) {
			add_action( 'admin_menu', array( Admin\SettingsPage::class, 'add_menu' ) );
			add_action( 'admin_menu', array( Admin\ActivityPage::class, 'add_menu' ) );
			// WorkOS → Login Profiles (top-level menu; the editor's script loads on that screen only).
			add_action( 'admin_menu', array( Admin\ProfilesPage::class, 'add_menu' ) );
			// Users → Profile: the user's own passkeys (script loaded on that screen only).
			add_action( 'load-profile.php', array( Passkeys\ProfileSection::class, 'load' ) );
			// The activity CSV (admin-post.php); the action name is spelt out, as
			// reading ActivityPage::EXPORT_ACTION would load its file on every admin page.
			add_action( 'admin_post_workos_activity_csv', array( Admin\ActivityExport::class, 'download' ) );
			add_action( 'admin_init', array( Admin\SettingsPage::class, 'register' ) );
			// The settings screen's Test connection button (its script loads on that screen only).
			add_action( 'load-settings_page_workos', array( Admin\SettingsCheck::class, 'enqueue' ) );
			add_action( 'wp_ajax_workos_test_connection', array( Admin\SettingsCheck::class, 'test_connection' ) );
			add_action( 'admin_init', array( Maintenance::class, 'on_admin_init' ) );
			add_action( 'admin_init', __NAMESPACE__ . '\\ensure_login_paths' );
			add_action( 'admin_notices', array( Admin\Notices::class, 'render' ) );
			// Coming from "Integration with WorkOS": the dry run, then the move, in one click each.
			add_action( 'admin_notices', __NAMESPACE__ . '\\migration_notice' );
			add_action( 'admin_post_workos_migrate', array( Admin\MigrationNotice::class, 'handle' ) );
			add_filter( 'site_status_tests', array( Admin\Diagnostics::class, 'add_tests' ) );
			add_filter( 'debug_information', array( Admin\Diagnostics::class, 'debug_information' ) );
			// A WorkOS-managed account's profile says so; its password and email stay WorkOS's.
			add_action( 'load-profile.php', array( \WorkOS_WP\Users\ProfileScreen::class, 'load' ) );
			add_action( 'load-user-edit.php', array( \WorkOS_WP\Users\ProfileScreen::class, 'load' ) );
			// Users → Profile / Edit User: the WorkOS panel (link, organization, last sign-in, change of email).
			add_action( 'load-profile.php', array( \WorkOS_WP\Users\ProfilePanel::class, 'load' ) );
			add_action( 'load-user-edit.php', array( \WorkOS_WP\Users\ProfilePanel::class, 'load' ) );
			// Users → Profile: the person's own second factors, "Two-step sign-in" (profile.php only).
			add_action( 'load-profile.php', array( \WorkOS_WP\Users\FactorsSection::class, 'load' ) );
			// The Users screen: WorkOS column, row and bulk actions, "Out of sync" view (users.php only).
			add_action( 'load-users.php', array( Admin\UsersList::class, 'load' ) );
			// Tools → WorkOS Diagnostics; the changelog, late: under the WorkOS menu once that exists.
			add_action( 'admin_menu', array( Admin\DiagnosticsPage::class, 'add_menu' ) );
			add_action( 'admin_menu', array( Admin\ChangelogPage::class, 'add_menu' ), 20 );
			// WorkOS → Setup, the onboarding wizard (its app loads on its screen only), and its notice until finished or dismissed.
			add_action( 'admin_menu', array( Admin\Onboarding::class, 'add_menu' ), 20 );
			add_action( 'admin_notices', array( Admin\Onboarding::class, 'notice' ) );
			add_action( 'admin_post_workos_onboarding_dismiss', array( Admin\Onboarding::class, 'dismiss' ) );
			// The Plugins screen: a Settings link beside Deactivate (loads PluginLinks there only).
			add_filter( 'plugin_action_links', array( Admin\PluginLinks::class, 'site' ), 10, 2 );
			// Multisite: the network's settings (users are shared) and every site's activity.
			if ( is_multisite() ) {
				add_action( 'network_admin_menu', array( Admin\SettingsPage::class, 'add_network_menu' ) );
				add_action( 'network_admin_menu', array( Admin\ActivityPage::class, 'add_network_menu' ) );
				add_action( 'network_admin_edit_workos', array( Admin\SettingsPage::class, 'save_network' ) );
				add_action( 'network_admin_menu', array( Network\OrgSitesPage::class, 'add_menu' ) );
				add_action( 'network_admin_edit_workos_org_sites', array( Network\OrgSitesPage::class, 'save' ) );
				// The network's setup wizard (Settings → WorkOS setup), its notice, and the notice's Dismiss.
				add_action( 'network_admin_menu', array( Admin\Onboarding::class, 'add_network_menu' ), 20 );
				add_action( 'network_admin_notices', array( Admin\Onboarding::class, 'network_notice' ) );
				add_action( 'network_admin_edit_workos_network_onboarding_dismiss', array( Admin\Onboarding::class, 'dismiss_network' ) );
				add_action( 'network_admin_notices', array( Admin\Notices::class, 'render' ) );
				add_filter( 'network_admin_plugin_action_links', array( Admin\PluginLinks::class, 'network' ), 10, 2 );
			}
		}
	}

	/**
	 * admin_notices: the migration's notice, only while it has something to
	 * say — a pending migration (the autoloaded option Migration\Importer::
	 * PENDING_OPTION) or a report asked for (MigrationNotice::RESULT_ARG) —
	 * so other admin pages load neither class. Names spelt out for that reason.
	 */
	function migration_notice(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only decides whether to look further.
		if ( '' !== (string) get_option( 'workos_migration_pending', '' ) || isset( $_GET['workos_migration'] ) ) {
			Admin\MigrationNotice::render();
		}
	}

	/**
	 * Deactivating a user (setting `_workos_deactivated`, from any code) ends
	 * every session they have. Runs for every usermeta write, so it decides on
	 * the key before loading anything.
	 *
	 * @param int    $meta_id Meta id.
	 * @param int    $user_id User id.
	 * @param string $key     Meta key.
	 * @param mixed  $value   New value.
	 */
	function on_user_meta( $meta_id, $user_id, $key, $value ): void {
		if ( 0 !== strpos( (string) $key, '_workos_' ) ) { // UserMeta::PREFIX, without loading UserMeta.
			return;
		}
		if ( UserMeta::DEACTIVATED === $key && $value ) {
			Users::end_sessions( (int) $user_id );
		} elseif ( UserMeta::USER_ID === $key || UserMeta::DIRECTORY_USER_ID === $key ) {
			Links::set( (int) $user_id, UserMeta::USER_ID === $key ? 'user' : 'directory', is_scalar( $value ) ? (string) $value : '' );
		}
	}

	/**
	 * A link usermeta removed: the indexed mirror forgets it (see Links). The
	 * deactivation marker removed: the user gets their roles back (see
	 * Users::restore_access()).
	 *
	 * @param array  $meta_ids Meta ids.
	 * @param int    $user_id  User id.
	 * @param string $key      Meta key.
	 */
	function on_user_meta_deleted( $meta_ids, $user_id, $key ): void {
		if ( 0 !== strpos( (string) $key, '_workos_' ) ) { // UserMeta::PREFIX, without loading UserMeta.
			return;
		}
		if ( UserMeta::DEACTIVATED === $key ) {
			Users::restore_access( (int) $user_id ); // Reactivated, by any code: the roles come back.
			return;
		}
		if ( UserMeta::USER_ID === $key || UserMeta::DIRECTORY_USER_ID === $key ) {
			Links::forget( (int) $user_id, UserMeta::USER_ID === $key ? 'user' : 'directory' );
		}
	}

	/**
	 * A deleted user keeps no link.
	 *
	 * @param int $user_id User id.
	 */
	function on_user_deleted( $user_id ): void {
		Links::forget( (int) $user_id );
	}

	/**
	 * init: the sign-in button block. The editor needs block.json (its script
	 * and metadata); a front-end page only renders it, which needs no file.
	 */
	function register_login_block(): void {
		$args = array(
			'render_callback' => array( LoginButton::class, 'render_block' ),
			'attributes'      => array(
				'label'            => array(
					'type'    => 'string',
					'default' => '',
				),
				'redirectTo'       => array(
					'type'    => 'string',
					'default' => '',
				),
				'showWhenSignedIn' => array(
					'type'    => 'boolean',
					'default' => false,
				),
				// Left, center or right within the content column, as core's Paragraph block.
				'align'            => array( 'type' => 'string' ),
			),
			// Same as block.json (a test compares them): get_block_wrapper_attributes() reads the
			// registered supports, so the front end needs them too. Colours, font size and padding
			// are applied by LoginButton to the button itself, not to the wrapper.
			'supports'        => array(
				'html'       => false,
				'color'      => array(
					'background'                      => true,
					'text'                            => true,
					'gradients'                       => false,
					'link'                            => false,
					'__experimentalSkipSerialization' => true,
					'__experimentalDefaultControls'   => array(
						'background' => true,
						'text'       => true,
					),
				),
				'spacing'    => array(
					'margin'                          => true,
					'padding'                         => true,
					'__experimentalSkipSerialization' => array( 'padding' ),
				),
				'typography' => array(
					'fontSize'                        => true,
					'__experimentalSkipSerialization' => true,
					'__experimentalDefaultControls'   => array( 'fontSize' => true ),
				),
			),
		);
		if ( is_admin() || wp_is_json_request() ) {
			register_block_type( __DIR__ . '/blocks/login-button', $args );
		} else {
			register_block_type( 'workos/login-button', $args );
		}
	}

	/**
	 * widgets_init: the classic sign-in widget — in the admin always, on the
	 * front end only when a sidebar holds one (so other pages load no file).
	 */
	function register_login_widget(): void {
		if ( ! is_admin() && ! may_have_login_widget() ) {
			return;
		}
		if ( is_admin() || is_active_widget( false, false, 'workos_login', true ) ) {
			register_widget( LoginWidget::class );
		}
	}

	/**
	 * Whether some sidebar may hold the classic sign-in widget, read from the
	 * autoloaded `sidebars_widgets` as stored: is_active_widget() unserializes
	 * every sidebar on every page view. Errs towards true (the option filtered,
	 * as the Customizer's preview does, or not autoloaded).
	 */
	function may_have_login_widget(): bool {
		if ( has_filter( 'sidebars_widgets' ) || has_filter( 'pre_option_sidebars_widgets' ) || has_filter( 'option_sidebars_widgets' ) ) {
			return true;
		}
		$all = wp_load_alloptions();
		return ! isset( $all['sidebars_widgets'] ) || ! is_string( $all['sidebars_widgets'] )
			|| false !== strpos( $all['sidebars_widgets'], '"workos_login-' );
	}

	add_hooks();
}

/*
 * The reference plugin's global helpers ("Integration with WorkOS",
 * docs/REFERENCE-API.md §2), so themes and plugins written for it run
 * unchanged. PHP cannot autoload functions, so they are declared with the
 * plugin, in this file (one file less to load on every request); each is one
 * call into a class that loads when first used. A helper another plugin (the
 * reference, still active) already defines is left to it.
 */
namespace {
	if ( ! function_exists( 'workos' ) ) {
		/**
		 * The plugin object (api(), is_enabled(), option(), getVersion() …).
		 */
		function workos(): \WorkOS_WP\Compat\Plugin {
			return \WorkOS_WP\Compat\Plugin::instance();
		}
	}

	if ( ! function_exists( 'workos_log' ) ) {
		/**
		 * Writes `[WorkOS][LEVEL] message` to PHP's error log when WORKOS_DEBUG or WP_DEBUG is on.
		 *
		 * @param string $message What to say.
		 * @param string $level   debug, info, warning or error.
		 */
		function workos_log( $message, $level = 'debug' ): void {
			\WorkOS_WP\Compat\Plugin::log( (string) $message, (string) $level );
		}
	}

	if ( ! function_exists( 'workos_is_sso_user' ) ) {
		/**
		 * Whether the user (0: the current one) is linked to a WorkOS user.
		 *
		 * @param int $user_id User id.
		 */
		function workos_is_sso_user( $user_id = 0 ): bool {
			return \WorkOS_WP\Compat\Plugin::is_sso_user( (int) $user_id );
		}
	}

	if ( ! function_exists( 'workos_has_active_session' ) ) {
		/**
		 * Whether the user (0: the current one) has a session a WorkOS sign-in opened.
		 *
		 * @param int $user_id User id.
		 */
		function workos_has_active_session( $user_id = 0 ): bool {
			return \WorkOS_WP\Compat\Plugin::has_active_session( (int) $user_id );
		}
	}

	if ( ! function_exists( 'workos_get_user_id' ) ) {
		/**
		 * The linked WorkOS user id of the user (0: the current one), or ''.
		 *
		 * @param int $user_id User id.
		 */
		function workos_get_user_id( $user_id = 0 ): string {
			return \WorkOS_WP\Compat\Plugin::workos_id( (int) $user_id );
		}
	}

	if ( ! function_exists( 'workos_get_access_token' ) ) {
		/**
		 * Always '': this plugin keeps no WorkOS tokens on the site (REST clients send their own Bearer token).
		 *
		 * @param int $user_id User id.
		 */
		function workos_get_access_token( $user_id = 0 ): string { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found -- the reference's signature.
			return '';
		}
	}
}
