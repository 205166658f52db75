<?php
/**
 * Plugin settings: WORKOS_* constants win over the database.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

use WorkOS_WP\Settings\Registry;

defined( 'ABSPATH' ) || exit;

/**
 * Reads settings from constants or the `workos_settings` option, by their
 * definitions in Settings\Registry.
 */
final class Settings {

	public const OPTION           = 'workos_settings';
	public const DEFAULT_BASE_URL = Registry::DEFAULT_BASE_URL;

	/** WorkOS environments; one is active. */
	public const ENVIRONMENTS = Registry::ENVIRONMENTS;

	/**
	 * Every constant that can fix a setting, in the order they are
	 * consulted: for a per-environment setting the environment's own
	 * (WORKOS_<ENV>_<KEY>) first, then the generic WORKOS_<KEY>; each name
	 * followed by its aliases (Registry `aliases`).
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
	 * @param string|null $env Environment (default: the active one).
	 * @return string[]
	 */
	public static function constant_names( string $key, ?string $env = null ): array {
		$def   = Registry::SETTINGS[ $key ];
		$names = array_merge( array( strtoupper( $key ) ), $def['aliases'] ?? array() );
		$out   = array();
		if ( ! empty( $def['per_environment'] ) || ! empty( $def['env_constants'] ) ) {
			$prefix = 'WORKOS_' . strtoupper( $env ?? self::environment() ) . '_';
			foreach ( $names as $name ) {
				$out[] = $prefix . $name;
			}
		}
		foreach ( $names as $name ) {
			$out[] = 'WORKOS_' . $name;
		}
		return $out;
	}

	/**
	 * The constant that fixes a setting in an environment: the first of
	 * constant_names() that is defined, else the generic one.
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
	 * @param string|null $env Environment (default: the active one).
	 */
	public static function constant_name( string $key, ?string $env = null ): string {
		$def     = Registry::SETTINGS[ $key ];
		$generic = 'WORKOS_' . strtoupper( $key );
		// The common case (one name) costs a concatenation, as every read asks.
		if ( empty( $def['per_environment'] ) && empty( $def['aliases'] ) && empty( $def['env_constants'] ) ) {
			return $generic;
		}
		foreach ( self::constant_names( $key, $env ) as $name ) {
			if ( defined( $name ) ) {
				return $name;
			}
		}
		return $generic;
	}

	/**
	 * The active environment (`production` unless chosen; WORKOS_ENVIRONMENT locks it).
	 */
	public static function environment(): string {
		$value = defined( 'WORKOS_ENVIRONMENT' ) ? WORKOS_ENVIRONMENT : ( self::stored( 'environment' )['environment'] ?? '' );
		return in_array( $value, self::ENVIRONMENTS, true ) ? $value : 'production';
	}

	/**
	 * Whether a setting belongs to the network (Registry `network`): only
	 * in a multisite network.
	 *
	 * @param string $key One of the Registry::SETTINGS keys.
	 */
	public static function is_network( string $key ): bool {
		return is_multisite() && ! empty( Registry::SETTINGS[ $key ]['network'] );
	}

	/**
	 * The stored option that holds a setting: the network's for network
	 * settings in a multisite network, else this site's. A site's option is
	 * never consulted for a network setting, whatever it contains.
	 *
	 * @param string|null $key One of the Registry::SETTINGS keys (null: this site's option).
	 */
	private static function stored( ?string $key = null ): array {
		$stored = ( null !== $key && self::is_network( $key ) ) ? get_site_option( self::OPTION, array() ) : get_option( self::OPTION, array() );
		return is_array( $stored ) ? $stored : array();
	}

	/**
	 * A setting's raw value: its constant if defined, else the stored value
	 * (unless only a constant may set it), else its default.
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
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
		$def = Registry::SETTINGS[ $key ];
		if ( false === ( $def['stored'] ?? true ) ) {
			return $def['default'] ?? null;
		}
		$stored = self::stored( $key );
		if ( ! empty( $def['per_environment'] ) ) {
			$env = $env ?? self::environment();
			$own = $stored['environments'][ $env ] ?? array();
			if ( is_array( $own ) && array_key_exists( $key, $own ) && '' !== $own[ $key ] ) {
				return $own[ $key ];
			}
			// Top-level values predate environments: they are production's.
			if ( 'production' !== $env ) {
				return $def['default'] ?? null;
			}
		}
		if ( array_key_exists( $key, $stored ) ) {
			return $stored[ $key ];
		}
		return $def['default'] ?? null;
	}

	/**
	 * A string setting (empty string when unset; choices fall back to their default).
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function get( string $key, ?string $env = null ): string {
		if ( 'environment' === $key ) {
			return self::environment();
		}
		$value = self::raw( $key, $env );
		$value = is_scalar( $value ) ? trim( (string) $value ) : '';
		$field = Registry::SETTINGS[ $key ];
		if ( '' === $value || ( 'choice' === $field['type'] && ! in_array( $value, $field['choices'], true ) ) ) {
			return (string) ( $field['default'] ?? '' );
		}
		return $value;
	}

	/**
	 * A boolean setting.
	 *
	 * @param string $key One of the Registry::SETTINGS keys.
	 */
	public static function flag( string $key ): bool {
		$value = self::raw( $key );
		return is_string( $value ) ? in_array( strtolower( $value ), array( '1', 'true', 'yes', 'on' ), true ) : (bool) $value;
	}

	/**
	 * A map setting (string => string), in its stored order.
	 *
	 * @param string $key One of the Registry::SETTINGS keys.
	 * @return array<string, string>
	 */
	public static function map( string $key ): array {
		$value = self::raw( $key );
		// A constant may hold the form's "from = to" lines as a string (the
		// README's format): read like the array. One that does not parse is
		// not half-applied; Settings\Constants::error() says why.
		if ( is_string( $value ) ) {
			$value = self::parse_map( $value );
		}
		$out = array();
		foreach ( is_array( $value ) ? $value : array() as $from => $to ) {
			// The reference's WORKOS_REDIRECT_URLS: role => {url, first_login_only}.
			if ( is_array( $to ) && isset( $to['url'] ) ) {
				$to = $to['url'];
			}
			if ( is_scalar( $to ) && '' !== trim( (string) $from ) && '' !== trim( (string) $to ) ) {
				$out[ trim( (string) $from ) ] = trim( (string) $to );
			}
		}
		return $out;
	}

	/**
	 * "from = to" lines — the settings form's textarea and the README's
	 * format for map constants — as pairs in order. Blank lines are skipped;
	 * a literal `\n` (a single-quoted constant) breaks a line too. The one
	 * parser of that format: the form's Validator uses it as well.
	 *
	 * @param string $text The lines.
	 * @return array<string, string>|\WP_Error The pairs, or the first line that is not "name = value".
	 */
	public static function parse_map( string $text ) {
		$pairs = array();
		foreach ( preg_split( '/\R|\\\\n/', $text ) as $line ) {
			if ( '' === trim( $line ) ) {
				continue;
			}
			$parts = explode( '=', $line, 2 );
			if ( 2 !== count( $parts ) ) {
				/* translators: %s: the line. */
				return new \WP_Error( 'invalid', sprintf( __( 'Expected "name = value", got "%s".', 'workos' ), trim( $line ) ) );
			}
			$pairs[ trim( $parts[0] ) ] = trim( $parts[1] );
		}
		return $pairs;
	}

	/**
	 * A list setting.
	 *
	 * @param string $key One of the Registry::SETTINGS keys.
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
	 * @param string      $key One of the Registry::SETTINGS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function from_constant( string $key, ?string $env = null ): bool {
		return isset( Registry::SETTINGS[ $key ] ) && defined( self::constant_name( $key, $env ) );
	}

	/**
	 * Where a setting's value comes from, as raw() reads it: `constant`,
	 * `database` or `default` (Site Health's Info tab and `workos status`
	 * show it beside the value).
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function source( string $key, ?string $env = null ): string {
		if ( 'environment' === $key ) {
			return defined( 'WORKOS_ENVIRONMENT' ) ? 'constant' : ( '' !== (string) ( self::stored( $key )['environment'] ?? '' ) ? 'database' : 'default' );
		}
		if ( self::from_constant( $key, $env ) ) {
			return 'constant';
		}
		$def = Registry::SETTINGS[ $key ];
		if ( self::base_url_follows_key( $key, $env ) || false === ( $def['stored'] ?? true ) ) {
			return 'default';
		}
		$stored = self::stored( $key );
		if ( ! empty( $def['per_environment'] ) ) {
			$env = $env ?? self::environment();
			$own = $stored['environments'][ $env ] ?? array();
			if ( is_array( $own ) && isset( $own[ $key ] ) && '' !== $own[ $key ] ) {
				return 'database';
			}
			if ( 'production' !== $env ) {
				return 'default';
			}
		}
		return isset( $stored[ $key ] ) && '' !== $stored[ $key ] && array() !== $stored[ $key ] ? 'database' : 'default';
	}

	/**
	 * The API key comes from a constant and the base URL does not: the URL
	 * the key is sent to is then not taken from the database either (it is
	 * WORKOS_API_BASE_URL or the default). Otherwise whoever can write
	 * `wp_options` (an admin, an SQL injection) would point the client at
	 * their own server and receive the key that was kept out of the database.
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
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
	 * @param string      $key One of the Registry::SETTINGS keys.
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
			foreach ( Registry::keys_with( 'per_environment' ) as $key ) {
				if ( ! self::from_constant( $key, $env ) ) {
					continue;
				}
				$where = self::is_network( $key ) ? 'network' : 'site';
				if ( ! isset( $stores[ $where ] ) ) {
					$stores[ $where ] = array( self::stored( $key ), self::stored( $key ) );
				}
				$value = trim( (string) constant( self::constant_name( $key, $env ) ) );
				if ( empty( Registry::SETTINGS[ $key ]['secret'] ) ) {
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
	 * A setting's current value as text, as `workos status` and Site Health
	 * show it: secrets masked, maps and lists as JSON, flags as yes/no.
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function display( string $key, ?string $env = null ): string {
		$def = Registry::SETTINGS[ $key ];
		switch ( $def['type'] ) {
			case 'map':
				return (string) wp_json_encode( self::map( $key ), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
			case 'list':
				return (string) wp_json_encode( self::items( $key ), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
			case 'bool':
				return self::flag( $key ) ? 'yes' : 'no';
			default:
				$value = self::get( $key, $env );
				return empty( $def['secret'] ) ? $value : self::mask( $value );
		}
	}

	/**
	 * The key that signs OAuth state and derives PKCE verifiers: unique to this
	 * site, never stored, never sent anywhere.
	 */
	public static function state_secret(): string {
		return hash_hmac( 'sha256', 'workos-state', wp_salt( 'auth' ) );
	}
}
