<?php
/**
 * Rate limits on guessing: failed sign-ins per account and per client IP,
 * and wrong one-time codes per step. The decision is the extension's
 * (WorkOS\Native\RateLimit, GCRA); the state is one row per key in the
 * WordPress database, so every web node sees the same limits.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Counts failures and refuses attempts over the limit.
 */
final class Throttle {

	/**
	 * Rules: [attempts, per seconds]. Filter `workos_rate_limits` to change.
	 * Per IP is generous: offices and schools share one address. An account
	 * is limited per client first (`login_account_client`), so an attacker
	 * elsewhere cannot lock its owner out; the account-wide ceiling is far
	 * higher and only stops guessing spread over many addresses.
	 */
	public const RULES = array(
		'login_account_client' => array( 5, 900 ),
		'login_account'        => array( 100, 900 ),
		'login_ip'             => array( 50, 300 ),
		// Wrong emailed codes: per step, per person and client (a renewed
		// step does not start again from zero) and per client address; the
		// person's ceiling from anywhere is higher than one client may go,
		// so nobody locks another out of their codes.
		'code'                 => array( 5, 600 ),
		'code_account_client'  => array( 10, 3600 ),
		'code_account'         => array( 30, 3600 ),
		'code_ip'              => array( 30, 600 ),
		// Bad webhook signatures per sending address.
		'webhook_rejected'     => array( 30, 300 ),
		// The hosted login's API (SignIn\Hosted\AuthRest), the reference's
		// buckets: every request counts (sign-ins that succeed are given
		// back), per client address, and per address typed from that client
		// (`*_email`: so that nobody elsewhere can lock its owner out; the
		// account-wide ceilings are login_account, code_account and
		// magic_send_account).
		'password_ip'          => array( 10, 60 ),
		'password_email'       => array( 5, 60 ),
		'magic_send_ip'        => array( 10, 60 ),
		'magic_send_email'     => array( 5, 600 ),
		'magic_send_account'   => array( 20, 3600 ),
		'magic_verify_ip'      => array( 10, 60 ),
		'magic_verify_email'   => array( 5, 60 ),
		'oauth_url_ip'         => array( 20, 60 ),
		// Passkey sign-in (Passkeys\Rest): options and answers per client address.
		'passkey_ip'           => array( 20, 60 ),
		// Change of email (Users\EmailChangeRest): codes sent per account and per
		// client address (the reference's defaults), codes tried per account.
		'email_change_user'    => array( 3, 3600 ),
		'email_change_ip'      => array( 10, 3600 ),
		'email_change_confirm' => array( 10, 3600 ),
		// Password reset (Hosted\ResetRest): links asked for per client, per address from that
		// client and per address from anywhere (an inbox is not flooded); tokens tried per client.
		'pw_reset_ip'          => array( 10, 60 ),
		'pw_reset_email'       => array( 5, 600 ),
		'pw_reset_account'     => array( 20, 3600 ),
		'pw_reset_confirm_ip'  => array( 10, 60 ),
		// "Send password reset email" for an account (Users\PasswordResetRest), the reference's
		// defaults: per client, and per account (its owner's inbox is not flooded).
		'pw_reset_admin_ip'    => array( 10, 60 ),
		'pw_reset_admin_user'  => array( 5, 600 ),
		// The MFA step of a hosted sign-in (Hosted\MfaRest): challenges per client and per
		// factor (codes sent by SMS cost someone a message), codes per client and per person.
		'mfa_challenge_ip'     => array( 10, 60 ),
		'mfa_challenge_factor' => array( 5, 60 ),
		'mfa_verify_ip'        => array( 10, 60 ),
		'mfa_verify_user'      => array( 5, 300 ),
		// …and per person from anywhere: whoever has the password cannot spread guesses at the
		// second factor over many addresses (10 an hour: a six-digit code is out of reach).
		'mfa_verify_account'   => array( 10, 3600 ),
		// A signed-in person's own factors (Hosted\FactorsRest): enrolments per person (each SMS one
		// texts a code), first codes tried per person.
		'mfa_enroll_user'      => array( 10, 3600 ),
		// Every text message costs the site's WorkOS account: a daily budget for the whole site,
		// so accounts made for the purpose cannot run up a bill (raise it with the filter).
		'sms_site'             => array( 300, 86400 ),
		'mfa_confirm_user'     => array( 5, 300 ),
		// Invitations (Hosted\InvitationRest): look-ups per client; acceptances per client and per
		// invitation (its link is no licence to guess an existing account's password).
		'invitation_lookup_ip' => array( 10, 60 ),
		'invitation_accept_ip' => array( 10, 60 ),
		'invitation_token'     => array( 5, 600 ),
		// Sign-up (Hosted\SignupRest): accounts created per client, per address from that client
		// and per address from anywhere (each sends a code or a notice); codes tried per client.
		'signup_ip'            => array( 5, 60 ),
		'signup_email'         => array( 3, 60 ),
		'signup_account'       => array( 10, 3600 ),
		'signup_verify_ip'     => array( 10, 60 ),
	);

	/** Attempts to take a set of buckets when InnoDB picks us as a deadlock victim. */
	private const TRIES = 3;

	/**
	 * Seconds until `$key` may try again under `$rule`; 0 when it may now.
	 * Looking costs nothing: only failures are counted.
	 *
	 * @param string $rule Rule name.
	 * @param string $key  What is limited (account, IP, token).
	 */
	public static function wait( string $rule, string $key ): int {
		global $wpdb;
		if ( ! extension_ready() || '' === $key ) {
			return 0;
		}
		Schema::ensure();
		list( $limit, $period ) = self::rule( $rule );
		$tat                    = (int) $wpdb->get_var( $wpdb->prepare( 'SELECT tat_ms FROM ' . Schema::table( 'rate_limits' ) . ' WHERE bucket = %s', self::bucket( $rule, $key ) ) ); // phpcs:ignore WordPress.DB
		$d                      = \WorkOS\Native\RateLimit::check( $tat, self::now_ms(), $limit, $period );
		return $d['allowed'] ? 0 : (int) ceil( $d['retry_after_ms'] / 1000 );
	}

	/**
	 * Counts one failure (atomically, across nodes).
	 *
	 * @param string $rule Rule name.
	 * @param string $key  What is limited.
	 */
	public static function fail( string $rule, string $key ): void {
		global $wpdb;
		if ( ! extension_ready() || '' === $key ) {
			return;
		}
		Schema::ensure();
		list( $limit, $period ) = self::rule( $rule );
		$table                  = Schema::table( 'rate_limits' );
		$bucket                 = self::bucket( $rule, $key );
		$wpdb->query( 'START TRANSACTION' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$tat = (int) Schema::lock_row( 'rate_limits', 'bucket', $bucket, 'tat_ms', 0 );
		$d   = \WorkOS\Native\RateLimit::check( $tat, self::now_ms(), $limit, $period );
		if ( $d['allowed'] ) {
			$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET tat_ms = %d WHERE bucket = %s", $d['tat_ms'], $bucket ) ); // phpcs:ignore WordPress.DB
		}
		$wpdb->query( 'COMMIT' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( ! $d['allowed'] ) {
			Log::event( 'rate_limited', array( 'rule' => $rule ) );
		}
	}

	/**
	 * Takes one attempt from every bucket in `$limits`, all or none, in one
	 * transaction: the rows are locked (in a fixed order, so two callers
	 * cannot deadlock each other) before they are read, so concurrent
	 * attempts are counted one after the other and at most the limit pass.
	 * An attempt is counted *before* it is tried; refund() gives it back
	 * when it turns out not to be a failure.
	 *
	 * @param array<int, array{0: string, 1: string}> $limits [rule, key] pairs ('' keys are skipped).
	 * @return int Seconds to wait; 0 when the attempt may go ahead (and was counted).
	 */
	public static function take( array $limits ): int {
		global $wpdb;
		if ( ! extension_ready() ) {
			return 0;
		}
		$buckets = self::buckets( $limits );
		if ( ! $buckets ) {
			return 0;
		}
		Schema::ensure();
		$table = Schema::table( 'rate_limits' );
		$now   = self::now_ms();
		for ( $try = 1; $try <= self::TRIES; $try++ ) {
			$wpdb->query( 'START TRANSACTION' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wait    = 0;
			$updates = array();
			$filled  = array();
			$ok      = true;
			foreach ( $buckets as $bucket => $rule ) {
				$tat = Schema::lock_row( 'rate_limits', 'bucket', $bucket, 'tat_ms', 0 );
				if ( null === $tat ) {
					$ok = false;
					break;
				}
				list( $limit, $period ) = self::rule( $rule );
				$d                      = \WorkOS\Native\RateLimit::check( (int) $tat, $now, $limit, $period );
				if ( $d['allowed'] ) {
					$updates[ $bucket ] = (int) $d['tat_ms'];
					if ( 0 === (int) $d['remaining'] ) {
						$filled[] = $rule;
					}
				} else {
					$wait = max( $wait, (int) ceil( $d['retry_after_ms'] / 1000 ) );
				}
			}
			if ( $ok && 0 === $wait ) {
				foreach ( $updates as $bucket => $tat ) {
					$ok = $ok && false !== $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET tat_ms = %d WHERE bucket = %s", $tat, $bucket ) ); // phpcs:ignore WordPress.DB
				}
			}
			if ( $ok && false !== $wpdb->query( 'COMMIT' ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				// Logged once, when a bucket fills up: the refusals that follow
				// write nothing, so hammering cannot flood the activity log.
				foreach ( 0 === $wait ? $filled : array() as $rule ) {
					Log::event( 'rate_limited', array( 'rule' => $rule ) );
				}
				return $wait;
			}
			$wpdb->query( 'ROLLBACK' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			usleep( wp_rand( 2000, 20000 ) * $try );
		}
		// The count could not be kept: refuse rather than let guesses through
		// uncounted.
		Log::event( 'rate_limit_unavailable', array( 'error' => substr( (string) $wpdb->last_error, 0, 200 ) ) );
		return 60;
	}

	/**
	 * Gives back one attempt taken by take() that was not a failure (the
	 * right password, WorkOS unreachable): one atomic statement per bucket.
	 *
	 * @param array<int, array{0: string, 1: string}> $limits The pairs given to take().
	 */
	public static function refund( array $limits ): void {
		global $wpdb;
		if ( ! extension_ready() ) {
			return;
		}
		$table = Schema::table( 'rate_limits' );
		foreach ( self::buckets( $limits ) as $bucket => $rule ) {
			list( $limit, $period ) = self::rule( $rule );
			// One emission interval of the GCRA, as RateLimit::check adds it.
			$interval = max( 1, intdiv( $period * 1000, $limit ) );
			$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET tat_ms = GREATEST(tat_ms - %d, 0) WHERE bucket = %s", $interval, $bucket ) ); // phpcs:ignore WordPress.DB
		}
	}

	/**
	 * [rule, key] pairs as bucket => rule, sorted by bucket (the lock order).
	 *
	 * @param array $limits [rule, key] pairs.
	 * @return array<string, string>
	 */
	private static function buckets( array $limits ): array {
		$buckets = array();
		foreach ( $limits as $pair ) {
			list( $rule, $key ) = array_values( (array) $pair ) + array( '', '' );
			if ( is_string( $rule ) && isset( self::RULES[ $rule ] ) && is_string( $key ) && '' !== $key ) {
				$buckets[ self::bucket( $rule, $key ) ] = $rule;
			}
		}
		ksort( $buckets, SORT_STRING );
		return $buckets;
	}

	/**
	 * The refusal for a caller over its limit.
	 *
	 * @param int $seconds Seconds to wait.
	 */
	public static function error( int $seconds ): \WP_Error {
		return new \WP_Error(
			'too_many_attempts',
			/* translators: %d: minutes. */
			sprintf( _n( 'Too many failed attempts. Please try again in %d minute.', 'Too many failed attempts. Please try again in %d minutes.', max( 1, (int) ceil( $seconds / 60 ) ), 'workos' ), max( 1, (int) ceil( $seconds / 60 ) ) ),
			array( 'status' => 429 )
		);
	}

	/**
	 * Deletes rows whose limits have long expired.
	 */
	public static function prune(): int {
		global $wpdb;
		return (int) $wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::table( 'rate_limits' ) . ' WHERE tat_ms < %d LIMIT 10000', self::now_ms() - DAY_IN_SECONDS * 1000 ) ); // phpcs:ignore WordPress.DB
	}

	/**
	 * A rule's [limit, period], after the filter.
	 *
	 * @param string $rule Rule name.
	 */
	private static function rule( string $rule ): array {
		/**
		 * Rate-limit rules: name => [attempts, per seconds].
		 *
		 * @param array $rules Rules.
		 */
		$rules = (array) apply_filters( 'workos_rate_limits', self::RULES );
		$pair  = isset( $rules[ $rule ] ) && is_array( $rules[ $rule ] ) ? array_values( $rules[ $rule ] ) : self::RULES[ $rule ];
		return array( max( 1, (int) $pair[0] ), max( 1, (int) $pair[1] ) );
	}

	/**
	 * The stored key: hashed, so the table holds no addresses or emails.
	 *
	 * @param string $rule Rule name.
	 * @param string $key  Key.
	 */
	private static function bucket( string $rule, string $key ): string {
		// Fixed length whatever the rule's name (the column is 80 wide).
		return hash_hmac( 'sha256', $rule . '|' . strtolower( self::networks( $key ) ), wp_salt( 'nonce' ) );
	}

	/**
	 * A key with every IPv6 address in it (a part between `|`) as its /64:
	 * one subscriber gets a whole /64 and can use any address in it, so a
	 * limit per address would be a limit per request. IPv4 addresses (also
	 * written IPv4-mapped) stay as they are.
	 *
	 * @param string $key The limit's key.
	 */
	public static function networks( string $key ): string {
		if ( false === strpos( $key, ':' ) ) {
			return $key; // No IPv6 address in it (the usual case): nothing to parse.
		}
		$parts = explode( '|', $key );
		foreach ( $parts as $i => $part ) {
			if ( false === filter_var( $part, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) ) {
				continue;
			}
			$bytes = (string) inet_pton( $part );
			if ( 0 === strncmp( $bytes, str_repeat( "\0", 10 ) . "\xff\xff", 12 ) ) {
				$parts[ $i ] = (string) inet_ntop( substr( $bytes, 12 ) );
				continue;
			}
			$parts[ $i ] = inet_ntop( substr( $bytes, 0, 8 ) . str_repeat( "\0", 8 ) ) . '/64';
		}
		return implode( '|', $parts );
	}

	/**
	 * Now, in unix ms.
	 */
	private static function now_ms(): int {
		return (int) floor( microtime( true ) * 1000 );
	}
}
