<?php
/**
 * What the reference plugin's global helpers return and do (the helpers
 * themselves are declared at the end of workos.php).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Compat;

use WorkOS_WP\Api;
use WorkOS_WP\Settings;
use WorkOS_WP\Users\UserMeta;

defined( 'ABSPATH' ) || exit;

/**
 * `workos()`'s object, with the reference's public methods (docs/
 * REFERENCE-API.md §2), and the other helpers' bodies. This plugin keeps
 * no WorkOS tokens in usermeta (a stolen database would hand them out), so
 * "an active session" is a WordPress session that a WorkOS sign-in opened,
 * and no access token is ever returned.
 */
final class Plugin {

	/** The reference's option keys (§4.1) → this plugin's settings. */
	private const OPTION_KEYS = array(
		'wp_password_fallback_email_confirmation' => 'fallback_confirmation',
		'redirect_urls'                           => 'login_redirects',
		'redirect_first_login_only'               => 'login_redirect_first_only',
		'logout_redirect_urls'                    => 'logout_redirects',
		'audit_logging_enabled'                   => 'audit_logs',
		'entitlement_gate_enabled'                => 'entitlement_gate',
		'reassign_user'                           => 'deprovision_reassign',
	);

	/** WordPress session key of the WorkOS session id (SignIn::SESSION_SID, spelt out: SignIn uses this folder). */
	private const SESSION_SID = 'workos_sid';

	/**
	 * The one instance.
	 *
	 * @var Plugin|null
	 */
	private static $instance = null;

	/**
	 * The plugin object (the reference's `WorkOS\Plugin::instance()`).
	 */
	public static function instance(): self {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * The WorkOS API client of the active environment (this plugin's: the
	 * extension's `WorkOS\Native\Client`).
	 *
	 * @return \WorkOS\Native\Client
	 */
	public function api() {
		return Api::client();
	}

	/**
	 * Whether the plugin can talk to WorkOS: an API key and a client ID.
	 */
	public function is_enabled(): bool {
		return '' !== Settings::get( 'api_key' ) && '' !== Settings::get( 'client_id' );
	}

	/**
	 * A setting of the active environment, by the reference's option key
	 * (or this plugin's).
	 *
	 * @param string $key           Option key.
	 * @param mixed  $default_value Returned when the setting is unknown or empty.
	 * @return mixed
	 */
	public function option( string $key, $default_value = '' ) {
		$key = self::OPTION_KEYS[ $key ] ?? $key;
		if ( ! isset( \WorkOS_WP\Settings\Registry::SETTINGS[ $key ] ) ) {
			return $default_value;
		}
		$type = \WorkOS_WP\Settings\Registry::SETTINGS[ $key ]['type'];
		if ( 'bool' === $type ) {
			return Settings::flag( $key );
		}
		if ( 'map' === $type ) {
			return Settings::map( $key );
		}
		if ( 'list' === $type ) {
			return Settings::items( $key );
		}
		$value = Settings::get( $key );
		return '' === $value ? $default_value : $value;
	}

	/** The plugin's main file. */
	public function getFile(): string { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid -- the reference's name.
		return \WorkOS_WP\PLUGIN_FILE;
	}

	/** The plugin's directory, with a trailing slash. */
	public function getDir(): string { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid -- the reference's name.
		return plugin_dir_path( \WorkOS_WP\PLUGIN_FILE );
	}

	/** The plugin's URL, with a trailing slash. */
	public function getUrl(): string { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid -- the reference's name.
		return plugin_dir_url( \WorkOS_WP\PLUGIN_FILE );
	}

	/** The plugin's basename (`workos/workos.php`). */
	public function getBasename(): string { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid -- the reference's name.
		return plugin_basename( \WorkOS_WP\PLUGIN_FILE );
	}

	/** The plugin's version. */
	public function getVersion(): string { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid -- the reference's name.
		return \WorkOS_WP\VERSION;
	}

	/**
	 * The user a helper is about: 0 or less means the current one.
	 *
	 * @param int $user_id User id.
	 */
	private static function user( int $user_id ): int {
		return $user_id > 0 ? $user_id : get_current_user_id();
	}

	/**
	 * The linked WorkOS user id, or ''.
	 *
	 * @param int $user_id User id (0: the current user).
	 */
	public static function workos_id( int $user_id = 0 ): string {
		$user_id = self::user( $user_id );
		return $user_id > 0 ? (string) get_user_meta( $user_id, UserMeta::USER_ID, true ) : '';
	}

	/**
	 * Whether the user is linked to a WorkOS user.
	 *
	 * @param int $user_id User id (0: the current user).
	 */
	public static function is_sso_user( int $user_id = 0 ): bool {
		return '' !== self::workos_id( $user_id );
	}

	/**
	 * Whether the user has a WordPress session that a WorkOS sign-in opened.
	 *
	 * @param int $user_id User id (0: the current user).
	 */
	public static function has_active_session( int $user_id = 0 ): bool {
		$user_id = self::user( $user_id );
		if ( $user_id <= 0 || ! self::is_sso_user( $user_id ) ) {
			return false;
		}
		foreach ( \WP_Session_Tokens::get_instance( $user_id )->get_all() as $session ) {
			if ( is_array( $session ) && '' !== (string) ( $session[ self::SESSION_SID ] ?? '' ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * `workos_log()`: one line in PHP's error log, when WORKOS_DEBUG or
	 * WP_DEBUG is on (as the reference's code does).
	 *
	 * @param string $message What to say.
	 * @param string $level   debug, info, warning, error (free text).
	 */
	public static function log( string $message, string $level = 'debug' ): void {
		if ( Settings::flag( 'debug' ) || ( defined( 'WP_DEBUG' ) && WP_DEBUG ) ) {
			error_log( '[WorkOS][' . strtoupper( $level ) . '] ' . $message ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- what workos_log() is for.
		}
	}
}
