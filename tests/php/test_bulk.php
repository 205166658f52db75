<?php
/** WorkOS\Native\Client::requestMany through PHP: validation, order, isolation of failures. */
require __DIR__ . '/assert.php';

use WorkOS\Native\Client;
use WorkOS\Native\InvalidArgumentException;

// Nothing listens on port 9: every call fails to connect, each on its own.
$client = new Client( array( 'api_key' => 'sk_test_x', 'client_id' => 'client_x', 'base_url' => 'http://127.0.0.1:9', 'max_retries' => 0 ) );
same( array(), $client->requestMany( array() ), 'nothing to do' );
$results = $client->requestMany(
	array(
		array( 'method' => 'GET', 'path' => array( 'organizations' ) ),
		array( 'method' => 'POST', 'path' => array( 'user_management', 'users' ), 'body' => array( 'email' => 'a@example.com' ) ),
	),
	2
);
same( 2, count( $results ), 'one result per call' );
same( array( false, false ), array_column( $results, 'ok' ), 'both failed' );
same( 0, $results[0]['status'], 'a transport failure has status 0' );
throws( InvalidArgumentException::class, fn() => $client->requestMany( array( array( 'path' => array( 'x' ) ) ) ), 'no method' );
throws( InvalidArgumentException::class, fn() => $client->requestMany( array( array( 'method' => 'GET', 'path' => array( '' ) ) ) ), 'empty segment' );
throws( InvalidArgumentException::class, fn() => $client->requestMany( array( array( 'method' => 'GET', 'path' => array( 'x' ), 'headers' => array() ) ) ), 'unknown key' );
throws( InvalidArgumentException::class, fn() => $client->requestMany( array( 'not a call' ) ), 'not an array' );

finish();
