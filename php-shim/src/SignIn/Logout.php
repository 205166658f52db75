<?php
/**
 * Signing out: WordPress's session ends at once; the WorkOS session (`sid`)
 * is revoked after the visitor has their answer.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Api;
use WorkOS_WP\Later;
use WorkOS_WP\Log;
use WorkOS_WP\Settings;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Revokes the WorkOS session of a WordPress logout.
 */
final class Logout {

	/** Cron hook that retries a revocation. */
	public const CRON_HOOK = \WorkOS_WP\REVOKE_HOOK;

	/**
	 * The WorkOS session of the logout in progress.
	 *
	 * @var string
	 */
	private static $sid = '';

	/**
	 * login_form_logout, before WordPress destroys the session: remember
	 * which WorkOS session it carried.
	 */
	public static function capture(): void {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return;
		}
		$user_id = get_current_user_id();
		if ( ! $user_id ) {
			return;
		}
		$session   = \WP_Session_Tokens::get_instance( $user_id )->get( wp_get_session_token() );
		self::$sid = is_array( $session ) && is_string( $session[ SignIn::SESSION_SID ] ?? null ) ? $session[ SignIn::SESSION_SID ] : '';
		if ( '' !== self::$sid ) {
			add_action( 'wp_logout', array( self::class, 'after_logout' ) );
		}
	}

	/**
	 * wp_logout: revoke once the response is on its way.
	 */
	public static function after_logout(): void {
		$sid       = self::$sid;
		self::$sid = '';
		if ( '' === $sid ) {
			return;
		}
		if ( Later::answers_first() ) {
			Later::run(
				'revoke_' . $sid,
				static function () use ( $sid ) {
					self::revoke( $sid );
				}
			);
			return;
		}
		// No way to answer first (e.g. PHP's built-in server): WP-Cron does it.
		wp_schedule_single_event( time(), self::CRON_HOOK, array( $sid ) );
	}

	/**
	 * Revokes a WorkOS session; a failure is retried by WP-Cron a few times.
	 *
	 * @param string $sid     WorkOS session id.
	 * @param int    $attempt Attempts so far.
	 */
	public static function revoke( string $sid, int $attempt = 0 ): void {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return;
		}
		try {
			Api::client()->revokeSession( $sid );
			Log::event( 'session_revoked', array( 'sid' => $sid ) );
		} catch ( \WorkOS\Native\ApiException $e ) {
			$retry = $e->isTransient() && $attempt < 3;
			Log::event(
				'session_revoke_failed',
				array(
					'sid'    => $sid,
					'status' => $e->getStatus(),
					'retry'  => $retry,
				)
			);
			if ( $retry ) {
				wp_schedule_single_event( time() + 60 * ( $attempt + 1 ), self::CRON_HOOK, array( $sid, $attempt + 1 ) );
			}
		}
	}
}
