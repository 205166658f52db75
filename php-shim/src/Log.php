<?php
/**
 * The activity log: authentication and sync events, in a table of their own,
 * also announced as the `workos_activity` action.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Records activity events.
 */
final class Log {

	/**
	 * Records an event and tells `workos_activity` listeners.
	 *
	 * @param string $type    Event type, e.g. `login`, `login_failed`.
	 * @param array  $context Details; never secrets. `user_id` and `workos_id`
	 *                        get columns of their own.
	 */
	public static function event( string $type, array $context = array() ): void {
		self::store( $type, $context );
		/**
		 * Fires for each authentication or sync event of the plugin.
		 *
		 * @param string $type    Event type.
		 * @param array  $context Details.
		 */
		do_action( 'workos_activity', $type, $context );
	}

	/**
	 * Writes the row. A log that cannot be written never breaks what is
	 * being logged.
	 *
	 * @param string $type    Event type.
	 * @param array  $context Details.
	 */
	private static function store( string $type, array $context ): void {
		global $wpdb;
		if ( ! isset( $wpdb ) ) {
			return;
		}
		Schema::ensure();
		$user_id   = (int) ( $context['user_id'] ?? 0 );
		$workos_id = is_string( $context['workos_id'] ?? null ) ? $context['workos_id'] : '';
		unset( $context['user_id'], $context['workos_id'] );
		$web = isset( $_SERVER['REMOTE_ADDR'] );
		$wpdb->insert( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			Schema::table( 'activity_log' ),
			array(
				'type'       => substr( $type, 0, 64 ),
				// The site it happened on: in a network, a site's admin reads only its own rows.
				'blog_id'    => get_current_blog_id(),
				'user_id'    => $user_id,
				'workos_id'  => substr( $workos_id, 0, 64 ),
				'ip'         => $web ? substr( Net::client_ip(), 0, 45 ) : '',
				'user_agent' => $web ? substr( Net::user_agent(), 0, 255 ) : '',
				'metadata'   => (string) wp_json_encode( $context ),
				'created_at' => gmdate( 'Y-m-d H:i:s' ),
			),
			array( '%s', '%d', '%d', '%s', '%s', '%s', '%s', '%s' )
		);
	}

	/**
	 * Deletes rows older than the `log_retention_days` setting (0 keeps all).
	 */
	public static function prune(): int {
		global $wpdb;
		$days = max( 0, (int) Settings::get( 'log_retention_days' ) );
		if ( 0 === $days ) {
			return 0;
		}
		return (int) $wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::table( 'activity_log' ) . ' WHERE created_at < UTC_TIMESTAMP() - INTERVAL %d DAY LIMIT 10000', $days ) ); // phpcs:ignore WordPress.DB
	}
}
