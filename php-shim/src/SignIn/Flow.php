<?php
/**
 * A sign-in in progress, bound to one browser: the binding cookie, the
 * signed tokens that carry a flow from one request to the next, the PKCE
 * verifier of an AuthKit flow, and forgetting it all once the flow is done.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Browser-bound flow state. Every step that spans requests (the AuthKit
 * callback, the emailed-code steps) goes through here, so a token issued
 * to one browser is worthless in another.
 */
final class Flow {

	/** Cookie that binds a sign-in flow to this browser. */
	public const BINDING_COOKIE = 'workos_auth_binding';

	/** How long a started sign-in stays valid, in seconds. */
	public const TTL = 600;

	/**
	 * A signed, expiring token for this browser carrying `$data` (binding
	 * the browser first if it is not yet).
	 *
	 * @param array $data What the next step needs (kept small: it travels in URLs).
	 */
	public static function issue( array $data ): string {
		return \WorkOS\Native\State::issue( Settings::state_secret(), self::binding( true ), $data, self::TTL );
	}

	/**
	 * Whether this browser carries a binding this site issued.
	 */
	public static function bound(): bool {
		return '' !== self::binding( false );
	}

	/**
	 * Verifies a token issued by issue() to this browser.
	 *
	 * @param string $token Signed token.
	 * @return array{data: array, expires_at: int} The token's data and expiry.
	 * @throws \WorkOS\Native\Exception When it is forged, expired or another browser's (StateException).
	 */
	public static function verify( string $token ): array {
		return \WorkOS\Native\State::verify( Settings::state_secret(), $token, self::binding( false ) );
	}

	/**
	 * The PKCE verifier of a flow in this browser. It is derived, not
	 * stored: only this server (with its secret) and this browser (with its
	 * cookie) can recompute it, and it never appears in a URL.
	 *
	 * @param string $flow The flow id carried in the state.
	 */
	public static function verifier( string $flow ): string {
		return \WorkOS\Native\Pkce::derive( Settings::state_secret(), self::binding( false ), $flow );
	}

	/**
	 * Forgets the binding once a flow is complete: every token issued to
	 * this browser so far stops verifying.
	 */
	public static function clear(): void {
		self::set_cookie( '', time() - YEAR_IN_SECONDS );
		unset( $_COOKIE[ self::cookie_name() ] );
	}

	/**
	 * The browser's binding secret, created on demand. Only a value this
	 * server issued counts: the cookie carries the secret and its MAC under
	 * the site's state key, so a value planted in the browser (by a sibling
	 * subdomain, a plain-HTTP page or a script) is ignored and replaced.
	 *
	 * @param bool $create Whether to set a new cookie when there is none.
	 */
	public static function binding( bool $create ): string {
		$name    = self::cookie_name();
		$current = isset( $_COOKIE[ $name ] ) && is_string( $_COOKIE[ $name ] ) ? $_COOKIE[ $name ] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- checked against its MAC below.
		if ( 1 === preg_match( '/^([a-f0-9]{64})\.([a-f0-9]{64})$/D', $current, $parts ) && hash_equals( self::mac( $parts[1] ), $parts[2] ) ) {
			return $parts[1];
		}
		if ( ! $create ) {
			return '';
		}
		$binding = bin2hex( random_bytes( 32 ) );
		$value   = $binding . '.' . self::mac( $binding );
		self::set_cookie( $value, time() + self::TTL );
		$_COOKIE[ $name ] = $value;
		return $binding;
	}

	/**
	 * The binding cookie's name. Over HTTPS it has the `__Host-` prefix:
	 * browsers then accept it only from this very host, over HTTPS, for the
	 * whole site and without a Domain — no other subdomain and no plain-HTTP
	 * response can set or overwrite it.
	 */
	public static function cookie_name(): string {
		return ( is_ssl() ? '__Host-' : '' ) . self::BINDING_COOKIE;
	}

	/**
	 * The binding cookie's attributes. SameSite=Lax: it must come back on the
	 * top-level redirect from WorkOS, and on nothing cross-site that is not a
	 * navigation. Over HTTPS, what `__Host-` requires: Secure, Path=/, no Domain.
	 *
	 * @param int $expires Unix expiry.
	 */
	public static function cookie_options( int $expires ): array {
		$https = is_ssl();
		return array(
			'expires'  => $expires,
			'path'     => $https || ! COOKIEPATH ? '/' : COOKIEPATH,
			'domain'   => $https || ! COOKIE_DOMAIN ? '' : COOKIE_DOMAIN,
			'secure'   => $https,
			'httponly' => true,
			'samesite' => 'Lax',
		);
	}

	/**
	 * The MAC that shows a binding value was issued by this site.
	 *
	 * @param string $binding The random part of the cookie.
	 */
	private static function mac( string $binding ): string {
		return hash_hmac( 'sha256', 'binding|' . $binding, Settings::state_secret() );
	}

	/**
	 * Sets the binding cookie.
	 *
	 * @param string $value   Cookie value.
	 * @param int    $expires Unix expiry.
	 */
	private static function set_cookie( string $value, int $expires ): void {
		if ( headers_sent() ) {
			return;
		}
		setcookie( self::cookie_name(), $value, self::cookie_options( $expires ) );
	}
}
