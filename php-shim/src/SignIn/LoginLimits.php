<?php
/**
 * What a password or code guess is counted against, and when it counts.
 *
 * One rule for every guess: the attempt is taken from its buckets *before*
 * the secret is checked (Throttle::take, atomic), and given back when it was
 * not a failure. Counting afterwards would let concurrent guesses all pass
 * the check before the first failure is written.
 *
 * The account is the WordPress user the text typed resolves to, not the text
 * itself, so login, email and case variants share one bucket.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Net;
use WorkOS_WP\Throttle;
use WorkOS_WP\Users\AccountLock;
use WorkOS_WP\Users\Sessions;

defined( 'ABSPATH' ) || exit;

/**
 * Rate-limit keys and the take/refund bracket of one sign-in attempt.
 */
final class LoginLimits {

	/**
	 * The buckets taken by the password attempt in progress.
	 *
	 * @var array<int, array{0: string, 1: string}>
	 */
	private static $taken = array();

	/**
	 * The account a login or email designates: the WordPress user WordPress
	 * itself would check the password of (login first, then email), else
	 * the canonical address, else the lowercased text.
	 *
	 * @param string $typed Login or email as typed.
	 */
	public static function account( string $typed ): string {
		$typed = trim( $typed );
		if ( '' === $typed ) {
			return '';
		}
		$user = get_user_by( 'login', $typed );
		if ( ! $user && is_email( $typed ) ) {
			$user = get_user_by( 'email', $typed );
		}
		if ( $user ) {
			return 'user:' . $user->ID;
		}
		return false !== strpos( $typed, '@' ) ? AccountLock::email( $typed ) : 'login:' . strtolower( $typed );
	}

	/**
	 * The buckets of one password attempt: the account from this client,
	 * the account from anywhere (a far higher ceiling) and this client.
	 *
	 * @param string $typed Login or email as typed.
	 * @return array<int, array{0: string, 1: string}>
	 */
	public static function password_limits( string $typed ): array {
		$account = self::account( $typed );
		$ip      = Net::client_ip();
		return array(
			array( 'login_account_client', $account . '|' . $ip ),
			array( 'login_account', $account ),
			array( 'login_ip', $ip ),
		);
	}

	/**
	 * The buckets of one emailed-code attempt: this step, the person from
	 * this client (so a renewed step does not start from zero), the person
	 * from anywhere (a higher ceiling: one client cannot lock its owner
	 * out) and this client.
	 *
	 * @param string $step    The step (its token).
	 * @param string $account The person: account() or 'user:ID'.
	 * @return array<int, array{0: string, 1: string}>
	 */
	public static function code_limits( string $step, string $account ): array {
		return array(
			array( 'code', $step ),
			array( 'code_account_client', $account . '|' . Net::client_ip() ),
			array( 'code_account', $account ),
			array( 'code_ip', Net::client_ip() ),
		);
	}

	/**
	 * Before a password is checked: takes the attempt (see Throttle::take)
	 * and arranges for it to be given back if the sign-in succeeds.
	 *
	 * @param string $typed Login or email as typed.
	 * @return int Seconds to wait; 0 when the attempt may go ahead.
	 */
	public static function begin( string $typed ): int {
		ProxyCheck::note();
		$limits = self::password_limits( $typed );
		$wait   = Throttle::take( $limits );
		if ( 0 === $wait ) {
			self::$taken = array_merge( self::$taken, $limits );
			if ( false === has_filter( 'authenticate', array( self::class, 'settle' ) ) ) {
				add_filter( 'authenticate', array( self::class, 'settle' ), PHP_INT_MAX );
			}
		}
		return $wait;
	}

	/**
	 * Last on `authenticate`: a sign-in that got in, or that failed for a
	 * reason no guess caused, was not a failure.
	 *
	 * @param \WP_User|\WP_Error|null $user The final result.
	 * @return \WP_User|\WP_Error|null Unchanged.
	 */
	public static function settle( $user ) {
		$not_a_guess = $user instanceof \WP_Error && array_intersect( $user->get_error_codes(), array( 'workos_unreachable', 'account_busy' ) );
		if ( $user instanceof \WP_User || $not_a_guess ) {
			self::succeeded();
		}
		if ( $user instanceof \WP_User ) {
			Sessions::serialize(); // The session WordPress writes next.
		}
		self::$taken = array();
		return $user;
	}

	/**
	 * The password was right (the next step is an emailed code, which has
	 * limits of its own): the attempt is given back.
	 */
	public static function succeeded(): void {
		if ( self::$taken ) {
			Throttle::refund( self::$taken );
			self::$taken = array();
		}
	}
}
