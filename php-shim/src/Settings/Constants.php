<?php
/**
 * What is wrong with a WORKOS_* constant, for the screens.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Settings;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * A constant in wp-config.php always wins over the screen, so one that
 * cannot be used as written must be said where the owner looks (the
 * settings screen, beside its locked field), never silently dropped.
 * Settings reads constants (cheaply, on every request); this checks them,
 * on screens only: its words are translated and it runs the form's checks
 * (Validator).
 */
final class Constants {

	/**
	 * Why a setting's constant cannot be used as written, or '' (also when
	 * no constant sets it): a map whose lines do not parse (ignored), a
	 * choice that is not one of its values (the default applies), a flag
	 * that is not on or off, or a value the settings form would refuse (the
	 * form's own check, Validator). Secrets are never quoted.
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function error( string $key, ?string $env = null ): string {
		if ( ! Settings::from_constant( $key, $env ) ) {
			return '';
		}
		$name    = Settings::constant_name( $key, $env );
		$problem = self::problem( Registry::setting( $key ), constant( $name ) );
		if ( '' === $problem ) {
			return '';
		}
		/* translators: 1: PHP constant name, 2: what is wrong with its value. */
		return sprintf( __( '%1$s in wp-config.php: %2$s', 'workos' ), $name, $problem );
	}

	/**
	 * Every constant that cannot be used as written (see error()):
	 * [setting key, environment or null, message].
	 *
	 * @param callable|null $keep Which settings to check (by key; default: all).
	 * @return array<int, array{0: string, 1: ?string, 2: string}>
	 */
	public static function errors( ?callable $keep = null ): array {
		$out = array();
		foreach ( Registry::SETTINGS as $key => $def ) {
			if ( null !== $keep && ! $keep( $key ) ) {
				continue;
			}
			$envs = empty( $def['per_environment'] ) ? array( null ) : Registry::ENVIRONMENTS;
			$seen = array();
			foreach ( $envs as $env ) {
				$error = self::error( $key, $env );
				// A generic constant serves both environments: said once.
				if ( '' !== $error && ! isset( $seen[ $error ] ) ) {
					$seen[ $error ] = true;
					$out[]          = array( $key, $env, $error );
				}
			}
		}
		return $out;
	}

	/**
	 * What is wrong with a constant's value for a setting ('' when nothing).
	 *
	 * @param Setting $setting The setting.
	 * @param mixed   $value   The constant's value.
	 */
	private static function problem( Setting $setting, $value ): string {
		$listy = in_array( $setting->type, array( 'map', 'list' ), true );
		if ( $listy && ! is_string( $value ) && ! is_array( $value ) ) {
			return __( 'it must be an array or a string of lines. It is ignored until this is fixed.', 'workos' );
		}
		if ( ! $listy && ! is_scalar( $value ) ) {
			return __( 'it must be a string. It is ignored until this is fixed.', 'workos' );
		}
		if ( 'map' === $setting->type && is_array( $value ) ) {
			// The reference plugin's WORKOS_REDIRECT_URLS: role => {url, first_login_only},
			// `__default__` for the other roles (Compat\RoleRedirects reads it).
			unset( $value['__default__'] );
			$value = array_map( static fn( $to ) => is_array( $to ) && isset( $to['url'] ) ? $to['url'] : $to, $value );
		}
		if ( 'map' === $setting->type && is_string( $value ) ) {
			$value = Settings::parse_map( $value );
			if ( is_wp_error( $value ) ) {
				/* translators: %s: why the lines do not parse. */
				return sprintf( __( '%s It is ignored until this is fixed.', 'workos' ), $value->get_error_message() );
			}
		}
		if ( 'choice' === $setting->type && ! in_array( (string) $value, $setting->choices, true ) ) {
			return sprintf(
				/* translators: 1: the value, 2: the values it may take, 3: the value used instead. */
				__( '"%1$s" is not one of %2$s, so %3$s applies.', 'workos' ),
				(string) $value,
				implode( ', ', $setting->choices ),
				(string) $setting->default
			);
		}
		if ( 'bool' === $setting->type ) {
			$known = array( '', '0', '1', 'true', 'false', 'yes', 'no', 'on', 'off' );
			/* translators: %s: the value. */
			return is_string( $value ) && ! in_array( strtolower( trim( $value ) ), $known, true ) ? sprintf( __( '"%s" is read as off: use true or false.', 'workos' ), $value ) : '';
		}
		if ( $setting->secret || in_array( $setting->rule, array( 'text', 'choice' ), true ) ) {
			return '';
		}
		$checked = Validator::check( $setting, $value );
		return is_wp_error( $checked ) ? $checked->get_error_message() : '';
	}
}
