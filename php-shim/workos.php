<?php
/**
 * Plugin Name:       WorkOS (native)
 * Description:       Enterprise sign-in for WordPress through WorkOS — AuthKit SSO, Directory Sync webhooks and more — powered by the `workos` PHP extension written in Rust.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.2
 * License:           GPL-2.0-or-later
 * Text Domain:       workos
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

const VERSION     = '0.1.0';
const PLUGIN_FILE = __FILE__;

/** Where WorkOS sends visitors back to; see Callback. */
const CALLBACK_PATH = '/workos/callback';

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
 * Whether the `workos` extension is loaded (and new enough for this shim).
 */
function extension_ready(): bool {
	return extension_loaded( 'workos' ) && class_exists( '\WorkOS\Native\Client', false );
}

/**
 * Every hook the plugin registers, in one place.
 */
function add_hooks(): void {
	// Sign-in: wp-login.php only fires login_init, so normal pages pay nothing.
	add_action( 'login_init', array( Login::class, 'on_login_init' ) );

	// The OAuth callback is recognised by its path, without rewrite rules; the
	// substring test keeps Callback's file unloaded on every other request.
	$uri = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
	if ( false !== strpos( $uri, CALLBACK_PATH ) && Callback::is_callback_request() ) {
		add_action( 'init', array( Callback::class, 'handle' ), 1 );
	}

	// REST routes (webhooks) are registered only on REST requests.
	add_action( 'rest_api_init', array( Webhook::class, 'register_routes' ) );

	// Bearer tokens: only requests that carry one pay for the check.
	if ( isset( $_SERVER['HTTP_AUTHORIZATION'] ) || isset( $_SERVER['REDIRECT_HTTP_AUTHORIZATION'] ) ) {
		add_filter( 'determine_current_user', array( BearerAuth::class, 'determine_user' ), 20 );
		add_filter( 'rest_authentication_errors', array( BearerAuth::class, 'authentication_errors' ) );
	}

	if ( is_admin() ) {
		add_action( 'admin_menu', array( Admin\SettingsPage::class, 'add_menu' ) );
		add_action( 'admin_init', array( Admin\SettingsPage::class, 'register' ) );
		add_action( 'admin_notices', array( Admin\Notices::class, 'render' ) );
		add_filter( 'site_status_tests', array( Admin\Diagnostics::class, 'add_tests' ) );
	}
}

add_hooks();
