<?php
/**
 * Who is asking: the client IP (behind trusted proxies only) and user agent.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Request facts a visitor cannot forge.
 */
final class Net {

	/**
	 * The visitor's IP. X-Forwarded-For counts only through the configured
	 * trusted proxies (see WorkOS\Native\ClientIp); without any, the socket
	 * address is the answer whatever headers say.
	 */
	public static function client_ip(): string {
		$remote = isset( $_SERVER['REMOTE_ADDR'] ) ? (string) $_SERVER['REMOTE_ADDR'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		$proxies = Settings::items( 'trusted_proxies' );
		if ( '' === $remote || ! $proxies || ! extension_ready() ) {
			return $remote;
		}
		$forwarded = isset( $_SERVER['HTTP_X_FORWARDED_FOR'] ) ? (string) $_SERVER['HTTP_X_FORWARDED_FOR'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		try {
			return \WorkOS\Native\ClientIp::resolve( $remote, $forwarded, $proxies );
		} catch ( \WorkOS\Native\Exception $e ) {
			return $remote;
		}
	}

	/**
	 * The user agent, bounded.
	 */
	public static function user_agent(): string {
		$agent = isset( $_SERVER['HTTP_USER_AGENT'] ) ? sanitize_text_field( wp_unslash( (string) $_SERVER['HTTP_USER_AGENT'] ) ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		return substr( $agent, 0, 500 );
	}
}
