<?php
/**
 * The hosted login's nonce: scoped to one Login Profile and bound to the
 * visitor's browser.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Flow;

defined( 'ABSPATH' ) || exit;

/**
 * WordPress's own nonces are the same for every logged-out visitor, so a
 * nonce fetched by anyone works for everyone (the reference plugin's
 * weakness). This one is a MAC, under the site's state secret, of the
 * browser's binding secret (Flow's cookie, HttpOnly, issued and MAC'd by
 * this site), the profile slug and a time window: a nonce read in one
 * browser is worthless in another, and for another profile.
 */
final class AuthNonce {

	/** Length of one window in seconds; a nonce is good for one to two windows. */
	public const WINDOW = 600;

	/**
	 * A nonce for `$slug` in this browser (binding the browser first, which
	 * sets Flow's cookie on this response).
	 *
	 * @param string $slug Profile slug.
	 */
	public static function issue( string $slug ): string {
		$tick = self::tick();
		return $tick . '.' . self::mac( Flow::binding( true ), $slug, $tick );
	}

	/**
	 * Whether `$nonce` was issued for `$slug` to this very browser, in this
	 * window or the one before (compared in constant time).
	 *
	 * @param string $slug  Profile slug.
	 * @param string $nonce What the request carried.
	 */
	public static function verify( string $slug, string $nonce ): bool {
		$binding = Flow::binding( false );
		if ( '' === $binding || 1 !== preg_match( '/^([0-9]{1,12})\.([a-f0-9]{64})$/D', $nonce, $parts ) ) {
			return false;
		}
		$tick = (int) $parts[1];
		$now  = self::tick();
		if ( $tick !== $now && $tick !== $now - 1 ) {
			return false;
		}
		return hash_equals( self::mac( $binding, $slug, $tick ), $parts[2] );
	}

	/**
	 * The current window's number.
	 */
	private static function tick(): int {
		return intdiv( time(), self::WINDOW );
	}

	/**
	 * The MAC of one browser, profile and window.
	 *
	 * @param string $binding The browser's binding secret.
	 * @param string $slug    Profile slug.
	 * @param int    $tick    Window.
	 */
	private static function mac( string $binding, string $slug, int $tick ): string {
		return hash_hmac( 'sha256', 'authkit-nonce|' . $binding . '|' . $slug . '|' . $tick, Settings::state_secret() );
	}
}
