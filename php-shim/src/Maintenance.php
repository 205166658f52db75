<?php
/**
 * Activation, upgrades and the background chores: retrying ledger events
 * and audit-log sends, pruning old rows.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

use WorkOS_WP\AuditLogs\AuditLogs;
use WorkOS_WP\Users\Links;
use WorkOS_WP\Webhooks\Events;
use WorkOS_WP\Webhooks\Ledger;

defined( 'ABSPATH' ) || exit;

/**
 * Lifecycle and WP-Cron.
 */
final class Maintenance {

	public const CRON_HOOK     = \WorkOS_WP\MAINTENANCE_HOOK;
	public const CRON_SCHEDULE = 'workos_five_minutes';

	/**
	 * Plugin activation: tables and the cron chore.
	 */
	public static function activate(): void {
		Schema::install();
		// A site that ran "Integration with WorkOS": its data moves here (see Migration\Importer).
		Migration\Importer::on_activation();
		self::schedule();
	}

	/**
	 * Plugin deactivation: no chores left behind.
	 */
	public static function deactivate(): void {
		wp_clear_scheduled_hook( self::CRON_HOOK );
		wp_clear_scheduled_hook( \WorkOS_WP\REVOKE_HOOK );
	}

	/**
	 * admin_init: upgrades after a plugin update (no reactivation needed).
	 */
	public static function on_admin_init(): void {
		Schema::ensure();
		Settings::seed_from_constants();
		self::schedule();
	}

	/**
	 * cron_schedules: every five minutes.
	 *
	 * @param array $schedules Schedules.
	 */
	public static function schedules( $schedules ): array {
		$schedules                        = is_array( $schedules ) ? $schedules : array();
		$schedules[ self::CRON_SCHEDULE ] = array(
			'interval' => 5 * MINUTE_IN_SECONDS,
			'display'  => __( 'Every five minutes (WorkOS)', 'workos' ),
		);
		return $schedules;
	}

	/**
	 * The chore itself.
	 */
	public static function run(): array {
		Schema::ensure();
		$done = array(
			'events_recovered' => Events::recover( 200 ),
			'audit_sent'       => AuditLogs::flush( 200 ),
		);
		// Pruning is light with the indexes, but once an hour is plenty.
		if ( false === get_transient( 'workos_pruned' ) ) {
			set_transient( 'workos_pruned', 1, HOUR_IN_SECONDS );
			$done['events_pruned']   = Ledger::prune();
			$done['activity_pruned'] = Log::prune();
			$done['links_added']     = Links::rebuild();
			$done['limits_pruned']   = Throttle::prune();
		}
		return $done;
	}

	/**
	 * Schedules the chore when it is not.
	 */
	private static function schedule(): void {
		if ( ! wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time() + MINUTE_IN_SECONDS, self::CRON_SCHEDULE, self::CRON_HOOK );
		}
	}
}
