<?php
/**
 * Site Health entries.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Api;
use WorkOS_WP\Directory\Directory;
use WorkOS_WP\Organizations;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;

use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Adds the extension and configuration checks to Tools → Site Health.
 */
final class Diagnostics {

	/**
	 * Registers the tests.
	 *
	 * @param array $tests Site Health tests.
	 */
	public static function add_tests( array $tests ): array {
		$tests['direct']['workos_extension']    = array(
			'label' => __( 'WorkOS extension', 'workos' ),
			'test'  => array( self::class, 'extension_test' ),
		);
		$tests['direct']['workos_schema']       = array(
			'label' => __( 'WorkOS tables', 'workos' ),
			'test'  => array( self::class, 'schema_test' ),
		);
		$tests['direct']['workos_connectivity'] = array(
			'label' => __( 'WorkOS connectivity', 'workos' ),
			'test'  => array( self::class, 'connectivity_test' ),
		);
		$tests['direct']['workos_backlog']      = array(
			'label' => __( 'WorkOS background work', 'workos' ),
			'test'  => array( self::class, 'backlog_test' ),
		);
		$tests['direct']['workos_organization_scope'] = array(
			'label' => __( 'WorkOS organization scope', 'workos' ),
			'test'  => array( self::class, 'organization_scope_test' ),
		);
		$tests['direct']['workos_jwks_cache'] = array(
			'label' => __( 'WorkOS signing-key cache', 'workos' ),
			'test'  => array( self::class, 'jwks_cache_test' ),
		);
		// An undeclared reverse proxy makes every visitor one address for the rate limits.
		$tests['direct']['workos_proxy']        = array(
			'label' => __( 'WorkOS trusted proxies', 'workos' ),
			'test'  => array( \WorkOS_WP\SignIn\ProxyCheck::class, 'site_health' ),
		);
		return $tests;
	}

	/**
	 * Whether the extension is loaded, which version, and whether it is set up.
	 */
	public static function extension_test(): array {
		$ok = extension_ready();
		return array(
			'label'       => $ok
				/* translators: %s: extension version. */
				? sprintf( __( 'The workos extension %s is loaded', 'workos' ), \WorkOS\Native\version() )
				: __( 'The workos PHP extension is not loaded', 'workos' ),
			'status'      => $ok ? ( Settings::is_configured() ? 'good' : 'recommended' ) : 'critical',
			'badge'       => array(
				'label' => 'WorkOS',
				'color' => $ok ? 'blue' : 'red',
			),
			'description' => '<p>' . esc_html(
				$ok
					? ( Settings::is_configured() ? __( 'Sign-in through WorkOS is available.', 'workos' ) : __( 'Add an API key and client ID in Settings → WorkOS.', 'workos' ) )
					: __( 'Without the extension WordPress keeps working with its own login form, but WorkOS sign-in, webhooks and token checks are off.', 'workos' )
			) . '</p>',
			'test'        => 'workos_extension',
		);
	}

	/**
	 * The plugin's tables exist at the schema version this code expects.
	 */
	public static function schema_test(): array {
		global $wpdb;
		$missing = array();
		foreach ( Schema::TABLES as $name ) {
			$table = Schema::table( $name );
			if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $table ) ) ) !== $table ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				$missing[] = $table;
			}
		}
		$version = (int) get_option( Schema::VERSION_OPTION, 0 );
		$ok      = ! $missing && Schema::VERSION === $version;
		return self::result(
			'workos_schema',
			$ok ? 'good' : 'critical',
			/* translators: 1: stored schema version, 2: expected version. */
			$ok ? __( 'The WorkOS tables are up to date', 'workos' ) : sprintf( __( 'The WorkOS tables need an upgrade (schema %1$d, expected %2$d)', 'workos' ), $version, Schema::VERSION ),
			$missing ? __( 'Missing: ', 'workos' ) . implode( ', ', $missing ) . '. ' . __( 'Visiting any admin page creates them.', 'workos' ) : __( 'Organizations, memberships, the activity log, the webhook ledger and the audit queue are in place.', 'workos' )
		);
	}

	/**
	 * WorkOS answers with this client's signing keys (the call every sign-in
	 * and Bearer check relies on).
	 */
	public static function connectivity_test(): array {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return self::result( 'workos_connectivity', 'recommended', __( 'WorkOS connectivity was not checked', 'workos' ), __( 'The extension must be loaded and an API key and client ID set first.', 'workos' ) );
		}
		$started = microtime( true );
		try {
			$jwks = json_decode( Api::client()->getJwks(), true );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::result(
				'workos_connectivity',
				'critical',
				/* translators: %s: API base URL. */
				sprintf( __( 'WorkOS at %s could not be reached', 'workos' ), Settings::get( 'api_base_url' ) ),
				$e->getMessage()
			);
		}
		$keys = is_array( $jwks['keys'] ?? null ) ? count( $jwks['keys'] ) : 0;
		return self::result(
			'workos_connectivity',
			$keys ? 'good' : 'critical',
			/* translators: %d: milliseconds. */
			sprintf( __( 'WorkOS answered in %d ms', 'workos' ), (int) round( ( microtime( true ) - $started ) * 1000 ) ),
			/* translators: 1: environment, 2: number of keys. */
			sprintf( __( 'Environment %1$s, %2$d signing key(s) for this client.', 'workos' ), Settings::environment(), $keys )
		);
	}

	/**
	 * Webhook events and audit-log sends waiting or given up.
	 */
	public static function backlog_test(): array {
		global $wpdb;
		Schema::ensure();
		$pending = (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::table( 'events' ) . " WHERE status = 'pending' AND claimed_at < UTC_TIMESTAMP() - INTERVAL 10 MINUTE" ); // phpcs:ignore WordPress.DB
		$failed  = (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::table( 'events' ) . " WHERE status = 'failed'" ); // phpcs:ignore WordPress.DB
		$audit   = (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::table( 'audit_queue' ) . ' WHERE attempts > 0' ); // phpcs:ignore WordPress.DB
		$ok      = 0 === $pending + $failed + $audit;
		return self::result(
			'workos_backlog',
			$ok ? 'good' : 'recommended',
			$ok ? __( 'No WorkOS work is waiting', 'workos' ) : __( 'Some WorkOS work is waiting or failed', 'workos' ),
			/* translators: 1: stuck events, 2: failed events, 3: audit events being retried. */
			sprintf( __( 'Webhook events stuck for over 10 minutes: %1$d; given up: %2$d; audit-log events being retried: %3$d. WP-Cron retries them every five minutes (or run: wp workos maintenance).', 'workos' ), $pending, $failed, $audit )
		);
	}

	/**
	 * Whether the per-host cache of WorkOS's signing keys can be used: a
	 * directory that is not private to PHP's user is refused (a planted key
	 * would be trusted), and then every worker fetches the keys itself.
	 */
	public static function jwks_cache_test(): array {
		$problem = \WorkOS_WP\extension_ready() && method_exists( \WorkOS\Native\Client::class, 'jwksCacheDirProblem' )
			? \WorkOS\Native\Client::jwksCacheDirProblem( \WorkOS_WP\Api::jwks_cache_dir() )
			: null;
		return self::result(
			'workos_jwks_cache',
			null === $problem ? 'good' : 'recommended',
			null === $problem ? __( 'WorkOS signing keys are cached privately', 'workos' ) : __( 'WorkOS signing keys are not cached on disk', 'workos' ),
			null === $problem
				? __( 'The signing keys that verify WorkOS sessions are kept in a directory only PHP\'s user can read or write, each entry signed with a key derived from this site\'s salts.', 'workos' )
				/* translators: %s: why the directory was refused. */
				: sprintf( __( 'The cache directory was refused (%s), so each PHP worker fetches the keys from WorkOS itself. Point WORKOS_JWKS_CACHE_DIR at a directory owned by PHP\'s user with mode 0700.', 'workos' ), $problem )
		);
	}

	/**
	 * Which organization's directories, memberships and role claims may
	 * change users here. With none configured they are all ignored, which
	 * the admin must learn here rather than from users who never appear.
	 */
	public static function organization_scope_test(): array {
		global $wpdb;
		$served = Organizations::served();
		$events = Schema::table( 'events' );
		if ( ! $served ) {
			$ignored = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$events} WHERE outcome = %s", Directory::NO_ORGANIZATION ) ); // phpcs:ignore WordPress.DB
			$mapped  = (bool) Settings::map( 'role_map' );
			return self::result(
				'workos_organization_scope',
				$ignored || $mapped ? 'recommended' : 'good',
				__( 'No WorkOS organization is configured', 'workos' ),
				/* translators: %d: number of directory events ignored. */
				sprintf( __( 'Directory Sync events change no WordPress user (%d ignored so far), and role claims in WorkOS tokens and memberships are ignored: new users get the default role. One WorkOS environment holds every tenant\'s directories and organizations, so without an organization this site cannot tell which are its own. Set the Organization ID in Settings → WorkOS.', 'workos' ), $ignored )
			);
		}
		$placeholders = implode( ',', array_fill( 0, count( Directory::REFUSED ), '%s' ) );
		$refused      = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$events} WHERE outcome IN ({$placeholders})", ...Directory::REFUSED ) ); // phpcs:ignore WordPress.DB
		return self::result(
			'workos_organization_scope',
			'good',
			/* translators: %s: organization id(s). */
			sprintf( __( 'Directory Sync and roles are limited to %s', 'workos' ), implode( ', ', $served ) ),
			/* translators: %d: number of refused directory events. */
			sprintf( __( 'Only directories, memberships and role claims of this organization change WordPress users. Directory Sync events from other organizations refused: %d.', 'workos' ), $refused )
		);
	}

	/**
	 * debug_information: the WorkOS section of Tools → Site Health → Info,
	 * the settings as `workos status` shows them (Settings\Registry: each
	 * label, its value with secrets masked, where it comes from). Secrets are
	 * also marked private, so "Copy site info" leaves them out entirely.
	 *
	 * @param array $info Sections of the Info tab.
	 */
	public static function debug_information( $info ): array {
		$fields = array();
		foreach ( \WorkOS_WP\Settings\Registry::all() as $key => $setting ) {
			if ( $setting->constant_only && ! Settings::from_constant( $key ) ) {
				continue;
			}
			$value          = Settings::display( $key );
			$fields[ $key ] = array(
				'label'   => $setting->label,
				'value'   => Settings::from_constant( $key ) ? sprintf( '%s (%s)', $value, Settings::constant_name( $key ) ) : $value,
				'private' => $setting->secret,
			);
		}
		$info           = is_array( $info ) ? $info : array();
		$info['workos'] = array(
			'label'  => __( 'WorkOS', 'workos' ),
			'fields' => $fields,
		);
		return $info;
	}

	/**
	 * A Site Health result.
	 *
	 * @param string $test        Test id.
	 * @param string $status      good, recommended or critical.
	 * @param string $label       Headline.
	 * @param string $description Details (plain text).
	 */
	private static function result( string $test, string $status, string $label, string $description ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => 'WorkOS',
				'color' => 'critical' === $status ? 'red' : 'blue',
			),
			'description' => '<p>' . esc_html( $description ) . '</p>',
			'test'        => $test,
		);
	}
}
