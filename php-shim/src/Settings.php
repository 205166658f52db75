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

	/** WorkOS environments; one is active. */
	public const ENVIRONMENTS = array( 'production', 'staging' );

	/**
	 * Settings each environment has its own value of. Resolved for the active
	 * environment: WORKOS_<ENV>_<KEY>, then WORKOS_<KEY>, then the stored value
	 * of that environment, then the shared stored value.
	 */
	public const PER_ENVIRONMENT = array( 'api_key', 'client_id', 'environment_id', 'webhook_secret', 'organization_id', 'api_base_url' );

	/**
	 * Settings of the network, not of one site. Users and usermeta are shared
	 * by every site of a multisite network, so whatever can change them — the
	 * credentials and where they are sent, the webhook secret (whoever knows it
	 * can sign events that change any user), deprovisioning, pushing roles
	 * to WorkOS (they come back as role claims on every site), the client-IP
	 * rule and the retention of the shared activity log — is decided by the
	 * network admin (Network Admin → Settings → WorkOS, stored in the network
	 * option) and never read from a site's own option. On a single site they
	 * are ordinary settings.
	 */
	public const NETWORK = array( 'environment', 'environment_id', 'api_key', 'client_id', 'webhook_secret', 'api_base_url', 'deprovision_action', 'deprovision_role', 'deprovision_reassign', 'push_role_changes', 'trusted_proxies', 'log_retention_days' );

	/** AuthKit providers WorkOS accepts for the authorize URL. */
	public const PROVIDERS = array( 'authkit', 'GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth', 'AppleOAuth' );

	/**
	 * Every setting: its type, default, and whether it is a secret. Each can be
	 * fixed in wp-config.php by the constant WORKOS_<KEY> (e.g.
	 * WORKOS_LOGIN_MODE); map and list settings take an array constant.
	 */
	public const FIELDS = array(
		'environment'               => array(
			'type'    => 'choice',
			'choices' => self::ENVIRONMENTS,
			'default' => 'production',
		),
		'environment_id'            => array( 'type' => 'string' ),
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
		// Who may be enrolled into the pinned organization at sign-in: a known
		// local user whose verified email domain is one of the organization's
		// verified domains, or nobody (see SignIn::may_enrol()).
		'org_enrolment'             => array(
			'type'    => 'choice',
			'choices' => array( 'verified_domain', 'off' ),
			'default' => 'verified_domain',
		),
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
	 * The constant that fixes a setting in an environment: the
	 * environment-specific one when it is defined, else the generic one.
	 *
	 * @param string      $key One of the FIELDS keys.
	 * @param string|null $env Environment (default: the active one).
	 */
	public static function constant_name( string $key, ?string $env = null ): string {
		$generic = 'WORKOS_' . strtoupper( $key );
		if ( ! in_array( $key, self::PER_ENVIRONMENT, true ) ) {
			return $generic;
		}
		$specific = 'WORKOS_' . strtoupper( $env ?? self::environment() ) . '_' . strtoupper( $key );
		return defined( $specific ) ? $specific : $generic;
	}

	/**
	 * The active environment (`production` unless chosen; WORKOS_ENVIRONMENT locks it).
	 */
	public static function environment(): string {
		$value = defined( 'WORKOS_ENVIRONMENT' ) ? WORKOS_ENVIRONMENT : ( self::stored( 'environment' )['environment'] ?? '' );
		return in_array( $value, self::ENVIRONMENTS, true ) ? $value : 'production';
	}

	/**
	 * Whether a setting belongs to the network (see NETWORK): only in a
	 * multisite network.
	 *
	 * @param string $key One of the FIELDS keys.
	 */
	public static function is_network( string $key ): bool {
		return is_multisite() && in_array( $key, self::NETWORK, true );
	}

	/**
	 * The stored option that holds a setting: the network's for network
	 * settings in a multisite network, else this site's. A site's option is
	 * never consulted for a network setting, whatever it contains.
	 *
	 * @param string|null $key One of the FIELDS keys (null: this site's option).
	 */
	private static function stored( ?string $key = null ): array {
		$stored = ( null !== $key && self::is_network( $key ) ) ? get_site_option( self::OPTION, array() ) : get_option( self::OPTION, array() );
		return is_array( $stored ) ? $stored : array();
	}

	/**
	 * A setting's raw value: its constant if defined, else the stored value,
	 * else its default.
	 *
	 * @param string      $key One of the FIELDS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 * @return mixed
	 */
	private static function raw( string $key, ?string $env = null ) {
		if ( self::from_constant( $key, $env ) ) {
			return constant( self::constant_name( $key, $env ) );
		}
		if ( self::base_url_follows_key( $key, $env ) ) {
			return self::DEFAULT_BASE_URL;
		}
		$stored = self::stored( $key );
		if ( in_array( $key, self::PER_ENVIRONMENT, true ) ) {
			$env = $env ?? self::environment();
			$own = $stored['environments'][ $env ] ?? array();
			if ( is_array( $own ) && array_key_exists( $key, $own ) && '' !== $own[ $key ] ) {
				return $own[ $key ];
			}
			// Top-level values predate environments: they are production's.
			if ( 'production' !== $env ) {
				return self::FIELDS[ $key ]['default'] ?? null;
			}
		}
		if ( array_key_exists( $key, $stored ) ) {
			return $stored[ $key ];
		}
		return self::FIELDS[ $key ]['default'] ?? null;
	}

	/**
	 * A string setting (empty string when unset; choices fall back to their default).
	 *
	 * @param string      $key One of the FIELDS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function get( string $key, ?string $env = null ): string {
		if ( 'environment' === $key ) {
			return self::environment();
		}
		$value = self::raw( $key, $env );
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
	 * Whether a constant decides this setting (in this environment).
	 *
	 * @param string      $key One of the FIELDS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function from_constant( string $key, ?string $env = null ): bool {
		return isset( self::FIELDS[ $key ] ) && defined( self::constant_name( $key, $env ) );
	}

	/**
	 * The API key comes from a constant and the base URL does not: the URL
	 * the key is sent to is then not taken from the database either (it is
	 * WORKOS_API_BASE_URL or the default). Otherwise whoever can write
	 * `wp_options` (an admin, an SQL injection) would point the client at
	 * their own server and receive the key that was kept out of the database.
	 *
	 * @param string      $key One of the FIELDS keys.
	 * @param string|null $env Environment (default: the active one).
	 */
	private static function base_url_follows_key( string $key, ?string $env ): bool {
		return 'api_base_url' === $key && ! self::from_constant( 'api_base_url', $env ) && self::from_constant( 'api_key', $env );
	}

	/**
	 * Whether a setting cannot be changed from the settings screen or the
	 * option: a constant decides it, or (for the API base URL) the API key's
	 * constant does.
	 *
	 * @param string      $key One of the FIELDS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function locked( string $key, ?string $env = null ): bool {
		if ( 'environment' === $key ) {
			return defined( 'WORKOS_ENVIRONMENT' );
		}
		return self::from_constant( $key, $env ) || self::base_url_follows_key( $key, $env );
	}

	/**
	 * Writes constant-set values of each environment into the database, so
	 * the site keeps them if a constant is later removed (admin_init) —
	 * except secrets: a secret kept in wp-config.php is never copied into
	 * the database, and a copy an earlier version made is removed.
	 */
	public static function seed_from_constants(): void {
		$stores = array();
		foreach ( self::ENVIRONMENTS as $env ) {
			foreach ( self::PER_ENVIRONMENT as $key ) {
				if ( ! self::from_constant( $key, $env ) ) {
					continue;
				}
				$where = self::is_network( $key ) ? 'network' : 'site';
				if ( ! isset( $stores[ $where ] ) ) {
					$stores[ $where ] = array( self::stored( $key ), self::stored( $key ) );
				}
				$value = trim( (string) constant( self::constant_name( $key, $env ) ) );
				if ( empty( self::FIELDS[ $key ]['secret'] ) ) {
					$stores[ $where ][1]['environments'][ $env ][ $key ] = $value;
					continue;
				}
				// Copies seeded before secrets stayed out: the same value, top-level (production's) or per environment.
				if ( ( $stores[ $where ][1]['environments'][ $env ][ $key ] ?? null ) === $value ) {
					unset( $stores[ $where ][1]['environments'][ $env ][ $key ] );
				}
				if ( 'production' === $env && ( $stores[ $where ][1][ $key ] ?? null ) === $value ) {
					unset( $stores[ $where ][1][ $key ] );
				}
			}
		}
		foreach ( $stores as $where => list( $before, $after ) ) {
			if ( $after !== $before ) {
				self::write( 'network' === $where, $after );
			}
		}
	}

	/**
	 * Stores the option: the network's or this site's.
	 *
	 * @param bool  $network Whether to write the network option (multisite).
	 * @param array $value   The whole option.
	 */
	public static function write( bool $network, array $value ): void {
		if ( $network && is_multisite() ) {
			update_site_option( self::OPTION, $value );
		} else {
			update_option( self::OPTION, $value );
		}
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
