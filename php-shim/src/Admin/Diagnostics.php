<?php
/**
 * Site Health entries.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings\Registry;
use WorkOS_WP\Directory\Directory;
use WorkOS_WP\Organizations;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;

use function WorkOS_WP\extension_ready;

use const WorkOS_WP\PRODUCT_NAME;

defined( 'ABSPATH' ) || exit;

/**
 * Adds the extension and configuration checks to Tools → Site Health, and
 * the plugin's section to its Info tab. Every result that a setting can fix
 * links to that setting's field (Site Health's `actions`).
 */
final class Diagnostics {

	/** The REST namespace and route of the connectivity test. */
	public const REST_NAMESPACE    = 'workos/v1';
	public const REST_CONNECTIVITY = '/site-health/connectivity';

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
		$tests['direct']['workos_proxy'] = array(
			'label' => __( 'WorkOS trusted proxies', 'workos' ),
			'test'  => array( self::class, 'proxy_test' ),
		);
		// The one test that asks WorkOS runs after the Status tab has loaded
		// (Site Health's script calls the REST route), so a slow or unreachable
		// WorkOS holds up no page; WordPress's weekly scheduled check runs
		// async_direct_test instead.
		$tests['async']['workos_connectivity'] = array(
			'label'             => __( 'WorkOS connectivity', 'workos' ),
			'test'              => rest_url( self::REST_NAMESPACE . self::REST_CONNECTIVITY ),
			'has_rest'          => true,
			'async_direct_test' => array( self::class, 'connectivity_test' ),
		);
		return $tests;
	}

	/**
	 * rest_api_init (Site Health's requests only, see add_hooks()): the
	 * connectivity test's route, for those who may see Site Health.
	 */
	public static function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			self::REST_CONNECTIVITY,
			array(
				'methods'             => 'GET',
				'callback'            => static fn(): array => self::connectivity_test(),
				'permission_callback' => static fn(): bool => current_user_can( 'view_site_health_checks' ),
			)
		);
	}

	/**
	 * Whether the extension is loaded, which version, and whether it is set up.
	 */
	public static function extension_test(): array {
		$ok         = extension_ready();
		$configured = $ok && Settings::is_configured();
		if ( ! $ok ) {
			return self::result(
				'workos_extension',
				'critical',
				__( 'The workos PHP extension is not loaded', 'workos' ),
				__( 'Without the extension WordPress keeps working with its own login form, but WorkOS sign-in, webhooks and token checks are off. Load it in the PHP that serves this site (extension=/path/to/libworkos.so in php.ini) and restart PHP.', 'workos' )
			);
		}
		return self::result(
			'workos_extension',
			$configured ? 'good' : 'recommended',
			/* translators: %s: extension version. */
			sprintf( __( 'The WorkOS extension (workos %s) is loaded', 'workos' ), \WorkOS\Native\version() ),
			$configured
				? __( 'Sign-in through WorkOS is available.', 'workos' )
				/* translators: %s: where the settings are (e.g. Settings → WorkOS). */
				: sprintf( __( 'Sign-in through WorkOS is off until an API key and a client ID are set in %s.', 'workos' ), self::menu_path() ),
			$configured ? array() : array( 'api_key', 'client_id' )
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
	 * Whether WorkOS accepts this site's API key and client ID and publishes
	 * the client's signing keys (ConnectionCheck, the same check as the
	 * settings screen's Test connection button and `workos status`). A
	 * rejected value is critical — every sign-in through WorkOS fails — and
	 * links to its field; WorkOS out of reach is critical too, but blames no
	 * setting it cannot judge.
	 */
	public static function connectivity_test(): array {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return self::result(
				'workos_connectivity',
				'recommended',
				__( 'WorkOS connectivity was not checked', 'workos' ),
				__( 'The extension must be loaded and an API key and client ID set first.', 'workos' ),
				extension_ready() ? array( 'api_key', 'client_id' ) : array()
			);
		}
		$run    = ConnectionCheck::run();
		$failed = array_values( array_filter( $run['checks'], static fn( array $c ): bool => 'failed' === $c['status'] ) );
		$down   = array_values( array_filter( $run['checks'], static fn( array $c ): bool => 'unreachable' === $c['status'] ) );
		if ( $run['ok'] ) {
			/* translators: %d: milliseconds. */
			$label = sprintf( __( 'WorkOS answered in %d ms', 'workos' ), $run['ms'] );
		} elseif ( $failed ) {
			$label = self::failure_label( $failed[0] );
		} else {
			/* translators: %s: API base URL. */
			$label = sprintf( __( 'WorkOS at %s could not be reached', 'workos' ), $run['base_url'] );
		}
		$words = array(
			'good'        => __( 'OK', 'workos' ),
			'failed'      => __( 'Failed', 'workos' ),
			'unreachable' => __( 'Not reached', 'workos' ),
			'skipped'     => __( 'Not checked', 'workos' ),
		);
		$items = '';
		foreach ( $run['checks'] as $check ) {
			$items .= sprintf( '<li><strong>%1$s — %2$s.</strong> %3$s</li>', esc_html( $check['label'] ), esc_html( $words[ $check['status'] ] ), esc_html( $check['message'] ) );
		}
		$fix = array_values( array_unique( array_column( $failed ? $failed : $down, 'setting' ) ) );
		return self::result(
			'workos_connectivity',
			$run['ok'] ? 'good' : 'critical',
			$label,
			/* translators: 1: environment, 2: API base URL. */
			sprintf( __( 'The %1$s environment\'s credentials, checked at %2$s:', 'workos' ), $run['environment'], $run['base_url'] ),
			$fix,
			'<ul>' . $items . '</ul>' . ( $run['ok'] ? '' : '<p>' . esc_html__( 'Until this is fixed, signing in through WorkOS fails; WordPress passwords work only where the fallback is allowed.', 'workos' ) . '</p>' )
		);
	}

	/**
	 * The headline of a connectivity failure, by what WorkOS refused.
	 *
	 * @param array $check The first failed ConnectionCheck check.
	 */
	private static function failure_label( array $check ): string {
		if ( 'api_base_url' === $check['setting'] ) {
			return __( 'The WorkOS API base URL cannot be used', 'workos' );
		}
		switch ( $check['id'] ) {
			case 'api_key':
				return __( 'WorkOS rejected the API key', 'workos' );
			case 'client_id':
				return __( 'WorkOS does not know the client ID', 'workos' );
			default:
				return __( 'WorkOS publishes no usable signing key for this client', 'workos' );
		}
	}

	/**
	 * Webhook events and audit-log sends waiting or given up.
	 */
	public static function backlog_test(): array {
		list( $pending, $failed, $audit ) = self::backlog();
		$ok                                = 0 === $pending + $failed + $audit;
		return self::result(
			'workos_backlog',
			$ok ? 'good' : 'recommended',
			$ok ? __( 'No WorkOS work is waiting', 'workos' ) : __( 'Some WorkOS work is waiting or failed', 'workos' ),
			/* translators: 1: stuck events, 2: failed events, 3: audit events being retried. */
			sprintf( __( 'Webhook events stuck for over 10 minutes: %1$d; given up: %2$d; audit-log events being retried: %3$d. WP-Cron retries them every five minutes (or run: wp workos maintenance).', 'workos' ), $pending, $failed, $audit )
		);
	}

	/**
	 * Webhook events stuck, given up, and audit-log sends being retried.
	 *
	 * @return int[] [stuck, given up, audit retries]
	 */
	private static function backlog(): array {
		global $wpdb;
		Schema::ensure();
		return array(
			(int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::table( 'events' ) . " WHERE status = 'pending' AND claimed_at < UTC_TIMESTAMP() - INTERVAL 10 MINUTE" ), // phpcs:ignore WordPress.DB
			(int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::table( 'events' ) . " WHERE status = 'failed'" ), // phpcs:ignore WordPress.DB
			(int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::table( 'audit_queue' ) . ' WHERE attempts > 0' ), // phpcs:ignore WordPress.DB
		);
	}

	/**
	 * Whether the per-host cache of WorkOS's signing keys can be used: a
	 * directory that is not private to PHP's user is refused (a planted key
	 * would be trusted), and then every worker fetches the keys itself.
	 */
	public static function jwks_cache_test(): array {
		$problem = extension_ready() && method_exists( \WorkOS\Native\Client::class, 'jwksCacheDirProblem' )
			? \WorkOS\Native\Client::jwksCacheDirProblem( \WorkOS_WP\Api::jwks_cache_dir() )
			: null;
		return self::result(
			'workos_jwks_cache',
			null === $problem ? 'good' : 'recommended',
			null === $problem ? __( 'WorkOS signing keys are cached privately', 'workos' ) : __( 'WorkOS signing keys are not cached on disk', 'workos' ),
			null === $problem
				? __( 'The signing keys that verify WorkOS sessions are kept in a directory only PHP\'s user can read or write, each entry signed with a key derived from this site\'s salts.', 'workos' )
				/* translators: %s: why the directory was refused. */
				: sprintf( __( 'The cache directory was refused (%s), so each PHP worker fetches the keys from WorkOS itself. Point WORKOS_JWKS_CACHE_DIR at a directory owned by PHP\'s user with mode 0700.', 'workos' ), $problem ),
			null === $problem ? array() : array( 'jwks_cache_dir' )
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
				// Listed under "Passed tests" when nothing depends on an organization yet: said as what works.
				$ignored || $mapped ? __( 'No WorkOS organization is configured', 'workos' ) : __( 'Sign-ins work without a WorkOS organization; Directory Sync will need one', 'workos' ),
				/* translators: 1: number of directory events ignored, 2: where the settings are. */
				sprintf( __( 'Directory Sync events change no WordPress user (%1$d ignored so far), and role claims in WorkOS tokens and memberships are ignored: new users get the default role. One WorkOS environment holds every tenant\'s directories and organizations, so without an organization this site cannot tell which are its own. Set the Organization ID in %2$s.', 'workos' ), $ignored, self::menu_path() ),
				array( 'organization_id' )
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
			sprintf( __( 'Only directories, memberships and role claims of this organization change WordPress users. Directory Sync events from other organizations refused: %d.', 'workos' ), $refused ),
			array( 'organization_id' )
		);
	}

	/**
	 * The undeclared-proxy check (SignIn\ProxyCheck), with a link to the
	 * trusted proxies when it warns.
	 */
	public static function proxy_test(): array {
		$result          = \WorkOS_WP\SignIn\ProxyCheck::site_health();
		$result['badge'] = self::badge( $result['status'] );
		if ( 'good' !== $result['status'] ) {
			$result['actions'] = self::actions( array( 'trusted_proxies' ) );
		}
		return $result;
	}

	/**
	 * debug_information: the plugin's section of Tools → Site Health → Info,
	 * for "Copy site info to clipboard": versions, whether sign-in is on, the
	 * last webhook, the backlog, then every setting of Settings\Registry
	 * with where its value comes from (constant, database, default). Secrets
	 * are masked as everywhere (a prefix and the last four characters), so
	 * a support request shows whether a key is set and which kind it is.
	 *
	 * @param array $info Sections of the Info tab.
	 */
	public static function debug_information( $info ): array {
		$ready  = extension_ready();
		$fields = array(
			'plugin_version'    => self::field( __( 'Plugin version', 'workos' ), \WorkOS_WP\VERSION ),
			'extension_version' => $ready
				? self::field( __( 'Extension version', 'workos' ), \WorkOS\Native\version() )
				: self::field( __( 'Extension version', 'workos' ), __( 'not loaded', 'workos' ), 'not loaded' ),
			'sign_in'           => Settings::is_configured()
				? self::field( __( 'Sign-in through WorkOS', 'workos' ), __( 'on', 'workos' ), 'on' )
				: self::field( __( 'Sign-in through WorkOS', 'workos' ), __( 'off (no API key or client ID)', 'workos' ), 'off (no API key or client ID)' ),
			'last_webhook'      => self::last_webhook_field(),
		);
		list( $pending, $failed, $audit ) = self::backlog();
		$fields['backlog']                = self::field(
			__( 'Background work', 'workos' ),
			/* translators: 1: stuck events, 2: failed events, 3: audit events being retried. */
			sprintf( __( 'webhook events stuck: %1$d, given up: %2$d, audit-log events being retried: %3$d', 'workos' ), $pending, $failed, $audit ),
			sprintf( 'webhook events stuck: %1$d, given up: %2$d, audit-log events being retried: %3$d', $pending, $failed, $audit )
		);
		$sources = array(
			'constant' => __( 'constant', 'workos' ),
			'database' => __( 'database', 'workos' ),
			'default'  => __( 'default', 'workos' ),
		);
		foreach ( Registry::all() as $key => $setting ) {
			$value  = Settings::display( $key );
			$value  = in_array( $value, array( '[]', '{}' ), true ) ? '' : $value; // An empty map or list.
			$source = Settings::source( $key );
			$from   = 'constant' === $source ? $source . ' ' . Settings::constant_name( $key ) : $source;
			$shown  = 'constant' === $source ? $sources['constant'] . ' ' . Settings::constant_name( $key ) : $sources[ $source ];
			// The screen names a choice as the settings screen does; the copied text keeps the value.
			$label = $setting->describe( $value );
			// Only a constant can hold a secret's value outside the database: never printed, masked.
			$fields[ $key ] = self::field(
				$setting->label,
				sprintf( '%1$s (%2$s)', '' === $label ? __( 'not set', 'workos' ) : $label, $shown ),
				sprintf( '%1$s (%2$s)', '' === $value ? 'not set' : $value, $from )
			);
		}
		$info           = is_array( $info ) ? $info : array();
		$info['workos'] = array(
			'label'       => PRODUCT_NAME,
			'description' => __( 'Secrets are masked: only a prefix and their last four characters are shown.', 'workos' ),
			'fields'      => $fields,
		);
		return $info;
	}

	/**
	 * The Info tab's line about the last webhook WorkOS delivered.
	 */
	private static function last_webhook_field(): array {
		global $wpdb;
		Schema::ensure();
		$last  = __( 'Last webhook', 'workos' );
		$event = $wpdb->get_row( 'SELECT event_type, status, received_at FROM ' . Schema::table( 'events' ) . ' ORDER BY received_at DESC LIMIT 1', ARRAY_A ); // phpcs:ignore WordPress.DB
		if ( ! $event ) {
			return self::field( $last, __( 'none received yet', 'workos' ), 'none' );
		}
		$text = sprintf( '%1$s, %2$s UTC (%3$s)', $event['event_type'], $event['received_at'], $event['status'] );
		return self::field( $last, $text, $text );
	}

	/**
	 * One field of the Info section.
	 *
	 * @param string      $label Label (translated).
	 * @param string      $value Value shown (translated).
	 * @param string|null $debug Value copied (untranslated; default: the value).
	 */
	private static function field( string $label, string $value, ?string $debug = null ): array {
		return array(
			'label' => $label,
			'value' => $value,
			'debug' => $debug ?? $value,
		);
	}

	/**
	 * Where a setting is changed: its field on the settings screen (tab and
	 * anchor), on the network's screen for a network setting. '' for a
	 * setting only a constant sets.
	 *
	 * @param string      $key One of the Registry::SETTINGS keys.
	 * @param string|null $env Environment of a per-environment setting (default: the active one).
	 */
	public static function setting_url( string $key, ?string $env = null ): string {
		$def = Registry::SETTINGS[ $key ];
		if ( false === ( $def['stored'] ?? true ) || empty( $def['section'] ) ) {
			return '';
		}
		// The field's id, as SettingsPage::register() gives it (its label_for).
		$anchor = '#workos_' . ( empty( $def['per_environment'] ) ? '' : ( $env ?? Settings::environment() ) . '_' ) . $key;
		if ( Settings::is_network( $key ) ) {
			return network_admin_url( 'settings.php?page=' . SettingsPage::SLUG ) . $anchor;
		}
		$tab = Registry::SECTIONS[ $def['section'] ][0] ?? 'settings';
		return admin_url( 'options-general.php?page=' . SettingsPage::SLUG . '&tab=' . $tab ) . $anchor;
	}

	/**
	 * "Settings → <product name>", as the admin menu spells it.
	 */
	private static function menu_path(): string {
		return __( 'Settings → WorkOS', 'workos' );
	}

	/**
	 * Site Health `actions`: a link to each setting's field, or, for one a
	 * constant sets, where it is set.
	 *
	 * @param string[] $keys Registry::SETTINGS keys.
	 */
	private static function actions( array $keys ): string {
		$html  = '';
		$texts = Registry::texts();
		foreach ( $keys as $key ) {
			$label = $texts[ $key ][0] ?? $key;
			if ( Settings::from_constant( $key ) ) {
				/* translators: 1: setting label, 2: PHP constant. */
				$html .= '<p>' . esc_html( sprintf( __( '%1$s is set by the %2$s constant in wp-config.php: change it there.', 'workos' ), $label, Settings::constant_name( $key ) ) ) . '</p>';
				continue;
			}
			if ( Settings::locked( $key ) ) {
				/* translators: 1: setting label, 2: PHP constant of the setting, 3: PHP constant of the API key. */
				$html .= '<p>' . esc_html( sprintf( __( '%1$s can only be set by the %2$s constant in wp-config.php, as the API key is (%3$s).', 'workos' ), $label, Settings::constant_name( $key ), Settings::constant_name( 'api_key' ) ) ) . '</p>';
				continue;
			}
			if ( '' === self::setting_url( $key ) ) {
				/* translators: 1: setting label, 2: PHP constant. */
				$html .= '<p>' . esc_html( sprintf( __( '%1$s is set with the %2$s constant in wp-config.php.', 'workos' ), $label, Settings::constant_name( $key ) ) ) . '</p>';
				continue;
			}
			/* translators: %s: setting label. */
			$html .= sprintf( '<p><a href="%1$s">%2$s</a></p>', esc_url( self::setting_url( $key ) ), esc_html( sprintf( __( 'Change the %s setting', 'workos' ), $label ) ) );
		}
		return $html;
	}

	/**
	 * The badge of every entry: the plugin's name, red when critical.
	 *
	 * @param string $status good, recommended or critical.
	 */
	private static function badge( string $status ): array {
		return array(
			'label' => PRODUCT_NAME,
			'color' => 'critical' === $status ? 'red' : ( 'recommended' === $status ? 'orange' : 'blue' ),
		);
	}

	/**
	 * A Site Health result.
	 *
	 * @param string   $test        Test id.
	 * @param string   $status      good, recommended or critical.
	 * @param string   $label       Headline.
	 * @param string   $description Details (plain text).
	 * @param string[] $fix         Settings that fix it (their fields are linked).
	 * @param string   $more        Escaped HTML after the description.
	 */
	private static function result( string $test, string $status, string $label, string $description, array $fix = array(), string $more = '' ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => self::badge( $status ),
			'description' => '<p>' . esc_html( $description ) . '</p>' . $more,
			'actions'     => $fix ? self::actions( $fix ) : '',
			'test'        => $test,
		);
	}
}
