<?php
/** WorkOS\Native\Webhook through PHP: the Rust side is crates/workos-core/src/webhook.rs. */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\Webhook;
use WorkOS\Native\SignatureException;

$secret = 'whsec_php_test';
$body   = '{"id":"event_01","event":"dsync.user.created","data":{"id":"directory_user_01","emails":[{"primary":true,"value":"a@example.com"}],"42":"n"}}';
$now    = 1760000000000;
$header = Webhook::sign( $body, $secret, $now );

$event = Webhook::verify( $body, $header, $secret, 180, $now + 1000 );
same( 'dsync.user.created', $event['event'], 'event type' );
same( array( 'id', 'event', 'data' ), array_keys( $event ), 'key order is kept' );
same( 'a@example.com', $event['data']['emails'][0]['value'], 'nested list' );
same( 'n', $event['data'][42], 'numeric keys behave as in json_decode' );
same( json_decode( $body, true ), $event, 'same as json_decode' );

// Independent signer: PHP's own hash_hmac agrees with the extension.
same( 't=' . $now . ', v1=' . hash_hmac( 'sha256', $now . '.' . $body, $secret ), $header, 'signature format' );

throws( SignatureException::class, fn() => Webhook::verify( $body, '', $secret, 180, $now ), 'missing', 'missing' );
throws( SignatureException::class, fn() => Webhook::verify( $body, 'v1=abc', $secret, 180, $now ), 'malformed', 'malformed' );
throws( SignatureException::class, fn() => Webhook::verify( $body, $header, $secret, 180, $now + 181000 ), 'stale', 'stale' );
throws( SignatureException::class, fn() => Webhook::verify( $body . ' ', $header, $secret, 180, $now ), 'mismatch', 'mismatch' );
throws( SignatureException::class, fn() => Webhook::verify( $body, $header, 'other', 180, $now ), 'wrong secret', 'mismatch' );
throws( SignatureException::class, fn() => Webhook::verify( $body, $header, '', 180, $now ), 'empty secret', 'secret' );
$bad = "\xff\xfe not json";
throws( SignatureException::class, fn() => Webhook::verify( $bad, Webhook::sign( $bad, $secret, $now ), $secret, 180, $now ), 'binary body', 'json' );
throws( SignatureException::class, fn() => Webhook::verify( '[1,2]', Webhook::sign( '[1,2]', $secret, $now ), $secret, 180, $now ), 'non-object event', 'json' );
throws( SignatureException::class, fn() => Webhook::verify( $body, $header, $secret, -1, $now ), 'negative tolerance' );
throws( \WorkOS\Native\InvalidArgumentException::class, fn() => Webhook::sign( $body, '', $now ), 'sign without secret' );
check( Webhook::verify( $body, Webhook::sign( $body, $secret, (int) ( microtime( true ) * 1000 ) ), $secret ) !== array(), 'default clock and tolerance' );

$e = thrown( fn() => Webhook::verify( $body, '', $secret ) );
check( $e instanceof \WorkOS\Native\Exception && $e instanceof \RuntimeException, 'hierarchy: SignatureException → Exception → RuntimeException' );

// Hostile sizes never crash PHP.
$huge = str_repeat( 'v1=' . str_repeat( 'a', 64 ) . ', ', 20000 ) . 't=1';
throws( SignatureException::class, fn() => Webhook::verify( $body, $huge, $secret, 180, $now ), 'huge header' );
$deep = str_repeat( '[', 100000 ) . str_repeat( ']', 100000 );
throws( SignatureException::class, fn() => Webhook::verify( $deep, Webhook::sign( $deep, $secret, $now ), $secret, 180, $now ), 'deeply nested JSON' );

// One crossing: verifyEvent() returns the event and what orders it together.
$delivery = Webhook::verifyEvent( $body, $header, $secret, 180, $now + 1000 );
same( array( 'event', 'info' ), array_keys( $delivery ), 'event and info' );
same( $event, $delivery['event'], 'the same event as verify()' );
same( Webhook::describe( $event ), $delivery['info'], 'the same info as describe()' );
same( 'directory_user:directory_user_01', $delivery['info']['object_key'], 'object key' );
throws( SignatureException::class, fn() => Webhook::verifyEvent( $body . ' ', $header, $secret, 180, $now ), 'verifyEvent: mismatch', 'mismatch' );
throws( SignatureException::class, fn() => Webhook::verifyEvent( $body, $header, $secret, 180, $now + 181000 ), 'verifyEvent: stale', 'stale' );
// Signed, but nothing orders it: not a signature failure.
$unordered = '{"id":"event_02","event":"user.updated","data":{}}';
$e         = thrown( fn() => Webhook::verifyEvent( $unordered, Webhook::sign( $unordered, $secret, $now ), $secret, 180, $now ) );
check( $e instanceof \WorkOS\Native\InvalidArgumentException && false !== strpos( $e->getMessage(), 'data.id' ), 'verifyEvent: unordered event: ' . ( $e ? get_class( $e ) . ' ' . $e->getMessage() : 'none' ) );
// Signed, but not a JSON object: WorkOS sent it, so not a signature failure either (the endpoint answers 400).
foreach ( array( $bad, '[1,2]', '"text"' ) as $not_event ) {
	$e = thrown( fn() => Webhook::verifyEvent( $not_event, Webhook::sign( $not_event, $secret, $now ), $secret, 180, $now ) );
	check( $e instanceof \WorkOS\Native\InvalidArgumentException && false !== stripos( $e->getMessage(), 'json' ), 'verifyEvent: signed non-event: ' . ( $e ? get_class( $e ) . ' ' . $e->getMessage() : 'none' ) );
}
// The same bodies unsigned are still signature failures: the signature is checked first.
throws( SignatureException::class, fn() => Webhook::verifyEvent( '[1,2]', Webhook::sign( '[1,2]', 'other', $now ), $secret, 180, $now ), 'verifyEvent: forged non-event', 'mismatch' );

finish();
