<?php
/**
 * WorkOS\Native\Webhook::describe and Client::createAuditLogEvent's validation through PHP; the Rust
 * sides are crates/workos-core/src/event.rs and client/audit_logs.rs.
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\Client;
use WorkOS\Native\InvalidArgumentException;
use WorkOS\Native\Webhook;

$event = static fn( string $type, array $data ) => array(
	'id'         => 'event_1',
	'event'      => $type,
	'data'       => $data,
	'created_at' => '2026-01-01T00:00:10.000Z',
);

$info = Webhook::describe( $event( 'user.updated', array( 'id' => 'user_1', 'updated_at' => '2026-01-01T00:00:05.000Z' ) ) );
same( array( 'id' => 'event_1', 'event' => 'user.updated', 'object_key' => 'user:user_1', 'version' => 1767225605000 ), $info, 'user event' );
same( 'organization_membership:om_1', Webhook::describe( $event( 'organization_membership.deleted', array( 'id' => 'om_1' ) ) )['object_key'], 'membership' );
same( 1767225610000, Webhook::describe( $event( 'user.deleted', array( 'id' => 'user_1', 'updated_at' => '2026-01-01T00:00:05.000Z' ) ) )['version'], 'a deletion is as new as its event' );
same( null, Webhook::describe( $event( 'authentication.email_verification_succeeded', array( 'user_id' => 'u' ) ) )['object_key'], 'no object' );
throws( InvalidArgumentException::class, fn() => Webhook::describe( array( 'event' => 'user.updated' ) ), 'no id' );
throws( InvalidArgumentException::class, fn() => Webhook::describe( $event( 'user.updated', array( 'id' => 'u', 'updated_at' => 'soon' ) ) ), 'bad time' );

// Validation happens before any network use: this base URL is never contacted.
$client = new Client( array( 'api_key' => 'sk_test_x', 'client_id' => 'client_x', 'base_url' => 'http://127.0.0.1:9' ) );
$good   = array(
	'action'      => 'user.signed_in',
	'occurred_at' => '2026-01-01T00:00:00Z',
	'actor'       => array( 'id' => '1', 'type' => 'user' ),
	'targets'     => array( array( 'id' => '1', 'type' => 'user' ) ),
	'context'     => array( 'location' => '127.0.0.1' ),
);
foreach ( array( 'action', 'occurred_at', 'actor', 'targets', 'context' ) as $field ) {
	$bad = $good;
	unset( $bad[ $field ] );
	throws( InvalidArgumentException::class, fn() => $client->createAuditLogEvent( 'org_1', $bad ), "audit event without $field" );
}
throws( InvalidArgumentException::class, fn() => $client->createAuditLogEvent( '', $good ), 'audit event without organization' );
throws( \WorkOS\Native\ApiException::class, fn() => $client->createAuditLogEvent( 'org_1', $good, 'key-1' ), 'a valid event does go out (and fails to connect here)' );

finish();
