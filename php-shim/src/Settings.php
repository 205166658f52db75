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

	/** Sign-in modes: AuthKit redirect, or WordPress's own form checked by WorkOS. */
	public const LOGIN_MODES = array( 'redirect', 'headless' );

	/** AuthKit providers WorkOS accepts for the authorize URL. */
	public const PROVIDERS = array( 'authkit', 'GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth', 'AppleOAuth' );

	/**
	 * Every setting: its type, default, and whether it is a secret. Each can be
	 * fixed in wp-config.php by the constant WORKOS_<KEY> (e.g.
	 * WORKOS_LOGIN_MODE); map and list settings take an array constant.
	 */
	public const FIELDS = array(
		'api_key'                   => array(
			'type'   => 'string',
			'secret' => true,
		),
		'client_id'                 => array( 'type' => 'string' ),
		'webhook_secret'            => array(
			'type'   => 'string',
			'secret' => true,
		),
		'api_base_url'              => array(
			'type'    => 'url',
			'default' => self::DEFAULT_BASE_URL,
		),
		'login_mode'                => array(
			'type'    => 'choice',
			'choices' => self::LOGIN_MODES,
			'default' => 'redirect',
		),
		'provider'                  => array(
			'type'    => 'choice',
			'choices' => self::PROVIDERS,
			'default' => 'authkit',
		),
		'organization_id'           => array( 'type' => 'string' ),
		'connection_id'             => array( 'type' => 'string' ),
		// On by default so a new install never locks its admins out; sites
		// that want WorkOS only turn it off.
		'allow_password_fallback'   => array(
			'type'    => 'bool',
			'default' => true,
		),
		'fallback_confirmation'     => array(
			'type'    => 'bool',
			'default' => true,
		),
		'role_map'                  => array( 'type' => 'map' ),
		'default_role'              => array( 'type' => 'string' ),
		'entitlement_gate'          => array( 'type' => 'bool' ),
		'gate_fail_open'            => array( 'type' => 'bool' ),
		'login_redirects'           => array( 'type' => 'map' ),
		'login_redirect_default'    => array( 'type' => 'string' ),
		'login_redirect_first_only' => array( 'type' => 'bool' ),
		'logout_redirects'          => array( 'type' => 'map' ),
		'logout_redirect_default'   => array( 'type' => 'string' ),
		'trusted_proxies'           => array( 'type' => 'list' ),
		'deprovision_action'        => array(
			'type'    => 'choice',
			'choices' => array( 'deactivate', 'demote', 'delete' ),
			'default' => 'deactivate',
		),
		'deprovision_role'          => array(
			'type'    => 'string',
			'default' => 'subscriber',
		),
		'deprovision_reassign'      => array( 'type' => 'string' ),
		'push_role_changes'         => array( 'type' => 'bool' ),
		'audit_logs'                => array( 'type' => 'bool' ),
		'log_retention_days'        => array(
			'type'    => 'string',
			'default' => '90',
		),
	);

	/**
	 * The constant that fixes a setting.
	 *
	 * @param string $key One of the FIELDS keys.
	 */
	public static function constant_name( string $key ): string {
		return 'WORKOS_' . strtoupper( $key );
	}

	/**
	 * A setting's raw value: its constant if defined, else the stored value,
	 * else its default.
	 *
	 * @param string $key One of the FIELDS keys.
	 * @return mixed
	 */
	private static function raw( string $key ) {
		if ( self::from_constant( $key ) ) {
			return constant( self::constant_name( $key ) );
		}
		$stored = get_option( self::OPTION, array() );
		if ( is_array( $stored ) && array_key_exists( $key, $stored ) ) {
			return $stored[ $key ];
		}
		return self::FIELDS[ $key ]['default'] ?? null;
	}

	/**
	 * A string setting (empty string when unset; choices fall back to their default).
	 *
	 * @param string $key One of the FIELDS keys.
	 */
	public static function get( string $key ): string {
		$value = self::raw( $key );
		$value = is_scalar( $value ) ? trim( (string) $value ) : '';
		$field = self::FIELDS[ $key ];
		if ( '' === $value || ( 'choice' === $field['type'] && ! in_array( $value, $field['choices'], true ) ) ) {
			return (string) ( $field['default'] ?? '' );
		}
		return $value;
	}

	/**
	 * A boolean setting.
	 *
	 * @param string $key One of the FIELDS keys.
	 */
	public static function flag( string $key ): bool {
		$value = self::raw( $key );
		return is_string( $value ) ? in_array( strtolower( $value ), array( '1', 'true', 'yes', 'on' ), true ) : (bool) $value;
	}

	/**
	 * A map setting (string => string), in its stored order.
	 *
	 * @param string $key One of the FIELDS keys.
	 * @return array<string, string>
	 */
	public static function map( string $key ): array {
		$value = self::raw( $key );
		$out   = array();
		foreach ( is_array( $value ) ? $value : array() as $from => $to ) {
			if ( is_scalar( $to ) && '' !== trim( (string) $from ) && '' !== trim( (string) $to ) ) {
				$out[ trim( (string) $from ) ] = trim( (string) $to );
			}
		}
		return $out;
	}

	/**
	 * A list setting.
	 *
	 * @param string $key One of the FIELDS keys.
	 * @return string[]
	 */
	public static function items( string $key ): array {
		$value = self::raw( $key );
		$value = is_string( $value ) ? preg_split( '/[\s,]+/', $value ) : $value;
		return array_values( array_filter( array_map( 'trim', array_filter( is_array( $value ) ? $value : array(), 'is_scalar' ) ), 'strlen' ) );
	}

	/**
	 * Whether a constant decides this setting.
	 *
	 * @param string $key One of the FIELDS keys.
	 */
	public static function from_constant( string $key ): bool {
		return isset( self::FIELDS[ $key ] ) && defined( self::constant_name( $key ) );
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
