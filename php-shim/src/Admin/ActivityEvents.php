<?php
/**
 * What each activity-log entry means, in words a site owner reads: a label
 * per event type and a sentence per entry, for the screen and the CSV.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Schema;

defined( 'ABSPATH' ) || exit;

/**
 * Labels and sentences of activity entries. A sentence is a translated
 * template and its arguments; the person it is about is the argument
 * SUBJECT, which the screen renders as a link to their profile and the CSV
 * as their name.
 */
final class ActivityEvents {

	/** The argument that stands for the person an entry is about. */
	public const SUBJECT = "\0subject";

	/**
	 * Organization names by id, for the entries being shown.
	 *
	 * @var array<string, string>
	 */
	private static $organizations = array();

	/**
	 * The short label of an event type (the type filter, the CSV).
	 *
	 * @param string $type Event type.
	 */
	public static function label( string $type ): string {
		$labels = array(
			'login'                        => __( 'Sign-in', 'workos' ),
			'login_failed'                 => __( 'Failed sign-in', 'workos' ),
			'login_denied'                 => __( 'Refused sign-in', 'workos' ),
			'bypass_activated'             => __( 'WorkOS bypassed (?workos=0)', 'workos' ),
			'bearer_denied'                => __( 'Refused API token', 'workos' ),
			'membership_enrolled'          => __( 'Added to organization', 'workos' ),
			'membership_ended'             => __( 'Organization membership ended', 'workos' ),
			'user_created'                 => __( 'User created', 'workos' ),
			'user_linked'                  => __( 'User linked to WorkOS', 'workos' ),
			'user_unlinked'                => __( 'User unlinked from WorkOS', 'workos' ),
			'passkey_added'                => __( 'Passkey added', 'workos' ),
			'mfa_enrolled'                 => __( 'Second factor set up at sign-in', 'workos' ),
			'password_reset_sent'          => __( 'Password reset link sent', 'workos' ),
			'password_reset_failed'        => __( 'Password reset link not sent', 'workos' ),
			'password_reset'               => __( 'Password reset', 'workos' ),
			'password_reset.admin_sent'    => __( 'Password reset email sent for someone', 'workos' ),
			'signup'                       => __( 'Account created', 'workos' ),
			'signup_existing'              => __( 'Sign-up with a taken address', 'workos' ),
			'signup_failed'                => __( 'Sign-up failed', 'workos' ),
			'passkey_removed'              => __( 'Passkey removed', 'workos' ),
			'passkey_refused'              => __( 'Passkey refused', 'workos' ),
			'passkey_unavailable'          => __( 'Passkeys unavailable', 'workos' ),
			'link_refused'                 => __( 'Link refused', 'workos' ),
			'user_deleted'                 => __( 'User deleted', 'workos' ),
			'user_demoted'                 => __( 'User demoted', 'workos' ),
			'user_deactivated'             => __( 'User deactivated', 'workos' ),
			'user_reactivated'             => __( 'User reactivated', 'workos' ),
			'role_changed'                 => __( 'Role changed', 'workos' ),
			'role_pushed'                  => __( 'Role sent to WorkOS', 'workos' ),
			'role_push_skipped'            => __( 'Role not sent to WorkOS', 'workos' ),
			'role_push_failed'             => __( 'Role sending failed', 'workos' ),
			'sessions_destroyed'           => __( 'Sessions ended', 'workos' ),
			'access_withdrawn'             => __( 'Access withdrawn', 'workos' ),
			'access_restored'              => __( 'Access restored', 'workos' ),
			'fallback_link_failed'         => __( 'Password fallback not linked', 'workos' ),
			'fallback_confirmation_sent'   => __( 'Confirmation code sent', 'workos' ),
			'fallback_confirmation_failed' => __( 'Confirmation code not sent', 'workos' ),
			'session_revoked'              => __( 'WorkOS session ended', 'workos' ),
			'session_revoke_failed'        => __( 'WorkOS session not ended', 'workos' ),
			'gate_failed_open'             => __( 'Organization check skipped', 'workos' ),
			'webhook'                      => __( 'WorkOS event', 'workos' ),
			'webhook_failed'               => __( 'WorkOS event failed', 'workos' ),
			'webhook_rejected'             => __( 'Webhook rejected', 'workos' ),
			'directory_event_ignored'      => __( 'Directory event ignored', 'workos' ),
			'directory_event_refused'      => __( 'Directory event refused', 'workos' ),
			'directory_link_refused'       => __( 'Directory link refused', 'workos' ),
			'directory_group_refused'      => __( 'Directory group refused', 'workos' ),
			'email_ambiguous'              => __( 'Ambiguous email address', 'workos' ),
			'email_refused'                => __( 'Email address refused', 'workos' ),
			'rate_limited'                 => __( 'Too many attempts', 'workos' ),
			'rate_limit_unavailable'       => __( 'Attempts not countable', 'workos' ),
			'account_busy'                 => __( 'Account busy', 'workos' ),
			'audit_log_dropped'            => __( 'Audit log event dropped', 'workos' ),
			'deferred_failed'              => __( 'Background task failed', 'workos' ),
			'sync_push'                    => __( 'Users pushed to WorkOS', 'workos' ),
		);
		return $labels[ $type ] ?? ucfirst( str_replace( '_', ' ', $type ) );
	}

	/**
	 * Looks up, in one query, the organization names the entries mention.
	 *
	 * @param array $rows Log rows.
	 */
	public static function prime( array $rows ): void {
		global $wpdb;
		$ids   = array();
		$users = array();
		foreach ( $rows as $row ) {
			$meta = self::details( $row );
			if ( is_string( $meta['organization_id'] ?? null ) && '' !== $meta['organization_id'] && ! isset( self::$organizations[ $meta['organization_id'] ] ) ) {
				$ids[ $meta['organization_id'] ] = true;
			}
			if ( (int) $row['user_id'] > 0 ) {
				$users[] = (int) $row['user_id'];
			}
		}
		if ( $users ) {
			cache_users( array_unique( $users ) );
		}
		if ( ! $ids ) {
			return;
		}
		$list  = array_keys( $ids );
		$found = $wpdb->get_results( $wpdb->prepare( 'SELECT workos_id, name FROM ' . Schema::table( 'organizations' ) . ' WHERE workos_id IN (' . implode( ',', array_fill( 0, count( $list ), '%s' ) ) . ')', $list ), ARRAY_A ); // phpcs:ignore WordPress.DB
		foreach ( $list as $id ) {
			self::$organizations[ $id ] = $id;
		}
		foreach ( (array) $found as $org ) {
			if ( '' !== $org['name'] ) {
				self::$organizations[ $org['workos_id'] ] = $org['name'];
			}
		}
	}

	/**
	 * An entry's details (its metadata) as an array.
	 *
	 * @param array $row Log row.
	 */
	public static function details( array $row ): array {
		$meta = json_decode( (string) ( $row['metadata'] ?? '' ), true );
		return is_array( $meta ) ? $meta : array();
	}

	/**
	 * The person an entry is about, in plain text; '' for none.
	 *
	 * @param array $row Log row.
	 */
	public static function subject_name( array $row ): string {
		$id = (int) $row['user_id'];
		if ( $id > 0 ) {
			$user = get_userdata( $id );
			/* translators: %d: user ID. */
			return $user ? $user->display_name : sprintf( __( 'User #%d (deleted)', 'workos' ), $id );
		}
		$meta = self::details( $row );
		if ( is_string( $meta['login'] ?? null ) && '' !== $meta['login'] ) {
			return $meta['login'];
		}
		if ( '' !== (string) $row['workos_id'] ) {
			/* translators: %s: WorkOS user ID. */
			return sprintf( __( 'WorkOS user %s', 'workos' ), $row['workos_id'] );
		}
		return '';
	}

	/**
	 * The sentence of an entry: a translated template (sprintf-style) and
	 * its arguments, SUBJECT standing for the person.
	 *
	 * @param array $row Log row.
	 * @return array{0: string, 1: array}
	 */
	public static function sentence( array $row ): array {
		$type     = (string) $row['type'];
		$meta     = self::details( $row );
		$someone  = '' !== self::subject_name( $row );
		$reason   = self::reason( $type, is_scalar( $meta['reason'] ?? null ) ? (string) $meta['reason'] : '' );
		$subject  = array( self::SUBJECT );
		$sentence = null;
		switch ( $type ) {
			case 'login':
				$sentence = array( self::login_template( $meta ), $subject );
				$how      = self::auth_method( is_string( $meta['auth_method'] ?? null ) ? $meta['auth_method'] : '' );
				if ( 'authkit' === ( $meta['method'] ?? '' ) && '' !== $how && 'SSO' !== $meta['auth_method'] ) {
					$sentence[1][] = $how;
				}
				break;
			case 'login_failed':
				$sentence = $someone
					/* translators: 1: the person (name or login typed), 2: why, e.g. "wrong password". */
					? array( __( 'A sign-in as %1$s failed: %2$s', 'workos' ), array( self::SUBJECT, $reason ) )
					/* translators: %s: why, e.g. "wrong password". */
					: array( __( 'A sign-in failed: %s', 'workos' ), array( $reason ) );
				break;
			case 'login_denied':
				$sentence = $someone
					/* translators: 1: the person, 2: why, e.g. "the account is deactivated". */
					? array( __( 'A sign-in as %1$s was refused: %2$s', 'workos' ), array( self::SUBJECT, $reason ) )
					/* translators: %s: why, e.g. "email address not verified". */
					: array( __( 'A sign-in was refused: %s', 'workos' ), array( $reason ) );
				break;
			case 'bypass_activated':
				$sentence = $someone
					/* translators: %s: the person (already signed in). */
					? array( __( '%s opened WordPress\'s own sign-in form with the ?workos=0 bypass', 'workos' ), $subject )
					: array( __( 'WordPress\'s own sign-in form was opened with the ?workos=0 bypass', 'workos' ), array() );
				break;
			case 'bearer_denied':
				$sentence = $someone
					/* translators: 1: the person, 2: why. */
					? array( __( 'An API request with a WorkOS token of %1$s was refused: %2$s', 'workos' ), array( self::SUBJECT, $reason ) )
					/* translators: %s: why. */
					: array( __( 'An API request with a WorkOS token was refused: %s', 'workos' ), array( $reason ) );
				break;
			case 'membership_enrolled':
				/* translators: 1: the person, 2: organization name. */
				$sentence = array( __( '%1$s was added to the organization %2$s', 'workos' ), array( self::SUBJECT, self::organization( $meta ) ) );
				unset( $meta['organization_id'] ); // Named already.
				break;
			case 'membership_ended':
				/* translators: %s: the person. */
				$sentence = array( __( 'The organization membership of %s ended', 'workos' ), $subject );
				break;
			case 'user_created':
				$sentence = isset( $meta['directory_user_id'] )
					/* translators: %s: the person. */
					? array( __( '%s was created from the directory', 'workos' ), $subject )
					/* translators: %s: the person. */
					: array( __( '%s was created at their first sign-in', 'workos' ), $subject );
				break;
			case 'user_linked':
				/* translators: %s: the person. */
				$sentence = array( __( '%s was linked to their WorkOS user', 'workos' ), $subject );
				break;
			case 'passkey_added':
				/* translators: 1: the person, 2: the passkey's name. */
				$sentence = array( __( '%1$s added a passkey (%2$s)', 'workos' ), array( self::SUBJECT, (string) ( $meta['name'] ?? '' ) ) );
				break;
			case 'password_reset_sent':
				/* translators: %s: the person (or the address typed). */
				$sentence = array( __( 'A password reset link was sent to %s', 'workos' ), $subject );
				break;
			case 'password_reset_failed':
				/* translators: 1: the address typed, 2: why. */
				$sentence = array( __( 'A password reset link for %1$s could not be sent: %2$s', 'workos' ), array( self::SUBJECT, $reason ) );
				break;
			case 'password_reset.admin_sent':
				$by       = get_userdata( (int) ( $meta['by'] ?? 0 ) );
				$sentence = $by && (int) $by->ID !== (int) $row['user_id']
					/* translators: 1: the person, 2: who asked. */
					? array( __( 'A password reset link was sent to %1$s at the request of %2$s', 'workos' ), array( self::SUBJECT, $by->display_name ) )
					/* translators: %s: the person. */
					: array( __( 'A password reset link was sent to %s', 'workos' ), $subject );
				unset( $meta['by'] ); // Named already.
				break;
			case 'password_reset':
				$sentence = empty( $meta['mirrored'] )
					/* translators: %s: the person. */
					? array( __( '%s chose a new password with a reset link', 'workos' ), $subject )
					/* translators: %s: the person. */
					: array( __( '%s chose a new password with a reset link (their WordPress password too)', 'workos' ), $subject );
				break;
			case 'signup':
				/* translators: %s: the address signed up with. */
				$sentence = array( __( 'An account was created for %s at WorkOS (the sign-up continues with the emailed code)', 'workos' ), $subject );
				break;
			case 'signup_existing':
				/* translators: %s: the address typed. */
				$sentence = array( __( 'Someone tried to sign up as %s, which already has an account: its owner was emailed', 'workos' ), $subject );
				break;
			case 'signup_failed':
				/* translators: 1: the address typed, 2: why. */
				$sentence = array( __( 'A sign-up as %1$s failed: %2$s', 'workos' ), array( self::SUBJECT, $reason ) );
				break;
			case 'passkey_removed':
				/* translators: %s: the person. */
				$sentence = array( __( '%s removed a passkey', 'workos' ), $subject );
				break;
			case 'passkey_refused':
				/* translators: 1: the person, 2: why. */
				$sentence = array( __( 'A passkey of %1$s could not be added: %2$s', 'workos' ), array( self::SUBJECT, $reason ) );
				break;
			case 'passkey_unavailable':
				$sentence = array( __( 'Passkeys could not be used: the extension could not check them', 'workos' ), array() );
				break;
			case 'user_unlinked':
				/* translators: %s: the person. */
				$sentence = array( __( '%s was unlinked from their WorkOS user on the Users screen', 'workos' ), $subject );
				break;
			case 'link_refused':
				/* translators: 1: the person, 2: why, e.g. "email address not verified". */
				$sentence = array( __( '%1$s was not linked to WorkOS: %2$s', 'workos' ), array( self::SUBJECT, $reason ) );
				break;
			case 'user_deleted':
			case 'user_demoted':
			case 'user_deactivated':
			case 'user_reactivated':
				$templates = array(
					/* translators: 1: the person, 2: why, e.g. "removed from the directory". */
					'user_deleted'     => __( '%1$s was deleted (%2$s)', 'workos' ),
					/* translators: 1: the person, 2: why, e.g. "removed from the directory". */
					'user_demoted'     => __( '%1$s was demoted (%2$s)', 'workos' ),
					/* translators: 1: the person, 2: why, e.g. "removed from the directory". */
					'user_deactivated' => __( '%1$s was deactivated (%2$s)', 'workos' ),
					/* translators: 1: the person, 2: why, e.g. "back in the directory". */
					'user_reactivated' => __( '%1$s was reactivated (%2$s)', 'workos' ),
				);
				$sentence  = array( $templates[ $type ], array( self::SUBJECT, self::deprovision_reason( is_string( $meta['reason'] ?? null ) ? $meta['reason'] : '' ) ) );
				break;
			case 'role_changed':
				/* translators: 1: the person, 2: previous role(s), 3: new role. */
				$sentence = array( __( 'The role of %1$s changed from %2$s to %3$s', 'workos' ), array( self::SUBJECT, self::roles( (string) ( $meta['from'] ?? '' ) ), self::roles( (string) ( $meta['to'] ?? '' ) ) ) );
				break;
			case 'role_pushed':
				/* translators: 1: the person, 2: WorkOS role slug. */
				$sentence = array( __( 'The role of %1$s was sent to WorkOS (%2$s)', 'workos' ), array( self::SUBJECT, (string) ( $meta['role_slug'] ?? '' ) ) );
				break;
			case 'role_push_skipped':
				/* translators: %s: the person. */
				$sentence = array( __( 'The role of %s was not sent to WorkOS: they have no membership in the organization', 'workos' ), $subject );
				break;
			case 'role_push_failed':
				/* translators: 1: the person, 2: the error. */
				$sentence = array( __( 'The role of %1$s could not be sent to WorkOS: %2$s', 'workos' ), array( self::SUBJECT, $reason ) );
				break;
			case 'sessions_destroyed':
				/* translators: %s: the person. */
				$sentence = array( __( 'Every session of %s was ended', 'workos' ), $subject );
				break;
			case 'access_withdrawn':
				/* translators: %s: the person. */
				$sentence = array( __( 'The roles and application passwords of %s were withdrawn', 'workos' ), $subject );
				break;
			case 'access_restored':
				/* translators: %s: the person. */
				$sentence = array( __( 'The roles of %s were restored', 'workos' ), $subject );
				break;
			case 'fallback_link_failed':
				/* translators: 1: the person, 2: why. */
				$sentence = array( __( 'The account of %1$s could not be linked to WorkOS after a password fallback: %2$s', 'workos' ), array( self::SUBJECT, $reason ) );
				break;
			case 'fallback_confirmation_sent':
				/* translators: %s: the person. */
				$sentence = array( __( 'A confirmation code was emailed to %s', 'workos' ), $subject );
				break;
			case 'fallback_confirmation_failed':
				/* translators: 1: the person, 2: the error. */
				$sentence = array( __( 'No confirmation code could be emailed to %1$s: %2$s', 'workos' ), array( self::SUBJECT, $reason ) );
				break;
			case 'session_revoked':
				$sentence = array( __( 'A WorkOS session was ended after sign-out', 'workos' ), array() );
				break;
			case 'session_revoke_failed':
				$sentence = ! empty( $meta['retry'] )
					? array( __( 'A WorkOS session could not be ended after sign-out; it will be tried again', 'workos' ), array() )
					: array( __( 'A WorkOS session could not be ended after sign-out', 'workos' ), array() );
				break;
			case 'gate_failed_open':
				$sentence = $someone
					/* translators: %s: the person. */
					? array( __( 'The organization membership of %s could not be checked, and the sign-in was let through (fail open)', 'workos' ), $subject )
					: array( __( 'An organization membership could not be checked, and the sign-in was let through (fail open)', 'workos' ), array() );
				break;
			case 'webhook':
				/* translators: 1: what WorkOS reported, e.g. "Directory user updated", 2: what this site did about it. */
				$sentence = array( __( '%1$s at WorkOS: %2$s', 'workos' ), array( self::event_name( (string) ( $meta['event'] ?? '' ) ), self::event_outcome( (string) ( $meta['outcome'] ?? ( $meta['status'] ?? '' ) ) ) ) );
				break;
			case 'webhook_failed':
				/* translators: 1: what WorkOS reported, e.g. "Directory user updated", 2: the error. */
				$sentence = array( __( '%1$s at WorkOS could not be applied yet and will be retried: %2$s', 'workos' ), array( self::event_name( (string) ( $meta['event'] ?? '' ) ), $reason ) );
				break;
			case 'webhook_rejected':
				/* translators: %s: why. */
				$sentence = array( __( 'A webhook delivery was rejected: %s', 'workos' ), array( $reason ) );
				break;
			case 'directory_event_ignored':
				/* translators: %s: WorkOS event type. */
				$sentence = array( __( 'Directory event %s was ignored: no organization is set up for this site', 'workos' ), array( (string) ( $meta['event'] ?? '' ) ) );
				break;
			case 'directory_event_refused':
				/* translators: %s: WorkOS event type. */
				$sentence = array( __( 'Directory event %s was refused: it belongs to another organization', 'workos' ), array( (string) ( $meta['event'] ?? '' ) ) );
				break;
			case 'directory_link_refused':
				/* translators: %s: the person. */
				$sentence = array( __( '%s was not linked to a directory user: the email domain is not verified', 'workos' ), $subject );
				break;
			case 'directory_group_refused':
				/* translators: %s: the person. */
				$sentence = array( __( 'A directory group of %s was ignored: it belongs to another organization', 'workos' ), $subject );
				break;
			case 'email_ambiguous':
				$sentence = array( __( 'Several accounts use the same email address, so none was linked', 'workos' ), array() );
				break;
			case 'email_refused':
				/* translators: %s: the email address. */
				$sentence = array( __( 'An email address WordPress cannot store exactly was refused: %s', 'workos' ), array( (string) ( $meta['email'] ?? '' ) ) );
				break;
			case 'rate_limited':
				/* translators: %s: what was limited, e.g. "sign-ins from one address". */
				$sentence = array( __( 'Too many attempts: %s paused for a while', 'workos' ), array( self::rule( (string) ( $meta['rule'] ?? '' ) ) ) );
				break;
			case 'rate_limit_unavailable':
				$sentence = array( __( 'Attempts could not be counted, so an attempt was refused', 'workos' ), array() );
				break;
			case 'account_busy':
				$sentence = array( __( 'An account was signing in twice at once; one sign-in was asked to try again', 'workos' ), array() );
				break;
			case 'audit_log_dropped':
				/* translators: %s: why. */
				$sentence = array( __( 'An event could not be sent to WorkOS Audit Logs and was dropped: %s', 'workos' ), array( $reason ) );
				break;
			case 'deferred_failed':
				/* translators: %s: the error. */
				$sentence = array( __( 'A background task failed and will be retried: %s', 'workos' ), array( $reason ) );
				break;
			case 'sync_push':
				$sentence = array(
					/* translators: 1: created, 2: linked, 3: skipped, 4: failed (numbers of users). */
					__( 'Users were pushed to WorkOS: %1$d created, %2$d linked, %3$d skipped, %4$d failed', 'workos' ),
					array( (int) ( $meta['created'] ?? 0 ), (int) ( $meta['linked'] ?? 0 ), (int) ( $meta['skipped'] ?? 0 ), (int) ( $meta['failed'] ?? 0 ) ),
				);
				break;
		}
		if ( null === $sentence ) {
			$sentence = $someone
				/* translators: 1: the event, 2: the person. */
				? array( __( '%1$s: %2$s', 'workos' ), array( self::label( $type ), self::SUBJECT ) )
				: array( '%s', array( self::label( $type ) ) );
		}
		if ( is_string( $meta['organization_id'] ?? null ) && '' !== $meta['organization_id'] && 'login' === $type ) {
			// The organization they signed in for, after the sentence.
			/* translators: 1: a sentence, 2: organization name. */
			$sentence[0] = sprintf( __( '%1$s (%2$s)', 'workos' ), $sentence[0], '%' . ( count( $sentence[1] ) + 1 ) . '$s' );
			$sentence[1][] = self::organization( $meta );
		}
		return $sentence;
	}

	/**
	 * The sentence as plain text (CSV).
	 *
	 * @param array $row Log row.
	 */
	public static function text( array $row ): string {
		list( $template, $args ) = self::sentence( $row );
		$name                    = self::subject_name( $row );
		foreach ( $args as $i => $arg ) {
			if ( self::SUBJECT === $arg ) {
				$args[ $i ] = '' !== $name ? $name : __( 'an unknown user', 'workos' );
			}
		}
		return vsprintf( $template, $args );
	}

	/**
	 * A WorkOS event type in words ("dsync.user.updated" → "Directory user
	 * updated"); an unknown type is spelt out from its parts, so a new WorkOS
	 * event still reads as words. The type itself stays in the row's details.
	 *
	 * @param string $event WorkOS event type.
	 */
	private static function event_name( string $event ): string {
		$names = array(
			'user.created'                         => __( 'WorkOS user created', 'workos' ),
			'user.updated'                         => __( 'WorkOS user updated', 'workos' ),
			'user.deleted'                         => __( 'WorkOS user deleted', 'workos' ),
			'dsync.activated'                      => __( 'Directory connected', 'workos' ),
			'dsync.deleted'                        => __( 'Directory removed', 'workos' ),
			'dsync.user.created'                   => __( 'Directory user created', 'workos' ),
			'dsync.user.updated'                   => __( 'Directory user updated', 'workos' ),
			'dsync.user.deleted'                   => __( 'Directory user deleted', 'workos' ),
			'dsync.group.created'                  => __( 'Directory group created', 'workos' ),
			'dsync.group.updated'                  => __( 'Directory group updated', 'workos' ),
			'dsync.group.deleted'                  => __( 'Directory group deleted', 'workos' ),
			'dsync.group.user_added'               => __( 'User added to a directory group', 'workos' ),
			'dsync.group.user_removed'             => __( 'User removed from a directory group', 'workos' ),
			'organization.created'                 => __( 'Organization created', 'workos' ),
			'organization.updated'                 => __( 'Organization updated', 'workos' ),
			'organization.deleted'                 => __( 'Organization deleted', 'workos' ),
			'organization_membership.created'      => __( 'Organization membership created', 'workos' ),
			'organization_membership.updated'      => __( 'Organization membership updated', 'workos' ),
			'organization_membership.deleted'      => __( 'Organization membership deleted', 'workos' ),
			'connection.activated'                 => __( 'SSO connection activated', 'workos' ),
			'connection.deactivated'               => __( 'SSO connection deactivated', 'workos' ),
			'connection.deleted'                   => __( 'SSO connection deleted', 'workos' ),
			'session.created'                      => __( 'WorkOS session started', 'workos' ),
			'email_verification.created'           => __( 'Email verification sent', 'workos' ),
			'authentication.email_verification_succeeded' => __( 'Email address verified', 'workos' ),
		);
		if ( isset( $names[ $event ] ) ) {
			return $names[ $event ];
		}
		if ( '' === $event ) {
			return __( 'An event', 'workos' );
		}
		return ucfirst( trim( str_replace( array( '.', '_' ), ' ', $event ) ) );
	}

	/**
	 * What the site did with a WorkOS event, in words (the outcome codes of
	 * Webhooks\Events and Directory\*); an unknown code is spelt out.
	 *
	 * @param string $outcome Outcome code.
	 */
	private static function event_outcome( string $outcome ): string {
		$words = array(
			'applied'                         => __( 'applied', 'workos' ),
			'created'                         => __( 'a WordPress user was created', 'workos' ),
			'updated'                         => __( 'the WordPress user was updated', 'workos' ),
			'linked'                          => __( 'linked to the existing WordPress user with that verified email', 'workos' ),
			'already_linked'                  => __( 'already linked, nothing to do', 'workos' ),
			'deleted'                         => __( 'the WordPress user was removed', 'workos' ),
			'deactivated'                     => __( 'the WordPress user was deactivated', 'workos' ),
			'reactivated'                     => __( 'the WordPress user was reactivated', 'workos' ),
			'demoted'                         => __( 'the WordPress user lost their roles', 'workos' ),
			'forgotten'                       => __( 'this site forgot the directory; its users keep their accounts', 'workos' ),
			'role_applied'                    => __( 'roles updated from the role map', 'workos' ),
			'group_added'                     => __( 'group membership recorded, roles updated', 'workos' ),
			'group_removed'                   => __( 'group membership removed, roles updated', 'workos' ),
			'stored'                          => __( 'saved on this site', 'workos' ),
			'recorded'                        => __( 'noted, nothing to change on this site', 'workos' ),
			'ignored'                         => __( 'nothing to change on this site', 'workos' ),
			'no_linked_user'                  => __( 'no WordPress user is linked, nothing changed', 'workos' ),
			'stored_no_linked_user'           => __( 'saved; no WordPress user is linked yet', 'workos' ),
			'email_not_verified'              => __( 'not linked: the email address is not verified', 'workos' ),
			'inactive_unknown_user'           => __( 'skipped: an inactive user this site does not know', 'workos' ),
			'foreign_organization'            => __( 'skipped: it belongs to another organization', 'workos' ),
			'directory_organization_mismatch' => __( 'skipped: the directory belongs to another organization', 'workos' ),
			'directory_unknown'               => __( 'skipped: a directory this site does not know', 'workos' ),
			'directory_event_ignored'         => __( 'skipped: no organization is set up for this site', 'workos' ),
			'directory_event_refused'         => __( 'refused: the directory is not this site\'s', 'workos' ),
			'stale'                           => __( 'skipped: a newer event was already applied', 'workos' ),
			'invalid'                         => __( 'skipped: the event was incomplete', 'workos' ),
			'retry_later'                     => __( 'will be tried again', 'workos' ),
		);
		if ( isset( $words[ $outcome ] ) ) {
			return $words[ $outcome ];
		}
		return '' === $outcome ? __( 'received', 'workos' ) : str_replace( '_', ' ', $outcome );
	}

	/**
	 * The template of a sign-in sentence.
	 *
	 * @param array $meta Details.
	 */
	private static function login_template( array $meta ): string {
		$method = (string) ( $meta['method'] ?? '' );
		if ( 'headless' === $method ) {
			/* translators: %s: the person. */
			return __( '%s signed in with their WorkOS password', 'workos' );
		}
		if ( 'bypass' === $method ) {
			/* translators: %s: the person. */
			return __( '%s signed in with their WordPress password through the ?workos=0 bypass', 'workos' );
		}
		if ( 'password_fallback' === $method ) {
			if ( 'workos_unreachable' === ( $meta['workos_reason'] ?? '' ) ) {
				/* translators: %s: the person. */
				return __( '%s signed in with their WordPress password while WorkOS could not be reached', 'workos' );
			}
			if ( 'MagicAuth' === ( $meta['auth_method'] ?? '' ) ) {
				/* translators: %s: the person. */
				return __( '%s signed in with their WordPress password and a code emailed to them', 'workos' );
			}
			/* translators: %s: the person. */
			return __( '%s signed in with their WordPress password', 'workos' );
		}
		if ( 'SSO' === ( $meta['auth_method'] ?? '' ) ) {
			/* translators: %s: the person. */
			return __( '%s signed in with SSO', 'workos' );
		}
		if ( 'authkit' === $method && '' !== self::auth_method( (string) ( $meta['auth_method'] ?? '' ) ) ) {
			/* translators: 1: the person, 2: how, e.g. "Google" or "a password". */
			return __( '%1$s signed in through WorkOS with %2$s', 'workos' );
		}
		/* translators: %s: the person. */
		return __( '%s signed in through WorkOS', 'workos' );
	}

	/**
	 * WorkOS's authentication method, as words ('' for an unknown one).
	 *
	 * @param string $method E.g. `GoogleOAuth`.
	 */
	private static function auth_method( string $method ): string {
		$names = array(
			'SSO'            => __( 'SSO', 'workos' ),
			'Password'       => __( 'a password', 'workos' ),
			'MagicAuth'      => __( 'a code emailed to them', 'workos' ),
			'Passkey'        => __( 'a passkey', 'workos' ),
			'GoogleOAuth'    => 'Google',
			'MicrosoftOAuth' => 'Microsoft',
			'GitHubOAuth'    => 'GitHub',
			'AppleOAuth'     => 'Apple',
			'Impersonation'  => __( 'impersonation', 'workos' ),
		);
		return $names[ $method ] ?? '';
	}

	/**
	 * Why something failed, in words; unknown codes as they are.
	 *
	 * @param string $type   Event type (a code may mean different things).
	 * @param string $reason The logged reason.
	 */
	private static function reason( string $type, string $reason ): string {
		if ( 0 === strpos( $reason, 'state: ' ) ) {
			return __( 'the sign-in link was invalid or had expired', 'workos' );
		}
		if ( 0 === strpos( $reason, 'code exchange: ' ) ) {
			$reason = substr( $reason, strlen( 'code exchange: ' ) );
		}
		$reasons = array(
			'invalid_credentials'             => __( 'wrong email address or password', 'workos' ),
			'incorrect_password'              => __( 'wrong password', 'workos' ),
			'invalid_username'                => __( 'unknown username', 'workos' ),
			'invalid_email'                   => 'login_denied' === $type ? __( 'the email address cannot be stored exactly by WordPress', 'workos' ) : __( 'unknown email address', 'workos' ),
			'email_verification_required'     => __( 'email address not verified yet (WorkOS sent a code)', 'workos' ),
			'email_not_verified'              => __( 'email address not verified', 'workos' ),
			'email_mismatch'                  => __( 'the WorkOS user has another email address', 'workos' ),
			'email_ambiguous'                 => __( 'several accounts use that email address', 'workos' ),
			'email_in_use'                    => __( 'the email address belongs to another account', 'workos' ),
			'already_linked'                  => __( 'that WorkOS user is linked to another account', 'workos' ),
			'workos_unreachable'              => __( 'WorkOS could not be reached', 'workos' ),
			'workos_write_through_failed'     => __( 'WorkOS did not accept the password', 'workos' ),
			'account_deactivated'             => __( 'the account is deactivated', 'workos' ),
			'account_busy'                    => __( 'the account was signing in elsewhere at the same moment', 'workos' ),
			'pinned_org_mismatch'             => __( 'not a member of this site’s organization', 'workos' ),
			'not_entitled'                    => __( 'no active membership in this site’s organization', 'workos' ),
			'entitlement_unverifiable'        => __( 'the organization membership could not be checked', 'workos' ),
			'gate_misconfigured'              => __( 'the organization check is not set up correctly', 'workos' ),
			'invalid_token'                   => __( 'WorkOS returned a session this site cannot verify', 'workos' ),
			'mfa_enrollment'                  => __( 'multi-factor authentication must be set up first', 'workos' ),
			'mfa_challenge'                   => __( 'a multi-factor code is needed', 'workos' ),
			'organization_selection_required' => __( 'the account belongs to several organizations and none is set for this site', 'workos' ),
			'too_many_attempts'               => __( 'too many failed attempts', 'workos' ),
			'invalid_code'                    => __( 'wrong or expired code', 'workos' ),
			'invalid_grant'                   => __( 'the sign-in code was invalid or had expired', 'workos' ),
			'workos_sso_only'                 => __( 'passwords are not accepted', 'workos' ),
			'expired_token'                   => __( 'the token has expired', 'workos' ),
			'unverified_domain'               => __( 'the email domain is not verified', 'workos' ),
			'no_membership'                   => __( 'no membership in the organization', 'workos' ),
		);
		if ( '' === $reason ) {
			return __( 'no reason given', 'workos' );
		}
		return $reasons[ $reason ] ?? $reason;
	}

	/**
	 * Why someone was deprovisioned or reactivated, in words.
	 *
	 * @param string $reason Users::deprovision()'s reason.
	 */
	private static function deprovision_reason( string $reason ): string {
		$reasons = array(
			'directory'               => __( 'directory', 'workos' ),
			'organization_membership' => __( 'organization membership', 'workos' ),
			'workos_user_deleted'     => __( 'deleted at WorkOS', 'workos' ),
		);
		return $reasons[ $reason ] ?? ( '' !== $reason ? $reason : __( 'no reason given', 'workos' ) );
	}

	/**
	 * What a rate limit counts, in words.
	 *
	 * @param string $rule Throttle rule.
	 */
	private static function rule( string $rule ): string {
		$rules = array(
			'login_account_client' => __( 'sign-ins to one account from one address', 'workos' ),
			'login_account'        => __( 'sign-ins to one account', 'workos' ),
			'login_ip'             => __( 'sign-ins from one address', 'workos' ),
			'code'                 => __( 'codes for one sign-in', 'workos' ),
			'code_account'         => __( 'codes for one account', 'workos' ),
			'code_ip'              => __( 'codes from one address', 'workos' ),
			'webhook_rejected'     => __( 'webhooks from one address', 'workos' ),
		);
		return $rules[ $rule ] ?? $rule;
	}

	/**
	 * Role slugs (comma-separated) as their names.
	 *
	 * @param string $slugs Roles.
	 */
	private static function roles( string $slugs ): string {
		$names = array();
		foreach ( array_filter( explode( ',', $slugs ) ) as $slug ) {
			$role    = wp_roles()->get_role( $slug );
			$names[] = $role ? translate_user_role( wp_roles()->role_names[ $slug ] ?? $slug ) : $slug;
		}
		return $names ? implode( ', ', $names ) : __( 'no role', 'workos' );
	}

	/**
	 * The organization an entry names, by name when this site knows it.
	 *
	 * @param array $meta Details.
	 */
	private static function organization( array $meta ): string {
		$id = is_string( $meta['organization_id'] ?? null ) ? $meta['organization_id'] : '';
		return self::$organizations[ $id ] ?? $id;
	}
}
