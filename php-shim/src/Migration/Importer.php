<?php
/**
 * Moving a site from the reference plugin ("Integration with WorkOS") to
 * this one: its settings, usermeta, Login Profiles and tables.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Migration;

use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Profiles\Routing;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Registry;
use WorkOS_WP\Users\Links;
use WorkOS_WP\Users\UserMeta;

defined( 'ABSPATH' ) || exit;

/**
 * One pass over the reference's data, either as a dry run (plan(): what
 * would move, nothing written) or for real (apply()). Both return the same
 * report: one row per item — `area` (table, setting, usermeta, profile),
 * `item`, `from` (the reference's value, secrets masked), `to` (ours),
 * `action`: `would move` / `moved`, `already there` (a second run finds
 * only these), `yours kept` (this plugin already had another value: it
 * wins), `left in place` (nothing of ours uses it) — and a `note`.
 *
 * Nothing of the reference's is deleted or changed: its options, usermeta
 * and columns stay as they were (a profile whose stored fields are
 * normalized keeps the original beside them), so it can be activated
 * again. Settings are written through the Registry's definitions: a
 * reference option key is our setting of the same name, or the one whose
 * `aliases` name it (the reference's constants are WORKOS_ + the option
 * key), or one of OPTION_NAMES (keys the reference has no constant for).
 */
final class Importer {

	/** The reference's per-environment option arrays: `workos_{env}`. */
	public const ENV_OPTION = 'workos_%s';

	/** The reference's active environment (its default: staging). */
	public const ACTIVE_ENV_OPTION = 'workos_active_environment';

	/** The reference's global option (held the active environment before its DB v3). */
	public const GLOBAL_OPTION = 'workos_global';

	/** Set (autoloaded) while the admin notice should offer the migration; see Admin\MigrationNotice. */
	public const PENDING_OPTION = 'workos_migration_pending';

	/** The last applied run: when, how many items moved, its report (not autoloaded). */
	public const DONE_OPTION = 'workos_migration_done';

	/** Where a normalized profile keeps the reference's original fields. */
	public const PROFILE_ORIGINAL_META = '_workos_profile_config_reference';

	/**
	 * The reference's option keys that are no constant of its own (so no
	 * Registry alias) and whose setting here has another name.
	 */
	private const OPTION_NAMES = array(
		'audit_logging_enabled'     => 'audit_logs',
		'reassign_user'             => 'deprovision_reassign',
		'redirect_first_login_only' => 'login_redirect_first_only',
		'logout_redirect_urls'      => 'logout_redirects',
	);

	/**
	 * The reference's effective value of a key it may never have stored,
	 * where our default differs: its password endpoint reads the email
	 * confirmation of WordPress passwords with default off.
	 */
	private const REFERENCE_DEFAULTS = array( 'wp_password_fallback_email_confirmation' => false );

	/**
	 * The reference's defaults that are NOT carried over when it never stored
	 * the key, with the report's note: an address nobody knows getting a
	 * magic code (and an account) is open registration, which this plugin
	 * leaves off until the site owner turns it on.
	 */
	private static function not_carried_defaults(): array {
		return array(
			'allow_magic_code_registration'        => __( 'The other plugin let new addresses get magic codes (and accounts) by default; here that is off. Turn on "Magic codes for new addresses" in Settings to keep it.', 'workos' ),
			'allow_legacy_magic_code_registration' => __( 'The other plugin let new addresses get magic codes on its legacy profile by default; here that is off. Turn on "Magic codes for new addresses (legacy profile)" in Settings to keep it.', 'workos' ),
		);
	}

	/**
	 * The reference's single options from before its per-environment
	 * arrays: production's values when its array lacks them.
	 */
	private const LEGACY_OPTIONS = array( 'api_key', 'client_id', 'login_mode', 'allow_password_fallback', 'webhook_secret', 'deprovision_action', 'reassign_user', 'role_map', 'audit_logging_enabled' );

	/**
	 * Usermeta of the reference that nothing here reads; left in place.
	 */
	private const UNUSED_META = array( '_workos_access_token', '_workos_refresh_token', '_workos_session_id', '_workos_org_id', '_workos_profile_hash', '_workos_first_login', '_workos_pending_email_change', '_workos_last_login_at' );

	/**
	 * Whether the reference plugin has left anything here.
	 */
	public static function detected(): bool {
		foreach ( array( sprintf( self::ENV_OPTION, 'production' ), sprintf( self::ENV_OPTION, 'staging' ), self::ACTIVE_ENV_OPTION, 'workos_api_key' ) as $option ) {
			if ( false !== get_option( $option ) ) {
				return true;
			}
		}
		// The network's tables are the main site's (every site of a network shares them).
		foreach ( ! is_multisite() || is_main_site() ? Tables::inspect( self::tables() ) : array() as $state ) {
			if ( in_array( $state['state'], array( 'reference', 'converted' ), true ) ) {
				return true;
			}
		}
		// A site of a network: the reference's tables of this site (its own prefix).
		return (bool) Tables::inspect_site( get_current_blog_id() );
	}

	/**
	 * Whether network settings may be written (multisite): the command line
	 * (no user) and network administrators only. A site's administrator can
	 * run the migration for their site, but the credentials and everything
	 * else that acts on the network's shared users stay the network
	 * administrator's (Settings\Registry, `network`).
	 *
	 * @var bool
	 */
	private static $network = true;

	/**
	 * The dry run: what would move.
	 *
	 * @param bool $network Whether network settings may move (see $network).
	 * @return array[] Report rows.
	 */
	public static function plan( bool $network = true ): array {
		self::$network = $network;
		return self::run( false );
	}

	/**
	 * Moves everything that can move, and says what moved.
	 *
	 * @param bool $network Whether network settings may move (see $network).
	 * @return array[] Report rows.
	 */
	public static function apply( bool $network = true ): array {
		self::$network = $network;
		$rows          = self::run( true );
		$moved = count( array_filter( $rows, static fn( array $r ): bool => 'moved' === $r['action'] ) );
		update_option(
			self::DONE_OPTION,
			array(
				'at'    => time(),
				'moved' => $moved,
				'rows'  => $rows,
			),
			false
		);
		delete_option( self::PENDING_OPTION );
		return $rows;
	}

	/**
	 * Plugin activation: a site the reference plugin ran on. Its tables are
	 * already converted (Schema::install() ran first). When this plugin has
	 * no settings of its own yet, nothing of ours can be overwritten, so
	 * everything moves now and the switch needs no step; otherwise the
	 * admin notice offers the dry run and then the move.
	 */
	public static function on_activation(): void {
		if ( is_multisite() && is_network_admin() ) {
			self::flag_sites();
		}
		if ( ! self::detected() ) {
			return;
		}
		$ours    = get_option( Settings::OPTION );
		$network = ! is_multisite() || current_user_can( 'manage_network_options' );
		if ( ! is_array( $ours ) || ! array_filter( $ours ) ) {
			self::apply( $network );
			update_option( self::PENDING_OPTION, 'applied', true );
			return;
		}
		if ( self::count( self::plan( $network ), 'would move' ) > 0 ) {
			update_option( self::PENDING_OPTION, 'pending', true );
		}
	}

	/**
	 * Network activation: every other site the reference plugin left
	 * tables or settings on gets the migration notice (its dry run first);
	 * nothing moves there until its administrator, a network administrator
	 * or `wp workos migrate --url=…` says so. The first 500 sites.
	 */
	private static function flag_sites(): void {
		$main = get_main_site_id();
		foreach ( get_sites(
			array(
				'number'       => 500,
				'fields'       => 'ids',
				'site__not_in' => array( $main ),
			)
		) as $blog ) {
			switch_to_blog( (int) $blog );
			try {
				if ( self::detected() && 'applied' !== get_option( self::PENDING_OPTION ) ) {
					update_option( self::PENDING_OPTION, 'pending', true );
				}
			} finally {
				restore_current_blog();
			}
		}
	}

	/**
	 * How many rows of a report have `$action`.
	 *
	 * @param array[] $rows   Report.
	 * @param string  $action Action.
	 */
	public static function count( array $rows, string $action ): int {
		return count( array_filter( $rows, static fn( array $r ): bool => $action === $r['action'] ) );
	}

	/**
	 * Our shared tables: short name => full name.
	 *
	 * @return array<string, string>
	 */
	private static function tables(): array {
		return array_combine( Tables::SHARED, array_map( array( Schema::class, 'table' ), Tables::SHARED ) );
	}

	/**
	 * The pass itself.
	 *
	 * @param bool $apply Write (else only report).
	 * @return array[]
	 */
	private static function run( bool $apply ): array {
		$rows = self::tables_rows( $apply );
		$rows = array_merge( $rows, self::settings_rows( $apply ) );
		$rows = array_merge( $rows, self::usermeta_rows( $apply ) );
		return array_merge( $rows, self::profile_rows( $apply ) );
	}

	/**
	 * A report row.
	 *
	 * @param string $area   Area.
	 * @param string $item   Item.
	 * @param string $from   The reference's value (masked if secret).
	 * @param string $to     Ours.
	 * @param string $action Action.
	 * @param string $note   Note.
	 */
	private static function row( string $area, string $item, string $from, string $to, string $action, string $note = '' ): array {
		return compact( 'area', 'item', 'from', 'to', 'action', 'note' );
	}

	/**
	 * The tables (converted by Schema::install(), under its lock).
	 *
	 * @param bool $apply Write.
	 * @return array[]
	 */
	private static function tables_rows( bool $apply ): array {
		$rows    = array();
		$version = get_option( Schema::VERSION_OPTION );
		$ours    = (int) get_option( Schema::OWN_VERSION_OPTION, 0 );
		if ( false !== $version && (string) $version !== (string) $ours ) {
			$rows[] = self::row( 'table', Schema::VERSION_OPTION, (string) $version, (string) Schema::VERSION, $apply ? 'moved' : 'would move', __( 'Written by the other plugin; not trusted: the tables are judged by their columns, and ours is recorded in workos_wp_db_version.', 'workos' ) );
		}
		$states = Tables::inspect( self::tables() );
		$stale  = $rows || array_filter( $states, static fn( array $s ): bool => 'reference' === $s['state'] );
		$done   = $apply && $stale ? Schema::install() : array();
		foreach ( $states as $name => $state ) {
			if ( ! in_array( $state['state'], array( 'reference', 'converted' ), true ) ) {
				continue;
			}
			$kept = $state['kept'] ? sprintf( /* translators: %s: column names. */ __( 'The other plugin\'s columns are kept: %s.', 'workos' ), implode( ', ', $state['kept'] ) ) : '';
			if ( 'converted' === $state['state'] ) {
				$rows[] = self::row( 'table', Schema::table( $name ), sprintf( /* translators: %d: rows. */ _n( '%d row', '%d rows', $state['rows'], 'workos' ), $state['rows'] ), '', 'already there', $kept );
				continue;
			}
			$errors = $done[ $name ]['errors'] ?? array();
			$note   = trim( $kept . ( $errors ? ' ' . implode( '; ', $errors ) : '' ) );
			$rows[] = self::row( 'table', Schema::table( $name ), sprintf( /* translators: %d: rows. */ _n( '%d row', '%d rows', $state['rows'], 'workos' ), $state['rows'] ), sprintf( /* translators: %d: rows. */ _n( '%d row converted', '%d rows converted', $state['pending'], 'workos' ), $state['pending'] ), $apply ? ( $errors ? 'failed' : 'moved' ) : 'would move', $note );
		}
		return array_merge( $rows, self::site_tables_rows( $apply ) );
	}

	/**
	 * A site of a network: the reference's tables with this site's prefix,
	 * copied into the network's (Tables::adopt_site()); they stay as they are
	 * but for our columns beside theirs.
	 *
	 * @param bool $apply Write.
	 * @return array[]
	 */
	private static function site_tables_rows( bool $apply ): array {
		$blog   = get_current_blog_id();
		$states = Tables::inspect_site( $blog );
		if ( ! $states ) {
			return array();
		}
		$done  = $apply ? Tables::adopt_site( $blog ) : array();
		$names = Tables::site_tables( $blog );
		$rows  = array();
		$note  = __( 'This site\'s table of the other plugin; its rows are copied into the network\'s table, which every site shares. Rows it never had at WorkOS stay in it. Organizations mapped to sites there need a role (Network Admin → Settings → WorkOS sites).', 'workos' );
		foreach ( $states as $name => $state ) {
			$errors = $done[ $name ]['errors'] ?? array();
			$count  = $apply ? (int) ( $done[ $name ]['copied'] ?? 0 ) : (int) $state['to_copy'];
			$from   = sprintf( /* translators: %d: rows. */ _n( '%d row', '%d rows', $state['rows'], 'workos' ), $state['rows'] );
			if ( 0 === $count && ! $errors ) {
				$rows[] = self::row( 'table', $names[ $name ], $from, Schema::table( $name ), 'already there', $note );
				continue;
			}
			/* translators: 1: rows, 2: table. */
			$to     = sprintf( _n( '%1$d row copied to %2$s', '%1$d rows copied to %2$s', $count, 'workos' ), $count, Schema::table( $name ) );
			$rows[] = self::row( 'table', $names[ $name ], $from, $to, $apply ? ( $errors ? 'failed' : 'moved' ) : 'would move', trim( $note . ( $errors ? ' ' . implode( '; ', $errors ) : '' ) ) );
		}
		return $rows;
	}

	/**
	 * The reference's settings, per environment: its option arrays, with
	 * its pre-environment single options as production's fallback.
	 *
	 * @return array<string, array>
	 */
	private static function reference_settings(): array {
		$out = array();
		foreach ( Registry::ENVIRONMENTS as $env ) {
			$value = get_option( sprintf( self::ENV_OPTION, $env ) );
			if ( is_array( $value ) ) {
				// What it did when a key was never saved, where that differs from ours.
				$out[ $env ] = $value + self::REFERENCE_DEFAULTS;
			}
		}
		foreach ( self::LEGACY_OPTIONS as $key ) {
			$value = get_option( 'workos_' . $key );
			if ( false !== $value && ! isset( $out['production'][ $key ] ) ) {
				$out['production'][ $key ] = $value;
			}
		}
		return $out;
	}

	/**
	 * The reference's active environment, as it decided it.
	 *
	 * @param array $ref Its settings (reference_settings()).
	 */
	private static function reference_environment( array $ref ): string {
		$active = get_option( self::ACTIVE_ENV_OPTION );
		if ( ! in_array( $active, Registry::ENVIRONMENTS, true ) ) {
			$global = get_option( self::GLOBAL_OPTION );
			$active = is_array( $global ) ? ( $global['active_environment'] ?? '' ) : '';
		}
		if ( in_array( $active, Registry::ENVIRONMENTS, true ) ) {
			return $active;
		}
		// Its default, staging, when it had staging settings; else the only ones it had.
		return isset( $ref['staging'] ) || ! isset( $ref['production'] ) ? 'staging' : 'production';
	}

	/**
	 * Our setting for a reference option key (see the class comment), or null.
	 *
	 * @param string $ref_key The reference's key.
	 */
	public static function setting_for( string $ref_key ): ?string {
		if ( isset( Registry::SETTINGS[ $ref_key ] ) ) {
			return $ref_key;
		}
		foreach ( Registry::SETTINGS as $key => $def ) {
			if ( in_array( strtoupper( $ref_key ), $def['aliases'] ?? array(), true ) ) {
				return $key;
			}
		}
		return self::OPTION_NAMES[ $ref_key ] ?? null;
	}

	/**
	 * The settings: per-environment ones from each environment's array,
	 * the others from the active environment's (the one the reference read).
	 *
	 * @param bool $apply Write.
	 * @return array[]
	 */
	private static function settings_rows( bool $apply ): array {
		$ref = self::reference_settings();
		if ( ! $ref ) {
			return array();
		}
		$active = self::reference_environment( $ref );
		$stores = array(
			'site'    => get_option( Settings::OPTION, array() ),
			'network' => is_multisite() ? get_site_option( Settings::OPTION, array() ) : array(),
		);
		$stores = array_map( static fn( $s ): array => is_array( $s ) ? $s : array(), $stores );
		$before = $stores;
		$rows   = array();

		// The environment first: it decides which values the site uses.
		$rows[] = self::put( $stores, 'environment', null, $active, 'workos_active_environment', $apply );
		foreach ( $ref as $env => $values ) {
			foreach ( $values as $ref_key => $value ) {
				$key = self::setting_for( (string) $ref_key );
				$src = sprintf( self::ENV_OPTION, $env ) . '[' . $ref_key . ']';
				if ( null === $key ) {
					if ( $env === $active && ! in_array( $value, array( '', null, array() ), true ) ) {
						$rows[] = self::row( 'setting', $src, self::show( (string) $ref_key, $value ), '', 'left in place', __( 'No equivalent setting here.', 'workos' ) );
					}
					continue;
				}
				if ( false === ( Registry::SETTINGS[ $key ]['stored'] ?? true ) ) {
					if ( $env === $active && ! in_array( $value, array( '', null, array() ), true ) ) {
						/* translators: %s: a constant's name. */
						$rows[] = self::row( 'setting', $src, self::show( (string) $ref_key, $value ), '', 'left in place', sprintf( __( 'Only a constant sets this here: define %s in wp-config.php.', 'workos' ), 'WORKOS_' . strtoupper( $key ) ) );
					}
					continue;
				}
				$per_env = ! empty( Registry::SETTINGS[ $key ]['per_environment'] );
				if ( ! $per_env && $env !== $active ) {
					// The reference read these from the active environment only; here one value serves both.
					if ( ! self::same( $value, $ref[ $active ][ $ref_key ] ?? null ) ) {
						/* translators: %s: environment name. */
						$rows[] = self::row( 'setting', $src, self::show( (string) $ref_key, $value ), '', 'left in place', sprintf( __( 'One value here for every environment: the active one\'s (%s) moves.', 'workos' ), $active ) );
					}
					continue;
				}
				foreach ( self::convert( $key, $value ) as $our_key => $our_value ) {
					$rows[] = self::put( $stores, $our_key, $per_env ? $env : null, $our_value, $src, $apply );
				}
			}
		}
		// Defaults that differ and are not carried over: said, so the owner decides.
		foreach ( self::not_carried_defaults() as $ref_key => $note ) {
			if ( ! array_key_exists( $ref_key, $ref[ $active ] ?? array() ) && ! Settings::flag( $ref_key ) ) {
				$rows[] = self::row( 'setting', sprintf( self::ENV_OPTION, $active ) . '[' . $ref_key . ']', __( '(not stored: on)', 'workos' ), __( 'off', 'workos' ), 'left in place', $note );
			}
		}
		if ( $apply ) {
			foreach ( $stores as $where => $value ) {
				if ( $value !== $before[ $where ] ) {
					Settings::write( 'network' === $where, $value );
				}
			}
		}
		return array_values( array_filter( $rows ) );
	}

	/**
	 * A reference value as our setting(s): key => value (a redirect map's
	 * `__default__` entry and first-login flags become settings of their own).
	 *
	 * @param string $key   Our setting.
	 * @param mixed  $value The reference's value.
	 * @return array<string, mixed>
	 */
	private static function convert( string $key, $value ): array {
		$def = Registry::SETTINGS[ $key ];
		if ( in_array( $key, array( 'login_redirects', 'logout_redirects' ), true ) && is_array( $value ) ) {
			$map   = array();
			$first = array();
			$out   = array();
			foreach ( $value as $role => $entry ) {
				$url = is_array( $entry ) ? (string) ( $entry['url'] ?? '' ) : ( is_scalar( $entry ) ? (string) $entry : '' );
				if ( '' === trim( $url ) ) {
					continue;
				}
				if ( is_array( $entry ) && array_key_exists( 'first_login_only', $entry ) ) {
					$first[] = (bool) $entry['first_login_only'];
				}
				if ( '__default__' === $role ) {
					$out[ 'login_redirects' === $key ? 'login_redirect_default' : 'logout_redirect_default' ] = trim( $url );
				} else {
					$map[ (string) $role ] = trim( $url );
				}
			}
			if ( $map ) {
				$out = array( $key => $map ) + $out;
			}
			// One flag here for every role: on when every entry of the reference's was first-login-only.
			if ( 'login_redirects' === $key && $first ) {
				$out['login_redirect_first_only'] = ! in_array( false, $first, true );
			}
			return $out;
		}
		switch ( $def['type'] ) {
			case 'bool':
				return array( $key => is_string( $value ) ? in_array( strtolower( $value ), array( '1', 'true', 'yes', 'on' ), true ) : (bool) $value );
			case 'map':
				$map = array();
				foreach ( is_array( $value ) ? $value : array() as $from => $to ) {
					if ( is_scalar( $to ) && '' !== trim( (string) $from ) && '' !== trim( (string) $to ) ) {
						$map[ trim( (string) $from ) ] = trim( (string) $to );
					}
				}
				return $map ? array( $key => $map ) : array();
			case 'choice':
				$value = is_scalar( $value ) ? trim( (string) $value ) : '';
				return in_array( $value, $def['choices'], true ) ? array( $key => $value ) : array();
			default:
				$value = is_scalar( $value ) ? trim( (string) $value ) : '';
				if ( 'deprovision_reassign' === $key && (int) $value <= 0 ) {
					return array();
				}
				return '' === $value ? array() : array( $key => $value );
		}
	}

	/**
	 * Puts one value into our stored option (in memory; settings_rows()
	 * writes), unless ours already has one: a report row.
	 *
	 * @param array       $stores Our options: `site`, `network`.
	 * @param string      $key    Our setting.
	 * @param string|null $env    Environment of a per-environment setting.
	 * @param mixed       $value  Its value.
	 * @param string      $src    Where the reference kept it.
	 * @param bool        $apply  Write.
	 */
	private static function put( array &$stores, string $key, ?string $env, $value, string $src, bool $apply ): ?array {
		$where = Settings::is_network( $key ) ? 'network' : 'site';
		$store = $stores[ $where ];
		$item  = null === $env ? $key : $key . ' (' . $env . ')';
		if ( 'network' === $where && ! self::$network ) {
			return self::row( 'setting', $item, self::show( $key, $value ), '', 'left in place', __( 'A setting of the whole network: a network administrator moves it (or run the migrate command).', 'workos' ) );
		}
		if ( null === $env ) {
			$current = $store[ $key ] ?? null;
		} else {
			$current = $store['environments'][ $env ][ $key ] ?? null;
			// Top-level values predate environments: they are production's (Settings::raw()).
			if ( ( null === $current || '' === $current ) && 'production' === $env ) {
				$current = $store[ $key ] ?? null;
			}
		}
		$from = self::show( $key, $value );
		if ( null !== $current && '' !== $current && array() !== $current ) {
			if ( self::same( $current, $value ) ) {
				return self::row( 'setting', $item, $from, self::show( $key, $current ), 'already there', $src );
			}
			return self::row( 'setting', $item, $from, self::show( $key, $current ), 'yours kept', $src );
		}
		if ( null === $env ) {
			$stores[ $where ][ $key ] = $value;
		} else {
			$stores[ $where ]['environments'][ $env ][ $key ] = $value;
		}
		$note = Settings::from_constant( $key, $env ) ? __( 'A constant decides this setting here; the stored value applies if it is removed.', 'workos' ) : '';
		return self::row( 'setting', $item, $from, $from, $apply ? 'moved' : 'would move', trim( $src . ' ' . $note ) );
	}

	/**
	 * Whether two stored values mean the same.
	 *
	 * @param mixed $a One.
	 * @param mixed $b Other.
	 */
	private static function same( $a, $b ): bool {
		if ( is_bool( $a ) || is_bool( $b ) ) {
			return (bool) $a === (bool) $b && ( is_bool( $a ) || in_array( (string) $a, array( '0', '1', '' ), true ) ) && ( is_bool( $b ) || in_array( (string) $b, array( '0', '1', '' ), true ) );
		}
		if ( is_array( $a ) || is_array( $b ) ) {
			return is_array( $a ) && is_array( $b ) && array_map( 'strval', $a ) === array_map( 'strval', $b );
		}
		return (string) $a === (string) $b;
	}

	/**
	 * A value as the report shows it: secrets masked, arrays as JSON.
	 *
	 * @param string $key   Setting (ours or the reference's key).
	 * @param mixed  $value Value.
	 */
	private static function show( string $key, $value ): string {
		$ours = self::setting_for( $key ) ?? $key;
		if ( ! empty( Registry::SETTINGS[ $ours ]['secret'] ) || preg_match( '/secret|api_?key|token/i', $key ) ) {
			return Settings::mask( is_scalar( $value ) ? (string) $value : '' );
		}
		if ( is_bool( $value ) ) {
			return $value ? 'yes' : 'no';
		}
		return is_scalar( $value ) || null === $value ? (string) $value : (string) wp_json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
	}

	/**
	 * Usermeta: the WorkOS link and the deactivation marker have the same
	 * keys here; what remains is making the link index know the links the
	 * reference wrote (Links), and "first sign-in" history.
	 *
	 * @param bool $apply Write.
	 * @return array[]
	 */
	private static function usermeta_rows( bool $apply ): array {
		global $wpdb;
		$rows   = array();
		$linked = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_key = %s AND meta_value <> ''", UserMeta::USER_ID ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( 0 === $linked ) {
			return $rows;
		}
		$links    = Schema::table( 'links' );
		$unlisted = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} m LEFT JOIN {$links} l ON l.user_id = m.user_id AND l.kind = 'user' AND l.workos_id = m.meta_value WHERE m.meta_key = %s AND m.meta_value <> '' AND l.user_id IS NULL", UserMeta::USER_ID ) ); // phpcs:ignore WordPress.DB
		/* translators: %d: number of users. */
		$users = sprintf( _n( '%d user', '%d users', $linked, 'workos' ), $linked );
		if ( $unlisted > 0 ) {
			if ( $apply ) {
				Links::rebuild();
			}
			/* translators: %d: number of users. */
			$rows[] = self::row( 'usermeta', UserMeta::USER_ID, $users, sprintf( _n( '%d link indexed', '%d links indexed', $unlisted, 'workos' ), $unlisted ), $apply ? 'moved' : 'would move', __( 'Same key here: these users sign in to the same accounts.', 'workos' ) );
		} else {
			$rows[] = self::row( 'usermeta', UserMeta::USER_ID, $users, $users, 'already there', __( 'Same key here: these users sign in to the same accounts.', 'workos' ) );
		}

		// The reference synced the profile on every sign-in: a user it
		// synced has signed in, so "first sign-in only" redirects must not
		// fire again for them here.
		$ids = $wpdb->get_results( $wpdb->prepare( "SELECT s.user_id, s.meta_value FROM {$wpdb->usermeta} s LEFT JOIN {$wpdb->usermeta} l ON l.user_id = s.user_id AND l.meta_key = %s WHERE s.meta_key = '_workos_last_synced_at' AND s.meta_value <> '' AND l.umeta_id IS NULL", UserMeta::LAST_LOGIN ), ARRAY_A ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$n   = count( (array) $ids );
		if ( $n > 0 ) {
			if ( $apply ) {
				foreach ( $ids as $one ) {
					$at = strtotime( $one['meta_value'] . ' UTC' );
					add_user_meta( (int) $one['user_id'], UserMeta::LAST_LOGIN, $at ? $at : time(), true );
				}
			}
			/* translators: %d: number of users. */
			$rows[] = self::row( 'usermeta', '_workos_last_synced_at', sprintf( _n( '%d user', '%d users', $n, 'workos' ), $n ), UserMeta::LAST_LOGIN, $apply ? 'moved' : 'would move', __( 'They have signed in before: redirects for the first sign-in only do not apply to them again.', 'workos' ) );
		}

		$deactivated = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_key = %s AND meta_value <> ''", UserMeta::DEACTIVATED ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( $deactivated > 0 ) {
			/* translators: %d: number of users. */
			$rows[] = self::row( 'usermeta', UserMeta::DEACTIVATED, sprintf( _n( '%d user', '%d users', $deactivated, 'workos' ), $deactivated ), UserMeta::DEACTIVATED, 'already there', __( 'Same key here: they stay unable to sign in.', 'workos' ) );
		}
		foreach ( self::UNUSED_META as $key ) {
			$n = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_key = %s", $key ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			if ( $n > 0 ) {
				$note   = in_array( $key, array( '_workos_access_token', '_workos_refresh_token' ), true ) ? __( 'Not used here. These are credentials: once you no longer need the other plugin, delete them (delete_metadata).', 'workos' ) : __( 'Not used here.', 'workos' );
				$rows[] = self::row( 'usermeta', $key, sprintf( /* translators: %d: number of users. */ _n( '%d user', '%d users', $n, 'workos' ), $n ), '', 'left in place', $note );
			}
		}
		return $rows;
	}

	/**
	 * Login Profiles: the same post type and post meta here. A profile
	 * whose stored fields this plugin reads differently (rows from older
	 * versions: a logo without its mode, unknown keys) is stored normalized,
	 * the original kept in PROFILE_ORIGINAL_META.
	 *
	 * @param bool $apply Write.
	 * @return array[]
	 */
	private static function profile_rows( bool $apply ): array {
		ProfileRepository::register_post_type();
		$rows  = array();
		$posts = get_posts(
			array(
				'post_type'        => ProfileRepository::POST_TYPE,
				'post_status'      => 'any',
				'numberposts'      => 500,
				'orderby'          => 'ID',
				'order'            => 'ASC',
				'suppress_filters' => true,
			)
		);
		foreach ( $posts as $post ) {
			$raw     = (string) get_post_meta( $post->ID, ProfileRepository::META, true );
			$stored  = json_decode( $raw, true );
			$profile = ProfileRepository::find( (int) $post->ID );
			$item    = $post->post_name . ' (#' . $post->ID . ')';
			if ( ! $profile ) {
				$rows[] = self::row( 'profile', $item, (string) $post->post_status, '', 'left in place', __( 'Not published: not a profile here.', 'workos' ) );
				continue;
			}
			$fields = array_diff_key( $profile->to_array(), array_flip( array( 'id', 'slug', 'title' ) ) );
			$old    = is_array( $stored ) ? array_diff_key( $stored, array_flip( array( 'id', 'slug', 'title' ) ) ) : array();
			if ( self::canonical( $old ) === self::canonical( $fields ) ) {
				$rows[] = self::row( 'profile', $item, $post->post_title, $post->post_title, 'already there', __( 'Same post type and fields here.', 'workos' ) );
				continue;
			}
			if ( $apply ) {
				add_post_meta( $post->ID, self::PROFILE_ORIGINAL_META, wp_slash( $raw ), true );
				$fields['id'] = (int) $post->ID;
				update_post_meta( $post->ID, ProfileRepository::META, wp_slash( (string) wp_json_encode( $fields ) ) );
				$saved = ProfileRepository::find( (int) $post->ID );
				if ( $saved ) {
					/** This action is documented in Profiles/ProfileRepository.php (what follows profiles, e.g. the index of their paths, catches up). */
					do_action( 'workos_login_profile_saved', $saved );
				}
			}
			$rows[] = self::row( 'profile', $item, $post->post_title, $post->post_title, $apply ? 'moved' : 'would move', __( 'Fields stored as this plugin reads them; the original is kept in _workos_profile_config_reference.', 'workos' ) );
		}
		// The routing rules: the same option and form here.
		$rules = get_option( Routing::OPTION );
		if ( is_array( $rules ) && $rules ) {
			/* translators: %d: number of rules. */
			$count  = sprintf( _n( '%d rule', '%d rules', count( $rules ), 'workos' ), count( $rules ) );
			$rows[] = self::row( 'profile', Routing::OPTION, $count, $count, 'already there', __( 'Same option here.', 'workos' ) );
		}
		return $rows;
	}

	/**
	 * An array with its keys sorted at every level, for comparing.
	 *
	 * @param array $value Value.
	 */
	private static function canonical( array $value ): array {
		if ( $value && array_keys( $value ) !== range( 0, count( $value ) - 1 ) ) {
			ksort( $value );
		}
		foreach ( $value as $k => $v ) {
			if ( is_array( $v ) ) {
				$value[ $k ] = self::canonical( $v );
			}
		}
		return $value;
	}
}
