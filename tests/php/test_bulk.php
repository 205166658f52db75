<?php
/**
 * WorkOS\Native\Client's bulk methods (createUsersMany, listUsersMany,
 * getUsersMany: `wp workos sync`) through PHP: validation, order, isolation
 * of failures. They replaced requestMany(), whose raw method + path calls
 * let PHP name any endpoint; a malformed item is now its own failure, not
 * sent, instead of failing the whole batch.
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\Client;
use WorkOS\Native\InvalidArgumentException;

// Nothing listens on port 9: every call fails to connect, each on its own.
$client = new Client( array( 'api_key' => 'sk_test_x', 'client_id' => 'client_x', 'base_url' => 'http://127.0.0.1:9', 'max_retries' => 0 ) );
same( array(), $client->createUsersMany( array() ), 'nothing to do' );
same( array(), $client->listUsersMany( array() ), 'nothing to do (list)' );
$results = $client->createUsersMany(
	array(
		array( 'email' => 'a@example.com' ),
		array( 'email' => 'b@example.com', 'first_name' => 'B' ),
	),
	2
);
same( 2, count( $results ), 'one result per call' );
same( array( false, false ), array_column( $results, 'ok' ), 'both failed' );
same( 0, $results[0]['status'], 'a transport failure has status 0' );
same( array( 'transport_error', true ), array( $results[0]['code'], $results[0]['transient'] ), 'a transport failure is transient' );

// A malformed item fails alone, before anything is sent: the others go out
// (and fail to connect here).
$mixed = $client->createUsersMany(
	array(
		array( 'first_name' => 'no email' ),
		array( 'email' => 'c@example.com', 'headers' => array() ),
		'not a user',
		array( 'email' => 'd@example.com' ),
	)
);
same( array( 'invalid_input', 'invalid_input', 'invalid_input', 'transport_error' ), array_column( $mixed, 'code' ), 'each item judged on its own' );
check( false !== strpos( $mixed[0]['message'], 'email' ), 'the missing field is named: ' . $mixed[0]['message'] );
check( false !== strpos( $mixed[1]['message'], 'unknown field `headers`' ), 'an unknown key is named: ' . $mixed[1]['message'] );
same( array( false, false ), array( $mixed[0]['transient'], $mixed[1]['transient'] ), 'a malformed item is not worth retrying' );
$ids = $client->getUsersMany( array( 'user_1', '', '../organizations', 42 ) );
same( array( 'transport_error', 'invalid_input', 'invalid_input', 'invalid_input' ), array_column( $ids, 'code' ), 'ids are checked one by one' );
check( false !== strpos( $ids[2]['message'], 'path segment' ), 'a navigating id is refused: ' . $ids[2]['message'] );
same( 'invalid_input', $client->listUsersMany( array( array( 'limit' => 0 ) ) )[0]['code'], 'list params are checked' );
throws( InvalidArgumentException::class, fn() => $client->createUsersMany( array( 'x' => array( 'email' => 'a@example.com' ) ) ), 'not a list' );
throws( InvalidArgumentException::class, fn() => $client->getUsersMany( array( 'a' => 'user_1', 'b' => 'user_2' ) ), 'not a list of ids' );
check( ! method_exists( $client, 'requestMany' ) && ! method_exists( $client, 'request' ), 'no raw calls: PHP names no WorkOS path' );

finish();
