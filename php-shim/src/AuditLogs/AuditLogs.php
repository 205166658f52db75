<?php
/**
 * Forwarding WordPress events to WorkOS Audit Logs (setting `audit_logs`).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\AuditLogs;

use WorkOS_WP\Api;
use WorkOS_WP\Later;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Each event is queued in the database first (so nothing is lost if PHP or
 * WorkOS fails), sent after the response has left, and retried by WP-Cron
 * with the same idempotency key, so WorkOS records it exactly once.
 */
final class AuditLogs {

	/** Attempts before an event is given up. */
	public const MAX_ATTEMPTS = 8;

	/**
	 * Whether forwarding is on and possible.
	 */
	public static function enabled(): bool {
		return Settings::flag( 'audit_logs' ) && '' !== Settings::get( 'organization_id' ) && extension_ready() && Settings::is_configured();
	}

	/**
	 * wp_login.
	 *
	 * @param string   $login Login.
	 * @param \WP_User $user  User.
	 */
	public static function on_login( $login, $user ): void {
		if ( $user instanceof \WP_User ) {
			self::record( 'user.signed_in', array( self::user_target( $user ) ), array(), self::user_actor( $user ) );
		}
	}

	/**
	 * wp_logout.
	 *
	 * @param int $user_id User id.
	 */
	public static function on_logout( $user_id ): void {
		$user = get_userdata( (int) $user_id );
		if ( $user ) {
			self::record( 'user.signed_out', array( self::user_target( $user ) ), array(), self::user_actor( $user ) );
		}
	}

	/**
	 * wp_login_failed. An attempt refused by a rate limit is not recorded: it
	 * is the flood itself, and each would cost a queued event and a WorkOS call.
	 *
	 * @param string         $username What was typed.
	 * @param \WP_Error|null $error    Why it failed.
	 */
	public static function on_login_failed( $username, $error = null ): void {
		if ( $error instanceof \WP_Error && in_array( 'too_many_attempts', $error->get_error_codes(), true ) ) {
			return;
		}
		$name = sanitize_user( (string) $username );
		self::record(
			'user.sign_in_failed',
			array(
				array(
					'id'   => '' !== $name ? $name : 'unknown',
					'type' => 'user',
				),
			),
			array(),
			array(
				'id'   => 'anonymous',
				'type' => 'visitor',
			)
		);
	}

	/**
	 * user_register.
	 *
	 * @param int $user_id User id.
	 */
	public static function on_user_register( $user_id ): void {
		self::user_event( 'user.created', (int) $user_id );
	}

	/**
	 * profile_update.
	 *
	 * @param int $user_id User id.
	 */
	public static function on_profile_update( $user_id ): void {
		self::user_event( 'user.updated', (int) $user_id );
	}

	/**
	 * delete_user.
	 *
	 * @param int $user_id User id.
	 */
	public static function on_delete_user( $user_id ): void {
		self::user_event( 'user.deleted', (int) $user_id );
	}

	/**
	 * set_user_role.
	 *
	 * @param int    $user_id   User id.
	 * @param string $role      New role.
	 * @param array  $old_roles Previous roles.
	 */
	public static function on_set_user_role( $user_id, $role, $old_roles = array() ): void {
		self::user_event(
			'user.role_changed',
			(int) $user_id,
			array(
				'from' => implode( ',', (array) $old_roles ),
				'to'   => (string) $role,
			)
		);
	}

	/**
	 * transition_post_status: publishing and updating published content.
	 *
	 * @param string   $new_status New status.
	 * @param string   $old_status Old status.
	 * @param \WP_Post $post       Post.
	 */
	public static function on_transition_post_status( $new_status, $old_status, $post ): void {
		if ( 'publish' !== $new_status || ! $post instanceof \WP_Post || wp_is_post_revision( $post ) || wp_is_post_autosave( $post ) ) {
			return;
		}
		self::post_event( 'publish' === $old_status ? 'post.updated' : 'post.published', $post );
	}

	/**
	 * before_delete_post.
	 *
	 * @param int $post_id Post id.
	 */
	public static function on_delete_post( $post_id ): void {
		$post = get_post( (int) $post_id );
		if ( $post && ! wp_is_post_revision( $post ) && 'auto-draft' !== $post->post_status ) {
			self::post_event( 'post.deleted', $post );
		}
	}

	/**
	 * Queues one event and arranges for it to be sent after the response.
	 *
	 * @param string     $action   e.g. `user.signed_in`.
	 * @param array      $targets  [{id, type, name?}].
	 * @param array      $metadata Scalar details.
	 * @param array|null $actor    {id, type, name?}; the current user when null.
	 */
	public static function record( string $action, array $targets, array $metadata = array(), ?array $actor = null ): void {
		if ( ! self::enabled() ) {
			return;
		}
		global $wpdb;
		Schema::ensure();
		$event = array(
			'action'      => $action,
			'occurred_at' => gmdate( 'Y-m-d\TH:i:s\Z' ),
			'actor'       => $actor ? $actor : self::current_actor(),
			'targets'     => array_values( $targets ),
			'context'     => array(
				'location'   => self::location(),
				'user_agent' => Net::user_agent(),
			),
			'metadata'    => array_map( 'strval', array_merge( array( 'site' => home_url( '/' ) ), $metadata ) ),
			'version'     => 1,
		);
		$wpdb->insert( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			Schema::table( 'audit_queue' ),
			array(
				'idempotency_key' => wp_generate_uuid4(),
				'organization_id' => Settings::get( 'organization_id' ),
				'event'           => (string) wp_json_encode( $event ),
				'next_attempt_at' => gmdate( 'Y-m-d H:i:s' ),
			)
		);
		Later::run(
			'audit_flush',
			static function () {
				self::flush( 50 );
			}
		);
	}

	/**
	 * Sends due events. Each row is claimed atomically (several nodes may
	 * flush at once); a transient failure is retried later with the same key.
	 *
	 * @param int $limit At most this many.
	 * @return int How many were sent.
	 */
	public static function flush( int $limit = 50 ): int {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return 0;
		}
		global $wpdb;
		$table = Schema::table( 'audit_queue' );
		$ids   = $wpdb->get_col( $wpdb->prepare( "SELECT id FROM {$table} WHERE next_attempt_at <= UTC_TIMESTAMP() ORDER BY id LIMIT %d", $limit ) ); // phpcs:ignore WordPress.DB
		$sent  = 0;
		foreach ( $ids as $id ) {
			$claimed = $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET attempts = attempts + 1, next_attempt_at = UTC_TIMESTAMP() + INTERVAL 10 MINUTE WHERE id = %d AND next_attempt_at <= UTC_TIMESTAMP()", $id ) ); // phpcs:ignore WordPress.DB
			if ( 1 !== $claimed ) {
				continue;
			}
			$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE id = %d", $id ), ARRAY_A ); // phpcs:ignore WordPress.DB
			try {
				Api::client()->createAuditLogEvent( $row['organization_id'], (array) json_decode( $row['event'], true ), $row['idempotency_key'] );
				$wpdb->delete( $table, array( 'id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				++$sent;
			} catch ( \WorkOS\Native\ApiException $e ) {
				if ( $e->isTransient() && (int) $row['attempts'] < self::MAX_ATTEMPTS ) {
					$delay = min( 6 * HOUR_IN_SECONDS, 30 * ( 2 ** (int) $row['attempts'] ) );
					$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET next_attempt_at = UTC_TIMESTAMP() + INTERVAL %d SECOND, last_error = %s WHERE id = %d", $delay, substr( $e->getMessage(), 0, 255 ), $id ) ); // phpcs:ignore WordPress.DB
				} else {
					self::drop( $row, $e->getMessage() );
				}
			} catch ( \WorkOS\Native\Exception $e ) {
				self::drop( $row, $e->getMessage() );
			}
		}
		return $sent;
	}

	/**
	 * Gives up an event, leaving a trace in the activity log.
	 *
	 * @param array  $row    Queue row.
	 * @param string $reason Why.
	 */
	private static function drop( array $row, string $reason ): void {
		global $wpdb;
		$wpdb->delete( Schema::table( 'audit_queue' ), array( 'id' => $row['id'] ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		Log::event(
			'audit_log_dropped',
			array(
				'idempotency_key' => $row['idempotency_key'],
				'reason'          => $reason,
			)
		);
	}

	/**
	 * A user event by the current actor.
	 *
	 * @param string $action   Action.
	 * @param int    $user_id  Target user.
	 * @param array  $metadata Details.
	 */
	private static function user_event( string $action, int $user_id, array $metadata = array() ): void {
		$user = get_userdata( $user_id );
		if ( $user ) {
			self::record( $action, array( self::user_target( $user ) ), $metadata );
		}
	}

	/**
	 * A post event by the current actor.
	 *
	 * @param string   $action Action.
	 * @param \WP_Post $post   Post.
	 */
	private static function post_event( string $action, \WP_Post $post ): void {
		self::record(
			$action,
			array(
				array(
					'id'   => (string) $post->ID,
					'type' => $post->post_type,
					'name' => wp_strip_all_tags( get_the_title( $post ) ),
				),
			)
		);
	}

	/**
	 * A user as a target.
	 *
	 * @param \WP_User $user User.
	 */
	private static function user_target( \WP_User $user ): array {
		return array(
			'id'   => (string) $user->ID,
			'type' => 'user',
			'name' => $user->display_name,
		);
	}

	/**
	 * A user as the actor.
	 *
	 * @param \WP_User $user User.
	 */
	private static function user_actor( \WP_User $user ): array {
		return array(
			'id'   => (string) $user->ID,
			'type' => 'user',
			'name' => $user->display_name,
		);
	}

	/**
	 * The signed-in user, or the system (cron, CLI, webhooks).
	 */
	private static function current_actor(): array {
		$user = wp_get_current_user();
		return $user && $user->exists() ? self::user_actor( $user ) : array(
			'id'   => 'system',
			'type' => 'system',
			'name' => 'WordPress',
		);
	}

	/**
	 * Where the event came from: the visitor's IP, or this server.
	 */
	private static function location(): string {
		$ip = Net::client_ip();
		return '' !== $ip ? $ip : '127.0.0.1';
	}
}
