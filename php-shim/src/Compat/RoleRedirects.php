<?php
/**
 * Role-based sign-in and sign-out redirects, with the reference plugin's
 * filters and actions at each decision.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Compat;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Chooses the role's URL for SignIn\Redirects (which validates it) and lets
 * code written for the reference plugin change every step, as it did there:
 * `workos_redirect_should_apply`, `_is_explicit`, `_urls`,
 * `_first_login_only`, `_url`, then `workos_redirect_before` or
 * `workos_redirect_skipped`; the `workos_logout_redirect_*` counterparts.
 * Without such code the result is the settings' (per role, a default,
 * "first sign-in only").
 */
final class RoleRedirects {

	/** The map entry that applies to every role not listed (the reference's key). */
	public const DEFAULT_KEY = '__default__';

	/**
	 * The URL after signing in ('' = none: WordPress's target stands).
	 *
	 * @param \WP_User $user      Who signed in.
	 * @param string   $requested The redirect_to asked for.
	 * @param bool     $explicit  Whether that is a real choice (not WordPress's default).
	 * @param bool     $first     Whether this is their first sign-in.
	 * @param callable $validate  Keeps a URL on this site (Redirects::site_target()).
	 */
	public static function login( \WP_User $user, string $requested, bool $explicit, bool $first, callable $validate ): string {
		if ( ! apply_filters( 'workos_redirect_should_apply', true, $user, $requested ) ) {
			return self::skipped( $user, 'filtered_out' );
		}
		if ( apply_filters( 'workos_redirect_is_explicit', $explicit, $requested, $user ) ) {
			return self::skipped( $user, 'explicit_redirect' );
		}
		$map = apply_filters( 'workos_redirect_urls', self::login_map() );
		list( $role, $entry ) = self::pick( is_array( $map ) ? $map : array(), $user );
		if ( null === $entry ) {
			return self::skipped( $user, 'no_matching_role_url' );
		}
		$entry = is_array( $entry ) ? $entry : array( 'url' => $entry );
		if ( apply_filters( 'workos_redirect_first_login_only', (bool) ( $entry['first_login_only'] ?? false ), $role, $user ) && ! $first ) {
			return self::skipped( $user, 'not_first_login' );
		}
		$url = apply_filters( 'workos_redirect_url', is_string( $entry['url'] ?? null ) ? $entry['url'] : '', $user, $role, $first );
		if ( ! is_string( $url ) || '' === $url ) {
			return self::skipped( $user, 'no_matching_role_url' );
		}
		$url = (string) $validate( $url );
		/**
		 * Fires when a role-based sign-in redirect is about to be returned (the reference plugin's action).
		 *
		 * @param string   $url            Where they go (absolute).
		 * @param \WP_User $user           Who signed in.
		 * @param bool     $is_first_login Whether this is their first sign-in.
		 */
		do_action( 'workos_redirect_before', $url, $user, $first );
		return $url;
	}

	/**
	 * The URL after signing out ('' = none).
	 *
	 * @param \WP_User $user      Who signed out.
	 * @param string   $requested The redirect_to asked for.
	 * @param callable $validate  Keeps a URL on this site (Redirects::site_target()).
	 */
	public static function logout( \WP_User $user, string $requested, callable $validate ): string {
		if ( ! apply_filters( 'workos_logout_redirect_should_apply', true, $user, $requested ) ) {
			return self::skipped( $user, 'filtered_out', 'logout' );
		}
		$map = Settings::map( 'logout_redirects' );
		$default = Settings::get( 'logout_redirect_default' );
		if ( '' !== $default && ! isset( $map[ self::DEFAULT_KEY ] ) ) {
			$map[ self::DEFAULT_KEY ] = $default;
		}
		$map = apply_filters( 'workos_logout_redirect_urls', $map );
		list( $role, $entry ) = self::pick( is_array( $map ) ? $map : array(), $user );
		$url = is_array( $entry ) ? ( $entry['url'] ?? '' ) : $entry;
		$url = null === $entry ? '' : apply_filters( 'workos_logout_redirect_url', is_string( $url ) ? $url : '', $user, $role );
		if ( ! is_string( $url ) || '' === $url ) {
			return self::skipped( $user, 'no_matching_role_url', 'logout' );
		}
		$url = (string) $validate( $url );
		/**
		 * Fires when a role-based sign-out redirect is about to be returned (the reference plugin's action).
		 *
		 * @param string   $url  Where they go (absolute).
		 * @param \WP_User $user Who signed out.
		 */
		do_action( 'workos_logout_redirect_before', $url, $user );
		return $url;
	}

	/**
	 * The sign-in map in the reference's shape: role (or `__default__`) =>
	 * {url, first_login_only}. From the settings, or straight from the
	 * reference's WORKOS_REDIRECT_URLS array, whose entries may carry their
	 * own `first_login_only`.
	 *
	 * @return array<string, array{url: string, first_login_only: bool}>
	 */
	public static function login_map(): array {
		$first_only = Settings::flag( 'login_redirect_first_only' );
		$source     = Settings::from_constant( 'login_redirects' ) ? constant( Settings::constant_name( 'login_redirects' ) ) : null;
		if ( ! is_array( $source ) ) {
			$source = Settings::map( 'login_redirects' );
			$default = Settings::get( 'login_redirect_default' );
			if ( '' !== $default && ! isset( $source[ self::DEFAULT_KEY ] ) ) {
				$source[ self::DEFAULT_KEY ] = $default;
			}
		}
		$map = array();
		foreach ( $source as $role => $entry ) {
			$url = is_array( $entry ) ? ( $entry['url'] ?? '' ) : $entry;
			if ( ! is_scalar( $url ) || '' === trim( (string) $url ) || '' === trim( (string) $role ) ) {
				continue;
			}
			$map[ trim( (string) $role ) ] = array(
				'url'              => trim( (string) $url ),
				'first_login_only' => is_array( $entry ) && array_key_exists( 'first_login_only', $entry ) ? (bool) $entry['first_login_only'] : $first_only,
			);
		}
		return $map;
	}

	/**
	 * The entry for the first of the user's roles in the map, else the
	 * default: [role, entry], or [role, null] when none applies.
	 *
	 * @param array    $map  Role => entry.
	 * @param \WP_User $user The user.
	 * @return array{0: string, 1: mixed}
	 */
	private static function pick( array $map, \WP_User $user ): array {
		foreach ( $user->roles as $role ) {
			if ( isset( $map[ $role ] ) ) {
				return array( $role, $map[ $role ] );
			}
		}
		$role = (string) ( reset( $user->roles ) ?: '' );
		return isset( $map[ self::DEFAULT_KEY ] ) ? array( $role, $map[ self::DEFAULT_KEY ] ) : array( $role, null );
	}

	/**
	 * The reference's "not applied" action; '' (no redirect).
	 *
	 * @param \WP_User $user   The user.
	 * @param string   $reason Why not.
	 * @param string   $which  `login` or `logout`.
	 */
	private static function skipped( \WP_User $user, string $reason, string $which = 'login' ): string {
		if ( 'logout' === $which ) {
			/**
			 * Fires when no role-based sign-out redirect applies (the reference plugin's action).
			 *
			 * @param \WP_User $user   Who signed out.
			 * @param string   $reason `filtered_out` or `no_matching_role_url`.
			 */
			do_action( 'workos_logout_redirect_skipped', $user, $reason );
		} else {
			/**
			 * Fires when no role-based sign-in redirect applies (the reference plugin's action).
			 *
			 * @param \WP_User $user   Who signed in.
			 * @param string   $reason `filtered_out`, `explicit_redirect`, `not_first_login` or `no_matching_role_url`.
			 */
			do_action( 'workos_redirect_skipped', $user, $reason );
		}
		return '';
	}
}
