<?php
/**
 * The query arguments a login page passes on to where the visitor lands
 * (a Login Profile's `forward_query_args`).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

defined( 'ABSPATH' ) || exit;

/**
 * Only an allow-list is forwarded — campaign tags (`utm_*`), `ref` and the
 * ad networks' click ids — so that a login URL cannot smuggle anything else
 * into the page after sign-in. The reference's deny-list always wins, even
 * over keys a site adds with the `workos_authkit_forward_query_args` filter:
 * `redirect_to`, `_wpnonce`, `interim-login`, `loggedout`, `reauth`,
 * `instance`, `wp_lang`, `action`, `fallback` and every `workos_*` key.
 */
final class QueryArgs {

	/** Keys forwarded as they are. */
	const ALLOWED = array( 'ref', 'gclid', 'fbclid', 'msclkid', 'mc_cid', 'mc_eid' );

	/** Key prefixes forwarded (campaign tags). */
	const ALLOWED_PREFIXES = array( 'utm_' );

	/** Never forwarded, whatever a filter says (REFERENCE-API §8.2). */
	const NEVER = array( 'redirect_to', '_wpnonce', 'interim-login', 'loggedout', 'reauth', 'instance', 'wp_lang', 'action', 'fallback' );

	/** At most this many arguments, each value at most this long: a login URL is no data channel. */
	const MAX_ARGS = 20;
	const MAX_LENGTH = 200;

	/**
	 * Whether `$key` may be forwarded.
	 *
	 * @param string $key Query argument name.
	 */
	public static function allowed( string $key ): bool {
		$lower = strtolower( $key );
		if ( ! preg_match( '/^[a-z0-9_.-]{1,64}$/', $lower ) || in_array( $lower, self::NEVER, true ) || 0 === strpos( $lower, 'workos' ) ) {
			return false;
		}
		if ( in_array( $lower, self::ALLOWED, true ) ) {
			return true;
		}
		foreach ( self::ALLOWED_PREFIXES as $prefix ) {
			if ( 0 === strpos( $lower, $prefix ) && strlen( $lower ) > strlen( $prefix ) ) {
				return true;
			}
		}
		/**
		 * Filters the extra query argument names a login page forwards when
		 * its profile has `forward_query_args` on (the deny-list still wins).
		 *
		 * @param string[] $keys Extra names (lower case).
		 */
		$extra = apply_filters( 'workos_authkit_forward_query_args', array() );
		return is_array( $extra ) && in_array( $lower, array_map( 'strtolower', array_filter( $extra, 'is_string' ) ), true );
	}

	/**
	 * The forwardable arguments of a request's query (`$_GET`, unslashed):
	 * allowed keys with plain string values, sanitized, in their order.
	 *
	 * @param array $query Query arguments.
	 * @return array<string, string>
	 */
	public static function pick( array $query ): array {
		$picked = array();
		foreach ( $query as $key => $value ) {
			if ( count( $picked ) >= self::MAX_ARGS ) {
				break;
			}
			if ( ! is_string( $key ) || ! is_scalar( $value ) || ! self::allowed( $key ) ) {
				continue;
			}
			$value = sanitize_text_field( (string) $value );
			if ( '' === $value || strlen( $value ) > self::MAX_LENGTH ) {
				continue;
			}
			$picked[ strtolower( $key ) ] = $value;
		}
		return $picked;
	}

	/**
	 * `$url` with `$args` added; an argument the URL already has keeps its
	 * own value (the destination asked for it explicitly).
	 *
	 * @param string                $url  Target URL.
	 * @param array<string, string> $args From pick().
	 */
	public static function append( string $url, array $args ): string {
		$query = (string) wp_parse_url( $url, PHP_URL_QUERY );
		$have  = array();
		if ( '' !== $query ) {
			wp_parse_str( $query, $have );
		}
		$add = array_diff_key( $args, $have );
		return $add ? add_query_arg( rawurlencode_deep( $add ), $url ) : $url;
	}

	/**
	 * `$target` with the forwardable arguments `$from` carries (for a
	 * profile's post_login_redirect, which wins over the shell's
	 * redirect_to: the arguments Entry forwarded onto that redirect_to
	 * still reach the visitor's destination).
	 *
	 * @param string $target Where the sign-in goes.
	 * @param string $from   The redirect_to the shell sent (validated).
	 */
	public static function carry( string $target, string $from ): string {
		$query = (string) wp_parse_url( $from, PHP_URL_QUERY );
		if ( '' === $target || '' === $query ) {
			return $target;
		}
		$args = array();
		wp_parse_str( $query, $args );
		$args = self::pick( $args );
		return $args ? self::append( $target, $args ) : $target;
	}
}
