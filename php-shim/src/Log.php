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

	/** Context keys whose values are secrets, whatever they hold. */
	private const SECRET_KEY = '/(?:^code$|pass(?:word)?$|^pwd$|secret|token$|api_?key$|verifier$|cookie$|authorization$)/i';

	/**
	 * Secrets inside text: JWTs (access, refresh and ID tokens), WorkOS API
	 * keys and webhook secrets, bearer credentials.
	 */
	private const SECRET_VALUE = '/\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*|\b(?:sk|whsec)_[A-Za-z0-9_]{6,}|\bBearer\s+[A-Za-z0-9._~+\/-]+=*/';

	/**
	 * Records an event and tells `workos_activity` listeners.
	 *
	 * @param string $type    Event type, e.g. `login`, `login_failed`.
	 * @param array  $context Details; never secrets. `user_id` and `workos_id`
	 *                        get columns of their own.
	 */
	public static function event( string $type, array $context = array() ): void {
		// The log is read by every administrator and exported as CSV: a
		// secret passed by mistake (or inside an error message) is dropped.
		$context = self::redact( $context );
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
	 * The context without secrets: values under a secret's name are
	 * replaced, and strings lose what looks like a token or an API key.
	 *
	 * @param array $context Details.
	 */
	public static function redact( array $context ): array {
		foreach ( $context as $key => $value ) {
			if ( is_string( $key ) && preg_match( self::SECRET_KEY, $key ) ) {
				$context[ $key ] = '[redacted]';
			} elseif ( is_array( $value ) ) {
				$context[ $key ] = self::redact( $value );
			} elseif ( is_string( $value ) ) {
				$context[ $key ] = (string) preg_replace( self::SECRET_VALUE, '[redacted]', $value );
			}
		}
		return $context;
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
		// WORKOS_ENABLE_ACTIVITY_LOG = false (the reference plugin's switch): no rows.
		if ( ! isset( $wpdb ) || ! Settings::flag( 'enable_activity_log' ) ) {
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
