<?php
/**
 * Email + password sign-ins (WordPress's `authenticate` filter): checked by
 * WorkOS in headless mode, WordPress's own check only as an allowed fallback
 * or under the `?workos=0` bypass (Bypass).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Settings;
use WorkOS_WP\Throttle;
use WorkOS_WP\Users\EmailKey;
use WorkOS_WP\Users\Users;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * The authenticate filter, in three steps around WordPress's own check
 * (priority 20): before (10), after (25) and a last word (99).
 */
final class PasswordLogin {

	public const PASSWORD_GRANT = 'password';

	/** $fallback_reason of a redirect-mode sign-in that WordPress's password check decides. */
	private const REDIRECT_FALLBACK = 'redirect';

	/** $fallback_reason of a sign-in under the `?workos=0` bypass (Bypass): WordPress alone decides. */
	private const BYPASS = 'bypass';

	/**
	 * Why WorkOS did not accept the password, when WordPress may still try
	 * (REDIRECT_FALLBACK: WordPress alone decides); '' when no fallback runs.
	 *
	 * @var string
	 */
	private static $fallback_reason = '';

	/**
	 * Priority 10: WorkOS decides first.
	 *
	 * @param \WP_User|\WP_Error|null $user     Result so far.
	 * @param string                  $username Login or email.
	 * @param string                  $password Password.
	 * @return \WP_User|\WP_Error|null
	 */
	public static function authenticate( $user, $username, $password ) {
		self::$fallback_reason = '';
		if ( $user instanceof \WP_User || ! is_string( $username ) || ! is_string( $password ) || '' === $username || '' === $password ) {
			return $user;
		}
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return $user;
		}
		// Guessing is slowed per account (per client, and a far higher ceiling
		// from anywhere) and per client IP, whichever path would check the
		// password: the attempt is counted now, atomically, and given back if
		// it succeeds (LoginLimits).
		$wait = LoginLimits::begin( $username );
		if ( $wait > 0 ) {
			self::without_wordpress_passwords();
			return Throttle::error( $wait );
		}
		if ( Bypass::active() ) {
			// The break-glass the site owner opted into in code: WordPress's
			// password check decides, in every mode and even with WordPress
			// passwords off; nothing goes to WorkOS and nothing is linked.
			// after_wordpress() logs the outcome, priority 99 still refuses
			// deactivated accounts.
			self::$fallback_reason = self::BYPASS;
			return $user;
		}
		$fallback = Settings::flag( 'allow_password_fallback' );
		if ( 'headless' !== Settings::get( 'login_mode' ) ) {
			if ( $fallback ) {
				// WordPress's password check is this sign-in: after_wordpress() logs its outcome.
				self::$fallback_reason = self::interactive() ? self::REDIRECT_FALLBACK : '';
				return $user;
			}
			self::without_wordpress_passwords();
			return new \WP_Error( 'workos_sso_only', __( 'Passwords are not accepted here: please sign in with WorkOS.', 'workos' ) );
		}

		// Only WordPress's own sign-in form sends a password to WorkOS (and
		// may link, confirm by email or write a password through). XML-RPC,
		// the REST API and anything else that checks passwords get WordPress's
		// answer when passwords are allowed — application passwords, which
		// are WordPress's own credentials for those APIs, included — and
		// nothing leaves the site.
		if ( ! self::interactive() ) {
			if ( ! $fallback ) {
				self::without_wordpress_passwords();
			}
			return $user;
		}

		$email = self::email_for( $username );
		$auth  = SignIn::grant(
			array(
				'grant_type' => self::PASSWORD_GRANT,
				'email'      => $email,
				'password'   => $password,
			)
		);
		if ( is_wp_error( $auth ) ) {
			$code = $auth->get_error_code();
			if ( $fallback && in_array( $code, array( 'invalid_credentials', 'workos_unreachable' ), true ) ) {
				// Not a failure yet: WordPress's password may still get in, and
				// after_wordpress() logs whichever way it goes.
				self::$fallback_reason = $code;
				return $user;
			}
			Log::event( 'login_failed', self::attempt_context( $username, $code, 'headless' ) );
			// The next step, not a dead end: enter the emailed code.
			if ( 'email_verification_required' === $code ) {
				EmailVerification::start( (array) ( $auth->get_error_data()['body'] ?? array() ) );
			}
			if ( 'invalid_credentials' === $code ) {
				add_filter( 'wp_login_errors', array( self::class, 'keep_typed_login' ) );
			}
			self::without_wordpress_passwords();
			return $auth;
		}
		$signed = SignIn::complete( $auth, 'headless' );
		if ( is_wp_error( $signed ) ) {
			self::without_wordpress_passwords();
		}
		return $signed;
	}

	/**
	 * Priority 25: WordPress accepted a password WorkOS did not. The account
	 * is linked to WorkOS — after an emailed code when confirmation is on,
	 * else by writing the password through.
	 *
	 * @param \WP_User|\WP_Error|null $user     Result so far.
	 * @param string                  $username Login or email.
	 * @param string                  $password Password.
	 * @return \WP_User|\WP_Error|null
	 */
	public static function after_wordpress( $user, $username, $password ) {
		$reason                = self::$fallback_reason;
		self::$fallback_reason = '';
		if ( '' === $reason ) {
			return $user; // No password fallback of a sign-in form: nothing to log or link.
		}
		// WordPress's check decided this attempt: its outcome is logged here,
		// once (a WorkOS refusal it overrules was no failure).
		if ( is_wp_error( $user ) ) {
			Log::event( 'login_failed', self::fallback_failure( $user, (string) $username, $reason ) );
			return $user;
		}
		if ( ! $user instanceof \WP_User || Users::is_deactivated( $user->ID ) ) {
			return $user; // A deactivated account is refused (and logged) at priority 99.
		}
		if ( self::BYPASS === $reason ) {
			Log::event( 'login', array( 'user_id' => $user->ID, 'method' => self::BYPASS ) );
			return $user; // WorkOS was bypassed on purpose: nothing to link.
		}
		if ( 'invalid_credentials' !== $reason || did_action( 'application_password_did_authenticate' ) ) {
			// Redirect mode, or WorkOS unreachable: WordPress's answer stands,
			// linking waits. An application password is no WordPress password
			// to link with.
			$context = array(
				'user_id' => $user->ID,
				'method'  => 'password_fallback',
			);
			if ( self::REDIRECT_FALLBACK !== $reason ) {
				$context['workos_reason'] = $reason;
			}
			Log::event( 'login', $context );
			return $user;
		}
		if ( Settings::flag( 'fallback_confirmation' ) ) {
			// Redirects to the code form unless the code cannot be sent. Then,
			// as when WorkOS cannot be reached at all, WordPress's answer
			// stands (passwords are allowed) and only the linking waits: the
			// code guards the link, and must not lock the owner out.
			Confirmation::start( $user );
			Log::event( 'login', array( 'user_id' => $user->ID, 'method' => 'password_fallback' ) );
			return $user;
		}
		$linked = self::write_through( $user, (string) $password );
		if ( is_wp_error( $linked ) ) {
			Log::event(
				'fallback_link_failed',
				array(
					'user_id' => $user->ID,
					'reason'  => $linked->get_error_code(),
				)
			);
		}
		Log::event( 'login', array( 'user_id' => $user->ID, 'method' => 'password_fallback' ) );
		return $user;
	}

	/**
	 * What the log says about a password attempt: the login as typed (never
	 * the password) and the account it names, if any.
	 *
	 * @param mixed  $username What WordPress received as the login.
	 * @param string $reason   Why it failed.
	 * @param string $method   `headless`, `password_fallback` or `bypass`.
	 */
	private static function attempt_context( $username, string $reason, string $method ): array {
		$typed = is_string( $username ) ? $username : '';
		$user  = '' === $typed ? false : get_user_by( is_email( $typed ) ? 'email' : 'login', $typed );
		return array(
			'reason'  => $reason,
			'method'  => $method,
			'login'   => substr( $typed, 0, 100 ),
			'user_id' => $user ? $user->ID : 0,
		);
	}

	/**
	 * The log entry of a password fallback WordPress refused too.
	 *
	 * @param \WP_Error $error    WordPress's refusal.
	 * @param string    $username The login.
	 * @param string    $reason   $fallback_reason (WorkOS's refusal in headless mode,
	 *                             REDIRECT_FALLBACK or BYPASS).
	 */
	private static function fallback_failure( \WP_Error $error, string $username, string $reason ): array {
		if ( self::REDIRECT_FALLBACK === $reason || self::BYPASS === $reason ) {
			return self::attempt_context( $username, (string) $error->get_error_code(), self::BYPASS === $reason ? self::BYPASS : 'password_fallback' );
		}
		return array_merge( self::attempt_context( $username, $reason, 'headless' ), array( 'wordpress_reason' => (string) $error->get_error_code() ) );
	}

	/**
	 * Priority 99: a deactivated account gets in by no password.
	 *
	 * @param \WP_User|\WP_Error|null $user Result so far.
	 * @return \WP_User|\WP_Error|null
	 */
	public static function refuse_deactivated( $user ) {
		if ( $user instanceof \WP_User && Users::is_deactivated( $user->ID ) ) {
			Log::event( 'login_denied', array( 'reason' => 'account_deactivated', 'user_id' => $user->ID ) );
			return new \WP_Error( 'account_deactivated', SignIn::deactivated() );
		}
		return $user;
	}

	/**
	 * wp_authenticate_application_password_errors: no application password
	 * works for a deactivated account.
	 *
	 * @param \WP_Error $error Errors so far.
	 * @param \WP_User  $user  The user.
	 */
	public static function application_password_errors( $error, $user ): void {
		if ( $error instanceof \WP_Error && $user instanceof \WP_User && Users::is_deactivated( $user->ID ) ) {
			$error->add( 'account_deactivated', __( 'This account has been deactivated.', 'workos' ) );
		}
	}

	/**
	 * Makes the WordPress user's password the WorkOS one: updates the WorkOS
	 * user with this (verified) email, or creates it, and links them.
	 *
	 * @param \WP_User $user     The WordPress user.
	 * @param string   $password The password WordPress just accepted.
	 * @return true|\WP_Error
	 */
	private static function write_through( \WP_User $user, string $password ) {
		$linked_id = (string) get_user_meta( $user->ID, Users::META_ID, true );
		try {
			$client = Api::client();
			if ( '' !== $linked_id ) {
				// A link says nothing about today's mailboxes: the WorkOS user
				// must still have this account's address, verified.
				$linked = $client->getUser( $linked_id );
				$same   = self::same_verified_mailbox( $user, is_array( $linked ) ? $linked : array() );
				if ( is_wp_error( $same ) ) {
					return $same;
				}
				$client->updateUser( $linked_id, array( 'password' => $password ) );
				return true;
			}
			$found = $client->listUsers( array( 'email' => $user->user_email ) );
			$match = is_array( $found['data'][0] ?? null ) ? $found['data'][0] : null;
			if ( $match ) {
				// The mailbox owner at WorkOS must be proven before we take it
				// over, and WorkOS's search is not ours to trust.
				$same = self::same_verified_mailbox( $user, $match );
				if ( is_wp_error( $same ) ) {
					return $same;
				}
				if ( Users::find_linked( (string) $match['id'] ) ) {
					return new \WP_Error( 'already_linked', __( 'That WorkOS user is linked to another account.', 'workos' ) );
				}
				$client->updateUser( (string) $match['id'], array( 'password' => $password ) );
				$workos_id = (string) $match['id'];
			} else {
				$created   = $client->createUser(
					array(
						'email'      => $user->user_email,
						'password'   => $password,
						'first_name' => $user->first_name,
						'last_name'  => $user->last_name,
					)
				);
				$workos_id = (string) ( $created['id'] ?? '' );
			}
		} catch ( \WorkOS\Native\Exception $e ) {
			return new \WP_Error( 'workos_write_through_failed', $e->getMessage() );
		}
		Users::link( $user, $workos_id );
		return true;
	}

	/**
	 * Whether a WorkOS user is the owner of the WordPress account's mailbox:
	 * the same address (see EmailKey::of()) and verified at WorkOS. The
	 * one rule before a WordPress password is written to a WorkOS user.
	 *
	 * @param \WP_User $user        The WordPress user.
	 * @param array    $workos_user The WorkOS user.
	 * @return true|\WP_Error
	 */
	private static function same_verified_mailbox( \WP_User $user, array $workos_user ) {
		if ( true !== ( $workos_user['email_verified'] ?? null ) ) {
			return new \WP_Error( 'email_not_verified', __( 'The WorkOS user with this email is not verified.', 'workos' ) );
		}
		$key = EmailKey::of( $workos_user['email'] ?? null );
		if ( null === $key || EmailKey::of( $user->user_email ) !== $key ) {
			return new \WP_Error( 'email_mismatch', __( 'The WorkOS user has a different email address.', 'workos' ) );
		}
		return true;
	}

	/**
	 * Whether this password comes from WordPress's interactive sign-in form
	 * (wp-login.php): not XML-RPC, not the REST API. Forms of other plugins
	 * that call wp_signon() may opt in with the `workos_interactive_login`
	 * filter.
	 */
	private static function interactive(): bool {
		if ( ( defined( 'XMLRPC_REQUEST' ) && XMLRPC_REQUEST ) || ( defined( 'REST_REQUEST' ) && REST_REQUEST ) || wp_doing_ajax() ) {
			return false;
		}
		/**
		 * Whether this sign-in came from a person at a sign-in form (whose
		 * password WorkOS may check, and write through). Default: wp-login.php.
		 *
		 * @param bool $interactive Whether it did.
		 */
		return (bool) apply_filters( 'workos_interactive_login', did_action( 'login_init' ) > 0 );
	}

	/**
	 * The email WorkOS knows a login by: the username itself when it is an
	 * address, else the matching WordPress account's email.
	 *
	 * @param string $username What was typed.
	 */
	private static function email_for( string $username ): string {
		// wp_authenticate() has already run the login through sanitize_user(),
		// which turns "ä" into "a": WorkOS is asked about the address the
		// visitor typed, never a rewritten one (see EmailKey::of()).
		$typed = isset( $_POST['log'] ) && is_string( $_POST['log'] ) ? trim( wp_unslash( $_POST['log'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Missing, WordPress.Security.ValidatedSanitizedInput -- compared, never stored or printed.
		if ( '' !== $typed && $typed !== $username && false !== strpos( $typed, '@' ) && sanitize_user( $typed ) === $username ) {
			return $typed;
		}
		if ( is_email( $username ) ) {
			return $username;
		}
		$user = get_user_by( 'login', $username );
		return $user ? $user->user_email : $username;
	}

	/**
	 * wp_login_errors, after WorkOS refused a password: wp-login.php keeps
	 * the typed email in the form only for its own `incorrect_password`
	 * code, so the refusal is shown under that code (same message). Only
	 * the page's rendering changes; the sign-in's result and log keep
	 * WorkOS's code.
	 *
	 * @param \WP_Error $errors The errors wp-login.php is about to show.
	 * @return \WP_Error
	 */
	public static function keep_typed_login( $errors ) {
		if ( ! $errors instanceof \WP_Error || 'invalid_credentials' !== $errors->get_error_code() ) {
			return $errors;
		}
		$shown = new \WP_Error();
		foreach ( $errors->get_error_codes() as $code ) {
			foreach ( $errors->get_error_messages( $code ) as $message ) {
				$shown->add( 'invalid_credentials' === $code ? 'incorrect_password' : $code, $message, $errors->get_error_data( $code ) );
			}
		}
		return $shown;
	}

	/**
	 * WordPress's own password checks must not overrule a refusal.
	 */
	private static function without_wordpress_passwords(): void {
		remove_filter( 'authenticate', 'wp_authenticate_username_password', 20 );
		remove_filter( 'authenticate', 'wp_authenticate_email_password', 20 );
	}
}
