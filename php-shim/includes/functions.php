<?php
/**
 * The reference plugin's global helper functions ("Integration with WorkOS",
 * docs/REFERENCE-API.md §2), so themes and plugins written for it run
 * unchanged. PHP cannot autoload functions, so this file is loaded with the
 * plugin; each helper is one call into a class that loads when first used.
 * A helper another plugin (the reference, still active) already defines is
 * left to it.
 *
 * @package WorkOS_WP
 */

defined( 'ABSPATH' ) || exit;

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
