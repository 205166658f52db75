<?php
/**
 * The hosted login API's refusals, in WordPress's REST error format.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

defined( 'ABSPATH' ) || exit;

/**
 * `{code, message, data:{status, …}}` errors with the reference plugin's
 * codes, and the sign-in pipeline's refusals translated to them — WorkOS's
 * own body never reaches the browser.
 */
final class AuthError {

	/**
	 * A REST error.
	 *
	 * @param string $code    Machine-readable code.
	 * @param string $message What the visitor reads.
	 * @param int    $status  HTTP status.
	 * @param array  $data    More data (retry_after, …).
	 */
	public static function make( string $code, string $message, int $status, array $data = array() ): \WP_Error {
		return new \WP_Error( $code, $message, array_merge( $data, array( 'status' => $status ) ) );
	}

	/**
	 * Bad or missing input.
	 *
	 * @param string $message What is wrong.
	 */
	public static function invalid_input( string $message ): \WP_Error {
		return self::make( 'workos_authkit_invalid_input', $message, 400 );
	}

	/**
	 * The answer to a wrong password — whether or not the address has an
	 * account — always this one (same code, words and status).
	 */
	public static function invalid_credentials(): \WP_Error {
		return self::make( 'workos_authkit_invalid_credentials', __( 'The email address or password is incorrect. Check them and try again.', 'workos' ), 401 );
	}

	/**
	 * The answer to a wrong, spent or expired code — whoever the address is.
	 */
	public static function invalid_code(): \WP_Error {
		return self::make( 'workos_authkit_invalid_code', __( 'That code is not right or has expired. Check the latest email, or send a new code.', 'workos' ), 400 );
	}

	/**
	 * A refusal of SignIn::grant() (WorkOS) as the API's error: guesses get
	 * the uniform answers above, the rest keep the pipeline's code and
	 * message (written for visitors) without WorkOS's body.
	 *
	 * @param \WP_Error $error The pipeline's refusal.
	 */
	public static function from_pipeline( \WP_Error $error ): \WP_Error {
		$code = (string) $error->get_error_code();
		if ( in_array( $code, array( 'invalid_credentials', 'user_not_found' ), true ) ) {
			return self::invalid_credentials();
		}
		if ( in_array( $code, array( 'invalid_one_time_code', 'one_time_code_expired', 'one_time_code_previously_used', 'magic_auth_code_expired' ), true ) ) {
			return self::invalid_code();
		}
		if ( 'workos_unreachable' === $code ) {
			return self::make( $code, $error->get_error_message(), 502 );
		}
		$data   = $error->get_error_data();
		$status = is_array( $data ) && is_int( $data['status'] ?? null ) ? $data['status'] : 403;
		return self::make( $code, $error->get_error_message(), $status >= 400 ? $status : 403 );
	}
}
