<?php
/**
 * The webhook replay ledger: every event id once, every object in order,
 * shared by all web nodes through the WordPress database.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Webhooks;

use WorkOS_WP\Deadlock;
use WorkOS_WP\Schema;

defined( 'ABSPATH' ) || exit;

/**
 * Claims, orders and finishes events.
 *
 * A delivery is written to the ledger (with its payload) before anything is
 * applied, and only the node whose INSERT created the row applies it. If PHP
 * dies before the row is finished, `Events::recover()` (WP-Cron, and now and then a
 * later delivery) applies it again: handlers are idempotent and ordered by
 * object version, so a second attempt is harmless.
 */
final class Ledger {

	/** A claim older than this (seconds) is presumed dead and retried. */
	public const CLAIM_TIMEOUT = 60;

	/** After this many attempts an event is given up as failed. */
	public const MAX_ATTEMPTS = 5;

	/** Days finished events are kept before pruning. */
	public const RETENTION_DAYS = 30;

	/**
	 * Records an event; false when its id was seen before.
	 *
	 * @param array  $info    Its ordering info (WorkOS\Native\Webhook::verifyEvent()'s `info`).
	 * @param string $payload The raw event JSON.
	 */
	public static function claim( array $info, string $payload ): bool {
		global $wpdb;
		$inserted = $wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'INSERT IGNORE INTO ' . Schema::table( 'events' ) . ' (event_id, event_type, object_key, version, status, attempts, payload, received_at, claimed_at) VALUES (%s, %s, %s, %d, %s, 1, %s, UTC_TIMESTAMP(), UTC_TIMESTAMP())',
				$info['id'],
				$info['event'],
				(string) $info['object_key'],
				(int) $info['version'],
				'pending',
				$payload
			)
		);
		if ( false === $inserted ) {
			throw new \RuntimeException( 'ledger unavailable: ' . $wpdb->last_error );
		}
		return 1 === $inserted;
	}

	/**
	 * Runs `$apply` unless a newer version of the object was already applied.
	 * A row lock on the object's version serialises concurrent events about
	 * the same object across nodes; the change and the new version commit
	 * together.
	 *
	 * @param string   $object_key Object, or '' for events without one.
	 * @param int      $version    Unix ms of this event's view of the object.
	 * @param callable $apply      Applies the event; returns an outcome string.
	 * @return array{0: string, 1: string} [status (`applied`|`stale`), outcome]
	 * @throws \Throwable When applying fails (nothing is committed).
	 */
	public static function in_order( string $object_key, int $version, callable $apply ): array {
		if ( '' === $object_key ) {
			return array( 'applied', (string) $apply() );
		}
		// InnoDB may pick this transaction as a deadlock victim when several
		// nodes work on one object; the whole attempt is then simply redone.
		for ( $attempt = 1; ; $attempt++ ) {
			try {
				return self::attempt_in_order( $object_key, $version, $apply );
			} catch ( Deadlock $e ) {
				if ( $attempt >= 4 ) {
					throw $e;
				}
				usleep( wp_rand( 5000, 40000 ) * $attempt );
			}
		}
	}

	/**
	 * One transaction of in_order().
	 *
	 * @param string   $object_key Object.
	 * @param int      $version    Version.
	 * @param callable $apply      Work.
	 * @return array{0: string, 1: string}
	 * @throws Deadlock|\Throwable When it did not commit.
	 */
	private static function attempt_in_order( string $object_key, int $version, callable $apply ): array {
		global $wpdb;
		$table = Schema::table( 'object_versions' );
		$wpdb->query( 'START TRANSACTION' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		try {
			$current = Schema::lock_row( 'object_versions', 'object_key', $object_key, 'version', PHP_INT_MIN );
			if ( null === $current ) {
				throw self::failure( 'could not lock ' . $object_key );
			}
			if ( (int) $current > $version ) {
				$wpdb->query( 'COMMIT' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				return array( 'stale', 'newer_state_kept' );
			}
			$outcome = (string) $apply();
			// wpdb swallows query errors: a deadlock inside the handler shows
			// only as InnoDB having rolled the transaction back already.
			if ( '1' !== (string) $wpdb->get_var( 'SELECT @@in_transaction' ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				throw new Deadlock( 'the transaction was rolled back while applying' );
			}
			$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET version = %d WHERE object_key = %s", $version, $object_key ) ); // phpcs:ignore WordPress.DB
			if ( false === $wpdb->query( 'COMMIT' ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				throw self::failure( 'commit failed' );
			}
			return array( 'applied', $outcome );
		} catch ( \Throwable $e ) {
			$wpdb->query( 'ROLLBACK' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			throw $e;
		}
	}

	/**
	 * The exception for a failed statement: Deadlock when InnoDB says so.
	 *
	 * @param string $what What failed.
	 */
	private static function failure( string $what ): \RuntimeException {
		global $wpdb;
		$error = (string) $wpdb->last_error;
		return preg_match( '/Deadlock|Lock wait timeout/i', $error ) ? new Deadlock( $what . ': ' . $error ) : new \RuntimeException( $what . ': ' . $error );
	}

	/**
	 * Marks an event done.
	 *
	 * @param string $event_id Event id.
	 * @param string $status   `applied`, `stale`, `ignored` or `failed`.
	 * @param string $outcome  What happened.
	 */
	public static function finish( string $event_id, string $status, string $outcome ): void {
		global $wpdb;
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'UPDATE ' . Schema::table( 'events' ) . " SET status = %s, outcome = %s, done_at = UTC_TIMESTAMP(), payload = '' WHERE event_id = %s",
				$status,
				substr( $outcome, 0, 100 ),
				$event_id
			)
		);
	}

	/**
	 * Leaves an event for a later attempt (its claim expires; reclaim() hands it back to Events::recover()).
	 *
	 * @param string $event_id Event id.
	 * @param string $reason   Why it failed now.
	 */
	public static function release( string $event_id, string $reason ): void {
		global $wpdb;
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'UPDATE ' . Schema::table( 'events' ) . " SET outcome = %s, status = IF(attempts >= %d, 'failed', 'pending') WHERE event_id = %s",
				substr( 'error: ' . $reason, 0, 100 ),
				self::MAX_ATTEMPTS,
				$event_id
			)
		);
	}

	/**
	 * Hands back, one at a time, events whose node died or failed mid-way,
	 * each re-claimed atomically as the caller asks for it (so two sweepers
	 * never get the same one, and a claim does not age while earlier ones are
	 * applied). The caller applies them (Events::recover()): the ledger only
	 * records and claims, and never calls back into event handling. What
	 * orders an event comes from its row, as claim() stored it.
	 *
	 * @param int $limit At most this many.
	 * @return \Generator<int, array{event: array, info: array}>
	 */
	public static function reclaim( int $limit = 50 ): \Generator {
		global $wpdb;
		$table = Schema::table( 'events' );
		$ids   = $wpdb->get_col( $wpdb->prepare( "SELECT event_id FROM {$table} WHERE status = 'pending' AND claimed_at < UTC_TIMESTAMP() - INTERVAL %d SECOND ORDER BY received_at LIMIT %d", self::CLAIM_TIMEOUT, $limit ) ); // phpcs:ignore WordPress.DB
		foreach ( $ids as $id ) {
			$claimed = $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET claimed_at = UTC_TIMESTAMP(), attempts = attempts + 1 WHERE event_id = %s AND status = 'pending' AND claimed_at < UTC_TIMESTAMP() - INTERVAL %d SECOND", $id, self::CLAIM_TIMEOUT ) ); // phpcs:ignore WordPress.DB
			if ( 1 !== $claimed ) {
				continue;
			}
			$row   = $wpdb->get_row( $wpdb->prepare( "SELECT event_type, object_key, version, payload FROM {$table} WHERE event_id = %s", $id ) ); // phpcs:ignore WordPress.DB
			$event = $row ? json_decode( (string) $row->payload, true ) : null;
			if ( ! is_array( $event ) ) {
				self::finish( $id, 'failed', 'unreadable payload' );
				continue;
			}
			yield array(
				'event' => $event,
				'info'  => array(
					'id'         => $id,
					'event'      => (string) $row->event_type,
					'object_key' => '' === (string) $row->object_key ? null : (string) $row->object_key,
					'version'    => (int) $row->version,
				),
			);
		}
	}

	/**
	 * Deletes finished events older than the retention period.
	 */
	public static function prune(): int {
		global $wpdb;
		return (int) $wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::table( 'events' ) . " WHERE status <> 'pending' AND received_at < UTC_TIMESTAMP() - INTERVAL %d DAY LIMIT 5000", self::RETENTION_DAYS ) ); // phpcs:ignore WordPress.DB
	}
}
