<?php
/**
 * Changing the email address of an account linked to WorkOS.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Mail;

defined( 'ABSPATH' ) || exit;

/**
 * The address is WorkOS's: a change is asked of WorkOS, which mails a code
 * to the NEW address (`email_change/send`), and happens only when that code
 * comes back (`email_change/confirm`) — so nobody can move an account to an
 * address they cannot read. Only then is the WordPress address updated,
 * through the same Users::update_profile() a `user.updated` event uses (an
 * address another account here holds is refused there too). The old address
 * is told both when a change is asked and when it is done, so a stolen
 * session cannot quietly take the account away.
 *
 * An administrator changing another user's address (edit_users) commits it
 * at once (WorkOS's Update User), as the reference plugin does: they could
 * do the same in the WorkOS dashboard.
 *
 * The reference plugin's actions fire: workos_change_email_initiated,
 * _confirmed, _cancelled, _conflict_detected, _merge_requested.
 */
final class EmailChange {

	/** The pending change: {new_email, expires_at, initiated_by, initiated_at, silent?}. */
	public const META = '_workos_pending_email_change';

	/** The transient (per user) that marks a commit in progress, as the reference's. */
	public const GUARD = '_workos_email_change_in_progress_';

	/** How long a pending change is kept when WorkOS names no expiry. */
	private const DEFAULT_TTL = 600;

	/**
	 * Whether the feature is on (filter `workos_change_email_enabled`, the
	 * reference's name; on unless a filter says otherwise).
	 */
	public static function enabled(): bool {
		return (bool) apply_filters( 'workos_change_email_enabled', true );
	}

	/**
	 * How long a pending change may wait for its code, in seconds (filter
	 * `workos_change_email_token_lifetime`, the reference's; 3600, clamped
	 * to 300…86400). WorkOS's own expiry of the code still applies.
	 */
	public static function lifetime(): int {
		$seconds = (int) apply_filters( 'workos_change_email_token_lifetime', HOUR_IN_SECONDS );
		return max( 5 * MINUTE_IN_SECONDS, min( DAY_IN_SECONDS, $seconds ) );
	}

	/**
	 * The WorkOS user id the account is linked to ('' when none).
	 *
	 * @param int $user_id WordPress user id.
	 */
	public static function linked_id( int $user_id ): string {
		return (string) get_user_meta( $user_id, UserMeta::USER_ID, true );
	}

	/**
	 * The pending change, or null (an expired one is forgotten here).
	 *
	 * @param int $user_id WordPress user id.
	 * @return array{new_email: string, expires_at: int, initiated_by: int, initiated_at: int}|null
	 */
	public static function pending( int $user_id ): ?array {
		$pending = get_user_meta( $user_id, self::META, true );
		if ( ! is_array( $pending ) || ! is_string( $pending['new_email'] ?? null ) ) {
			return null;
		}
		if ( (int) ( $pending['expires_at'] ?? 0 ) <= time() ) {
			delete_user_meta( $user_id, self::META );
			Log::event( 'email_change_expired', array( 'user_id' => $user_id ) );
			return null;
		}
		return $pending;
	}

	/**
	 * The address with most of it hidden: `j***@example.com`.
	 *
	 * @param string $email Address.
	 */
	public static function mask( string $email ): string {
		$at = strrpos( $email, '@' );
		if ( false === $at || 0 === $at ) {
			return '***';
		}
		return substr( $email, 0, 1 ) . '***' . substr( $email, $at );
	}

	/**
	 * Self-service: asks WorkOS to mail a code to `$new_email`.
	 *
	 * An address another account holds (here or at WorkOS) gets the same
	 * answer as a free one, and no code (so the form tells nobody who has an
	 * account); the conflict hooks fire and the log says so.
	 *
	 * @param \WP_User $user      The account.
	 * @param string   $new_email The new address (an EmailKey::of()).
	 * @param int      $initiator Who asked (user id).
	 * @return array|\WP_Error `{ok, masked_new_email, expires_at}` or `{ok, masked_new_email, no_op}`.
	 */
	public static function start( \WP_User $user, string $new_email, int $initiator ) {
		$masked = self::mask( $new_email );
		if ( EmailKey::of( $user->user_email ) === $new_email ) {
			return array(
				'ok'               => true,
				'masked_new_email' => $masked,
				'no_op'            => true,
			);
		}
		$workos_id = self::linked_id( $user->ID );
		$silent    = self::conflict( $user, $new_email, true ) > 0;
		if ( ! $silent ) {
			try {
				$answer  = Api::client()->sendEmailChange( $workos_id, $new_email );
				$expires = isset( $answer['expires_at'] ) ? strtotime( (string) $answer['expires_at'] ) : false;
			} catch ( \WorkOS\Native\ApiException $e ) {
				if ( 'email_change_not_needed' === $e->getErrorCode() ) {
					return array(
						'ok'               => true,
						'masked_new_email' => $masked,
						'no_op'            => true,
					);
				}
				if ( 'email_not_available' !== $e->getErrorCode() ) {
					return self::upstream( $e, $user->ID, 'send' );
				}
				// Another WorkOS user has it: answered like a free address.
				$silent = true;
				Log::event(
					'email_change_conflict_blocked',
					array(
						'user_id' => $user->ID,
						'where'   => 'workos',
					)
				);
			} catch ( \WorkOS\Native\Exception $e ) {
				return self::upstream( $e, $user->ID, 'send' );
			}
		}
		$expires_at = ! $silent && ! empty( $expires ) ? (int) $expires : time() + self::DEFAULT_TTL;
		// WorkOS's code dies when WorkOS says; the site may want the change forgotten sooner.
		$expires_at = min( $expires_at, time() + self::lifetime() );
		update_user_meta(
			$user->ID,
			self::META,
			array(
				'new_email'    => $new_email,
				'expires_at'   => $expires_at,
				'initiated_by' => $initiator,
				'initiated_at' => time(),
				// No code was sent: confirming can only fail, like a wrong code.
				'silent'       => $silent,
			)
		);
		if ( self::notify_old_address() ) {
			self::mail_old_address( $user, $new_email, false );
		}
		Log::event(
			'email_change_initiated',
			array(
				'user_id'   => $user->ID,
				'workos_id' => $workos_id,
				'new_email' => $masked,
			)
		);
		/**
		 * A self-service email change started (the reference's action).
		 *
		 * @param int    $target_user_id    The account.
		 * @param string $new_email         The new address.
		 * @param int    $initiator_user_id Who asked.
		 */
		do_action( 'workos_change_email_initiated', $user->ID, $new_email, $initiator );
		return array(
			'ok'               => true,
			'masked_new_email' => $masked,
			'expires_at'       => $expires_at,
		);
	}

	/**
	 * Self-service: the code from the new mailbox; WorkOS changes its
	 * address, then this site's follows.
	 *
	 * @param \WP_User $user The account.
	 * @param string   $code The code.
	 * @return array|\WP_Error `{ok, email}`.
	 */
	public static function confirm( \WP_User $user, string $code ) {
		$pending = self::pending( $user->ID );
		if ( ! $pending ) {
			return new \WP_Error( 'workos_invalid_request', __( 'There is no email change waiting for a code. Start again.', 'workos' ), array( 'status' => 400 ) );
		}
		if ( ! empty( $pending['silent'] ) ) {
			return self::wrong_code();
		}
		try {
			$answer = Api::client()->confirmEmailChange( self::linked_id( $user->ID ), $code );
		} catch ( \WorkOS\Native\ApiException $e ) {
			switch ( (string) $e->getErrorCode() ) {
				case 'email_change_code_incorrect':
					return self::wrong_code();
				case 'email_change_code_expired':
					delete_user_meta( $user->ID, self::META );
					Log::event( 'email_change_expired', array( 'user_id' => $user->ID ) );
					return new \WP_Error( 'workos_token_expired', __( 'The code has expired. Start again to get a new one.', 'workos' ), array( 'status' => 410 ) );
				case 'email_change_too_many_attempts':
					delete_user_meta( $user->ID, self::META );
					return new \WP_Error( 'workos_rate_limited', __( 'Too many wrong codes. Start again to get a new one.', 'workos' ), array( 'status' => 429 ) );
				case 'no_pending_email_change':
				case 'email_change_code_previously_used':
					delete_user_meta( $user->ID, self::META );
					return new \WP_Error( 'workos_invalid_request', __( 'There is no email change waiting for a code. Start again.', 'workos' ), array( 'status' => 400 ) );
				case 'email_not_available':
					return self::conflict_error();
			}
			return self::upstream( $e, $user->ID, 'confirm' );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::upstream( $e, $user->ID, 'confirm' );
		}
		// WorkOS's address now, whatever was asked: it is the one that was proven.
		$email = EmailKey::of( $answer['user']['email'] ?? '' );
		if ( null === $email ) {
			return self::upstream( new \WorkOS\Native\Exception( 'WorkOS answered without a usable email address.' ), $user->ID, 'confirm' );
		}
		delete_user_meta( $user->ID, self::META );
		$done = self::commit( $user, $email, 'confirmed' );
		return is_wp_error( $done ) ? $done : array(
			'ok'    => true,
			'email' => $email,
		);
	}

	/**
	 * An administrator sets another user's address at once.
	 *
	 * @param \WP_User $user      The account.
	 * @param string   $new_email The new address (an EmailKey::of()).
	 * @param int      $admin     The administrator.
	 * @return array|\WP_Error `{ok, committed, email}`.
	 */
	public static function commit_by_admin( \WP_User $user, string $new_email, int $admin ) {
		if ( EmailKey::of( $user->user_email ) === $new_email ) {
			return array(
				'ok'               => true,
				'masked_new_email' => self::mask( $new_email ),
				'no_op'            => true,
			);
		}
		if ( self::conflict( $user, $new_email, false ) > 0 ) {
			return self::conflict_error();
		}
		try {
			// The administrator vouches for the address, as in WorkOS's dashboard.
			Api::client()->updateUser(
				self::linked_id( $user->ID ),
				array(
					'email'          => $new_email,
					'email_verified' => true,
				)
			);
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( 'email_not_available' === $e->getErrorCode() ) {
				return self::conflict_error();
			}
			return self::upstream( $e, $user->ID, 'admin' );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::upstream( $e, $user->ID, 'admin' );
		}
		delete_user_meta( $user->ID, self::META );
		$done = self::commit( $user, $new_email, 'admin_changed', $admin );
		return is_wp_error( $done ) ? $done : array(
			'ok'        => true,
			'committed' => true,
			'email'     => $new_email,
		);
	}

	/**
	 * Forgets a pending change (WorkOS's code then simply expires unused).
	 *
	 * @param \WP_User $user The account.
	 * @param string   $via  `capability` (or `token`, the reference's other way).
	 */
	public static function cancel( \WP_User $user, string $via ): void {
		if ( ! get_user_meta( $user->ID, self::META, true ) ) {
			return;
		}
		delete_user_meta( $user->ID, self::META );
		Log::event( 'email_change_cancelled', array( 'user_id' => $user->ID ) );
		/**
		 * A pending email change was cancelled (the reference's action).
		 *
		 * @param int    $user_id The account.
		 * @param string $via     `token` or `capability`.
		 */
		do_action( 'workos_change_email_cancelled', $user->ID, $via );
	}

	/**
	 * WordPress follows WorkOS: the address is written (core's own "email
	 * changed" mail off: ours says it with WorkOS in mind), the old address
	 * told, the hooks fired.
	 *
	 * @param \WP_User $user  The account.
	 * @param string   $email The new address.
	 * @param string   $how   `confirmed` or `admin_changed` (the log's event).
	 * @param int      $admin The administrator, for `admin_changed`.
	 * @return true|\WP_Error
	 */
	private static function commit( \WP_User $user, string $email, string $how, int $admin = 0 ) {
		$old = $user->user_email;
		set_transient( self::GUARD . $user->ID, 1, MINUTE_IN_SECONDS );
		add_filter( 'send_email_change_email', '__return_false' );
		$result = Users::update_profile( $user, array( 'email' => $email ) );
		remove_filter( 'send_email_change_email', '__return_false' );
		delete_transient( self::GUARD . $user->ID );
		if ( is_wp_error( $result ) ) {
			Log::event(
				'email_change_commit_failed',
				array(
					'user_id' => $user->ID,
					'error'   => $result->get_error_code(),
				)
			);
			// WorkOS has the new address: the next user.updated event or sign-in retries.
			return new \WP_Error( 'workos_commit_failed', $result->get_error_message(), array( 'status' => 500 ) );
		}
		update_user_meta( $user->ID, UserMeta::EMAIL_VERIFIED_AT, time() );
		if ( self::notify_old_address() ) {
			self::mail_old_address( $user, $email, true, $old );
		}
		Log::event(
			'email_change_' . $how,
			array_filter(
				array(
					'user_id'   => $user->ID,
					'workos_id' => self::linked_id( $user->ID ),
					'by'        => $admin,
				)
			)
		);
		/**
		 * An email change was committed (the reference's action).
		 *
		 * @param int    $user_id   The account.
		 * @param string $old_email The old address.
		 * @param string $new_email The new address.
		 */
		do_action( 'workos_change_email_confirmed', $user->ID, $old, $email );
		return true;
	}

	/**
	 * The WordPress user (other than `$user`) holding `$email`, or 0; fires
	 * the reference's conflict hooks when there is one.
	 *
	 * @param \WP_User $user      The account.
	 * @param string   $email     The new address.
	 * @param bool     $self_serv Whether the person asks for themselves.
	 */
	private static function conflict( \WP_User $user, string $email, bool $self_serv ): int {
		$owner = Users::find_by_email( $email );
		$id    = $owner instanceof \WP_User ? $owner->ID : ( is_wp_error( $owner ) ? PHP_INT_MAX : 0 );
		if ( ! $id || $id === $user->ID ) {
			return 0;
		}
		/**
		 * What to do when the new address is another account's (the
		 * reference's filter): `block` or `merge_request` — both refuse
		 * here; `allow_orphan` is not offered and counts as `block`.
		 *
		 * @param string $policy The policy.
		 */
		$policy = (string) apply_filters( 'workos_change_email_conflict_policy', 'block' );
		$policy = 'merge_request' === $policy ? $policy : 'block';
		$other  = PHP_INT_MAX === $id ? 0 : $id;
		/**
		 * The new address is another account's (the reference's action);
		 * `$conflicting_user_id` is 0 when several accounts share it.
		 *
		 * @param int    $target_user_id      The account.
		 * @param string $new_email           The new address.
		 * @param int    $conflicting_user_id The other account.
		 * @param string $policy              `block` or `merge_request`.
		 */
		do_action( 'workos_change_email_conflict_detected', $user->ID, $email, $other, $policy );
		if ( 'merge_request' === $policy ) {
			/**
			 * An administrator may want to merge the two accounts (the
			 * reference's action); the change is still refused.
			 *
			 * @param int    $target_user_id      The account.
			 * @param string $new_email           The new address.
			 * @param int    $conflicting_user_id The other account.
			 */
			do_action( 'workos_change_email_merge_requested', $user->ID, $email, $other );
		}
		Log::event(
			'email_change_conflict_blocked',
			array(
				'user_id'  => $user->ID,
				'where'    => 'wordpress',
				'by'       => $self_serv ? 'self' : 'admin',
				'conflict' => $other,
			)
		);
		return $id;
	}

	/**
	 * Mails the old address: a change was asked for, or was made.
	 *
	 * @param \WP_User $user  The account.
	 * @param string   $email The new address.
	 * @param bool     $done  Whether it is done.
	 * @param string   $old   The old address (when done; else the current one).
	 */
	private static function mail_old_address( \WP_User $user, string $email, bool $done, string $old = '' ): void {
		$to   = '' !== $old ? $old : $user->user_email;
		$site = wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES );
		if ( $done ) {
			/* translators: %s: site name. */
			$subject = sprintf( __( '[%s] Your email address was changed', 'workos' ), $site );
			/* translators: 1: display name, 2: site name, 3: masked new address. */
			$body = sprintf( __( "Hello %1\$s,\n\nThe email address of your account on %2\$s was changed to %3\$s. From now on, sign in with the new address.\n\nIf you did not do this, contact the site's administrator at once.", 'workos' ), $user->display_name, $site, self::mask( $email ) );
		} else {
			/* translators: %s: site name. */
			$subject = sprintf( __( '[%s] A change of your email address was requested', 'workos' ), $site );
			/* translators: 1: display name, 2: site name, 3: masked new address. */
			$body = sprintf( __( "Hello %1\$s,\n\nSomeone signed in to your account on %2\$s asked to change its email address to %3\$s. The change happens only once the code sent to that address is entered.\n\nIf this was not you, change your password and contact the site's administrator.", 'workos' ), $user->display_name, $site, self::mask( $email ) );
		}
		Mail::send(
			$to,
			$done ? 'change-email/confirmation-notice' : 'change-email/old-address-notice',
			$subject,
			$body,
			array(
				'user_id'   => $user->ID,
				'old_email' => $to,
				'new_email' => $email,
				'site'      => $site,
			)
		);
	}

	/**
	 * Whether the old address is told (filter
	 * `workos_change_email_notify_old_address`, the reference's; on).
	 */
	private static function notify_old_address(): bool {
		return (bool) apply_filters( 'workos_change_email_notify_old_address', true );
	}

	/**
	 * The answer to a wrong code.
	 */
	private static function wrong_code(): \WP_Error {
		return new \WP_Error( 'workos_invalid_code', __( 'That code is not right. Check the latest email sent to the new address and try again.', 'workos' ), array( 'status' => 400 ) );
	}

	/**
	 * The answer when the address is another account's.
	 */
	private static function conflict_error(): \WP_Error {
		return new \WP_Error( 'workos_change_email_conflict', __( 'Another account already uses this email address.', 'workos' ), array( 'status' => 409 ) );
	}

	/**
	 * WorkOS could not be asked or refused for another reason: logged, 502.
	 *
	 * @param \Throwable $e       What went wrong.
	 * @param int        $user_id The account.
	 * @param string     $step    send, confirm or admin.
	 */
	private static function upstream( \Throwable $e, int $user_id, string $step ): \WP_Error {
		Log::event(
			'email_change_commit_failed',
			array(
				'user_id' => $user_id,
				'step'    => $step,
				'error'   => substr( $e->getMessage(), 0, 200 ),
			)
		);
		return new \WP_Error( 'workos_commit_failed', __( 'WorkOS could not change the email address just now. Please try again in a moment.', 'workos' ), array( 'status' => 502 ) );
	}
}
