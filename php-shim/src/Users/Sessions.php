<?php
/**
 * WordPress's session store, one writer per user at a time.
 *
 * WordPress keeps all of a user's sessions in one usermeta row and rewrites
 * it whole (read, add one, write back): two sign-ins of the same person at
 * the same moment each write back the list they read, and one session is
 * lost — that browser is signed out at its next page. This store does the
 * same under the user's AccountLock, reading the row afresh.
 *
 * It is installed only where a sign-in is completed (serialize()), so other
 * requests never load this file.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

defined( 'ABSPATH' ) || exit;

/**
 * WP_User_Meta_Session_Tokens with serialised writes.
 */
final class Sessions extends \WP_User_Meta_Session_Tokens {

	/**
	 * Makes the sessions written during the rest of this request use this
	 * store (unless another plugin brought its own).
	 */
	public static function serialize(): void {
		if ( false === has_filter( 'session_token_manager', array( self::class, 'manager' ) ) ) {
			add_filter( 'session_token_manager', array( self::class, 'manager' ) );
		}
	}

	/**
	 * session_token_manager: this class in place of WordPress's default.
	 *
	 * @param string $manager Class name.
	 */
	public static function manager( $manager ) {
		return \WP_User_Meta_Session_Tokens::class === $manager ? self::class : $manager;
	}

	/**
	 * Adds, changes or removes one session, under the user's lock.
	 *
	 * @param string     $verifier Verifier of the session.
	 * @param array|null $session  The session, or null to remove it.
	 */
	protected function update_session( $verifier, $session = null ) {
		$this->serialized(
			function () use ( $verifier, $session ) {
				parent::update_session( $verifier, $session );
			}
		);
	}

	/**
	 * Ends every session but one, under the user's lock.
	 *
	 * @param string $verifier Verifier of the session to keep.
	 */
	protected function destroy_other_sessions( $verifier ) {
		$this->serialized(
			function () use ( $verifier ) {
				parent::destroy_other_sessions( $verifier );
			}
		);
	}

	/**
	 * Runs a read-modify-write of the session row under the user's lock,
	 * reading the row afresh.
	 *
	 * @param callable $write The write.
	 */
	private function serialized( callable $write ): void {
		$done = AccountLock::run(
			AccountLock::user( (int) $this->user_id ),
			function () use ( $write ) {
				wp_cache_delete( $this->user_id, 'user_meta' ); // The row as it is now.
				$write();
				return true;
			}
		);
		if ( is_wp_error( $done ) ) {
			$write(); // Busy for too long: as WordPress would.
		}
	}
}
