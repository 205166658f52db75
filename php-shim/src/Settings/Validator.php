<?php
/**
 * Checks submitted setting values.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * One rule per kind of value; a setting names its rule in the Registry (or
 * gets its type's, see Setting::$rule). Each returns the clean value to
 * store, or a WP_Error whose message names the setting.
 */
final class Validator {

	/**
	 * A submitted value, checked by the setting's rule.
	 *
	 * @param Setting $setting The setting.
	 * @param mixed   $raw     Submitted value.
	 * @return mixed|\WP_Error
	 */
	public static function check( Setting $setting, $raw ) {
		$label = $setting->label;
		switch ( $setting->rule ) {
			case 'bool':
				return ! empty( $raw );
			case 'choice':
				$value = is_string( $raw ) ? trim( $raw ) : '';
				/* translators: %s: setting name. */
				return in_array( $value, $setting->choices, true ) ? $value : new \WP_Error( 'invalid', sprintf( __( '%s: unknown value.', 'workos' ), $label ) );
			case 'url':
				$value = is_string( $raw ) ? trim( $raw ) : '';
				if ( '' === $value ) {
					return '';
				}
				$value = untrailingslashit( esc_url_raw( $value, array( 'http', 'https' ) ) );
				return '' !== $value ? $value : new \WP_Error( 'invalid', __( 'The API base URL must be an http(s) URL.', 'workos' ) );
			case 'role_map':
			case 'role_redirects':
				return self::map( 'role_map' === $setting->rule, $raw, $label );
			case 'proxies':
				$lines = is_array( $raw ) ? $raw : preg_split( '/[\s,]+/', (string) $raw );
				try {
					return \WorkOS\Native\ClientIp::normalizeProxies( array_values( array_filter( array_map( 'strval', $lines ), 'strlen' ) ) );
				} catch ( \WorkOS\Native\Exception $e ) {
					/* translators: 1: setting name, 2: reason. */
					return new \WP_Error( 'invalid', sprintf( __( '%1$s: %2$s', 'workos' ), $label, $e->getMessage() ) );
				} catch ( \Error $e ) {
					return new \WP_Error( 'invalid', __( 'The workos extension is needed to validate trusted proxies.', 'workos' ) );
				}
		}
		$value = is_scalar( $raw ) ? trim( sanitize_text_field( (string) $raw ) ) : '';
		switch ( $setting->rule ) {
			case 'user_id':
				if ( '' !== $value && ( ! ctype_digit( $value ) || ! get_userdata( (int) $value ) ) ) {
					/* translators: %s: what was entered. */
					return new \WP_Error( 'invalid', sprintf( __( 'Give deleted users\' content to: there is no user with ID "%s".', 'workos' ), $value ) );
				}
				return $value;
			case 'redirect':
				return '' === $value ? '' : self::redirect( $label, $value );
			case 'days':
				return ctype_digit( $value ) ? $value : new \WP_Error( 'invalid', __( 'Keep activity for: a number of days.', 'workos' ) );
			case 'role':
				if ( '' !== $value && ! wp_roles()->is_role( $value ) ) {
					/* translators: 1: setting name, 2: role name. */
					return new \WP_Error( 'invalid', sprintf( __( '%1$s: there is no role "%2$s".', 'workos' ), $label, $value ) );
				}
				return $value;
			default:
				return $value;
		}
	}

	/**
	 * A "from = to" per line map. A role map points at existing WordPress
	 * roles; a redirect map is keyed by existing roles and points at URLs.
	 *
	 * @param bool   $role_map Whether the values (not the keys) are roles.
	 * @param mixed  $raw      Textarea text, or an array from code.
	 * @param string $label    The setting's name, for messages.
	 * @return array|\WP_Error
	 */
	private static function map( bool $role_map, $raw, string $label ) {
		// The one parser of the lines, shared with map constants (Settings::map()).
		$pairs = is_array( $raw ) ? $raw : \WorkOS_WP\Settings::parse_map( (string) $raw );
		if ( is_wp_error( $pairs ) ) {
			return $pairs;
		}
		$clean = array();
		foreach ( $pairs as $from => $to ) {
			$from = sanitize_text_field( (string) $from );
			$to   = trim( (string) $to );
			$role = $role_map ? $to : $from;
			if ( ! wp_roles()->is_role( $role ) ) {
				/* translators: %s: role name. */
				return new \WP_Error( 'invalid', sprintf( __( 'There is no WordPress role "%s".', 'workos' ), $role ) );
			}
			if ( ! $role_map ) {
				$to = self::redirect( $label, $to, $from );
				if ( is_wp_error( $to ) ) {
					return $to;
				}
			}
			$clean[ $from ] = $to;
		}
		return $clean;
	}

	/**
	 * A redirect target: a /path or a URL of this site, by the rule sign-in
	 * applies (SignIn\Redirects): one elsewhere would be ignored there, so
	 * it is refused here, with the reason.
	 *
	 * @param string $label The setting's name.
	 * @param string $url   Path or URL.
	 * @param string $role  The role it is for, in a per-role map ('' otherwise).
	 * @return string|\WP_Error
	 */
	private static function redirect( string $label, string $url, string $role = '' ) {
		$clean = esc_url_raw( $url, array( 'http', 'https' ) );
		if ( '' !== $clean && \WorkOS_WP\SignIn\Redirects::on_site( $clean ) ) {
			return $clean;
		}
		$home = home_url( '/' );
		return new \WP_Error(
			'invalid',
			'' === $role
				/* translators: 1: setting name, 2: the URL entered, 3: this site's address. */
				? sprintf( __( '%1$s: "%2$s" is not on this site, and people are only ever sent to this site\'s pages. Use a /path or an address starting with %3$s.', 'workos' ), $label, $url, $home )
				/* translators: 1: setting name, 2: the URL entered, 3: the role, 4: this site's address. */
				: sprintf( __( '%1$s: "%2$s" (for %3$s) is not on this site, and people are only ever sent to this site\'s pages. Use a /path or an address starting with %4$s.', 'workos' ), $label, $url, $role, $home )
		);
	}
}
