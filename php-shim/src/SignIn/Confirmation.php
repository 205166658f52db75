<?php
/**
 * wp-login.php?action=workos_confirm — proves a fallback sign-in by an email
 * code from WorkOS (Magic Auth) before the account is linked to WorkOS, so
 * a WordPress password is never sent to WorkOS.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Users\AccountLock;
use WorkOS_WP\Users\EmailKey;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * The emailed-code step of a password fallback.
 */
final class Confirmation extends CodeStep {

	public const ACTION      = 'workos_confirm';
	public const MAGIC_GRANT = 'urn:workos:oauth:grant-type:magic-auth:code';

	/**
	 * Asks WorkOS to email a code and sends the browser to the code form.
	 * Returns only when the code could not be sent.
	 *
	 * @param \WP_User $user The user WordPress's password check accepted.
	 */
	public static function start( \WP_User $user ): \WP_Error {
		try {
			Api::client()->createMagicAuth( $user->user_email );
		} catch ( \WorkOS\Native\Exception $e ) {
			Log::event(
				'fallback_confirmation_failed',
				array(
					'user_id' => $user->ID,
					'reason'  => $e->getMessage(),
				)
			);
			return new \WP_Error( 'confirmation_unavailable', __( 'We could not send you a confirmation code. Please try again later.', 'workos' ) );
		}
		Log::event( 'fallback_confirmation_sent', array( 'user_id' => $user->ID ) );
		self::begin( array( 'u' => $user->ID ) );
	}

	/**
	 * The page title.
	 */
	protected static function title(): string {
		return __( 'Confirm your email', 'workos' );
	}

	/**
	 * The message for an unusable token.
	 */
	protected static function expired(): string {
		return __( 'This confirmation has expired. Please sign in again.', 'workos' );
	}

	/**
	 * The user the token was issued for.
	 *
	 * @param array $data Token data.
	 */
	protected static function step( array $data ): ?array {
		$user = get_user_by( 'id', (int) ( $data['u'] ?? 0 ) );
		return $user ? array( 'user' => $user ) : null;
	}

	/**
	 * What to do.
	 *
	 * @param array $step The step.
	 */
	protected static function ask( array $step ): string {
		/* translators: %s: email address. */
		return sprintf( __( 'Enter the code WorkOS has just emailed to %s to finish signing in.', 'workos' ), $step['user']->user_email );
	}

	/**
	 * Per step (its token), per account, per client.
	 *
	 * @param string $token The step's token.
	 * @param array  $step  The step.
	 */
	protected static function limits( string $token, array $step ): array {
		return LoginLimits::code_limits( 'confirm:' . $token, AccountLock::user( $step['user']->ID ) );
	}

	/**
	 * The Magic Auth grant.
	 *
	 * @param array  $step The step.
	 * @param string $code The code typed.
	 */
	protected static function grant( array $step, string $code ): array {
		return array(
			'grant_type' => self::MAGIC_GRANT,
			'code'       => $code,
			'email'      => $step['user']->user_email,
		);
	}

	/**
	 * Every refusal but an outage is the code's.
	 *
	 * @param \WP_Error $refusal The refusal.
	 */
	protected static function wrong_code( \WP_Error $refusal ): bool {
		return 'workos_unreachable' !== $refusal->get_error_code();
	}

	/**
	 * Links the account to the WorkOS user who owns its mailbox (unless it
	 * is someone else's), then the sign-in rules.
	 *
	 * @param array $auth WorkOS's authentication response.
	 * @param array $step The step.
	 * @return \WP_User|\WP_Error
	 */
	protected static function complete( array $auth, array $step ) {
		$user      = $step['user'];
		$workos_id = (string) ( $auth['user']['id'] ?? '' );
		$owner     = Users::find_linked( $workos_id );
		$key       = EmailKey::of( $auth['user']['email'] ?? null );
		if ( null === $key || EmailKey::of( $user->user_email ) !== $key || ( $owner && $owner->ID !== $user->ID ) ) {
			return new \WP_Error( 'already_linked', __( 'Your email address belongs to an account on this site that signs in with another WorkOS user. Please contact your site administrator.', 'workos' ) );
		}
		if ( ! $owner ) {
			Users::link( $user, $workos_id );
		}
		return SignIn::complete( $auth, 'password_fallback' );
	}
}
