<?php
/**
 * Plugin settings: WORKOS_* constants win over the database.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Reads settings from constants or the `workos_settings` option.
 */
final class Settings {

	public const OPTION           = 'workos_settings';
	public const DEFAULT_BASE_URL = 'https://api.workos.com';

	/**
	 * Setting keys, their constants and whether they are secrets.
	 */
	public const FIELDS = array(
		'api_key'        => array(
			'constant' => 'WORKOS_API_KEY',
			'secret'   => true,
		),
		'client_id'      => array(
			'constant' => 'WORKOS_CLIENT_ID',
			'secret'   => false,
		),
		'webhook_secret' => array(
			'constant' => 'WORKOS_WEBHOOK_SECRET',
			'secret'   => true,
		),
		'api_base_url'   => array(
			'constant' => 'WORKOS_API_BASE_URL',
			'secret'   => false,
		),
	);

	/**
	 * A setting's value: its constant if defined, else the stored value.
	 *
	 * @param string $key One of the FIELDS keys.
	 */
	public static function get( string $key ): string {
		if ( self::from_constant( $key ) ) {
			return trim( (string) constant( self::FIELDS[ $key ]['constant'] ) );
		}
		$stored = get_option( self::OPTION, array() );
		$value  = is_array( $stored ) && isset( $stored[ $key ] ) && is_scalar( $stored[ $key ] ) ? trim( (string) $stored[ $key ] ) : '';
		if ( 'api_base_url' === $key && '' === $value ) {
			return self::DEFAULT_BASE_URL;
		}
		return $value;
	}

	/**
	 * Whether a constant decides this setting.
	 *
	 * @param string $key One of the FIELDS keys.
	 */
	public static function from_constant( string $key ): bool {
		return isset( self::FIELDS[ $key ] ) && defined( self::FIELDS[ $key ]['constant'] );
	}

	/**
	 * Whether sign-in through WorkOS can work.
	 */
	public static function is_configured(): bool {
		return '' !== self::get( 'api_key' ) && '' !== self::get( 'client_id' );
	}

	/**
	 * A secret shown safely: a short prefix, dots, the last four characters.
	 *
	 * @param string $secret The secret.
	 */
	public static function mask( string $secret ): string {
		$length = strlen( $secret );
		if ( 0 === $length ) {
			return '';
		}
		if ( $length <= 12 ) {
			return str_repeat( '•', 8 );
		}
		$prefix = (string) strstr( $secret, '_', true );
		$prefix = ( '' !== $prefix && strlen( $prefix ) <= 6 ) ? $prefix . '_' : '';
		return $prefix . str_repeat( '•', 8 ) . substr( $secret, -4 );
	}

	/**
	 * The key that signs OAuth state and derives PKCE verifiers: unique to this
	 * site, never stored, never sent anywhere.
	 */
	public static function state_secret(): string {
		return hash_hmac( 'sha256', 'workos-state', wp_salt( 'auth' ) );
	}
}
