<?php
/**
 * Applying WorkOS events: one handler per event type, run once per event id
 * and in object order (see Ledger).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Webhooks;

use WorkOS_WP\Directory\Directory;
use WorkOS_WP\Log;
use WorkOS_WP\Organizations;
use WorkOS_WP\Users\AccountLock;
use WorkOS_WP\Users\EmailKey;
use WorkOS_WP\Users\Memberships;
use WorkOS_WP\Users\RoleMap;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Event dispatch.
 */
final class Events {

	/**
	 * Every event type this plugin applies, and its handler.
	 */
	public const HANDLERS = array(
		'user.created'                                => array( self::class, 'user_upserted' ),
		'user.updated'                                => array( self::class, 'user_upserted' ),
		'user.deleted'                                => array( self::class, 'user_deleted' ),
		// Directory events reach users only through Directory::handle(),
		// which checks the directory belongs to this site's organization.
		'dsync.user.created'                          => array( Directory::class, 'handle' ),
		'dsync.user.updated'                          => array( Directory::class, 'handle' ),
		'dsync.user.deleted'                          => array( Directory::class, 'handle' ),
		'dsync.group.user_added'                      => array( Directory::class, 'handle' ),
		'dsync.group.user_removed'                    => array( Directory::class, 'handle' ),
		'dsync.activated'                             => array( Directory::class, 'directory_changed' ),
		'dsync.deleted'                               => array( Directory::class, 'directory_changed' ),
		'organization.created'                        => array( Organizations::class, 'upserted' ),
		'organization.updated'                        => array( Organizations::class, 'upserted' ),
		'organization.deleted'                        => array( Organizations::class, 'deleted' ),
		'organization_membership.created'             => array( Memberships::class, 'upserted' ),
		'organization_membership.updated'             => array( Memberships::class, 'upserted' ),
		'organization_membership.deleted'             => array( Memberships::class, 'deleted' ),
		'connection.activated'                        => array( self::class, 'connection_changed' ),
		'connection.deactivated'                      => array( self::class, 'connection_changed' ),
		'connection.deleted'                          => array( self::class, 'connection_changed' ),
		'authentication.email_verification_succeeded' => array( self::class, 'email_verified' ),
	);

	/** Option holding connection states (not autoloaded). */
	public const CONNECTIONS_OPTION = 'workos_connections';

	/** Usermeta: when WorkOS last confirmed the user's email. */
	public const META_EMAIL_VERIFIED = \WorkOS_WP\Users\UserMeta::EMAIL_VERIFIED_AT;

	/**
	 * Applies the events the ledger hands back for another attempt (their
	 * node died, or applying them failed for a passing reason). Recovery is
	 * driven from here, so the ledger never calls back into event handling.
	 *
	 * @param int $limit At most this many.
	 * @return int How many were processed.
	 */
	public static function recover( int $limit = 50 ): int {
		$done = 0;
		foreach ( Ledger::reclaim( $limit ) as $pending ) {
			self::process( $pending['event'], $pending['info'] );
			++$done;
		}
		return $done;
	}

	/**
	 * Applies a claimed event and finishes its ledger row.
	 *
	 * @param array $event The decoded event.
	 * @param array $info  Its ordering info (WorkOS\Native\Webhook::verifyEvent()'s `info`).
	 * @return string Outcome.
	 */
	public static function process( array $event, array $info ): string {
		$type    = $info['event'];
		$data    = is_array( $event['data'] ?? null ) ? $event['data'] : array();
		$handler = self::HANDLERS[ $type ] ?? null;
		if ( ! $handler ) {
			Ledger::finish( $info['id'], 'ignored', 'unhandled type' );
			return 'ignored';
		}
		// The person the event is about is locked before its transaction
		// starts, so that its reads see an account a parallel sign-in has just
		// created (AccountLock; released once the transaction is over).
		$account = self::account_of( $type, $data );
		try {
			AccountLock::hold( $account );
			list( $status, $outcome ) = Ledger::in_order(
				(string) $info['object_key'],
				(int) $info['version'],
				static function () use ( $handler, $data, $type, $event, $info ) {
					$outcome = (string) RoleMap::quietly(
						static function () use ( $handler, $data, $type ) {
							return $handler( $data, $type );
						}
					);
					// In the same transaction as the effects: the actions and the
					// ledger's "applied" commit with them, or roll back with them
					// (a PHP killed before the commit) and run again when recover()
					// applies the event. Effects exactly once, actions at least once.
					self::announce( $type, $data, $event );
					Ledger::finish( $info['id'], 'applied', $outcome );
					return $outcome;
				}
			);
		} catch ( \Throwable $e ) {
			Ledger::release( $info['id'], $e->getMessage() );
			Log::event(
				'webhook_failed',
				array(
					'event'  => $type,
					'id'     => $info['id'],
					'reason' => $e->getMessage(),
				)
			);
			return 'retry_later';
		} finally {
			AccountLock::release( $account );
		}
		Log::event(
			'webhook',
			array(
				'event'   => $type,
				'id'      => $info['id'],
				'status'  => $status,
				'outcome' => $outcome,
			)
		);
		if ( 'stale' === $status ) {
			Ledger::finish( $info['id'], $status, $outcome );
			return 'stale';
		}
		return $outcome;
	}

	/**
	 * The actions of an applied event (inside its transaction, see process()).
	 *
	 * @param string $type  Event type.
	 * @param array  $data  The event's `data`.
	 * @param array  $event The whole event.
	 */
	private static function announce( string $type, array $data, array $event ): void {
		/**
		 * Fires after the plugin applied a WorkOS event of this type (once per
		 * event id; not for stale or repeated deliveries; again only if the
		 * process died before the event was recorded as applied).
		 *
		 * The reference plugin's arguments first (the whole event), so code
		 * written for it runs unchanged.
		 *
		 * @param array $event The whole event (`id`, `event`, `data`, `created_at`).
		 * @param array $data  The event's `data`.
		 */
		do_action( "workos_webhook_{$type}", $event, $data );
		/**
		 * Fires after the plugin applied any WorkOS event (the reference
		 * plugin's argument order: event, type).
		 *
		 * @param array  $event The whole event.
		 * @param string $type  Event type.
		 * @param array  $data  The event's `data`.
		 */
		do_action( 'workos_webhook', $event, $type, $data );
	}

	/**
	 * user.created / user.updated: refresh the linked user; link an existing
	 * account only by a verified email. Accounts are created at sign-in.
	 *
	 * @param array $data WorkOS user.
	 */
	public static function user_upserted( array $data ): string {
		$id = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		if ( ! Users::find_linked( $id ) ) {
			if ( true !== ( $data['email_verified'] ?? null ) ) {
				return 'no_linked_user';
			}
			$email = EmailKey::of( $data['email'] ?? null );
			if ( null === $email ) {
				return Users::refuse_email( $data['email'] ?? null, 'webhook', $id )->get_error_code();
			}
			$found = Users::find_by_email( $email );
			if ( is_wp_error( $found ) ) {
				return $found->get_error_code();
			}
			if ( ! $found || '' !== (string) get_user_meta( $found->ID, Users::META_ID, true ) ) {
				return 'no_linked_user';
			}
			Users::link( $found, $id );
		}
		$result = Users::sync( $data );
		return is_wp_error( $result ) ? $result->get_error_code() : 'updated';
	}

	/**
	 * user.deleted: the linked account is deprovisioned.
	 *
	 * @param array $data WorkOS user.
	 */
	public static function user_deleted( array $data ): string {
		$user = Users::find_linked( is_string( $data['id'] ?? null ) ? $data['id'] : '' );
		return $user ? Users::deprovision( $user, 'workos_user_deleted' ) : 'no_linked_user';
	}

	/**
	 * connection.*: remember each SSO connection's state.
	 *
	 * @param array  $data Connection.
	 * @param string $type Event type.
	 */
	public static function connection_changed( array $data, string $type ): string {
		$id = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		if ( '' === $id ) {
			return 'invalid';
		}
		$all = get_option( self::CONNECTIONS_OPTION, array() );
		$all = is_array( $all ) ? $all : array();
		if ( 'connection.deleted' === $type ) {
			unset( $all[ $id ] );
		} else {
			$all[ $id ] = array(
				'state'           => sanitize_key( (string) $data['state'] ),
				'name'            => sanitize_text_field( (string) ( $data['name'] ?? '' ) ),
				'organization_id' => sanitize_text_field( (string) ( $data['organization_id'] ?? '' ) ),
				'type'            => sanitize_text_field( (string) ( $data['connection_type'] ?? '' ) ),
			);
		}
		update_option( self::CONNECTIONS_OPTION, $all, false );
		return 'recorded';
	}

	/**
	 * authentication.email_verification_succeeded: note it on the linked user.
	 *
	 * @param array $data Authentication event data.
	 */
	public static function email_verified( array $data ): string {
		$user = Users::find_linked( is_string( $data['user_id'] ?? null ) ? $data['user_id'] : '' );
		if ( ! $user ) {
			return 'no_linked_user';
		}
		update_user_meta( $user->ID, self::META_EMAIL_VERIFIED, gmdate( 'c' ) );
		return 'recorded';
	}

	/**
	 * The lock of the person a WorkOS event may create or link ('' when the
	 * event creates and links nobody).
	 *
	 * @param string $type Event type.
	 * @param array  $data The event's `data`.
	 */
	private static function account_of( string $type, array $data ): string {
		switch ( $type ) {
			case 'user.created':
			case 'user.updated':
				return AccountLock::email( is_string( $data['email'] ?? null ) ? $data['email'] : '' );
			case 'dsync.user.created':
			case 'dsync.user.updated':
				return AccountLock::email( (string) Directory::primary_email( $data ) );
			default:
				return '';
		}
	}
}
