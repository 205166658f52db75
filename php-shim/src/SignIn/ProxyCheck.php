<?php
/**
 * Notices a site behind a reverse proxy that is not declared in
 * `trusted_proxies`: X-Forwarded-For arrives from a private address, so
 * every visitor appears to come from the proxy and per-address rate limits
 * lump them all together (one attacker locks everybody out).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The untrusted-proxy check and its Site Health entry.
 */
final class ProxyCheck {

	/** Option: when the last such request was seen (unix time, not autoloaded). */
	public const OPTION = 'workos_untrusted_proxy_seen';

	/** How long one sighting keeps the Site Health warning up. */
	private const REMEMBER = 30 * DAY_IN_SECONDS;

	/**
	 * Whether this request came through an undeclared proxy: a forwarded-for
	 * header from a private or loopback peer, and no trusted proxies set.
	 */
	public static function suspicious(): bool {
		$remote = isset( $_SERVER['REMOTE_ADDR'] ) ? (string) $_SERVER['REMOTE_ADDR'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		$xff    = isset( $_SERVER['HTTP_X_FORWARDED_FOR'] ) ? trim( (string) $_SERVER['HTTP_X_FORWARDED_FOR'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		if ( '' === $xff || false === filter_var( $remote, FILTER_VALIDATE_IP ) || Settings::items( 'trusted_proxies' ) ) {
			return false;
		}
		return false === filter_var( $remote, FILTER_VALIDATE_IP, FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE );
	}

	/**
	 * Remembers a sighting (called where limits per address are taken, never
	 * on page views). At most one write an hour.
	 */
	public static function note(): void {
		if ( self::suspicious() && (int) get_option( self::OPTION, 0 ) < time() - HOUR_IN_SECONDS ) {
			update_option( self::OPTION, time(), false );
		}
	}

	/**
	 * Site Health: a warning while an undeclared proxy is seen.
	 */
	public static function site_health(): array {
		$proxies = Settings::items( 'trusted_proxies' );
		$seen    = (int) get_option( self::OPTION, 0 );
		$warn    = ! $proxies && ( self::suspicious() || $seen > time() - self::REMEMBER );
		return array(
			'label'       => $warn
				? __( 'WordPress is behind a proxy that is not in the WorkOS trusted proxies', 'workos' )
				: __( 'Client addresses are determined safely', 'workos' ),
			'status'      => $warn ? 'recommended' : 'good',
			'badge'       => array(
				'label' => 'WorkOS',
				'color' => $warn ? 'orange' : 'blue',
			),
			'description' => '<p>' . esc_html(
				$warn
					/* translators: %s: the plugin's name. */
					? sprintf( __( 'Requests arrive from a private address with an X-Forwarded-For header, but Settings → %s has no trusted proxies. Every visitor then appears to come from the proxy: per-address sign-in limits count everyone together, so one attacker can lock every visitor out. Add the proxy addresses to the trusted proxies.', 'workos' ), \WorkOS_WP\PRODUCT_NAME )
					: __( 'Without trusted proxies the socket address is the client address, and X-Forwarded-For is ignored; with them, it is read only through the listed proxies.', 'workos' )
			) . '</p>',
			'test'        => 'workos_proxy',
		);
	}
}
