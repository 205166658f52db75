<?php
/** WorkOS\Native\RateLimit through PHP: the Rust side is crates/workos-core/src/rate_limit.rs. */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\InvalidArgumentException;
use WorkOS\Native\RateLimit;

$now = 1000000;
$tat = 0;
$seen = array();
for ( $i = 0; $i < 4; $i++ ) {
	$d      = RateLimit::check( $tat, $now, 3, 60 );
	$seen[] = $d['allowed'];
	if ( $d['allowed'] ) {
		$tat = $d['tat_ms'];
	}
}
same( array( true, true, true, false ), $seen, 'three per minute, then refused' );
$d = RateLimit::check( $tat, $now, 3, 60 );
same( 20000, $d['retry_after_ms'], 'one attempt back every 20 s' );
same( true, RateLimit::check( $tat, $now + 20000, 3, 60 )['allowed'], 'and it is back' );
same( true, RateLimit::check( periodSeconds: 60, limit: 1, nowMs: $now, tatMs: 0 )['allowed'], 'named arguments' );
throws( InvalidArgumentException::class, fn() => RateLimit::check( 0, $now, 0, 60 ), 'limit 0' );
throws( InvalidArgumentException::class, fn() => RateLimit::check( 0, $now, 5, -1 ), 'negative period' );

finish();
