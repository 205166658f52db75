<?php
/**
 * Rate limits on guessing: failed sign-ins per account and per client IP,
 * and wrong one-time codes per step. The decision is the extension's
 * (WorkOS\Native\RateLimit, GCRA); the state is one row per key in the
 * WordPress database, so every web node sees the same limits.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Counts failures and refuses attempts over the limit.
 */
final class Throttle {

	/**
	 * Rules: [attempts, per seconds]. Filter `workos_rate_limits` to change.
	 * Per IP is generous: offices and schools share one address.
	 */
	public const RULES = array(
		'login_account' => array( 5, 900 ),
		'login_ip'      => array( 50, 300 ),
		'code'          => array( 5, 600 ),
		// Bad webhook signatures per sending address.
		'webhook_rejected' => array( 30, 300 ),
	);

	/**
	 * Seconds until `$key` may try again under `$rule`; 0 when it may now.
	 * Looking costs nothing: only failures are counted.
	 *
	 * @param string $rule Rule name.
	 * @param string $key  What is limited (account, IP, token).
	 */
	public static function wait( string $rule, string $key ): int {
		global $wpdb;
		if ( ! extension_ready() || '' === $key ) {
			return 0;
		}
		Schema::ensure();
		list( $limit, $period ) = self::rule( $rule );
		$tat                    = (int) $wpdb->get_var( $wpdb->prepare( 'SELECT tat_ms FROM ' . Schema::table( 'rate_limits' ) . ' WHERE bucket = %s', self::bucket( $rule, $key ) ) ); // phpcs:ignore WordPress.DB
		$d                      = \WorkOS\Native\RateLimit::check( $tat, self::now_ms(), $limit, $period );
		return $d['allowed'] ? 0 : (int) ceil( $d['retry_after_ms'] / 1000 );
	}

	/**
	 * Counts one failure (atomically, across nodes).
	 *
	 * @param string $rule Rule name.
	 * @param string $key  What is limited.
	 */
	public static function fail( string $rule, string $key ): void {
		global $wpdb;
		if ( ! extension_ready() || '' === $key ) {
			return;
		}
		Schema::ensure();
		list( $limit, $period ) = self::rule( $rule );
		$table                  = Schema::table( 'rate_limits' );
		$bucket                 = self::bucket( $rule, $key );
		$wpdb->query( 'START TRANSACTION' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$tat = (int) Schema::lock_row( 'rate_limits', 'bucket', $bucket, 'tat_ms', 0 );
		$d   = \WorkOS\Native\RateLimit::check( $tat, self::now_ms(), $limit, $period );
		if ( $d['allowed'] ) {
			$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET tat_ms = %d WHERE bucket = %s", $d['tat_ms'], $bucket ) ); // phpcs:ignore WordPress.DB
		}
		$wpdb->query( 'COMMIT' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( ! $d['allowed'] ) {
			Log::event( 'rate_limited', array( 'rule' => $rule ) );
		}
	}

	/**
	 * The refusal for a caller over its limit.
	 *
	 * @param int $seconds Seconds to wait.
	 */
	public static function error( int $seconds ): \WP_Error {
		return new \WP_Error(
			'too_many_attempts',
			/* translators: %d: minutes. */
			sprintf( _n( 'Too many failed attempts. Please try again in %d minute.', 'Too many failed attempts. Please try again in %d minutes.', max( 1, (int) ceil( $seconds / 60 ) ), 'workos' ), max( 1, (int) ceil( $seconds / 60 ) ) ),
			array( 'status' => 429 )
		);
	}

	/**
	 * Deletes rows whose limits have long expired.
	 */
	public static function prune(): int {
		global $wpdb;
		return (int) $wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::table( 'rate_limits' ) . ' WHERE tat_ms < %d LIMIT 10000', self::now_ms() - DAY_IN_SECONDS * 1000 ) ); // phpcs:ignore WordPress.DB
	}

	/**
	 * A rule's [limit, period], after the filter.
	 *
	 * @param string $rule Rule name.
	 */
	private static function rule( string $rule ): array {
		/**
		 * Rate-limit rules: name => [attempts, per seconds].
		 *
		 * @param array $rules Rules.
		 */
		$rules = (array) apply_filters( 'workos_rate_limits', self::RULES );
		$pair  = isset( $rules[ $rule ] ) && is_array( $rules[ $rule ] ) ? array_values( $rules[ $rule ] ) : self::RULES[ $rule ];
		return array( max( 1, (int) $pair[0] ), max( 1, (int) $pair[1] ) );
	}

	/**
	 * The stored key: hashed, so the table holds no addresses or emails.
	 *
	 * @param string $rule Rule name.
	 * @param string $key  Key.
	 */
	private static function bucket( string $rule, string $key ): string {
		// Fixed length whatever the rule's name (the column is 80 wide).
		return hash_hmac( 'sha256', $rule . '|' . strtolower( $key ), wp_salt( 'nonce' ) );
	}

	/**
	 * Now, in unix ms.
	 */
	private static function now_ms(): int {
		return (int) floor( microtime( true ) * 1000 );
	}
}
