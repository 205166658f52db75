<?php
/**
 * A dozen lines of assertions, so these scripts run on a bare PHP with only
 * the extension loaded (under the CLI and under php-fpm).
 */

$GLOBALS['workos_failures'] = array();
$GLOBALS['workos_checks']   = 0;

/**
 * Counts a check and records it as failed unless $ok.
 *
 * @param bool   $ok   Whether it held.
 * @param string $what What was checked.
 */
function check( bool $ok, string $what ): void {
	$GLOBALS['workos_checks']++;
	if ( ! $ok ) {
		$GLOBALS['workos_failures'][] = $what;
	}
}

/**
 * Checks that two values are identical (===), showing both when not.
 *
 * @param mixed  $expected Expected value.
 * @param mixed  $actual   Actual value.
 * @param string $what     What was checked.
 */
function same( $expected, $actual, string $what ): void {
	check( $expected === $actual, $what . ': expected ' . var_export( $expected, true ) . ', got ' . var_export( $actual, true ) );
}

/**
 * Runs $fn and returns the Throwable it throws (or null).
 *
 * @param callable $fn Code to run.
 */
function thrown( callable $fn ): ?Throwable {
	try {
		$fn();
	} catch ( Throwable $e ) {
		return $e;
	}
	return null;
}

/**
 * Checks that $fn throws an instance of $class, whose message contains $message_part.
 *
 * @param string   $class        Expected class (or parent class).
 * @param callable $fn           Code to run.
 * @param string   $what         What was checked.
 * @param string   $message_part Part of the expected message; '' for any.
 */
function throws( string $class, callable $fn, string $what, string $message_part = '' ): void {
	$e = thrown( $fn );
	check( $e instanceof $class, $what . ': expected ' . $class . ', got ' . ( $e ? get_class( $e ) . ' (' . $e->getMessage() . ')' : 'no exception' ) );
	if ( $e && '' !== $message_part ) {
		check( false !== stripos( $e->getMessage(), $message_part ), $what . ': message "' . $e->getMessage() . '" lacks "' . $message_part . '"' );
	}
}

/**
 * Prints the outcome ("OK n checks" or the failures); under the CLI a failure exits with 1.
 */
function finish(): void {
	$failures = $GLOBALS['workos_failures'];
	if ( $failures ) {
		echo 'FAIL ', count( $failures ), ' of ', $GLOBALS['workos_checks'], "\n - ", implode( "\n - ", $failures ), "\n";
		if ( PHP_SAPI === 'cli' ) {
			exit( 1 );
		}
		return;
	}
	echo 'OK ', $GLOBALS['workos_checks'], " checks\n";
}
