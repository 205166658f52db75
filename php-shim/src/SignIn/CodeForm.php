<?php
/**
 * The "enter the code we emailed you" page on wp-login.php, shared by the
 * fallback confirmation and the email verification of a headless sign-in.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

defined( 'ABSPATH' ) || exit;

/**
 * Renders a one-time-code form in WordPress's login page style.
 */
final class CodeForm {

	/**
	 * Shows the page and stops.
	 *
	 * @param string         $action  The wp-login.php action that takes the code.
	 * @param string         $token   The signed, browser-bound token of this step.
	 * @param string         $title   Page title.
	 * @param string         $message What to do ('' when showing only an error).
	 * @param \WP_Error|null $error   What went wrong.
	 * @param bool           $form    Whether to show the form (false: a dead end, link back).
	 * @return never
	 */
	public static function render( string $action, string $token, string $title, string $message, ?\WP_Error $error, bool $form ): void {
		// After a wrong code the visitor still needs to know where the code went.
		$errors = new \WP_Error();
		if ( '' !== $message && ( ! $error || $form ) ) {
			$errors->add( 'workos_code_sent', esc_html( $message ), 'message' );
		}
		if ( $error ) {
			$errors->merge_from( $error );
		}
		nocache_headers();
		status_header( $error ? 400 : 200 );
		login_header( $title, '', $errors );
		if ( $form ) {
			printf(
				'<form name="workos-code" id="workos-code-form" method="post" action="%1$s"><p><label for="workos-code">%2$s</label><input type="text" name="code" id="workos-code" class="input" inputmode="numeric" autocomplete="one-time-code" size="20" /></p><input type="hidden" name="token" value="%3$s" /><p class="submit"><input type="submit" class="button button-primary button-large" value="%4$s" /></p></form>',
				esc_url( add_query_arg( 'action', $action, wp_login_url() ) ),
				esc_html__( 'Code', 'workos' ),
				esc_attr( $token ),
				esc_attr__( 'Confirm', 'workos' )
			);
			// A way out that does not depend on the code ever arriving.
			printf( '<p id="nav"><a href="%s">%s</a></p>', esc_url( wp_login_url() ), esc_html__( 'Start over', 'workos' ) );
		} else {
			printf( '<p id="nav"><a href="%s">%s</a></p>', esc_url( wp_login_url() ), esc_html__( 'Sign in again', 'workos' ) );
		}
		login_footer();
		exit;
	}

	/**
	 * The code typed, digits only.
	 */
	public static function submitted_code(): string {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- the browser-bound signed token is the nonce.
		return isset( $_POST['code'] ) ? (string) preg_replace( '/\D/', '', (string) wp_unslash( $_POST['code'] ) ) : '';
	}

	/**
	 * The token of this step, as posted or in the URL.
	 */
	public static function submitted_token(): string {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- it is verified by the caller.
		return isset( $_REQUEST['token'] ) ? (string) wp_unslash( $_REQUEST['token'] ) : '';
	}
}
