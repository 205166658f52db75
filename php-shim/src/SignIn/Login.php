<?php
/**
 * wp-login.php's own screens in redirect mode: sign-in, registration and
 * lost password go to AuthKit; in custom mode the sign-in screen is the
 * hosted login (Hosted\Entry).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Settings;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * The `login_form_{action}` handlers of wp-login.php's screens (see
 * add_hooks(); the code steps and logout have their own). Registration and
 * lost password go to WorkOS unless WordPress passwords are allowed;
 * `?fallback=1` shows WordPress's own form when they are. An active
 * `?workos=0` bypass (Bypass, opted into in code) leaves the sign-in and
 * lost-password screens to WordPress whatever the mode and the fallback
 * setting (registration keeps the usual rules). POSTed forms are
 * judged by the authenticate filter (PasswordLogin), and everything is left
 * to WordPress when the extension is missing.
 */
final class Login {

	/**
	 * Whether no AuthKit URL could be made in this request (then no link
	 * to single sign-on is offered: it would fail again).
	 *
	 * @var bool
	 */
	private static $unavailable = false;

	/**
	 * login_form_login: the sign-in screen goes to AuthKit (redirect mode).
	 */
	public static function on_login(): void {
		// WordPress shows its sign-in screen for actions it does not know;
		// only a request for that screen (or none) is sent on.
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only routing of GET requests.
		$asked = isset( $_REQUEST['action'] ) ? sanitize_key( wp_unslash( $_REQUEST['action'] ) ) : 'login';
		if ( 'login' !== $asked || ! self::ready() ) {
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only routing.
		$fallback = ! empty( $_GET['fallback'] ) && Settings::flag( 'allow_password_fallback' );
		$mode     = Settings::get( 'login_mode' );
		if ( Bypass::active() || $fallback || 'headless' === $mode ) {
			return;
		}
		// The hosted login: the profile Routing chooses takes the screen over
		// (take_over() exits), unless that profile signs in on AuthKit.
		$profile = 'custom' === $mode ? Hosted\Entry::take_over() : null;
		self::to_authkit( '', $profile );
	}

	/**
	 * login_form_register: the hosted login's sign-up step (custom mode) or
	 * AuthKit's sign-up, unless WordPress passwords (and so its
	 * registration) are allowed.
	 */
	public static function on_register(): void {
		if ( self::ready() && ! Settings::flag( 'allow_password_fallback' ) ) {
			// The routed profile's page opens on its sign-up step when it allows sign-up
			// (Hosted\Signup::entry_step() reads `action`); take_over() exits, unless
			// that profile signs in on AuthKit.
			$profile = 'custom' === Settings::get( 'login_mode' ) ? Hosted\Entry::take_over() : null;
			self::to_authkit( 'sign-up', $profile );
		}
	}

	/**
	 * login_form_lostpassword / login_form_retrievepassword: the hosted
	 * login's reset step (custom mode) or AuthKit's page offers the reset
	 * (the password lives at WorkOS), unless WordPress passwords are allowed.
	 */
	public static function on_lost_password(): void {
		if ( self::ready() && ! Settings::flag( 'allow_password_fallback' ) && ! Bypass::active() ) {
			// The hosted login (custom mode): the routed profile's page opens on its reset step
			// (Hosted\Reset::entry_context() reads `action`); take_over() exits, unless that
			// profile signs in on AuthKit.
			$profile = 'custom' === Settings::get( 'login_mode' ) ? Hosted\Entry::take_over() : null;
			self::to_authkit( '', $profile );
		}
	}

	/**
	 * login_form: below the password of WordPress's own form in redirect
	 * mode (`?fallback=1`, or the form shown again after a refused
	 * password), the way back to single sign-on — wp-login.php without
	 * `fallback`, which goes to AuthKit — keeping `redirect_to`. Not in
	 * headless mode (that form is the WorkOS sign-in itself), not in the
	 * re-authentication popup, not when AuthKit just failed.
	 */
	public static function sso_link(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only: which link to print.
		// Not on the hosted login's card (Hosted\Slots): the link would lead back to it.
		if ( self::$unavailable || Hosted\Slots::capturing() || isset( $_REQUEST['interim-login'] ) || ! extension_ready() || ! Settings::is_configured() || 'headless' === Settings::get( 'login_mode' ) ) {
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- a URL, encoded by wp_login_url() and escaped below; Redirects judges it at sign-in.
		$requested = isset( $_REQUEST['redirect_to'] ) && is_string( $_REQUEST['redirect_to'] ) ? wp_unslash( $_REQUEST['redirect_to'] ) : '';
		printf(
			'<p class="workos-sso-alt"><a class="button button-large workos-sso-link" href="%1$s">%2$s</a></p>',
			esc_url( wp_login_url( $requested ) ),
			esc_html__( 'Sign in with single sign-on', 'workos' )
		);
	}

	/**
	 * login_enqueue_scripts: the link of sso_link() as a full-width
	 * secondary button under the password, apart from WordPress's own
	 * "Remember Me" and "Log In" row.
	 */
	public static function styles(): void {
		wp_add_inline_style(
			'login',
			'.login .workos-sso-alt{clear:both;margin:0;padding-bottom:20px}'
			. '.login .workos-sso-alt .workos-sso-link{display:block;width:100%;box-sizing:border-box;text-align:center}'
		);
	}

	/**
	 * Whether the plugin signs people in on this request: configured, and a
	 * plain page view (a POSTed form is the authenticate filter's; an
	 * interim login is WordPress's re-authentication popup).
	 */
	private static function ready(): bool {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only routing.
		return extension_ready() && Settings::is_configured() && 'GET' === ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) && ! isset( $_GET['interim-login'] );
	}

	/**
	 * Sends the visitor to AuthKit and stops — or back to the site when
	 * there is nothing to sign in to; returns only when AuthKit is
	 * unavailable (WordPress then shows its form with the reason).
	 *
	 * @param string                            $screen  `sign-up` to open AuthKit's registration.
	 * @param \WorkOS_WP\Profiles\Profile|null $profile The `authkit_redirect` Login Profile the
	 *                                                    hosted login routed to (null: none).
	 */
	private static function to_authkit( string $screen, $profile = null ): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only routing of GET requests.
		$requested = isset( $_GET['redirect_to'] ) ? (string) wp_unslash( $_GET['redirect_to'] ) : '';
		$hint      = isset( $_GET['login_hint'] ) ? sanitize_email( wp_unslash( $_GET['login_hint'] ) ) : '';
		$reauth    = ! empty( $_GET['reauth'] );
		$loggedout = isset( $_GET['loggedout'] );
		// phpcs:enable

		// Straight back to AuthKit after signing out would sign the visitor in
		// again through their WorkOS session; land them on the site instead.
		if ( $loggedout ) {
			wp_safe_redirect( Redirects::after_signed_out() );
			exit;
		}
		if ( is_user_logged_in() && ! $reauth ) {
			wp_safe_redirect( Redirects::safe_target( $requested ) );
			exit;
		}
		try {
			$url = AuthKit::authorization_url( $requested, $hint, $screen, $profile, $reauth );
		} catch ( \WorkOS\Native\Exception $e ) {
			// A broken configuration must not lock everyone out: say so and
			// let WordPress show its own form. What broke is the
			// administrator's business (Site Health names it), not the
			// visitor's: they read what still works.
			self::$unavailable = true;
			$message           = Settings::flag( 'allow_password_fallback' )
				? __( 'Single sign-on is not working on this site right now. You can sign in with your password below; if you do not have one, contact your site administrator.', 'workos' )
				: __( 'Single sign-on is not working on this site right now, so you cannot sign in. Please contact your site administrator.', 'workos' );
			add_filter(
				'wp_login_errors',
				static function ( $errors ) use ( $message ) {
					$errors->add( 'workos_unavailable', esc_html( $message ) );
					return $errors;
				}
			);
			return;
		}
		nocache_headers();
		// The AuthKit host is not ours, so wp_safe_redirect() would refuse it.
		wp_redirect( $url ); // phpcs:ignore WordPress.Security.SafeRedirect.wp_redirect_wp_redirect
		exit;
	}
}
