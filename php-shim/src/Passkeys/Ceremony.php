<?php
/**
 * The server-side half of a passkey ceremony between its two requests.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Passkeys;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The ceremony state (it holds the challenge) never goes to the browser:
 * it is kept in a transient (the database or the shared object cache, so
 * any web node can finish what another started) under a key derived from
 * what only this browser has — the sign-in binding cookie for a sign-in,
 * the WordPress session for a registration — and taken exactly once, so an
 * answer cannot be replayed and another browser's answer finds nothing.
 */
final class Ceremony {

	/** Seconds a started ceremony stays valid. */
	public const TTL = 300;

	/**
	 * Keeps a ceremony's state.
	 *
	 * @param string $kind  'register' or 'login'.
	 * @param string $owner What ties it to this browser (never empty).
	 * @param string $state The extension's ceremony state.
	 */
	public static function put( string $kind, string $owner, string $state ): void {
		set_transient( self::key( $kind, $owner ), $state, self::TTL );
	}

	/**
	 * Takes a ceremony's state (once: it is gone afterwards), '' if none.
	 *
	 * @param string $kind  'register' or 'login'.
	 * @param string $owner What ties it to this browser.
	 */
	public static function take( string $kind, string $owner ): string {
		if ( '' === $owner ) {
			return '';
		}
		$key   = self::key( $kind, $owner );
		$state = get_transient( $key );
		// Only the request whose delete removed it may use it: of two racing
		// answers to one challenge, one wins.
		if ( ! is_string( $state ) || '' === $state || ! delete_transient( $key ) ) {
			return '';
		}
		return $state;
	}

	/**
	 * The transient key: a MAC, so the owner value itself is not stored.
	 *
	 * @param string $kind  Ceremony kind.
	 * @param string $owner Browser tie.
	 */
	private static function key( string $kind, string $owner ): string {
		return 'workos_pk_' . substr( hash_hmac( 'sha256', 'passkey|' . $kind . '|' . $owner, Settings::state_secret() ), 0, 40 );
	}
}
