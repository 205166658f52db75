<?php
/**
 * wp-login.php?action=workos_verify — the next step of a headless sign-in
 * WorkOS answered with `email_verification_required`: the visitor enters the
 * code WorkOS emailed, and the sign-in completes with the email-verification
 * grant.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * The email-verification step of headless sign-in.
 */
final class EmailVerification {

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
		// WorkOS accepted the password and asks for the code: that attempt
		// was no failure (the code is limited on its own).
		LoginLimits::succeeded();
		$token = \WorkOS\Native\State::issue(
			Settings::state_secret(),
			Login::binding( true ),
			array(
				'k' => self::ACTION,
				'p' => $pending,
				'e' => $email,
			),
			Login::FLOW_TTL
		);
		wp_safe_redirect( add_query_arg( array( 'action' => self::ACTION, 'token' => rawurlencode( $token ) ), wp_login_url() ) );
		exit;
	}

	/**
	 * The code form (GET) and its check (POST). Never returns.
	 */
	public static function handle(): void {
		$token = CodeForm::submitted_token();
		$step  = self::step_of( $token );
		$title = __( 'Verify your email', 'workos' );
		if ( ! $step ) {
			CodeForm::render( self::ACTION, '', $title, '', new \WP_Error( 'invalid_token', __( 'This verification has expired. Please sign in again.', 'workos' ) ), false );
		}
		/* translators: %s: email address. */
		$ask = sprintf( __( 'WorkOS has emailed a code to %s. Enter it to verify your address and finish signing in.', 'workos' ), $step['e'] );
		if ( 'POST' !== ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) ) {
			CodeForm::render( self::ACTION, $token, $title, $ask, null, true );
		}
		// Counted before WorkOS checks the code (atomic: parallel guesses
		// cannot all pass), per step, per person — a renewed step (new pending
		// token) keeps the person's count — and per client.
		$limits = LoginLimits::code_limits( 'verify:' . $step['p'], '' !== $step['e'] ? LoginLimits::account( $step['e'] ) : 'verify:' . $step['p'] );
		$wait   = Throttle::take( $limits );
		if ( $wait > 0 ) {
			CodeForm::render( self::ACTION, $token, $title, $ask, Throttle::error( $wait ), true );
		}
		$auth = SignIn::grant(
			array(
				'grant_type'                   => self::GRANT,
				'code'                         => CodeForm::submitted_code(),
				'pending_authentication_token' => $step['p'],
			)
		);
		if ( is_wp_error( $auth ) ) {
			$wrong = in_array( $auth->get_error_code(), array( 'invalid_one_time_code', 'one_time_code_expired' ), true );
			if ( ! $wrong ) {
				Throttle::refund( $limits ); // Not a guess that failed.
			}
			CodeForm::render( self::ACTION, $token, $title, $ask, $wrong ? new \WP_Error( 'invalid_code', __( 'That code is not valid or has expired.', 'workos' ) ) : $auth, $wrong );
		}
		Throttle::refund( $limits );
		$user = SignIn::complete( $auth, 'headless' );
		if ( is_wp_error( $user ) ) {
			CodeForm::render( self::ACTION, '', $title, '', $user, false );
		}
		SignIn::finish( $user );
	}

	/**
	 * The step a token was issued for, in this browser.
	 *
	 * @param string $token Signed token.
	 * @return array{p: string, e: string}|null
	 */
	private static function step_of( string $token ): ?array {
		$binding = Login::binding( false );
		if ( '' === $token || '' === $binding ) {
			return null;
		}
		try {
			$data = \WorkOS\Native\State::verify( Settings::state_secret(), $token, $binding )['data'];
		} catch ( \WorkOS\Native\Exception $e ) {
			return null;
		}
		return self::ACTION === ( $data['k'] ?? '' ) && is_string( $data['p'] ?? null ) ? array(
			'p' => $data['p'],
			'e' => (string) ( $data['e'] ?? '' ),
		) : null;
	}
}
