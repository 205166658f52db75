<?php
/**
 * A dozen lines of assertions, so these scripts run on a bare PHP with only
 * the extension loaded (under the CLI and under php-fpm).
 */

$GLOBALS['workos_failures'] = array();
$GLOBALS['workos_checks']   = 0;

function check( bool $ok, string $what ): void {
	$GLOBALS['workos_checks']++;
	if ( ! $ok ) {
		$GLOBALS['workos_failures'][] = $what;
	}
}

function same( $expected, $actual, string $what ): void {
	check( $expected === $actual, $what . ': expected ' . var_export( $expected, true ) . ', got ' . var_export( $actual, true ) );
}

/** Runs $fn and returns the Throwable it throws (or null). */
function thrown( callable $fn ): ?Throwable {
	try {
		$fn();
	} catch ( Throwable $e ) {
		return $e;
	}
	return null;
}

function throws( string $class, callable $fn, string $what, string $message_part = '' ): void {
	$e = thrown( $fn );
	check( $e instanceof $class, $what . ': expected ' . $class . ', got ' . ( $e ? get_class( $e ) . ' (' . $e->getMessage() . ')' : 'no exception' ) );
	if ( $e && '' !== $message_part ) {
		check( false !== stripos( $e->getMessage(), $message_part ), $what . ': message "' . $e->getMessage() . '" lacks "' . $message_part . '"' );
	}
}

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
