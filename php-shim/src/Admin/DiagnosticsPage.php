<?php
/**
 * Tools → WorkOS Diagnostics: everything support asks for, on one screen,
 * with a plain-text report to copy.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Schema;
use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Registry;

use function WorkOS_WP\extension_ready;

use const WorkOS_WP\MAINTENANCE_HOOK;
use const WorkOS_WP\PRODUCT_NAME;
use const WorkOS_WP\REVOKE_HOOK;
use const WorkOS_WP\VERSION;

defined( 'ABSPATH' ) || exit;

/**
 * The facts: the extension (loaded, version, build, the PHP configuration
 * that loads it), PHP and WordPress versions, WorkOS connectivity and
 * latency with the signing keys (ConnectionCheck, the one check Site
 * Health and the settings screen run too), the schema version, the last
 * webhook and its outcome (the ledger) and the last one refused (the
 * activity log), the background queue and WP-Cron, the rate-limit table,
 * and every setting as Site Health's Info tab shows it.
 *
 * Secrets: settings come masked from Settings::display() (via Site
 * Health's Info section, Diagnostics::debug_information()), and the whole
 * report is passed once more through mask_secrets(), which replaces any
 * secret value of either environment that might still appear in it.
 *
 * Site Health's tests stay in Diagnostics; this page reuses their results
 * where they exist (schema, backlog, signing-key cache). It asks WorkOS
 * when it is shown (a few seconds at most: ConnectionCheck's timeouts),
 * which is what a diagnostics page is for; no other screen does.
 */
final class DiagnosticsPage {

	public const SLUG = 'workos-diagnostics';

	/** WP-Cron's chore is late when not run this long after its time. */
	private const CRON_LATE = 15 * MINUTE_IN_SECONDS;

	/**
	 * admin_menu: Tools → WorkOS Diagnostics.
	 */
	public static function add_menu(): void {
		$hook = add_management_page( __( 'WorkOS Diagnostics', 'workos' ), __( 'WorkOS Diagnostics', 'workos' ), 'manage_options', self::SLUG, array( self::class, 'render' ) );
		if ( $hook ) {
			add_action( 'load-' . $hook, array( self::class, 'load' ) );
		}
	}

	/**
	 * load-{screen}: the Copy report button's few lines of script.
	 */
	public static function load(): void {
		wp_register_script( 'workos-diagnostics', false, array( 'wp-a11y' ), VERSION, true );
		wp_enqueue_script( 'workos-diagnostics' );
		wp_add_inline_script( 'workos-diagnostics', self::script() );
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'workos' ), '', array( 'response' => 403 ) );
		}
		$sections = self::facts();
		$words    = self::status_words();
		echo '<div class="wrap workos-diagnostics"><h1>' . esc_html__( 'WorkOS Diagnostics', 'workos' ) . '</h1>';
		echo '<p>' . esc_html__( 'What support needs to know about this site\'s WorkOS set-up. WorkOS was asked just now; the rest comes from this site. Copy the report at the bottom into a support request: secrets are masked.', 'workos' ) . '</p>';
		foreach ( $sections as $id => $section ) {
			printf( '<h2 id="workos-diag-%1$s">%2$s</h2>', esc_attr( $id ), esc_html( $section['title'] ) );
			printf( '<table class="widefat striped workos-diag-table" aria-labelledby="workos-diag-%s"><tbody>', esc_attr( $id ) );
			foreach ( $section['rows'] as $key => $row ) {
				// A plain fact has no verdict: its status cell stays empty.
				$verdict = 'info' === $row['status'] ? '' : sprintf( '<span class="workos-diag-%1$s">%2$s</span>', esc_attr( $row['status'] ), esc_html( $words[ $row['status'] ] ) );
				printf(
					'<tr data-fact="%1$s"><th scope="row">%2$s</th><td class="workos-diag-status">%3$s</td><td>%4$s</td></tr>',
					esc_attr( $key ),
					esc_html( $row['label'] ),
					$verdict, // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped just above.
					nl2br( esc_html( $row['value'] ) )
				);
			}
			echo '</tbody></table>';
		}
		echo '<h2 id="workos-diag-report-title">' . esc_html__( 'Report for support', 'workos' ) . '</h2>';
		echo '<p id="workos-diag-report-help">' . esc_html__( 'Plain text, secrets masked (a prefix and the last four characters at most).', 'workos' ) . '</p>';
		printf(
			'<textarea id="workos-diag-report" class="large-text code" rows="18" readonly aria-labelledby="workos-diag-report-title" aria-describedby="workos-diag-report-help">%s</textarea>',
			esc_textarea( self::report( $sections ) )
		);
		printf(
			'<p><button type="button" class="button button-primary" id="workos-diag-copy" data-copied="%1$s" data-failed="%2$s">%3$s</button> <span id="workos-diag-copy-status" class="workos-diag-copy-status"></span></p>',
			esc_attr__( 'Report copied to the clipboard.', 'workos' ),
			esc_attr__( 'Copying failed: select the report and copy it yourself.', 'workos' ),
			esc_html__( 'Copy report', 'workos' )
		);
		echo '<style>.workos-diag-table{max-width:70em;margin-bottom:1.5em}.workos-diag-table th{width:16em}.workos-diag-status{width:7em}.workos-diag-good{color:#007017}.workos-diag-warning{color:#8a4b00}.workos-diag-critical{color:#b32d2e;font-weight:600}.workos-diag-copy-status{margin-left:.5em}#workos-diag-report{max-width:70em;font-size:12px}@media (max-width:600px){.workos-diag-table th,.workos-diag-table td{display:block;width:auto}.workos-diag-table th{padding-bottom:0;font-weight:600}.workos-diag-status:empty{display:none}.workos-diag-table td{padding-top:2px}}</style>';
		echo '</div>';
	}

	/**
	 * The words shown for each status (never colour alone).
	 */
	private static function status_words(): array {
		return array(
			'good'     => __( 'OK', 'workos' ),
			'warning'  => __( 'Warning', 'workos' ),
			'critical' => __( 'Problem', 'workos' ),
			'info'     => __( 'Info', 'workos' ),
		);
	}

	/**
	 * Every fact, by section: `title` and `rows` of `label`, `value`, `status`.
	 */
	public static function facts(): array {
		return array(
			'software'     => array(
				'title' => __( 'Software', 'workos' ),
				'rows'  => self::software(),
			),
			'workos'       => array(
				'title' => __( 'Connection to WorkOS', 'workos' ),
				'rows'  => self::connectivity(),
			),
			'site'         => array(
				'title' => __( 'Data and background work', 'workos' ),
				'rows'  => self::site(),
			),
			'settings'     => array(
				'title' => __( 'Settings', 'workos' ),
				'rows'  => self::settings(),
			),
		);
	}

	/**
	 * A row.
	 *
	 * @param string $label  Label.
	 * @param string $value  Value (plain text).
	 * @param string $status good, warning, critical or info.
	 */
	private static function row( string $label, string $value, string $status = 'info' ): array {
		return array(
			'label'  => $label,
			'value'  => $value,
			'status' => $status,
		);
	}

	/**
	 * Plugin, extension, PHP and WordPress.
	 */
	private static function software(): array {
		$ready = extension_ready();
		$ext   = $ready ? \WorkOS\Native\version() : '';
		$rows  = array(
			'plugin_version' => self::row( __( 'Plugin version', 'workos' ), VERSION ),
		);
		if ( ! $ready ) {
			$rows['extension'] = self::row(
				__( 'WorkOS extension', 'workos' ),
				extension_loaded( 'workos' )
					? __( 'Loaded, but older than this plugin needs: install the extension built with this plugin version.', 'workos' )
					: __( 'Not loaded: WorkOS sign-in, webhooks and token checks are off.', 'workos' ),
				'critical'
			);
		} else {
			$mismatch          = ExtensionInstall::version_mismatch( VERSION );
			$same              = null === $mismatch;
			$rows['extension'] = self::row(
				__( 'WorkOS extension', 'workos' ),
				$same
					/* translators: %s: extension version. */
					? sprintf( __( 'Loaded, version %s', 'workos' ), $ext )
					: (string) $mismatch,
				$same ? 'good' : 'warning'
			);
			$rows['extension_build'] = self::row( __( 'Extension build', 'workos' ), self::build() );
		}
		// Where the extension goes for the PHP serving this request (the same facts as the
		// "extension not loaded" notice: ExtensionInstall).
		$steps              = ExtensionInstall::steps( VERSION );
		$rows['php_config'] = self::row(
			__( 'Loading the extension', 'workos' ),
			sprintf(
				/* translators: 1: release build file name, 2: extension directory, 3: ini file, 4: ini line, 5: restart command. */
				__( "Build for this PHP: %1\$s\nExtension directory: %2\$s\nIni file: %3\$s\nIni line: %4\$s\nThen: %5\$s", 'workos' ),
				$steps['build'],
				$steps['extension_dir'],
				'' !== $steps['ini_file'] ? $steps['ini_file'] : __( 'none', 'workos' ),
				$steps['ini_line'],
				$steps['restart']
			)
		);
		/* translators: 1: PHP version, 2: server API (e.g. fpm-fcgi), 3: thread safety (ZTS or NTS), 4: architecture. */
		$rows['php']       = self::row( __( 'PHP', 'workos' ), sprintf( __( '%1$s (%2$s, %3$s, %4$s)', 'workos' ), PHP_VERSION, PHP_SAPI, PHP_ZTS ? 'ZTS' : 'NTS', php_uname( 'm' ) ) );
		$rows['wordpress'] = self::row( __( 'WordPress', 'workos' ), get_bloginfo( 'version' ) . ( is_multisite() ? ' ' . __( '(multisite)', 'workos' ) : '' ) );
		return $rows;
	}

	/**
	 * The extension's build line (commit, profile, target), as its phpinfo()
	 * section shows it.
	 */
	private static function build(): string {
		try {
			ob_start();
			( new \ReflectionExtension( 'workos' ) )->info();
			$info = wp_strip_all_tags( (string) ob_get_clean() );
		} catch ( \ReflectionException $e ) {
			return __( 'unknown', 'workos' );
		}
		return preg_match( '/^\s*build\s*(?:=>)?\s*(\S.*?)\s*$/m', $info, $m ) ? $m[1] : __( 'unknown', 'workos' );
	}

	/**
	 * ConnectionCheck, timed: API key, client ID, signing keys (JWKS).
	 */
	private static function connectivity(): array {
		$rows = array(
			'environment' => self::row( __( 'Environment', 'workos' ), Settings::environment() ),
		);
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			$rows['connectivity'] = self::row( __( 'Connectivity', 'workos' ), __( 'Not checked: the extension must be loaded and an API key and client ID set first.', 'workos' ), 'warning' );
			return $rows;
		}
		$run                  = ConnectionCheck::run();
		$rows['base_url']     = self::row( __( 'API base URL', 'workos' ), $run['base_url'] );
		$rows['connectivity'] = self::row(
			__( 'Connectivity', 'workos' ),
			$run['ok']
				/* translators: %d: milliseconds. */
				? sprintf( __( 'WorkOS answered every check in %d ms in all', 'workos' ), $run['ms'] )
				/* translators: %d: milliseconds. */
				: sprintf( __( 'Not every check passed (%d ms in all); see below.', 'workos' ), $run['ms'] ),
			$run['ok'] ? 'good' : 'critical'
		);
		$map = array(
			'good'        => 'good',
			'failed'      => 'critical',
			'unreachable' => 'critical',
			'skipped'     => 'warning',
		);
		foreach ( $run['checks'] as $check ) {
			$rows[ 'check_' . $check['id'] ] = self::row(
				$check['label'],
				$check['message'], // Says how long WorkOS took, when it answered.
				$map[ $check['status'] ] ?? 'warning'
			);
		}
		$cache              = Diagnostics::jwks_cache_test();
		$rows['jwks_cache'] = self::row( __( 'Signing-key cache', 'workos' ), $cache['label'], 'good' === $cache['status'] ? 'good' : 'warning' );
		return $rows;
	}

	/**
	 * Schema, webhooks, background work, WP-Cron, rate limits.
	 */
	private static function site(): array {
		global $wpdb;
		Schema::ensure();
		$schema = Diagnostics::schema_test();
		$stored = (int) get_option( Schema::VERSION_OPTION, 0 );
		$rows   = array(
			/* translators: 1: stored schema version, 2: the version this plugin expects, 3: Site Health's verdict. */
			'schema' => self::row( __( 'Schema version', 'workos' ), sprintf( __( '%1$d (this plugin expects %2$d): %3$s', 'workos' ), $stored, Schema::VERSION, $schema['label'] ), 'good' === $schema['status'] ? 'good' : 'critical' ),
		);

		$event = $wpdb->get_row( 'SELECT event_type, status, outcome, received_at FROM ' . Schema::table( 'events' ) . ' ORDER BY received_at DESC LIMIT 1', ARRAY_A ); // phpcs:ignore WordPress.DB
		if ( $event ) {
			$rows['last_webhook'] = self::row(
				__( 'Last webhook received', 'workos' ),
				/* translators: 1: event type, 2: time (UTC), 3: status, 4: outcome. */
				sprintf( __( '%1$s at %2$s UTC — %3$s%4$s', 'workos' ), $event['event_type'], $event['received_at'], $event['status'], '' !== $event['outcome'] ? ' (' . $event['outcome'] . ')' : '' ),
				'failed' === $event['status'] ? 'warning' : 'good'
			);
		} else {
			$rows['last_webhook'] = self::row( __( 'Last webhook received', 'workos' ), __( 'None received yet.', 'workos' ) );
		}
		$refused = $wpdb->get_row( $wpdb->prepare( 'SELECT metadata, created_at FROM ' . Schema::table( 'activity_log' ) . ' WHERE type = %s ORDER BY id DESC LIMIT 1', 'webhook_rejected' ), ARRAY_A ); // phpcs:ignore WordPress.DB
		if ( $refused ) {
			$meta                    = json_decode( (string) $refused['metadata'], true );
			$reason                  = is_array( $meta ) && is_string( $meta['reason'] ?? null ) ? $meta['reason'] : '';
			$rows['webhook_refused'] = self::row(
				__( 'Last webhook refused', 'workos' ),
				/* translators: 1: time (UTC), 2: reason. */
				sprintf( __( '%1$s UTC: %2$s', 'workos' ), $refused['created_at'], $reason ),
				'warning'
			);
		}

		$backlog         = Diagnostics::backlog_test();
		$rows['backlog'] = self::row( __( 'Background queue', 'workos' ), wp_strip_all_tags( $backlog['label'] . '. ' . $backlog['description'] ), 'good' === $backlog['status'] ? 'good' : 'warning' );
		$rows['cron']    = self::cron();

		$table         = Schema::table( 'rate_limits' );
		$total         = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" ); // phpcs:ignore WordPress.DB
		$expired       = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$table} WHERE tat_ms < %d", (int) floor( microtime( true ) * 1000 ) ) ); // phpcs:ignore WordPress.DB
		$rows['rates'] = self::row(
			__( 'Rate-limit table', 'workos' ),
			/* translators: 1: rows, 2: rows whose limit has passed. */
			sprintf( __( '%1$d rows (%2$d expired, removed by the hourly pruning)', 'workos' ), $total, $expired ),
			$total > 100000 ? 'warning' : 'good'
		);
		return $rows;
	}

	/**
	 * Whether WP-Cron runs the chores: the maintenance chore's next time,
	 * and the WorkOS session revocations waiting after logouts.
	 */
	private static function cron(): array {
		$next     = wp_next_scheduled( MAINTENANCE_HOOK );
		$now      = time();
		$disabled = defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON;
		$revokes  = 0;
		$late     = 0;
		foreach ( (array) _get_cron_array() as $time => $hooks ) {
			if ( isset( $hooks[ REVOKE_HOOK ] ) ) {
				$revokes += count( (array) $hooks[ REVOKE_HOOK ] );
				$late    += (int) $time < $now - self::CRON_LATE ? count( (array) $hooks[ REVOKE_HOOK ] ) : 0;
			}
		}
		/* translators: 1: session revocations waiting, 2: of which late. */
		$revoked = sprintf( __( 'WorkOS session revocations waiting: %1$d (late: %2$d).', 'workos' ), $revokes, $late );
		$system  = $disabled ? ' ' . __( 'WP-Cron is disabled (DISABLE_WP_CRON): a system cron job must run wp-cron.php.', 'workos' ) : '';
		if ( ! $next ) {
			return self::row( __( 'WP-Cron', 'workos' ), __( 'The maintenance chore is not scheduled.', 'workos' ) . ' ' . $revoked . $system, 'critical' );
		}
		$overdue = $next < $now - self::CRON_LATE || $late > 0;
		return self::row(
			__( 'WP-Cron', 'workos' ),
			( $overdue
				/* translators: %s: how long ago. */
				? sprintf( __( 'The maintenance chore is late (due %s ago): WP-Cron is not running.', 'workos' ), human_time_diff( (int) $next, $now ) )
				/* translators: 1: local time of the next run, 2: how long from now. */
				: sprintf( __( 'The maintenance chore runs every five minutes; next at %1$s (%2$s).', 'workos' ), gmdate( 'Y-m-d H:i:s', (int) $next ) . ' UTC', $next > $now ? human_time_diff( $now, (int) $next ) : __( 'now', 'workos' ) ) )
				. ' ' . $revoked . $system,
			$overdue ? 'warning' : 'good'
		);
	}

	/**
	 * Every setting, its value (secrets masked) and where it comes from, as
	 * Site Health's Info tab shows it: a choice by its name with its value in
	 * brackets (Setting::describe()), so the screen and the copied report read
	 * like the settings screen and support still sees the stored value.
	 */
	private static function settings(): array {
		$info   = Diagnostics::debug_information( array() );
		$fields = (array) ( $info['workos']['fields'] ?? array() );
		$rows   = array();
		foreach ( array_keys( Registry::all() ) as $key ) {
			if ( isset( $fields[ $key ] ) ) {
				$rows[ 'setting_' . $key ] = self::row( (string) $fields[ $key ]['label'], (string) $fields[ $key ]['value'] );
			}
		}
		return $rows;
	}

	/**
	 * The plain-text report.
	 *
	 * @param array $sections facts().
	 */
	public static function report( array $sections ): string {
		$words = self::status_words();
		/* translators: 1: plugin name, 2: site URL, 3: time (UTC). */
		$lines = array( sprintf( __( '%1$s diagnostics — %2$s — %3$s UTC', 'workos' ), PRODUCT_NAME, home_url( '/' ), gmdate( 'Y-m-d H:i:s' ) ) );
		foreach ( $sections as $section ) {
			$lines[] = '';
			$lines[] = '## ' . $section['title'];
			foreach ( $section['rows'] as $row ) {
				$value   = str_replace( "\n", "\n    ", $row['value'] );
				// Plain facts need no verdict; checks say theirs in brackets.
				$lines[] = 'info' === $row['status']
					? sprintf( '%1$s: %2$s', $row['label'], $value )
					: sprintf( '%1$s: [%2$s] %3$s', $row['label'], $words[ $row['status'] ], $value );
			}
		}
		return self::mask_secrets( implode( "\n", $lines ) . "\n" );
	}

	/**
	 * Replaces every secret setting's value (both environments) that appears
	 * in `$text` by its mask: a second line of defence behind the masked
	 * values the report is made of.
	 *
	 * @param string $text Text.
	 */
	public static function mask_secrets( string $text ): string {
		foreach ( Registry::keys_with( 'secret' ) as $key ) {
			$envs = empty( Registry::SETTINGS[ $key ]['per_environment'] ) ? array( null ) : Settings::ENVIRONMENTS;
			foreach ( $envs as $env ) {
				$value = Settings::get( $key, $env );
				if ( strlen( $value ) >= 6 ) {
					$text = str_replace( $value, Settings::mask( $value ), $text );
				}
			}
		}
		return $text;
	}

	/**
	 * The Copy report button: the clipboard API, or selecting the text and
	 * copying it where that API is not available (plain http).
	 */
	private static function script(): string {
		return <<<'JS'
( function () {
	var button = document.getElementById( 'workos-diag-copy' );
	var area = document.getElementById( 'workos-diag-report' );
	var status = document.getElementById( 'workos-diag-copy-status' );
	if ( ! button || ! area ) {
		return;
	}
	function say( message ) {
		status.textContent = message;
		if ( window.wp && wp.a11y && wp.a11y.speak ) {
			wp.a11y.speak( message );
		}
	}
	function fallback() {
		area.focus();
		area.select();
		var ok = false;
		try {
			ok = document.execCommand( 'copy' );
		} catch ( e ) {}
		say( ok ? button.dataset.copied : button.dataset.failed );
	}
	button.addEventListener( 'click', function () {
		if ( navigator.clipboard && window.isSecureContext ) {
			navigator.clipboard.writeText( area.value ).then( function () {
				say( button.dataset.copied );
			}, fallback );
		} else {
			fallback();
		}
	} );
} )();
JS;
	}
}
