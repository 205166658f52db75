<?php
/**
 * The typed WorkOS endpoints of WorkOS\Native\Client against the emulator
 * (crates/workos-core/src/client/{users,memberships,organizations,sessions,
 * magic_auth,directories}.rs): each sends the method, path, query and body
 * of the OpenAPI spec (read back from the emulator's request log), answers
 * WorkOS's JSON as arrays, and refuses a malformed argument before anything
 * is sent. Also the bulk forms used by `wp workos sync`.
 */

/** The emulator harness: env_var(), emulator(), sent_since(), log_size(), line(), emulator_client(). */
require __DIR__ . '/emulator.php';

use WorkOS\Native\{ApiException, InvalidArgumentException};

if ( ! emulator_ready() ) {
	return;
}

$client = emulator_client();

$run   = bin2hex( random_bytes( 4 ) );
$email = "endpoints-$run@example.com";

// --- Users: create, get, list by email, update (names, then password). ---
$mark = log_size();
$user = $client->createUser( array( 'email' => $email, 'first_name' => 'Ada', 'last_name' => '', 'email_verified' => true ) );
check( 0 === strpos( $user['id'] ?? '', 'user_' ), 'createUser answers the user: ' . json_encode( $user ) );
same( $email, $user['email'] ?? null, 'created with the email given' );
$sent = sent_since( $mark );
same( array( 'POST /user_management/users' ), array_map( 'line', $sent ), 'createUser sends one POST' );
same( array( 'email' => $email, 'first_name' => 'Ada', 'last_name' => '', 'email_verified' => true ), $sent[0]['body'] ?? null, 'only the fields given are sent' );

same( $user['id'], $client->getUser( $user['id'] )['id'] ?? null, 'getUser' );

$mark  = log_size();
$found = $client->listUsers( array( 'email' => $email, 'limit' => 5 ) );
same( array( $user['id'] ), array_column( $found['data'], 'id' ), 'listUsers by email finds exactly the user' );
check( array_key_exists( 'list_metadata', $found ), 'a list page keeps list_metadata' );
$sent = sent_since( $mark );
same( 'GET /user_management/users', line( $sent[0] ), 'listUsers path' );
same( array( 'email' => $email, 'limit' => '5' ), $sent[0]['query'], 'listUsers query' );

$updated = $client->updateUser( $user['id'], array( 'first_name' => 'Grace' ) );
same( 'Grace', $updated['first_name'] ?? null, 'updateUser changes the name' );
$password = "Endpoints-$run-Pw1!";
$mark     = log_size();
$client->updateUser( $user['id'], array( 'password' => $password ) );
$sent = sent_since( $mark );
same( 'PUT /user_management/users/' . $user['id'], line( $sent[0] ), 'updateUser path' );
$auth = $client->authenticateWithPassword( $email, $password );
same( $user['id'], $auth['user']['id'] ?? null, 'the password set through updateUser signs in' );

// --- Organizations: create, get, one page, every page. ---
$orgs = array();
for ( $i = 0; $i < 3; $i++ ) {
	$orgs[] = $client->createOrganization( "Endpoints $run $i" );
}
check( 0 === strpos( $orgs[0]['id'] ?? '', 'org_' ), 'createOrganization answers the organization' );
same( "Endpoints $run 1", $client->getOrganization( $orgs[1]['id'] )['name'] ?? null, 'getOrganization' );
$newest = $client->listOrganizations( array( 'limit' => 1, 'order' => 'desc' ) );
same( array( $orgs[2]['id'] ), array_column( $newest['data'], 'id' ), 'listOrganizations: one page, newest first' );
$mark = log_size();
$all  = $client->listAllOrganizations( array( 'limit' => 1, 'order' => 'desc' ), 3 );
same( array_reverse( array_column( $orgs, 'id' ) ), array_column( $all, 'id' ), 'listAllOrganizations follows the cursor up to max' );
$queries = array_column( sent_since( $mark ), 'query' );
same( 3, count( $queries ), 'one request per page' );
same( $orgs[2]['id'], $queries[1]['after'] ?? null, 'the second page starts after the first' );
same( array( 'limit' => '1', 'order' => 'desc' ), $queries[0], 'the first page has no cursor' );

// --- Memberships: create, list with statuses, update the role. ---
$org        = $orgs[0]['id'];
$membership = $client->createOrganizationMembership( $user['id'], $org );
check( 0 === strpos( $membership['id'] ?? '', 'om_' ), 'createOrganizationMembership answers the membership: ' . json_encode( $membership ) );
$mark = log_size();
$list = $client->listOrganizationMemberships(
	array(
		'user_id'         => $user['id'],
		'organization_id' => $org,
		'statuses'        => array( 'active', 'pending' ),
	)
);
same( array( $membership['id'] ), array_column( $list['data'], 'id' ), 'listOrganizationMemberships finds it' );
same( 'active,pending', sent_since( $mark )[0]['query']['statuses'] ?? null, 'statuses go as one comma-separated value' );
$changed = $client->updateOrganizationMembership( $membership['id'], 'admin' );
same( 'admin', $changed['role']['slug'] ?? null, 'updateOrganizationMembership sets the role' );

// --- Sessions: the session of the password sign-in above is revoked. ---
$claims = json_decode( base64_decode( strtr( explode( '.', $auth['access_token'] )[1], '-_', '+/' ) ), true );
$sid    = (string) ( $claims['sid'] ?? '' );
check( 0 === strpos( $sid, 'session_' ), 'the sign-in has a session' );
$mark = log_size();
$client->revokeSession( $sid );
$sent = sent_since( $mark );
same( 'POST /user_management/sessions/revoke', line( $sent[0] ), 'revokeSession path' );
same( array( 'session_id' => $sid ), $sent[0]['body'], 'revokeSession body' );
$sessions = emulator( 'GET', '/user_management/users/' . $user['id'] . '/sessions' )['data'] ?? array();
same( array(), array_values( array_filter( $sessions, fn( $s ) => $s['id'] === $sid && 'active' === ( $s['status'] ?? '' ) ) ), 'the session is no longer active' );
$e = thrown( fn() => $client->revokeSession( 'session_' . $run . 'gone' ) );
check( $e instanceof ApiException && 400 === $e->getStatus(), 'an unknown session is WorkOS\'s refusal: ' . ( $e ? $e->getMessage() : 'none' ) );

// --- Magic Auth. ---
$mark  = log_size();
$magic = $client->createMagicAuth( $email );
check( 0 === strpos( $magic['id'] ?? '', 'magic_auth_' ), 'createMagicAuth answers the Magic Auth object' );
same( array( 'email' => $email ), sent_since( $mark )[0]['body'], 'createMagicAuth body' );

// --- Directories. ---
$directory = emulator( 'POST', '/__emulator/directories', array( 'organization_id' => $org ) );
same( $org, $client->getDirectory( $directory['id'] )['organization_id'] ?? null, 'getDirectory tells the organization' );
$e = thrown( fn() => $client->getDirectory( 'directory_' . $run . 'gone' ) );
check( $e instanceof ApiException && 404 === $e->getStatus(), 'an unknown directory is a 404' );

// --- Bulk: one result per item, in order; a bad item is not sent. ---
$emails  = array( "bulk-a-$run@example.com", "bulk-b-$run@example.com" );
$mark    = log_size();
$created = $client->createUsersMany(
	array(
		array( 'email' => $emails[0], 'first_name' => 'A' ),
		array( 'email' => '' ),
		array( 'email' => $emails[1] ),
		array( 'email' => $email ),
	),
	4
);
same( array( true, false, true, false ), array_column( $created, 'ok' ), 'createUsersMany: one result per user, in order' );
same( array( 0, 'invalid_input', false ), array( $created[1]['status'], $created[1]['code'], $created[1]['transient'] ), 'the empty email failed its checks' );
check( $created[3]['status'] >= 400 && $created[3]['status'] < 500 && false === $created[3]['transient'], 'a taken email is WorkOS\'s refusal: ' . json_encode( $created[3] ) );
same( 3, count( sent_since( $mark ) ), 'the invalid user was not sent' );
$fetched = $client->getUsersMany( array( $created[0]['body']['id'], 'org_1', $created[2]['body']['id'] ) );
same( array( $emails[0], null, $emails[1] ), array( $fetched[0]['body']['email'] ?? null, $fetched[1]['body'], $fetched[2]['body']['email'] ?? null ), 'getUsersMany' );
same( 'invalid_input', $fetched[1]['code'], 'an id of another kind is refused' );
$lists = $client->listUsersMany( array( array( 'email' => $emails[1] ), array( 'email' => "nobody-$run@example.com" ), array( 'emial' => 'x' ) ), 2 );
same( array( array( $created[2]['body']['id'] ), array() ), array( array_column( $lists[0]['body']['data'], 'id' ), $lists[1]['body']['data'] ), 'listUsersMany' );
same( false, $lists[2]['ok'], 'an unknown filter fails that item' );
same( array(), $client->getUsersMany( array() ), 'nothing to do' );
throws( InvalidArgumentException::class, fn() => $client->createUsersMany( array( 'a' => array( 'email' => $email ) ) ), 'a map is not a list of users' );

// --- Nothing malformed is sent. ---
$mark = log_size();
foreach (
	array(
		'getOrganization(acme)'              => array( fn() => $client->getOrganization( 'acme' ), 'organization_id' ),
		'getOrganization(..)'                => array( fn() => $client->getOrganization( '..' ), 'path segment' ),
		'getUser(org id)'                    => array( fn() => $client->getUser( $org ), 'user_id' ),
		'getDirectory(%2e%2e)'               => array( fn() => $client->getDirectory( '%2e%2e' ), 'path segment' ),
		'listUsers(unknown key)'             => array( fn() => $client->listUsers( array( 'emial' => $email ) ), 'unknown field' ),
		'listUsers(limit 101)'               => array( fn() => $client->listUsers( array( 'limit' => 101 ) ), 'limit' ),
		'listUsers(limit as text)'           => array( fn() => $client->listUsers( array( 'limit' => '10' ) ), 'invalid type' ),
		'listUsers(order)'                   => array( fn() => $client->listUsers( array( 'order' => 'up' ) ), 'unknown variant' ),
		'listUsers(bad email)'               => array( fn() => $client->listUsers( array( 'email' => 'a b' ) ), 'email' ),
		'listOrganizationMemberships([])'    => array( fn() => $client->listOrganizationMemberships( array() ), 'user_id or organization_id' ),
		'listOrganizationMemberships(state)' => array( fn() => $client->listOrganizationMemberships( array( 'user_id' => $user['id'], 'statuses' => array( 'gone' ) ) ), 'unknown variant' ),
		'updateUser(nothing)'                => array( fn() => $client->updateUser( $user['id'], array() ), 'at least one field' ),
		'createUser(no email)'               => array( fn() => $client->createUser( array( 'first_name' => 'x' ) ), 'email' ),
		'updateOrganizationMembership(slug)' => array( fn() => $client->updateOrganizationMembership( $membership['id'], 'an admin' ), 'role_slug' ),
		'createOrganization(blank)'          => array( fn() => $client->createOrganization( ' ' ), 'name' ),
		'revokeSession(empty)'               => array( fn() => $client->revokeSession( '' ), 'path segment' ),
		'createMagicAuth(not an email)'      => array( fn() => $client->createMagicAuth( 'nobody' ), 'email' ),
		'listAllOrganizations(max 0)'        => array( fn() => $client->listAllOrganizations( null, 0 ), 'max' ),
		'authenticate(unknown grant)'        => array( fn() => $client->authenticate( array( 'grant_type' => 'magic' ) ), 'not supported' ),
		'authenticate(missing field)'        => array( fn() => $client->authenticate( array( 'grant_type' => 'urn:workos:oauth:grant-type:magic-auth:code', 'code' => '1' ) ), 'email is required' ),
		'authenticate(foreign field)'        => array( fn() => $client->authenticate( array( 'grant_type' => 'password', 'email' => $email, 'password' => 'x', 'code' => '1' ) ), 'not a field' ),
	) as $what => list( $call, $part )
) {
	throws( InvalidArgumentException::class, $call, $what, $part );
}
same( array(), array_map( 'line', sent_since( $mark ) ), 'none of the malformed calls went out' );

finish();
