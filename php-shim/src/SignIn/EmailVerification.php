<?php
/**
 * wp-login.php?action=workos_verify — the next step of a headless sign-in
 * WorkOS answered with `email_verification_required`: the visitor enters the
 * code WorkOS emailed, and the sign-in completes with the email-verification
 * grant.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

defined( 'ABSPATH' ) || exit;

/**
 * The email-verification step of headless sign-in.
 */
final class EmailVerification extends CodeStep {

	public const ACTION = 'workos_verify';
	public const GRANT  = 'urn:workos:oauth:grant-type:email-verification:code';

	/**
	 * Sends the browser to the code form, carrying WorkOS's pending token in
	 * a signed, browser-bound token. Returns only when the step-up is unusable.
	 *
	 * @param array $body The `email_verification_required` body.
	 */
	public static function start( array $body ): void {
		$pending = is_string( $body['pending_authentication_token'] ?? null ) ? $body['pending_authentication_token'] : '';
		$email   = is_string( $body['email'] ?? null ) ? $body['email'] : '';
		if ( '' === $pending ) {
			return;
		}
		// WorkOS has sent the code itself.
		self::begin(
			array(
				'p' => $pending,
				'e' => $email,
			)
		);
	}

	/**
	 * The page title.
	 */
	protected static function title(): string {
		return __( 'Verify your email', 'workos' );
	}

	/**
	 * The message for an unusable token.
	 */
	protected static function expired(): string {
		return __( 'This verification has expired. Please sign in again.', 'workos' );
	}

	/**
	 * WorkOS's pending token and the address it emailed.
	 *
	 * @param array $data Token data.
	 */
	protected static function step( array $data ): ?array {
		return is_string( $data['p'] ?? null ) ? array(
			'p' => $data['p'],
			'e' => (string) ( $data['e'] ?? '' ),
		) : null;
	}

	/**
	 * What to do.
	 *
	 * @param array $step The step.
	 */
	protected static function ask( array $step ): string {
		/* translators: %s: email address. */
		return sprintf( __( 'WorkOS has emailed a code to %s. Enter it to verify your address and finish signing in.', 'workos' ), $step['e'] );
	}

	/**
	 * Per step (WorkOS's pending token), per person — a renewed step (new
	 * pending token) keeps the person's count — and per client.
	 *
	 * @param string $token The step's token.
	 * @param array  $step  The step.
	 */
	protected static function limits( string $token, array $step ): array {
		return LoginLimits::code_limits( 'verify:' . $step['p'], '' !== $step['e'] ? LoginLimits::account( $step['e'] ) : 'verify:' . $step['p'] );
	}

	/**
	 * The email-verification grant.
	 *
	 * @param array  $step The step.
	 * @param string $code The code typed.
	 */
	protected static function grant( array $step, string $code ): array {
		return array(
			'grant_type'                   => self::GRANT,
			'code'                         => $code,
			'pending_authentication_token' => $step['p'],
		);
	}

	/**
	 * Only WorkOS's verdicts on the code itself are guesses.
	 *
	 * @param \WP_Error $refusal The refusal.
	 */
	protected static function wrong_code( \WP_Error $refusal ): bool {
		return in_array( $refusal->get_error_code(), array( 'invalid_one_time_code', 'one_time_code_expired' ), true );
	}

	/**
	 * The sign-in rules.
	 *
	 * @param array $auth WorkOS's authentication response.
	 * @param array $step The step.
	 * @return \WP_User|\WP_Error
	 */
	protected static function complete( array $auth, array $step ) {
		return SignIn::complete( $auth, 'headless' );
	}
}
