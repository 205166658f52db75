<?php
/**
 * An emailed-code step of a sign-in on wp-login.php: the visitor is sent to
 * a code form carrying a signed, browser-bound token, types the code WorkOS
 * emailed, and the sign-in completes with that code's grant.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Log;
use WorkOS_WP\Settings;
use WorkOS_WP\Throttle;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * What every code step shares — the flow binding, the form, the guess
 * limits and the end of the sign-in — with the variant parts left to each
 * step (like two-factor's provider base class). A step is a
 * `login_form_{ACTION}` handler (see add_hooks()).
 *
 * Subclasses define ACTION (the wp-login.php action, also the token's kind)
 * and the abstract methods below.
 */
abstract class CodeStep {

	/** The wp-login.php action of the step; subclasses override it. */
	public const ACTION = '';

	/**
	 * The page title.
	 */
	abstract protected static function title(): string;

	/**
	 * What the visitor reads when the token is missing, expired or another
	 * browser's.
	 */
	abstract protected static function expired(): string;

	/**
	 * The step a verified token's data stands for; null when it is unusable.
	 *
	 * @param array $data The token's data (issued by begin()).
	 */
	abstract protected static function step( array $data ): ?array;

	/**
	 * What to do, shown above the form.
	 *
	 * @param array $step The step.
	 */
	abstract protected static function ask( array $step ): string;

	/**
	 * The rate-limit buckets of one guess (LoginLimits::code_limits()).
	 *
	 * @param string $token The step's token.
	 * @param array  $step  The step.
	 * @return array<int, array{0: string, 1: string}>
	 */
	abstract protected static function limits( string $token, array $step ): array;

	/**
	 * The grant that checks the code (for SignIn::grant()).
	 *
	 * @param array  $step The step.
	 * @param string $code The code typed.
	 */
	abstract protected static function grant( array $step, string $code ): array;

	/**
	 * Whether WorkOS's refusal of the grant means a wrong code (a guess that
	 * counts) rather than something the visitor's code did not cause.
	 *
	 * @param \WP_Error $refusal SignIn::grant()'s error.
	 */
	abstract protected static function wrong_code( \WP_Error $refusal ): bool;

	/**
	 * After WorkOS accepted the code: the WordPress user to sign in.
	 *
	 * @param array $auth WorkOS's authentication response.
	 * @param array $step The step.
	 * @return \WP_User|\WP_Error
	 */
	abstract protected static function complete( array $auth, array $step );

	/**
	 * Sends the browser to this step's code form, with `$data` in a signed
	 * token bound to this browser. Never returns.
	 *
	 * @param array $data What the step needs later (see step()).
	 * @return never
	 */
	protected static function begin( array $data ): void {
		// What led here (a password) was right: that attempt was no failure;
		// the code now asked for is limited on its own.
		LoginLimits::succeeded();
		$token = Flow::issue( array_merge( array( 'k' => static::ACTION ), $data ) );
		wp_safe_redirect(
			add_query_arg(
				array(
					'action' => static::ACTION,
					'token'  => rawurlencode( $token ),
				),
				wp_login_url()
			)
		);
		exit;
	}

	/**
	 * login_form_{ACTION}: the code form (GET) and its check (POST). Never
	 * returns, unless the plugin cannot sign anyone in (WordPress then shows
	 * its login form).
	 */
	public static function handle(): void {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return;
		}
		nocache_headers();
		$token = CodeForm::submitted_token();
		$step  = self::read( $token );
		if ( null === $step ) {
			self::render( '', array(), new \WP_Error( 'invalid_token', static::expired() ) );
		}
		if ( 'POST' !== ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) ) {
			self::render( $token, $step );
		}
		// Counted before WorkOS checks the code (atomic: parallel guesses
		// cannot all pass), per step, per person and per client.
		$limits = static::limits( $token, $step );
		$wait   = Throttle::take( $limits );
		if ( $wait > 0 ) {
			self::render( $token, $step, Throttle::error( $wait ) );
		}
		$auth = SignIn::grant( static::grant( $step, CodeForm::submitted_code() ) );
		if ( is_wp_error( $auth ) ) {
			if ( static::wrong_code( $auth ) ) {
				// A wrong code is a failed sign-in too (logged within the guess limits taken above).
				Log::event( 'login_failed', self::failure_context( $step ) );
				self::render( $token, $step, new \WP_Error( 'invalid_code', __( 'That code is not valid or has expired. Check the code in the latest email and try again.', 'workos' ) ) );
			}
			Throttle::refund( $limits ); // Not a guess that failed.
			// When WorkOS could not be asked, the code may still be good: say
			// so and keep the form for another try. Anything else ends here.
			self::render( $token, 'workos_unreachable' === $auth->get_error_code() ? $step : array(), $auth );
		}
		Throttle::refund( $limits );
		$user = static::complete( $auth, $step );
		if ( is_wp_error( $user ) ) {
			self::render( '', array(), $user );
		}
		Flow::clear();
		SignIn::finish( $user );
	}

	/**
	 * Who a wrong code was typed for: the account (fallback confirmation)
	 * or the address WorkOS emailed (email verification).
	 *
	 * @param array $step The step.
	 */
	private static function failure_context( array $step ): array {
		$who = isset( $step['user'] ) && $step['user'] instanceof \WP_User
			? array( 'user_id' => $step['user']->ID )
			: array( 'login' => is_string( $step['e'] ?? null ) ? $step['e'] : '' );
		return array_merge(
			array(
				'reason' => 'invalid_code',
				'method' => static::ACTION,
			),
			$who
		);
	}

	/**
	 * The step a token was issued for, in this browser.
	 *
	 * @param string $token Signed token.
	 */
	private static function read( string $token ): ?array {
		if ( '' === $token || ! Flow::bound() ) {
			return null;
		}
		try {
			$data = Flow::verify( $token )['data'];
		} catch ( \WorkOS\Native\Exception $e ) {
			return null;
		}
		return is_array( $data ) && static::ACTION === ( $data['k'] ?? '' ) ? static::step( $data ) : null;
	}

	/**
	 * The code form, with an error when there is one. Never returns.
	 *
	 * @param string         $token The step's token.
	 * @param array          $step  The step; empty for no form (a dead end with a link back).
	 * @param \WP_Error|null $error What went wrong.
	 * @return never
	 */
	private static function render( string $token, array $step, ?\WP_Error $error = null ): void {
		CodeForm::render( static::ACTION, $token, static::title(), $step ? static::ask( $step ) : '', $error, (bool) $step );
	}
}
