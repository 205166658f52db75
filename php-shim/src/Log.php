<?php
/**
 * Activity events. Stored as a WordPress action for now, so other plugins and
 * the activity-log table (a later feature) can record them.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Emits activity events.
 */
final class Log {

	/**
	 * Reports an event to listeners of `workos_activity`.
	 *
	 * @param string $type    Event type, e.g. `login`, `login_failed`.
	 * @param array  $context Details; never secrets.
	 */
	public static function event( string $type, array $context = array() ): void {
		/**
		 * Fires for each authentication or sync event of the plugin.
		 *
		 * @param string $type    Event type.
		 * @param array  $context Details.
		 */
		do_action( 'workos_activity', $type, $context );
	}
}
